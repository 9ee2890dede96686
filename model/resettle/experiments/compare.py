"""Comparing scenarios with honest uncertainty: replications with common random numbers,
milestone means with CIs, paired differences against the first scenario, Monte-Carlo
precision. The same functions power ``resettle compare`` and the notebooks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from resettle.analysis import stats
from resettle.errors import ScenarioError
from resettle.experiments.defaults import DEFAULT_REPS
from resettle.experiments.executors import default_workers
from resettle.experiments.run import run_scenarios
from resettle.outcomes import COMPARABLE, DEFAULT_METRICS
from resettle.params.scenario import Scenario

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


def run_comparison(scenarios: list[Scenario], reps: int = DEFAULT_REPS, seed: int = 0,
                   workers: int | None = None, metrics: list[str] | None = None,
                   milestones: list[int] | None = None, progress: bool = True) -> Comparison:
    """Run every scenario ``reps`` times (CRN) and compute the statistics."""
    metrics = list(metrics or DEFAULT_METRICS)
    horizon = scenarios[0].horizon_years if scenarios else 0
    milestones = sorted(milestones or [y for y in DEFAULT_MILESTONES if y <= horizon]
                        or [horizon])
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
