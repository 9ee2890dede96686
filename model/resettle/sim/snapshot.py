"""End-of-run snapshots: every resident (with its household) and every organisation."""

from __future__ import annotations

import pandas as pd

from resettle.sim.population import SECTORS


def _tag(frame: pd.DataFrame, model) -> pd.DataFrame:
    frame.insert(0, "scenario", model.params.name)
    frame.insert(1, "replication", model.replication)
    frame.insert(2, "seed", model.seed)
    frame.insert(3, "month", model.steps)
    return frame


def agent_snapshot(model) -> pd.DataFrame:
    """One row per resident: their state and their household's."""
    r, h = model.people, model.homes
    frame = pd.DataFrame({
        "agent_id": [a.unique_id for a in model.resident_agents],
        "age": r.age, "female": r.female, "schooling": r.school,
        "village": pd.Categorical.from_codes(r.village, categories=list(model.village_names)),
        "building": r.building, "household": r.household, "party_member": r.party,
        "attitude": r.attitude, "employed": r.employed,
        "sector": pd.Categorical.from_codes(r.sector, categories=list(SECTORS)),
        "trained": r.trained, "household_arrears": h.arrears[r.household],
        "household_paid_last": h.paid_last[r.household],
        "household_grievance": h.grievance[r.household],
    })
    return _tag(frame, model)


def label(agent) -> str:
    """A readable name: the agent's name, kind (mass organisations) or role (cadres)."""
    for attr in ("name", "kind", "role"):
        if isinstance(getattr(agent, attr, None), str):
            return getattr(agent, attr)
    return type(agent).__name__


def organisation_snapshot(model) -> pd.DataFrame:
    """One row per organisation agent and cadre: kind, name, founding month, key state."""
    rows = []
    for agent in model.agents:
        kind = type(agent).__name__
        if kind in ("Resident", "Household"):
            continue
        rows.append({"agent_id": agent.unique_id, "kind": kind,
                     "name": label(agent),
                     "founded_month": getattr(agent, "founded_month", None),
                     "age": getattr(agent, "age", None),
                     "competence": getattr(agent, "competence", None)})
    return _tag(pd.DataFrame(rows), model)
