"""The model behind the dashboard: a CommunityModel built from the dashboard's controls.

:class:`DashboardModel` takes flat keyword arguments, one per control (a scenario name, lever
choices, numbers from sliders, the seed as text), so that Mesa's SolaraViz can re-create it on
Reset. A combination that scenario validation rejects does not raise: the model keeps the
chosen scenario's own settings, stops (``running = False``) and carries the message in
``invalid``, which the page shows. It also keeps an organisation log (founded and dissolved
months), which the running model does not, because dissolved branches leave the model.

What the controls set: the scheme choices (fee payer, branch basis, company) set the levers
before any switch, after which the switch's levers (Scheme 2's) apply; training capacity,
common to both schemes (BRIEF §6), applies before and after; the uncertainties apply
throughout. The numbers (sliders) replace the scenario file's values only while "use the
sliders' numbers" is on (the default); off, the file's values run.

Slider bounds here are display choices (assumption), each inside the parameter's declared range
in ``resettle.params.sections`` (checked by the tests); their starting values are the built-in
defaults.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from resettle.errors import ScenarioError
from resettle.params.scenario import Scenario, load_scenario
from resettle.params.sections import Levers, Uncertainties
from resettle.sim.model import CommunityModel
from resettle.text.dashboard import choice_code, organisation_names, scenario_code
from resettle.text.labels import check_lang

AS_SCENARIO = "as_scenario"
SCENARIO_FILES_ENV = "RESETTLE_DASHBOARD_SCENARIOS"
LANG_ENV = "RESETTLE_LANG"
BUILT_IN = ("scheme1", "scheme2", "phased", "triggered", "baseline")
PHASED_SWITCH_YEAR = 5  # scenarios/phased.toml [switch] year (§4 "several years"; assumption)
FALLBACK_SEED = 42  # the seed box's initial value, used while the controls are invalid


@dataclass(frozen=True)
class Control:
    """One control: a lever or uncertainty (``name`` as in resettle.params.sections) or a
    dashboard setting."""

    name: str
    kind: str  # "choice", "int", "float"
    choices: tuple = ()
    low: float = 0
    high: float = 0
    step: float = 1


SCHEME_CONTROLS = (
    Control("property_fee_payer", "choice", (AS_SCENARIO, "collective", "households")),
    Control("branch_basis", "choice", (AS_SCENARIO, "village", "building")),
    Control("property_company", "choice", (AS_SCENARIO, "community", "spun_off", "outsourced")),
)
COMMON_CONTROLS = (Control("training_capacity", "int", low=0, high=200, step=5),)
LEVER_CONTROLS = SCHEME_CONTROLS + COMMON_CONTROLS
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
    here = Path(__file__).resolve().parents[3] / "scenarios"
    return here if here.is_dir() else Path("scenarios")


def scenario_choices() -> dict[str, Scenario]:
    """Scenario name → scenario: the built-in schemes whose files exist, then the files named
    in the environment (each read once); the built-in defaults if there is none at all."""
    return dict(_choices(str(scenarios_dir().resolve()), os.environ.get(SCENARIO_FILES_ENV, "")))


@cache
def _choices(folder: str, extra: str) -> tuple[tuple[str, Scenario], ...]:
    found = {name: load_scenario(Path(folder) / f"{name}.toml") for name in BUILT_IN
             if (Path(folder) / f"{name}.toml").is_file()}
    for item in filter(None, extra.split(os.pathsep)):
        scenario = load_scenario(item)
        found[scenario.name] = scenario
    return tuple(found.items()) or (("baseline", Scenario()),)


def load_choice(name: str) -> Scenario:
    """The scenario offered under ``name``; ScenarioError naming the choices if none is."""
    choices = scenario_choices()
    if name not in choices:
        raise ScenarioError(f"scenario: {name!r} is not one of " + ", ".join(choices))
    return choices[name]


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


def build_scenario(base: Scenario, switch: str, switch_year: int, choices: dict,
                   numbers: dict | None) -> Scenario:
    """``base`` with the controls applied (validated by Scenario; raises ScenarioError).

    ``choices``: the scheme controls (levers before a switch); ``numbers``: the sliders by
    parameter name (``horizon_years`` included), or None to keep the file's values.
    """
    numbers = numbers or {}
    levers = {k: v for k, v in choices.items() if v != AS_SCENARIO}
    scenario = base.replace(**levers, **numbers)
    if switch == "none":
        scenario = scenario.replace(switch_year=None, switch_levers=None, switch_trigger=None,
                                    switch_only=())
    elif switch == "scheme2":
        scenario = scenario.replace(switch_year=int(switch_year), switch_trigger=None,
                                    switch_only=(),
                                    switch_levers=load_choice("scheme2").levers)
    elif switch != AS_SCENARIO:
        raise ScenarioError(f"switch: {switch!r} is not one of " + ", ".join(SWITCH_CHOICES))
    common = {c.name: numbers[c.name] for c in COMMON_CONTROLS if c.name in numbers}
    if scenario.switch_levers is not None and common:
        scenario = dataclasses.replace(
            scenario, switch_levers=dataclasses.replace(scenario.switch_levers, **common))
    return scenario


def resolve(scenario_name: str, switch: str, switch_year: int, choices: dict,
            numbers: dict | None, seed: str | int) -> tuple[Scenario, int, str | None]:
    """(scenario, seed, None) for valid controls; else the named scenario as its file has it
    (the first offered if the name is unknown), seed 42, and the validation message."""
    try:
        base = load_choice(scenario_name)
    except ScenarioError as err:
        return next(iter(scenario_choices().values())), FALLBACK_SEED, str(err)
    try:
        return build_scenario(base, switch, switch_year, choices, numbers), parse_seed(seed), None
    except ScenarioError as err:
        return base, FALLBACK_SEED, str(err)


class DashboardModel(CommunityModel):
    """A CommunityModel made from the dashboard's controls (see the module docstring)."""

    def __init__(self, scenario_name: str = BUILT_IN[0], property_fee_payer: str = AS_SCENARIO,
                 branch_basis: str = AS_SCENARIO, property_company: str = AS_SCENARIO,
                 switch: str = AS_SCENARIO, switch_year: int = PHASED_SWITCH_YEAR,
                 use_sliders: bool = True,
                 training_capacity: int = Levers.training_capacity,
                 horizon_years: int = Scenario.horizon_years,
                 confidence_bound: float = Uncertainties.confidence_bound,
                 outside_job_rate: float = Uncertainties.outside_job_rate,
                 fee_neighbour_weight: float = Uncertainties.fee_neighbour_weight,
                 transition_months: float = Uncertainties.transition_months,
                 seed: str | int = str(FALLBACK_SEED)) -> None:
        choices = {"property_fee_payer": choice_code(property_fee_payer),
                   "branch_basis": choice_code(branch_basis),
                   "property_company": choice_code(property_company)}
        numbers = {"training_capacity": int(training_capacity),
                   "horizon_years": int(horizon_years),
                   "confidence_bound": float(confidence_bound),
                   "outside_job_rate": float(outside_job_rate),
                   "fee_neighbour_weight": float(fee_neighbour_weight),
                   "transition_months": float(transition_months)}
        scenario, rng, self.invalid = resolve(
            scenario_code(scenario_name), choice_code(switch), switch_year, choices,
            numbers if use_sliders else None, seed)
        super().__init__(scenario, rng=rng)
        self.org_log: dict[tuple, dict] = {}
        self._log_organisations()
        if self.invalid:
            self.running = False

    @property
    def switched(self) -> bool:
        """Whether the switch's levers are in force (after the switch year, or since the
        trigger's signposts held)."""
        return bool(self.rows[-1]["switched"])

    @property
    def switch_month(self) -> int | None:
        """The month the switch's levers first applied (None: not yet)."""
        return self.processes.state.switched_month

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
        """Record founding and dissolution months (the model forgets dissolved branches); a
        company that changes status starts a new entry, the old one ending that month."""
        month, present = self.rows[-1]["month"], set()
        for agent in sorted(self.organisations(), key=lambda a: a.unique_id):
            key = (agent.unique_id, getattr(agent, "status", None))
            present.add(key)
            if key not in self.org_log:
                known = any(k[0] == agent.unique_id for k in self.org_log)
                self.org_log[key] = {
                    "kind": type(agent).__name__, "basis": getattr(agent, "basis", None),
                    "dissolved": None,
                    "founded": month if known else getattr(agent, "founded_month", 0),
                    "names": organisation_names(agent, self.village_names, self._others())}
        for key, entry in self.org_log.items():
            if key not in present and entry["dissolved"] is None:
                entry["dissolved"] = month

    def _others(self) -> int:
        """How many 'other' branches (mobile, moved-in and office members) are logged."""
        return sum(e["basis"] == "other" for e in self.org_log.values())
