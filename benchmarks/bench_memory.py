"""Memory of one run against the community's size: the source of
``resettle.experiments.limits.RUN_BASE_BYTES``, ``RESIDENT_BYTES`` and ``DRIVER_BYTES``.

Each size runs in a fresh process (peak resident set size, ``ru_maxrss``), 12 months, with
households, residents, temporary residents and party members scaled together from Dongyu's
(BRIEF §1):

    .venv/bin/python benchmarks/bench_memory.py            # sizes 1, 5, 10, 20 x Dongyu

prints one line per size and the least-squares line through them (bytes per resident, and the
intercept above the process's memory after imports).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

CHILD = """
import resource, json, sys
from resettle import CommunityModel
from resettle.params.scenario import Scenario
k = int(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
s = Scenario().replace(households=1750 * k, residents=4200 * k, temporary_residents=800 * k,
                       party_members=98 * k, horizon_years=1)
CommunityModel(scenario=s, rng=1).run(12)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"k": k, "residents": 4200 * k, "imports": before, "peak": peak}))
"""
SIZES = (1, 5, 10, 20)


def measure(k: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(k)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    rows = [measure(k) for k in SIZES]
    for r in rows:
        print(f"{r['residents']:>7} residents: imports {r['imports'] / 2**20:6.1f} MiB, "
              f"peak {r['peak'] / 2**20:6.1f} MiB, run {(r['peak'] - r['imports']) / 2**20:6.1f}"
              " MiB")
    x = np.array([r["residents"] for r in rows], float)
    y = np.array([r["peak"] - r["imports"] for r in rows], float)
    slope, intercept = np.polyfit(x, y, 1)
    print(f"fit: {slope:.0f} bytes per resident + {intercept / 2**20:.1f} MiB per run; "
          f"imports {np.mean([r['imports'] for r in rows]) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
