"""The static list of outcome columns (``resettle.outcomes``) is what the model records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import resettle
from resettle.outcomes import (
    COMPARABLE,
    DEFAULT_METRICS,
    FOUR_MEASURES,
    HEADLINE,
    RUN_COLUMNS,
)
from resettle.sim.monthly_table import people_metrics, ratios
from resettle.sim.population import group_masks, working_age

SMALL = dict(residents=60, households=24, party_members=4, cadres=8)


def table() -> pd.DataFrame:
    model = resettle.CommunityModel(resettle.Scenario(horizon_years=1).replace(**SMALL), rng=3)
    return model.run()


def test_the_list_is_the_tables_columns_in_order() -> None:
    frame = table()
    assert list(frame.columns) == [*RUN_COLUMNS, *COMPARABLE, "version"]
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    assert [c for c in numeric if c not in RUN_COLUMNS] == list(COMPARABLE)


def test_the_reported_metrics_are_columns_of_the_table() -> None:
    columns = set(table().columns)
    for group in (HEADLINE, DEFAULT_METRICS, FOUR_MEASURES):
        assert set(group) <= columns
    assert len(set(COMPARABLE)) == len(COMPARABLE)


def test_people_metrics_group_means_match_masked_means() -> None:
    """The monthly table's attitude and employment by group (bincounts) equal plain masked
    means over the residents, month after month; a group nobody is in gives NaN."""
    model = resettle.CommunityModel(rng=2, residents=600, households=250, party_members=14)
    for _ in range(13):
        model.step()
        r, row = model.people, people_metrics(model)
        g = group_masks(r.age, r.female)
        working = working_age(r.age, r.female, model.params.community)
        assert row["attitude"] == pytest.approx(r.attitude[r.age >= 16].mean(), abs=1e-12)
        assert row["attitude_under40"] == pytest.approx(r.attitude[g["under40"]].mean(),
                                                        abs=1e-12)
        assert row["attitude_40_59"] == pytest.approx(
            r.attitude[(r.age >= 40) & (r.age < 60)].mean(), abs=1e-12)
        assert row["attitude_60plus"] == pytest.approx(r.attitude[r.age >= 60].mean(),
                                                       abs=1e-12)
        for key in ("under40", "prime", "4050"):
            assert row[f"employment_{key}"] == pytest.approx(
                r.employed[g[key] & working].mean(), abs=1e-12)
    np.testing.assert_array_equal(ratios(np.array([1.0, 3.0]), np.array([0, 0]), 2),
                                  [2.0, np.nan])
