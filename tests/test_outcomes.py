"""The static list of outcome columns (``resettle.outcomes``) is what the model records."""

from __future__ import annotations

import pandas as pd

import resettle
from resettle.outcomes import (
    COMPARABLE,
    DEFAULT_METRICS,
    FOUR_MEASURES,
    HEADLINE,
    RUN_COLUMNS,
)

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
