"""Scenarios: a named set of community facts, levers and uncertainties, read from TOML.

A scenario file has a required ``[scenario]`` table (``name``; optional ``description``,
``description_zh`` (the description in Chinese, for ``--lang zh`` reports), ``horizon_years``
and ``extends``, a path relative to the file) and optional ``[community]``,
``[levers]``, ``[uncertainties]`` and ``[switch]`` tables. Values not given come from the file
it extends, else from the built-in defaults (Dongyu under Scheme 1). ``[switch]`` (``year``,
``to``: another scenario file whose levers apply from that year on, and an optional
``levers`` table on top) makes a phased scenario. Instead of a ``year``, ``[switch.when]`` may
name conditions on signposts, held for some months within an earliest and a latest year (a
triggered switch: :mod:`resettle.params.switch`); without ``to``, the ``[switch.levers]``
table alone changes some of the scenario's own levers (a partial switch).

A name (the scenario's, and a sweep's: :func:`check_name`) is a label that outputs and reports
show and that may end up in file names: non-blank, at most ``schema.MAX_NAME_LENGTH`` (80)
characters, no path separator, no control character, no surrounding spaces, not ``.`` or
``..``. A chain of ``extends`` (and ``[switch] to``) references may be at most
``MAX_EXTENDS_DEPTH`` files deep.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from resettle.errors import ScenarioError
from resettle.params.schema import name_problem, shown_name, unknown_key_message
from resettle.params.sections import MAX_YEARS, Community, Levers, Uncertainties
from resettle.params.switch import TRIGGER_KEYS, Trigger, read_trigger

SECTIONS = {"community": Community, "levers": Levers, "uncertainties": Uncertainties}
HEADER_KEYS = {"name", "description", "description_zh", "horizon_years", "extends"}
SWITCH_KEYS = {"year", "to", "levers", "phase_months", *TRIGGER_KEYS}
MAX_PHASE_MONTHS = 120  # assumption: a phase-in longer than ten years is no longer a switch
MAX_HORIZON_YEARS = MAX_YEARS  # sections.MAX_YEARS: the longest horizon (a century)
MAX_EXTENDS_DEPTH = 32  # assumption: files in one chain of extends / switch references


@dataclass(frozen=True)
class Scenario:
    """Everything a run needs except the seed. Frozen: build a changed copy with ``replace``."""

    name: str = "baseline"
    description: str = "Dongyu under Scheme 1 with the built-in defaults"
    horizon_years: int = 15
    community: Community = field(default_factory=Community)
    levers: Levers = field(default_factory=Levers)
    uncertainties: Uncertainties = field(default_factory=Uncertainties)
    switch_year: int | None = None
    switch_levers: Levers | None = None
    switch_phase_months: int = 0  # the switch's levers phase in over this many months (§4)
    switch_trigger: Trigger | None = None  # switch when signposts are met, instead of a year
    switch_only: tuple[str, ...] = ()  # a partial switch: only these levers change
    files: tuple[str, ...] = ()  # the files it was read from, the extended ones first
    file_hashes: tuple[str, ...] = ()  # the SHA-256 of each file's bytes, as they were read
    description_zh: str | None = None  # the description in Chinese, when the file gives one

    def __post_init__(self) -> None:
        if not isinstance(self.horizon_years, int) or isinstance(self.horizon_years, bool) \
                or not 1 <= self.horizon_years <= MAX_HORIZON_YEARS:
            raise ScenarioError(f"[scenario] horizon_years: {self.horizon_years!r} is out of "
                                f"range; use a whole number in [1, {MAX_HORIZON_YEARS}]")
        self._check_switch()

    def levers_after_switch(self, in_force: Levers) -> Levers:
        """The levers from the switch on: ``switch_levers``; for a partial switch, the levers
        in force with only the ``switch_only`` ones changed to ``switch_levers``' values."""
        if not self.switch_only:
            return self.switch_levers
        return dataclasses.replace(in_force, **{k: getattr(self.switch_levers, k)
                                                for k in self.switch_only})

    def _check_switch(self) -> None:
        timed = self.switch_year is not None or self.switch_trigger is not None
        if timed != (self.switch_levers is not None):
            raise ScenarioError("[switch]: give the levers it switches to ('to' or 'levers') "
                                "with a year or a [switch.when] condition, or neither")
        if self.switch_year is not None and self.switch_trigger is not None:
            raise ScenarioError("[switch] year: give either a year or a [switch.when] "
                                "condition, not both")
        if self.switch_trigger is not None:
            self.switch_trigger.check(self.horizon_years)
        if isinstance(self.switch_phase_months, bool) or not isinstance(
                self.switch_phase_months, int) or not 0 <= self.switch_phase_months <= \
                MAX_PHASE_MONTHS:
            raise ScenarioError(f"[switch] phase_months: {self.switch_phase_months!r} is not "
                                f"allowed; use a whole number in [0, {MAX_PHASE_MONTHS}]")
        if self.switch_year is not None and not 0 <= self.switch_year <= self.horizon_years:
            raise ScenarioError(f"[switch] year: {self.switch_year!r} is beyond the horizon; "
                                f"use a whole number in [0, {self.horizon_years}]")

    @property
    def months(self) -> int:
        """Horizon in months (one model step is one month)."""
        return 12 * self.horizon_years

    def replace(self, **overrides: Any) -> Scenario:
        """A copy with parameters changed by their field names, in any section.

        ``scenario.replace(property_fee_payer="households", confidence_bound=0.2)``; header
        fields (``name``, ``horizon_years``, ``switch_year``...) may be given too.
        """
        by_section: dict[str, dict] = {name: {} for name in SECTIONS}
        header = {}
        owner = parameter_owner()
        header_fields = {f.name for f in fields(self)} - set(SECTIONS)
        for key, value in overrides.items():
            if key in owner:
                by_section[owner[key]][key] = value
            elif key in header_fields:
                header[key] = value
            else:
                raise ScenarioError(unknown_key_message("[overrides]", key,
                                                        set(owner) | header_fields))
        sections = {name: dataclasses.replace(getattr(self, name), **vals)
                    for name, vals in by_section.items() if vals}
        return dataclasses.replace(self, **header, **sections)

    def to_dict(self) -> dict:
        """Plain nested dict (for manifests and reports)."""
        return dataclasses.asdict(self)


