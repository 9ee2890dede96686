"""The initial community: residents, households and buildings of Dongyu (BRIEF §2).

Resident and household state lives in numpy arrays (one entry per person or household) so the
monthly submodels run vectorised; the Mesa agents in ``resettle.sim.agents`` are views on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resettle.params.sections import AGE_BANDS, Community

GROUP_AGES = (16.0, 60.0)  # China NBS's working-age bounds, 16-59: the age groups below
ADULT_AGE = 16.0  # adults: the household's mean attitude, income per adult, volunteering
PARTY_MIN_AGE = 18.0  # CCP constitution: members are 18 or older
SECTOR_NONE, SECTOR_ENTERPRISE, SECTOR_COMPANY, SECTOR_SERVICES, SECTOR_OUTSIDE, \
    SECTOR_COOPERATIVE = range(6)
SECTORS = ("none", "enterprise", "company", "services", "outside", "cooperative")
# employers inside the community, where colleagues meet and residents refer residents
LOCAL_SECTORS = (SECTOR_ENTERPRISE, SECTOR_COMPANY, SECTOR_SERVICES, SECTOR_COOPERATIVE)
IS_LOCAL = np.isin(np.arange(len(SECTORS)), LOCAL_SECTORS)  # by sector code
# the local employers with a staffing target (the rest open jobs at random)
STAFFED_SECTORS = (SECTOR_COMPANY, SECTOR_SERVICES, SECTOR_COOPERATIVE)


@dataclass
class Residents:
    """Per-person state; index ``i`` is the person in slot ``i`` (slots are reused at births)."""

    age: np.ndarray
    female: np.ndarray
    school: np.ndarray
    village: np.ndarray
    household: np.ndarray
    building: np.ndarray
    party: np.ndarray
    attitude: np.ndarray
    employed: np.ndarray
    sector: np.ndarray
    training_left: np.ndarray
    trained: np.ndarray
    wants_mass_orgs: np.ndarray
    active_member: np.ndarray
    mass_org_member: np.ndarray  # member of a mass organisation
    volunteer: np.ndarray  # volunteered this month

    @property
    def n(self) -> int:
        """Number of residents."""
        return len(self.age)


@dataclass
class Households:
    """Per-household state."""

    village: np.ndarray
    building: np.ndarray
    size: np.ndarray
    rents_out: np.ndarray
    arrears: np.ndarray
    lock: np.ndarray
    paid_last: np.ndarray
    grievance: np.ndarray

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.village)


def retirement_age(female: np.ndarray, c: Community) -> np.ndarray:
    """Each person's statutory retirement age (State Council 1978: men 60, women workers 50)."""
    return np.where(female, c.retirement_age_women, c.retirement_age_men)


def working_age(age: np.ndarray, female: np.ndarray, c: Community) -> np.ndarray:
    """Who may hold or seek a job: from ``job_entry_age`` up to the statutory retirement age."""
    return (age >= c.job_entry_age) & (age < retirement_age(female, c))


def retired(age: np.ndarray, female: np.ndarray, c: Community) -> np.ndarray:
    """Who is at or past the statutory retirement age (and receives a pension)."""
    return age >= retirement_age(female, c)


def group_masks(age: np.ndarray, female: np.ndarray) -> dict[str, np.ndarray]:
    """Age groups used throughout: under 40, men 40-49, the '4050' group, and 60+.

    The 4050 group (四零五零) is China's hard-to-employ group: women 40+ and men 50+ below
    retirement (60 here).
    """
    working = (age >= GROUP_AGES[0]) & (age < GROUP_AGES[1])
    over40 = age >= 40
    g4050 = working & over40 & (female | (age >= 50))  # women from 40, men from 50
    return {"under40": working & (age < 40), "prime": working & ~g4050 & over40,
            "4050": g4050, "60plus": age >= GROUP_AGES[1]}


def split_counts(total: int, shares: tuple[float, ...]) -> np.ndarray:
    """Integer counts adding up to ``total`` in the given shares (largest remainder)."""
    raw = np.asarray(shares, dtype=float) * total
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def build_population(c: Community, rng: np.random.Generator,
                     local_enterprise_share: float,
                     company_jobs: int, service_jobs: int) -> tuple[Residents, Households]:
    """Draw the initial residents and households of the community."""
    hh_village = np.repeat(np.arange(len(c.village_names)),
                           split_counts(c.households, c.village_household_shares))
    sizes = 1 + rng.multinomial(c.residents - c.households, np.full(c.households, 1 / c.households))
    hh_building = assign_buildings(hh_village, c, rng)
    household = np.repeat(np.arange(c.households), sizes)
    n = c.residents
    age = draw_ages(n, c.age_shares, rng)
    female = rng.random(n) < c.female_share
    school = draw_schooling(age, c, rng)
    village = hh_village[household]
    attitude = draw_attitudes(age, village, c, rng)
    employed, sector = draw_employment(age, female, c, rng, local_enterprise_share,
                                       company_jobs, service_jobs)
    residents = Residents(
        age=age, female=female, school=school, village=village, household=household,
        building=hh_building[household], party=draw_party(age, c, rng), attitude=attitude,
        employed=employed, sector=sector, training_left=np.zeros(n, np.int16),
        trained=np.zeros(n, bool), wants_mass_orgs=rng.random(n) < c.mass_org_demand_share,
        active_member=np.zeros(n, bool), mass_org_member=np.zeros(n, bool),
        volunteer=np.zeros(n, bool))
    units = min(c.households, round(c.temporary_residents / c.tenants_per_rented_unit))
    rents_out = np.zeros(c.households, bool)
    rents_out[rng.choice(c.households, size=units, replace=False)] = True
    households = Households(
        village=hh_village, building=hh_building, size=sizes, rents_out=rents_out,
        arrears=np.zeros(c.households), lock=np.zeros(c.households, np.int32),
        paid_last=np.ones(c.households, bool), grievance=np.zeros(c.households))
    return residents, households


