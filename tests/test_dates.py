"""One date reader for ledgers and rosters (parse/dates.py): the period a date cell names."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from villagecon.parse.dates import period_text, read_date

D = dt.date


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2017-04-01", D(2017, 4, 1), D(2017, 4, 1)),
        ("2017/4/1", D(2017, 4, 1), D(2017, 4, 1)),
        ("2017 年 4 月 1 日", D(2017, 4, 1), D(2017, 4, 1)),
        ("2017-04-01 08:30:00", D(2017, 4, 1), D(2017, 4, 1)),
        ("2017年4月", D(2017, 4, 1), D(2017, 4, 30)),
        ("2017.04", D(2017, 4, 1), D(2017, 4, 30)),
        ("二〇一七年四月", D(2017, 4, 1), D(2017, 4, 30)),
        ("二〇二〇年二月二十九日", D(2020, 2, 29), D(2020, 2, 29)),
        ("二〇一七年十二月", D(2017, 12, 1), D(2017, 12, 31)),
        ("20170401", D(2017, 4, 1), D(2017, 4, 1)),
        ("201704", D(2017, 4, 1), D(2017, 4, 30)),
        (201704, D(2017, 4, 1), D(2017, 4, 30)),
        ("2017", D(2017, 1, 1), D(2017, 12, 31)),
        ("2017年度", D(2017, 1, 1), D(2017, 12, 31)),
        (2017, D(2017, 1, 1), D(2017, 12, 31)),
        (2017.04, D(2017, 4, 1), D(2017, 4, 30)),
        (2017.11, D(2017, 11, 1), D(2017, 11, 30)),
        (43000, D(2017, 9, 22), D(2017, 9, 22)),  # an Excel serial day number
        (dt.datetime(2017, 4, 1, 9, 0), D(2017, 4, 1), D(2017, 4, 1)),
        (pd.Timestamp("2017-04-01"), D(2017, 4, 1), D(2017, 4, 1)),
        (np.datetime64("2017-04-01"), D(2017, 4, 1), D(2017, 4, 1)),
    ],
)
def test_every_spelling_gives_its_period(value, first, last):
    assert read_date(value) == (first, last, None)


@pytest.mark.parametrize("value", [2017.1, "2017.1"])
def test_2017_point_1_is_the_callers_to_decide(value):
    assert read_date(value, dotted_one="year") == (D(2017, 1, 1), D(2017, 12, 31), None)
    assert read_date(value, dotted_one="october") == (D(2017, 10, 1), D(2017, 10, 31), None)
    first, last, reason = read_date(value)
    assert (first, last) == (None, None)
    assert reason == (
        "the number 2017.1 may be 2017年1月 or 2017年10月 (Excel drops the 0 of 2017.10): write 2017年1月 or 2017年10月"
    )


@pytest.mark.parametrize("value", [None, "", "—", "--", "/", "无", "暂无", float("nan"), pd.NaT, pd.NA])
def test_blank_cells_are_empty_not_errors(value):
    assert read_date(value) == (None, None, None)


def test_what_is_no_date_says_why():
    assert read_date("2017-02-30") == (None, None, "'2017-02-30' is not a date")
    assert read_date("2017-13") == (None, None, "'2017-13' is not a date (month 13 of 2017)")
    assert read_date("1900-01-01") == (None, None, "'1900-01-01' is outside 1949–2100")
    assert read_date("十十年") == (None, None, "'十十年' is not a date: write it as 2017-04, 2017年4月 or 2017-04-01")
    assert read_date(True) == (None, None, "True is not a date")
    assert read_date(2017.123)[2] == "2017.123 is not a date: write it as 2017-04, 2017年4月 or 2017-04-01"


def test_period_text_is_as_precise_as_the_period():
    assert period_text(D(2017, 4, 1), D(2017, 4, 1)) == "2017-04-01"
    assert period_text(D(2017, 4, 1), D(2017, 4, 30)) == "2017-04"
    assert period_text(D(2017, 1, 1), D(2017, 12, 31)) == "2017"
