"""The model runs unchanged under mesa.batch_run, and as an EMA Workbench ReplicatorModel."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

import resettle
from resettle import CommunityModel
from resettle.store.provenance import made_here


def test_batch_run_uses_overrides_and_seeds() -> None:
    """batch_run passes parameters by name and seeds by rng; the results match direct runs."""
    results = pd.DataFrame(mesa.batch_run(
        CommunityModel, parameters={"horizon_years": 1, "training_capacity": [0, 80]},
        max_steps=12, number_processes=1, data_collection_period=-1, display_progress=False,
        rng=[11, 12]))
    assert len(results) == 4
    assert set(results["training_capacity"]) == {0, 80}
    direct = CommunityModel(resettle.Scenario(horizon_years=1), rng=12,
                            training_capacity=80).run()
    row = results[(results["rng"] == 12) & (results["training_capacity"] == 80)].iloc[0]
    assert row["employment"] == pytest.approx(direct["employment"].iloc[-1], abs=0)
    assert row["attitude"] == pytest.approx(direct["attitude"].iloc[-1], abs=0)


def test_ema_replicator_model_runs_experiments() -> None:
    """perform_experiments on the adapter: every outcome a replication mean in [0, 1]."""
    ema = pytest.importorskip("ema_workbench")
    from resettle.experiments.ema import ema_model, evaluate

    base = resettle.Scenario(horizon_years=1)
    model = ema_model(base, metrics=("attitude", "employment"), replications=2, seed=3)
    experiments, outcomes = ema.perform_experiments(model, scenarios=3, policies=2)
    assert len(experiments) == 6
    assert set(outcomes) == {"attitude", "employment"}
    for values in outcomes.values():
        assert values.shape == (6,) and np.all((values >= 0) & (values <= 1))
    # the first experiment equals the mean of two direct replications with the spawned seeds
    first = experiments.iloc[0]
    params = {p.name: first[p.name] for p in (*model.uncertainties, *model.levers)}
    params = {k: (v.item() if hasattr(v, "item") else v) for k, v in params.items()}
    seeds = [r["seed"] for r in model.replications]
    direct = np.mean([resettle.CommunityModel(base.replace(**params), rng=int(s)).run()
                      ["attitude"].iloc[-1] for s in seeds])
    assert outcomes["attitude"][0] == pytest.approx(direct, abs=1e-12)
    assert evaluate(base, ("attitude",), 1, made_here(), seeds[0], **params)["attitude"] == \
        resettle.CommunityModel(base.replace(**params), rng=int(seeds[0])).run()[
            "attitude"].iloc[-1]


def test_ema_parameters_follow_the_catalogue() -> None:
    """Uncertainties and levers carry resettle's plausible ranges and choices."""
    pytest.importorskip("ema_workbench")
    from resettle.experiments.ema import ema_parameter

    fee = ema_parameter("property_fee_payer")
    assert list(fee.categories) == [c for c in fee.categories] and len(fee.categories) == 2
    eps = ema_parameter("confidence_bound")
    assert (eps.lower_bound, eps.upper_bound) == (0.0, 1.0)
    seats = ema_parameter("training_capacity")
    assert (seats.lower_bound, seats.upper_bound) == (0, 200)  # plausible, not the valid 5e6
    with pytest.raises(resettle.ScenarioError):
        ema_parameter("no_such_parameter")
