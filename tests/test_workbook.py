"""write_workbook: what an analyst sees when opening summary.xlsx."""

from __future__ import annotations

import hashlib

import numpy as np
import openpyxl
import pandas as pd

from villagecon.report import workbook
from villagecon.report.workbook import write_workbook


def _table():
    return pd.DataFrame(
        {
            "county": ["汝城县", "北湖区", '=HYPERLINK("http://x","点我")'],
            "village": ["上河村", "塔水村", "@SUM(1)"],
            "year": [2022, 2022, 2022],
            "total_income": [412_345.0, 1_000_000.0, np.nan],
            "share_above": [0.5, 1.0, 0.975],
            "备注": ["-4.2万", "正常", None],
        }
    )


def test_headers_units_formats_and_frozen_panes(tmp_path):
    path = write_workbook(tmp_path / "summary.xlsx", {"村级明细": _table()})
    sheet = openpyxl.load_workbook(path)["村级明细"]
    assert [c.value for c in sheet[1]] == ["县市区", "村", "年度", "本年收入合计（万元）", "达到门槛占比", "备注"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "C2"  # header and the two place columns stay in view
    assert sheet["D2"].value == 41.2345 and sheet["D2"].number_format == "#,##0.00"
    assert sheet["D3"].value == 100.0
    assert sheet["D4"].value is None  # missing stays empty, not 0
    assert sheet["E4"].number_format == "0.0%"
    assert sheet["C2"].value == 2022 and sheet["C2"].number_format == "0"


def test_text_that_would_run_as_a_formula_is_text_with_a_quote_prefix(tmp_path):
    path = write_workbook(tmp_path / "summary.xlsx", {"数据问题": _table()})
    sheet = openpyxl.load_workbook(path)["数据问题"]
    for ref, text in (("A4", '=HYPERLINK("http://x","点我")'), ("B4", "@SUM(1)"), ("F2", "-4.2万")):
        assert sheet[ref].value == text and sheet[ref].data_type == "s"
        assert sheet[ref].quotePrefix
    assert not sheet["A2"].quotePrefix


def test_widths_fit_chinese_text(tmp_path):
    long_name = "汝城县濠头乡上河村股份经济合作社"
    table = pd.DataFrame({"village": ["上河村", long_name], "detail": ["a", "b"]})
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"明细": table}))["明细"]
    assert sheet.column_dimensions["A"].width >= 2 * len(long_name)
    assert sheet.column_dimensions["B"].width < 12


def test_the_same_tables_give_the_same_bytes(tmp_path):
    first = write_workbook(tmp_path / "a.xlsx", {"县市区汇总": _table(), "村级明细": _table()})
    second = write_workbook(tmp_path / "b.xlsx", {"县市区汇总": _table(), "村级明细": _table()})
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_panes_freeze_through_the_village_name(tmp_path):
    detail = pd.DataFrame(
        {
            "county": ["汝城县"],
            "township": ["濠头乡"],
            "village": ["上河村"],
            "village_code": ["431026201205"],
            "year": [2022],
            "total_income": [400_000.0],
        }
    )
    county = pd.DataFrame({"county": ["汝城县"], "n_villages": [24]})
    problems = pd.DataFrame({"where": ["台账"], "source": ["a.xlsx!2022年!9"], "reason": ["…"]})
    book = openpyxl.load_workbook(
        write_workbook(tmp_path / "w.xlsx", {"村级明细": detail, "县市区汇总": county, "数据问题": problems})
    )
    assert book["村级明细"].freeze_panes == "D2"  # 县市区, 乡镇 and 村 stay in view
    assert book["县市区汇总"].freeze_panes == "B2"
    assert book["数据问题"].freeze_panes == "A2"  # no place column: only the header row


def test_a_missing_date_is_an_empty_cell(tmp_path):
    # A village with no secretary on the roster has no start date: NaT, which is a datetime to isinstance.
    table = pd.DataFrame({"village": ["上河村", "新村"], "start": pd.to_datetime(["2017-04-01", None])})
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"书记任期": table}))["书记任期"]
    assert sheet["B2"].value.date().isoformat() == "2017-04-01"
    assert sheet["B3"].value is None


def test_true_and_false_read_shi_and_fou_in_a_chinese_font(tmp_path):
    table = pd.DataFrame(
        {
            "village": ["上河村", "下村", "新村"],
            "above_threshold": pd.array([True, False, None], dtype="boolean"),
            "new_secretary": [np.True_, np.False_, np.False_],
            "total_income": [400_000.0, 9_000.0, None],
        }
    )
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"村级明细": table}))["村级明细"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=3)] == [
        ["上河村", "是", "是"],
        ["下村", "否", "否"],
        ["新村", None, "否"],
    ]  # unknown stays empty
    assert sheet["B2"].data_type == "s" and sheet["C3"].data_type == "s"  # text, not TRUE/FALSE
    assert {c.font.name for row in sheet.iter_rows() for c in row} == {"宋体"}  # header, text and numbers
    # xlsxwriter adds to the properties it is given: had it been given FONT itself, the next workbook of this
    # process would differ from a fresh process's by a byte.
    assert workbook.FONT == {"font_name": "宋体", "font_size": 11}


def test_every_sheet_prints_on_a4_one_page_wide_with_its_header_on_every_page(tmp_path):
    narrow = pd.DataFrame({"county": ["汝城县"], "n_villages": [24], "share_above": [0.5]})
    problems = pd.DataFrame(
        {
            "where": ["台账"],
            "source": ["汝城县/汝城县2022年村级集体经济收支统计表.xlsx!2022年!9"],
            "cell": ["D9"],
            "column": ["经营收入"],
            "value": ["7.5吨"],
            "problem_text": [
                "金额无法识别：「汝城县2022年村级集体经济收支统计表.xlsx」的"
                "「2022年」表D9单元格的“7.5吨”不是可以读出的金额"
            ],
            "problem_advice": ["把该格改为数字或带单位的金额（如 4.2 或 4.2万元）"],
            "problem": ["amount"],
            "reason": ["not an amount of money: correct the cell"],
        }
    )
    book = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"县市区汇总": narrow, "数据问题": problems}))
    assert book["县市区汇总"].page_setup.orientation == "portrait"
    assert book["数据问题"].page_setup.orientation == "landscape"  # wider than an upright A4 page
    for sheet in book:
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth or 1) == 1  # absent is 1, the file format's default
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as the rows need
        assert sheet.print_title_rows == "$1:$1"  # the header row on every page
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet.freeze_panes in ("A2", "B2")
