"""Demography: ageing, deaths with a Gompertz hazard, and births that replace the dead.

The population is held stationary (assumption, reasonable over a 15-year horizon for a closed
estate): each death frees a slot that a newborn of the same household takes at once, so
households, villages and buildings keep their sizes and every month's accounts balance:
residents(t) = residents(t-1) + births - deaths with births = deaths.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import ADULT_AGE, Residents
from resettle.sim.seeds import slot_uniforms
from resettle.sim.submodels.contract import writes
from resettle.sim.submodels.fees import household_attitude


def monthly_death_probability(age: np.ndarray, a: float, b: float) -> np.ndarray:
    """Gompertz (1825): yearly hazard ``a·exp(b·age)`` turned into a monthly probability."""
    return 1.0 - np.exp(-a * np.exp(b * age) / 12.0)


@writes("r.age")
def age_and_die(r: Residents, a: float, b: float, rng: np.random.Generator) -> np.ndarray:
    """Age everyone by a month; return the slots of those who died this month."""
    r.age += 1.0 / 12.0
    return np.flatnonzero(rng.random(r.n) < monthly_death_probability(r.age, a, b))


def newborn_attitude(r: Residents, dead: np.ndarray, n_households: int) -> np.ndarray:
    """Each newborn's attitude: the mean of its household's surviving adults (of every
    surviving member where none is adult)."""
    alive = np.ones(r.n, bool)
    alive[dead] = False
    means = household_attitude(r.attitude, r.household, (r.age >= ADULT_AGE) & alive, n_households)
    return means[r.household[dead]]


@writes(
        "r.age",
        "r.female",
        "r.school",
        "r.party",
        "r.employed",
        "r.sector",
        "r.training_left",
        "r.trained",
        "r.active_member",
        "r.mass_org_member",
        "r.volunteer",
        "r.attitude",
        "r.wants_mass_orgs")
def newborns(r: Residents, slots: np.ndarray, attitude: np.ndarray,
             rng: np.random.Generator, female_share: float, mass_org_share: float) -> None:
    """Put newborns in ``slots``: age 0, no job, no party card, ``attitude`` (the household's
    mean), and a fresh draw of wanting mass organisations."""
    r.age[slots] = 0.0
    r.female[slots] = slot_uniforms(rng, r.n, slots) < female_share
    r.school[slots] = 0
    r.party[slots] = False
    r.employed[slots] = False
    r.sector[slots] = 0
    r.training_left[slots] = 0
    r.trained[slots] = False
    r.active_member[slots] = False
    r.mass_org_member[slots] = False
    r.volunteer[slots] = False
    r.attitude[slots] = attitude
    r.wants_mass_orgs[slots] = slot_uniforms(rng, r.n, slots) < mass_org_share
