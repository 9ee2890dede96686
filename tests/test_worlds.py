"""Plausible worlds (``resettle worlds``): the specification, the filters, the tables, and that
the ensemble is a sweep (same seed, same tables whatever the workers; a failed run resumed).

Ensembles here are tiny: 4 worlds of a 200-resident community, 2 replications, 1 year. A
failure is injected by ``tests/fault_injection.py`` in a real subprocess; the rest call
``resettle.cli.main`` in-process.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli_helpers import call, listing, one_error_line
from resettle.experiments.sweep.design import design_points, unit_points
from resettle.experiments.sweep.runner import run_key
from resettle.experiments.worlds import load_worlds, load_worlds_spec
from resettle.experiments.worlds.ensemble import filter_checks, world_values
from resettle.experiments.worlds.spec import sampleable, unsampled_lists
from resettle.outcomes import COMPARABLE
from resettle.params.conditions import SHARES, UNIT, comparable_domains
from resettle.params.scenario import parameter_owner

SEED = 11
UNCERTAIN = ["confidence_bound", "fee_base", "community_income_per_year",
             "community_running_cost_per_year"]
ALWAYS = """
[filters.always]
source = "a test: every share lies in [0, 1]"
years = [0, 1]
attitude = { at_least = 0, at_most = 1 }
"""
NEVER = """
[filters.never]
source = "a test: nobody starts a citizen"
years = [0]
attitude = { at_least = 1 }
"""
COSTS = """
[filters.costs]
source = "a test: income covers the running costs (BRIEF §2)"
years = [0]
"community_income_per_year - community_running_cost_per_year" = { at_least = 0 }
"""
CHANGE = """
[filters.change]
source = "a test: assumption"
years = [1]
change_since = 0
attitude = { at_least = -1 }
"""
FILTERS = ALWAYS + NEVER + COSTS + CHANGE
NAMES = ["always", "never", "costs", "change"]
WAIT_S = 120  # upper bound for the subprocess (never reached when all is well)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def small_scenario(folder: Path, scenarios_dir: Path) -> Path:
    """Scheme 1 in a 200-resident community, written to ``folder/small.toml``."""
    path = folder / "small.toml"
    path.write_text(f'[scenario]\nname = "small"\n'
                    f'extends = "{(scenarios_dir / "scheme1.toml").as_posix()}"\n'
                    "horizon_years = 1\n[community]\nresidents = 200\nhouseholds = 80\n"
                    "party_members = 5\ncadres = 8\n", "utf-8")
    return path


def write_spec(path: Path, scenario: Path, filters: str = FILTERS, **changes: object) -> Path:
    """A worlds spec over ``scenario``: the tiny defaults with ``changes`` (None drops a
    key; a value is written as TOML by repr, which suits numbers, text and lists of text)."""
    table = {"name": "tiny", "scenario": scenario.as_posix(), "design": "latin_hypercube",
             "samples": 4, "seed": SEED, "replications": 2, "uncertain": UNCERTAIN}
    table.update(changes)
    body = "\n".join(f"{k} = {_toml(v)}" for k, v in table.items() if v is not None)
    path.write_text(f"[worlds]\n{body}\n{filters}", "utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, Path):
        value = value.as_posix()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def worlds(spec: Path | None, out: Path | None, *extra: str) -> int:
    """``resettle worlds`` in-process (quiet; one local worker unless told otherwise)."""
    argv = ["worlds"] + ([str(spec)] if spec else []) + (["--out", str(out)] if out else [])
    if "--workers" not in extra:
        argv += ["--workers", "1"]
    return call([*argv, *extra, "--quiet"])


def tables(out: Path) -> dict[str, bytes]:
    """The files the filters wrote."""
    return {name: (out / name).read_bytes()
            for name in ("worlds.csv", "filters.csv", "checks.csv", "report.md")}


# --------------------------------------------------------------------------------------------
# Reference ensembles, shared by the module
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, scenarios_dir: Path) -> Path:
    """A folder with the small scenario."""
    folder = tmp_path_factory.mktemp("worlds")
    small_scenario(folder, scenarios_dir)
    return folder


@pytest.fixture(scope="module")
def tiny(root: Path) -> tuple[Path, Path]:
    """(spec, directory) of the 4-world ensemble with every kind of filter, on one worker."""
    spec = write_spec(root / "tiny.toml", root / "small.toml")
    assert worlds(spec, root / "out") == 0
    return spec, root / "out"


@pytest.fixture(scope="module")
def kept(root: Path) -> tuple[Path, Path]:
    """(spec, directory) of an ensemble whose only selective filter is ``costs``."""
    spec = write_spec(root / "kept.toml", root / "small.toml", ALWAYS + COSTS, name="kept")
    assert worlds(spec, root / "kept") == 0
    return spec, root / "kept"


# --------------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------------

def test_worlds_table_has_a_row_per_world_and_a_column_per_filter(
        tiny: tuple[Path, Path]) -> None:
    _, out = tiny
    table = pd.read_csv(out / "worlds.csv")
    assert list(table.columns) == ["world", *UNCERTAIN, *NAMES, "plausible", "failed"]
    assert table["world"].tolist() == [0, 1, 2, 3]
    assert table["always"].all() and table["change"].all()  # bounds no value can miss
    assert not table["never"].any()
    assert not table["plausible"].any()  # every world is kept, rejected ones too
    assert table["failed"].str.split().map(lambda f: "never" in f).all()
    assert (table["costs"] == (table["community_income_per_year"]
                               >= table["community_running_cost_per_year"])).all()
    assert table["confidence_bound"].between(0, 1).all()  # its plausible range
    assert table["fee_base"].between(-3, 3).all()
    assert table["confidence_bound"].nunique() == 4


def test_filters_table_counts_the_worlds_passing(tiny: tuple[Path, Path]) -> None:
    _, out = tiny
    filters = pd.read_csv(out / "filters.csv").set_index("filter")
    assert filters.index.tolist() == NAMES
    assert filters.loc["always", "passing"] == 4 and filters.loc["never", "passing"] == 0
    assert filters.loc["always", "share"] == 1.0 and filters.loc["never", "share"] == 0.0
    passing = pd.read_csv(out / "worlds.csv")["costs"].sum()
    assert filters.loc["costs", "passing"] == passing
    assert filters.loc["costs", "share"] == pytest.approx(passing / 4)
    assert filters["worlds"].eq(4).all() and filters["missing"].eq(0).all()
    assert filters["assumption"].tolist() == [False, False, False, True]
    assert filters.loc["change", "conditions"] == "year 1, change since year 0: attitude >= -1"
    assert filters.loc["costs", "conditions"] == ("year 0: community_income_per_year - "
                                                  "community_running_cost_per_year >= 0")


def test_a_change_is_the_difference_of_replication_means(tiny: tuple[Path, Path]) -> None:
    _, out = tiny
    results = pd.read_parquet(out / "results.parquet")
    assert results["replication"].nunique() == 2 and set(results["year"]) == {0, 1}
    means = results.groupby(["point", "year"])["attitude"].mean().unstack("year")
    checks = pd.read_csv(out / "checks.csv")
    change = checks[checks["filter"] == "change"].set_index("world")["value"]
    np.testing.assert_allclose(change.sort_index(), (means[1] - means[0]).sort_index(),
                               rtol=0, atol=1e-12)
    assert (change.abs() > 0).all()  # attitudes do move in a year
    assert checks.groupby("filter").size().to_dict() == {"always": 8, "never": 4, "costs": 4,
                                                         "change": 4}


def test_report_says_how_many_pass_and_which_thresholds_are_assumptions(
        tiny: tuple[Path, Path]) -> None:
    _, out = tiny
    report = (out / "report.md").read_text("utf-8")
    assert "4 worlds were sampled by a latin_hypercube design (seed 11)" in report
    assert "**0 of 4 worlds (0%) pass every filter.**" in report
    assert "The thresholds of `change` are assumptions" in report
    for name in UNCERTAIN:
        assert f"| {name} |" in report
    assert "`assets_per_capita`" in report  # a list left out, named


def test_world_values_mean_is_missing_if_any_replication_is() -> None:
    results = pd.DataFrame({"key": list("abcd"), "point": [0, 0, 1, 1],
                            "scenario": "s", "replication": [0, 1, 0, 1], "seed": [1, 2, 1, 2],
                            "year": 0, "turnout": [0.2, math.nan, 0.4, 0.6]})
    points = pd.DataFrame({"point": [0, 1], "block": -1, "fee_base": [0.1, 0.2]})
    values = world_values(points, results, ("fee_base",))
    assert math.isnan(values.loc[(0, 0), "turnout"])
    assert values.loc[(1, 0), "turnout"] == pytest.approx(0.5)
    assert values.loc[(1, 0), "fee_base"] == 0.2


# --------------------------------------------------------------------------------------------
# Determinism and resuming: the ensemble is a sweep
# --------------------------------------------------------------------------------------------

def test_two_workers_write_the_same_tables(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = tiny
    out = tmp_path / "two"
    assert worlds(spec, out, "--workers", "2") == 0
    assert tables(out) == tables(reference)


def test_another_seed_samples_other_worlds(root: Path) -> None:
    one = load_worlds_spec(write_spec(root / "s1.toml", root / "small.toml"))
    other = load_worlds_spec(write_spec(root / "s2.toml", root / "small.toml", seed=SEED + 1))
    pd.testing.assert_frame_equal(design_points(one.sweep), design_points(one.sweep))
    assert not design_points(one.sweep)[UNCERTAIN].equals(design_points(other.sweep)[UNCERTAIN])


def test_a_sobol_sequence_puts_one_world_in_each_quarter_of_every_range(root: Path) -> None:
    spec = load_worlds_spec(write_spec(root / "sobol.toml", root / "small.toml",
                                       design="sobol_sequence"))
    unit, block = unit_points(spec.sweep)
    assert unit.shape == (4, len(UNCERTAIN)) and (block == -1).all()
    for column in unit.T:  # the first 2^m points of a (scrambled) Sobol' sequence are a net
        assert sorted(np.floor(column * 4).astype(int)) == [0, 1, 2, 3]
    points = design_points(spec.sweep)
    assert points["confidence_bound"].between(0, 1).all() and len(points) == 4


def test_a_failed_run_is_retried_on_resume_to_the_same_tables(
        kept: tuple[Path, Path], tmp_path: Path) -> None:
    spec, reference = kept
    out = tmp_path / "failed"
    key = run_key(1, 0, 0)
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "fault_injection.py"), key, "worlds",
         str(spec), "--workers", "1", "--out", str(out), "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=WAIT_S, check=False)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"'resettle worlds --resume {out} --retry-failed'" in lines[0]
    assert not (out / "worlds.csv").exists()
    assert worlds(None, None, "--resume", str(out), "--retry-failed") == 0
    assert tables(out) == tables(reference)


def test_load_worlds_gives_the_accepted_worlds_exact_values(kept: tuple[Path, Path]) -> None:
    _, out = kept
    table = pd.read_csv(out / "worlds.csv")
    points = pd.read_parquet(out / "points.parquet").set_index("point")[UNCERTAIN]
    every = load_worlds(out, plausible_only=False)
    assert every.index.name == "world" and list(every.columns) == UNCERTAIN
    pd.testing.assert_frame_equal(every, points.rename_axis("world"))
    accepted = load_worlds(out)
    assert accepted.index.tolist() == table.loc[table["plausible"], "world"].tolist()
    assert (accepted["community_income_per_year"]
            >= accepted["community_running_cost_per_year"]).all()


def test_resuming_a_finished_ensemble_rewrites_the_same_tables(
        kept: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    spec, reference = kept
    out = tmp_path / "again"
    shutil.copytree(reference, out)
    (out / "worlds.csv").unlink()
    assert worlds(spec, None, "--resume", str(out)) == 0
    assert tables(out) == tables(reference)


# --------------------------------------------------------------------------------------------
# Refusals: one line, exit 2, nothing written
# --------------------------------------------------------------------------------------------

BAD_SPECS = [  # (changes to the tiny spec, words the error line must contain)
    ({"filters": FILTERS.replace("attitude = { at_least = 1 }", "atitude = { at_least = 1 }")},
     ["[filters.never] atitude", "did you mean 'attitude'"]),
    ({"filters": COSTS + "[filters.high]\nsource = 'x'\nyears = [1]\n"
                         "fee_collection = { at_least = 1.5 }\n"},
     ["[filters.high] fee_collection.at_least", "1.5", "[0, 1]"]),
    ({"filters": "[filters.diff]\nsource = 'x'\nyears = [1]\n"
                 "'attitude - fee_collection' = { at_least = 1.5 }\n"},
     ["[filters.diff] attitude - fee_collection.at_least", "[-1, 1]"]),
    ({"filters": CHANGE.replace("at_least = -1", "at_least = -1.5")},
     ["[filters.change] attitude.at_least", "-1.5", "[-1, 1]"]),
    ({"sample": 4}, ["[worlds] sample", "did you mean 'samples'"]),
    ({"filters": ALWAYS.replace("source", "sorce")},
     ["[filters.always] sorce", "did you mean 'source'"]),
    ({"uncertain": ["fee_base", "training_capacity"]},
     ["[worlds] uncertain", "training_capacity is a lever", "[levers]"]),
    ({"uncertain": ["households"]}, ["[worlds] uncertain", "households is fixed at 1750"]),
    ({"uncertain": ["assets_per_capita"]},
     ["[worlds] uncertain", "assets_per_capita is a list of values"]),
    ({"uncertain": ["fee_base", "maturity_window_months"]},
     ["[worlds] uncertain", "maturity_window_months sets how an outcome is measured"]),
    ({"uncertain": ["fee_bas"]}, ["[worlds] uncertain: fee_bas", "did you mean 'fee_base'"]),
    ({"uncertain": ["fee_base", "fee_base"]}, ["[worlds] uncertain", "listed twice"]),
    ({"uncertain": "some"}, ["[worlds] uncertain", "'some'", '"all"']),
    ({"filters": ALWAYS.replace("[0, 1]", "[2]")}, ["[filters.always] years", "2", "[0, 1]"]),
    ({"filters": CHANGE.replace("change_since = 0", "change_since = 1")},
     ["[filters.change] change_since", "1", "[0, 0]"]),
    ({"filters": COSTS.replace("community_running", "community_runing")},
     ["[filters.costs] community_runing_cost_per_year", "did you mean"]),
    ({"filters": ALWAYS.replace("attitude =", "mortality_a =")},
     ["[filters.always] mortality_a", "does not sample"]),
    ({"filters": ALWAYS.replace("[filters.always]", "[filters.fee_base]")},
     ["[filters.fee_base]", "taken by a column"]),
    ({"filters": ALWAYS.replace("at_least = 0, at_most = 1", "at_least = 0.6, at_most = 0.4")},
     ["[filters.always] attitude", "at_least 0.6 is above at_most 0.4"]),
    ({"filters": ALWAYS.replace('source = "a test: every share lies in [0, 1]"\n', "")},
     ["[filters.always] source", "missing"]),
    ({"filters": "[filters.three]\nsource = 'x'\nyears = [1]\n"
                 "'attitude - employment - maturity' = { at_least = 0 }\n"},
     ["[filters.three]", "the difference of two"]),
    ({"filters": ALWAYS.replace("attitude =", "zzz =")},
     ["[filters.always] zzz", "a column of the monthly table"]),
    ({"filters": COSTS}, ["[filters]", "no condition reads an outcome"]),
    ({"filters": ""}, ["[filters]", "at least one filter"]),
    ({"design": "sobol"}, ["[worlds] design", "'sobol'", "sobol_sequence"]),
    ({"design": "sobol_sequence", "samples": 6}, ["[worlds] samples", "6", "power of two"]),
    ({"replications": 0}, ["[worlds] replications", "0"]),
    ({"scenario": "absent.toml"}, ["absent.toml", "not found"]),
    ({"filters": COSTS + "[filters.old]\nsource = 'x'\nyears = [0]\n"
                         "cadre_mean_age = { at_least = 500 }\n"},
     ["[filters.old] cadre_mean_age.at_least", "500", "[0, 120]"]),
    ({"filters": COSTS + "[filters.count]\nsource = 'x'\nyears = [1]\n"
                         "residents = { at_most = -5 }\n"},
     ["[filters.count] residents.at_most", "-5", "[0, inf]"]),
    ({"filters": CHANGE.replace("attitude = { at_least = -1 }", "fee_base = { at_least = 0 }")},
     ["[filters.change] 'fee_base'", "a parameter, which does not change within a run"]),
]


@pytest.mark.parametrize(("changes", "words"), BAD_SPECS, ids=[
    "unknown-indicator", "impossible-threshold", "impossible-difference", "impossible-change",
    "unknown-worlds-key", "unknown-filter-key", "lever-as-uncertain", "fixed-fact",
    "list-of-values", "measurement-setting", "unknown-parameter", "parameter-twice",
    "uncertain-not-a-list",
    "year-beyond-horizon", "change-since-not-before", "unknown-name-in-difference",
    "unsampled-parameter", "filter-named-as-parameter", "bounds-crossed", "no-source",
    "three-terms", "unknown-name", "no-outcome-read", "no-filters", "saltelli-design",
    "sobol-not-power-of-two", "zero-replications", "missing-scenario", "impossible-age",
    "negative-count", "parameter-change"])
def test_bad_spec_is_one_line_and_writes_nothing(root: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 changes: dict, words: list[str]) -> None:
    changes = dict(changes)
    filters = changes.pop("filters", FILTERS)
    if changes.get("scenario"):
        changes["scenario"] = tmp_path / changes["scenario"]
    spec = write_spec(tmp_path / "bad.toml", changes.pop("scenario", root / "small.toml"),
                      filters, **changes)
    before = listing(tmp_path)
    out = tmp_path / "out"
    assert worlds(spec, out) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"resettle: error: {spec}: "), line
    for word in words:
        assert word in line, line
    assert listing(tmp_path) == before


def test_resume_with_a_different_spec_is_refused(tiny: tuple[Path, Path], root: Path,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(tiny[1], out)
    before = listing(out)
    other = write_spec(tmp_path / "other.toml", root / "small.toml",
                       FILTERS.replace("at_least = -1", "at_least = -0.5"))
    assert worlds(other, None, "--resume", str(out)) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "different worlds spec" in line and "filters" in line
    assert listing(out) == before


def test_an_existing_directory_needs_resume(tiny: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(tiny[1], out)
    before = listing(tmp_path)
    assert worlds(tiny[0], out) == 2
    line = one_error_line(capsys)
    assert str(out) in line and "--resume" in line
    assert listing(tmp_path) == before


def test_resume_of_what_is_no_worlds_directory(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert worlds(None, None, "--resume", str(tmp_path / "a" / "typo")) == 2
    assert "not a worlds directory" in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "sweep.json").write_text("{}", "utf-8")
    assert worlds(None, None, "--resume", str(sweep)) == 2
    assert "'resettle sweep --resume" in one_error_line(capsys)
    assert call(["worlds", "--quiet"]) == 2
    assert "give a SPEC file, or --resume DIR" in one_error_line(capsys)


# --------------------------------------------------------------------------------------------
# What may be sampled and read; the shipped specification
# --------------------------------------------------------------------------------------------

def test_all_samples_every_uncertain_single_value_and_nothing_else() -> None:
    owner = parameter_owner()
    names = sampleable()
    assert len(names) == len(set(names)) > 100
    assert {owner[n] for n in names} == {"community", "uncertainties"}
    assert {"confidence_bound", "residents", "cadre_mean_age", "mortality_b"} <= set(names)
    assert not {"households", "party_members", "property_fee_per_year", "training_capacity",
                "assets_per_capita", "maturity_weights", "maturity_window_months"} & set(names)
    assert {"assets_per_capita", "age_shares", "maturity_weights"} <= set(unsampled_lists())


def test_shares_are_comparable_columns_that_stay_in_zero_one(scenarios_dir: Path) -> None:
    import resettle
    from resettle.params.scenario import load_scenario

    domains = comparable_domains()
    assert list(domains) == list(COMPARABLE)
    assert SHARES <= set(COMPARABLE)
    scenario = load_scenario(scenarios_dir / "scheme2.toml").replace(
        horizon_years=1, residents=200, households=80, party_members=5, cadres=8)
    table = resettle.CommunityModel(scenario, rng=3).run()
    for name in SHARES & set(table.columns):
        assert domains[name] == UNIT
        values = table[name].dropna()
        assert values.between(0, 1).all(), name


def test_the_default_world_passes_the_shipped_filters(scenarios_dir: Path) -> None:
    """The defaults were chosen to reproduce the study's facts and patterns: the world they
    make is plausible (the ensemble's two seeds, run as its sweep runs a point)."""
    from resettle.experiments.jobs import run_job
    from resettle.experiments.sweep.runner import result_rows, sweep_jobs
    from resettle.params.catalogue import as_flat_dict

    spec = load_worlds_spec(scenarios_dir / "worlds" / "dongyu.toml")
    defaults = as_flat_dict(spec.scenario)
    points = pd.DataFrame([{"point": 0, "block": -1, **{n: defaults[n] for n in spec.uncertain}}])
    results = pd.DataFrame([row for job in sweep_jobs(spec.sweep, points)
                            for row in result_rows(job, run_job(job))])
    values = world_values(points, results, spec.uncertain)
    for f in spec.filters:
        assert filter_checks(f, values)["holds"].all(), f.name


def test_the_shipped_spec_loads(scenarios_dir: Path) -> None:
    spec = load_worlds_spec(scenarios_dir / "worlds" / "dongyu.toml")
    assert spec.scenario.name == "scheme1" and spec.sweep.design == "latin_hypercube"
    assert list(spec.uncertain) == sampleable()
    assert spec.sweep.years == (0, 1, 2, 3)
    assert all(f.source.strip() for f in spec.filters)
    assumed = [f.name for f in spec.filters if f.assumed]
    assert assumed == ["party_members_older", "residents_unwilling_to_pay"]


def test_a_source_over_several_lines_survives_a_resume(root: Path, tmp_path: Path,
                                                        scenarios_dir: Path) -> None:
    scenario = small_scenario(tmp_path, scenarios_dir)
    multi = ALWAYS.replace('source = "a test: every share lies in [0, 1]"',
                           'source = """a test:\nevery "share" lies in [0, 1]"""')
    spec = write_spec(tmp_path / "multi.toml", scenario, multi)
    out = tmp_path / "out"
    assert worlds(spec, out) == 0
    assert worlds(None, None, "--resume", str(out)) == 0
    stored = load_worlds_spec(out / "worlds.toml")
    assert stored.filters[0].source == 'a test:\nevery "share" lies in [0, 1]'
    assert len(load_worlds(out, plausible_only=False)) == 4
