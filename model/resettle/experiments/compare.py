"""Comparing scenarios with honest uncertainty: replications with common random numbers,
milestone means with CIs, paired differences against the first scenario, Monte-Carlo
precision. The same functions power ``resettle compare`` and the notebooks.

:func:`run_to_precision` adds replications in rounds until every reported 95% CI half-width
(milestone means, paired differences, early-years differences) is at most a target, by the
rule of :mod:`resettle.experiments.precision` (a fixed-width sequential interval, Chow &
Robbins 1965). Seeds are spawned by index, so the result at the N where it stops is the same
table, bit for bit, as a plain comparison with that N. All these intervals describe
Monte-Carlo (replication) noise only, not uncertainty about the assumptions.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from resettle.analysis import stats
from resettle.errors import ScenarioError
from resettle.experiments.defaults import DEFAULT_REPS, MAX_PRECISION_REPS, MIN_PRECISION_REPS
from resettle.experiments.executors import default_workers, run_jobs
from resettle.experiments.jobs import make_jobs
from resettle.experiments.precision import check_precision, next_round, round_message
from resettle.experiments.run import run_scenarios
from resettle.outcomes import COMPARABLE, DEFAULT_METRICS
from resettle.params.scenario import Scenario
from resettle.sim.seeds import replication_seeds

DEFAULT_MILESTONES = (3, 5, 10, 15)
TARGET_HALF_WIDTH = 0.01  # assumption: one percentage point is the precision planners read
EARLY_YEARS = (1, 3)  # the first years after a change, where transition costs show
STATS_SEED_OFFSET = 1  # bootstrap draws use SeedSequence([seed, 1]), apart from the runs'


@dataclass
class Comparison:
    """Everything a comparison produced; ``summary`` and ``precision`` are tidy tables."""

    scenarios: list[Scenario]
    reps: int
    root_seed: int
    seeds: list[int]
    metrics: list[str]
    milestones: list[int]
    monthly: pd.DataFrame
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    early: pd.DataFrame = field(default_factory=pd.DataFrame)
    precision: pd.DataFrame = field(default_factory=pd.DataFrame)
    seconds: float = 0.0
    target: float | None = None  # --precision: the half-width replications were added for
    rounds: list[tuple[int, float]] = field(default_factory=list)  # (N, widest half-width)
    reps_bounds: tuple[int, int] | None = None  # --precision: the least and most N allowed

    @property
    def baseline(self) -> str:
        """The scenario every other is compared against (the first)."""
        return self.scenarios[0].name


def validate(scenarios: list[Scenario], reps: int, metrics: list[str],
             milestones: list[int]) -> None:
    """Refuse comparisons whose results could not be read honestly."""
    if len(scenarios) < 1:
        raise ScenarioError("compare: give at least one scenario")
    if reps < 2:
        raise ScenarioError(f"--reps {reps}: at least 2 replications are needed for intervals")
    horizons = {s.name: s.horizon_years for s in scenarios}
    if len(set(horizons.values())) > 1:
        raise ScenarioError(f"scenarios have different horizons (years): {horizons}; "
                            "pass --years to run them all to the same horizon")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must differ, got {names}")
    known = set(COMPARABLE)
    for metric in metrics:
        if metric not in known:
            close = [k for k in sorted(known) if metric in k or k in metric][:3]
            raise ScenarioError(f"--metrics {metric}: unknown metric; use one of "
                                f"{', '.join(sorted(known))}" + (f" (close: {close})"
                                                                 if close else ""))
    horizon = scenarios[0].horizon_years
    for year in milestones:
        if not 1 <= year <= horizon:
            raise ScenarioError(f"--milestones {year}: must be a year in [1, {horizon}]")


def study_axes(scenarios: list[Scenario], metrics: list[str] | None,
               milestones: list[int] | None) -> tuple[list[str], list[int]]:
    """The metrics and milestone years to report: those given, else the defaults (the
    milestones within the horizon, or the horizon itself)."""
    horizon = scenarios[0].horizon_years if scenarios else 0
    return (list(metrics or DEFAULT_METRICS),
            sorted(milestones or [y for y in DEFAULT_MILESTONES if y <= horizon] or [horizon]))


def run_comparison(scenarios: list[Scenario], reps: int = DEFAULT_REPS, seed: int = 0,
                   workers: int | None = None, metrics: list[str] | None = None,
                   milestones: list[int] | None = None, progress: bool = True) -> Comparison:
    """Run every scenario ``reps`` times (CRN) and compute the statistics."""
    metrics, milestones = study_axes(scenarios, metrics, milestones)
    validate(scenarios, reps, metrics, milestones)
    start = time.perf_counter()
    runs = run_scenarios(scenarios, reps, seed, progress, workers or default_workers(),
                         snapshots=False)
    comp = Comparison(scenarios, reps, seed, runs.seeds, metrics, milestones, runs.monthly)
    analyse(comp)
    comp.seconds = time.perf_counter() - start
    return comp


def analyse(comp: Comparison) -> Comparison:
    """Fill the summary, early-years and precision tables of ``comp``."""
    rng = stats.Resampler(np.random.default_rng(np.random.SeedSequence([comp.root_seed,
                                                                        STATS_SEED_OFFSET])))
    comp.summary = stats.summary_table(comp.monthly, comp.metrics, comp.milestones,
                                       comp.baseline, rng)
    comp.early = early_table(comp, rng)
    comp.precision = precision_table(comp, rng)
    return comp


def early_table(comp: Comparison, rng: stats.Resampler) -> pd.DataFrame:
    """Paired differences of each metric's mean over the early years against the baseline."""
    first, last = EARLY_YEARS
    last = min(last, comp.scenarios[0].horizon_years)
    rows = []
    for metric in comp.metrics:
        values = stats.window_mean(comp.monthly, metric, first, last)
        base = values.xs(comp.baseline, level="scenario")
        for s in comp.scenarios[1:]:
            other = values.xs(s.name, level="scenario").reindex(base.index)
            res = stats.paired_difference(base.values, other.values, rng)
            rows.append({"metric": metric, "years": f"{first}-{last}", "scenario": s.name,
                         "diff": res.diff, "diff_low": res.low, "diff_high": res.high,
                         "p_value": res.p_value, "effect_size": res.effect_size})
    return pd.DataFrame(rows)


