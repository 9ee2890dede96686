"""Design points of a sweep: full factorial, Latin hypercube, Sobol (Saltelli), Morris, a
Sobol' sequence, or points given as they are (``points``: the i-th value of each parameter).

Points are drawn in the unit hypercube with the spec's seed (scipy.stats.qmc), then scaled to
each factor's range or list of values. The table has one row per point: ``point``, ``block``
(Saltelli block 0 = A, 1 = B, 2+i = AB_i; Morris trajectory; -1 otherwise) and one column per
factor.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy.stats import qmc

from resettle.experiments.sweep.spec import MORRIS_LEVELS, SweepSpec


def unit_points(spec: SweepSpec) -> tuple[np.ndarray, np.ndarray]:
    """Points in [0, 1)^d and their block labels, for the random designs."""
    d = len(spec.factors)
    if spec.design == "latin_hypercube":
        return qmc.LatinHypercube(d, rng=np.random.default_rng(spec.seed)).random(
            spec.samples), np.full(spec.samples, -1)
    if spec.design == "sobol_sequence":  # scrambled (Owen), so each point is in [0, 1)
        m = spec.samples.bit_length() - 1  # samples is a power of two (spec)
        return qmc.Sobol(d, scramble=True, rng=np.random.default_rng(spec.seed)).random_base2(
            m), np.full(spec.samples, -1)
    from resettle.analysis import sensitivity

    if spec.design == "sobol":
        a, b = sensitivity.sobol_base(spec.samples, d, spec.seed)
        return sensitivity.saltelli_layout(a, b)
    x = sensitivity.morris_design(spec.samples, d, MORRIS_LEVELS, np.random.default_rng(spec.seed))
    return np.minimum(x, np.nextafter(1.0, 0.0)), np.repeat(np.arange(spec.samples), d + 1)


def planned_points(spec: SweepSpec) -> int:
    """How many points the design has, counted without making them (a ceiling is checked on
    this first: a full factorial of many levels would not fit in memory)."""
    d = len(spec.factors)
    if spec.design in ("latin_hypercube", "sobol_sequence", "points"):
        return spec.samples
    if spec.design == "sobol":
        return spec.samples * (d + 2)
    if spec.design == "morris":
        return spec.samples * (d + 1)
    return math.prod(_grid_size(f, spec.levels) for f in spec.factors)


def _grid_size(factor, levels: int) -> int:
    if factor.categorical:
        return len(factor.values)
    if factor.integer:
        return min(levels, int(factor.high) - int(factor.low) + 1)
    return levels


def planned_runs(spec: SweepSpec) -> int:
    """Points x scenarios x replications."""
    return planned_points(spec) * len(spec.scenarios) * spec.replications


def design_points(spec: SweepSpec) -> pd.DataFrame:
    """The design's points, scaled to parameter values."""
    names = [f.name for f in spec.factors]
    if spec.design == "points":
        table = pd.DataFrame({f.name: list(f.values) for f in spec.factors})
        table.insert(0, "block", -1)
    elif spec.design == "full_factorial":
        rows = list(itertools.product(*(f.grid(spec.levels) for f in spec.factors)))
        table = pd.DataFrame(rows, columns=names)
        table.insert(0, "block", -1)
    else:
        u, block = unit_points(spec)
        table = pd.DataFrame({f.name: [f.scale(v) for v in u[:, i]]
                              for i, f in enumerate(spec.factors)})
        table.insert(0, "block", block)
    table.insert(0, "point", np.arange(len(table)))
    return table
