"""Fees: each billing period a household pays its bill or evades it.

Decision (Allingham & Sandmo 1972 with Yitzhaki's 1974 penalty on the evaded amount): evading
a bill of 1 costs ``p(1+θ)`` in expectation (enforcement probability p, penalty rate θ).
A household also carries a motive ``m`` to pay, in the same units, from its attitude, the
service quality it sees, the burden of the bill on its income, what its neighbours did, and
its grievance G (poor service, enforcement, reforms it was not ready for):

    m = fee_base + w_att (x - ½) + w_q (q - ½) - w_b · burden% + w_nb (2·s_neigh - 1)
        - w_g (1 - e^-G)

It pays iff ``p(1+θ) + m ≥ 1``; with logit noise of temperature T it pays with probability
``σ((p(1+θ) + m - 1) / T)``. With m = 0 and T = 0 this is the risk-neutral rule: no evasion
iff p(1+θ) ≥ 1. The neighbour term is the Ising coupling of Zaklan, Westerhoff & Stauffer
(2009); their enforcement is here too: a detected evader pays the bill plus the penalty and is
compliant for the next k periods. Without coupling, a free household that evades with
probability ½ then evades a share 1/(2 + kp) of periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from resettle.sim.population import ADULT_AGE


def pay_probability(p: float, theta: float, motive: np.ndarray | float,
                    temperature: float) -> np.ndarray:
    """Probability of paying a bill: deterministic rule at T = 0, logit choice otherwise."""
    z = p * (1.0 + theta) + np.asarray(motive, dtype=float) - 1.0
    if temperature == 0:
        return (z >= 0).astype(float)
    with np.errstate(over="ignore"):  # z/T → ±inf for tiny T; expit maps it to 0 or 1
        return expit(z / temperature)


def motive(attitude: np.ndarray, quality: float, burden_pct: np.ndarray,
           neighbour_paid: np.ndarray, grievance: np.ndarray, u) -> np.ndarray:
    """Intrinsic motive to pay, in units of the bill (see the module docstring)."""
    return Motive.of(attitude, quality, neighbour_paid, grievance, u).at(burden_pct)


@dataclass(frozen=True)
class Motive:
    """The terms of the motive that do not depend on the bill, per household, so that bills of
    several amounts can be weighed against the same households (the sum keeps the module
    docstring's order: ``m = leading - w_b · burden% + neighbours + grievance``)."""

    leading: np.ndarray     # fee_base + w_att (x - ½) + w_q (q - ½)
    burden_weight: float    # w_b
    neighbours: np.ndarray  # w_nb (2·s_neigh - 1)
    grievance: np.ndarray   # -w_g (1 - e^-G)

    @classmethod
    def of(cls, attitude: np.ndarray, quality: float, neighbour_paid: np.ndarray,
           grievance: np.ndarray, u) -> Motive:
        """The terms from households' attitude, the service quality, what their neighbours
        did and their grievance."""
        return cls(leading=(u.fee_base + u.fee_attitude_weight * (attitude - 0.5)
                            + u.fee_quality_weight * (quality - 0.5)),
                   burden_weight=u.fee_burden_weight,
                   neighbours=u.fee_neighbour_weight * (2.0 * neighbour_paid - 1.0),
                   grievance=u.fee_grievance_weight * np.expm1(-grievance))

    def at(self, burden_pct: np.ndarray) -> np.ndarray:
        """The motive to pay a bill that is ``burden_pct`` percent of each household's income."""
        return self.leading - self.burden_weight * burden_pct + self.neighbours + self.grievance


@dataclass(frozen=True)
class BillingOutcome:
    """What happened to one period's bills, per household."""

    paid: np.ndarray       # paid voluntarily (or while locked into compliance)
    detected: np.ndarray   # evaded and caught: bill recovered, penalty charged
    evaded: np.ndarray     # evaded (caught or not)
    lock: np.ndarray       # periods of forced compliance left after this period


def billing_round(p_pay: np.ndarray, lock: np.ndarray, p_detect: float, lock_periods: int,
                  rng: np.random.Generator) -> BillingOutcome:
    """One billing period: locked households pay; the others pay with ``p_pay``; evaders are
    detected with ``p_detect`` and then locked for ``lock_periods`` periods."""
    locked = lock > 0
    paid = locked | (rng.random(len(p_pay)) < p_pay)
    evaded = ~paid
    detected = evaded & (rng.random(len(p_pay)) < p_detect)
    new_lock = np.where(locked, lock - 1, 0)
    new_lock = np.where(detected, lock_periods, new_lock)
    return BillingOutcome(paid=paid, detected=detected, evaded=evaded, lock=new_lock)


def neighbour_share(paid: np.ndarray, building: np.ndarray, n_buildings: int) -> np.ndarray:
    """Share of each household's building that paid (itself included), per household."""
    count = np.bincount(building, minlength=n_buildings)
    payers = np.bincount(building, weights=paid.astype(float), minlength=n_buildings)
    return (payers / np.maximum(count, 1))[building]


def household_attitude(attitude: np.ndarray, household: np.ndarray, adult: np.ndarray,
                       n_households: int) -> np.ndarray:
    """Mean attitude of each household's adults (of all members where none is adult)."""
    # slot 2h: household h's other members (all of them where none is adult); 2h + 1: adults
    slot = 2 * household + adult
    counts = np.bincount(slot, minlength=2 * n_households)
    means = np.bincount(slot, weights=attitude, minlength=2 * n_households) / np.maximum(counts, 1)
    return np.where(counts[1::2] > 0, means[1::2], means[::2])


def adult_attitude(people, n_households: int) -> np.ndarray:
    """Mean attitude of each household's adults (16 and over), from the residents' arrays."""
    return household_attitude(people.attitude, people.household, people.age >= ADULT_AGE,
                              n_households)


@dataclass(frozen=True)
class Bill:
    """One period's fees per household, yuan, by who bills them."""

    property_fee: float   # the part of the property fee billed to households
    community_fees: float  # sanitation + maintenance, always billed to households
    on_behalf: float       # the part the collective pays per household (Scheme 1)

    @property
    def household_bill(self) -> float:
        """What each household is asked to pay itself."""
        return self.property_fee + self.community_fees

    @property
    def full(self) -> float:
        """The whole bill of a household, whoever pays it (the same in every scheme)."""
        return self.property_fee + self.on_behalf + self.community_fees


def period_bill(levers, property_fee_per_household_month: float,
                collective_share: float) -> Bill:
    """The bill of one period: the collectives pay ``collective_share`` of the property fee
    on households' behalf (1 under Scheme 1, §4; 0 under Scheme 2; falling during a phased
    switch), households are billed the rest and the community fees."""
    months = levers.billing_period_months
    prop = property_fee_per_household_month * months
    community = (levers.sanitation_fee_month + levers.maintenance_fee_month) * months
    return Bill(property_fee=prop * (1.0 - collective_share), community_fees=community,
                on_behalf=prop * collective_share)
