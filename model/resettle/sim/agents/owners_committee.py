"""The owners' committee (业主委员会): under Scheme 2 the owners hire the property company and
review it every year; one with poor service is replaced by tender (BRIEF §5)."""

from __future__ import annotations

import mesa


class OwnersCommittee(mesa.Agent):
    """Formed once households pay the property fee to a company the community does not run."""

    def __init__(self, model: mesa.Model, founded_month: int) -> None:
        super().__init__(model)
        self.founded_month = founded_month
        self.tenders = 0  # companies replaced by tender
