"""Checks of resettle.analysis.sensitivity: Saltelli layout, Sobol' indices of Ishigami,
Morris screening.

The Sobol' checks run the full pipeline the sweep uses (unit-cube design -> scaled points ->
one output per point -> indices) on the Ishigami function, whose indices are known exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resettle.analysis.sensitivity import (
    CONSTANT_NOTE,
    MORRIS_COLUMNS,
    SOBOL_COLUMNS,
    ishigami,
    ishigami_indices,
    morris_design,
    morris_indices,
    saltelli_layout,
    sobol_base,
    sobol_from_outputs,
)

N_BASE = 2**13  # Sobol' base sample: 8192 × (4 + 2) = 49152 evaluations
NAMES = ["x1", "x2", "x3", "dummy"]  # the dummy is drawn but ignored by the function
# Tolerance on each index. The bootstrap (which treats the rows as i.i.d.) puts the standard
# error of every index at <= 0.015 for N_BASE (95% half-widths <= 0.03, see the CI test);
# scrambled Sobol' points converge faster than i.i.d. ones, so the actual error is smaller
# still (measured over 8 design seeds: max error 0.0021). 0.03 is >= 2 i.i.d. standard errors.
TOL = 0.03


@pytest.fixture(scope="module")
def ishigami_table() -> pd.DataFrame:
    """Sobol' table of Ishigami on [-π, π]^3 plus an ignored fourth parameter."""
    a, b = sobol_base(N_BASE, len(NAMES), seed=20240611)
    unit, _ = saltelli_layout(a, b)
    theta = -np.pi + 2 * np.pi * unit
    y = ishigami(theta[:, :3])
    return sobol_from_outputs(y, N_BASE, len(NAMES), NAMES, rng=np.random.default_rng(11))


