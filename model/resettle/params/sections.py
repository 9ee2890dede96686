"""The model's parameters: the Dongyu community, the planner's levers, and the uncertainties.

Every field names its unit and its source: a section of ``shared/seed/BRIEF.md`` (written
``§``), a paper, or ``assumption``. Every number has a valid domain (``low``/``high``: what
makes sense for any resettled community, so that a planner can describe another one) and a
plausible range (``plausible``: what sweeps and ensembles of worlds sample by default). For the
community the plausible range is Dongyu's (a single value where the seed gives the figure);
for levers and uncertainties it is the range the study or the literature supports.
Levers are what a planner chooses (Scheme 1 and Scheme 2 differ only here); uncertainties are
behavioural constants nobody controls. ``resettle params`` prints this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from resettle.errors import ScenarioError
from resettle.params.schema import ASSUMPTION, Section, name_problem, param, shown_name

A = ASSUMPTION
VILLAGES = ("Liduan", "Waiduan", "Liu", "Linjia")  # BRIEF §2 (§1): 里段, 外段, 六村, 林家
# Hard ceilings of the valid domains (not plausible values: ceilings that keep every
# community that makes sense and refuse the absurd before it costs memory or overflows).
MAX_HOUSEHOLDS = 2_000_000
MAX_RESIDENTS = 5_000_000  # also the ceiling on counts of persons and organisations
MAX_YUAN = 1e12  # any sum of money: a trillion yuan
MAX_AGE = 120.0  # years
MAX_YEARS = 100  # assumption: nobody plans a resettlement community past a century; the
# longest horizon (scenario.MAX_HORIZON_YEARS), and nothing is timed past it
MAX_MONTHS = 12 * MAX_YEARS
MAX_LOGODDS = 20.0  # odds ratios beyond e^20 (5 × 10^8) are numerically meaningless
MIN_ADULT_AGE = 18.0  # party members (CCP constitution) and cadres are adults
# the age bands of age_shares (sim/population.py draws ages uniformly within them); the oldest
# band is capped at 85 (assumption: few residents are older)
AGE_BANDS = ((0.0, 16.0), (16.0, 40.0), (40.0, 60.0), (60.0, 85.0))
PER_VILLAGE = ("assets_per_capita", "collective_retained_per_capita",
               "village_household_shares", "village_attitude_offsets")


@dataclass(frozen=True)
class Community(Section):
    """Initial state of the community (BRIEF §2); what the seed does not give is an assumption."""

    section_name = "community"

    village_names: tuple = param(VILLAGES, unit="name", source="§1", per_village=True)
    households: int = param(1750, unit="households", source="§1", low=1, high=MAX_HOUSEHOLDS,
                            plausible=(1750, 1750))
    residents: int = param(4200, unit="persons", source="§1 ('4,000+'); exact value assumption",
                           low=1, high=MAX_RESIDENTS, plausible=(4000, 4500))
    temporary_residents: int = param(800, unit="persons", source=A + " (redacted in §1)",
                                     low=0, high=MAX_RESIDENTS, plausible=(0, 2000),
                                     doc="non-local renters; enter as rent paid to households")
    tenants_per_rented_unit: float = param(2.0, unit="persons/unit", source=A, low=1,
                                           plausible=(1, 6))
    rent_per_unit_month: float = param(400.0, unit="yuan/month", source=A, low=0, high=MAX_YUAN,
                                       plausible=(100, 2000))
    party_members: int = param(98, unit="persons", source="§1", low=0, high=MAX_RESIDENTS,
                               plausible=(98, 98))
    party_member_mean_age: float = param(60.0, unit="years",
                                         source="§1, §3 ('mostly older'); value assumption",
                                         low=MIN_ADULT_AGE, high=MAX_AGE, plausible=(45, 70))
    cadres: int = param(20, unit="persons",
                        source="§1(1) (4 secretaries + 4 former heads + members); total assumption",
                        low=1, high=MAX_RESIDENTS, plausible=(8, 40))
    cadre_mean_age: float = param(53.0, unit="years", source="§2.3 ('over 50')", low=MIN_ADULT_AGE,
                                  high=MAX_AGE, plausible=(50, 60))
    cadre_low_schooling_share: float = param(0.75, unit="share", source="§2.3", low=0, high=1,
                                             plausible=(0.75, 0.75),
                                             doc="junior-high schooling or less")
    cadre_college_share: float = param(0.05, unit="share",
                                       source="§2.3 ('very few'); value assumption",
                                       low=0, high=1, plausible=(0, 0.25))
    assets_per_capita: tuple = param((38300.0, 35900.0, 33400.0, 31000.0), unit="yuan/person",
                                     source="§1 feature 1 (31,000–38,300); order assumption",
                                     low=0, high=MAX_YUAN, plausible=(31000, 38300),
                                     per_village=True)
    collective_share: float = param(0.30, unit="share", source="§1 feature 1", low=0, high=1,
                                    plausible=(0.3, 0.3),
                                    doc="share of cooperative income that is the collective's "
                                        "part (30% collective share, 70% members' shares)")
    collective_retained_per_capita: tuple = param(
        (17000.0, 16000.0, 15000.0, 14000.0), unit="yuan/person",
        source="§1 feature 1 (14,000–17,000); order assumption", low=0, high=MAX_YUAN,
        plausible=(14000, 17000), per_village=True,
        doc="book value of the collective share (part of the assets above; not cash)")
    collective_cash_years: float = param(
        2.0, unit="years of the collective part of income",
        source="§1 (the community has run about two years); value assumption", low=0,
        plausible=(0, 10),
        doc="cash in each collective fund at the start")
    property_fee_per_year: float = param(420000.0, unit="yuan/year", source="§1(2)",
                                         low=0, high=MAX_YUAN, plausible=(420000.0, 420000.0))
    startup_district: float = param(600000.0, unit="yuan", source="§1(2)", low=0, high=MAX_YUAN,
                                    plausible=(600000.0, 600000.0))
    startup_town: float = param(200000.0, unit="yuan", source="§1(2)", low=0, high=MAX_YUAN,
                                plausible=(200000.0, 200000.0))
    startup_per_village: float = param(200000.0, unit="yuan", source="§1(2)", low=0, high=MAX_YUAN,
                                       plausible=(200000.0, 200000.0))
    community_income_per_year: float = param(
        900000.0, unit="yuan/year", source="§1(2) (rents, stalls, supermarket); value assumption",
        low=0, high=MAX_YUAN, plausible=(600000, 1200000))
    community_running_cost_per_year: float = param(
        850000.0, unit="yuan/year", source="§1 feature 1 (income covers running costs); "
        "value assumption", low=0, high=MAX_YUAN, plausible=(600000, 1100000))
    premises_income_per_year: float = param(
        300000.0, unit="yuan/year", source="§2.1 (3% office, 4% business space owed by the "
        "developer); value assumption", low=0, high=MAX_YUAN, plausible=(100000, 600000),
        doc="the community's income from the owed premises once handed over")
    pension_month: float = param(
        800.0, unit="yuan/month per person over retirement age",
        source="浙政发〔2003〕26号 (Zhejiang basic living security of land-loss farmers); "
               "level assumption", low=0, high=MAX_YUAN, plausible=(300, 2000),
        doc="pension and land-loss social security, part of household income")
    retirement_age_men: float = param(60.0, unit="years",
                                      source="State Council 1978 (国发〔1978〕104号)",
                                      low=0, high=MAX_AGE, plausible=(60, 63))
    retirement_age_women: float = param(50.0, unit="years",
                                        source="State Council 1978 (国发〔1978〕104号; women "
                                               "workers)", low=0, high=MAX_AGE, plausible=(50, 55))
    job_entry_age: float = param(18.0, unit="years",
                                 source=A + " (compulsory schooling to 15-16; most finish "
                                            "senior high)", low=0, high=MAX_AGE, plausible=(16, 22),
                                 doc="residents younger than this are in school, not seeking")
    mass_org_demand_share: float = param(0.55, unit="share", source="§2.4", low=0, high=1,
                                         plausible=(0.55, 0.55))
    village_household_shares: tuple = param((0.25, 0.25, 0.25, 0.25), unit="share",
                                            source=A, low=0, high=1, plausible=(0.05, 0.7),
                                            per_village=True)
    households_per_building: int = param(30, unit="households", source=A, low=1,
                                         high=MAX_HOUSEHOLDS, plausible=(6, 200))
    village_clustering: float = param(0.6, unit="share", source=A, low=0, high=1, plausible=(0, 1),
                                      doc="share of households housed in their own village's "
                                          "block of buildings; the rest are placed at random")
    age_shares: tuple = param((0.14, 0.34, 0.32, 0.20), unit="share", source=A,
                              low=0, high=1, plausible=(0.0, 0.8),
                              doc="residents aged 0-15, 16-39, 40-59, 60+")
    female_share: float = param(0.5, unit="share", source=A, low=0, high=1, plausible=(0.4, 0.6))
    schooling_under40: tuple = param((0.10, 0.45, 0.33, 0.12), unit="share", source=A,
                                     low=0, high=1, plausible=(0, 1),
                                     doc="primary-or-less, junior high, senior high, college")
    schooling_40_59: tuple = param((0.35, 0.50, 0.13, 0.02), unit="share", source=A,
                                   low=0, high=1, plausible=(0, 1))
    schooling_60plus: tuple = param((0.75, 0.20, 0.05, 0.0), unit="share", source=A,
                                    low=0, high=1, plausible=(0, 1))
    initial_employment: tuple = param(
        (0.70, 0.60, 0.35), unit="share",
        source=A + " (landless-farmer re-employment; '4050' group hard to employ)", low=0, high=1,
        plausible=(0, 1),
        doc="employed share of the working-age: under 40, men 40-49, the 4050 group")
    initial_attitude_mean: float = param(0.30, unit="0..1",
                                         source="§1 ('left the fields but not the mind'); "
                                                "value assumption", low=0, high=1,
                                                plausible=(0.1, 0.5))
    initial_attitude_sd: float = param(0.12, unit="0..1", source=A, low=0, high=1,
                                       plausible=(0, 0.3))
    attitude_age_gradient: float = param(-0.04, unit="per decade of age", source=A,
                                         low=-1, high=1, plausible=(-0.15, 0.05))
    village_attitude_offsets: tuple = param((0.04, 0.02, -0.02, -0.04), unit="0..1",
                                            source=A, low=-1, high=1, plausible=(-0.2, 0.2),
                                            per_village=True)
    initial_service_quality: float = param(0.5, unit="0..1", source=A, low=0, high=1,
                                           plausible=(0, 1))
    fee_history_months: int = param(24, unit="billing periods",
                                    source="§1 (the community has run about two years)",
                                    low=0, high=MAX_MONTHS, plausible=(12, 36),
                                    doc="fee periods simulated before month 1 to set "
                                        "enforcement lock-ins and last payments")

    def check(self) -> None:
        """Cross-field checks: the villages (names, one value each, a household each), shares
        that add up, people (residents, members, cadres) and someone of working age."""
        self._check_villages()
        for name in ("village_household_shares", "age_shares", "schooling_under40",
                     "schooling_40_59", "schooling_60plus"):
            if abs(sum(getattr(self, name)) - 1.0) > 1e-6:
                raise ScenarioError(f"[community] {name}: shares must add up to 1")
        self._check_people()
        self._check_money()

    def _check_villages(self) -> None:
        names = self.village_names
        for name in names:
            problem = name_problem(name)
            if problem:
                raise ScenarioError(f"[community] village_names: {shown_name(name)} is not "
                                    f"allowed; {problem}")
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ScenarioError(f"[community] village_names: {shown_name(twice[0])} appears "
                                "more than once; give each village its own name")
        for name in PER_VILLAGE:
            if len(getattr(self, name)) != len(names):
                raise ScenarioError(f"[community] {name}: expected one value per village "
                                    f"({len(names)}, as in village_names), got "
                                    f"{len(getattr(self, name))}")

    def _check_people(self) -> None:
        if self.residents < self.households:
            raise ScenarioError("[community] residents: must be at least the number of "
                                f"households ({self.households})")
        if self.party_members > self.residents or self.cadres > self.residents:
            raise ScenarioError("[community] party_members/cadres: cannot exceed residents")
        few = [v for v, share in zip(self.village_names, self.village_household_shares,
                                     strict=True) if share * self.households < 1]
        if few:
            raise ScenarioError(f"[community] village_household_shares: village "
                                f"{shown_name(few[0])} would have no household; give each "
                                "village a share of at least 1 / households")
        if self.cadre_low_schooling_share + self.cadre_college_share > 1 + 1e-9:
            raise ScenarioError("[community] cadre_low_schooling_share + cadre_college_share: "
                                "the two groups cannot be more than all cadres (sum <= 1)")
        if self.residents * self.working_age_share() < 1:
            raise ScenarioError(
                "[community] age_shares, job_entry_age, retirement_age_men/women: no one would "
                "be of working age (from job_entry_age to the retirement age); give some "
                "residents an age in between")

    def _check_money(self) -> None:
        for name, book, assets in zip(self.village_names, self.collective_retained_per_capita,
                                      self.assets_per_capita, strict=True):
            if book > assets:
                raise ScenarioError(f"[community] collective_retained_per_capita: {book:g} for "
                                    f"{shown_name(name)} exceeds its assets_per_capita "
                                    f"({assets:g}), of which it is a part")

    def working_age_share(self) -> float:
        """The expected share of residents of working age (``job_entry_age`` up to each sex's
        retirement age) when ages are drawn uniformly within ``AGE_BANDS``."""
        share = 0.0
        for sex, retire in ((self.female_share, self.retirement_age_women),
                            (1.0 - self.female_share, self.retirement_age_men)):
            for (lo, hi), band in zip(AGE_BANDS, self.age_shares, strict=True):
                overlap = min(hi, retire) - max(lo, self.job_entry_age)
                share += sex * band * max(overlap, 0.0) / (hi - lo)
        return share


@dataclass(frozen=True)
class Levers(Section):
    """What a planner chooses. Defaults are Scheme 1 (BRIEF §4); Scheme 2 is BRIEF §5."""

    section_name = "levers"

    branch_basis: str = param("village", unit="choice", source="§4 village / §5 building",
                              choices=("village", "building"))
    new_branches: int = param(2, unit="branches", source="§4, §5 (1-2)", low=0, high=MAX_RESIDENTS,
                              plausible=(1, 2))
    building_areas: int = param(5, unit="areas", source="§5 (4-5)", low=1, high=MAX_HOUSEHOLDS,
                                plausible=(4, 5))
    cooperative_mode: str = param("village", unit="choice", source="§4 village / §5 corporate",
                                  choices=("village", "corporate"))
    property_fee_payer: str = param("collective", unit="choice",
                                    source="§4 collective (代缴) / §5 households",
                                    choices=("collective", "households"))
    property_company: str = param("community", unit="choice",
                                  source="§4 community / §5 spun_off (b) or outsourced (a)",
                                  choices=("community", "spun_off", "outsourced"))
    leadership: str = param("appointed", unit="choice", source="§4 appointed / §5 elected",
                            choices=("appointed", "elected"))
    general_branch_month: int = param(1, unit="month (1 = the first month)",
                                      source="§4; timing assumption", low=1, high=MAX_MONTHS,
                                      plausible=(1, 24))
    residents_committee_month: int = param(3, unit="month (1 = the first month)",
                                           source="§4; timing assumption", low=1, high=MAX_MONTHS,
                                           plausible=(1, 24))
    mass_organisations: bool = param(True, unit="switch", source="§4")
    mass_org_interval_months: int = param(3, unit="months", source="§4; pace assumption",
                                          low=1, high=MAX_MONTHS, plausible=(1, 60),
                                          doc="one mass organisation founded every n months")
    cadre_retire_age: float = param(60.0, unit="years", source="§4 'retire some'; age assumption",
                                    low=MIN_ADULT_AGE, high=MAX_AGE, plausible=(50, 75))
    cadre_training_per_year: int = param(2, unit="cadres/year",
                                         source="§4 'train some'; count assumption",
                                         low=0, high=MAX_RESIDENTS, plausible=(0, 50))
    cadre_recruit_schooled_share: float = param(0.8, unit="share",
                                                source="§4 (young, schooled); value assumption",
                                                low=0, high=1, plausible=(0, 1))
    training_capacity: int = param(20, unit="seats (trainees at a time)",
                                   source="§6 skills classes; count assumption",
                                   low=0, high=MAX_RESIDENTS, plausible=(0, 200))
    training_months: int = param(3, unit="months", source=A, low=1, high=MAX_MONTHS,
                                 plausible=(1, 12))
    school_sessions_per_month: int = param(2, unit="sessions/month",
                                           source="§6 community school; count assumption",
                                           low=0, plausible=(0, 30))
    culture_events_per_year: int = param(6, unit="events/year",
                                         source="§6 festivals, groups; count assumption",
                                         low=0, plausible=(0, 52))
    member_posts: bool = param(True, unit="switch",
                               source="§6 responsibility zones, 'one member one post'")
    party_recruits_per_year: int = param(3, unit="members/year",
                                         source="§6 'develop prudently'; count assumption",
                                         low=0, high=MAX_RESIDENTS, plausible=(0, 20))
    home_visits: bool = param(True, unit="switch", source="§6")
    petition_reception: bool = param(True, unit="switch",
                                     source="§6 (reception of letters and visits)")
    volunteer_service: bool = param(True, unit="switch", source="§6 (service station, "
                                    "volunteers)")
    premises_handed_over: bool = param(False, unit="switch",
                                       source="§2.1 (the owed premises were not handed over)")
    residents_groups: bool = param(True, unit="switch",
                                   source="§4 (residents' groups replace the villagers' "
                                          "committees when the residents' committee is founded)")
    local_hiring_share: float = param(
        0.8, unit="share", source="§5 (b) ('keeps jobs for former villagers'); value "
        "assumption", low=0, high=1, plausible=(0, 1),
        doc="share of openings at local employers (cooperatives, company, services) that go "
            "to residents")

    enforcement_probability: float = param(0.2, unit="probability/period",
                                           source=A + " (arrears chased)", low=0, high=1,
                                           plausible=(0, 1))
    penalty_rate: float = param(0.5, unit="share of evaded fee",
                                source=A + " (Yitzhaki 1974 penalty on evaded amount)",
                                low=0, plausible=(0, 5))
    enforcement_lock_periods: int = param(6, unit="billing periods",
                                          source=A + " (Zaklan, Westerhoff & Stauffer 2009)",
                                          low=0, high=MAX_MONTHS, plausible=(0, 120))
    sanitation_fee_month: float = param(8.0, unit="yuan/household/month",
                                        source="§4 funding; amount assumption", low=0,
                                        high=MAX_YUAN, plausible=(0, 500))
    maintenance_fee_month: float = param(5.0, unit="yuan/household/month",
                                         source="§4 funding; amount assumption", low=0,
                                         high=MAX_YUAN, plausible=(0, 500))
    billing_period_months: int = param(1, unit="months", source=A, low=1, high=MAX_MONTHS,
                                       plausible=(1, 12))
    briefings_per_year: int = param(12, unit="meetings/year", source="§1(3), §6 (monthly)",
                                    low=0, plausible=(0, 12))
    joint_meetings_per_year: int = param(2, unit="meetings/year", source="§6 (twice a year)",
                                         low=0, plausible=(0, 12))
    branch_meetings_per_year: int = param(12, unit="meetings/year",
                                          source=A + " ('three meetings, one lesson' norm)",
                                          low=0, plausible=(0, 12))
    election_interval_years: int = param(
        5, unit="years", source="Organic Law of Urban Residents' Committees (2018): 5-year term",
        low=1, high=MAX_YEARS, plausible=(1, 10))
    company_professionalisation_rate: float = param(
        0.10, unit="per year", source="§4 'gradually professionalised'; rate assumption",
        low=0, high=1, plausible=(0, 1))

    def check(self) -> None:
        """Levers are independent; nothing to cross-check."""


@dataclass(frozen=True)
class Uncertainties(Section):
    """Behavioural constants nobody controls. All are assumptions unless a paper is named."""

    section_name = "uncertainties"

    # attitude (villager -> citizen)
    confidence_bound: float = param(0.1, unit="0..1",
                                    source="Deffuant et al. 2000 (ε); value chosen so that "
                                           "younger residents urbanise faster (ODD §1)",
                                    low=0, high=1, plausible=(0, 1))
    convergence_rate: float = param(0.3, unit="0..0.5", source="Deffuant et al. 2000 (μ)",
                                    low=0, high=0.5, plausible=(0, 0.5))
    contacts_per_month: int = param(4, unit="rounds/month", source=A, low=0, plausible=(0, 60))
    plasticity_decay: float = param(0.04, unit="per year of age over 18",
                                    source="Krosnick & Alwin 1989 (impressionable years); "
                                           "value assumption", low=0, plausible=(0, 0.1))
    household_tie_weight: float = param(0.25, unit="weight", source=A, low=0, plausible=(0, 1))
    building_tie_weight: float = param(0.20, unit="weight", source=A, low=0, plausible=(0, 1))
    village_tie_weight: float = param(0.40, unit="weight", source=A, low=0, plausible=(0, 1))
    workplace_tie_weight: float = param(0.15, unit="weight", source=A, low=0, plausible=(0, 1))
    building_basis_tie_shift: float = param(
        0.5, unit="share", source=A, low=0, high=1, plausible=(0, 1),
        doc="share of village-tie weight moved to building ties when branches are by building")
    building_degree: int = param(6, unit="ties/person", source=A, low=0, plausible=(0, 50))
    village_degree: int = param(8, unit="ties/person", source=A, low=0, plausible=(0, 50))
    tie_age_homophily: int = param(3, unit="candidates per tie",
                                   source="McPherson, Smith-Lovin & Cook 2001 (homophily); "
                                          "value assumption", low=1, plausible=(1, 10),
                                   doc="each building/village tie goes to the closest in age of "
                                       "this many random neighbours (1 = none)")
    publicity_effect: float = param(0.001, unit="per month", source=A + " (§1(4) windows)",
                                    low=0, high=1, plausible=(0, 0.05))
    culture_effect: float = param(0.02, unit="per month with an event attended", source=A,
                                  low=0, high=1, plausible=(0, 0.2))
    culture_reach: float = param(0.15, unit="share per event", source=A, low=0, high=1,
                                 plausible=(0, 1))
    school_effect: float = param(0.03, unit="per month with a session attended", source=A,
                                 low=0, high=1, plausible=(0, 0.2))
    school_class_size: int = param(40, unit="persons/session", source=A, low=0, high=MAX_RESIDENTS,
                                   plausible=(1, 500))
    culture_base_reach: float = param(0.5, unit="share", source=A, low=0, high=1, plausible=(0, 1),
                                      doc="reach of culture events before any mass "
                                          "organisation exists, relative to when all four do")
    culture_reluctant_factor: float = param(0.5, unit="share", source=A, low=0, high=1,
                                            plausible=(0, 1),
                                            doc="attendance of residents who do not want mass "
                                                "organisations, relative to those who do")
    vanguard_effect: float = param(0.02, unit="per contact", source=A, low=0, high=1,
                                   plausible=(0, 0.2))
    contacts_per_active_member: int = param(8, unit="residents/month", source=A,
                                            low=0, plausible=(0, 100))
    owner_effect: float = param(0.003, unit="per month after paying one's own fee",
                                source="§2 problem 2 (collective payment keeps residents "
                                       "passive); Paler 2013 (engagement of those who pay "
                                       "for a public good); value assumption", low=0, high=1,
                                       plausible=(0, 0.01),
                                       doc="attitude gain from paying one's own "
                                               "property fee")
    enforcement_resentment: float = param(
        0.02, unit="share of attitude", source="Feld & Frey 2002 (deterrence crowds out tax "
        "morale); value assumption", low=0, high=1, plausible=(0, 0.1),
        doc="attitude lost by the adults of a household caught evading")
    grievance_resentment: float = param(
        0.01, unit="share of attitude per month", source=A, low=0, high=1, plausible=(0, 0.05),
        doc="attitude lost each month in proportion to 1 - exp(-grievance) of the household")
    job_effect: float = param(0.006, unit="per month employed", source=A, low=0, high=1,
                              plausible=(0, 0.05))
    # fees (Allingham & Sandmo 1972; Yitzhaki 1974; Zaklan, Westerhoff & Stauffer 2009)
    fee_temperature: float = param(0.3, unit="logit scale", source=A, low=0, plausible=(0, 5))
    fee_base: float = param(0.8, unit="fee units", source=A, plausible=(-3, 3),
                            doc="intrinsic motivation to pay of a household at attitude 0.5")
    fee_attitude_weight: float = param(1.0, unit="fee units", source=A, low=0, plausible=(0, 5))
    fee_quality_weight: float = param(0.4, unit="fee units", source=A, low=0, plausible=(0, 5))
    fee_burden_weight: float = param(0.2, unit="fee units per 1% of income", source=A,
                                     low=0, plausible=(0, 5))
    fee_neighbour_weight: float = param(0.6, unit="fee units", source="Zaklan et al. 2009 (J); "
                                        "value assumption", low=0, plausible=(0, 5))
    fee_grievance_weight: float = param(0.5, unit="fee units", source=A, low=0, plausible=(0, 2),
                                        doc="motive lost at full grievance (1 - exp(-G))")
    arrears_recovery: float = param(0.5, unit="share", source=A, low=0, high=1, plausible=(0, 1),
                                    doc="of a caught household's older arrears, what it pays; "
                                        "the rest is written off")
    # employment
    wage_month: float = param(2000.0, unit="yuan/month", source=A, low=1, high=MAX_YUAN,
                              plausible=(500, 20000))
    job_separation_rate: float = param(0.015, unit="per month", source=A, low=0, high=1,
                                       plausible=(0, 0.2))
    outside_job_rate: float = param(0.012, unit="per month", source=A, low=0, plausible=(0, 0.5))
    enterprise_openings_per_month: float = param(3.0, unit="openings per 1,000 residents",
                                                 source=A, low=0, plausible=(0, 100))
    service_jobs: float = param(10.0, unit="jobs per 1,000 residents",
                                source="§1(5) market, supermarket, clinic; count assumption",
                                low=0, high=1000, plausible=(0, 200))
    company_staff: float = param(12.0, unit="jobs per 1,000 residents",
                                 source="§1(1) security, cleaning, greening; count assumption",
                                 low=0, high=1000, plausible=(0, 200))
    local_enterprise_job_share: float = param(0.4, unit="share", source=A, low=0, high=1,
                                              plausible=(0, 1),
                                              doc="initial jobs in local enterprises rather "
                                                  "than outside the community")
    outsourced_local_share: float = param(0.3, unit="share", source="§5 ((b) keeps jobs); "
                                          "value assumption", low=0, high=1, plausible=(0, 1))
    hire_logodds_prime: float = param(-0.4, unit="log-odds", source=A, low=-MAX_LOGODDS,
                                      high=MAX_LOGODDS, plausible=(-5, 2))
    hire_logodds_4050: float = param(-1.2, unit="log-odds",
                                     source=A + " ('4050' hard-to-employ group)", low=-MAX_LOGODDS,
                                     high=MAX_LOGODDS, plausible=(-5, 2))
    hire_logodds_female: float = param(-0.2, unit="log-odds", source=A, low=-MAX_LOGODDS,
                                       high=MAX_LOGODDS, plausible=(-3, 3))
    hire_logodds_school: float = param(0.4, unit="log-odds per level", source=A, low=-MAX_LOGODDS,
                                       high=MAX_LOGODDS, plausible=(0, 2))
    hire_logodds_trained: float = param(1.0, unit="log-odds", source=A, low=-MAX_LOGODDS,
                                        high=MAX_LOGODDS, plausible=(0, 4))
    cooperative_jobs: float = param(8.0, unit="jobs per 1,000 residents",
                                    source=A + " (corporatised cooperatives run their "
                                               "property as a business, §5)", low=0, high=1000,
                                               plausible=(0, 50),
                                    doc="jobs of a cooperative run by a professional manager")
    referral_logodds: float = param(0.5, unit="log-odds",
                                    source="Granovetter 1973; Calvó-Armengol & Jackson 2004 "
                                           "(jobs through ties); value assumption",
                                    low=-MAX_LOGODDS, high=MAX_LOGODDS, plausible=(0, 2),
                                    doc="for a seeker with a tie employed at a local employer")
    training_placement_share: float = param(0.3, unit="share",
                                            source="§6 ('front post for jobs'); value assumption",
                                            low=0, high=1, plausible=(0, 1))
    min_search_probability: float = param(0.05, unit="probability/month", source=A, low=0, high=1,
                                          plausible=(0, 1),
                                          doc="even the best-off look now and then")
    reservation_weight: float = param(1.0, unit="per wage", source=A, low=0, plausible=(0, 5),
                                      doc="search falls with non-labour income per adult / wage")
    # cooperatives, property company, community
    asset_return_rate: float = param(0.06, unit="per year", source=A + " (factory rents, §1(2))",
                                     low=0, high=1, plausible=(0, 0.2))
    corporate_return_uplift: float = param(0.01, unit="per year", source=A, low=-1, high=1,
                                           plausible=(-0.05, 0.05))
    transition_months: float = param(24.0, unit="months", source=A, low=1, plausible=(1, 120),
                                     doc="mean time a corporatised cooperative takes to replace "
                                         "its secretary-chair by a professional manager")
    company_professionalism: tuple = param((0.4, 0.6, 0.8), unit="0..1", source=A, low=0, high=1,
                                           plausible=(0, 1),
                                           doc="starting level: community, spun_off, outsourced")
    quality_adjust_months: float = param(6.0, unit="months", source=A, low=1, plausible=(1, 60))
    # cadres and party members
    cadre_competence: tuple = param((0.25, 0.4, 0.6, 0.8), unit="0..1", source=A, low=0, high=1,
                                    plausible=(0, 1), doc="by schooling level")
    cadre_training_gain: float = param(0.1, unit="0..1 per training", source=A, low=0, high=1,
                                       plausible=(0, 0.5))
    dispatched_cadre_competence: float = param(0.8, unit="0..1", source=A, low=0, high=1,
                                               plausible=(0, 1))
    reference_competence: float = param(
        0.6, unit="0..1", source=A + " (a senior-high cadre)", low=0.01, high=1, plausible=(0.1, 1),
        doc="cadre competence at which enforcement, placement, visits and petitions work "
            "as their levers say")
    competence_weight: float = param(
        0.5, unit="share", source=A, low=0, high=1, plausible=(0, 1),
        doc="how much of those effects scales with competence / reference_competence")
    cadre_business_share: float = param(
        0.5, unit="share", source="§4 (business skills to cooperatives, service skills to "
        "the residents' committee); value assumption", low=0, high=1, plausible=(0, 1))
    member_activity: float = param(0.4, unit="probability/month", source=A, low=0, high=1,
                                   plausible=(0, 1))
    member_posts_activity: float = param(0.3, unit="probability/month", source=A, low=0, high=1,
                                         plausible=(0, 1))
    mobile_member_activity: float = param(0.5, unit="share", source=A + " (§3 mobile members)",
                                          low=0, high=1, plausible=(0, 1),
                                          doc="activity of members working outside, relative "
                                              "to the others")
    member_active_age_limit: float = param(75.0, unit="years", source=A, low=MIN_ADULT_AGE,
                                           high=MAX_AGE, plausible=(60, 90))
    # participation and self-government
    volunteer_rate: float = param(0.03, unit="probability/month at attitude 1", source=A,
                                  low=0, high=1, plausible=(0, 0.3))
    volunteer_post_factor: float = param(3.0, unit="times", source="§6 ('one member one "
                                         "post'); value assumption", low=0, plausible=(1, 10),
                                         doc="volunteering of party members with a post")
    volunteer_target_share: float = param(0.05, unit="share of adults", source=A, low=0.001, high=1,
                                          plausible=(0.01, 0.3),
                                          doc="volunteers at which participation "
                                                        "counts full")
    turnout_base: float = param(0.5, unit="probability", source=A, low=0, high=1, plausible=(0, 1),
                                doc="a household's turnout at attitude 0.5, no grievance")
    turnout_attitude: float = param(0.6, unit="per unit attitude", source=A, low=0,
                                    plausible=(0, 2))
    turnout_grievance: float = param(0.3, unit="probability at full grievance", source=A,
                                     low=0, high=1, plausible=(0, 1))
    candidacy_rate: float = param(0.05, unit="probability", source=A, low=0, high=1,
                                  plausible=(0, 1),
                                  doc="a volunteer standing against the committee's slate at an "
                                      "election (it is contested when one does)")
    mass_org_join_rate: float = param(0.05, unit="probability/month at attitude 1",
                                      source=A + " (§2.4: 55% want them)", low=0, high=1,
                                      plausible=(0, 1))
    # grievances, petitions (信访) and home visits
    cases_per_cadre_month: float = param(4.0, unit="petitions", source=A, low=0, plausible=(0, 50),
                                         doc="resolved per residents'-committee cadre")
    village_cases_per_branch_month: float = param(6.0, unit="petitions", source=A, low=0,
                                                  plausible=(0, 50))
    reception_cases_month: float = param(10.0, unit="petitions", source=A + " (§6 reception)",
                                         low=0, plausible=(0, 500))
    group_routing: float = param(0.5, unit="share", source=A + " (§4 residents' groups)",
                                 low=0, high=1, plausible=(0, 1),
                                 doc="of villager-minded households who take a matter to the "
                                     "residents' committee through their residents' group")
    resolution_relief: float = param(0.6, unit="share of grievance", source=A, low=0, high=1,
                                     plausible=(0, 1))
    visits_per_cadre_month: float = param(6.0, unit="households", source=A + " (§6)", low=0,
                                          plausible=(0, 100))
    visits_per_volunteer_month: float = param(1.0, unit="households", source=A, low=0,
                                              plausible=(0, 20))
    stall_complaint_share: float = param(0.2, unit="share of households", source=A,
                                         low=0, high=1, plausible=(0, 1),
                                         doc="a phased reform does not advance in a month with "
                                             "more complaints than this")
    # money: collectives, community, company
    collective_retention: float = param(
        0.5, unit="share", source=A, low=0, high=1, plausible=(0, 1),
        doc="of the collective part left after paying fees on behalf, kept in the fund (the "
            "rest is paid to members)")
    activity_cost: float = param(5000.0, unit="yuan per event or session", source=A, low=0,
                                 high=MAX_YUAN, plausible=(0, 1e6),
                                 doc="paid by the community; cancelled when it "
                                               "cannot pay")
    retender_quality: float = param(0.5, unit="0..1", source=A + " (§5 owners' committee "
                                    "hires the company)", low=0, high=1, plausible=(0, 1),
                                    doc="service quality below which the owners' committee "
                                        "re-tenders at its yearly review")
    # maturity
    maturity_weights: tuple = param((0.2, 0.2, 0.2, 0.2, 0.2), unit="weight", source=A,
                                    low=0, plausible=(0, 1),
                                    doc="participation, self-government, cadres, separation, "
                                        "democracy")
    maturity_window_months: int = param(
        12, unit="months", source=A + " (the evidence of the last year)", low=1,
        plausible=(6, 24), measures=True,
        doc="the monthly records maturity's windowed parts are summed over (how maturity is "
            "measured: worlds do not sample it)")
    election_turnover: float = param(0.2, unit="share of local cadres", source=A, low=0, high=1,
                                     plausible=(0, 1),
                                     doc="weakest cadres replaced at an election under "
                                                 "elected leadership")
    meeting_hold_base: float = param(0.5, unit="probability", source=A, low=0, high=1,
                                     plausible=(0, 1))
    meeting_hold_slope: float = param(0.5, unit="probability", source=A, low=0, high=1,
                                      plausible=(0, 1))
    # stability
    readiness_attitude: float = param(
        0.5, unit="0..1", source=A + " (the midpoint of the attitude scale)", low=0, high=1,
        plausible=(0, 1),
        doc="the attitude at which residents are ready for a reform: below it a reform "
            "aggrieves their household, and corporatised cooperatives' members are slower "
            "to replace the secretary by a manager")
    grievance_memory_months: float = param(6.0, unit="months", source=A, low=1, plausible=(1, 60))
    home_visit_relief: float = param(0.3, unit="share of grievance per visit",
                                     source=A + " (§6 home visits)", low=0, high=1,
                                     plausible=(0, 1))
    reform_shocks: tuple = param((1.0, 0.5, 0.4, 0.3, 0.8, 0.2), unit="grievance", source=A,
                                 low=0, plausible=(0, 5),
                                 doc="fee, branches, cooperative, company spun off, company "
                                     "outsourced, leadership")
    enforcement_grievance: float = param(0.3, unit="grievance", source=A, low=0, plausible=(0, 5))
    job_loss_grievance: float = param(0.3, unit="grievance", source=A, low=0, plausible=(0, 5))
    # demography (Gompertz 1825 law of mortality; births replace deaths)
    # plausible: the hazard at 70 within a factor of about 4 of the default's 2.3% a year
    mortality_a: float = param(3e-5, unit="per year", source="Gompertz 1825; value assumption",
                               low=0, high=0.01, plausible=(1.5e-5, 6e-5))
    # plausible: mortality doubling every 6.6-8.2 years of age (about 8: Kirkwood 2015)
    mortality_b: float = param(0.095, unit="per year of age", source="Gompertz 1825; value "
                               "assumption; Kirkwood 2015", low=0, high=0.3,
                               plausible=(0.085, 0.105))

    def check(self) -> None:
        if sum(self.maturity_weights) <= 0:
            raise ScenarioError("[uncertainties] maturity_weights: at least one must be > 0")
        ties = (self.household_tie_weight, self.building_tie_weight, self.village_tie_weight,
                self.workplace_tie_weight)
        if sum(ties) <= 0:
            raise ScenarioError("[uncertainties] *_tie_weight: at least one must be > 0")
