"""Organisational maturity: an index in [0, 1] from five sub-scores, each measured from what
agents do and what happens to them, never read from a lever (BRIEF §2 problem 4, §3). Where a
lever decides what agents can do — who pays the fee, whether cooperatives can corporatise — the
difference it makes is marked in ``outcomes.BY_DEFINITION`` (separation wholly so).

* participation — turnout at the representatives' congress's last election; attendance at
  community meetings (over the window); members of the mass organisations among the residents
  who want them; volunteers against ``volunteer_target_share`` of adults (capped at 1);
* self_government — the share of the full fee households paid themselves; of the matters raised,
  the share resolved through the residents' committee and the reception rather than left to the
  village branches or escalated; the share taken to the residents' committee (all over the
  window);
* cadres — the serving cadres' mean competence; the share of scheduled meetings held; home
  visits made per household raising a matter (capped at 1) (over the window);
* separation of community and enterprise (社企分开, §2 problem 1), in money and in roles — 1 minus
  the share of the community's income and of its services' funding the village collectives paid
  (payment on behalf, start-up, deficit cover; over the window), and 1 minus the share of
  cooperatives chaired by a branch secretary;
* democracy — once the residents' committee exists: the share of its elections held on time,
  the share contested (a volunteer stood against the slate), and the last turnout.

The window is the last ``maturity_window_months`` monthly records (12 by default, an
assumption swept over 6-24: the evidence of the last year). A part with no evidence yet (no
matter raised, no meeting due) is left out of its sub-score's mean; a sub-score with no
evidence at all is 0. The index is the weighted mean (``maturity_weights``). Levels cut it at
0.2/0.4/0.6/0.8: 1 village-like, 2 transitional, 3 developing, 4 consolidating, 5 mature urban.
The cuts are a labelling convention (the fifths of the index, named), not an assumption about
the community: no process reads the level, and it is reported beside the index, not instead
of it.

How far the levers match Scheme 2's design is :func:`scheme_conformity`, its own column, outside
the index: a lever reaches maturity only through what agents then do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from resettle.outcomes import SUBSCORES
from resettle.sim.population import ADULT_AGE

LEVELS = ("village-like", "transitional", "developing", "consolidating", "mature urban")
LEVEL_CUTS = (0.2, 0.4, 0.6, 0.8)  # the index's fifths, named (a convention; read by no process)
NAN = float("nan")


@dataclass(frozen=True)
class Evidence:
    """What maturity is measured from (shares in [0, 1], NaN where there is no evidence)."""

    turnout: float
    attendance: float
    mass_org_share: float
    volunteer_share: float
    own_fee_share: float
    resolved_share: float
    committee_share: float
    cadre_quality: float
    meetings_held_share: float
    visit_coverage: float
    collective_paid_share: float
    secretary_chair_share: float
    committee_exists: bool
    on_time_share: float
    contested_share: float


def ratio(part: float, whole: float, cap: float = 1.0) -> float:
    """``part / whole`` capped at ``cap``; NaN when ``whole`` is 0."""
    return min(part / whole, cap) if whole > 0 else NAN


def window_sum(records: Iterable[Mapping[str, float]], key: str) -> float:
    """The sum of ``key`` over the window's monthly records."""
    return float(sum([r.get(key, 0.0) for r in records]))


def mean_of(parts: Iterable[float]) -> float:
    """Mean of the parts with evidence (0 when none has any)."""
    values = [p for p in parts if p == p]
    return sum(values) / len(values) if values else 0.0


def subscores(e: Evidence) -> dict[str, float]:
    """The five sub-scores from the evidence."""
    return {
        "participation": mean_of([e.turnout, e.attendance, e.mass_org_share,
                                  e.volunteer_share]),
        "self_government": mean_of([e.own_fee_share, e.resolved_share, e.committee_share]),
        "cadres": mean_of([e.cadre_quality, e.meetings_held_share, e.visit_coverage]),
        "separation": mean_of([1.0 - e.collective_paid_share, 1.0 - e.secretary_chair_share]),
        "democracy": mean_of([e.on_time_share, e.contested_share, e.turnout])
        if e.committee_exists else 0.0,
    }


def evidence(model, records: Iterable[Mapping[str, float]], quality: float) -> Evidence:
    """The evidence now: the community's stocks and the window's monthly ``records``."""
    r, u, committee = model.people, model.params.uncertainties, model.committee
    rec = list(records)
    adult = r.age >= ADULT_AGE
    adults = int(np.count_nonzero(adult))
    wanting = int(np.count_nonzero(r.wants_mass_orgs & adult))
    coops = list(model.cooperatives)
    w = lambda key: window_sum(rec, key)  # noqa: E731
    raised = w("raised")  # the denominator of three shares
    return Evidence(
        turnout=committee.last_turnout if committee and committee.elections_on_time else NAN,
        attendance=ratio(w("attended"), w("invited")),
        mass_org_share=ratio(int(np.count_nonzero(r.mass_org_member & adult)), wanting),
        volunteer_share=ratio(int(np.count_nonzero(r.volunteer)),
                              u.volunteer_target_share * adults),
        own_fee_share=ratio(w("own_fee_paid"), w("full_fee_due")),
        resolved_share=ratio(w("resolved_community"), raised),
        committee_share=ratio(w("via_committee"), raised),
        cadre_quality=quality,
        meetings_held_share=ratio(w("meetings_held"), w("meetings_scheduled")),
        visit_coverage=ratio(w("visits"), raised),
        collective_paid_share=ratio(w("collective_paid"), w("services_funding")),
        secretary_chair_share=ratio(sum(c.chaired_by_secretary for c in coops), len(coops)),
        committee_exists=committee is not None,
        on_time_share=ratio(committee.elections_on_time, committee.elections_due)
        if committee else NAN,
        contested_share=ratio(committee.elections_contested, committee.elections_on_time)
        if committee else NAN)


def scheme_conformity(levers) -> float:
    """Share of Scheme 2's five design choices (§5) the levers in force make: branches by
    building, corporatised cooperatives, households paying the fee, a company the community does
    not run, elected leadership. A label, reported beside maturity and never inside it."""
    return sum([levers.branch_basis == "building",
                levers.cooperative_mode == "corporate",
                levers.property_fee_payer == "households",
                levers.property_company != "community",
                levers.leadership == "elected"]) / 5.0


def maturity_index(scores: dict[str, float], weights: tuple[float, ...]) -> float:
    """Weighted mean of the sub-scores, in plain floats in a fixed order: not BLAS's dot,
    whose rounding (a fused multiply-add or not) depends on the CPU's kernel, which would give
    one seed different tables on different machines."""
    weighted = sum(float(w) * scores[k] for w, k in zip(weights, SUBSCORES, strict=True))
    return weighted / sum(float(w) for w in weights)


def maturity_level(index: float) -> int:
    """Level 1..5 of an index in [0, 1]."""
    return 1 + int(np.searchsorted(LEVEL_CUTS, index, side="right"))
