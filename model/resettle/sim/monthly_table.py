"""The monthly table: one row of measurements per month (month 0 is the initial state).

Headline metrics: ``attitude`` (mean attitude of residents 16+), ``fee_compliance``,
``fee_collection``, ``employment`` (employed share of residents of working age: from the job
entry age up to the statutory retirement age) and ``maturity``.
Before the first bill the fee metrics are NaN.
"""

from __future__ import annotations

import numpy as np

from resettle.outcomes import EVENT_KEYS, FEE_KEYS, SUBSCORES
from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS, OUTSIDE
from resettle.sim.population import ADULT_AGE, GROUP_AGES, group_masks, working_age
from resettle.sim.submodels.cadres import cadre_quality
from resettle.sim.submodels.maturity import maturity_index, maturity_level


def share(mask: np.ndarray, of: np.ndarray) -> float:
    """Share of ``of`` where ``mask`` holds (NaN when ``of`` is empty)."""
    n = int(np.count_nonzero(of))
    return int(np.count_nonzero(mask & of)) / n if n else float("nan")


def monthly_row(model) -> dict:
    """Measure the model now."""
    month = model.steps
    row = {"month": month, "year": (month + 11) // 12, "month_of_year": (month - 1) % 12 + 1
           if month else 0}
    row.update(people_metrics(model))
    row.update(organisation_metrics(model))
    row.update(money_metrics(model))
    row.update(community_metrics(model))
    state = month_state(model)
    row.update({k: state.fee.get(k, np.nan) for k in FEE_KEYS})
    row.update({k: float(state.events.get(k, 0)) for k in EVENT_KEYS})
    return row


def month_state(model):
    """The schedule's state (``MonthState``: this month's events, the last fees, scores)."""
    return model.processes.state


ATTITUDE_BANDS = (ADULT_AGE, 40.0, GROUP_AGES[1])  # adults under 40, 40-59, 60+
EMPLOYMENT_GROUPS = ("under40", "prime", "4050")


def ratios(values: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Mean of ``values`` for each code 0..n_codes-1 (NaN for a code nobody has)."""
    counts = np.bincount(codes, minlength=n_codes)[:n_codes]
    sums = np.bincount(codes, weights=values, minlength=n_codes)[:n_codes]
    return np.divide(sums, counts, out=np.full(n_codes, np.nan), where=counts > 0)


def people_metrics(model) -> dict:
    """Attitude, employment and party membership."""
    r = model.people
    working = working_age(r.age, r.female, model.params.community)
    band = np.searchsorted(ATTITUDE_BANDS, r.age, side="right")  # 0: children
    by_band = ratios(r.attitude, band, 4)
    adult = band > 0
    adult_attitude = r.attitude[adult]
    groups = group_masks(r.age, r.female)
    row = {
        "residents": r.n, "households": model.homes.n,
        "attitude": float(adult_attitude.mean()),
        "attitude_under40": float(by_band[1]),
        "attitude_40_59": float(by_band[2]),
        "attitude_60plus": float(by_band[3]),
        "village_attitude_eta2": between_share(adult_attitude, r.village[adult]),
        "employment": share(r.employed, working),
        "trained_share": share(r.trained, working),
        "in_training": int(np.count_nonzero(r.training_left)),
        "party_members": int(np.count_nonzero(r.party)),
        "active_members": int(np.count_nonzero(r.active_member)),
        "party_member_mean_age": float(r.age[r.party].mean()) if r.party.any() else np.nan,
    }
    # employed share of the working-age under 40, men 40-49 and the 4050 group
    row.update({f"employment_{key}": share(r.employed, groups[key] & working)
                for key in EMPLOYMENT_GROUPS})
    return row


def organisation_metrics(model) -> dict:
    """Maturity and its sub-scores, organisations, cadres, stability."""
    state = month_state(model)
    scores = state.scores or {k: 0.0 for k in SUBSCORES}
    if not state.scores:  # month 0: only cadre quality is known
        scores = {**scores, "cadres": cadre_quality(model.cadres)}
    index = maturity_index(scores, model.params.uncertainties.maturity_weights)
    row = {"maturity": index, "maturity_level": maturity_level(index)}
    row.update({f"maturity_{k}": v for k, v in scores.items()})
    row.update({
        "stability": 1.0 - state.complaint_share,
        "complaints": state.complaint_share,
        "grievance": float(model.homes.grievance.mean()),
        "cadres": len(model.cadres),
        "cadre_mean_age": float(np.mean([c.age for c in model.cadres])),
        "branches": len(model.branches),
        "mass_organisations": len(model.mass_organisations),
        "service_quality": model.company.quality,
        "company_professionalism": model.company.professionalism,
    })
    return row


def money_metrics(model) -> dict:
    """Balances of every account (yuan); the ledger's sum is zero by construction."""
    bal = model.ledger.balance
    coop = sum(bal[c.fund_account] for c in model.cooperatives)
    return {"community_balance": bal[COMMUNITY], "cooperative_funds": coop,
            "company_balance": bal[COMPANY], "households_balance": bal[HOUSEHOLDS],
            "outside_balance": bal[OUTSIDE], "arrears": float(model.homes.arrears.sum())}


def community_metrics(model) -> dict:
    """Participation, matters raised and resolved, money and roles, phasing, conformity."""
    r, s, committee = model.people, month_state(model), model.committee
    rec, raised = s.record, max(s.record.get("raised", 0), 1)
    funding = rec.get("services_funding", 0.0)
    return {
        "volunteers": int(r.volunteer.sum()),
        "mass_org_members": int(r.mass_org_member.sum()),
        "turnout": committee.last_turnout if committee else np.nan,
        "meeting_attendance": (rec.get("attended", 0.0) / rec["invited"]
                               if rec.get("invited") else np.nan),
        "petitions": rec.get("raised", 0) / model.homes.n,
        "petitions_resolved": rec.get("resolved", 0) / raised,
        "petitions_via_committee": rec.get("via_committee", 0) / raised,
        "petitions_escalated": rec.get("escalated", 0) / model.homes.n,
        "home_visits": rec.get("visits", 0),
        "collective_paid_share": rec.get("collective_paid", 0.0) / funding if funding else np.nan,
        "secretary_chaired": sum(c.chaired_by_secretary for c in model.cooperatives),
        "collective_fee_share": s.collective_share,
        "building_areas_formed": s.areas_formed,
        "outsider_staff": sum(s.outsiders.values()),
        "scheme_conformity": s.conformity,
        "switched": float(s.switched_month is not None),
        "signposts_held": s.signposts_held,
    }


def between_share(values: np.ndarray, groups: np.ndarray) -> float:
    """Share of the variance of ``values`` that lies between groups (η²)."""
    total = values.var()
    if total <= 0:
        return 0.0
    counts = np.bincount(groups)
    means = np.bincount(groups, weights=values) / np.maximum(counts, 1)
    between = (counts * (means - values.mean()) ** 2).sum() / counts.sum()
    return float(between / total)
