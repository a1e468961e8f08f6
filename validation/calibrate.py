"""Measured calibration of the document-level statistics (issue 17).

Two kinds of null data, run through the package's public functions:

- **random splits of the presidential speeches**: two disjoint groups of n
  speeches drawn at random (a real null: no true difference between random
  groups). Per split: :func:`rhetoric.measures.rates.theme_rates` (does each group's
  interval cover the rate of all speeches?), :func:`rhetoric.measures.rates.compare_groups`
  (how often does a theme get a verdict other than no difference?) and
  :func:`rhetoric.measures.keyterms.keyness` (what share of terms is flagged after
  Benjamini–Hochberg?);
- **synthetic gamma-heterogeneous corpora**: per document y ~ Poisson(R · G · t)
  with G ~ Gamma(k, 1/k), through :mod:`rhetoric.measures.inference` (the same functions
  the measures call): interval coverage and permutation-test false positives.

Usage::

    python validation/calibrate.py                 # the full run recorded in README.md
    python validation/calibrate.py --splits 20     # a quicker look

``make calibrate`` runs the full version and writes ``validation/results.json``.
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SPEECHES = ROOT.parent / "shared" / "corpora" / "presidential-speeches"
SIZES = (5, 20, 50)
ALPHA = 0.05
#: Synthetic settings: gamma shape k of the document multiplier, rate per 1,000 tokens.
SHAPES = (0.2, 0.5, 1.0, 2.0)
RATES = (2.0, 20.0)


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
    from rhetoric.measures.inference import benjamini_hochberg

    return {
        "interval_given": given.reshape(2, n_themes).tolist(),
        "covered": (inside & given).reshape(2, n_themes).tolist(),
        "exact_covered": exact.reshape(2, n_themes).tolist(),
        "verdict_positive": np.isin(verdicts, ["a_higher", "b_higher"]).tolist(),
        "too_few": bool((verdicts == "too_few_documents").all()),
        "p_below_alpha": (compared["p_value"].to_numpy() < ALPHA).tolist(),
        "terms": len(key),
        "doc_flagged": int((key["doc_p_adjusted"] < ALPHA).sum()),
        "token_flagged": int((key["p_value"] < ALPHA).sum()),
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
    """Coverage per theme, false-positive rate per theme, keyness shares."""
    given = np.asarray([r["interval_given"] for r in records]).reshape(-1, len(themes))
    covered = np.asarray([r["covered"] for r in records]).reshape(-1, len(themes))
    exact = np.asarray([r["exact_covered"] for r in records]).reshape(-1, len(themes))
    positive = np.asarray([r["verdict_positive"] for r in records])
    below = np.asarray([r["p_below_alpha"] for r in records])
    terms = np.asarray([max(r["terms"], 1) for r in records], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = covered.sum(axis=0) / given.sum(axis=0)
    return {
        "splits": len(records),
        "themes": themes,
        "interval_share_given": float(given.mean()),
        "coverage_by_theme": [None if np.isnan(c) else round(float(c), 4) for c in coverage],
        "coverage_min": None if np.isnan(coverage).all() else round(float(np.nanmin(coverage)), 4),
        "exact_coverage_by_theme": [round(float(c), 4) for c in exact.mean(axis=0)],
        "too_few_share": float(np.mean([r["too_few"] for r in records])),
        "verdict_false_positive_by_theme": [round(float(v), 4) for v in positive.mean(axis=0)],
        "verdict_false_positive_max": round(float(positive.mean(axis=0).max()), 4),
        "splits_with_any_verdict": round(float(positive.any(axis=1).mean()), 4),
        "permutation_p_below_alpha_by_theme": [round(float(v), 4) for v in below.mean(axis=0)],
        "keyness_terms_mean": round(float(terms.mean()), 1),
        "keyness_doc_flagged_share": round(
            float(np.mean([r["doc_flagged"] / t for r, t in zip(records, terms, strict=True)])), 5
        ),
        "keyness_doc_flagged_mean": round(float(np.mean([r["doc_flagged"] for r in records])), 3),
        "keyness_token_p05_share": round(
            float(np.mean([r["token_flagged"] / t for r, t in zip(records, terms, strict=True)])),
            4,
        ),
        "keyness_token_bh_flagged_mean": round(
            float(np.mean([r["token_bh_flagged"] for r in records])), 1
        ),
    }


# -- synthetic gamma-heterogeneous corpora ------------------------------------------------------


def synthetic_lengths(shape, rng) -> np.ndarray:
    """Document lengths in word tokens: log-normal, median about 1,500 (like speeches)."""
    return np.maximum(50, np.round(rng.lognormal(np.log(1500), 0.8, shape))).astype(np.int64)


def synthetic_setting(size: int, shape: float, rate: float, replicates: int, seed: int,
                      permutations: int) -> dict:  # fmt: skip
    """Coverage of the GLM interval and false positives of the permutation test, null groups.

    Both groups draw documents (lengths and gamma multipliers) from one population (rate
    ``rate`` per 1,000, gamma shape ``shape``). Each replicate is a column of new documents.
    """
    from rhetoric.measures.inference import (
        exact_poisson_interval,
        permutation_pvalues,
        rate_interval,
    )

    rng = np.random.default_rng([seed, size, int(shape * 100), int(rate * 10)])

    def group():
        t = synthetic_lengths((size, replicates), rng)
        multiplier = rng.gamma(shape, 1 / shape, size=(size, replicates))
        return rng.poisson(multiplier * t * rate / 1000), t

    (y_a, t_a), (y_b, t_b) = group(), group()
    truth = rate / 1000
    covered = 0
    for y, t in ((y_a, t_a), (y_b, t_b)):
        _rate, low, high = rate_interval(y, t)
        zero = y.sum(axis=0) == 0
        upper = exact_poisson_interval(0, t.sum(axis=0))[1]
        low, high = np.where(zero, 0.0, low), np.where(zero, upper, high)
        covered += int(((low <= truth) & (truth <= high)).sum())
    p_values, _exact = permutation_pvalues(y_a, t_a, y_b, t_b, permutations=permutations,
                                           seed=[seed, size])  # fmt: skip
    return {
        "documents_per_group": size,
        "gamma_shape": shape,
        "rate_per_1000": rate,
        "replicates": replicates,
        "coverage": round(covered / (2 * replicates), 4),
        "permutation_false_positive": round(float((p_values < ALPHA).mean()), 4),
    }


def synthetic_keyness(size: int, terms: int, seed: int) -> dict:
    """Share of null terms flagged by Mann–Whitney + Benjamini–Hochberg (heterogeneous rates)."""
    from rhetoric.measures.inference import benjamini_hochberg, mann_whitney_pvalues

    rng = np.random.default_rng([seed, size, terms])
    t = synthetic_lengths(2 * size, rng)
    rates = rng.lognormal(np.log(0.5), 1.5, terms) / 1000  # per token: rare and common words
    shapes = rng.choice(SHAPES, terms)
    multiplier = rng.gamma(shapes, 1 / shapes, size=(2 * size, terms))
    y = rng.poisson(multiplier * rates * t[:, None])
    relative = y / t[:, None]
    p = mann_whitney_pvalues(relative[:size], relative[size:])
    return {
        "documents_per_group": size,
        "terms": terms,
        "flagged_share": round(float((benjamini_hochberg(p) < ALPHA).mean()), 5),
        "unadjusted_p05_share": round(float((p < ALPHA).mean()), 4),
    }


def variance_variants(replicates: int, seed: int) -> list[dict]:
    """Why HC3: coverage of the log-rate Wald interval (t, n−1 df) with the HC1 variance
    (HC0 × n/(n−1)) and with HC3, on the most heterogeneous synthetic settings."""
    from scipy.special import stdtrit

    rows = []
    for size in (5, 10, 20, 50):
        for shape in (0.2, 0.3):
            for rate in RATES:
                rng = np.random.default_rng([seed, size, int(shape * 100), int(rate * 10), 3])
                t = synthetic_lengths((size, replicates), rng).astype(float)
                y = rng.poisson(rng.gamma(shape, 1 / shape, (size, replicates)) * t * rate / 1000)
                total_y, total_t = y.sum(axis=0), t.sum(axis=0)
                pooled = total_y / total_t
                squared = (y - pooled * t) ** 2
                hc1 = size / (size - 1) * squared.sum(axis=0)
                hc3 = (squared / (1 - t / total_t) ** 2).sum(axis=0)
                row = {"documents_per_group": size, "gamma_shape": shape, "rate_per_1000": rate}
                for name, variance in (("HC1", hc1), ("HC3", hc3)):
                    with np.errstate(invalid="ignore", divide="ignore"):
                        spread = np.exp(stdtrit(size - 1, 0.975) * np.sqrt(variance) / total_y)
                        inside = (pooled / spread <= rate / 1000) & (
                            rate / 1000 <= pooled * spread
                        )
                    row[name] = round(float(np.where(total_y > 0, inside, True).mean()), 4)
                rows.append(row)
    return rows


def synthetic_calibration(sizes, replicates: int, seed: int, permutations: int) -> dict:
    settings = [
        synthetic_setting(size, shape, rate, replicates, seed, permutations)
        for size in sizes
        for shape in SHAPES
        for rate in RATES
    ]
    keyness = [synthetic_keyness(size, 2000, seed) for size in sizes]
    variants = variance_variants(replicates, seed)
    return {"settings": settings, "keyness": keyness, "variance_variants": variants}


# -- the report ----------------------------------------------------------------------------------


def speech_corpus(speeches: Path, where: Path):
    """The processed speeches (imported into ``where`` with the benchmark's importer)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    from rhetoric.pipeline import process_corpus

    if not (where / "corpus.csv").is_file():
        bench.import_corpus(where, speeches)
    return process_corpus(where)


def markdown(results: dict) -> str:
    """The tables of validation/README.md from a results dict."""
    lines = ["| documents per group | " + " | ".join(results["speeches"]) + " |",
             "|---|" + "---|" * len(results["speeches"])]  # fmt: skip
    rows = [
        ("splits", "splits", "{}"),
        ("share of group × theme with an interval", "interval_share_given", "{:.2f}"),
        ("interval coverage, lowest theme", "coverage_min", "{:.3f}"),
        ("exact Poisson (tokens independent) coverage, lowest theme", None, "{:.3f}"),
        ("verdict false positives, highest theme", "verdict_false_positive_max", "{:.3f}"),
        ("splits with any verdict", "splits_with_any_verdict", "{:.3f}"),
        ("keyness terms (mean)", "keyness_terms_mean", "{:.0f}"),
        ("terms flagged, doc_p_adjusted < 0.05 (mean share)", "keyness_doc_flagged_share",
         "{:.5f}"),
        ("terms at token p < 0.05 (mean share)", "keyness_token_p05_share", "{:.3f}"),
        ("terms flagged, token p after BH (mean count)", "keyness_token_bh_flagged_mean",
         "{:.1f}"),
    ]  # fmt: skip
    for title, name, fmt in rows:
        cells = []
        for summary in results["speeches"].values():
            value = min(summary["exact_coverage_by_theme"]) if name is None else summary[name]
            cells.append("—" if value is None else fmt.format(value))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += ["", "| n per group | gamma shape k | rate /1,000 | coverage | permutation FP |",
              "|---|---|---|---|---|"]  # fmt: skip
    for s in results["synthetic"]["settings"]:
        lines.append(f"| {s['documents_per_group']} | {s['gamma_shape']} | {s['rate_per_1000']} "
                     f"| {s['coverage']:.3f} | {s['permutation_false_positive']:.3f} |")  # fmt: skip
    lines += [
        "",
        "| n per group | terms | flagged after BH | unadjusted p < 0.05 |",
        "|---|---|---|---|",
    ]
    for s in results["synthetic"]["keyness"]:
        lines.append(f"| {s['documents_per_group']} | {s['terms']} | {s['flagged_share']:.5f} "
                     f"| {s['unadjusted_p05_share']:.3f} |")  # fmt: skip
    if "variance_variants" in results["synthetic"]:
        lines += ["", "| n per group | gamma shape k | rate /1,000 | HC1 coverage | HC3 coverage |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for s in results["synthetic"]["variance_variants"]:
            lines.append(f"| {s['documents_per_group']} | {s['gamma_shape']} | "
                         f"{s['rate_per_1000']} | {s['HC1']:.3f} | {s['HC3']:.3f} |")  # fmt: skip
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeches", type=Path, default=SPEECHES)
    parser.add_argument("--data", type=Path, help="an imported speeches data directory to reuse")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--splits", type=int, default=200, help="random splits per size")
    parser.add_argument(
        "--replicates", type=int, default=2000, help="synthetic groups per setting"
    )
    parser.add_argument("--permutations", type=int, default=9999)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    if not args.speeches.is_dir() and args.data is None:
        print(f"{args.speeches}: speeches corpus not found (fix: --speeches DIR)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data or Path(scratch) / "speeches"
        processed = speech_corpus(args.speeches, data)
        speeches = speech_calibration(processed, args.sizes, args.splits, args.seed,
                                      args.permutations)  # fmt: skip
    synthetic = synthetic_calibration(args.sizes, args.replicates, args.seed, args.permutations)
    results = {
        "command": "python validation/calibrate.py " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "seconds": round(time.perf_counter() - started, 1),
        "speeches": speeches,
        "synthetic": synthetic,
    }
    print(markdown(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
