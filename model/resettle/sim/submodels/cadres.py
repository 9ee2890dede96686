"""Cadres: ageing, retirement, training and recruitment — 'retain some, train some, retire some'
(BRIEF §4). Cadre quality is the mean competence of serving cadres; competence follows
schooling (``cadre_competence``) plus training gains."""

from __future__ import annotations

import numpy as np

from resettle.sim.agents import Cadre
from resettle.sim.submodels.calendar import due_this_month
from resettle.sim.submodels.contract import writes

CADRE_AGE_SD = 5.0  # assumption: spread of cadre ages around the mean (years)
CADRE_AGE_BOUNDS = (30.0, 68.0)  # assumption: youngest and oldest serving cadre at the start
RECRUIT_AGE = (25.0, 40.0)  # §4: young, schooled, promising; ages are an assumption
ROLES = ("village secretary", "former village head", "committee member")
DISPATCHED_ROLE = "general-branch secretary (dispatched)"
# assumption (docs/ODD.md §7.4): the dispatched secretary is a 45-year-old town cadre with
# college schooling
DISPATCHED_AGE, DISPATCHED_SCHOOLING = 45.0, 3


def initial_schooling(n: int, low_share: float, college_share: float,
                      rng: np.random.Generator) -> np.ndarray:
    """Schooling of the starting cadres, in exact shares: ``low_share`` at junior high or less
    (§2.3; split evenly between primary and junior high, assumption), ``college_share`` with
    college, the rest senior high; shuffled."""
    n_low = round(low_share * n)
    n_college = min(round(college_share * n), n - n_low)
    n_primary = n_low // 2
    level = np.array([0] * n_primary + [1] * (n_low - n_primary) + [3] * n_college
                     + [2] * (n - n_low - n_college))
    return rng.permutation(level)


@writes("model.agents.Cadre")
def create_initial_cadres(model, community, uncert, rng: np.random.Generator) -> list[Cadre]:
    """The community's cadres at the start: 4 secretaries, 4 former heads, other members."""
    n, villages = community.cadres, len(community.village_names)
    ages = np.clip(community.cadre_mean_age + CADRE_AGE_SD * rng.standard_normal(n),
                   *CADRE_AGE_BOUNDS)
    school = initial_schooling(n, community.cadre_low_schooling_share,
                               community.cadre_college_share, rng)
    roles = [ROLES[0]] * villages + [ROLES[1]] * villages
    roles += [ROLES[2]] * (n - len(roles))
    skills = draw_skills(n, uncert.cadre_business_share, rng)
    return [Cadre(model, float(a), int(s), uncert.cadre_competence[s], role, skill=skill)
            for a, s, role, skill in zip(ages, school, roles[:n], skills, strict=True)]


def draw_skills(n: int, business_share: float, rng: np.random.Generator) -> list[str]:
    """Each cadre's skill: business with ``business_share``, else management and service."""
    return ["business" if b else "service" for b in rng.random(n) < business_share]


@writes("model.agents.Cadre")
def recruit(model, uncert, schooled_share: float, rng: np.random.Generator) -> Cadre:
    """A new local cadre: young; senior high or college with ``schooled_share``."""
    age = float(rng.uniform(*RECRUIT_AGE))
    schooled, college = rng.random(2)  # both drawn for every recruit
    level = (3 if college < 0.5 else 2) if schooled < schooled_share else 1
    skill = draw_skills(1, uncert.cadre_business_share, rng)[0]
    return Cadre(model, age, level, uncert.cadre_competence[level], ROLES[2], skill=skill)


@writes("model.agents.Cadre")
def cadre_month(model, month: int, rng: np.random.Generator) -> dict[str, int]:
    """Age, retire, train and replace cadres for one month; returns counts of each."""
    levers, uncert = model.levers, model.params.uncertainties
    local = [c for c in model.cadres if not c.dispatched]
    for cadre in model.cadres:
        cadre.age_one_month()
    retiring = [c for c in local if c.due_to_retire(levers.cadre_retire_age)]
    for cadre in retiring:
        cadre.remove()
    recruits = [recruit(model, uncert, levers.cadre_recruit_schooled_share, rng)
                for _ in retiring]
    trained = train_promising(model, due_this_month(levers.cadre_training_per_year, month),
                              uncert.cadre_training_gain)
    return {"retired": len(retiring), "recruited": len(recruits), "trained": trained}


@writes("model.agents.Cadre")
def dispatch_secretary(model, wanted: bool, competence: float) -> int:
    """The town's dispatched general-branch secretary arrives when ``wanted`` (a general
    branch with appointed leadership) and returns to the town when not; returns how many
    serve now (0 or 1)."""
    dispatched = [c for c in model.cadres if c.dispatched]
    if wanted and not dispatched:
        Cadre(model, DISPATCHED_AGE, DISPATCHED_SCHOOLING, competence, DISPATCHED_ROLE,
              dispatched=True)
        return 1
    for cadre in dispatched if not wanted else []:
        cadre.remove()
    return int(wanted)


@writes("model.agents.Cadre")
def train_promising(model, k: int, gain: float) -> int:
    """Train the ``k`` youngest local cadres who can still improve."""
    if k == 0:  # most months: nobody to sort
        return 0
    pool = sorted((c for c in model.cadres if not c.dispatched and c.competence < 1.0),
                  key=lambda c: (c.age, c.unique_id))
    for cadre in pool[:k]:
        cadre.train(gain)
    return min(k, len(pool))


@writes("model.agents.Cadre")
def replace_weakest(model, share: float, rng: np.random.Generator) -> int:
    """Elections replace the weakest ``share`` of local cadres with recruits."""
    local = sorted((c for c in model.cadres if not c.dispatched),
                   key=lambda c: (c.competence, c.unique_id))
    k = round(share * len(local))
    for cadre in local[:k]:
        cadre.remove()
        recruit(model, model.params.uncertainties, model.levers.cadre_recruit_schooled_share, rng)
    return k


def cadre_quality(cadres, post: str | None = None) -> float:
    """Mean competence of serving cadres (of those at ``post``, when given), 0..1 (``np.mean``'s
    pairwise sum and division, without its Python overhead)."""
    values = [c.competence for c in cadres if post is None or c.post == post]
    return float(np.add.reduce(np.array(values)) / len(values)) if values else 0.0


def community_cadres(cadres) -> int:
    """Cadres serving the community (residents' committee and general branch)."""
    return sum(1 for c in cadres if c.post == "community")


def competence_factor(quality: float, u) -> float:
    """How far a programme run by cadres of mean competence ``quality`` reaches its nominal
    effect: ``(1 - w) + w * quality / reference`` with w = ``competence_weight``."""
    w = u.competence_weight
    return (1.0 - w) + w * quality / u.reference_competence


def business_factor(cadres, u) -> float:
    """How far the cooperatives' assets reach ``asset_return_rate`` (the return under business
    cadres of ``reference_competence``): the competence factor of the cadres running them."""
    return competence_factor(cadre_quality(cadres, "cooperative"), u)
