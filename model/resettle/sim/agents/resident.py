"""A resident: a person of one household, village and building.

Its state lives in the model's arrays (``model.people``) at ``self.index`` so the monthly
processes run vectorised; the fields below read (``attitude`` also writes) those arrays, so a
DataCollector, a dashboard or a notebook sees an ordinary Mesa agent.
"""

from __future__ import annotations

import mesa

from resettle.sim.agents.views import ArrayField
from resettle.sim.population import SECTORS


class Resident(mesa.Agent):
    """One person. ``index`` is the person's slot in the model's resident arrays."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    age = ArrayField("people", "age", float, "Age in years.")
    female = ArrayField("people", "female", bool, "True for women.")
    schooling = ArrayField("people", "school", int,
                           "0 primary or less, 1 junior high, 2 senior high, 3 college.")
    building = ArrayField("people", "building", int, "Apartment building number.")
    party_member = ArrayField("people", "party", bool, "True for party members.")
    employed = ArrayField("people", "employed", bool, "True if the person holds a job.")
    trained = ArrayField("people", "trained", bool, "True after a skills-training course.")

    @property
    def village(self) -> str:
        """Name of the home village."""
        return self.model.village_names[self.model.people.village[self.index]]

    @property
    def household(self):
        """The Household agent this person belongs to."""
        return self.model.household_agents[self.model.people.household[self.index]]

    @property
    def sector(self) -> str:
        """Where the job is: none, enterprise, company, services, outside or cooperative."""
        return SECTORS[self.model.people.sector[self.index]]

    @property
    def attitude(self) -> float:
        """Villager (0) to citizen (1)."""
        return float(self.model.people.attitude[self.index])

    @attitude.setter
    def attitude(self, value: float) -> None:
        value = float(value)
        if value != value:  # NaN
            raise ValueError("attitude must be a number in [0, 1], got NaN")
        self.model.people.attitude[self.index] = min(max(value, 0.0), 1.0)
