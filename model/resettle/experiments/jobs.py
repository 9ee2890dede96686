"""One replication of one scenario: the unit of work behind every way of running the model.

``run``, ``compare``, ``switch-year``, sweeps and the EMA adapter all build :class:`Job`\\ s and
hand them to :func:`run_job`, in this process or on any ``concurrent.futures`` executor
(``resettle.experiments.executors``). Seeds are drawn before jobs are made, so a job's result
does not depend on where or when it runs — provided the worker runs the same model on the same
kind of machine as the process that made the job: a job carries what it was made under
(``made_under``: the model's source digest, the versions, numpy's SIMD level, the C library),
and a worker where any of these differs refuses it (:class:`WorkerMismatch`) rather than give
the seed other numbers (a Dask cluster with a stale install on a node, or with CPUs of two SIMD
levels); the driver checks what each result says it was run with (:func:`check_result`),
which catches a worker too old to check.
"""

from __future__ import annotations

import socket
import traceback
from dataclasses import dataclass, field

import pandas as pd

from resettle.errors import RunFailure
from resettle.outcomes import RUN_COLUMNS
from resettle.params.scenario import Scenario
from resettle.sim.snapshot import agent_snapshot, organisation_snapshot
from resettle.store.provenance import code_difference, made_here


@dataclass(frozen=True)
class Job:
    """One replication of one scenario.

    ``overrides`` (parameter name, value) are applied to ``scenario`` in the worker (a sweep's
    design point); ``months`` stops the run early (default: the scenario's horizon);
    ``keep_months`` and ``metrics`` cut the monthly table down to what the caller keeps
    (default: every row and column); ``snapshots`` adds the end-of-run agent tables; ``key``
    and ``point`` name the run within a sweep; ``made_under`` is what the process that made the
    job runs (:func:`resettle.store.provenance.made_here`), which the worker checks.
    """

    scenario: Scenario
    replication: int
    seed: int
    overrides: tuple[tuple[str, object], ...] = ()
    months: int | None = None
    keep_months: tuple[int, ...] | None = None
    metrics: tuple[str, ...] | None = None
    snapshots: bool = False
    key: str = ""
    point: int | None = None
    made_under: dict = field(default_factory=made_here, compare=False, repr=False)


@dataclass
class JobResult:
    """What a job produced: its monthly table (cut as the job asked) and, if asked, the
    end-of-run snapshots of residents and organisations; ``made_by``: what the worker that
    ran it runs (:func:`resettle.store.provenance.made_here`; None from a resettle too old to
    say)."""

    monthly: pd.DataFrame
    agents: pd.DataFrame | None = None
    organisations: pd.DataFrame | None = None
    made_by: dict | None = None


def run_job(job: Job) -> JobResult:
    """Run ``job``. Raises what the model raises (e.g. ScenarioError for a bad override), and
    :class:`WorkerMismatch` where this process does not run what the job was made under.

    The model is imported here, in the process that runs the job: a driver that hands its
    jobs to worker processes never imports it (its start-up stays short)."""
    check_worker(job)  # before the import: a stale worker may not import the model at all
    from resettle.sim.model import CommunityModel

    scenario = job.scenario.replace(**dict(job.overrides)) if job.overrides else job.scenario
    model = CommunityModel(scenario, rng=job.seed, replication=job.replication)
    table = model.run(months=job.months)
    if job.keep_months is not None:
        table = table[table["month"].isin(job.keep_months)].reset_index(drop=True)
    if job.metrics is not None:
        table = table[[*RUN_COLUMNS, *job.metrics]]
    if not job.snapshots:
        return JobResult(table, made_by=made_here())
    return JobResult(table, agent_snapshot(model), organisation_snapshot(model), made_here())


# ---- the same model on the same kind of machine -----------------------------------------
class WorkerMismatch(RunFailure):
    """A worker whose model or machine differs from that of the process that made the job: a
    fault of the set-up, not of one run, so it stops a sweep (finished runs are kept)."""


REMEDY = {"model": "install the driver's resettle and package versions on every worker (in a "
                   "notebook whose resettle was edited after it was first used: restart it)",
          "numpy_simd": "run the workers on CPUs of the driver's SIMD level, or the command "
                        "where the workers' kind of CPU is, or set NPY_DISABLE_CPU_FEATURES on "
                        "each process so that all run at one level",
          "libc": "run the driver and the workers on one system image (the same C library)"}


def check_worker(job: Job) -> None:
    """Raise :class:`WorkerMismatch` if this process does not run what ``job`` was made under:
    its seed would give other numbers here than where it was made."""
    made_under = getattr(job, "made_under", None)  # absent from a job an older driver made
    if made_under is None:
        raise WorkerMismatch(f"worker {socket.gethostname()} got a job that does not say what "
                             "its driver runs: the driver's resettle is older than the "
                             "worker's; install one resettle on the driver and every worker")
    refuse_if_different(made_under, "is, on this worker,", socket.gethostname())


def check_result(result: JobResult) -> JobResult:
    """``result``, checked in the driver: it must come from a worker that runs what this
    process runs (a worker whose resettle predates the check cannot refuse a job itself)."""
    made_by = getattr(result, "made_by", None)
    if made_by is None:
        raise WorkerMismatch("a worker returned a run without saying what it runs: its "
                             f"resettle is older than the driver's; {REMEDY['model']}")
    refuse_if_different(made_by, "is, on the driver,", made_by.get("host", "?"))
    return result


def refuse_if_different(record: dict, joined: str, host: str) -> None:
    """Raise :class:`WorkerMismatch`, naming worker ``host``, the difference and its fix, if
    this process does not run what ``record`` says."""
    found = code_difference(record, joined=joined)
    if found is not None:
        kind, key, detail = found
        raise WorkerMismatch(f"worker {host}'s {kind} is not the driver's ({detail}); "
                             f"{REMEDY[key]}")


@dataclass
class JobFailure:
    """A job that raised: the error's traceback, as text (taken in the worker)."""

    traceback: str


def try_job(job: Job) -> JobResult | JobFailure:
    """:func:`run_job`, with an error caught where it happens and returned as its traceback
    text: a sweep records it and goes on, whatever the error (even one that could not be sent
    back from a worker process as an exception). A :class:`WorkerMismatch` is raised instead:
    every run on that worker would fail alike."""
    try:
        return run_job(job)
    except WorkerMismatch:
        raise
    except Exception:
        return JobFailure(traceback.format_exc())


def make_jobs(scenarios: list[Scenario], seeds: list[int], snapshots: bool = False,
              first: int = 0) -> list[Job]:
    """Every scenario x replication from ``first`` on; replication i uses ``seeds[i]`` in every
    scenario (common random numbers)."""
    return [Job(s, i, seeds[i], snapshots=snapshots) for s in scenarios
            for i in range(first, len(seeds))]
