"""Money: a double-entry ledger of every transfer between accounts, month by month.

Accounts are the community (management/residents' committee), each cooperative's collective
and dividend funds, the property company, the households together, and ``outside`` (the rest
of the world). Every transfer debits one account and credits another, so the balances always
sum to zero and each month's change in a balance equals its recorded inflows minus outflows.
"""

from __future__ import annotations

from collections import defaultdict

OUTSIDE = "outside"  # the rest of the world
HOUSEHOLDS = "households"  # all households together
COMMUNITY = "community"  # the management committee, later the residents' committee
COMPANY = "property_company"  # the property company


class Ledger:
    """Balances by account and this month's flows by (source, destination, kind)."""

    def __init__(self) -> None:
        self.balance: dict[str, float] = defaultdict(float)
        self.flows: dict[tuple[str, str, str], float] = defaultdict(float)

    def transfer(self, src: str, dst: str, amount: float, kind: str) -> None:
        """Move ``amount`` (>= 0) from ``src`` to ``dst``."""
        if amount < 0:
            raise ValueError(f"negative transfer {amount} for {kind}")
        if amount == 0:
            return
        self.balance[src] -= amount
        self.balance[dst] += amount
        self.flows[(src, dst, kind)] += amount

    def close_month(self) -> dict[tuple[str, str, str], float]:
        """Return this month's flows and start a new month."""
        flows, self.flows = dict(self.flows), defaultdict(float)
        return flows

    def net_flow(self, account: str, flows: dict[tuple[str, str, str], float]) -> float:
        """Inflows minus outflows of ``account`` in ``flows``."""
        return sum(a for (s, d, _), a in flows.items() if d == account) - \
            sum(a for (s, d, _), a in flows.items() if s == account)
