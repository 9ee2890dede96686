"""A deliberately plain, per-agent Mesa 3.5 version of three of resettle's rules (baseline).

This is the yardstick for ``bench_run.py``: the way the same rules would usually be written
in Mesa, with one ``mesa.Agent`` per resident (``Person``) and per household (``Home``),
behaviour in agent methods called through ``AgentSet.shuffle_do`` / ``AgentSet.do``, Python
loops, and draws from ``self.random`` (Mesa's ``random.Random``) and ``self.model.rng``.
Every parameter value is read from ``resettle.Scenario()`` (plus the same size overrides), so
the comparison with resettle is like for like.

What it covers, per month, in resettle's order (employment, then attitude, then fees):

* Ageing: every resident grows 1/12 year older (deaths and births are NOT modelled).
* Employment (resettle ``submodels/employment.py``):

  - separations: an employed resident loses the job with hazard ``job_separation_rate``;
    the household's grievance rises by ``job_loss_grievance``;
  - retirement: a worker at the statutory retirement age (``retirement_age_men`` /
    ``retirement_age_women``) leaves the job;
  - search: the unemployed of working age (``job_entry_age`` to retirement) search with
    probability
    ``clip(1 - reservation_weight * nonlabour_per_adult / wage_month, 0.05, 1)``, where
    non-labour income is the household's expected dividends plus rent;
  - local openings (enterprise ``Poisson(enterprise_openings_per_month * n / 1000)``,
    property-company and service vacancies up to their staffing targets) are filled by
    weighted choice without replacement from the searchers, weights ``exp(logodds)``;
  - outside hires: a remaining searcher finds a city job with probability
    ``1 - exp(-outside_job_rate * exp(logodds))``; logodds as in ``hiring_logodds``
    (prime / 4050 groups, female, schooling, trained).
  - NOT modelled: skills-training courses (nobody is ever ``trained``), layoffs on
    outsourcing.

* Attitude (resettle ``submodels/attitude.py``): ``contacts_per_month`` rounds of
  Deffuant-Weisbuch influence with bound ``confidence_bound`` and per-person rate
  ``convergence_rate * exp(-plasticity_decay * max(age - 18, 0))``. In a round every resident
  (in random order) picks a layer - household, building, village or workplace - with
  probability proportional to ``*_tie_weight`` among the layers where it has ties, then a
  random tie of that layer (a co-worker may be itself: no contact). As in resettle's
  ``disjoint_pairs``, a proposed pair only interacts if neither person was already part of
  an earlier proposal this round (accepted or not: the pair must be the first, in random
  order, to touch both its people), so every round is a set of disjoint pair updates.
  Ties are drawn as in resettle: complete within households; ``building_degree`` and
  ``village_degree`` symmetric ties per person inside building and village, each to the
  closest in age of ``tie_age_homophily`` random members (age homophily); co-workers are the
  residents employed in the same local sector at the start of the month. Households live in
  village blocks of whole buildings (``village_clustering`` of them in their own block).
  Exposure drift is SIMPLIFIED to publicity + job effect + owner effect:
  ``x += clip(plasticity * (publicity_effect + job_effect * employed
  + owner_effect * household_paid_own_property_fee), 0, 1) * (1 - x)``
  (resettle also adds culture events, the community school and party members' vanguard
  contacts, i.e. a few more vectorised terms).

* Fees (resettle ``submodels/fees.py`` and ``fee_collection.py``): every billing period each
  household computes the motive
  ``fee_base + w_att (x - 1/2) + w_q (q - 1/2) - w_b burden% + w_nb (2 s_neigh - 1)``
  (x: mean adult attitude; q: service quality; burden: bill / income in %; s_neigh: share of
  its building's households that paid last period) and pays with probability
  ``expit((p (1 + theta) + m - 1) / T)`` (the deterministic rule at T = 0). Households
  locked in by enforcement pay; an evader is detected with ``enforcement_probability`` and
  then locked in for ``enforcement_lock_periods`` periods (Zaklan-Westerhoff-Stauffer),
  pays its arrears and gets ``enforcement_grievance``. Willingness (the probability of paying
  the full bill, property fee included) is computed too, as resettle does. Before month 1,
  ``fee_history_months`` billing periods are simulated under the same rule (no grievance,
  no arrears), as resettle's ``fee_history`` burn-in does.
  SIMPLIFIED: service quality is held at ``initial_service_quality`` and dividends at their
  initial expected level; no ledger (money is not moved between accounts), no payment on
  behalf by the collectives.

* A monthly record (DataCollector): mean adult attitude, employment share 16-59, fee
  compliance and willingness.

Not covered: demography beyond ageing, cadres, party members and organisations, finances,
stability and maturity (resettle runs these too, mostly as O(1) work per month or a few
vectorised passes).

State per resident-month is comparable to resettle's arrays: age, sex, schooling, village,
household, building, attitude, employed, sector, trained, searching; per household: size,
building, village, rents_out, paid_last, lock, arrears, grievance.

    >>> model = PlainCommunity(rng=1)          # 4,200 residents, 1,750 households
    >>> table = model.run(12)                  # 12 months, one row per month
"""

