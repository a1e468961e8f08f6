"""rhetoric.measures.inference: reference values from statsmodels and scipy, and hand-countable toys."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy import stats
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from rhetoric.measures import inference

# -- group intervals: the robust Poisson GLM ----------------------------------------------


def _glm(y, t, group=None):
    """statsmodels' Poisson GLM with offset log t (and a group indicator), HC0."""
    x = np.ones((len(y), 1)) if group is None else np.column_stack([np.ones(len(y)), group])
    family = sm.families.Poisson()
    return sm.GLM(y, x, family=family, offset=np.log(t)).fit(cov_type="HC0")


def test_rate_interval_equals_statsmodels_for_equal_lengths():
    y = np.array([3.0, 0.0, 7.0, 2.0, 5.0, 1.0])
    t = np.full(6, 400.0)
    fit = _glm(y, t)
    rate, low, high = inference.rate_interval(y, t)
    assert np.log(rate[0]) == pytest.approx(fit.params[0])
    # equal lengths: every leverage is 1/n, so HC3 = HC0 × (n/(n-1))²
    se = fit.bse[0] * 6 / 5
    q = stats.t.ppf(0.975, 5)
    assert low[0] == pytest.approx(rate[0] * np.exp(-q * se))
    assert high[0] == pytest.approx(rate[0] * np.exp(q * se))


def test_rate_interval_by_hand_with_unequal_lengths():
    y = np.array([2.0, 0.0, 5.0, 1.0])
    t = np.array([100.0, 200.0, 300.0, 400.0])
    rate = 8 / 1000
    residuals = (y - rate * t) / (1 - t / 1000)
    se = np.sqrt((residuals**2).sum() / 8**2)
    # Satterthwaite df: expected terms μ + μ²/k over (1 − h)², 1/k = (Σ(y − μ)² − Σy) / Σμ²
    mu = rate * t  # 0.8, 1.6, 2.4, 3.2
    excess = (15.6 - 8) / 19.2
    assert excess == pytest.approx((((y - mu) ** 2).sum() - 8) / (mu**2).sum())
    w = (mu + mu**2 * excess) / (1 - t / 1000) ** 2
    df = w.sum() ** 2 / (w**2).sum()
    assert 1 < df < 3  # the long documents carry the variance: fewer than n − 1 = 3
    q = stats.t.ppf(0.975, df)
    got_rate, low, high = inference.rate_interval(y, t)
    assert got_rate[0] == pytest.approx(rate)
    assert np.log(got_rate[0]) == pytest.approx(_glm(y, t).params[0])
    assert (low[0], high[0]) == pytest.approx((rate * np.exp(-q * se), rate * np.exp(q * se)))
    assert inference.rate_interval(y, t, level=0.9)[2][0] < high[0]


def test_rate_interval_columns_zero_hits_and_one_document():
    y = np.array([[1.0, 0.0], [4.0, 0.0], [2.0, 0.0]])
    t = np.array([100.0, 300.0, 200.0])
    rate, low, high = inference.rate_interval(y, t)
    assert rate[1] == 0 and np.isnan(low[1]) and np.isnan(high[1])  # no log rate without a hit
    assert low[0] < rate[0] < high[0]
    single = inference.rate_interval([3.0], [100.0])
    assert single[0][0] == pytest.approx(0.03) and np.isnan(single[1][0])


def test_ratio_interval_equals_statsmodels_with_a_group_covariate():
    y = np.array([3.0, 5.0, 4.0, 9.0, 1.0, 2.0, 0.0, 3.0])
    t = np.full(8, 250.0)
    group = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    fit = _glm(y, t, group)
    ratio, low, high = inference.ratio_interval(y[:4], t[:4], y[4:], t[4:])
    assert np.log(ratio[0]) == pytest.approx(fit.params[1])
    se = fit.bse[1] * 4 / 3  # each group: 4 documents of equal length, HC3 = HC0 × (4/3)²
    q = stats.t.ppf(0.975, 6)
    assert (low[0], high[0]) == pytest.approx((ratio[0] * np.exp(-q * se),
                                              ratio[0] * np.exp(q * se)))  # fmt: skip
    none = inference.ratio_interval([0.0, 0.0], [10.0, 10.0], [1.0, 2.0], [10.0, 10.0])
    assert np.isnan(none[0][0]) and np.isnan(none[1][0])


