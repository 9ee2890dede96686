"""Parameter sweeps (``resettle sweep``): specs, designs, determinism, resuming, failures.

Sweeps here are tiny (1-2 simulated years, a few points). Interruptions (SIGKILL, Ctrl-C) and
injected failures drive a real ``python -m resettle.cli`` subprocess; the rest call
``resettle.cli.main`` in-process.

Failures are injected by ``tests/fault_injection.py`` (outside the production code), which runs
the command with an executor that makes the chosen runs fail inside their worker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import call, listing, one_error_line
from fault_injection import INJECTED
from resettle.experiments.sweep.design import design_points
from resettle.experiments.sweep.runner import finished_keys, run_key
from resettle.experiments.sweep.spec import load_sweep
from resettle.sim.seeds import replication_seeds

SEED = 11
METRICS = ["attitude", "maturity"]
PARAMS = """
[parameters.enforcement_probability]
range = [0.05, 0.6]
[parameters.training_capacity]
range = [0, 100]
integer = true
"""
TINY = {"samples": 4}  # 4 points x 2 scenarios x 2 replications = 16 runs of 1 year
BIG = {"samples": 12}  # 48 runs (~4 s on one worker): still running after the first shard
BIG_RUNS = 48
RESULT_COLUMNS = ["key", "point", "scenario", "replication", "seed", "year"]
KEY = re.compile(r"p\d{7}-s\d{2}-r\d{5}")
WAIT_S = 90  # upper bound for a subprocess to reach a state (never reached when all is well)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def spec_text(files: list[Path], parameters: str = PARAMS, **changes: object) -> str:
    """A sweep spec over scenario ``files``: the tiny defaults, with ``changes`` (a value of
    None drops the key)."""
    sweep = {"name": "tiny", "scenarios": [p.as_posix() for p in files],
             "design": "latin_hypercube", "samples": 4, "replications": 2, "seed": SEED,
             "horizon_years": 1, "metrics": METRICS}
    sweep.update(changes)
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in sweep.items() if v is not None)
    return f"[sweep]\n{body}\n{parameters}"


def write_spec(path: Path, scenarios_dir: Path, parameters: str = PARAMS,
               **changes: object) -> Path:
    """``spec_text`` over scheme1 and scheme2, written to ``path``."""
    schemes = [scenarios_dir / "scheme1.toml", scenarios_dir / "scheme2.toml"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec_text(schemes, parameters, **changes), "utf-8")
    return path


def sweep(spec: Path | None, out: Path | None, *extra: str) -> int:
    """``resettle sweep`` in-process (quiet; one local worker unless ``extra`` says otherwise)."""
    argv = ["sweep"] + ([str(spec)] if spec else []) + (["--out", str(out)] if out else [])
    if "--scheduler" not in extra and "--workers" not in extra:
        argv += ["--workers", "1"]
    return call([*argv, *extra, "--quiet"])


def results(out: Path) -> pd.DataFrame:
    """The sweep's results table."""
    return pd.read_parquet(out / "results.parquet")


def subprocess_env(**extra: str) -> dict[str, str]:
    """This process's environment, plus ``extra``."""
    return {**os.environ, **extra}


