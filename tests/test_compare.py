"""Comparing scenarios: common random numbers, worker-independence, seeds, the report
(``resettle compare``) and its refusals of bad input.

Runs are full-size communities over 1–2 years with 2–3 replications, so every comparison takes
a second or two; the statistics themselves are checked on synthetic data in test_stats.py.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

import resettle
from cli_helpers import call, listing, occupied_dir, one_error_line
from resettle.experiments.compare import DEFAULT_METRICS, Comparison, analyse, run_comparison
from resettle.experiments.executors import run_jobs
from resettle.experiments.jobs import make_jobs
from resettle.outcomes import HEADLINE
from resettle.params.scenario import Scenario
from resettle.reports.compare import (
    maturity_decomposition,
    milestone_table,
    precision_paragraph,
    summary_sentences,
    transition_costs,
)
from resettle.sim.seeds import replication_seeds
from resettle.text.labels import metric_label

SEED, REPS, YEARS, MILESTONES = 5, 3, 2, [1, 2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REPORT_FILES = {"report.md", "report.html", "summary.csv", "early_years.csv", "precision.csv",
                "monthly.parquet", "manifest.json"}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------



def assert_png_drawn(path: Path) -> None:
    """``path`` is a PNG with a real picture: many colours, not a blank canvas."""
    assert path.read_bytes()[:8] == PNG_MAGIC, path.name
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100, path.name
    packed = np.ascontiguousarray(np.round(img[..., :3] * 255).astype(np.uint8))
    codes = (packed[..., 0].astype(np.uint32) << 16) | (packed[..., 1].astype(np.uint32) << 8) \
        | packed[..., 2]
    assert np.unique(codes).size > 10, f"{path.name}: nearly one colour"
    assert float(img[..., :3].std()) > 0.02, f"{path.name}: no pixel variance"
    drawn = np.mean(np.any(img[..., :3] < 0.9, axis=-1))
    assert drawn > 0.005, f"{path.name}: almost nothing drawn"


class _Refs(HTMLParser):
    """Collects every src/href attribute and the sources of <img> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href"):
                self.refs.append((tag, name, value or ""))
                if tag == "img" and name == "src":
                    self.images.append(value or "")


