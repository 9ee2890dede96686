"""Figures of a sweep analysis: sensitivity indices, response scatter, PRIM trade-off."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from resettle.reports.figures import save
from resettle.text.fonts import with_font
from resettle.text.messages import target_label, text


@with_font
def sobol_bars(table: pd.DataFrame, targets: list[str], path: Path, *,
               lang: str = "en") -> Path:
    """First- and total-order indices with 95% CIs, one panel per target."""
    fig, axes = plt.subplots(1, len(targets), figsize=(3.6 * len(targets), 3.6),
                             sharey=True, squeeze=False, constrained_layout=True)
    for ax, target in zip(axes[0], targets, strict=True):
        rows = table[table["target"] == target]
        x = np.arange(len(rows))
        for shift, kind, color in ((-0.2, "first", "C0"), (0.2, "total", "C1")):
            err = [rows[kind] - rows[f"{kind}_low"], rows[f"{kind}_high"] - rows[kind]]
            ax.bar(x + shift, rows[kind], width=0.4, color=color, label=text(f"fig.{kind}", lang),
                   yerr=np.clip(np.asarray(err, float), 0, None), capsize=2)
        ax.set_xticks(x, rows["parameter"], rotation=60, ha="right", fontsize=7)
        ax.set_title(target_label(target, lang), fontsize=9)
        ax.grid(alpha=0.3, axis="y")
    axes[0][0].set_ylabel(text("fig.sobol_index", lang))
    axes[0][0].legend(fontsize=8)
    return save(fig, path)


@with_font
def morris_scatter(table: pd.DataFrame, targets: list[str], path: Path, *,
                   lang: str = "en") -> Path:
    """Morris μ* against σ, one panel per target."""
    fig, axes = plt.subplots(1, len(targets), figsize=(3.6 * len(targets), 3.4),
                             squeeze=False, constrained_layout=True)
    for ax, target in zip(axes[0], targets, strict=True):
        rows = table[table["target"] == target]
        ax.scatter(rows["mu_star"], rows["sigma"])
        for r in rows.itertuples():
            ax.annotate(r.parameter, (r.mu_star, r.sigma), fontsize=7)
        ax.set_xlabel("μ*")
        ax.set_ylabel("σ")
        ax.set_title(target_label(target, lang), fontsize=9)
        ax.grid(alpha=0.3)
    return save(fig, path)


@with_font
def response_scatter(points: pd.DataFrame, values: pd.Series, factors: list[str],
                     title: str, path: Path, *, lang: str = "en") -> Path:
    """The target against each varied parameter (one point per design point)."""
    cols = min(3, len(factors))
    rows = -(-len(factors) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.8 * rows), squeeze=False,
                             constrained_layout=True)
    x = points.set_index("point").loc[values.index]
    for ax, name in zip(axes.flat, factors, strict=False):
        ax.scatter(x[name].astype(str) if x[name].dtype == object else x[name], values, s=8,
                   alpha=0.6)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlabel(name, fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(factors):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=10)
    return save(fig, path)


@with_font
def prim_tradeoff(trajectory: pd.DataFrame, chosen: int, title: str, path: Path, *,
                  lang: str = "en") -> Path:
    """PRIM peeling trajectory: coverage against density, the chosen box marked."""
    fig, ax = plt.subplots(figsize=(5, 4), constrained_layout=True)
    sc = ax.scatter(trajectory["coverage"], trajectory["density"],
                    c=trajectory["n_restricted"], cmap="viridis", s=18)
    ax.scatter([trajectory["coverage"].iloc[chosen]], [trajectory["density"].iloc[chosen]],
               s=120, facecolors="none", edgecolors="red", label=text("fig.chosen", lang))
    fig.colorbar(sc, ax=ax, label=text("fig.restricted", lang))
    ax.set_xlabel(text("fig.coverage", lang))
    ax.set_ylabel(text("fig.density", lang))
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return save(fig, path)
