"""A village shareholding cooperative: factory buildings rented out, dividends to members.

Income is a yearly return on the collective assets, earned once: a ``collective_share`` (30%)
of it is the collective's part, the rest the members' (70%, their shares), paid as year-end
dividends (BRIEF §1 feature 1). Under Scheme 1 part of the collective's part pays members'
property fees on their behalf (代缴, §4(一)); of what is left, some is kept and the rest paid
to members. Under Scheme 1 the village branch secretary chairs the cooperative (§1(1)); once it
is corporatised (Scheme 2) the board replaces the secretary by a professional manager, which
raises the return and gives the cooperative jobs to fill.
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
        self.chaired_by_secretary = True  # §1(1): each village secretary chairs his cooperative
        self.dividend_pool = 0.0  # members' part accrued this year, paid in December
        self.collective_part = 0.0  # the collective's part accrued this year
        self.on_behalf_budget = 0.0  # set aside last December to pay this year's fees
        self.paid_on_behalf = 0.0  # of it, paid so far this year
        self.last_dividend_per_member = 0.0

    @property
    def fund_account(self) -> str:
        """Ledger account of the collective fund."""
        return f"cooperative:{self.name}"

    def monthly_income(self, base_return: float, uplift: float, cadre_factor: float) -> float:
        """Rent earned this month, yuan: the base return scaled by ``cadre_factor`` (how able
        the business cadres running it are) while the secretary chairs it; a professional
        manager adds ``uplift`` instead."""
        rate = base_return * cadre_factor if self.chaired_by_secretary else base_return + uplift
        return max(rate, 0.0) * self.assets / 12.0

    def can_pay_on_behalf(self) -> float:
        """What is left this year of the budget set aside for fees paid on behalf."""
        return max(self.on_behalf_budget - self.paid_on_behalf, 0.0)
