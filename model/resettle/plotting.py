"""Figures: the four headline metrics over the years, median and 5-95% band per scenario."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

PANELS = (
    ("attitude", "Attitude (villager 0 → citizen 1)", None),
    ("fee_compliance", "Fee compliance (households pay own bills)", "fee_collection"),
    ("employment", "Employment rate, ages 16-59", None),
    ("maturity", "Organisational maturity index", None),
)
BAND = (0.05, 0.95)


def headline_figure(monthly: pd.DataFrame, path: Path) -> Path:
    """Save a 2x2 figure of the headline metrics; dashed: fee collection (all payers)."""
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, constrained_layout=True)
    for ax, (metric, title, extra) in zip(axes.flat, PANELS, strict=True):
        for i, (name, frame) in enumerate(monthly.groupby("scenario", sort=False)):
            color = f"C{i}"
            band(ax, frame, metric, color, label=name)
            if extra:
                band(ax, frame, extra, color, label=f"{name} (collection)", dashed=True)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("year")
    axes[0, 0].legend(fontsize=8, loc="lower right")
    axes[0, 1].legend(fontsize=7, loc="lower right")
    reps = monthly.groupby("scenario")["replication"].nunique().max()
    fig.suptitle(f"Headline metrics: median and {int(BAND[0]*100)}-{int(BAND[1]*100)}% band "
                 f"over {reps} replication(s)", fontsize=11)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def band(ax, frame: pd.DataFrame, metric: str, color: str, label: str,
         dashed: bool = False) -> None:
    """Median line and quantile band of ``metric`` by month."""
    by = frame.groupby("month")[metric]
    years = by.median().index / 12.0
    ax.plot(years, by.median().values, color=color, ls="--" if dashed else "-", lw=1.5,
            label=label)
    if not dashed:
        ax.fill_between(years, by.quantile(BAND[0]).values, by.quantile(BAND[1]).values,
                        color=color, alpha=0.2, lw=0)