from __future__ import annotations

import math

import mesa
import pandas as pd

import resettle

SECTOR_NONE, SECTOR_ENTERPRISE, SECTOR_COMPANY, SECTOR_SERVICES, SECTOR_OUTSIDE = range(5)
LOCAL_SECTORS = (SECTOR_ENTERPRISE, SECTOR_COMPANY, SECTOR_SERVICES)
AGE_BANDS = ((0.0, 16.0), (16.0, 40.0), (40.0, 60.0), (60.0, 85.0))


class Home(mesa.Agent):
    """One household: billed fees, decides whether to pay."""

    def __init__(self, model: PlainCommunity, village: int, building: int) -> None:
        super().__init__(model)
        self.village = village
        self.building = building
        self.members: list[Person] = []
        self.rents_out = False
        self.paid_last = True
        self.paid_now = True
        self.lock = 0
        self.arrears = 0.0
        self.grievance = 0.0
        self.willing = 1.0
        self.paid_own_property_fee = False
        self.nonlabour_per_adult = 0.0

    def nonlabour_income(self) -> float:
        """Expected monthly dividends and rent, yuan."""
        m = self.model
        dividends = m.dividend_per_member_year[self.village] * len(self.members) / 12.0
        rent = m.c.rent_per_unit_month if self.rents_out else 0.0
        return dividends + rent

    def tally(self) -> None:
        """Non-labour income per adult, used by members deciding whether to search."""
        adults = sum(1 for p in self.members if p.age >= 16)
        self.nonlabour_per_adult = self.nonlabour_income() / max(adults, 1)

    def mean_attitude(self) -> float:
        """Mean attitude of the adults (of all members where none is adult)."""
        adults = [p.attitude for p in self.members if p.age >= 16]
        pool = adults or [p.attitude for p in self.members]
        return sum(pool) / len(pool)

    def neighbour_share(self) -> float:
        """Share of this building's households (itself included) that paid last period."""
        homes = self.model.buildings[self.building]
        return sum(1 for h in homes if h.paid_last) / len(homes)

    def pay_probability(self, amount: float, attitude: float, income: float,
                        neighbours: float) -> float:
        """Probability of paying a bill of ``amount`` itself (resettle's fees formula)."""
        u, lv = self.model.u, self.model.lv
        burden = 100.0 * amount / max(income, 1.0)
        motive = (u.fee_base + u.fee_attitude_weight * (attitude - 0.5)
                  + u.fee_quality_weight * (self.model.quality - 0.5)
                  - u.fee_burden_weight * burden
                  + u.fee_neighbour_weight * (2.0 * neighbours - 1.0))
        z = lv.enforcement_probability * (1.0 + lv.penalty_rate) + motive - 1.0
        if u.fee_temperature == 0:
            return 1.0 if z >= 0 else 0.0
        t = z / u.fee_temperature
        if t >= 0:
            return 1.0 / (1.0 + math.exp(-t))
        e = math.exp(t)
        return e / (1.0 + e)

    def decide_fee(self, history: bool = False) -> None:
        """One billing period: pay, or evade and maybe get caught (then locked in).
        ``history``: a burn-in period before month 1 (no grievance, no arrears)."""
        m = self.model
        lv = m.lv
        wages = sum(m.u.wage_month for p in self.members if p.employed)
        income = (wages + self.nonlabour_income()) * lv.billing_period_months
        attitude = self.mean_attitude()
        neighbours = self.neighbour_share()
        p_pay = self.pay_probability(m.household_bill, attitude, income, neighbours)
        if not history:
            self.willing = self.pay_probability(m.full_bill, attitude, income, neighbours)
        locked = self.lock > 0
        self.paid_now = locked or self.random.random() < p_pay
        self.lock = self.lock - 1 if locked else 0
        if self.paid_now:
            self.paid_own_property_fee = m.pays_property_fee and not history
            return
        self.paid_own_property_fee = False
        detected = self.random.random() < lv.enforcement_probability
        if detected:
            self.lock = lv.enforcement_lock_periods
        if history:
            return
        if detected:
            self.arrears = 0.0
            self.grievance += m.u.enforcement_grievance
            m.detected += 1
        else:
            self.arrears += m.household_bill

    def commit_fee(self) -> None:
        """Make this period's decision visible to the neighbours next period."""
        self.paid_last = self.paid_now