def test_ishigami_analytic_values() -> None:
    """The analytic indices match the published ones for a = 7, b = 0.1 (Saltelli et al. 2008)."""
    ref = ishigami_indices(7.0, 0.1)
    np.testing.assert_allclose(ref["first"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ref["total"], [0.5576, 0.4424, 0.2437], atol=1e-4)
    assert ref["variance"] == pytest.approx(13.8446, abs=1e-4)


def test_ishigami_function_values() -> None:
    """Spot values: f(0) = 0, f(π/2, π/2, 0) = 1 + a, f(π/2, 0, π) = 1 + bπ⁴."""
    x = np.array([[0.0, 0.0, 0.0], [np.pi / 2, np.pi / 2, 0.0], [np.pi / 2, 0.0, np.pi]])
    np.testing.assert_allclose(ishigami(x), [0.0, 8.0, 1 + 0.1 * np.pi**4], atol=1e-12)


def test_sobol_table_columns(ishigami_table: pd.DataFrame) -> None:
    """One row per parameter, the documented columns, no note for a varying output."""
    assert list(ishigami_table.columns) == SOBOL_COLUMNS
    assert list(ishigami_table["parameter"]) == NAMES
    assert (ishigami_table["note"] == "").all()


def test_ishigami_first_order(ishigami_table: pd.DataFrame) -> None:
    """First-order indices within TOL of (0.314, 0.442, 0)."""
    got = ishigami_table["first"].to_numpy()[:3]
    np.testing.assert_allclose(got, ishigami_indices()["first"], atol=TOL)


def test_ishigami_total_order(ishigami_table: pd.DataFrame) -> None:
    """Total-order indices within TOL of (0.558, 0.442, 0.244)."""
    got = ishigami_table["total"].to_numpy()[:3]
    np.testing.assert_allclose(got, ishigami_indices()["total"], atol=TOL)


def test_first_order_intervals_cover_truth(ishigami_table: pd.DataFrame) -> None:
    """The 95% bootstrap intervals of the first-order indices contain the analytic values.

    The bootstrap resamples rows as if i.i.d., which overstates the error of Sobol' points, so
    these intervals are conservative; they are also narrow enough to be informative.
    """
    truth = ishigami_indices()["first"]
    low = ishigami_table["first_low"].to_numpy()[:3]
    high = ishigami_table["first_high"].to_numpy()[:3]
    assert np.all((low <= truth) & (truth <= high))
    assert np.all(high - low < 2 * TOL)
    estimate = ishigami_table["first"].to_numpy()[:3]
    assert np.all((low <= estimate) & (estimate <= high))


def test_ignored_parameter_has_no_effect(ishigami_table: pd.DataFrame) -> None:
    """An input the function ignores gets a total index near zero, with a collapsed interval.

    f(AB_4) equals f(A) exactly, so both estimators are exactly 0 here; 0.02 is the brief's
    bound, kept loose in case the estimator ever changes.
    """
    dummy = ishigami_table.iloc[3]
    assert abs(dummy["total"]) < 0.02
    assert abs(dummy["first"]) < 0.02
    assert dummy["total_low"] == dummy["total_high"] == dummy["total"]


def test_bootstrap_reproducible_from_generator() -> None:
    """Same generator seed, same intervals: all draws come from the generator passed in."""
    a, b = sobol_base(2**8, 3, seed=1)
    y = ishigami(-np.pi + 2 * np.pi * saltelli_layout(a, b)[0])
    tables = [sobol_from_outputs(y, 2**8, 3, NAMES[:3], np.random.default_rng(5), n_resamples=99)
              for _ in range(2)]
    pd.testing.assert_frame_equal(*tables)


def test_additive_function_indices() -> None:
    """y = x1 + 2 x2 on the unit square: S_i = ST_i = c_i² / Σc² = (0.2, 0.8)."""
    a, b = sobol_base(2**10, 2, seed=3)
    unit, _ = saltelli_layout(a, b)
    table = sobol_from_outputs(unit @ [1.0, 2.0], 2**10, 2, ["u", "v"],
                               np.random.default_rng(0), n_resamples=99)
    # 0.01: well above the observed error of 1024 Sobol' points for a smooth additive function.
    np.testing.assert_allclose(table["first"], [0.2, 0.8], atol=0.01)
    np.testing.assert_allclose(table["total"], [0.2, 0.8], atol=0.01)


def test_constant_output_gives_nan_and_note() -> None:
    """A constant output has no variance to apportion: NaN indices and a note, no crash."""
    n, d = 2**4, 2
    table = sobol_from_outputs(np.full(n * (d + 2), 3.0), n, d, ["u", "v"],
                               np.random.default_rng(0))
    assert list(table.columns) == SOBOL_COLUMNS
    assert table[SOBOL_COLUMNS[1:-1]].isna().all().all()
    assert (table["note"] == CONSTANT_NOTE).all()


@pytest.mark.parametrize(("y_len", "names"), [(5, ["u", "v"]), (16 * 4, ["u"])])
def test_sobol_bad_inputs_raise(y_len: int, names: list[str]) -> None:
    """Wrong number of outputs or of names is an error, not a silent misreading."""
    with pytest.raises(ValueError, match=r"outputs|names"):
        sobol_from_outputs(np.arange(y_len, dtype=float), 16, 2, names, np.random.default_rng(0))


def test_sobol_base_shapes_and_range() -> None:
    """A and B are n × d in [0, 1), reproducible from the seed, and differ from each other."""
    a, b = sobol_base(64, 3, seed=9)
    assert a.shape == b.shape == (64, 3)
    assert np.all((a >= 0) & (a < 1) & (b >= 0) & (b < 1))
    np.testing.assert_array_equal(a, sobol_base(64, 3, seed=9)[0])
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, sobol_base(64, 3, seed=10)[0])


@pytest.mark.parametrize("n", [0, 3, 12, 100, 2.5])
def test_sobol_base_rejects_non_power_of_two(n: float) -> None:
    """n must be a power of two (Sobol' balance)."""
    with pytest.raises(ValueError, match="power of two"):
        sobol_base(n, 2, seed=0)  # type: ignore[arg-type]


