"""Analysing a finished sweep: sensitivity (Sobol or Morris) and scenario discovery (PRIM).

Everything is computed on replication means per design point. Targets are each metric of
each scenario and, when the sweep compares two or more scenarios, the difference of the
second scenario minus the first (e.g. Scheme 2 - Scheme 1) — the quantity planners decide on.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from resettle.analysis import sensitivity
from resettle.analysis.discovery import PrimResult, prim
from resettle.errors import ScenarioError, SweepError
from resettle.experiments.sweep.design import unit_points
from resettle.experiments.sweep.runner import sweep_record
from resettle.experiments.sweep.spec import SweepSpec, load_sweep

DIFFERENCE = "difference"
PRIM_MIN_SUPPORT = 0.05  # assumption: boxes holding fewer than 5% of the points are noise


@dataclass
class SweepAnalysis:
    """A sweep's results and what was computed from them."""

    spec: SweepSpec
    points: pd.DataFrame
    means: pd.DataFrame
    year: int
    sweep_dir: Path | None = None
    started: dict = field(default_factory=dict)  # the sweep's provenance (sweep.json)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    discovery: dict[str, PrimResult] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def factors(self) -> list[str]:
        """Names of the varied parameters."""
        return [f.name for f in self.spec.factors]


def load_results(out: Path) -> tuple[SweepSpec, pd.DataFrame, pd.DataFrame]:
    """Spec, design points and results of a finished sweep directory."""
    sweep_record(out)
    if not (out / "results.parquet").exists():
        raise SweepError(f"{out}: the sweep is not finished (no results.parquet); "
                         f"continue it with 'resettle sweep --resume {out}'")
    return (load_sweep(out / "spec.toml"), pd.read_parquet(out / "points.parquet"),
            pd.read_parquet(out / "results.parquet"))


def point_means(results: pd.DataFrame, metrics: tuple[str, ...], year: int) -> pd.DataFrame:
    """Replication means per point (rows) and target (columns ``metric|scenario``), with the
    second-minus-first scenario difference as ``metric|difference`` (paired by seed)."""
    at = results[results["year"] == year]
    wide = at.pivot_table(index="point", columns="scenario", values=list(metrics),
                          aggfunc="mean", sort=False)
    names = list(dict.fromkeys(at["scenario"]))
    frame = pd.DataFrame({f"{m}|{s}": wide[(m, s)] for m in metrics for s in names})
    if len(names) > 1:
        for m in metrics:
            frame[f"{m}|{DIFFERENCE}"] = wide[(m, names[1])] - wide[(m, names[0])]
    return frame.sort_index()


def sobol_table(analysis: SweepAnalysis, rng: np.random.Generator) -> pd.DataFrame:
    """Sobol first- and total-order indices with bootstrap CIs, for every target."""
    spec, tables = analysis.spec, []
    for target, values in analysis.means.items():
        table = sensitivity.sobol_from_outputs(values.to_numpy(float), spec.samples,
                                               len(spec.factors), analysis.factors, rng)
        table.insert(0, "target", target)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def morris_table(analysis: SweepAnalysis) -> pd.DataFrame:
    """Morris elementary-effects screening (μ*, σ) in unit coordinates, for every target."""
    spec, tables = analysis.spec, []
    unit, _ = unit_points(spec)
    for target, values in analysis.means.items():
        table = sensitivity.morris_indices(unit, values.to_numpy(float), spec.samples,
                                           len(spec.factors), analysis.factors)
        table.insert(0, "target", target)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def discover(analysis: SweepAnalysis, metric: str) -> PrimResult | None:
    """PRIM boxes of the parameter region where the second scenario beats the first on
    ``metric`` (higher is better for every headline metric)."""
    target = f"{metric}|{DIFFERENCE}"
    if target not in analysis.means:
        return None
    wins = (analysis.means[target] > 0).to_numpy()
    if wins.all() or not wins.any():
        return None
    x = analysis.points.set_index("point").loc[analysis.means.index, analysis.factors]
    return prim(x.reset_index(drop=True), wins, min_support=PRIM_MIN_SUPPORT)


def analyse_sweep(out: Path, year: int | None = None, seed: int = 0) -> SweepAnalysis:
    """Load a finished sweep and compute sensitivity and discovery."""
    start = time.perf_counter()
    spec, points, results = load_results(out)
    year = year or max(spec.years)
    if year not in spec.years:
        raise ScenarioError(f"--year {year}: the sweep kept years {list(spec.years)}")
    started = json.loads((out / "sweep.json").read_text("utf-8"))
    analysis = SweepAnalysis(spec, points, point_means(results, spec.metrics, year), year,
                             out, started)
    rng = np.random.default_rng(np.random.SeedSequence([spec.seed, seed, 2]))
    if spec.design == "sobol":
        analysis.sensitivity = sobol_table(analysis, rng)
    elif spec.design == "morris":
        analysis.sensitivity = morris_table(analysis)
    for metric in spec.metrics:
        found = discover(analysis, metric)
        if found is not None:
            analysis.discovery[metric] = found
    analysis.seconds = time.perf_counter() - start
    return analysis
