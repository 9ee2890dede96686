"""Writing results atomically: a file or a directory is made complete in a temporary place
beside its destination, then renamed into place.

Nothing half-written is ever left at the destination: if anything fails, the temporary file or
directory is removed and the destination is untouched. A directory's temporary name starts
with ``.<name>.``, a file's is ``.tmp-<name>`` (a sweep discards such leftovers on resume).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from resettle.errors import OutputError


def check_destination(out: Path, force: bool) -> None:
    """Refuse an existing, non-empty destination unless ``force``."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise OutputError(f"{out}: output directory exists and is not empty; "
                          "choose another --out or pass --force")


def write_atomically(out: Path, fill: Callable[[Path], None], force: bool = False, *,
                     directory: bool = True) -> Path:
    """Create ``out`` by calling ``fill(tmp)`` on a temporary path beside it and renaming the
    result into place. A directory (the default) must not exist unless ``force``, and is
    replaced whole; a file (``directory=False``) always replaces the old one."""
    if directory:
        check_destination(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(out, directory)
    try:
        fill(tmp)
        if directory:
            tmp.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; results are not
            if out.exists():
                shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(tmp, out)
    except BaseException:
        _remove(tmp)
        raise
    return out


def _temporary(out: Path, directory: bool) -> Path:
    """A temporary path in ``out``'s folder: a new private directory, or a file name."""
    if directory:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    return out.parent / f".tmp-{out.name}"


def _remove(tmp: Path) -> None:
    """Remove a temporary file or directory, if it is there."""
    if tmp.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.unlink(missing_ok=True)


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
