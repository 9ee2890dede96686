"""Finances: the cooperatives' income and year-end distribution, the community's income, costs
and activities, the property company's spending and service quality, and households' income.
Every yuan moves through the ledger (``resettle.sim.ledger``).

* A cooperative earns ``asset_return_rate`` on its assets, scaled by the competence of the
  business cadres placed with the cooperatives while a branch secretary chairs it (§4), or
  plus ``corporate_return_uplift`` once a professional manager runs it; the return is earned
  once: ``collective_share`` (30%) is the collective's
  part, the rest the members' (70%, their shares), both accruing in the cooperative's fund
  (§1 feature 1). The fund opens with ``collective_cash_years`` of the collective's part in
  cash; the collective share's book value (14-17k yuan per capita, §1) is part of the assets,
  not cash. In December the members' part is paid as dividends; of the collective's part,
  what paid fees on members' behalf this year (Scheme 1, §4(一)) is gone, ``collective_retention``
  of the rest stays in the fund and the rest is paid to members. So what the collective no
  longer pays under Scheme 2 returns to members.
* Under Scheme 2 the cooperatives are corporatised: each month the shareholders replace the
  secretary-chair by a professional manager with probability 1 / ``transition_months``, less
  while the village's adults are on average short of ``readiness_attitude``.
* The community receives its start-up funds in month 1 (§1(2)) and its business income (and
  that of the owed premises once handed over, §2.1) every month; it pays its running costs, the
  sanitation and maintenance its fees are billed for, and the culture events and school
  sessions it holds (``activity_cost`` each; what it cannot pay is
  not held). While the village branches run the cooperatives (Scheme 1), a collective covers
  the community's deficit: the community and the village economy are not separated (§2
  problem 1).
* Households receive wages, dividends, rent, and pensions with the land-loss social security
  of everyone past the statutory retirement age.
* The property company spends up to the service's cost (the fee total, §1(2)) each month; its
  quality follows professionalism × funding, and, while the community runs it (§1(1): the
  former village heads), the competence of the cadres.
"""

from __future__ import annotations

import numpy as np

from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS, OUTSIDE
from resettle.sim.population import ADULT_AGE, retired
from resettle.sim.submodels import cadres
from resettle.sim.submodels.contract import writes

COLLECTIVE_FLOWS = ("property fee on behalf", "start-up (village)", "deficit cover")


@writes("model.ledger", "model.agents.Cooperative")
def open_accounts(model) -> None:
    """Month 0: each fund's cash, ``collective_cash_years`` of the collective's part; this
    year's budget for paying its members' property fee on their behalf, set aside from last
    year's collective part as under the status quo (§1(2)); and last year's dividend per
    member under that status quo."""
    c, u = model.params.community, model.params.uncertainties
    counts = np.bincount(model.homes.village, minlength=len(model.village_names))
    fee = c.property_fee_per_year / max(model.homes.n, 1) / 12.0
    fee_per_capita = c.property_fee_per_year / max(c.residents, 1)
    business = cadres.business_factor(model.cadres, u)
    for coop in model.cooperatives:
        yearly = coop.assets * u.asset_return_rate * business * c.collective_share
        model.ledger.transfer(OUTSIDE, coop.fund_account, c.collective_cash_years * yearly,
                              "opening balance")
        coop.on_behalf_budget = min(yearly, 12.0 * fee * counts[coop.village])
        coop.last_dividend_per_member = status_quo_dividend(
            c.assets_per_capita[coop.village] * u.asset_return_rate * business,
            c.collective_share, u.collective_retention, fee_per_capita)


@writes("model.ledger")
def startup_funds(model) -> None:
    """Month 1: one-off start-up funding from the district, the town and each village (§1(2))."""
    c = model.params.community
    model.ledger.transfer(OUTSIDE, COMMUNITY, c.startup_district, "start-up (district)")
    model.ledger.transfer(OUTSIDE, COMMUNITY, c.startup_town, "start-up (town)")
    for coop in model.cooperatives:
        model.ledger.transfer(coop.fund_account, COMMUNITY, c.startup_per_village,
                              "start-up (village)")


@writes("model.agents.Cooperative")
def corporatise(model, rng: np.random.Generator) -> int:
    """Corporatised cooperatives' shareholders replace their secretary-chair by a professional
    manager, each with probability ``min(1, x_v / readiness_attitude) / transition_months`` a
    month, ``x_v`` the mean attitude of the village's adults; returns how many did this
    month."""
    if model.levers.cooperative_mode != "corporate":
        return 0
    months = model.params.uncertainties.transition_months
    draws = rng.random(len(model.village_names))  # one per village's cooperative, chaired or not
    chaired = [c for c in model.cooperatives if c.chaired_by_secretary]
    replaced = [c for c in chaired if draws[c.village] < readiness(model, c.village) / months]
    for coop in replaced:
        coop.chaired_by_secretary = False
    return len(replaced)