def section(markdown: str, heading: str) -> str:
    """The text of the ``## heading`` section of a Markdown report (up to the next ``## ``)."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def s1s2(scenarios_dir: Path, years: int = YEARS) -> list[Scenario]:
    """scheme1 and scheme2 cut to ``years``."""
    return [resettle.load_scenario(scenarios_dir / f"{n}.toml").replace(horizon_years=years)
            for n in ("scheme1", "scheme2")]


# --------------------------------------------------------------------------------------------
# the library: CRN, workers, seeds
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def serial(scenarios_dir: Path) -> Comparison:
    """scheme1 vs scheme2, 2 years, 3 replications, seed 5, in this process."""
    return run_comparison(s1s2(scenarios_dir), reps=REPS, seed=SEED, workers=1,
                          milestones=MILESTONES, progress=False)


def test_self_comparison_is_exactly_zero(scenarios_dir: Path) -> None:
    s = resettle.load_scenario(scenarios_dir / "scheme1.toml").replace(horizon_years=YEARS)
    comp = run_comparison([s, s.replace(name="copy")], reps=3, seed=11, workers=1,
                          milestones=MILESTONES, progress=False)
    monthly = comp.monthly
    a = monthly[monthly["scenario"] == "scheme1"].drop(columns="scenario").reset_index(drop=True)
    b = monthly[monthly["scenario"] == "copy"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)  # common random numbers: the same runs

    rows = comp.summary[comp.summary["scenario"] == "copy"]
    assert sorted(zip(rows["metric"], rows["year"], strict=True)) == \
        sorted((m, y) for m in DEFAULT_METRICS for y in MILESTONES)
    assert (rows["diff"] == 0.0).all()
    assert (rows["diff_low"] == 0.0).all() and (rows["diff_high"] == 0.0).all()
    assert (rows["p_value"] == 1.0).all()
    assert (rows["effect_size"] == 0.0).all()
    base = comp.summary[comp.summary["scenario"] == "scheme1"]
    assert rows["mean"].tolist() == base["mean"].tolist()
    assert base["diff"].isna().all()  # the baseline is not compared with itself

    early = comp.early
    assert sorted(early["metric"]) == sorted(DEFAULT_METRICS)
    assert (early[["diff", "diff_low", "diff_high"]] == 0.0).all().all()
    assert (early["p_value"] == 1.0).all()

    sentences = summary_sentences(comp.summary, comp.early, comp.baseline)
    assert len(sentences) == len(DEFAULT_METRICS)  # no early-years "transition cost" either
    assert all("do not differ clearly" in s and "+0.000 to +0.000" in s for s in sentences)


def test_two_worker_processes_match_one(serial: Comparison, scenarios_dir: Path) -> None:
    pooled = run_comparison(s1s2(scenarios_dir), reps=REPS, seed=SEED, workers=2,
                            milestones=MILESTONES, progress=False)
    pd.testing.assert_frame_equal(pooled.monthly, serial.monthly)
    pd.testing.assert_frame_equal(pooled.summary, serial.summary)
    pd.testing.assert_frame_equal(pooled.early, serial.early)
    pd.testing.assert_frame_equal(pooled.precision, serial.precision)


class ScramblingThreadPool(ThreadPoolExecutor):
    """A thread pool that delays early submissions, so jobs finish out of submission order."""

    def __init__(self, jobs: int, delay: float = 0.25) -> None:
        super().__init__(max_workers=jobs)
        self.jobs, self.delay, self.submitted = jobs, delay, 0
        self.finished: list[int] = []

    def submit(self, fn, /, *args, **kwargs):
        index = self.submitted
        self.submitted += 1

        def delayed():
            time.sleep(self.delay * max(0, self.jobs - 1 - index))
            result = fn(*args, **kwargs)
            self.finished.append(index)
            return result

        return super().submit(delayed)


def test_thread_executor_matches_one_worker(serial: Comparison, scenarios_dir: Path) -> None:
    jobs = make_jobs(s1s2(scenarios_dir), replication_seeds(SEED, REPS), snapshots=False)
    with ScramblingThreadPool(len(jobs)) as pool:
        results = run_jobs(jobs, workers=1, progress=False, executor=pool)
        assert pool.submit(lambda: 42).result() == 42  # run_jobs leaves a given executor open
    assert pool.submitted == len(jobs) + 1
    assert pool.finished[:len(jobs)] != sorted(pool.finished[:len(jobs)])  # really out of order
    monthly = pd.concat([r.monthly for r in results], ignore_index=True)
    pd.testing.assert_frame_equal(monthly, serial.monthly)
    threaded = analyse(Comparison(serial.scenarios, REPS, SEED, serial.seeds, serial.metrics,
                                  serial.milestones, monthly))
    pd.testing.assert_frame_equal(threaded.summary, serial.summary)
    pd.testing.assert_frame_equal(threaded.early, serial.early)


def test_replication_seeds_are_shared(serial: Comparison) -> None:
    seeds = replication_seeds(SEED, REPS)
    assert serial.seeds == seeds and len(set(seeds)) == REPS
    runs = serial.monthly.groupby(["scenario", "replication"])["seed"]
    assert (runs.nunique() == 1).all()
    by_run = runs.first().unstack("scenario")
    assert list(by_run.columns.sort_values()) == ["scheme1", "scheme2"]
    for name in by_run.columns:
        assert by_run[name].tolist() == seeds, name
    assert len(serial.monthly) == 2 * REPS * (12 * YEARS + 1)


def test_differences_are_paired(serial: Comparison) -> None:
    """The summary's diff is the mean of per-replication differences at the milestone."""
    end = serial.monthly[serial.monthly["month"] == 12 * YEARS]
    wide = end.pivot(index="replication", columns="scenario", values="maturity")
    row = serial.summary[(serial.summary["metric"] == "maturity")
                         & (serial.summary["year"] == YEARS)
                         & (serial.summary["scenario"] == "scheme2")].iloc[0]
    assert row["diff"] == pytest.approx((wide["scheme2"] - wide["scheme1"]).mean(), abs=1e-12)
    assert row["diff_low"] <= row["diff"] <= row["diff_high"]
    assert row["n"] == REPS


