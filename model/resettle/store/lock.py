"""One process at a time per output directory.

``with output_lock(out): ...`` holds an exclusive ``flock`` on ``.<name>.lock`` beside the
directory (``out`` itself may not exist yet, or be replaced whole). A second process that
wants the same directory gets one line naming the holder's process id and when it started,
and exit status 2. The operating system releases the lock when its process dies, however it
dies, so a lock left by a killed process is stale by construction: the next process takes it
over (the file's contents are only the message). Locks are advisory and local to one
machine's view of the file system; on network file systems without ``flock`` the lock is
a best effort.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from resettle.errors import OutputError
from resettle.store.atomic import check_name_length, make_parent, reason
from resettle.store.provenance import now


def lock_path(out: Path) -> Path:
    """Where ``out``'s lock lives: beside it."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold ``out``'s lock for the ``with`` block; refuse in one line if another process
    holds it."""
    out = Path(out)
    path = lock_path(out)
    check_name_length(out)
    make_parent(out)
    try:
        fd = _acquire(path, out)
    except OSError as err:
        raise OutputError(f"{out}: cannot create its lock file {path.name} ({reason(err)}); "
                          "choose another --out") from None
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
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
