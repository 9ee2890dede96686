"""``resettle describe``: the initial community, so a planner can check the calibration."""

from __future__ import annotations

import numpy as np

from resettle.params.scenario import Scenario
from resettle.sim.model import CommunityModel
from resettle.sim.population import ADULT_AGE, group_masks

SCHOOLING = ("primary or less", "junior high", "senior high", "college")


def describe(scenario: Scenario, seed: int = 0) -> dict:
    """The community at month 0 under ``scenario`` (drawn with ``seed``)."""
    m = CommunityModel(scenario, rng=seed)
    r, c = m.people, m.params.community
    villages = []
    for v, name in enumerate(m.village_names):
        coop = next(co for co in m.cooperatives if co.village == v)
        villages.append({
            "village": name, "households": int((m.homes.village == v).sum()),
            "residents": int((r.village == v).sum()),
            "party_members": int((r.party & (r.village == v)).sum()),
            "assets_per_capita": c.assets_per_capita[v], "assets_total": coop.assets,
            "collective_retained_per_capita": c.collective_retained_per_capita[v],
            "collective_fund": m.ledger.balance[coop.fund_account]})
    return {
        "scenario": scenario.name, "seed": seed, "villages": villages,
        "totals": totals(m), "cadres": cadre_summary(m), "residents": resident_summary(m),
        "money": {"property_fee_per_year": c.property_fee_per_year,
                  "paid_by": m.levers.property_fee_payer,
                  "startup_funds": c.startup_district + c.startup_town
                  + c.startup_per_village * len(m.village_names),
                  "community_income_per_year": c.community_income_per_year,
                  "community_running_cost_per_year": c.community_running_cost_per_year},
    }


def totals(m: CommunityModel) -> dict:
    """Community-wide counts."""
    r, c = m.people, m.params.community
    return {"households": m.homes.n, "residents": r.n,
            "temporary_residents": c.temporary_residents, "party_members": int(r.party.sum()),
            "party_member_mean_age": round(float(r.age[r.party].mean()), 1),
            "buildings": m.n_buildings, "mean_household_size": round(r.n / m.homes.n, 2),
            "want_mass_organisations": round(float(r.wants_mass_orgs.mean()), 3)}


def cadre_summary(m: CommunityModel) -> dict:
    """Cadre count, mean age and schooling shares (§2.3)."""
    school = np.array([cd.schooling for cd in m.cadres])
    return {"count": len(school), "mean_age": round(float(np.mean([cd.age for cd in m.cadres])), 1),
            "junior_high_or_less_share": round(float((school <= 1).mean()), 3),
            "college_share": round(float((school == 3).mean()), 3)}


def resident_summary(m: CommunityModel) -> dict:
    """Age structure, schooling, employment by group, attitude."""
    r = m.people
    groups = group_masks(r.age, r.female)
    return {"mean_age": round(float(r.age.mean()), 1),
            "female_share": round(float(r.female.mean()), 3),
            "age_shares": {k: round(float(v.mean()), 3) for k, v in groups.items()},
            "schooling_shares": {SCHOOLING[i]: round(float((r.school == i).mean()), 3)
                                 for i in range(4)},
            "employment_by_group": {k: round(float(r.employed[v].mean()), 3)
                                    for k, v in groups.items()},
            "mean_attitude_16plus": round(float(r.attitude[r.age >= ADULT_AGE].mean()), 3)}


def as_text(d: dict) -> str:
    """A readable version of :func:`describe`'s result."""
    lines = [f"Scenario {d['scenario']} (seed {d['seed']})", "", "By village:"]
    for v in d["villages"]:
        lines.append(f"  {v['village']:<8} households {v['households']:>6}  residents "
                     f"{v['residents']:>6}  party members {v['party_members']:>4}  assets/capita "
                     f"{v['assets_per_capita']:>8,.0f} yuan")
    for key in ("totals", "cadres", "residents", "money"):
        lines.append(f"{key.capitalize()}:")
        lines += [f"  {k}: {val}" for k, val in d[key].items()]
    return "\n".join(lines)
