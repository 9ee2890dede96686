"""A decide study's tables, read from its finished sweep and its specification alone (so a
resume writes them again identically), each written atomically in the study's directory::

    decide.toml        the specification, paths absolute (resume reads it)
    policies/NN-NAME.toml   every policy as a complete scenario file (the sweep's scenarios)
    spec.toml, sweep.json, points.parquet, shards/, failures/, results.parquet   the sweep
    worlds.csv         the worlds compared: ``world`` (its id in the worlds directory),
                       ``point`` (the sweep's) and every sampled value
    outcomes.csv       one row per policy and world: each metric's mean over the replications
                       at the horizon, ``combined`` (the weighted mean of the scores),
                       ``switched`` (the share of replications that switched by the horizon),
                       ``switch_year`` (their mean year after which the switch came),
                       ``satisfices`` (every threshold met) and ``fails``
    regret.csv         one row per policy, world and metric (and ``combined``): ``value``,
                       ``regret``, its Monte-Carlo 95% ``halfwidth`` and the world's ``best``
    policies.csv       one row per policy and metric (and ``combined``): the mean, p10 and
                       p90 over the worlds, mean and maximum regret, the median half-width,
                       the threshold and the share of worlds meeting it (``combined``: every
                       threshold), and the share of worlds where the policy ``fails``
    trigger_search.csv one row per grid point: its thresholds, maximum and mean regret,
                       satisficing and failing shares, when it switched; ``best`` marks the
                       least maximum regret
    precision.csv      ``--precision`` only: one row per round of replications
                       (:mod:`~resettle.experiments.decide.precision`)
    boxes.csv          per policy failing in some worlds but not all: the PRIM box
                       (``resettle.analysis.discovery``; the knee of the peeling trajectory)
                       over the worlds' sampled values, one row per restricted parameter
    sensitivity.csv    which assumptions flip the ranking: per sampled parameter and a dummy
                       (seeded noise), the given-data first-order index of the recommended
                       policy's ranking margin (its combined score minus the best other's)
                       and of its combined regret, with bootstrap intervals over the worlds,
                       the noise floor, Spearman's rho and the flip shares in the lower and
                       upper half of the parameter (``resettle.analysis.decision_sensitivity``)

A policy **fails** in a world where it misses a ``[satisficing]`` threshold or its combined
regret exceeds ``regret_tolerance``. Regret, its maximum and the robust choice are
:mod:`resettle.analysis.regret`'s; the spread is over the plausible worlds, the half-widths
over replications (Monte-Carlo noise only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from resettle.analysis import regret as rg
from resettle.analysis.decision_sensitivity import COLUMNS as SENSITIVITY_COLUMNS
from resettle.analysis.decision_sensitivity import sensitivity_table
from resettle.analysis.discovery import PrimResult, prim
from resettle.errors import SweepError
from resettle.experiments.decide.policies import TRIGGER_SEARCH
from resettle.experiments.decide.spec import HIGHER, TIMING, DecideSpec
from resettle.experiments.sweep.analyse import PRIM_MIN_SUPPORT
from resettle.experiments.sweep.runner import write_file
from resettle.sim.seeds import stream_key

if TYPE_CHECKING:
    from resettle.experiments.decide.precision import Rounds

COMBINED = "combined"  # the weighted mean of the metrics' scores
ALL = "all"  # every [satisficing] threshold
TABLES = ("worlds", "outcomes", "regret", "policies", "trigger_search", "boxes", "sensitivity")
SENSITIVITY_STREAM = "decide.sensitivity"  # its draws: SeedSequence([seed, crc32(this)])


@dataclass
class Decision:
    """A finished study's tables (module docstring) and its choices."""

    spec: DecideSpec
    outcomes: pd.DataFrame
    regret: pd.DataFrame
    policies: pd.DataFrame
    trigger_search: pd.DataFrame
    boxes: pd.DataFrame
    sensitivity: pd.DataFrame
    recommended: str  # least maximum regret on the combined score
    most_satisficing: str | None  # None without thresholds
    prim: dict[str, PrimResult] = field(default_factory=dict)
    precision: Rounds | None = None  # --precision: the rounds of replications

    @property
    def worlds(self) -> pd.DataFrame:
        """The worlds compared: id, the sweep's point, every sampled value."""
        table = self.spec.worlds.reset_index()
        table.insert(1, "point", np.arange(len(table)))
        return table

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by file stem."""
        found = {"worlds": self.worlds, "outcomes": self.outcomes, "regret": self.regret,
                 "policies": self.policies, "trigger_search": self.trigger_search,
                 "boxes": self.boxes, "sensitivity": self.sensitivity}
        return found if self.precision is None else {**found,
                                                     "precision": self.precision.table()}

    def row(self, policy: str, metric: str = COMBINED) -> pd.Series:
        """``policies.csv``'s row of a policy and metric."""
        table = self.policies
        return table[(table["policy"] == policy) & (table["metric"] == metric)].iloc[0]


