"""When to switch: a phased scenario run for each switch year, with CIs (the report is
``resettle.reports.switch_year``).

The seed says to move to Scheme 2 "after several years of transition, when conditions are
mature" (BRIEF §4). For each switch year this measures the headline metrics at the horizon and
the cost right after the switch (mean over the next ``AFTER_SWITCH_MONTHS`` months), with 95%
CIs; every variant shares the replication seeds, so the curves are paired.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from resettle.analysis import stats
from resettle.errors import ScenarioError
from resettle.experiments.compare import STATS_SEED_OFFSET, Comparison, run_comparison
from resettle.params.scenario import Scenario

AFTER_SWITCH_MONTHS = 36  # the "early years" after a switch: three years (as in compare)
AFTER_METRICS = ("stability", "fee_collection", "fee_compliance")
AFTER_LABEL = "3 years after switch"  # shorter near the horizon: see the window_months column


def switch_variants(base: Scenario, years: list[int]) -> list[Scenario]:
    """The base scenario with each switch year (named ``<name>-yNN``)."""
    if base.switch_levers is None:
        where = base.files[-1] if base.files else base.name
        raise ScenarioError(f"{where}: [switch]: the base scenario needs a [switch] table "
                            "(year and to) for switch-year")
    if base.switch_trigger is not None:
        where = base.files[-1] if base.files else base.name
        raise ScenarioError(f"{where}: [switch.when]: switch-year compares fixed switch years; "
                            "give a scenario whose [switch] has a year, or compare the "
                            "triggered scenario with 'resettle compare'")
    for year in years:
        if not 0 <= year <= base.horizon_years:
            raise ScenarioError(f"--years {year}: a switch year must be in "
                                f"[0, {base.horizon_years}]")
    if len(set(years)) != len(years) or not years:
        raise ScenarioError(f"--years: give distinct switch years, got {years}")
    return [dataclasses.replace(base, name=f"{base.name}-y{y:02d}", switch_year=y)
            for y in sorted(years)]


def after_switch_values(monthly: pd.DataFrame, metric: str, switch_year: int,
                        scenario: str) -> np.ndarray:
    """Per replication, the mean of ``metric`` over the months right after the switch."""
    first = 12 * switch_year + 1
    rows = monthly[(monthly["scenario"] == scenario) & (monthly["month"] >= first)
                   & (monthly["month"] < first + AFTER_SWITCH_MONTHS)]
    return rows.groupby("replication")[metric].mean().to_numpy(dtype=float)


def switch_table(comp: Comparison, years: list[int]) -> pd.DataFrame:
    """Horizon values and after-switch costs per switch year, with 95% CIs."""
    rng = stats.Resampler(np.random.default_rng(np.random.SeedSequence([comp.root_seed,
                                                                        STATS_SEED_OFFSET, 1])))
    horizon = comp.scenarios[0].horizon_years
    rows = []
    for scenario, year in zip(comp.scenarios, sorted(years), strict=True):
        for metric in comp.metrics:
            v = stats.milestone_values(comp.monthly, metric, horizon).xs(
                scenario.name, level="scenario").to_numpy(dtype=float)
            rows.append(_row(year, metric, "at horizon", stats.mean_ci(v, rng)))
        months = min(AFTER_SWITCH_MONTHS, 12 * (horizon - year))
        for metric in AFTER_METRICS if months > 0 else ():
            v = after_switch_values(comp.monthly, metric, year, scenario.name)
            rows.append(_row(year, metric, AFTER_LABEL, stats.mean_ci(v, rng), months))
    return pd.DataFrame(rows)


def _row(year: int, metric: str, when: str, ci, months: int | None = None) -> dict:
    return {"switch_year": year, "metric": metric, "when": when, "window_months": months,
            "mean": ci.estimate, "low": ci.low, "high": ci.high}


@dataclass
class SwitchYearStudy:
    """A switch-year study: the comparison of every switch year and its table."""

    comp: Comparison
    table: pd.DataFrame


def run_switch_year(base: Scenario, years: list[int], reps: int, seed: int,
                    workers: int | None, progress: bool = True,
                    metrics: list[str] | None = None) -> SwitchYearStudy:
    """Run every switch year (CRN across them) and tabulate."""
    comp = run_comparison(switch_variants(base, years), reps, seed, workers, metrics=metrics,
                          milestones=[base.horizon_years], progress=progress)
    return SwitchYearStudy(comp, switch_table(comp, years))
