"""What tables that are the same on every CPU would cost: a measurement, not a model change.

A seed's table depends on numpy's SIMD level because numpy's ``exp``, ``log`` and ``expm1``
round differently with AVX-512 and without (README, "Results are identical"). The fix would be
these functions in plain arithmetic (``+ - * /`` and exact scaling, which round alike
everywhere). This script measures the two numbers that decide whether that is affordable:

* how often a default 15-year run calls the functions, and on how many elements (each wrapped
  with a counter for one run);
* how long a plain-arithmetic ``exp`` written in numpy takes on one month's array, against
  numpy's (Cody–Waite reduction and fdlibm's ``e_exp.c`` polynomial; its error against the C
  library's ``exp`` is reported too).

    .venv/bin/python benchmarks/bench_plain_math.py [--out benchmarks/results_plain_math.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import platform
import time
from datetime import date

import numpy as np

# fdlibm e_exp.c: ln 2 split in two, 1/ln 2, and the Remez coefficients of R(r^2)
LN2_HI, LN2_LO, INV_LN2 = 6.93147180369123816490e-01, 1.90821492927058770002e-10, \
    1.44269504088896338700e+00
P = (1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05,
     -1.65339022054652515390e-06, 4.13813679705723846039e-08)
ELEMENTS = 4200  # the default community's residents: one month's array
CALLS = 2000  # timed calls of each exp


def plain_exp(x: np.ndarray) -> np.ndarray:
    """exp(x) from additions, multiplications, one division and exact scaling by 2^k."""
    k = np.rint(x * INV_LN2)
    hi, lo = x - k * LN2_HI, k * LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (P[0] + t * (P[1] + t * (P[2] + t * (P[3] + t * P[4]))))
    return np.ldexp(1.0 - ((lo - (r * c) / (2.0 - c)) - hi), k.astype(np.int64))


def count_calls() -> dict:
    """Calls and mean elements per call of each function in one default run (after a short
    warm-up run, so that numba's compiled loop is loaded before numpy is wrapped)."""
    import resettle
    from resettle.sim.submodels import fees

    resettle.CommunityModel(resettle.Scenario(), rng=1).run(months=2)
    calls, elements = collections.Counter(), collections.Counter()

    def counted(name, f):
        def g(*args, **kwargs):
            calls[name] += 1
            elements[name] += np.size(args[0])
            return f(*args, **kwargs)
        return g

    originals = {n: getattr(np, n) for n in ("exp", "log", "expm1")}
    expit = fees.expit
    try:
        for name, f in originals.items():
            setattr(np, name, counted(name, f))
        fees.expit = counted("expit", expit)
        resettle.CommunityModel(resettle.Scenario(), rng=1).run()
    finally:
        for name, f in originals.items():
            setattr(np, name, f)
        fees.expit = expit
    return {n: {"calls": calls[n], "mean_elements": round(elements[n] / calls[n])}
            for n in calls}


def time_exp() -> dict:
    """Microseconds per call on ELEMENTS values, numpy's exp and plain_exp; plain_exp's error."""
    x = np.random.default_rng(1).uniform(-30.0, 5.0, ELEMENTS)
    libm = np.array([math.exp(v) for v in x])
    ulps = np.abs(plain_exp(x) - libm) / np.spacing(libm)
    out = {"max_ulp_vs_libm": float(ulps.max()), "equal_to_libm": float(np.mean(ulps == 0))}
    for name, f in (("numpy_exp_us", np.exp), ("plain_exp_us", plain_exp)):
        for _ in range(100):
            f(x)
        start = time.perf_counter()
        for _ in range(CALLS):
            f(x)
        out[name] = round((time.perf_counter() - start) / CALLS * 1e6, 1)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="also write the results as JSON here")
    args = ap.parse_args()
    result = {"date": date.today().isoformat(), "machine": platform.platform(),
              "processor": platform.processor(), "calls": count_calls(), "exp": time_exp()}
    print(json.dumps(result, indent=1))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
