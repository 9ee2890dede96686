"""Sweep specifications (TOML): which scenarios to compare, which parameters vary and how,
the design, replications, seed, and what to keep.

    [sweep]
    name = "fees-and-training"
    scenarios = ["../scheme1.toml", "../scheme2.toml"]  # relative to this file
    design = "latin_hypercube"   # full_factorial | latin_hypercube | sobol | morris
                                 # | sobol_sequence | points
    samples = 64                 # points (LHS, sobol_sequence), base N = 2^k (sobol),
                                 # trajectories (morris)
    replications = 4
    seed = 2026
    metrics = ["attitude", "maturity"]
    years = [5, 15]              # 0 is the initial state (month 0)

    [parameters.enforcement_probability]
    range = [0.05, 0.6]
    [parameters.training_capacity]
    range = [0, 100]
    integer = true
    [parameters.property_fee_payer]
    values = ["collective", "households"]
    [parameters.confidence_bound]   # neither range nor values: its plausible range

A parameter given neither ``range`` nor ``values`` (an empty table, or only ``integer =
true``) is sampled over its plausible range (``resettle params`` shows it; whole numbers for
a whole-number parameter), a choice over all its choices and a switch over false and true. An
explicit ``range`` may go beyond the plausible range but must lie inside the valid domain.
``integer = true`` is for whole-number parameters only, whose ranges are of whole numbers
whether it is given or not. ``samples`` must be enough for the
design: at least 2 points (Latin hypercube), a power of two of at least 2 (Sobol) and at least
2 trajectories (Morris: the spread of elementary effects needs two). ``sobol`` is Saltelli's
design for Sobol' indices (``samples`` (d + 2) points); ``sobol_sequence`` is ``samples`` points
of one scrambled Sobol' sequence (a power of two of at least 2), an ensemble that fills the
space more evenly than random points, with no indices (``resettle worlds`` samples with it).
``points`` takes the points as given: every parameter has ``values = [...]``, all of one length,
and point i takes the i-th value of each (``samples``, if given, is that length); ``resettle
decide`` runs the accepted worlds of a worlds directory so.
``years`` are kept years in [0, horizon]; year 0 is the initial state. ``name`` is a safe name
(:func:`resettle.params.scenario.check_name`).

Every problem is reported as one ScenarioError line naming the file and the key, before any
run starts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from resettle.errors import ScenarioError
from resettle.outcomes import COMPARABLE, DEFAULT_METRICS
from resettle.params.scenario import (
    SECTIONS,
    Scenario,
    check_name,
    load_scenario,
    parameter_owner,
)
from resettle.params.schema import unknown_key_message

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris", "sobol_sequence", "points")
SWEEP_KEYS = {"name", "scenarios", "design", "samples", "replications", "seed", "metrics",
              "years", "horizon_years", "levels"}
PARAM_KEYS = {"range", "values", "integer"}
DEFAULT_LEVELS = 3  # full factorial of a range, and Morris grid levels (assumption: 3 and 4)
MORRIS_LEVELS = 4
# the fewest samples each design can be analysed with (docs in the module docstring)
MIN_SAMPLES = {"latin_hypercube": (2, "points: one point varies nothing"),
               "sobol": (2, "base points: the bootstrap of the indices needs two"),
               "sobol_sequence": (2, "points: one point varies nothing"),
               "morris": (2, "trajectories: the spread (sigma) of the effects needs two")}


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a numeric range (``integer`` or not) or a list of values."""

    name: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    values: tuple = ()

    @property
    def categorical(self) -> bool:
        """True for a list of values."""
        return bool(self.values)

    def scale(self, u: float):
        """Map u in [0, 1) to a parameter value."""
        if self.categorical:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.integer:
            return int(min(self.low + int(u * (self.high - self.low + 1)), self.high))
        return float(self.low + u * (self.high - self.low))

    def grid(self, levels: int) -> list:
        """Values for a full factorial."""
        if self.categorical:
            return list(self.values)
        if self.integer:
            return sorted({round(v) for v in _linspace(self.low, self.high, levels)})
        return [float(v) for v in _linspace(self.low, self.high, levels)]


