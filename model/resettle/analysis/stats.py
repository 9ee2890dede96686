"""Honest uncertainty for comparing simulation scenarios.

Replication ``i`` of every scenario runs with the same seed (common random numbers), so the
difference between two scenarios is measured *within* each replication and the replications
are independent pairs. Every function here therefore works on paired differences: bootstrap
confidence intervals resample whole pairs, the test is Wilcoxon's signed-rank test and the
effect size is Cohen's d_z (the standardised mean of the paired differences).

Every random draw comes from the ``numpy.random.Generator`` passed in, never from a global
random state, so a table computed twice from the same generator seed is identical.

Conventions:

- NaN values are dropped (for pairs: a pair is dropped if either member is NaN).
- Values that differ only by floating-point rounding (relative spread ≤ ``ROUNDING``) count
  as equal: a constant sample gives a collapsed interval, and a paired difference that is
  rounding noise counts as an exact zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

N_RESAMPLES = 9999
ROUNDING = 64 * np.finfo(float).eps
RUN_KEYS = ["scenario", "replication"]
SUMMARY_COLUMNS = ["metric", "year", "scenario", "n", "mean", "low", "high", "diff", "diff_low",
                   "diff_high", "p_value", "effect_size", "effect_label"]
EFFECT_LABELS = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"))


@dataclass(frozen=True)
class Interval:
    """A point estimate with a confidence interval ``[low, high]``."""

    estimate: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        """Half the interval's length (bootstrap intervals need not be symmetric)."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class PairedResult:
    """Scenario ``b`` against scenario ``a`` over ``n`` paired replications.

    ``diff`` is the mean of ``b - a`` with confidence interval ``[low, high]``; ``p_value`` is
    the two-sided Wilcoxon signed-rank p-value; ``effect_size`` is Cohen's d_z.
    """

    n: int
    mean_a: float
    mean_b: float
    diff: float
    low: float
    high: float
    p_value: float
    effect_size: float
    effect_label: str


