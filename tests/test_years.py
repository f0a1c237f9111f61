"""The year of a cell, a header or a title (parse/years.py), and the date of a date column's cell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from villagecon.parse.years import date_text, looks_like_year_header, parse_year, year_in_text


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2017年", 2017),
        ("2017年度", 2017),
        ("二〇一七年", 2017),
        ("２０１７年", 2017),  # full-width digits
        (2017, 2017),
        (2017.0, 2017),  # a year Excel stores as a float
        ("2017-03-05", 2017),
        ("2017年3月", 2017),
        (dt.date(2017, 3, 5), 2017),
        (pd.Timestamp("2017-12-31"), 2017),
    ],
)
def test_a_year_written_in_any_of_the_ledgers_forms_is_read(value, year):
    assert parse_year(value) == (year, None)


def test_a_two_digit_year_is_refused_with_the_full_year_to_write():
    assert parse_year("17年度") == (None, "two-digit year '17年度' is ambiguous: write the full year, e.g. 2017")
    assert parse_year("17年") == (None, "two-digit year '17年' is ambiguous: write the full year, e.g. 2017")


def test_a_date_columns_number_is_the_year_of_its_date_but_elsewhere_no_year():
    assert parse_year(2017.1, dates=True) == (2017, None)  # 2017.1 typed in Excel: January or October, 2017
    assert parse_year(2017.12, dates=True) == (2017, None)
    assert parse_year(43000, dates=True) == (2017, None)  # Excel's day 43000 is 2017-09-22
    assert parse_year(20170401, dates=True) == (2017, None)
    assert parse_year(2017.1) == (None, "2017.1 is not a year")
    assert parse_year(43000) == (None, "43000 is not a year")


def test_years_outside_the_range_and_words_are_no_years():
    assert parse_year("1800年") == (None, "'1800年' is outside 1949–2100")
    assert parse_year("合计") == (None, "'合计' is not a year")
    assert parse_year(True) == (None, "True is not a year")
    assert parse_year("") == (None, None)
    assert parse_year(None) == (None, None)


def test_date_text_keeps_only_the_year_of_2017_point_1_whether_number_or_text():
    # Excel drops the 0 of 2017.10: January or October, so the ledger keeps the year only.
    assert date_text(2017.1) == "2017"
    assert date_text("2017.1") == "2017"
    assert date_text(2017.12) == "2017-12"
    assert date_text(2017.04) == "2017-04"
    assert date_text("2017年4月5日") == "2017-04-05"
    assert date_text("二〇一七年十二月") == "2017-12"
    assert date_text(43000) == "2017-09-22"
    assert date_text(20170401) == "2017-04-01"
    assert date_text("2017年") == "2017"


def test_date_text_of_what_is_no_date_is_none():
    assert date_text("2017-02-30") is None  # no 30 February
    assert date_text("2017-13") is None
    assert date_text("—") is None
    assert date_text("摘要") is None
    assert date_text(None) is None
    assert date_text(float("nan")) is None


def test_year_headers_and_titles():
    assert looks_like_year_header("2018年末数") == 2018
    assert looks_like_year_header("二〇一九年") == 2019
    assert looks_like_year_header(2020.0) == 2020
    assert looks_like_year_header("金额") is None
    assert year_in_text("濠头乡2022年村级集体经济收入统计表") == (2022, None)
    assert year_in_text("二〇二二年收益分配表") == (2022, None)
    assert year_in_text("2016—2023年汇总") == (None, "'2016—2023年汇总' names several years (2016, 2023)")
    assert year_in_text("22年报表") == (None, "two-digit year '22年' in '22年报表' is ambiguous: write the full year")