def _linspace(low: float, high: float, k: int) -> list[float]:
    return [low + (high - low) * i / (k - 1) for i in range(k)] if k > 1 else [low]


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep specification."""

    name: str
    scenarios: tuple[Scenario, ...]
    factors: tuple[Factor, ...]
    design: str
    samples: int
    replications: int
    seed: int
    metrics: tuple[str, ...]
    years: tuple[int, ...]
    levels: int = DEFAULT_LEVELS
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False)

    @property
    def horizon(self) -> int:
        """Horizon in years (shared by every scenario)."""
        return self.scenarios[0].horizon_years

    def fingerprint(self) -> dict:
        """What identifies the sweep's results: scenarios' values, factors, design, seeds."""
        return {"name": self.name, "design": self.design, "samples": self.samples,
                "replications": self.replications, "seed": self.seed, "levels": self.levels,
                "metrics": list(self.metrics), "years": list(self.years),
                "factors": [asdict(f) for f in self.factors],
                "scenarios": {s.name: _scenario_digest(s) for s in self.scenarios}}

    def digest(self) -> str:
        """A short hash of the fingerprint."""
        text = json.dumps(self.fingerprint(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# fields added after sweeps were first started, with their defaults: left out of a scenario's
# digest while they hold them, so a sweep started before they existed still resumes
LATER_FIELDS = {"switch_trigger": None, "switch_only": ()}
LATER_UNCERTAINTIES = ("maturity_window_months",)


def _scenario_digest(s: Scenario) -> str:
    # where it was read from, and a translation, change no result (nor old digests)
    skip = {"files", "file_hashes", "description_zh"}
    record = {k: v for k, v in s.to_dict().items()
              if k not in skip and not (k in LATER_FIELDS and v == LATER_FIELDS[k])}
    record["uncertainties"] = {k: v for k, v in record["uncertainties"].items()
                               if not (k in LATER_UNCERTAINTIES and v == declared(k)[0])}
    text = json.dumps(record, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_spec_file(path: Path, kind: str) -> dict:
    """The tables of a study's TOML file (``kind``: sweep, worlds, decide), or one line
    naming the file: not found, or not readable as TOML."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ScenarioError(f"{path}: cannot read {kind} file ({err})") from None


