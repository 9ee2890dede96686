"""Reports and figures in Chinese (``--lang zh``) and English: the font, the message catalogue,
the same numbers in both languages, and refusals of a bad --lang.

The compare run here is tiny (2 replications, 2 years) but has everything the report shows:
two milestones, early years, paired differences. switch-year and analyze are checked in their
own test files, on their fixtures.
"""

from __future__ import annotations

import base64
import json
import re
import string
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

import resettle
from cli_helpers import call, md_sections, numbers, one_error_line
from resettle.experiments.compare import DEFAULT_METRICS
from resettle.reports import figures, sweep_figures
from resettle.reports import switch_year as switch_report
from resettle.text import fonts
from resettle.text.labels import LABELS, SCENARIO_NAMES, metric_label
from resettle.text.messages import MESSAGES

CJK = re.compile(r"[\u4e00-\u9fff]")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------
# the font
# --------------------------------------------------------------------------------------------

def synthetic_monthly() -> pd.DataFrame:
    """Two schemes, 3 replications, 25 months of a metric: enough for bands."""
    rng = np.random.default_rng(0)
    rows = [{"scenario": s, "replication": r, "month": m,
             "employment": 0.5 + 0.01 * m * (1 + i) + rng.normal(0, 0.01)}
            for i, s in enumerate(("scheme1", "scheme2")) for r in range(3) for m in range(25)]
    return pd.DataFrame(rows)


def glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught
            if re.search(r"glyph|missing from font", str(w.message), re.I)]


def font_of(text: Text) -> FT2Font:
    """The font face matplotlib draws ``text`` with (its first family that exists)."""
    path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
    return FT2Font(path, face_index=getattr(path, "face_index", 0))


def test_cjk_family_is_a_simplified_chinese_face() -> None:
    """The family is registered with matplotlib, and the face it resolves to (in a .ttc, the
    SC face, not the first) has every character of the Chinese labels and messages."""
    family = fonts.cjk_family()
    assert family in {e.name for e in font_manager.fontManager.ttflist}
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    face = FT2Font(path, face_index=getattr(path, "face_index", 0))
    assert face.family_name == family
    charmap = face.get_charmap()
    missing = [c for c in fonts.sample_text() if ord(c) not in charmap]
    assert not missing, missing
    if family.startswith("Noto Sans CJK"):
        assert family == "Noto Sans CJK SC"  # simplified glyph forms, as planners read
    assert fonts.font_families("zh") == [family, "DejaVu Sans"]


