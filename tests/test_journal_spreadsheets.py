"""villagecon.journal.spreadsheets: the header, place, year and rows of a journal sheet."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.ingest.files import RawSheet
from villagecon.journal.columns import BANK_BOOK, CASH_BOOK, JournalLayoutError
from villagecon.journal.spreadsheets import book_of, journal_layout, read_journal_sheet, split_place


def test_split_place_reads_county_township_village():
    assert split_place("资兴市白鹭乡秧田村股份经济合作社") == {
        "county": "资兴市",
        "township": "白鹭乡",
        "village": "秧田村股份经济合作社",
    }
    assert split_place("北湖区华塘镇塔水村")["township"] == "华塘镇"


def test_sheet_without_year_names_file_and_sheet():
    grid = pd.DataFrame(
        [
            ["现金日记账", None, None, None, None],
            ["核算单位：濠头乡上河村", None, None, None, None],
            ["月", "日", "摘要", "借方", "余额"],
            [1, 2, "收租金", 10.0, 10.0],
        ],
        index=pd.RangeIndex(1, 5),
        dtype=object,
    )
    sheet = RawSheet(file="上河村.xlsx", sheet="现金", grid=grid)
    with pytest.raises(JournalLayoutError, match=r"no year.*file 上河村\.xlsx, sheet '现金', row 3"):
        read_journal_sheet(sheet)
    raw, cells = read_journal_sheet(sheet, year=2022)
    assert raw[["village", "township", "year", "month", "day", "row"]].iloc[0].tolist() == [
        "上河村",
        "濠头乡",
        2022,
        1,
        2,
        4,
    ]
    assert dict(zip(cells["field"], cells["letters"], strict=True)) == {
        "debit": "D",
        "balance": "E",
        "summary": "C",
        "month": "A",
    }


def test_book_of_reads_the_title():
    assert book_of("2022年银行存款日记账") == BANK_BOOK
    assert book_of("上河村现金日记账") == CASH_BOOK
    assert book_of("总分类账") is None


def test_journal_layout_reads_a_second_header_row():
    grid = pd.DataFrame(
        [
            ["2022年", None, "凭证", None, "摘要", "借方", "贷方", "余额"],
            ["月", "日", "字", "号", None, None, None, None],
            [1, 2, "记", 1, "收租金", 10.0, None, 10.0],
        ],
        index=pd.RangeIndex(1, 4),
        dtype=object,
    )
    header, first_data, roles = journal_layout(RawSheet(file="上河村.xlsx", sheet="现金", grid=grid))
    assert (header, first_data) == (1, 3)
    # 凭证 spans 字 and 号 below it, which name the columns; 2022年 is the title of 月 and 日.
    assert roles == {
        "summary": 4,
        "debit": 5,
        "credit": 6,
        "balance": 7,
        "month": 0,
        "day": 1,
        "voucher_word": 2,
        "voucher_number": 3,
    }


def test_a_sheet_without_a_journal_header_is_not_a_journal():
    grid = pd.DataFrame([["科目", "金额"], ["管理费用", 10.0]], index=pd.RangeIndex(1, 3), dtype=object)
    assert journal_layout(RawSheet(file="x.xlsx", sheet="总账", grid=grid)) is None
