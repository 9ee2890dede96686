"""Comparison figures (PNG, matplotlib, readable in print): metrics over the years with median
and 50%/90% bands per scenario, paired differences against the first scenario, the maturity
sub-scores, end-of-horizon distributions, and the switch-year trade-off.

Every figure takes ``lang`` ("en" or "zh"): titles, axis labels and scenario names are drawn in
that language, with a Chinese font for "zh" (:mod:`resettle.fonts`, applied to that figure
only)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from resettle.fonts import with_font
from resettle.labels import metric_label
from resettle.report_text import metric_in_sentence, scenario_name, text

BANDS = ((0.25, 0.75, 0.35), (0.05, 0.95, 0.15))  # 50% and 90% bands with their shading
DPI = 150


def _bands(ax, by_month: pd.core.groupby.SeriesGroupBy, color: str, label: str) -> None:
    years = np.asarray(by_month.median().index) / 12.0
    for lo, hi, alpha in BANDS:
        ax.fill_between(years, by_month.quantile(lo).values, by_month.quantile(hi).values,
                        color=color, alpha=alpha, lw=0)
    ax.plot(years, by_month.median().values, color=color, lw=1.8, label=label)


def _finish(fig, ax, title: str, ylabel: str, path: Path, lang: str) -> Path:
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(text("fig.year", lang))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


@with_font
def metric_over_time(monthly: pd.DataFrame, metric: str, path: Path, *,
                     lang: str = "en") -> Path:
    """One metric over the years: median, 50% and 90% bands per scenario."""
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    for i, (name, frame) in enumerate(monthly.groupby("scenario", sort=False)):
        _bands(ax, frame.groupby("month")[metric], f"C{i}", scenario_name(name, lang))
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
        _bands(ax, diff.groupby("month")["d"], f"C{i}",
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
            by = frame.groupby("month")[col]
            years = np.asarray(by.median().index) / 12.0
            ax.fill_between(years, by.quantile(0.05), by.quantile(0.95), color=f"C{i}",
                            alpha=0.2, lw=0)
            ax.plot(years, by.median(), color=f"C{i}", lw=1.5, label=scenario_name(name, lang))
        ax.set_title(metric_label(col, lang), fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(text("fig.year", lang))
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].legend(fontsize=7)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


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
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


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
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