def test_chinese_figure_renders_without_missing_glyphs(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A zh figure: no missing-glyph warning, every Chinese text drawn with a font that has
    its glyphs, and the global rcParams untouched afterwards."""
    before = list(matplotlib.rcParams["font.family"])
    drawn: list = []
    real_close = plt.close
    monkeypatch.setattr(plt, "close", lambda fig=None: drawn.append(fig))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = figures.metric_over_time(synthetic_monthly(), "employment",
                                        tmp_path / "zh.png", lang="zh")
    monkeypatch.setattr(plt, "close", real_close)
    assert not glyph_warnings(caught), glyph_warnings(caught)[:3]
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert list(matplotlib.rcParams["font.family"]) == before
    (fig,) = drawn
    texts = [t for t in fig.findobj(Text) if CJK.search(t.get_text())]
    shown = {t.get_text() for t in texts}
    assert {"方案一（过渡型）", "方案二（规范型）", "年", metric_label("employment", "zh")} <= shown
    for t in texts:
        charmap = font_of(t).get_charmap()
        assert all(ord(c) in charmap for c in CJK.findall(t.get_text())), t.get_text()
    real_close(fig)


def test_the_glyph_check_can_fail(tmp_path: Path) -> None:
    """Control: the same Chinese text drawn without the CJK font does warn, so the test above
    would see a missing glyph."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title(metric_label("employment", "zh"))
        fig.savefig(tmp_path / "plain.png")
        plt.close(fig)
    assert glyph_warnings(caught)


def every_figure(folder: Path) -> list[Path]:
    """Every figure function of the reports, drawn in Chinese from small synthetic inputs."""
    rng = np.random.default_rng(1)
    monthly = synthetic_monthly()
    subscores = [f"maturity_{s}" for s in ("structure", "routine", "cadres")]
    for col in [*subscores, "stability"]:
        monthly[col] = rng.uniform(0, 1, len(monthly))
    switch = pd.DataFrame({"switch_year": [0, 1, 2] * 2, "metric": ["stability"] * 3
                           + ["fee_collection"] * 3, "mean": rng.uniform(0.4, 0.6, 6)})
    switch = switch.assign(low=switch["mean"] - 0.05, high=switch["mean"] + 0.05)
    targets = ["fee_compliance|difference", "attitude|scheme2"]
    sobol = pd.DataFrame([{"target": t, "parameter": p, **{f"{k}{s}": v for k in ("first", "total")
                                                           for s, v in (("", 0.5), ("_low", 0.3),
                                                                        ("_high", 0.7))}}
                          for t in targets for p in ("enforcement_probability", "startup_town")])
    morris = sobol[["target", "parameter"]].assign(mu_star=[0.1, 0.5, 0.2, 0.3],
                                                   sigma=[0.05, 0.2, 0.1, 0.1])
    points = pd.DataFrame({"point": range(8), "a": rng.uniform(size=8),
                           "b": ["x", "y"] * 4})
    values = pd.Series(rng.normal(size=8), index=range(8))
    trajectory = pd.DataFrame({"coverage": [1, 0.8, 0.6], "density": [0.5, 0.7, 0.9],
                               "n_restricted": [0, 1, 2]})
    label = metric_label("fee_compliance", "zh")
    return [
        figures.paired_differences(monthly, "employment", "scheme1", folder / "d.png",
                                   lang="zh"),
        figures.maturity_subscores(monthly, subscores, folder / "m.png", lang="zh"),
        figures.end_distributions(monthly, ["employment", "stability"], folder / "e.png",
                                  lang="zh"),
        switch_report.switch_year_tradeoff(switch, ["stability", "fee_collection"],
                                     folder / "s.png", lang="zh"),
        sweep_figures.sobol_bars(sobol, targets, folder / "sobol.png", lang="zh"),
        sweep_figures.morris_scatter(morris, targets, folder / "morris.png", lang="zh"),
        sweep_figures.response_scatter(points, values, ["a", "b"], label, folder / "r.png",
                                       lang="zh"),
        sweep_figures.prim_tradeoff(trajectory, 2, label, folder / "p.png", lang="zh"),
    ]


def test_every_chinese_figure_has_its_glyphs(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = every_figure(tmp_path)
    assert not glyph_warnings(caught), glyph_warnings(caught)[:3]
    assert all(p.read_bytes()[:8] == PNG_MAGIC for p in paths)


def test_every_chinese_dashboard_figure_has_its_glyphs(tmp_path: Path) -> None:
    """The dashboard's four panels in Chinese (every colour mode, organisations after a
    switch) draw every character."""
    from resettle.dashboard import page as app
    from resettle.dashboard.model import DashboardModel

    model = DashboardModel(scenario_name="phased")
    for _ in range(12 * model.params.switch_year + 2):
        model.step()
    with warnings.catch_warnings(record=True) as caught, fonts.use_font("zh"):
        warnings.simplefilter("always")
        figs = [app.lines_figure(model, "zh", app.headline_lines(), "主要指标"),
                app.lines_figure(model, "zh", app.maturity_lines(), "组织成熟度"),
                app.organisations_figure(model, "zh"),
                *(app.residents_figure(model, mode, "zh") for mode in app.COLOUR_MODES)]
        for i, fig in enumerate(figs):
            fig.savefig(tmp_path / f"{i}.png")
    assert not glyph_warnings(caught), glyph_warnings(caught)[:3]
    assert len(list(tmp_path.glob("*.png"))) == 6


def test_missing_font_is_one_clear_error(no_cjk_font, scenarios_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """No Chinese font: --lang zh stops before running anything, saying what to install."""
    with pytest.raises(fonts.FontError, match="fonts-noto-cjk"):
        fonts.cjk_family()
    out = tmp_path / "out"
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), "--reps", "2", "--years", "1",
            "--metrics", "attitude", "--out", str(out), "--quiet", "--lang", "en,zh"]
    assert call(argv) == 2
    line = one_error_line(capsys)
    assert "fonts-noto-cjk" in line and "Chinese font" in line
    assert list(tmp_path.iterdir()) == []
    assert call([*argv[:-1], "en"]) == 0  # English needs no Chinese font


# --------------------------------------------------------------------------------------------
# the catalogue
# --------------------------------------------------------------------------------------------

def fields(template: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(template)
                  if name is not None)


def literal(template: str) -> str:
    return "".join(lit for lit, *_ in string.Formatter().parse(template))


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_messages_agree_across_languages(key: str) -> None:
    """Both languages fill the same fields with the same number formats, and print the same
    literal numbers (95%, 3 years, 0..1): the reports' numbers cannot drift apart."""
    message = MESSAGES[key]
    assert set(message) == {"en", "zh"}
    assert fields(message["en"]) == fields(message["zh"])
    assert numbers(literal(message["en"])) == numbers(literal(message["zh"]))
    if CJK.search(literal(message["en"])):
        pytest.fail(f"{key}: Chinese in the English text")


def test_chinese_labels_cover_every_english_one() -> None:
    assert set(LABELS["zh"]) == set(LABELS["en"])
    assert set(SCENARIO_NAMES["zh"]) == set(SCENARIO_NAMES["en"])
    for table in (LABELS["zh"], SCENARIO_NAMES["zh"]):
        for key, value in table.items():
            assert key == "baseline" or CJK.search(value), key
    assert SCENARIO_NAMES["zh"]["scheme1"].startswith("方案一")
    assert SCENARIO_NAMES["zh"]["scheme2"].startswith("方案二")


# --------------------------------------------------------------------------------------------
# scenario files: descriptions in Chinese
# --------------------------------------------------------------------------------------------

def test_shipped_scenarios_have_chinese_descriptions(scenarios_dir: Path) -> None:
    for name in ("baseline", "scheme1", "scheme2", "phased"):
        s = resettle.load_scenario(scenarios_dir / f"{name}.toml")
        assert s.description_zh and CJK.search(s.description_zh), name


def test_chinese_description_follows_the_english_one(make_scenario) -> None:
    """Inherited together; a file with its own English description and no Chinese one gets
    none (not its parent's, which would describe another scenario); text only."""
    inherits = resettle.load_scenario(make_scenario(name="inherits"))
    assert inherits.description_zh == resettle.load_scenario(
        Path(inherits.files[0])).description_zh
    own = resettle.load_scenario(make_scenario(name="own", header='description = "mine"'))
    assert own.description == "mine" and own.description_zh is None
    both = resettle.load_scenario(make_scenario(
        name="both", header='description = "mine"\ndescription_zh = "我的"'))
    assert both.description_zh == "我的"
    with pytest.raises(resettle.ScenarioError, match="description_zh: expected text"):
        resettle.load_scenario(make_scenario(name="bad", header="description_zh = 3"))


# --------------------------------------------------------------------------------------------
# resettle compare --lang en,zh
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def both(scenarios_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``resettle compare scheme1 scheme2 --lang en,zh``, tiny: the output directory."""
    out = tmp_path_factory.mktemp("lang") / "out"
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            "--reps", "2", "--years", "2", "--milestones", "1,2", "--seed", "3",
            "--workers", "1", "--out", str(out), "--quiet", "--lang", "en,zh"]
    assert call(argv) == 0
    return out


def test_compare_writes_a_report_per_language(both: Path) -> None:
    for name in ("report.md", "report.html", "report.zh.md", "report.zh.html"):
        assert (both / name).is_file(), name
    root_figs = sorted(p.name for p in both.glob("*.png"))
    assert root_figs and sorted(p.name for p in (both / "zh").glob("*.png")) == root_figs
    for name in root_figs:  # the same figure, drawn with other words
        assert (both / "zh" / name).read_bytes()[:8] == PNG_MAGIC
        assert (both / "zh" / name).read_bytes() != (both / name).read_bytes(), name
    manifest = json.loads((both / "manifest.json").read_text("utf-8"))
    assert manifest["languages"] == ["en", "zh"]
    assert manifest["reports"] == {"en": "report.md", "zh": "report.zh.md"}
    assert list(pd.read_csv(both / "summary.csv").columns)[:3] == ["metric", "year", "scenario"]


def test_zh_report_is_in_chinese(both: Path) -> None:
    md = (both / "report.zh.md").read_text("utf-8")
    assert md.startswith("# 方案比较：方案一（过渡型）、方案二（规范型）\n")
    headings = re.findall(r"^#+ (.*)$", md, re.M)
    assert headings[1] == "摘要"
    for metric in DEFAULT_METRICS:
        assert metric_label(metric, "zh") in headings, metric
        for heading in headings:
            assert metric_label(metric, "en") not in heading, heading
    assert "方案一" in md and "方案二" in md
    summary = md_sections(md)[1][1]
    bullets = [line for line in summary.splitlines() if line.startswith("- ")]
    assert bullets and all(CJK.search(b) and "95% 置信区间" in b for b in bullets)
    assert not re.search(r"\b(raises|lowers|compared with|do not differ)\b", md)
    assert "](zh/fig_attitude.png)" in md  # figures linked from the report's folder
    html = (both / "report.zh.html").read_text("utf-8")
    assert "<html lang='zh-CN'>" in html and "<h2>摘要</h2>" in html


def test_zh_and_en_reports_carry_the_same_numbers(both: Path) -> None:
    """Section by section, the same numbers (as printed) in both reports. The scenario list
    is left out: its descriptions are free text from the scenario files ("Scheme 1" has a
    digit that "方案一" has not)."""
    en = md_sections((both / "report.md").read_text("utf-8"))
    zh = md_sections((both / "report.zh.md").read_text("utf-8"))
    assert len(en) == len(zh)
    assert [h for h, _ in en][1:3] == ["Summary", "Scenarios"]
    compared = 0
    for (head_en, body_en), (head_zh, body_zh) in zip(en, zh, strict=True):
        if head_en == "Scenarios":
            continue
        assert numbers(head_en) == numbers(head_zh), head_en
        assert numbers(body_en) == numbers(body_zh), head_en
        compared += len(numbers(body_en))
    assert compared > 300  # the summary, every evidence table, precision, the parameters
    summary = pd.read_csv(both / "summary.csv")
    evidence = dict(en)["Evidence by metric and milestone year"]
    for value in summary["mean"]:
        assert f"| {value:.3f} |" in evidence


def test_zh_html_embeds_the_chinese_figures(both: Path) -> None:
    html = (both / "report.zh.html").read_text("utf-8")
    embedded = {base64.b64decode(s) for s in re.findall(r"base64,([^'\"]+)", html)}
    assert embedded == {p.read_bytes() for p in (both / "zh").glob("*.png")}


# --------------------------------------------------------------------------------------------
# bad --lang
# --------------------------------------------------------------------------------------------

def commands(scenarios_dir: Path, tmp_path: Path) -> dict[str, list[str]]:
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    return {"compare": ["compare", str(scenarios_dir / "scheme1.toml"), "--reps", "2"],
            "switch-year": ["switch-year", str(scenarios_dir / "phased.toml"), "--reps", "2"],
            "analyze": ["analyze", str(sweep)]}


@pytest.mark.parametrize("command", ["compare", "switch-year", "analyze"])
@pytest.mark.parametrize("value", ["fr", "en,fr", "", "zh-CN"])
def test_bad_lang_is_refused(command: str, value: str, scenarios_dir: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """One line naming --lang and the allowed values, exit 2, nothing written (not even the
    default outputs/ folder)."""
    argv = commands(scenarios_dir, tmp_path)[command]
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert call([*argv, "--lang", value]) == 2
    line = one_error_line(capsys)
    assert "--lang" in line and "en" in line and "zh" in line, line
    assert repr(value) in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_lang_list_is_deduplicated() -> None:
    from resettle.cli import build_parser

    args = build_parser().parse_args(["compare", "a.toml", "--lang", "zh, en,zh"])
    assert args.lang == ["zh", "en"]
    assert build_parser().parse_args(["analyze", "d"]).lang == ["en"]
