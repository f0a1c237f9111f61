"""Each step of the table reader (villagecon.ingest), tested on cell tables built by hand (STYLE.md section 6).

A table here is a list of rows, as a sheet shows them: row 1 first, column A first, ``None`` for an empty cell;
merged ranges are (first_row, first_col, last_row, last_col), rows 1-based and columns 0-based, as
:class:`villagecon.ingest.files.RawSheet` holds them. Amounts are small and chosen so that every expectation can be
checked by eye. The forms follow FORMS.md (statistics forms, 收益及收益分配表, 资产负债表, township and county tables,
三资 exports), never the sample generator.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from villagecon.ingest.cells import filled_across_and_down, merged_down, sheet_cells
from villagecon.ingest.context import preamble_kinds, sheet_context, title_places
from villagecon.ingest.extract import CELL_COLUMNS, table_cells
from villagecon.ingest.files import RawSheet
from villagecon.ingest.headers import (
    LEFT_OUT,
    SUBTOTAL,
    UNKNOWN,
    VALUE,
    Column,
    NotALedger,
    column_meaning,
    find_tables,
)
from villagecon.ingest.places import COUNTY, TOWNSHIP, VILLAGE, place_level, split_place_name
from villagecon.ingest.rows import read_rows
from villagecon.ingest.words import (
    DEFAULT_VOCABULARY,
    DERIVED,
    FOOTER_PATTERN,
    ITEM,
    PERIOD,
    ROLE,
    SUBTOTAL_PATTERN,
    TOTAL,
    YEAR,
    Vocabulary,
    Word,
    is_numbering_row,
)
from villagecon.vocab import synonyms as syn

WORDS = DEFAULT_VOCABULARY


# --- Building cell tables ----------------------------------------------------------------------------------


def raw(rows: list[list], merged=(), *, file: str = "t.xlsx", sheet: str = "S") -> RawSheet:
    """A sheet holding ``rows`` (short rows padded with empty cells)."""
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    grid = pd.DataFrame(padded, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
    return RawSheet(file=file, sheet=sheet, grid=grid, merged=list(merged))


def cells_of(rows: list[list], merged=(), **names):
    return sheet_cells(raw(rows, merged, **names))


def tables_of(rows: list[list], merged=()):
    return find_tables(cells_of(rows, merged), WORDS)


def one_table(rows: list[list], merged=()):
    cells = cells_of(rows, merged)
    found = find_tables(cells, WORDS)
    assert not isinstance(found, NotALedger), found
    assert len(found) == 1, [t.header_rows for t in found]
    return cells, found[0]


def rows_of(rows: list[list], merged=()):
    """The body rows of the sheet's only table, as read_rows reads them."""
    cells, table = one_table(rows, merged)
    return read_rows(cells, table, WORDS, formulas=set())


def context_of(rows: list[list], *, file: str = "t.xlsx", sheet: str = "S", unit: str | None = None):
    """The context that ``rows``, all of them above a table's header, give the table."""
    cells = cells_of(rows, file=file, sheet=sheet)
    return sheet_context(cells, cells.rows, file=file, sheet=sheet, unit=unit)


def cell_frame(
    rows: list[list], merged=(), *, file: str = "t.xlsx", sheet: str = "S", unit: str | None = None, table: int = 0
) -> pd.DataFrame:
    """table_cells of one table of the sheet, as read_sheet puts its steps together."""
    cells = cells_of(rows, merged, file=file, sheet=sheet)
    found = find_tables(cells, WORDS)
    assert not isinstance(found, NotALedger), found
    chosen = found[table]
    read = read_rows(cells, chosen, WORDS, formulas=set())
    context = sheet_context(cells, chosen.preamble, file=file, sheet=sheet, unit=unit)
    return pd.DataFrame(table_cells(cells, chosen, read, context, formulas=set()))


def plain(value):
    """A value as a test writes it: None for every kind of missing."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def by_row(series: pd.Series) -> dict:
    return {int(row): plain(value) for row, value in series.items()}


def pick(frame: pd.DataFrame, *names: str) -> list[tuple]:
    """Chosen columns of a cell frame, one tuple per cell, ordered by row then column."""
    ordered = frame.sort_values(["row", "col"])
    return [tuple(plain(v) for v in values) for values in ordered[list(names)].itertuples(index=False)]


def pairs(coverage: pd.DataFrame) -> list[tuple[int, int]]:
    return sorted((int(s), int(r)) for s, r in coverage[["subtotal_row", "row"]].itertuples(index=False))


def columns_of(table) -> dict[int, tuple]:
    """Each column's (header, role, item, year, period, village, level)."""
    return {
        c: (col.header, col.role, col.item, col.year, col.period, col.village, col.level)
        for c, col in table.columns.items()
    }


# Forms used by several steps.

# A county table: 乡镇 and 村名 columns, a 小计 per township, a township's own row, a 合计 merged across
# 序号/乡镇/村名 (row 10), in 万元.
COUNTY_TABLE = [
    ["汝城县2022年村级集体经济收入统计表"],
    ["单位：万元"],
    ["序号", "乡镇", "村名", "经营收入", "补助收入"],
    [1, "濠头乡", "上河村", 20, 3],
    [2, "濠头乡", "大坪村", 5.5, 4],
    [None, "濠头乡小计", None, 25.5, 7],
    [3, "土桥镇", "龙虎村", 8, 12],
    [4, "土桥镇", "石门村", 2, 3],
    [None, "土桥镇", None, 10, 15],
    ["合计", None, None, 35.5, 22],
]
COUNTY_MERGES = [(10, 0, 10, 2)]
FOOTERS = [
    [None, None, None, None, None],
    ["填表人：", "张三", "联系电话：", 13807356789],
    ["审核人：李四"],
    ["报出日期：2023年1月5日"],
    ["注：经营收入不含代管资金。"],
]

# The statistics form (收益分配统计表): 指标名称 | 代码 | 计量单位 | 本年数 | 上年数, with its 甲 乙 丙 1 2 row.
STATISTICS_FORM = [
    ["收益分配统计表"],
    ["2022年度"],
    ["编制单位：汝城县濠头乡上河村股份经济合作社", None, None, None, "单位：万元"],
    ["指标名称", "代码", "计量单位", "本年数", "上年数"],
    ["甲", "乙", "丙", 1, 2],
    ["一、本年收入", 1, "万元", 30, 25],
    ["其中：光伏发电收入", 2, "万元", 5, None],
    ["经营收入", 3, "元", 200000, 180000],
    ["加：发包及上交收入", 4, "万元", "—", None],
    ["二、村集体经济组织数", 5, "个", 1, 1],
    ["流动资产：", None, None, None, None],
    [None],
    ["填表人：", "张三", "联系电话：", 13807356789],
]

# A 资产负债表: two blocks side by side, an 编制单位 line and a date line above.
BALANCE_SHEET = [
    ["资产负债表"],
    ["编制单位：汝城县濠头乡上河村股份经济合作社", None, None, "2017年12月31日", None, None, None, "单位：元"],
    ["资产", "行次", "年初数", "年末数", "负债及所有者权益", "行次", "年初数", "年末数"],
    ["流动资产：", None, None, None, "流动负债：", None, None, None],
    ["货币资金", 1, 1000, 1200, "短期借款", 30, 0, 0],
    ["减：累计折旧", 2, 300, 200, "应付款项", 31, 500, 400],
    ["资产总计", 20, 1300, 1400, "负债合计", 40, 500, 400],
]

