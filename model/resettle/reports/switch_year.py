"""The report of a switch-year study (``resettle switch-year``): where each metric peaks, what
switching costs soon after, figures, the table, and the manifest."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from resettle.experiments.compare import Comparison
from resettle.experiments.switch_year import (
    AFTER_LABEL,
    AFTER_METRICS,
    AFTER_SWITCH_MONTHS,
    SwitchYearStudy,
)
from resettle.reports.compare import comparison_manifest
from resettle.reports.document import Document, write_reports
from resettle.reports.figures import save
from resettle.store.atomic import write_atomically
from resettle.store.provenance import write_json
from resettle.text.fonts import with_font
from resettle.text.labels import metric_label
from resettle.text.messages import localise_table, scenario_name, text


@with_font
def switch_year_tradeoff(table: pd.DataFrame, metrics: list[str], path: Path, *,
                         lang: str = "en") -> Path:
    """Metric means with 95% CIs against the switch year (one panel per metric)."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.4 * len(metrics), 3.4),
                             constrained_layout=True)
    for ax, metric in zip(np.atleast_1d(axes), metrics, strict=True):
        rows = table[table["metric"] == metric]
        ax.errorbar(rows["switch_year"], rows["mean"],
                    yerr=[rows["mean"] - rows["low"], rows["high"] - rows["mean"]],
                    fmt="o-", ms=4, capsize=3)
        ax.set_title(metric_label(metric, lang), fontsize=10)
        ax.set_xlabel(text("fig.switch_year", lang))
        ax.grid(alpha=0.3)
    return save(fig, path)


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
    fig = switch_year_tradeoff(end, comp.metrics, folder / "switch_year_horizon.png",
                               lang=lang)
    doc.image(fig, text("caption.switch_horizon", lang))
    after = table[table["when"] != "at horizon"]
    if not after.empty:
        fig2 = switch_year_tradeoff(after, list(AFTER_METRICS),
                                    folder / "switch_year_after.png", lang=lang)
        doc.image(fig2, text("caption.switch_after", lang))
    doc.heading(text("h.table", lang))
    doc.table(table_view(table, lang))
    return doc


def write_switch_year(study: SwitchYearStudy, out: Path, *, force: bool = False,
                      langs: list[str] | tuple[str, ...] = ("en",),
                      argv: list[str] | None = None) -> Path:
    """Report, figures, tables and manifest of a switch-year study, written atomically, with
    a report in each of ``langs`` (file names: :func:`resettle.reports.document.write_reports`)."""
    comp, table = study.comp, study.table

    def fill(tmp: Path) -> None:
        reports = write_reports(tmp, langs, lambda lang, folder: switch_document(
            comp, table, folder, lang))
        table.to_csv(tmp / "switch_year.csv", index=False)
        comp.monthly.to_parquet(tmp / "monthly.parquet", index=False)
        write_json(tmp / "manifest.json", comparison_manifest(comp, argv, reports))

    return write_atomically(out, fill, force)
