"""The property company: paid by fees, its service quality follows funding and professionalism.

Status is ``community`` (run by the community with former village heads, §1(1)), ``spun_off``
(a registered joint-stock company, §5 (b)) or ``outsourced`` (an outside firm, §5 (a)).
"""

from __future__ import annotations

import mesa

from resettle.sim.ledger import COMPANY


class PropertyCompany(mesa.Agent):
    """The estate's property-management company."""

    def __init__(self, model: mesa.Model, status: str, professionalism: float,
                 quality: float) -> None:
        super().__init__(model)
        self.status = status
        self.professionalism = professionalism
        self.quality = quality
        self.revenue_12m: list[float] = []

    account = COMPANY  # its ledger account

    def record_revenue(self, amount: float) -> None:
        """Keep the last 12 entries of fee revenue per month (one per billing period)."""
        self.revenue_12m = [*self.revenue_12m[-11:], amount]

    def record_on_behalf(self, amount: float) -> None:
        """Add what the collectives paid on households' behalf (per month) to this billing
        period's revenue, which ``record_revenue`` opened."""
        self.revenue_12m[-1] += amount

    def funding_ratio(self, required_per_month: float) -> float:
        """Recent revenue over what the service costs (1 = fully funded)."""
        if required_per_month <= 0 or not self.revenue_12m:
            return 1.0
        return sum(self.revenue_12m) / len(self.revenue_12m) / required_per_month

    def update_quality(self, required_per_month: float, adjust_months: float,
                       factor: float = 1.0) -> None:
        """Quality moves toward professionalism x funding x ``factor`` (capped at 1)."""
        target = min(1.0, self.professionalism * min(1.0, self.funding_ratio(required_per_month))
                     * factor)
        self.quality += (target - self.quality) / adjust_months

    def professionalise(self, rate_per_year: float, floor: float) -> None:
        """Training and new managers raise professionalism toward 1; never below ``floor``."""
        self.professionalism = max(floor, self.professionalism
                                   + rate_per_year / 12.0 * (1.0 - self.professionalism))
