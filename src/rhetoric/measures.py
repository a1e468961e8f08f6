""":mod:`rhetoric.measures`: counts, rates with intervals, keyness and dispersion.

Every function takes a :class:`rhetoric.pipeline.Processed` corpus and returns
a tidy DataFrame whose docstring lists each column and its convention.

Conventions used throughout:

- **tokens**: all word tokens after cleaning (stopwords are never removed
  from a denominator); rates are per 1,000 such tokens.
- **groups**: ``by`` names a document variable: ``document`` (id), ``dyad``
  (sorted party codes, ``RU-US``), ``year``, ``kind``, ``outlet``, ``corpus``
  (everything in one group), or any extra corpus.csv column.
- **logs**: natural logs unless a column says ``log2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal
import zlib

import numpy as np
import pandas as pd

from rhetoric import parallel
from rhetoric.errors import RhetoricInputError
from rhetoric.tokentable import (
    codes,
    document_groups,
    hit_rows,
    resolve_group,
    sentence_ids,
    token_groups,
)

__all__ = [
    "DEFAULT_SEED",
    "compare_theme_rates",
    "dispersion",
    "display_stopwords",
    "document_groups",
    "g2",
    "keyness",
    "log_odds_dirichlet",
    "log_ratio",
    "resolve_group",
    "term_frequencies",
    "theme_rates",
]

#: Seed of every bootstrap; each group draws from its own stream derived from
#: this seed and the group's name, so adding a document to one group leaves
#: the other groups' intervals unchanged.
DEFAULT_SEED = 1945
DEFAULT_DRAWS = 2000
#: Codes of the token table's ``voice`` categories.
VOICE_CODES = {"narration": 0, "quoted": 1}
Unit = Literal["lower", "stem"]


@lru_cache(maxsize=1)
def display_stopwords() -> frozenset[str]:
    """The project's display stopword list (``stopwords.txt``; keeps pronouns, modals, negations)."""
    text = resources.files("rhetoric").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# -- term frequencies ----------------------------------------------------------------


def term_frequencies(
    processed,
    *,
    by: str = "document",
    top: int | None = 20,
    unit: Unit = "lower",
    stopwords: bool = True,
) -> pd.DataFrame:
    """Most frequent terms per group.

    Parameters
    ----------
    by : document variable to group by (see the module docstring).
    top : terms kept per group (None: all).
    unit : ``lower`` (lowercase word forms) or ``stem`` (Snowball stems).
    stopwords : hide the display stopwords (:func:`display_stopwords`); they
        still count in ``tokens``.

    Returns
    -------
    DataFrame
        ``group``, ``term``, ``count``, ``tokens`` (all word tokens of the
        group: the denominator), ``per_1000`` (count / tokens × 1,000),
        ``rank`` (1 = most frequent; ties broken alphabetically). Groups in
        corpus order.
    """
    group_codes, names = token_groups(processed, by)
    column = processed.tokens[unit]
    term_codes = codes(column)
    categories = column.cat.categories
    n_terms = len(categories)
    key = group_codes.astype(np.int64) * max(n_terms, 1) + term_codes
    counts = np.bincount(key, minlength=len(names) * max(n_terms, 1)).reshape(
        len(names), max(n_terms, 1)
    )
    totals = np.bincount(group_codes, minlength=len(names))
    hidden = np.zeros(n_terms, dtype=bool)
    if stopwords and n_terms:
        stop = display_stopwords()
        hidden = np.asarray([t in stop or not any(ch.isalpha() for ch in t) for t in categories])
    rows = []
    for g, name in enumerate(names):
        row = counts[g, :n_terms]
        nonzero = np.flatnonzero((row > 0) & ~hidden)
        order = sorted(nonzero, key=lambda i: (-row[i], categories[i]))
        if top is not None:
            order = order[:top]
        for rank, i in enumerate(order, start=1):
            rows.append((name, categories[i], int(row[i]), int(totals[g]), rank))
    frame = pd.DataFrame(rows, columns=["group", "term", "count", "tokens", "rank"])
    frame.insert(4, "per_1000", frame["count"] / frame["tokens"] * 1000)
    return frame.astype(
        {"count": "int64", "tokens": "int64", "rank": "int64", "per_1000": "float64"}
    )


