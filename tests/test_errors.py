"""One error family: every mistake a user can make is a ResettleError, printed by the command
line's one handler as a single line with exit status 2."""

from __future__ import annotations

import pytest

import resettle
from cli_helpers import call, one_error_line
from resettle.cli import commands
from resettle.errors import (
    FontError,
    OutputError,
    ResettleError,
    ScenarioError,
    SchedulerError,
    SweepError,
)

KINDS = (ScenarioError, OutputError, FontError, SchedulerError, SweepError)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_kind_is_a_resettle_error(kind: type) -> None:
    assert issubclass(kind, ResettleError) and issubclass(kind, ValueError)
    err = kind("[levers] x: bad").with_file("a.toml")
    assert type(err) is kind and str(err) == "a.toml: [levers] x: bad"
    assert str(err.with_file("a.toml")) == str(err)  # the file is named once


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_the_cli_prints_each_kind_as_one_line(kind: type, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def fail(args):
        raise kind(f"{kind.__name__}: what went wrong")

    monkeypatch.setitem(commands.COMMANDS, "params", fail)
    assert call(["params"]) == 2
    assert one_error_line(capsys) == f"resettle: error: {kind.__name__}: what went wrong"


def test_real_code_raises_the_right_kind(tmp_path, no_cjk_font) -> None:
    """The library's own raises, not stubs: each mistake comes as its own kind."""
    from resettle.experiments.sweep.analyse import load_results
    from resettle.experiments.sweep.runner import reopen
    from resettle.store.atomic import check_destination
    from resettle.text.fonts import check_fonts

    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "x").write_text("x", "utf-8")
    with pytest.raises(OutputError):
        check_destination(tmp_path / "occupied", force=False)
    with pytest.raises(SweepError):
        reopen(tmp_path / "occupied", None)
    with pytest.raises(SweepError):
        load_results(tmp_path / "occupied")
    with pytest.raises(FontError):
        check_fonts(["zh"])
    with pytest.raises(ScenarioError):
        resettle.load_scenario(tmp_path / "missing.toml")


def test_a_programming_error_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(args):
        raise KeyError("a bug, not a user's mistake")

    monkeypatch.setitem(commands.COMMANDS, "params", bug)
    with pytest.raises(KeyError):
        call(["params"])
