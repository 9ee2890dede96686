"""How much compiling a process into one fused loop gains over the model's numpy code: the
attitude drift of a month (exposure's sum, plasticity, resentment, ``exposure_drift``) for
4,200 residents, the month's draws given.

The numpy side calls the model's own functions (``attitude.plasticity``, ``resentment``,
``exposure_drift``); the fused side is the same arithmetic written once here as a numba loop,
for this measurement only (the model does not use it). Two variants of the loop: computing
``exp`` and ``expm1`` per resident as the model does, and with plasticity and resentment computed
by numpy before the loop (numpy's vectorised ``exp``, the rest fused). It prints the best of 300
timings of each and whether the loop's attitudes equal numpy's bit for bit (numpy's SIMD
``exp`` and libm's can differ in the last bit).

    .venv/bin/python benchmarks/bench_fused.py
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

REPEATS = 300
MONTHS = 24  # the state the drift is applied to: after the start-up year and one more
CULTURE_EVENTS = 2  # assumption for the measurement: two events this month, half the mass
MASS_SHARE = 0.5  # organisations founded, 40 school seats taken, vanguard reach 5%
SCHOOL_SEATS = 40
VANGUARD_REACH = 0.05


def inputs() -> dict:
    """A Dongyu community after MONTHS months under Scheme 1 and this month's given draws."""
    import resettle
    from resettle.params.scenario import load_scenario

    model = resettle.CommunityModel(load_scenario("scenarios/scheme1.toml"), rng=4)
    model.run(MONTHS)
    r, s = model.people, model.processes.state
    draws = np.random.default_rng(1).random((2, r.n))
    school = np.zeros(r.n, bool)
    school[:SCHOOL_SEATS] = True
    return {"r": r, "u": model.params.uncertainties, "culture_u": draws[0],
            "contact_u": draws[1], "school": school, "reach": np.full(r.n, VANGUARD_REACH),
            "paid": s.paid_own_property_fee[r.household], "grievance": model.homes.grievance,
            "caught": s.caught}


def numpy_drift(x: np.ndarray, d: dict) -> None:
    """The model's arithmetic (``schedule.attitude`` after the influence rounds)."""
    from resettle.sim.population import ADULT_AGE
    from resettle.sim.submodels import attitude

    r, u = d["r"], d["u"]
    plasticity = attitude.plasticity(r.age, u.plasticity_decay)
    p_culture = u.culture_reach * CULTURE_EVENTS \
        * (u.culture_base_reach + (1 - u.culture_base_reach) * MASS_SHARE) \
        * np.where(r.wants_mass_orgs, 1.0, u.culture_reluctant_factor)
    culture = d["culture_u"] < np.minimum(p_culture, 1.0)
    contacted = d["contact_u"] < d["reach"]
    exposed = (u.publicity_effect + u.culture_effect * culture + u.school_effect * d["school"]
               + u.vanguard_effect * contacted + u.job_effect * r.employed
               + u.owner_effect * d["paid"])
    loss = attitude.resentment(d["grievance"], d["caught"], u)[r.household] \
        * (r.age >= ADULT_AGE)
    attitude.exposure_drift(x, plasticity * exposed, plasticity * loss)


@njit(cache=True)
def _fused(x, age, wants, employed, household, culture_u, contact_u, school, reach, paid,
           grievance, caught, plasticity, resent, k):
    """One pass over the residents; ``plasticity``/``resent`` empty: computed in the loop."""
    inline = plasticity.shape[0] == 0
    for i in range(x.shape[0]):
        h = household[i]
        plast = np.exp(-k[0] * max(age[i] - 18.0, 0.0)) if inline else plasticity[i]
        grief = k[11] * -np.expm1(-grievance[h]) if inline else resent[h]
        p_culture = k[1] * k[15] * (k[2] + (1 - k[2]) * k[16]) * (1.0 if wants[i] else k[3])
        exposed = (k[4] + k[5] * (culture_u[i] < min(p_culture, 1.0)) + k[6] * school[i]
                   + k[7] * (contact_u[i] < reach[i]) + k[8] * employed[i] + k[9] * paid[i])
        loss = (grief + k[12] * caught[h]) * (age[i] >= k[13])
        gain = min(max(plast * exposed, 0.0), 1.0)
        drop = min(max(plast * loss, 0.0), 1.0)
        x[i] += gain * (1.0 - x[i]) - drop * x[i]


def fused_drift(x: np.ndarray, d: dict, given: bool) -> None:
    """The fused loop; ``given``: plasticity and resentment computed before it."""
    from resettle.sim.population import ADULT_AGE
    from resettle.sim.submodels import attitude

    r, u = d["r"], d["u"]
    k = np.array([u.plasticity_decay, u.culture_reach, u.culture_base_reach,
                  u.culture_reluctant_factor, u.publicity_effect, u.culture_effect,
                  u.school_effect, u.vanguard_effect, u.job_effect, u.owner_effect, 0.0,
                  u.grievance_resentment, u.enforcement_resentment, ADULT_AGE, 0.0,
                  CULTURE_EVENTS, MASS_SHARE])
    empty = np.empty(0)
    plasticity = attitude.plasticity(r.age, u.plasticity_decay) if given else empty
    resent = u.grievance_resentment * -np.expm1(-d["grievance"]) if given else empty
    _fused(x, r.age, r.wants_mass_orgs, r.employed, r.household, d["culture_u"],
           d["contact_u"], d["school"], d["reach"], d["paid"], d["grievance"], d["caught"],
           plasticity, resent, k)


def best_us(step, start: np.ndarray) -> float:
    """Best of REPEATS timings of ``step`` on a fresh copy of ``start``, in µs."""
    best = float("inf")
    for _ in range(REPEATS):
        x = start.copy()
        t = time.perf_counter()
        step(x)
        best = min(best, time.perf_counter() - t)
    return best * 1e6


def main() -> None:
    """Time both and say whether they agree."""
    d = inputs()
    start = d["r"].attitude.copy()
    ref = start.copy()
    numpy_drift(ref, d)
    for given in (False, True):
        x = start.copy()
        fused_drift(x, d, given)  # compiles
        label = "exp and expm1 by numpy, the rest fused" if given else "exp and expm1 in the loop"
        print(f"fused ({label}): {best_us(lambda y, g=given: fused_drift(y, d, g), start):.0f} µs; "
              f"equal to numpy bit for bit: {np.array_equal(x, ref)} "
              f"(largest difference {np.abs(x - ref).max():.1e})")
    print(f"numpy (the model's code): {best_us(lambda y: numpy_drift(y, d), start):.0f} µs "
          f"for {len(start):,} residents")


if __name__ == "__main__":
    main()
