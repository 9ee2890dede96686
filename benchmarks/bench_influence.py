"""The month's social-influence rounds alone, for interleaving two versions of the code.

Builds the default Dongyu community (4,200 residents), runs it 24 months, then times
``influence.influence_month`` (draws and rounds together) on copies of the month-24
attitudes, for each number of rounds asked (``contacts_per_month``: 4 by default, uniform on
[0, 60] in the plausible worlds). Prints microseconds per round and nanoseconds per resident
and round, best of ``--repeats``. It calls the version on ``PYTHONPATH``::

    git worktree add /tmp/base 205029c
    .venv/bin/python benchmarks/bench_influence.py --rounds 4 30
    PYTHONPATH=/tmp/base/model .venv/bin/python benchmarks/bench_influence.py --rounds 4 30

(before 2026-12-02 the rounds drew from a numpy stream, ``influence_month(..., rng)``; since,
from a counter-based key, ``influence_month(..., key, month)``: both are handled.)
"""

from __future__ import annotations

import argparse
import inspect
import time

import numpy as np

MONTH = 24


def month_call(rounds: int):
    """A function that runs one month of ``rounds`` influence rounds on fresh copies."""
    import resettle
    from resettle.sim.network import ContactSampler, GroupSampler
    from resettle.sim.submodels import attitude, influence

    model = resettle.CommunityModel(rng=5)
    model.run(MONTH)
    r, u = model.people, model.params.uncertainties
    share = model.processes.state.areas_formed / max(model.levers.building_areas, 1)
    sampler = ContactSampler([GroupSampler(attitude.work_groups(r))],
                             attitude.tie_weights(u, share), model.processes.static_rows)
    mu = u.convergence_rate * attitude.plasticity(r.age, u.plasticity_decay)
    counter_based = "key" in inspect.signature(influence.influence_month).parameters
    if counter_based:
        draws = (model.processes.streams.counter_key("influence"), MONTH)
    else:
        draws = (np.random.Generator(np.random.Philox(5)),)
    start = r.attitude.copy()
    return lambda: influence.influence_month(start.copy(), mu, u.confidence_bound, sampler,
                                             rounds, *draws), r.n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, nargs="+", default=[4, 30])
    ap.add_argument("--repeats", type=int, default=50)
    args = ap.parse_args()
    for rounds in args.rounds:
        call, n = month_call(rounds)
        call()  # compile or load the cache
        best = min(_timed(call) for _ in range(args.repeats))
        print(f"rounds {rounds}: {best * 1e6 / rounds:.1f} us per round, "
              f"{best * 1e9 / rounds / n:.1f} ns per resident and round "
              f"({best * 1e3:.3f} ms a month)")


def _timed(call) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
