"""Size ceilings: how much one command may start without being told ``--yes``.

A study is refused in one line, before anything runs, when it asks for more runs, more residents
per run, or more memory than these ceilings, unless the user passes ``--yes``; past
``HARD_MAX_RUNS`` it is refused even then (split it into several). The memory estimate is a
measured cost per worker process and per resident (``benchmarks/bench_memory.py``) times the
runs held at once, against the memory the operating system says is available.
"""

from __future__ import annotations

from resettle.errors import ScenarioError

MAX_RUNS = 20_000  # assumption: about 3 hours of 15-year runs at ~1 s each on 2 cores
HARD_MAX_RUNS = 2_000_000  # assumption: 100x MAX_RUNS, weeks of computing; split such a study
MAX_RESIDENTS_PER_RUN = 100_000  # assumption: ~20x Dongyu (§1); larger ones are untested
# (the valid domain of [community] residents, 5,000,000, is what can be described at all)
# measured by benchmarks/bench_memory.py (2026-12-01): a process's imports 200 MiB, a run
# 54 MiB more, plus 1,622 bytes per resident (rounded up below)
RUN_BASE_BYTES = 256 * 2**20  # one worker process running one run, besides its residents
RESIDENT_BYTES = 2 * 2**10  # per resident, with its household and ties
DRIVER_BYTES = 256 * 2**20  # the command's own process: imports and tables


def check_size(runs: int, runs_what: str, residents: int, residents_what: str,
               concurrent: int | None, yes: bool) -> None:
    """Refuse a study of ``runs`` runs of up to ``residents`` residents, ``concurrent`` at a
    time on this machine (None: on a cluster, whose memory is not known here), that exceeds a
    ceiling (unless ``yes``, except for HARD_MAX_RUNS). ``runs_what`` and ``residents_what``
    name the option or the file and key that set the sizes, for the message."""
    if runs > HARD_MAX_RUNS:
        raise ScenarioError(f"{runs_what}: {runs:,} runs exceed the limit of {HARD_MAX_RUNS:,} "
                            "per command, which --yes does not lift; split the study")
    if yes:
        return
    if runs > MAX_RUNS:
        raise ScenarioError(f"{runs_what}: {runs:,} runs exceed the ceiling of {MAX_RUNS:,} "
                            "per command; pass --yes to run them anyway")
    if residents > MAX_RESIDENTS_PER_RUN:
        raise ScenarioError(f"{residents_what}: {residents:,} residents per run exceed the "
                            f"ceiling of {MAX_RESIDENTS_PER_RUN:,}; pass --yes to run it anyway")
    if concurrent is None:
        return
    at_once = max(min(concurrent, runs), 1)
    need, have = memory_needed(residents, at_once), available_memory()
    if have is not None and need > have:
        fewer = "use fewer --workers, " if at_once > 1 else ""
        raise ScenarioError(f"{residents_what}: about {need / 2**30:.1f} GiB of memory needed "
                            f"({at_once} run(s) at once of {residents:,} residents), "
                            f"{have / 2**30:.1f} GiB available; {fewer}or pass --yes to try "
                            "anyway")


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
