"""Shared fixtures: the repository root, its scenarios, and small scenario files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from matplotlib import font_manager

from resettle.text import fonts

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def scenarios_dir(repo: Path) -> Path:
    """The shipped scenario files."""
    return repo / "scenarios"


@pytest.fixture
def make_scenario(tmp_path: Path, scenarios_dir: Path) -> Callable[..., Path]:
    """Write ``[scenario]`` (extending baseline.toml) plus ``body`` to ``tmp_path/<name>.toml``."""

    def make(body: str = "", name: str = "bad", header: str = "") -> Path:
        path = tmp_path / f"{name}.toml"
        base = (scenarios_dir / "baseline.toml").as_posix()
        path.write_text(f'[scenario]\nname = "{name}"\nextends = "{base}"\n{header}\n{body}',
                        "utf-8")
        return path

    return make


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch):
    """A machine with no Chinese font: matplotlib knows none and none can be found."""
    cjk = set(fonts.CJK_FAMILIES)
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [e for e in font_manager.fontManager.ttflist
                         if e.name not in cjk and "CJK" not in e.name])
    monkeypatch.setattr(fonts, "candidate_files", lambda: [])
    fonts.cjk_family.cache_clear()
    yield
    fonts.cjk_family.cache_clear()