def readiness(model, village: int) -> float:
    """How ready a village's members are for a professional manager: the mean attitude of its
    adults over ``readiness_attitude``, at most 1 (1 when there is no adult or no threshold)."""
    r, threshold = model.people, model.params.uncertainties.readiness_attitude
    members = (r.age >= ADULT_AGE) & (r.village == village)
    if threshold <= 0 or not members.any():
        return 1.0
    return min(1.0, float(r.attitude[members].mean()) / threshold)


@writes("model.ledger", "model.agents.Cooperative")
def cooperatives_month(model, month: int, cadre_factor: float, collective_share: float) -> float:
    """Income and its accrual; in December, the distribution. Returns dividends paid.
    ``cadre_factor``: how far the business cadres placed with the village-run cooperatives
    (§4 "retain some": business skills to the cooperatives) reach the nominal return;
    ``collective_share``: the collectives' share of the property fee now (next year's budget)."""
    c, u = model.params.community, model.params.uncertainties
    counts = np.bincount(model.homes.village, minlength=len(model.village_names))
    fee_year = c.property_fee_per_year / max(model.homes.n, 1) * collective_share
    paid = 0.0
    for coop in model.cooperatives:
        income = coop.monthly_income(u.asset_return_rate, u.corporate_return_uplift,
                                     cadre_factor)
        model.ledger.transfer(OUTSIDE, coop.fund_account, income, "rent income")
        coop.collective_part += income * c.collective_share
        coop.dividend_pool += income * (1.0 - c.collective_share)
        if month % 12 == 0:
            paid += year_end(model, coop, u.collective_retention, fee_year * counts[coop.village])
    return paid


@writes("model.ledger", "model.agents.Cooperative")
def year_end(model, coop, retention: float, next_fees: float) -> float:
    """December: of the year's collective part (and the budget left unspent), set aside next
    year's fees on behalf (as far as it goes); keep ``retention`` of the rest and pay the
    other part to members with their own part. Returns what was paid; what the fund cannot
    pay stays owed to members."""
    available = coop.collective_part + coop.can_pay_on_behalf()
    coop.on_behalf_budget = min(available, next_fees)
    due = coop.dividend_pool + (1.0 - retention) * (available - coop.on_behalf_budget)
    amount = min(due, max(model.ledger.balance[coop.fund_account], 0.0))
    model.ledger.transfer(coop.fund_account, HOUSEHOLDS, amount, "dividends")
    coop.last_dividend_per_member = amount / max(coop.members, 1)
    coop.dividend_pool, coop.collective_part, coop.paid_on_behalf = due - amount, 0.0, 0.0
    return amount


def status_quo_dividend(income_per_member: float, collective_share: float, retention: float,
                        fee_per_member: float) -> float:
    """Last year's dividend per member under the status quo (Scheme 1's 代缴): the members' part,
    and the distributed rest of the collective's part after the fees paid on behalf."""
    collective = income_per_member * collective_share
    return (income_per_member * (1.0 - collective_share)
            + (1.0 - retention) * max(collective - fee_per_member, 0.0))


@writes("model.ledger")
def community_month(model) -> None:
    """Business income in (and the owed premises' once handed over), running costs out; while
    the village branches run the cooperatives, the collectives cover a deficit."""
    c = model.params.community
    income = c.community_income_per_year + (c.premises_income_per_year
                                            if model.levers.premises_handed_over else 0.0)
    model.ledger.transfer(OUTSIDE, COMMUNITY, income / 12.0, "business income")
    model.ledger.transfer(COMMUNITY, OUTSIDE, c.community_running_cost_per_year / 12.0,
                          "running costs")
    lv = model.levers
    model.ledger.transfer(COMMUNITY, OUTSIDE, (lv.sanitation_fee_month + lv.maintenance_fee_month)
                          * model.homes.n, "sanitation and maintenance")
    if model.levers.cooperative_mode == "village":
        cover_deficit(model)


@writes("model.ledger")
def cover_deficit(model) -> None:
    """The village cooperatives bring the community's balance back to zero, in equal parts as
    far as their funds allow."""
    deficit = -model.ledger.balance[COMMUNITY]
    coops = list(model.cooperatives)
    for coop in coops if deficit > 0 else []:
        amount = min(deficit / len(coops), max(model.ledger.balance[coop.fund_account], 0.0))
        model.ledger.transfer(coop.fund_account, COMMUNITY, amount, "deficit cover")