# A 三资 platform export: 组织编码, full 组织名称, 会计年度, 科目编码 with 5-digit sub-accounts, unit in the header.
SANZI_EXPORT = [
    ["组织编码", "组织名称", "会计年度", "科目编码", "科目名称", "本年累计（元）"],
    ["431026100201", "郴州市汝城县濠头乡上河村股份经济合作社", 2022, "501", "经营收入", 200000],
    ["431026100201", "郴州市汝城县濠头乡上河村股份经济合作社", 2022, "50101", "农产品销售收入", 150000],
    ["431026100201", "郴州市汝城县濠头乡上河村股份经济合作社", 2022, "50102", "租赁收入", 50000],
    ["431026100202", "郴州市汝城县濠头乡大坪村股份经济合作社", 2022, "52201", "上级补助", 30000],
    ["431026100202", "郴州市汝城县濠头乡大坪村股份经济合作社", 2022, "52202", "其他补助", 10000],
]


# --- 1. cells: the text view ---------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["—", "-", "/", "无", "——", "－", "／"])
def test_missing_marker_is_empty(marker):
    cells = cells_of([[marker, " — "]])
    assert cells.text.loc[1].tolist() == ["", ""]
    assert cells.amount.loc[1].tolist() == [False, False]


def test_empty_cell_is_empty_text():
    cells = cells_of([[None, "", "  ", float("nan")]])
    assert cells.text.loc[1].tolist() == ["", "", "", ""]
    assert cells.empty().loc[1].all()


def test_float_year_reads_as_integer():
    cells = cells_of([[2016.0, 2016, 20.0, 5.5, -3.0, " 上河村 "]])
    assert cells.text.loc[1].tolist() == ["2016", "2016", "20", "5.5", "-3", "上河村"]


def test_long_code_stored_as_number_reads_as_its_digits():
    # calamine gives every number as a float; a 12-digit 区划代码 typed as a number is 431026100201.0.
    cells = cells_of([[431026100201.0, 13807356789.0]])
    assert cells.text.loc[1].tolist() == ["431026100201", "13807356789"]


def test_numbers_are_numbers_and_amounts():
    cells = cells_of([[20, 5.5, "20", True]])
    assert cells.number.loc[1].tolist() == [True, True, False, False]
    assert cells.amount.loc[1].tolist() == [True, True, True, False]


@pytest.mark.parametrize("text", ["40余万元", "（4.2）", "(4.2)", "十二万", "4.2万", "1,234.5", "约5万元", "￥300"])
def test_amount_shaped_text_is_an_amount(text):
    cells = cells_of([[text]])
    assert bool(cells.amount.at[1, 0]) is True
    assert bool(cells.number.at[1, 0]) is False


@pytest.mark.parametrize("text", ["2022年", "12.3%", "上河村", "经营收入", "万元", "甲"])
def test_years_percentages_and_words_are_not_amounts(text):
    assert bool(cells_of([[text]]).amount.at[1, 0]) is False


# --- 2. cells: merged ranges filled ------------------------------------------------------------------------


def test_group_label_fills_its_sub_columns():
    cells = cells_of(
        [["村名", "本年收入", None, None], [None, "经营收入", "补助收入", "合计"]], [(1, 0, 2, 0), (1, 1, 1, 3)]
    )
    filled = filled_across_and_down(cells, pd.Index([1, 2]))
    assert filled.loc[1].tolist() == ["村名", "本年收入", "本年收入", "本年收入"]
    assert filled.loc[2].tolist() == ["村名", "经营收入", "补助收入", "合计"]


def test_village_merged_down_two_rows_fills_both():
    cells = cells_of(
        [["村名", "年度"], ["上河村", "本年"], [None, "上年"], ["大坪村", "本年"], [None, "上年"]],
        [(2, 0, 3, 0), (4, 0, 5, 0)],
    )
    assert by_row(merged_down(cells, pd.RangeIndex(2, 6), 0)) == {2: "上河村", 3: "上河村", 4: "大坪村", 5: "大坪村"}


def test_total_merged_across_leading_columns_fills_each():
    cells = cells_of([["序号", "乡镇", "村名", "经营收入"], ["合计", None, None, 25]], [(2, 0, 2, 2)])
    assert filled_across_and_down(cells, pd.Index([2])).loc[2].tolist() == ["合计", "合计", "合计", "25"]


def test_fill_keeps_rows_outside_the_range():
    cells = cells_of([["村名", "本年收入", None], [None, "经营收入", "补助收入"], ["上河村", 20, 3]], [(1, 1, 1, 2)])
    assert filled_across_and_down(cells, pd.Index([3])).loc[3].tolist() == ["上河村", "20", "3"]


# --- 3. words: what a header cell says ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("村名", syn.VILLAGE),
        ("村（社区）", syn.VILLAGE),
        ("组织名称", syn.VILLAGE),
        ("单位名称", syn.VILLAGE),
        ("乡镇", syn.TOWNSHIP),
        ("县市区", syn.COUNTY),
        ("组织编码", syn.VILLAGE_CODE),
        ("会计年度", syn.YEAR),
        ("科目", syn.ITEM),
        ("指标名称", syn.ITEM),
        ("科目编码", syn.ITEM_CODE),
        ("金额", syn.AMOUNT),
        ("收入", syn.INCOME_AMOUNT),
        ("支出", syn.EXPENSE_AMOUNT),
        ("计量单位", syn.UNIT_COLUMN),
        ("序号", syn.IGNORED),
        ("行次", syn.IGNORED),
        ("备注", syn.IGNORED),
    ],
)
def test_role_words(text, role):
    assert WORDS.word(text) == Word(ROLE, role)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("经营收入", "operating_income"),
        ("经营\n收入", "operating_income"),
        ("加：发包及上交收入", "contract_income"),
        ("减：经营支出", "operating_expense"),
        ("经营性收入", "operational_income"),
        ("收入小计", "total_income"),
        ("本年收入合计", "total_income"),
        ("村集体经济收入", "total_income"),
        ("三、本年收益", "net_income"),
    ],
)
def test_item_words(text, item):
    assert WORDS.word(text) == Word(ITEM, item)


def test_unit_in_a_header_is_kept():
    assert WORDS.word("金额（万元）") == Word(ROLE, syn.AMOUNT, unit="万元")
    assert WORDS.word("经营收入（元）") == Word(ITEM, "operating_income", unit="元")


@pytest.mark.parametrize("text", ["2021年", "二〇二一年", "2021", "2021年度", "2021年末数"])
def test_year_words(text):
    assert WORDS.word(text) == Word(YEAR, year=2021)


def test_year_then_beginning_is_prior_of_that_year():
    assert WORDS.word("2022年初数") == Word(PERIOD, syn.PRIOR, year=2022)


def test_year_then_item():
    assert WORDS.word("2021年经营收入") == Word(ITEM, "operating_income", year=2021)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("本年数", syn.CURRENT),
        ("上年数", syn.PRIOR),
        ("年初数", syn.PRIOR),
        ("年末数", syn.CURRENT),
        ("预算数", syn.BUDGET),
        ("本年累计", syn.CURRENT),
        ("决算数", syn.CURRENT),
    ],
)
def test_period_words(text, period):
    assert WORDS.word(text) == Word(PERIOD, period)


@pytest.mark.parametrize("text", ["增减额", "增长%", "增长（%）", "比上年增减"])
def test_derived_words(text):
    assert WORDS.word(text) == Word(DERIVED)


@pytest.mark.parametrize("text", ["合计", "小计", "总计"])
def test_total_words(text):
    assert WORDS.word(text) == Word(TOTAL)


@pytest.mark.parametrize("text", ["上河村", "濠头乡", "光伏收益", ""])
def test_unknown_words(text):
    assert WORDS.word(text) == Word(None)


def test_user_spelling_is_an_item():
    words = Vocabulary(items={syn.header_key("光伏收益"): "operating_income"})
    assert words.word("光伏收益") == Word(ITEM, "operating_income")


# --- 4. words: column-number rows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texts",
    [["甲", "乙", "丙", "1", "2"], ["1", "2", "3", "4"], ["甲", "乙"], ["１", "２", "３"], ["1.0", "2.0", "3.0"]],
)
def test_numbering_row(texts):
    assert is_numbering_row(texts) is True


