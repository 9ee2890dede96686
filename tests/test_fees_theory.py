"""Theory checks for the fees submodel: the pay-or-evade rule and its enforcement dynamics.

Published results checked:
- Allingham & Sandmo (1972) with Yitzhaki's (1974) penalty on the evaded amount: a
  risk-neutral household evades nothing iff p(1 + θ) ≥ 1.
- Zaklan, Westerhoff & Stauffer (2009), J. Econ. Interact. Coord. 4: without neighbour
  coupling a free household evades with probability ½; a detected evader (probability p) is
  compliant for k periods, so the long-run evasion share is 1/(2 + kp).
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from resettle.sim.submodels.fees import billing_round, motive, neighbour_share, pay_probability

ROOT_SEED = 20261124


def _rngs(n: int, offset: int = 0) -> list[np.random.Generator]:
    """Independent generators for ``n`` replications from the fixed root seed."""
    return [np.random.default_rng(s)
            for s in np.random.SeedSequence([ROOT_SEED, offset]).spawn(n)]


def weights(base: float = 0.0, w_att: float = 0.0, w_q: float = 0.0, w_b: float = 0.0,
            w_nb: float = 0.0, w_g: float = 0.0) -> SimpleNamespace:
    """The motive's weights, by their short names (every other behaviour at its default)."""
    return SimpleNamespace(fee_base=base, fee_attitude_weight=w_att, fee_quality_weight=w_q,
                           fee_burden_weight=w_b, fee_neighbour_weight=w_nb,
                           fee_grievance_weight=w_g)


def _zero_motive(n: int, rng: np.random.Generator) -> np.ndarray:
    """motive() with every weight and the base at 0: neighbour influence off, zero motive."""
    return motive(attitude=rng.random(n), quality=0.8, burden_pct=rng.uniform(0, 20, n),
                  neighbour_paid=rng.random(n), grievance=rng.random(n), u=weights())


# --------------------------------------------------------------------------------------------
# Allingham–Sandmo / Yitzhaki rule
# --------------------------------------------------------------------------------------------

def test_allingham_sandmo_rule_on_grid() -> None:
    """No evasion iff p(1+θ) ≥ 1 (T = 0, zero motive), on p = i/100, θ = j/10, exact arithmetic."""
    rng = np.random.default_rng(ROOT_SEED)
    m = _zero_motive(3, rng)
    np.testing.assert_array_equal(m, 0.0)
    checked = 0
    for i in range(101):
        for j in range(51):
            exact = Fraction(i, 100) * (1 + Fraction(j, 10))
            if exact == 1:
                continue  # i/100 is not exact in binary: a true tie may round either way
            pay = pay_probability(i / 100, j / 10, m, 0.0)
            np.testing.assert_array_equal(pay, float(exact > 1))
            checked += 1
    assert checked > 5000


@pytest.mark.parametrize(("p", "theta"), [(0.5, 1.0), (0.25, 3.0), (1.0, 0.0), (0.125, 7.0)])
def test_allingham_sandmo_tie_pays(p: float, theta: float) -> None:
    """At the exact tie p(1+θ) = 1 (exactly representable) the household pays (≥, not >)."""
    assert p * (1 + theta) == 1.0
    assert pay_probability(p, theta, 0.0, 0.0) == 1.0
    # Any positive motive tips it further to paying; any negative one to evading.
    assert pay_probability(p, theta, 1e-9, 0.0) == 1.0
    assert pay_probability(p, theta, -1e-9, 0.0) == 0.0


@settings(max_examples=500, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 5.0))
def test_allingham_sandmo_rule_property(p: float, theta: float) -> None:
    """For any p ∈ [0,1], θ ∈ [0,5] away from the tie: pays (prob 1) iff p(1+θ) > 1."""
    exact = Fraction(p) * (1 + Fraction(theta))  # exact rational value of the float inputs
    # Keep clear of the tie by more than float rounding of p·(1+θ) could move it.
    assume(abs(exact - 1) > Fraction(1, 10**9))
    pay = pay_probability(p, theta, 0.0, 0.0)
    assert float(pay) == float(exact > 1)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 5.0), st.floats(-1.0, 1.0))
def test_logit_tends_to_the_deterministic_rule(p: float, theta: float, m: float) -> None:
    """As T → 0 the logit choice becomes the T = 0 rule wherever the margin is not tiny."""
    z = p * (1 + theta) + m - 1
    assume(abs(z) > 1e-3)
    hard = pay_probability(p, theta, m, 0.0)
    soft = pay_probability(p, theta, m, 1e-5)  # |z|/T > 100: σ is within e^-100 of 0 or 1
    assert abs(float(soft) - float(hard)) < 1e-12


# --------------------------------------------------------------------------------------------
# Zaklan, Westerhoff & Stauffer (2009) enforcement dynamics
# --------------------------------------------------------------------------------------------