def _check_confidence(confidence: float) -> None:
    """Reject a confidence level outside (0, 1)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")


def _finite_values(values) -> np.ndarray:
    """``values`` as a 1-D float array with NaNs dropped."""
    x = np.asarray(values, dtype=float).ravel()
    return x[~np.isnan(x)]


def is_constant(x: np.ndarray) -> bool:
    """Whether all of ``x`` are equal up to floating-point rounding (relative ``ROUNDING``)."""
    if x.size == 0:
        return True
    return bool(np.ptp(x) <= ROUNDING * np.max(np.abs(x)))


class Resampler:
    """Bootstrap resamples of ``n`` replications: ``n_resamples`` draws of ``n`` indices with
    replacement from ``rng`` (``rng.integers(0, n, (n_resamples, n))``, the draws
    ``scipy.stats.bootstrap`` makes), stored as counts so that the resample means of any sample
    of that size are one vectorised product and sum.

    The resamples of each sample size are drawn once, on first use, and shared by every interval
    of that size computed with this resampler: ``compare`` draws one set per sample size (one in
    all, when no metric has a missing value) for all its metrics and years, so each interval is
    an ordinary bootstrap interval and the table costs one draw instead of one per interval.
    Memory: 8 · n_resamples · n bytes per sample size (8 MB for 100 replications).
    """

    def __init__(self, rng: np.random.Generator, n_resamples: int = N_RESAMPLES) -> None:
        if n_resamples < 1:
            raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
        self.rng, self.n_resamples = rng, int(n_resamples)
        self._counts: dict[int, np.ndarray] = {}

    def counts(self, n: int) -> np.ndarray:
        """(n_resamples, n): how often each value appears in each resample."""
        if n not in self._counts:
            index = self.rng.integers(0, n, (self.n_resamples, n))
            index += n * np.arange(self.n_resamples)[:, None]
            flat = np.bincount(index.ravel(), minlength=self.n_resamples * n)
            self._counts[n] = flat.reshape(self.n_resamples, n).astype(float)
        return self._counts[n]

    def means(self, x: np.ndarray) -> np.ndarray:
        """The mean of ``x`` in each resample (an elementwise product and numpy's pairwise sum,
        not a BLAS product, whose rounding could differ from one CPU to another)."""
        return (self.counts(x.size) * x).sum(axis=1) / x.size


def as_resampler(rng: np.random.Generator | Resampler, n_resamples: int) -> Resampler:
    """``rng`` itself if it is a :class:`Resampler` (its own ``n_resamples`` then count), else a
    new resampler drawing from the generator ``rng``."""
    return rng if isinstance(rng, Resampler) else Resampler(rng, n_resamples)


def _quantiles(boot: np.ndarray, levels: tuple[float, float]) -> tuple[float, float]:
    """Linear-interpolation quantiles of the bootstrap means (NaN for a NaN level)."""
    if not all(np.isfinite(levels)):
        return math.nan, math.nan
    low, high = np.quantile(boot, levels)
    return float(low), float(high)


def _bca_levels(x: np.ndarray, boot: np.ndarray, alpha: float) -> tuple[float, float]:
    """The BCa interval's quantile levels for the mean of ``x`` (Efron & Tibshirani 1993,
    An Introduction to the Bootstrap, §14.3 and eq. 14.15, as ``scipy.stats.bootstrap``
    computes them): bias correction from the
    share of resample means below the estimate, acceleration from the jackknife means."""
    estimate = np.mean(x)
    below = np.count_nonzero(boot < estimate) + np.count_nonzero(boot <= estimate)
    share = below / (2 * boot.size)
    z0 = special.ndtri(share)
    n = x.size
    jackknife = (x.sum() - x) / (n - 1)
    u = (n - 1) * (jackknife.mean() - jackknife)
    accel = np.sum(u ** 3) / n ** 3 / 6 / (np.sum(u ** 2) / n ** 2) ** 1.5
    z = special.ndtri(alpha)
    levels = [special.ndtr(z0 + (z0 + zq) / (1 - accel * (z0 + zq))) for zq in (z, -z)]
    return float(levels[0]), float(levels[1])


def _bootstrap_ci(x: np.ndarray, resampler: Resampler, confidence: float,
                  method: str) -> tuple[float, float]:
    """Bootstrap CI of the mean; BCa falls back to the percentile method (on the same
    resamples) where it is degenerate."""
    boot = resampler.means(x)
    alpha = (1 - confidence) / 2
    if method.lower() == "percentile":
        return _quantiles(boot, (alpha, 1 - alpha))
    if method.lower() != "bca":
        raise ValueError(f"method must be 'BCa' or 'percentile', got {method!r}")
    with np.errstate(all="ignore"):
        low, high = _quantiles(boot, _bca_levels(x, boot, alpha))
    if np.isfinite(low) and np.isfinite(high):
        return low, high
    return _quantiles(boot, (alpha, 1 - alpha))


def mean_ci(values, rng: np.random.Generator | Resampler, confidence: float = 0.95,
            n_resamples: int = N_RESAMPLES, method: str = "BCa") -> Interval:
    """Mean of ``values`` with a bootstrap confidence interval (the BCa or percentile interval
    of ``scipy.stats.bootstrap``, computed on the resamples of :class:`Resampler`; ``rng`` a
    generator, or a resampler shared with other intervals).

    NaNs are dropped. With fewer than two values the bounds are NaN (the estimate is the single
    value, or NaN when there is none). When all values are equal (up to rounding) the interval
    collapses to the value, without resampling or warnings. BCa (the default ``method``) falls
    back to the percentile method when it is degenerate or returns NaN.
    """
    _check_confidence(confidence)
    x = _finite_values(values)
    estimate = _mean(x)
    if x.size < 2:
        return Interval(estimate, math.nan, math.nan)
    if is_constant(x):
        return Interval(estimate, estimate, estimate)
    low, high = _bootstrap_ci(x, as_resampler(rng, n_resamples), confidence, method)
    return Interval(estimate, low, high)


def _paired_arrays(a, b) -> tuple[np.ndarray, np.ndarray]:
    """``a`` and ``b`` as float arrays of equal length, pairs with a NaN dropped."""
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
    keep = ~(np.isnan(x) | np.isnan(y))
    return x[keep], y[keep]


def paired_differences(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``b - a``, with differences that are only floating-point rounding set to exactly 0."""
    d = b - a
    noise = np.abs(d) <= ROUNDING * np.maximum(np.abs(a), np.abs(b))
    return np.where(noise, 0.0, d)


def _has_ties(x: np.ndarray) -> bool:
    """Whether ``x`` holds a repeated value."""
    return np.unique(x).size < x.size


def _wilcoxon_method(d: np.ndarray, rng: np.random.Generator):
    """Exact null distribution where valid, else a permutation test or the normal approximation.

    Mirrors scipy's ``method="auto"`` (exact for n ≤ 50 without ties; with ties an exhaustive
    sign-flip permutation test for n ≤ 13, else asymptotic) but hands the permutation test our
    generator, so no global random state could ever be used.
    """
    ties = _has_ties(np.abs(d))
    if not ties and d.size <= 50:
        return "exact"
    if ties and d.size <= 13:
        return stats.PermutationMethod(n_resamples=2 ** d.size, rng=rng)
    return "asymptotic"


