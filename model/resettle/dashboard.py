"""The model behind the dashboard: a CommunityModel built from the dashboard's controls.

:class:`DashboardModel` takes flat keyword arguments, one per control (a scenario name, lever
choices, numbers from sliders, the seed as text), so that Mesa's SolaraViz can re-create it on
Reset. A combination that scenario validation rejects does not raise: the model keeps the
chosen scenario's own settings, stops (``running = False``) and carries the message in
``invalid``, which the page shows. It also keeps an organisation log (founded and dissolved
months), which the running model does not, because dissolved branches leave the model.

Slider bounds here are display choices (assumption), each inside the parameter's declared range
in ``params.py`` (checked by the tests); the model's defaults come from the scenario files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from resettle.dashboard_text import choice_code, scenario_code
from resettle.errors import ScenarioError
from resettle.labels import check_lang
from resettle.model import CommunityModel
from resettle.params import Levers, Uncertainties
from resettle.scenario import Scenario, load_scenario

AS_SCENARIO = "as_scenario"
SCENARIO_FILES_ENV = "RESETTLE_DASHBOARD_SCENARIOS"
LANG_ENV = "RESETTLE_LANG"
BUILT_IN = ("scheme1", "scheme2", "phased", "baseline")
PHASED_SWITCH_YEAR = 5  # scenarios/phased.toml [switch] year (§4 "several years"; assumption)
FALLBACK_SEED = 42  # the seed box's initial value, used while the controls are invalid


@dataclass(frozen=True)
class Control:
    """One control: a lever or uncertainty (``name`` in params.py) or a dashboard setting."""

    name: str
    kind: str  # "choice", "int", "float"
    choices: tuple = ()
    low: float = 0
    high: float = 0
    step: float = 1


LEVER_CONTROLS = (
    Control("property_fee_payer", "choice", (AS_SCENARIO, "collective", "households")),
    Control("branch_basis", "choice", (AS_SCENARIO, "village", "building")),
    Control("property_company", "choice", (AS_SCENARIO, "community", "spun_off", "outsourced")),
    Control("training_capacity", "int", low=0, high=200, step=5),
)
SWITCH_CHOICES = (AS_SCENARIO, "none", "scheme2")
UNCERTAINTY_CONTROLS = (
    Control("confidence_bound", "float", low=0.02, high=0.5, step=0.02),
    Control("outside_job_rate", "float", low=0.0, high=0.05, step=0.002),
    Control("fee_neighbour_weight", "float", low=0.0, high=2.0, step=0.1),
    Control("transition_months", "float", low=6, high=60, step=6),
)
HORIZON = Control("horizon_years", "int", low=5, high=30)
SWITCH_YEAR = Control("switch_year", "int", low=0, high=30)


def scenarios_dir() -> Path:
    """The project's scenarios/ folder: beside the source tree, else in the working folder."""
    here = Path(__file__).resolve().parents[2] / "scenarios"
    return here if here.is_dir() else Path("scenarios")


def scenario_choices() -> dict[str, Path | None]:
    """Scenario name → file: the built-in schemes, then files named in the environment."""
    folder = scenarios_dir()
    found: dict[str, Path | None] = {}
    for name in BUILT_IN:
        path = folder / f"{name}.toml"
        found[name] = path if path.is_file() else None
    for item in filter(None, os.environ.get(SCENARIO_FILES_ENV, "").split(os.pathsep)):
        path = Path(item)
        found[load_scenario(path).name] = path
    return found


def load_choice(name: str) -> Scenario:
    """The scenario behind a choice (the built-in defaults where a file is missing)."""
    choices = scenario_choices()
    if name not in choices:
        raise ScenarioError(f"scenario: {name!r} is not one of " + ", ".join(choices))
    path = choices[name]
    return load_scenario(path) if path is not None else Scenario()


def default_lang() -> str:
    """The dashboard's language: $RESETTLE_LANG (en or zh), English if unset."""
    return check_lang(os.environ.get(LANG_ENV, "en") or "en")


def parse_seed(text: str | int) -> int:
    """The seed typed in the seed box, as a Python int >= 0."""
    try:
        seed = int(str(text).strip())
    except ValueError:
        raise ScenarioError(f"seed: {text!r} is not a whole number; type one like 42") from None
    if seed < 0:
        raise ScenarioError(f"seed: {seed} is negative; use a whole number >= 0")
    return seed


