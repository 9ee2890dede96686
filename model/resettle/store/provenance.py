"""Provenance: what every output came from, with the same keys everywhere.

:func:`provenance` builds the record that each output writes (``manifest.json`` of run,
compare, switch-year and analyze; ``sweep.json`` of a sweep): when and by which command it was
made, the package versions, git commit and a digest of the package source (a resumed sweep
refuses a changed model by these), the root seed and every replication's seed, the
scenarios (their files with SHA-256 hashes, and every parameter value), and how long it took.
Each study adds its own keys after these.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import platform
import socket
import subprocess
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGES = ("resettle", "mesa", "numpy", "scipy", "numba", "pandas", "networkx", "pyarrow",
            "matplotlib")
# how resettle.sim.seeds.replication_seeds spawns the seeds listed in every record
SEEDING = ("numpy.random.SeedSequence(root_seed).spawn(replications); replication i uses "
           "seeds[i] in every scenario (common random numbers)")


def provenance(*, command: list[str] | None, root_seed: int, seeds: Iterable[int],
               scenarios: Iterable[Mapping], seconds: float | None = None,
               **study: object) -> dict:
    """The record of one output: the common keys, then the study's own (``study``).

    ``scenarios`` are the scenarios' records (``resettle.params.catalogue.scenario_record``:
    their files with the SHA-256 of the bytes read when each scenario was loaded).
    """
    return {"created": now(), "command": command, "versions": versions(),
            "git_commit": git_commit(), "source_digest": source_digest(),
            "root_seed": root_seed,
            "seeds": [int(s) for s in seeds], "seeding": SEEDING,
            "scenarios": list(scenarios),
            "seconds": None if seconds is None else round(seconds, 2), **study}


def versions() -> dict[str, str]:
    """Installed versions of the packages results depend on, and Python's; the SIMD targets
    numpy uses on this CPU (``numpy_simd``): its ``exp`` and ``log`` round differently on each,
    so one seed's table does too (README, "Results are identical"); and the C library
    (``libc``), whose ``exp`` and ``log`` numpy's random draws call. Read once per
    process, like the source digest: the code it runs was loaded once."""
    return dict(_versions())


@cache
def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["numpy_simd"] = numpy_simd()
    found["libc"] = " ".join(platform.libc_ver()).strip() or "unknown"  # numpy's draws use libm
    return found


def numpy_simd() -> str:
    """numpy's baseline and the optional SIMD targets it dispatches to on this CPU (after
    ``NPY_DISABLE_CPU_FEATURES``), e.g. ``X86_V2 X86_V3 X86_V4 AVX512_ICL``."""
    umath = _numpy_umath()
    if umath is None:
        return "unknown"
    usable = [t for t in umath.__cpu_dispatch__ if umath.__cpu_features__.get(t)]
    return " ".join([*umath.__cpu_baseline__, *usable])


def cpu_features() -> dict[str, bool]:
    """The CPU features numpy detected (``AVX2``, ``FMA3``, ``AVX512F``, ...)."""
    umath = _numpy_umath()
    return {} if umath is None else dict(umath.__cpu_features__)


def _numpy_umath():
    """numpy's compiled core, which lists its SIMD targets (numpy 2, then numpy 1's name)."""
    for name in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):
        try:
            module = importlib.import_module(name)
            if hasattr(module, "__cpu_dispatch__") and hasattr(module, "__cpu_features__"):
                return module
        except ImportError:
            continue
    return None


@cache
def git_commit() -> str | None:
    """The source tree's git commit, when run from a checkout (read once per process)."""
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def source_digest(root: Path | None = None) -> str:
    """SHA-256 of the package's source: every ``.py`` file under ``resettle/`` (or ``root``),
    by relative path and bytes. Two trees with the same digest run the same model, whatever
    their git commits (a change to the docs or tests leaves it alone). The running package's
    digest is read once per process: the code it runs was loaded once too."""
    return _running_digest() if root is None else _tree_digest(root)


@cache
def _running_digest() -> str:
    return _tree_digest(PACKAGE_ROOT)


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_json(path: Path, data: dict) -> None:
    """Pretty JSON, UTF-8, with non-JSON values written as strings."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), "utf-8")


def now() -> str:
    """Current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- what a run's numbers depend on, compared ------------------------------------------
@cache
def made_here() -> dict:
    """What a run's numbers depend on in this process besides its inputs, under the keys of a
    provenance record: the model's source digest and git commit, and the versions (numpy's
    SIMD level and the C library among them); and the host, to name it in messages. One dict
    per process, shared by every job made here: read it, do not change it."""
    return {"source_digest": source_digest(), "git_commit": git_commit(),
            "versions": versions(), "host": socket.gethostname()}


# the versions a run's numbers depend on (matplotlib and pyarrow only draw and store them)
RUN_PACKAGES = ("python", "mesa", "numpy", "scipy", "numba", "pandas", "networkx")
MACHINE_KEYS = {"numpy_simd": "numpy's SIMD level", "libc": "the C library"}
MACHINE_EFFECT = {"numpy_simd": "numpy's exp and log round differently there",
                  "libc": "its exp and log, which numpy's draws call, may round differently"}


def code_difference(record: dict, joined: str = "is now") -> tuple[str, str, str] | None:
    """How what runs in this process differs from what ``record`` (a provenance record, or
    :func:`made_here` of another process) was made with, as (kind, key, detail): kind
    ``model`` (key ``model``) for its source digest or a run package's version, kind
    ``machine`` for numpy's SIMD level (key ``numpy_simd``) or the C library (``libc``); None
    for no difference. ``joined`` joins the recorded value to this process's in the detail.
    A key the record lacks (an older record) is not compared."""
    found = model_difference(record, joined)
    if found:
        return "model", "model", found
    recorded, here = record.get("versions", {}), versions()
    for key, name in MACHINE_KEYS.items():
        if key in recorded and recorded[key] != here[key]:
            return "machine", key, (f"{name} {recorded[key]} {joined} {here[key]}: "
                                    f"{MACHINE_EFFECT[key]}, so a seed's runs differ")
    return None


def model_difference(record: dict, joined: str = "is now") -> str | None:
    """How the model running in this process differs from the one ``record`` was made with:
    its source digest, or the version of a package a run uses (None: no difference). The
    digest identifies resettle itself, whatever version its metadata says (a tree on
    ``PYTHONPATH`` has none)."""
    recorded = record.get("source_digest")
    if recorded is None:
        return "the record has no source digest: an older resettle made it"
    current = source_digest()
    if recorded != current:
        return (f"source digest {recorded[:12]}… {joined} {current[:12]}…; git commit "
                f"{record.get('git_commit')} {joined} {git_commit()}")
    installed, versions_then = versions(), record.get("versions", {})
    for package in RUN_PACKAGES:
        if package in versions_then and installed.get(package) != versions_then[package]:
            return f"{package} {versions_then[package]} {joined} {installed.get(package)}"
    return None
