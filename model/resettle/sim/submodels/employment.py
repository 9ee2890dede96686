"""Employment: retirement, separations, skills training, and hiring into local and outside jobs.

Workers retire from their job at the statutory age (men 60, women 50; State Council 1978); the
young enter the labour market at ``job_entry_age``. Each month employed residents lose their job
with a constant hazard. Openings come from local enterprises (a Poisson number) and from the
vacancies of the local employers with a staffing target: the property company, community
services, and the cooperatives once a professional manager runs them (BRIEF §5). Of those
openings a share ``local_hiring_share`` (a lever: route (b) of §5 is argued on jobs) goes to
residents, the rest to outsiders, who hold their posts until they leave at the same hazard.

Seekers are the unemployed of working age not in a course; each searches with a probability
that falls with non-labour income (dividends, rent, pensions) relative to the wage. Openings
are filled by weighted sampling without replacement (Efraimidis & Spirakis 2006) with weights
``exp(logodds)``: age group (men 40-49, the '4050' group), sex, schooling, training, and a
referral by a tie who works at a local employer (Granovetter 1973). Outside jobs (the city's
labour market) are found with hazard ``outside_job_rate·exp(logodds)``. Skills training classes
run with enterprises (BRIEF §6) take seekers up to the seats open; on finishing, a share is
placed directly with the partner enterprises.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import (
    SECTOR_COMPANY,
    SECTOR_COOPERATIVE,
    SECTOR_ENTERPRISE,
    SECTOR_NONE,
    SECTOR_OUTSIDE,
    SECTOR_SERVICES,
    STAFFED_SECTORS,
    Residents,
    group_masks,
)
from resettle.sim.seeds import (
    binomial_by_inversion,
    poisson_by_inversion,
    random_subset,
    slot_uniforms,
)
from resettle.sim.submodels.contract import writes


def hiring_logodds(r: Residents, u, referred: np.ndarray) -> np.ndarray:
    """Employer preference for each resident, in log-odds relative to a young man; ``referred``
    marks seekers with a tie employed at a local employer. (Nobody past retirement age seeks.)"""
    g = group_masks(r.age, r.female)
    return (u.hire_logodds_prime * g["prime"] + u.hire_logodds_4050 * g["4050"]
            + u.hire_logodds_female * r.female
            + u.hire_logodds_school * r.school + u.hire_logodds_trained * r.trained
            + u.referral_logodds * referred)


def search_probability(nonlabour_per_adult: np.ndarray, wage: float, weight: float,
                       minimum: float) -> np.ndarray:
    """Monthly probability of searching: falls with non-labour income relative to the wage,
    never below ``minimum``."""
    return np.clip(1.0 - weight * nonlabour_per_adult / wage, minimum, 1.0)


@writes("r.employed", "r.sector")
def retirements(r: Residents, retired: np.ndarray) -> np.ndarray:
    """Workers at or past the statutory retirement age leave their job (indices)."""
    gone = np.flatnonzero(r.employed & retired)
    r.employed[gone] = False
    r.sector[gone] = SECTOR_NONE
    return gone


@writes("r.employed", "r.sector")
def separations(r: Residents, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Jobs lost this month (indices); their holders become unemployed."""
    lost = np.flatnonzero(r.employed & (rng.random(r.n) < rate))
    r.employed[lost] = False
    r.sector[lost] = SECTOR_NONE
    return lost