def evaluate_decision(out: Path, spec: DecideSpec) -> Decision:
    """The study's tables from the finished sweep in ``out``."""
    results = finished_results(out)
    check_complete(out, results, spec)
    runs = horizon_runs(results, spec)
    scores = run_scores(runs, spec)
    means, score_means = _means(runs), _means(scores)
    values = means.assign(**{COMBINED: score_means[COMBINED]})  # what the tables show
    regrets, best = rg.regret(score_means), rg.best_policy(score_means)
    meets = threshold_table(means, spec)
    fails = ~meets[ALL] | (regrets[COMBINED] > spec.tolerance)
    outcomes = outcome_table(values, switch_timing(results, spec), meets, fails)
    halfwidth = rg.paired_halfwidth(scores, best)
    table = policy_table(spec, values, regrets, halfwidth, meets, fails)
    satisficer = rg.most_satisficing(meets[ALL], regrets[COMBINED]) if spec.satisficing \
        else None
    found = failure_boxes(spec, fails)
    recommended = rg.least_max_regret(regrets[COMBINED])
    return Decision(spec, outcomes, regret_table(values, regrets, halfwidth, best), table,
                    search_table(spec, table, outcomes), box_table(found, fails),
                    ranking_sensitivity(spec, score_means[COMBINED], recommended),
                    recommended, satisficer, found)


def finished_results(out: Path) -> pd.DataFrame:
    """The finished sweep's results; SweepError while it is not finished."""
    if not (out / "results.parquet").is_file():
        raise SweepError(f"{out}: the study is not finished (no results.parquet); continue it "
                         f"with 'resettle decide --resume {out}'")
    return pd.read_parquet(out / "results.parquet")


def check_complete(out: Path, results: pd.DataFrame, spec: DecideSpec) -> None:
    """SweepError unless ``results`` has every run of the study (each policy, world and
    replication below the spec's) at the horizon: a damaged directory, which no state of a
    sweep leaves, is refused rather than averaged over fewer replications."""
    at = results[(results["year"] == spec.horizon)
                 & (results["replication"] < spec.sweep.replications)]
    found = len(at.drop_duplicates(["scenario", "point", "replication"]))
    needed = len(spec.policies) * len(spec.world_ids) * spec.sweep.replications
    if found < needed:
        raise SweepError(f"{out}/results.parquet has {found} of the study's {needed} runs at "
                         f"year {spec.horizon}; continue it with 'resettle decide --resume "
                         f"{out}'")


# ---- values and scores ------------------------------------------------------------------
def horizon_runs(results: pd.DataFrame, spec: DecideSpec) -> pd.DataFrame:
    """Each run's metrics at the horizon, indexed by (policy, world, replication) in the
    spec's order of policies and worlds."""
    at = results[results["year"] == spec.horizon]
    worlds = np.asarray(spec.world_ids)[at["point"].to_numpy()]
    frame = at[list(spec.metrics)].set_axis(pd.MultiIndex.from_arrays(
        [at["scenario"].to_numpy(), worlds, at["replication"].to_numpy()],
        names=[*rg.INDEX, "replication"]))
    order = pd.MultiIndex.from_product([[p.name for p in spec.policies], spec.world_ids,
                                        range(spec.sweep.replications)],
                                       names=frame.index.names)
    return frame.reindex(order)


