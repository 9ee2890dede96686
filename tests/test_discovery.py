"""Checks of resettle.analysis.discovery: PRIM recovers a planted box from noisy labels.

The synthetic sweep has three uniform inputs and a categorical one; the outcome is True in the
box x0 > 0.6, x1 < 0.3, cat == "b" (4% of the points), with 1% of labels flipped. With 5000
points the planted box holds about 200 points, so the 1% min_support used here lets peeling go
past it. Flipped labels outside the box (about 48 points) cap the coverage of the planted box
near 0.8 and its density near 0.99.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resettle.analysis.discovery import TABLE_COLUMNS, PrimResult, box_table, prim

N_POINTS = 5000
FLIP = 0.01  # label noise
MIN_SUPPORT = 0.01
# Limits within ±0.05 of the planted ones: a peel removes 5% of the box's points, which near the
# end is a slice about 0.02 wide in x0 (box width ~0.4) and ~0.015 in x1; over 10 data seeds the
# chosen limits were within 0.021 of the planted ones.
LIMIT_TOL = 0.05


def planted(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Synthetic sweep and its noisy outcome."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({f"x{i}": rng.random(N_POINTS) for i in range(3)})
    x["cat"] = rng.choice(["a", "b", "c"], N_POINTS)
    truth = (x["x0"] > 0.6) & (x["x1"] < 0.3) & (x["cat"] == "b")
    return x, truth.to_numpy() ^ (rng.random(N_POINTS) < FLIP)


@pytest.fixture(scope="module", params=[0, 1, 2])
def result(request: pytest.FixtureRequest) -> PrimResult:
    """PRIM on the planted data for a few data seeds."""
    x, y = planted(request.param)
    return prim(x, y, alpha=0.05, min_support=MIN_SUPPORT)


def test_knee_box_recovers_planted_region(result: PrimResult) -> None:
    """The coverage × density knee restricts x0, x1 and cat to the planted limits, not x2."""
    box = result.box(result.select())
    assert set(box) == {"x0", "x1", "cat"}
    assert box["x0"][0] == pytest.approx(0.6, abs=LIMIT_TOL)
    assert box["x0"][1] == pytest.approx(1.0, abs=LIMIT_TOL)
    assert box["x1"][0] == pytest.approx(0.0, abs=LIMIT_TOL)
    assert box["x1"][1] == pytest.approx(0.3, abs=LIMIT_TOL)
    assert box["cat"] == {"b"}


def test_knee_box_quality(result: PrimResult) -> None:
    """Density > 0.8 and coverage > 0.7 (the planted box itself has about 0.99 and 0.8)."""
    row = result.trajectory.iloc[result.select()]
    assert row["density"] > 0.8
    assert row["coverage"] > 0.7


def test_trajectory_monotone(result: PrimResult) -> None:
    """Boxes nest: coverage and support never increase; each peel raises the density."""
    traj = result.trajectory
    assert np.all(np.diff(traj["coverage"]) <= 0)
    assert np.all(np.diff(traj["support"]) < 0)
    assert np.all(np.diff(traj["density"]) > 0)
    assert np.all(np.diff(traj["n_restricted"]) >= 0)


def test_trajectory_starts_full_and_respects_min_support(result: PrimResult) -> None:
    """Row 0 is the full box; no box holds less than min_support of the points."""
    first = result.trajectory.iloc[0]
    assert (first["coverage"], first["support"], first["n_restricted"]) == (1.0, 1.0, 0)
    assert result.box(0) == {}
    assert result.trajectory["support"].min() >= MIN_SUPPORT
    assert len(result.boxes) == len(result.trajectory)


def test_trajectory_records_limits(result: PrimResult) -> None:
    """The trajectory's limit columns match the boxes."""
    last = len(result.boxes) - 1
    row = result.trajectory.iloc[last]
    box = result.boxes[last]
    assert (row["x2_low"], row["x2_high"]) == box["x2"]
    assert set(row["cat_values"]) == box["cat"]


def test_select_by_density(result: PrimResult) -> None:
    """With a density threshold, the earliest (highest-coverage) box reaching it is chosen."""
    i = result.select(min_density=0.5)
    density = result.trajectory["density"].to_numpy()
    assert density[i] >= 0.5
    assert np.all(density[:i] < 0.5)
    with pytest.raises(ValueError, match="no box"):
        result.select(min_density=1.01)


def test_box_table() -> None:
    """One readable row per restricted parameter; categories listed, numeric limits NaN-free."""
    table = box_table({"x0": (0.6, 1.0), "cat": frozenset({"c", "b"})}, 0.8, 0.95)
    assert list(table.columns) == TABLE_COLUMNS
    assert list(table["parameter"]) == ["x0", "cat"]
    assert table.loc[0, ["low", "high"]].tolist() == [0.6, 1.0]
    assert table.loc[1, "allowed"] == "b, c"
    assert np.isnan(table.loc[1, "low"])
    assert (table["coverage"] == 0.8).all() and (table["density"] == 0.95).all()


def test_result_table_matches_trajectory(result: PrimResult) -> None:
    """PrimResult.table reports the chosen box with its own coverage and density."""
    i = result.select()
    table = result.table(i)
    assert set(table["parameter"]) == set(result.box(i))
    assert table["coverage"].iloc[0] == result.trajectory["coverage"].iloc[i]


def test_peeling_is_deterministic() -> None:
    """PRIM makes no random draws: the same data give the same trajectory."""
    x, y = planted(5)
    pd.testing.assert_frame_equal(prim(x, y).trajectory, prim(x, y).trajectory)


@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [(np.zeros(4, dtype=bool), {}, "no True"),
     (np.ones(3, dtype=bool), {}, "shape"),
     (np.ones(4), {}, "boolean"),
     (np.ones(4, dtype=bool), {"alpha": 0.5}, "alpha")],
)
def test_bad_inputs_raise(y: np.ndarray, kwargs: dict, match: str) -> None:
    """Outcomes that are not one boolean per row, with a True case, and bad alpha are rejected."""
    x = pd.DataFrame({"u": [0.1, 0.2, 0.3, 0.4]})
    with pytest.raises(ValueError, match=match):
        prim(x, y, **kwargs)
