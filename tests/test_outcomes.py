"""The static list of outcome columns (``resettle.outcomes``) is what the model records."""

from __future__ import annotations

import pandas as pd

import resettle
from resettle.outcomes import (
    COMPARABLE,
    DEFAULT_METRICS,
    EVENT_KEYS,
    FEE_KEYS,
    HEADLINE,
    RUN_COLUMNS,
    SUBSCORES,
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


def test_named_groups_are_comparable() -> None:
    for group in (HEADLINE, DEFAULT_METRICS, FEE_KEYS, EVENT_KEYS,
                  tuple(f"maturity_{s}" for s in SUBSCORES)):
        assert set(group) <= set(COMPARABLE)
    assert len(set(COMPARABLE)) == len(COMPARABLE)
