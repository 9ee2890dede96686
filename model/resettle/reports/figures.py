"""Figures of runs and comparisons (PNG, matplotlib, readable in print): metrics over the
years with their median and quantile bands per scenario, paired differences against the first
scenario, the maturity sub-scores, end-of-horizon distributions, and ``run``'s headline panel.

Every band is drawn by one helper, :func:`median_and_bands`. Every figure but ``run``'s takes
``lang`` ("en" or "zh"): titles, axis labels and scenario names are drawn in that language,
with a Chinese font for "zh" (:mod:`resettle.text.fonts`, applied to that figure only).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from resettle.outcomes import FOUR_MEASURES
from resettle.text.fonts import with_font
from resettle.text.labels import metric_label
from resettle.text.messages import metric_in_sentence, scenario_name, text

BANDS = ((0.25, 0.75, 0.35), (0.05, 0.95, 0.15))  # 50% and 90% bands with their shading
BAND_90 = ((0.05, 0.95, 0.2),)  # one 90% band (sub-scores, run's headline panel)
DPI = 150
RUN_DPI = 120  # run's quick-look figure
DASHED_BESIDE = {"fee_compliance": "fee_collection"}  # run's panel: collection beside compliance


def median_and_bands(ax, by_month: pd.core.groupby.SeriesGroupBy, color: str, label: str,
                     bands: tuple[tuple[float, float, float], ...] = BANDS,
                     **line: object) -> None:
    """The median by month as a line, with a shaded band (low, high quantile, alpha) each."""
    years = np.asarray(by_month.median().index) / 12.0
    for lo, hi, alpha in bands:
        ax.fill_between(years, by_month.quantile(lo).values, by_month.quantile(hi).values,
                        color=color, alpha=alpha, lw=0)
    ax.plot(years, by_month.median().values, color=color, label=label,
            **{"lw": 1.8, **line})


def save(fig, path: Path, dpi: int = DPI) -> Path:
    """Save ``fig`` to ``path`` and close it."""
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def _finish(fig, ax, title: str, ylabel: str, path: Path, lang: str) -> Path:
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(text("fig.year", lang))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save(fig, path)


@with_font
def metric_over_time(monthly: pd.DataFrame, metric: str, path: Path, *,
                     lang: str = "en") -> Path:
    """One metric over the years: median, 50% and 90% bands per scenario."""
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    for i, (name, frame) in enumerate(monthly.groupby("scenario", sort=False)):
        median_and_bands(ax, frame.groupby("month")[metric], f"C{i}", scenario_name(name, lang))
    label = metric_label(metric, lang)
    return _finish(fig, ax, text("fig.over_time", lang, metric=label), label, path, lang)


@with_font
def paired_differences(monthly: pd.DataFrame, metric: str, baseline: str, path: Path, *,
                       lang: str = "en") -> Path:
    """Each scenario minus the baseline, replication by replication, over the years."""
    wide = monthly.pivot_table(index=["replication", "month"], columns="scenario",
                               values=metric, sort=False)
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    ax.axhline(0, color="black", lw=0.8)
    others = [s for s in monthly["scenario"].unique() if s != baseline]
    for i, name in enumerate(others, start=1):
        diff = (wide[name] - wide[baseline]).rename("d").reset_index()
        median_and_bands(ax, diff.groupby("month")["d"], f"C{i}",
                         f"{scenario_name(name, lang)} − {scenario_name(baseline, lang)}")
    return _finish(fig, ax, text("fig.diff", lang, metric=metric_in_sentence(metric, lang)),
                   text("difference", lang), path, lang)


@with_font
def maturity_subscores(monthly: pd.DataFrame, subscores: list[str], path: Path, *,
                       lang: str = "en") -> Path:
    """The maturity sub-scores over the years, one panel each (median and 90% band)."""
    fig, axes = plt.subplots(1, len(subscores), figsize=(3 * len(subscores), 3.2),
                             sharey=True, constrained_layout=True)
    for ax, col in zip(np.atleast_1d(axes), subscores, strict=True):
        for i, (name, frame) in enumerate(monthly.groupby("scenario", sort=False)):
            median_and_bands(ax, frame.groupby("month")[col], f"C{i}",
                             scenario_name(name, lang), BAND_90, lw=1.5)
        ax.set_title(metric_label(col, lang), fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(text("fig.year", lang))
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].legend(fontsize=7)
    return save(fig, path)


@with_font
def end_distributions(monthly: pd.DataFrame, metrics: list[str], path: Path, *,
                      lang: str = "en") -> Path:
    """Distributions across replications at the horizon: one box plot per metric."""
    last = monthly[monthly["month"] == monthly["month"].max()]
    names = list(last["scenario"].unique())
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 3.6),
                             constrained_layout=True)
    for ax, metric in zip(np.atleast_1d(axes), metrics, strict=True):
        data = [last.loc[last["scenario"] == n, metric].dropna().values for n in names]
        ax.boxplot(data, tick_labels=[scenario_name(n, lang) for n in names], showmeans=True)
        ax.set_title(metric_label(metric, lang), fontsize=10)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        ax.grid(alpha=0.3, axis="y")
    fig.suptitle(text("fig.at_horizon", lang, year=int(last["month"].max() // 12)),
                 fontsize=11)
    return save(fig, path)


@with_font
def headline_figure(monthly: pd.DataFrame, path: Path, *, lang: str = "en") -> Path:
    """``run``'s 2x2 panel of the headline metrics (English): median and 90% band per
    scenario; dashed beside fee compliance, fee collection (all payers)."""
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, constrained_layout=True)
    for ax, metric in zip(axes.flat, FOUR_MEASURES, strict=True):
        for i, (name, frame) in enumerate(monthly.groupby("scenario", sort=False)):
            by = frame.groupby("month")
            median_and_bands(ax, by[metric], f"C{i}", name, BAND_90, lw=1.5)
            if metric in DASHED_BESIDE:
                extra = DASHED_BESIDE[metric]
                median_and_bands(ax, by[extra], f"C{i}", f"{name} ({metric_label(extra)})",
                                 (), lw=1.5, ls="--")
        ax.set_title(metric_label(metric), fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("year")
    axes[0, 0].legend(fontsize=8, loc="lower right")
    axes[0, 1].legend(fontsize=7, loc="lower right")
    reps = monthly.groupby("scenario")["replication"].nunique().max()
    fig.suptitle(f"Headline metrics: median and 5-95% band over {reps} replication(s)",
                 fontsize=11)
    return save(fig, path, RUN_DPI)
