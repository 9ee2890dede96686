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
        """Village branches run their village's cooperative unless it is corporatised (§4)."""
        return self.basis == "village" and self.model.levers.cooperative_mode == "village"


class GeneralBranch(mesa.Agent):
    """The community general branch: appointed (secretary dispatched from the town) or elected."""

    def __init__(self, model: mesa.Model, founded_month: int, elected: bool) -> None:
        super().__init__(model)
        self.founded_month = founded_month
        self.elected = elected