def built_spec(path: Path, raw: dict, sections: set[str], build):
    """``build(path, raw)`` for a study's tables ``raw`` with only the top-level ``sections``;
    a ScenarioError (an unknown section, or any from ``build``) names the file."""
    try:
        for key in raw:
            if key not in sections:
                raise ScenarioError(unknown_key_message("section", key, sections))
        return build(path, raw)
    except ScenarioError as err:
        raise err.with_file(path) from None


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file; errors name the file and the key."""
    path = Path(path)
    return parse_sweep(path, read_spec_file(path, "sweep"))


def parse_sweep(path: str | Path, raw: dict) -> SweepSpec:
    """Validate a sweep specification already read as TOML tables (``raw``); scenario files
    are relative to ``path``, which errors name."""
    return built_spec(Path(path), raw, {"sweep", "parameters"}, _build)


def _build(path: Path, raw: dict) -> SweepSpec:
    table = raw.get("sweep")
    if not isinstance(table, dict):
        raise ScenarioError("[sweep]: missing required section")
    for key in table:
        if key not in SWEEP_KEYS:
            raise ScenarioError(unknown_key_message("[sweep]", key, SWEEP_KEYS))
    scenarios = _scenarios(path, table)
    design = _choice(table, "design", DESIGNS)
    factors = _factors(raw.get("parameters", {}), scenarios[0], design)
    spec = SweepSpec(
        name=check_name("[sweep] name", _text(table, "name")), scenarios=scenarios, factors=factors,
        design=design, samples=_int(table, "samples", 1, _default_samples(design, factors)),
        replications=_int(table, "replications", 1, 1), seed=_int(table, "seed", 0, 0),
        metrics=_metrics(table), years=_years(table, scenarios[0].horizon_years),
        levels=_int(table, "levels", 2, DEFAULT_LEVELS), source=str(path), raw=raw)
    _check_design(spec)
    return spec


def _text(table: dict, key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"[sweep] {key}: missing required key; give a non-empty text")
    return value


def _default_samples(design: str, factors: tuple[Factor, ...]) -> int:
    """``samples`` when not given: the number of points a ``points`` design lists, else 16."""
    return len(factors[0].values) if design == "points" else 16


def _int(table: dict, key: str, minimum: int, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(f"[sweep] {key}: {value!r} is not allowed; use a whole number "
                            f">= {minimum}")
    return value


def _choice(table: dict, key: str, allowed: tuple[str, ...]) -> str:
    value = table.get(key)
    if value not in allowed:
        raise ScenarioError(f"[sweep] {key}: {value!r} is not allowed; use one of "
                            + ", ".join(repr(a) for a in allowed))
    return value


def _scenarios(path: Path, table: dict) -> tuple[Scenario, ...]:
    files = table.get("scenarios")
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise ScenarioError("[sweep] scenarios: give a list of one or more scenario files")
    scenarios = [load_scenario(path.parent / f) for f in files]
    if "horizon_years" in table:
        years = _int(table, "horizon_years", 1, 15)
        scenarios = [s.replace(horizon_years=years) for s in scenarios]
    if len({s.horizon_years for s in scenarios}) > 1:
        raise ScenarioError("[sweep] scenarios: horizons differ; set [sweep] horizon_years")
    if len({s.name for s in scenarios}) != len(scenarios):
        raise ScenarioError("[sweep] scenarios: scenario names must differ")
    return tuple(scenarios)


def _metrics(table: dict) -> tuple[str, ...]:
    metrics = table.get("metrics", list(DEFAULT_METRICS))
    known = set(COMPARABLE)
    if not isinstance(metrics, list) or not metrics:
        raise ScenarioError("[sweep] metrics: give a list of metric names")
    for metric in metrics:
        if metric not in known:
            raise ScenarioError(unknown_key_message("[sweep] metrics:", str(metric), known))
    return tuple(metrics)


def _years(table: dict, horizon: int) -> tuple[int, ...]:
    years = table.get("years", [horizon])
    if not isinstance(years, list) or not years:
        raise ScenarioError("[sweep] years: give a list of years")
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= horizon:
            raise ScenarioError(f"[sweep] years: {year!r} is not allowed; use years in "
                                f"[0, {horizon}] (0: the initial state)")
    return tuple(sorted(set(years)))


def _factors(params: dict, scenario: Scenario, design: str = "") -> tuple[Factor, ...]:
    if not isinstance(params, dict) or not params:
        raise ScenarioError("[parameters]: give at least one parameter to vary")
    owner = parameter_owner()
    factors = []
    for name, entry in params.items():
        if name not in owner:
            raise ScenarioError(unknown_key_message("[parameters]", name, set(owner)))
        if design == "points" and not (isinstance(entry, dict) and "values" in entry):
            raise ScenarioError(f"[parameters.{name}]: a points design takes values = [...], "
                                "one value per point")
        factors.append(_factor(name, entry, scenario, points=design == "points"))
    return tuple(factors)


def _factor(name: str, entry: object, scenario: Scenario, points: bool = False) -> Factor:
    where = f"[parameters.{name}]"
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: give a table: range = [low, high], values = [...] or "
                            "nothing (its plausible range)")
    for key in entry:
        if key not in PARAM_KEYS:
            raise ScenarioError(unknown_key_message(where, key, PARAM_KEYS))
    if "range" in entry and "values" in entry:
        raise ScenarioError(f"{where}: give exactly one of range or values")
    if not isinstance(entry.get("integer", False), bool):
        raise ScenarioError(f"{where} integer: expected true or false")
    default, meta = declared(name)
    if entry.get("integer") is True and (isinstance(default, bool)
                                         or not isinstance(default, int)):
        raise ScenarioError(f"{where} integer: {name} is not a whole-number parameter (its "
                            f"default is {default!r}); remove integer = true")
    factor = _made_factor(name, entry, default, meta, where)
    if points:
        _whole_values(factor, default, where)
    for value in _extremes(factor, points):
        _check_value(scenario, name, value, where)
    return factor


def _made_factor(name: str, entry: dict, default: object, meta: dict, where: str) -> Factor:
    """The factor of ``values``, a ``range`` (of whole numbers for a whole-number
    parameter) or the plausible range."""
    if "values" in entry:
        return _values_factor(name, entry, where)
    if "range" in entry:
        whole = isinstance(default, int) and not isinstance(default, bool)
        return dataclasses.replace(_range_factor(name, entry, where),
                                   integer=whole or entry.get("integer", False))
    return _plausible_factor(name, default, meta, where)


def _whole_values(factor: Factor, default: object, where: str) -> None:
    """A whole-number parameter's points are whole numbers (the extremes alone would not
    show a 4100.5 between them)."""
    if isinstance(default, bool) or not isinstance(default, int):
        return
    for value in factor.values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(f"{where} values: {value!r} is not a whole number; "
                                f"{factor.name} takes whole numbers")


def declared(name: str) -> tuple[object, dict]:
    """The default and the declaration (unit, domain, plausible range...) of a parameter."""
    section = SECTIONS[parameter_owner()[name]]
    f = next(f for f in dataclasses.fields(section) if f.name == name)
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
    return default, f.metadata


def _plausible_factor(name: str, default: object, meta: dict, where: str) -> Factor:
    """A factor over the parameter's plausible range (its choices; false and true)."""
    if meta["choices"]:
        return Factor(name=name, values=tuple(meta["choices"]))
    if isinstance(default, bool):
        return Factor(name=name, values=(False, True))
    if meta["plausible"] is None or isinstance(default, tuple):
        raise ScenarioError(f"{where}: {name} has no plausible range to sample; give "
                            "values = [...]")
    low, high = meta["plausible"]
    if low == high:
        raise ScenarioError(f"{where}: the plausible range of {name} is the single value "
                            f"{low:g} (a figure of the seed); give range = [low, high]")
    if isinstance(default, int):
        return Factor(name=name, low=int(low), high=int(high), integer=True)
    return Factor(name=name, low=float(low), high=float(high))