def assign_buildings(hh_village: np.ndarray, c: Community, rng: np.random.Generator) -> np.ndarray:
    """Place households in buildings: a ``village_clustering`` share in their village's block.

    Each village gets a block of whole buildings, enough for all its households; clustered
    households take random flats in their own block, the others fill the remaining flats at
    random anywhere, so buildings mix villages as clustering falls.
    """
    per = c.households_per_building
    sizes = np.bincount(hh_village, minlength=len(c.village_names))
    blocks = -(-sizes // per)  # whole buildings per village
    block_of_slot = np.repeat(np.arange(len(blocks)), blocks * per)
    slots = np.arange(len(block_of_slot)) // per
    building = np.full(c.households, -1)
    clustered = rng.random(c.households) < c.village_clustering
    free = np.ones(len(slots), bool)
    for v in range(len(blocks)):
        hh = np.flatnonzero(clustered & (hh_village == v))
        block = rng.permutation(np.flatnonzero(block_of_slot == v))[: len(hh)]
        building[hh] = slots[block]
        free[block] = False
    rest = np.flatnonzero(building < 0)
    building[rest] = slots[rng.permutation(np.flatnonzero(free))[: len(rest)]]
    return _renumber(building)


def _renumber(building: np.ndarray) -> np.ndarray:
    """Number the occupied buildings 0..k-1 (keeping their order)."""
    return np.unique(building, return_inverse=True)[1]


def draw_ages(n: int, shares: tuple[float, ...], rng: np.random.Generator) -> np.ndarray:
    """Ages uniform within the bands of ``AGE_BANDS`` drawn with ``shares``."""
    band = rng.choice(len(AGE_BANDS), size=n, p=np.asarray(shares) / sum(shares))
    lo = np.array([b[0] for b in AGE_BANDS])[band]
    hi = np.array([b[1] for b in AGE_BANDS])[band]
    return lo + (hi - lo) * rng.random(n)


def draw_schooling(age: np.ndarray, c: Community, rng: np.random.Generator) -> np.ndarray:
    """Schooling level 0..3 (primary or less, junior high, senior high, college) by cohort."""
    school = np.zeros(len(age), np.int8)
    cohorts = ((age < 40, c.schooling_under40), ((age >= 40) & (age < 60), c.schooling_40_59),
               (age >= 60, c.schooling_60plus))
    for mask, shares in cohorts:
        school[mask] = rng.choice(4, size=int(mask.sum()), p=np.asarray(shares) / sum(shares))
    return school


def draw_attitudes(age: np.ndarray, village: np.ndarray, c: Community,
                   rng: np.random.Generator) -> np.ndarray:
    """Initial villager-to-citizen attitude: younger and some villages start more urban."""
    mean = (c.initial_attitude_mean + np.asarray(c.village_attitude_offsets)[village]
            + c.attitude_age_gradient * (age - 40.0) / 10.0)
    return np.clip(mean + c.initial_attitude_sd * rng.standard_normal(len(age)), 0.0, 1.0)


def draw_party(age: np.ndarray, c: Community, rng: np.random.Generator) -> np.ndarray:
    """Party members among adults 18+, drawn with weights ``exp(β·age)`` where β is solved so
    that the expected mean age of members is ``party_member_mean_age`` (mostly older, §1)."""
    adults = np.flatnonzero(age >= PARTY_MIN_AGE)
    k = min(c.party_members, len(adults))
    party = np.zeros(len(age), bool)
    if k == 0:
        return party
    a = age[adults]
    weight = age_tilt(a, c.party_member_mean_age)
    party[rng.choice(adults, size=k, replace=False, p=weight / weight.sum())] = True
    return party


def age_tilt(a: np.ndarray, target: float) -> np.ndarray:
    """Weights exp(β·(a - mean)) with β found by bisection so the weighted mean is ``target``
    (clamped to the range of ``a``). The weighted mean is numpy's sum of products, not BLAS's
    dot, whose rounding depends on the CPU's kernel (the bisection's choices must not)."""
    target = min(max(target, a.min()), a.max())
    lo, hi = -2.0, 2.0
    for _ in range(60):
        beta = 0.5 * (lo + hi)
        w = np.exp(beta * (a - a.mean()))
        lo, hi = (beta, hi) if (w * a).sum() / w.sum() < target else (lo, beta)
    return np.exp(0.5 * (lo + hi) * (a - a.mean()))


def draw_employment(age: np.ndarray, female: np.ndarray, c: Community, rng: np.random.Generator,
                    local_enterprise_share: float, company_jobs: int,
                    service_jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """Initial employment of the working-age by age group, then jobs by sector (company and
    services filled first). Nobody outside working age holds a job."""
    groups, working = group_masks(age, female), working_age(age, female, c)
    p = np.zeros(len(age))
    for share, key in zip(c.initial_employment, ("under40", "prime", "4050"), strict=True):
        p[groups[key] & working] = share
    employed = rng.random(len(age)) < p
    sector = np.zeros(len(age), np.int8)
    workers = rng.permutation(np.flatnonzero(employed))
    n_company = min(company_jobs, len(workers))
    n_services = min(service_jobs, len(workers) - n_company)
    sector[workers[:n_company]] = SECTOR_COMPANY
    sector[workers[n_company:n_company + n_services]] = SECTOR_SERVICES
    rest = workers[n_company + n_services:]
    sector[rest] = np.where(rng.random(len(rest)) < local_enterprise_share,
                            SECTOR_ENTERPRISE, SECTOR_OUTSIDE)
    return employed, sector
