"""The policies a decide study compares, from its ``[policies]`` table, and each written out as
a complete scenario file.

    [policies]
    files = ["../scheme1.toml", "../scheme2.toml", "../triggered.toml"]   # as they are
    switch_years = { base = "../phased.toml", years = [3, 5, 8] }         # fixed switch years
    [policies.trigger_search]      # a grid over the thresholds of a trigger ([switch.when])
    base = "../triggered.toml"
    fee_willingness = [0.4, 0.5, 0.6]   # a signpost of the base's trigger: its one bound
    stability = [0.9, 0.93]
    hold_months = [3, 6]                # and optionally earliest_year, latest_year, hold_months

A policy is a scenario: the levers a planner chooses and when the switch comes. Files are
read relative to the spec; every policy runs to the study's horizon. ``switch_years`` makes
the base's fixed-year variants as ``resettle switch-year`` does (named ``<base>-yNN``);
``trigger_search`` makes one policy per point of the grid (the product of the lists, named
``<base>-<key><value>-...``), each the base with those thresholds: a signpost's value replaces
the one bound (``at_least`` or ``at_most``) the base's condition on it gives, so a band (both
bounds) cannot be searched. The grid point with the least maximum regret is the trigger the
study recommends among them (``resettle.experiments.decide.study``); a grid is the search
because each grid point costs a full set of runs in every world and the grids planners state
are small (an optimiser pays off over many thresholds: not this case).

:func:`policy_files` writes each policy as a scenario file with every value, the record of
what the study's sweep ran (``policies/NN-NAME.toml`` in its directory, with the levers after
a whole switch in ``NN-NAME.switch-levers.toml``, its ``to``). A resume reloads the spec's own
files and worlds directory and refuses to go on if they changed (not built: resuming from
the saved copies).
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
from dataclasses import dataclass
from pathlib import Path

from resettle.errors import ScenarioError
from resettle.experiments.switch_year import switch_variants
from resettle.params.catalogue import toml_value
from resettle.params.conditions import SIGNPOSTS, Condition, parse_condition
from resettle.params.scenario import SECTIONS, Scenario, check_name, load_scenario
from resettle.params.schema import unknown_key_message

POLICY_KEYS = {"files", "switch_years", "trigger_search"}
SWITCH_YEAR_KEYS = {"base", "years"}
TIMING_KEYS = {"earliest_year": 0, "latest_year": 0, "hold_months": 1}  # key: least value
FILE, SWITCH_YEAR, TRIGGER_SEARCH = "file", "switch_year", "trigger_search"  # kinds of policy
POLICY_DIR = "policies"  # the policies' scenario files, in the study's directory


@dataclass(frozen=True)
class Policy:
    """A policy: its scenario, how the spec made it (``kind``), the settings that made it
    (the switch year, or a grid point's thresholds) and the name of the scenario they were
    set in (``base``)."""

    scenario: Scenario
    kind: str = FILE
    settings: tuple[tuple[str, object], ...] = ()
    base: str = ""

    @property
    def name(self) -> str:
        """The scenario's name, which names the policy in every table."""
        return self.scenario.name


def read_policies(path: Path, table: object, horizon: int | None) -> tuple[Policy, ...]:
    """The policies of a ``[policies]`` table (files relative to ``path``), all run to
    ``horizon`` (None: the horizon the files share)."""
    if not isinstance(table, dict) or not table:
        raise ScenarioError("[policies]: missing required section; give files = [...], "
                            "switch_years = { base, years } or [policies.trigger_search]")
    for key in table:
        if key not in POLICY_KEYS:
            raise ScenarioError(unknown_key_message("[policies]", key, POLICY_KEYS))
    files = [_load(path, f, "[policies] files") for f in _files(table.get("files", []))]
    years = _sub_table(table, "switch_years", SWITCH_YEAR_KEYS)
    search = _sub_table(table, "trigger_search", None)
    bases = {key: _load(path, t.get("base"), f"[policies.{key}] base")
             for key, t in (("switch_years", years), ("trigger_search", search)) if t}
    horizon = _horizon([*files, *bases.values()], horizon)
    files = [_at_horizon(s, horizon, "[policies] files") for s in files]
    bases = {k: _at_horizon(s, horizon, f"[policies.{k}] base", k == "switch_years")
             for k, s in bases.items()}
    policies = [Policy(s) for s in files]
    if years:
        policies += switch_year_policies(bases["switch_years"], years.get("years"), horizon)
    if search:
        policies += search_policies(bases["trigger_search"], search)
    _same_world(policies)
    return _distinct(policies)


def _same_world(policies: list[Policy]) -> None:
    """Policies differ in levers and their switch only: a policy that changes the community or
    a behavioural constant would compare another world, which regret cannot tell apart."""
    first = policies[0]
    for p in policies[1:]:
        for section in ("community", "uncertainties"):
            ours, theirs = getattr(first.scenario, section), getattr(p.scenario, section)
            changed = [f.name for f in dataclasses.fields(ours)
                       if getattr(ours, f.name) != getattr(theirs, f.name)]
            if changed:
                raise ScenarioError(
                    f"[policies]: {p.name} ({_where(p.scenario)}) sets [{section}] {changed[0]} "
                    f"= {getattr(theirs, changed[0])!r}, {first.name} "
                    f"{getattr(ours, changed[0])!r}; policies differ only in their levers and "
                    "switch (the worlds set the rest)")

def _files(files: object) -> list[str]:
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ScenarioError("[policies] files: give a list of scenario files")
    return files


def _sub_table(table: dict, key: str, keys: set[str] | None) -> dict:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"[policies] {key}: expected a table, got {value!r}")
    for name in value if keys is not None else ():
        if name not in keys:
            raise ScenarioError(unknown_key_message(f"[policies.{key}]", name, keys))
    return value


