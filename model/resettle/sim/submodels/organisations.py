"""Organisations: founding on schedule, branch restructuring, meetings and elections.

Founding follows the levers: the general branch (with 1-2 new branches for other members) at
``general_branch_month``, the residents' committee at ``residents_committee_month``, then one
mass organisation every ``mass_org_interval_months`` (§4). Branches are by village (4) or by
building area (4-5) (§4, §5). Scheduled meetings (monthly briefing, twice-yearly joint meeting,
each branch's monthly meeting) are held with probability ``meeting_hold_base +
meeting_hold_slope · cadre quality``. The residents' (owners') representative congress elects
the residents' committee at its founding (always held) and every ``election_interval_years``,
on time with the same probability; residents' groups replace the villagers' committees when
the committee is founded (§4). Under Scheme 2 the owners' committee hires and reviews the
property company (§5).
"""

from __future__ import annotations

import numpy as np

from resettle.sim.agents import (
    GeneralBranch,
    MassOrganisation,
    OwnersCommittee,
    PartyBranch,
    ResidentsCommittee,
)
from resettle.sim.agents.mass_organisation import KINDS
from resettle.sim.submodels.calendar import due_this_month
from resettle.sim.submodels.contract import writes
from resettle.sim.submodels.finances import professionalism_floor


@writes(
        "model.general_branch",
        "model.committee",
        "model.agents.GeneralBranch",
        "model.agents.PartyBranch",
        "model.agents.ResidentsCommittee",
        "model.agents.MassOrganisation")
def found_due(model, month: int) -> list[str]:
    """Found the organisations whose month has come; returns what was founded."""
    lv, founded = model.levers, []
    if model.general_branch is None and month >= lv.general_branch_month:
        model.general_branch = GeneralBranch(model, month)
        for i in range(lv.new_branches):
            PartyBranch(model, "other", -1, f"new branch {i + 1}", month)
        founded.append("general branch")
    if model.committee is None and month >= lv.residents_committee_month:
        model.committee = ResidentsCommittee(model, month)
        model.committee.residents_groups = lv.residents_groups  # §4: replace villagers' committees
        founded.append("residents' committee")
    if lv.mass_organisations and model.committee is not None:
        founded += found_mass_organisations(model, month)
    return founded


@writes("model.agents.MassOrganisation")
def found_mass_organisations(model, month: int) -> list[str]:
    """Mass organisations, one every ``mass_org_interval_months`` after the committee."""
    have = {m.kind for m in model.mass_organisations}
    start = model.committee.founded_month
    due = min(len(KINDS), 1 + (month - start) // model.levers.mass_org_interval_months)
    new = [k for k in KINDS[:due] if k not in have]
    for kind in new:
        MassOrganisation(model, kind, month)
    return new


@writes("model.agents.PartyBranch")
def rebuild_branches(model, month: int, areas_formed: int) -> None:
    """Make the territorial branches match ``branch_basis``: by village, or by building area
    for the first ``areas_formed`` areas (a phased switch forms them area by area, §4 'step by
    step'), the village branches staying until every area has its branch."""
    lv = model.levers
    areas = lv.building_areas if lv.branch_basis == "building" else 0
    formed = min(areas_formed, areas)
    for branch in list(model.branches):
        if branch.basis == "building" and branch.zone >= formed:
            branch.remove()
        elif branch.basis == "village" and areas and formed == areas:
            branch.remove()
    have = {(b.basis, b.zone) for b in model.branches}
    for a in range(formed):
        if ("building", a) not in have:
            PartyBranch(model, "building", a, f"building area {a + 1} branch", month)
    if formed < areas or not areas:
        for v, name in enumerate(model.village_names):
            if ("village", v) not in have:
                PartyBranch(model, "village", v, f"{name} village branch", month)


def hold_meetings(model, month: int, quality: float, rng: np.random.Generator) -> tuple[int, int]:
    """Hold this month's scheduled meetings (monthly briefing, joint meetings, each branch's
    meeting); returns (held, scheduled)."""
    lv = model.levers
    scheduled = (due_this_month(lv.briefings_per_year, month)
                 + due_this_month(lv.joint_meetings_per_year, month)
                 + len(model.branches) * due_this_month(lv.branch_meetings_per_year, month))
    return int(rng.binomial(scheduled, hold_probability(model, quality))), scheduled


def hold_probability(model, quality: float) -> float:
    """Probability that a scheduled meeting or election is held on time."""
    u = model.params.uncertainties
    return min(1.0, u.meeting_hold_base + u.meeting_hold_slope * quality)


@writes("model.agents.ResidentsCommittee")
def hold_elections(model, month: int, quality: float, turnout: float, challengers: int,
                   rng: np.random.Generator) -> bool:
    """The representatives' congress elects the residents' committee (§4) when an election is
    due: at the committee's founding (always held), then every ``election_interval_years``
    (held on time with the hold probability). ``turnout`` of households vote; it is contested
    when any of the ``challengers`` (volunteers standing against the slate) stands. Returns
    whether one was held."""
    committee = model.committee
    if committee is None:
        return False
    first = committee.elections_due == 0
    if not first and month - committee.last_election_month < \
            12 * model.levers.election_interval_years:
        return False
    committee.elections_due += 1
    committee.last_election_month = month
    if not first and rng.random() >= hold_probability(model, quality):
        return False
    committee.elections_on_time += 1
    committee.last_turnout = turnout
    committee.elections_contested += int(challengers > 0)
    return True


@writes("model.owners_committee", "model.agents.OwnersCommittee",
        "model.agents.PropertyCompany")
def owners_committee_month(model, month: int, households_pay: bool) -> bool:
    """Once households pay the property fee to a company the community does not run, the owners
    form an owners' committee (§5), which reviews the company every 12 months and replaces one
    whose service quality is below ``retender_quality`` by tender (a firm as professional as an
    outside one, §5 (a)). Returns whether it tendered this month."""
    company, u = model.company, model.params.uncertainties
    if model.owners_committee is None:
        if households_pay and company.status != "community":
            model.owners_committee = OwnersCommittee(model, month)
        return False
    owners = model.owners_committee
    if (month - owners.founded_month) % 12 or month == owners.founded_month:
        return False
    if company.quality >= u.retender_quality:
        return False
    company.professionalism = max(company.professionalism, professionalism_floor("outsourced", u))
    owners.tenders += 1
    return True
