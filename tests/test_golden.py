"""The golden: today's behaviour, bit for bit (see tests/golden_runs.py for what and why).

A change that is meant to keep the model's behaviour (moving code, a faster engine) must pass
this unchanged. A change that alters behaviour on purpose regenerates the golden with
``python tests/golden_runs.py`` and says why in its commit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from golden_runs import FILES, FINGERPRINT, GOLDEN, math_fingerprint, produce
from resettle.store.provenance import numpy_simd


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The golden commands run now (skipped where numpy's and scipy's transcendental
    functions round differently from where the golden was made: README, "Results are
    identical")."""
    made, here = FINGERPRINT.read_text("utf-8").strip(), math_fingerprint()
    if here != made:
        pytest.skip(f"this CPU's exp/log round differently from the golden's machine "
                    f"(math fingerprint {here[:12]}, golden {made[:12]}): its tables differ "
                    "legitimately; CI's machine checks the golden")
    return produce(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name,file", [(n, f) for n, files in FILES.items() for f in files])
def test_identical_to_the_golden(fresh: dict[str, Path], name: str, file: str) -> None:
    got, want = fresh[name] / file, GOLDEN / name / file
    if file.endswith(".csv"):
        assert got.read_text("utf-8") == want.read_text("utf-8")
        return
    pd.testing.assert_frame_equal(pd.read_parquet(got), pd.read_parquet(want), check_exact=True)


def test_the_math_fingerprint_sees_numpys_simd_level() -> None:
    """The fingerprint changes with numpy's SIMD code (so the skip above can happen), and is
    the same in every process on one machine (so it does not skip by accident)."""
    import subprocess
    import sys

    here = str(Path(__file__).parent)
    code = (f"import sys; sys.path.insert(0, {here!r}); "
            "from golden_runs import math_fingerprint; print(math_fingerprint())")

    def run(env: dict) -> str:
        return subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},
                              capture_output=True, text=True, check=True).stdout.strip()
    assert run({}) == math_fingerprint()
    if "X86_V4" in numpy_simd():  # this CPU has AVX-512: turn numpy's use of it off
        assert run({"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}) != \
            math_fingerprint()


def test_the_golden_is_not_trivial() -> None:
    monthly = pd.read_parquet(GOLDEN / "run" / "monthly.parquet")
    assert sorted(monthly["scenario"].unique()) == ["phased", "scheme1", "scheme2"]
    assert monthly.groupby("scenario")["replication"].nunique().eq(3).all()
    assert monthly["month"].max() == 180
    results = pd.read_parquet(GOLDEN / "sweep" / "results.parquet")
    assert results["key"].nunique() == 3 * 2 * 2
    summary = pd.read_csv(GOLDEN / "compare" / "summary.csv")
    assert set(summary["scenario"]) == {"scheme1", "scheme2"}
