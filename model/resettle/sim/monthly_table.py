"""The monthly table: one row of measurements per month (month 0 is the initial state).

Headline metrics: ``attitude`` (mean attitude of residents 16+), ``fee_compliance``,
``fee_collection``, ``employment`` (employed share of residents 16-59) and ``maturity``.
Before the first bill the fee metrics are NaN.
"""

from __future__ import annotations

import numpy as np

from resettle.outcomes import EVENT_KEYS, FEE_KEYS, SUBSCORES
from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS, OUTSIDE
from resettle.sim.population import group_masks
from resettle.sim.submodels.cadres import cadre_quality
from resettle.sim.submodels.maturity import maturity_index, maturity_level


def share(mask: np.ndarray, of: np.ndarray) -> float:
    """Share of ``of`` where ``mask`` holds (NaN when ``of`` is empty)."""
    n = int(of.sum())
    return float((mask & of).sum() / n) if n else float("nan")


def monthly_row(model) -> dict:
    """Measure the model now."""
    month = model.steps
    row = {"month": month, "year": (month + 11) // 12, "month_of_year": (month - 1) % 12 + 1
           if month else 0}
    row.update(people_metrics(model))
    row.update(organisation_metrics(model))
    row.update(money_metrics(model))
    state = month_state(model)
    row.update({k: state.fee.get(k, np.nan) for k in FEE_KEYS})
    row.update({k: float(state.events.get(k, 0)) for k in EVENT_KEYS})
    return row


def month_state(model):
    """The schedule's state (``MonthState``: this month's events, the last fees, scores)."""
    return model.processes.state


def people_metrics(model) -> dict:
    """Attitude, employment and party membership."""
    r = model.people
    groups = group_masks(r.age, r.female)
    adult = r.age >= 16
    working = groups["under40"] | groups["prime"] | groups["4050"]
    row = {
        "residents": r.n, "households": model.homes.n,
        "attitude": float(r.attitude[adult].mean()),
        "attitude_under40": float(r.attitude[groups["under40"]].mean()),
        "attitude_40_59": float(r.attitude[working & (r.age >= 40)].mean()),
        "attitude_60plus": float(r.attitude[groups["60plus"]].mean()),
        "village_attitude_eta2": between_share(r.attitude[adult], r.village[adult]),
        "employment": share(r.employed, working),
        "trained_share": share(r.trained, working),
        "in_training": int((r.training_left > 0).sum()),
        "party_members": int(r.party.sum()),
        "active_members": int(r.active_member.sum()),
        "party_member_mean_age": float(r.age[r.party].mean()) if r.party.any() else np.nan,
    }
    for key in ("under40", "prime", "4050", "60plus"):
        row[f"employment_{key}"] = share(r.employed, groups[key])
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


def between_share(values: np.ndarray, groups: np.ndarray) -> float:
    """Share of the variance of ``values`` that lies between groups (η²)."""
    total = values.var()
    if total <= 0:
        return 0.0
    counts = np.bincount(groups)
    means = np.bincount(groups, weights=values) / np.maximum(counts, 1)
    between = np.sum(counts * (means - values.mean()) ** 2) / counts.sum()
    return float(between / total)
