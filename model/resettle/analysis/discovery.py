"""Scenario discovery: which parameter region produces the outcome of interest?

PRIM, the patient rule induction method (Friedman & Fisher 1999), as used for scenario
discovery (Bryant & Lempert 2010). Given the sweep's parameter values ``X`` and a boolean
outcome ``y`` per point (e.g. "the scheme failed"), PRIM starts from the box holding every
point and repeatedly peels off a thin slice: the lowest or highest ``alpha`` quantile of one
numeric parameter among the points still in the box, or one category of a categorical
parameter. At each step it takes the peel giving the highest density (share of ``y`` True in
the box), and stops when no peel raises the density or every peel would leave less than
``min_support`` of all points in the box. Only the peeling phase is implemented (no pasting).

Each box along the way is summarised by

- coverage: share of all True cases that lie in the box,
- density: share of the points in the box that are True,
- support: share of all points that lie in the box,
- n_restricted: how many parameters the box restricts.

Peeling only shrinks the box, so coverage and support never increase along the trajectory; the
analyst trades coverage against density by choosing a box (:meth:`PrimResult.select`).

A box maps every parameter to its limits: ``(low, high)`` (inclusive) for a numeric one, a
frozenset of allowed values for a categorical one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

Limits = tuple[float, float] | frozenset
Box = dict[str, Limits]
Peel = tuple[str, Limits, np.ndarray]  # parameter, its new limits, the points left in the box
STAT_COLUMNS = ["coverage", "density", "support", "n_restricted"]
TABLE_COLUMNS = ["parameter", "low", "high", "allowed", "coverage", "density"]


def is_numeric(column: pd.Series) -> bool:
    """Whether PRIM treats ``column`` as numeric (peeled by quantile) rather than categorical."""
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _sort_values(values: frozenset) -> list:
    """Categories in a stable, printable order (by their string form)."""
    return sorted(values, key=str)


@dataclass(frozen=True)
class PrimResult:
    """The peeling trajectory: ``boxes[i]`` is the box after ``i`` peels (``boxes[0]`` is full).

    ``trajectory`` has one row per box: coverage, density, support, n_restricted, then the
    limits of every parameter (``<name>_low``/``<name>_high`` or ``<name>_values``).
    """

    trajectory: pd.DataFrame
    boxes: list[Box]

    def box(self, i: int) -> Box:
        """Limits of box ``i`` for the parameters it restricts (relative to the full box)."""
        full = self.boxes[0]
        return {name: lim for name, lim in self.boxes[i].items() if lim != full[name]}

    def select(self, min_density: float | None = None) -> int:
        """Index of a box to report.

        With ``min_density``: the box with the highest coverage (the earliest one) whose density
        reaches it; ValueError if none does. Without: the knee of the trajectory, the box
        maximising coverage × density (the first one if tied).
        """
        traj = self.trajectory
        if min_density is None:
            return int(np.argmax(traj["coverage"] * traj["density"]))
        hits = np.flatnonzero(traj["density"] >= min_density)
        if not len(hits):
            raise ValueError(f"no box reaches density {min_density}")
        return int(hits[0])

    def table(self, i: int) -> pd.DataFrame:
        """:func:`box_table` of box ``i``."""
        row = self.trajectory.iloc[i]
        return box_table(self.box(i), float(row["coverage"]), float(row["density"]))


def _check_inputs(x: pd.DataFrame, y: np.ndarray, alpha: float, min_support: float) -> np.ndarray:
    """``y`` as a boolean array, after checking shapes and settings; ValueError otherwise."""
    y = np.asarray(y)
    if y.dtype != bool:
        raise ValueError(f"y must be boolean, got dtype {y.dtype}")
    if y.shape != (len(x),):
        raise ValueError(f"y has shape {y.shape}, expected ({len(x)},)")
    if not y.any():
        raise ValueError("y has no True case: coverage is undefined")
    if not 0 < alpha < 0.5 or not 0 < min_support <= 1:
        raise ValueError(f"need 0 < alpha < 0.5 and 0 < min_support <= 1, got {alpha}, "
                         f"{min_support}")
    return y


def _full_box(x: pd.DataFrame) -> Box:
    """The box holding every point: [min, max] per numeric column, all values otherwise."""
    return {name: (float(col.min()), float(col.max())) if is_numeric(col)
            else frozenset(col.unique()) for name, col in x.items()}


def _numeric_peels(name: str, values: np.ndarray, limits: tuple[float, float],
                   inside: np.ndarray, alpha: float) -> Iterator[Peel]:
    """Peel the lowest or the highest ``alpha`` quantile of the values in the box."""
    low, high = np.quantile(values[inside], [alpha, 1 - alpha])
    yield name, (float(low), limits[1]), inside & (values >= low)
    yield name, (limits[0], float(high)), inside & (values <= high)


def _categorical_peels(name: str, values: np.ndarray, allowed: frozenset,
                       inside: np.ndarray) -> Iterator[Peel]:
    """Drop one of the categories present in the box (if more than one is)."""
    present = frozenset(pd.unique(values[inside]))
    if len(present) < 2:
        return
    for value in _sort_values(present):
        yield name, allowed - {value}, inside & (values != value)


def _peels(columns: dict[str, np.ndarray], box: Box, inside: np.ndarray,
           alpha: float) -> Iterator[Peel]:
    """Every candidate peel of ``box``."""
    for name, values in columns.items():
        if isinstance(box[name], frozenset):
            yield from _categorical_peels(name, values, box[name], inside)
        else:
            yield from _numeric_peels(name, values, box[name], inside, alpha)


def _best_peel(columns: dict[str, np.ndarray], y: np.ndarray, box: Box, inside: np.ndarray,
               alpha: float, min_count: int) -> Peel | None:
    """The admissible peel giving the highest density, or None if none raises the density.

    Admissible: it removes at least one point and leaves at least ``min_count``. Ties in
    density go to the peel leaving more points (then to the first one found).
    """
    current, size = y[inside].mean(), int(inside.sum())
    best, best_key = None, (current, -1)
    for peel in _peels(columns, box, inside, alpha):
        count = int(peel[2].sum())
        key = (y[peel[2]].mean(), count)
        if min_count <= count < size and key[0] > current and key > best_key:
            best, best_key = peel, key
    return best


def _row(box: Box, full: Box, inside: np.ndarray, y: np.ndarray) -> dict:
    """Trajectory row of one box: its statistics and the limits of every parameter."""
    row = {"coverage": y[inside].sum() / y.sum(), "density": y[inside].mean(),
           "support": inside.mean(),
           "n_restricted": sum(lim != full[name] for name, lim in box.items())}
    for name, lim in box.items():
        if isinstance(lim, frozenset):
            row[f"{name}_values"] = tuple(_sort_values(lim))
        else:
            row[f"{name}_low"], row[f"{name}_high"] = lim
    return row


def prim(x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05,
         min_support: float = 0.05) -> PrimResult:
    """Peel boxes from the full box of ``x`` towards the points where ``y`` is True.

    ``x`` has one column per parameter (numeric, or categorical: object, category, string or
    bool dtype) and no missing values; ``y`` is boolean, one per row. Each step applies the
    peel giving the highest density, among those leaving at least ``min_support`` of all points
    in the box; peeling stops when none raises the density. Deterministic (no random draws).
    """
    y = _check_inputs(x, y, alpha, min_support)
    columns = {name: col.to_numpy(dtype=float if is_numeric(col) else object)
               for name, col in x.items()}
    min_count = math.ceil(min_support * len(x))
    full = _full_box(x)
    boxes, inside = [full], np.ones(len(x), dtype=bool)
    rows = [_row(full, full, inside, y)]
    while (peel := _best_peel(columns, y, boxes[-1], inside, alpha, min_count)) is not None:
        name, limits, inside = peel
        boxes.append({**boxes[-1], name: limits})
        rows.append(_row(boxes[-1], full, inside, y))
    return PrimResult(trajectory=pd.DataFrame(rows), boxes=boxes)


def box_table(box: Box, coverage: float, density: float) -> pd.DataFrame:
    """A box as a readable table: one row per restricted parameter.

    Columns: parameter, low, high (numeric limits; NaN for a categorical parameter), allowed
    (the allowed values, comma-separated; empty for a numeric one), and the box's coverage and
    density, repeated on every row so the table stands on its own.
    """
    rows = []
    for name, lim in box.items():
        if isinstance(lim, frozenset):
            rows.append((name, np.nan, np.nan, ", ".join(map(str, _sort_values(lim)))))
        else:
            rows.append((name, lim[0], lim[1], ""))
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS[:4])
    table["coverage"], table["density"] = coverage, density
    return table
