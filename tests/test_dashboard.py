"""The dashboard without a browser: its model, its controls, its words, its command line.

The browser test (test_dashboard_browser.py) drives the page itself; these check the parts
that can be checked faster in Python, including a render of the Solara component tree.
"""

from __future__ import annotations

import ipywidgets
import pytest
import solara

from cli_helpers import call, one_error_line
from resettle.dashboard import model as dashboard
from resettle.dashboard.model import (
    AS_SCENARIO,
    HORIZON,
    LEVER_CONTROLS,
    SCENARIO_FILES_ENV,
    SWITCH_YEAR,
    UNCERTAINTY_CONTROLS,
    DashboardModel,
    scenario_choices,
)
from resettle.dashboard.page import (
    Dashboard,
    SignpostsChart,
    model_params,
    settings_in_force,
    signposts_figure,
)
from resettle.params.catalogue import catalogue
from resettle.params.scenario import MAX_HORIZON_YEARS
from resettle.text.dashboard import CHOICES, TEXT, choice_label, organisation_label, text
from resettle.text.labels import LANGS, scenario_label

SCHEME2 = dashboard.scenarios_dir().resolve() / "scheme2.toml"


def test_every_control_stays_inside_the_declared_range():
    cat = catalogue().set_index("name")
    for control in (*LEVER_CONTROLS, *UNCERTAINTY_CONTROLS):
        row = cat.loc[control.name]
        if control.kind == "choice":
            assert set(control.choices) - {AS_SCENARIO} == set(row["choices"])
        else:
            assert row["plausible_low"] <= control.low < control.high <= row["plausible_high"], \
                control.name
    assert 1 <= HORIZON.low < HORIZON.high <= MAX_HORIZON_YEARS
    assert SWITCH_YEAR.high > HORIZON.low  # so that a rejected combination can be chosen


def test_both_languages_have_the_same_words():
    assert TEXT["en"].keys() == TEXT["zh"].keys()
    assert CHOICES["en"].keys() == CHOICES["zh"].keys()
    assert len(set(CHOICES["zh"].values())) == len(CHOICES["zh"])  # labels map back uniquely


def test_defaults_are_the_scenario_file():
    model = DashboardModel()
    assert model.invalid is None
    assert model.params == scenario_choices()["scheme1"]


@pytest.mark.parametrize("lang", LANGS)
def test_shown_labels_reach_the_model(lang):
    model = DashboardModel(scenario_name=scenario_label("scheme1", lang),
                           property_fee_payer=choice_label("households", lang),
                           branch_basis=choice_label("building", lang),
                           property_company=choice_label("outsourced", lang),
                           training_capacity=55, confidence_bound=0.3, horizon_years=8,
                           seed="7")
    assert model.invalid is None
    lv = model.levers
    assert (lv.property_fee_payer, lv.branch_basis, lv.property_company,
            lv.training_capacity) == ("households", "building", "outsourced", 55)
    assert model.params.uncertainties.confidence_bound == 0.3
    assert (model.params.horizon_years, model.seed) == (8, 7)
    shown = settings_in_force(model, lang).split(text("list_separator", lang))
    for name, value in [("property_fee_payer", choice_label("households", lang)),
                        ("property_company", choice_label("outsourced", lang)),
                        ("training_capacity", 55), ("confidence_bound", 0.3),
                        ("horizon_years", 8), ("seed", 7)]:
        assert text("key_value", lang, name=text(name, lang), value=value) in shown


def test_switch_controls():
    phased = DashboardModel(scenario_name="phased")
    assert phased.params.switch_year == scenario_choices()["phased"].switch_year
    assert DashboardModel(scenario_name="phased", switch="none").params.switch_year is None
    to2 = DashboardModel(scenario_name="scheme1", switch="scheme2", switch_year=3)
    assert to2.params.switch_year == 3
    assert to2.params.switch_levers == scenario_choices()["scheme2"].levers


def test_after_the_switch_scheme2_levers_run_with_the_training_capacity_chosen():
    model = DashboardModel(scenario_name="scheme1", switch="scheme2", switch_year=1,
                           property_fee_payer="collective", training_capacity=100)
    assert not model.switched and model.levers.property_fee_payer == "collective"
    for _ in range(13):
        model.step()
    assert model.switched
    assert model.levers.property_fee_payer == "households"  # Scheme 2's, from its file
    assert model.levers.training_capacity == 100  # common to both schemes: kept
    shown = settings_in_force(model, "en")
    assert shown.startswith("After the switch")
    assert "Who pays the property fee: owners pay (Scheme 2)" in shown


def test_the_scenario_files_numbers_run_when_the_sliders_are_off(tmp_path, monkeypatch):
    mine = tmp_path / "mine.toml"
    mine.write_text(f'[scenario]\nname = "mine"\nextends = "{SCHEME2}"\nhorizon_years = 9\n'
                    "[levers]\ntraining_capacity = 80\n[uncertainties]\nconfidence_bound = 0.3\n")
    monkeypatch.setenv(SCENARIO_FILES_ENV, str(mine))
    off = DashboardModel(scenario_name="mine", use_sliders=False, training_capacity=5)
    assert (off.levers.training_capacity, off.params.horizon_years) == (80, 9)
    assert off.params.uncertainties.confidence_bound == 0.3
    on = DashboardModel(scenario_name="mine", training_capacity=5)
    assert (on.levers.training_capacity, on.params.horizon_years) == (5, 15)


