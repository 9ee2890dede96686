"""A resident: a person of one household, village and building.

Its state lives in the model's arrays (``model.people``) at ``self.index`` so the monthly
processes run vectorised; the properties below read and write those arrays, so a
DataCollector, a dashboard or a notebook sees an ordinary Mesa agent.
"""

from __future__ import annotations

import mesa

from resettle.population import SECTORS


class Resident(mesa.Agent):
    """One person. ``index`` is the person's slot in the model's resident arrays."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def age(self) -> float:
        """Age in years."""
        return float(self.model.people.age[self.index])

    @property
    def female(self) -> bool:
        """True for women."""
        return bool(self.model.people.female[self.index])

    @property
    def schooling(self) -> int:
        """0 primary or less, 1 junior high, 2 senior high, 3 college."""
        return int(self.model.people.school[self.index])

    @property
    def village(self) -> str:
        """Name of the home village."""
        return self.model.village_names[self.model.people.village[self.index]]

    @property
    def building(self) -> int:
        """Apartment building number."""
        return int(self.model.people.building[self.index])

    @property
    def household(self):
        """The Household agent this person belongs to."""
        return self.model.household_agents[self.model.people.household[self.index]]

    @property
    def party_member(self) -> bool:
        """True for party members."""
        return bool(self.model.people.party[self.index])

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

    @property
    def employed(self) -> bool:
        """True if the person holds a job."""
        return bool(self.model.people.employed[self.index])

    @property
    def sector(self) -> str:
        """Where the job is: none, enterprise, company, services or outside."""
        return SECTORS[self.model.people.sector[self.index]]

    @property
    def trained(self) -> bool:
        """True after a skills-training course."""
        return bool(self.model.people.trained[self.index])
