"""A household: the unit that is billed fees and receives dividends and rent."""

from __future__ import annotations

import mesa

from resettle.sim.agents.views import ArrayField


class Household(mesa.Agent):
    """One household. ``index`` is its slot in the model's household arrays (``model.homes``)."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    building = ArrayField("homes", "building", int, "Apartment building number.")
    size = ArrayField("homes", "size", int, "Number of members.")
    arrears = ArrayField("homes", "arrears", float, "Unpaid fees not (yet) recovered, yuan.")
    paid_last = ArrayField("homes", "paid_last", bool,
                           "Whether the household paid its last bill itself.")
    grievance = ArrayField("homes", "grievance", float,
                           "Accumulated grievance (0 = none); drives complaints.")

    @property
    def village(self) -> str:
        """Name of the home village."""
        return self.model.village_names[self.model.homes.village[self.index]]

    @property
    def members(self) -> list:
        """The Resident agents of this household."""
        slots = self.model.household_members(self.index)
        return [self.model.resident_agents[i] for i in slots]