def test_missing_scenario_files_are_not_offered_as_schemes(tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard, "scenarios_dir", lambda: tmp_path)
    assert list(scenario_choices()) == ["baseline"]  # the built-in defaults only
    model = DashboardModel(scenario_name="baseline", switch="scheme2")
    assert model.invalid is not None and "'scheme2' is not one of baseline" in model.invalid


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"switch": "scheme2", "switch_year": 30}, "[switch] year: 30 is beyond the horizon"),
    ({"seed": "forty"}, "seed: 'forty' is not a whole number"),
    ({"seed": "-1"}, "seed: -1 is negative"),
    ({"scenario_name": "scheme9"}, "scenario: 'scheme9' is not one of"),
])
def test_rejected_settings_stop_the_model_with_the_message(kwargs, message):
    model = DashboardModel(**kwargs)
    assert model.invalid is not None and message in model.invalid
    assert model.running is False
    rows = len(model.rows)
    model.step()
    assert len(model.rows) == rows  # stepping a rejected model simulates nothing


def test_organisation_log_keeps_dissolved_branches():
    """The phased scenario forms building branches area by area; the village branches are
    dissolved in the month the last area has its branch, and the log keeps them."""
    model = DashboardModel(scenario_name="phased")
    switch_month = 12 * model.params.switch_year + 1
    for _ in range(switch_month):
        model.step()
    while any(b.basis == "village" for b in model.branches):
        model.step()
    last = model.rows[-1]["month"]
    village = [e for e in model.org_log.values() if e["basis"] == "village"]
    building = [e for e in model.org_log.values() if e["basis"] == "building"]
    assert len(village) == len(model.village_names)
    assert {e["dissolved"] for e in village} == {last}
    assert len(building) == model.levers.building_areas
    founded = sorted(e["founded"] for e in building)
    assert founded[0] >= switch_month and founded[-1] == last and founded[0] < last
    assert all("党支部" in organisation_label(e, "zh") for e in village + building)
    company = [e for e in model.org_log.values() if e["kind"] == "PropertyCompany"]
    assert [(e["founded"], e["dissolved"]) for e in company] == [(0, switch_month),
                                                                 (switch_month, None)]
    assert [organisation_label(e, "zh") for e in company] == ["社区物业公司", "独立注册的物业公司"]


def test_organisations_are_named_in_chinese():
    model = DashboardModel()
    for _ in range(13):
        model.step()
    names = [organisation_label(e, "zh") for e in model.org_log.values()]
    assert "社区党总支" in names and "社区居委会" in names
    assert all(not any(c.isascii() and c.isalpha() for c in n) for n in names), names


def test_extra_scenario_files_are_offered(tmp_path, monkeypatch):
    extra = tmp_path / "mine.toml"
    extra.write_text(f'[scenario]\nname = "mine"\nextends = "{SCHEME2}"\n')
    monkeypatch.setenv(SCENARIO_FILES_ENV, str(extra))
    assert "mine" in scenario_choices()
    assert DashboardModel(scenario_name="mine").params.name == "mine"
    assert "mine" in model_params("en")["scenario_name"]["values"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_renders_with_charts(lang):
    _box, rc = solara.render(Dashboard(lang=lang), handle_error=False)
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) == 4
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in images)
    labels = model_params(lang)
    assert labels["scenario_name"]["value"] == scenario_label("scheme1", lang)
    rc.close()


@pytest.mark.parametrize(("argv", "expected"), [
    (["dashboard", "--lang", "fr"], "argument --lang: invalid choice: 'fr'"),
    (["dashboard", "--port", "99999"], "'99999' is not a port number in [1, 65535]"),
    (["dashboard", "--port", "0"], "'0' is not a port number in [1, 65535]"),
    (["dashboard", "missing.toml"], "missing.toml: file not found"),
])
def test_dashboard_command_refuses_bad_input_in_one_line(argv, expected, capsys):
    assert call(argv) == 2
    assert expected in one_error_line(capsys)


def test_chinese_dashboard_without_a_chinese_font_is_one_clear_error(no_cjk_font, capsys):
    assert call(["dashboard", "--lang", "zh"]) == 2
    assert "fonts-noto-cjk" in one_error_line(capsys)


@pytest.mark.parametrize("lang", LANGS)
def test_a_triggered_switch_shows_its_signposts(lang):
    model = DashboardModel(scenario_name="triggered", horizon_years=12)
    trigger = model.params.switch_trigger
    assert trigger is not None and model.invalid is None
    while model.running:
        model.step()
    first = next(r["month"] for r in model.rows if r["switched"])  # latest_year 10 forces it
    assert model.switch_month == first and model.switched
    fig = signposts_figure(model, lang)
    ax = fig.axes[0]
    marks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"
             and line.get_xdata()[0] != 0]
    assert marks == [(first - 1) / 12]  # the switch, drawn where its levers first applied
    lines = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert len(lines) == len(trigger.conditions)  # one line per signpost
    thresholds = sorted(line.get_ydata()[0] for line in ax.get_lines()
                        if line.get_linestyle() == "--" and line.get_xdata()[0] == 0)
    assert thresholds == sorted(c.at_least for c in trigger.conditions)
    _box, rc = solara.render(SignpostsChart(model, lang), handle_error=False)
    assert bytes(rc.find(ipywidgets.Image).widget.value).startswith(b"\x89PNG")
    rc.close()


def test_switching_by_year_in_the_dashboard_replaces_a_trigger():
    model = DashboardModel(scenario_name="triggered", switch="scheme2", switch_year=4)
    assert model.params.switch_trigger is None and model.params.switch_year == 4
    none = DashboardModel(scenario_name="triggered", switch="none")
    assert none.params.switch_trigger is None and none.params.switch_levers is None
