"""The ``resettle`` command: errors as one line with exit status 2, describe, params and run.

Most tests call ``resettle.cli.main(argv)`` in-process; two drive a real subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from cli_helpers import call, listing, occupied_dir, one_error_line
from resettle.params.catalogue import as_flat_dict, catalogue
from resettle.params.scenario import SECTIONS, Scenario, load_scenario
from resettle.sim.seeds import replication_seeds
from resettle.store.provenance import PACKAGES, numpy_simd

MONTHLY_COLUMNS = ("scenario", "replication", "seed", "year", "month", "attitude",
                   "fee_compliance", "fee_collection", "employment", "maturity",
                   "maturity_level", "maturity_participation", "maturity_self_government",
                   "maturity_cadres",
                   "maturity_separation", "maturity_democracy", "stability",
                   "community_balance")
RUN_FILES = {"monthly", "agents", "organisations"}




# --------------------------------------------------------------------------------------------
# Errors: exit 2, one line, nothing written
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ['[levers]\nbrnch_basis = "building"\n',
                                  "[levers]\nenforcement_probability = 2.0\n",
                                  "[community]\nhouseholds = 17.5\n"],
                         ids=["unknown-key", "out-of-range", "wrong-type"])
def test_run_bad_scenario_writes_nothing(make_scenario, scenarios_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], body: str) -> None:
    bad = make_scenario(body)
    before = listing(tmp_path)
    out = tmp_path / "out"
    good = str(scenarios_dir / "scheme1.toml")
    code = call(["run", good, str(bad), "--years", "1", "--out", str(out), "--quiet"])
    assert code == 2
    line = one_error_line(capsys)
    assert str(bad) in line
    assert not out.exists()
    assert listing(tmp_path) == before  # no temporary directory left beside --out


def test_run_missing_and_invalid_files(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[scenario\n", "utf-8")
    for path, words in ((tmp_path / "absent.toml", "not found"), (broken, "TOML")):
        out = tmp_path / "out"
        assert call(["run", str(path), "--out", str(out), "--quiet"]) == 2
        line = one_error_line(capsys)
        assert str(path) in line and words in line
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]


@pytest.mark.parametrize(("args", "words"), [
    (["--years", "2"], "[switch] year"),     # phased switches in year 5
    (["--years", "101"], "horizon_years"),
])
def test_run_years_beyond_limits(scenarios_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str], args: list[str],
                                 words: str) -> None:
    out = tmp_path / "out"
    assert call(["run", str(scenarios_dir / "phased.toml"), *args, "--out", str(out)]) == 2
    line = one_error_line(capsys)
    assert words in line and "--years" in line
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_run_duplicate_names(scenarios_dir: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    s1 = str(scenarios_dir / "scheme1.toml")
    assert call(["run", s1, s1, "--years", "1", "--out", str(tmp_path / "o")]) == 2
    assert "names must differ" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("argv", "words"), [
    (["run", "SCHEME1", "--reps", "0"], "--reps"),
    (["run", "SCHEME1", "--reps", "two"], "--reps"),
    (["run", "SCHEME1", "--seed", "-1"], "--seed"),
    (["run", "SCHEME1", "--years", "0"], "--years"),
    (["run", "SCHEME1", "--format", "xlsx"], "--format"),
    (["frobnicate"], "frobnicate"),
    ([], "command"),
    (["run"], "SCENARIO"),
    (["describe", "SCHEME1", "--seed", "-3"], "--seed"),
])
def test_bad_arguments(scenarios_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       argv: list[str], words: str) -> None:
    argv = [str(scenarios_dir / "scheme1.toml") if a == "SCHEME1" else a for a in argv]
    out = tmp_path / "out"
    if argv and argv[0] == "run":
        argv += ["--out", str(out)]
    assert call(argv) == 2
    assert words in one_error_line(capsys)
    assert not out.exists()


def test_existing_output_untouched_without_force(scenarios_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out, before = occupied_dir(tmp_path)
    code = call(["run", str(scenarios_dir / "scheme1.toml"), "--years", "1", "--out", str(out),
                 "--quiet"])
    assert code == 2
    line = one_error_line(capsys)
    assert str(out) in line and "--force" in line
    assert listing(tmp_path) == before


def test_describe_bad_scenario(make_scenario, capsys: pytest.CaptureFixture[str]) -> None:
    bad = make_scenario('[levers]\nleadership = "hereditary"\n')
    assert call(["describe", str(bad), "--json"]) == 2
    line = one_error_line(capsys)
    assert "leadership" in line and "'appointed', 'elected'" in line


# --------------------------------------------------------------------------------------------
# describe and params
# --------------------------------------------------------------------------------------------

def test_describe_json_matches_brief(scenarios_dir: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """BRIEF §2: 4 villages, 1,750 households, 4,000+ residents, 98 members, cadres."""
    assert call(["describe", str(scenarios_dir / "baseline.toml"), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    d = json.loads(captured.out)
    villages = d["villages"]
    assert [v["village"] for v in villages] == ["Liduan", "Waiduan", "Liu", "Linjia"]
    totals = d["totals"]
    assert totals["households"] == 1750
    assert sum(v["households"] for v in villages) == 1750
    assert totals["residents"] > 4000
    assert sum(v["residents"] for v in villages) == totals["residents"]
    assert totals["party_members"] == 98
    assert sum(v["party_members"] for v in villages) == 98
    assert d["cadres"]["mean_age"] > 50
    assert d["cadres"]["junior_high_or_less_share"] == pytest.approx(0.75, abs=0.05)
    assets = [v["assets_per_capita"] for v in villages]
    assert all(31000 <= a <= 38300 for a in assets)
    assert len(set(assets)) == len(assets) > 1
    assert d["money"]["property_fee_per_year"] == 420000


def test_describe_text(scenarios_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert call(["describe", str(scenarios_dir / "scheme2.toml")]) == 0
    out = capsys.readouterr().out
    assert "scheme2" in out
    assert all(name in out for name in ("Liduan", "Waiduan", "Liu", "Linjia"))


def test_params_lists_every_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    assert call(["params"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = {line.split()[1] for line in lines[1:] if line.strip()}
    assert names == set(catalogue()["name"])
    assert len(lines) == 1 + len(catalogue())


def test_params_toml_loads_as_defaults(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert call(["params", "--toml"]) == 0
    text = capsys.readouterr().out
    data = tomllib.loads(text)
    assert set(data) == {"scenario", *SECTIONS}
    for section, cls in SECTIONS.items():
        assert set(data[section]) == {row["name"] for row in cls.catalogue()}
    path = tmp_path / "params.toml"
    path.write_text(text, "utf-8")
    loaded, default = load_scenario(path), Scenario()
    for section in SECTIONS:
        assert getattr(loaded, section) == getattr(default, section), section
    assert (loaded.name, loaded.description, loaded.horizon_years) == \
        (default.name, default.description, default.horizon_years)
    assert loaded.switch_year is None and loaded.switch_levers is None


# --------------------------------------------------------------------------------------------
# run: tables, figure and manifest
# --------------------------------------------------------------------------------------------

RUN_ARGS = ["--years", "2", "--reps", "2", "--seed", "3", "--quiet", "--format", "csv"]


@pytest.fixture(scope="module")
def csv_run(scenarios_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """scheme1 and scheme2, 2 years, 2 replications, seed 3, CSV: (exit status, --out)."""
    out = tmp_path_factory.mktemp("csv-run") / "out"
    argv = ["run", str(scenarios_dir / "scheme1.toml"), str(scenarios_dir / "scheme2.toml"),
            *RUN_ARGS, "--out", str(out)]
    return call(argv), out


def test_run_writes_every_file(csv_run: tuple[int, Path]) -> None:
    code, out = csv_run
    assert code == 0
    expected = {"monthly.csv", "agents.csv", "organisations.csv", "headline.png",
                "manifest.json"}
    assert {p.name for p in out.iterdir()} == expected
    assert (out / "headline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temp dir left
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert set(manifest["files"]) == expected - {"manifest.json"}


def test_run_monthly_table(csv_run: tuple[int, Path]) -> None:
    _, out = csv_run
    monthly = pd.read_csv(out / "monthly.csv")
    missing = set(MONTHLY_COLUMNS) - set(monthly.columns)
    assert not missing, f"missing columns {sorted(missing)}"
    assert len(monthly) == 2 * 2 * 25
    assert set(monthly["scenario"]) == {"scheme1", "scheme2"}
    for (_, _), frame in monthly.groupby(["scenario", "replication"]):
        assert frame["month"].tolist() == list(range(25))
        assert frame["seed"].nunique() == 1
    assert monthly["year"].min() == 0 and monthly["year"].max() == 2
    assert monthly["attitude"].between(0, 1).all()


def test_run_seeds_are_common_random_numbers(csv_run: tuple[int, Path]) -> None:
    _, out = csv_run
    monthly = pd.read_csv(out / "monthly.csv")
    seeds = replication_seeds(3, 2)
    for scenario in ("scheme1", "scheme2"):
        frame = monthly[monthly["scenario"] == scenario]
        by_rep = frame.groupby("replication")["seed"].first()
        assert by_rep.tolist() == seeds
    for name in ("agents", "organisations"):
        table = pd.read_csv(out / f"{name}.csv")
        assert len(table) > 0
        assert set(table["scenario"]) == {"scheme1", "scheme2"}
        assert set(table["seed"]) == set(seeds)
        assert set(table["month"]) == {24}


def test_run_manifest(csv_run: tuple[int, Path], scenarios_dir: Path) -> None:
    _, out = csv_run
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["seeds"] == replication_seeds(3, 2)
    assert manifest["root_seed"] == 3 and manifest["replications"] == 2
    entries = {s["name"]: s for s in manifest["scenarios"]}
    assert set(entries) == {"scheme1", "scheme2"}
    for name, entry in entries.items():
        path = scenarios_dir / f"{name}.toml"
        files = [scenarios_dir / "baseline.toml", path]
        assert [f["path"] for f in entry["files"]] == [str(f) for f in files]
        assert [f["sha256"] for f in entry["files"]] == [
            hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
        assert entry["horizon_years"] == 2
        scenario = load_scenario(path)
        expected = json.loads(json.dumps(as_flat_dict(scenario), default=str))
        assert entry["parameters"] == expected
        assert set(entry["parameters"]) == set(catalogue()["name"])
    assert entries["scheme2"]["parameters"]["leadership"] == "elected"
    versions = manifest["versions"]
    assert set(PACKAGES) <= set(versions)
    assert versions["mesa"].startswith("3.5.")
    for package in PACKAGES:
        assert versions[package] == metadata.version(package)
    assert versions["numpy_simd"] == numpy_simd() != "unknown"  # the CPU's level for numpy


def test_run_manifest_records_the_command(csv_run: tuple[int, Path]) -> None:
    """The manifest records the argv given to main(), not the host process's."""
    _, out = csv_run
    command = json.loads((out / "manifest.json").read_text("utf-8"))["command"]
    assert command[-len(RUN_ARGS) - 2:] == [*RUN_ARGS, "--out", str(out)]


