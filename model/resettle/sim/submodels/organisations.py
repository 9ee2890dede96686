"""Organisations: founding on schedule, branch restructuring, meetings and elections.

Founding follows the levers: the general branch (with 1-2 new branches for other members) at
``general_branch_month``, the residents' committee at ``residents_committee_month``, then one
mass organisation every ``mass_org_interval_months`` (§4). Branches are by village (4) or by
building area (4-5) (§4, §5). Scheduled meetings (monthly briefing, twice-yearly joint meeting,
each branch's monthly meeting) are held with probability ``meeting_hold_base +
meeting_hold_slope · cadre quality``; elections fall due every ``election_interval_years`` and
are held on time with the same probability.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.agents import GeneralBranch, MassOrganisation, PartyBranch, ResidentsCommittee
from resettle.sim.agents.mass_organisation import KINDS
from resettle.sim.submodels.calendar import due_this_month
from resettle.sim.submodels.contract import writes

NORMS_PER_YEAR = {"briefing": 12, "joint": 2, "branch": 12}  # §1(3), §6; branch: assumption


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
        model.general_branch = GeneralBranch(model, month, elected=lv.leadership == "elected")
        for i in range(lv.new_branches):
            PartyBranch(model, "other", -1, f"new branch {i + 1}", month)
        founded.append("general branch")
    if model.committee is None and month >= lv.residents_committee_month:
        model.committee = ResidentsCommittee(model, month)
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
def rebuild_branches(model, month: int) -> None:
    """Make the territorial branches match ``branch_basis`` (dissolving the others)."""
    basis = model.levers.branch_basis
    for branch in list(model.branches):
        if branch.basis in ("village", "building") and branch.basis != basis:
            branch.remove()
    if any(b.basis == basis for b in model.branches):
        return
    if basis == "village":
        for v, name in enumerate(model.village_names):
            PartyBranch(model, "village", v, f"{name} village branch", month)
    else:
        for a in range(model.levers.building_areas):
            PartyBranch(model, "building", a, f"building area {a + 1} branch", month)


def hold_meetings(model, month: int, quality: float, rng: np.random.Generator) -> tuple[int, float]:
    """Hold this month's scheduled meetings; returns (held, the norm's count for the month)."""
    lv = model.levers
    n_branches = len(model.branches)
    scheduled = (due_this_month(lv.briefings_per_year, month)
                 + due_this_month(lv.joint_meetings_per_year, month)
                 + n_branches * due_this_month(lv.branch_meetings_per_year, month))
    norm = (NORMS_PER_YEAR["briefing"] + NORMS_PER_YEAR["joint"]
            + n_branches * NORMS_PER_YEAR["branch"]) / 12.0
    p = hold_probability(model, quality)
    return int(rng.binomial(scheduled, p)), norm


def hold_probability(model, quality: float) -> float:
    """Probability that a scheduled meeting or election is held on time."""
    u = model.params.uncertainties
    return min(1.0, u.meeting_hold_base + u.meeting_hold_slope * quality)


@writes("model.agents.ResidentsCommittee")
def hold_elections(model, month: int, quality: float, rng: np.random.Generator) -> bool:
    """Residents' committee elections when due; held on time with the hold probability."""
    committee = model.committee
    if committee is None:
        return False
    if month - committee.last_election_month < 12 * model.levers.election_interval_years:
        return False
    committee.elections_due += 1
    committee.last_election_month = month
    if rng.random() >= hold_probability(model, quality):
        return False
    committee.elections_on_time += 1
    return True
