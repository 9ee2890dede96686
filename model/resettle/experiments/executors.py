"""Where jobs run: in this process, on a local pool of worker processes, or on a Dask cluster.

Pools and Dask are ``concurrent.futures.Executor``\\ s, so the code that submits jobs is the same
for either (:func:`run_bounded`). :func:`run_jobs` returns results in job order, so tables do
not depend on how many workers ran them or in which order they finished. A Dask scheduler is
reached with ``distributed.Client(address, timeout=...)``; an unreachable one is a one-line
error within ``SCHEDULER_TIMEOUT`` seconds.

A worker process that dies (killed for memory, say) breaks a local pool and every job running
on it. :class:`LocalPool` starts a fresh pool; the jobs that were submitted and unfinished are
suspects and run again one at a time, with nothing beside them, so a job that kills its worker
a second time is known for certain: it becomes a :class:`WorkerDeath` (a sweep records it as a
failed run and goes on), and the others finish normally. A pool that breaks again and again
without any job succeeding is tried with a trivial job; if that breaks it too (workers that
cannot start), the study stops. Dask retries a job
whose worker died itself, then reports it as ``KilledWorker``, which becomes a
:class:`WorkerDeath` too.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass

from tqdm import tqdm

from resettle.errors import RunFailure, SchedulerError
from resettle.experiments.jobs import Job, JobResult, check_result, run_job

SCHEDULER_TIMEOUT = 5  # seconds: issues 4 and 12 ask for one line within 10 s, start-up included
CONNECT_GRACE_S = 1  # assumption: after the timeout, how long the connecting thread may take
IN_FLIGHT_PER_WORKER = 4  # submitted-but-unfinished jobs per worker (bounds driver memory)
RETRIES_AFTER_DEATH = 1  # issue 12: a job whose worker died is retried once, alone
MAX_FRUITLESS_RESTARTS = 5  # assumption: restarts in a row with no job succeeding, then the
# fresh pool is tried with a trivial job (a streak of runs that kill their workers is not a
# broken pool; workers that cannot start are)
POOL_PROBE_TIMEOUT_S = 120  # assumption: far longer than starting a worker process takes


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


class LocalPool(Executor):
    """A pool of ``workers`` fresh processes that can be started again after a worker died."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=pool_context())

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self.pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """A fresh pool in place of a broken one."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def local_executor(workers: int) -> tuple[Executor, int, Callable[[], None]]:
    """A process pool of ``workers`` fresh processes, its size, and how to close it."""
    pool = LocalPool(workers)
    return pool, workers, lambda: pool.shutdown(cancel_futures=True)


def dask_executor(address: str) -> tuple[Executor, int, Callable[[], None]]:
    """A Dask cluster's executor, its total number of worker threads, and how to close it."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask distributed: pip install "
                             "'resettle[dask]'") from None
    client = _connect(Client, address)
    try:
        workers = client.scheduler_info().get("workers", {})
    except Exception as err:
        client.close()
        raise SchedulerError(f"--scheduler {address}: what answers there is not a Dask "
                             f"scheduler ({type(err).__name__})") from None
    threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
    return client.get_executor(pure=False), threads, client.close


def _connect(client_class, address: str):
    """``Client(address)``, given up after ``SCHEDULER_TIMEOUT`` s whatever answers there
    (nothing, or a server that is not Dask's); one line in every failing case."""
    found: dict = {}

    def connect() -> None:
        try:
            found["client"] = client_class(address, timeout=f"{SCHEDULER_TIMEOUT}s")
        except BaseException as err:  # a server that is not Dask's can raise anything
            found["error"] = err

    thread = threading.Thread(target=connect, name="dask-connect", daemon=True)
    thread.start()
    thread.join(SCHEDULER_TIMEOUT + CONNECT_GRACE_S)
    if "client" in found:
        return found["client"]
    error = found.get("error")
    if error is None or isinstance(error, OSError | TimeoutError):
        raise SchedulerError(f"--scheduler {address}: cannot reach the Dask scheduler within "
                             f"{SCHEDULER_TIMEOUT} s")
    if isinstance(error, ValueError):
        raise SchedulerError(f"--scheduler {address}: not a scheduler address "
                             f"({error}); give one like tcp://host:8786")
    raise SchedulerError(f"--scheduler {address}: what answers there is not a Dask scheduler "
                         f"({type(error).__name__})")


@dataclass(frozen=True)
class WorkerDeath:
    """The outcome of a job whose worker process died under it, more often than retried."""

    cause: str


