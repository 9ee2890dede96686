"""Party organisation: branches (by village, by building area, or for other members) and the
community general branch (党总支) that leads them (BRIEF §4, §5)."""

from __future__ import annotations

import mesa


class PartyBranch(mesa.Agent):
    """A party branch. ``basis`` is village, building (an area of buildings) or other."""

    def __init__(self, model: mesa.Model, basis: str, zone: int, name: str,
                 founded_month: int) -> None:
        super().__init__(model)
        self.basis = basis
        self.zone = zone
        self.name = name
        self.founded_month = founded_month

    @property
    def manages_cooperative(self) -> bool:
        """A village branch runs its village's cooperative while its secretary chairs it (§1(1),
        §4), i.e. until a corporatised cooperative hires a professional manager."""
        return self.basis == "village" and any(
            c.chaired_by_secretary for c in self.model.cooperatives if c.village == self.zone)


class GeneralBranch(mesa.Agent):
    """The community general branch (党总支): appointed (a secretary dispatched from the town)
    or elected, as the ``leadership`` lever in force says."""

    def __init__(self, model: mesa.Model, founded_month: int) -> None:
        super().__init__(model)
        self.founded_month = founded_month
