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
from resettle.report import Document, write_reports
from resettle.report_text import localise_table, scenario_name, text
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


def best_sentences(table: pd.DataFrame, lang: str = "en") -> list[str]:
    """Plain-language reading: where each horizon metric peaks, what switching costs soon after."""
    out = []
    end = table[table["when"] == "at horizon"]
    for metric, rows in end.groupby("metric", sort=False):
        best = rows.loc[rows["mean"].idxmax()]
        out.append(text("switch.best", lang, metric=metric_label(metric, lang),
                        year=int(best["switch_year"]), mean=best["mean"], low=best["low"],
                        high=best["high"]))
    after = table[(table["when"] != "at horizon") & (table["metric"] == "stability")
                  & (table["window_months"] == AFTER_SWITCH_MONTHS)]  # full windows only
    if len(after) > 1:
        lo, hi = after.loc[after["mean"].idxmin()], after.loc[after["mean"].idxmax()]
        out.append(text("switch.after_range", lang, metric=metric_label("stability", lang),
                        lo=lo["mean"], lo_year=int(lo["switch_year"]), hi=hi["mean"],
                        hi_year=int(hi["switch_year"])))
    return out


def table_view(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The switch-year table as the report shows it: metric labels, the window in words."""
    when = {"at horizon": text("when.at_horizon", lang), AFTER_LABEL: text("when.after_switch",
                                                                           lang)}
    return localise_table(table.assign(when=table["when"].map(when).fillna(table["when"])),
                          lang)


def switch_document(comp: Comparison, table: pd.DataFrame, folder: Path,
                    lang: str = "en") -> Document:
    """The report of a switch-year study in ``lang``; its figures are drawn into ``folder``."""
    name = scenario_name(comp.scenarios[0].name.rsplit("-y", 1)[0], lang)
    doc = Document(text("switch.title", lang, name=name), lang=lang)
    doc.heading(text("h.summary", lang))
    doc.bullets(best_sentences(table, lang))
    doc.paragraph(text("switch.method", lang, reps=comp.reps, seed=comp.root_seed))
    end = table[table["when"] == "at horizon"]
    fig = figures.switch_year_tradeoff(end, comp.metrics, folder / "switch_year_horizon.png",
                                       lang=lang)
    doc.image(fig, text("caption.switch_horizon", lang))
    after = table[table["when"] != "at horizon"]
    if not after.empty:
        fig2 = figures.switch_year_tradeoff(after, list(AFTER_METRICS),
                                            folder / "switch_year_after.png", lang=lang)
        doc.image(fig2, text("caption.switch_after", lang))
    doc.heading(text("h.table", lang))
    doc.table(table_view(table, lang))
    return doc


def write_switch_year(comp: Comparison, table: pd.DataFrame, out: Path, force: bool,
                      manifest: dict, langs: list[str] | tuple[str, ...] = ("en",)) -> Path:
    """Report, figures, tables and manifest of a switch-year study, written atomically, with
    a report in each of ``langs`` (file names: :func:`resettle.report.write_reports`)."""
    def fill(tmp: Path) -> None:
        reports = write_reports(tmp, langs, lambda lang, folder: switch_document(
            comp, table, folder, lang))
        table.to_csv(tmp / "switch_year.csv", index=False)
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        write_json(tmp / "manifest.json",
                   {**manifest, "languages": list(reports), "reports": reports})

    return write_atomically(out, fill, force)