def test_ratio_interval_degrees_of_freedom_pool_both_groups_terms():
    # group a: one long document carries the rate; group b: four equal ones, no excess spread
    y_a, t_a = np.array([12.0, 1.0, 0.0, 1.0]), np.array([2000.0, 200.0, 200.0, 200.0])
    y_b, t_b = np.array([2.0, 2.0, 2.0, 2.0]), np.full(4, 500.0)
    ratio, low, high = inference.ratio_interval(y_a, t_a, y_b, t_b)

    def terms(y, t):  # μ + μ²/k over (1 − h)², over (Σy)²; 1/k by moments, 0 if negative
        mu = y.sum() / t.sum() * t
        excess = max(0.0, (((y - mu) ** 2).sum() - y.sum()) / (mu**2).sum())
        return (mu + mu**2 * excess) / (1 - t / t.sum()) ** 2 / y.sum() ** 2

    w = np.concatenate([terms(y_a, t_a), terms(y_b, t_b)])
    df = w.sum() ** 2 / (w**2).sum()
    assert 1 < df < 3  # far fewer than N − 2 = 6: the long document is most of the variance

    def hc3(y, t):
        residual = (y - y.sum() / t.sum() * t) / (1 - t / t.sum())
        return (residual**2).sum() / y.sum() ** 2

    se = np.sqrt(hc3(y_a, t_a) + hc3(y_b, t_b))
    q = stats.t.ppf(0.975, df)
    assert ratio[0] == pytest.approx((14 / 2600) / (8 / 2000))
    assert (low[0], high[0]) == pytest.approx((ratio[0] * np.exp(-q * se),
                                              ratio[0] * np.exp(q * se)))  # fmt: skip


def test_exact_poisson_reference_values():
    # Garwood 95% limits (Ulm 1990 tables): 0 -> [0, 3.689], 5 -> [1.6235, 11.6683]
    low, high = inference.exact_poisson_interval([0, 5], [1, 1])
    assert low == pytest.approx([0.0, 1.6235], abs=1e-4)
    assert high == pytest.approx([3.6889, 11.6683], abs=1e-4)
    per_1000 = inference.exact_poisson_interval(5, 2000, per=1000)
    assert per_1000[1] == pytest.approx(11.6683 / 2, abs=1e-4)


# -- the permutation test --------------------------------------------------------------------


def _studentized(y_a, t_a, y_b, t_b) -> float:
    """The studentized log rate ratio written out once more, unit by unit."""
    added = 0.5 / ((sum(t_a) + sum(t_b)) / 2)  # half a hit in a group of average size
    pooled = (sum(y_a) + sum(y_b)) / (sum(t_a) + sum(t_b)) + added

    def side(y, t):
        n, total_y, total_t = len(y), sum(y), sum(t)
        rate = total_y / total_t
        squares = sum((yi - rate * ti) ** 2 for yi, ti in zip(y, t, strict=True))
        shifted = total_y + added * total_t
        robust = squares / shifted**2 * n / (n - 1) if n > 1 else np.inf
        return np.log(rate + added), max(robust, 1 / (pooled * total_t))

    (log_a, var_a), (log_b, var_b) = side(y_a, t_a), side(y_b, t_b)
    return abs(log_a - log_b) / np.sqrt(var_a + var_b)


def test_studentized_statistic_by_hand():
    # a: 2, 3, 4 hits in 100 tokens each; b: 0, 1. δ = 0.5 / 250 = 0.002 added to both
    # rates; the pooled R₀ + δ = 10/500 + 0.002 = 0.022. R_a = 0.03, squares 1 + 0 + 1 = 2,
    # Y + δT = 9.6: robust 3/2 · 2 / 9.6² = 0.0326, below the Poisson floor of the count
    # R₀ expects, 1/(0.022 · 300) = 0.1515; R_b = 0.005, squares 0.25 + 0.25, 1 + 0.4 = 1.4:
    # robust 2 · 0.5 / 1.4² = 0.510 > 1/(0.022 · 200) = 0.227.
    # T = log(0.032 / 0.007) / √(0.1515 + 0.5102) = 1.5198 / 0.8135 = 1.8683
    value = inference.log_ratio_statistic([2.0, 3, 4], [100.0] * 3, [0.0, 1], [100.0] * 2)
    assert value[0] == pytest.approx(1.8683, abs=1e-4)
    assert value[0] == pytest.approx(_studentized([2, 3, 4], [100] * 3, [0, 1], [100] * 2))
    # without the floor: √(0.0326 + 0.510)
    bare = inference.log_ratio_statistic([2.0, 3, 4], [100.0] * 3, [0.0, 1], [100.0] * 2,
                                         floor=False)  # fmt: skip
    assert bare[0] == pytest.approx(1.5198 / np.sqrt(3 / 92.16 + 1 / 1.96), abs=1e-4)


