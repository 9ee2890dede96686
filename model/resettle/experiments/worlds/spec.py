"""A worlds specification (TOML)::

    [worlds]
    name = "dongyu-worlds"
    scenario = "../scheme1.toml"   # the status quo the filters are checked under (relative)
    design = "latin_hypercube"     # or "sobol_sequence" (samples a power of two)
    samples = 200                  # worlds
    seed = 2026
    replications = 2               # a filter reads the mean over the replications
    horizon_years = 3              # optional: the scenario's horizon otherwise
    uncertain = "all"              # or a list of parameter names

    [filters.cadres_over_50]       # any number of filters (resettle.experiments.worlds.filters)
    source = "BRIEF §2 (§2.3): the community cadres' average age is over 50"
    years = [0]
    cadre_mean_age = { at_least = 50 }

``samples``, ``seed`` and ``replications`` default as in a sweep (16, 0, 1).

``uncertain = "all"`` samples every parameter of [community] and [uncertainties] whose plausible
range is wider than one value, over that range (``resettle params``; for the community the
ranges are Dongyu's). Never sampled, and refused when named: levers (the planner's choices:
policies are compared over the worlds, not drawn with them), facts the seed fixes (a single
plausible value), and lists of values (one per village, per age band, per schooling level...):
a sweep samples single values only, and drawing a list's elements one by one would break the
rules that tie them (shares that add up to 1, each village's collective share below its
assets). Such lists keep the scenario's values (:func:`unsampled_lists`).

The ensemble is run by a sweep (``resettle.experiments.sweep``) that the specification builds:
one design point per world over the sampled parameters' plausible ranges, the one scenario,
the filters' outcomes and years kept, seeds spawned from ``seed``. Every problem is one
ScenarioError line naming the file and the key, before anything runs.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from resettle.errors import ScenarioError, SweepError
from resettle.experiments.sweep.runner import difference, sweep_toml
from resettle.experiments.sweep.spec import (
    SweepSpec,
    built_spec,
    declared,
    parse_sweep,
    read_spec_file,
)
from resettle.experiments.worlds.filters import WorldFilter, parse_filters, terms
from resettle.params.catalogue import toml_value
from resettle.params.conditions import comparable_domains
from resettle.params.scenario import (
    MAX_HORIZON_YEARS,
    SECTIONS,
    Scenario,
    check_name,
    load_scenario,
    parameter_owner,
)
from resettle.params.schema import unknown_key_message

WORLDS_FILE = "worlds.toml"  # the specification, kept in the worlds directory
WORLDS_KEYS = {"name", "scenario", "design", "samples", "seed", "replications",
               "horizon_years", "uncertain"}
DESIGNS = ("latin_hypercube", "sobol_sequence")
SAMPLED_SECTIONS = ("community", "uncertainties")


@dataclass(frozen=True)
class WorldsSpec:
    """A validated worlds specification and the sweep that runs it."""

    name: str
    sweep: SweepSpec
    filters: tuple[WorldFilter, ...]
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False)  # as kept (worlds_toml)

    @property
    def scenario(self) -> Scenario:
        """The status quo the filters are checked under."""
        return self.sweep.scenarios[0]

    @property
    def uncertain(self) -> tuple[str, ...]:
        """The sampled parameters, in the design's order."""
        return tuple(f.name for f in self.sweep.factors)

    def fingerprint(self) -> dict:
        """What identifies an ensemble's results: its sweep and its filters."""
        return {"sweep": self.sweep.fingerprint(), "filters": [asdict(f) for f in self.filters]}


def load_worlds_spec(path: str | Path) -> WorldsSpec:
    """Read and validate a worlds file; errors name the file and the key."""
    path = Path(path)
    return built_spec(path, read_spec_file(path, "worlds"), {"worlds", "filters"}, _build)


def _build(path: Path, raw: dict) -> WorldsSpec:
    table = raw.get("worlds")
    if not isinstance(table, dict):
        raise ScenarioError("[worlds]: missing required section")
    for key in table:
        if key not in WORLDS_KEYS:
            raise ScenarioError(unknown_key_message("[worlds]", key, WORLDS_KEYS))
    name = check_name("[worlds] name", _text(table, "name"))
    scenario_file = (path.parent / _text(table, "scenario")).resolve()
    horizon = _horizon(table, load_scenario(scenario_file))
    if table.get("design") not in DESIGNS:
        raise ScenarioError(f"[worlds] design: {table.get('design')!r} is not allowed; use "
                            "'latin_hypercube' or 'sobol_sequence' (a sweep's 'sobol' is "
                            "Saltelli's design for indices, not an ensemble)")
    uncertain = _uncertain(table.get("uncertain"))
    filters = parse_filters(raw.get("filters"), horizon, uncertain)
    # as kept in worlds.toml: "all" resolved, so that a resume samples what this run sampled
    worlds = {**table, "scenario": str(scenario_file), "uncertain": list(uncertain)}
    sweep = _sweep(path, name, worlds, uncertain, filters)
    return WorldsSpec(name, sweep, filters, str(path),
                      {"worlds": worlds, "filters": raw["filters"]})


def _text(table: dict, key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"[worlds] {key}: missing required key; give a non-empty text")
    return value


def _horizon(table: dict, scenario: Scenario) -> int:
    years = table.get("horizon_years", scenario.horizon_years)
    if isinstance(years, bool) or not isinstance(years, int) or \
            not 1 <= years <= MAX_HORIZON_YEARS:
        raise ScenarioError(f"[worlds] horizon_years: {years!r} is not allowed; use a whole "
                            f"number in [1, {MAX_HORIZON_YEARS}]")
    try:
        scenario.replace(horizon_years=years)
    except ScenarioError as err:
        raise ScenarioError(f"[worlds] horizon_years: {years} does not suit the scenario "
                            f"({err})") from None
    return years


