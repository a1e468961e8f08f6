"""Measured calibration of the group statistics (issues 17 and 31).

Null data where the truth is known, run through the package's public functions:

- **random splits of the presidential speeches**: two disjoint groups of n speeches drawn
  at random (a real null, and the easy one: the two groups are interchangeable). Per split:
  :func:`rhetoric.measures.rates.theme_rates` (does each group's interval cover the rate of
  all speeches?), :func:`rhetoric.measures.rates.compare_groups` (a verdict other than "no
  difference" is false) and :func:`rhetoric.measures.keyterms.keyness` (any flag is false);
- **synthetic designs where the groups are not interchangeable** (what random splits cannot
  show): units of different lengths, one group burstier, both, and event-clustered corpora
  where several articles share their statement's use of a theme. Through
  :func:`rhetoric.measures.rates.compare_units` (the comparison of ``compare_groups`` from
  counts per unit), :func:`rhetoric.measures.inference.rate_interval` and
  :func:`rhetoric.measures.inference.zero_hit_upper` (the group intervals of
  ``theme_rates``) and :func:`rhetoric.measures.inference.score_pvalues` (the keyness test):
  false verdicts, power at +30% and +100%, interval coverage, keyness flags.

Usage::

    python validation/calibrate.py --out validation/results.json --readme validation/README.md
    python validation/calibrate.py --replicates 50 --splits 20     # a quicker look

``make calibrate`` runs the full version; validation/README.md is generated from the results
(:func:`render_readme`), never edited by hand (a test checks that it matches results.json).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
import json
from pathlib import Path
import platform
import sys
import tempfile
import time
import zlib

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SPEECHES = ROOT.parent / "shared" / "corpora" / "presidential-speeches"
SPLIT_SIZES = (5, 20, 50)
SIZES = (5, 10, 20, 50)
ALPHA = 0.05
#: Nine synthetic themes, rates per 1,000 tokens (rare to common, as the bundled themes).
THEME_RATES = (0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)
#: Null designs: median unit length of each group, and each group's gamma shape k (the
#: spread of a theme's rate between units; smaller is burstier: the speeches' themes fit
#: k ≈ 0.6–2, historical truth ≈ 0.2).
DESIGNS = {
    "interchangeable": {"lengths": (1500, 1500), "shapes": (1.0, 1.0)},
    "lengths differ": {"lengths": (400, 3000), "shapes": (1.0, 1.0)},
    "one group burstier": {"lengths": (1500, 1500), "shapes": (0.5, 2.0)},
    "one group far burstier": {"lengths": (1500, 1500), "shapes": (0.3, 3.0)},
    "short and burstier": {"lengths": (400, 3000), "shapes": (0.5, 2.0)},
    "event-clustered": {"lengths": (800, 800), "shapes": (1.0, 1.0), "events": True},
}
#: Planted ratios for power (group a's rates × ratio), on two designs.
POWER_RATIOS = (1.3, 2.0)
POWER_DESIGNS = ("interchangeable", "lengths differ")
TARGET_FALSE = 0.07
TARGET_FDR = 0.05


# -- synthetic units ---------------------------------------------------------------------------


def _lengths(median: float, shape, rng) -> np.ndarray:
    return np.maximum(50, np.round(rng.lognormal(np.log(median), 0.8, shape)))


def synthetic_groups(design: str, n: int, rng, *, ratio: float = 1.0, rates=THEME_RATES):
    """Two groups of n units for ``design`` (hits units × themes, tokens per unit).

    Hits are Poisson(R · G · t), G ~ Gamma(k, 1/k) per unit and theme. Event-clustered
    groups have n events of 1–6 articles (geometric, mean 2): the articles of one event
    share the event's G (their own spread around it is Gamma(4, 1/4)), so their counts move
    together. Returns ``{"event": (y_a, t_a, y_b, t_b)}`` (units summed per event; for the
    other designs every unit is its own event) and, for event-clustered groups, also
    ``"document"``: the same articles as independent units.
    """
    spec = DESIGNS[design]
    rates = np.asarray(rates) / 1000
    out: dict[str, list] = {"event": [], "document": []}
    for side, (median, k) in enumerate(zip(spec["lengths"], spec["shapes"], strict=True)):
        rate = rates * (ratio if side == 0 else 1.0)
        if not spec.get("events"):
            t = _lengths(median, n, rng)
            y = rng.poisson(rng.gamma(k, 1 / k, (n, len(rate))) * rate * t[:, None])
            out["event"] += [y.astype(float), t]
            continue
        sizes = np.minimum(rng.geometric(0.5, n), 6)
        event = np.repeat(np.arange(n), sizes)
        t = _lengths(median, len(event), rng)
        shared = rng.gamma(k, 1 / k, (n, len(rate)))[event]
        own = rng.gamma(4.0, 1 / 4.0, (len(event), len(rate)))
        y = rng.poisson(shared * own * rate * t[:, None]).astype(float)
        summed = np.zeros((n, len(rate)))
        np.add.at(summed, event, y)
        out["event"] += [summed, np.bincount(event, weights=t, minlength=n)]
        out["document"] += [y, t]
    return {unit: tuple(arrays) for unit, arrays in out.items() if arrays}


def _verdicts(y_a, t_a, y_b, t_b, permutations: int, seed) -> np.ndarray:
    from rhetoric.measures.rates import compare_units

    frame = compare_units(y_a, t_a, y_b, t_b, permutations=permutations, seed=seed)
    return frame["verdict"].to_numpy()


def _covered(y, t, truth, shape) -> tuple[np.ndarray, np.ndarray]:
    """Per theme: whether the group interval (theme_rates' rule) covers the truth, and whether
    the group had no hit (then the interval is [0, the negative binomial bound])."""
    from rhetoric.measures.inference import rate_interval, zero_hit_upper

    _rate, low, high = rate_interval(y, t)
    none = y.sum(axis=0) == 0
    if none.any():
        low, high = np.where(none, 0.0, low), high.copy()
        high[none] = zero_hit_upper(t, shape[none])
    return (low <= truth) & (truth <= high), none


def design_run(design: str, n: int, replicates: int, seed: int, permutations: int,
               ratio: float = 1.0) -> dict:  # fmt: skip
    """False verdicts (ratio 1) or power (ratio > 1), interval coverage, on one design."""
    from rhetoric.measures.inference import dispersion_shape

    rng = np.random.default_rng([seed, n, int(ratio * 100), zlib.crc32(design.encode())])
    truth_b = np.asarray(THEME_RATES) / 1000
    truth_a = truth_b * ratio
    any_false = {"event": 0, "document": 0}
    right, underpowered, covered, zero_covered, zero = 0, 0, [], 0, 0
    for r in range(replicates):
        groups = synthetic_groups(design, n, rng, ratio=ratio)
        for unit, (y_a, t_a, y_b, t_b) in groups.items():
            verdicts = _verdicts(y_a, t_a, y_b, t_b, permutations, [seed, r])
            if unit == "event":
                right += int((verdicts == "a_higher").sum())
                underpowered += int((verdicts == "underpowered").sum())
            any_false[unit] += int(np.isin(verdicts, ["a_higher", "b_higher"]).any()
                                   if ratio == 1.0 else (verdicts == "b_higher").any())  # fmt: skip
        y_a, t_a, y_b, t_b = groups["event"]
        shape = dispersion_shape(np.vstack([y_a, y_b]), np.concatenate([t_a, t_b]))
        for y, t, truth in ((y_a, t_a, truth_a), (y_b, t_b, truth_b)):
            inside, none = _covered(y, t, truth, shape)
            covered.append(inside)
            zero += int(none.sum())
            zero_covered += int((inside & none).sum())
    themes = len(THEME_RATES)
    coverage = np.mean(covered, axis=0)
    result = {
        "design": design,
        "units_per_group": n,
        "ratio": ratio,
        "replicates": replicates,
        "underpowered_share": round(underpowered / (replicates * themes), 4),
        "coverage_by_theme": [round(float(c), 4) for c in coverage],
        "coverage_min": round(float(coverage.min()), 4),
        "zero_hit_groups": zero,
        "zero_hit_coverage": round(zero_covered / zero, 4) if zero else None,
    }
    if ratio == 1.0:
        result["false_verdict_any"] = round(any_false["event"] / replicates, 4)
        if "document" in groups:
            result["false_verdict_any_documents_as_units"] = round(
                any_false["document"] / replicates, 4)  # fmt: skip
    else:
        result["power"] = round(right / (replicates * themes), 4)
        result["wrong_direction_any"] = round(any_false["event"] / replicates, 4)
    return result


def keyness_run(design: str, n: int, replicates: int, seed: int, terms: int = 2000,
                ratio: float = 1.0, planted: float = 0.05) -> dict:  # fmt: skip
    """The keyness document-level test on ``terms`` synthetic words: with ratio 1 every flag
    is false (share of replicates with any flag = the false discovery rate); with a ratio,
    ``planted`` of the words have it in group a (power and false discovery proportion).
    Mann–Whitney on relative frequencies (the test before issue 31) is scored on the same
    words for contrast."""
    from rhetoric.measures.inference import (
        benjamini_hochberg,
        mann_whitney_pvalues,
        score_pvalues,
    )

    spec = DESIGNS[design]
    rng = np.random.default_rng([seed, n, terms, int(ratio * 100), zlib.crc32(design.encode())])
    anyflag, share, old_any, found, false_found, total_planted = 0, 0.0, 0, 0, 0, 0
    for _ in range(replicates):
        rates = rng.lognormal(np.log(0.5), 1.5, terms) / 1000
        shapes = rng.choice([0.2, 0.5, 1.0, 2.0], terms)
        key = rng.random(terms) < planted if ratio != 1.0 else np.zeros(terms, bool)
        sides = []
        for side, (median, k) in enumerate(zip(spec["lengths"], spec["shapes"], strict=True)):
            t = _lengths(median, n, rng)
            s = shapes * k  # the design's spread scales every word's
            rate = np.where(key, rates * ratio, rates) if side == 0 else rates
            sides += [rng.poisson(rng.gamma(s, 1 / s, (n, terms)) * rate * t[:, None]), t]
        y_a, t_a, y_b, t_b = sides
        kept = ((y_a > 0).sum(axis=0) + (y_b > 0).sum(axis=0)) >= 2
        p, _z = score_pvalues(y_a[:, kept], t_a, y_b[:, kept], t_b)
        flags = benjamini_hochberg(p) < ALPHA
        old = mann_whitney_pvalues(y_a[:, kept] / t_a[:, None], y_b[:, kept] / t_b[:, None])
        anyflag += int(flags.any())
        share += float(flags.mean())
        old_any += int((benjamini_hochberg(old) < ALPHA).any())
        found += int((flags & key[kept]).sum())
        false_found += int((flags & ~key[kept]).sum())
        total_planted += int(key[kept].sum())
    result = {"design": design, "units_per_group": n, "terms": terms, "ratio": ratio,
              "replicates": replicates}  # fmt: skip
    if ratio == 1.0:
        result |= {"any_flag": round(anyflag / replicates, 4),
                   "flagged_share": round(share / replicates, 6),
                   "mann_whitney_any_flag": round(old_any / replicates, 4)}  # fmt: skip
    else:
        flagged = found + false_found
        result |= {"power": round(found / max(total_planted, 1), 4),
                   "false_discovery_proportion": round(false_found / flagged, 4) if flagged
                   else None}  # fmt: skip
    return result


def synthetic_calibration(sizes, replicates: int, seed: int, permutations: int,
                          keyness_replicates: int) -> dict:  # fmt: skip
    nulls = [design_run(d, n, replicates, seed, permutations) for d in DESIGNS for n in sizes]
    power = [design_run(d, n, replicates, seed, permutations, ratio)
             for d in POWER_DESIGNS for ratio in POWER_RATIOS for n in sizes]  # fmt: skip
    keyness = [keyness_run(d, n, keyness_replicates, seed)
               for d in ("interchangeable", "lengths differ", "one group burstier") for n in sizes]  # fmt: skip
    keyness_power = [keyness_run("interchangeable", n, keyness_replicates, seed, ratio=3.0)
                     for n in sizes]  # fmt: skip
    return {"nulls": nulls, "power": power, "keyness": keyness, "keyness_power": keyness_power}


# -- random splits of a real corpus ----------------------------------------------------------


def split_groups(processed, size: int, rng: np.random.Generator):
    """Two disjoint random groups of ``size`` documents, as a corpus with a ``split`` column."""
    ids = processed.documents["id"].to_numpy()
    chosen = rng.choice(len(ids), size=2 * size, replace=False)
    label = dict(zip(ids[chosen], ["a"] * size + ["b"] * size, strict=True))
    sub = processed.select(ids=set(label))
    corpus = sub.documents.assign(split=sub.documents["id"].map(label))
    return replace(sub, documents=corpus)


def population_rates(processed) -> np.ndarray:
    """Pooled rate per theme of every document (per 1,000 tokens): the truth splits estimate."""
    from rhetoric.measures.rates import document_counts

    hits, tokens = document_counts(processed)
    return hits.sum(axis=0) / tokens.sum() * 1000


def one_split(processed, size: int, rng, truth: np.ndarray, permutations: int) -> dict:
    """Coverage, verdicts and keyness flags of one random split."""
    from rhetoric.measures import compare_groups, keyness, theme_rates
    from rhetoric.measures.inference import benjamini_hochberg

    sub = split_groups(processed, size, rng)
    rates = theme_rates(sub, by="split")
    n_themes = len(truth)
    true = np.tile(truth, 2)
    given = rates["ci_low"].notna().to_numpy()
    inside = (rates["ci_low"].to_numpy() <= true) & (true <= rates["ci_high"].to_numpy())
    exact = (rates["exact_low"].to_numpy() <= true) & (true <= rates["exact_high"].to_numpy())
    compared = compare_groups(sub, a="a", b="b", by="split", permutations=permutations)
    verdicts = compared["verdict"].to_numpy()
    key = keyness(sub, target="a", reference="b", by="split")
    return {
        "interval_given": given.reshape(2, n_themes).tolist(),
        "covered": (inside & given).reshape(2, n_themes).tolist(),
        "exact_covered": exact.reshape(2, n_themes).tolist(),
        "verdict_positive": np.isin(verdicts, ["a_higher", "b_higher"]).tolist(),
        "underpowered": (verdicts == "underpowered").tolist(),
        "terms": len(key),
        "doc_flagged": int((key["doc_p_adjusted"] < ALPHA).sum()),
        "token_bh_flagged": int((benjamini_hochberg(key["p_value"].to_numpy()) < ALPHA).sum()),
    }


def speech_calibration(processed, sizes, splits: int, seed: int, permutations: int) -> dict:
    """Per size, the summaries of ``splits`` random splits (see :func:`summarise_splits`)."""
    truth = population_rates(processed)
    themes = [t.id for t in processed.themes]
    results = {}
    for size in sizes:
        rng = np.random.default_rng([seed, size])
        records = [one_split(processed, size, rng, truth, permutations) for _ in range(splits)]
        results[str(size)] = summarise_splits(records, themes)
    return results


def summarise_splits(records: list[dict], themes: list[str]) -> dict:
    """Coverage per theme, false verdicts, keyness flags."""
    given = np.asarray([r["interval_given"] for r in records]).reshape(-1, len(themes))
    covered = np.asarray([r["covered"] for r in records]).reshape(-1, len(themes))
    exact = np.asarray([r["exact_covered"] for r in records]).reshape(-1, len(themes))
    positive = np.asarray([r["verdict_positive"] for r in records])
    terms = np.asarray([max(r["terms"], 1) for r in records], dtype=float)
    flagged = np.asarray([r["doc_flagged"] for r in records])
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = covered.sum(axis=0) / given.sum(axis=0)
    return {
        "splits": len(records),
        "themes": themes,
        "interval_share_given": float(given.mean()),
        "coverage_by_theme": [None if np.isnan(c) else round(float(c), 4) for c in coverage],
        "coverage_min": None if np.isnan(coverage).all() else round(float(np.nanmin(coverage)), 4),
        "exact_coverage_min": round(float(exact.mean(axis=0).min()), 4),
        "underpowered_share": round(float(np.mean([r["underpowered"] for r in records])), 4),
        "verdict_false_positive_max": round(float(positive.mean(axis=0).max()), 4),
        "splits_with_any_verdict": round(float(positive.any(axis=1).mean()), 4),
        "keyness_terms_mean": round(float(terms.mean()), 1),
        "keyness_any_flag": round(float((flagged > 0).mean()), 4),
        "keyness_doc_flagged_share": round(float(np.mean(flagged / terms)), 6),
        "keyness_token_bh_flagged_mean": round(
            float(np.mean([r["token_bh_flagged"] for r in records])), 1
        ),
    }


def speech_corpus(speeches: Path, where: Path):
    """The processed speeches (imported into ``where`` with the benchmark's importer)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    from rhetoric.pipeline import process_corpus

    if not (where / "corpus.csv").is_file():
        bench.import_corpus(where, speeches)
    return process_corpus(where)


# -- the report ----------------------------------------------------------------------------------


def _cell(value, fmt: str, target=None, above: bool = False) -> str:
    if value is None:
        return "—"
    text = fmt.format(value)
    if target is not None and ((value < target) if above else (value > target)):
        return f"**{text}** ✗"
    return text


def speech_table(speeches: dict) -> str:
    sizes = list(speeches)
    rows = [
        ("splits", "splits", "{}", None, False),
        ("interval coverage, lowest theme (target ≥ 0.93)", "coverage_min", "{:.3f}", 0.93, True),
        ("exact Poisson (tokens independent) coverage, lowest theme", "exact_coverage_min",
         "{:.3f}", None, False),
        ("false verdicts, highest theme", "verdict_false_positive_max", "{:.3f}", None, False),
        ("splits with any false verdict (target ≤ 0.07)", "splits_with_any_verdict", "{:.3f}",
         TARGET_FALSE, False),
        ("themes called underpowered (share)", "underpowered_share", "{:.3f}", None, False),
        ("keyness terms (mean)", "keyness_terms_mean", "{:.0f}", None, False),
        ("splits with any keyness flag (target ≤ 0.05)", "keyness_any_flag", "{:.3f}",
         TARGET_FDR, False),
        ("token-level G² terms flagged after BH (mean count)", "keyness_token_bh_flagged_mean",
         "{:.1f}", None, False),
    ]  # fmt: skip
    lines = ["| documents per group | " + " | ".join(sizes) + " |",
             "|---|" + "---|" * len(sizes)]  # fmt: skip
    for title, name, fmt, target, above in rows:
        cells = [_cell(speeches[s][name], fmt, target, above) for s in sizes]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _by_design(rows: list[dict], name: str, fmt: str, target=None, above=False,
               show=None) -> str:  # fmt: skip
    """A table of designs × units per group: each cell the row's ``name`` in ``fmt`` (marked
    against ``target``), or ``show(row)`` when given."""
    designs = list(dict.fromkeys(r["design"] for r in rows))
    sizes = sorted({r["units_per_group"] for r in rows})
    lines = ["| design | " + " | ".join(f"{n} units" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]  # fmt: skip
    for design in designs:
        cells = []
        for n in sizes:
            match = [r for r in rows if r["design"] == design and r["units_per_group"] == n]
            row = match[0] if match else None
            cells.append(show(row) if show is not None else
                         _cell(row.get(name) if row else None, fmt, target, above))  # fmt: skip
        lines.append(f"| {design} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_readme(results: dict) -> str:
    """validation/README.md from a results dict (the whole file; nothing is hand-edited)."""
    synthetic = results["synthetic"]
    nulls, power = synthetic["nulls"], synthetic["power"]
    events = [r for r in nulls if r["design"] == "event-clustered"]
    power_rows = [dict(r, design=f"{r['design']}, a × {r['ratio']}") for r in power]
    parts = [
        _INTRO.format(
            command=results["command"], machine=results["machine"], seconds=results["seconds"]
        ),
        "## Random splits of the speeches\n",
        speech_table(results["speeches"]),
        "",
        "## Null designs: every directional verdict is false\n",
        (
            "Share of replicates with at least one `a_higher` / `b_higher` among the nine themes "
            f"(family-wise; target ≤ {TARGET_FALSE}, ✗ where missed):\n"
        ),
        _by_design(nulls, "false_verdict_any", "{:.3f}", TARGET_FALSE),
        "",
        (
            "The same event-clustered corpora with every article counted as an independent "
            "document (the unit before issue 31):\n"
        ),
        _by_design(
            [dict(r, design="event-clustered, documents as units") for r in events],
            "false_verdict_any_documents_as_units",
            "{:.3f}",
            TARGET_FALSE,
        ),
        "",
        "Group interval coverage, lowest of the nine themes (target ≥ 0.90 here):\n",
        _by_design(nulls, "coverage_min", "{:.3f}", 0.90, True),
        "",
        (
            "Coverage of the bound given to a group without any hit ([0, the negative binomial "
            "bound]; groups without a hit in brackets):\n"
        ),
        _zero_table(nulls),
        "",
        "## Power: share of themes called `a_higher` when group a's rates are higher\n",
        _by_design(power_rows, "power", "{:.3f}"),
        "",
        (
            "Share of themes called `underpowered` (the test could not have found a doubling) "
            "in the null designs:\n"
        ),
        _by_design(nulls, "underpowered_share", "{:.3f}"),
        "",
        "## Keyness: the document-level test on 2,000 synthetic words\n",
        (
            "Null words, share of replicates with any flag after Benjamini–Hochberg (= the false "
            f"discovery rate when no word differs; target ≤ {TARGET_FDR}):\n"
        ),
        _by_design(synthetic["keyness"], "any_flag", "{:.3f}", TARGET_FDR),
        "",
        "Mann–Whitney on relative frequencies, the test before issue 31, on the same words:\n",
        _by_design(synthetic["keyness"], "mann_whitney_any_flag", "{:.3f}", TARGET_FDR),
        "",
        (
            "5% of the words three times as frequent in group a: share of them flagged, and the "
            "share of flags that are false (— where nothing was flagged):\n"
        ),
        _by_design(synthetic["keyness_power"], "power", "{:.3f}"),
        "",
        _by_design(synthetic["keyness_power"], "false_discovery_proportion", "{:.3f}", TARGET_FDR),
        "",
        _OUTRO.format(**_outro_numbers(results)),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _outro_numbers(results: dict) -> dict:
    """The numbers the closing bullets quote, from the results (never typed in)."""
    synthetic = results["synthetic"]
    worst = max((r["any_flag"] for r in synthetic["keyness"]), default=0.0)
    covered = [r["coverage_min"] for r in synthetic["nulls"]]
    speech = [v["coverage_min"] for v in results["speeches"].values()
              if v["coverage_min"] is not None]  # fmt: skip
    return {
        "double20": _share(synthetic["power"], "interchangeable", 2.0, 20, "power"),
        "triple50": _share(synthetic["keyness_power"], "interchangeable", 3.0, 50, "power"),
        "mw_worst": f"{max((r['mann_whitney_any_flag'] for r in synthetic['keyness']), default=0):.0%}",
        "null_flags": "flags nothing in any design"
        if worst == 0
        else f"flags words in at most {worst:.0%} of the replicates of a design",
        "synthetic_coverage": f"{min(covered):.3f}–{max(covered):.3f}" if covered else "—",
        "speech_coverage": f"{min(speech):.3f}–{max(speech):.3f}" if speech else "—",
    }


def _share(rows: list[dict], design: str, ratio: float, n: int, name: str) -> str:
    for r in rows:
        if r["design"] == design and r["ratio"] == ratio and r["units_per_group"] == n:
            return f"{r[name]:.0%}"
    return "(not measured)"


def _zero_table(rows: list[dict]) -> str:
    def show(r):
        if r is None or r["zero_hit_coverage"] is None:
            return "—"
        return f"{r['zero_hit_coverage']:.3f} ({r['zero_hit_groups']})"

    return _by_design(rows, "zero_hit_coverage", "", show=show)


_INTRO = """# Validation: are the intervals and tests calibrated?

*Generated by `validation/calibrate.py` from `validation/results.json`; do not edit by hand
(`make calibrate` writes both; `tests/test_validation.py` checks that they agree).*

Documents differ in how much they use a theme far more than tokens drawn at random would
(`../shared/docs/notes-statistics.md`), and documents of one event (a statement and the
articles that quote it) move together. So every group interval and test takes the **unit**
(a document, or an event when documents cluster) as the unit of sampling. This folder measures
whether that holds up on data where the truth is known: do 95% intervals cover it, do 5% tests
say "different" about 5% of the time or less, and what do they find when there is something to
find?

## What is measured

- **Random splits of the presidential speeches** (`../shared/corpora/presidential-speeches/`,
  imported as `benchmarks/bench.py` does): two disjoint random groups of n speeches. Each group's
  interval should cover the pooled rate of all speeches; any verdict or keyness flag is false.
  Random groups are interchangeable: the easy case.
- **Synthetic null designs** where the groups are *not* interchangeable, as US–Russia and
  Russia–China coverage are not: nine themes (0.3 to 20 per 1,000 tokens), unit lengths
  log-normal (σ 0.8) around each group's median, hits Poisson(R·G·t) with G ~ Gamma(k, 1/k)
  (smaller k: burstier). Designs: interchangeable (1,500 tokens, k = 1 both); lengths differ
  (400 against 3,000 tokens); one group burstier (k 0.5 against 2); far burstier (0.3 against 3);
  short *and* burstier; event-clustered (each event 1–6 articles of ~800 tokens sharing the
  event's G, their own spread Gamma(4, 1/4)). Through `compare_units` (the comparison of
  `compare_groups` from counts per unit), the group intervals of `theme_rates`, and the keyness
  test (`score_pvalues`).

Command and machine: `{command}` on {machine}, {seconds} s. Every draw is seeded. `make test`
runs a small seeded version (`tests/test_validation.py`).
"""

_OUTRO = """## How to read this

- A **bold ✗** marks a number that misses its target. Nothing here is tuned to pass: the
  designs and targets were fixed before the numbers were run, and a miss is reported.
- `compare` takes the larger p of a permutation test (exact when the groups are
  interchangeable) and a parametric bootstrap that keeps each group's own spread, both on the
  studentized log rate ratio. The permutation test alone let a burstier group's chance lows
  through (issue 31's audit: 27–48% false verdicts with the plain difference of rates); the
  misses left (✗ above) are in designs where one group is burstier than the other, above
  all ten times burstier (gamma shape 0.3 against 3): a sample that missed a bursty group's
  bursts looks like a low rate, and few units cannot tell the two apart. At 5 units a group no
  verdict is possible at all (every theme `underpowered`), so those columns show nothing
  about calibration.
  Counting the articles of one event as independent documents gives the false verdicts of the
  second table; events as the unit remove them.
- Power is low, and the verdicts say so: at 20 units a group a doubled rate is found for
  {double20} of the themes, and most themes are called `underpowered` (the test could not
  have found a doubling) rather than `no_clear_difference`.
- The bound of a group without any hit has no target of its own: it is scored only on the
  groups that had none (a selected, unlucky set: at 10 units and more most of them are rare
  themes that the group missed by chance), and its misses are part of the coverage table
  above it. The synthetic coverage target is 0.90 (the issue's for bursty themes); the
  speech splits' is 0.93.
- Keyness trades power for honesty: its test measures each side's spread around the pooled
  rate, so a side that missed a bursty word's bursts does not look certain. On null words it
  {null_flags}, where the Mann–Whitney test it replaced flagged words in up to {mw_worst} of
  the replicates once the groups' lengths or spread differ; it finds {triple50} of the tripled
  words at 50 units a group. The token-level columns (G², Log Ratio) remain for exploration,
  and flag hundreds of words on random halves of one corpus.
- The group intervals over units: the lowest theme covers {synthetic_coverage} in the
  synthetic designs and {speech_coverage} on the speech splits, against 0.93 asked there;
  they miss mostly low, where a group's rate rests on a few units that use the theme heavily.
  Their t quantile has Satterthwaite degrees of freedom (`inference.rate_interval`): a rate
  that rests on a few long or bursty units gets nearly as few, and a wider interval. With
  n − 1 degrees of freedom the lowest theme covered about 0.90 on the same splits.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeches", type=Path, default=SPEECHES)
    parser.add_argument("--data", type=Path, help="an imported speeches data directory to reuse")
    parser.add_argument("--split-sizes", type=int, nargs="+", default=list(SPLIT_SIZES))
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--splits", type=int, default=200, help="random splits per size")
    parser.add_argument("--replicates", type=int, default=500, help="synthetic replicates")
    parser.add_argument("--keyness-replicates", type=int, default=40)
    parser.add_argument("--permutations", type=int, default=1999)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--readme", type=Path, help="write the README generated from them here")
    args = parser.parse_args(argv)
    if not args.speeches.is_dir() and args.data is None:
        print(f"{args.speeches}: speeches corpus not found (fix: --speeches DIR)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data or Path(scratch) / "speeches"
        processed = speech_corpus(args.speeches, data)
        speeches = speech_calibration(processed, args.split_sizes, args.splits, args.seed,
                                      args.permutations)  # fmt: skip
    synthetic = synthetic_calibration(args.sizes, args.replicates, args.seed, args.permutations,
                                      args.keyness_replicates)  # fmt: skip
    command = "python validation/calibrate.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]))  # fmt: skip
    results = {
        "command": command.strip(),
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "seconds": round(time.perf_counter() - started),
        "speeches": speeches,
        "synthetic": synthetic,
    }
    text = render_readme(results)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.readme:
        args.readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
