"""The filters of a worlds specification: ``[filters.NAME]`` tables.

    [filters.younger_urbanise_faster]
    source = "ODD §1.2 pattern 5"  # where the rule and its threshold come from
    years = [3]                    # every condition holds at the end of every year listed
    change_since = 0               # optional: conditions on the change since year 0
    "attitude_under40 - attitude_60plus" = { at_least = 0 }

A condition (``resettle.params.conditions``) reads an outcome (a column of
``outcomes.COMPARABLE``), a sampled parameter (the same in every year; a name that is also an
outcome, such as ``cadre_mean_age``, reads the outcome), or the difference ``"a - b"`` of two
of them, at the end of a year (month 12 y; year 0 is the initial state). Bounds outside what
the quantity can take are refused (a share's difference lies in [-1, 1], so does a share's
change). A filter's name is a column of worlds.csv: lower-case letters, digits and ``_``, not
a sampled parameter's name. A threshold the sources do not give is marked ``assumption`` in
the filter's ``source``.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from resettle.errors import ScenarioError
from resettle.experiments.sweep.spec import declared
from resettle.params.conditions import Condition, comparable_domains, parse_conditions
from resettle.params.scenario import parameter_owner
from resettle.params.schema import unknown_key_message

FILTER_KEYS = {"source", "years", "change_since"}
FILTER_NAME = re.compile(r"[a-z][a-z0-9_]*")  # a column of worlds.csv
WORLD_COLUMNS = ("world", "plausible", "failed")  # the other columns of worlds.csv
ASSUMED = "assumption"  # a filter whose source says so has a threshold the sources do not give


@dataclass(frozen=True)
class WorldFilter:
    """A filter: conditions that hold at the end of every year listed (on the change since
    ``since``, when given); ``source`` is where the rule and its threshold come from."""

    name: str
    source: str
    years: tuple[int, ...]
    conditions: tuple[Condition, ...]
    since: int | None = None

    @property
    def assumed(self) -> bool:
        """Whether its threshold is an assumption (its source says so)."""
        return ASSUMED in self.source.lower()

    def describe(self) -> str:
        """``year 3, change since year 0: attitude_under40 - attitude_60plus >= 0``."""
        years = ", ".join(str(y) for y in self.years)
        when = f"year{'s' if len(self.years) > 1 else ''} {years}"
        if self.since is not None:
            when += f", change since year {self.since}"
        return f"{when}: " + "; ".join(c.describe() for c in self.conditions)


def terms(indicator: str) -> tuple[str, ...]:
    """The names a condition's quantity reads: ``"a"`` → (a,), ``"a - b"`` → (a, b)."""
    return tuple(part.strip() for part in indicator.split("-"))


