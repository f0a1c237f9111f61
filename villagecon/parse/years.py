"""Read the year of an account from a cell, a header or a title.

Ledgers write years as ``2022``, ``2022年``, ``2022年度``, ``二〇二二年``, dates,
``20220701`` in a date column, Excel serial dates (45000 is 2023-03-15) or ``2022.0`` (a number read from
Excel). ``22年`` is refused as ambiguous, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 1949, 2100
# Excel serial day numbers of 1954-10-03 .. 2119-01-22: a number in this range in a
# date column is a date, not a year or an amount.
_SERIAL_RANGE = (20_000, 80_000)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_DATE = re.compile(r"(\d{4})(?:[-/.年]\s*(\d{1,2})(?:[-/.月]\s*(\d{1,2})日?)?月?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_TWO_DIGIT = re.compile(r"'?\d{2}年度?")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1949|19[5-9]\d|20\d\d)(?!\d)")
_CHINESE_YEAR_IN_TEXT = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_TWO_DIGIT_IN_TEXT = re.compile(r"(?<![\d〇○零一二三四五六七八九])\d{2}年")


def parse_year(value, *, dates: bool = False) -> tuple[int | None, str | None]:
    """Year of one cell: ``(year, None)``, ``(None, None)`` when empty, or ``(None, reason)``.

    Parameters
    ----------
    value
        The cell as stored: number, string, date or empty.
    dates : bool
        The cell comes from a date column, so a number in the Excel serial-date
        range is a date.

    Examples
    --------
    >>> parse_year("二〇二二年")
    (2022, None)
    >>> parse_year("22年")
    (None, "two-digit year '22年' is ambiguous: write the full year, e.g. 2022")
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, bool):
        return None, f"{value!r} is not a year"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return _checked(value.year, value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if number.is_integer() and FIRST_YEAR <= number <= LAST_YEAR:
            return int(number), None
        if dates and _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
            return (_EXCEL_EPOCH + dt.timedelta(days=number)).year, None
        if dates and number.is_integer() and (compact := _compact_date(int(number))):
            return compact.year, None
        if dates and FIRST_YEAR <= number < LAST_YEAR + 1 and _dotted_month(number) is not None:
            return int(number), None  # 2022.12 typed in Excel: a year and its month
        return None, f"{value!r} is not a year"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None, None
    digits = text.translate(CHINESE_DIGITS)
    if match := _YEAR.fullmatch(digits) or _DATE.fullmatch(digits):
        return _checked(int(match.group(1)), value)
    if _TWO_DIGIT.fullmatch(digits):
        return None, f"two-digit year {text!r} is ambiguous: write the full year, e.g. 20{text[-3:-1]}"
    if dates and text.isdigit():
        return parse_year(int(text), dates=True)
    return None, f"{text!r} is not a year"


def date_text(value) -> str | None:
    """The date of a date column's cell as ISO text, as precisely as written: ``2022-03-05``, ``2022-03`` (from
    ``2022.3``, ``2022年3月``), ``2022`` (from ``2022.1``: January or October, Excel dropped the 0), or None.

    >>> date_text("2022年3月5日"), date_text(2022.12), date_text(2022.1)
    ('2022-03-05', '2022-12', '2022')
    """
    if value is None or value is pd.NA or isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if np.isnan(number):
            return None
        if _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
            return date_text(_EXCEL_EPOCH + dt.timedelta(days=number))
        if number.is_integer() and (compact := _compact_date(int(number))):
            return date_text(compact)
        if not FIRST_YEAR <= number < LAST_YEAR + 1:
            return None
        if number.is_integer():
            return str(int(number))
        month = _dotted_month(number)
        return None if month is None else f"{int(number)}-{month:02d}" if month else str(int(number))
    text = unicodedata.normalize("NFKC", str(value)).strip().translate(CHINESE_DIGITS)
    if text.isdigit() and len(text) == 8:
        return date_text(int(text))
    match = _DATE.fullmatch(text) or _YEAR.fullmatch(text)
    if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        return None
    parts = [int(p) for p in match.groups()[1:] if p]
    if parts and not 1 <= parts[0] <= 12:
        return None
    return "-".join([match.group(1), *(f"{p:02d}" for p in parts)])


def _dotted_month(number: float) -> int | None:
    """The month of a date typed as a number: 3 for 2022.3, 12 for 2022.12; 0 for 2022.1 (January, or October
    with its 0 dropped by Excel); None where the decimals are no month (2022.35)."""
    hundredths = round((number - int(number)) * 100, 6)
    if hundredths == 10:
        return 0
    month = int(hundredths) // 10 if hundredths % 10 == 0 else int(hundredths)
    return month if float(hundredths).is_integer() and 1 <= month <= 12 else None


def _compact_date(number: int) -> dt.date | None:
    """20220701 as a date (a 日期 column typed without separators), else None."""
    year, month_day = divmod(number, 10_000)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, *divmod(month_day, 100))
    except ValueError:
        return None


def _checked(year: int, value) -> tuple[int | None, str | None]:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return year, None
    return None, f"{value!r} is outside {FIRST_YEAR}–{LAST_YEAR}"


def looks_like_year_header(value) -> int | None:
    """Year named by a column header (``2017年``, ``2018``, ``二〇一九年``), else None."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        return int(number) if number.is_integer() and FIRST_YEAR <= number <= LAST_YEAR else None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().translate(CHINESE_DIGITS)
        if match := re.fullmatch(r"(\d{4})\s*(?:年度?|年末|年末数|年数)?", text):
            return _checked(int(match.group(1)), value)[0]
    return None


def year_in_text(text: str) -> tuple[int | None, str | None]:
    """The one year a title, sheet or file name speaks of: ``(year, None)``, ``(None, None)`` or ``(None, reason)``.

    ``"濠头乡2022年村级集体经济收入统计表"`` gives 2022; a text naming two different
    years (``2016—2023年``) or only ``22年`` gives a reason instead of a guess.
    """
    text = unicodedata.normalize("NFKC", str(text))
    years = {int(y) for y in _YEAR_IN_TEXT.findall(text)}
    years |= {int(y.translate(CHINESE_DIGITS)) for y in _CHINESE_YEAR_IN_TEXT.findall(text)}
    if len(years) == 1:
        return years.pop(), None
    if len(years) > 1:
        return None, f"{text!r} names several years ({', '.join(map(str, sorted(years)))})"
    if match := _TWO_DIGIT_IN_TEXT.search(text):
        return None, f"two-digit year {match.group()!r} in {text!r} is ambiguous: write the full year"
    return None, None
