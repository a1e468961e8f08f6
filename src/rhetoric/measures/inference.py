""":mod:`rhetoric.measures.inference`: statistics with documents as the unit.

Word and theme rates differ from document to document far more than Poisson
sampling allows (a negative binomial, Church & Gale 1995), so an interval or
a test for a *group* of documents must treat the document, not the token or
the sentence, as the unit. The functions here take, per document, a hit count
``y`` and a token count ``t`` (arrays; a second axis holds themes or terms)
and return:

- :func:`rate_interval`: the pooled rate R = Σy / Σt of a group with a robust
  (sandwich) interval from the Poisson GLM with only an intercept and offset
  log t (HC3 variance, t quantiles with n−1 df);
- :func:`ratio_interval`: the ratio R_a / R_b of two groups with the GLM's
  interval (group as a covariate, HC3, t with N−2 df);
- :func:`permutation_pvalues`: a permutation test of the document labels
  (statistic |R_a − R_b|), exact when the label sets are few, else seeded
  random permutations; p = (1 + #{|T*| ≥ |T|}) / (1 + B);
- :func:`holm` and :func:`benjamini_hochberg`: adjusted p-values;
- :func:`mann_whitney_pvalues`: Mann–Whitney U on per-document relative
  frequencies, for many terms at once.

See ``../shared/docs/notes-statistics.md`` (in the project's docs) and
``validation/README.md`` for the measured coverage and false-positive rates.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

__all__ = [
    "MIN_GROUP_DOCUMENTS",
    "PERMUTATIONS",
    "benjamini_hochberg",
    "exact_poisson_interval",
    "holm",
    "mann_whitney_pvalues",
    "permutation_pvalues",
    "rate_interval",
    "ratio_interval",
]

#: Fewest documents (with at least one token) for a group interval or a group test. Below
#: it the few-clusters problem makes robust intervals too narrow (validation/README.md).
MIN_GROUP_DOCUMENTS = 5
#: Random permutations of the document labels (when the distinct label sets are more).
PERMUTATIONS = 9999


def _t_quantile(level: float, df) -> np.ndarray:
    from scipy.special import stdtrit

    return stdtrit(np.asarray(df, dtype=np.float64), 1 - (1 - level) / 2)


def exact_poisson_interval(
    count, tokens, *, level: float = 0.95, per: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson rate count / tokens × ``per``.

    Treats tokens as independent: right for one text's own count, too narrow
    for a group of documents. Gives an upper bound also for a count of 0 (low
    is then 0); NaN where tokens is 0.

    Parameters
    ----------
    count : array-like of float
        Hits (0 or more).
    tokens : array-like of float
        Tokens the hits are counted in (broadcast against ``count``).
    level : float, default 0.95
        Coverage of the two-sided interval.
    per : float, default 1.0
        Tokens the rate is given per (1000: per 1,000 tokens).

    Returns
    -------
    low, high : numpy.ndarray
        Bounds of the rate, per ``per`` tokens, elementwise.
    """
    from scipy.special import gammaincinv

    alpha = 1 - level
    count = np.asarray(count, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        # chi2.ppf(q, 2k) / 2 = the inverse regularized lower incomplete gamma function at (k, q)
        low = np.where(count > 0, gammaincinv(np.maximum(count, 1e-300), alpha / 2), 0.0)
        high = gammaincinv(count + 1, 1 - alpha / 2)
        scale = np.where(np.asarray(tokens) > 0, per / np.asarray(tokens, dtype=float), np.nan)
    return low * scale, high * scale


def _columns(y, t) -> tuple[np.ndarray, np.ndarray]:
    """``y`` as documents × columns floats; ``t`` as documents × 1 (shared lengths) or
    documents × columns (lengths per column)."""
    y = np.asarray(y, dtype=np.float64)
    y = y[:, None] if y.ndim == 1 else y
    t = np.asarray(t, dtype=np.float64)
    t = t.reshape(-1, 1) if t.ndim <= 1 else t
    return y, t


def _log_variance(y: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pooled rate, HC3 sandwich variance of its log, and Σy, per column.

    HC3 (MacKinnon & White 1985): each squared residual is divided by
    (1 − h_i)², h_i = t_i / Σt being the leverage of document i in the
    intercept-only Poisson GLM with offset log t. With equal lengths this is
    HC0 × (n/(n−1))²; a long document, which the pooled rate leans on, gets
    its residual inflated most.
    """
    total_y, total_t = y.sum(axis=0), t.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = total_y / total_t
        leverage = np.minimum(t / total_t, 1 - 1e-12)
        residual = (y - rate * t) / (1 - leverage)
        variance = (residual**2).sum(axis=0) / total_y**2
    return rate, variance, total_y


def rate_interval(y, t, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pooled rate of one group of documents with a robust Poisson GLM interval.

    ``y``: hits per document (documents, or documents × columns); ``t``:
    tokens per document (documents, or documents × columns; documents with no
    token should be left out: they add nothing to the rate but would count
    in n). Returns ``(rate, low, high)`` per column, rates per token:
    R = Σy/Σt and R·exp(± t_{n−1} · se), se² the HC3 variance of log R:
    Σ [(y_i − R t_i) / (1 − t_i/Σt)]² / (Σy)². NaN where Σy = 0 (no log
    rate: see :func:`rhetoric.measures.rates.theme_rates` for the bound given then)
    or n < 2.

    statsmodels' ``GLM(y, 1, family=Poisson(), offset=log t).fit(cov_type="HC0")``
    gives the same estimate, and for documents of equal length a standard
    error of se · (n−1)/n.

    Parameters
    ----------
    y : array-like of float
        Hits per document: 1-D (documents) or 2-D (documents × columns).
    t : array-like of float
        Tokens per document: 1-D (shared by every column) or 2-D (documents × columns).
    level : float, default 0.95
        Coverage of the two-sided interval.

    Returns
    -------
    rate : numpy.ndarray
        Σy/Σt per column, per token (0 where Σy = 0; NaN where Σt = 0), also
        when n < 2.
    low, high : numpy.ndarray
        The interval's bounds per column, per token; NaN where Σy = 0 or n < 2.
        One value per column (one for 1-D ``y``).
    """
    y, t = _columns(y, t)
    n = len(t)
    rate, variance, total_y = _log_variance(y, t)
    if n < 2:
        nan = np.full(y.shape[1], np.nan)
        return rate, nan, nan.copy()
    spread = np.exp(_t_quantile(level, n - 1) * np.sqrt(variance))
    ok = total_y > 0
    low = np.where(ok, rate / np.where(ok, spread, 1), np.nan)
    high = np.where(ok, rate * np.where(ok, spread, 1), np.nan)
    return rate, low, high


def ratio_interval(
    y_a, t_a, y_b, t_b, *, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rate ratio R_a / R_b of two groups of documents, with the GLM's robust interval.

    The Poisson GLM with an intercept, a group indicator and offset log t has
    the two pooled rates as its fit, so log(R_a/R_b) has the sandwich
    variance V_a + V_b, each the HC3 variance of :func:`rate_interval` (a
    document's leverage is its share of its group's tokens); the interval is
    ratio · exp(± t_{N−2} · √(V_a + V_b)), N = n_a + n_b. Returns
    ``(ratio, low, high)`` per column; NaN where a side has no hit or N < 3.

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits and tokens per document of group a, shaped as in :func:`rate_interval`.
    y_b, t_b : array-like of float
        The same for group b (the same columns).
    level : float, default 0.95
        Coverage of the two-sided interval.

    Returns
    -------
    ratio : numpy.ndarray
        R_a / R_b per column, given also when N < 3; NaN where a side has no hit.
    low, high : numpy.ndarray
        The interval's bounds per column; NaN where a side has no hit or N < 3.
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    n = len(t_a) + len(t_b)
    rate_a, var_a, total_a = _log_variance(y_a, t_a)
    rate_b, var_b, total_b = _log_variance(y_b, t_b)
    ok = (total_a > 0) & (total_b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(ok, rate_a / np.where(rate_b > 0, rate_b, 1), np.nan)
    if n < 3:
        nan = np.full(y_a.shape[1], np.nan)
        return ratio, nan, nan.copy()
    se = np.sqrt(np.where(ok, var_a + var_b, 0.0))
    spread = np.exp(_t_quantile(level, n - 2) * se)
    return ratio, np.where(ok, ratio / spread, np.nan), np.where(ok, ratio * spread, np.nan)


def _label_sets(n: int, n_a: int, permutations: int, rng) -> tuple[np.ndarray, bool]:
    """Rows of 0/1 labels (1 = group a): every set of n_a of n when they are at most
    ``permutations`` (exact test), else ``permutations`` random ones."""
    if comb(n, n_a) <= permutations:
        labels = np.zeros((comb(n, n_a), n), dtype=np.float64)
        for row, chosen in enumerate(combinations(range(n), n_a)):
            labels[row, list(chosen)] = 1.0
        return labels, True
    base = np.zeros(n, dtype=np.float64)
    base[:n_a] = 1.0
    return rng.permuted(np.broadcast_to(base, (permutations, n)), axis=1), False


def permutation_pvalues(
    y_a, t_a, y_b, t_b, *, permutations: int = PERMUTATIONS, seed: int = 1945
) -> tuple[np.ndarray, bool]:
    """Two-sided permutation test of the document labels, per column.

    Statistic |R_a − R_b| (difference of the pooled rates). The two groups'
    documents are pooled and every way of choosing n_a of them as group a is
    enumerated when there are at most ``permutations`` ways (an exact test:
    p = #{|T*| ≥ |T|} / C(N, n_a), the observed labelling included); else
    ``permutations`` random relabellings (seeded) give
    p = (1 + #{|T*| ≥ |T|}) / (1 + permutations). Ties are counted with a
    relative tolerance of 1e-12. The same relabellings serve every column.
    Where the statistic is undefined (a group of documents without tokens) p is
    NaN; a relabelling whose statistic is undefined counts as at least as extreme
    (the conservative choice). Returns ``(p_values, exact)``.

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits and tokens per document of group a, shaped as in :func:`rate_interval`.
    y_b, t_b : array-like of float
        The same for group b (the same columns).
    permutations : int, default 9999 (:data:`PERMUTATIONS`)
        Random relabellings drawn when there are more ways than this to choose
        group a; with as many or fewer, the test is exact.
    seed : int, default 1945
        Seed of the random relabellings (:func:`numpy.random.default_rng` also takes
        a sequence of ints, as :func:`rhetoric.measures.rates.compare_groups` passes).

    Returns
    -------
    p_values : numpy.ndarray
        Two-sided p per column; NaN where the statistic is undefined.
    exact : bool
        True when every relabelling was enumerated, False for random ones.
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    if t_a.shape[1] != t_b.shape[1]:
        t_a, t_b = (np.broadcast_to(x, (len(x), y_a.shape[1])) for x in (t_a, t_b))
    y, t = np.vstack([y_a, y_b]), np.vstack([t_a, t_b])
    n, n_a = len(t), len(t_a)
    total_y, total_t = y.sum(axis=0), t.sum(axis=0)

    def statistic(ya, ta):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.abs(ya / ta - (total_y - ya) / (total_t - ta))

    observed = statistic(y_a.sum(axis=0), t_a.sum(axis=0))
    labels, exact = _label_sets(n, n_a, permutations, np.random.default_rng(seed))
    at_least = np.zeros(y.shape[1], dtype=np.int64)
    tolerance = 1e-12 * np.maximum(np.abs(observed), 1e-300)
    chunk = max(1, 4_000_000 // max(n, 1))
    for start in range(0, len(labels), chunk):
        rows = labels[start : start + chunk]
        values = statistic(rows @ y, rows @ t)
        at_least += ((values >= observed - tolerance) | np.isnan(values)).sum(axis=0)
    undefined = np.isnan(observed)
    if exact:
        return np.where(undefined, np.nan, at_least / len(labels)), True
    return np.where(undefined, np.nan, (1 + at_least) / (1 + len(labels))), False


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment (family-wise error); NaN entries are left out and kept NaN.

    Parameters
    ----------
    p_values : array-like of float
        P-values, 1-D; NaN for a test not done.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the order of ``p_values`` (at most 1), NaN where the input is.
    """
    p = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    m = len(tested)
    if m == 0:
        return adjusted
    order = tested[np.argsort(p[tested], kind="mergesort")]
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate); NaN entries kept NaN.

    The same values as ``scipy.stats.false_discovery_control(p, method="bh")``.

    Parameters
    ----------
    p_values : array-like of float
        P-values, 1-D; NaN for a test not done.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the order of ``p_values`` (at most 1), NaN where the input is.
    """
    p = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    m = len(tested)
    if m == 0:
        return adjusted
    order = tested[np.argsort(p[tested], kind="mergesort")]
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return adjusted


def mann_whitney_pvalues(x, y) -> np.ndarray:
    """Two-sided Mann–Whitney U test per column of ``x`` (documents × terms) against ``y``.

    Normal approximation with the tie correction and a continuity correction
    of 0.5 (scipy's ``mannwhitneyu(method="asymptotic")``): per-document
    relative frequencies have many ties (zeros), where the exact null
    distribution does not apply. A column where every value is tied gets p = 1.

    Parameters
    ----------
    x : array-like of float
        Group 1: documents × terms (2-D), e.g. per-document relative frequencies.
    y : array-like of float
        Group 2: documents × the same terms (2-D).

    Returns
    -------
    numpy.ndarray
        Two-sided p per column (term).
    """
    from scipy.special import ndtr
    from scipy.stats import rankdata

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n1, n2 = len(x), len(y)
    both = np.vstack([x, y])
    ranks = rankdata(both, axis=0)
    u1 = ranks[:n1].sum(axis=0) - n1 * (n1 + 1) / 2
    n = n1 + n2
    tie_term = _tie_sums(both)
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))
    mean = n1 * n2 / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (np.abs(u1 - mean) - 0.5) / np.sqrt(variance)
        p = 2 * ndtr(-np.maximum(z, 0.0))
    return np.where(variance > 0, np.minimum(p, 1.0), 1.0)


def _tie_sums(values: np.ndarray) -> np.ndarray:
    """Σ (t³ − t) over the runs of tied values in each column."""
    n, columns = values.shape
    if n == 0 or columns == 0:
        return np.zeros(columns)
    ordered = np.sort(values, axis=0).T.ravel()  # column after column, each sorted
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    new[::n] = True  # a column's first value starts a run
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, len(ordered))).astype(np.float64)
    return np.bincount(starts // n, weights=lengths**3 - lengths, minlength=columns)