def build_scenario(base: Scenario, switch: str, switch_year: int, horizon_years: int,
                   overrides: dict) -> Scenario:
    """``base`` with the controls applied (validated by Scenario; raises ScenarioError)."""
    levers = {k: v for k, v in overrides.items() if v != AS_SCENARIO}
    scenario = base.replace(horizon_years=int(horizon_years), **levers)
    if switch == "none":
        scenario = scenario.replace(switch_year=None, switch_levers=None)
    elif switch == "scheme2":
        scenario = scenario.replace(switch_year=int(switch_year),
                                    switch_levers=load_choice("scheme2").levers)
    elif switch != AS_SCENARIO:
        raise ScenarioError(f"switch: {switch!r} is not one of " + ", ".join(SWITCH_CHOICES))
    return scenario


def resolve(scenario_name: str, switch: str, switch_year: int, horizon_years: int,
            controls: dict, seed: str | int) -> tuple[Scenario, int, str | None]:
    """(scenario, seed, None) for valid controls; else the named scenario as its file has it
    (the first built-in if the name is unknown), seed 42, and the validation message."""
    try:
        base = load_choice(scenario_name)
    except ScenarioError as err:
        return load_choice(BUILT_IN[0]), FALLBACK_SEED, str(err)
    try:
        return (build_scenario(base, switch, switch_year, horizon_years, controls),
                parse_seed(seed), None)
    except ScenarioError as err:
        return base, FALLBACK_SEED, str(err)


class DashboardModel(CommunityModel):
    """A CommunityModel made from the dashboard's controls (see the module docstring)."""

    def __init__(self, scenario_name: str = BUILT_IN[0], property_fee_payer: str = AS_SCENARIO,
                 branch_basis: str = AS_SCENARIO, property_company: str = AS_SCENARIO,
                 training_capacity: int = Levers.training_capacity, switch: str = AS_SCENARIO,
                 switch_year: int = PHASED_SWITCH_YEAR,
                 horizon_years: int = Scenario.horizon_years,
                 confidence_bound: float = Uncertainties.confidence_bound,
                 outside_job_rate: float = Uncertainties.outside_job_rate,
                 fee_neighbour_weight: float = Uncertainties.fee_neighbour_weight,
                 transition_months: float = Uncertainties.transition_months,
                 seed: str | int = str(FALLBACK_SEED)) -> None:
        controls = {"property_fee_payer": choice_code(property_fee_payer),
                    "branch_basis": choice_code(branch_basis),
                    "property_company": choice_code(property_company),
                    "training_capacity": int(training_capacity),
                    "confidence_bound": float(confidence_bound),
                    "outside_job_rate": float(outside_job_rate),
                    "fee_neighbour_weight": float(fee_neighbour_weight),
                    "transition_months": float(transition_months)}
        scenario, rng, self.invalid = resolve(scenario_code(scenario_name), choice_code(switch),
                                              switch_year, horizon_years, controls, seed)
        super().__init__(scenario, rng=rng)
        self.org_log: dict[int, dict] = {}
        self._log_organisations()
        if self.invalid:
            self.running = False

    def step(self) -> None:
        """One month, unless the controls were invalid (then nothing is simulated; Mesa still
        counts the call in ``steps``, so the page shows the month of the last row)."""
        if self.invalid or not self.running:
            self.running = False
            return
        super().step()
        self._log_organisations()

    def organisations(self) -> list:
        """Every organisation agent present now (branches, committees, cooperatives...)."""
        kinds = ("GeneralBranch", "PartyBranch", "ResidentsCommittee", "MassOrganisation",
                 "Cooperative", "PropertyCompany")
        return [a for cls, agents in self.agents_by_type.items() if cls.__name__ in kinds
                for a in agents]

    def _log_organisations(self) -> None:
        """Record founding and dissolution months (the model forgets dissolved branches)."""
        month, present = self.rows[-1]["month"], set()
        for agent in self.organisations():
            present.add(agent.unique_id)
            entry = self.org_log.setdefault(agent.unique_id, {
                "kind": type(agent).__name__, "founded": getattr(agent, "founded_month", 0),
                "dissolved": None})
            entry["name"] = organisation_name(agent)
        for uid, entry in self.org_log.items():
            if uid not in present and entry["dissolved"] is None:
                entry["dissolved"] = month


ORGANISATION_NAMES = {"GeneralBranch": "general branch",
                      "ResidentsCommittee": "residents' committee"}


def organisation_name(agent) -> str:
    """A short English name of an organisation agent."""
    kind = type(agent).__name__
    if kind == "Cooperative":
        return f"{agent.name} cooperative"
    if kind == "PropertyCompany":
        return f"property company ({agent.status})"
    if isinstance(getattr(agent, "name", None), str):
        return agent.name
    if isinstance(getattr(agent, "kind", None), str):
        return agent.kind
    return ORGANISATION_NAMES.get(kind, kind)