# --------------------------------------------------------------------------------------------
# summary sentences and report pieces on hand-made numbers
# --------------------------------------------------------------------------------------------

def _summary_rows() -> pd.DataFrame:
    nan = math.nan
    rows = [  # metric, year, scenario, diff, low, high
        ("attitude", 1, "B", -0.09, -0.10, -0.08),  # not the last year: no sentence
        ("attitude", 3, "A", nan, nan, nan),  # the baseline: no sentence
        ("attitude", 3, "B", 0.05, 0.02, 0.08),
        ("fee_collection", 3, "B", -0.10, -0.15, -0.05),
        ("employment", 3, "B", 0.01, -0.01, 0.03),
        ("stability", 3, "B", 0.02, 0.01, 0.03),
        ("stability", 3, "C", -0.02, -0.03, -0.01),
        ("stability", 3, "D", -0.01, -0.015, -0.005),
        ("maturity", 3, "B", -0.004, -0.02, 0.0),  # a CI touching zero is not clear
    ]
    frame = pd.DataFrame(rows, columns=["metric", "year", "scenario", "diff", "diff_low",
                                        "diff_high"])
    frame["mean"] = 0.5
    return frame


def _early_rows() -> pd.DataFrame:
    rows = [  # metric, scenario, diff, low, high
        ("stability", "B", -0.05, -0.07, -0.03),  # opposite to B's clear gain at the horizon
        ("stability", "C", -0.03, -0.05, -0.01),  # same sign, 1.5x C's horizon loss: dropped
        ("stability", "D", -0.04, -0.05, -0.03),  # same sign but 4x D's horizon loss: kept
        ("attitude", "B", 0.03, 0.01, 0.05),  # same sign as the horizon gain: dropped
        ("employment", "B", -0.02, -0.03, -0.01),  # horizon effect unclear: kept
        ("fee_collection", "B", 0.001, -0.01, 0.01),  # early effect unclear: dropped
    ]
    frame = pd.DataFrame(rows, columns=["metric", "scenario", "diff", "diff_low", "diff_high"])
    frame.insert(1, "years", "1-3")
    return frame


def test_summary_sentences_read_the_intervals() -> None:
    sentences = summary_sentences(_summary_rows(), _early_rows(), "A")
    by_start = {s.split(",")[0] for s in sentences}
    assert by_start == {"By year 3", "In years 1-3"}
    horizon = [s for s in sentences if s.startswith("By year 3")]
    assert len(horizon) == 7  # every non-baseline row of the last year, and only those

    def one(words: str) -> str:
        found = [s for s in horizon if words in s]
        assert len(found) == 1, (words, horizon)
        return found[0]

    att = one(metric_label("attitude").lower())
    assert "B raises" in att and "by 0.050" in att and "95% CI +0.020 to +0.080" in att
    assert "compared with A" in att
    fee = one(metric_label("fee_collection").lower())
    assert "B lowers" in fee and "by 0.100" in fee and "95% CI -0.150 to -0.050" in fee
    emp = one(metric_label("employment").lower())
    assert "B and A do not differ clearly" in emp
    assert "+0.010" in emp and "95% CI -0.010 to +0.030" in emp
    assert "raises" not in emp and "lowers" not in emp
    mat = one(metric_label("maturity").lower())
    assert "do not differ clearly" in mat and "95% CI -0.020 to +0.000" in mat
    assert "B raises stability by 0.020" in " ".join(horizon)
    assert "C lowers stability by 0.020" in " ".join(horizon)
    assert "0.090" not in " ".join(sentences)  # year 1 is not the summary year

    early = [s for s in sentences if s.startswith("In years 1-3")]
    assert len(early) == 3
    assert any("D lowers stability by 0.040" in s for s in early)
    assert any("B lowers stability by 0.050 (95% CI -0.070 to -0.030)" in s for s in early)
    assert any("B lowers employment" in s and "by 0.020" in s for s in early)