def _domains(uncertain: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """What each readable name can take: an outcome's domain, a sampled parameter's valid one
    (a name that is both, such as ``cadre_mean_age``, reads the outcome)."""
    domains = comparable_domains()
    for name in read_parameters(uncertain):
        meta = declared(name)[1]
        domains[name] = (-math.inf if meta["low"] is None else float(meta["low"]),
                         math.inf if meta["high"] is None else float(meta["high"]))
    return domains


def read_parameters(uncertain: tuple[str, ...]) -> list[str]:
    """The sampled parameters a condition reads as parameters: those that are not also the
    name of an outcome (``residents``, ``cadres``, ``cadre_mean_age``...: the outcome, their
    realised value, is read)."""
    outcomes = comparable_domains()
    return [name for name in uncertain if name not in outcomes]


def parse_filters(table: object, horizon: int,
                  uncertain: tuple[str, ...]) -> tuple[WorldFilter, ...]:
    """The ``[filters]`` tables, in the order written: years up to ``horizon``, reading the
    outcomes and the sampled parameters ``uncertain``."""
    if not isinstance(table, dict) or not table:
        raise ScenarioError("[filters]: give at least one filter: [filters.NAME] with source, "
                            "years and a condition such as attitude = { at_most = 0.5 }")
    domains = _domains(uncertain)
    taken = set(WORLD_COLUMNS) | set(uncertain)
    return tuple(_filter(name, entry, horizon, domains, taken) for name, entry in table.items())


def _filter(name: str, entry: object, horizon: int, domains: dict, taken: set[str]) -> WorldFilter:
    where = f"[filters.{name}]"
    if not FILTER_NAME.fullmatch(name):
        raise ScenarioError(f"{where}: a filter's name is a column of worlds.csv: lower-case "
                            "letters, digits and _, starting with a letter")
    if name in taken:
        raise ScenarioError(f"{where}: the name {name} is taken by a column of worlds.csv "
                            "(a sampled parameter, world, plausible or failed); rename it")
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: give a table with source, years and conditions")
    table = {k: v for k, v in entry.items() if k not in FILTER_KEYS}
    _check_names(where, table, domains)  # first: a mistyped key is not taken for missing
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ScenarioError(f"{where} source: missing required key; name the § of the BRIEF, "
                            "the ODD pattern or the paper (and 'assumption' for a threshold "
                            "they do not give)")
    years = _years(where, entry.get("years"), horizon)
    since = _since(where, entry.get("change_since"), years)
    if since is not None:
        _no_parameters_changing(where, table, domains)
    if not table:
        raise ScenarioError(f"{where}: no condition; add one such as "
                            "attitude = { at_most = 0.5 }")
    readable = _readable(table, domains, since is not None)
    return WorldFilter(name, source, years, parse_conditions(where, table, readable), since)


def _years(where: str, years: object, horizon: int) -> tuple[int, ...]:
    if not isinstance(years, list) or not years:
        raise ScenarioError(f"{where} years: give a list of years, e.g. [3] (0: the initial "
                            "state)")
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= horizon:
            raise ScenarioError(f"{where} years: {year!r} is not allowed; use years in "
                                f"[0, {horizon}] (the horizon)")
    return tuple(sorted(set(years)))


def _since(where: str, since: object, years: tuple[int, ...]) -> int | None:
    if since is None:
        return None
    if isinstance(since, bool) or not isinstance(since, int) or not 0 <= since < years[0]:
        raise ScenarioError(f"{where} change_since: {since!r} is not allowed; use a year in "
                            f"[0, {years[0] - 1}] (before every year listed)")
    return since


def _no_parameters_changing(where: str, table: dict, domains: dict) -> None:
    """A parameter does not change within a run: its change is always 0."""
    outcomes = comparable_domains()
    for key in table:
        fixed = [n for n in terms(key) if n not in outcomes]
        if fixed:
            raise ScenarioError(f"{where} {key!r}: {fixed[0]} is a parameter, which does not "
                                "change within a run; drop change_since or read an outcome")


def _check_names(where: str, table: dict, domains: dict) -> None:
    """Refuse a condition that reads more than two names, or an unknown one."""
    for key in table:
        names = terms(key)
        if len(names) > 2:
            raise ScenarioError(f"{where} {key!r}: a condition reads one quantity or the "
                                "difference of two, written 'a - b'")
        for name in names:
            if name not in domains:
                raise ScenarioError(_unknown(where, name, domains))


def _readable(table: dict, domains: dict, change: bool) -> dict:
    """The quantities the conditions of ``table`` read, with the values each can take (of a
    change, when ``change``)."""
    readable = {}
    for key in table:
        names = terms(key)
        low, high = domains[names[0]]
        if len(names) == 2:
            other_low, other_high = domains[names[1]]
            low, high = low - other_high, high - other_low
        readable[key] = (low - high, high - low) if change else (low, high)
    return readable


def _unknown(where: str, name: str, domains: dict) -> str:
    if name in parameter_owner():
        return (f"{where} {name}: a parameter this ensemble does not sample; a condition "
                "reads an outcome or a parameter listed in [worlds] uncertain")
    known = set(domains) | FILTER_KEYS
    if difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6):
        return unknown_key_message(where, name, known)
    return (f"{where} {name}: unknown key; a filter has {', '.join(sorted(FILTER_KEYS))} and "
            "conditions on an outcome (a column of the monthly table, ODD Appendix B), a "
            "parameter listed in [worlds] uncertain, or 'a - b' of two of them")