class Person(mesa.Agent):
    """One resident."""

    def __init__(self, model: PlainCommunity, home: Home, age: float) -> None:
        super().__init__(model)
        self.home = home
        self.village = home.village
        self.building = home.building
        self.age = age
        self.female = self.random.random() < model.c.female_share
        self.school = model.draw_schooling(age)
        self.attitude = model.draw_attitude(age, home.village)
        self.employed = False
        self.sector = SECTOR_NONE
        self.trained = False
        self.searching = False
        self.mu = 0.0
        self.plasticity = 1.0
        self.touched = -1
        self.ties: tuple[list[Person], list[Person], list[Person]] = ([], [], [])

    # ---- demography -------------------------------------------------------------------
    def grow_older(self) -> None:
        """A month older; openness to influence follows age."""
        self.age += 1.0 / 12.0
        self.plasticity = math.exp(-self.model.u.plasticity_decay * max(self.age - 18.0, 0.0))
        self.mu = self.model.u.convergence_rate * self.plasticity

    # ---- employment -------------------------------------------------------------------
    def working_age(self) -> bool:
        """From ``job_entry_age`` up to the statutory retirement age (resettle's working_age)."""
        c = self.model.c
        retire = c.retirement_age_women if self.female else c.retirement_age_men
        return c.job_entry_age <= self.age < retire

    def logodds(self) -> float:
        """Employers' preference for this person (resettle's hiring_logodds)."""
        u, age = self.model.u, self.age
        g4050 = age >= (40.0 if self.female else 50.0)
        prime = not g4050 and age >= 40.0
        return (u.hire_logodds_prime * prime + u.hire_logodds_4050 * g4050
                + u.hire_logodds_female * self.female
                + u.hire_logodds_school * self.school + u.hire_logodds_trained * self.trained)

    def labour_step(self) -> None:
        """Lose the job with the separation hazard, or decide whether to look for one."""
        u = self.model.u
        self.searching = False
        working = self.working_age()
        if self.employed and not working:  # retirement
            self.employed, self.sector = False, SECTOR_NONE
            return
        if self.employed:
            if self.random.random() < u.job_separation_rate:
                self.employed, self.sector = False, SECTOR_NONE
                self.home.grievance += u.job_loss_grievance
                self.model.job_losses += 1
            return
        if not working:
            return
        p = 1.0 - u.reservation_weight * self.home.nonlabour_per_adult / u.wage_month
        self.searching = self.random.random() < min(max(p, u.min_search_probability), 1.0)

    def hire(self, sector: int) -> None:
        """Take a job in ``sector``."""
        self.employed, self.sector, self.searching = True, sector, False
        self.model.hires += 1

    def look_outside(self) -> None:
        """Search the city's labour market."""
        if self.searching and not self.employed:
            p = 1.0 - math.exp(-self.model.u.outside_job_rate * math.exp(self.logodds()))
            if self.random.random() < p:
                self.hire(SECTOR_OUTSIDE)

    # ---- attitude ---------------------------------------------------------------------
    def propose_contact(self) -> Person | None:
        """A layer by weight (among layers with ties), then a random tie of that layer."""
        m = self.model
        coworkers = m.workplaces.get(self.sector, ()) if self.employed else ()
        layers = (*self.ties, coworkers)
        total = sum(w for w, ties in zip(m.tie_weights, layers, strict=True) if ties)
        if total <= 0:
            return None
        draw = self.random.random() * total
        for w, ties in zip(m.tie_weights, layers, strict=True):
            if not ties:
                continue
            draw -= w
            if draw < 0:
                return self.random.choice(ties)
        return self.random.choice(next(t for t in reversed(layers) if t))

    def interact(self, round_id: int) -> None:
        """Propose a contact; if neither side was in an earlier proposal this round, apply
        the Deffuant-Weisbuch update to both."""
        other = self.propose_contact()
        if other is None or other is self:
            return
        fresh = self.touched != round_id and other.touched != round_id
        self.touched = other.touched = round_id
        if not fresh:
            return
        gap = other.attitude - self.attitude
        if abs(gap) < self.model.u.confidence_bound:
            self.attitude += self.mu * gap
            other.attitude -= other.mu * gap

    def drift(self) -> None:
        """Exposure drift toward citizen attitude (publicity and an urban job only)."""
        u = self.model.u
        gain = self.plasticity * (u.publicity_effect + u.job_effect * self.employed
                                  + u.owner_effect * self.home.paid_own_property_fee)
        self.attitude += min(max(gain, 0.0), 1.0) * (1.0 - self.attitude)