def test_transition_costs_keep_only_effects_against_the_horizon() -> None:
    summary = _summary_rows()
    horizon = summary[(summary["year"] == 3) & (summary["scenario"] != "A")]
    kept = transition_costs(_early_rows(), horizon)
    assert sorted(zip(kept["metric"], kept["scenario"], strict=True)) == \
        [("employment", "B"), ("stability", "B"), ("stability", "D")]
    assert list(kept.columns) == list(_early_rows().columns)
    # the same early effect is kept once the horizon effect turns the other way...
    flipped = horizon.copy()
    at = (flipped["metric"] == "attitude") & (flipped["scenario"] == "B")
    flipped.loc[at, ["diff", "diff_low", "diff_high"]] = [-0.05, -0.08, -0.02]
    assert ("attitude", "B") in set(zip(*transition_costs(_early_rows(), flipped)[
        ["metric", "scenario"]].T.values, strict=True))
    # ...and nothing is kept from an empty early table
    assert transition_costs(_early_rows().iloc[:0], horizon).empty


def _tiny_comparison() -> Comparison:
    scenarios = [Scenario(name="A", horizon_years=3), Scenario(name="B", horizon_years=3)]
    summary = pd.DataFrame({
        "metric": ["attitude"] * 2 + ["maturity"] * 2, "year": [3, 3, 3, 3],
        "scenario": ["A", "B", "A", "B"], "n": [4] * 4, "mean": [0.3, 0.35, 0.5, 0.45],
        "low": [0.25, 0.31, 0.48, 0.43], "high": [0.36, 0.4, 0.52, 0.47],
        "diff": [math.nan, 0.05, math.nan, -0.05], "diff_low": [math.nan, 0.02, math.nan, -0.07],
        "diff_high": [math.nan, 0.08, math.nan, -0.03], "p_value": [math.nan, 0.125] * 2,
        "effect_size": [math.nan, 1.5, math.nan, -2.0],
        "effect_label": [math.nan, "large", math.nan, "large"]})
    precision = pd.DataFrame({
        "metric": ["attitude", "attitude", "fee_collection", "fee_collection"],
        "year": [3, 3, 3, 3], "scenario": ["A", "B", "A", "B"], "n": [4] * 4,
        "half_width": [0.004, 0.006, math.nan, 0.03],
        "enough": [True, True, False, False], "required_n": [2, 3, 5, 40]})
    return Comparison(scenarios, 4, 9, replication_seeds(9, 4), ["attitude", "maturity"], [3],
                      pd.DataFrame(), summary=summary, precision=precision)


def test_milestone_table_formats_the_evidence() -> None:
    table = milestone_table(_tiny_comparison(), "maturity")
    assert table["scenario"].tolist() == ["A", "B"]
    assert table["95% CI"].tolist() == ["0.480–0.520", "0.430–0.470"]
    assert table["diff 95% CI"].tolist() == ["–", "-0.070 to -0.030"]
    assert table["effect"].tolist() == ["–", "large"]
    assert "diff vs A" in table.columns


def test_precision_paragraph_names_the_widest_interval() -> None:
    text = precision_paragraph(_tiny_comparison())
    assert "N = 4 replications" in text
    assert "0.0300 (Fee collection, year 3, B)" in text
    assert "not enough" in text and "N = 40" in text
    comp = _tiny_comparison()
    comp.precision = comp.precision.iloc[:2]
    text = precision_paragraph(comp)
    assert "N was enough for every mean." in text and "0.0060 (" in text


# --------------------------------------------------------------------------------------------
# resettle compare: the report directory
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compared(scenarios_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """``resettle compare scheme1 scheme2`` with tiny settings: (exit status, --out)."""
    out = tmp_path_factory.mktemp("compare") / "out"
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            "--reps", str(REPS), "--years", str(YEARS), "--milestones", "1,2", "--seed",
            str(SEED), "--workers", "1", "--out", str(out), "--quiet"]
    return call(argv), out


