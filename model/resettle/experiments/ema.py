"""EMA Workbench adapter (optional extra: ``pip install 'resettle[ema]'``).

``ema_model()`` returns an ``ema_workbench.ReplicatorModel`` whose uncertainties and levers are
resettle's own parameters, with their declared ranges or choices, and whose outcomes are the
headline metrics at a chosen year, averaged over replications. Each replication's seed is
spawned from one root seed, as everywhere in resettle:

    from ema_workbench import perform_experiments
    from resettle.experiments.ema import ema_model
    experiments, outcomes = perform_experiments(ema_model(replications=5), scenarios=50)
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from resettle.errors import ScenarioError
from resettle.experiments.jobs import Job, run_job
from resettle.outcomes import HEADLINE
from resettle.params.catalogue import catalogue
from resettle.params.scenario import Scenario
from resettle.sim.seeds import replication_seeds
from resettle.store.provenance import made_here

DEFAULT_UNCERTAINTIES = ("confidence_bound", "plasticity_decay", "fee_base", "outside_job_rate",
                         "readiness_attitude", "transition_months")
DEFAULT_LEVERS = ("property_fee_payer", "branch_basis", "property_company", "training_capacity",
                  "enforcement_probability")


def evaluate(base: Scenario, metrics: tuple[str, ...], year: int, made_under: dict, seed: int,
             **params) -> dict[str, float]:
    """One replication: the model with ``params`` and ``seed``, metrics at ``year``; refused
    (WorkerMismatch) where it does not run what ``made_under`` says the process that built
    the EMA model runs."""
    month = 12 * year
    job = Job(base, 0, int(seed), overrides=tuple(params.items()), months=month,
              keep_months=(month,), metrics=tuple(metrics), made_under=made_under)
    row = run_job(job).monthly.iloc[-1]
    return {m: float(row[m]) for m in metrics}


def ema_parameter(name: str):
    """The EMA parameter for one of resettle's parameters, over its plausible range (or its
    choices)."""
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    rows = catalogue().set_index("name")
    if name not in rows.index:
        raise ScenarioError(f"ema: {name}: unknown parameter")
    row = rows.loc[name]
    if row["choices"]:
        return CategoricalParameter(name, list(row["choices"]))
    low, high = row["plausible_low"], row["plausible_high"]
    if pd.isna(low) or pd.isna(high) or low == high or isinstance(row["default"], tuple | bool):
        raise ScenarioError(f"ema: {name}: needs a number with a plausible range or a choice")
    if isinstance(row["default"], int):
        return IntegerParameter(name, int(low), int(high))
    return RealParameter(name, float(low), float(high))


def ema_model(base: Scenario | None = None, uncertainties=DEFAULT_UNCERTAINTIES,
              levers=DEFAULT_LEVERS, metrics=HEADLINE, year: int | None = None,
              replications: int = 5, seed: int = 0):
    """A ReplicatorModel of the community; outcomes are replication means."""
    from ema_workbench import ReplicatorModel, ScalarOutcome

    base = base or Scenario()
    year = year or base.horizon_years
    model = ReplicatorModel("resettle", function=partial(
        evaluate, base, tuple(metrics), year, made_here()))
    model.uncertainties = [ema_parameter(n) for n in uncertainties]
    model.levers = [ema_parameter(n) for n in levers]
    model.outcomes = [ScalarOutcome(m, function=np.mean) for m in metrics]
    model.replications = [{"seed": s} for s in replication_seeds(seed, replications)]
    return model