def _load(path: Path, file: object, where: str) -> Scenario:
    if not isinstance(file, str) or not file.strip():
        raise ScenarioError(f"{where}: missing required key; give a scenario file")
    try:
        return load_scenario(path.parent / file)
    except ScenarioError as err:
        raise ScenarioError(f"{where}: {err}") from None


def _where(scenario: Scenario) -> str:
    return scenario.files[-1] if scenario.files else scenario.name


def _horizon(scenarios: list[Scenario], horizon: int | None) -> int:
    if not scenarios:
        raise ScenarioError("[policies]: no policy; give files = [...], switch_years or "
                            "[policies.trigger_search]")
    found = sorted({s.horizon_years for s in scenarios})
    if horizon is None and len(found) > 1:
        raise ScenarioError(f"[policies]: the policy files' horizons differ ({found} years); "
                            "set [decide] horizon_years")
    return found[0] if horizon is None else horizon


def _at_horizon(scenario: Scenario, horizon: int, where: str, varied: bool = False) -> Scenario:
    """``scenario`` run to ``horizon``; a base whose switch year is ``varied`` keeps a year
    within it (each variant sets its own)."""
    year = {"switch_year": 0} if varied and scenario.switch_year is not None else {}
    try:
        return scenario.replace(horizon_years=horizon, **year)
    except ScenarioError as err:
        raise ScenarioError(f"{where}: {_where(scenario)}: with a horizon of {horizon} years: "
                            f"{err}") from None


def _distinct(policies: list[Policy]) -> tuple[Policy, ...]:
    names = [p.name for p in policies]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(f"[policies]: two policies are named {twice[0]!r}; every policy's "
                            "[scenario] name must differ (it names the policy in the tables)")
    return tuple(policies)


