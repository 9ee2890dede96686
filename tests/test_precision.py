"""``compare --precision H`` (issue 13, item 5): replications in rounds until every reported CI
half-width is at most H, within a least and a most N, with the stopping rule stated.

Runs are 1-year, two schemes, two metrics: a round of N costs about 2N short runs.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest

from cli_helpers import call, md_sections, numbers, one_error_line
from resettle.experiments.compare import run_comparison, run_to_precision, widest_half_width
from resettle.experiments.precision import MAX_GROWTH, round_message
from resettle.params.scenario import load_scenarios

SEED = 3
METRICS = ["attitude", "fee_compliance"]


@pytest.fixture(scope="module")
def schemes(scenarios_dir: Path):
    return load_scenarios([scenarios_dir / "scheme1.toml", scenarios_dir / "scheme2.toml"],
                          years=1)


@pytest.fixture(scope="module")
def rounds_run(schemes):
    """A target the first round cannot meet: at least two rounds, up to 40 replications."""
    return run_to_precision(schemes, 0.004, SEED, workers=1, metrics=METRICS, milestones=[1],
                            progress=False, least=4, most=40)


def test_the_rounds_grow_and_stop_by_the_rule(rounds_run) -> None:
    ns = [n for n, _ in rounds_run.rounds]
    widths = [w for _, w in rounds_run.rounds]
    assert len(ns) >= 2 and ns[0] == 4 and ns[-1] == rounds_run.reps
    assert all(a < b <= MAX_GROWTH * a for a, b in itertools.pairwise(ns))
    assert all(w > 0.004 for w in widths[:-1])  # it went on only while the target was missed
    assert widths[-1] <= 0.004 or ns[-1] == 40  # it stopped at the target or at the most
    assert widths[-1] == widest_half_width(rounds_run)


def test_the_result_is_a_plain_comparison_at_the_final_n(rounds_run, schemes) -> None:
    plain = run_comparison(schemes, rounds_run.reps, SEED, 1, METRICS, [1], progress=False)
    for table in ("monthly", "summary", "early", "precision"):
        pd.testing.assert_frame_equal(getattr(rounds_run, table), getattr(plain, table))
    assert rounds_run.seeds == plain.seeds


def test_a_target_met_at_once_is_one_round(schemes, capsys: pytest.CaptureFixture[str]) -> None:
    comp = run_to_precision(schemes, 1.0, SEED, workers=1, metrics=METRICS[:1],
                            milestones=[1], progress=True, least=3, most=40)
    assert [n for n, _ in comp.rounds] == [3] and comp.reps == 3
    lines = [line for line in capsys.readouterr().err.splitlines() if "precision round" in line]
    assert lines == [round_message(comp.rounds, 1.0, 3, 40)]
    assert lines[0].startswith("precision round 1: N = 3, widest 95% half-width ")
    assert lines[0].endswith("(target 1; Monte-Carlo noise only): target reached")


def test_each_round_says_what_comes_next() -> None:
    going_on = round_message([(4, 0.02)], 0.01, 4, 40)
    assert going_on == ("precision round 1: N = 4, widest 95% half-width 0.02 (target 0.01; "
                        "Monte-Carlo noise only): next round N = 16")
    assert round_message([(4, 0.02), (16, 0.009)], 0.01, 4, 40).endswith(": target reached")
    assert round_message([(4, 0.02), (16, 0.02)], 0.01, 4, 16).endswith(
        ": not reached at --max-reps 16")


def test_the_report_states_the_rounds_and_the_rule_in_both_languages(
        scenarios_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert call(["compare", str(scenarios_dir / "scheme1.toml"),
                 str(scenarios_dir / "scheme2.toml"), "--years", "1", "--precision", "1e-6",
                 "--min-reps", "3", "--max-reps", "6", "--metrics", "attitude",
                 "--milestones", "1", "--workers", "1", "--quiet", "--lang", "en,zh",
                 "--out", str(out)]) == 0
    assert "precision round" not in capsys.readouterr().err  # --quiet: no round lines
    en = dict(md_sections((out / "report.md").read_text("utf-8")))["Monte-Carlo precision"]
    zh = dict(md_sections((out / "report.zh.md").read_text("utf-8")))["蒙特卡洛精度"]
    assert "N = 3 (widest" in en and "N = 6 (widest" in en
    assert "was not reached" in en and "Chow & Robbins 1965" in en
    assert "Monte-Carlo (replication) noise only" in en
    assert numbers(en) == numbers(zh)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["replications"] == 6 and manifest["precision_target"] == 1e-6
    assert [r["n"] for r in manifest["precision_rounds"]] == [3, 6]
    assert manifest["precision_reps_bounds"] == [3, 6]


@pytest.mark.parametrize(("extra", "words"), [
    (["--precision", "0.01", "--reps", "5"], "not both"),
    (["--precision", "0.01", "--min-reps", "20", "--max-reps", "10"], "--max-reps 10"),
    (["--precision", "0"], "must be a number > 0"),
    (["--precision", "inf"], "must be a number > 0"),
    (["--precision", "x"], "expected a number"),
    (["--max-reps", "50"], "only with --precision"),
])
def test_bad_precision_options_are_one_line(extra: list[str], words: str, scenarios_dir: Path,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert call(["compare", str(scenarios_dir / "scheme1.toml"), *extra]) == 2
    assert words in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