def wilcoxon_p(d: np.ndarray, rng: np.random.Generator) -> float:
    """Two-sided Wilcoxon signed-rank p-value for paired differences ``d``.

    Zeros and ties: zero differences carry no sign, so they are dropped (Wilcoxon's original
    ``zero_method="wilcox"``); if every difference is zero the scenarios are indistinguishable
    and p = 1.0 exactly. Tied absolute differences get average ranks, and then the exact null
    distribution (which assumes no ties) is replaced by an exhaustive permutation test (n ≤ 13)
    or the tie-corrected normal approximation. NaN when ``d`` is empty.
    """
    nonzero = d[d != 0]
    if d.size == 0:
        return math.nan
    if nonzero.size == 0:
        return 1.0
    res = stats.wilcoxon(nonzero, zero_method="wilcox", correction=False,
                         alternative="two-sided", method=_wilcoxon_method(nonzero, rng))
    return float(res.pvalue)


def cohens_dz(d: np.ndarray) -> float:
    """Cohen's d_z = mean(d) / sd(d) (sample sd, ddof = 1) of paired differences ``d``.

    If the differences are constant (sd = 0 up to rounding, or so small it underflows to 0):
    0 when they are all zero; NaN when they are a nonzero constant, since the ratio would be
    ±inf and no standardised size exists (the raw ``diff`` then says everything). NaN when
    ``d`` is empty or the ratio overflows.
    """
    if d.size == 0:
        return math.nan
    mean = _mean(d)
    sd = float(np.std(d, ddof=1)) if d.size > 1 else 0.0
    if sd == 0 or is_constant(d):
        return 0.0 if mean == 0 else math.nan
    dz = mean / sd
    return dz if math.isfinite(dz) else math.nan


def effect_label(d_z: float) -> str:
    """Cohen's (1988) verbal label for |d_z|: negligible < 0.2 ≤ small < 0.5 ≤ medium < 0.8 ≤
    large; "undefined" for NaN."""
    if math.isnan(d_z):
        return "undefined"
    size = abs(d_z)
    return next((label for bound, label in EFFECT_LABELS if size < bound), "large")


def paired_difference(a, b, rng: np.random.Generator | Resampler, confidence: float = 0.95,
                      n_resamples: int = N_RESAMPLES) -> PairedResult:
    """Compare scenario ``b`` with scenario ``a`` over paired replications (``a[i]``, ``b[i]``).

    The CI is a bootstrap interval of the mean of ``d = b - a`` (see :func:`mean_ci`):
    resampling the differences is resampling whole pairs, since the mean difference depends on
    a pair only through its difference. ``b == a`` gives diff 0, CI (0, 0), p = 1.0 and effect 0.
    """
    x, y = _paired_arrays(a, b)
    d = paired_differences(x, y)
    resampler = as_resampler(rng, n_resamples)
    ci = mean_ci(d, resampler, confidence)
    dz = cohens_dz(d)
    return PairedResult(
        n=int(d.size), mean_a=_mean(x), mean_b=_mean(y), diff=ci.estimate, low=ci.low,
        high=ci.high, p_value=wilcoxon_p(d, resampler.rng), effect_size=dz,
        effect_label=effect_label(dz))


def _mean(x: np.ndarray) -> float:
    """Mean of ``x``: exactly the value when all are equal, NaN when empty (without warning)."""
    if x.size == 0:
        return math.nan
    return float(x[0]) if np.all(x == x[0]) else float(np.mean(x))


def _z(confidence: float) -> float:
    """Two-sided standard-normal critical value for ``confidence``."""
    _check_confidence(confidence)
    return float(stats.norm.ppf(0.5 + confidence / 2))


def required_reps(sd: float, half_width: float, confidence: float = 0.95) -> int:
    """Replications for a normal-approximation CI of the mean with the given half-width.

    ceil((z·sd / half_width)²) with z the two-sided normal critical value, and at least 2.
    """
    if not half_width > 0:
        raise ValueError(f"half_width must be positive, got {half_width}")
    if not (sd >= 0 and math.isfinite(sd)):
        raise ValueError(f"sd must be finite and non-negative, got {sd}")
    return max(2, math.ceil((_z(confidence) * sd / half_width) ** 2))