def start_sweep(spec: Path, out: Path, cwd: Path) -> subprocess.Popen:
    """``python -m resettle.cli sweep`` in its own session (so its workers can be signalled)."""
    return subprocess.Popen(
        [sys.executable, "-m", "resettle.cli", "sweep", str(spec), "--workers", "1",
         "--out", str(out), "--quiet"],
        cwd=cwd, env=subprocess_env(), start_new_session=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


@contextmanager
def started_sweep(spec: Path, out: Path, cwd: Path) -> Iterator[subprocess.Popen]:
    """``start_sweep``, its process group killed on the way out if still running."""
    proc = start_sweep(spec, out, cwd)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def wait_mid_run(proc: subprocess.Popen, out: Path) -> None:
    """Wait until ``out`` has a shard but no results.parquet (the sweep is mid-run)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"sweep ended before it could be interrupted: " \
                                    f"{proc.communicate()}"
        if out.exists() and any((out / "shards").glob("part-*.parquet")):
            assert not (out / "results.parquet").exists()
            return
        time.sleep(0.02)
    pytest.fail(f"no shard in {out} after {WAIT_S} s")


def assert_complete(out: Path, reference: Path, runs: int, years: int = 1) -> None:
    """``out`` holds the same results as ``reference``: every run once, nothing missing."""
    got = results(out)
    pd.testing.assert_frame_equal(got, results(reference))
    assert not got.duplicated(["key", "year"]).any()
    assert got["key"].nunique() == runs
    assert len(got) == runs * years
    pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"),
                                  pd.read_parquet(reference / "points.parquet"))


def temporary_files(out: Path) -> list[Path]:
    """Leftover ``.tmp-*`` files."""
    return list(out.glob("**/.tmp-*"))


# --------------------------------------------------------------------------------------------
# Reference sweeps (uninterrupted), shared by the module
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, scenarios_dir: Path) -> tuple[Path, Path]:
    """(spec, directory) of the 16-run sweep, run on one local worker."""
    root = tmp_path_factory.mktemp("tiny")
    spec = write_spec(root / "tiny.toml", scenarios_dir, **TINY)
    assert sweep(spec, root / "out") == 0
    return spec, root / "out"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, scenarios_dir: Path) -> tuple[Path, Path]:
    """(spec, directory) of the 48-run sweep, run on two local workers."""
    root = tmp_path_factory.mktemp("big")
    spec = write_spec(root / "big.toml", scenarios_dir, **BIG)
    assert sweep(spec, root / "out", "--workers", "2") == 0
    return spec, root / "out"


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory,
           tiny: tuple[Path, Path]) -> tuple[Path, subprocess.CompletedProcess, list[str]]:
    """The tiny sweep run with two injected failures: (directory, process, failed keys)."""
    root = tmp_path_factory.mktemp("failed")
    keys = [run_key(1, 0, 0), run_key(2, 1, 1)]
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "fault_injection.py"), ",".join(keys),
         "sweep", str(tiny[0]), "--workers", "1", "--out", str(root / "out"), "--quiet"],
        cwd=root, env=subprocess_env(), capture_output=True, text=True, timeout=WAIT_S,
        check=False)
    return root / "out", proc, keys


# --------------------------------------------------------------------------------------------
# The directory and the results table
# --------------------------------------------------------------------------------------------

def test_sweep_directory_and_results_table(tiny: tuple[Path, Path], repo: Path) -> None:
    spec, out = tiny
    assert {p.name for p in out.iterdir()} == {"spec.toml", "sweep.json", "points.parquet",
                                              "shards", "failures", "results.parquet"}
    assert not list((out / "failures").iterdir())
    assert not temporary_files(out)
    frame = results(out)
    assert list(frame.columns) == RESULT_COLUMNS + METRICS
    assert frame["key"].map(KEY.fullmatch).all()
    assert frame["key"].is_monotonic_increasing and frame["key"].is_unique
    assert sorted(frame["scenario"].unique()) == ["scheme1", "scheme2"]
    assert set(frame["year"]) == {1}
    assert frame[METRICS].notna().all().all()
    points = pd.read_parquet(out / "points.parquet")
    assert list(points.columns) == ["point", "block", "enforcement_probability",
                                    "training_capacity"]
    assert len(points) == 4 and len(frame) == 4 * 2 * 2
    assert points["enforcement_probability"].between(0.05, 0.6).all()
    assert points["training_capacity"].between(0, 100).all()
    assert points["training_capacity"].dtype.kind == "i"
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    assert info["runs"] == 16 and info["digest"] == load_sweep(spec).digest()
    assert {"python", "resettle", "numpy", "pandas", "mesa"} <= set(info["versions"])
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=False).stdout.strip()
    assert info["git_commit"] == (head or None)
    assert info["sessions"][-1]["runs"] == 16
    # spec.toml stands alone: scenario paths were made absolute, and it loads to the same spec
    assert load_sweep(out / "spec.toml").digest() == load_sweep(spec).digest()


def test_seeds_are_common_random_numbers(tiny: tuple[Path, Path]) -> None:
    _, out = tiny
    seeds = replication_seeds(SEED, 2)
    assert json.loads((out / "sweep.json").read_text("utf-8"))["seeds"] == seeds
    frame = results(out)
    by_rep = frame.groupby("replication")["seed"]
    assert (by_rep.nunique() == 1).all()  # same seed at every point and in every scenario
    assert by_rep.first().tolist() == seeds
    assert len(set(seeds)) == 2


def test_scenarios_differing_only_in_name_are_distinct_runs(tmp_path: Path,
                                                            scenarios_dir: Path) -> None:
    files = []
    for name in ("left", "right"):
        path = tmp_path / f"{name}.toml"
        path.write_text(f'[scenario]\nname = "{name}"\n'
                        f'extends = "{(scenarios_dir / "scheme1.toml").as_posix()}"\n', "utf-8")
        files.append(path)
    metrics = ["attitude", "fee_compliance", "stability"]
    spec = tmp_path / "names.toml"
    spec.write_text(spec_text(files, samples=2, horizon_years=2, years=[1, 2],
                              metrics=metrics), "utf-8")
    out = tmp_path / "out"
    assert sweep(spec, out) == 0
    frame = results(out)
    assert list(frame.columns) == RESULT_COLUMNS + metrics
    assert frame["key"].nunique() == 2 * 2 * 2  # points x scenarios x replications
    assert len(frame) == 8 * 2  # a row per key and year
    assert all(years == [1, 2] for years in frame.groupby("key")["year"].apply(list))
    assert sorted(frame["scenario"].unique()) == ["left", "right"]
    assert frame.loc[frame["scenario"] == "left", "key"].str.contains("-s00-").all()
    assert frame.loc[frame["scenario"] == "right", "key"].str.contains("-s01-").all()
    # Same values, same seeds (common random numbers): the two scenarios' runs agree exactly.
    left, right = (frame[frame["scenario"] == s].reset_index(drop=True)
                   for s in ("left", "right"))
    pd.testing.assert_frame_equal(left[["point", "replication", "seed", "year", *metrics]],
                                  right[["point", "replication", "seed", "year", *metrics]])


# --------------------------------------------------------------------------------------------
# Determinism: 1 worker, 2 workers, a Dask cluster
# --------------------------------------------------------------------------------------------

def test_two_workers_write_the_same_tables(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = tiny
    out = tmp_path / "two"
    assert sweep(spec, out, "--workers", "2") == 0
    assert_complete(out, reference, runs=16)


def test_dask_cluster_writes_the_same_tables(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    spec, reference = tiny
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert sweep(spec, out, "--scheduler", cluster.scheduler_address) == 0
    assert_complete(out, reference, runs=16)


def test_unreachable_scheduler_is_one_line_within_seconds(tiny: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "resettle.cli", "sweep", str(tiny[0]), "--scheduler",
         "tcp://127.0.0.1:1", "--out", str(out), "--quiet"],
        cwd=tmp_path, env=subprocess_env(), capture_output=True, text=True, timeout=60,
        check=False)
    seconds = time.monotonic() - start
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("resettle: error: --scheduler tcp://127.0.0.1:1")
    assert "scheduler" in lines[0].split("127.0.0.1:1", 1)[1]
    assert proc.stdout == ""
    assert seconds < 20, f"the error took {seconds:.1f} s"
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# Interruptions: kill -9, a half-written shard, Ctrl-C
# --------------------------------------------------------------------------------------------

def test_sigkill_mid_run_then_resume(big: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = big
    out = tmp_path / "killed"
    with started_sweep(spec, out, tmp_path) as proc:
        wait_mid_run(proc, out)
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers
        proc.communicate(timeout=WAIT_S)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "results.parquet").exists()
    leftovers = {p.name for p in (out / "shards").iterdir()}
    assert all(n.startswith(("part-", ".tmp-part-")) for n in leftovers), leftovers
    assert 0 < len(finished_keys(out)) < BIG_RUNS  # interrupted mid-run, for real

    assert sweep(None, None, "--resume", str(out)) == 0
    assert_complete(out, reference, runs=BIG_RUNS)
    assert not temporary_files(out)
    assert not list((out / "failures").iterdir())


def split_into_two_shards(folder: Path) -> None:
    """The finished runs' shards rewritten as two (the first and second half of the runs),
    as a slower machine would have flushed them (``runner.FLUSH_SECONDS``)."""
    shards = sorted(folder.glob("part-*.parquet"))
    runs = pd.concat([pd.read_parquet(p) for p in shards], ignore_index=True)
    for p in shards:
        p.unlink()
    half = len(runs) // 2
    runs.iloc[:half].to_parquet(folder / "part-a.parquet", index=False)
    runs.iloc[half:].to_parquet(folder / "part-b.parquet", index=False)


def test_half_written_shards_are_discarded_on_resume(tiny: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    _, reference = tiny
    out = tmp_path / "crashed"
    shutil.copytree(reference, out)
    # As if killed while writing: results.parquet not yet there, the last shard lost...
    (out / "results.parquet").unlink()
    split_into_two_shards(out / "shards")  # a fast machine writes the 16 runs as one shard
    shards = sorted((out / "shards").glob("part-*.parquet"))
    assert len(shards) >= 2
    whole = shards[-1].read_bytes()
    shards[-1].unlink()
    # ...and files a crash mid-write could leave: garbage, a truncated shard, a temporary file
    (out / "shards" / "part-0000.parquet").write_bytes(b"not parquet at all \x00\xff" * 20)
    (out / "shards" / "part-0001.parquet").write_bytes(whole[: len(whole) // 2])
    (out / "shards" / ".tmp-part-x.parquet").write_bytes(whole)
    (out / "failures" / ".tmp-p0000000-s00-r00000.json").write_text("{", "utf-8")

    assert sweep(None, None, "--resume", str(out)) == 0
    assert_complete(out, reference, runs=16)
    names = {p.name for p in (out / "shards").iterdir()}
    assert not names & {"part-0000.parquet", "part-0001.parquet", ".tmp-part-x.parquet"}
    assert not temporary_files(out)


def test_ctrl_c_exits_130_and_resume_completes(big: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = big
    out = tmp_path / "interrupted"
    with started_sweep(spec, out, tmp_path) as proc:
        wait_mid_run(proc, out)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends: the whole group
        stdout, stderr = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 130
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "--resume" in lines[0] and str(out) in lines[0]
    assert "Traceback" not in stderr and stdout == ""
    assert not (out / "results.parquet").exists()
    assert len(finished_keys(out)) < BIG_RUNS

    assert sweep(None, None, "--resume", str(out)) == 0
    assert_complete(out, reference, runs=BIG_RUNS)
    assert not temporary_files(out)


# --------------------------------------------------------------------------------------------
# Failed runs
# --------------------------------------------------------------------------------------------

def test_injected_failures_are_recorded_and_the_rest_finish(
        failed: tuple[Path, subprocess.CompletedProcess, list[str]]) -> None:
    out, proc, keys = failed
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("resettle: ") and "--retry-failed" in lines[0]
    assert "2 run(s) failed" in lines[0] and str(out) in lines[0]
    assert f"the first: StubbornError: {INJECTED}" in lines[0]  # its error, not its module
    assert sorted(p.name for p in (out / "failures").iterdir()) == [f"{k}.json" for k in keys]
    for key in keys:
        record = json.loads((out / "failures" / f"{key}.json").read_text("utf-8"))
        assert record["key"] == key
        assert INJECTED in record["traceback"]
        assert "Traceback" in record["traceback"]
    every = {run_key(p, s, r) for p in range(4) for s in range(2) for r in range(2)}
    assert finished_keys(out) == every - set(keys)
    assert not (out / "results.parquet").exists()


def test_a_dead_worker_stops_the_sweep_and_keeps_finished_runs(
        tiny: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A pool whose worker died is not a run's failure: the sweep stops (exit 1), says how to
    resume, records no failure, and resuming completes it."""
    from concurrent.futures import Executor, Future
    from concurrent.futures.process import BrokenProcessPool

    from resettle.cli import commands

    class DiesAfterFour(Executor):
        def __init__(self) -> None:
            self.calls = 0

        def submit(self, fn, /, *args, **kwargs) -> Future:
            future: Future = Future()
            self.calls += 1
            if self.calls <= 4:
                future.set_result(fn(*args, **kwargs))
            else:
                future.set_exception(BrokenProcessPool("a worker died"))
            return future

    monkeypatch.setattr(commands, "make_executor", lambda args: (DiesAfterFour(), 1,
                                                                 lambda: None))
    out = tmp_path / "out"
    capsys.readouterr()
    assert sweep(tiny[0], out) == 1
    err = capsys.readouterr().err
    assert "a worker process died" in err and f"--resume {out}" in err
    assert not list((out / "failures").iterdir())
    assert len(finished_keys(out)) == 4
    monkeypatch.undo()
    assert sweep(None, None, "--resume", str(out)) == 0
    assert_complete(out, tiny[1], runs=16)


def test_plain_resume_does_not_rerun_failed_runs(
        failed: tuple[Path, subprocess.CompletedProcess, list[str]], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(failed[0], out)
    before = listing(out / "shards")
    assert sweep(None, None, "--resume", str(out)) == 1
    assert sorted(p.stem for p in (out / "failures").iterdir()) == failed[2]
    assert listing(out / "shards") == before  # nothing re-run
    assert not (out / "results.parquet").exists()
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    assert info["sessions"][-1]["runs"] == 0


def test_plain_resume_with_outstanding_failures_says_so(
        failed: tuple[Path, subprocess.CompletedProcess, list[str]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(failed[0], out)
    capsys.readouterr()
    assert sweep(None, None, "--resume", str(out)) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--retry-failed" in err, repr(err)


def test_retry_failed_completes_the_sweep(
        failed: tuple[Path, subprocess.CompletedProcess, list[str]], tiny: tuple[Path, Path],
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(failed[0], out)
    assert sweep(None, None, "--resume", str(out), "--retry-failed") == 0
    assert not list((out / "failures").iterdir())
    assert_complete(out, tiny[1], runs=16)
    info = json.loads((out / "sweep.json").read_text("utf-8"))
    assert info["sessions"][-1]["runs"] == 2  # only the failed runs


def test_retry_failed_needs_resume(tiny: tuple[Path, Path], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert sweep(tiny[0], out, "--retry-failed") == 2
    assert "--resume" in one_error_line(capsys)
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# Refusals: another spec, an existing directory, bad specs
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "words"), [
    ({"replications": 3}, "replications"),
    ({"seed": SEED + 1}, "seed"),
    ({"parameters": PARAMS.replace("[0.05, 0.6]", "[0.05, 0.5]")}, "factors"),
], ids=["replications", "seed", "range"])
def test_resume_with_a_different_spec_is_refused(tiny: tuple[Path, Path], tmp_path: Path,
                                                 scenarios_dir: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 changes: dict, words: str) -> None:
    out = tmp_path / "out"
    shutil.copytree(tiny[1], out)
    before = listing(out)
    other = write_spec(tmp_path / "other.toml", scenarios_dir, **{**TINY, **changes})
    assert sweep(other, None, "--resume", str(out)) == 2
    line = one_error_line(capsys)
    assert str(out) in line and words in line and "different spec" in line
    assert listing(out) == before


def test_same_spec_resume_of_a_finished_sweep_is_a_no_op(tiny: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(tiny[1], out)
    assert sweep(tiny[0], None, "--resume", str(out)) == 0
    assert_complete(out, tiny[1], runs=16)
    assert json.loads((out / "sweep.json").read_text("utf-8"))["sessions"][-1]["runs"] == 0


def test_existing_sweep_directory_needs_resume(tiny: tuple[Path, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    shutil.copytree(tiny[1], out)
    before = listing(tmp_path)
    assert sweep(tiny[0], out) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "--resume" in line
    assert listing(tmp_path) == before


def test_resume_of_a_directory_that_is_no_sweep(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert sweep(None, None, "--resume", str(tmp_path / "nothing")) == 2
    assert "not a sweep directory" in one_error_line(capsys)
    assert not (tmp_path / "nothing").exists()


BAD_SPECS = [  # (changes to the tiny spec, words the error line must contain)
    ({"replicatons": 2}, ["[sweep] replicatons", "did you mean 'replications'"]),
    ({"parameters": PARAMS.replace("enforcement_probability", "enforcement_probabilty")},
     ["[parameters] enforcement_probabilty", "did you mean 'enforcement_probability'"]),
    ({"parameters": PARAMS.replace("[0.05, 0.6]", "[0.3, 0.3]")},
     ["[parameters.enforcement_probability] range", "empty range"]),
    ({"parameters": PARAMS.replace("[0.05, 0.6]", "[0.6, 0.05]")},
     ["[parameters.enforcement_probability] range", "lower bound 0.6 > upper bound 0.05"]),
    ({"parameters": PARAMS + "[parameters.property_fee_payer]\nvalues = []\n"},
     ["[parameters.property_fee_payer] values", "empty"]),
    ({"design": "sobol", "samples": 48}, ["[sweep] samples", "48", "power of two"]),
    ({"replications": 0}, ["[sweep] replications", "0"]),
    ({"design": "latin_cube"}, ["[sweep] design", "latin_cube", "latin_hypercube"]),
    ({"metrics": ["attitude", "atitude"]}, ["[sweep] metrics", "atitude", "did you mean"]),
    ({"years": [2]}, ["[sweep] years", "2", "[0, 1]"]),
    ({"parameters": ""}, ["[parameters]"]),
    ({"parameters": PARAMS.replace("[0.05, 0.6]", "[0.1, 1.5]")},
     ["[parameters.enforcement_probability]", "1.5"]),
    ({"scenarios": ["absent.toml"]}, ["absent.toml", "not found"]),
]


@pytest.mark.parametrize(("changes", "words"), BAD_SPECS, ids=[
    "unknown-sweep-key", "unknown-parameter", "empty-range", "lower-above-upper",
    "empty-values", "sobol-not-power-of-two", "zero-replications", "unknown-design",
    "unknown-metric", "year-beyond-horizon", "no-parameters", "value-outside-declared-range",
    "missing-scenario"])
def test_bad_spec_is_one_line_and_writes_nothing(tmp_path: Path, scenarios_dir: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 changes: dict, words: list[str]) -> None:
    changes = dict(changes)
    if changes.get("scenarios"):
        changes["scenarios"] = [(tmp_path / f).as_posix() for f in changes["scenarios"]]
    spec = write_spec(tmp_path / "bad.toml", scenarios_dir, **changes)
    before = listing(tmp_path)
    out = tmp_path / "out"
    assert sweep(spec, out) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"resettle: error: {spec}: "), line
    for word in words:
        assert word in line, line
    assert not out.exists()
    assert listing(tmp_path) == before


# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------

def test_latin_hypercube_is_stratified_and_seeded(tmp_path: Path, scenarios_dir: Path) -> None:
    spec = load_sweep(write_spec(tmp_path / "lhs.toml", scenarios_dir, samples=8))
    points = design_points(spec)
    assert points["point"].tolist() == list(range(8)) and (points["block"] == -1).all()
    strata = np.floor((points["enforcement_probability"] - 0.05) / (0.55 / 8)).astype(int)
    assert sorted(strata) == list(range(8))  # one point in each eighth of the range
    pd.testing.assert_frame_equal(points, design_points(spec))
    other = load_sweep(write_spec(tmp_path / "lhs2.toml", scenarios_dir, samples=8, seed=12))
    assert not points.equals(design_points(other))


def test_full_factorial_grid(tmp_path: Path, scenarios_dir: Path) -> None:
    params = PARAMS + '[parameters.property_fee_payer]\nvalues = ["collective", "households"]\n'
    spec = load_sweep(write_spec(tmp_path / "ff.toml", scenarios_dir, params,
                                 design="full_factorial", levels=3))
    points = design_points(spec)
    assert len(points) == 3 * 3 * 2
    assert sorted(set(points["enforcement_probability"])) == pytest.approx([0.05, 0.325, 0.6])
    assert sorted(set(points["training_capacity"])) == [0, 50, 100]
    assert set(points["property_fee_payer"]) == {"collective", "households"}
    assert not points.duplicated(["enforcement_probability", "training_capacity",
                                  "property_fee_payer"]).any()


def test_sobol_design_runs(tmp_path: Path, scenarios_dir: Path) -> None:
    pytest.importorskip("resettle.analysis.sensitivity")
    spec = write_spec(tmp_path / "sobol.toml", scenarios_dir, design="sobol", samples=2,
                      replications=1, scenarios=[(scenarios_dir / "scheme1.toml").as_posix()])
    out = tmp_path / "out"
    assert sweep(spec, out) == 0
    points = pd.read_parquet(out / "points.parquet")
    names = ["enforcement_probability", "training_capacity"]
    assert points["block"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]  # A, B, AB_1, AB_2 (N = 2)
    a, b = (points[points["block"] == k][names].reset_index(drop=True) for k in (0, 1))
    for i, name in enumerate(names):
        ab = points[points["block"] == 2 + i][names].reset_index(drop=True)
        assert ab[name].tolist() == b[name].tolist()  # column i from B ...
        rest = [n for n in names if n != name]
        assert ab[rest].equals(a[rest])  # ... the others from A
    frame = results(out)
    assert frame["key"].nunique() == len(frame) == 8


def test_morris_design_runs(tmp_path: Path, scenarios_dir: Path) -> None:
    pytest.importorskip("resettle.analysis.sensitivity")
    spec = write_spec(tmp_path / "morris.toml", scenarios_dir, design="morris", samples=2,
                      replications=1, scenarios=[(scenarios_dir / "scheme1.toml").as_posix()])
    out = tmp_path / "out"
    assert sweep(spec, out) == 0
    points = pd.read_parquet(out / "points.parquet")
    names = ["enforcement_probability", "training_capacity"]
    assert points["block"].tolist() == [0, 0, 0, 1, 1, 1]  # 2 trajectories of d + 1 points
    for _, trajectory in points.groupby("block"):
        steps = trajectory[names].diff().iloc[1:].ne(0).sum(axis=1)
        assert steps.tolist() == [1, 1]  # one factor moves at a time
        assert sorted(trajectory[names].diff().iloc[1:].ne(0).idxmax(axis=1)) == sorted(names)
    frame = results(out)
    assert frame["key"].nunique() == len(frame) == 6


# --------------------------------------------------------------------------------------------
# What resume reads: spec.toml and the scenario files
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("quote", [
    pytest.param('"', id="basic-string"),
    pytest.param("'", id="literal-string"),
])
def test_relative_scenario_paths_resume_from_elsewhere(tmp_path: Path, scenarios_dir: Path,
                                                       quote: str) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    rel = os.path.relpath(scenarios_dir / "scheme1.toml", specs)
    spec = specs / "one.toml"
    spec.write_text(spec_text([], samples=2, replications=1).replace(
        "scenarios = []", f"scenarios = [{quote}{rel}{quote}]"), "utf-8")
    assert load_sweep(spec).scenarios[0].name == "scheme1"
    out = tmp_path / "elsewhere" / "out"
    assert sweep(spec, out) == 0
    (out / "results.parquet").unlink()
    assert sweep(None, None, "--resume", str(out)) == 0
    assert results(out)["key"].tolist() == [run_key(0, 0, 0), run_key(1, 0, 0)]


def test_resume_refuses_a_scenario_file_changed_since_the_start(
        tmp_path: Path, scenarios_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "mine.toml"
    base = (scenarios_dir / "scheme1.toml").as_posix()
    scenario.write_text(f'[scenario]\nname = "mine"\nextends = "{base}"\n'
                        "[levers]\nnew_branches = 2\n", "utf-8")
    spec = tmp_path / "mine-sweep.toml"
    spec.write_text(spec_text([scenario], samples=2, replications=1), "utf-8")
    out = tmp_path / "out"
    assert sweep(spec, out) == 0
    reference = results(out)
    # As if interrupted: one run missing. Then the scenario file is edited.
    (out / "results.parquet").unlink()
    for shard in (out / "shards").glob("part-*.parquet"):
        frame = pd.read_parquet(shard)
        frame[frame["key"] != run_key(1, 0, 0)].to_parquet(shard, index=False)
    scenario.write_text(scenario.read_text("utf-8").replace("new_branches = 2",
                                                            "new_branches = 1"), "utf-8")
    before = listing(out)
    capsys.readouterr()  # drop the first sweep's output
    code = sweep(None, None, "--resume", str(out))
    if code == 0:  # the missing run would be made with the edited scenario
        mixed = not results(out).equals(reference)
        pytest.fail(f"resumed with the edited scenario file; results differ from the "
                    f"original sweep's: {mixed}")
    assert code == 2
    line = one_error_line(capsys)
    assert "scenarios" in line and "mine" in line
    assert listing(out) == before


def test_results_hold_the_sweeps_runs_only_and_wait_for_all_of_them(tmp_path: Path) -> None:
    """consolidate writes results.parquet from the given runs' shards alone, and only once all
    of them are there: shards of other runs (replications beyond a decide --precision round,
    run by a plain 'resettle sweep --resume') neither count towards completion nor enter it."""
    from resettle.experiments.sweep.runner import consolidate

    (tmp_path / "shards").mkdir()
    keys = [run_key(0, 0, r) for r in range(3)]
    frame = pd.DataFrame({"key": keys * 2, "year": [1] * 3 + [2] * 3, "value": range(6)})
    frame.to_parquet(tmp_path / "shards" / "part-0.parquet")
    assert len(consolidate(tmp_path, set(keys[:2]))) == 4
    written = pd.read_parquet(tmp_path / "results.parquet")
    assert set(written["key"]) == set(keys[:2]) and len(written) == 4
    (tmp_path / "results.parquet").unlink()
    consolidate(tmp_path, {*keys, run_key(0, 0, 3)})  # one run not yet on disk
    assert not (tmp_path / "results.parquet").exists()
