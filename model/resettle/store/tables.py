"""Writing a table in the format a user chose (``resettle run --format``)."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("parquet", "csv")


def write_table(frame, path: Path, fmt: str) -> str:
    """Write ``frame`` to ``path`` with the suffix of ``fmt`` (Parquet or CSV); returns the
    file name."""
    target = path.with_suffix(f".{fmt}")
    if fmt == "csv":
        frame.to_csv(target, index=False)
    else:
        frame.to_parquet(target, index=False)
    return target.name
