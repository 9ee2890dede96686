"""Writing results: a directory made complete in a temporary place, then moved into place.

Nothing half-written is ever left at the destination: if anything fails, the temporary
directory is removed and the destination is untouched.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from resettle.errors import ScenarioError

PACKAGES = ("resettle", "mesa", "numpy", "scipy", "pandas", "networkx", "pyarrow", "matplotlib")


def check_destination(out: Path, force: bool) -> None:
    """Refuse an existing, non-empty destination unless ``force``."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise ScenarioError(f"{out}: output directory exists and is not empty; "
                            "choose another --out or pass --force")


def write_atomically(out: Path, fill: Callable[[Path], None], force: bool = False) -> Path:
    """Create ``out`` by calling ``fill(tmpdir)`` and moving the result into place."""
    check_destination(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        fill(tmp)
        tmp.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; results are not
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def versions() -> dict[str, str]:
    """Installed versions of the packages results depend on, and Python's."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit() -> str | None:
    """The source tree's git commit, when run from a checkout."""
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write_json(path: Path, data: dict) -> None:
    """Pretty JSON, UTF-8, with non-JSON values written as strings."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), "utf-8")


def now() -> str:
    """Current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")