# (k, p) pairs with θ = 1/p − 1 exactly representable, so p(1+θ) == 1.0 in floating point.
ZWS_CASES = [(0, 0.25), (1, 0.5), (4, 0.25), (10, 0.5), (10, 0.1), (20, 0.125)]


@pytest.mark.parametrize(("k", "p"), ZWS_CASES)
def test_zws_long_run_evasion_share(k: int, p: float) -> None:
    """ZWS (2009): free households evading w.p. ½, locked k periods on detection, evade 1/(2+kp)."""
    theta = 1.0 / p - 1.0
    assert p * (1.0 + theta) == 1.0
    n_households, burn_in, window = 40_000, 200, 400
    rng = np.random.default_rng(np.random.SeedSequence([ROOT_SEED, 100 + k, int(p * 1000)]))
    p_pay = pay_probability(p, theta, np.zeros(n_households), temperature=0.3)
    np.testing.assert_allclose(p_pay, 0.5, atol=1e-15)
    # Everyone starts free (lock 0). Exact propagation of the (k+1)-state lock chain puts it
    # within 5e-6 (total variation) of stationarity after 200 periods for every case here,
    # and the bias of the 400-period window average below 1e-8: negligible against the SE.
    lock = np.zeros(n_households, dtype=np.int64)
    evaded = np.zeros(n_households, dtype=np.int64)
    for t in range(burn_in + window):
        out = billing_round(p_pay, lock, p, k, rng)
        # Bookkeeping invariants of one period.
        assert not np.any(out.evaded & out.paid)
        assert not np.any(out.detected & ~out.evaded)
        assert not np.any(out.evaded & (lock > 0))  # locked households always pay
        assert np.all((out.lock >= 0) & (out.lock <= k))
        lock = out.lock
        if t >= burn_in:
            evaded += out.evaded
    per_household = evaded / window
    share = per_household.mean()
    expected = 1.0 / (2.0 + k * p)
    # Households are independent (no coupling), so the standard error of the mean share is
    # the spread of per-household shares over sqrt(40,000) (about 0.0001-0.0002 here).
    # 5 SE gives a false-alarm chance below 1e-6 per case; requiring SE < 0.001 keeps the
    # test able to tell k from k ± 1 (closest pair: 1/(2+kp) moves by 0.006 at k=20, p=1/8).
    se = per_household.std(ddof=1) / np.sqrt(n_households)
    assert se < 0.001
    assert abs(share - expected) < 5 * se, (share, expected, se)


def test_zws_no_lock_gives_one_half() -> None:
    """ZWS with k = 0: detection has no lasting effect, so households evade half the time."""
    n_households, periods = 50_000, 40
    evasion = []
    for rng in _rngs(5, offset=200):
        p_pay = pay_probability(0.5, 1.0, np.zeros(n_households), temperature=1.0)
        lock = np.zeros(n_households, dtype=np.int64)
        count = 0
        for _ in range(periods):
            out = billing_round(p_pay, lock, 0.5, 0, rng)
            assert np.all(out.lock == 0)
            lock = out.lock
            count += int(out.evaded.sum())
        evasion.append(count / (n_households * periods))
    # With k = 0 every household-period is an independent Bernoulli(½): 2e6 draws per seed
    # give SD 0.00035; 5 SD (0.0018) per seed.
    assert np.all(np.abs(np.array(evasion) - 0.5) < 5 * np.sqrt(0.25 / (n_households * periods)))


def test_detection_rate_and_lock_length() -> None:
    """Evaders are caught at rate p_detect and then pay for exactly k following periods."""
    n, p_detect, k = 100_000, 0.3, 3
    rng = np.random.default_rng(np.random.SeedSequence([ROOT_SEED, 300]))
    p_pay = np.zeros(n)  # nobody pays voluntarily
    out = billing_round(p_pay, np.zeros(n, dtype=np.int64), p_detect, k, rng)
    assert np.all(out.evaded)
    # Binomial(100,000, 0.3): SD 0.00145 in share; 5 SD.
    assert abs(out.detected.mean() - p_detect) < 5 * np.sqrt(p_detect * (1 - p_detect) / n)
    caught = out.detected
    np.testing.assert_array_equal(out.lock, np.where(caught, k, 0))
    lock = out.lock
    for step in range(1, k + 1):
        out = billing_round(p_pay, lock, p_detect, k, rng)
        assert np.all(out.paid[caught]) and not np.any(out.evaded[caught])
        np.testing.assert_array_equal(out.lock[caught], k - step)
        lock = out.lock
    out = billing_round(p_pay, lock, p_detect, k, rng)
    assert np.all(out.evaded[caught])  # free again after k periods


# --------------------------------------------------------------------------------------------
# Monotonicity and the neighbour term
# --------------------------------------------------------------------------------------------

TEMPERATURES = st.sampled_from([0.0, 0.05, 0.3, 1.0])


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 5.0), st.floats(-1.0, 1.0),
       TEMPERATURES)