def test_run_output_directory_has_normal_permissions(csv_run: tuple[int, Path]) -> None:
    """--out gets the umask's permissions, not mkdtemp's private 0700."""
    _, out = csv_run
    probe = out.parent / "probe"
    probe.mkdir()
    try:
        expected = probe.stat().st_mode & 0o777
    finally:
        probe.rmdir()
    if expected == 0o700:
        pytest.skip("umask 077: cannot tell mkdtemp's mode from a normal directory")
    assert out.stat().st_mode & 0o777 == expected


def test_run_parquet_with_force(scenarios_dir: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("replace me", "utf-8")
    argv = ["run", str(scenarios_dir / "scheme2.toml"), "--years", "1", "--reps", "1",
            "--seed", "5", "--out", str(out), "--format", "parquet", "--force", "--quiet"]
    assert call(argv) == 0
    assert capsys.readouterr().err == ""
    assert not (out / "old.txt").exists()
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert len(monthly) == 13 and monthly["month"].tolist() == list(range(13))
    assert set(monthly["seed"]) == set(replication_seeds(5, 1))
    assert len(pd.read_parquet(out / "agents.parquet")) > 4000
    assert len(pd.read_parquet(out / "organisations.parquet")) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --------------------------------------------------------------------------------------------
# A real process
# --------------------------------------------------------------------------------------------

def _process(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "resettle.cli", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_subprocess_run(scenarios_dir: Path, tmp_path: Path) -> None:
    """Default format (Parquet) through ``python -m resettle.cli``."""
    out = tmp_path / "result"
    done = _process(["run", str(scenarios_dir / "scheme1.toml"), "--years", "1", "--reps", "1",
                     "--out", str(out), "--quiet"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert str(out) in done.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {f"{n}.parquet" for n in RUN_FILES} | {"headline.png", "manifest.json"}
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert len(monthly) == 13 and set(monthly["scenario"]) == {"scheme1"}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["seeds"] == replication_seeds(0, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]


def test_subprocess_bad_scenario(make_scenario, tmp_path: Path) -> None:
    bad = make_scenario('[levers]\nbrnch_basis = "building"\n')
    out = tmp_path / "result"
    done = _process(["run", str(bad), "--years", "1", "--out", str(out)], cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("resettle: error: ")
    assert "did you mean 'branch_basis'" in lines[0]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]