def seekers(r: Residents, search_p: np.ndarray, working: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """Unemployed residents of working age (``working``), not in a course, who search now."""
    able = (~r.employed) & working & (r.training_left == 0)
    return able & (rng.random(r.n) < search_p)


def weighted_pick(candidates: np.ndarray, logw: np.ndarray, k: int,
                  uniforms: np.ndarray) -> np.ndarray:
    """``k`` candidates drawn without replacement with weights ``exp(logw)`` (Gumbel top-k),
    each candidate's Gumbel key from its own uniform (``uniforms``, one per candidate)."""
    k = min(k, len(candidates))
    if k <= 0:
        return candidates[:0]
    keys = logw - np.log(-np.log(uniforms))
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
    """Fill the residents' share of local openings by sector from the searching pool; returns
    hires made."""
    hires = 0
    available = searching & ~r.employed  # the pool, less those hired for earlier sectors
    for sector, k in openings.items():
        pool = np.flatnonzero(available)
        chosen = weighted_pick(pool, logodds[pool], k, slot_uniforms(rng, r.n, pool))
        hire(r, chosen, sector)
        available[chosen] = False
        hires += len(chosen)
    return hires


@writes("r.employed", "r.sector", "r.training_left")
def outside_hires(r: Residents, searching: np.ndarray, logodds: np.ndarray, rate: float,
                  rng: np.random.Generator) -> int:
    """Seekers who find a job in the city's labour market this month (each by its own slot's
    uniform)."""
    pool = np.flatnonzero(searching & ~r.employed)
    u = slot_uniforms(rng, r.n, pool)
    found = pool[u < 1.0 - np.exp(-rate * np.exp(logodds[pool]))]
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
    r.training_left -= in_course  # one month less for those in a course
    graduates = np.flatnonzero(in_course & (r.training_left == 0))
    r.trained[graduates] = True
    placed = graduates[slot_uniforms(rng, r.n, graduates) < min(placement_share, 1.0)]
    hire(r, placed, SECTOR_ENTERPRISE)
    free = seats - (np.count_nonzero(in_course) - len(graduates))  # still in a course
    pool = np.flatnonzero(searching & ~r.trained & (r.training_left == 0) & ~r.employed)
    enrol = random_subset(rng, r.n, pool, free)
    r.training_left[enrol] = months
    return len(graduates), len(placed)


@writes("r.employed", "r.sector")
def layoffs(r: Residents, sector: int, keep: int, rng: np.random.Generator) -> np.ndarray:
    """Cut the local staff of ``sector`` to ``keep`` by random layoffs; returns who was laid off."""
    staff = np.flatnonzero(r.employed & (r.sector == sector))
    excess = len(staff) - max(keep, 0)
    if excess <= 0:
        return staff[:0]
    gone = random_subset(rng, r.n, staff, excess)
    r.employed[gone] = False
    r.sector[gone] = SECTOR_NONE
    return gone


def staff(r: Residents, sector: int) -> int:
    """Residents employed in ``sector``."""
    return int((r.employed & (r.sector == sector)).sum())


def company_target(company_jobs: int, levers, u) -> int:
    """Local jobs the property company offers under its status: all of them, except that an
    outside firm keeps only ``outsourced_local_share`` of the local staff (§5 (a))."""
    share = u.outsourced_local_share if levers.property_company == "outsourced" else 1.0
    return round(company_jobs * share)


def staffing_targets(company: int, services: int, cooperatives: int) -> dict[int, int]:
    """Posts of the local employers with a staffing target, by sector."""
    return {SECTOR_COMPANY: company, SECTOR_SERVICES: services, SECTOR_COOPERATIVE: cooperatives}


def outsider_departures(outsiders: dict[int, int], rate: float,
                        rng: np.random.Generator) -> dict[int, int]:
    """Outsiders holding local posts who leave this month (at the residents' hazard), one
    uniform per sector."""
    held = np.array([outsiders.get(s, 0) for s in STAFFED_SECTORS])
    left = binomial_by_inversion(rng.random(len(STAFFED_SECTORS)), held, rate)
    return {s: int(k) for s, k in zip(STAFFED_SECTORS, left, strict=True)}


def local_openings(r: Residents, enterprise_rate: float, targets: dict[int, int],
                   outsiders: dict[int, int], local_share: float,
                   rng: np.random.Generator) -> tuple[dict[int, int], dict[int, int]]:
    """This month's local openings: a Poisson number at local enterprises
    (``enterprise_rate`` per 1,000 residents) and the vacancies of the staffed employers
    against their ``targets`` (residents and ``outsiders`` holding posts). Each vacancy of a
    staffed employer goes to a resident with ``local_share``, else to an outsider; the
    enterprises' openings (their rate counts openings open to residents) all to residents.
    Returns (openings for residents, posts filled by outsiders). Each count is drawn by
    inversion from its own uniform (one for the enterprises, one per staffed sector)."""
    u = rng.random(1 + len(targets))
    for_residents = {SECTOR_ENTERPRISE: int(poisson_by_inversion(u[0],
                                                                 enterprise_rate * r.n / 1000.0))}
    vacancies = [max(0, target - staff(r, sector) - outsiders.get(sector, 0))
                 for sector, target in targets.items()]
    to_residents = binomial_by_inversion(u[1:], np.array(vacancies, np.int64), local_share)
    for_outsiders = {}
    for sector, open_posts, k in zip(targets, vacancies, to_residents.tolist(), strict=True):
        for_residents[sector] = k
        for_outsiders[sector] = open_posts - k
    return for_residents, for_outsiders
