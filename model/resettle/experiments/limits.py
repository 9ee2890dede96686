"""Size ceilings: how much one command may start without being told ``--yes``.

A study is refused in one line, before anything runs, when it asks for more runs, more residents
per run, or more memory than these ceilings, unless the user passes ``--yes``; past
``HARD_MAX_RUNS`` it is refused even then (split it into sweeps). The memory estimate is a
measured cost per worker process and per resident (``benchmarks/bench_memory.py``) times the
runs held at once, against the memory the operating system says is available.
"""

from __future__ import annotations

from resettle.errors import ScenarioError

MAX_RUNS = 20_000  # assumption: about 3 hours of 15-year runs at ~1 s each on 2 cores
HARD_MAX_RUNS = 2_000_000  # beyond this the seeds alone fill the driver's memory: split it
MAX_RESIDENTS = 100_000  # per run: ~20x Dongyu (§1); larger communities are untested
# measured by benchmarks/bench_memory.py (2026-12-01): a process's imports 200 MiB, a run
# 54 MiB more, plus 1,622 bytes per resident (rounded up below)
RUN_BASE_BYTES = 256 * 2**20  # one worker process running one run, besides its residents
RESIDENT_BYTES = 2 * 2**10  # per resident, with its household and ties
DRIVER_BYTES = 256 * 2**20  # the command's own process: imports and tables


def check_size(what: str, runs: int, residents: int, concurrent: int, yes: bool) -> None:
    """Refuse a study of ``runs`` runs of up to ``residents`` residents, ``concurrent`` at a
    time, that exceeds a ceiling (unless ``yes``, except for HARD_MAX_RUNS). ``what`` names
    the option or file that set the size, for the message."""
    if runs > HARD_MAX_RUNS:
        raise ScenarioError(f"{what}: {runs:,} runs exceed the limit of {HARD_MAX_RUNS:,} per "
                            "command; split the study into several")
    if yes:
        return
    if runs > MAX_RUNS:
        raise ScenarioError(f"{what}: {runs:,} runs exceed the ceiling of {MAX_RUNS:,} per "
                            "command; pass --yes to run them anyway")
    if residents > MAX_RESIDENTS:
        raise ScenarioError(f"{what}: {residents:,} residents per run exceed the ceiling of "
                            f"{MAX_RESIDENTS:,}; pass --yes to run it anyway")
    need, have = memory_needed(residents, min(concurrent, runs)), available_memory()
    if have is not None and need > have:
        raise ScenarioError(f"{what}: about {need / 2**30:.1f} GiB of memory needed "
                            f"({min(concurrent, runs)} run(s) at once of {residents:,} "
                            f"residents), {have / 2**30:.1f} GiB available; use fewer "
                            "--workers, or pass --yes to try anyway")


def memory_needed(residents: int, concurrent: int) -> int:
    """Estimated bytes: the driver, and ``concurrent`` runs of ``residents`` residents."""
    return DRIVER_BYTES + max(concurrent, 1) * (RUN_BASE_BYTES + residents * RESIDENT_BYTES)


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux: MemAvailable), if known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
