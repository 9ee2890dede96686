"""``resettle switch-year``: a phased scenario run for each switch year, paired by seed.

The shipped phased.toml has a 15-year horizon and switches after year 5; the tests use a base
file that extends it with a 2-year horizon and a switch after year 1, so that a run of every
switch year (0, 1, 2) with 3 replications takes a few seconds.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

import resettle
from cli_helpers import call, listing, numbers, one_error_line
from resettle.experiments.compare import DEFAULT_METRICS
from resettle.experiments.run import run_scenarios
from resettle.experiments.switch_year import AFTER_METRICS
from resettle.sim.seeds import replication_seeds

SEED, REPS, HORIZON, NAME = 4, 3, 2, "phased-short"
YEARS = [0, 1, 2]
AT, AFTER = "at horizon", "3 years after switch"




def write_base(folder: Path, scenarios_dir: Path, switch: bool = True) -> Path:
    """A 2-year phased scenario switching to scheme2.toml after year 1 (or not at all)."""
    path = folder / ("base.toml" if switch else "no_switch.toml")
    parent = scenarios_dir / ("phased.toml" if switch else "scheme1.toml")
    text = (f'[scenario]\nname = "{NAME}"\nextends = "{parent.as_posix()}"\n'
            f"horizon_years = {HORIZON}\n")
    if switch:
        text += f'\n[switch]\nyear = 1\nto = "{(scenarios_dir / "scheme2.toml").as_posix()}"\n'
    path.write_text(text, "utf-8")
    return path


def switch_args(base: Path, out: Path, years: str = "0,1,2", reps: int = REPS) -> list[str]:
    return ["switch-year", str(base), "--years", years, "--reps", str(reps), "--seed", str(SEED),
            "--workers", "1", "--out", str(out), "--quiet"]


def runs_of(monthly: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """One variant's rows, in run order, without the scenario column."""
    rows = monthly[monthly["scenario"] == scenario]
    return rows.drop(columns="scenario").reset_index(drop=True)


