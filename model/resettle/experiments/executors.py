"""Where jobs run: in this process, on a local pool of worker processes, or on a Dask cluster.

Pools and Dask are ``concurrent.futures.Executor``\\ s, so the code that submits jobs is the same
for either. :func:`run_jobs` returns results in job order, so tables do not depend on how many
workers ran them or in which order they finished. A Dask scheduler is reached with
``distributed.Client(address, timeout=...)``; an unreachable one is a one-line error within
``SCHEDULER_TIMEOUT`` seconds.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait

from tqdm import tqdm

from resettle.errors import SchedulerError
from resettle.experiments.jobs import Job, JobResult, run_job

SCHEDULER_TIMEOUT = 8  # seconds: issue 4 asks for a clear error within 10 s, start-up included
IN_FLIGHT_PER_WORKER = 4  # submitted-but-unfinished jobs per worker (bounds driver memory)


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


def local_executor(workers: int) -> tuple[Executor, int, Callable[[], None]]:
    """A process pool of ``workers`` fresh processes, its size, and how to close it."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())
    return pool, workers, lambda: pool.shutdown(cancel_futures=True)


def dask_executor(address: str) -> tuple[Executor, int, Callable[[], None]]:
    """A Dask cluster's executor, its total number of worker threads, and how to close it."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask distributed: pip install "
                             "'resettle[dask]'") from None
    try:
        client = Client(address, timeout=f"{SCHEDULER_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise SchedulerError(f"--scheduler {address}: cannot reach the Dask scheduler within "
                             f"{SCHEDULER_TIMEOUT} s ({type(err).__name__})") from None
    workers = client.scheduler_info().get("workers", {})
    threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
    return client.get_executor(pure=False), threads, client.close


def submit_bounded(executor: Executor, fn: Callable, jobs: Sequence[Job],
                   limit: int) -> Iterator[tuple[Future, int]]:
    """Submit ``fn(job)`` for every job, keeping at most ``limit`` unfinished; yield (future,
    index of its job) as they finish."""
    pending: dict[Future, int] = {}
    queue = iter(range(len(jobs)))
    for i in queue:
        pending[executor.submit(fn, jobs[i])] = i
        if len(pending) >= limit:
            break
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield future, pending.pop(future)
            nxt = next(queue, None)
            if nxt is not None:
                pending[executor.submit(fn, jobs[nxt])] = nxt


def run_jobs(jobs: list[Job], workers: int = 1, progress: bool = True,
             executor: Executor | None = None) -> list[JobResult]:
    """Results of ``jobs`` in job order: in this process for one worker, else on a local pool
    of ``workers`` processes (or on ``executor``, which is left open)."""
    bar = tqdm(total=len(jobs), desc="runs", unit="run", disable=not progress or len(jobs) < 2)
    try:
        if executor is None and workers <= 1:
            return [_advance(bar, run_job(job)) for job in jobs]
        close, limit = None, len(jobs)  # a given executor: its size is its own business
        if executor is None:
            executor, _, close = local_executor(workers)
            limit = IN_FLIGHT_PER_WORKER * workers
        try:
            results: list = [None] * len(jobs)
            for future, i in submit_bounded(executor, run_job, jobs, max(limit, 1)):
                results[i] = _advance(bar, future.result())
            return results
        finally:
            if close is not None:
                close()
    finally:
        bar.close()


def _advance(bar: tqdm, result):
    bar.update(1)
    return result
