"""Reading the cells of a roster row (ingest/roster_cells.py): the dates of a spell, as the roster takes them."""

from __future__ import annotations

import datetime as dt

import pytest

from villagecon.ingest.roster_cells import parse_date


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        (dt.date(2017, 4, 1), "2017-04-01", "2017-04-01"),
        (dt.datetime(2017, 4, 1, 0, 0), "2017-04-01", "2017-04-01"),
        (42826.0, "2017-04-01", "2017-04-01"),  # Excel serial day number
        ("2017-04", "2017-04-01", "2017-04-30"),
        ("2017-4", "2017-04-01", "2017-04-30"),
        ("2017/04", "2017-04-01", "2017-04-30"),
        ("2017.04", "2017-04-01", "2017-04-30"),
        ("2017.4", "2017-04-01", "2017-04-30"),
        (2017.04, "2017-04-01", "2017-04-30"),  # typed into Excel as a number
        (2017.12, "2017-12-01", "2017-12-31"),
        ("2017年4月", "2017-04-01", "2017-04-30"),
        ("２０１７年４月", "2017-04-01", "2017-04-30"),  # full-width digits
        ("二〇一七年四月", "2017-04-01", "2017-04-30"),
        ("二〇二一年十二月", "2021-12-01", "2021-12-31"),
        ("2017年4月5日", "2017-04-05", "2017-04-05"),
        ("2017-04-05", "2017-04-05", "2017-04-05"),
        ("2017/4/5", "2017-04-05", "2017-04-05"),
        ("2017.04.05", "2017-04-05", "2017-04-05"),
        ("20170405", "2017-04-05", "2017-04-05"),
        ("201704", "2017-04-01", "2017-04-30"),
        ("2016-02", "2016-02-01", "2016-02-29"),  # leap year
        (2017.0, "2017-01-01", "2017-12-31"),  # a year only
        ("2017年", "2017-01-01", "2017-12-31"),
    ],
)
def test_parse_date_reads_every_written_form(value, first, last):
    assert parse_date(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last), None)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (2017.1, "may be 2017年1月 or 2017年10月"),  # Excel stores 2017.10 as 2017.1
        ("2017.1", "may be 2017年1月 or 2017年10月"),  # and a CSV export writes it so
        ("2017年13月", "month 13 of 2017"),
        ("2017-02-30", "is not a date"),
        ("17年4月", "is not a date"),
        ("去年", "is not a date"),
    ],
)
def test_parse_date_refuses_what_it_cannot_read(value, reason):
    first, last, why = parse_date(value)
    assert first is None and last is None
    assert reason in why


@pytest.mark.parametrize("empty", [None, "", "—", float("nan")])
def test_parse_date_empty_cells(empty):
    assert parse_date(empty) == (None, None, None)


def test_a_column_writing_two_digit_months_makes_its_2017_point_1_october():
    assert parse_date(2017.1, dotted_tens=True) == (dt.date(2017, 10, 1), dt.date(2017, 10, 31), None)
    assert parse_date("2017.1", dotted_tens=True) == (dt.date(2017, 10, 1), dt.date(2017, 10, 31), None)
