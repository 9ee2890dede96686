"""The golden: today's behaviour, bit for bit (see tests/golden_runs.py for what and why).

A change that is meant to keep the model's behaviour (moving code, a faster engine) must pass
this unchanged. A change that alters behaviour on purpose regenerates the golden with
``python tests/golden_runs.py`` and says why in its commit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from golden_runs import FILES, GOLDEN, produce


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The golden commands run now."""
    return produce(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name,file", [(n, f) for n, files in FILES.items() for f in files])
def test_identical_to_the_golden(fresh: dict[str, Path], name: str, file: str) -> None:
    got, want = fresh[name] / file, GOLDEN / name / file
    if file.endswith(".csv"):
        assert got.read_text("utf-8") == want.read_text("utf-8")
        return
    pd.testing.assert_frame_equal(pd.read_parquet(got), pd.read_parquet(want), check_exact=True)


def test_the_golden_is_not_trivial() -> None:
    monthly = pd.read_parquet(GOLDEN / "run" / "monthly.parquet")
    assert sorted(monthly["scenario"].unique()) == ["phased", "scheme1", "scheme2"]
    assert monthly.groupby("scenario")["replication"].nunique().eq(3).all()
    assert monthly["month"].max() == 180
    results = pd.read_parquet(GOLDEN / "sweep" / "results.parquet")
    assert results["key"].nunique() == 3 * 2 * 2
    summary = pd.read_csv(GOLDEN / "compare" / "summary.csv")
    assert set(summary["scenario"]) == {"scheme1", "scheme2"}
