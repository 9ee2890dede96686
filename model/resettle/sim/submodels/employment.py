"""Employment: separations, skills training, and hiring into local and outside jobs.

Each month employed residents lose their job with a constant hazard. Openings come from local
enterprises (a Poisson number), and from vacancies in the property company and community
services (their local staffing targets). Seekers are the unemployed aged 16 to
``search_age_limit`` not in a course; each searches with a probability that falls with
non-labour income (dividends and rent) relative to the wage — dividends act as a reservation income.
Openings are filled by weighted sampling without replacement (Efraimidis & Spirakis 2006) with
weights ``exp(logodds)``: age group ('4050' group, 60+), sex, schooling and training. Outside
jobs (the city's labour market) are found with hazard ``outside_job_rate·exp(logodds)``. Skills
training classes run with enterprises (BRIEF §6) take seekers up to the seats open; on
finishing, a share is placed directly with the partner enterprises.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import (
    SECTOR_COMPANY,
    SECTOR_ENTERPRISE,
    SECTOR_NONE,
    SECTOR_OUTSIDE,
    SECTOR_SERVICES,
    Residents,
    group_masks,
)
from resettle.sim.submodels.contract import writes


def hiring_logodds(r: Residents, u) -> np.ndarray:
    """Employer preference for each resident, in log-odds relative to a young man."""
    g = group_masks(r.age, r.female)
    return (u.hire_logodds_prime * g["prime"] + u.hire_logodds_4050 * g["4050"]
            + u.hire_logodds_60plus * g["60plus"] + u.hire_logodds_female * r.female
            + u.hire_logodds_school * r.school + u.hire_logodds_trained * r.trained)


def search_probability(nonlabour_per_adult: np.ndarray, wage: float, weight: float,
                       minimum: float) -> np.ndarray:
    """Monthly probability of searching: falls with non-labour income relative to the wage,
    never below ``minimum``."""
    return np.clip(1.0 - weight * nonlabour_per_adult / wage, minimum, 1.0)


@writes("r.employed", "r.sector")
def separations(r: Residents, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Jobs lost this month (indices); their holders become unemployed."""
    lost = np.flatnonzero(r.employed & (rng.random(r.n) < rate))
    r.employed[lost] = False
    r.sector[lost] = SECTOR_NONE
    return lost


def seekers(r: Residents, search_p: np.ndarray, age_limit: float,
            rng: np.random.Generator) -> np.ndarray:
    """Unemployed residents from 16 to ``age_limit`` not in a course who search this month."""
    able = (~r.employed) & (r.age >= 16) & (r.age < age_limit) & (r.training_left == 0)
    return able & (rng.random(r.n) < search_p)


def weighted_pick(candidates: np.ndarray, logw: np.ndarray, k: int,
                  rng: np.random.Generator) -> np.ndarray:
    """``k`` candidates drawn without replacement with weights ``exp(logw)`` (Gumbel top-k)."""
    k = min(k, len(candidates))
    if k <= 0:
        return candidates[:0]
    keys = logw - np.log(-np.log(rng.random(len(candidates))))
    return candidates[np.argpartition(-keys, k - 1)[:k]]


@writes("r.employed", "r.sector", "r.training_left")
def hire(r: Residents, who: np.ndarray, sector: int) -> None:
    """Give jobs in ``sector`` to residents ``who``."""
    r.employed[who] = True
    r.sector[who] = sector
    r.training_left[who] = 0


@writes("r.employed", "r.sector", "r.training_left")
def fill_openings(r: Residents, searching: np.ndarray, logodds: np.ndarray,
                  openings: dict[int, int], rng: np.random.Generator) -> int:
    """Fill local openings by sector from the searching pool; returns hires made."""
    hires = 0
    for sector, k in openings.items():
        pool = np.flatnonzero(searching & ~r.employed)
        chosen = weighted_pick(pool, logodds[pool], k, rng)
        hire(r, chosen, sector)
        hires += len(chosen)
    return hires


@writes("r.employed", "r.sector", "r.training_left")
def outside_hires(r: Residents, searching: np.ndarray, logodds: np.ndarray, rate: float,
                  rng: np.random.Generator) -> int:
    """Seekers who find a job in the city's labour market this month."""
    p = 1.0 - np.exp(-rate * np.exp(logodds))
    found = np.flatnonzero(searching & ~r.employed & (rng.random(r.n) < p))
    hire(r, found, SECTOR_OUTSIDE)
    return len(found)


@writes("r.training_left", "r.trained", "r.employed", "r.sector")
def training_step(r: Residents, searching: np.ndarray, seats: int, months: int,
                  placement_share: float, rng: np.random.Generator) -> tuple[int, int]:
    """Advance courses, graduate and place trainees, enrol seekers in free seats.

    Returns (graduates, placed). Enrolment favours no one: seats go to random seekers who have
    not been trained yet.
    """
    in_course = r.training_left > 0
    r.training_left[in_course] -= 1
    graduates = np.flatnonzero(in_course & (r.training_left == 0))
    r.trained[graduates] = True
    placed = graduates[rng.random(len(graduates)) < placement_share]
    hire(r, placed, SECTOR_ENTERPRISE)
    free = seats - int((r.training_left > 0).sum())
    pool = np.flatnonzero(searching & ~r.trained & (r.training_left == 0) & ~r.employed)
    enrol = rng.permutation(pool)[: max(free, 0)]
    r.training_left[enrol] = months
    return len(graduates), len(placed)


@writes("r.employed", "r.sector")
def layoffs(r: Residents, sector: int, keep: int, rng: np.random.Generator) -> np.ndarray:
    """Cut the local staff of ``sector`` to ``keep`` by random layoffs; returns who was laid off."""
    staff = np.flatnonzero(r.employed & (r.sector == sector))
    excess = len(staff) - max(keep, 0)
    if excess <= 0:
        return staff[:0]
    gone = rng.choice(staff, size=excess, replace=False)
    r.employed[gone] = False
    r.sector[gone] = SECTOR_NONE
    return gone


def staff(r: Residents, sector: int) -> int:
    """Residents employed in ``sector``."""
    return int((r.employed & (r.sector == sector)).sum())


def local_openings(r: Residents, enterprise_rate: float, company_target: int,
                   service_jobs: int, rng: np.random.Generator) -> dict[int, int]:
    """This month's local openings by sector: a Poisson number at local enterprises
    (``enterprise_rate`` per 1,000 residents), and the vacancies of the property company and
    of community services against their staffing targets."""
    return {
        SECTOR_ENTERPRISE: int(rng.poisson(enterprise_rate * r.n / 1000.0)),
        SECTOR_COMPANY: max(0, company_target - staff(r, SECTOR_COMPANY)),
        SECTOR_SERVICES: max(0, service_jobs - staff(r, SECTOR_SERVICES)),
    }


def company_target(company_jobs: int, levers, u) -> int:
    """Local jobs the property company offers under its status: all of them, except that an
    outside firm keeps only ``outsourced_local_share`` of the local staff (§5 (a))."""
    share = u.outsourced_local_share if levers.property_company == "outsourced" else 1.0
    return round(company_jobs * share)