@pytest.fixture(scope="module")
def base_file(scenarios_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_base(tmp_path_factory.mktemp("base"), scenarios_dir)


@pytest.fixture(scope="module")
def study(base_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """``resettle switch-year base.toml --years 0,1,2 --reps 3``: (exit status, --out)."""
    out = tmp_path_factory.mktemp("study") / "out"
    return call(switch_args(base_file, out)), out


@pytest.fixture(scope="module")
def monthly(study: tuple[int, Path]) -> pd.DataFrame:
    return pd.read_parquet(study[1] / "monthly.parquet")


@pytest.fixture(scope="module")
def table(study: tuple[int, Path]) -> pd.DataFrame:
    return pd.read_csv(study[1] / "switch_year.csv")


def test_base_file_is_what_the_tests_assume(base_file: Path, scenarios_dir: Path) -> None:
    base = resettle.load_scenario(base_file)
    scheme2 = resettle.load_scenario(scenarios_dir / "scheme2.toml")
    assert (base.horizon_years, base.switch_year) == (HORIZON, 1)
    assert base.switch_levers == scheme2.levers
    assert base.levers != scheme2.levers
    assert base.levers.cooperative_mode == "corporate"  # from phased.toml


def test_switch_year_writes_every_file(study: tuple[int, Path]) -> None:
    code, out = study
    assert code == 0
    names = {p.name for p in out.iterdir()}
    expected = {"report.md", "report.html", "switch_year.csv", "switch_year_horizon.png",
                "monthly.parquet", "manifest.json"}
    assert expected <= names, expected - names
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temp dir left


@pytest.mark.parametrize("name", ["switch_year_horizon.png", "switch_year_after.png"])
def test_switch_year_figures_are_drawn(study: tuple[int, Path], name: str) -> None:
    path = study[1] / name
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = mpimg.imread(path)
    assert img.ndim == 3 and min(img.shape[:2]) > 100
    rgb = np.round(img[..., :3] * 255).astype(np.uint32)
    codes = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    assert np.unique(codes).size > 10
    assert float(img[..., :3].std()) > 0.02
    assert np.mean(np.any(img[..., :3] < 0.9, axis=-1)) > 0.005


def test_switch_year_report(study: tuple[int, Path]) -> None:
    _, out = study
    md = (out / "report.md").read_text("utf-8")
    assert md.startswith(f"# When to switch: {NAME}\n")
    assert re.findall(r"^## .*$", md, re.M)[0] == "## Summary"
    assert f"root seed {SEED}" in md and f"{REPS} replications" in md
    assert "(switch_year_horizon.png)" in md
    html_text = (out / "report.html").read_text("utf-8")
    srcs = re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)""", html_text)
    assert len(srcs) == len(list(out.glob("*.png")))
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    embedded = {base64.b64decode(s.split(",", 1)[1]) for s in srcs}
    assert (out / "switch_year_horizon.png").read_bytes() in embedded


def test_switch_year_manifest(study: tuple[int, Path], base_file: Path) -> None:
    _, out = study
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["seeds"] == replication_seeds(SEED, REPS)
    assert manifest["root_seed"] == SEED and manifest["replications"] == REPS
    assert manifest["versions"]["resettle"] == resettle.__version__
    entries = manifest["scenarios"]
    assert [e["name"] for e in entries] == [f"{NAME}-y{y:02d}" for y in YEARS]
    assert [e["switch_year"] for e in entries] == YEARS
    assert all(e["files"][-1]["path"] == str(base_file) for e in entries)
    assert manifest["milestones"] == [HORIZON]


def test_switch_year_table_rows(table: pd.DataFrame) -> None:
    """One row per switch year x metric at the horizon, and after-switch rows whose window
    is three years or what is left of the horizon (stated in window_months)."""
    assert list(table.columns) == ["switch_year", "metric", "when", "window_months", "mean",
                                   "low", "high"]
    after_rows = table[table["when"] == AFTER]
    expected = [min(36, 12 * (HORIZON - y)) for y in after_rows["switch_year"]]
    assert after_rows["window_months"].tolist() == expected
    at = table[table["when"] == AT]
    assert sorted(zip(at["switch_year"], at["metric"], strict=True)) == \
        sorted((y, m) for y in YEARS for m in DEFAULT_METRICS)
    after = table[table["when"] == AFTER]
    assert sorted(zip(after["switch_year"], after["metric"], strict=True)) == \
        sorted((y, m) for y in YEARS if y < HORIZON for m in AFTER_METRICS)
    assert set(table["when"]) == {AT, AFTER}
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()


def test_switch_year_table_values(table: pd.DataFrame, monthly: pd.DataFrame) -> None:
    """Means recomputed from the monthly table: horizon values and the post-switch window."""
    for row in table.itertuples():
        runs = monthly[monthly["scenario"] == f"{NAME}-y{row.switch_year:02d}"]
        assert runs["replication"].nunique() == REPS
        if row.when == AT:
            values = runs.loc[runs["month"] == 12 * HORIZON, row.metric]
        else:
            first = 12 * row.switch_year + 1
            window = runs[runs["month"].between(first, first + 35)]
            values = window.groupby("replication")[row.metric].mean()
        assert row.mean == pytest.approx(values.mean(), rel=1e-12), row


def test_variants_share_seeds(monthly: pd.DataFrame) -> None:
    seeds = replication_seeds(SEED, REPS)
    assert sorted(monthly["scenario"].unique()) == [f"{NAME}-y{y:02d}" for y in YEARS]
    for name, frame in monthly.groupby("scenario"):
        by_rep = frame.groupby("replication")["seed"].agg(["first", "nunique"])
        assert (by_rep["nunique"] == 1).all()
        assert by_rep["first"].tolist() == seeds, name


def test_switch_at_horizon_is_never_switching(base_file: Path, monthly: pd.DataFrame) -> None:
    base = resettle.load_scenario(base_file)
    never = base.replace(switch_year=None, switch_levers=None)
    ref = run_scenarios([never], REPS, SEED, progress=False, snapshots=False).monthly
    pd.testing.assert_frame_equal(runs_of(monthly, f"{NAME}-y{HORIZON:02d}"),
                                  runs_of(ref, NAME))
    # and switching does change something (so the equality above is not vacuous)
    y1 = runs_of(monthly, f"{NAME}-y01")
    assert not np.allclose(y1["maturity"], runs_of(ref, NAME)["maturity"])


def test_switch_at_year_zero_is_scheme2_levers_from_the_start(
        base_file: Path, scenarios_dir: Path, monthly: pd.DataFrame) -> None:
    base = resettle.load_scenario(base_file)
    scheme2 = resettle.load_scenario(scenarios_dir / "scheme2.toml").replace(
        horizon_years=HORIZON)
    assert (base.community, base.uncertainties) == (scheme2.community, scheme2.uncertainties)
    ref = run_scenarios([scheme2], REPS, SEED, progress=False, snapshots=False).monthly
    y00 = runs_of(monthly, f"{NAME}-y00")
    assert (y00["switched"] == (y00["month"] >= 1)).all()  # the one column that tells them apart
    y00 = y00.drop(columns="switched")
    pd.testing.assert_frame_equal(y00, runs_of(ref, "scheme2").drop(columns="switched"))
    plain = dataclasses.replace(base, levers=base.switch_levers, switch_year=None,
                                switch_levers=None)
    ref2 = run_scenarios([plain], REPS, SEED, progress=False, snapshots=False).monthly
    pd.testing.assert_frame_equal(y00, runs_of(ref2, NAME).drop(columns="switched"))


@pytest.fixture(scope="module")
def study_zh(base_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """The study again, with ``--years 0-2`` and ``--lang zh,en``: (exit status, --out)."""
    out = tmp_path_factory.mktemp("study_zh") / "out"
    return call([*switch_args(base_file, out, years="0-2"), "--lang", "zh,en"]), out


def test_year_range_syntax(study: tuple[int, Path], study_zh: tuple[int, Path]) -> None:
    """``--years 0-2`` is ``--years 0,1,2``: the same table, to the last digit (and the
    report language changes no data)."""
    code, out = study_zh
    assert code == 0
    assert (out / "switch_year.csv").read_bytes() == (study[1] / "switch_year.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [e["switch_year"] for e in manifest["scenarios"]] == YEARS


def test_switch_year_report_in_chinese(study: tuple[int, Path],
                                       study_zh: tuple[int, Path]) -> None:
    """--lang zh,en: report.md in Chinese with its figures beside it, report.en.md the English
    report (figures in en/), and the same numbers in both."""
    _, out = study_zh
    zh = (out / "report.md").read_text("utf-8")
    en = (study[1] / "report.md").read_text("utf-8")
    assert (out / "report.en.md").read_text("utf-8").replace("](en/", "](") == en
    assert zh.startswith(f"# 何时切换：{NAME}\n")
    assert re.findall(r"^## (.*)$", zh, re.M) == ["摘要", "表"]
    assert "期末" in zh and "切换后 3 年" in zh and "社区稳定" in zh
    assert "at horizon" not in zh and "Stability" not in zh
    assert numbers(zh) == numbers(en) and len(numbers(en)) > 100
    assert {"switch_year_horizon.png", "switch_year_after.png"} <= \
        {p.name for p in out.glob("*.png")}
    assert {p.name for p in (out / "en").glob("*.png")} == {p.name for p in out.glob("*.png")}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["languages"] == ["zh", "en"]
    assert manifest["reports"] == {"zh": "report.md", "en": "report.en.md"}


def test_base_without_switch_is_refused(scenarios_dir: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    plain = write_base(tmp_path, scenarios_dir, switch=False)
    out = tmp_path / "out"
    before = listing(tmp_path)
    assert call(switch_args(plain, out, years="0,1")) == 2
    line = one_error_line(capsys)
    assert "[switch]" in line and str(plain) in line
    assert not out.exists() and listing(tmp_path) == before


def test_a_triggered_base_is_refused(scenarios_dir: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    triggered = scenarios_dir / "triggered.toml"
    out = tmp_path / "out"
    assert call(switch_args(triggered, out, years="3,5")) == 2
    line = one_error_line(capsys)
    assert "[switch.when]" in line and str(triggered) in line and "resettle compare" in line
    assert not out.exists()


@pytest.mark.parametrize(("years", "words"), [("0,3", "--years 3"), ("1,5-6", "--years 5"),
                                              ("1,1", "distinct"), ("a,b", "--years")])
def test_bad_switch_years_are_refused(base_file: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str], years: str,
                                      words: str) -> None:
    out = tmp_path / "out"
    assert call(switch_args(base_file, out, years=years)) == 2
    line = one_error_line(capsys)
    assert words in line, line
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_missing_base_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    absent = tmp_path / "absent.toml"
    out = tmp_path / "out"
    assert call(switch_args(absent, out)) == 2
    assert "not found" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_metrics_option_is_honoured(base_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert call([*switch_args(base_file, out, years="1,2", reps=2),
                 "--metrics", "attitude,stability"]) == 0
    at = pd.read_csv(out / "switch_year.csv").query("when == @AT")
    assert set(at["metric"]) == {"attitude", "stability"}


def test_unknown_metric_is_refused(base_file: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert call([*switch_args(base_file, out, years="1,2", reps=2),
                 "--metrics", "attitude,nonsense"]) == 2
    assert "nonsense" in one_error_line(capsys)
    assert not out.exists()