def test_a_group_without_hits_is_not_as_uncertain_as_any_rate():
    """32 hits in 8 events against none in 8 (the sensitivity test's corpus): with the floor
    taken from the count observed (0 + δT), the side without hits had a variance of 3.2 and
    the bootstrap's p was 0.016, Holm 0.15: "underpowered"; with the count the pooled rate
    expects (10 hits), p is at its smallest."""
    y_a, t_a = [4.0] * 8, [99.0, 107, 115, 123, 131, 139, 147, 155]
    y_b, t_b = [0.0] * 8, [38.0, 44, 50, 56, 62, 68, 74, 80]
    p, p_perm, p_boot, exact = inference.two_sample_pvalues(y_a, t_a, y_b, t_b,
                                                            permutations=999, resamples=999)  # fmt: skip
    assert not exact and p_perm[0] == p_boot[0] == p[0] == 0.001


def test_permutation_p_by_hand_and_against_scipy():
    # five documents of 100 tokens with 2, 3, 4 (group a) and 0, 1 hits (group b): of the
    # C(5, 3) = 10 splits, the observed one has the largest studentized statistic (1.87; the
    # mirror, {2, 0, 1} against {3, 4}, 1.66), so p = 1/10
    y_a, y_b = np.array([2.0, 3.0, 4.0]), np.array([0.0, 1.0])
    t_a, t_b = np.full(3, 100.0), np.full(2, 100.0)
    p, exact = inference.permutation_pvalues(y_a, t_a, y_b, t_b)
    y, t = np.concatenate([y_a, y_b]), np.concatenate([t_a, t_b])
    values = sorted(
        _studentized(y[list(pick)], t[list(pick)], np.delete(y, pick), np.delete(t, pick))
        for pick in combinations(range(5), 3)
    )
    assert values[-1] == pytest.approx(1.8683, abs=1e-4) and values[-2] < 1.7
    assert exact and p[0] == pytest.approx(0.1)

    def statistic(i, j):
        return _studentized(y[i], t[i], y[j], t[j])

    reference = stats.permutation_test((np.arange(3), np.arange(3, 5)), statistic,
                                       alternative="greater", vectorized=False)  # fmt: skip
    assert p[0] == pytest.approx(reference.pvalue)


def test_permutation_p_unequal_lengths_against_scipy_exact():
    rng = np.random.default_rng(4)
    y = rng.poisson(3, size=(9, 3)).astype(float)
    t = rng.integers(50, 500, size=9).astype(float)
    p, exact = inference.permutation_pvalues(y[:5], t[:5], y[5:], t[5:])
    assert exact
    for column in range(3):

        def statistic(i, j, c=column):
            return _studentized(y[i, c], t[i], y[j, c], t[j])

        reference = stats.permutation_test((np.arange(5), np.arange(5, 9)), statistic,
                                           alternative="greater", vectorized=False)  # fmt: skip
        assert p[column] == pytest.approx(reference.pvalue)


def test_random_permutations_are_seeded_and_close_to_the_exact_p():
    rng = np.random.default_rng(9)
    y = rng.poisson(4, size=(16, 2)).astype(float)
    t = rng.integers(100, 400, size=16).astype(float)
    exact, is_exact = inference.permutation_pvalues(y[:8], t[:8], y[8:], t[8:], permutations=20000)
    assert is_exact  # C(16, 8) = 12,870 splits
    sampled, is_exact = inference.permutation_pvalues(y[:8], t[:8], y[8:], t[8:],
                                                      permutations=4999, seed=3)  # fmt: skip
    assert not is_exact
    assert sampled == pytest.approx(exact, abs=0.02)  # Monte Carlo error about 0.007
    again, _ = inference.permutation_pvalues(y[:8], t[:8], y[8:], t[8:], permutations=4999, seed=3)
    assert np.array_equal(sampled, again)
    counts = sampled * 5000 - 1  # p = (1 + count) / (1 + B)
    assert counts == pytest.approx(np.round(counts)) and (counts >= 0).all()


def test_no_hit_anywhere_gives_p_one():
    p, _ = inference.permutation_pvalues(np.zeros(3), np.full(3, 10.0), np.zeros(3),
                                         np.full(3, 10.0))  # fmt: skip
    assert p[0] == 1.0


