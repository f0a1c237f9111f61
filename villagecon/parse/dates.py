"""Dates as ledgers and rosters write them, read into the period they name.

One reader for every date cell: ``2017-04-01``, ``2017/4/1``, ``2017.04``, ``2017年4月``, ``二〇一七年四月``,
``20170401`` and ``201704`` (typed without separators), ``2017``, ``2017年度``, Excel dates and serial day
numbers (45000 is 2023-03-15), and numbers typed in Excel (2017.04 is April 2017). A day gives the day, a month
its first and last day, a year 1 January and 31 December.

``2017.1`` is either January or October (Excel drops the 0 of 2017.10): the caller says what it takes it for
(``dotted_one``). The ledger's date columns keep the year only; the roster refuses it unless the column writes
its other months with two digits, which makes it October.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal

import numpy as np
import pandas as pd

from villagecon.parse.cell_text import is_blank
from villagecon.parse.numerals import NotANumeral, chinese_number

__all__ = ["DATE_PATTERN", "FIRST_YEAR", "LAST_YEAR", "DottedOne", "Period", "period_text", "read_date"]

FIRST_YEAR, LAST_YEAR = 1949, 2100
# What ``2017.1`` is taken for: the year only, refused (January or October?), or October.
DottedOne = Literal["year", "refuse", "october"]
# (first day, last day, reason): (None, None, None) for an empty cell, (None, None, reason) for one not a date.
Period = tuple[dt.date | None, dt.date | None, str | None]

# Year, month and day (the month and day 1 or 2 digits), and a time Excel exports may add. Group 1 is the year.
DATE_PATTERN = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_YEAR_MONTH_DAY = re.compile(DATE_PATTERN)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_YEAR_ONLY = re.compile(r"(\d{4})\s*(?:年度?)?")
_CHINESE_NUMBER = re.compile(r"[〇○零一二三四五六七八九十]+")
_DOTTED_ONE = re.compile(r"\d{4}\.1")
# Excel serial day numbers of 1954-10-03 .. 2119-01-22: a number in this range in a date column is a day.
SERIAL_RANGE = (20_000, 80_000)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def read_date(value: object, *, dotted_one: DottedOne = "refuse") -> Period:
    """Read one date cell as the period it names: ``(first_day, last_day, None)``.

    Parameters
    ----------
    value : object
        The cell as stored: text, a number, a date or datetime, or empty.
    dotted_one : {"refuse", "year", "october"}
        What ``2017.1`` (the number, or the text a CSV export writes for it) is: refused with a reason, the
        year 2017, or October 2017.

    Returns
    -------
    tuple
        ``(first_day, last_day, None)``; ``(None, None, None)`` for an empty cell (``""``, ``—``, ``无``);
        ``(None, None, reason)`` for anything else.

    Examples
    --------
    >>> read_date("2017年4月")
    (datetime.date(2017, 4, 1), datetime.date(2017, 4, 30), None)
    >>> read_date("二〇二一年一月五日")[0]
    datetime.date(2021, 1, 5)
    >>> read_date(2017.1, dotted_one="year")
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31), None)
    """
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, None, None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        value = pd.Timestamp(value).date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _checked_day(value.year, value.month, value.day, value)
    if isinstance(value, bool):
        return None, None, f"{value!r} is not a date"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _date_of_number(float(value), dotted_one=dotted_one)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if _DOTTED_ONE.fullmatch(text):
        return _date_of_number(float(text), dotted_one=dotted_one)
    if is_blank(text):
        return None, None, None
    text = _CHINESE_NUMBER.sub(_arabic, text)
    if match := _YEAR_MONTH_DAY.fullmatch(text) or _COMPACT.fullmatch(text):
        year, month, day = match.groups()
        if day is None:
            return _checked_month(int(year), int(month), value)
        return _checked_day(int(year), int(month), int(day), value)
    if match := _YEAR_ONLY.fullmatch(text):
        year = int(match.group(1))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), None
    return None, None, f"{value!r} is not a date: write it as 2017-04, 2017年4月 or 2017-04-01"


def period_text(first: dt.date, last: dt.date) -> str:
    """A period as ISO text, as precisely as it was written: ``2022-03-05``, ``2022-03`` or ``2022``.

    Parameters
    ----------
    first, last : datetime.date
        The first and last day of the period, as :func:`read_date` gives them.

    Returns
    -------
    str
    """
    if first == last:
        return first.isoformat()
    if first.month == last.month:
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}"


def _arabic(match: re.Match[str]) -> str:
    try:
        return str(chinese_number(match.group()))
    except NotANumeral:  # not a numeral (十十): left as written, so the text is no date
        return match.group()


def _date_of_number(number: float, *, dotted_one: DottedOne) -> Period:
    if number.is_integer() and FIRST_YEAR <= number <= LAST_YEAR:
        return dt.date(int(number), 1, 1), dt.date(int(number), 12, 31), None
    if SERIAL_RANGE[0] <= number < SERIAL_RANGE[1]:
        day = EXCEL_EPOCH + dt.timedelta(days=int(number))
        return day, day, None
    if number.is_integer() and 190_000 <= number <= 21_001_231:  # 201704 or 20170401 typed as a number
        return read_date(str(int(number)))
    if FIRST_YEAR <= number < LAST_YEAR + 1:
        year, _, decimals = repr(number).partition(".")
        if decimals == "1":
            if dotted_one == "year":
                return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31), None
            if dotted_one == "october":
                return _checked_month(int(year), 10, number)
            return (
                None,
                None,
                (
                    f"the number {number!r} may be {year}年1月 or {year}年10月 (Excel drops the 0 of "
                    f"{year}.10): write {year}年1月 or {year}年10月"
                ),
            )
        if len(decimals) <= 2:
            return _checked_month(int(year), int(decimals), number)
    return None, None, f"{number!r} is not a date: write it as 2017-04, 2017年4月 or 2017-04-01"


def _checked_month(year: int, month: int, value: object) -> Period:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None, None, f"{value!r} is not a date (month {month} of {year})"
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return first, last, None


def _checked_day(year: int, month: int, day: int, value: object) -> Period:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, None, f"{value!r} is not a date"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, None, f"{value!r} is outside {FIRST_YEAR}–{LAST_YEAR}"
    return date, date, None
