"""Running many replications, in this process or on a pool of worker processes.

Seeds are drawn before any work is dispatched and results are put back in job order, so the
tables do not depend on how many workers ran them or in which order they finished.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from resettle.model import CommunityModel
from resettle.scenario import Scenario
from resettle.snapshot import agent_snapshot, organisation_snapshot


@dataclass(frozen=True)
class Job:
    """One replication of one scenario."""

    scenario: Scenario
    replication: int
    seed: int
    snapshots: bool = False


def run_job(job: Job) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """Run one job to its horizon: the monthly table and, if asked, the end-of-run snapshots."""
    model = CommunityModel(job.scenario, rng=job.seed, replication=job.replication)
    model.run()
    if not job.snapshots:
        return model.metrics(), None, None
    return model.metrics(), agent_snapshot(model), organisation_snapshot(model)


def pool_context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes (forkserver where available, else spawn), never a fork of this
    possibly multi-threaded process (progress bars and numba start threads)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_jobs(jobs: list[Job], workers: int = 1, progress: bool = True,
             executor: Executor | None = None) -> list[tuple]:
    """Results of ``jobs`` in job order; ``workers`` > 1 uses a process pool (or ``executor``)."""
    bar = tqdm(total=len(jobs), desc="runs", unit="run", disable=not progress or len(jobs) < 2)
    try:
        if executor is None and workers <= 1:
            return [_advance(bar, run_job(job)) for job in jobs]
        own = executor is None
        pool = executor or ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())
        try:
            futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
            results: list = [None] * len(jobs)
            for future in as_completed(futures):
                results[futures[future]] = _advance(bar, future.result())
            return results
        finally:
            if own:
                pool.shutdown(cancel_futures=True)
    finally:
        bar.close()


def _advance(bar: tqdm, result):
    bar.update(1)
    return result
