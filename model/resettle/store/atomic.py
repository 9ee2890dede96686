"""Writing results atomically: a file or a directory is made complete in a temporary place
beside its destination, then renamed into place.

Nothing half-written is ever left at the destination, and an old result is never lost:

* a directory is filled in ``.<name>.new-<pid>-<random>`` and renamed into place; an old
  directory it replaces (``--force``) is first renamed aside to ``.<name>.old-<pid>-<random>``
  and deleted only once the new one is in place;
* a file is written as ``.tmp-<name>`` and renamed over the old one (a sweep discards such
  leftovers on resume).

A process killed half-way leaves at most such a temporary directory beside the destination.
The next write to that destination (:func:`recover`) removes the leftovers of dead
processes, and puts an old result that was renamed aside back if nothing replaced it.
:func:`check_destination` tries the destination before any computing: it can be created and
written, its name is not too long, and it is not an existing result unless ``force``.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from resettle.errors import OutputError

PROBE_BYTES = 64 * 1024  # written and removed to see that the destination takes data
MIN_FREE_BYTES = 8 * 1024 * 1024  # assumption: about the largest default result (a compare
# with figures in two languages is 1-3 MiB); a bigger one that fills the disk fails in one line
NEW, OLD = "new", "old"  # the two kinds of temporary directory beside a destination
TEMP_SUFFIX_BYTES = 8  # the random end tempfile.mkdtemp adds to a temporary name
PATH_MARGIN_BYTES = 64  # the longest path inside a result, beyond its directory


def check_destination(out: Path, force: bool, try_writing: bool = True) -> None:
    """Refuse, in one line, a destination that cannot take a result: an existing file, an
    existing non-empty directory (unless ``force``), a name too long for its file system, or
    (``try_writing``) a folder that cannot be written (read-only, full, no permission)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is a file, not a directory; choose another --out")
    if out.exists() and any(out.iterdir()) and not force:
        raise OutputError(f"{out}: output directory exists and is not empty; "
                          "choose another --out or pass --force")
    check_name_length(out)
    make_parent(out)
    recover(out)
    if try_writing:
        probe(out.parent, out.name)


def check_name_length(out: Path) -> None:
    """Refuse a name (or its temporary sibling's) longer than the file system allows."""
    folder = nearest_existing(out.parent)
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
        path_max = os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    name = len(os.fsencode(out.name))
    extra = len(os.fsencode(temporary_prefix(out, OLD))) - name + TEMP_SUFFIX_BYTES
    if name + extra > name_max:
        raise OutputError(f"{out}: the name is too long ({name} bytes; an output directory's "
                          f"name may have at most {name_max - extra} on this file system); "
                          "choose a shorter --out")
    if len(os.fsencode(out.absolute())) + PATH_MARGIN_BYTES > path_max:
        raise OutputError(f"{out}: the path is too long (this file system allows {path_max} "
                          f"bytes and a result needs {PATH_MARGIN_BYTES} more); choose a "
                          "shorter --out")


def nearest_existing(folder: Path) -> Path:
    """``folder`` or its nearest existing ancestor."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def make_parent(out: Path) -> None:
    """Create the destination's folder, or say in one line why it cannot be."""
    above = nearest_existing(out.parent)
    if not above.is_dir():
        raise OutputError(f"{out}: {above} is a file, not a folder; choose another --out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{out}: cannot create its folder ({reason(err)}); choose another "
                          "--out") from None


def probe(folder: Path, name: str) -> None:
    """Create, write, sync and remove a small temporary directory in ``folder``."""
    tmp = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{name[:32]}.probe-", dir=folder))
        with open(tmp / "probe", "wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        raise OutputError(f"{folder / name}: cannot write there ({reason(err)}); "
                          "choose another --out or free the disk") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise OutputError(f"{folder / name}: only {free / 2**20:.1f} MiB free on its disk "
                          f"(a result may need {MIN_FREE_BYTES / 2**20:.0f}); choose another "
                          "--out or free the disk")


def reason(err: OSError) -> str:
    """An OSError as a short reason: 'No space left on device (ENOSPC)'."""
    code = errno.errorcode.get(err.errno or 0)
    text = err.strerror or type(err).__name__
    return f"{text} ({code})" if code else text


def write_atomically(out: Path, fill: Callable[[Path], None], force: bool = False, *,
                     directory: bool = True) -> Path:
    """Create ``out`` by calling ``fill(tmp)`` on a temporary path beside it and renaming the
    result into place. A directory (the default) must not exist unless ``force``, and is
    replaced whole (the old one kept until the new one is in place); a file
    (``directory=False``) always replaces the old one."""
    try:
        if directory:  # tried before the computing (check_destination); now write
            check_destination(out, force, try_writing=False)
            return _replace_directory(out, fill)
        return _replace_file(out, fill)
    except OSError as err:  # e.g. the disk filled: name the result, not a temporary file
        raise OSError(err.errno, err.strerror, str(out)) from err


def _replace_file(out: Path, fill: Callable[[Path], None]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".tmp-{out.name}"
    try:
        fill(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _replace_directory(out: Path, fill: Callable[[Path], None]) -> Path:
    tmp = _make_temporary(out, NEW)
    old = None
    try:
        fill(tmp)
        tmp.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; results are not
        old = _set_aside(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            os.replace(old, out)  # the new one did not go in: the old one comes back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def _set_aside(out: Path) -> Path | None:
    """Rename an existing ``out`` aside (it is deleted once the new one is in place)."""
    if not out.exists():
        return None
    old = _make_temporary(out, OLD)
    os.replace(out, old)  # onto the empty directory just made: atomic
    return old


def temporary_prefix(out: Path, kind: str) -> str:
    """The name's start of ``out``'s temporary directories of ``kind`` made by this process."""
    return f".{out.name}.{kind}-{os.getpid()}-"


def _make_temporary(out: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=temporary_prefix(out, kind), dir=out.parent))


def leftovers(out: Path) -> list[tuple[Path, str, int]]:
    """``out``'s temporary directories: (path, kind, pid of the process that made it)."""
    found = []
    for path in out.parent.glob(f".{glob_escape(out.name)}.*-*-*"):
        kind, _, rest = path.name[len(out.name) + 2:].partition("-")
        pid = rest.partition("-")[0]
        if kind in (NEW, OLD) and pid.isdigit() and path.is_dir():
            found.append((path, kind, int(pid)))
    return found


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters escaped."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def recover(out: Path) -> None:
    """Clean up after processes that were killed while writing ``out``: put back an old
    result that was renamed aside and not replaced, remove every other leftover."""
    for path, kind, pid in leftovers(out):
        if pid_alive(pid):
            continue
        if kind == OLD and not out.exists():
            os.replace(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (this process counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
