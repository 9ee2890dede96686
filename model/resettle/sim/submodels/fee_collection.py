"""Collecting one billing period's fees: decisions (``fees``), enforcement, and the money.

Households pay the sanitation and maintenance fees to the community (the residents'
committee, §4 funding) and the part of the property fee billed to them to the property
company. Under Scheme 1 each village's cooperative pays its households' property fee on their
behalf (代缴) out of the collective's part of its income (§4(一): "年终分红集体部分中的一部分代缴"):
each December it sets aside from the year's collective part a budget for next year's fees, so a
cooperative that earned less than the fee cannot pay all of it, and the company is short.
Detected evaders pay the bill and the penalty, and ``arrears_recovery`` of their older arrears
(the rest is written off). Enforcement is the residents' committee's work: its probability is
the lever's, scaled by the competence of the community's cadres
(``cadres.competence_factor``).

Metrics:

* ``fee_compliance``: the share of what households are billed that they pay themselves on time
  (the bills differ between schemes: 13 yuan a month under Scheme 1, 33 under Scheme 2);
* ``own_fee_share``: the share of the full bill (property fee included, the same in every
  scheme) that households pay themselves on time;
* ``fee_collection``: the share of all fees due paid by anyone (on time, recovered by
  enforcement, or on households' behalf);
* ``fee_willingness``: the mean probability that a household would pay the full bill itself;
* ``on_behalf_shortfall``: the share of the fees due on behalf that the collectives could not pay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS
from resettle.sim.submodels import fees, transition
from resettle.sim.submodels.contract import writes
from resettle.sim.submodels.finances import household_income


@dataclass(frozen=True)
class FeeOutcome:
    """One billing period: its metrics, who paid their own property fee (per household), and
    who was caught evading (per household; the schedule adds their grievance)."""

    metrics: dict[str, float]
    paid_own_property_fee: np.ndarray
    detected: np.ndarray
    own_paid: float  # yuan households paid themselves on time
    full_due: float  # yuan of the full bill of every household


@writes(
        "model.homes.lock",
        "model.homes.paid_last",
        "model.homes.arrears",
        "model.ledger",
        "model.agents.PropertyCompany",
        "model.agents.Cooperative")
def collect_fees(model, attitude: np.ndarray, collective_share: float, enforcement: float,
                 rng: np.random.Generator) -> FeeOutcome:
    """Run one billing period with households' mean adult ``attitude``, the collectives paying
    ``collective_share`` of the property fee, and evaders caught with ``enforcement``."""
    lv, h = model.levers, model.homes
    per_month = model.params.community.property_fee_per_year / h.n / 12.0
    bill = fees.period_bill(lv, per_month, collective_share)
    income = household_income(model) * lv.billing_period_months
    neighbours = fees.neighbour_share(h.paid_last, h.building, model.n_buildings)
    decision = Decision.of(model, income, attitude, neighbours, enforcement, lv.penalty_rate)
    p_pay = decision.pay_probability(bill.household_bill)
    out = fees.billing_round(p_pay, h.lock, enforcement, lv.enforcement_lock_periods, rng)
    h.lock, h.paid_last = out.lock, out.paid
    own = out.paid if bill.property_fee > 0 else np.zeros(h.n, bool)
    recovered = settle(model, bill, out)
    on_behalf, due_on_behalf = pay_on_behalf(model, bill.on_behalf)
    willing = decision.pay_probability(bill.full)
    metrics = summarise(bill, out, recovered, on_behalf, h.n, float(willing.mean()))
    metrics["on_behalf_shortfall"] = (1.0 - on_behalf / due_on_behalf if due_on_behalf > 0
                                      else float("nan"))
    return FeeOutcome(metrics=metrics, paid_own_property_fee=own, detected=out.detected,
                      own_paid=float(np.count_nonzero(out.paid)) * bill.household_bill,
                      full_due=bill.full * h.n)


@writes("model.homes.lock", "model.homes.paid_last")
def fee_history(model, levers, attitude: np.ndarray, periods: int,
                rng: np.random.Generator) -> None:
    """Simulate ``periods`` billing periods before month 1 under ``levers`` (the status quo:
    the collectives pay the property fee) so that lock-ins and last payments start from the
    community's history, not from everyone paying (§1: the community has run for about two
    years). No money moves and no grievance is added."""
    h, lv = model.homes, levers
    per_month = model.params.community.property_fee_per_year / h.n / 12.0
    bill = fees.period_bill(lv, per_month, transition.targets(lv)[0])
    income = household_income(model) * lv.billing_period_months
    for _ in range(periods):
        neighbours = fees.neighbour_share(h.paid_last, h.building, model.n_buildings)
        p_pay = decide(bill.household_bill, income, attitude, neighbours, model,
                       lv.enforcement_probability, lv.penalty_rate)
        out = fees.billing_round(p_pay, h.lock, lv.enforcement_probability,
                                 lv.enforcement_lock_periods, rng)
        h.lock, h.paid_last = out.lock, out.paid


def decide(amount: float, income: np.ndarray, attitude: np.ndarray, neighbours: np.ndarray,
           model, enforcement: float, penalty: float) -> np.ndarray:
    """Probability that each household pays a bill of ``amount`` itself, when evaders are
    caught with probability ``enforcement`` and pay ``penalty`` on the evaded amount."""
    return Decision.of(model, income, attitude, neighbours, enforcement,
                       penalty).pay_probability(amount)


@dataclass(frozen=True)
class Decision:
    """Households facing a billing period's bills: their income (at least 1 yuan), the terms
    of their motive that do not depend on the bill, and the enforcement they expect."""

    income: np.ndarray
    motive: fees.Motive
    enforcement: float
    penalty: float
    temperature: float

    @classmethod
    def of(cls, model, income: np.ndarray, attitude: np.ndarray, neighbours: np.ndarray,
           enforcement: float, penalty: float) -> Decision:
        """Households with ``income`` and ``attitude`` whose ``neighbours`` share paid last
        period, when evaders are caught with ``enforcement`` and pay ``penalty``."""
        u = model.params.uncertainties
        return cls(income=np.maximum(income, 1.0),
                   motive=fees.Motive.of(attitude, model.company.quality, neighbours,
                                         model.homes.grievance, u),
                   enforcement=enforcement, penalty=penalty, temperature=u.fee_temperature)

    def pay_probability(self, amount: float) -> np.ndarray:
        """Probability that each household pays a bill of ``amount`` itself."""
        burden = 100.0 * amount / self.income
        return fees.pay_probability(self.enforcement, self.penalty, self.motive.at(burden),
                                    self.temperature)


@writes("model.homes.arrears", "model.ledger", "model.agents.PropertyCompany")
def settle(model, bill: fees.Bill, out: fees.BillingOutcome) -> float:
    """Move households' payments, recoveries and penalties; update arrears. Returns the
    current-period amount recovered by enforcement."""
    h, lv, ledger = model.homes, model.levers, model.ledger
    total = bill.household_bill
    n_paid, n_caught = int(np.count_nonzero(out.paid)), int(np.count_nonzero(out.detected))
    old_arrears = float(h.arrears[out.detected].sum()) * model.params.uncertainties.arrears_recovery
    h.arrears[out.detected] = 0.0
    h.arrears[out.evaded & ~out.detected] += total
    recovered = n_caught * total
    penalty = recovered * lv.penalty_rate
    share_company = bill.property_fee / total if total > 0 else 0.0
    amount = n_paid * total + recovered + penalty + old_arrears
    ledger.transfer(HOUSEHOLDS, COMPANY, amount * share_company, "property fee")
    ledger.transfer(HOUSEHOLDS, COMMUNITY, amount * (1 - share_company),
                    "sanitation and maintenance fees")
    model.company.record_revenue(amount * share_company / lv.billing_period_months)
    return recovered


@writes("model.ledger", "model.agents.PropertyCompany", "model.agents.Cooperative")
def pay_on_behalf(model, per_household: float) -> tuple[float, float]:
    """Each village's cooperative pays its households' property fee out of the budget it set
    aside last December from the collective's part of its income. Returns (paid, due)."""
    if per_household <= 0:
        return 0.0, 0.0
    counts = np.bincount(model.homes.village, minlength=len(model.village_names))
    paid = due_total = 0.0
    for coop in model.cooperatives:
        due = per_household * counts[coop.village]
        amount = min(due, coop.can_pay_on_behalf(),
                     max(model.ledger.balance[coop.fund_account], 0.0))
        model.ledger.transfer(coop.fund_account, COMPANY, amount, "property fee on behalf")
        coop.paid_on_behalf += amount
        paid, due_total = paid + amount, due_total + due
    model.company.record_on_behalf(paid / model.levers.billing_period_months)
    return paid, due_total


def summarise(bill: fees.Bill, out: fees.BillingOutcome, recovered: float, on_behalf: float,
              n: int, willingness: float) -> dict[str, float]:
    """The period's fee metrics."""
    hb = bill.household_bill
    due = bill.full * n
    paid_on_time = float(np.count_nonzero(out.paid)) * hb
    return {
        "fee_compliance": paid_on_time / (hb * n) if hb > 0 else float("nan"),
        "own_fee_share": paid_on_time / due if due > 0 else float("nan"),
        "fee_collection": (paid_on_time + recovered + on_behalf) / due if due > 0 else float("nan"),
        "fee_willingness": willingness,
        "evasion": int(np.count_nonzero(out.evaded)) / out.evaded.size,
        "enforced": int(np.count_nonzero(out.detected)) / out.detected.size,
        "household_bill": hb,
    }
