"""`resettle analyze` on small real sweeps: Sobol, Morris, PRIM, report, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import call, numbers, one_error_line
from resettle.experiments.sweep.analyse import analyse_sweep, point_means
from resettle.experiments.sweep.runner import sweep_file

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def spec_text(design: str, samples: int, params: str, reps: int = 1) -> str:
    """A one-year sweep of Scheme 1 vs Scheme 2."""
    return f"""[sweep]
name = "t-{design}"
scenarios = ["{SCENARIOS / 'scheme1.toml'}", "{SCENARIOS / 'scheme2.toml'}"]
design = "{design}"
samples = {samples}
replications = {reps}
seed = 5
horizon_years = 1
metrics = ["fee_compliance", "attitude", "stability"]
{params}"""


FACTORS = """[parameters.enforcement_probability]
range = [0.05, 0.9]
[parameters.startup_town]
range = [0.0, 1000000.0]
"""


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished 8 x (2 + 2) point Sobol sweep (64 one-year runs)."""
    work = tmp_path_factory.mktemp("sobol")
    (work / "spec.toml").write_text(spec_text("sobol", 8, FACTORS), "utf-8")
    outcome = sweep_file(work / "spec.toml", work / "sweep", workers=2)
    assert outcome.complete and outcome.runs == 64
    return work / "sweep"


def test_ignored_parameter_gets_zero_total_index(sobol_sweep: Path) -> None:
    """startup_town moves only the community's balance: its total index is exactly 0 for
    fee compliance, while enforcement's is large (it sets p in p(1+θ))."""
    table = analyse_sweep(sobol_sweep).sensitivity.set_index(["target", "parameter"])
    for target in ("fee_compliance|scheme1", "fee_compliance|scheme2",
                   "fee_compliance|difference"):
        assert table.loc[(target, "startup_town"), "total"] == pytest.approx(0, abs=1e-12)
        assert table.loc[(target, "enforcement_probability"), "total"] > 0.5


def test_point_means_average_replications_and_pair_differences() -> None:
    """Means over replications per point; the difference is scenario 2 - scenario 1."""
    rows = [{"point": p, "scenario": s, "replication": r, "year": 1, "m": v}
            for p, base in ((0, 0.2), (1, 0.6)) for s, shift in (("a", 0.0), ("b", 0.1))
            for r, noise in ((0, -0.05), (1, 0.05)) for v in [base + shift + noise]]
    means = point_means(pd.DataFrame(rows), ("m",), 1)
    np.testing.assert_allclose(means["m|a"], [0.2, 0.6])
    np.testing.assert_allclose(means["m|difference"], [0.1, 0.1])


def test_analyze_cli_writes_report(sobol_sweep: Path, tmp_path: Path) -> None:
    """The command writes the report, the indices table and figures."""
    out = tmp_path / "analysis"
    assert call(["analyze", str(sobol_sweep), "--out", str(out)]) == 0
    assert {"report.md", "report.html", "sensitivity.csv", "sobol.png",
            "point_means.csv"} <= {p.name for p in out.iterdir()}
    assert "Sobol first-order" in (out / "report.md").read_text("utf-8")


def test_analyze_in_chinese_and_english(sobol_sweep: Path, tmp_path: Path) -> None:
    """--lang en,zh: both reports from one analysis, the same numbers, figures in zh/."""
    out = tmp_path / "analysis"
    assert call(["analyze", str(sobol_sweep), "--out", str(out), "--lang", "en,zh"]) == 0
    en = (out / "report.md").read_text("utf-8")
    zh = (out / "report.zh.md").read_text("utf-8")
    assert zh.startswith("# 参数扫描 t-sobol：敏感性分析与情景发现\n")
    assert "全局敏感性" in zh and "物业管理费缴纳率：差值" in zh and "方案一（过渡型）" in zh
    assert "Sobol first-order" in en and "Global sensitivity" not in zh
    assert numbers(zh) == numbers(en) and len(numbers(en)) > 50
    assert (out / "zh" / "sobol.png").is_file() and "](zh/sobol.png)" in zh
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["languages"] == ["en", "zh"] and manifest["year"] == 1


def test_morris_and_prim_on_a_small_sweep(tmp_path: Path) -> None:
    """A Morris sweep gives μ* = 0 for the ignored parameter; PRIM output is well formed."""
    (tmp_path / "spec.toml").write_text(spec_text("morris", 6, FACTORS), "utf-8")
    assert sweep_file(tmp_path / "spec.toml", tmp_path / "sweep", workers=1).complete
    analysis = analyse_sweep(tmp_path / "sweep")
    table = analysis.sensitivity.set_index(["target", "parameter"])
    assert table.loc[("fee_compliance|scheme1", "startup_town"), "mu_star"] == 0
    assert table.loc[("fee_compliance|scheme1", "enforcement_probability"), "mu_star"] > 0
    for found in analysis.discovery.values():
        traj = found.trajectory
        assert (np.diff(traj["coverage"]) <= 1e-12).all()
        assert traj["density"].between(0, 1).all()


def test_analyze_refuses_bad_directories(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Not a sweep, an unfinished sweep, a year not kept: exit 2 with one line."""
    assert call(["analyze", str(tmp_path)]) == 2
    assert "not a sweep directory" in one_error_line(capsys)
    (tmp_path / "spec.toml").write_text(spec_text("latin_hypercube", 2, FACTORS), "utf-8")
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "sweep.json").write_text("{}", "utf-8")
    assert call(["analyze", str(tmp_path / "sweep")]) == 2
    assert "not finished" in one_error_line(capsys)
