"""Scenario files: the shipped scenarios, the parameter catalogue, and every kind of bad input.

A user's mistake must raise ``resettle.ScenarioError`` with a one-line message naming the file,
the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resettle
from resettle.catalogue import catalogue
from resettle.scenario import SECTIONS, Scenario, load_scenario

SCHEME_LEVERS = {"branch_basis", "cooperative_mode", "property_fee_payer", "property_company",
                 "leadership"}


def _error(path: Path) -> str:
    """The message of the ScenarioError that loading ``path`` raises; checks it is one line."""
    with pytest.raises(resettle.ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.strip(), "empty error message"
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert "Traceback" not in message
    return message


def _differing(a: object, b: object) -> set[str]:
    """Names of the dataclass fields where ``a`` and ``b`` differ."""
    return {f.name for f in dataclasses.fields(a) if getattr(a, f.name) != getattr(b, f.name)}


# --------------------------------------------------------------------------------------------
# The shipped scenarios
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["baseline", "scheme1", "scheme2", "phased"])
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
    assert _differing(baseline, default) <= {"name", "description", "files"}


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
            has_range = not pd.isna(row.low) or not pd.isna(row.high)
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

BAD_VALUES = {
    # id: (body, key named, what-is-allowed fragment)
    "typo-suggests": ('[levers]\nbrnch_basis = "village"\n', "brnch_basis",
                      "did you mean 'branch_basis'"),
    "typo-section": ("[leverz]\nleadership = 'elected'\n", "leverz", "did you mean 'levers'"),
    "unknown-lists-allowed": ("[levers]\nzzzzzz = 1\n", "zzzzzz", "branch_basis"),
    "string-for-number": ('[uncertainties]\nconfidence_bound = "high"\n', "confidence_bound",
                          "a number"),
    "float-for-int": ("[community]\nhouseholds = 1750.5\n", "households", "whole number"),
    "whole-float-for-int": ("[community]\nhouseholds = 1750.0\n", "households",
                            "whole number"),
    "bool-for-int": ("[community]\nhouseholds = true\n", "households", "whole number"),
    "bool-for-float": ("[uncertainties]\nconfidence_bound = false\n", "confidence_bound",
                       "a number"),
    "int-for-bool": ("[levers]\nmass_organisations = 1\n", "mass_organisations",
                     "true or false"),
    "nan": ("[uncertainties]\nconfidence_bound = nan\n", "confidence_bound", "finite"),
    "probability-above-1": ("[levers]\nenforcement_probability = 1.5\n",
                            "enforcement_probability", "[0, 1]"),
    "probability-below-0": ("[levers]\nenforcement_probability = -0.01\n",
                            "enforcement_probability", "[0, 1]"),
    "negative-count": ("[community]\nparty_members = -1\n", "party_members", "[0, "),
    "choice-not-allowed": ('[levers]\nproperty_company = "privatised"\n', "property_company",
                           "'community', 'spun_off', 'outsourced'"),
    "list-wrong-length": ("[community]\nage_shares = [0.5, 0.5]\n", "age_shares",
                          "list of 4 values"),
    "list-element-out-of-range": (
        "[community]\nassets_per_capita = [38300.0, 35900.0, 33400.0, 1.0]\n",
        "assets_per_capita", "[31000, 38300]"),
    "shares-do-not-add-up": ("[community]\nage_shares = [0.2, 0.2, 0.2, 0.2]\n", "age_shares",
                             "add up to 1"),
    "switch-beyond-horizon": ('[switch]\nyear = 16\nto = "scheme2.toml"\n', "[switch] year",
                              "[0, 15]"),
    "switch-negative": ('[switch]\nyear = -1\nto = "scheme2.toml"\n', "[switch] year",
                        "[0, 15]"),
    "switch-without-to": ("[switch]\nyear = 3\n", "[switch] to", "scenario file"),
    "switch-levers-typo": ('[switch]\nyear = 3\nto = "scheme2.toml"\n[switch.levers]\n'
                           'leadrship = "elected"\n', "leadrship", "did you mean 'leadership'"),
    "horizon-zero": ("", "horizon_years", "[1, 100]"),
    "section-not-a-table": ("", "[levers]", "table"),
}
HEADERS = {"horizon-zero": "horizon_years = 0", "section-not-a-table": ""}


@pytest.mark.parametrize(("body", "key", "allowed"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_value_raises_one_line_naming_file_key_allowed(
        make_scenario, scenarios_dir: Path, request: pytest.FixtureRequest,
        body: str, key: str, allowed: str) -> None:
    case = request.node.callspec.id
    body = body.replace('"scheme2.toml"', f'"{(scenarios_dir / "scheme2.toml").as_posix()}"')
    path = make_scenario(body, header=HEADERS.get(case, ""))
    if case == "section-not-a-table":
        path.write_text('levers = 3\n' + path.read_text("utf-8"), "utf-8")
    message = _error(path)
    assert str(path) in message
    assert key in message
    assert allowed in message


def test_missing_scenario_section(tmp_path: Path) -> None:
    path = tmp_path / "nosection.toml"
    path.write_text('[levers]\nleadership = "elected"\n', "utf-8")
    message = _error(path)
    assert str(path) in message and "[scenario]" in message and "name" in message


@pytest.mark.parametrize("header", ['description = "no name"', 'name = ""', "name = 3"])
def test_missing_scenario_name(tmp_path: Path, header: str) -> None:
    path = tmp_path / "noname.toml"
    path.write_text(f"[scenario]\n{header}\n", "utf-8")
    message = _error(path)
    assert str(path) in message and "[scenario] name" in message and "text" in message


def test_unknown_header_key_suggests(make_scenario) -> None:
    path = make_scenario(header="horizon = 3")
    message = _error(path)
    assert str(path) in message and "did you mean 'horizon_years'" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    message = _error(path)
    assert str(path) in message and "not found" in message


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[scenario\nname = "x"\n', "utf-8")
    message = _error(path)
    assert str(path) in message and "TOML" in message and "line 1" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe[scenario]\n")
    assert str(path) in _error(path)


@pytest.mark.parametrize("length", [1, 2, 3])
def test_circular_extends(tmp_path: Path, length: int) -> None:
    paths = [tmp_path / f"c{i}.toml" for i in range(length)]
    for i, path in enumerate(paths):
        target = paths[(i + 1) % length].name
        path.write_text(f'[scenario]\nname = "c{i}"\nextends = "{target}"\n', "utf-8")
    message = _error(paths[0])
    assert str(paths[0]) in message and "extends" in message and "circular" in message


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
    (sub / "base.toml").write_text((scenarios_dir / "scheme2.toml").read_text("utf-8")
                                   .replace('"baseline.toml"',
                                            f'"{(scenarios_dir / "baseline.toml").as_posix()}"'),
                                   "utf-8")
    (sub / "child.toml").write_text('[scenario]\nname = "child"\nextends = "base.toml"\n'
                                    "[uncertainties]\nconfidence_bound = 0.25\n", "utf-8")
    child = load_scenario(sub / "child.toml")
    assert child.levers == load_scenario(scenarios_dir / "scheme2.toml").levers
    assert child.uncertainties.confidence_bound == 0.25


@pytest.mark.xfail(strict=True, reason="schema.unknown_key_message puts the raw key into the "
                   "message, so a quoted TOML key containing a newline gives a 2-line error")
def test_unknown_key_with_newline_is_still_one_line(make_scenario) -> None:
    _error(make_scenario('[levers]\n"brnch\\nbasis" = 1\n'))


@pytest.mark.xfail(strict=True, reason="scenario._load reports any cycle as '[scenario] "
                   "extends', also when it runs through [switch] to")
def test_circular_switch_names_switch_to(make_scenario) -> None:
    path = make_scenario('[switch]\nyear = 2\nto = "bad.toml"\n')
    message = _error(path)
    assert "circular" in message and "[switch] to" in message


@pytest.mark.xfail(strict=True, reason="scenario._load/_read_toml: a missing 'extends' target "
                   "gives '<file>: <target>: file not found' without naming the key")
def test_missing_extends_target_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "orphan.toml"
    path.write_text('[scenario]\nname = "orphan"\nextends = "nowhere.toml"\n', "utf-8")
    message = _error(path)
    assert "nowhere.toml" in message and "not found" in message  # holds today
    assert "extends" in message


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


@pytest.mark.xfail(strict=True, reason="Scenario.replace suggests from set(owner) | set(header)"
                   " where header holds the overrides, not the header field names")
def test_replace_typo_of_header_field_suggests() -> None:
    with pytest.raises(resettle.ScenarioError, match="did you mean 'horizon_years'"):
        Scenario().replace(horizon_yers=3)


# --------------------------------------------------------------------------------------------
# Property test over declared ranges
# --------------------------------------------------------------------------------------------

NUMERIC = ("confidence_bound", "convergence_rate", "enforcement_probability", "penalty_rate",
           "cadre_mean_age", "corporate_return_uplift", "training_months",
           "contacts_per_month", "building_areas")
ROWS = {row["name"]: row for row in catalogue().to_dict("records") if row["name"] in NUMERIC}
SCRATCH = Path(tempfile.mkdtemp(prefix="resettle-hypothesis-"))


def _value(row: dict, draw, inside: bool) -> float | int:
    low, high = row["low"], row["high"]
    if isinstance(row["default"], int):
        ints = (st.integers(int(low), int(high)) if inside else
                st.integers(int(high) + 1, int(high) + 10**6)
                | st.integers(int(low) - 10**6, int(low) - 1))
        return draw(ints)
    floats = dict(allow_nan=False, allow_infinity=False)
    if inside:
        return draw(st.floats(low, high, **floats))
    span = max(high - low, 1.0) * 1e3
    return draw(st.floats(high, high + span, exclude_min=True, **floats)
                | st.floats(low - span, low, exclude_max=True, **floats))


def _write(name: str, value: float | int, scenarios_dir: Path) -> Path:
    section = next(s for s, cls in SECTIONS.items()
                   if name in {f.name for f in dataclasses.fields(cls)})
    path = SCRATCH / "prop.toml"
    base = (scenarios_dir / "baseline.toml").as_posix()
    path.write_text(f'[scenario]\nname = "prop"\nextends = "{base}"\n'
                    f"[{section}]\n{name} = {value!r}\n", "utf-8")
    return path


def test_property_rows_exist() -> None:
    assert set(ROWS) == set(NUMERIC)
    assert all(not math.isnan(r["low"]) and not math.isnan(r["high"]) for r in ROWS.values())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NUMERIC), inside=st.booleans(), data=st.data())
def test_declared_ranges_are_enforced(scenarios_dir: Path, name: str, inside: bool,
                                      data: st.DataObject) -> None:
    row = ROWS[name]
    value = _value(row, data.draw, inside)
    path = _write(name, value, scenarios_dir)
    if inside:
        scenario = load_scenario(path)
        section = next(s for s in SECTIONS if hasattr(getattr(scenario, s), name))
        assert getattr(getattr(scenario, section), name) == value
    else:
        message = _error(path)
        assert name in message and "out of range" in message and str(path) in message
