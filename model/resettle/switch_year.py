"""When to switch: a phased scenario run for each switch year, with CIs.

The seed says to move to Scheme 2 "after several years of transition, when conditions are
mature" (BRIEF §4). For each switch year this measures the headline metrics at the horizon and
the cost right after the switch (mean over the next ``AFTER_SWITCH_MONTHS`` months), with 95%
CIs; every variant shares the replication seeds, so the curves are paired.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from resettle import figures, stats
from resettle.compare import STATS_SEED_OFFSET, Comparison, run_comparison
from resettle.errors import ScenarioError
from resettle.labels import metric_label
from resettle.outputs import write_atomically, write_json
from resettle.report import Document
from resettle.scenario import Scenario

AFTER_SWITCH_MONTHS = 36  # the "early years" after a switch: three years (as in compare)
AFTER_METRICS = ("stability", "fee_collection", "fee_compliance")
AFTER_LABEL = "3 years after switch"  # shorter near the horizon: see the window_months column


def switch_variants(base: Scenario, years: list[int]) -> list[Scenario]:
    """The base scenario with each switch year (named ``<name>-yNN``)."""
    if base.switch_levers is None:
        where = base.files[-1] if base.files else base.name
        raise ScenarioError(f"{where}: [switch]: the base scenario needs a [switch] table "
                            "(year and to) for switch-year")
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
    rng = np.random.default_rng(np.random.SeedSequence([comp.root_seed, STATS_SEED_OFFSET, 1]))
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


def run_switch_year(base: Scenario, years: list[int], reps: int, seed: int,
                    workers: int | None, progress: bool = True,
                    metrics: list[str] | None = None) -> tuple[Comparison, pd.DataFrame]:
    """Run every switch year (CRN across them) and tabulate."""
    comp = run_comparison(switch_variants(base, years), reps, seed, workers, metrics=metrics,
                          milestones=[base.horizon_years], progress=progress)
    return comp, switch_table(comp, years)


def best_sentences(table: pd.DataFrame) -> list[str]:
    """Plain-language reading: where each horizon metric peaks, what switching costs soon after."""
    out = []
    end = table[table["when"] == "at horizon"]
    for metric, rows in end.groupby("metric", sort=False):
        best = rows.loc[rows["mean"].idxmax()]
        out.append(f"{metric_label(metric)} at the horizon is highest when switching after "
                   f"year {int(best['switch_year'])}: {best['mean']:.3f} (95% CI "
                   f"{best['low']:.3f}–{best['high']:.3f}).")
    after = table[(table["when"] != "at horizon") & (table["metric"] == "stability")
                  & (table["window_months"] == AFTER_SWITCH_MONTHS)]  # full windows only
    if len(after) > 1:
        lo, hi = after.loc[after["mean"].idxmin()], after.loc[after["mean"].idxmax()]
        out.append(f"Stability in the 3 years after the switch ranges from {lo['mean']:.3f} "
                   f"(switch after year {int(lo['switch_year'])}) to {hi['mean']:.3f} "
                   f"(after year {int(hi['switch_year'])}).")
    return out


def write_switch_year(comp: Comparison, table: pd.DataFrame, out: Path, force: bool,
                      manifest: dict) -> Path:
    """Report, figures, tables and manifest of a switch-year study, written atomically."""
    def fill(tmp: Path) -> None:
        doc = Document(f"When to switch: {comp.scenarios[0].name.rsplit('-y', 1)[0]}")
        doc.heading("Summary")
        doc.bullets(best_sentences(table))
        doc.paragraph(f"{comp.reps} replications per switch year, root seed {comp.root_seed}, "
                      "the same seeds for every switch year (paired). A switch year equal to "
                      "the horizon means never switching. 95% bootstrap CIs.")
        end = table[table["when"] == "at horizon"]
        fig = figures.switch_year_tradeoff(end, comp.metrics, tmp / "switch_year_horizon.png")
        doc.image(fig, "Headline metrics at the horizon against the switch year (95% CI)")
        after = table[table["when"] != "at horizon"]
        if not after.empty:
            fig2 = figures.switch_year_tradeoff(after, list(AFTER_METRICS),
                                                tmp / "switch_year_after.png")
            doc.image(fig2, "Mean over the 3 years after the switch (95% CI)")
        doc.heading("Table")
        doc.table(table)
        (tmp / "report.md").write_text(doc.markdown(), "utf-8")
        (tmp / "report.html").write_text(doc.html(), "utf-8")
        table.to_csv(tmp / "switch_year.csv", index=False)
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        write_json(tmp / "manifest.json", manifest)

    return write_atomically(out, fill, force)