@writes("model.ledger")
def hold_activities(model, events: int, sessions: int) -> tuple[int, int]:
    """Pay for this month's culture events and school sessions, as many as the community's
    balance allows (events first); returns (events held, sessions held)."""
    cost = model.params.uncertainties.activity_cost
    affordable = (int(max(model.ledger.balance[COMMUNITY], 0.0) // cost)
                  if cost > 0 else events + sessions)
    held_events = min(events, affordable)
    held_sessions = min(sessions, affordable - held_events)
    model.ledger.transfer(COMMUNITY, OUTSIDE, cost * (held_events + held_sessions),
                          "culture events and school")
    return held_events, held_sessions


@writes("model.ledger", "model.agents.PropertyCompany")
def company_month(model, cadre_factor: float) -> None:
    """Spend on service (up to its cost), professionalise, update quality; a community-run
    company's quality also scales with ``cadre_factor`` (its cadres' competence)."""
    company, u = model.company, model.params.uncertainties
    required = model.params.community.property_fee_per_year / 12.0
    spend = min(required, max(model.ledger.balance[COMPANY], 0.0))
    model.ledger.transfer(COMPANY, OUTSIDE, spend, "service costs")
    floor = professionalism_floor(model.levers.property_company, u)
    company.professionalise(model.levers.company_professionalisation_rate, floor)
    factor = cadre_factor if company.status == "community" else 1.0
    company.update_quality(required, u.quality_adjust_months, factor)


def professionalism_floor(status: str, u) -> float:
    """Starting professionalism of each company status (community, spun off, outsourced)."""
    return u.company_professionalism[("community", "spun_off", "outsourced").index(status)]


def household_income(model) -> np.ndarray:
    """Each household's monthly income: wages, expected dividends, rent and pensions, yuan."""
    r, h, u = model.people, model.homes, model.params.uncertainties
    wages = np.bincount(r.household, weights=r.employed * u.wage_month, minlength=h.n)
    return wages + nonlabour_per_household(model)


def nonlabour_per_household(model) -> np.ndarray:
    """Dividends, rent and pensions of each household, yuan/month."""
    return (dividends_per_household(model) + rent_per_household(model)
            + pensions_per_household(model))


def dividends_per_household(model) -> np.ndarray:
    """Expected monthly dividends of each household (last year's dividend / 12)."""
    per_member = np.array([c.last_dividend_per_member for c in model.cooperatives])
    return per_member[model.homes.village] * model.homes.size / 12.0


def rent_per_household(model) -> np.ndarray:
    """Monthly rent from temporary residents, per household."""
    return model.homes.rents_out * model.params.community.rent_per_unit_month


def pensioners(model) -> np.ndarray:
    """Residents past the statutory retirement age (who receive a pension)."""
    return retired(model.people.age, model.people.female, model.params.community)


def pensions_per_household(model) -> np.ndarray:
    """Pensions and land-loss social security of each household, yuan/month."""
    c = model.params.community
    return np.bincount(model.people.household, weights=pensioners(model) * c.pension_month,
                       minlength=model.homes.n)


def nonlabour_per_adult(model) -> np.ndarray:
    """Dividends, rent and pensions per adult of each resident's household, yuan/month."""
    r, h = model.people, model.homes
    adults = np.bincount(r.household, weights=(r.age >= ADULT_AGE).astype(float), minlength=h.n)
    return (nonlabour_per_household(model) / np.maximum(adults, 1))[r.household]


@writes("model.ledger")
def wages_rent_pensions(model) -> None:
    """Wages, rents and pensions flow to households from outside."""
    total_wages = float(model.people.employed.sum()) * model.params.uncertainties.wage_month
    model.ledger.transfer(OUTSIDE, HOUSEHOLDS, total_wages, "wages")
    model.ledger.transfer(OUTSIDE, HOUSEHOLDS, float(rent_per_household(model).sum()), "rent")
    model.ledger.transfer(OUTSIDE, HOUSEHOLDS, float(pensions_per_household(model).sum()),
                          "pensions")


def collective_payments(flows: dict[tuple[str, str, str], float],
                        funds: set[str]) -> tuple[float, float]:
    """Of this month's money spent on the community and its services (into the community's
    and the company's accounts): (what the village collectives paid, the total)."""
    into = [(s, kind, a) for (s, d, kind), a in flows.items() if d in (COMMUNITY, COMPANY)]
    by_collectives = sum(a for s, kind, a in into if s in funds and kind in COLLECTIVE_FLOWS)
    return by_collectives, sum(a for _, _, a in into)
