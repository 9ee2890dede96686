"""The golden runs: the model's behaviour recorded so that a change meant to keep it (a
refactoring, a faster engine) can be checked bit for bit, through the command line only.

    python tests/golden_runs.py      # regenerate tests/golden/ (say why in the commit)

What is recorded (tests/test_golden.py compares each exactly):

* ``run``: the monthly tables and end-of-run snapshots of scheme1, scheme2 and phased,
  3 replications, seed 7, 15 years;
* ``compare``: ``summary.csv`` of scheme1 against scheme2, 5 replications, seed 7;
* ``sweep``: ``results.parquet`` and ``points.parquet`` of ``golden/sweep.toml``;

and ``math_fingerprint.json``, what this machine's transcendental functions give
(:func:`math_record`): the golden holds only where they give the same.
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCENARIOS = HERE.parent / "scenarios"
RUN_FILES = ("monthly.parquet", "agents.parquet", "organisations.parquet")
COMPARE_FILES = ("summary.csv",)
SWEEP_FILES = ("results.parquet", "points.parquet")
FILES = {"run": RUN_FILES, "compare": COMPARE_FILES, "sweep": SWEEP_FILES}


def commands(work: Path) -> dict[str, list[str]]:
    """The three command lines, writing under ``work``."""
    s = [str(SCENARIOS / f"{n}.toml") for n in ("scheme1", "scheme2", "phased")]
    return {
        "run": ["run", *s, "--reps", "3", "--seed", "7", "--years", "15", "--quiet",
                "--out", str(work / "run")],
        "compare": ["compare", *s[:2], "--reps", "5", "--seed", "7", "--workers", "1",
                    "--quiet", "--out", str(work / "compare")],
        "sweep": ["sweep", str(GOLDEN / "sweep.toml"), "--workers", "1", "--quiet",
                  "--out", str(work / "sweep")],
    }


FINGERPRINT = GOLDEN / "math_fingerprint.json"


def math_fingerprint() -> str:
    """A hash of what the transcendental functions the model calls give on a fixed probe:
    numpy's ``exp``, ``expm1`` and ``log`` (whose SIMD code, with AVX-512 or without, rounds
    differently), scipy's ``expit`` and binomial/Poisson functions, and numpy's binomial and
    normal draws (which compute with the C library's functions). Where it differs from
    the golden's, this machine's tables are not expected to equal the golden's, whatever the
    code."""
    import hashlib

    import numpy as np
    from scipy import special

    rng = np.random.Generator(np.random.Philox(20261202))  # its binomial and normal use libm
    draws = (rng.binomial(np.arange(1, 4097), 0.3), rng.standard_normal(4096))
    x = np.random.default_rng(20261202).random(4096)
    z = 20.0 * x - 10.0
    n = np.floor(50 * x).astype(np.int64)
    parts = (np.exp(z), np.expm1(z / 10), np.log(x + 1e-3), special.expit(z),
             special.bdtr(np.floor(n * x).astype(np.int64), n, 0.3),
             special.bdtrik(x, n + 1.0, 0.3), special.pdtr(n, 7.5), special.pdtrik(x, 7.5))
    return hashlib.sha256(b"".join(np.asarray(p, float).tobytes()
                                   for p in (*parts, *draws))).hexdigest()


def math_record() -> dict[str, str]:
    """The fingerprint with what it depends on: numpy's and scipy's versions, the SIMD level
    numpy uses on this CPU, and the C library."""
    import numpy
    import scipy

    from resettle.store.provenance import numpy_simd

    return {"fingerprint": math_fingerprint(), "numpy": numpy.__version__,
            "scipy": scipy.__version__, "numpy_simd": numpy_simd(),
            "libc": " ".join(platform.libc_ver())}


def produce(work: Path) -> dict[str, Path]:
    """Run the three commands under ``work``; returns {name: output directory}."""
    from resettle.cli import main

    out = {}
    for name, argv in commands(work).items():
        status = main(argv)
        if status != 0:
            raise RuntimeError(f"resettle {' '.join(argv)} exited with {status}")
        out[name] = work / name
    return out


def regenerate() -> None:
    """Write tests/golden/<name>/<file> from fresh runs."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in produce(Path(tmp)).items():
            target = GOLDEN / name
            target.mkdir(parents=True, exist_ok=True)
            for file in FILES[name]:
                shutil.copyfile(folder / file, target / file)
    FINGERPRINT.write_text(json.dumps(math_record(), indent=1) + "\n", "utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
