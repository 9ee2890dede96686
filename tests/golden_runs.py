"""The golden runs: the model's behaviour recorded so that a change meant to keep it (a
refactoring, a faster engine) can be checked bit for bit, through the command line only.

    python tests/golden_runs.py      # regenerate tests/golden/ (say why in the commit)

What is recorded (tests/test_golden.py compares each exactly):

* ``run``: the monthly tables and end-of-run snapshots of scheme1, scheme2 and phased,
  3 replications, seed 7, 15 years;
* ``compare``: ``summary.csv`` of scheme1 against scheme2, 5 replications, seed 7;
* ``sweep``: ``results.parquet`` and ``points.parquet`` of ``golden/sweep.toml``.
"""

from __future__ import annotations

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
    print(f"wrote {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
