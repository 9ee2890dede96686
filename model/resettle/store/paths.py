"""Output paths: whether a destination can exist at all, before anything is written there.

Shared by :mod:`resettle.store.atomic` (results) and :mod:`resettle.store.lock` (their locks):
a name the file system can hold, and a folder that exists or can be created.
"""

from __future__ import annotations

import os
from pathlib import Path

from resettle.errors import OutputError, reason

# the longest name beside a destination is a temporary one: ".<name>.old-<pid>-<8 random>"
TEMP_NAME_EXTRA_BYTES = len(".") + len(".old-") + 7 + len("-") + 8  # pids up to 7 digits
PATH_MARGIN_BYTES = 64  # the longest path inside a result, beyond its directory (assumption,
# above the longest made: a sweep's shards/part-<20 digits>-<pid>.parquet, about 48 bytes)


def nearest_existing(folder: Path) -> Path:
    """``folder`` or its nearest existing ancestor."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_name_length(out: Path) -> None:
    """Refuse a name (or its temporary sibling's) longer than the file system allows."""
    folder = nearest_existing(out.parent)
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
        path_max = os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    name = len(os.fsencode(out.name))
    if name + TEMP_NAME_EXTRA_BYTES > name_max:
        raise OutputError(f"{out}: the name is too long ({name} bytes; an output directory's "
                          f"name may have at most {name_max - TEMP_NAME_EXTRA_BYTES} on this "
                          "file system); choose a shorter --out")
    if len(os.fsencode(out.absolute())) + PATH_MARGIN_BYTES > path_max:
        raise OutputError(f"{out}: the path is too long (this file system allows {path_max} "
                          f"bytes and a result needs {PATH_MARGIN_BYTES} more); choose a "
                          "shorter --out")


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