def run_scores(runs: pd.DataFrame, spec: DecideSpec) -> pd.DataFrame:
    """Each run's scores (higher is better) and the combined score: the weighted mean."""
    scores = runs * pd.Series({m: spec.sign(m) for m in spec.metrics})
    weights = pd.Series(dict(spec.weights))
    scores[COMBINED] = (scores[list(weights.index)] * weights).sum(axis=1, min_count=1) \
        / weights.sum()
    return scores


def _means(runs: pd.DataFrame) -> pd.DataFrame:
    """Means over the replications, by (policy, world), in the runs' order."""
    return runs.groupby(level=rg.INDEX, sort=False).mean()


def threshold_table(means: pd.DataFrame, spec: DecideSpec) -> pd.DataFrame:
    """Whether each policy meets each threshold in each world, and all of them (``all``)."""
    meets = pd.DataFrame({c.indicator: means[c.indicator].map(c.holds).astype(bool)
                          for c in spec.satisficing}, index=means.index)
    meets[ALL] = meets.all(axis=1)
    return meets


def switch_timing(results: pd.DataFrame, spec: DecideSpec) -> pd.DataFrame:
    """Per (policy, world): the share of replications that switched by the horizon, and their
    mean switch year (the year after which the switch's levers came into force: the year
    before the first year-end at which ``switched`` is 1)."""
    on = results[results[TIMING] > 0]
    first = on.groupby(["scenario", "point", "replication"])["year"].min() - 1
    runs = results[results["year"] == spec.horizon].set_index(
        ["scenario", "point", "replication"]).index
    first = first.reindex(runs)
    worlds = np.asarray(spec.world_ids)[runs.get_level_values("point")]
    keys = [runs.get_level_values("scenario"), worlds]
    table = pd.DataFrame({"switched": first.notna().to_numpy(float),
                          "switch_year": first.to_numpy(float)})
    return table.groupby(keys).mean().rename_axis(rg.INDEX)


# ---- tables ------------------------------------------------------------------------------
def outcome_table(values: pd.DataFrame, timing: pd.DataFrame, meets: pd.DataFrame,
                  fails: pd.Series) -> pd.DataFrame:
    """outcomes.csv (module docstring)."""
    table = values.join(timing)
    table["satisfices"], table["fails"] = meets[ALL], fails
    return table.reset_index()


def regret_table(values: pd.DataFrame, regrets: pd.DataFrame, halfwidth: pd.DataFrame,
                 best: pd.DataFrame) -> pd.DataFrame:
    """regret.csv: one row per policy, world and metric (module docstring)."""
    parts = []
    for metric in values.columns:
        part = pd.DataFrame({"metric": metric, "value": values[metric],
                             "regret": regrets[metric], "halfwidth": halfwidth[metric]})
        part["best"] = best[metric].reindex(part.index.get_level_values("world")).to_numpy()
        parts.append(part)
    return pd.concat(parts).reset_index()


def noisy_regret(regret: pd.DataFrame) -> pd.DataFrame:
    """regret.csv's rows whose half-width measures Monte-Carlo noise: all but the world's best
    policy's, whose regret is 0 in every replication by construction."""
    return regret[regret["policy"] != regret["best"]]


def policy_table(spec: DecideSpec, values: pd.DataFrame, regrets: pd.DataFrame,
                 halfwidth: pd.DataFrame, meets: pd.DataFrame, fails: pd.Series) -> pd.DataFrame:
    """policies.csv: one row per policy and metric (module docstring)."""
    table = policy_statistics(values, regrets, halfwidth)
    better = {m: "higher" if spec.sign(m) == HIGHER else "lower" for m in spec.metrics}
    thresholds = {c.indicator: c.describe() for c in spec.satisficing}
    thresholds[COMBINED] = "; ".join(thresholds.values())
    shares = rg.satisficing_share(meets.rename(columns={ALL: COMBINED}))
    failing = level_groups(fails).mean()
    pairs = list(zip(table["policy"], table["metric"], strict=True))
    table.insert(1, "kind", table["policy"].map({p.name: p.kind for p in spec.policies}))
    table.insert(3, "better", table["metric"].map({**better, COMBINED: "higher"}))
    table["threshold"] = table["metric"].map(thresholds).fillna("")
    table["satisficing"] = [shares.loc[p, m] if thresholds.get(m) else np.nan for p, m in pairs]
    table["fails"] = [failing[p] if m == COMBINED else np.nan for p, m in pairs]
    return table


