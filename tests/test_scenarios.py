"""Scenario files: the shipped scenarios, the parameter catalogue, and every kind of bad input.

A user's mistake must raise ``resettle.ScenarioError`` with a one-line message naming the file,
the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resettle
from resettle.params.catalogue import catalogue
from resettle.params.scenario import SECTIONS, Scenario, load_scenario

SCHEME_LEVERS = {"branch_basis", "cooperative_mode", "property_fee_payer", "property_company",
                 "leadership"}


def _error(path: Path) -> str:
    """The ScenarioError message loading ``path`` gives, checked to be one line naming the file.

    Returned with ``path``'s directory replaced by ``<dir>`` so that words in the test's
    tmp_path (its name) cannot satisfy a later ``key in message``.
    """
    with pytest.raises(resettle.ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.strip(), "empty error message"
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert "Traceback" not in message
    assert message.startswith(f"{path}: "), f"does not name the file first: {message!r}"
    return message.replace(str(path.parent), "<dir>")


def _differing(a: object, b: object) -> set[str]:
    """Names of the dataclass fields where ``a`` and ``b`` differ."""
    return {f.name for f in dataclasses.fields(a) if getattr(a, f.name) != getattr(b, f.name)}


# --------------------------------------------------------------------------------------------
# The shipped scenarios
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["baseline", "scheme1", "scheme2", "phased", "triggered"])
def test_shipped_scenario_loads(scenarios_dir: Path, stem: str) -> None:
    path = scenarios_dir / f"{stem}.toml"
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == stem
    assert scenario.files[-1] == str(path)
    assert Path(scenario.files[0]).name == "baseline.toml"
    assert scenario.horizon_years == 15


def test_baseline_equals_builtin_defaults(scenarios_dir: Path) -> None:
    """Every section of baseline.toml equals Scenario(), field by field."""
    baseline, default = load_scenario(scenarios_dir / "baseline.toml"), Scenario()
    for section in SECTIONS:
        ours, theirs = getattr(baseline, section), getattr(default, section)
        for f in dataclasses.fields(theirs):
            assert getattr(ours, f.name) == getattr(theirs, f.name), f"[{section}] {f.name}"
            assert type(getattr(ours, f.name)) is type(getattr(theirs, f.name)), f.name
        assert ours == theirs
    assert baseline.horizon_years == default.horizon_years
    assert baseline.switch_year is None and baseline.switch_levers is None
    assert _differing(baseline, default) <= {"name", "description", "description_zh", "files",
                                             "file_hashes"}


def test_schemes_differ_exactly_in_the_scheme_levers(scenarios_dir: Path) -> None:
    """BRIEF §4 vs §5: only branch basis, cooperatives, fee payer, company, leadership."""
    s1 = load_scenario(scenarios_dir / "scheme1.toml")
    s2 = load_scenario(scenarios_dir / "scheme2.toml")
    assert _differing(s1.levers, s2.levers) == SCHEME_LEVERS
    expected = {"branch_basis": ("village", "building"),
                "cooperative_mode": ("village", "corporate"),
                "property_fee_payer": ("collective", "households"),
                "property_company": ("community", "spun_off"),
                "leadership": ("appointed", "elected")}
    for lever, (one, two) in expected.items():
        assert (getattr(s1.levers, lever), getattr(s2.levers, lever)) == (one, two)
    assert s1.community == s2.community
    assert s1.uncertainties == s2.uncertainties
    assert s1.levers == Scenario().levers  # the defaults are Scheme 1


def test_phased_switches_to_scheme2_levers(scenarios_dir: Path) -> None:
    phased = load_scenario(scenarios_dir / "phased.toml")
    s1 = load_scenario(scenarios_dir / "scheme1.toml")
    s2 = load_scenario(scenarios_dir / "scheme2.toml")
    assert phased.switch_year == 5
    assert phased.switch_levers == s2.levers
    assert _differing(phased.levers, s1.levers) == {"cooperative_mode"}
    assert phased.levers.cooperative_mode == "corporate"
    assert phased.community == s1.community


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

def test_catalogue_units_sources_and_ranges() -> None:
    table = catalogue()
    expected = {f.name for cls in SECTIONS.values() for f in dataclasses.fields(cls)}
    assert set(table["name"]) == expected
    assert len(table) > 100
    for row in table.itertuples():
        assert isinstance(row.unit, str) and row.unit.strip(), row.name
        assert isinstance(row.source, str) and row.source.strip(), row.name
        if "assumption" in row.source.lower():
            has_range = not pd.isna(row.plausible_low) and not pd.isna(row.plausible_high)
            has_choices = isinstance(row.choices, tuple) and len(row.choices) > 0
            assert has_range or has_choices, f"{row.name}: assumption without range or choices"


def test_parameter_names_unique_across_sections() -> None:
    names = [f.name for cls in SECTIONS.values() for f in dataclasses.fields(cls)]
    assert len(names) == len(set(names))
    assert not catalogue()["name"].duplicated().any()
    header = {f.name for f in dataclasses.fields(Scenario)}
    assert not header & set(names), "a parameter shadows a scenario header field"


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

def _case(body: str, key: str, allowed: str, header: str = "", *, name: str):
    """One bad-input case: the body and header lines, the key named, what is allowed."""
    return pytest.param(body, header, key, allowed, id=name)


BAD_VALUES = [
    _case('[levers]\nbrnch_basis = "village"\n', "brnch_basis", "did you mean 'branch_basis'",
          name="typo-suggests"),
    _case("[leverz]\nleadership = 'elected'\n", "leverz", "did you mean 'levers'",
          name="typo-section"),
    _case("[levers]\nzzzzzz = 1\n", "zzzzzz", "allowed: ", name="unknown-lists-allowed"),
    _case('[uncertainties]\nconfidence_bound = "high"\n', "confidence_bound", "a number",
          name="string-for-number"),
    _case("[community]\nhouseholds = 1750.5\n", "households", "whole number",
          name="float-for-int"),
    _case("[community]\nhouseholds = 1750.0\n", "households", "whole number",
          name="whole-float-for-int"),
    _case("[community]\nhouseholds = true\n", "households", "whole number", name="bool-for-int"),
    _case("[uncertainties]\nconfidence_bound = false\n", "confidence_bound", "a number",
          name="bool-for-float"),
    _case("[levers]\nmass_organisations = 1\n", "mass_organisations", "true or false",
          name="int-for-bool"),
    _case("[uncertainties]\nconfidence_bound = nan\n", "confidence_bound", "finite", name="nan"),
    _case("[levers]\nenforcement_probability = 1.5\n", "enforcement_probability", "[0, 1]",
          name="probability-above-1"),
    _case("[levers]\nenforcement_probability = -0.01\n", "enforcement_probability", "[0, 1]",
          name="probability-below-0"),
    _case("[community]\nparty_members = -1\n", "party_members", "[0, ", name="negative-count"),
    _case('[levers]\nproperty_company = "privatised"\n', "property_company",
          "one of 'community', 'spun_off', 'outsourced'", name="choice-not-allowed"),
    _case("[community]\nage_shares = [0.5, 0.5]\n", "age_shares", "list of 4 values",
          name="list-wrong-length"),
    _case("[community]\nassets_per_capita = [38300.0, 35900.0, 33400.0, -1.0]\n",
          "assets_per_capita", "[0, 1e+12]", name="list-element-out-of-range"),
    _case("[community]\nage_shares = [0.2, 0.2, 0.2, 0.2]\n", "age_shares", "add up to 1",
          name="shares-do-not-add-up"),
    _case('[switch]\nyear = 16\nto = "SCHEME2"\n', "[switch] year", "[0, 15]",
          name="switch-beyond-horizon"),
    _case('[switch]\nyear = 3\nto = "SCHEME2"\n', "[switch] year", "[0, 2]",
          header="horizon_years = 2", name="switch-beyond-shorter-horizon"),
    _case('[switch]\nyear = -1\nto = "SCHEME2"\n', "[switch] year", "[0, 15]",
          name="switch-negative"),
    _case('[switch]\nyear = 2.5\nto = "SCHEME2"\n', "[switch] year", "whole number",
          name="switch-year-float"),
    _case("[switch]\nyear = 3\n", "[switch] to", "scenario file", name="switch-without-to"),
    _case('[switch]\nyear = 3\nto = "SCHEME2"\n[switch.levers]\nleadrship = "elected"\n',
          "leadrship", "did you mean 'leadership'", name="switch-levers-typo"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\natitude = { at_least = 0.5 }\n',
          "[switch.when] atitude", "did you mean 'attitude'", name="trigger-unknown-signpost"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\nattitude = { at_least = 1.5 }\n',
          "[switch.when] attitude.at_least", "outside the values the indicator can take [0, 1]",
          name="trigger-impossible-threshold"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\nattitude = { at_least = 0.6, at_most = '
          '0.5 }\n', "[switch.when] attitude", "no value can meet both",
          name="trigger-empty-band"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\nattitude = { above = 0.5 }\n',
          "[switch.when] attitude above", "allowed: at_least, at_most", name="trigger-bound-key"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\nattitude = { at_least = "high" }\n',
          "[switch.when] attitude.at_least", "finite number", name="trigger-threshold-text"),
    _case('[switch]\nto = "SCHEME2"\nwhen = 3\n', "[switch.when]", "table of conditions",
          name="trigger-not-a-table"),
    _case('[switch]\nyear = 3\nto = "SCHEME2"\n[switch.when]\nattitude = { at_least = 0.5 }\n',
          "[switch] year", "not both", name="trigger-and-year"),
    _case('[switch]\nto = "SCHEME2"\nhold_months = 0\n[switch.when]\nattitude = { at_least = '
          '0.5 }\n', "[switch] hold_months", "[1, 1200]", name="trigger-hold-zero"),
    _case('[switch]\nto = "SCHEME2"\nearliest_year = 16\n[switch.when]\nattitude = '
          '{ at_least = 0.5 }\n', "[switch] earliest_year", "[0, 14]",
          name="trigger-earliest-beyond-horizon"),
    _case('[switch]\nto = "SCHEME2"\nearliest_year = 15\n[switch.when]\nattitude = '
          '{ at_least = 0.5 }\n', "[switch] earliest_year", "leaves no month to switch in",
          name="trigger-earliest-at-horizon"),
    _case('[switch]\nto = "SCHEME2"\nhold_months = 37\n[switch.when]\nattitude = '
          '{ at_least = 0.5 }\n', "[switch] hold_months", "[1, 36]", header="horizon_years = 3",
          name="trigger-hold-beyond-horizon"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\npetitions = { at_least = 2 }\n',
          "[switch.when] petitions.at_least", "[0, 1]", name="trigger-petitions-above-1"),
    _case('[switch]\nto = "SCHEME2"\n[switch.when]\n"attitude - employment" = '
          '{ at_least = 0 }\n', "[switch.when] 'attitude - employment'", "unknown key",
          name="trigger-difference-not-a-signpost"),
    _case('[switch]\nto = "SCHEME2"\nearliest_year = 5\nlatest_year = 4\n[switch.when]\n'
          'attitude = { at_least = 0.5 }\n', "[switch] latest_year",
          "[earliest_year = 5, 100]", name="trigger-latest-before-earliest"),
    _case('[switch]\nto = "SCHEME2"\nhold_months = 6\n', "[switch] hold_months",
          "only with a [switch.when]", name="trigger-hold-without-when"),
    _case('[switch]\n[switch.when]\nattitude = { at_least = 0.5 }\n', "[switch] to",
          "or a [switch.levers] table", name="trigger-without-levers"),
    _case("", "horizon_years", "[1, 100]", header="horizon_years = 0", name="horizon-zero"),
    _case("", "horizon_years", "[1, 100]", header="horizon_years = 101", name="horizon-too-long"),
    _case("", "description", "text", header="description = 3", name="description-not-text"),
]


@pytest.mark.parametrize(("body", "header", "key", "allowed"), BAD_VALUES)
def test_bad_value_raises_one_line_naming_file_key_allowed(
        make_scenario, scenarios_dir: Path, body: str, header: str, key: str,
        allowed: str) -> None:
    body = body.replace("SCHEME2", (scenarios_dir / "scheme2.toml").as_posix())
    path = make_scenario(body, header=header)
    message = _error(path)
    assert key in message
    assert allowed in message


def test_section_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "flat.toml"
    path.write_text('levers = 3\n[scenario]\nname = "flat"\n', "utf-8")
    message = _error(path)
    assert "[levers]" in message and "table" in message


def test_missing_scenario_section(tmp_path: Path) -> None:
    path = tmp_path / "nosection.toml"
    path.write_text('[levers]\nleadership = "elected"\n', "utf-8")
    message = _error(path)
    assert "[scenario]" in message and "name" in message


@pytest.mark.parametrize("header", ['description = "no name"', 'name = ""', "name = 3"])
def test_missing_scenario_name(tmp_path: Path, header: str) -> None:
    path = tmp_path / "noname.toml"
    path.write_text(f"[scenario]\n{header}\n", "utf-8")
    message = _error(path)
    assert "[scenario] name" in message and "text" in message


def test_unknown_header_key_suggests(make_scenario) -> None:
    path = make_scenario(header="horizon = 3")
    message = _error(path)
    assert "did you mean 'horizon_years'" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    message = _error(path)
    assert "not found" in message


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[scenario\nname = "x"\n', "utf-8")
    message = _error(path)
    assert "TOML" in message and "line 1" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe[scenario]\n")
    assert "cannot read" in _error(path)


@pytest.mark.parametrize("length", [1, 2, 3])
def test_circular_extends(tmp_path: Path, length: int) -> None:
    paths = [tmp_path / f"c{i}.toml" for i in range(length)]
    for i, path in enumerate(paths):
        target = paths[(i + 1) % length].name
        path.write_text(f'[scenario]\nname = "c{i}"\nextends = "{target}"\n', "utf-8")
    message = _error(paths[0])
    assert "extends" in message and "circular" in message


def test_error_in_extended_file_names_that_file(tmp_path: Path, make_scenario) -> None:
    parent = make_scenario('[levers]\nleadership = "dictator"\n', name="parent")
    child = tmp_path / "child.toml"
    child.write_text('[scenario]\nname = "child"\nextends = "parent.toml"\n', "utf-8")
    message = _error(child)
    assert "child.toml" in message and "parent.toml" in message
    assert "leadership" in message and "'appointed', 'elected'" in message
    assert parent.exists()


def test_extends_is_relative_to_the_file(tmp_path: Path, scenarios_dir: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    for stem in ("baseline", "scheme2"):
        shutil.copy(scenarios_dir / f"{stem}.toml", sub / f"{stem}.toml")
    (sub / "child.toml").write_text('[scenario]\nname = "child"\nextends = "scheme2.toml"\n'
                                    "[uncertainties]\nconfidence_bound = 0.25\n", "utf-8")
    child = load_scenario(sub / "child.toml")
    assert child.levers == load_scenario(scenarios_dir / "scheme2.toml").levers
    assert child.uncertainties.confidence_bound == 0.25


@pytest.mark.parametrize(("body", "suggestion"), [
    ('[levers]\n"brnch\\nbasis" = 1\n', "did you mean 'branch_basis'"),
    ('["lev\\ners"]\nx = 1\n', "did you mean 'levers'"),
])
def test_unknown_key_with_newline_is_still_one_line(make_scenario, body: str,
                                                    suggestion: str) -> None:
    """A quoted TOML key may hold a newline; the message must stay on one line."""
    assert suggestion in _error(make_scenario(body))


def test_circular_switch_names_switch_to(make_scenario) -> None:
    message = _error(make_scenario('[switch]\nyear = 2\nto = "bad.toml"\n'))
    assert "[switch] to" in message and "circular" in message


def test_missing_extends_target_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "orphan.toml"
    path.write_text('[scenario]\nname = "orphan"\nextends = "nowhere.toml"\n', "utf-8")
    message = _error(path)
    assert "[scenario] extends" in message and "nowhere.toml" in message
    assert "not found" in message


def test_missing_switch_target_names_the_key(make_scenario) -> None:
    message = _error(make_scenario('[switch]\nyear = 2\nto = "nowhere.toml"\n'))
    assert "[switch] to" in message and "nowhere.toml" in message and "not found" in message


# --------------------------------------------------------------------------------------------
# Scenario objects: replace validates too
# --------------------------------------------------------------------------------------------

def test_replace_changes_and_validates() -> None:
    changed = Scenario().replace(property_fee_payer="households", confidence_bound=0.2,
                                 horizon_years=3)
    assert changed.levers.property_fee_payer == "households"
    assert changed.uncertainties.confidence_bound == 0.2
    assert changed.horizon_years == 3
    assert Scenario().levers.property_fee_payer == "collective"
    with pytest.raises(resettle.ScenarioError, match="did you mean 'branch_basis'"):
        Scenario().replace(brnch_basis="building")
    with pytest.raises(resettle.ScenarioError, match=r"leadership.*'appointed', 'elected'"):
        Scenario().replace(leadership="hereditary")
    with pytest.raises(resettle.ScenarioError, match=r"horizon_years.*\[1, 100\]"):
        Scenario().replace(horizon_years=0)


def test_replace_typo_of_header_field_suggests() -> None:
    with pytest.raises(resettle.ScenarioError, match="did you mean 'horizon_years'"):
        Scenario().replace(horizon_yers=3)


# --------------------------------------------------------------------------------------------
# Property test over declared valid domains
# --------------------------------------------------------------------------------------------

NUMERIC = ("confidence_bound", "convergence_rate", "enforcement_probability", "penalty_rate",
           "cadre_mean_age", "corporate_return_uplift", "training_months",
           "contacts_per_month", "building_areas")
ROWS = {row["name"]: row for row in catalogue().to_dict("records") if row["name"] in NUMERIC}


def _bound(value: object) -> float | None:
    return None if value is None or pd.isna(value) else value


def _value(row: dict, draw, inside: bool) -> float | int:
    """A value inside the valid domain (up to 10^6 above the lower bound where there is no
    upper one), or outside it on a bounded side."""
    low, high = _bound(row["low"]), _bound(row["high"])
    top = high if high is not None else low + 10**6
    if isinstance(row["default"], int):
        outside = [st.integers(int(b) + 1, int(b) + 10**6) for b in [high] if b is not None]
        outside += [st.integers(int(low) - 10**6, int(low) - 1)]
        return draw(st.integers(int(low), int(top)) if inside else st.one_of(outside))
    floats = dict(allow_nan=False, allow_infinity=False)
    if inside:
        return draw(st.floats(low, top, **floats))
    span = max(top - low, 1.0) * 1e3
    outside = [st.floats(low - span, low, exclude_max=True, **floats)]
    if high is not None:
        outside.append(st.floats(high, high + span, exclude_min=True, **floats))
    return draw(st.one_of(outside))


def _write(name: str, value: float | int, scenarios_dir: Path, scratch: Path) -> Path:
    section = next(s for s, cls in SECTIONS.items()
                   if name in {f.name for f in dataclasses.fields(cls)})
    path = scratch / "prop.toml"
    base = (scenarios_dir / "baseline.toml").as_posix()
    path.write_text(f'[scenario]\nname = "prop"\nextends = "{base}"\n'
                    f"[{section}]\n{name} = {value!r}\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for the property test's files (Hypothesis reruns the test body)."""
    return tmp_path_factory.mktemp("ranges")


