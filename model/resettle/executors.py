"""Where runs execute: a local process pool, or a Dask distributed cluster.

Both are ``concurrent.futures.Executor``s, so the sweep code is the same for either. A Dask
scheduler is reached with ``distributed.Client(address, timeout=...)``; an unreachable one is
a one-line error within ``SCHEDULER_TIMEOUT`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor

from resettle.errors import ScenarioError
from resettle.parallel import pool_context

SCHEDULER_TIMEOUT = 8  # seconds: issue 4 asks for a clear error within 10 s, start-up included


def local_executor(workers: int) -> tuple[Executor, int, Callable[[], None]]:
    """A process pool of ``workers`` fresh processes."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())
    return pool, workers, lambda: pool.shutdown(cancel_futures=True)


def dask_executor(address: str) -> tuple[Executor, int, Callable[[], None]]:
    """A Dask cluster's executor and its total number of worker threads."""
    try:
        from distributed import Client
    except ImportError:
        raise ScenarioError("--scheduler needs Dask distributed: pip install "
                            "'resettle[dask]'") from None
    try:
        client = Client(address, timeout=f"{SCHEDULER_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise ScenarioError(f"--scheduler {address}: cannot reach the Dask scheduler within "
                            f"{SCHEDULER_TIMEOUT} s ({type(err).__name__})") from None
    workers = client.scheduler_info().get("workers", {})
    threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
    return client.get_executor(pure=False), threads, client.close
