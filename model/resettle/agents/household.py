"""A household: the unit that is billed fees and receives dividends and rent."""

from __future__ import annotations

import mesa


class Household(mesa.Agent):
    """One household. ``index`` is its slot in the model's household arrays."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def village(self) -> str:
        """Name of the home village."""
        return self.model.village_names[self.model.homes.village[self.index]]

    @property
    def building(self) -> int:
        """Apartment building number."""
        return int(self.model.homes.building[self.index])

    @property
    def size(self) -> int:
        """Number of members."""
        return int(self.model.homes.size[self.index])

    @property
    def members(self) -> list:
        """The Resident agents of this household."""
        slots = self.model.household_members(self.index)
        return [self.model.resident_agents[i] for i in slots]

    @property
    def arrears(self) -> float:
        """Unpaid fees not (yet) recovered, yuan."""
        return float(self.model.homes.arrears[self.index])

    @property
    def paid_last(self) -> bool:
        """Whether the household paid its last bill itself."""
        return bool(self.model.homes.paid_last[self.index])

    @property
    def grievance(self) -> float:
        """Accumulated grievance (0 = none); drives complaints."""
        return float(self.model.homes.grievance[self.index])
