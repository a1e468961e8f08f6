""":mod:`rhetoric.measures.inference`: statistics with documents as the unit.

Word and theme rates differ from document to document far more than Poisson
sampling allows (a negative binomial, Church & Gale 1995), so an interval or
a test for a *group* of documents must treat the document, not the token or
the sentence, as the unit. The functions here take, per document, a hit count
``y`` and a token count ``t`` (arrays; a second axis holds themes or terms)
and return:

- :func:`rate_interval`: the pooled rate R = Σy / Σt of a group with a robust
  (sandwich) interval from the Poisson GLM with only an intercept and offset
  log t (HC3 variance, t quantiles with Satterthwaite degrees of freedom, at most
  n−1);
- :func:`ratio_interval`: the ratio R_a / R_b of two groups with the GLM's
  interval (group as a covariate, HC3, t with Satterthwaite df, at most N−2);
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
    "CONTINUITY",
    "MIN_GROUP_UNITS",
    "PERMUTATIONS",
    "benjamini_hochberg",
    "bootstrap_pvalues",
    "detectable_ratio",
    "dispersion_shape",
    "exact_poisson_interval",
    "holm",
    "log_ratio_statistic",
    "mann_whitney_pvalues",
    "permutation_pvalues",
    "rate_interval",
    "ratio_interval",
    "score_pvalues",
    "score_test",
    "two_sample_pvalues",
    "zero_hit_upper",
]

#: Fewest units (documents, or events when documents cluster; with at least one token) for
#: a group interval or a group test. Below it the few-clusters problem makes robust
#: intervals too narrow (validation/README.md).
MIN_GROUP_UNITS = 5
#: Random permutations of the unit labels (when the distinct label sets are more), and
#: bootstrap resamples of each group.
PERMUTATIONS = 9999
#: Hits, in a group of the two groups' average size, whose rate is added to both sides of
#: a log rate ratio (so that a side without hits has a log).
CONTINUITY = 0.5


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


def dispersion_shape(y, t) -> np.ndarray:
    """Moment estimate of the negative binomial shape k of each column's units.

    With μ_i = R·t_i (R = Σy/Σt): 1/k = Σ[(y_i − μ_i)² − y_i] / Σμ_i², the spread beyond
    counting noise (Church & Gale's burstiness); ``inf`` where there is none (or no hit).

    Parameters
    ----------
    y, t : array-like of float
        Hits and tokens per unit, shaped as in :func:`rate_interval`.

    Returns
    -------
    numpy.ndarray
        k per column (small: bursty; ``inf``: Poisson).
    """
    y, t = _columns(y, t)
    excess = _excess_dispersion(y, t, corrected=False)
    return np.where(excess > 0, 1 / np.where(excess > 0, excess, 1), np.inf)


def zero_hit_upper(t, shape, *, level: float = 0.95) -> np.ndarray:
    """Upper bound of the rate of a group whose units have no hit, per column.

    The rate r at which units of these lengths would all be without a hit with
    probability (1 − level)/2 under a negative binomial of shape ``shape`` (each unit
    P(0) = (1 + r·t_i/k)^−k): Σ k·log(1 + r·t_i/k) = −log((1 − level)/2). With k =
    ``inf`` it is the exact Poisson bound −log((1 − level)/2)/Σt (3.69/Σt at 95%); a
    bursty theme (small k, estimated by :func:`dispersion_shape` from every unit of the
    corpus, this group's included, so that a difference between groups also counts as
    spread) gets a higher bound, because a few units can miss it by chance.

    Parameters
    ----------
    t : array-like of float
        Tokens per unit of the group (1-D).
    shape : array-like of float
        k per column (``inf``: Poisson).
    level : float, default 0.95
        Two-sided level the bound belongs to (its one-sided share is (1 − level)/2).

    Returns
    -------
    numpy.ndarray
        The bound per column, per token; NaN without tokens.
    """
    t = np.asarray(t, dtype=np.float64)
    shapes = np.atleast_1d(np.asarray(shape, dtype=np.float64))
    target = -np.log((1 - level) / 2)
    bounds = np.full(len(shapes), np.nan)
    if t.sum() <= 0:
        return bounds
    for column, k in enumerate(shapes):
        if not np.isfinite(k):
            bounds[column] = target / t.sum()
            continue
        low, high = 0.0, k / t.max() * np.expm1(target / k)  # the longest unit alone
        for _ in range(200):  # bisection: the sum grows with r
            middle = (low + high) / 2
            if (k * np.log1p(middle * t / k)).sum() < target:
                low = middle
            else:
                high = middle
            if high - low <= 1e-12 * high:
                break
        bounds[column] = high
    return bounds


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


def _working_variances(y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each unit's share of the HC3 variance of log R as a negative binomial would make it.

    μ_i = R·t_i, Var(y_i) = μ_i + μ_i²/k with 1/k by moments (:func:`_excess_dispersion`),
    inflated by 1/(1 − h_i)² as HC3 inflates the residual, over (Σy)²; units × columns.
    """
    total_y, total_t = y.sum(axis=0), t.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = total_y / total_t * t
        leverage = np.minimum(t / total_t, 1 - 1e-12)
        excess = _excess_dispersion(y, t, corrected=False)
        return (expected + expected**2 * excess) / (1 - leverage) ** 2 / total_y**2


def _satterthwaite_df(parts: list[np.ndarray], most: float) -> np.ndarray:
    """Degrees of freedom of a robust variance Σ_i c_i r_i² whose terms have expected
    values w_i (``parts``, one units × columns array per group): (Σw)² / Σw², the
    Satterthwaite (1946) approximation, as Bell & McCaffrey (2002) and Imbens & Kolesár
    (2016) use it for cluster-robust intervals; between 1 and ``most``.

    Equal working variances give n (the plain t's n − 1 is then the smaller, and
    ``most`` keeps it); a group whose rate rests on a few long or bursty units gets
    nearly as few degrees of freedom as it has such units, which is what a sandwich
    estimated from them is worth.
    """
    first = sum(w.sum(axis=0) for w in parts)
    second = sum((w**2).sum(axis=0) for w in parts)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = first**2 / second
    return np.clip(np.where(np.isfinite(df), df, most), 1.0, most)


def rate_interval(y, t, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pooled rate of one group of documents with a robust Poisson GLM interval.

    ``y``: hits per document (documents, or documents × columns); ``t``:
    tokens per document (documents, or documents × columns; documents with no
    token should be left out: they add nothing to the rate but would count
    in n). Returns ``(rate, low, high)`` per column, rates per token:
    R = Σy/Σt and R·exp(± t_ν · se), se² the HC3 variance of log R:
    Σ [(y_i − R t_i) / (1 − t_i/Σt)]² / (Σy)². NaN where Σy = 0 (no log
    rate: see :func:`rhetoric.measures.rates.theme_rates` for the bound given then)
    or n < 2.

    ν is not n − 1 but the Satterthwaite degrees of freedom of the variance
    (:func:`_satterthwaite_df`, at most n − 1), with the terms' expected sizes from a
    negative binomial fitted by moments: a rate that rests on a few long or bursty
    units has a variance estimated from those few, and its interval widens. With
    n − 1 the lowest theme covered 0.89–0.93 on random splits of the speeches (2,000
    splits of 5–50 speeches); with ν, 0.93–0.97 (validation/README.md).

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
    df = _satterthwaite_df([_working_variances(y, t)], n - 1)
    with np.errstate(over="ignore"):
        spread = np.exp(_t_quantile(level, df) * np.sqrt(variance))
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
    ratio · exp(± t_ν · √(V_a + V_b)), ν the Satterthwaite degrees of freedom of
    both groups' terms (as in :func:`rate_interval`, at most N − 2), N = n_a + n_b. Returns
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
    df = _satterthwaite_df([_working_variances(y_a, t_a), _working_variances(y_b, t_b)], n - 2)
    with np.errstate(over="ignore"):  # a bound beyond any float is inf: unbounded
        spread = np.exp(_t_quantile(level, df) * se)
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


def _moments(weights: np.ndarray, y: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """Σw·y, Σw·t, Σw·y², Σw·y·t, Σw·t² for each row of weights (rows × columns)."""
    return [weights @ y, weights @ t, weights @ (y * y), weights @ (y * t), weights @ (t * t)]


def _log_rate(moments: list[np.ndarray], n: int,
              added: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """log(Y/T + δ) of one side (δ = ``added``, a rate), and the robust (HC1) variance of
    that log, n/(n−1)·Σ(y − R·t)² / (Y + δT)²."""
    total_y, total_t, yy, yt, tt = moments
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = total_y / total_t
        squares = np.maximum(yy - 2 * rate * yt + rate * rate * tt, 0.0)
        shifted = total_y + added * total_t
        # one unit shows no spread at all: its variance is unknown, not 0
        robust = squares / shifted**2 * (n / (n - 1)) if n > 1 else np.full_like(squares, np.inf)
        return np.log(rate + added), robust


def _added_rate(side_a: list[np.ndarray], side_b: list[np.ndarray]) -> np.ndarray:
    """δ = ½ / ((T_a + T_b)/2): half a hit in a group of the two groups' average size."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return CONTINUITY / ((side_a[1] + side_b[1]) / 2)


def _statistic(
    side_a: list[np.ndarray], n_a: int, side_b: list[np.ndarray], n_b: int, floor: bool
) -> np.ndarray:
    """|log R̃_a − log R̃_b| / √(V_a + V_b): the studentized log rate ratio."""
    added = _added_rate(side_a, side_b)
    log_a, var_a = _log_rate(side_a, n_a, added)
    log_b, var_b = _log_rate(side_b, n_b, added)
    if floor:  # never below the Poisson variance of the count the pooled rate expects
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled = (side_a[0] + side_b[0]) / (side_a[1] + side_b[1]) + added
            var_a = np.maximum(var_a, 1 / (pooled * side_a[1]))
            var_b = np.maximum(var_b, 1 / (pooled * side_b[1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.abs(log_a - log_b) / np.sqrt(var_a + var_b)


def log_ratio_statistic(y_a, t_a, y_b, t_b, *, floor: bool = True) -> np.ndarray:
    """The studentized log rate ratio of two groups of units, per column.

    T = |log R̃_a − log R̃_b| / √(V_a + V_b), with R̃ = R + δ, R = Σy/Σt and
    δ = ½ / ((Σt_a + Σt_b)/2), half a hit in a group of the two groups' average size,
    the same rate added to both sides (so that a side without hits has a finite log
    rate; adding half a hit to each side instead made a short group's zero look like a
    higher rate than a long group's few hits); and V the variance of log R̃: the robust
    (HC1) n/(n−1)·Σ(y_i − R t_i)² / (Σy + δΣt)², but with ``floor`` never below the
    Poisson variance of the count that the two groups' pooled rate R₀ expects,
    1/((R₀ + δ)·Σt) (a few units cannot show less spread than counting noise; taking the
    count the null expects, not the one observed, keeps a group without a hit from
    looking as uncertain as a group that could have any rate). Dividing by the standard error keeps a test of T near
    its level when the groups' units differ in length or in spread, where the plain
    difference of rates does not (validation/README.md).

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits and tokens per unit of group a, shaped as in :func:`rate_interval`.
    y_b, t_b : array-like of float
        The same for group b (the same columns).
    floor : bool, default True
        Keep each variance at least the Poisson one (as :func:`permutation_pvalues` and
        :func:`bootstrap_pvalues` do).

    Returns
    -------
    numpy.ndarray
        T per column (0 where neither group has a hit).
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    value = _observed(y_a, t_a, y_b, t_b, floor)
    return np.where(y_a.sum(axis=0) + y_b.sum(axis=0) > 0, value, 0.0)


def permutation_pvalues(
    y_a, t_a, y_b, t_b, *, permutations: int = PERMUTATIONS, seed: int = 1945
) -> tuple[np.ndarray, bool]:
    """Two-sided permutation test of the unit labels, per column, on the studentized log
    rate ratio (:func:`log_ratio_statistic`).

    The two groups' units are pooled and every way of choosing n_a of them as group a
    is enumerated when there are at most ``permutations`` ways (an exact test:
    p = #{T* ≥ T} / C(N, n_a), the observed labelling included); else
    ``permutations`` random relabellings (seeded) give
    p = (1 + #{T* ≥ T}) / (1 + permutations). Ties are counted with a relative
    tolerance of 1e-12. The same relabellings serve every column. Exact when the units
    are exchangeable (the groups differ only by chance); studentizing keeps it near its
    level when they are not. Where neither group has a hit, p is 1. Where the
    statistic is undefined (a group of units without tokens) p is NaN; a relabelling
    whose statistic is undefined counts as at least as extreme. Returns
    ``(p_values, exact)``.

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits and tokens per unit of group a, shaped as in :func:`rate_interval`.
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
    totals = _moments(np.ones((1, n)), y, t)
    observed = _observed(y_a, t_a, y_b, t_b, True)
    labels, exact = _label_sets(n, n_a, permutations, np.random.default_rng(seed))
    at_least = np.zeros(y.shape[1], dtype=np.int64)
    chunk = max(1, 2_000_000 // max(n, 1))
    for start in range(0, len(labels), chunk):
        side_a = _moments(labels[start : start + chunk], y, t)
        side_b = [total - part for total, part in zip(totals, side_a, strict=True)]
        at_least += _as_extreme(_statistic(side_a, n_a, side_b, n - n_a, True), observed)
    p = at_least / len(labels) if exact else (1 + at_least) / (1 + len(labels))
    return _finish(p, observed, y), exact


def _observed(y_a, t_a, y_b, t_b, floor: bool) -> np.ndarray:
    ones_a, ones_b = np.ones((1, len(y_a))), np.ones((1, len(y_b)))
    return _statistic(_moments(ones_a, y_a, t_a), len(y_a), _moments(ones_b, y_b, t_b),
                      len(y_b), floor)[0]  # fmt: skip


def _as_extreme(values: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per column, the rows of ``values`` at least as large as ``observed`` (ties within a
    relative 1e-12), an undefined value counting as at least as large."""
    tolerance = 1e-12 * np.maximum(np.nan_to_num(observed, posinf=0.0), 1e-300)
    with np.errstate(invalid="ignore"):
        return ((values >= observed - tolerance) | np.isnan(values)).sum(axis=0)


def _finish(p: np.ndarray, observed: np.ndarray, y: np.ndarray) -> np.ndarray:
    """p, 1 where no unit has a hit, NaN where the statistic is undefined."""
    p = np.where(np.isnan(observed), np.nan, p)
    return np.where(y.sum(axis=0) > 0, p, np.where(np.isnan(observed), np.nan, 1.0))


def _excess_dispersion(y: np.ndarray, t: np.ndarray, *, corrected: bool = True) -> np.ndarray:
    """1/k of each column's units by moments around their own rate, with ``corrected`` the
    squares over n − 1 (0 where the units spread no more than counting noise, or have no
    hit)."""
    n = len(y)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = y.sum(axis=0) / t.sum(axis=0) * t
        squares = ((y - expected) ** 2).sum(axis=0) * (n / (n - 1) if corrected and n > 1 else 1.0)
        excess = (squares - y.sum(axis=0)) / (expected**2).sum(axis=0)
    return np.where(np.isfinite(excess) & (excess > 0), excess, 0.0)


def _simulated_moments(rng, t, rate, excess, rows: int) -> list[np.ndarray]:
    """Moments of ``rows`` simulated groups: units of lengths t with negative binomial
    counts, mean rate·t and 1/k = ``excess`` (Poisson where 0), per column."""
    n, columns = len(t), len(rate)
    mean = np.broadcast_to(t, (n, columns)) * rate
    shape = np.where(excess > 0, 1 / np.where(excess > 0, excess, 1), 1.0)
    spread = rng.gamma(shape, np.where(excess > 0, excess, 1.0), size=(rows, n, columns))
    counts = rng.poisson(np.where(excess > 0, spread, 1.0) * mean).astype(np.float64)
    lengths = np.broadcast_to(t, (n, columns))
    return [counts.sum(axis=1), np.broadcast_to(lengths.sum(axis=0), (rows, columns)),
            (counts * counts).sum(axis=1), (counts * lengths).sum(axis=1),
            np.broadcast_to((lengths * lengths).sum(axis=0), (rows, columns))]  # fmt: skip


def bootstrap_pvalues(
    y_a,
    t_a,
    y_b,
    t_b,
    *,
    resamples: int = PERMUTATIONS,
    seed: int = 1945,
    columns: list[int] | None = None,
) -> np.ndarray:
    """Two-sided parametric bootstrap test of equal rates that lets each group keep its own
    spread, per column.

    Under the null both groups have the pooled rate R₀ = (Σy_a + Σy_b)/(Σt_a + Σt_b);
    each group's units (their own lengths) are drawn ``resamples`` times from a negative
    binomial with mean R₀·t_i and the group's own dispersion 1/k, estimated by moments
    around its own rate (squares over n − 1; a group without a hit borrows the other's;
    Poisson where the units spread no more than counting noise). p =
    (1 + #{T* ≥ T}) / (1 + resamples), T the statistic of :func:`log_ratio_statistic` (as
    the permutation test). Where one group is burstier than the other, relabelling units
    mixes the two spreads and the permutation test's p is too small; here the bursty
    group stays bursty (validation/README.md). 1 where neither group has a hit.

    Parameters
    ----------
    y_a, t_a : array-like of float
        Hits and tokens per unit of group a, shaped as in :func:`rate_interval`.
    y_b, t_b : array-like of float
        The same for group b (the same columns).
    resamples : int, default 9999
        Simulated pairs of groups.
    seed : int, default 1945
        Seed of the simulation (an int or a sequence of ints); each column draws from its
        own stream, [seed, its number], so that its p does not depend on the other columns.
    columns : list of int, optional
        The numbers of the columns given (default 0, 1, …), when they are some of a table's.

    Returns
    -------
    numpy.ndarray
        Two-sided p per column; NaN where the statistic is undefined.
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    observed = _observed(y_a, t_a, y_b, t_b, True)
    y, t = np.vstack([y_a, y_b]), np.vstack([t_a, t_b])
    pooled_rate = y.sum(axis=0) / t.sum(axis=0)
    own = [_excess_dispersion(side, lengths) for side, lengths in ((y_a, t_a), (y_b, t_b))]
    hit = [side.sum(axis=0) > 0 for side in (y_a, y_b)]
    # a group without a hit shows no spread of its own: it borrows the other group's (the
    # two groups' pooled spread would count their difference as spread)
    excess = [np.where(hit[0], own[0], own[1]), np.where(hit[1], own[1], own[0])]
    seeds = list(np.atleast_1d(seed)) if not isinstance(seed, int) else [seed]
    names = range(y.shape[1]) if columns is None else columns
    at_least = np.zeros(y.shape[1], dtype=np.int64)
    chunk = max(1, 1_000_000 // max(len(y), 1))
    for c, name in enumerate(names):  # each column its own stream: its p is its own
        rng = np.random.default_rng([*seeds, int(name)])
        one = slice(c, c + 1)
        t_one_a = t_a[:, one] if t_a.shape[1] > 1 else t_a
        t_one_b = t_b[:, one] if t_b.shape[1] > 1 else t_b
        for start in range(0, resamples, chunk):
            rows = min(chunk, resamples - start)
            side_a = _simulated_moments(rng, t_one_a, pooled_rate[one], excess[0][one], rows)
            side_b = _simulated_moments(rng, t_one_b, pooled_rate[one], excess[1][one], rows)
            values = _statistic(side_a, len(y_a), side_b, len(y_b), True)
            at_least[c] += _as_extreme(values, observed[one])[0]
    return _finish((1 + at_least) / (1 + resamples), observed, y)


def two_sample_pvalues(
    y_a,
    t_a,
    y_b,
    t_b,
    *,
    permutations: int = PERMUTATIONS,
    resamples: int = PERMUTATIONS,
    seed: int = 1945,
    below: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """The test of :func:`rhetoric.measures.rates.compare_groups`: the larger p of the
    permutation test (:func:`permutation_pvalues`, exact when the groups' units are
    exchangeable) and the parametric bootstrap (:func:`bootstrap_pvalues`, which keeps
    each group's own spread), both on the studentized log rate ratio.

    A p that both tests give below alpha is below alpha under either set of
    assumptions. Measured on null designs where the groups differ in length, in
    spread, or both: validation/README.md.

    Parameters
    ----------
    y_a, t_a, y_b, t_b : array-like of float
        Hits and tokens per unit of each group, shaped as in :func:`rate_interval`.
    permutations : int, default 9999
        Random relabellings when the exact permutation test needs more.
    resamples : int, default 9999
        Simulated pairs of groups of the bootstrap.
    seed : int, default 1945
        Seed of both (an int or a sequence of ints).
    below : float, default 1.0
        Run the bootstrap only for columns whose permutation p is below this (pass the
        verdicts' alpha: where the permutation p is not below it, the larger p is not
        either, and the bootstrap's p is NaN).

    Returns
    -------
    p, p_permutation, p_bootstrap : numpy.ndarray
        Per column (p the larger of the two; the permutation p where the bootstrap has
        none).
    exact : bool
        Whether the permutation test enumerated every relabelling.
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    p_perm, exact = permutation_pvalues(y_a, t_a, y_b, t_b, permutations=permutations,
                                        seed=seed)  # fmt: skip
    p_boot = np.full(len(p_perm), np.nan)
    wanted = np.flatnonzero(p_perm < below)
    if len(wanted):

        def part(t):
            return t[:, wanted] if t.shape[1] > 1 else t

        p_boot[wanted] = bootstrap_pvalues(y_a[:, wanted], part(t_a), y_b[:, wanted], part(t_b),
                                           resamples=resamples, seed=seed,
                                           columns=[int(c) for c in wanted])  # fmt: skip
    return np.fmax(p_perm, p_boot), p_perm, p_boot, exact


def score_pvalues(y_a, t_a, y_b, t_b) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p of a score-type test of equal rates, per column, with its signed z:
    fast enough for every term of a keyness table.

    z = (log R̃_a − log R̃_b) / √(V_a + V_b) as in :func:`log_ratio_statistic`, but each
    V measured as if the null were true: the squares around the pooled rate R₀ (not the
    group's own), n/(n−1)·Σ(y_i − R₀t_i)² / (Y + δT)², never below the Poisson variance
    1/min(Y + δT, (R₀ + δ)T) (of the count observed or the count the null expects,
    whichever is smaller: the larger variance). A group that by chance missed a bursty
    word's bursts then does not look more certain than it is. p from Student's t with
    Welch–Satterthwaite degrees of freedom. Measured on null corpora whose groups differ
    in length or spread (validation/README.md): far fewer false flags than the same z with
    each group's own spread, at a cost in power. 1 (z 0) where neither group has a hit;
    NaN where a group has fewer than two units.

    Parameters
    ----------
    y_a, t_a, y_b, t_b : array-like of float
        Hits and tokens per unit of each group, shaped as in :func:`rate_interval`.

    Returns
    -------
    p, z : numpy.ndarray
        Per column; z > 0 where group a's rate is higher.
    """
    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    return score_test(_moments(np.ones((1, len(y_a))), y_a, t_a), len(y_a),
                      _moments(np.ones((1, len(y_b))), y_b, t_b), len(y_b))  # fmt: skip


def score_test(side_a: list, n_a: int, side_b: list, n_b: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`score_pvalues` from each group's sums over its units (what keyness computes
    from a sparse matrix of term counts).

    Parameters
    ----------
    side_a : list of array-like
        Σy, Σt, Σy², Σy·t and Σt² over group a's units, one value per column.
    n_a : int
        Group a's units.
    side_b, n_b
        The same for group b.

    Returns
    -------
    p, z : numpy.ndarray
        As :func:`score_pvalues`.
    """
    from scipy.special import stdtr

    side_a = [np.asarray(x, dtype=np.float64).reshape(-1) for x in side_a]
    side_b = [np.asarray(x, dtype=np.float64).reshape(-1) for x in side_b]
    columns = len(side_a[0])
    if min(n_a, n_b) < 2:
        return np.full(columns, np.nan), np.full(columns, np.nan)
    added = _added_rate(side_a, side_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (side_a[0] + side_b[0]) / (side_a[1] + side_b[1])
        parts = []
        for (total_y, total_t, yy, yt, tt), n in ((side_a, n_a), (side_b, n_b)):
            squares = np.maximum(yy - 2 * pooled * yt + pooled * pooled * tt, 0.0)
            shifted = total_y + added * total_t
            variance = np.maximum(squares / shifted**2 * n / (n - 1),
                                  1 / np.minimum(shifted, (pooled + added) * total_t))  # fmt: skip
            parts.append((np.log(total_y / total_t + added), variance))
        (log_a, var_a), (log_b, var_b) = parts
        z = (log_a - log_b) / np.sqrt(var_a + var_b)
        df = (var_a + var_b) ** 2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
        p = np.minimum(2 * stdtr(df, -np.abs(z)), 1.0)
    hit = side_a[0] + side_b[0] > 0
    return np.where(hit, p, 1.0), np.where(hit, z, 0.0)


def detectable_ratio(
    y_a, t_a, y_b, t_b, *, alpha: float = 0.05, power: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """The smallest rate ratio a two-sided test at ``alpha`` finds with ``power``, and the
    power to find a doubling, per column (normal approximation).

    se₀ is the standard error of the log rate ratio with each group's own relative spread:
    √(V_a + V_b), V_g = max(n/(n−1)·Σ(y_i − R_g t_i)² / Y_g², 1/(R₀T_g)) over the group's
    units, R_g = Y_g/T_g its own rate (so that a real difference between the groups does
    not count as noise), never below the Poisson variance of the count the pooled rate R₀
    expects. Then the
    detectable ratio is exp((z_{1−α/2} + z_power)·se₀) and the power at a ratio of 2 is
    Φ(log 2 / se₀ − z_{1−α/2}). Pass the per-test level of a multiple comparison (e.g.
    alpha / themes, Holm's first step). NaN and 0 where no unit has a hit.

    Parameters
    ----------
    y_a, t_a, y_b, t_b : array-like of float
        Hits and tokens per unit of each group, shaped as in :func:`rate_interval`.
    alpha : float, default 0.05
        Two-sided level of one test.
    power : float, default 0.8
        Power at the detectable ratio.

    Returns
    -------
    ratio, power_doubling : numpy.ndarray
        Per column.
    """
    from scipy.special import ndtr, ndtri

    y_a, t_a = _columns(y_a, t_a)
    y_b, t_b = _columns(y_b, t_b)
    total_y = y_a.sum(axis=0) + y_b.sum(axis=0)
    pooled = total_y / (t_a.sum(axis=0) + t_b.sum(axis=0))
    variance = np.zeros(y_a.shape[1])
    for y, t in ((y_a, t_a), (y_b, t_b)):
        n, expected = len(y), pooled * t.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            # the group's own relative spread (around its own rate: a real difference between
            # the groups is not noise), never below the Poisson variance at the pooled rate
            own = y.sum(axis=0) / t.sum(axis=0)
            squares = ((y - own * t) ** 2).sum(axis=0) * n / max(n - 1, 1e-300)
            relative = np.where(own > 0, squares / np.where(own > 0, y.sum(axis=0), 1) ** 2, 0.0)
            variance += np.maximum(relative, 1 / expected)
    se = np.sqrt(variance)
    critical = ndtri(1 - alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = np.where(total_y > 0, np.exp((critical + ndtri(power)) * se), np.nan)
        doubling = np.where(total_y > 0, ndtr(np.log(2) / se - critical), 0.0)
    return ratio, doubling


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