# ---- fixed switch years -----------------------------------------------------------------
def switch_year_policies(base: Scenario, years: object, horizon: int) -> list[Policy]:
    """The base with each switch year (``resettle.experiments.switch_year``'s variants)."""
    where = "[policies.switch_years]"
    if base.switch_levers is None:
        raise ScenarioError(f"{where} base: {_where(base)} has no [switch] table (year and to) "
                            "whose year could vary")
    if base.switch_trigger is not None:
        raise ScenarioError(f"{where} base: {_where(base)} switches on signposts "
                            "([switch.when]); switch_years varies a fixed [switch] year (e.g. "
                            "phased.toml), and [policies.trigger_search] a trigger's thresholds")
    if not isinstance(years, list) or not years or len(set(map(repr, years))) != len(years) \
            or not all(_whole(y) and 0 <= y <= horizon for y in years):
        raise ScenarioError(f"{where} years: {years!r} is not allowed; give distinct whole "
                            f"numbers in [0, {horizon}] (the horizon: never switching)")
    return [Policy(dataclasses.replace(v, description=f"{base.name} with the switch after "
                                                      f"year {y}", description_zh=None),
                   SWITCH_YEAR, (("switch_year", y),), base.name)
            for v, y in zip(switch_variants(base, years), sorted(years), strict=True)]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---- a grid over a trigger's thresholds --------------------------------------------------
def search_policies(base: Scenario, table: dict) -> list[Policy]:
    """One policy per point of the grid of ``table`` (module docstring)."""
    where = "[policies.trigger_search]"
    trigger = base.switch_trigger
    if trigger is None:
        raise ScenarioError(f"{where} base: {_where(base)} has no [switch.when] trigger whose "
                            "thresholds could be searched")
    axes = {key: _axis(where, key, values, base) for key, values in table.items()
            if key != "base"}
    if not axes:
        first = trigger.conditions[0].indicator
        raise ScenarioError(f"{where}: give a signpost of the base's trigger with a list of "
                            f"thresholds, e.g. {first} = [0.4, 0.5]")
    return [_grid_point(base, tuple(zip(axes, point, strict=True)), where)
            for point in itertools.product(*axes.values())]


def _axis(where: str, key: str, values: object, base: Scenario) -> tuple:
    """A grid axis: the values of one threshold (a signpost's bound, or a timing key)."""
    if not isinstance(values, list) or not values:
        raise ScenarioError(f"{where} {key}: give a list of values, e.g. {key} = [0.4, 0.5]")
    if len(set(map(repr, values))) != len(values):
        raise ScenarioError(f"{where} {key}: {values!r} lists a value twice")
    if key in TIMING_KEYS:
        least = TIMING_KEYS[key]
        if not all(_whole(v) and v >= least for v in values):
            raise ScenarioError(f"{where} {key}: {values!r} is not allowed; give whole numbers "
                                f">= {least}")
        return tuple(values)
    condition = _searched_condition(where, key, base)
    bound = "at_least" if condition.at_least is not None else "at_most"
    for value in values:
        parse_condition(f"{where} {key}", key, {bound: value}, SIGNPOSTS)
    return tuple(float(v) for v in values)


def _searched_condition(where: str, key: str, base: Scenario) -> Condition:
    """The base trigger's condition on signpost ``key``, which must have one bound."""
    conditions = {c.indicator: c for c in base.switch_trigger.conditions}
    if key not in conditions:
        known = sorted({*conditions, *TIMING_KEYS, "base"})
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ScenarioError(f"{where} {key}: not a signpost of the base's trigger "
                            f"({_where(base)} [switch.when] has {', '.join(conditions)}); the "
                            f"search takes {', '.join(known)}{hint}")
    condition = conditions[key]
    if condition.at_least is not None and condition.at_most is not None:
        raise ScenarioError(f"{where} {key}: the base's condition is a band "
                            f"({condition.describe()}); the search sets one bound: give the "
                            "base only at_least or only at_most")
    return condition


def _grid_point(base: Scenario, settings: tuple[tuple[str, object], ...],
                where: str) -> Policy:
    """The base with the thresholds and timing of one grid point."""
    values = dict(settings)
    trigger = base.switch_trigger
    conditions = tuple(_with_bound(c, values.get(c.indicator)) for c in trigger.conditions)
    timing = {k: v for k, v in settings if k in TIMING_KEYS}
    name = f"{base.name}-" + "-".join(f"{k}{v:g}" for k, v in settings)
    try:
        new = dataclasses.replace(trigger, conditions=conditions, **timing)
        scenario = dataclasses.replace(
            base, name=check_name(f"{where}: the name of a grid point", name),
            switch_trigger=new, description_zh=None,
            description=f"{base.name} switching when "
                        + " and ".join(c.describe() for c in conditions))
    except ScenarioError as err:
        raise ScenarioError(f"{where}: grid point {name}: {err}") from None
    return Policy(scenario, TRIGGER_SEARCH, settings, base.name)


