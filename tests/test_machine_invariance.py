"""A replication's table does not depend on the machine's linear-algebra kernels.

numpy's ``dot`` calls OpenBLAS, which picks a kernel for the CPU at start-up; kernels round a
dot product differently (with fused multiply-adds or without, in other orders), so a model
that used it would give one seed different tables on a laptop, a CI runner and the nodes of a
cluster (found when the golden tables, made on an AVX-512 machine where OpenBLAS chose its
SkylakeX kernel, differed in maturity's last bit on a machine where it chose its Haswell
kernel). The model uses plain sums instead. This test
forces two kernels with ``OPENBLAS_CORETYPE`` (honoured by numpy's bundled OpenBLAS) and
compares a run's table bit for bit. Prescott runs on any x86-64 CPU and Haswell on any with
AVX2 and FMA; the two round a 5-element dot product differently, so the test would fail if the
model went back to it. Where they do not (a numpy without OpenBLAS ignores the variable), or
the CPU lacks AVX2, the test cannot bite and is skipped.
It does not cover numpy's SIMD ``exp`` and ``log``, which round differently with AVX-512 and
without: outputs record that level instead (``versions.numpy_simd``; README).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from resettle.store.provenance import cpu_features

ROOT = Path(__file__).resolve().parents[1]
KERNELS = ("Haswell", "Prescott")  # AVX2 with FMA; SSE only (OpenBLAS reports it as Katmai)
RUN = """
import hashlib, sys
import numpy as np
sys.path.insert(0, {tests!r})
import resettle
from replications import SEEDS, scheme
weights = np.full(5, 0.2)
probe = np.random.default_rng(3).random((200, 5))
print(hashlib.sha256(np.array([np.dot(weights, v) for v in probe]).tobytes()).hexdigest())
table = resettle.CommunityModel(scheme("phased", years=6), rng=SEEDS[1]).run()
print(hashlib.sha256(table.to_csv().encode()).hexdigest())
"""

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                reason="OPENBLAS_CORETYPE names x86-64 kernels")


def hashes(kernel: str) -> tuple[str, str]:
    """The hash of a probe of 5-element dot products and of one run's table, under ``kernel``."""
    env = {**os.environ, "OPENBLAS_CORETYPE": kernel}
    out = subprocess.run([sys.executable, "-c", RUN.format(tests=str(ROOT / "tests"))],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    probe, table = out.stdout.split()
    return probe, table


def has_avx2_and_fma() -> bool:
    """Whether this CPU can run OpenBLAS's Haswell kernel."""
    features = cpu_features()
    return bool(features.get("AVX2") and features.get("FMA3"))


def test_a_table_is_the_same_under_two_blas_kernels() -> None:
    if not has_avx2_and_fma():
        pytest.skip("the Haswell kernel needs AVX2 and FMA")
    (probe_a, table_a), (probe_b, table_b) = (hashes(k) for k in KERNELS)
    if probe_a == probe_b:
        pytest.skip("the two kernels round a dot product alike here (no OpenBLAS?)")
    assert table_a == table_b
