"""Writing results atomically: a file or a directory is made complete in a temporary place
beside its destination, then renamed into place.

Nothing half-written is ever left at the destination, and an old result is never lost:

* a directory is filled in ``.<name>.new-<pid>-<random>`` and renamed into place; an old
  directory it replaces (``--force``) is first renamed aside to ``.<name>.old-<pid>-<random>``,
  and once the new one is in place renamed to ``.<name>.del-<pid>-<random>`` and deleted;
* a file is written as ``.tmp-<name>`` and renamed over the old one (a sweep discards such
  leftovers on resume).

Directories are written holding the destination's lock (:mod:`resettle.store.lock`), so a
temporary directory found beside a destination while holding its lock was left by a process
that died. :func:`recover` puts back an old result that was renamed aside and not replaced,
and removes every other leftover; it runs before the destination is checked, so a result set
aside by a killed ``--force`` is back in place before anything decides whether it may be
replaced. :func:`check_destination` tries the destination before any computing: its name is
not too long, its folder can be created and written and has room, it is not an existing
result unless ``force``, and it is a directory that can be replaced (not a mount point, not
the current directory or one above it).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from resettle.errors import OutputError, reason
from resettle.store.lock import output_lock

PROBE_BYTES = 64 * 1024  # assumption: a write this size shows the destination takes data
MIN_FREE_BYTES = 8 * 1024 * 1024  # assumption: about the largest default result (a compare
# with figures in two languages is 1-3 MiB); a bigger one that fills the disk fails in one line
NEW, OLD, DEL, TRY = "new", "old", "del", "try"  # kinds of temporary directory beside a result
OCCUPIED = "choose another --out or pass --force"

__all__ = ["check_destination", "leftovers", "recover", "write_atomically"]


def check_destination(out: Path, force: bool, try_writing: bool = True,
                      occupied: str = OCCUPIED) -> None:
    """Refuse, in one line, a destination that cannot take a result: an existing file, an
    existing non-empty directory (unless ``force``; ``occupied`` says what to do instead), a
    directory that cannot be replaced, a name too long for its file system, or
    (``try_writing``) a folder that cannot be written (read-only, full, no permission)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is a file, not a directory; choose another --out")
    with output_lock(out):
        recover(out)
        check_replaceable(out)
        if out.exists() and any(out.iterdir()) and not force:
            raise OutputError(f"{out}: output directory exists and is not empty; {occupied}")
        if try_writing:
            probe(out.parent, out.name)


def check_replaceable(out: Path) -> None:
    """Refuse a destination that cannot be renamed aside: a symbolic link, a mount point, or
    the current directory or one above it."""
    if out.is_symlink():
        raise OutputError(f"{out}: is a symbolic link, which a result cannot replace; give "
                          f"the real path ({out.resolve()})")
    if not out.exists():
        return
    here, resolved = Path.cwd().resolve(), out.resolve()
    if os.path.ismount(resolved):
        why = "it is a mount point"
    elif resolved == here or resolved in here.parents:
        why = "it is the current directory or one above it"
    else:
        return
    raise OutputError(f"{out}: cannot be replaced ({why}); write into a new folder inside "
                      f"it, e.g. --out {out / 'result'}")


def probe(folder: Path, name: str) -> None:
    """Create, write, sync and remove a small temporary directory in ``folder``; refuse a
    disk with less than MIN_FREE_BYTES free."""
    tmp = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=temporary_prefix(name, TRY), dir=folder))
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


def write_atomically(out: Path, fill: Callable[[Path], None], force: bool = False, *,
                     directory: bool = True) -> Path:
    """Create ``out`` by calling ``fill(tmp)`` on a temporary path beside it and renaming the
    result into place. A directory (the default) must not exist unless ``force``, and is
    replaced whole (the old one kept until the new one is in place), holding its lock; a file
    (``directory=False``) always replaces the old one."""
    try:
        if directory:
            with output_lock(out):  # tried before the computing (check_destination); now write
                check_destination(out, force, try_writing=False)
                return _replace_directory(Path(out), fill)
        return _replace_file(Path(out), fill)
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
    tmp, old = _make_temporary(out, NEW), None
    try:
        fill(tmp)
        tmp.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; results are not
        sync_tree(tmp)  # on disk before the old result may go (a power cut, not only a kill)
        old = _set_aside(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists():
            os.replace(old, out)  # the new one did not go in: the old one comes back
        raise
    if old is not None:
        _discard(out, old)
    return out


def sync_tree(folder: Path) -> None:
    """Flush every file under ``folder``, then the folders themselves, to the disk."""
    for path in sorted(folder.rglob("*"), key=lambda p: p.is_dir()):
        _fsync(path)
    _fsync(folder)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_aside(out: Path) -> Path | None:
    """Rename an existing ``out`` aside (it is deleted once the new one is in place)."""
    if not out.exists():
        return None
    old = _make_temporary(out, OLD)
    try:
        os.replace(out, old)  # onto the empty directory just made: atomic
    except BaseException:
        old.rmdir()
        raise
    return old


def _discard(out: Path, old: Path) -> None:
    """Delete a replaced result: first renamed to a kind that recovery never puts back."""
    try:
        doomed = _make_temporary(out, DEL)
        os.replace(old, doomed)
    except OSError:  # the new result is in place whatever happens here
        doomed = old
    shutil.rmtree(doomed, ignore_errors=True)


def temporary_prefix(name: str, kind: str) -> str:
    """The start of the name of a temporary directory of ``kind`` beside result ``name``."""
    return f".{name}.{kind}-{os.getpid()}-"


def _make_temporary(out: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=temporary_prefix(out.name, kind), dir=out.parent))


def leftovers(out: Path) -> list[tuple[Path, str]]:
    """``out``'s temporary directories: (path, kind)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.({NEW}|{OLD}|{DEL}|{TRY})-\d+-[a-z0-9_]{{8}}")
    return [(p, m.group(1)) for p in out.parent.glob(f".{glob_escape(out.name)}.*")
            if (m := pattern.fullmatch(p.name)) and p.is_dir()]


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters escaped."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def recover(out: Path) -> None:
    """Clean up after processes that died while writing ``out`` (call it holding ``out``'s
    lock): put back an old result that was renamed aside and not replaced, remove every other
    leftover."""
    for path, kind in sorted(leftovers(out), key=lambda found: found[1] != OLD):
        if kind == OLD and not out.exists():
            os.replace(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
