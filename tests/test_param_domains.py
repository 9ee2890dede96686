"""Valid domains and plausible ranges (issue 12): what a scenario may set, what sweeps sample,
safe names, deep chains, and a second community described with them.

A value outside the plausible range but inside the valid domain is accepted; one outside the
valid domain is refused with one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import resettle
from cli_helpers import call
from resettle.experiments.sweep.design import design_points
from resettle.experiments.sweep.spec import load_sweep
from resettle.outcomes import HEADLINE
from resettle.params import sections
from resettle.params.catalogue import catalogue
from resettle.params.scenario import (
    MAX_EXTENDS_DEPTH,
    MAX_HORIZON_YEARS,
    SECTIONS,
    Scenario,
    load_scenario,
)
from resettle.params.schema import ASSUMPTION, MAX_NAME_LENGTH, param
from resettle.sim import population

SECOND = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "second_community.toml"
CATALOGUE = catalogue()
NUMERIC = CATALOGUE[[not r.choices and not isinstance(r.default, bool | str)
                     and not (isinstance(r.default, tuple) and isinstance(r.default[0], str))
                     for r in CATALOGUE.itertuples()]]


def _one_line_error(path: Path, loader=load_scenario) -> str:
    """The ScenarioError loading ``path`` gives: one line, naming the file first."""
    with pytest.raises(resettle.ScenarioError) as info:
        loader(path)
    message = str(info.value)
    assert len(message.splitlines()) == 1, repr(message)
    assert message.startswith(f"{path}: "), message
    return message[len(f"{path}: "):]


def _elements(value: object) -> list:
    return list(value) if isinstance(value, tuple) else [value]


def _bound(value: object) -> float | None:
    return None if value is None or pd.isna(value) else value


# --------------------------------------------------------------------------------------------
# The declarations: plausible inside valid, default inside plausible, assumptions have ranges
# --------------------------------------------------------------------------------------------

def test_the_catalogue_has_both_ranges() -> None:
    assert {"valid", "plausible", "low", "high", "plausible_low", "plausible_high"} \
        <= set(CATALOGUE.columns)
    assert len(NUMERIC) > 150  # nearly every parameter is a number


@pytest.mark.parametrize("row", NUMERIC.to_dict("records"), ids=list(NUMERIC["name"]))
def test_plausible_range_lies_in_the_valid_domain_and_holds_the_default(row: dict) -> None:
    lo, hi = row["plausible_low"], row["plausible_high"]
    low, high = _bound(row["low"]), _bound(row["high"])
    assert lo <= hi, row["name"]
    assert low is None or low <= lo, row["name"]
    assert high is None or hi <= high, row["name"]
    assert all(lo <= v <= hi for v in _elements(row["default"])), row["name"]


def test_every_assumption_has_a_plausible_range_or_choices() -> None:
    assumptions = CATALOGUE[CATALOGUE["source"].str.lower().str.contains(ASSUMPTION)]
    assert len(assumptions) > 100
    for row in assumptions.itertuples():
        ranged = _bound(row.plausible_low) is not None and _bound(row.plausible_high) is not None
        assert ranged or row.choices, row.name


def test_the_valid_domain_is_wider_than_dongyus_figures() -> None:
    """The community facts admit other communities: the old Dongyu-only bounds are gone."""
    rows = CATALOGUE.set_index("name")
    assert rows.loc["assets_per_capita", "low"] == 0  # was 31,000
    assert rows.loc["cadre_mean_age", "low"] <= 18 and rows.loc["cadre_mean_age", "high"] >= 100
    assert rows.loc["households", "low"] == 1 and rows.loc["households", "high"] == 2_000_000
    assert rows.loc["residents", "high"] == 5_000_000
    assert rows.loc["assets_per_capita", "plausible"] == "[31000, 38300]"  # BRIEF §1
    assert rows.loc["households", "plausible"] == "fixed at 1750"


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"default": 0.5, "low": 0, "high": 1, "plausible": (0.2, 1.5)}, "not inside the valid"),
    ({"default": 0.9, "low": 0, "high": 1, "plausible": (0.2, 0.8)}, "outside the plausible"),
    ({"default": 0.5, "low": 0, "high": 1, "plausible": (0.8, 0.2)}, "empty"),
    ({"default": 2.0, "low": 0, "high": 1, "plausible": (0, 1)}, "outside the valid domain"),
    ({"default": 3, "low": 0, "high": 10, "plausible": (0, 5.5)}, "whole bounds"),
    ({"default": 0.5, "low": 0, "high": 1}, "needs a plausible range"),
    ({"default": "x", "source": "assumption"}, "assumption needs a plausible range"),
    ({"default": (0.1, 0.9), "low": 0, "high": 1, "plausible": (0.2, 0.8)},
     "outside the plausible"),
], ids=["plausible-outside-valid", "default-outside-plausible", "plausible-reversed",
        "default-outside-valid", "integer-with-fractional-bounds", "number-without-plausible",
        "assumption-without-plausible", "tuple-element-outside-plausible"])
def test_a_bad_declaration_fails_when_the_section_is_defined(kwargs: dict, words: str) -> None:
    kwargs = {"unit": "u", "source": "§1", **kwargs}
    with pytest.raises(TypeError, match=words):
        param(kwargs.pop("default"), **kwargs)


def test_a_good_declaration_passes() -> None:
    field = param(0.5, unit="u", source="assumption", low=0, high=1, plausible=(0.2, 0.8))
    assert field.metadata["plausible"] == (0.2, 0.8)
    assert param("a", unit="u", source="assumption", choices=("a", "b")).default == "a"


def test_the_ceilings_agree_with_the_model() -> None:
    assert population.AGE_BANDS is sections.AGE_BANDS  # one definition, used by both
    assert sections.MAX_YEARS == MAX_HORIZON_YEARS


# --------------------------------------------------------------------------------------------
# Loading: the valid domain is enforced, the plausible range is not
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "name", "value"), [
    ("[community]\ncadre_mean_age = 45.0\n", "cadre_mean_age", 45.0),
    ("[community]\nhouseholds = 600\nresidents = 1500\n", "households", 600),
    ("[community]\nretirement_age_men = 65.0\n", "retirement_age_men", 65.0),
    ("[community]\nfee_history_months = 0\n", "fee_history_months", 0),
    ("[community]\nassets_per_capita = [20000.0, 19000.0, 18000.0, 17000.0]\n",
     "assets_per_capita", (20000.0, 19000.0, 18000.0, 17000.0)),
    ("[levers]\ntraining_capacity = 5000\n", "training_capacity", 5000),
    ("[uncertainties]\nplasticity_decay = 0.5\n", "plasticity_decay", 0.5),
    ("[uncertainties]\nfee_base = -10.0\n", "fee_base", -10.0),
], ids=["cadre-age", "households", "retirement", "no-fee-history", "poorer-assets",
        "training-seats", "plasticity", "fee-base"])
def test_a_value_outside_the_plausible_range_inside_the_domain_loads(
        make_scenario, body: str, name: str, value: object) -> None:
    row = CATALOGUE.set_index("name").loc[name]
    lo, hi = row["plausible_low"], row["plausible_high"]
    assert not all(lo <= v <= hi for v in _elements(value)), "pick a value outside plausible"
    scenario = load_scenario(make_scenario(body))
    section = next(s for s in SECTIONS if hasattr(getattr(scenario, s), name))
    assert getattr(getattr(scenario, section), name) == value


@pytest.mark.parametrize(("body", "expected"), [
    ("[community]\nhouseholds = -3\n",
     "[community] households: -3 is out of range; use a value in [1, 2000000]"),
    ("[community]\nhouseholds = 3000000\n",
     "[community] households: 3000000 is out of range; use a value in [1, 2000000]"),
    ("[community]\ncadre_mean_age = 130.0\n",
     "[community] cadre_mean_age: 130.0 is out of range; use a value in [18, 120]"),
    ("[community]\nfemale_share = 1.5\n",
     "[community] female_share: 1.5 is out of range; use a value in [0, 1]"),
    ("[community]\npension_month = -1.0\n",
     "[community] pension_month: -1.0 is out of range; use a value in [0, 1e+12]"),
    ("[uncertainties]\nfee_temperature = -0.1\n",
     "[uncertainties] fee_temperature: -0.1 is out of range; use a value >= 0"),
    ("[levers]\nenforcement_probability = 1.01\n",
     "[levers] enforcement_probability: 1.01 is out of range; use a value in [0, 1]"),
], ids=["negative-count", "over-ceiling", "age", "share", "money", "rate", "probability"])
def test_a_value_outside_the_valid_domain_is_refused_in_one_line(make_scenario, body: str,
                                                                 expected: str) -> None:
    path = make_scenario(body)
    assert _one_line_error(path) == expected


@pytest.mark.parametrize(("body", "words"), [
    ("[community]\nvillage_names = ['A', 'A', 'B', 'C']\n",
     ["village_names", "'A'", "more than once"]),
    ("[community]\nvillage_names = ['A', '  ', 'B', 'C']\n", ["village_names", "non-empty"]),
    ("[community]\nvillage_names = ['A', '', 'B', 'C']\n", ["village_names", "non-empty"]),
    ('[community]\nvillage_names = ["A", "B\\nC", "D", "E"]\n', ["village_names", "control"]),
    (f"[community]\nvillage_names = ['A', 'B', 'C', '{'v' * 81}']\n",
     ["village_names", f"at most {MAX_NAME_LENGTH}"]),
    ("[community]\nvillage_names = ['A', 'B']\n",
     ["assets_per_capita", "one value per village (2", "got 4"]),
    ("[community]\nvillage_names = []\n", ["village_names", "one value per village"]),
], ids=["duplicate", "blank", "empty", "newline", "overlong", "count-mismatch", "no-village"])
def test_bad_village_names_are_refused_in_one_line(make_scenario, body: str,
                                                   words: list[str]) -> None:
    message = _one_line_error(make_scenario(body))
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(("body", "words"), [
    ("[community]\nage_shares = [1.0, 0.0, 0.0, 0.0]\n", ["no one would be of working age"]),
    ("[community]\njob_entry_age = 70.0\n", ["no one would be of working age"]),
    ("[community]\nretirement_age_men = 10.0\nretirement_age_women = 10.0\n",
     ["no one would be of working age"]),
    ("[community]\nhouseholds = 10\nresidents = 30\nparty_members = 5\ncadres = 5\n"
     "village_household_shares = [0.05, 0.35, 0.3, 0.3]\n",
     ["village_household_shares", "'Liduan'", "no household"]),
    ("[community]\ncollective_retained_per_capita = [40000.0, 16000.0, 15000.0, 14000.0]\n",
     ["collective_retained_per_capita", "exceeds its assets_per_capita"]),
    ("[community]\ncadre_college_share = 0.5\n", ["cadre_college_share", "sum <= 1"]),
    ("[community]\nhouseholds = 5000\n", ["residents", "at least the number of households"]),
], ids=["children-only", "late-job-entry", "early-retirement", "village-without-household",
        "book-value-above-assets", "cadre-shares", "fewer-residents-than-households"])
def test_combinations_the_model_cannot_run_are_refused(make_scenario, body: str,
                                                       words: list[str]) -> None:
    message = _one_line_error(make_scenario(body))
    for word in words:
        assert word in message, message


def test_the_working_age_share_follows_the_bands() -> None:
    c = Scenario().community
    assert 0.3 < c.working_age_share() < 0.8
    older = dataclasses.replace(c, retirement_age_men=65.0, retirement_age_women=65.0)
    assert older.working_age_share() > c.working_age_share()


# --------------------------------------------------------------------------------------------
# Safe names and the depth of extends chains
# --------------------------------------------------------------------------------------------

UNSAFE = [("a/b", "path separator"), ("a\\b", "path separator"), ("..", "cannot be"),
          (".", "cannot be"), ("a\nb", "control"), ("bell\u0007", "control"),
          ("zero\u200bwidth", "control"), (" padded", "spaces"), ("padded ", "spaces"),
          ("n" * (MAX_NAME_LENGTH + 1), f"at most {MAX_NAME_LENGTH}")]


@pytest.mark.parametrize(("name", "words"), UNSAFE,
                         ids=["slash", "backslash", "dotdot", "dot", "newline", "bell",
                              "zero-width", "leading-space", "trailing-space", "overlong"])
def test_an_unsafe_scenario_name_is_refused_in_one_line(tmp_path: Path, name: str,
                                                        words: str) -> None:
    path = tmp_path / "named.toml"
    path.write_text(f"[scenario]\nname = {json.dumps(name)}\n", "utf-8")
    message = _one_line_error(path)
    assert message.startswith("[scenario] name: ") and words in message, message
    assert len(message) < 200  # an overlong name is cut short, not echoed


@pytest.mark.parametrize("name", ["n" * MAX_NAME_LENGTH, "Scheme 2 (phased), 东裕", "a.b-c_d"])
def test_a_safe_scenario_name_loads(tmp_path: Path, name: str) -> None:
    path = tmp_path / "named.toml"
    path.write_text(f"[scenario]\nname = {json.dumps(name)}\n", "utf-8")
    assert load_scenario(path).name == name


def _chain(tmp_path: Path, length: int) -> Path:
    """``length`` files, each extending the next; the first is returned."""
    for i in range(length):
        extends = f'extends = "c{i + 1}.toml"\n' if i < length - 1 else ""
        (tmp_path / f"c{i}.toml").write_text(f'[scenario]\nname = "c{i}"\n{extends}', "utf-8")
    return tmp_path / "c0.toml"


def test_a_chain_at_the_limit_loads(tmp_path: Path) -> None:
    scenario = load_scenario(_chain(tmp_path, MAX_EXTENDS_DEPTH))
    assert len(scenario.files) == MAX_EXTENDS_DEPTH and scenario.name == "c0"


@pytest.mark.parametrize("length", [MAX_EXTENDS_DEPTH + 1, 400])
def test_a_deeper_chain_is_refused_in_one_line_without_recursion_error(tmp_path: Path,
                                                                       length: int) -> None:
    message = _one_line_error(_chain(tmp_path, length))
    assert message.startswith("[scenario] extends: ")
    assert f"more than {MAX_EXTENDS_DEPTH} files" in message
    assert f"c{MAX_EXTENDS_DEPTH}.toml" in message
    assert len(message) < 300  # reported once, not wrapped by each of the 32 files


# --------------------------------------------------------------------------------------------
# Sweeps: plausible sampling, integer factors, sample sizes, names
# --------------------------------------------------------------------------------------------

def _sweep(tmp_path: Path, scenarios_dir: Path, parameters: str, **sweep: object) -> Path:
    table = {"name": "domains", "scenarios": [(scenarios_dir / "scheme1.toml").as_posix()],
             "design": "latin_hypercube", "samples": 8, "replications": 1, "seed": 3,
             "horizon_years": 1, **sweep}
    body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in table.items())
    path = tmp_path / "sweep.toml"
    path.write_text(f"[sweep]\n{body}\n{parameters}", "utf-8")
    return path


def test_a_factor_with_no_range_samples_its_plausible_range(tmp_path: Path,
                                                           scenarios_dir: Path) -> None:
    spec = load_sweep(_sweep(tmp_path, scenarios_dir, "[parameters.enforcement_probability]\n"
                             "[parameters.training_capacity]\ninteger = true\n"
                             "[parameters.residents_committee_month]\n"
                             "[parameters.property_fee_payer]\n[parameters.home_visits]\n"))
    factors = {f.name: f for f in spec.factors}
    rows = CATALOGUE.set_index("name")
    for name in ("enforcement_probability", "training_capacity", "residents_committee_month"):
        assert (factors[name].low, factors[name].high) == \
            (rows.loc[name, "plausible_low"], rows.loc[name, "plausible_high"]), name
    assert factors["training_capacity"].integer and factors["residents_committee_month"].integer
    assert not factors["enforcement_probability"].integer
    assert factors["property_fee_payer"].values == ("collective", "households")
    assert factors["home_visits"].values == (False, True)
    points = design_points(spec)
    assert points["training_capacity"].between(0, 200).all()
    assert points["training_capacity"].map(type).eq(int).all()
    assert points["training_capacity"].max() > 100  # beyond the old sweeps' 0-100
    assert points["enforcement_probability"].between(0, 1).all()
    assert points["enforcement_probability"].nunique() == 8
    assert set(points["property_fee_payer"]) == {"collective", "households"}


@pytest.mark.parametrize(("parameters", "words"), [
    ("[parameters.enforcement_probability]\nrange = [0.05, 0.6]\ninteger = true\n",
     ["[parameters.enforcement_probability] integer", "not a whole-number parameter"]),
    ("[parameters.enforcement_probability]\ninteger = true\n",
     ["[parameters.enforcement_probability] integer", "not a whole-number parameter"]),
    ("[parameters.home_visits]\ninteger = true\n",
     ["[parameters.home_visits] integer", "not a whole-number parameter"]),
    ("[parameters.training_capacity]\ninteger = 1\n",
     ["[parameters.training_capacity] integer", "true or false"]),
    ("[parameters.households]\n", ["[parameters.households]", "single value 1750", "range"]),
    ("[parameters.village_names]\n", ["[parameters.village_names]", "no plausible range"]),
    ("[parameters.enforcement_probability]\nrange = [0.5, 1.5]\n",
     ["[parameters.enforcement_probability]", "1.5", "[0, 1]"]),
    ("[parameters.enforcement_probability]\nrange = [0.1, 0.2]\nvalues = [0.1]\n",
     ["exactly one of range or values"]),
], ids=["integer-on-float-range", "integer-on-float-plausible", "integer-on-switch",
        "integer-not-bool", "fixed-plausible", "text", "range-outside-domain", "both"])
def test_a_bad_factor_is_refused_in_one_line(tmp_path: Path, scenarios_dir: Path,
                                             parameters: str, words: list[str]) -> None:
    path = _sweep(tmp_path, scenarios_dir, parameters)
    message = _one_line_error(path, load_sweep)
    for word in words:
        assert word in message, message


def test_an_explicit_range_beyond_the_plausible_one_is_accepted(tmp_path: Path,
                                                               scenarios_dir: Path) -> None:
    spec = load_sweep(_sweep(tmp_path, scenarios_dir,
                             "[parameters.training_capacity]\nrange = [0, 1000]\ninteger = true\n"))
    assert (spec.factors[0].low, spec.factors[0].high) == (0, 1000)


@pytest.mark.parametrize(("design", "samples", "need"), [
    ("latin_hypercube", 1, 2), ("sobol", 1, 2), ("morris", 1, 2)])
def test_too_few_samples_for_the_design_are_refused(tmp_path: Path, scenarios_dir: Path,
                                                    design: str, samples: int,
                                                    need: int) -> None:
    path = _sweep(tmp_path, scenarios_dir, "[parameters.confidence_bound]\n", design=design,
                  samples=samples)
    message = _one_line_error(path, load_sweep)
    assert message.startswith("[sweep] samples: 1 is too few") and design in message
    assert f"at least {need}" in message


@pytest.mark.parametrize("design", ["latin_hypercube", "sobol", "morris", "full_factorial"])
def test_the_smallest_sample_each_design_takes_loads(tmp_path: Path, scenarios_dir: Path,
                                                     design: str) -> None:
    samples = 1 if design == "full_factorial" else 2  # a factorial ignores samples
    spec = load_sweep(_sweep(tmp_path, scenarios_dir, "[parameters.confidence_bound]\n",
                             design=design, samples=samples))
    assert spec.samples == samples and len(design_points(spec)) >= 2


@pytest.mark.parametrize(("name", "words"), UNSAFE[:5], ids=["slash", "backslash", "dotdot",
                                                             "dot", "newline"])
def test_an_unsafe_sweep_name_is_refused_in_one_line(tmp_path: Path, scenarios_dir: Path,
                                                     name: str, words: str) -> None:
    path = _sweep(tmp_path, scenarios_dir, "[parameters.confidence_bound]\n", name=name)
    message = _one_line_error(path, load_sweep)
    assert message.startswith("[sweep] name: ") and words in message, message


# --------------------------------------------------------------------------------------------
# resettle params, and a second community
# --------------------------------------------------------------------------------------------

def test_params_shows_the_valid_and_plausible_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert call(["params"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-2:] == ["valid", "plausible"]
    households = next(line for line in lines if line.split()[1] == "households")
    assert "a value in [1, 2000000]" in households and "fixed at 1750" in households


def test_the_second_community_differs_from_dongyu() -> None:
    s = load_scenario(SECOND)
    assert s.files == (str(SECOND),)  # it extends nothing
    c, dongyu = s.community, Scenario().community
    assert len(c.village_names) == 3 and c.households == 600 and c.residents == 1500
    assert all(12000 <= a <= 18000 for a in c.assets_per_capita)
    assert c.property_fee_per_year != dongyu.property_fee_per_year
    assert all(len(getattr(c, name)) == 3 for name in sections.PER_VILLAGE)
    assert SECOND.read_text("utf-8").lower().count("hypothetical") >= 5


def test_the_second_community_runs_through_the_library() -> None:
    scenario = load_scenario(SECOND).replace(horizon_years=2)
    model = resettle.CommunityModel(scenario, rng=4)
    table = model.run()
    assert len(table) == 25 and table["month"].max() == 24
    assert model.homes.n == 600 and model.people.n == 1500
    assert len(model.cooperatives) == 3
    assert sorted(np.unique(model.people.village)) == [0, 1, 2]
    assert (table["households"] == 600).all() and (table["residents"] == 1500).all()
    last = table.iloc[-1]
    for metric in HEADLINE:
        assert np.isfinite(float(last[metric])), metric


def test_the_second_community_runs_through_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert call(["run", str(SECOND), "--reps", "1", "--years", "2", "--seed", "5", "--quiet",
                 "--out", str(out)]) == 0
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert set(monthly["scenario"]) == {"second-community"}
    assert monthly["replication"].nunique() == 1 and monthly["month"].max() == 24
    assert (monthly["households"] == 600).all()
    agents = pd.read_parquet(out / "agents.parquet")
    assert set(agents["village"].astype(str)) == {"Dongcun", "Xicun", "Nancun"}
    assert agents["household"].nunique() == 600
    for metric in HEADLINE:
        assert np.isfinite(monthly[metric].iloc[-1]), metric
