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

from villagecon.parse.dates import DATE_PATTERN, FIRST_YEAR, LAST_YEAR, period_text, read_date
from villagecon.parse.numerals import CHINESE_DIGITS

# CHINESE_DIGITS, FIRST_YEAR and LAST_YEAR are also named here, where the table reader imports them.
__all__ = [
    "CHINESE_DIGITS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "date_text",
    "looks_like_year_header",
    "parse_year",
    "year_in_text",
]

_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_DATE = re.compile(DATE_PATTERN)
_TWO_DIGIT = re.compile(r"'?(\d{2})年度?")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1949|19[5-9]\d|20\d\d)(?!\d)")
_CHINESE_YEAR_IN_TEXT = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_TWO_DIGIT_IN_TEXT = re.compile(r"(?<![\d〇○零一二三四五六七八九])\d{2}年")


def parse_year(value: object, *, dates: bool = False) -> tuple[int | None, str | None]:
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
        # A date column's serial day number, 20220701 or 2022.12 typed in Excel: the year of the date.
        first = read_date(number, dotted_one="year")[0] if dates else None
        return (first.year, None) if first is not None else (None, f"{value!r} is not a year")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None, None
    digits = text.translate(CHINESE_DIGITS)
    if match := _YEAR.fullmatch(digits) or _DATE.fullmatch(digits):
        return _checked(int(match.group(1)), value)
    if match := _TWO_DIGIT.fullmatch(digits):
        return None, f"two-digit year {text!r} is ambiguous: write the full year, e.g. 20{match[1]}"
    if dates and text.isdigit():
        return parse_year(int(text), dates=True)
    return None, f"{text!r} is not a year"


def date_text(value: object) -> str | None:
    """The date of a date column's cell as ISO text, as precisely as written: ``2022-03-05``, ``2022-03`` (from
    ``2022.3``, ``2022年3月``), ``2022`` (from ``2022.1``: January or October, Excel dropped the 0), or None.

    Parameters
    ----------
    value : object
        The cell as stored.

    Returns
    -------
    str or None
        None where the cell is empty or no date (:func:`villagecon.parse.dates.read_date` says why).

    Examples
    --------
    >>> date_text("2022年3月5日"), date_text(2022.12), date_text(2022.1)
    ('2022-03-05', '2022-12', '2022')
    """
    first, last, _ = read_date(value, dotted_one="year")
    return None if first is None or last is None else period_text(first, last)


def _checked(year: int, value: object) -> tuple[int | None, str | None]:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return year, None
    return None, f"{value!r} is outside {FIRST_YEAR}–{LAST_YEAR}"


def looks_like_year_header(value: object) -> int | None:
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
