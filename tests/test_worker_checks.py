"""A worker refuses a job made under another model or on another kind of machine.

A seed's table depends on the model's source and the package versions, and on the SIMD code
numpy runs (its ``exp`` and ``log`` round differently with AVX-512 and without). A Dask
cluster can mix nodes with a stale install or CPUs of two levels; without a check, each
replication would get the numbers of whichever node ran it. Every job carries what the process
that made it runs (``Job.made_under``), and ``run_job`` refuses it where that differs; each
result says what its worker runs (``JobResult.made_by``), which the driver checks, so a worker
too old to check is caught too. A compare stops with one line, a sweep stops with its finished
runs kept (to be resumed on matching workers), and no table mixes the two.

The pool tests start a worker with numpy's AVX-512 code turned off
(``NPY_DISABLE_CPU_FEATURES``), so they need a CPU with AVX-512; elsewhere they are skipped.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import socket
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from cli_helpers import call
from resettle.experiments.ema import evaluate
from resettle.experiments.executors import run_jobs
from resettle.experiments.jobs import Job, WorkerMismatch, check_result, run_job
from resettle.experiments.sweep.runner import run_sweep
from resettle.experiments.sweep.spec import load_sweep
from resettle.params.scenario import Scenario
from resettle.store.provenance import made_here, numpy_simd
from test_golden import AVX512
from test_hardening import write_tiny_spec

SEED = 20261202  # any seed: the tests compare runs of one seed, whatever it is


def job(months: int = 2, **made_under: object) -> Job:
    """A short default run, made under this process's record with ``made_under`` changed."""
    made = made_here()
    versions = {**made["versions"], **made_under.pop("versions", {})}
    return Job(Scenario(), 0, SEED, months=months,
               made_under={**made, **made_under, "versions": versions})


def test_a_job_made_here_runs_here() -> None:
    assert Job(Scenario(), 0, SEED).made_under == made_here()
    assert len(run_job(job()).monthly) == 3  # months 0, 1 and 2


def test_a_worker_at_another_simd_level_refuses_the_job() -> None:
    with pytest.raises(WorkerMismatch) as refused:
        run_job(job(versions={"numpy_simd": "another-cpu"}))
    text = str(refused.value)
    assert text.startswith(f"worker {socket.gethostname()}'s machine is not the driver's "
                           f"(numpy's SIMD level another-cpu is, on this worker, {numpy_simd()}")
    assert "NPY_DISABLE_CPU_FEATURES" in text


@pytest.mark.parametrize(("changed", "named"), [
    ({"source_digest": "0" * 64}, "source digest 000000000000… is, on this worker, "),
    ({"versions": {"scipy": "0.1"}}, "scipy 0.1 is, on this worker, "),
    ({"versions": {"libc": "glibc 1.0"}}, "the C library glibc 1.0 is, on this worker, "),
])
def test_a_worker_with_another_model_or_library_refuses_the_job(changed: dict,
                                                                named: str) -> None:
    kind = "machine" if "C library" in named else "model"
    with pytest.raises(WorkerMismatch) as refused:
        run_job(job(**changed))
    assert str(refused.value).startswith(
        f"worker {socket.gethostname()}'s {kind} is not the driver's ({named}")
    fix = "one system image" if kind == "machine" else "install the driver's resettle"
    assert fix in str(refused.value)


def test_what_a_run_does_not_depend_on_is_not_compared() -> None:
    # a tree on PYTHONPATH has no installed metadata, but the digest says it is the same code;
    # matplotlib and pyarrow only draw and store results; the host only names the worker
    others = {"resettle": "not installed", "matplotlib": "0.1", "pyarrow": "0.1"}
    assert len(run_job(job(versions=others, host="elsewhere")).monthly) == 3


def test_a_job_from_a_driver_too_old_to_say_what_it_runs_is_refused() -> None:
    old = job()
    del old.__dict__["made_under"]  # as a Job pickled by a resettle from before the check
    with pytest.raises(WorkerMismatch, match="the driver's resettle is older than the worker"):
        run_job(old)


def test_the_ema_adapter_refuses_on_a_worker_unlike_its_maker() -> None:
    with pytest.raises(WorkerMismatch, match="model is not the driver's"):
        evaluate(Scenario(), ("attitude",), 1, {**made_here(), "source_digest": "0" * 64}, SEED)


