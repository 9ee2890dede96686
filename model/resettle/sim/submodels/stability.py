"""Stability: grievance, and the complaints it raises when changes outrun residents' readiness.

A reform (a lever changing from the levers in force; before month 1 these are Dongyu's status
quo, Scheme 1: for instance households made to pay the property fee, village branches
dissolved, cooperatives corporatised, the property company spun off or outsourced, leadership
elected) adds to every household's
grievance ``shock · gap``, where ``gap = max(0, readiness - x)/readiness`` is how far its
attitude x falls short of readiness; a phased reform adds its shock in parts. Enforcement of
arrears and losing a job add grievance too. Grievance decays with memory
``grievance_memory_months``. A household raises a matter (a complaint, a petition: 信访) in a
month with probability ``1 - exp(-grievance)``; stability is 1 minus the share of households
doing so. Where a matter goes and whether it is resolved is ``petitions``; grievance also
lowers willingness to pay (``fees``) and attitude (``attitude.resentment``).
"""

from __future__ import annotations

import numpy as np

from resettle.sim.submodels.contract import writes

REFORMS = ("fee", "branches", "cooperative", "company_spun_off", "company_outsourced",
           "leadership")


def reform_shock(old, new, shocks: dict[str, float], share_change: float = 0.0,
                 area_change: float = 0.0) -> float:
    """Total shock of a month's reform: the change of the collectives' share of the property
    fee (``share_change``, -1 when households start paying it all at once) and of the share of
    building areas with a branch (``area_change``) in proportion, and a change of cooperative
    mode, company (to spun off or outsourced) or leadership from levers ``old`` to ``new``."""
    total = shocks["fee"] * abs(share_change) + shocks["branches"] * abs(area_change)
    if old.cooperative_mode != new.cooperative_mode:
        total += shocks["cooperative"]
    if old.property_company != new.property_company and new.property_company != "community":
        total += shocks[f"company_{new.property_company}"]
    if old.leadership != new.leadership:
        total += shocks["leadership"]
    return total


def readiness_gap(attitude: np.ndarray, readiness: float) -> np.ndarray:
    """How far each attitude falls short of readiness, 0..1."""
    if readiness <= 0:
        return np.zeros_like(attitude)
    with np.errstate(over="ignore"):  # tiny readiness: the gap saturates at 1
        return np.clip((readiness - attitude) / readiness, 0.0, 1.0)


@writes("grievance")
def relax(grievance: np.ndarray, memory_months: float) -> None:
    """One month of forgetting. In place."""
    grievance *= np.exp(-1.0 / memory_months)


def complaints(grievance: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Which households complain this month."""
    return rng.random(len(grievance)) < -np.expm1(-grievance)


@writes("grievance")
def grieve_households(grievance: np.ndarray, mask: np.ndarray, amount: float) -> None:
    """Add ``amount`` to the grievance of the households selected by ``mask``. In place."""
    grievance[mask] += amount


@writes("grievance")
def grieve_residents(grievance: np.ndarray, household: np.ndarray, residents: np.ndarray,
                     amount: float) -> None:
    """Add ``amount`` to the grievance of the households of ``residents`` (once per resident:
    a household losing two jobs grieves twice). In place."""
    np.add.at(grievance, household[residents], amount)
