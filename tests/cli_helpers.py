"""Helpers shared by the command-line tests."""

from __future__ import annotations

import re
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


# A number as a report prints it: 12, 0.345, -0.012, +0.010, 3.00e-05. Digits inside a name
# (scheme1, phased-y05, d_z) are not numbers; nor is the second part of a range (16-59 is 16
# and 59, whichever dash joins them); nor is a scheme's number in its name (Scheme 1 is 方案一).
NUMBER = r"(?<![A-Za-z0-9_.])(?<!Scheme )(?:(?<![0-9])[+-])?\d+(?:\.\d+)?(?:e[+-]\d+)?"


def numbers(text: str) -> list[str]:
    """Every number printed in ``text``, sorted (a multiset to compare between reports)."""
    return sorted(re.findall(NUMBER, text))


def md_sections(markdown: str) -> list[tuple[str, str]]:
    """A Markdown report cut at its ``## `` headings: [(heading, body)], the title first."""
    parts = re.split(r"^## (.*)$", markdown, flags=re.M)
    return [("", parts[0]), *zip(parts[1::2], parts[2::2], strict=True)]
