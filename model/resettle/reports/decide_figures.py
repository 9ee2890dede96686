"""Figures of a decide study: each policy's outcomes over the worlds, maximum regret by policy
and metric, satisficing shares, and the trigger search's maximum regret over its grid."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from resettle.reports.figures import save
from resettle.text.fonts import with_font
from resettle.text.labels import metric_label
from resettle.text.messages import scenario_name, text

PANEL_COLUMNS = 3  # outcome panels per row
WIDTH_PER_POLICY = 0.45  # inches of figure width per policy on a policy axis


def metric_title(metric: str, lang: str) -> str:
    """A metric's label, ``combined`` as the combined score."""
    return text("fig.combined", lang) if metric == "combined" else metric_label(metric, lang)


def _names(policies: list[str], lang: str) -> list[str]:
    return [scenario_name(p, lang) for p in policies]


def _heat_map(ax, values: np.ndarray, fontsize: int):
    """A red heat map with each cell's value written in it (white on the darker half)."""
    image = ax.imshow(values, cmap="Reds", aspect="auto", origin="upper")
    low, high = np.nanmin(values), np.nanmax(values)
    for (i, j), value in np.ndenumerate(values):
        dark = high > low and (value - low) / (high - low) > 0.5
        ax.text(j, i, f"{value:.3f}", ha="center", va="center", fontsize=fontsize,
                color="white" if dark else "black")
    return image


@with_font
def outcomes_by_world(outcomes: pd.DataFrame, metrics: list[str], policies: list[str],
                      path: Path, *, lang: str = "en") -> Path:
    """One panel per metric: each policy's world means (dots) and their quartiles (box)."""
    cols = min(PANEL_COLUMNS, len(metrics))
    rows = -(-len(metrics) // cols)
    width = max(3.6, WIDTH_PER_POLICY * len(policies))
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, 3.4 * rows), squeeze=False,
                             constrained_layout=True)
    x = np.arange(len(policies))
    for ax, metric in zip(axes.flat, metrics, strict=False):
        groups = [outcomes.loc[outcomes["policy"] == p, metric].dropna() for p in policies]
        ax.boxplot(groups, positions=x, widths=0.6, showfliers=False)
        for i, values in enumerate(groups):
            ax.scatter(np.full(len(values), i), values, s=10, alpha=0.6, color="C0")
        ax.set_xticks(x, _names(policies, lang), rotation=60, ha="right", fontsize=7)
        ax.set_title(metric_title(metric, lang), fontsize=9)
        ax.grid(alpha=0.3, axis="y")
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    return save(fig, path)


@with_font
def regret_heatmap(table: pd.DataFrame, policies: list[str], metrics: list[str], path: Path,
                   *, lang: str = "en") -> Path:
    """Maximum regret by policy (rows) and metric (columns), each cell annotated."""
    wide = table.pivot(index="policy", columns="metric", values="max_regret")
    wide = wide.reindex(index=policies, columns=metrics)
    fig, ax = plt.subplots(figsize=(1.2 * len(metrics) + 3, 0.4 * len(policies) + 1.6),
                           constrained_layout=True)
    image = _heat_map(ax, wide.to_numpy(float), 7)
    ax.set_xticks(range(len(metrics)), [metric_title(m, lang) for m in metrics], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(len(policies)), _names(policies, lang), fontsize=8)
    fig.colorbar(image, ax=ax, label=text("fig.max_regret", lang))
    return save(fig, path)


@with_font
def satisficing_bars(table: pd.DataFrame, policies: list[str], path: Path, *,
                     lang: str = "en") -> Path:
    """The share of worlds in which each policy meets every threshold."""
    rows = table[table["metric"] == "combined"].set_index("policy").reindex(policies)
    fig, ax = plt.subplots(figsize=(max(5, WIDTH_PER_POLICY * len(policies) + 2), 3.6),
                           constrained_layout=True)
    ax.bar(range(len(policies)), rows["satisficing"], color="C2")
    ax.set_xticks(range(len(policies)), _names(policies, lang), rotation=60, ha="right",
                  fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel(text("fig.share_of_worlds", lang))
    ax.grid(alpha=0.3, axis="y")
    return save(fig, path)


@with_font
def search_figure(search: pd.DataFrame, keys: list[str], path: Path, *,
                  lang: str = "en") -> Path:
    """Maximum regret over the grid: a line for one key, a heat map for two, bars for more."""
    fig, ax = plt.subplots(figsize=(5.5, 4), constrained_layout=True)
    if len(keys) == 1:
        ax.plot(search[keys[0]], search["max_regret"], marker="o")
        ax.set_xlabel(keys[0])
        ax.set_ylabel(text("fig.max_regret", lang))
        ax.grid(alpha=0.3)
    elif len(keys) == 2:
        wide = search.pivot_table(index=keys[0], columns=keys[1], values="max_regret")
        image = _heat_map(ax, wide.to_numpy(float), 8)
        ax.set_xticks(range(len(wide.columns)), [f"{v:g}" for v in wide.columns])
        ax.set_yticks(range(len(wide.index)), [f"{v:g}" for v in wide.index])
        ax.set_xlabel(keys[1])
        ax.set_ylabel(keys[0])
        fig.colorbar(image, ax=ax, label=text("fig.max_regret", lang))
    else:
        ax.bar(range(len(search)), search["max_regret"])
        ax.set_xticks(range(len(search)), _names(list(search["policy"]), lang), rotation=60,
                      ha="right", fontsize=7)
        ax.set_ylabel(text("fig.max_regret", lang))
    return save(fig, path)
