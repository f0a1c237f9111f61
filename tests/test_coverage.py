"""Which data rows each subtotal row sums (villagecon.ingest.coverage)."""

import pandas as pd

from villagecon.ingest.coverage import entity_coverage, no_coverage, subtotal_coverage
from villagecon.ingest.places import TOWNSHIP


def pairs(frame: pd.DataFrame) -> list[tuple[int, int]]:
    return list(zip(frame["subtotal_row"].tolist(), frame["row"].tolist(), strict=True))


def test_no_coverage_is_empty_int64():
    empty = no_coverage()
    assert empty.empty and list(empty.columns) == ["subtotal_row", "row"]
    assert list(empty.dtypes) == ["int64", "int64"]


def test_a_xiaoji_sums_its_block_and_a_heji_every_data_row():
    rows = pd.Index([5, 6, 7, 8, 9, 10])
    kinds = pd.Series(["data", "data", "subtotal", "data", "subtotal", "subtotal"], index=rows)
    labels = pd.Series(["", "", "小计", "", "合计", "本月合计"], index=rows)
    assert pairs(subtotal_coverage(kinds, labels)) == [(7, 5), (7, 6), (9, 5), (9, 6), (9, 8)]


def test_a_xiaoji_above_its_block_sums_the_rows_under_it():
    rows = pd.Index([3, 4, 5])
    kinds = pd.Series(["subtotal", "data", "data"], index=rows)
    labels = pd.Series(["小计", "", ""], index=rows)
    assert pairs(subtotal_coverage(kinds, labels)) == [(3, 4), (3, 5)]


def test_a_township_row_sums_the_villages_naming_it():
    rows = pd.Index([5, 6, 7, 8])
    kinds = pd.Series(["data", "data", "data", "subtotal"], index=rows)
    labels = pd.Series(["", "", "", "濠头乡"], index=rows)
    townships = pd.Series(["濠头乡", "南朗镇", "濠头乡", None], index=rows, dtype=object)
    places = pd.Series([None, None, None, "濠头乡"], index=rows, dtype=object)
    level = pd.Series([None, None, None, TOWNSHIP], index=rows, dtype=object)
    coverage, summaries = entity_coverage(kinds, labels, townships, places, level, has_township=True)
    assert pairs(coverage) == [(8, 5), (8, 7)]
    assert summaries.empty


def test_a_summary_by_township_lists_the_township_it_sums():
    rows = pd.Index([5, 6, 7])
    kinds = pd.Series(["subtotal", "subtotal", "subtotal"], index=rows)
    labels = pd.Series(["濠头乡", "南朗镇", "合计"], index=rows)
    townships = pd.Series([None, None, None], index=rows, dtype=object)
    places = pd.Series(["濠头乡", "南朗镇", None], index=rows, dtype=object)
    level = pd.Series([TOWNSHIP, TOWNSHIP, None], index=rows, dtype=object)
    coverage, summaries = entity_coverage(kinds, labels, townships, places, level, has_township=False)
    assert coverage.empty
    assert summaries.to_dict("records") == [
        {"subtotal_row": 5, "summary": "township:濠头乡"},
        {"subtotal_row": 6, "summary": "township:南朗镇"},
        {"subtotal_row": 7, "summary": "township:濠头乡|township:南朗镇"},
    ]