def test_saltelli_layout_blocks() -> None:
    """Rows are [A; B; AB_1..AB_d]; AB_i is A except column i, which is B's; labels count n each."""
    n, d = 16, 4
    a, b = sobol_base(n, d, seed=2)
    points, labels = saltelli_layout(a, b)
    assert points.shape == (n * (d + 2), d)
    np.testing.assert_array_equal(np.bincount(labels), np.full(d + 2, n))
    np.testing.assert_array_equal(points[labels == 0], a)
    np.testing.assert_array_equal(points[labels == 1], b)
    for i in range(d):
        block = points[labels == 2 + i]
        np.testing.assert_array_equal(block[:, i], b[:, i])
        np.testing.assert_array_equal(np.delete(block, i, axis=1), np.delete(a, i, axis=1))


def test_saltelli_layout_rejects_mismatched_shapes() -> None:
    """A and B must have the same shape."""
    with pytest.raises(ValueError, match="equal shape"):
        saltelli_layout(np.zeros((4, 2)), np.zeros((4, 3)))


@settings(max_examples=40, deadline=None)
@given(r=st.integers(1, 8), d=st.integers(1, 6), half=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_morris_trajectories_on_grid(r: int, d: int, half: int, seed: int) -> None:
    """Points lie on the level grid; each step moves one coordinate by ±Δ, each coordinate once."""
    levels = 2 * half
    x = morris_design(r, d, levels, np.random.default_rng(seed))
    assert x.shape == (r * (d + 1), d)
    grid = x * (levels - 1)
    np.testing.assert_allclose(grid, np.round(grid), atol=1e-9)
    assert np.all((x >= 0) & (x <= 1))
    steps = np.diff(x.reshape(r, d + 1, d), axis=1)
    moved = np.abs(steps) > 1e-12
    assert np.all(moved.sum(axis=2) == 1)
    assert np.all(moved.sum(axis=1) == 1)
    np.testing.assert_allclose(np.abs(steps[moved]), levels / (2 * (levels - 1)), rtol=1e-12)


def test_morris_design_reproducible_and_checks_levels() -> None:
    """The design is a function of the generator's seed; odd level counts are rejected."""
    first = morris_design(5, 3, 4, np.random.default_rng(1))
    np.testing.assert_array_equal(first, morris_design(5, 3, 4, np.random.default_rng(1)))
    with pytest.raises(ValueError, match="even"):
        morris_design(5, 3, 5, np.random.default_rng(1))


def test_morris_linear_function() -> None:
    """For y = Σ c_i x_i every elementary effect of x_i is c_i: mu = c, mu* = |c|, sigma ≈ 0.

    The ignored input's steps leave every term of the sum unchanged, so its effects are exactly
    zero (mu* = sigma = 0 with no tolerance).
    """
    c = np.array([3.0, -1.0, 0.0, 2.0, -0.5])
    names = [f"p{i}" for i in range(len(c))]
    r = 20
    x = morris_design(r, len(c), 4, np.random.default_rng(42))
    table = morris_indices(x, (x * c).sum(axis=1), r, len(c), names)
    assert list(table.columns) == MORRIS_COLUMNS
    np.testing.assert_allclose(table["mu"], c, atol=1e-12)
    np.testing.assert_allclose(table["mu_star"], np.abs(c), atol=1e-12)
    np.testing.assert_allclose(table["sigma"], 0.0, atol=1e-12)
    by_mu_star = list(table.sort_values("mu_star")["parameter"])
    assert by_mu_star == [names[i] for i in np.argsort(np.abs(c))]
    assert table.loc[2, "mu_star"] == 0.0
    assert table.loc[2, "sigma"] == 0.0


def test_morris_indices_reject_non_trajectories() -> None:
    """Points that are not one-at-a-time trajectories are rejected."""
    x = np.random.default_rng(0).random((6, 2))
    with pytest.raises(ValueError, match="exactly one coordinate"):
        morris_indices(x, np.zeros(6), 2, 2, ["u", "v"])
