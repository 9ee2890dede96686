"""Party members: activity, responsibility zones and recruitment of younger members (§6).

Each month a member below ``member_active_age_limit`` is active with probability
``member_activity`` (+ ``member_posts_activity`` where 'one member one post' and responsibility
zones give members a carrier); members working outside the community are less active, by the
factor ``mobile_member_activity`` (mobile members, §3). Active members contact residents of
their zone — the village when branches are by village, the building area when by building —
which is the vanguard exposure in the attitude submodel. Recruitment draws among the 18-45
year-olds with weights proportional to attitude ('adhere to standards, improve structure').
"""

from __future__ import annotations

import numpy as np

from resettle.sim.population import SECTOR_OUTSIDE, Residents
from resettle.sim.seeds import slot_uniforms
from resettle.sim.submodels.contract import writes
from resettle.sim.submodels.employment import weighted_pick

RECRUIT_AGE = (18.0, 45.0)  # §6 'younger members'; bounds assumption
ZERO_ATTITUDE_WEIGHT = 1e-9  # recruitment weight is attitude plus this, so attitude 0 can join


def activity(r: Residents, base: float, posts_extra: float, posts: bool, age_limit: float,
             mobile_factor: float, rng: np.random.Generator) -> np.ndarray:
    """Which members are active this month (boolean per resident)."""
    p = base + (posts_extra if posts else 0.0)
    p = np.where(r.sector == SECTOR_OUTSIDE, p * mobile_factor, p)
    return r.party & (r.age < age_limit) & (rng.random(r.n) < p)


def zones(r: Residents, n_buildings: int, areas: int, areas_formed: int,
          n_villages: int) -> tuple[np.ndarray, int]:
    """Responsibility zone of every resident and the number of zones: the building area of
    residents whose area has a branch (the first ``areas_formed`` of ``areas``), else their
    village (numbered after the areas)."""
    area = (r.building.astype(np.int64) * max(areas, 1)) // max(n_buildings, 1)
    village = areas + r.village.astype(np.int64)
    return np.where(area < areas_formed, area, village), areas + n_villages


def vanguard_reach(active: np.ndarray, zone: np.ndarray, n_zones: int,
                   contacts: int) -> np.ndarray:
    """Probability that a resident is contacted by an active member this month."""
    residents = np.bincount(zone, minlength=n_zones)
    members = np.bincount(zone, weights=active.astype(float), minlength=n_zones)
    return np.minimum(1.0, members * contacts / np.maximum(residents, 1))[zone]


@writes("r.party")
def recruit(r: Residents, k: int, rng: np.random.Generator) -> np.ndarray:
    """Admit ``k`` new members among 18-45 non-members, weighted by attitude."""
    pool = np.flatnonzero(~r.party & (r.age >= RECRUIT_AGE[0]) & (r.age <= RECRUIT_AGE[1]))
    uniforms = slot_uniforms(rng, r.n, pool)  # drawn whether or not anyone is admitted
    chosen = weighted_pick(pool, np.log(r.attitude[pool] + ZERO_ATTITUDE_WEIGHT), k, uniforms)
    r.party[chosen] = True
    return chosen
