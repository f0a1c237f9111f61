"""villagecon.ingest.sheet: read_sheet's reading of one sheet — its rows' kinds, amount cells, tables, columns —
or why it skipped the sheet, or the error naming the cell it could not place.

Sheets are built by hand as an office types them: a RawSheet of rows (row 1 first), or an .xlsx written with
openpyxl and read back with read_sheets.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from villagecon.errors import HeaderNotFoundError, UnitError
from villagecon.ingest.files import read_sheets
from villagecon.ingest.layout_file import SheetLayout
from villagecon.ingest.raw_sheet import RawSheet
from villagecon.ingest.sheet import CELL_COLUMNS, COLUMN_COLUMNS, TABLE_COLUMNS, SheetReading, read_sheet
from villagecon.ingest.words import Vocabulary
from villagecon.vocab.synonyms import header_key


def sheet_of(rows: list[list], *, file: str = "濠头乡2022.xlsx", sheet: str = "2022年", formulas=()) -> RawSheet:
    """A RawSheet of ``rows`` as typed, row 1 first; None is an empty cell."""
    width = max(len(row) for row in rows)
    grid = pd.DataFrame(
        [["" if value is None else value for value in row] + [""] * (width - len(row)) for row in rows],
        index=range(1, len(rows) + 1),
        dtype=object,
    )
    return RawSheet(file=file, sheet=sheet, grid=grid, uncached_formulas=frozenset(formulas))


def kinds(reading: SheetReading) -> list[str]:
    return reading.rows["kind"].tolist()


def listed(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """Rows of ``frame`` as lists, None where missing."""
    return frame[columns].astype(object).where(frame[columns].notna(), None).values.tolist()


# A township's statistics form: title, unit line, villages down, items across, a 合计 row, a note.
TOWNSHIP_FORM = [
    ["汝城县濠头乡2022年村级集体经济收入统计表"],
    ["单位：万元"],
    ["村名", "经营收入", "补助收入", "本年收入合计"],
    ["上河村", 20, 5, 25],
    ["大坪村", 5.5, "4", 9.5],
    ["合计", 25.5, 9, 34.5],
    ["注：本表为测试数据"],
]


def test_a_township_form_is_read_row_by_row_and_cell_by_cell():
    reading = read_sheet(sheet_of(TOWNSHIP_FORM))
    assert reading.skipped is None and reading.layout == "villages down, items across"
    assert reading.rows["row"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert kinds(reading) == ["title", "unit", "header", "data", "data", "subtotal", "note"]
    assert list(reading.cells.columns) == [*CELL_COLUMNS, "table"]
    cells = reading.cells.sort_values(["row", "col"])
    assert listed(cells, ["row", "col", "village", "item", "value", "unit", "row_kind", "kind", "year"]) == [
        [4, 1, "上河村", "operating_income", 20, "万元", "data", "annual", 2022],
        [4, 2, "上河村", "subsidy_income", 5, "万元", "data", "annual", 2022],
        [4, 3, "上河村", "total_income", 25, "万元", "data", "annual", 2022],
        [5, 1, "大坪村", "operating_income", 5.5, "万元", "data", "annual", 2022],
        [5, 2, "大坪村", "subsidy_income", "4", "万元", "data", "annual", 2022],
        [5, 3, "大坪村", "total_income", 9.5, "万元", "data", "annual", 2022],
        [6, 1, None, "operating_income", 25.5, "万元", "subtotal", "annual", 2022],
        [6, 2, None, "subsidy_income", 9, "万元", "subtotal", "annual", 2022],
        [6, 3, None, "total_income", 34.5, "万元", "subtotal", "annual", 2022],
    ]
    # The place comes from the title; every cell carries it.
    assert set(reading.cells["county"]) == {"汝城县"} and set(reading.cells["township"]) == {"濠头乡"}
    assert reading.cells["problem"].isna().all() and reading.cells["column"].iloc[0] == "经营收入"
    # The 合计 row covers the two villages above it.
    assert listed(reading.coverage, ["table", "subtotal_row", "row"]) == [[1, 6, 4], [1, 6, 5]]


def test_the_tables_and_columns_say_how_the_sheet_was_understood():
    reading = read_sheet(sheet_of(TOWNSHIP_FORM))
    assert list(reading.tables.columns) == list(TABLE_COLUMNS) and len(reading.tables) == 1
    table = reading.tables.iloc[0]
    assert (table["header_first"], table["header_last"], table["body_first"], table["body_last"]) == (3, 3, 4, 7)
    assert (table["year"], table["year_source"], table["unit"], table["unit_source"]) == (
        2022,
        "the title",
        "万元",
        "the 单位 line",
    )
    assert (table["county"], table["county_source"], table["township"], table["village"]) == (
        "汝城县",
        "the title",
        "濠头乡",
        None,
    )
    assert table["orientation"] == "villages down, items across" and table["notes"] is None
    assert list(reading.columns.columns) == list(COLUMN_COLUMNS)
    assert listed(reading.columns, ["column", "header", "meaning", "role", "item", "unit"]) == [
        ["A", "村名", "village", "village", None, None],
        ["B", "经营收入", "item operating_income", "value", "operating_income", "万元"],
        ["C", "补助收入", "item subsidy_income", "value", "subsidy_income", "万元"],
        ["D", "本年收入合计", "item total_income", "value", "total_income", "万元"],
    ]


def test_a_ledger_of_lines_takes_its_unit_from_the_amount_header():
    reading = read_sheet(
        sheet_of(
            [
                ["2021年村级集体经济收支台账"],
                ["年度", "村名", "科目", "金额（元）"],
                [2021, "上河村", "经营收入", 12000],
                ["2021年", "上河村", "管理费用", "1,234.5"],
                [2021, "大坪村", "经营收入", "4.2万"],
            ],
            file="台账.xlsx",
            sheet="台账",
        )
    )
    assert kinds(reading) == ["title", "header", "data", "data", "data"]
    assert reading.layout == "villages and items and years down"
    assert listed(reading.cells, ["row", "col", "village", "item", "value", "unit", "kind"]) == [
        [3, 3, "上河村", "operating_income", 12000, "元", "line"],
        [4, 3, "上河村", "admin_expense", "1,234.5", "元", "line"],
        [5, 3, "大坪村", "operating_income", "4.2万", "元", "line"],
    ]
    assert listed(reading.columns, ["column", "role", "unit"]) == [
        ["A", "year", None],
        ["B", "village", None],
        ["C", "item", None],
        ["D", "value", "元"],
    ]


def test_a_statement_takes_its_village_from_the_sheet_name_and_years_from_its_columns():
    reading = read_sheet(
        sheet_of(
            [
                ["汝城县濠头乡上河村收益分配表"],
                ["单位：元"],
                ["项目", "2021年", "2022年"],
                ["一、本年收入", 150000, 260000],
                ["  1.经营收入", 100000, 180000],
                ["二、本年支出", 90000, 120000],
                ["三、本年收益", 60000, 140000],
            ],
            sheet="上河村",
        )
    )
    assert reading.layout == "items down, years across"
    assert listed(reading.cells.loc[reading.cells["year"].eq(2022)], ["row", "village", "item", "value"]) == [
        [4, "上河村", "total_income", 260000],
        [5, "上河村", "operating_income", 180000],
        [6, "上河村", "total_expense", 120000],
        [7, "上河村", "net_income", 140000],
    ]
    assert reading.cells["year"].value_counts().sort_index().to_dict() == {2021: 4, 2022: 4}
    table = reading.tables.iloc[0]
    assert (table["village"], table["village_source"]) == ("上河村", "the sheet name")
    assert reading.columns["year"].tolist()[1:] == [2021, 2022]


def test_a_title_year_the_columns_contradict_is_noted_on_the_header_row():
    reading = read_sheet(
        sheet_of(
            [
                ["上河村2022年收益分配表"],
                ["单位：元"],
                ["项目", "2020年", "2021年"],
                ["一、本年收入", 150000, 260000],
            ],
            sheet="上河村",
        )
    )
    note = "the title says 2022, the columns say 2020, 2021: the columns' years are used"
    assert reading.rows["note"].tolist()[2] == note and reading.rows["note"].isna().sum() == 3
    assert reading.tables["notes"].tolist() == [note]
    assert reading.cells["year"].tolist() == [2020, 2021]


def test_a_subtotal_column_covers_the_villages_of_its_own_row():
    reading = read_sheet(
        sheet_of(
            [
                ["2022年各村收入情况"],
                ["单位：万元"],
                ["项目", "上河村", "大坪村", "合计"],
                ["经营收入", 20, 5, 25],
                ["补助收入", 3, 4, 7],
            ],
            sheet="濠头乡",
        )
    )
    assert reading.layout == "items down, villages across"
    assert listed(reading.columns, ["column", "role", "village", "meaning"]) == [
        ["A", "item", None, "item"],
        ["B", "value", "上河村", "amounts of 上河村"],
        ["C", "value", "大坪村", "amounts of 大坪村"],
        ["D", "subtotal", None, "subtotal of the row's villages"],
    ]
    subtotals = reading.cells.loc[reading.cells["row_kind"].eq("subtotal")]
    assert listed(subtotals, ["row", "col", "item", "value"]) == [
        [4, 3, "operating_income", 25],
        [5, 3, "subsidy_income", 7],
    ]
    assert listed(reading.coverage, ["subtotal_row", "row"]) == [[4, 4], [5, 5]]
    assert reading.tables.iloc[0][["township", "township_source"]].tolist() == ["濠头乡", "the sheet name"]


def test_side_by_side_tables_are_two_tables_of_one_sheet():
    reading = read_sheet(
        sheet_of(
            [
                ["2022年收入表"],
                ["单位：万元"],
                ["村名", "经营收入", None, "村名", "补助收入"],
                ["上河村", 20, None, "大坪村", 4],
                ["合计", 20, None, "合计", 4],
            ]
        )
    )
    assert reading.tables["table"].tolist() == [1, 2]
    assert kinds(reading) == ["title", "unit", "header", "data", "subtotal"]
    assert listed(reading.cells, ["table", "row", "col", "village", "item", "value", "row_kind"]) == [
        [1, 4, 1, "上河村", "operating_income", 20, "data"],
        [1, 5, 1, None, "operating_income", 20, "subtotal"],
        [2, 4, 4, "大坪村", "subsidy_income", 4, "data"],
        [2, 5, 4, None, "subsidy_income", 4, "subtotal"],
    ]


def test_a_second_table_below_takes_the_unit_and_year_of_the_first():
    reading = read_sheet(
        sheet_of(
            [
                ["汝城县2022年收支表"],
                ["单位：万元"],
                ["村名", "经营收入", "补助收入"],
                ["上河村", 20, 1],
                [None],
                ["村名", "经营支出", "管理费用"],
                ["上河村", 3, 1],
            ],
            sheet="收支",
        )
    )
    assert kinds(reading) == ["title", "unit", "header", "data", "blank", "header", "data"]
    assert listed(reading.tables, ["table", "header_first", "year", "unit", "unit_source", "county"]) == [
        [1, 3, 2022, "万元", "the 单位 line", "汝城县"],
        [2, 6, 2022, "万元", "the 单位 line", "汝城县"],
    ]
    second = reading.cells.loc[reading.cells["table"].eq(2)]
    assert listed(second, ["row", "item", "value", "unit"]) == [
        [7, "operating_expense", 3, "万元"],
        [7, "admin_expense", 1, "万元"],
    ]


def test_a_second_table_of_one_item_below_is_its_own_table():
    # 村名 | 补助收入 under a table of two items: its header row was read as data, and 上河村's 7 as 经营收入.
    reading = read_sheet(
        sheet_of(
            [
                ["2022年濠头乡村集体经济收入"],
                ["单位：万元"],
                ["村名", "经营收入", "投资收益"],
                ["上河村", 20, 3],
                ["大坪村", 5, 6],
                [None],
                ["村名", "补助收入"],
                ["上河村", 7],
                ["大坪村", 8],
            ]
        )
    )
    assert kinds(reading) == ["title", "unit", "header", "data", "data", "blank", "header", "data", "data"]
    second = reading.cells.loc[reading.cells["table"].eq(2)]
    assert listed(second, ["row", "village", "item", "value", "unit", "problem"]) == [
        [8, "上河村", "subsidy_income", 7, "万元", None],
        [9, "大坪村", "subsidy_income", 8, "万元", None],
    ]


def test_a_data_row_of_a_village_and_an_item_starts_no_table():
    # 上河村 | 补助收入 with no amount, in a ledger of 村 | 科目 | 金额 rows: a line, not a header.
    reading = read_sheet(
        sheet_of(
            [
                ["2022年濠头乡村集体经济收支台账"],
                ["单位：万元"],
                ["村名", "科目", "金额"],
                ["上河村", "经营收入", 20],
                ["上河村", "补助收入", None],
                ["大坪村", "经营收入", 5],
            ]
        )
    )
    assert len(reading.tables) == 1
    assert kinds(reading)[3:] == ["data", "data", "data"]


def test_a_formula_without_a_saved_value_is_a_cell_with_a_problem():
    reading = read_sheet(
        sheet_of(
            [["2022年收入表"], ["单位：元"], ["村名", "经营收入", "补助收入"], ["上河村", 20, ""], ["大坪村", 5, 6]],
            formulas={(4, 2)},
        )
    )
    formula = reading.cells.loc[reading.cells["problem"].notna()]
    assert listed(formula, ["row", "col", "village", "item", "value", "problem"]) == [
        [4, 2, "上河村", "subsidy_income", "(formula without a saved value)", "formula_uncached"]
    ]
    assert formula["reason"].iloc[0].startswith("the cell holds a formula whose result was never saved: open the file")
    assert len(reading.cells) == 4


# --- the unit ------------------------------------------------------------------------------------------


BARE = [["2022年收入表"], ["村名", "经营收入"], ["上河村", 20]]


def test_a_bare_number_with_no_unit_anywhere_names_its_cell():
    with pytest.raises(UnitError) as refused:
        read_sheet(sheet_of(BARE, file="濠头乡.xlsx", sheet="收入"))
    error = refused.value
    assert str(error.where) == "file 濠头乡.xlsx, sheet '收入', row 3, cell B3"
    assert error.message == (
        "20 is a bare number and no unit is given anywhere (file 濠头乡.xlsx, sheet '收入', row 3, cell B3)"
    )
    assert error.hint == (
        "Add a row '单位：万元' (or 元) above the header, write the unit in the column header (金额（万元）), "
        "or pass unit='万元' / --unit 万元"
    )


def test_the_unit_may_be_passed_or_noted_under_the_table():
    passed = read_sheet(sheet_of(BARE), unit="万元")
    assert passed.cells["unit"].tolist() == ["万元"]
    assert passed.tables[["unit", "unit_source"]].values.tolist() == [["万元", "unit="]]
    noted = read_sheet(sheet_of([*BARE, ["注：本表金额单位为万元"]]))
    assert kinds(noted) == ["title", "header", "data", "note"]
    assert noted.tables[["unit", "unit_source"]].values.tolist() == [["万元", "the note under the table"]]
    # A unit the sheet states wins over the one passed.
    stated = read_sheet(sheet_of([BARE[0], ["单位：元"], *BARE[1:]]), unit="万元")
    assert stated.cells["unit"].tolist() == ["元"]


# --- sheets that are not ledgers -----------------------------------------------------------------------


def test_numbers_without_a_header_cannot_be_placed():
    with pytest.raises(HeaderNotFoundError) as refused:
        read_sheet(sheet_of([["2022年"], ["上河村", 20, 30], ["大坪村", 5, 6]]))
    error = refused.value
    # The year alone in row 1 is not a number to place: the first amount is B2.
    assert str(error.where) == "file 濠头乡2022.xlsx, sheet '2022年', row 2, cell B2"
    assert error.message.startswith("no ledger header found in the first 40 rows, but the sheet holds numbers")
    assert error.hint.startswith("The header row needs a village column (村名) with line items (经营收入, …)")
    assert "villagecon inspect FILE --write-layout" in error.hint


@pytest.mark.parametrize(
    ("rows", "sheet", "skipped", "status", "row_kinds"),
    [
        ([[None, None], [None, None]], "Sheet1", "the sheet is empty", "not_a_ledger", ["blank", "blank"]),
        (
            [["关于村级集体经济的说明文字"], [None], ["没有数字"]],
            "Sheet2",
            "text only: no table header and no amounts",
            "not_a_ledger",
            ["note", "blank", "note"],
        ),
        (
            [["填写时请注意"], ["1、金额单位为万元", 3]],
            "填表说明",
            "instructions (填表说明), not a table of amounts",
            "not_a_ledger",
            ["note", "note"],
        ),
        (
            [
                ["村党组织书记名册"],
                ["县", "乡镇", "村", "姓名", "职务", "任职起始时间"],
                ["汝城县", "濠头乡", "上河村", "李建国", "书记", "2017.04"],
            ],
            "书记",
            "a roster (花名册), not a ledger",
            "not_a_ledger",
            ["note", "note", "note"],
        ),
        (
            [
                ["科目余额表"],
                ["科目编码", "科目名称", "期初余额", "本期借方", "本期贷方", "期末余额"],
                ["101", "现金", 100, 50, 30, 120],
            ],
            "余额表",
            "a trial balance (科目余额表: 借方 and 贷方 balances), which villagecon does not read: a balance's sign "
            "and period depend on the account",
            "unreadable",
            ["note", "note", "note"],
        ),
    ],
)
def test_a_sheet_that_is_not_a_ledger_is_skipped_saying_why(rows, sheet, skipped, status, row_kinds):
    reading = read_sheet(sheet_of(rows, sheet=sheet))
    assert (reading.skipped, reading.skip_status) == (skipped, status)
    assert kinds(reading) == row_kinds and reading.rows["note"].isna().all()
    assert reading.cells.empty and list(reading.cells.columns) == [*CELL_COLUMNS, "table"]
    assert reading.tables.empty and reading.columns.empty and reading.layout == ""


# --- what a layout file and the user's synonyms say -----------------------------------------------------


def test_a_layout_file_may_skip_a_sheet_of_amounts():
    reading = read_sheet(sheet_of(TOWNSHIP_FORM), layout=SheetLayout(skip=True))
    assert reading.skipped == "the layout file says to skip this sheet" and reading.cells.empty
    assert kinds(reading) == ["note"] * 7


def test_a_layout_files_unit_and_year_win_over_the_sheets():
    reading = read_sheet(sheet_of(TOWNSHIP_FORM), layout=SheetLayout(unit="元", year=2021))
    assert reading.tables[["year", "year_source", "unit", "unit_source"]].values.tolist() == [
        [2021, "the layout file", "元", "the layout file"]
    ]
    assert set(reading.cells["year"]) == {2021} and set(reading.cells["unit"]) == {"元"}


def test_a_layout_file_naming_rows_or_columns_outside_the_sheet_is_refused():
    said_in = '濠头乡2022.layout.toml [sheets."2022年"]'
    with pytest.raises(HeaderNotFoundError) as refused:
        read_sheet(sheet_of(TOWNSHIP_FORM), layout=SheetLayout(header_rows=(3, 9), said_in=said_in))
    assert refused.value.message == (
        f"the layout file {said_in} says header_rows = [3, 9], but the sheet has no row 9 (its last row is 7) "
        "(file 濠头乡2022.xlsx, sheet '2022年')"
    )
    assert refused.value.hint == "Correct header_rows in the layout file"
    with pytest.raises(HeaderNotFoundError) as refused:
        read_sheet(sheet_of(TOWNSHIP_FORM), layout=SheetLayout(columns={"F": "operating_income"}, said_in=said_in))
    assert refused.value.message.startswith(
        f"the layout file {said_in} names column F (columns.F), but the sheet's last column is D"
    )
    assert refused.value.hint == "Correct columns.F in the layout file"


def test_a_users_spelling_of_an_item_makes_a_header():
    rows = [["2022年收入表"], ["单位：万元"], ["村名", "鱼塘收入"], ["上河村", 20]]
    with pytest.raises(HeaderNotFoundError):
        read_sheet(sheet_of(rows))
    vocabulary = Vocabulary(items={header_key("鱼塘收入"): "operating_income"}, source="synonyms.csv")
    reading = read_sheet(sheet_of(rows), vocabulary=vocabulary)
    assert listed(reading.cells, ["village", "item", "value", "unit"]) == [["上河村", "operating_income", 20, "万元"]]


# --- a workbook as Excel saves it ---------------------------------------------------------------------


def test_a_workbook_with_a_merged_two_level_header(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2022年"
    sheet.append(["汝城县濠头乡2022年村级集体经济收支表"])
    sheet.append(["单位：万元"])
    sheet.append(["村名", "本年收入", None, None, "本年支出", None])
    sheet.append([None, "经营收入", "补助收入", "合计", "管理费用", "合计"])
    for merged in ("A1:F1", "A3:A4", "B3:D3", "E3:F3"):
        sheet.merge_cells(merged)
    sheet.append(["上河村", 20, 5, 25, 6, 6])
    sheet.append(["大坪村", 5.5, 4, 9.5, 2.5, 2.5])
    sheet.append(["合　计", 25.5, 9, 34.5, 8.5, 8.5])
    sheet.append(["填表人：李建国"])
    book.save(tmp_path / "濠头乡2022.xlsx")

    (raw,) = read_sheets(tmp_path / "濠头乡2022.xlsx")
    reading = read_sheet(raw)
    assert kinds(reading) == ["title", "unit", "header", "header", "data", "data", "subtotal", "note"]
    assert listed(reading.columns, ["column", "header", "item"]) == [
        ["A", "村名", None],
        ["B", "本年收入/经营收入", "operating_income"],
        ["C", "本年收入/补助收入", "subsidy_income"],
        ["D", "本年收入/合计", "total_income"],
        ["E", "本年支出/管理费用", "admin_expense"],
        ["F", "本年支出/合计", "total_expense"],
    ]
    shanghe = reading.cells.loc[reading.cells["village"].eq("上河村")]
    assert dict(zip(shanghe["item"], shanghe["value"], strict=True)) == {
        "operating_income": 20,
        "subsidy_income": 5,
        "total_income": 25,
        "admin_expense": 6,
        "total_expense": 6,
    }
    assert reading.cells.loc[reading.cells["row_kind"].eq("subtotal"), "value"].tolist() == [25.5, 9, 34.5, 8.5, 8.5]
    assert listed(reading.coverage, ["subtotal_row", "row"]) == [[7, 5], [7, 6]]
    assert reading.tables[["header_first", "header_last", "body_first"]].values.tolist() == [[3, 4, 5]]