def _with_bound(condition: Condition, value: float | None) -> Condition:
    if value is None:
        return condition
    bound = "at_least" if condition.at_least is not None else "at_most"
    return dataclasses.replace(condition, **{bound: value})


# ---- a policy as a scenario file ---------------------------------------------------------
def policy_toml(scenario: Scenario, target: str = "") -> str:
    """A complete scenario file for ``scenario``: every parameter and the switch written out,
    so that loading it gives back the same scenario (its files aside). A whole switch names
    ``target``, the file of its levers (:func:`switch_levers_toml`); a partial one lists the
    levers it changes."""
    lines = [f"# the policy {scenario.name!r} of a decide study, every value written out",
             "[scenario]", f"name = {toml_value(scenario.name)}",
             f"description = {toml_value(scenario.description)}",
             *([f"description_zh = {toml_value(scenario.description_zh)}"]
               if scenario.description_zh else []),
             f"horizon_years = {scenario.horizon_years}"]
    for name in SECTIONS:
        lines += ["", f"[{name}]", *_assignments(dataclasses.asdict(getattr(scenario, name)))]
    if scenario.switch_levers is not None:
        lines += ["", "[switch]", *_switch_lines(scenario, target)]
    if scenario.switch_only:
        lines += ["", "[switch.levers]", *_assignments(
            {k: getattr(scenario.switch_levers, k) for k in scenario.switch_only})]
    if scenario.switch_trigger is not None:
        lines += ["", "[switch.when]", *(_condition_line(c)
                                         for c in scenario.switch_trigger.conditions)]
    return "\n".join(lines) + "\n"


def switch_levers_toml(scenario: Scenario) -> str:
    """The ``to`` file of a whole switch: a scenario holding the levers after it."""
    return "\n".join([f"# the levers of {scenario.name!r} after its switch", "[scenario]",
                      f"name = {toml_value(scenario.name + ' after the switch')}", "",
                      "[levers]", *_assignments(dataclasses.asdict(scenario.switch_levers))]
                     ) + "\n"


def _assignments(values: dict) -> list[str]:
    return [f"{k} = {toml_value(v)}" for k, v in values.items()]


def _switch_lines(scenario: Scenario, target: str) -> list[str]:
    trigger = scenario.switch_trigger
    if trigger is None:
        timing = {"year": scenario.switch_year}
    else:
        timing = {"earliest_year": trigger.earliest_year, "latest_year": trigger.latest_year,
                  "hold_months": trigger.hold_months}
    table = {**({} if scenario.switch_only else {"to": target}), **timing,
             "phase_months": scenario.switch_phase_months}
    return _assignments({k: v for k, v in table.items() if v is not None})


def _condition_line(condition: Condition) -> str:
    bounds = {k: getattr(condition, k) for k in ("at_least", "at_most")
              if getattr(condition, k) is not None}
    return f"{condition.indicator} = {{ " + ", ".join(
        f"{k} = {toml_value(v)}" for k, v in bounds.items()) + " }"


def policy_files(policies: tuple[Policy, ...]) -> dict[str, str]:
    """Each policy's scenario file by its path in the study's directory, and beside it the
    file of a whole switch's levers."""
    files = {}
    for i, policy in enumerate(policies):
        path, scenario = policy_path(i, policy), policy.scenario
        levers = path.removesuffix(".toml") + ".switch-levers.toml"
        whole = scenario.switch_levers is not None and not scenario.switch_only
        files[path] = policy_toml(scenario, Path(levers).name if whole else "")
        if whole:
            files[levers] = switch_levers_toml(scenario)
    return files


def policy_path(index: int, policy: Policy) -> str:
    """``policies/NN-NAME.toml``: numbered, so that names differing only in case differ."""
    return f"{POLICY_DIR}/{index:02d}-{policy.name}.toml"
