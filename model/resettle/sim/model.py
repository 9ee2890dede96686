"""CommunityModel: a wholesale-resettlement community, one month per step.

``CommunityModel(load_scenario("scenarios/scheme1.toml"), rng=42).run()`` simulates the
scenario's horizon; ``metrics()`` returns the monthly table. The order of processes in a
month is documented in docs/ODD.md (§3) and in :meth:`CommunityModel.step`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from mesa import Model
from mesa.agent import AgentSet
from mesa.datacollection import DataCollector

from resettle._version import __version__
from resettle.outcomes import HEADLINE
from resettle.params.scenario import Scenario
from resettle.sim.agents import (
    Cadre,
    Cooperative,
    Household,
    MassOrganisation,
    PartyBranch,
    PropertyCompany,
    Resident,
)
from resettle.sim.ledger import Ledger
from resettle.sim.monthly_table import monthly_row
from resettle.sim.network import build_layers, to_networkx
from resettle.sim.population import build_population
from resettle.sim.schedule import MonthlyProcesses
from resettle.sim.seeds import Streams, as_seed
from resettle.sim.submodels import cadres, finances


def agent_set(cls: type, doc: str) -> property:
    """A read-only model attribute: the AgentSet of the agents of kind ``cls`` (an empty one
    while there are none)."""
    return property(lambda model: model._of_type(cls), doc=doc)


class CommunityModel(Model):
    """The community under a scenario. Parameters are stored as given (``scenario``,
    ``overrides``); ``params`` is the scenario with the overrides applied.

    Args:
        scenario: a :class:`Scenario` (``load_scenario(path)``); None for the built-in defaults.
        rng: the seed (a Python int; numpy ints are converted). None draws one from the OS and
            records it in ``seed``.
        replication: replication number, recorded on every row of the table.
        **overrides: parameter values by name, e.g. ``property_fee_payer="households"``.
    """

    def __init__(self, scenario: Scenario | None = None, *, rng: int | None = None,
                 replication: int = 0, **overrides) -> None:
        seed = as_seed(rng)
        super().__init__(rng=seed)
        self.scenario_given, self.overrides, self.seed = scenario, overrides, seed
        self.streams = Streams(seed)  # one random stream per process (resettle.sim.seeds)
        self.replication = replication
        self._no_agents = AgentSet([], random=self.random)  # for kinds not (yet) present
        self.params = (scenario or Scenario()).replace(**overrides) if overrides \
            else (scenario or Scenario())
        self.levers = self.params.levers
        self.village_names = tuple(self.params.community.village_names)
        self.ledger = Ledger()
        self.general_branch = None
        self.committee = None
        self.owners_committee = None
        self._build_community()
        self.processes = MonthlyProcesses(self)
        self.rows: list[dict] = []
        self.datacollector = DataCollector(
            model_reporters={k: partial(latest_value, key=k) for k in HEADLINE})
        self._record()

    # ---- set-up -------------------------------------------------------------------------
    def _build_community(self) -> None:
        c, u = self.params.community, self.params.uncertainties
        self.company_jobs = round(u.company_staff * c.residents / 1000)
        self.service_jobs = round(u.service_jobs * c.residents / 1000)
        self.people, self.homes = build_population(c, self.streams["population"],
                                                   u.local_enterprise_job_share,
                                                   self.company_jobs, self.service_jobs)
        self.n_buildings = int(self.homes.building.max()) + 1
        self.layers = build_layers(self.people.household, self.people.building,
                                   self.people.village, u.building_degree, u.village_degree,
                                   self.streams["network"], self.people.age,
                                   u.tie_age_homophily)
        self._member_start = np.concatenate([[0], np.cumsum(self.homes.size)])
        self.household_agents = [Household(self, i) for i in range(self.homes.n)]
        self.resident_agents = [Resident(self, i) for i in range(self.people.n)]
        self._build_organisations()

    def _build_organisations(self) -> None:
        c, u = self.params.community, self.params.uncertainties
        members = np.bincount(self.people.village, minlength=len(self.village_names))
        for v, name in enumerate(self.village_names):
            Cooperative(self, v, name, c.assets_per_capita[v] * members[v], int(members[v]))
        PropertyCompany(self, "community", u.company_professionalism[0], c.initial_service_quality)
        cadres.create_initial_cadres(self, c, u, self.streams["cadres.start"])
        # the status quo of Dongyu today (§1(1)): four village branches
        for v, name in enumerate(self.village_names):
            PartyBranch(self, "village", v, f"{name} village branch", 0)
        finances.open_accounts(self)

    # ---- one month ----------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month: see MonthlyProcesses.run for the order of processes."""
        self.processes.run(self.steps)
        self._record()
        if self.steps >= self.params.months:
            self.running = False

    def run(self, months: int | None = None) -> pd.DataFrame:
        """Run to the horizon (or ``months`` more months) and return the monthly table."""
        end = self.params.months if months is None else self.steps + months
        while self.steps < end:
            self.step()
        return self.metrics()

    def _record(self) -> None:
        self.month_flows = self.ledger.close_month()
        self.rows.append(monthly_row(self))
        self.datacollector.collect(self)

    # ---- views --------------------------------------------------------------------------
    def metrics(self) -> pd.DataFrame:
        """The monthly table: one row per month, scenario/replication/seed on every row."""
        frame = pd.DataFrame(self.rows)
        frame.insert(0, "scenario", self.params.name)
        frame.insert(1, "replication", self.replication)
        frame.insert(2, "seed", self.seed)
        frame["version"] = __version__
        return frame

    def household_members(self, index: int) -> np.ndarray:
        """Resident slots of household ``index``."""
        return np.arange(self._member_start[index], self._member_start[index + 1])

    def contact_graph(self):
        """The static contact network as a networkx Graph (edges carry their layers)."""
        return to_networkx(self.layers, self.people.n)

    residents = agent_set(Resident, "AgentSet of Resident agents.")
    households = agent_set(Household, "AgentSet of Household agents.")
    cadres = agent_set(Cadre, "AgentSet of serving cadres.")
    branches = agent_set(PartyBranch, "AgentSet of party branches (not the general branch).")
    cooperatives = agent_set(Cooperative, "AgentSet of the village cooperatives.")
    mass_organisations = agent_set(MassOrganisation, "AgentSet of founded mass organisations.")

    @property
    def company(self) -> PropertyCompany:
        """The property company."""
        return next(iter(self.agents_by_type[PropertyCompany]))

    def _of_type(self, cls):
        return self._agents_by_type.get(cls) or self._no_agents


def latest_value(model: CommunityModel, key: str) -> float:
    """DataCollector reporter (picklable through functools.partial): a metric of this month."""
    return model.rows[-1][key]