@pytest.mark.parametrize(
    "texts",
    [
        ["1", "3"],
        ["1", "2"],
        ["2", "3", "4"],
        ["1", "2", "3", "5"],
        ["甲", "乙", "1", "3"],
        ["1", "上河村", "20", "3"],
        ["3"],
    ],
)
def test_not_a_numbering_row(texts):
    assert is_numbering_row(texts) is False


# --- 5. words: footers and subtotal labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "填表人：",
        "填表人:张三",
        "审核人：李四",
        "报出日期：2023年1月5日",
        "填报日期：",
        "注：经营收入不含代管资金。",
        "注1：",
        "说明：补助收入含转移支付",
        "制表：王五",
        "会计：",
        "单位负责人：",
        "联系电话：",
        "填表人",
    ],
)
def test_footer(text):
    assert re.search(FOOTER_PATTERN, text)


@pytest.mark.parametrize("text", ["备注", "张三", "注册资本", "会计科目", "经营收入", "上河村"])
def test_not_a_footer(text):
    assert not re.search(FOOTER_PATTERN, text)


@pytest.mark.parametrize("text", ["合计", "小计", "总计", "全镇合计", "全县合计", "濠头乡小计", "汇总"])
def test_subtotal_label(text):
    assert re.search(SUBTOTAL_PATTERN, text)


@pytest.mark.parametrize("text", ["上河村", "濠头乡", "经营收入"])
def test_not_a_subtotal_label(text):
    assert not re.search(SUBTOTAL_PATTERN, text)


# --- 6. places -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("上河村村委会", VILLAGE),
        ("立欣洲社区居委会", VILLAGE),
        ("新乡村", VILLAGE),
        ("古镇村", VILLAGE),
        ("塔水村股份经济合作社", VILLAGE),
        ("濠头乡", TOWNSHIP),
        ("华塘镇", TOWNSHIP),
        ("东城街道", TOWNSHIP),
        ("汝城县", COUNTY),
        ("北湖区", COUNTY),
        ("资兴市", COUNTY),
        ("华塘", None),
        ("", None),
    ],
)
def test_place_level(name, level):
    assert place_level(name) == level


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("郴州市北湖区华塘镇塔水村股份经济合作社", ("北湖区", "华塘镇", "塔水村")),
        ("临武县汾市镇龙泉村", ("临武县", "汾市镇", "龙泉村")),
        ("湖南省郴州市汝城县濠头乡上河村", ("汝城县", "濠头乡", "上河村")),
        ("立欣洲社区居委会", (None, None, "立欣洲社区")),
        ("上河村村委会", (None, None, "上河村")),
        ("上河村民委员会", (None, None, "上河村")),
        ("上河村股份经济合作社", (None, None, "上河村")),
        ("新乡村", (None, None, "新乡村")),
        ("古镇村", (None, None, "古镇村")),
        ("城关镇新乡村", (None, "城关镇", "新乡村")),
        ("汝城县古镇村", ("汝城县", None, "古镇村")),
        ("濠头乡", (None, "濠头乡", None)),
        ("汝城县濠头乡", ("汝城县", "濠头乡", None)),
        ("汝城县", ("汝城县", None, None)),
    ],
)
def test_split_place_name(name, parts):
    assert split_place_name(name) == parts


# --- 7. context: what the rows above a table say -----------------------------------------------------------


def test_preamble_kinds():
    cells = cells_of(
        [
            ["濠头乡2022年村级集体经济收入统计表"],
            [None],
            ["单位：万元"],
            ["编制单位：上河村股份经济合作社"],
            ["2017年12月31日"],
            ["2022年度"],
        ]
    )
    assert preamble_kinds(cells, cells.rows) == {1: "title", 2: "blank", 3: "unit", 4: "unit", 5: "unit", 6: "unit"}


def test_year_from_the_title():
    context = context_of([["濠头乡2022年村级集体经济收入统计表"]])
    assert (context.year, context.year_source, context.notes) == (2022, "the title", [])


def test_year_from_a_year_line():
    assert context_of([["收益及收益分配表"], ["2022年度"]]).year == 2022


def test_year_from_a_date_line():
    context = context_of([["资产负债表"], ["编制单位：上河村", None, "2017年12月31日", None, "单位：元"]])
    assert context.year == 2017


def test_year_from_the_sheet_name():
    context = context_of([["收益分配表"]], sheet="2021年")
    assert (context.year, context.year_source) == (2021, "the sheet name")


def test_year_from_the_file_name():
    context = context_of([["收益分配表"]], file="汝城县/汝城县2020年村级收入.xlsx")
    assert (context.year, context.year_source) == (2020, "the file name")


def test_title_year_beats_sheet_name_with_a_note():
    context = context_of([["2022年收益分配表"]], sheet="2021年")
    assert (context.year, context.year_source) == (2022, "the title")
    assert context.notes == ["the sheet name says 2021, the title says 2022: 2022 is used"]


def test_sheet_name_year_beats_file_name_with_a_note():
    context = context_of([["收益分配表"]], sheet="2021年", file="2020年.xlsx")
    assert context.year == 2021
    assert context.notes == ["the file name says 2020, the sheet name says 2021: 2021 is used"]


def test_footer_date_gives_no_year():
    context = context_of([["收益分配表"], ["报出日期：2023年1月5日"]])
    assert (context.year, context.year_problem) == (None, None)


def test_two_years_in_a_title_is_a_problem_not_a_guess():
    context = context_of([["收益分配表（2021—2022年）"]])
    assert context.year is None
    assert "names several years (2021, 2022)" in context.year_problem


def test_unit_from_a_unit_line():
    context = context_of([["濠头乡2022年村级集体经济收入统计表"], ["单位：万元"]])
    assert (context.unit, context.unit_source) == ("万元", "the 单位 line")


def test_unit_at_the_end_of_an_organisation_line():
    context = context_of([["收益及收益分配表"], ["编制单位：上河村股份经济合作社\u3000\u3000\u3000\u3000单位：元"]])
    assert (context.unit, context.village) == ("元", "上河村")


def test_unit_from_the_file_name():
    context = context_of([["收益分配表"]], file="濠头乡2022年收益分配表（万元）.xlsx")
    assert (context.unit, context.unit_source) == ("万元", "the file name")


def test_unit_given_by_the_caller_comes_last():
    assert (context_of([["收益分配表"]], unit="万元").unit_source) == "unit="
    assert context_of([["收益分配表"], ["单位：元"]], unit="万元").unit == "元"


def test_organisation_named_yuanbao_is_no_unit():
    context = context_of([["资产负债表"], ["编制单位：元宝村"]])
    assert (context.unit, context.village) == (None, "元宝村")


def test_places_from_an_organisation_line():
    context = context_of([["资产负债表"], ["编制单位：汝城县濠头乡上河村股份经济合作社"]])
    assert (context.county, context.township, context.village) == ("汝城县", "濠头乡", "上河村")
    assert {context.county_source, context.township_source, context.village_source} == {"the 编制单位 line"}


def test_township_organisation_names_no_village():
    context = context_of([["收益分配表"], ["填报单位：濠头乡"]])
    assert (context.township, context.village) == ("濠头乡", None)


def test_places_from_a_title():
    context = context_of([["汝城县濠头乡上河村2022年收益分配表"]])
    assert (context.county, context.township, context.village) == ("汝城县", "濠头乡", "上河村")
    assert {context.county_source, context.township_source, context.village_source} == {"the title"}


@pytest.mark.parametrize(
    ("title", "places"),
    [
        ("汝城县濠头乡上河村2022年收益分配表", ("汝城县", "濠头乡", "上河村")),
        ("濠头乡2022年村级集体经济收入统计表", (None, "濠头乡", None)),
        ("新乡村2022年收益分配表", (None, None, "新乡村")),
        ("2022年收益分配表", (None, None, None)),
        ("村级集体经济收入统计表", (None, None, None)),
    ],
)
def test_title_places(title, places):
    assert title_places(title) == places


