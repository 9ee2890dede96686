"""One process at a time per output directory.

``with output_lock(out): ...`` holds an exclusive ``flock`` on ``.<name>.lock`` beside the
directory (``out`` itself may not exist yet, or be replaced whole; a symbolic link is followed,
so two spellings of one directory share a lock). A second process that wants the same
directory gets one line naming the holder's process id and when it started, and exit status 2.
Within one thread the lock is re-entrant: a command holds it from its first check to its last
write, and :func:`resettle.store.atomic.write_atomically` takes it again around the write;
another thread of the same process is refused like another process.

The operating system releases the lock when its process dies, however it dies, so a lock left
by a killed process is stale by construction: the next process takes it over (the file's
contents are only the message). While the lock is held, whatever temporary directory of
``out`` is found beside it was left by a process that died (:func:`resettle.store.atomic.recover`).
Locks are advisory and as good as the file system's ``flock``; on network file systems
without it they are a best effort.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from resettle.errors import OutputError, reason
from resettle.store.paths import check_name_length, make_parent
from resettle.store.provenance import now

HELD: dict[Path, list[int]] = {}  # lock file -> [descriptor, depth, thread] held by this process


def lock_path(out: Path) -> Path:
    """Where ``out``'s lock lives: beside it (links followed)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}.lock"


def holds_lock(out: Path) -> bool:
    """Whether this process holds ``out``'s lock."""
    return lock_path(out) in HELD


@contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold ``out``'s lock for the ``with`` block (re-entrant); refuse in one line if another
    process holds it."""
    out = Path(out)
    check_name_length(out)
    make_parent(out)
    path = lock_path(out)
    if path in HELD:
        if HELD[path][2] != threading.get_ident():
            raise OutputError(f"{out}: in use by another thread of this process; wait for it "
                              "to finish, or choose another --out")
        HELD[path][1] += 1
    else:
        try:
            HELD[path] = [_acquire(path, out), 1, threading.get_ident()]
        except OSError as err:
            raise OutputError(f"{out}: cannot create its lock file {path.name} "
                              f"({reason(err)}); choose another --out") from None
    try:
        yield path
    finally:
        HELD[path][1] -= 1
        if HELD[path][1] == 0:
            fd = HELD.pop(path)[0]
            try:
                path.unlink(missing_ok=True)
            finally:
                os.close(fd)


def _acquire(path: Path, out: Path) -> int:
    """Lock ``path`` (created if need be); retry if another process removed it meanwhile."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise OutputError(f"{out}: in use by another resettle process ({holder}); wait "
                              "for it to finish, or choose another --out") from None
        if _same_file(fd, path):
            _write(fd)
            return fd
        os.close(fd)  # the holder removed the file after we opened it: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _write(fd: int) -> None:
    text = f"process {os.getpid()} on {socket.gethostname()}, since {now()}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8"), 0)


def _read(fd: int) -> str:
    text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    return text or "process unknown"
