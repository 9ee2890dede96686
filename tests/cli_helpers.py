"""Helpers shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from resettle import cli


def call(argv: list[str]) -> int:
    """``cli.main(argv)``'s exit status, also when argparse exits through SystemExit."""
    try:
        return cli.main(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The single ``resettle: error:`` line on stderr (and nothing on stdout)."""
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, f"stderr is not one line: {captured.err!r}"
    assert lines[0].startswith("resettle: error: ")
    assert "Traceback" not in captured.err
    assert captured.out == ""
    return lines[0]


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> content), and every directory."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def occupied_dir(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An existing, non-empty output directory under ``tmp_path``, and a listing of
    ``tmp_path`` to check later that nothing changed."""
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "keep.txt").write_text("precious", "utf-8")
    (out / "sub" / "data.bin").write_bytes(b"\x00\x01")
    return out, listing(tmp_path)
