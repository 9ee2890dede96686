"""A triggered switch: switch "when conditions are mature" (BRIEF §3-§5), read from signposts.

A scenario's ``[switch]`` either names a calendar ``year`` or a condition on what a community
office can observe each month (:data:`resettle.params.conditions.SIGNPOSTS`), in the sense of
the signposts and triggers of Dynamic Adaptive Policy Pathways (Haasnoot et al. 2013):

    [switch]
    to = "scheme2.toml"        # or only [switch.levers]: a partial switch of some levers
    earliest_year = 3          # not before the first month of year 4
    latest_year = 10           # at the latest then, met or not (optional: else maybe never)
    hold_months = 6            # every condition held in each of the last 6 months
    phase_months = 24          # phased in as any switch may be (ODD §7.16)
    [switch.when]
    own_fee_share = { at_least = 0.5 }
    petitions = { at_most = 0.05 }

The office reads the monthly table at the end of each month. Month 0 is the initial state:
signposts of a state (attitude, employment, maturity...) are read there, those measured over a
month (:data:`~resettle.params.conditions.FLOWS`: stability and the matters raised) are not,
since nothing has happened yet. The switch's levers apply from the first month after
``earliest_year`` in which the conditions have held in each of the last ``hold_months``
recorded months, or from the first month after ``latest_year`` if that comes first. Months
before ``earliest_year`` count towards the hold, so a trigger on states met from the start
switches exactly when ``year = earliest_year`` would, provided ``hold_months`` is at most
``12 * earliest_year + 1`` (the months recorded by then). A ``latest_year`` at or beyond the
horizon never forces a switch within it, as a ``year`` equal to the horizon never switches.
A switch that could never come is refused: ``earliest_year`` must lie before the horizon and
``hold_months`` within it. A child file's ``[switch]`` replaces the extended file's whole
switch.
"""

from __future__ import annotations

from dataclasses import dataclass

from resettle.errors import ScenarioError
from resettle.params.conditions import FLOWS, SIGNPOSTS, Condition, all_hold, parse_conditions
from resettle.params.sections import MAX_MONTHS, MAX_YEARS

TRIGGER_KEYS = {"when", "earliest_year", "latest_year", "hold_months"}
DEFAULT_HOLD_MONTHS = 1  # the latest month's reading alone: no persistence asked unless stated


@dataclass(frozen=True)
class Trigger:
    """Switch when every condition has held ``hold_months`` months in a row, between the
    first month after ``earliest_year`` and the first month after ``latest_year``."""

    conditions: tuple[Condition, ...]
    hold_months: int = DEFAULT_HOLD_MONTHS
    earliest_year: int = 0
    latest_year: int | None = None

    @property
    def first_month(self) -> int:
        """The earliest month whose levers can be the switch's."""
        return 12 * self.earliest_year + 1

    @property
    def deadline(self) -> int | None:
        """The month the switch happens at the latest (None: it may never happen)."""
        return None if self.latest_year is None else 12 * self.latest_year + 1

    def met(self, row: dict) -> bool:
        """Whether this month's reading (a row of the monthly table) meets every condition;
        at month 0 a condition on a flow is not met (there is no reading of it yet)."""
        if row["month"] == 0 and any(c.indicator in FLOWS for c in self.conditions):
            return False
        return all_hold(self.conditions, row)

    def due(self, month: int, held: int) -> bool:
        """Whether the switch happens in ``month``, the conditions having held ``held``
        months in a row up to last month."""
        return (month >= self.first_month and held >= self.hold_months) or \
            month == self.deadline

    def check(self, horizon_years: int) -> None:
        """The switch must be able to come within the horizon: it may start before the
        horizon, and the hold fits in it (a deadline beyond it is no deadline within it)."""
        if not 0 <= self.earliest_year < horizon_years:
            raise ScenarioError(f"[switch] earliest_year: {self.earliest_year!r} leaves no month "
                                f"to switch in; use a whole number in [0, {horizon_years - 1}] "
                                f"(the horizon is {horizon_years} years)")
        if self.hold_months > 12 * horizon_years:
            raise ScenarioError(f"[switch] hold_months: {self.hold_months!r} is longer than the "
                                f"horizon; use a whole number in [1, {12 * horizon_years}]")
        if self.latest_year is not None and not \
                self.earliest_year <= self.latest_year <= MAX_YEARS:
            raise ScenarioError(f"[switch] latest_year: {self.latest_year!r} is not allowed; "
                                f"use a whole number in [earliest_year = {self.earliest_year}, "
                                f"{MAX_YEARS}]")


def read_trigger(table: dict) -> Trigger | None:
    """The trigger of a ``[switch]`` table (None when it has no ``when``)."""
    if "when" not in table:
        extra = sorted(TRIGGER_KEYS & set(table))
        if extra:
            raise ScenarioError(f"[switch] {extra[0]}: only with a [switch.when] condition")
        return None
    if "year" in table:
        raise ScenarioError("[switch] year: give either a year or a [switch.when] condition, "
                            "not both")
    conditions = parse_conditions("[switch.when]", table["when"], SIGNPOSTS)
    latest = table.get("latest_year")
    return Trigger(conditions,
                   hold_months=_whole(table, "hold_months", DEFAULT_HOLD_MONTHS, 1, MAX_MONTHS),
                   earliest_year=_whole(table, "earliest_year", 0, 0, None),
                   latest_year=None if latest is None else _whole(table, "latest_year", 0, 0,
                                                                  None))


def _whole(table: dict, key: str, default: int, low: int, high: int | None) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low or \
            (high is not None and value > high):
        bounds = f"[{low}, {high}]" if high is not None else f">= {low}"
        raise ScenarioError(f"[switch] {key}: {value!r} is not allowed; use a whole number "
                            f"{bounds}")
    return value