def test_compare_writes_every_file(compared: tuple[int, Path]) -> None:
    code, out = compared
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert REPORT_FILES <= names, REPORT_FILES - names
    figures = {f"fig_{m}.png" for m in HEADLINE} | {f"diff_{m}.png" for m in HEADLINE} \
        | {"fig_stability.png", "diff_stability.png"}
    assert figures <= names, figures - names
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temp dir left


@pytest.mark.parametrize("name", [*(f"fig_{m}.png" for m in HEADLINE),
                                  *(f"diff_{m}.png" for m in HEADLINE),
                                  "maturity_subscores.png", "horizon_distributions.png"])
def test_compare_figures_are_drawn(compared: tuple[int, Path], name: str) -> None:
    assert_png_drawn(compared[1] / name)


def test_compare_tables_match_the_library(compared: tuple[int, Path],
                                          serial: Comparison) -> None:
    """The CLI ran the same comparison as ``serial``: the same monthly table and summary."""
    _, out = compared
    pd.testing.assert_frame_equal(pd.read_parquet(out / "monthly.parquet"), serial.monthly)
    summary = pd.read_csv(out / "summary.csv")
    pd.testing.assert_frame_equal(summary, serial.summary, check_dtype=False)
    early = pd.read_csv(out / "early_years.csv")
    pd.testing.assert_frame_equal(early, serial.early, check_dtype=False)
    precision = pd.read_csv(out / "precision.csv")
    assert len(precision) == len(DEFAULT_METRICS) * len(MILESTONES) * 2
    assert set(precision["year"]) == set(MILESTONES)


def test_compare_manifest(compared: tuple[int, Path], scenarios_dir: Path) -> None:
    _, out = compared
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["root_seed"] == SEED and manifest["replications"] == REPS
    assert manifest["seeds"] == replication_seeds(SEED, REPS)
    assert manifest["milestones"] == MILESTONES
    assert manifest["metrics"] == list(DEFAULT_METRICS)
    assert manifest["versions"]["resettle"] == resettle.__version__
    files = {s["name"]: [f["path"] for f in s["files"]] for s in manifest["scenarios"]}
    assert files == {n: [str(scenarios_dir / "baseline.toml"), str(scenarios_dir / f"{n}.toml")]
                     for n in ("scheme1", "scheme2")}
    assert manifest["command"][:2] == ["resettle", "compare"]
    monthly = pd.read_parquet(out / "monthly.parquet")
    for _, frame in monthly.groupby("scenario"):
        by_rep = frame.groupby("replication")["seed"].agg(["first", "nunique"])
        assert (by_rep["nunique"] == 1).all()
        assert by_rep["first"].tolist() == manifest["seeds"]


def test_compare_report_opens_with_a_summary(compared: tuple[int, Path]) -> None:
    _, out = compared
    md = (out / "report.md").read_text("utf-8")
    headings = re.findall(r"^(#+) (.*)$", md, re.M)
    assert headings[0] == ("#", "Comparison of scheme1, scheme2")
    assert headings[1] == ("##", "Summary")
    bullets = [line[2:] for line in section(md, "Summary").splitlines()
               if line.startswith("- ")]
    assert len(bullets) >= len(DEFAULT_METRICS)
    number = r"[+-]?\d+\.\d{3}"
    for sentence in bullets:
        assert re.search(rf"95% CI {number} to {number}", sentence), sentence
        assert re.search(r"(raises|lowers) .* by \d+\.\d{3}|do not differ clearly", sentence)
    summary = pd.read_csv(out / "summary.csv")
    last = summary[(summary["year"] == YEARS) & (summary["scenario"] == "scheme2")]
    text = " ".join(bullets)
    for row in last.itertuples():
        ci = f"95% CI {row.diff_low:+.3f} to {row.diff_high:+.3f}"
        assert ci in text, (row.metric, ci)
    html_text = (out / "report.html").read_text("utf-8")
    assert re.search(r"<h1>[^<]*</h1>\s*<h2>Summary</h2>\s*<ul><li>", html_text)