def test_property_rows_exist() -> None:
    assert set(ROWS) == set(NUMERIC)
    assert all(_bound(r["low"]) is not None for r in ROWS.values())
    assert any(_bound(r["high"]) is None for r in ROWS.values())  # unbounded above, too


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NUMERIC), inside=st.booleans(), data=st.data())
def test_declared_ranges_are_enforced(scenarios_dir: Path, scratch: Path, name: str,
                                      inside: bool, data: st.DataObject) -> None:
    """Values in the valid domain load unchanged (whatever the plausible range); values outside
    it raise naming the key."""
    row = ROWS[name]
    value = _value(row, data.draw, inside)
    path = _write(name, value, scenarios_dir, scratch)
    if inside:
        scenario = load_scenario(path)
        section = next(s for s in SECTIONS if hasattr(getattr(scenario, s), name))
        assert getattr(getattr(scenario, section), name) == value
    else:
        message = _error(path)
        assert name in message and "out of range" in message


def test_numpy_scalars_are_accepted_and_converted() -> None:
    """numpy ints, floats and bools (as sweeps and EMA Workbench produce) become Python ones."""
    import numpy as np

    s = resettle.Scenario().replace(training_capacity=np.int64(5), fee_base=np.float32(0.5),
                                    home_visits=np.bool_(False))
    assert s.levers.training_capacity == 5 and type(s.levers.training_capacity) is int
    assert type(s.uncertainties.fee_base) is float
    assert s.levers.home_visits is False
    with pytest.raises(resettle.ScenarioError, match="whole number"):
        resettle.Scenario().replace(training_capacity=np.float64(5.0))
    with pytest.raises(resettle.ScenarioError, match="expected a number"):
        resettle.Scenario().replace(fee_base=np.bool_(True))