def _sweep(path: Path, name: str, worlds: dict, uncertain: tuple[str, ...],
           filters: tuple[WorldFilter, ...]) -> SweepSpec:
    """The sweep that runs the ensemble; its errors are worded as the worlds file's keys."""
    metrics = [m for m in comparable_domains() if any(m in _read(f) for f in filters)]
    if not metrics:
        raise ScenarioError("[filters]: no condition reads an outcome of the model (only "
                            "sampled parameters); nothing would be run")
    years = sorted({y for f in filters for y in (*f.years, f.since) if y is not None})
    keys = ("design", "samples", "replications", "seed", "horizon_years")
    table = {"name": name, "scenarios": [worlds["scenario"]],
             **{k: worlds[k] for k in keys if k in worlds}, "metrics": metrics, "years": years}
    try:
        return parse_sweep(path, {"sweep": table, "parameters": {n: {} for n in uncertain}})
    except ScenarioError as err:
        text = str(err).replace("[sweep]", "[worlds]")
        raise ScenarioError(re.sub(r"\[parameters\.(\w+)\]", r"[worlds] uncertain \1",
                                   text)) from None


def _read(f: WorldFilter) -> set[str]:
    """The outcomes and parameters a filter reads."""
    return {name for c in f.conditions for name in terms(c.indicator)}


# ---- what is sampled --------------------------------------------------------------------
def sampleable() -> list[str]:
    """The parameters ``uncertain = "all"`` samples: those of [community] and
    [uncertainties] that are single numbers with a plausible range wider than one value."""
    return [f.name for section in SAMPLED_SECTIONS for f in dataclasses.fields(SECTIONS[section])
            if _why_not(f.name) is None]


def unsampled_lists() -> list[str]:
    """The lists of values of [community] and [uncertainties] with a plausible range (kept at
    the scenario's values: see the module docstring)."""
    return [f.name for section in SAMPLED_SECTIONS for f in dataclasses.fields(SECTIONS[section])
            if isinstance(declared(f.name)[0], tuple) and f.metadata["plausible"] is not None]


def _why_not(name: str) -> str | None:
    """Why ``name`` cannot be sampled as an uncertainty, or None if it can."""
    section = parameter_owner()[name]
    default, meta = declared(name)
    if section not in SAMPLED_SECTIONS:
        return (f"{name} is a lever (a planner's choice, [{section}]), not an uncertainty; "
                "levers are never sampled: policies are compared over the worlds")
    if isinstance(default, tuple):
        return (f"{name} is a list of values, which a world cannot sample (a sweep samples "
                "single values; its elements are tied together); leave it out")
    if isinstance(default, bool | str) or meta["plausible"] is None:
        return f"{name} has no plausible range to sample"
    if meta["measures"]:
        return (f"{name} sets how an outcome is measured, not what a world is like; worlds "
                "keep the scenario's value (a sweep can vary it)")
    low, high = meta["plausible"]
    if low == high:
        return (f"{name} is fixed at {low:g} (a figure the seed gives: {meta['source']}), not "
                "uncertain")
    return None


def _uncertain(value: object) -> tuple[str, ...]:
    if value == "all":
        return tuple(sampleable())
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f'[worlds] uncertain: {value!r} is not allowed; give "all" or a '
                            "list of parameter names")
    owner = parameter_owner()
    for name in value:
        if name not in owner:
            raise ScenarioError(unknown_key_message("[worlds] uncertain:", name, set(owner)))
        if (why := _why_not(name)) is not None:
            raise ScenarioError(f"[worlds] uncertain: {why}")
    twice = sorted({n for n in value if value.count(n) > 1})
    if twice:
        raise ScenarioError(f"[worlds] uncertain: {twice[0]} is listed twice")
    return tuple(value)


# ---- the files kept beside the sweep ----------------------------------------------------
def worlds_toml(spec: WorldsSpec) -> str:
    """The specification as TOML, so worlds.toml stands alone: the scenario's path absolute,
    ``uncertain`` the list of the parameters sampled."""
    lines = [f"# copied from {spec.source}", "[worlds]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in spec.raw["worlds"].items()]
    for name, entry in spec.raw["filters"].items():
        lines += ["", f"[filters.{name}]"]
        lines += [f"{_toml_key(k)} = {_toml_inline(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def _toml_inline(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return toml_value(value)


def sweep_text(spec: WorldsSpec) -> str:
    """The sweep's spec.toml."""
    return sweep_toml(spec.sweep.raw, f"the sweep of the worlds in {spec.source}")


def stored_spec(out: Path, given: WorldsSpec | None = None) -> WorldsSpec:
    """The specification of the worlds directory ``out``; a ``given`` one must be the same."""
    if not (out / WORLDS_FILE).is_file():
        if (out / "sweep.json").is_file():
            raise SweepError(f"{out}: a sweep directory, not a worlds directory (no "
                             f"{WORLDS_FILE}); continue it with 'resettle sweep --resume {out}'")
        raise SweepError(f"{out}: not a worlds directory (no {WORLDS_FILE})")
    stored = load_worlds_spec(out / WORLDS_FILE)
    if given is not None and given.fingerprint() != stored.fingerprint():
        raise SweepError(f"{out}: made by a different worlds spec: "
                         f"{difference(stored.fingerprint(), given.fingerprint())}")
    return stored
