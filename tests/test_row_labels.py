"""Labels across a table's body rows (villagecon.ingest.row_labels): leading label, 合计 text, repeated rows."""

import numpy as np
import pandas as pd

from villagecon.ingest.cells import sheet_cells
from villagecon.ingest.files import RawSheet
from villagecon.ingest.row_labels import leading_label, repeated_rows, subtotal_text


def raw(rows: list[list]) -> RawSheet:
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    grid = pd.DataFrame(padded, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
    return RawSheet(file="t.xlsx", sheet="台账", grid=grid)


# 序号 | 村名 | 经营收入: numbered villages, a 小计 and a 合 计 written with a space.
INCOME = raw(
    [
        ["2022年村集体经济收入表"],
        ["序号", "村名", "经营收入"],
        [1, "上河村", 12.5],
        [2, "下 河村", 3.0],
        ["", "小计", 15.5],
        ["合 计", None, 15.5],
    ]
)


def test_the_leading_label_skips_row_numbers_and_loses_its_spaces():
    cells = sheet_cells(INCOME)
    body = pd.Index([3, 4, 5, 6])
    assert leading_label(cells, body, [0, 1]).tolist() == ["上河村", "下河村", "小计", "合计"]


def test_the_subtotal_text_is_the_first_column_saying_the_row_sums_others():
    cells = sheet_cells(INCOME)
    assert subtotal_text(cells, pd.Index([3, 4, 5, 6]), [0, 1]).tolist() == ["", "", "小计", "合计"]


def long_ledger(repeat_at: int) -> RawSheet:
    """年度 | 村 | 科目 | 金额 over 6,000 lines; the line at ``repeat_at`` written a second time at the end."""
    lines = [
        [2022, f"上河{v}村", item, 1.0 + v]
        for v in range(1500)
        for item in ("经营收入", "投资收益", "补助收入", "经营支出")
    ]
    return raw([["年度", "村", "科目", "金额"], *lines, list(lines[repeat_at]), ["合计", None, None, 9.0]])


def test_a_line_written_twice_repeats_its_first_in_a_long_table():
    cells = sheet_cells(long_ledger(repeat_at=10))
    body = cells.rows[1:]
    kinds = np.array(["data"] * (len(body) - 1) + ["subtotal"], dtype=object)
    repeated = repeated_rows(cells, body, kinds)
    assert repeated.dropna().to_dict() == {6002: 12}  # the copy at row 6002 of the line in row 12
    assert np.isnan(repeated[12]) and np.isnan(repeated[6003])


def test_a_line_written_twice_repeats_its_first_in_a_short_table():
    cells = sheet_cells(INCOME)
    body = pd.Index([3, 4, 5, 6])
    kinds = np.array(["data", "data", "subtotal", "subtotal"], dtype=object)
    assert repeated_rows(cells, body, kinds).isna().all()  # the two 15.5 rows are subtotals, not lines
    twice = sheet_cells(raw([["村名", "经营收入"], ["上河村", 12.5], ["下河村", 3.0], ["上河村", 12.5]]))
    body = pd.Index([2, 3, 4])
    repeated = repeated_rows(twice, body, np.array(["data", "data", "data"], dtype=object))
    assert repeated.dropna().to_dict() == {4: 2}