class OldWorkers(Executor):
    """Runs jobs here, but returns results as a resettle from before the check would: without
    ``made_by`` (and without refusing anything)."""

    def submit(self, fn, job):
        future = Future()
        future.set_result(dataclasses.replace(fn(job), made_by=None))
        return future


def test_the_driver_refuses_a_result_from_a_worker_too_old_to_check(
        tmp_path: Path, scenarios_dir: Path) -> None:
    with pytest.raises(WorkerMismatch, match="without saying what it runs: its resettle is "
                                             "older than the driver's"):
        run_jobs([job(), job()], executor=OldWorkers(), progress=False)
    path = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    with pytest.raises(WorkerMismatch, match="older than the driver's"):
        run_sweep(tmp_path / "old", OldWorkers(), 1, spec=load_sweep(path),
                  spec_text=path.read_text("utf-8"), progress=False)
    assert not list((tmp_path / "old" / "failures").iterdir())  # a set-up fault, not a run's


# ---- a real worker without numpy's AVX-512 code ------------------------------------------
@contextmanager
def without_avx512(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProcessPoolExecutor]:
    """A one-process pool whose worker runs numpy with its AVX-512 code turned off."""
    if not AVX512 & set(numpy_simd().split()):
        pytest.skip("this CPU has no AVX-512: a worker of another SIMD level cannot be made")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        with monkeypatch.context() as patch:  # the worker starts with the variable
            patch.setenv("NPY_DISABLE_CPU_FEATURES", " ".join(sorted(AVX512)))
            assert pool.submit(numpy_simd).result() != numpy_simd()
        yield pool


def test_the_refusal_keeps_another_table_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the check prevents is real: a job made on that worker gives the seed another
    table there than here (a year: some seeds first differ in month 3). One made here is
    refused there, as a compare would be."""
    with without_avx512(monkeypatch) as pool:
        there = pool.submit(made_here).result()
        made_there = dataclasses.replace(job(months=12), made_under=there)
        with pytest.raises(WorkerMismatch, match=f"worker {socket.gethostname()}'s machine "
                                                 "is not the driver's"):
            check_result(pool.submit(run_job, made_there).result())  # the driver's own check
        table = pool.submit(run_job, made_there).result().monthly
        assert not table.equals(run_job(job(months=12)).monthly)
        with pytest.raises(WorkerMismatch, match="machine is not the driver's"):
            run_jobs([job(), job()], executor=pool, progress=False)


def test_a_sweep_stops_at_a_mismatched_worker_and_resumes_on_a_matching_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scenarios_dir: Path) -> None:
    path = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir)
    spec, text = load_sweep(path), path.read_text("utf-8")
    with without_avx512(monkeypatch) as pool, \
            pytest.raises(WorkerMismatch, match="numpy's SIMD level"):
        run_sweep(tmp_path / "mixed", pool, 1, spec=spec, spec_text=text, progress=False)
    assert not list((tmp_path / "mixed" / "failures").iterdir())
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        resumed = run_sweep(tmp_path / "mixed", pool, 1, resume=True, progress=False)
        plain = run_sweep(tmp_path / "plain", pool, 1, spec=spec, spec_text=text,
                          progress=False)
    assert resumed.complete and plain.complete and resumed.ran == 4
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "mixed" / "results.parquet"),
                                  pd.read_parquet(tmp_path / "plain" / "results.parquet"))


def test_a_dask_node_of_another_level_stops_the_sweep_in_one_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scenarios_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    if not AVX512 & set(numpy_simd().split()):
        pytest.skip("this CPU has no AVX-512: a worker of another SIMD level cannot be made")
    spec, out = write_tiny_spec(tmp_path / "tiny.toml", scenarios_dir), tmp_path / "dask"
    with monkeypatch.context() as patch:  # the node starts with the variable
        patch.setenv("NPY_DISABLE_CPU_FEATURES", " ".join(sorted(AVX512)))
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
    with cluster:
        status = call(["sweep", str(spec), "--scheduler", cluster.scheduler_address,
                       "--out", str(out), "--quiet"])
    assert status == 1
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("resettle:")]
    assert len(lines) == 1
    assert lines[0].startswith(f"resettle: error: worker {socket.gethostname()}'s machine is "
                               "not the driver's (numpy's SIMD level")
    assert lines[0].endswith(f"continue with 'resettle sweep --resume {out}' once every "
                             "worker matches")
    assert call(["sweep", "--resume", str(out), "--workers", "1", "--quiet"]) == 0
