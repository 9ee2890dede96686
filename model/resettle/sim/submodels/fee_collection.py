"""Collecting one billing period's fees: decisions (``fees``), enforcement, and the money.

Households pay the sanitation and maintenance fees to the community (the residents'
committee, §4 funding) and, when they pay it themselves, the property fee to the property
company; under Scheme 1 each village's collective fund pays its households' property fee on
their behalf (代缴, §4). Detected evaders pay the bill, their older arrears and the penalty.

Metrics: ``fee_compliance`` = share of what is billed to households that households pay
themselves on time; ``fee_collection`` = share of all fees due that get paid by anyone this
period (on time, recovered by enforcement, or on households' behalf); ``fee_willingness`` =
mean probability that a household would pay the full bill (property fee included) itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS
from resettle.sim.submodels import fees
from resettle.sim.submodels.contract import writes
from resettle.sim.submodels.finances import household_income


@dataclass(frozen=True)
class FeeOutcome:
    """One billing period: its metrics, who paid their own property fee (per household), and
    who was caught evading (per household; the schedule adds their grievance)."""

    metrics: dict[str, float]
    paid_own_property_fee: np.ndarray
    detected: np.ndarray


@writes(
        "model.homes.lock",
        "model.homes.paid_last",
        "model.homes.arrears",
        "model.ledger",
        "model.agents.PropertyCompany")
def collect_fees(model, attitude: np.ndarray, rng: np.random.Generator) -> FeeOutcome:
    """Run one billing period with households' mean adult ``attitude``.

    Writes the households' ``lock``, ``paid_last`` and ``arrears``, the ledger, and the
    company's revenue record."""
    lv, h = model.levers, model.homes
    per_month = model.params.community.property_fee_per_year / h.n / 12.0
    bill = fees.period_bill(lv, per_month)
    income = household_income(model) * lv.billing_period_months
    neighbours = fees.neighbour_share(h.paid_last, h.building, model.n_buildings)
    p_pay = decide(bill.household_bill, income, attitude, neighbours, model)
    out = fees.billing_round(p_pay, h.lock, lv.enforcement_probability,
                             lv.enforcement_lock_periods, rng)
    h.lock, h.paid_last = out.lock, out.paid
    own = out.paid if bill.property_fee > 0 else np.zeros(h.n, bool)
    recovered = settle(model, bill, out)
    on_behalf = pay_on_behalf(model, bill.on_behalf)
    full = bill.property_fee + bill.on_behalf + bill.community_fees
    willing = decide(full, income, attitude, neighbours, model)
    metrics = summarise(bill, out, recovered, on_behalf, h.n, float(willing.mean()))
    return FeeOutcome(metrics=metrics, paid_own_property_fee=own, detected=out.detected)


@writes("model.homes.lock", "model.homes.paid_last")
def fee_history(model, levers, attitude: np.ndarray, periods: int,
                rng: np.random.Generator) -> None:
    """Simulate ``periods`` billing periods before month 1 under ``levers`` (the status quo)
    so that lock-ins and last payments start from the community's history, not from everyone
    paying (§1: the community has run for about two years). No money moves and no grievance
    is added; writes the households' ``lock`` and ``paid_last``."""
    h, lv = model.homes, levers
    per_month = model.params.community.property_fee_per_year / h.n / 12.0
    bill = fees.period_bill(lv, per_month)
    income = household_income(model) * lv.billing_period_months
    for _ in range(periods):
        neighbours = fees.neighbour_share(h.paid_last, h.building, model.n_buildings)
        p_pay = decide(bill.household_bill, income, attitude, neighbours, model, lv)
        out = fees.billing_round(p_pay, h.lock, lv.enforcement_probability,
                                 lv.enforcement_lock_periods, rng)
        h.lock, h.paid_last = out.lock, out.paid


def decide(amount: float, income: np.ndarray, attitude: np.ndarray, neighbours: np.ndarray,
           model, levers=None) -> np.ndarray:
    """Probability that each household pays a bill of ``amount`` itself (under ``levers``,
    default the levers in force)."""
    lv, u = levers or model.levers, model.params.uncertainties
    burden = 100.0 * amount / np.maximum(income, 1.0)
    motive = fees.motive(attitude, model.company.quality, burden, neighbours, u.fee_base,
                         u.fee_attitude_weight, u.fee_quality_weight, u.fee_burden_weight,
                         u.fee_neighbour_weight)
    return fees.pay_probability(lv.enforcement_probability, lv.penalty_rate, motive,
                                u.fee_temperature)


@writes("model.homes.arrears", "model.ledger", "model.agents.PropertyCompany")
def settle(model, bill: fees.Bill, out: fees.BillingOutcome) -> float:
    """Move households' payments, recoveries and penalties; update arrears. Returns the
    current-period amount recovered by enforcement."""
    h, lv, ledger = model.homes, model.levers, model.ledger
    total = bill.household_bill
    n_paid, n_caught = int(out.paid.sum()), int(out.detected.sum())
    old_arrears = float(h.arrears[out.detected].sum())
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


@writes("model.ledger", "model.agents.PropertyCompany")
def pay_on_behalf(model, per_household: float) -> float:
    """Each village's collective fund pays its households' property fee (as far as it can)."""
    if per_household <= 0:
        return 0.0
    counts = np.bincount(model.homes.village, minlength=len(model.village_names))
    paid = 0.0
    for coop in model.cooperatives:
        due = per_household * counts[coop.village]
        amount = min(due, max(model.ledger.balance[coop.fund_account], 0.0))
        model.ledger.transfer(coop.fund_account, COMPANY, amount, "property fee on behalf")
        paid += amount
    model.company.record_on_behalf(paid / model.levers.billing_period_months)
    return paid


def summarise(bill: fees.Bill, out: fees.BillingOutcome, recovered: float, on_behalf: float,
              n: int, willingness: float) -> dict[str, float]:
    """The period's fee metrics."""
    hb = bill.household_bill
    due = (bill.property_fee + bill.on_behalf + bill.community_fees) * n
    paid_on_time = float(out.paid.sum()) * hb
    return {
        "fee_compliance": paid_on_time / (hb * n) if hb > 0 else float("nan"),
        "fee_collection": (paid_on_time + recovered + on_behalf) / due if due > 0 else float("nan"),
        "fee_willingness": willingness,
        "evasion": float(out.evaded.mean()),
        "enforced": float(out.detected.mean()),
        "household_bill": hb,
    }
