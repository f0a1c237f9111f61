"""A sheet's cells as the reader sees them (villagecon.ingest.cells): text, numbers, amounts, built per workbook."""

import datetime

import numpy as np
import pandas as pd

from villagecon.ingest.cells import LONG_TEXT, SHORT_TEXT, contains, sheet_cells, sheets_cells
from villagecon.ingest.files import RawSheet


def raw(rows: list[list], sheet: str = "S") -> RawSheet:
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    grid = pd.DataFrame(padded, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
    return RawSheet(file="t.xlsx", sheet=sheet, grid=grid)


INCOME = raw(
    [
        ["2022年上河镇村集体经济收入统计表"],
        ["单位：万元"],
        ["村名", "经营收入", "备注"],
        ["上河村", "40余万元", " — "],
        ["下河村", 12.5, "无"],
        ["合计", "（4.2）", datetime.date(2022, 12, 31)],
    ],
    sheet="收入",
)
DEBT = raw(
    [["村名", "负债"], ["上河村", "负债4.2万元"], ["东村", 2016.0], ["西村", "十二万"], [None, True]], sheet="负债"
)


def test_a_cells_text_is_stripped_and_missing_markers_are_empty():
    cells = sheet_cells(INCOME)
    assert cells.values[3].tolist() == ["上河村", "40余万元", ""]
    assert cells.values[4].tolist() == ["下河村", "12.5", ""]
    assert cells.values[5, 2] == "2022-12-31"


def test_numbers_and_amounts_are_told_apart_from_labels():
    cells = sheet_cells(DEBT)
    assert cells.numbers[:, 1].tolist() == [False, False, True, False, False]
    # 负债4.2万元, 2016 and 十二万 are amounts; a header, a village and true/false are not.
    assert cells.amounts[:, 1].tolist() == [False, True, True, True, False]
    assert cells.values[2, 1] == "2016"
    assert cells.amounts[:, 0].tolist() == [False] * 5


def test_a_workbooks_sheets_read_together_are_read_as_each_alone():
    together = sheets_cells([INCOME, DEBT])
    for sheet, view in zip([INCOME, DEBT], together, strict=True):
        alone = sheet_cells(sheet)
        assert view.sheet is sheet
        assert np.array_equal(view.values, alone.values)
        assert np.array_equal(view.numbers, alone.numbers)
        assert np.array_equal(view.amounts, alone.amounts)
        assert view.rows.equals(sheet.grid.index) and view.columns.equals(sheet.grid.columns)
    assert together[1].values.shape == (5, 2)


def test_the_dataframe_views_match_the_arrays():
    cells = sheet_cells(INCOME)
    assert cells.text_dtype is SHORT_TEXT
    assert cells.text.loc[4, 1] == "40余万元" and cells.text.dtypes.iloc[0] == SHORT_TEXT
    assert cells.amount.loc[6, 1] and not cells.amount.loc[6, 0]
    assert cells.number.loc[5, 1] and not cells.number.loc[4, 1]
    assert cells.row_text(4).tolist() == ["上河村", "40余万元", ""]
    assert cells.column_text(cells.row_positions(pd.Index([4, 5])), 0).tolist() == ["上河村", "下河村"]


def test_a_long_sheets_text_is_arrow_backed():
    long = raw([["村名", "经营收入"], *[[f"村{i}", i] for i in range(6000)]])
    cells = sheet_cells(long)
    assert cells.text_dtype is LONG_TEXT
    assert cells.values[6000, 0] == "村5999" and cells.amounts[1:, 1].all()


def test_contains_matches_nothing_for_a_missing_text():
    texts = pd.Series(["合计", None, "小 计"], dtype=object)
    assert contains(texts, r"合计|小\s*计").tolist() == [True, False, True]
