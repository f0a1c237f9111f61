"""A sheet's cells as the reader sees them (villagecon.ingest.cells): text, numbers, amounts, built per workbook."""

import dataclasses
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


# A long ledger (more rows than a short column's 5,000): 年度 | 乡镇 | 村 | 科目 | 金额, villages repeating their items.
LEDGER_ROWS = [
    [year, "濠头乡" if v % 2 else "土桥镇", f"上河{v}村", item, 1.5 + v]
    for year in (2021, 2022, 2023)
    for v in range(400)
    for item in ("经营收入", "投资收益", "补助收入", "其他收入", "经营支出")
]
LEDGER = raw([["2021—2023年村级集体经济收支台账"], ["年度", "乡镇", "村", "科目", "金额（万元）"], *LEDGER_ROWS])


def test_row_positions_of_rows_1_2_3_are_worked_out_as_a_dict_would_give_them():
    from villagecon.ingest.cells import RowRange

    positions = sheet_cells(INCOME).row_position
    assert isinstance(positions, RowRange)
    assert positions[1] == 0 and positions[np.int64(6)] == 5
    assert 6 in positions and 7 not in positions and 0 not in positions and "3" not in positions
    assert dict(positions) == {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5} and len(positions) == 6


def test_a_column_as_codes_of_its_distinct_texts():
    cells = sheet_cells(LEDGER)
    codes, distinct = cells.column_codes(1)
    assert distinct.tolist() == ["", "乡镇", "土桥镇", "濠头乡"]
    assert (distinct[codes] == cells.values[:, 1]).all()
    assert cells.column_codes(1)[0] is codes  # factorized once


def test_a_long_search_matches_each_distinct_text_once_as_arrow_would():
    from villagecon.ingest.cells import column_search, distinct_search, search

    cells = sheet_cells(LEDGER)
    assert len(cells.rows) == 6002
    found = search(cells.values[:, 3], r"收入$")
    assert found.sum() == 3 * 1200 and found[2] and not found[6]  # 投资收益, 经营支出 are not
    assert distinct_search(np.array(["经营收入", "经营支出", None], dtype=object), r"收入$").tolist() == [
        True,
        False,
        False,
    ]
    every_row = np.arange(len(cells.rows))
    assert (column_search(cells, every_row, 3, r"收入$") == found).all()
    # RE2's \d is ASCII: a full-width ２０２１ is no year in a long column, as in a short one.
    texts = np.array(["２０２１", "2021"] * 3000, dtype=object)
    assert search(texts, r"^\d{4}$").tolist()[:2] == [False, True]
    assert search(texts[:2], r"^\d{4}$").tolist() == [False, True]


def test_spaces_are_removed_from_each_distinct_text_of_a_long_column():
    from villagecon.ingest.cells import distinct_spaces_removed, spaces_removed

    texts = np.array(["合 计", "小\u3000计", "上河村"] * 2000, dtype=object)
    assert spaces_removed(texts)[:3].tolist() == ["合计", "小计", "上河村"]
    assert distinct_spaces_removed(np.array(["本月 合计"], dtype=object)).tolist() == ["本月合计"]


def test_a_function_of_each_distinct_value():
    from villagecon.ingest.cells import each_distinct

    seen = []

    def length(text):
        seen.append(text)
        return len(text)

    texts = np.array(["上河村", "濠头乡土桥村"] * 3000, dtype=object)
    assert each_distinct(texts, length)[:3].tolist() == [3, 6, 3] and seen == ["上河村", "濠头乡土桥村"]
    assert each_distinct(np.array(["元", "万元", "元"], dtype=object), len).tolist() == [1, 2, 1]


def test_filled_codes_give_a_merged_label_over_the_cells_it_covers():
    from villagecon.ingest.cells import filled_codes

    sheet = raw([["序号", "村名", "金额"], ["合计", None, 5.0], ["1", "上河村", 2.0], ["2", "下河村", 3.0]])
    sheet = dataclasses.replace(sheet, merged=[(2, 0, 2, 1)])  # 合计 merged over 序号 and 村名
    cells = sheet_cells(sheet)
    (number_codes, numbers), (village_codes, villages) = filled_codes(cells, pd.Index([2, 3, 4]), [0, 1])
    assert villages[village_codes].tolist() == ["合计", "上河村", "下河村"]
    assert numbers[number_codes].tolist() == ["合计", "1", "2"]


def test_one_object_is_put_in_every_row_picked():
    from villagecon.ingest.cells import one_object

    kinds = np.array(["data", "data", "blank"], dtype=object)
    put = np.where(np.array([True, False, False]), one_object("subtotal"), kinds)
    assert put.dtype == object and put.tolist() == ["subtotal", "data", "blank"]


def test_matches_of_words_only_leave_numbers_out():
    from villagecon.ingest.words import FOOTER_PATTERN

    sheet = raw([["村名", "金额"], ["上河村", 12.5], ["填表人：张三", None], ["* 单位负责人", 3.0], ["a:b", "12"]])
    cells = sheet_cells(sheet)
    everything = cells.matches(FOOTER_PATTERN, long=False)
    assert everything[:, 0].tolist() == [False, False, True, True, False]
    assert (cells.matches(FOOTER_PATTERN, long=False, words_only=True) == everything).all()
    assert (cells.matches(FOOTER_PATTERN, long=True) == everything).all()  # Arrow says the same here


def test_merged_down_codes_fill_a_village_merged_over_its_rows():
    from villagecon.ingest.cells import merged_down_codes

    rows = [["村名", "年度", "金额"], ["上河村", "本年", 5.0], [None, "上年", 4.0], ["下河村", "本年", 3.0]]
    merged = dataclasses.replace(raw(rows), merged=[(2, 0, 3, 0)])  # 上河村 merged over 本年 and 上年
    codes, distinct = merged_down_codes(sheet_cells(merged), pd.Index([2, 3, 4]), 0)
    assert distinct[codes].tolist() == ["上河村", "上河村", "下河村"]
    codes, distinct = merged_down_codes(sheet_cells(raw(rows)), pd.Index([2, 3, 4]), 0)
    assert distinct[codes].tolist() == ["上河村", "", "下河村"]


def test_a_function_of_each_text_of_a_column_and_of_each_code():
    from villagecon.ingest.cells import column_each, each_code

    cells = sheet_cells(LEDGER)
    every_row = np.arange(2, len(cells.rows))  # the ledger's lines, under its title and header
    items = column_each(cells, every_row, 3, len)
    assert items[:5].tolist() == [4, 4, 4, 4, 4] and len(items) == 6000
    asked = []
    codes = np.array([1, 1, 0], dtype=np.intp)
    distinct = np.array(["上河村", "濠头乡", "土桥镇"], dtype=object)
    assert each_code(codes, distinct, lambda t: asked.append(t) or t[-1]).tolist() == ["乡", "乡", "村"]
    assert sorted(asked) == ["上河村", "濠头乡"]  # 土桥镇, which no code names, is not asked for


def test_a_bodys_text_is_a_view_of_the_sheets_where_its_rows_follow_each_other():
    cells = sheet_cells(INCOME)
    body = cells.rows_text(pd.RangeIndex(4, 7))
    assert body.tolist() == cells.values[3:6].tolist() and np.shares_memory(body, cells.values)
    picked = cells.rows_text(pd.Index([4, 6]))
    assert picked[:, 0].tolist() == ["上河村", "合计"] and not np.shares_memory(picked, cells.values)