class PlainCommunity(mesa.Model):
    """The community with per-agent Mesa rules; ``overrides`` as for resettle's model."""

    def __init__(self, scenario: resettle.Scenario | None = None, *, rng: int = 0,
                 **overrides) -> None:
        super().__init__(rng=rng)
        params = (scenario or resettle.Scenario()).replace(**overrides) if overrides \
            else (scenario or resettle.Scenario())
        self.params = params
        self.c, self.lv, self.u = params.community, params.levers, params.uncertainties
        self.tie_weights = self.layer_weights()
        self.quality = self.c.initial_service_quality
        keep = 1.0 - self.c.collective_share
        self.dividend_per_member_year = [a * self.u.asset_return_rate * keep
                                         for a in self.c.assets_per_capita]
        self.company_jobs = round(self.u.company_staff * self.c.residents / 1000)
        self.service_jobs = round(self.u.service_jobs * self.c.residents / 1000)
        self.household_bill, self.full_bill = self.bills()
        self.pays_property_fee = self.lv.property_fee_payer == "households"
        self.workplaces: dict[int, list[Person]] = {}
        self.round_id = 0
        self.job_losses = self.hires = self.detected = 0
        self.build()
        self.fee_history()
        self.datacollector = mesa.DataCollector(model_reporters={
            "attitude": mean_adult_attitude, "employment": employment_share,
            "fee_compliance": fee_compliance,
            "fee_willingness": lambda m: sum(h.willing for h in m.homes) / len(m.homes)})

    # ---- set-up -------------------------------------------------------------------------
    def layer_weights(self) -> tuple[float, float, float, float]:
        """Household, building, village and workplace weights (building-basis shift too)."""
        u = self.u
        w = [u.household_tie_weight, u.building_tie_weight, u.village_tie_weight,
             u.workplace_tie_weight]
        if self.lv.branch_basis == "building":
            moved = w[2] * u.building_basis_tie_shift
            w[1], w[2] = w[1] + moved, w[2] - moved
        return (w[0], w[1], w[2], w[3])

    def bills(self) -> tuple[float, float]:
        """What a household is billed itself per period, and the full bill."""
        months = self.lv.billing_period_months
        prop = self.c.property_fee_per_year / self.c.households / 12.0 * months
        community = (self.lv.sanitation_fee_month + self.lv.maintenance_fee_month) * months
        own = community + (prop if self.lv.property_fee_payer == "households" else 0.0)
        return own, community + prop

    def build(self) -> None:
        """Households in buildings, residents in households, jobs, and the tie layers."""
        self.homes = self.build_homes()
        self.buildings: dict[int, list[Home]] = {}
        for h in self.homes:
            self.buildings.setdefault(h.building, []).append(h)
        for h in self.random.sample(self.homes, self.rented_units()):
            h.rents_out = True
        self.people = self.build_people()
        self.assign_jobs()
        self.build_ties()

    def fee_history(self) -> None:
        """Billing periods before month 1, so lock-ins and last payments have a history."""
        homes = self.agents_by_type[Home]
        homes.do("tally")
        for _ in range(self.c.fee_history_months):
            homes.shuffle_do("decide_fee", history=True)
            homes.do("commit_fee")

    def rented_units(self) -> int:
        """Flats let to temporary residents."""
        c = self.c
        return min(c.households, round(c.temporary_residents / c.tenants_per_rented_unit))

    def build_homes(self) -> list[Home]:
        """Households by village shares. Each village gets a block of whole buildings, enough
        for all its households; a ``village_clustering`` share takes random flats in its own
        block, the others fill the remaining flats anywhere at random."""
        c, per = self.c, self.c.households_per_building
        counts = split_counts(c.households, c.village_household_shares)
        villages = [v for v, k in enumerate(counts) for _ in range(k)]
        slot_block = [v for v, k in enumerate(counts) for _ in range(-(-k // per) * per)]
        free = set(range(len(slot_block)))
        building = [-1] * c.households
        for v in range(len(counts)):
            mine = [i for i, hv in enumerate(villages)
                    if hv == v and self.random.random() < c.village_clustering]
            block = [s for s, b in enumerate(slot_block) if b == v]
            self.random.shuffle(block)
            for i, s in zip(mine, block, strict=False):
                building[i] = s // per
                free.discard(s)
        rest = sorted(free)
        self.random.shuffle(rest)
        homeless = (i for i in range(c.households) if building[i] < 0)
        for i, s in zip(homeless, rest, strict=False):
            building[i] = s // per
        return [Home(self, v, b) for v, b in zip(villages, building, strict=True)]

    def build_people(self) -> list[Person]:
        """One person per household, the rest placed at random; ages by band."""
        c = self.c
        home_of = list(self.homes) + self.random.choices(self.homes, k=c.residents - c.households)
        bands = self.random.choices(range(len(AGE_BANDS)), weights=c.age_shares, k=c.residents)
        people = []
        for home, band in zip(home_of, bands, strict=True):
            lo, hi = AGE_BANDS[band]
            person = Person(self, home, lo + (hi - lo) * self.random.random())
            home.members.append(person)
            people.append(person)
        return people

    def draw_schooling(self, age: float) -> int:
        """Schooling level 0..3 by cohort."""
        c = self.c
        shares = (c.schooling_under40 if age < 40 else c.schooling_40_59 if age < 60
                  else c.schooling_60plus)
        return self.random.choices(range(4), weights=shares)[0]

    def draw_attitude(self, age: float, village: int) -> float:
        """Initial attitude: village offset, age gradient and noise, clipped to [0, 1]."""
        c = self.c
        mean = (c.initial_attitude_mean + c.village_attitude_offsets[village]
                + c.attitude_age_gradient * (age - 40.0) / 10.0)
        return min(max(mean + c.initial_attitude_sd * self.random.gauss(), 0.0), 1.0)

    def assign_jobs(self) -> None:
        """Initial employment by group; company and service jobs first, then the rest."""
        shares = self.c.initial_employment
        workers = []
        for p in self.people:
            if not p.working_age():
                continue
            group = 2 if p.age >= (40.0 if p.female else 50.0) else 1 if p.age >= 40 else 0
            if self.random.random() < shares[group]:
                workers.append(p)
        self.random.shuffle(workers)
        n_company = min(self.company_jobs, len(workers))
        n_services = min(self.service_jobs, len(workers) - n_company)
        for i, p in enumerate(workers):
            p.employed = True
            p.sector = (SECTOR_COMPANY if i < n_company
                        else SECTOR_SERVICES if i < n_company + n_services
                        else SECTOR_ENTERPRISE
                        if self.random.random() < self.u.local_enterprise_job_share
                        else SECTOR_OUTSIDE)

    def build_ties(self) -> None:
        """Household ties complete; building and village ties drawn at random, symmetric."""
        for p in self.people:
            p.ties[0].extend(q for q in p.home.members if q is not p)
        by_building: dict[int, list[Person]] = {}
        by_village: dict[int, list[Person]] = {}
        for p in self.people:
            by_building.setdefault(p.building, []).append(p)
            by_village.setdefault(p.village, []).append(p)
        self.random_ties(by_building, "building", self.u.building_degree, 1)
        self.random_ties(by_village, "village", self.u.village_degree, 2)

    def random_ties(self, groups: dict[int, list[Person]], attr: str, degree: int,
                    layer: int) -> None:
        """Each person draws ``degree`` ties in its group, each to the closest in age of
        ``tie_age_homophily`` random members (never itself by choice); ties are symmetric."""
        ties: dict[Person, set[Person]] = {p: set() for p in self.people}
        k = max(self.u.tie_age_homophily, 1)
        for p in self.people:
            group = groups[getattr(p, attr)]
            for _ in range(degree):
                q = min(self.random.choices(group, k=k),
                        key=lambda c, p=p: math.inf if c is p else abs(c.age - p.age))
                if q is not p:
                    ties[p].add(q)
                    ties[q].add(p)
        for p, others in ties.items():
            p.ties[layer].extend(others)

    # ---- one month ----------------------------------------------------------------------
    def step(self) -> None:
        """Employment, attitude, fees, record."""
        people, homes = self.agents_by_type[Person], self.agents_by_type[Home]
        people.do("grow_older")
        homes.do("tally")
        people.shuffle_do("labour_step")
        self.fill_local_openings()
        people.shuffle_do("look_outside")
        self.attitude_rounds(people)
        if self.steps % self.lv.billing_period_months == 0:
            self.detected = 0
            homes.shuffle_do("decide_fee")
            homes.do("commit_fee")
        self.datacollector.collect(self)

    def staff(self, sector: int) -> int:
        """Residents employed in ``sector``."""
        return sum(1 for p in self.people if p.employed and p.sector == sector)

    def fill_local_openings(self) -> None:
        """Enterprise openings and company/service vacancies, filled by weighted choice."""
        openings = (
            (SECTOR_ENTERPRISE, int(self.rng.poisson(
                self.u.enterprise_openings_per_month * len(self.people) / 1000.0))),
            (SECTOR_COMPANY, max(0, self.company_jobs - self.staff(SECTOR_COMPANY))),
            (SECTOR_SERVICES, max(0, self.service_jobs - self.staff(SECTOR_SERVICES))),
        )
        pool = [p for p in self.people if p.searching and not p.employed]
        weights = [math.exp(p.logodds()) for p in pool]
        for sector, k in openings:
            for _ in range(min(k, len(pool))):
                i = self.random.choices(range(len(pool)), weights=weights)[0]
                pool.pop(i).hire(sector)
                weights.pop(i)

    def attitude_rounds(self, people) -> None:
        """``contacts_per_month`` rounds of pairwise influence, then exposure drift."""
        self.workplaces = {s: [] for s in LOCAL_SECTORS}
        for p in self.people:
            if p.employed and p.sector in self.workplaces:
                self.workplaces[p.sector].append(p)
        for _ in range(self.u.contacts_per_month):
            self.round_id += 1
            people.shuffle_do("interact", self.round_id)
        people.do("drift")

    def run(self, months: int) -> pd.DataFrame:
        """Run ``months`` months; the monthly record as a DataFrame."""
        for _ in range(months):
            self.step()
        return self.datacollector.get_model_vars_dataframe()


# ---- reporters and helpers ----------------------------------------------------------------
def mean_adult_attitude(model: PlainCommunity) -> float:
    """Mean attitude of residents 16+."""
    adults = [p.attitude for p in model.people if p.age >= 16]
    return sum(adults) / len(adults)


def employment_share(model: PlainCommunity) -> float:
    """Employed share of residents 16-59."""
    working = [p.employed for p in model.people if 16 <= p.age < 60]
    return sum(working) / len(working)


def fee_compliance(model: PlainCommunity) -> float:
    """Share of households that paid their last bill themselves."""
    return sum(h.paid_last for h in model.homes) / len(model.homes)


def split_counts(total: int, shares: tuple[float, ...]) -> list[int]:
    """Integer counts adding up to ``total`` in the given shares (largest remainder)."""
    raw = [s * total for s in shares]
    counts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


if __name__ == "__main__":
    import time

    t0 = time.perf_counter()
    demo = PlainCommunity(rng=1)
    t1 = time.perf_counter()
    print(demo.run(12).round(4).to_string())
    t2 = time.perf_counter()
    print(f"set-up {t1 - t0:.2f} s, 12 months {t2 - t1:.2f} s")