def precision_row(values, target_half_width: float, rng: np.random.Generator | Resampler,
                  confidence: float = 0.95, n_resamples: int = N_RESAMPLES) -> dict:
    """Is the bootstrap CI of the mean of ``values`` as narrow as ``target_half_width``?

    Returns ``n`` (values after dropping NaN), ``half_width`` (of :func:`mean_ci`), ``enough``
    (half_width ≤ target) and ``required_n`` (:func:`required_reps` from the sample sd;
    None when fewer than two values leave the sd unknown).
    """
    x = _finite_values(values)
    ci = mean_ci(x, rng, confidence, n_resamples)
    required = (required_reps(float(np.std(x, ddof=1)), target_half_width, confidence)
                if x.size >= 2 else None)
    return {"n": int(x.size), "half_width": ci.half_width,
            "enough": bool(ci.half_width <= target_half_width), "required_n": required}


def _per_run(rows: pd.DataFrame, metric: str) -> pd.Series:
    """``metric`` of ``rows`` indexed by (scenario, replication), which must be unique."""
    series = rows.set_index(RUN_KEYS)[metric]
    if not series.index.is_unique:
        raise ValueError("several rows share a (scenario, replication) at this month")
    return series


def milestone_values(monthly: pd.DataFrame, metric: str, year: int) -> pd.Series:
    """``metric`` at the end of simulation year ``year`` (month 12·year; year 0 = initial state),
    indexed by (scenario, replication)."""
    rows = monthly.loc[monthly["month"] == 12 * year]
    if rows.empty:
        raise ValueError(f"no rows at month {12 * year} (end of year {year})")
    return _per_run(rows, metric)


def window_mean(monthly: pd.DataFrame, metric: str, first_year: int, last_year: int) -> pd.Series:
    """Per (scenario, replication) mean of ``metric`` over years ``first_year..last_year``,
    i.e. months 12·(first_year − 1) + 1 … 12·last_year. NaN months (e.g. fee metrics before
    the first bill) are skipped."""
    if not 1 <= first_year <= last_year:
        raise ValueError(f"need 1 <= first_year <= last_year, got {first_year}, {last_year}")
    months = monthly["month"].between(12 * (first_year - 1) + 1, 12 * last_year)
    if not months.any():
        raise ValueError(f"no rows in years {first_year}..{last_year}")
    return monthly.loc[months].groupby(RUN_KEYS, sort=False)[metric].mean()


def _scenario_row(values: pd.Series, base: pd.Series, is_base: bool,
                  rng: np.random.Generator | Resampler, confidence: float,
                  n_resamples: int) -> dict:
    """Mean CI of one scenario's values (by replication) and its paired comparison to ``base``."""
    ci = mean_ci(values, rng, confidence, n_resamples)
    row = {"n": int(values.notna().sum()), "mean": ci.estimate, "low": ci.low, "high": ci.high}
    if is_base:
        return row | dict.fromkeys(SUMMARY_COLUMNS[7:], math.nan)
    pairs = pd.concat({"a": base, "b": values}, axis=1, join="inner")
    res = paired_difference(pairs["a"], pairs["b"], rng, confidence, n_resamples)
    return row | {"diff": res.diff, "diff_low": res.low, "diff_high": res.high,
                  "p_value": res.p_value, "effect_size": res.effect_size,
                  "effect_label": res.effect_label}


def _by_scenario(values: pd.Series, scenarios: Sequence[str]) -> dict[str, pd.Series]:
    """Split run values into per-scenario series indexed by replication."""
    groups = {s: g.droplevel("scenario") for s, g in values.groupby(level="scenario", sort=False)}
    empty = pd.Series(dtype=float, index=pd.Index([], name="replication"))
    return {s: groups.get(s, empty) for s in scenarios}


def summary_table(monthly: pd.DataFrame, metrics: Iterable[str], years: Iterable[int],
                  baseline: str, rng: np.random.Generator | Resampler, confidence: float = 0.95,
                  n_resamples: int = N_RESAMPLES) -> pd.DataFrame:
    """One row per (metric, year, scenario): mean with CI at the end of ``year``, and the paired
    difference from ``baseline`` (replications paired by the ``replication`` column; the diff
    columns are NaN on the baseline's own rows). Scenarios keep their order of first
    appearance in ``monthly``."""
    scenarios = list(pd.unique(monthly["scenario"]))
    if baseline not in scenarios:
        raise ValueError(f"baseline {baseline!r} not among scenarios {scenarios}")
    rows = []
    for metric in metrics:
        for year in years:
            per = _by_scenario(milestone_values(monthly, metric, year), scenarios)
            rows += [{"metric": metric, "year": year, "scenario": s}
                     | _scenario_row(per[s], per[baseline], s == baseline, rng, confidence,
                                     n_resamples) for s in scenarios]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