def run_bounded(executor: Executor, fn: Callable, jobs: Sequence,
                limit: int) -> Iterator[tuple[int, object]]:
    """Run ``fn(job)`` for every job, keeping at most ``limit`` unfinished; yield (index of the
    job, its result or a :class:`WorkerDeath`) as they finish. A broken pool is restarted
    when the executor can be (:class:`LocalPool`); after MAX_FRUITLESS_RESTARTS restarts in a
    row with no job succeeding, the fresh pool must run a trivial job, else the error
    propagates (workers that cannot start). Without ``restart`` the error propagates."""
    queue, suspects, deaths = deque(range(len(jobs))), deque(), Counter()
    fruitless = 0
    while queue or suspects:
        pending: dict[Future, int] = {}
        try:
            for found in _drain(executor, fn, jobs, limit, queue, suspects, deaths, pending):
                fruitless = 0
                yield found
        except BrokenExecutor as err:
            if not hasattr(executor, "restart"):
                raise
            succeeded = False
            for found in _after_death(pending, suspects, deaths, _death_cause(err)):
                succeeded |= not isinstance(found[1], WorkerDeath)
                yield found
            fruitless = 0 if succeeded else fruitless + 1
            executor.restart()
            if fruitless >= MAX_FRUITLESS_RESTARTS:
                if not _pool_works(executor):
                    raise
                fruitless = 0


def _pool_works(executor: Executor) -> bool:
    """Whether a (fresh) pool runs a trivial job: False for workers that cannot start."""
    try:
        executor.submit(os.getpid).result(timeout=POOL_PROBE_TIMEOUT_S)
    except (BrokenExecutor, TimeoutError):
        return False
    return True


def _drain(executor, fn, jobs, limit, queue, suspects, deaths,
           pending) -> Iterator[tuple[int, object]]:
    """Submit and collect until nothing is left or the pool breaks. A suspect (a job that
    was running when a worker died) runs alone: nothing else is submitted beside it."""
    while queue or suspects or pending:
        if suspects and not pending:
            _submit(executor, fn, jobs, suspects, pending)
        if not suspects and not any(deaths[i] for i in pending.values()):
            while queue and len(pending) < limit:
                _submit(executor, fn, jobs, queue, pending)
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield pending[future], _outcome(future)
            del pending[future]


def _submit(executor, fn, jobs, waiting: deque, pending: dict[Future, int]) -> None:
    """Submit the first waiting job; it leaves ``waiting`` only once submitted (a broken pool
    refuses it, and it waits for the next one)."""
    pending[executor.submit(fn, jobs[waiting[0]])] = waiting[0]
    waiting.popleft()


def _outcome(future: Future) -> object:
    """The future's result; Dask's ``KilledWorker`` (it retried already) as a WorkerDeath."""
    try:
        return future.result()
    except Exception as err:
        if type(err).__name__ == "KilledWorker":
            return WorkerDeath(f"its Dask worker died too often ({err})")
        raise


def _after_death(pending: dict[Future, int], suspects: deque, deaths: Counter,
                 cause: str) -> Iterator[tuple[int, object]]:
    """After a pool broke: finished jobs give their results, the others are suspects, or
    WorkerDeaths once they have been retried."""
    for future, i in pending.items():
        if future.done() and not future.cancelled() and future.exception() is None:
            yield i, future.result()
            continue
        deaths[i] += 1
        if deaths[i] > RETRIES_AFTER_DEATH:
            yield i, WorkerDeath(cause)
        else:
            suspects.append(i)


def _death_cause(err: BaseException) -> str:
    return (f"its worker process died ({type(err).__name__}), twice: killed by a signal or "
            "out of memory")


def run_jobs(jobs: list[Job], workers: int = 1, progress: bool = True,
             executor: Executor | None = None) -> list[JobResult]:
    """Results of ``jobs`` in job order: in this process for one worker, else on a local pool
    of ``workers`` processes (or on ``executor``, which is left open)."""
    bar = tqdm(total=len(jobs), desc="runs", unit="run", disable=not progress or len(jobs) < 2)
    try:
        if executor is None and workers <= 1:
            return [_advance(bar, check_result(run_job(job))) for job in jobs]
        close, limit = None, len(jobs)  # a given executor: its size is its own business
        if executor is None:
            executor, _, close = local_executor(workers)
            limit = IN_FLIGHT_PER_WORKER * workers
        try:
            results: list = [None] * len(jobs)
            for i, outcome in run_bounded(executor, run_job, jobs, max(limit, 1)):
                if isinstance(outcome, WorkerDeath):
                    job = jobs[i]
                    raise RunFailure(f"replication {job.replication} of scenario "
                                     f"'{job.scenario.name}': {outcome.cause}; nothing was "
                                     "written")
                results[i] = _advance(bar, check_result(outcome))
            return results
        finally:
            if close is not None:
                close()
    finally:
        bar.close()


def _advance(bar: tqdm, result):
    bar.update(1)
    return result