# -- adjustments -------------------------------------------------------------------------------


def test_holm_and_benjamini_hochberg_against_statsmodels_and_scipy():
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.005, 0.5, 0.049])
    assert inference.holm(p) == pytest.approx(multipletests(p, method="holm")[1])
    assert inference.benjamini_hochberg(p) == pytest.approx(stats.false_discovery_control(p))
    assert inference.benjamini_hochberg(p) == pytest.approx(multipletests(p, method="fdr_bh")[1])
    # by hand: Holm multiplies the smallest by 7, the next by 6, ... and keeps the order
    assert inference.holm(p)[4] == pytest.approx(0.035)
    assert inference.holm(p)[0] == pytest.approx(0.06)


def test_adjustments_leave_untested_entries_out():
    p = np.array([0.01, np.nan, 0.04])
    assert np.isnan(inference.holm(p)[1])
    assert inference.holm(p)[[0, 2]] == pytest.approx([0.02, 0.04])
    assert inference.benjamini_hochberg(p)[[0, 2]] == pytest.approx([0.02, 0.04])
    assert np.isnan(inference.holm([np.nan])).all()


# -- Mann–Whitney --------------------------------------------------------------------------------


def test_mann_whitney_by_hand_and_against_scipy():
    # x = 0, 0, 1 against y = 2, 3: every y is larger, U_x = 0; ties among the two zeros
    x, y = np.array([[0.0], [0.0], [1.0]]), np.array([[2.0], [3.0]])
    n1, n2, n = 3, 2, 5
    variance = n1 * n2 / 12 * ((n + 1) - (2**3 - 2) / (n * (n - 1)))
    z = (abs(0 - n1 * n2 / 2) - 0.5) / np.sqrt(variance)
    assert inference.mann_whitney_pvalues(x, y)[0] == pytest.approx(2 * stats.norm.sf(z))
    rng = np.random.default_rng(2)
    many_x = rng.poisson(0.7, size=(12, 40)) / 100
    many_y = rng.poisson(1.1, size=(15, 40)) / 100
    reference = stats.mannwhitneyu(many_x, many_y, axis=0, method="asymptotic").pvalue
    assert inference.mann_whitney_pvalues(many_x, many_y) == pytest.approx(reference)


def test_mann_whitney_all_tied_is_one():
    assert inference.mann_whitney_pvalues(np.zeros((4, 2)), np.zeros((3, 2))).tolist() == [1, 1]


def test_label_sets_enumerate_every_split_once():
    labels, exact = inference._label_sets(6, 2, 100, np.random.default_rng(0))
    assert exact and len(labels) == 15
    assert {tuple(np.flatnonzero(row)) for row in labels} == set(combinations(range(6), 2))


def test_an_undefined_statistic_is_no_evidence():
    """A group whose documents have no word token has no rate: p was 0 (the NaN statistic
    compared false with every relabelling), which Holm would have called a difference."""
    p, exact = inference.permutation_pvalues([[0], [0]], [0, 0], [[1], [2]], [100, 100])
    assert exact and np.isnan(p).all()
    # a relabelling with an undefined statistic counts as extreme; by hand over the 6 ways
    # to choose 2 of the 4 documents (none leaves a side without tokens here but the
    # enumeration says so itself)
    p, _exact = inference.permutation_pvalues([[0], [3]], [0, 60], [[1], [2]], [100, 100])
    values = []
    y, t = np.array([0.0, 3, 1, 2]), np.array([0.0, 60, 100, 100])
    for pick in combinations(range(4), 2):
        inside = np.isin(np.arange(4), pick)
        empty = t[inside].sum() == 0 or t[~inside].sum() == 0
        values.append(np.inf if empty else _studentized(y[inside], t[inside], y[~inside],
                                                         t[~inside]))  # fmt: skip
    observed = _studentized(y[:2], t[:2], y[2:], t[2:])
    assert p[0] == pytest.approx(sum(v >= observed - 1e-12 for v in values) / 6)


def test_a_relabelling_without_tokens_on_one_side_counts_as_extreme():
    # splits of one document into group a: {a0} (observed) and {b1} have statistic 0 (one
    # unit has an unknown variance), {b0} undefined (no tokens): all three at least as
    # extreme, so p = 3/3
    p, exact = inference.permutation_pvalues([[3]], [60], [[0], [2]], [0, 100])
    assert exact and p[0] == pytest.approx(1.0)