def test_pay_probability_increases_with_p(p1: float, p2: float, theta: float, m: float,
                                          temp: float) -> None:
    """Higher enforcement probability never lowers the probability of paying."""
    lo, hi = sorted((p1, p2))
    assert pay_probability(lo, theta, m, temp) <= pay_probability(hi, theta, m, temp)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 5.0), st.floats(0.0, 5.0), st.floats(-1.0, 1.0),
       TEMPERATURES)
def test_pay_probability_increases_with_theta(p: float, t1: float, t2: float, m: float,
                                              temp: float) -> None:
    """A higher penalty rate never lowers the probability of paying."""
    lo, hi = sorted((t1, t2))
    assert pay_probability(p, lo, m, temp) <= pay_probability(p, hi, m, temp)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 5.0),
       hnp.arrays(np.float64, st.integers(2, 30), elements=st.floats(-2.0, 2.0)), TEMPERATURES)
def test_pay_probability_increases_with_motive(p: float, theta: float, m: np.ndarray,
                                               temp: float) -> None:
    """Pay probability is non-decreasing in motive, elementwise, and lies in [0, 1]."""
    m = np.sort(m)
    pay = pay_probability(p, theta, m, temp)
    assert pay.shape == m.shape
    assert np.all(np.diff(pay) >= 0)
    assert np.all((pay >= 0) & (pay <= 1))


def test_pay_probability_strictly_increasing_when_noisy() -> None:
    """With T > 0 and an unsaturated margin, pay probability rises strictly in p, θ and motive."""
    grid = np.linspace(0.1, 0.9, 9)
    assert np.all(np.diff(pay_probability(0.5, 1.0, grid - 0.5, 0.3)) > 0)
    assert np.all(np.diff([pay_probability(p, 1.0, 0.0, 0.3) for p in grid]) > 0)
    assert np.all(np.diff([pay_probability(0.5, th, 0.0, 0.3) for th in grid * 2]) > 0)
    # Logit symmetry: σ(z/T) + σ(−z/T) = 1, and σ(0) = ½.
    assert pay_probability(0.5, 1.0, 0.0, 0.3) == 0.5
    np.testing.assert_allclose(pay_probability(0.5, 1.0, 0.2, 0.3)
                               + pay_probability(0.5, 1.0, -0.2, 0.3), 1.0, atol=1e-15)


def test_motive_formula_and_signs() -> None:
    """Motive is base at neutral inputs and rises with attitude, quality and neighbours' paying
    while falling with burden and grievance (positive weights)."""
    w = weights(base=0.1, w_att=0.4, w_q=0.3, w_b=0.02, w_nb=0.2, w_g=0.5)
    none = np.zeros(1)
    neutral = motive(np.array([0.5]), 0.5, np.array([0.0]), np.array([0.5]), none, w)
    np.testing.assert_allclose(neutral, 0.1, atol=1e-15)
    att = motive(np.array([0.0, 1.0]), 0.5, np.zeros(2), np.full(2, 0.5), np.zeros(2), w)
    np.testing.assert_allclose(att, [0.1 - 0.2, 0.1 + 0.2], atol=1e-15)
    q = [motive(np.array([0.5]), qq, np.array([0.0]), np.array([0.5]), none, w)[0]
         for qq in (0.0, 1.0)]
    np.testing.assert_allclose(q, [0.1 - 0.15, 0.1 + 0.15], atol=1e-15)
    burden = motive(np.full(2, 0.5), 0.5, np.array([0.0, 10.0]), np.full(2, 0.5), np.zeros(2),
                    w)
    np.testing.assert_allclose(burden, [0.1, 0.1 - 0.2], atol=1e-15)
    nb = motive(np.full(2, 0.5), 0.5, np.zeros(2), np.array([0.0, 1.0]), np.zeros(2), w)
    np.testing.assert_allclose(nb, [0.1 - 0.2, 0.1 + 0.2], atol=1e-15)
    g = motive(np.full(2, 0.5), 0.5, np.zeros(2), np.full(2, 0.5), np.array([0.0, np.log(2)]),
               w)
    np.testing.assert_allclose(g, [0.1, 0.1 - 0.5 * 0.5], atol=1e-15)


@st.composite
def _buildings(draw: st.DrawFn):
    n_buildings = draw(st.integers(1, 12))
    n = draw(st.integers(1, 60))
    building = draw(hnp.arrays(np.int64, n, elements=st.integers(0, n_buildings - 1)))
    paid = draw(hnp.arrays(np.bool_, n))
    return paid, building, n_buildings


@settings(max_examples=300, deadline=None)
@given(_buildings())
def test_neighbour_share_is_building_payer_share(case) -> None:
    """neighbour_share gives each household its building's payer share (itself included)."""
    paid, building, n_buildings = case
    share = neighbour_share(paid, building, n_buildings)
    assert share.shape == paid.shape
    assert np.all((share >= 0) & (share <= 1))
    for i in range(len(paid)):
        same = building == building[i]
        assert share[i] == pytest.approx(paid[same].sum() / same.sum(), abs=1e-15)
