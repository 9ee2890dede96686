"""Conditions on measured indicators: ``indicator = { at_least = x, at_most = y }``.

One rule for two uses: a triggered switch's signposts (``[switch.when]`` of a scenario, read
each month from what a community office can observe: :data:`SIGNPOSTS`) and the filters that
keep a plausible world (``resettle.experiments.worlds``, read from any column of the monthly
table). A condition holds when the indicator's value lies in ``[at_least, at_most]``; a missing
value (NaN: before the first bill, for instance) never meets it.

A condition is refused with one line naming where it was written when the indicator is
unknown, a bound is not a finite number, neither bound is given, ``at_least`` exceeds
``at_most``, or a bound lies outside the indicator's domain: a threshold no value can reach
(``attitude = { at_least = 1.5 }``) is a mistake, not a policy that never switches.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from resettle.errors import ScenarioError
from resettle.outcomes import COMPARABLE, MONEY_KEYS
from resettle.params.schema import unknown_key_message
from resettle.params.sections import MAX_AGE

BOUND_KEYS = ("at_least", "at_most")
UNIT = (0.0, 1.0)  # a share or a score
ANY = (-math.inf, math.inf)

# What a community office can observe each month (the monthly table's column of that name,
# ODD Appendix B), with the values it can take.
SIGNPOSTS: dict[str, tuple[float, float]] = {
    "attitude": UNIT,  # a residents' survey (villager 0 to citizen 1)
    "attitude_under40": UNIT,
    "fee_willingness": UNIT,  # households willing to pay the full bill themselves
    "own_fee_share": UNIT,  # share of the full fee households paid themselves
    "fee_compliance": UNIT,
    "fee_collection": UNIT,
    "employment": UNIT,
    "employment_4050": UNIT,
    "stability": UNIT,  # households not raising a matter this month
    "petitions": UNIT,  # households raising a matter this month, per household
    "petitions_resolved": UNIT,
    "petitions_via_committee": UNIT,
    "turnout": UNIT,
    "service_quality": UNIT,
    "maturity": UNIT,
    "maturity_participation": UNIT,
    "maturity_self_government": UNIT,
    "maturity_cadres": UNIT,  # cadre quality (competence, schooling, age)
    "maturity_separation": UNIT,
    "maturity_democracy": UNIT,
}


# The columns of the monthly table (outcomes.COMPARABLE) that are shares or scores in [0, 1]
# (ODD Appendix B; ``switched`` is 0 or 1), ages, and money balances (which may be negative);
# the others are counts, yuan owed or billed, grievance, a level: never negative.
SHARES = frozenset({
    "attitude", "attitude_under40", "attitude_40_59", "attitude_60plus",
    "village_attitude_eta2", "employment", "trained_share", "employment_under40",
    "employment_prime", "employment_4050", "maturity", "maturity_participation",
    "maturity_self_government", "maturity_cadres", "maturity_separation",
    "maturity_democracy", "stability", "complaints", "service_quality",
    "company_professionalism", "turnout", "meeting_attendance", "petitions_resolved",
    "petitions_via_committee", "collective_paid_share", "collective_fee_share",
    "scheme_conformity", "switched", "fee_compliance", "own_fee_share", "fee_collection",
    "fee_willingness", "evasion", "enforced", "on_behalf_shortfall"})


AGES = frozenset({"cadre_mean_age", "party_member_mean_age"})
BALANCES = frozenset(MONEY_KEYS) - {"arrears"}
NOT_NEGATIVE = (0.0, math.inf)


def comparable_domains() -> dict[str, tuple[float, float]]:
    """Every column of the monthly table that may be compared (``outcomes.COMPARABLE``) with
    the values it can take: a signpost's (:data:`SIGNPOSTS`), [0, 1] for a share or a score
    (:data:`SHARES`), [0, MAX_AGE] for an age, any number for a balance, else >= 0."""
    return {name: SIGNPOSTS.get(name) or _domain(name) for name in COMPARABLE}


def _domain(name: str) -> tuple[float, float]:
    if name in SHARES:
        return UNIT
    if name in AGES:
        return (0.0, float(MAX_AGE))
    return ANY if name in BALANCES else NOT_NEGATIVE


# Signposts measured over a month (what happened in it): the initial state (month 0) has no
# reading of them, although the table shows their starting values there (stability 1).
FLOWS = frozenset({"stability", "petitions", "petitions_resolved", "petitions_via_committee"})


@dataclass(frozen=True)
class Condition:
    """``at_least <= value <= at_most`` (a missing bound is open)."""

    indicator: str
    at_least: float | None = None
    at_most: float | None = None

    def holds(self, value: float) -> bool:
        """Whether ``value`` meets the condition (NaN never does)."""
        if value is None or math.isnan(value):
            return False
        return ((self.at_least is None or value >= self.at_least)
                and (self.at_most is None or value <= self.at_most))

    def describe(self) -> str:
        """``attitude >= 0.6``, ``0.2 <= petitions <= 0.5``."""
        lo, hi = self.at_least, self.at_most
        if lo is not None and hi is not None:
            return f"{lo:g} <= {self.indicator} <= {hi:g}"
        return f"{self.indicator} >= {lo:g}" if lo is not None else f"{self.indicator} <= {hi:g}"


def all_hold(conditions: tuple[Condition, ...], values: Mapping[str, float]) -> bool:
    """Whether every condition holds for the values (a row of the monthly table)."""
    return all(c.holds(float(values[c.indicator])) for c in conditions)


def parse_conditions(where: str, table: object,
                     indicators: Mapping[str, tuple[float, float]]) -> tuple[Condition, ...]:
    """The conditions of a TOML table ``{indicator: {at_least: x, at_most: y}}``, in the order
    written; ``where`` (``[switch.when]``) prefixes every error."""
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{where}: expected a table of conditions such as "
                            f"attitude = {{ at_least = 0.6 }}, got {table!r}")
    return tuple(parse_condition(f"{where} {name}", name, spec, indicators)
                 for name, spec in table.items())


def parse_condition(where: str, name: str, spec: object,
                    indicators: Mapping[str, tuple[float, float]]) -> Condition:
    """One condition; ``where`` ends with ``name`` (``[switch.when] attitude``). See the
    module docstring for what is refused."""
    if name not in indicators:
        table = where.removesuffix(name).rstrip() or where
        raise ScenarioError(unknown_key_message(table, name, set(indicators)))
    if not isinstance(spec, dict) or not spec:
        raise ScenarioError(f"{where}: expected {{ at_least = x }}, {{ at_most = x }} or both, "
                            f"got {spec!r}")
    for key in spec:
        if key not in BOUND_KEYS:
            raise ScenarioError(unknown_key_message(where, key, set(BOUND_KEYS)))
    low, high = indicators[name]
    bounds = {key: _bound(f"{where}.{key}", spec[key], low, high) for key in spec}
    lo, hi = bounds.get("at_least"), bounds.get("at_most")
    if lo is not None and hi is not None and lo > hi:
        raise ScenarioError(f"{where}: at_least {lo:g} is above at_most {hi:g}; no value can "
                            "meet both")
    return Condition(name, lo, hi)


def _bound(where: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not math.isfinite(value):
        raise ScenarioError(f"{where}: expected a finite number, got {value!r}")
    if not low <= value <= high:
        raise ScenarioError(f"{where}: {value!r} is outside the values the indicator can take "
                            f"[{low:g}, {high:g}]; no month could meet it")
    return float(value)
