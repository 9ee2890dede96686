"""Robust decisions over many worlds: regret, its maximum, satisficing, the robust choice.

Pure functions on tables (Savage 1951; Lempert, Popper & Bankes 2003, *Shaping the Next One
Hundred Years*, ch. 5). Tables are indexed by (``policy``, ``world``), one column per metric,
and hold *scores*: values oriented so that higher is better (a metric where lower is better
enters with its sign turned). The rules, each implemented once here:

- the **regret** of policy p in world w on metric m is how far p falls short of the best
  policy in that world: max_q score_m(q, w) − score_m(p, w), so the best policy in each world
  has regret 0 and no regret is negative;
- a policy's **maximum regret** is the largest over the worlds; the **robust choice** is the
  policy with the least maximum regret (minimax regret), the first listed when tied;
- a policy **satisfices** in a world when it meets every threshold there (the caller says
  which: a boolean table); its satisficing share is the share of worlds where it does, and
  the most satisficing policy has the highest share, ties going to the least maximum regret.

Monte-Carlo precision: when replication r of world w runs with the same seed under every
policy (common random numbers), the regret is the mean over replications of the paired
difference from the world's best policy, and its 95% half-width is Student's t over those
differences (:func:`paired_halfwidth`). It describes replication noise only, not the spread
over worlds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

INDEX = ["policy", "world"]
CONFIDENCE = 0.95  # the Monte-Carlo intervals, as in compare's reports
LOW_QUANTILE, HIGH_QUANTILE = 0.10, 0.90  # the spread over worlds the tables give (p10, p90)


def regret(scores: pd.DataFrame) -> pd.DataFrame:
    """Regret of every policy in every world on every column of ``scores`` (same layout)."""
    best = scores.groupby(level="world").transform("max")
    return best - scores


def best_policy(scores: pd.DataFrame) -> pd.DataFrame:
    """The best policy in each world (rows) on each column (the first listed when tied)."""
    order = scores.index.get_level_values("policy").unique()  # as listed (unstack sorts)
    wide = {c: scores[c].unstack("world").reindex(order) for c in scores.columns}
    return pd.DataFrame({c: frame.idxmax(axis=0) for c, frame in wide.items()})


def paired_halfwidth(runs: pd.DataFrame, best: pd.DataFrame) -> pd.DataFrame:
    """95% t half-width of each regret: ``runs`` holds scores per replication, indexed by
    (policy, world, replication); ``best`` is :func:`best_policy` of their means. NaN with
    fewer than two replications."""
    out = {}
    for column in runs.columns:
        wide = runs[column].unstack("replication")
        top = wide.loc[list(zip(best[column], best.index, strict=True))]
        top.index = best.index
        gaps = top.reindex(wide.index.get_level_values("world")).to_numpy() - wide.to_numpy()
        out[column] = pd.Series(_t_halfwidth(gaps), index=wide.index)
    return pd.DataFrame(out).reindex(runs.index.droplevel("replication").unique())


def _t_halfwidth(rows: np.ndarray) -> np.ndarray:
    """Half-width of the t interval of each row's mean."""
    n = rows.shape[1]
    if n < 2:
        return np.full(rows.shape[0], np.nan)
    quantile = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)
    return quantile * rows.std(axis=1, ddof=1) / np.sqrt(n)


def spread(values: pd.DataFrame) -> pd.DataFrame:
    """Per policy (rows) and column: the mean over worlds and the p10 and p90."""
    groups = values.groupby(level="policy", sort=False)
    parts = {"mean": groups.mean(), "p10": groups.quantile(LOW_QUANTILE),
             "p90": groups.quantile(HIGH_QUANTILE)}
    return pd.concat(parts, axis=1)


def max_regret(regrets: pd.DataFrame) -> pd.DataFrame:
    """Each policy's (rows) largest regret over the worlds, per column."""
    return regrets.groupby(level="policy", sort=False).max()


def least_max_regret(regrets: pd.Series) -> str:
    """The policy whose maximum regret over the worlds is least (the first listed when tied);
    ``regrets`` is one column of :func:`regret`."""
    worst = regrets.groupby(level="policy", sort=False).max()
    return str(worst.idxmin())


def satisficing_share(meets: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """The share of worlds in which each policy meets the thresholds (``meets``: booleans
    indexed by (policy, world))."""
    return meets.groupby(level="policy", sort=False).mean()


def most_satisficing(meets: pd.Series, regrets: pd.Series) -> str:
    """The policy meeting every threshold in the most worlds (``meets``), ties going to the
    least maximum regret (``regrets``), then to the first listed."""
    share = satisficing_share(meets)
    worst = regrets.groupby(level="policy", sort=False).max().reindex(share.index)
    ranked = pd.DataFrame({"share": -share, "worst": worst})
    return str(ranked.sort_values(["share", "worst"], kind="stable").index[0])
