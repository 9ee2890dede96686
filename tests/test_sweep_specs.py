"""The shipped sweep specifications load, and their designs have the documented sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from resettle.experiments.sweep.design import design_points
from resettle.experiments.sweep.spec import load_sweep

SWEEPS = sorted((Path(__file__).resolve().parents[1] / "scenarios" / "sweeps").glob("*.toml"))


def test_there_are_at_least_two_examples() -> None:
    """The issue asks for at least two example sweeps."""
    assert len(SWEEPS) >= 2


@pytest.mark.parametrize("path", SWEEPS, ids=[p.stem for p in SWEEPS])
def test_example_sweep_loads_with_expected_points(path: Path) -> None:
    """Each example validates; its design has the size its design rule gives."""
    spec = load_sweep(path)
    points = design_points(spec)
    d = len(spec.factors)
    expected = {"sobol": spec.samples * (d + 2), "morris": spec.samples * (d + 1),
                "latin_hypercube": spec.samples, "sobol_sequence": spec.samples}.get(spec.design)
    if spec.design == "full_factorial":
        expected = 1
        for factor in spec.factors:
            expected *= len(factor.grid(spec.levels))
    assert len(points) == expected
    assert list(points.columns) == ["point", "block", *[f.name for f in spec.factors]]
    assert len(spec.scenarios) == 2  # each example compares Scheme 1 and Scheme 2