def test_compare_report_names_scenarios_and_seed(compared: tuple[int, Path],
                                                 scenarios_dir: Path) -> None:
    _, out = compared
    md = (out / "report.md").read_text("utf-8")
    html_text = (out / "report.html").read_text("utf-8")
    for name in ("baseline", "scheme1", "scheme2"):
        path = str(scenarios_dir / f"{name}.toml")
        assert path in md and path in html_text, path
    assert f"root seed {SEED}" in md and f"root seed {SEED}" in html_text
    assert f"{REPS} replications" in md
    for heading in ("Scenarios", "Evidence by metric and milestone year", "Monte-Carlo precision",
                    "Figures", "Assumptions and every parameter used"):
        assert f"## {heading}" in md, heading


def test_compare_report_says_where_the_maturity_difference_comes_from(
        compared: tuple[int, Path], serial: Comparison) -> None:
    _, out = compared
    table = maturity_decomposition(serial, YEARS)
    at = serial.monthly[serial.monthly["month"] == 12 * YEARS]
    mean = at.groupby("scenario")["maturity"].mean()
    total = mean["scheme2"] - mean["scheme1"]
    assert table["contribution"].sum() == pytest.approx(total, abs=1e-12)  # they add up
    assert len(table) == 5 and (table["scenario"] == "scheme2").all()
    md = section((out / "report.md").read_text("utf-8"), "Where the differences come from")
    marked = table["subscore"].isin(["self_government", "separation"])
    sentence = (f"scheme2: of the maturity difference of {total:+.3f}, "
                f"{table.loc[marked, 'contribution'].sum():+.3f} comes from sub-scores marked "
                f"by definition, wholly or in part, and "
                f"{table.loc[~marked, 'contribution'].sum():+.3f} from the others.")
    assert sentence in md
    rows = {line.split("|")[2].strip(): line.split("|")[4].strip() for line in md.splitlines()
            if line.startswith("| scheme2 |")}
    assert rows["Community-enterprise separation"] == "by definition"
    assert rows["Self-government"] == "in part by definition"
    assert sum(source == "behaviour" for source in rows.values()) == 3
    assert "no village branch to take a matter to" in md and "ODD.md §7.13" in md


def test_compare_report_says_where_the_seeds_are(compared: tuple[int, Path]) -> None:
    _, out = compared
    md = (out / "report.md").read_text("utf-8")
    seeds = replication_seeds(SEED, REPS)
    assert "manifest.json" in md or all(str(s) in md for s in seeds)


def test_compare_html_is_self_contained(compared: tuple[int, Path]) -> None:
    _, out = compared
    parser = _Refs()
    parser.feed((out / "report.html").read_text("utf-8"))
    assert parser.refs, "no images at all"
    for tag, attr, value in parser.refs:
        assert value.startswith(("data:", "#", "https://", "http://")), (tag, attr, value[:60])
    pngs = sorted(out.glob("*.png"))
    assert len(parser.images) == len(pngs)
    prefix = "data:image/png;base64,"
    embedded = sorted(base64.b64decode(src.removeprefix(prefix)) for src in parser.images
                      if src.startswith(prefix))
    assert embedded == sorted(p.read_bytes() for p in pngs)
    md = (out / "report.md").read_text("utf-8")
    assert all(f"]({p.name})" in md for p in pngs)  # Markdown links the files beside it


# --------------------------------------------------------------------------------------------
# resettle compare: bad input
# --------------------------------------------------------------------------------------------