def precision_table(comp: Comparison, rng: stats.Resampler) -> pd.DataFrame:
    """CI half-width of every mean in the summary, whether N was enough, and what N would be."""
    rows = []
    for metric in comp.metrics:
        for year in comp.milestones:
            values = stats.milestone_values(comp.monthly, metric, year)
            for s in comp.scenarios:
                v = values.xs(s.name, level="scenario").to_numpy(dtype=float)
                row = stats.precision_row(v, TARGET_HALF_WIDTH, rng)
                rows.append({"metric": metric, "year": year, "scenario": s.name, **row})
    return pd.DataFrame(rows)


def widest_half_width(comp: Comparison) -> float:
    """The widest 95% CI half-width the report shows: milestone means, paired differences and
    early-years differences (NaN intervals, e.g. of a metric with no data, left out)."""
    widths = [(comp.summary["high"] - comp.summary["low"]) / 2,
              (comp.summary["diff_high"] - comp.summary["diff_low"]) / 2]
    if not comp.early.empty:
        widths.append((comp.early["diff_high"] - comp.early["diff_low"]) / 2)
    found = pd.concat(widths).dropna()
    return float(found.max()) if not found.empty else 0.0


def run_to_precision(scenarios: list[Scenario], target: float, seed: int = 0,
                     workers: int | None = None, metrics: list[str] | None = None,
                     milestones: list[int] | None = None, progress: bool = True,
                     least: int = MIN_PRECISION_REPS,
                     most: int = MAX_PRECISION_REPS) -> Comparison:
    """Replications in rounds, from ``least`` up to at most ``most``, until every reported CI
    half-width is at most ``target`` (module docstring: the stopping rule)."""
    check_precision(target, least, most)
    metrics, milestones = study_axes(scenarios, metrics, milestones)
    validate(scenarios, least, metrics, milestones)
    start, done, results, rounds = time.perf_counter(), 0, {}, []
    while (n := next_round(rounds, target, least, most)) is not None:
        seeds = replication_seeds(seed, n)
        jobs = make_jobs(scenarios, seeds, snapshots=False, first=done)
        results.update(zip(((j.scenario.name, j.replication) for j in jobs),
                           run_jobs(jobs, workers or default_workers(), progress), strict=True))
        comp = compare_runs(scenarios, n, seed, seeds, metrics, milestones, results)
        rounds.append((n, widest_half_width(comp)))
        if progress:
            print(round_message(rounds, target, least, most), file=sys.stderr)
        done = n
    comp.target, comp.rounds, comp.reps_bounds = target, rounds, (least, most)
    comp.seconds = time.perf_counter() - start
    return comp


def compare_runs(scenarios: list[Scenario], n: int, seed: int, seeds: list[int],
                 metrics: list[str], milestones: list[int], results: dict) -> Comparison:
    """The comparison of the first ``n`` replications in ``results`` ((scenario, replication)
    -> JobResult), its monthly table in the order a plain comparison has."""
    monthly = pd.concat([results[(s.name, i)].monthly for s in scenarios for i in range(n)],
                        ignore_index=True)
    return analyse(Comparison(scenarios, n, seed, seeds, metrics, milestones, monthly))


def switch_months(comp: Comparison) -> pd.DataFrame:
    """For each scenario with a switch, each replication's switch month: the first month the
    switch's levers were in force (NaN: it never switched within the horizon)."""
    timed = [s.name for s in comp.scenarios if s.switch_levers is not None]
    rows = comp.monthly[comp.monthly["scenario"].isin(timed)]
    keys = ["scenario", "replication", "seed"]
    first = rows[rows["switched"] == 1].groupby(keys, sort=False)["month"].min()
    table = rows[keys].drop_duplicates().set_index(keys)
    table["switch_month"] = first.reindex(table.index)
    return table.reset_index()


def switch_spread(months: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: replications, how many switched, and the switch month's median, 10th and
    90th percentiles, first and last (over the replications that switched)."""
    rows = []
    for name, part in months.groupby("scenario", sort=False):
        m = part["switch_month"].dropna()
        q = np.percentile(m, [50, 10, 90]) if len(m) else (np.nan,) * 3
        rows.append({"scenario": name, "replications": len(part), "switched": len(m),
                     "median": q[0], "p10": q[1], "p90": q[2],
                     "first": m.min() if len(m) else np.nan,
                     "last": m.max() if len(m) else np.nan})
    return pd.DataFrame(rows)