def _values_factor(name: str, entry: dict, where: str) -> Factor:
    values = entry["values"]
    if not isinstance(values, list) or not values:
        raise ScenarioError(f"{where} values: empty; give at least one value")
    return Factor(name=name, values=tuple(values))


def _range_factor(name: str, entry: dict, where: str) -> Factor:
    bounds = entry["range"]
    if not isinstance(bounds, list) or len(bounds) != 2 or not all(
            isinstance(b, int | float) and not isinstance(b, bool) for b in bounds):
        raise ScenarioError(f"{where} range: give two numbers [low, high]")
    low, high = bounds
    if low > high:
        raise ScenarioError(f"{where} range: lower bound {low} > upper bound {high}")
    if low == high:
        raise ScenarioError(f"{where} range: empty range [{low}, {high}]; give values = "
                            f"[{low}] to fix it")
    return Factor(name=name, low=low, high=high, integer=entry.get("integer", False))


def _extremes(factor: Factor, points: bool = False) -> list:
    """The values to check against the valid domain: every value of a list, except that a
    points design's numbers (a domain is an interval) need only their least and greatest."""
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in factor.values)
    if factor.categorical and points and numeric:
        return [min(factor.values), max(factor.values)]
    if factor.categorical:
        return list(factor.values)
    cast = int if factor.integer else float
    return [cast(factor.low), cast(factor.high)]


def _check_value(scenario: Scenario, name: str, value: object, where: str) -> None:
    try:
        scenario.replace(**{name: value})
    except ScenarioError as err:
        raise ScenarioError(f"{where}: {err}") from None


def _check_design(spec: SweepSpec) -> None:
    if spec.design == "points":
        _check_points(spec)
    if spec.design in MIN_SAMPLES:
        need, why = MIN_SAMPLES[spec.design]
        if spec.samples < need:
            raise ScenarioError(f"[sweep] samples: {spec.samples} is too few for a "
                                f"{spec.design} design; use at least {need} ({why})")
    if spec.design in ("sobol", "sobol_sequence") and spec.samples & (spec.samples - 1):
        raise ScenarioError(f"[sweep] samples: {spec.samples} is not a power of two, which a "
                            f"{spec.design} design needs (e.g. 64, 128, 256)")


def _check_points(spec: SweepSpec) -> None:
    """A points design: every parameter lists one value per point; ``samples`` is their
    number."""
    lengths = {f.name: len(f.values) for f in spec.factors}
    if len(set(lengths.values())) > 1:
        raise ScenarioError("[parameters]: a points design needs one value per point for every "
                            "parameter; the lists have lengths "
                            + ", ".join(f"{n} {k}" for n, k in lengths.items()))
    if spec.samples != len(spec.factors[0].values):
        raise ScenarioError(f"[sweep] samples: {spec.samples} is not the "
                            f"{len(spec.factors[0].values)} points the values list; leave "
                            "samples out")