def _bad_inputs(tmp_path: Path, scenarios_dir: Path, case: str) -> tuple[list[str], str]:
    """(arguments, words the error line must contain) for each refusal case."""
    good = [str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml")]
    tiny = ["--reps", "2", "--years", "1", "--milestones", "1", "--quiet"]
    if case == "missing-file":
        absent = tmp_path / "absent.toml"
        return [good[0], str(absent), *tiny], f"{absent}: file not found"
    if case == "invalid-toml":
        broken = tmp_path / "broken.toml"
        broken.write_text('[scenario\nname = "x"\n', "utf-8")
        return [good[0], str(broken), *tiny], "not valid TOML"
    if case == "not-utf8":
        binary = tmp_path / "binary.toml"
        binary.write_bytes(b"\xff\xfe[scenario]\n")
        return [str(binary), good[1], *tiny], "cannot read"
    if case == "directory":
        folder = tmp_path / "folder.toml"
        folder.mkdir()
        return [good[0], str(folder), *tiny], "cannot read"
    if case == "different-horizons":
        paths = []
        for name, years in (("short", 2), ("long", 3)):
            path = tmp_path / f"{name}.toml"
            path.write_text(f'[scenario]\nname = "{name}"\nextends = '
                            f'"{(scenarios_dir / "scheme1.toml").as_posix()}"\n'
                            f"horizon_years = {years}\n", "utf-8")
            paths.append(str(path))
        return [*paths, "--reps", "2", "--quiet"], "different horizons"
    if case == "one-replication":
        return [*good, "--reps", "1", "--years", "1", "--quiet"], "--reps 1"
    if case == "unknown-metric":
        return [*good, *tiny, "--metrics", "attitude,nonsense"], "--metrics nonsense"
    if case == "milestone-beyond-horizon":
        return [*good, "--reps", "2", "--years", "2", "--milestones", "1,3"], "--milestones 3"
    assert case == "milestone-zero"
    return [*good, "--reps", "2", "--years", "2", "--milestones", "0,2"], "--milestones 0"


@pytest.mark.parametrize("case", ["missing-file", "invalid-toml", "not-utf8", "directory",
                                  "different-horizons", "one-replication", "unknown-metric",
                                  "milestone-beyond-horizon", "milestone-zero"])
def test_compare_refuses_bad_input(scenarios_dir: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str], case: str) -> None:
    args, words = _bad_inputs(tmp_path, scenarios_dir, case)
    out = tmp_path / "out"
    before = listing(tmp_path)
    assert call(["compare", *args, "--out", str(out)]) == 2
    line = one_error_line(capsys)
    assert words in line, line
    assert not out.exists()
    assert listing(tmp_path) == before  # no temporary directory left beside --out


def test_compare_refuses_occupied_output(scenarios_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out, before = occupied_dir(tmp_path)
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            "--reps", "2", "--years", "1", "--out", str(out), "--quiet"]
    assert call(argv) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "--force" in line
    assert listing(tmp_path) == before


def test_compare_force_replaces_output(scenarios_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "old.txt").write_text("replace me", "utf-8")
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            "--reps", "2", "--years", "1", "--milestones", "1", "--metrics", "attitude",
            "--seed", "2", "--workers", "1", "--out", str(out), "--force", "--quiet"]
    assert call(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and str(out) in captured.out
    names = {p.name for p in out.iterdir()}
    assert REPORT_FILES <= names
    assert "old.txt" not in names and "sub" not in names
    assert {"fig_attitude.png", "diff_attitude.png"} <= names
    assert not any(n.startswith(("fig_maturity", "diff_maturity")) for n in names)
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["metric"]) == {"attitude"} and set(summary["year"]) == {1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --------------------------------------------------------------------------------------------
# a real process
# --------------------------------------------------------------------------------------------

def test_subprocess_compare(scenarios_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    argv = ["compare", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            "--reps", "2", "--years", "1", "--milestones", "1", "--metrics", "attitude",
            "--workers", "1", "--out", str(out), "--quiet"]
    done = subprocess.run([sys.executable, "-m", "resettle.cli", *argv], cwd=tmp_path,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, capture_output=True,
                          text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert str(out) in done.stdout
    assert (out / "report.html").stat().st_size > 0
    assert "<h2>Summary</h2>" in (out / "report.html").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp"]
