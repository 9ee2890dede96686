"""A village shareholding cooperative: factory buildings rented out, dividends to members.

Income is a yearly return on the collective assets; a ``collective_share`` of it stays in the
collective fund (which pays residents' property fees under Scheme 1), the rest is paid to the
village's members as year-end dividends (BRIEF §1 feature 1, §4). Corporatisation (Scheme 2)
raises the return gradually.
"""

from __future__ import annotations

import mesa


class Cooperative(mesa.Agent):
    """One village's cooperative."""

    def __init__(self, model: mesa.Model, village: int, name: str, assets: float,
                 members: int) -> None:
        super().__init__(model)
        self.village = village
        self.name = name
        self.assets = assets
        self.members = members
        self.corporate_progress = 0.0  # 0 village-run .. 1 fully corporatised
        self.dividend_pool = 0.0  # accrued this year, paid in December
        self.last_dividend_per_member = 0.0

    @property
    def fund_account(self) -> str:
        """Ledger account of the collective fund."""
        return f"cooperative:{self.name}"

    def monthly_income(self, base_return: float, uplift: float) -> float:
        """Rent earned this month, yuan."""
        rate = base_return + uplift * self.corporate_progress
        return max(rate, 0.0) * self.assets / 12.0

    def approach_mode(self, corporate: bool, months: float) -> None:
        """Move a month toward the cooperative mode in force (time constant ``months``)."""
        target = 1.0 if corporate else 0.0
        self.corporate_progress += (target - self.corporate_progress) / months
