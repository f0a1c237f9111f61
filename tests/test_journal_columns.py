"""villagecon.journal.columns: the raw frame every journal reader makes."""

from __future__ import annotations

import pandas as pd

from villagecon.journal.columns import RAW_COLUMNS, as_raw, empty_raw


def test_as_raw_adds_missing_columns_and_sets_dtypes():
    frame = pd.DataFrame(
        {
            "county": pd.Categorical(["汝城县", "汝城县"]),
            "village": ["上河村", "上河村"],
            "year": pd.Categorical([2022, 2022]),
            "month": ["3", None],
            "debit": ["12.50", 3.0],
            "row": [4, 5],
        }
    )
    raw = as_raw(frame)
    assert tuple(raw.columns) == RAW_COLUMNS
    assert raw["county"].tolist() == ["汝城县", "汝城县"] and raw["county"].dtype == "str"
    assert raw["year"].dtype == "int64" and raw["year"].tolist() == [2022, 2022]
    assert raw["month"].dtype == "Int64" and raw["month"].isna().tolist() == [False, True]
    assert raw["debit"].tolist() == ["12.50", 3.0]  # amounts stay as written
    assert raw["direction"].isna().all() and raw["credit"].dtype == "str"
    assert "month" in frame and "direction" not in frame  # not mutated


def test_empty_raw_has_every_raw_column():
    assert empty_raw().empty and tuple(empty_raw().columns) == RAW_COLUMNS