# -- theme rates ---------------------------------------------------------------------


def _group_seed(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _bootstrap(
    hits: np.ndarray, tokens: np.ndarray, draws: int, rng, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of sum(hits)/sum(tokens)×1000 over sentences drawn with replacement.

    ``hits``: sentences × themes; ``tokens``: per sentence (all > 0). Each
    draw picks n sentence indices uniformly with replacement; their counts
    (a bincount) weight the sentences. Returns (low, high) per theme.
    """
    n, themes = len(tokens), hits.shape[1]
    if n == 0 or draws == 0:
        return np.full(themes, np.nan), np.full(themes, np.nan)
    rates = np.empty((draws, themes))
    # draws in chunks of about 250,000 picks (2,000,000 measured 10% slower: bigger temporary
    # arrays); the generator's stream, and so every draw, is the same whatever the chunk size
    chunk = max(1, min(draws, 250_000 // n))
    offsets = np.arange(chunk, dtype=np.int64)[:, None] * n
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        picks = rng.integers(0, n, size=(size, n), dtype=np.int32)
        weights = np.bincount((picks + offsets[:size]).ravel(), minlength=size * n).reshape(
            size, n
        )
        weights = weights.astype(np.float64)
        rates[done : done + size] = (weights @ hits) / (weights @ tokens)[:, None] * 1000
        done += size
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(rates, [tail, 100 - tail], axis=0)
    return low, high


def _bootstrap_job(hits, tokens, draws, stream: str, seed: int, level: float):
    return _bootstrap(hits, tokens, draws, _group_seed(seed, stream), level)


#: Below this many sentence draws (sentences × draws, summed over groups), bootstrapping
#: on one process is faster than starting a pool.
_POOL_MIN_DRAWS = 50_000_000


def _bootstrap_groups(jobs, draws: int, seed: int, level: float, workers):
    """Intervals for many groups: ``jobs`` are (hits, tokens, stream), on a process pool when
    there is enough work (the same results either way: each group has its own stream)."""
    pieces = [(hits, tokens, draws, stream, seed, level) for hits, tokens, stream in jobs]
    work = sum(len(tokens) for _hits, tokens, _stream in jobs) * draws
    workers = parallel.worker_count(workers, work, _POOL_MIN_DRAWS, len(pieces))
    return parallel.map_pieces(_bootstrap_job, pieces, workers=workers)


def _poisson_interval(
    count: np.ndarray, tokens: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson rate, per 1,000 tokens."""
    alpha = 1 - level
    count = np.asarray(count, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        from scipy.special import gammaincinv

        # chi2.ppf(q, 2k) / 2 = the inverse regularized lower incomplete gamma function at (k, q)
        low = np.where(count > 0, gammaincinv(np.maximum(count, 1e-300), alpha / 2), 0.0)
        high = gammaincinv(count + 1, 1 - alpha / 2)
        scale = np.where(tokens > 0, 1000 / np.asarray(tokens, dtype=float), np.nan)
    return low * scale, high * scale


@dataclass(frozen=True)
class _SentenceCounts:
    """Per sentence of the corpus, for one voice (or all tokens): what the bootstrap resamples."""

    tokens: np.ndarray  # word tokens of that voice
    hits: np.ndarray  # sentences × themes: hits not negated
    group: np.ndarray  # the sentence's group code
    negated: np.ndarray  # groups × themes: negated hits


def _sentence_counts(processed, group_codes, n_groups: int, voice: int | None) -> _SentenceCounts:
    """Count tokens and hits per sentence; ``voice``: a voice code, or None for all tokens."""
    tokens, hits = processed.tokens, processed.hits
    n_themes = len(processed.themes)
    sentence_of_token = sentence_ids(tokens)
    n_sentences = int(sentence_of_token.max()) + 1 if len(sentence_of_token) else 0
    token_mask = np.ones(len(tokens), bool) if voice is None else codes(tokens["voice"]) == voice
    first = hit_rows(tokens, hits)
    hit_theme = codes(hits["theme"]) if len(hits) else np.zeros(0, int)
    hit_negated = hits["negated"].to_numpy(dtype=bool) if len(hits) else np.zeros(0, bool)
    hit_mask = token_mask[first]
    group = np.zeros(n_sentences, dtype=np.int64)
    group[sentence_of_token] = group_codes
    affirmed = hit_mask & ~hit_negated
    sentence_hits = np.zeros((n_sentences, n_themes))
    np.add.at(sentence_hits, (sentence_of_token[first[affirmed]], hit_theme[affirmed]), 1)
    negated = np.zeros((n_groups, n_themes), dtype=np.int64)
    denied = hit_mask & hit_negated
    np.add.at(negated, (group_codes[first[denied]], hit_theme[denied]), 1)
    return _SentenceCounts(
        tokens=np.bincount(sentence_of_token[token_mask], minlength=n_sentences),
        hits=sentence_hits,
        group=group,
        negated=negated,
    )


def _group_jobs(counts: _SentenceCounts, names: list[str], voice: str | None) -> list:
    """One bootstrap job per group: its sentences with tokens of the voice, and its stream name."""
    order = np.argsort(counts.group, kind="stable")
    bounds = np.searchsorted(counts.group[order], np.arange(len(names) + 1))
    jobs = []
    for g, name in enumerate(names):
        in_group = order[bounds[g] : bounds[g + 1]]
        group_tokens = counts.tokens[in_group].astype(np.float64)
        keep = group_tokens > 0
        stream = name if voice is None else f"{name}\0{voice}"
        jobs.append((counts.hits[in_group][keep], group_tokens[keep], stream))
    return jobs


def _rates_table(names, themes, counts: _SentenceCounts, jobs, intervals, level) -> dict:
    """The columns of one voice's rows (group × theme), from its counts and intervals."""
    n_groups, n_themes = len(names), len(themes)
    count = np.zeros((n_groups, n_themes))
    np.add.at(count, counts.group, counts.hits)
    total = np.bincount(counts.group, weights=counts.tokens, minlength=n_groups).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(total[:, None] > 0, count / total[:, None] * 1000, np.nan)
    bootstrap = np.asarray(intervals, dtype=np.float64).reshape(n_groups, 2, n_themes)
    low, high = np.fmin(bootstrap[:, 0], rate), np.fmax(bootstrap[:, 1], rate)
    exact_low, exact_high = _poisson_interval(
        count, np.repeat(total[:, None], n_themes, axis=1), level
    )
    return {
        "group": np.repeat(np.asarray(names, dtype=object), n_themes),
        "theme": np.tile(np.asarray(themes, dtype=object), n_groups),
        "count": count.ravel().astype(np.int64),
        "negated": counts.negated.ravel(),
        "tokens": np.repeat(total, n_themes),
        "per_1000": rate.ravel(),
        "ci_low": low.ravel(),
        "ci_high": high.ravel(),
        "exact_low": exact_low.ravel(),
        "exact_high": exact_high.ravel(),
        "sentences": np.repeat(
            np.asarray([len(job[1]) for job in jobs], dtype=np.int64), n_themes
        ),
    }


_RATE_COLUMNS = ("count", "negated", "tokens", "per_1000", "ci_low", "ci_high", "exact_low",
                 "exact_high", "documents", "sentences")  # fmt: skip


def theme_rates(
    processed,
    *,
    by: str = "document",
    voice: bool = False,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    workers: int | None = None,
) -> pd.DataFrame:
    """Theme counts and rates per group, with intervals.

    A pure function of its arguments (it reads and writes no file); the command
    line memoises it with :func:`rhetoric.cache.memo_frame`.

    Parameters
    ----------
    by : document variable to group by.
    voice : split each group into ``quoted`` and ``narration`` tokens.
    draws, seed : bootstrap draws and seed (each group has its own stream).
    level : interval coverage.
    workers : processes for the bootstrap (default: all cores when there are
        enough groups and sentences to pay for them, else 1); the result is
        the same whatever the number.

    Returns
    -------
    DataFrame
        One row per group × theme (× voice), groups in corpus order, themes in
        themes.yml order:

        - ``group``, ``theme``, (``voice``);
        - ``count``: hits not negated; ``negated``: hits with a negator among
          the three word tokens before them (not in ``count``);
        - ``tokens``: word tokens of the group (of that voice): the denominator;
        - ``per_1000``: count / tokens × 1,000 (NaN when tokens is 0);
        - ``ci_low``, ``ci_high``: percentile bootstrap interval, resampling
          the group's sentences with replacement (``draws`` times), widened to
          include ``per_1000`` if the percentiles miss it (only possible with
          very few sentences). A theme with no hits gets [0, 0]: see the
          exact interval for an upper bound;
        - ``exact_low``, ``exact_high``: exact Poisson (Garwood) interval for
          the rate, which treats tokens as independent; it gives an upper bound
          also for a count of 0;
        - ``documents``, ``sentences``: size of the group.
    """
    group_codes, names = token_groups(processed, by)
    themes = [t.id for t in processed.themes]
    documents = document_groups(processed, by).value_counts().to_dict()
    parts = []
    for voice_name in ["narration", "quoted"] if voice else [None]:
        code = None if voice_name is None else VOICE_CODES[voice_name]
        counts = _sentence_counts(processed, group_codes, len(names), code)
        jobs = _group_jobs(counts, names, voice_name)
        intervals = _bootstrap_groups(jobs, draws, seed, level, workers)
        part = _rates_table(names, themes, counts, jobs, intervals, level)
        part["documents"] = np.repeat([documents.get(n, 0) for n in names], len(themes))
        if voice_name is not None:
            part["voice"] = np.full(len(names) * len(themes), voice_name, dtype=object)
        parts.append(pd.DataFrame(part))
    columns = ["group", "theme"] + (["voice"] if voice else []) + list(_RATE_COLUMNS)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return frame[columns].astype(
        {"documents": "int64", **{c: "float64" for c in _RATE_COLUMNS[3:8]}}
    )


# -- keyness -------------------------------------------------------------------------


def chi2_sf_1df(x) -> np.ndarray:
    """Survival function of χ² with 1 degree of freedom: P(X ≥ x) = erfc(√(x/2))."""
    from scipy.special import erfc

    return erfc(np.sqrt(np.asarray(x, dtype=np.float64) / 2))


def g2(a, c, b, d) -> np.ndarray:
    """Signed 4-cell log-likelihood G² (Dunning 1993) for a word's counts in two corpora.

    ``a`` of ``c`` tokens in the target, ``b`` of ``d`` in the reference.
    G² = 2 Σ O ln(O/E) over the four cells (word, other words) × (target,
    reference), with 0·ln 0 = 0 and no continuity correction (AntConc 4's
    default "4-term" form; scattertext's G2). Positive when a/c > b/d
    (over-used in the target). p-value: :func:`chi2_sf_1df` of |G²|.

    >>> round(float(g2(52, 50_000, 57, 75_000)), 4)
    2.6541
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    n = c + d
    observed = [a, b, c - a, d - b]
    row_word, row_other = a + b, n - a - b
    expected = [row_word * c / n, row_word * d / n, row_other * c / n, row_other * d / n]
    total = np.zeros(np.broadcast(a, b, c, d).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected, strict=True):
            total += np.where(o > 0, o * np.log(o / e), 0.0)
    value = 2 * total
    sign = np.sign(a / np.where(c > 0, c, np.nan) - b / np.where(d > 0, d, np.nan))
    return np.nan_to_num(sign) * np.abs(value)


def log_ratio(a, c, b, d, *, zero: float = 0.5) -> np.ndarray:
    """Hardie's (2014) Log Ratio: log2((a/c)/(b/d)); a zero count is replaced by ``zero`` (0.5).

    >>> round(float(log_ratio(52, 50_000, 57, 75_000)), 4)
    0.4525
    >>> round(float(log_ratio(10, 1000, 0, 1000)), 4)
    4.3219
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    a, b = np.where(a == 0, zero, a), np.where(b == 0, zero, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2((a / c) / (b / d))


def log_odds_dirichlet(y_i, y_j, alpha) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with a Dirichlet prior (Monroe, Colaresi and Quinn 2008), and its z-score.

    ``y_i``, ``y_j``: counts per term in groups i and j; ``alpha``: prior per
    term (a constant for an uninformative prior, or background counts for an
    informative one). δ = ln[(y_i+α)/(n_i+α0−y_i−α)] − ln[(y_j+α)/(n_j+α0−y_j−α)],
    Var(δ) ≈ 1/(y_i+α) + 1/(y_j+α) (the paper's two-term form), z = δ/√Var.
    """
    y_i, y_j = np.asarray(y_i, dtype=np.float64), np.asarray(y_j, dtype=np.float64)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), y_i.shape)
    a0, n_i, n_j = alpha.sum(), y_i.sum(), y_j.sum()
    delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + a0 - y_j - alpha)
    )
    variance = 1 / (y_i + alpha) + 1 / (y_j + alpha)
    return delta, delta / np.sqrt(variance)


def keyness(
    processed,
    *,
    target: str,
    reference: str | None = None,
    by: str = "dyad",
    unit: Unit = "lower",
    min_count: int = 1,
) -> pd.DataFrame:
    """Keyness of every term in a target group against a reference group.

    Parameters
    ----------
    target, reference : group names (for dyads also their labels, "US–Russia").
        Default reference: every document not in the target.
    by : document variable that defines the groups (default ``dyad``).
    unit : ``lower`` or ``stem``.
    min_count : keep terms with at least this many occurrences in target and
        reference together.

    Returns
    -------
    DataFrame
        One row per term, sorted by ``g2`` (most over-used in the target
        first): ``term``, ``target_count``, ``reference_count``,
        ``target_total``, ``reference_total`` (word tokens in each side),
        ``g2`` (signed 4-cell log-likelihood, see :func:`g2`, no correction;
        + = over-used in the target), ``p_value`` (χ² with 1 df, not corrected
        for the number of terms), ``log_ratio`` (Hardie's log2 ratio of
        relative frequencies, zero counts replaced by 0.5), ``log_odds_z``
        (Monroe et al.'s z-score with an informative Dirichlet prior: the
        pooled counts of both sides, α0 = their total).
    """
    target = resolve_group(processed, by, target)
    groups = document_groups(processed, by)
    if reference is not None:
        reference = resolve_group(processed, by, reference)
        if reference == target:
            raise RhetoricInputError(
                f"--reference {reference!r} is the target itself; choose another group"
            )
        reference_docs = set(groups.index[groups == reference])
    else:
        reference_docs = set(groups.index[groups != target])
    target_docs = set(groups.index[groups == target])
    tokens = processed.tokens
    column = tokens[unit]
    categories = column.cat.categories
    term_codes = codes(column)
    doc_ids = tokens["document"].cat.categories
    doc_codes = codes(tokens["document"])
    in_target = np.isin(doc_codes, [i for i, d in enumerate(doc_ids) if d in target_docs])
    in_reference = np.isin(doc_codes, [i for i, d in enumerate(doc_ids) if d in reference_docs])
    a = np.bincount(term_codes[in_target], minlength=len(categories))
    b = np.bincount(term_codes[in_reference], minlength=len(categories))
    c, d = int(in_target.sum()), int(in_reference.sum())
    keep = (a + b) >= max(min_count, 1)
    columns = ["term", "target_count", "reference_count", "target_total", "reference_total",
               "g2", "p_value", "log_ratio", "log_odds_z"]  # fmt: skip
    if c == 0 or d == 0 or not keep.any():
        return pd.DataFrame(
            {col: pd.Series(dtype=object if col == "term" else float) for col in columns}
        )
    a, b, terms = a[keep], b[keep], np.asarray(categories)[keep]
    values = g2(a, c, b, d)
    _, z = log_odds_dirichlet(a, b, a + b)
    frame = pd.DataFrame(
        {
            "term": terms,
            "target_count": a.astype(np.int64),
            "reference_count": b.astype(np.int64),
            "target_total": c,
            "reference_total": d,
            "g2": values,
            "p_value": chi2_sf_1df(np.abs(values)),
            "log_ratio": log_ratio(a, c, b, d),
            "log_odds_z": z,
        }
    )
    frame = frame.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
    return frame.reset_index(drop=True)


# -- dispersion ----------------------------------------------------------------------


def dispersion(processed) -> pd.DataFrame:
    """Where each theme hit falls in its document, for an x-ray (dispersion) plot.

    Returns
    -------
    DataFrame
        One row per hit: ``document``, ``theme``, ``term``, ``match``,
        ``position`` (token index in the document), ``tokens`` (the document's
        word tokens), ``relative_position`` (position / tokens, in [0, 1)),
        ``voice``, ``negated``.
    """
    hits = processed.hits
    sizes = processed.tokens.groupby("document", observed=False).size()
    frame = hits[["document", "theme", "term", "match", "position", "voice", "negated"]].copy()
    frame["tokens"] = sizes.reindex(frame["document"].astype(object)).to_numpy().astype(np.int64)
    frame["relative_position"] = frame["position"] / frame["tokens"].where(frame["tokens"] > 0)
    return frame[["document", "theme", "term", "match", "position", "tokens", "relative_position",
                  "voice", "negated"]].reset_index(drop=True)  # fmt: skip


def compare_theme_rates(rates: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Two groups' theme rates side by side, with a test of the difference.

    ``rates``: :func:`theme_rates` output holding groups ``a`` and ``b``.

    Returns
    -------
    DataFrame
        One row per theme: ``theme``; for each side ``a_count``,
        ``a_per_1000``, ``a_ci_low``, ``a_ci_high`` (and ``b_...``);
        ``rate_ratio`` (a / b; NaN when b's rate is 0), ``log_ratio``
        (Hardie, zero counts as 0.5), ``g2`` (signed, + = more in a) and
        ``p_value`` (χ² 1 df, uncorrected for the number of themes) of the
        counts against the two token totals, and ``intervals_overlap``: the two
        95% intervals overlap, where a side with no hit uses its exact Poisson
        interval (a bootstrap of zero hits is [0, 0] and would overstate
        certainty).
    """
    left = rates[rates["group"] == a].set_index("theme")
    right = rates[rates["group"] == b].set_index("theme")
    themes = [t for t in dict.fromkeys(rates["theme"]) if t in left.index and t in right.index]
    left, right = left.reindex(themes), right.reindex(themes)
    frame = pd.DataFrame({"theme": themes})
    for prefix, side in (("a", left), ("b", right)):
        frame[f"{prefix}_count"] = side["count"].to_numpy()
        frame[f"{prefix}_per_1000"] = side["per_1000"].to_numpy()
        frame[f"{prefix}_ci_low"] = side["ci_low"].to_numpy()
        frame[f"{prefix}_ci_high"] = side["ci_high"].to_numpy()
    a_n, b_n = left["count"].to_numpy(), right["count"].to_numpy()
    a_t, b_t = left["tokens"].to_numpy(), right["tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["rate_ratio"] = np.where(
            frame["b_per_1000"] > 0, frame["a_per_1000"] / frame["b_per_1000"], np.nan
        )
    frame["log_ratio"] = log_ratio(a_n, a_t, b_n, b_t)
    values = g2(a_n, a_t, b_n, b_t)
    frame["g2"] = values
    frame["p_value"] = chi2_sf_1df(np.abs(values))
    bounds = {}
    for prefix, side in (("a", left), ("b", right)):
        zero = side["count"].to_numpy() == 0
        bounds[prefix] = (
            np.where(zero, side["exact_low"], side["ci_low"]),
            np.where(zero, side["exact_high"], side["ci_high"]),
        )
    frame["intervals_overlap"] = (bounds["a"][0] <= bounds["b"][1]) & (
        bounds["b"][0] <= bounds["a"][1]
    )
    return frame
