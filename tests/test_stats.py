"""Checks of resettle.analysis.stats: paired scenario comparisons under common random numbers.

Stochastic claims are checked over many synthetic datasets drawn from the fixed root seed, with
tolerances of ±3.5 binomial standard deviations around the rate the method should achieve
(a correct method fails such a check with probability about 5e-4 per bound).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from resettle.analysis.stats import (
    SUMMARY_COLUMNS,
    Interval,
    Resampler,
    cohens_dz,
    effect_label,
    mean_ci,
    milestone_values,
    paired_difference,
    precision_row,
    required_reps,
    summary_table,
    wilcoxon_p,
    window_mean,
)

ROOT_SEED = 20261124
N_DATASETS = 1000  # synthetic datasets per coverage / false-positive check
N_REPS = 30  # replications (pairs) per dataset
RESAMPLES = 999  # bootstrap resamples in the coverage checks (speed)
K_SD = 3.5  # tolerance in binomial standard deviations


def _rng(*key: int) -> np.random.Generator:
    """A generator for one purpose, derived from the root seed and ``key``."""
    return np.random.default_rng(np.random.SeedSequence([ROOT_SEED, *key]))


def _binomial_sd(p: float, n: int) -> float:
    """Standard deviation of an observed rate with true rate ``p`` over ``n`` trials."""
    return math.sqrt(p * (1 - p) / n)


def _coverage_band(n_reps: int = N_REPS, n_datasets: int = N_DATASETS) -> tuple[float, float]:
    """Acceptable coverage of a nominal 95% bootstrap CI of a mean from ``n_reps`` values.

    Bootstrap intervals of a mean use the plug-in SE (ddof 0) and normal-like quantiles, so
    for normal data they cover about like the z-interval with that SE: P(|t_{n-1}| <
    1.96·√((n-1)/n)) ≈ 0.936 for n = 30 (a direct check with 8000 datasets gave 0.934). The
    band runs from that small-sample rate minus K_SD binomial sds (N = 1000: sd ≈ 0.008, bound
    ≈ 0.909) to the nominal 0.95 plus K_SD sds (≈ 0.974): gross under- or over-coverage, e.g.
    a 90% interval or a CI of the wrong width, falls outside.
    """
    z = sps.norm.ppf(0.975)
    small_sample = 2 * sps.t.cdf(z * math.sqrt((n_reps - 1) / n_reps), n_reps - 1) - 1
    return (small_sample - K_SD * _binomial_sd(small_sample, n_datasets),
            0.95 + K_SD * _binomial_sd(0.95, n_datasets))


def _crn_pairs(rng: np.random.Generator, shift: float, noise: str = "normal"):
    """N_DATASETS × N_REPS paired outcomes under common random numbers.

    Each replication has a shared component (its seed's luck, sd 2) plus scenario-specific
    noise; scenario b adds ``shift``. With iid noise the differences b - a - shift are
    symmetric about 0 even when the noise is skewed (exponential).
    """
    shape = (N_DATASETS, N_REPS)
    common = 2.0 * rng.normal(size=shape)
    draw = rng.normal if noise == "normal" else rng.exponential
    return common + draw(size=shape), common + shift + draw(size=shape)


def _compare_all(a: np.ndarray, b: np.ndarray, rng: np.random.Generator):
    """paired_difference for each dataset (row)."""
    return [paired_difference(x, y, rng, n_resamples=RESAMPLES) for x, y in zip(a, b, strict=True)]


@pytest.fixture(scope="module")
def null_results():
    """Comparisons of two scenarios that differ only by noise (the null hypothesis is true)."""
    a, b = _crn_pairs(_rng(2), shift=0.0)
    return _compare_all(a, b, _rng(3))


# --- coverage and false positives ------------------------------------------------------------

def test_paired_ci_covers_known_shift():
    """The 95% CI of the mean difference covers the true shift δ at about the nominal rate."""
    delta = 0.5
    a, b = _crn_pairs(_rng(1), shift=delta)
    results = _compare_all(a, b, _rng(11))
    coverage = np.mean([r.low <= delta <= r.high for r in results])
    low, high = _coverage_band()
    print(f"paired CI coverage of δ: {coverage:.3f} (band {low:.3f}..{high:.3f})")
    assert low <= coverage <= high


def test_mean_ci_covers_known_mean():
    """mean_ci's 95% interval covers the true mean at about the nominal rate."""
    mu = 3.0
    values = mu + 2.0 * _rng(4).normal(size=(N_DATASETS, N_REPS))
    boot = _rng(5)
    cis = [mean_ci(v, boot, n_resamples=RESAMPLES) for v in values]
    coverage = np.mean([ci.low <= mu <= ci.high for ci in cis])
    low, high = _coverage_band()
    print(f"mean_ci coverage: {coverage:.3f} (band {low:.3f}..{high:.3f})")
    assert low <= coverage <= high


def test_identical_scenarios_false_positive_rate(null_results):
    """Under the null, Wilcoxon p < 0.05 about 5% of the time.

    The differences are symmetric about 0, so the exact signed-rank test (n = 30, no ties) has
    size at most, and very close to, 0.05. Band: 0.05 ± K_SD binomial sds (N = 1000:
    sd ≈ 0.0069, band ≈ 0.026..0.074), which excludes e.g. a one-sided p-value (≈ 10%) or a
    test that never rejects.
    """
    rate = np.mean([r.p_value < 0.05 for r in null_results])
    print(f"false-positive rate at 5% (normal noise): {rate:.3f}")
    _assert_about_5_percent(rate)


def _assert_about_5_percent(rate: float) -> None:
    """``rate`` lies within K_SD binomial sds of 0.05 over N_DATASETS trials."""
    sd = _binomial_sd(0.05, N_DATASETS)
    assert 0.05 - K_SD * sd <= rate <= 0.05 + K_SD * sd


def test_wilcoxon_false_positive_rate_skewed_noise():
    """The signed-rank test needs only symmetric differences: with skewed (exponential)
    scenario noise the differences are Laplace and p < 0.05 still occurs about 5% of the time
    (band as above). The bootstrap CI is not checked here: for such heavy-tailed differences at
    n = 30 it covers only about 91% (measured), below the normal-data band."""
    a, b = _crn_pairs(_rng(27), shift=0.0, noise="exponential")
    rng = _rng(28)
    rate = np.mean([wilcoxon_p(d, rng) < 0.05 for d in b - a])
    print(f"false-positive rate at 5% (exponential noise): {rate:.3f}")
    _assert_about_5_percent(rate)


def test_identical_scenarios_ci_contains_zero(null_results):
    """Under the null the CI of the difference contains 0 at about 95% (band as for coverage)."""
    coverage = np.mean([r.low <= 0 <= r.high for r in null_results])
    low, high = _coverage_band()
    print(f"null CI contains 0: {coverage:.3f} (band {low:.3f}..{high:.3f})")
    assert low <= coverage <= high


# --- exact cases ------------------------------------------------------------------------------

def test_scenario_against_itself():
    """b == a exactly: no difference, a collapsed CI, p = 1 and no effect."""
    a = _rng(6).normal(size=N_REPS)
    res = paired_difference(a, a.copy(), _rng(7))
    assert (res.diff, res.low, res.high) == (0.0, 0.0, 0.0)
    assert res.p_value == 1.0
    assert res.effect_size == 0.0
    assert res.effect_label == "negligible"
    assert res.n == N_REPS and res.mean_a == res.mean_b


def test_constant_shift_has_undefined_effect_size():
    """b = a + c: diff c, CI (c, c) and d_z NaN (sd 0), not ±inf."""
    a = _rng(8).normal(size=10)
    res = paired_difference(a, a + 0.1, _rng(9))
    assert res.diff == pytest.approx(0.1, abs=1e-12)
    assert res.low == pytest.approx(0.1, abs=1e-12) and res.high == pytest.approx(0.1, abs=1e-12)
    assert math.isnan(res.effect_size) and res.effect_label == "undefined"
    # All ten differences positive: exact two-sided p = 2 / 2**10.
    assert res.p_value == pytest.approx(2 / 2**10)


def test_paired_difference_drops_nan_pairs_and_checks_lengths():
    """A pair with a NaN member is dropped; unequal lengths are an error."""
    a = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    b = np.array([2.0, 2.5, 3.0, np.nan, 7.0])
    res = paired_difference(a, b, _rng(10))
    assert res.n == 3
    assert res.diff == pytest.approx(np.mean([1.0, 0.5, 2.0]))
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0], _rng(10))


