"""Finances: cooperatives' rent and dividends, the community's income and costs, the property
company's revenue, spending and service quality, and households' income. Every yuan moves
through the ledger (``resettle.sim.ledger``).

* Cooperatives earn ``asset_return_rate`` (plus ``corporate_return_uplift`` as they
  corporatise) on their collective assets; ``collective_share`` stays in the collective fund,
  the rest is paid to the village's members as dividends in December (§1 feature 1).
* The community receives its start-up funds in month 1 (§1(2)) and its business income and
  running costs every month (§1(2), feature 1).
* The property company spends up to the service's cost (the fee total, §1(2)) each month; its
  quality follows professionalism × funding (see the PropertyCompany agent).
"""

from __future__ import annotations

import numpy as np

from resettle.sim.ledger import COMMUNITY, COMPANY, HOUSEHOLDS, OUTSIDE
from resettle.sim.submodels.contract import writes


@writes("model.ledger")
def open_accounts(model) -> None:
    """Month 0: the cooperatives' retained collective shares (§1 feature 1)."""
    retained = model.params.community.collective_retained_per_capita
    for coop in model.cooperatives:
        model.ledger.transfer(OUTSIDE, coop.fund_account,
                              retained[coop.village] * coop.members, "opening balance")


@writes("model.ledger")
def startup_funds(model) -> None:
    """Month 1: one-off start-up funding from the district, the town and each village (§1(2))."""
    c = model.params.community
    model.ledger.transfer(OUTSIDE, COMMUNITY, c.startup_district, "start-up (district)")
    model.ledger.transfer(OUTSIDE, COMMUNITY, c.startup_town, "start-up (town)")
    for coop in model.cooperatives:
        model.ledger.transfer(coop.fund_account, COMMUNITY, c.startup_per_village,
                              "start-up (village)")


@writes("model.ledger", "model.agents.Cooperative")
def cooperatives_month(model, month: int) -> float:
    """Rent income, dividend accrual and (in December) payment; returns dividends paid."""
    u, share = model.params.uncertainties, model.params.community.collective_share
    paid = 0.0
    for coop in model.cooperatives:
        coop.approach_mode(model.levers.cooperative_mode == "corporate", u.transition_months)
        income = coop.monthly_income(u.asset_return_rate, u.corporate_return_uplift)
        model.ledger.transfer(OUTSIDE, coop.fund_account, income, "rent income")
        coop.dividend_pool += income * (1.0 - share)
        if month % 12 == 0:
            model.ledger.transfer(coop.fund_account, HOUSEHOLDS, coop.dividend_pool, "dividends")
            coop.last_dividend_per_member = coop.dividend_pool / max(coop.members, 1)
            paid += coop.dividend_pool
            coop.dividend_pool = 0.0
    return paid


@writes("model.ledger")
def community_month(model) -> None:
    """Business income in, running costs out (§1(2))."""
    c = model.params.community
    model.ledger.transfer(OUTSIDE, COMMUNITY, c.community_income_per_year / 12.0, "business income")
    spend = min(c.community_running_cost_per_year / 12.0, max(model.ledger.balance[COMMUNITY], 0))
    model.ledger.transfer(COMMUNITY, OUTSIDE, spend, "running costs")


@writes("model.ledger", "model.agents.PropertyCompany")
def company_month(model) -> None:
    """Spend on service (up to its cost), professionalise, update quality."""
    company, u = model.company, model.params.uncertainties
    required = model.params.community.property_fee_per_year / 12.0
    spend = min(required, max(model.ledger.balance[COMPANY], 0.0))
    model.ledger.transfer(COMPANY, OUTSIDE, spend, "service costs")
    floor = professionalism_floor(model.levers.property_company, u)
    company.professionalise(model.levers.company_professionalisation_rate, floor)
    company.update_quality(required, u.quality_adjust_months)


def professionalism_floor(status: str, u) -> float:
    """Starting professionalism of each company status (community, spun off, outsourced)."""
    return u.company_professionalism[("community", "spun_off", "outsourced").index(status)]


def household_income(model) -> np.ndarray:
    """Each household's monthly income: wages, expected dividends and rent, yuan."""
    r, h, u = model.people, model.homes, model.params.uncertainties
    wages = np.bincount(r.household, weights=r.employed * u.wage_month, minlength=h.n)
    return wages + dividends_per_household(model) + rent_per_household(model)


def dividends_per_household(model) -> np.ndarray:
    """Expected monthly dividends of each household (last year's dividend / 12)."""
    per_member = np.array([c.last_dividend_per_member for c in model.cooperatives])
    return per_member[model.homes.village] * model.homes.size / 12.0


def rent_per_household(model) -> np.ndarray:
    """Monthly rent from temporary residents, per household."""
    return model.homes.rents_out * model.params.community.rent_per_unit_month


def nonlabour_per_adult(model) -> np.ndarray:
    """Dividends and rent per adult of each resident's household, yuan/month."""
    r, h = model.people, model.homes
    adults = np.bincount(r.household, weights=(r.age >= 16).astype(float), minlength=h.n)
    income = dividends_per_household(model) + rent_per_household(model)
    return (income / np.maximum(adults, 1))[r.household]


@writes("model.ledger")
def wages_and_rent(model) -> None:
    """Wages and rents flow to households from outside."""
    total_wages = float(model.people.employed.sum()) * model.params.uncertainties.wage_month
    model.ledger.transfer(OUTSIDE, HOUSEHOLDS, total_wages, "wages")
    model.ledger.transfer(OUTSIDE, HOUSEHOLDS, float(rent_per_household(model).sum()), "rent")
