"""An evaluated ensemble of worlds: the filters read over a finished sweep, and the tables
written beside it in the worlds directory (each file atomically)::

    worlds.toml    the specification (scenario path absolute, ``uncertain`` listed); resume
                   reads it
    spec.toml, sweep.json, points.parquet, shards/, failures/, results.parquet   the sweep
    worlds.csv     one row per world: ``world`` (the sweep's ``point``), every sampled value,
                   one true/false column per filter, ``plausible`` (every filter passed) and
                   ``failed`` (the filters it failed, space-separated; empty for a plausible
                   world); the rejected worlds are kept
    filters.csv    one row per filter: its conditions as text, source, whether its threshold
                   is an assumption, worlds passing, share, worlds with a missing value
    checks.csv     every value a filter read: world, filter, condition, year, since, value,
                   holds

A filter reads the mean over the replications of each outcome: missing (NaN) if any
replication's value is, and a missing value never passes (a group with nobody left in it, a
fee before the first bill). The tables follow from the finished sweep and the specification
alone, so a resume writes them again identically. :func:`load_worlds` gives the accepted
worlds' parameter values, exactly as the runs used them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from resettle.errors import SweepError
from resettle.experiments.sweep.runner import write_file
from resettle.experiments.worlds.filters import WorldFilter, read_parameters, terms
from resettle.experiments.worlds.spec import WorldsSpec, stored_spec

RESULT_KEYS = ("key", "point", "scenario", "replication", "seed", "year")  # not outcomes


@dataclass
class Ensemble:
    """An evaluated ensemble: its specification and the three tables (module docstring)."""

    spec: WorldsSpec
    worlds: pd.DataFrame
    filters: pd.DataFrame
    checks: pd.DataFrame

    @property
    def plausible(self) -> int:
        """How many worlds pass every filter."""
        return int(self.worlds["plausible"].sum())


def evaluate_worlds(out: Path, spec: WorldsSpec) -> Ensemble:
    """Evaluate the filters over the finished sweep in ``out``."""
    if not (out / "results.parquet").is_file():
        raise SweepError(f"{out}: the ensemble is not finished (no results.parquet); continue "
                         f"it with 'resettle worlds --resume {out}'")
    points = pd.read_parquet(out / "points.parquet")
    values = world_values(points, pd.read_parquet(out / "results.parquet"), spec.uncertain)
    checks = pd.concat([filter_checks(f, values) for f in spec.filters], ignore_index=True)
    worlds = world_table(points, checks, spec)
    return Ensemble(spec, worlds, filter_table(worlds, checks, spec), checks)


def world_values(points: pd.DataFrame, results: pd.DataFrame,
                 uncertain: tuple[str, ...]) -> pd.DataFrame:
    """Per world (``point``) and kept year: each outcome's mean over the replications (NaN
    if any replication's is NaN) and each sampled parameter's value."""
    metrics = [c for c in results.columns if c not in RESULT_KEYS]
    groups = results.groupby(["point", "year"])[metrics]
    means = groups.mean().where(groups.count().eq(groups.size(), axis=0))
    return means.join(points.set_index("point")[read_parameters(uncertain)], on="point")


def quantity(frame: pd.DataFrame, indicator: str) -> pd.Series:
    """A condition's quantity (``a`` or ``a - b``) in each row of ``frame``."""
    names = terms(indicator)
    return frame[names[0]] - frame[names[1]] if len(names) == 2 else frame[names[0]]


def filter_checks(f: WorldFilter, values: pd.DataFrame) -> pd.DataFrame:
    """Every value filter ``f`` reads, one row per world, condition and year."""
    rows = []
    for year in f.years:
        for c in f.conditions:
            value = quantity(values.xs(year, level="year"), c.indicator)
            if f.since is not None:
                value = value - quantity(values.xs(f.since, level="year"), c.indicator)
            rows.append(pd.DataFrame({
                "world": value.index.to_numpy(), "filter": f.name, "condition": c.describe(),
                "year": year, "since": pd.array([f.since] * len(value), dtype="Int64"),
                "value": value.to_numpy(float), "holds": [c.holds(v) for v in value]}))
    return pd.concat(rows, ignore_index=True)


def world_table(points: pd.DataFrame, checks: pd.DataFrame, spec: WorldsSpec) -> pd.DataFrame:
    """One row per world: its sampled values, whether it passes each filter, ``plausible``
    and the filters it ``failed``."""
    names = [f.name for f in spec.filters]
    passed = checks.groupby(["world", "filter"])["holds"].all().unstack("filter")[names]
    worlds = points.rename(columns={"point": "world"})[["world", *spec.uncertain]]
    worlds = worlds.join(passed.astype(bool), on="world")
    worlds["plausible"] = worlds[names].all(axis=1)
    worlds["failed"] = [" ".join(n for n in names if not row[n])
                        for _, row in worlds[names].iterrows()]
    return worlds


def filter_table(worlds: pd.DataFrame, checks: pd.DataFrame, spec: WorldsSpec) -> pd.DataFrame:
    """One row per filter: conditions, source, whether the threshold is an assumption, the
    worlds passing it and their share, and the worlds that had a missing value."""
    rows = []
    for f in spec.filters:
        mine = checks[checks["filter"] == f.name]
        rows.append({"filter": f.name, "conditions": f.describe(), "source": f.source,
                     "assumption": f.assumed, "worlds": len(worlds),
                     "passing": int(worlds[f.name].sum()),
                     "share": float(worlds[f.name].mean()),
                     "missing": int(mine.loc[mine["value"].isna(), "world"].nunique())})
    return pd.DataFrame(rows)


def write_world_tables(out: Path, ensemble: Ensemble) -> None:
    """worlds.csv, filters.csv and checks.csv, each written atomically."""
    for name, frame in (("worlds", ensemble.worlds), ("filters", ensemble.filters),
                        ("checks", ensemble.checks)):
        write_file(out / f"{name}.csv", lambda p, t=frame: t.to_csv(p, index=False))


# ---- reading an ensemble ----------------------------------------------------------------
def load_worlds(out: str | Path, plausible_only: bool = True) -> pd.DataFrame:
    """The worlds of the worlds directory ``out`` (only the plausible ones unless
    ``plausible_only`` is false): one row per world, indexed by ``world``, one column per
    sampled parameter, with the exact values the runs used (from points.parquet)."""
    out = Path(out)
    stored_spec(out)
    if not (out / "worlds.csv").is_file():
        raise SweepError(f"{out}: the ensemble is not finished (no worlds.csv); continue it "
                         f"with 'resettle worlds --resume {out}'")
    kept = pd.read_csv(out / "worlds.csv", usecols=["world", "plausible"]).set_index("world")
    points = pd.read_parquet(out / "points.parquet").set_index("point").drop(columns="block")
    points.index.name = "world"
    chosen = kept.index[kept["plausible"]] if plausible_only else kept.index
    return points.loc[chosen]