def test_wilcoxon_zeros_are_dropped():
    """Zero differences are dropped before ranking (zero_method 'wilcox'); all zero → p = 1."""
    d = np.array([0.0, 0.0, 1.5, -0.5, 2.0, 3.0, 0.0, 4.5])
    expected = sps.wilcoxon(d[d != 0], method="exact").pvalue
    assert wilcoxon_p(d, _rng(12)) == pytest.approx(expected)
    assert wilcoxon_p(np.zeros(5), _rng(12)) == 1.0


def test_cohens_dz_and_labels():
    """d_z = mean/sd with Cohen's (1988) thresholds 0.2, 0.5, 0.8."""
    assert cohens_dz(np.array([1.0, 2.0, 3.0])) == pytest.approx(2.0)
    assert cohens_dz(np.zeros(4)) == 0.0
    labels = [effect_label(v) for v in (0.0, 0.19, 0.2, -0.49, 0.5, 0.79, -0.8, 3.0)]
    assert labels == ["negligible", "negligible", "small", "small", "medium", "medium",
                      "large", "large"]
    assert effect_label(math.nan) == "undefined"


# --- mean_ci edge cases -----------------------------------------------------------------------

def test_mean_ci_degenerate_collapses_silently():
    """All values equal: the CI is the value itself, with no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ci = mean_ci(np.full(20, 0.7), _rng(13))
    assert ci == Interval(0.7, 0.7, 0.7) and ci.half_width == 0.0


def test_mean_ci_nan_and_small_samples():
    """NaNs are dropped; fewer than two values give NaN bounds."""
    values = _rng(14).normal(size=15)
    with_nan = np.concatenate([values, [np.nan, np.nan]])
    assert mean_ci(with_nan, _rng(15)) == mean_ci(values, _rng(15))
    single = mean_ci([np.nan, 2.0], _rng(15))
    assert single.estimate == 2.0 and math.isnan(single.low) and math.isnan(single.high)
    assert math.isnan(mean_ci([], _rng(15)).estimate)


def test_mean_ci_bca_falls_back_to_percentile():
    """Where BCa is degenerate (NaN) mean_ci silently returns the percentile interval of the
    same resamples.

    With only two resamples of [0, 1], BCa's bias correction is often infinite (no resample
    mean below the estimate 0.5); the precondition checks, with scipy on the very same draws,
    that this seed does that.
    """
    x, kw = np.array([0.0, 1.0]), {"n_resamples": 2, "vectorized": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bca = sps.bootstrap((x,), np.mean, method="BCa", rng=_rng(22), **kw).confidence_interval
    assert np.isnan(bca.low)  # precondition: BCa really is degenerate here
    pct = sps.bootstrap((x,), np.mean, method="percentile", rng=_rng(22),
                        **kw).confidence_interval
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ci = mean_ci(x, _rng(22), n_resamples=2)
    assert (ci.low, ci.high) == (pct.low, pct.high)
    assert math.isfinite(ci.low) and math.isfinite(ci.high)


@pytest.mark.parametrize("method", ["BCa", "percentile"])
@pytest.mark.parametrize(("n", "seed"), [(12, 30), (30, 31), (100, 32), (250, 33)])
def test_mean_ci_is_scipy_bootstrap_on_the_same_draws(method, n, seed):
    """The interval is scipy.stats.bootstrap's (BCa or percentile) when both draw the same
    resamples from equally seeded generators (up to floating-point rounding of the means).

    Not for the tiniest samples: with n = 5 a few percent of resamples are permutations of
    the sample, whose mean equals the estimate up to rounding, and the two summation orders
    then count them on different sides of it (BCa's bias correction moves a little)."""
    x = _rng(seed).gamma(2.0, size=n)
    kw = {"n_resamples": 999, "vectorized": True, "method": method}
    ref = sps.bootstrap((x,), np.mean, rng=_rng(seed + 100), **kw).confidence_interval
    ci = mean_ci(x, _rng(seed + 100), n_resamples=999, method=method)
    assert ci.low == pytest.approx(ref.low, rel=1e-9)
    assert ci.high == pytest.approx(ref.high, rel=1e-9)


def test_a_shared_resampler_draws_once_per_sample_size():
    """A Resampler draws the resamples of a sample size once and reuses them: two intervals
    of one sample agree, and a second size draws its own."""
    res = Resampler(_rng(40), n_resamples=499)
    x, y = _rng(41).normal(size=(2, 20))
    first = mean_ci(x, res)
    state = res.rng.bit_generator.state
    assert mean_ci(x, res) == first
    mean_ci(y, res)  # the same size: no new draws
    assert res.rng.bit_generator.state == state
    mean_ci(y[:10], res)
    assert res.rng.bit_generator.state != state
    assert res.counts(20).sum(axis=1).tolist() == [20.0] * 499


def test_no_global_random_state():
    """Results depend only on the generator passed in, not on numpy's global seed."""
    a, b = _rng(17).normal(size=(2, 12))
    np.random.seed(1)  # noqa: NPY002 - the global state must not matter
    first = paired_difference(a, b, _rng(18))
    np.random.seed(2)  # noqa: NPY002
    assert paired_difference(a, b, _rng(18)) == first


# --- replications needed ----------------------------------------------------------------------

@pytest.mark.parametrize(("sd", "half", "conf"), [(1.0, 0.25, 0.95), (0.3, 0.01, 0.9),
                                                  (2.5, 0.4, 0.99), (0.0, 0.1, 0.95),
                                                  (0.01, 1.0, 0.95)])
def test_required_reps_formula(sd, half, conf):
    """ceil((z·sd/h)²), at least 2."""
    z = sps.norm.ppf(1 - (1 - conf) / 2)
    assert required_reps(sd, half, conf) == max(2, math.ceil((z * sd / half) ** 2))


def test_required_reps_known_value_and_monotone():
    """(1.96/0.25)² = 61.5 → 62; more noise or a tighter target never needs fewer reps."""
    assert required_reps(1.0, 0.25) == 62
    sds = np.linspace(0.0, 3.0, 31)
    halves = np.linspace(0.05, 1.0, 20)
    by_sd = [required_reps(s, 0.2) for s in sds]
    by_half = [required_reps(1.0, h) for h in halves]
    by_conf = [required_reps(1.0, 0.2, c) for c in (0.8, 0.9, 0.95, 0.99)]
    assert by_sd == sorted(by_sd) and by_sd[-1] > by_sd[0]
    assert by_half == sorted(by_half, reverse=True) and by_half[0] > by_half[-1]
    assert by_conf == sorted(by_conf) and by_conf[-1] > by_conf[0]
    with pytest.raises(ValueError):
        required_reps(1.0, 0.0)


def test_required_reps_delivers_half_width():
    """With n = required_reps(σ, h) normal values the mean CI's half-width averages ≈ h.

    Expected ratio ≈ 0.98, not 1: the ceiling (62 vs 61.5), the bootstrap's plug-in SE
    (√(61/62)) and E[s] < σ all shrink it slightly. Over 400 datasets the Monte Carlo SE of
    the mean ratio is ≈ 0.09/√400 ≈ 0.005, so [0.955, 1.01] holds with a wide margin, while a
    wrong z (90% instead of 95%: n = 44, ratio ≈ 1.19) or a missing square fails.
    """
    h = 0.25
    n = required_reps(1.0, h)
    values = _rng(19).normal(size=(400, n))
    boot = _rng(20)
    ratio = np.mean([mean_ci(v, boot, n_resamples=RESAMPLES).half_width for v in values]) / h
    print(f"mean half-width / target at n = {n}: {ratio:.3f}")
    assert 0.955 <= ratio <= 1.01


def test_precision_row():
    """precision_row reports n, the CI half-width, whether it meets the target, and required n."""
    values = np.append(_rng(21).normal(size=40), np.nan)
    row = precision_row(values, 0.3, _rng(22))
    assert set(row) == {"n", "half_width", "enough", "required_n"}
    assert row["n"] == 40
    assert row["half_width"] == pytest.approx(mean_ci(values, _rng(22)).half_width)
    assert row["enough"] == (row["half_width"] <= 0.3)
    assert row["required_n"] == required_reps(np.nanstd(values, ddof=1), 0.3)
    assert not precision_row(values, 1e-3, _rng(22))["enough"]
    assert precision_row(values, 10.0, _rng(22))["enough"]


# --- monthly tables ---------------------------------------------------------------------------

def _monthly(values: dict[str, np.ndarray], reps: int, years: int) -> pd.DataFrame:
    """A monthly table: for each scenario, ``values[scenario][rep, month]`` as ``attitude``;
    employment is 0.5 + attitude / 10. Each scenario's replications are listed in reverse
    order for the second scenario, so pairing must use the ``replication`` column."""
    months = np.arange(12 * years + 1)
    frames = []
    for k, (scenario, grid) in enumerate(values.items()):
        order = range(reps - 1, -1, -1) if k == 1 else range(reps)
        frames += [pd.DataFrame({
            "scenario": scenario, "replication": r, "seed": 1000 + r, "month": months,
            "year": (months + 11) // 12, "attitude": grid[r],
            "employment": 0.5 + grid[r] / 10}) for r in order]
    return pd.concat(frames, ignore_index=True)


def test_milestone_values_picks_end_of_year():
    """The value at month 12·year, indexed by (scenario, replication)."""
    grid = np.arange(37)[None, :] + 1000.0 * np.arange(4)[:, None]
    table = _monthly({"x": grid, "y": grid + 0.5}, reps=4, years=3)
    got = milestone_values(table, "attitude", 2)
    assert list(got.index.names) == ["scenario", "replication"]
    assert got.loc[("x", 3)] == 3024.0 and got.loc[("y", 1)] == 1024.5
    assert len(got) == 8 and set(got.to_numpy() % 1000) == {24.0, 24.5}
    with pytest.raises(ValueError):
        milestone_values(table, "attitude", 4)


def test_window_mean_averages_the_right_months():
    """Years 2..3 are months 13..36; year 1 is months 1..12 (month 0 excluded)."""
    grid = np.tile(np.arange(37, dtype=float), (3, 1))
    table = _monthly({"x": grid}, reps=3, years=3)
    assert window_mean(table, "attitude", 2, 3).tolist() == [24.5] * 3
    assert window_mean(table, "attitude", 1, 1).tolist() == [6.5] * 3
    grid[:, 1:5] = np.nan
    assert window_mean(_monthly({"x": grid}, 3, 3), "attitude", 1, 1).tolist() == [8.5] * 3


def test_summary_table_known_structure():
    """B = A + 0.1 every month: diff 0.1 with a collapsed CI; C = A: diff 0, p = 1."""
    reps = 6
    base = _rng(23).normal(size=(reps, 37))
    table = _monthly({"B": base + 0.1, "A": base, "C": base.copy()}, reps, years=3)
    out = summary_table(table, ["attitude", "employment"], [1, 3], "A", _rng(24),
                        n_resamples=RESAMPLES)
    assert list(out.columns) == SUMMARY_COLUMNS
    assert len(out) == 2 * 2 * 3
    assert out["scenario"].tolist() == ["B", "A", "C"] * 4
    b = out[out["scenario"] == "B"]
    shift = np.where(b["metric"] == "attitude", 0.1, 0.01)
    for col in ("diff", "diff_low", "diff_high"):
        np.testing.assert_allclose(b[col], shift, rtol=0, atol=1e-12)
    np.testing.assert_allclose(b["p_value"], 2 / 2**reps)  # all six pairs positive
    assert b["effect_label"].eq("undefined").all()
    c = out[out["scenario"] == "C"]
    assert c["diff"].eq(0).all() and c["p_value"].eq(1).all() and c["effect_size"].eq(0).all()
    a = out[out["scenario"] == "A"]
    assert a[SUMMARY_COLUMNS[7:]].isna().all().all()
    assert out["n"].eq(reps).all()
    year3 = a[(a["metric"] == "attitude") & (a["year"] == 3)]
    assert year3["mean"].item() == pytest.approx(base[:, 36].mean())


def test_summary_table_rejects_unknown_baseline():
    table = _monthly({"A": np.zeros((2, 13))}, reps=2, years=1)
    with pytest.raises(ValueError, match="baseline"):
        summary_table(table, ["attitude"], [1], "Z", _rng(25))


# --- properties -------------------------------------------------------------------------------

_values = st.one_of(st.integers(-5, 5).map(float),  # small integers make ties and zeros
                    st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False))
_pairs = st.integers(1, 25).flatmap(
    lambda n: st.tuples(st.lists(_values, min_size=n, max_size=n),
                        st.lists(_values, min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(_pairs)
def test_paired_difference_antisymmetric(pair):
    """Swapping a and b negates diff and d_z and keeps the p-value and label."""
    a, b = pair
    ab = paired_difference(a, b, _rng(26), n_resamples=99)
    ba = paired_difference(b, a, _rng(26), n_resamples=99)
    assert ba.diff == -ab.diff
    assert ba.p_value == ab.p_value
    assert (ba.mean_a, ba.mean_b, ba.n) == (ab.mean_b, ab.mean_a, ab.n)
    assert ba.effect_label == ab.effect_label
    if math.isnan(ab.effect_size):
        assert math.isnan(ba.effect_size)
    else:
        assert ba.effect_size == -ab.effect_size