def test_village_from_the_sheet_name():
    context = context_of([["2022年收益分配表"]], sheet="上河村")
    assert (context.village, context.village_source) == ("上河村", "the sheet name")


def test_sheet_name_village_beats_the_title():
    # Contract: village from ... an 编制单位 line, the sheet name, the title (a template's title goes stale).
    context = context_of([["上河村2022年收益分配表"]], sheet="大坪村")
    assert (context.village, context.village_source) == ("大坪村", "the sheet name")


def test_organisation_line_beats_the_sheet_name():
    context = context_of([["2022年收益分配表"], ["编制单位：上河村股份经济合作社"]], sheet="大坪村")
    assert (context.village, context.village_source) == ("上河村", "the 编制单位 line")


# --- 8. find_tables: where the tables are ------------------------------------------------------------------


def test_one_header_row():
    [table] = tables_of(
        [
            ["濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["村名", "经营收入", "补助收入"],
            ["上河村", 20, 3],
            ["大坪村", 5.5, 4],
        ]
    )
    assert (table.header_rows, table.numbering_rows, list(table.preamble), list(table.body)) == (
        [3],
        [],
        [1, 2],
        [4, 5],
    )
    assert columns_of(table) == {
        0: ("村名", syn.VILLAGE, None, None, None, None, None),
        1: ("经营收入", VALUE, "operating_income", None, None, None, None),
        2: ("补助收入", VALUE, "subsidy_income", None, None, None, None),
    }


def test_two_row_merged_header():
    [table] = tables_of(
        [
            ["单位：万元"],
            ["序号", "村名", "本年收入", None, None],
            [None, None, "经营收入", "补助收入", "合计"],
            [1, "上河村", 20, 3, 23],
        ],
        [(2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 2, 4)],
    )
    assert (table.header_rows, list(table.body)) == ([2, 3], [4])
    assert [c.header for c in table.columns.values()] == [
        "序号",
        "村名",
        "本年收入/经营收入",
        "本年收入/补助收入",
        "本年收入/合计",
    ]
    assert [c.item for c in table.columns.values()] == [
        None,
        None,
        "operating_income",
        "subsidy_income",
        "total_income",
    ]


def test_two_row_header_without_merges():
    # A CSV: each group label stands over its first sub-column only.
    [table] = tables_of(
        [
            ["村名", "本年收入", "", "", "本年支出", ""],
            ["", "经营收入", "补助收入", "合计", "经营支出", "合计"],
            ["上河村", 20, 3, 23, 5, 5],
        ]
    )
    assert (table.header_rows, list(table.body)) == ([1, 2], [3])
    assert [(c.header, c.item) for c in table.columns.values()] == [
        ("村名", None),
        ("本年收入/经营收入", "operating_income"),
        ("本年收入/补助收入", "subsidy_income"),
        ("本年收入/合计", "total_income"),
        ("本年支出/经营支出", "operating_expense"),
        ("本年支出/合计", "total_expense"),
    ]


def test_column_number_row():
    cells = cells_of(STATISTICS_FORM)
    [table] = find_tables(cells, WORDS)
    assert (table.header_rows, table.numbering_rows, list(table.preamble), list(table.body)) == (
        [4],
        [5],
        [1, 2, 3],
        list(range(6, 14)),
    )


def test_numbers_only_column_number_row():
    [table] = tables_of([["序号", "村名", "经营收入", "补助收入"], [1, 2, 3, 4], [1, "上河村", 20, 3]])
    assert (table.header_rows, table.numbering_rows, list(table.body)) == ([1], [2], [3])


def test_two_tables_one_under_the_other():
    found = tables_of(
        [
            ["2022年收入表"],
            ["单位：万元"],
            ["村名", "经营收入", "补助收入"],
            ["上河村", 20, 3],
            ["大坪村", 5.5, 4],
            [None],
            ["2022年支出表"],
            ["村名", "经营支出", "管理费用"],
            ["上河村", 8, 2],
            ["大坪村", 1, 1],
        ]
    )
    assert [(t.header_rows, list(t.preamble), list(t.body)) for t in found] == [
        ([3], [1, 2], [4, 5]),
        ([8], [6, 7], [9, 10]),
    ]
    assert [c.item for c in found[1].columns.values()] == [None, "operating_expense", "admin_expense"]


def test_balance_sheet_blocks_side_by_side():
    left, right = tables_of(BALANCE_SHEET)
    assert (left.header_rows, right.header_rows, list(left.body), list(right.body)) == (
        [3],
        [3],
        [4, 5, 6, 7],
        [4, 5, 6, 7],
    )
    assert columns_of(left) == {
        0: ("资产", syn.ITEM, None, None, None, None, None),
        1: ("行次", LEFT_OUT, None, None, None, None, None),
        2: ("年初数", VALUE, None, None, syn.PRIOR, None, None),
        3: ("年末数", VALUE, None, None, syn.CURRENT, None, None),
    }
    assert columns_of(right) == {
        4: ("负债及所有者权益", syn.ITEM, None, None, None, None, None),
        5: ("行次", LEFT_OUT, None, None, None, None, None),
        6: ("年初数", VALUE, None, None, syn.PRIOR, None, None),
        7: ("年末数", VALUE, None, None, syn.CURRENT, None, None),
    }


def test_amounts_between_1949_and_2100_never_start_a_table():
    [table] = tables_of(
        [
            ["单位：元"],
            ["村名", "经营收入", "补助收入", "其他收入"],
            ["上河村", 2035, 1980, 2100],
            ["大坪村", 2012, 2020, 1999],
            ["龙虎村", 100, 200, 300],
        ]
    )
    assert (table.header_rows, list(table.body)) == ([2], [3, 4, 5])


def test_villages_across_are_header_words():
    # A township's table with the villages across and no 计量单位 or 合计 column.
    found = tables_of(
        [
            ["濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["项目", "上河村", "大坪村", "石门村"],
            ["经营收入", 20, 5.5, 3],
            ["补助收入", 3, 4, 1],
        ]
    )
    assert not isinstance(found, NotALedger), found
    [table] = found
    assert table.header_rows == [3]
    assert [c.village for c in table.columns.values()] == [None, "上河村", "大坪村", "石门村"]


def test_village_over_this_and_last_year_is_a_header_layer():
    found = tables_of(
        [
            ["濠头乡2022年收益分配统计表"],
            ["单位：万元"],
            ["指标名称", "上河村", None, "大坪村", None],
            [None, "本年数", "上年数", "本年数", "上年数"],
            ["经营收入", 20, 18, 5.5, 5],
        ],
        [(3, 0, 4, 0), (3, 1, 3, 2), (3, 3, 3, 4)],
    )
    [table] = found
    assert table.header_rows == [3, 4]
    assert [(c.village, c.period) for c in table.columns.values()] == [
        (None, None),
        ("上河村", syn.CURRENT),
        ("上河村", syn.PRIOR),
        ("大坪村", syn.CURRENT),
        ("大坪村", syn.PRIOR),
    ]


def test_unit_row_under_the_header_is_part_of_it():
    [table] = tables_of(
        [
            ["2022年村级集体经济收入统计表"],
            ["村名", "经营收入", "补助收入", "增长率"],
            [None, "万元", "万元", "%"],
            ["上河村", 20, 3, "5%"],
        ]
    )
    assert (table.header_rows, list(table.body)) == ([2, 3], [4])
    assert [(c.item, c.unit) for c in table.columns.values()][:3] == [
        (None, None),
        ("operating_income", "万元"),
        ("subsidy_income", "万元"),
    ]


def test_roster_is_not_a_ledger():
    assert tables_of(
        [
            ["村（社区）党组织书记花名册"],
            ["序号", "乡镇（街道）", "村（社区）", "姓名", "性别", "出生年月", "任现职时间", "联系电话"],
            [1, "濠头乡", "上河村", "张三", "男", "1970.05", "2017.04", 13807356789],
        ]
    ) == NotALedger("a roster (花名册), not a ledger")


def test_committee_roster_is_not_a_ledger():
    assert tables_of(
        [["序号", "村（社区）", "姓名", "职务", "性别"], [1, "上河村", "张三", "村委会主任", "男"]]
    ) == NotALedger("a roster (花名册), not a ledger")


def test_register_is_not_a_ledger():
    assert tables_of(
        [
            ["county", "county_code", "township", "village", "village_code"],
            ["汝城县", "431026", "濠头乡", "上河村", "431026100201"],
        ]
    ) == NotALedger("the village register, not a ledger")


def test_text_without_a_header_is_not_a_ledger():
    assert tables_of([["填表说明"], ["一、本表由村报乡镇。"]]) == NotALedger("no table header")


def test_remarks_header_stays_in_the_header():
    [table] = tables_of(
        [
            ["序号", "村名", "本年收入", None, "备注"],
            [None, None, "经营收入", "补助收入", None],
            [1, "上河村", 20, 3, "说明：含代管资金"],
        ],
        [(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3), (1, 4, 2, 4)],
    )
    assert (table.header_rows, list(table.body)) == ([1, 2], [3])
    assert (table.columns[4].header, table.columns[4].role) == ("备注", LEFT_OUT)


# --- 9. column_meaning: what one column holds --------------------------------------------------------------


def meaning(*layers: str, body_values: list | None = None) -> Column:
    """column_meaning of column 1 with these header layers, over a body holding ``body_values`` (rows 2…)."""
    values = body_values or []
    cells = cells_of([["项目", None], *([None, v] for v in values)])
    body = pd.RangeIndex(2, 2 + len(values))
    return column_meaning(1, tuple(layers), cells, body, WORDS)


def test_item_column():
    assert meaning("经营收入") == Column(1, "经营收入", VALUE, item="operating_income")


def test_item_column_with_unit():
    assert meaning("经营收入（万元）") == Column(1, "经营收入（万元）", VALUE, item="operating_income", unit="万元")


def test_unit_of_a_group_header():
    assert meaning("本年收入（万元）", "经营收入") == Column(
        1, "本年收入（万元）/经营收入", VALUE, item="operating_income", unit="万元"
    )


def test_income_group_total():
    assert meaning("本年收入", "合计") == Column(1, "本年收入/合计", VALUE, item="total_income")


def test_expense_group_subtotal():
    assert meaning("本年支出", "小计") == Column(1, "本年支出/小计", VALUE, item="total_expense")


def test_year_under_a_metric():
    assert meaning("村集体经济收入", "2021年") == Column(
        1, "村集体经济收入/2021年", VALUE, item="total_income", year=2021
    )


def test_chinese_year_under_a_metric():
    assert meaning("经营收入", "二〇二一年").year == 2021


@pytest.mark.parametrize(
    ("header", "period"),
    [("本年数", syn.CURRENT), ("上年数", syn.PRIOR), ("年初数", syn.PRIOR), ("年末数", syn.CURRENT)],
)
def test_period_column(header, period):
    assert meaning(header) == Column(1, header, VALUE, period=period)


def test_beginning_of_a_named_year():
    assert meaning("2022年初数") == Column(1, "2022年初数", VALUE, year=2022, period=syn.PRIOR)


@pytest.mark.parametrize(
    ("layers", "reason"),
    [
        (("增减额",), "增减额 is computed from other columns"),
        (("村集体经济收入", "增长%"), "增长% is computed from other columns"),
        (("行次",), "行次 holds no amounts"),
        (("序号",), "序号 holds no amounts"),
        (("备注",), "备注 holds no amounts"),
    ],
)
def test_left_out_columns(layers, reason):
    column = meaning(*layers)
    assert (column.role, column.reason) == (LEFT_OUT, reason)


def test_budget_and_part_year_columns_are_amounts_of_their_period():
    assert meaning("预算数") == Column(1, "预算数", VALUE, period=syn.BUDGET)
    assert meaning("预算数").meaning() == "budget: amounts"
    assert meaning("本季发生数") == Column(1, "本季发生数", VALUE, period=syn.PART)


def test_village_across():
    assert meaning("上河村村委会") == Column(1, "上河村村委会", VALUE, village="上河村")


def test_village_across_over_a_period():
    assert meaning("大坪村", "本年数") == Column(1, "大坪村/本年数", VALUE, period=syn.CURRENT, village="大坪村")


def test_township_across_is_a_subtotal():
    assert meaning("濠头乡") == Column(1, "濠头乡", SUBTOTAL, level=TOWNSHIP)


def test_county_across_is_a_subtotal():
    assert meaning("汝城县") == Column(1, "汝城县", SUBTOTAL, level=COUNTY)


def test_total_across_is_a_subtotal():
    assert meaning("合计") == Column(1, "合计", SUBTOTAL)


def test_assets_over_text_lines_names_the_lines():
    assert meaning("资产", body_values=["货币资金", "短期投资", "资产总计"]) == Column(1, "资产", syn.ITEM)


def test_assets_over_amounts_is_the_item():
    assert meaning("资产", body_values=[300, 120.5]) == Column(1, "资产", VALUE, item="assets")


def test_unit_header_over_units_is_a_unit_column():
    assert meaning("单位", body_values=["万元", "个", "%"]) == Column(1, "单位", syn.UNIT_COLUMN)


def test_unit_header_over_names_is_a_village_column():
    assert meaning("单位", body_values=["上河村", "大坪村"]) == Column(1, "单位", syn.VILLAGE)


def test_measure_unit_column():
    assert meaning("计量单位", body_values=["万元", "个"]) == Column(1, "计量单位", syn.UNIT_COLUMN)


def test_amount_column_with_unit():
    assert meaning("金额（万元）") == Column(1, "金额（万元）", VALUE, unit="万元")


def test_income_and_expense_columns():
    assert meaning("收入").role == syn.INCOME_AMOUNT
    assert meaning("支出").role == syn.EXPENSE_AMOUNT


def test_unknown_header():
    assert meaning("光伏收益") == Column(1, "光伏收益", UNKNOWN)


def test_no_header_is_unknown():
    assert column_meaning(1, (), cells_of([[None, None]]), pd.RangeIndex(2, 2), WORDS) == Column(1, "", UNKNOWN)


def test_meaning_lines_for_people():
    assert meaning("经营收入").meaning() == "item operating_income"
    assert meaning("村名").meaning() == "village"
    assert meaning("增减额").meaning() == "left out: 增减额 is computed from other columns"
    assert meaning("上河村").meaning() == "amounts of 上河村"
    assert meaning("濠头乡").meaning() == "subtotal of the row's villages (township)"
    assert meaning("光伏收益").meaning() == "unknown: its amounts are rejected"


# --- 10. read_rows: what each body row is ------------------------------------------------------------------


def test_county_table_row_kinds():
    read = rows_of(COUNTY_TABLE + FOOTERS, COUNTY_MERGES)
    assert by_row(read.kinds) == {
        4: "data",
        5: "data",
        6: "subtotal",
        7: "data",
        8: "data",
        9: "subtotal",
        10: "subtotal",
        11: "blank",
        12: "note",
        13: "note",
        14: "note",
        15: "note",
    }


def test_county_table_places_of_data_rows():
    read = rows_of(COUNTY_TABLE, COUNTY_MERGES)
    data = read.kinds.eq("data")
    assert by_row(read.village[data]) == {4: "上河村", 5: "大坪村", 7: "龙虎村", 8: "石门村"}
    assert by_row(read.township[data]) == {4: "濠头乡", 5: "濠头乡", 7: "土桥镇", 8: "土桥镇"}


def test_total_merged_across_leading_columns_is_a_subtotal_without_village():
    read = rows_of(COUNTY_TABLE, COUNTY_MERGES)
    assert (read.kinds[10], plain(read.village[10])) == ("subtotal", None)


def test_township_row_is_a_subtotal_without_village():
    read = rows_of(COUNTY_TABLE, COUNTY_MERGES)
    assert (read.kinds[9], plain(read.village[9]), read.township[9]) == ("subtotal", None, "土桥镇")


def test_subtotal_coverage():
    read = rows_of(COUNTY_TABLE, COUNTY_MERGES)
    assert pairs(read.coverage) == [
        (6, 4),
        (6, 5),  # 濠头乡小计: its block
        (9, 7),
        (9, 8),  # 土桥镇: its villages by the 乡镇 column
        (10, 4),
        (10, 5),
        (10, 7),
        (10, 8),
    ]  # 合计: every village


def test_total_covers_no_blank_or_footer_row():
    read = rows_of(COUNTY_TABLE + FOOTERS, COUNTY_MERGES)
    assert pairs(read.coverage.loc[read.coverage["subtotal_row"].eq(10)]) == [(10, 4), (10, 5), (10, 7), (10, 8)]


def test_township_totals_after_each_section():
    read = rows_of(
        [
            ["单位：万元"],
            ["序号", "村名", "经营收入"],
            ["一、濠头乡"],
            [1, "上河村", 20],
            [2, "大坪村", 5],
            ["全乡合计", None, 25],
            ["二、土桥镇"],
            [3, "龙虎村", 8],
            ["全镇合计", None, 8],
        ],
        [(3, 0, 3, 2), (6, 0, 6, 1), (7, 0, 7, 2), (9, 0, 9, 1)],
    )
    assert by_row(read.kinds) == {3: "title", 4: "data", 5: "data", 6: "subtotal", 7: "title", 8: "data", 9: "subtotal"}
    assert pairs(read.coverage) == [(6, 4), (6, 5), (9, 8)]


def test_section_rows_give_the_township_below():
    read = rows_of(
        [
            ["单位：万元"],
            ["序号", "村名", "经营收入", "补助收入"],
            ["一、濠头乡（共2个村）"],
            [1, "上河村", 20, 3],
            [2, "大坪村", 5.5, 4],
            ["小计", None, 25.5, 7],
            ["二、土桥镇"],
            [3, "龙虎村", 8, 12],
            ["小计", None, 8, 12],
            ["合计", None, 33.5, 19],
        ],
        [(3, 0, 3, 3), (6, 0, 6, 1), (7, 0, 7, 3), (9, 0, 9, 1), (10, 0, 10, 1)],
    )
    assert by_row(read.kinds) == {
        3: "title",
        4: "data",
        5: "data",
        6: "subtotal",
        7: "title",
        8: "data",
        9: "subtotal",
        10: "subtotal",
    }
    data = read.kinds.eq("data")
    assert by_row(read.township[data]) == {4: "濠头乡", 5: "濠头乡", 8: "土桥镇"}
    assert pairs(read.coverage) == [(6, 4), (6, 5), (9, 8), (10, 4), (10, 5), (10, 8)]


TOWNSHIP_ROWS_ABOVE = [
    ["单位：万元"],
    ["村名", "经营收入", "补助收入"],
    ["濠头乡", 25.5, 7],
    ["上河村", 20, 3],
    ["大坪村", 5.5, 4],
    ["土桥镇", 8, 12],
    ["龙虎村", 8, 12],
]


def test_township_rows_above_their_villages_cover_them():
    read = rows_of(TOWNSHIP_ROWS_ABOVE)
    assert by_row(read.kinds) == {3: "subtotal", 4: "data", 5: "data", 6: "subtotal", 7: "data"}
    assert pairs(read.coverage) == [(3, 4), (3, 5), (6, 7)]


def test_township_row_above_gives_its_villages_the_township():
    read = rows_of(TOWNSHIP_ROWS_ABOVE)
    assert by_row(read.township[read.kinds.eq("data")]) == {4: "濠头乡", 5: "濠头乡", 7: "土桥镇"}


def test_summary_by_township():
    read = rows_of(
        [["单位：万元"], ["乡镇", "经营收入", "补助收入"], ["濠头乡", 25.5, 7], ["土桥镇", 10, 15], ["合计", 35.5, 22]]
    )
    assert by_row(read.kinds) == {3: "subtotal", 4: "subtotal", 5: "subtotal"}
    assert pairs(read.coverage) == []
    assert read.summaries.to_dict("records") == [
        {"subtotal_row": 3, "summary": "township:濠头乡"},
        {"subtotal_row": 4, "summary": "township:土桥镇"},
        {"subtotal_row": 5, "summary": "township:濠头乡|township:土桥镇"},
    ]


def test_statistics_form_row_kinds():
    read = rows_of(STATISTICS_FORM)
    assert by_row(read.kinds) == {
        6: "data",
        7: "data",
        8: "data",
        9: "data",
        10: "other",
        11: "title",
        12: "blank",
        13: "note",
    }


def test_statistics_form_items_details_and_units():
    read = rows_of(STATISTICS_FORM)
    rows = [6, 7, 8, 9]
    assert by_row(read.item[rows]) == {
        6: "total_income",
        7: "total_income",
        8: "operating_income",
        9: "contract_income",
    }
    assert by_row(read.detail[rows]) == {6: None, 7: "光伏发电收入", 8: None, 9: None}
    assert by_row(read.unit[rows]) == {6: "万元", 7: "万元", 8: "元", 9: "万元"}
    assert read.orientation == "items down, periods across"


def test_note_rows_under_amount_columns():
    read = rows_of(
        [
            ["单位：万元"],
            ["村名", "经营收入", "补助收入"],
            ["上河村", 20, 3],
            ["填表人：", "张三", 13807356789],
            ["会计：赵六", None, "制表：王五"],
        ]
    )
    assert by_row(read.kinds) == {3: "data", 4: "note", 5: "note"}


def test_remark_cell_keeps_its_row_data():
    read = rows_of(
        [
            ["单位：万元"],
            ["村名", "经营收入", "备注"],
            ["上河村", 20, "说明：含代管资金"],
            ["大坪村", 5, "注：2022年新建"],
        ]
    )
    assert by_row(read.kinds) == {3: "data", 4: "data"}


def test_this_year_and_last_year_rows():
    read = rows_of(
        [
            ["2022年村级收入表"],
            ["单位：万元"],
            ["村名", "年度", "经营收入"],
            ["上河村", "本年", 20],
            [None, "上年", 18],
            ["大坪村", "本年", 5.5],
            [None, "上年", 5],
        ],
        [(4, 0, 5, 0), (6, 0, 7, 0)],
    )
    assert by_row(read.kinds) == {4: "data", 5: "data", 6: "data", 7: "data"}
    assert by_row(read.village) == {4: "上河村", 5: "上河村", 6: "大坪村", 7: "大坪村"}
    assert by_row(read.period) == {4: syn.CURRENT, 5: syn.PRIOR, 6: syn.CURRENT, 7: syn.PRIOR}


def test_year_column_rows():
    read = rows_of(
        [
            ["单位：元"],
            ["村名", "年度", "经营收入"],
            ["上河村", 2021, 20],
            ["上河村", "2022年", 25],
            ["上河村", "22年", 30],
        ]
    )
    assert by_row(read.year) == {3: 2021, 4: 2022, 5: None}
    assert "two-digit year" in read.year_problem[5]


def test_full_organisation_names_split():
    read = rows_of(SANZI_EXPORT)
    assert set(zip(read.county, read.township, read.village, strict=True)) == {
        ("汝城县", "濠头乡", "上河村"),
        ("汝城县", "濠头乡", "大坪村"),
    }
    assert by_row(read.village_code) == {
        2: "431026100201",
        3: "431026100201",
        4: "431026100201",
        5: "431026100202",
        6: "431026100202",
    }


def test_village_code_stored_as_number_is_kept():
    export = [SANZI_EXPORT[0], [431026100201.0, *SANZI_EXPORT[1][1:]]]
    assert by_row(rows_of(export).village_code) == {2: "431026100201"}


def test_sub_accounts_roll_up():
    read = rows_of(SANZI_EXPORT)
    assert by_row(read.item) == {
        2: "operating_income",
        3: "operating_income",
        4: "operating_income",
        5: "subsidy_income",
        6: "subsidy_income",
    }
    assert by_row(read.detail) == {2: None, 3: "农产品销售收入", 4: "租赁收入", 5: "上级补助", 6: "其他补助"}
    # Only the sub-accounts whose parent's row is absent add up to the parent's figure.
    assert by_row(read.adds_up) == {2: False, 3: False, 4: False, 5: True, 6: True}


def test_distribution_other_line():
    read = rows_of(
        [
            ["项目", "行次", "金额"],
            ["可分配收益", 10, 50],
            ["减：提取公积公益金", 11, 10],
            ["农户分配", 12, 20],
            ["其他", 13, 1],
            ["年末未分配收益", 14, 19],
        ]
    )
    assert by_row(read.item) == {
        2: "distributable_income",
        3: "reserve_appropriation",
        4: "household_distribution",
        5: "other_distribution",
        6: "undistributed_income_end",
    }


# --- 11. table_cells: each amount's village, year, item and unit -------------------------------------------


def test_cell_frame_columns():
    frame = cell_frame(COUNTY_TABLE, COUNTY_MERGES)
    assert list(frame.columns) == list(CELL_COLUMNS)


def test_county_table_cells():
    frame = cell_frame(COUNTY_TABLE, COUNTY_MERGES)
    income = frame.loc[frame["col"].eq(3)]
    assert pick(income, "row", "village", "county", "year", "item", "value", "unit", "row_kind", "problem") == [
        (4, "上河村", "汝城县", 2022, "operating_income", 20, "万元", "data", None),
        (5, "大坪村", "汝城县", 2022, "operating_income", 5.5, "万元", "data", None),
        (6, None, "汝城县", 2022, "operating_income", 25.5, "万元", "subtotal", None),
        (7, "龙虎村", "汝城县", 2022, "operating_income", 8, "万元", "data", None),
        (8, "石门村", "汝城县", 2022, "operating_income", 2, "万元", "data", None),
        (9, None, "汝城县", 2022, "operating_income", 10, "万元", "subtotal", None),
        (10, None, "汝城县", 2022, "operating_income", 35.5, "万元", "subtotal", None),
    ]
    assert pick(income.loc[income["row_kind"].eq("data")], "township") == [
        ("濠头乡",),
        ("濠头乡",),
        ("土桥镇",),
        ("土桥镇",),
    ]


def test_footers_give_no_cells():
    frame = cell_frame(COUNTY_TABLE + FOOTERS, COUNTY_MERGES)
    assert sorted(set(frame["row"])) == [4, 5, 6, 7, 8, 9, 10]


def test_column_year_beats_the_title():
    frame = cell_frame(
        [
            ["濠头乡2022年村级集体经济收入对比表"],
            ["单位：万元"],
            ["村名", "村集体经济收入", None, "增减额"],
            [None, "2021年", "2022年", None],
            ["上河村", 20, 25, 5],
        ],
        [(3, 0, 4, 0), (3, 1, 3, 2), (3, 3, 4, 3)],
    )
    assert pick(frame, "col", "village", "year", "item", "value", "precedence", "problem") == [
        (1, "上河村", 2021, "total_income", 20, "current", None),
        (2, "上河村", 2022, "total_income", 25, "current", None),
    ]


def test_period_columns_take_the_sheet_year():
    frame = cell_frame(STATISTICS_FORM)
    assert pick(frame.loc[frame["row"].eq(8)], "col", "village", "year", "item", "precedence", "unit") == [
        (3, "上河村", 2022, "operating_income", "current", "元"),
        (4, "上河村", 2021, "operating_income", "prior", "元"),
    ]


def test_statistics_form_other_and_missing_cells_are_not_read():
    frame = cell_frame(STATISTICS_FORM)
    assert sorted({(int(r), int(c)) for r, c in zip(frame["row"], frame["col"], strict=True)}) == [
        (6, 3),
        (6, 4),
        (7, 3),
        (8, 3),
        (8, 4),
    ]


def test_row_year_beats_the_sheet_name():
    frame = cell_frame(
        [["收益分配表"], ["单位：元"], ["村名", "年度", "经营收入"], ["上河村", 2019, 20]], sheet="2021年"
    )
    assert pick(frame, "year", "problem") == [(2019, None)]


def test_this_year_and_last_year_rows_take_the_title_year():
    frame = cell_frame(
        [
            ["2022年村级收入表"],
            ["单位：万元"],
            ["村名", "年度", "经营收入"],
            ["上河村", "本年", 20],
            [None, "上年", 18],
        ],
        [(4, 0, 5, 0)],
    )
    assert pick(frame, "row", "village", "year", "precedence") == [
        (4, "上河村", 2022, "current"),
        (5, "上河村", 2021, "prior"),
    ]


def test_title_year_when_nothing_closer():
    frame = cell_frame([["2022年村级收入表"], ["单位：元"], ["村名", "经营收入"], ["上河村", 20]], sheet="2021年")
    assert pick(frame, "year") == [(2022,)]


def test_balance_sheet_cells():
    frame = cell_frame(BALANCE_SHEET, table=1)
    assert pick(
        frame, "row", "col", "village", "township", "county", "year", "item", "value", "unit", "precedence"
    ) == [
        (5, 6, "上河村", "濠头乡", "汝城县", 2016, "short_term_borrowings", 0, "元", "prior"),
        (5, 7, "上河村", "濠头乡", "汝城县", 2017, "short_term_borrowings", 0, "元", "current"),
        (6, 6, "上河村", "濠头乡", "汝城县", 2016, "payables", 500, "元", "prior"),
        (6, 7, "上河村", "濠头乡", "汝城县", 2017, "payables", 400, "元", "current"),
        (7, 6, "上河村", "濠头乡", "汝城县", 2016, "liabilities", 500, "元", "prior"),
        (7, 7, "上河村", "濠头乡", "汝城县", 2017, "liabilities", 400, "元", "current"),
    ]


def test_row_village_beats_the_organisation_line():
    frame = cell_frame(
        [["2022年村级收入表"], ["编制单位：上河村\u3000\u3000单位：元"], ["村名", "经营收入"], ["大坪村", 20]]
    )
    assert pick(frame, "village", "problem") == [("大坪村", None)]


def test_village_across_beats_the_organisation_line():
    frame = cell_frame(
        [
            ["2022年收益分配统计表"],
            ["编制单位：上河村\u3000\u3000单位：元"],
            ["指标名称", "计量单位", "大坪村"],
            ["经营收入", "元", 20],
        ]
    )
    assert pick(frame, "village", "problem") == [("大坪村", None)]


def test_villages_across_with_a_township_total_column():
    frame = cell_frame(
        [
            ["濠头乡2022年收益分配统计表"],
            ["单位：万元"],
            ["指标名称", "计量单位", "濠头乡", "上河村", "大坪村"],
            ["经营收入", "万元", 25.5, 20, 5.5],
        ]
    )
    assert pick(frame, "col", "village", "township", "item", "row_kind", "problem") == [
        (2, None, "濠头乡", "operating_income", "subtotal", None),
        (3, "上河村", "濠头乡", "operating_income", "data", None),
        (4, "大坪村", "濠头乡", "operating_income", "data", None),
    ]


def test_village_from_the_organisation_line():
    frame = cell_frame(
        [
            ["2022年收益及收益分配表"],
            ["编制单位：上河村股份经济合作社\u3000\u3000单位：元"],
            ["项目", "行次", "金额"],
            ["经营收入", 1, 200000],
        ]
    )
    assert pick(frame, "village", "item", "unit", "problem") == [("上河村", "operating_income", "元", None)]


def test_item_from_the_row():
    frame = cell_frame([["2022年台账"], ["单位：元"], ["村名", "科目", "金额"], ["上河村", "补助收入", 100]])
    assert pick(frame, "item", "problem") == [("subsidy_income", None)]


def test_item_column_beside_item_rows_is_unknown():
    frame = cell_frame(
        [["2022年台账"], ["单位：元"], ["村名", "科目", "金额", "经营收入"], ["上河村", "补助收入", 100, 5]]
    )
    assert pick(frame, "col", "item", "problem") == [
        (2, "subsidy_income", None),
        (3, "operating_income", "column_unknown"),
    ]


def test_column_unit_beats_the_unit_line():
    frame = cell_frame(
        [["2022年收益分配表"], ["编制单位：上河村\u3000\u3000单位：元"], ["项目", "金额（万元）"], ["经营收入", 20]]
    )
    assert pick(frame, "unit") == [("万元",)]


def test_measure_unit_cell_beats_the_unit_line():
    frame = cell_frame(
        [
            ["2022年收益分配表"],
            ["编制单位：上河村"],
            ["单位：万元"],
            ["指标名称", "计量单位", "本年数"],
            ["经营收入", "元", 200000],
            ["补助收入", None, 3],
        ]
    )
    assert pick(frame, "row", "unit") == [(5, "元"), (6, "万元")]


def test_row_label_unit_beats_the_unit_line():
    frame = cell_frame(
        [
            ["2022年收益分配表"],
            ["编制单位：上河村"],
            ["单位：元"],
            ["项目", "本年数"],
            ["经营收入（万元）", 20],
            ["补助收入", 3000],
        ]
    )
    assert pick(frame, "row", "item", "unit") == [(5, "operating_income", "万元"), (6, "subsidy_income", "元")]


def test_no_unit_anywhere_leaves_it_missing():
    frame = cell_frame([["2022年收益分配表"], ["编制单位：上河村"], ["项目", "本年数"], ["经营收入", 20]])
    assert pick(frame, "unit", "problem") == [(None, None)]


def test_village_missing_in_a_row():
    frame = cell_frame([["2022年村级收入表"], ["单位：万元"], ["村名", "经营收入"], ["上河村", 20], [None, 5]])
    assert pick(frame, "row", "village", "problem") == [(4, "上河村", None), (5, None, "village_missing")]


def test_village_missing_everywhere():
    frame = cell_frame([["2022年收益分配表"], ["单位：万元"], ["项目", "本年数"], ["经营收入", 20]])
    assert pick(frame, "village", "problem") == [(None, "village_missing")]
    assert "rename the sheet to the village" in frame.at[0, "reason"]


def test_item_unknown_suggests_the_closest_items():
    frame = cell_frame(
        [["2022年台账"], ["单位：元"], ["村名", "科目", "金额"], ["上河村", "待查款项", 100], ["上河村", None, 5]]
    )
    assert pick(frame, "row", "item", "problem") == [(4, None, "item_unknown"), (5, None, "item_missing")]
    assert "'待查款项' is not known (closest known: 应收款项 (receivables), " in frame.at[0, "reason"]


@pytest.mark.parametrize(
    ("name", "item"),
    [
        ("光伏发电收入", "operating_income"),
        ("蔬菜大棚租金", "operating_income"),
        ("厂房出租收入", "operating_income"),
        ("山林承包费", "contract_income"),
        ("土地承包费", "contract_income"),
        ("租赁承包费", "contract_income"),
        ("股金分红", "investment_income"),
        ("上级补助资金", "subsidy_income"),
        ("以奖代补资金", "subsidy_income"),
        ("利息收入", "other_income"),
        ("捐赠收入", "other_income"),
    ],
)
def test_a_projects_name_is_a_part_of_the_item_its_words_tell(name, item):
    frame = cell_frame([["上河村2022年收入明细"], ["单位：元"], ["收入项目", "金额"], [name, 100]])
    assert pick(frame, "item", "detail", "adds_up", "problem") == [(item, name, True, None)]


def test_a_projects_side_comes_from_its_column_or_title_and_both_sides_is_unknown():
    ledger = [
        ["上河村2022年收支明细"],
        ["单位：元"],
        ["项目", "收入", "支出"],
        ["误工补贴", None, 300],
        ["财政补贴", 500, None],
    ]
    assert pick(cell_frame(ledger), "item", "detail") == [("admin_expense", "误工补贴"), ("subsidy_income", "财政补贴")]
    expenses = [["上河村2022年支出明细"], ["单位：元"], ["支出项目", "金额"], ["其他", 300]]
    assert pick(cell_frame(expenses), "item", "detail") == [("other_expense", "其他")]
    unsaid = [["上河村2022年明细"], ["单位：元"], ["项目", "金额"], ["补贴", 300]]
    assert pick(cell_frame(unsaid), "item", "problem") == [(None, "item_unknown")]


def test_year_missing():
    frame = cell_frame([["村级收入表"], ["单位：元"], ["村名", "经营收入"], ["上河村", 20]])
    assert pick(frame, "year", "problem") == [(None, "year")]


def test_year_ambiguous_in_the_title():
    frame = cell_frame([["村级收入表（2021—2022年）"], ["单位：元"], ["村名", "经营收入"], ["上河村", 20]])
    assert pick(frame, "problem") == [("year",)]
    assert "names several years (2021, 2022)" in frame.at[0, "reason"]


def test_column_unknown():
    frame = cell_frame([["2022年村级收入表"], ["单位：万元"], ["村名", "经营收入", "光伏收益"], ["上河村", 20, 3]])
    assert pick(frame, "col", "item", "problem") == [(1, "operating_income", None), (2, None, "column_unknown")]
    assert "'光伏收益' is not known" in frame.loc[frame["col"].eq(2), "reason"].iloc[0]


def test_period_column_without_item_rows_is_unknown():
    frame = cell_frame([["2022年村级收入表"], ["单位：万元"], ["村名", "本年数"], ["上河村", 20]])
    assert pick(frame, "problem") == [("column_unknown",)]


def test_income_and_expense_both_filled_is_ambiguous():
    frame = cell_frame([["2022年台账"], ["单位：元"], ["村名", "科目", "收入", "支出"], ["上河村", "其他收入", 10, 20]])
    assert pick(frame, "col", "problem") == [(2, "amount_ambiguous"), (3, "amount_ambiguous")]


@pytest.mark.parametrize("marker", ["—", "/", "无", "－"])
def test_missing_marker_in_the_unused_column_is_no_ambiguity(marker):
    frame = cell_frame(
        [
            ["2022年台账"],
            ["单位：元"],
            ["村名", "科目", "收入", "支出"],
            ["上河村", "经营收入", 100, marker],
            ["上河村", "经营支出", marker, 50],
        ]
    )
    assert pick(frame, "row", "col", "item", "value", "problem") == [
        (4, 2, "operating_income", 100, None),
        (5, 3, "operating_expense", 50, None),
    ]


@pytest.mark.parametrize(
    ("rows", "merged"),
    [(COUNTY_TABLE, COUNTY_MERGES), (STATISTICS_FORM, ()), (SANZI_EXPORT, ()), (TOWNSHIP_ROWS_ABOVE, ())],
)
def test_a_rows_label_values_are_its_series_values(rows, merged):
    # The reader takes the labels as arrays; rows.village and the others show them as Series: the same values.
    read = rows_of(rows, merged)
    for label in ("village", "township", "county", "village_code", "year", "year_problem", "period", "item"):
        series = getattr(read, label)
        assert series.index.equals(read.kinds.index)
        assert [plain(v) for v in read.values(label)] == [plain(v) for v in series.to_numpy(dtype=object)]
    for label in ("item_written", "detail", "unit", "months", "date", "item_problem", "closest_items"):
        assert [plain(v) for v in read.values(label)] == [plain(v) for v in getattr(read, label).tolist()]