def policy_statistics(values: pd.DataFrame, regrets: pd.DataFrame,
                      halfwidth: pd.DataFrame) -> pd.DataFrame:
    """Per policy and metric (rows): the spread of the values over the worlds, the mean and
    maximum regret, and the median half-width of the regret."""
    spread = rg.spread(values)
    columns = {"mean": spread["mean"], "p10": spread["p10"], "p90": spread["p90"],
               "mean_regret": level_groups(regrets).mean(), "max_regret": rg.max_regret(regrets),
               "halfwidth": level_groups(halfwidth).median()}
    table = pd.DataFrame({name: frame.stack() for name, frame in columns.items()})
    return table.rename_axis(["policy", "metric"]).reset_index()


def level_groups(frame: pd.DataFrame | pd.Series):
    """``frame`` grouped by policy, in the policies' order."""
    return frame.groupby(level="policy", sort=False)


def search_table(spec: DecideSpec, table: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """trigger_search.csv: the grid points' thresholds and how they did (module docstring)."""
    grid = [p for p in spec.policies if p.kind == TRIGGER_SEARCH]
    combined = table[table["metric"] == COMBINED].set_index("policy")
    timing = outcomes.groupby("policy", sort=False)[["switched", "switch_year"]].mean()
    rows = [{"policy": p.name, **dict(p.settings),
             **combined.loc[p.name, ["max_regret", "mean_regret", "satisficing", "fails"]],
             **timing.loc[p.name]} for p in grid]
    found = pd.DataFrame(rows)
    if not found.empty:
        found["best"] = found.index == found["max_regret"].to_numpy().argmin()
    return found


# ---- where a policy fails ----------------------------------------------------------------
def failure_boxes(spec: DecideSpec, fails: pd.Series) -> dict[str, PrimResult]:
    """PRIM over the worlds' sampled values for each policy that fails in some worlds but
    not in all (in a world where it fails: True)."""
    x = spec.worlds.reset_index(drop=True)
    found = {}
    for policy in fails.index.get_level_values("policy").unique():
        y = fails.loc[policy].reindex(list(spec.world_ids)).to_numpy(bool)
        if y.any() and not y.all():
            found[policy] = prim(x, y, min_support=PRIM_MIN_SUPPORT)
    return found


def box_table(found: dict[str, PrimResult], fails: pd.Series) -> pd.DataFrame:
    """boxes.csv: each policy's chosen box, one row per restricted parameter."""
    columns = ["policy", "parameter", "low", "high", "allowed", "coverage", "density",
               "support", "failing", "worlds"]
    parts = []
    for policy, result in found.items():
        chosen = result.select()
        box = result.table(chosen)
        if box.empty:  # the knee is the whole box: no parameter separates the failures
            box = pd.DataFrame([{"parameter": "", "low": np.nan, "high": np.nan,
                                 "allowed": "", **result.trajectory.iloc[chosen][
                                     ["coverage", "density"]]}])
        mine = fails.loc[policy]
        parts.append(box.assign(policy=policy,
                                support=float(result.trajectory.iloc[chosen]["support"]),
                                failing=int(mine.sum()), worlds=len(mine)))
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(
        columns=columns)


# ---- which assumptions flip the ranking --------------------------------------------------
def ranking_sensitivity(spec: DecideSpec, combined: pd.Series, recommended: str) -> pd.DataFrame:
    """sensitivity.csv over the worlds' sampled values, its draws (the dummy, the bootstrap,
    the noise floor) from a stream of the spec's seed that no replication uses; empty with a
    single policy (no ranking)."""
    if len(spec.policies) < 2:
        return pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    rng = np.random.default_rng(np.random.SeedSequence([spec.sweep.seed,
                                                        stream_key(SENSITIVITY_STREAM)]))
    return sensitivity_table(spec.worlds, combined, recommended, rng)


def write_decision_tables(out: Path, decision: Decision) -> None:
    """Every table of the study, each written atomically."""
    for name, frame in decision.tables().items():
        write_file(out / f"{name}.csv", lambda p, t=frame: t.to_csv(p, index=False))