def check_name(where: str, name: object) -> str:
    """``name`` if it is a safe name (see the module docstring), else ScenarioError: one line
    naming ``where`` (``[scenario] name``, ``[sweep] name``) and what to change."""
    problem = name_problem(name)
    if problem is None and ("/" in name or "\\" in name):
        problem = "remove the path separator (/ or \\)"
    if problem is None and name in (".", ".."):
        problem = "a name cannot be . or .."
    if problem is None and name != name.strip():
        problem = "remove the spaces at its start or end"
    if problem:
        raise ScenarioError(f"{where}: {shown_name(name)} is not allowed; {problem}")
    return name


def parameter_owner() -> dict[str, str]:
    """Map each parameter name to the section that holds it (names are unique across sections)."""
    return {f.name: section for section, cls in SECTIONS.items() for f in fields(cls)}


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file. Raises ScenarioError naming the file and the key."""
    path = Path(path)
    try:
        return _load(path, seen=())
    except ScenarioError as err:
        raise ScenarioError(str(err)).with_file(path) from None


def load_scenarios(paths: list[Path], years: int | None = None) -> list[Scenario]:
    """Load scenario files for one study: apply ``--years`` (a common horizon) and refuse
    duplicate names (their results could not be told apart)."""
    scenarios = []
    for path in paths:
        scenario = load_scenario(path)
        if years is not None:
            try:
                scenario = scenario.replace(horizon_years=years)
            except ScenarioError as err:
                raise ScenarioError(f"{path}: --years {years}: {err}") from None
        scenarios.append(scenario)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must differ, got {names}")
    return scenarios


def _read_toml(path: Path) -> tuple[dict, str]:
    """The file's tables and the SHA-256 of the bytes they were read from."""
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path}: cannot read ({err.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML ({err})") from None


class _ChainTooDeep(ScenarioError):
    """A chain of references deeper than ``MAX_EXTENDS_DEPTH``: reported once, by the file
    that was loaded, rather than wrapped by every file of the chain."""


def _load_reference(path: Path, seen: tuple[Path, ...], key: str) -> Scenario:
    """Load a file named by ``key`` (``[scenario] extends`` or ``[switch] to``)."""
    if path.resolve() in seen:
        raise ScenarioError(f"{key}: circular reference to {path}")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise _ChainTooDeep(f"{key}: more than {MAX_EXTENDS_DEPTH} files in one chain (at "
                            f"'{path.name}'); extend a file nearer the baseline")
    try:
        return _load(path, seen)
    except _ChainTooDeep:
        raise
    except ScenarioError as err:
        raise ScenarioError(f"{key} = '{path.name}': {err}") from None


def _load(path: Path, seen: tuple[Path, ...]) -> Scenario:
    data, digest = _read_toml(path)
    try:
        return _build(path, data, digest, (*seen, path.resolve()))
    except _ChainTooDeep:
        raise
    except ScenarioError as err:
        raise err.with_file(path) from None


def _build(path: Path, data: dict, digest: str, seen: tuple[Path, ...]) -> Scenario:
    for key in data:
        if key not in {"scenario", "switch", *SECTIONS}:
            raise ScenarioError(unknown_key_message("section", key,
                                                    {"scenario", "switch", *SECTIONS}))
    header = _header(data)
    base = (_load_reference(path.parent / header["extends"], seen, "[scenario] extends")
            if "extends" in header else Scenario())
    sections = {name: cls.from_mapping(_table(data, name), getattr(base, name))
                for name, cls in SECTIONS.items()}
    switch = _switch(path, data, base, sections["levers"], seen)
    # a Chinese description is inherited only with the English one it translates
    description_zh = header.get("description_zh",
                                None if "description" in header else base.description_zh)
    return Scenario(name=header["name"],
                    description=header.get("description", base.description),
                    description_zh=description_zh,
                    horizon_years=header.get("horizon_years", base.horizon_years),
                    **switch,
                    files=(*base.files, str(path)), file_hashes=(*base.file_hashes, digest),
                    **sections)


def _table(data: dict, name: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ScenarioError(f"[{name}]: expected a table, got {table!r}")
    return table


def _header(data: dict) -> dict:
    if "scenario" not in data:
        raise ScenarioError("[scenario]: missing required section (with at least name = \"...\")")
    header = _table(data, "scenario")
    for key in header:
        if key not in HEADER_KEYS:
            raise ScenarioError(unknown_key_message("[scenario]", key, HEADER_KEYS))
    if not isinstance(header.get("name"), str) or not header["name"].strip():
        raise ScenarioError("[scenario] name: missing required key; give a non-empty text")
    check_name("[scenario] name", header["name"])
    for key in ("description", "description_zh", "extends"):
        if key in header and not isinstance(header[key], str):
            raise ScenarioError(f"[scenario] {key}: expected text, got {header[key]!r}")
    return header


SWITCH_FIELDS = ("switch_year", "switch_levers", "switch_phase_months", "switch_trigger",
                 "switch_only")


def _switch(path: Path, data: dict, base: Scenario, own: Levers, seen: tuple[Path, ...]
            ) -> dict[str, Any]:
    """The Scenario's switch fields from the file's ``[switch]``, which replaces the whole
    switch of the file it extends (inherited when there is none); ``own``: this file's levers
    before the switch."""
    if "switch" not in data:
        return {name: getattr(base, name) for name in SWITCH_FIELDS}
    table = _table(data, "switch")
    for key in table:
        if key not in SWITCH_KEYS:
            raise ScenarioError(unknown_key_message("[switch]", key, SWITCH_KEYS))
    trigger = read_trigger(table)
    year = table.get("year")
    if trigger is None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ScenarioError(f"[switch] year: expected a whole number of years (or a "
                            f"[switch.when] condition), got {year!r}")
    only = () if "to" in table else tuple(_table(table, "levers"))
    return {"switch_year": year, "switch_levers": _switch_levers(path, table, own, seen),
            "switch_phase_months": table.get("phase_months", 0), "switch_trigger": trigger,
            "switch_only": only}


def _switch_levers(path: Path, table: dict, own: Levers, seen: tuple[Path, ...]) -> Levers:
    """The levers after the switch: ``to``'s, or this scenario's own (a partial switch: only
    the ``[switch.levers]`` change, applied to the levers in force at the switch), with
    ``[switch.levers]`` on top."""
    if "to" not in table and "levers" not in table:
        raise ScenarioError("[switch] to: missing required key; give the scenario file whose "
                            "levers apply after the switch, or a [switch.levers] table")
    if "to" in table and not isinstance(table["to"], str):
        raise ScenarioError(f"[switch] to: expected a file name, got {table['to']!r}")
    target = (_load_reference(path.parent / table["to"], seen, "[switch] to").levers
              if "to" in table else own)
    return Levers.from_mapping(_table(table, "levers"), target)
