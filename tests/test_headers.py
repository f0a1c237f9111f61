"""Helpers of villagecon.ingest.headers that find where a sheet's tables are."""

import datetime

import pandas as pd

from villagecon.ingest.cells import sheet_cells
from villagecon.ingest.files import RawSheet
from villagecon.ingest.headers import _rows_from, _year_amounts, header_layers


def raw(rows: list[list]) -> RawSheet:
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    grid = pd.DataFrame(padded, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
    return RawSheet(file="t.xlsx", sheet="收入", grid=grid)


def test_amounts_that_are_years_are_told_from_their_numbers_and_texts():
    # 2021, 2022.0 and 2100 stored as numbers, "2023" as text, are years, as _YEAR_TEXT reads their text; 2022.5,
    # 1939, 2101 and 12.5 are not (nor 2023年, which is no amount).
    cells = sheet_cells(
        raw(
            [
                ["项目", 2021, 2022.0, "2023", "2023年"],
                ["经营收入", 2022.5, 1939, 2101, "12.5"],
                ["其他收入", 2100, 2100.0, "2100", 2099.5],
                ["填表日期", datetime.date(2022, 12, 31), None, "-2021", 12.5],
            ]
        )
    )
    assert _year_amounts(cells).tolist() == [
        [False, True, True, True, False],
        [False, False, False, False, False],
        [False, True, True, True, False],
        [False, False, False, False, False],
    ]


def test_rows_from_slice_rows_1_2_3_as_a_mask_would():
    rows = pd.RangeIndex(1, 11)
    assert _rows_from(rows, 3, 6).equals(pd.RangeIndex(3, 6))
    assert _rows_from(rows, 8, 99).tolist() == [8, 9, 10]
    assert len(_rows_from(rows, 12, 20)) == 0
    assert _rows_from(pd.Index([1, 2, 5, 9]), 2, 9).tolist() == [2, 5]


def test_header_layers_of_a_band_given_as_a_list():
    cells = sheet_cells(raw([["村名", "本年收入", None], [None, "经营收入", "投资收益"], ["上河村", 1.0, 2.0]]))
    assert header_layers(cells, [1, 2]) == {0: ("村名",), 1: ("本年收入", "经营收入"), 2: ("本年收入", "投资收益")}
