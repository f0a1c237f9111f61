"""What kind of number an amount is: a year's actual, a line of a ledger, a budget, or part of a year.

Only a year's actuals go into the accounts. The months a figure covers come from the most specific place: its
column (本月数 is the last month, 本季数 the last quarter, 本年累计数 January to the last month), its row (a 会计期间
of a 三资 export), then the lines above the table (第三季度, 1-6月, 截至6月底, 上半年, ``2022年6月30日``). A month
alone is that month (2022年6月: June), but 12月 alone ends the year, so its 本年累计 is the year's.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from villagecon.vocab import synonyms as syn

__all__ = [
    "ACTUAL_KINDS",
    "ANNUAL",
    "BUDGET",
    "KINDS",
    "LINE",
    "PART_YEAR",
    "WHOLE_YEAR",
    "Months",
    "accounting_period_months",
    "actuals",
    "column_months",
    "is_budget",
    "months_in_text",
    "period_text",
    "without_document_dates",
]

ANNUAL, LINE, BUDGET, PART_YEAR = "annual", "line", "budget", "part_year"
KINDS = (ANNUAL, LINE, BUDGET, PART_YEAR)
ACTUAL_KINDS = (ANNUAL, LINE)  # the kinds that go into the accounts
WHOLE_YEAR = (1, 12)
Months = tuple[int, int]

_NUMERALS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
# A date of the document (2023年1月更新, 2023年1月报送, 2023年1月10日) says nothing of the period of its figures.
_DOCUMENT_DATE = re.compile(
    r"[(（]?[^(（)）]{0,12}?\d{1,2}\s*月(?:\d{1,2}\s*日)?\s*"
    r"(?:更新|修订|报送|上报|填报|制表|打印)[)）]?"
)
_DOCUMENT_DAY = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*(?:[1-9]|1\d|2[0-7]|0[1-9])\s*日")
_QUARTER = re.compile(r"(前三|第?[一二三四1-4])\s*季度")
_HALF = re.compile(r"上半年|半年报|下半年")
_MONTH_RANGE = re.compile(_MONTH + r"\s*[-—–~至到]\s*" + _MONTH + r"\s*月")
# 截至6月底, 6月末, 6月30日: the months so far; 6月, 6月份: that month.
_MONTHS_SO_FAR = re.compile(
    r"(?:截至|截止|截止到)\s*(?:\d{4}\s*年)?\s*" + _MONTH + r"\s*月|" + _MONTH + r"\s*月\s*(?:末|底|\d{1,2}\s*日)"
)
_ONE_MONTH = re.compile(r"(?<![\d-])" + _MONTH + r"\s*月(?:份)?")
_BUDGET_WORDS = re.compile(r"预算|计划")
_NOT_BUDGET_WORDS = re.compile(r"执行|决算|完成|实际")
# Column words, given the months of the sheet or row (first, last).
_THIS_MONTH = re.compile(r"本月|当月")
_THIS_QUARTER = re.compile(r"本季|当季")
_CUMULATIVE = re.compile(r"累计|全年|本年")


def actuals(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries that go into the accounts: a year's figures and the lines of ledgers, no budget or part-year.

    Parameters
    ----------
    entries : DataFrame
        Entries with a ``kind`` column (:data:`KINDS`); a table without one is taken whole.

    Returns
    -------
    DataFrame
        The rows of :data:`ACTUAL_KINDS`.
    """
    return entries.loc[entries["kind"].isin(ACTUAL_KINDS)] if "kind" in entries else entries


def _month(text: str) -> int:
    return _NUMERALS[text] if text in _NUMERALS else int(text)


def without_document_dates(text: str) -> str:
    """The text without the dates of its document (2023年1月报送, 2023年1月10日).

    Parameters
    ----------
    text : str
        A title, a file name or a cell.

    Returns
    -------
    str
        ``text`` with those dates removed: they say nothing of the period of its figures.
    """
    return _DOCUMENT_DAY.sub("", _DOCUMENT_DATE.sub("", text))


def months_in_text(text: str) -> Months | None:
    """The months a title or a 会计期间 speaks of, or None when it names none (2022年度 is the whole year).

    Parameters
    ----------
    text : str
        A title, a sheet name or a header.

    Returns
    -------
    tuple of (int, int) or None
        The first and last month; :data:`WHOLE_YEAR` for a year.

    Examples
    --------
    >>> months_in_text("濠头乡上河村2023年第三季度财务公开榜"), months_in_text("2022年1-6月"), months_in_text("6月")
    ((7, 9), (1, 6), (6, 6))
    """
    text = without_document_dates(unicodedata.normalize("NFKC", str(text)))
    if "年度" in text or "全年" in text:
        return WHOLE_YEAR
    if match := _QUARTER.search(text):
        if match[1] == "前三":
            return 1, 9
        quarter = _month(match[1].lstrip("第"))
        return 3 * quarter - 2, 3 * quarter
    if match := _HALF.search(text):
        return (7, 12) if match[0] == "下半年" else (1, 6)
    if match := _MONTH_RANGE.search(text):
        return _month(match[1]), _month(match[2])
    if match := _MONTHS_SO_FAR.search(text):
        return 1, _month(match[1] or match[2])
    if match := _ONE_MONTH.search(text):
        month = _month(match[1])
        return WHOLE_YEAR if month == 12 else (month, month)
    return None


def accounting_period_months(text: str) -> Months | None:
    """The months of a 会计期间 cell: 6, 06, 2022-06, 2022.6, 202206, 6月, 1-6月.

    Parameters
    ----------
    text : str
        The cell as text.

    Returns
    -------
    tuple of (int, int) or None
        The first and last month (period 12 is the whole year); None when the cell names no month.
    """
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if re.fullmatch(r"\d{1,2}|\d{4}[-./]?\d{1,2}", text):
        digits = re.sub(r"\D", "", text)
        # After a year (2022-06, 2022.6) the month is what follows its four digits.
        month = int(digits[4:]) if len(digits) > 2 else int(digits)
        if 1 <= month <= 12:
            return WHOLE_YEAR if month == 12 else (month, month)
        return None
    return months_in_text(text)


def is_budget(text: str) -> bool:
    """A title or file name of a budget or a plan (预算表), not of its execution (预算执行情况表, 决算).

    Parameters
    ----------
    text : str
        A title or a file name.

    Returns
    -------
    bool
        Whether its figures are planned ones.
    """
    return bool(_BUDGET_WORDS.search(text)) and not _NOT_BUDGET_WORDS.search(text)


def column_months(months: Months | None, header: str, period: str | None, *, monthly: bool = False) -> Months | None:
    """The months a column's figures cover, given those of its sheet or row.

    本年累计 runs from January, 本月 is the last month (and 本期 too in a ``monthly`` export, a row per 会计期间),
    本季 the last quarter.

    Parameters
    ----------
    months : tuple of (int, int) or None
        The months of the sheet or the row.
    header : str
        The column's header.
    period : str or None
        The column's period role (:data:`villagecon.vocab.synonyms.PART` for 本月, 本期 …).
    monthly : bool
        The sheet is an export with a row per 会计期间.

    Returns
    -------
    tuple of (int, int) or None
        The first and last month; None for a column that names no months in a sheet that names none.
    """
    if (own := months_in_text(header)) is not None:  # 2023年1-11月, 第三季度 in the header itself
        return own
    if period == syn.PART:
        if months is None:
            return None
        if _THIS_MONTH.search(header) or monthly:
            return months[1], months[1]
        if _THIS_QUARTER.search(header):
            return (months[1] - 2, months[1]) if months[1] % 3 == 0 else None
        return months
    if months is None:
        return None
    if _CUMULATIVE.search(header):
        return 1, months[1]
    return months


def period_text(year: int, months: Months | None) -> str:
    """The period of a figure in ISO 8601.

    Parameters
    ----------
    year : int
        The year.
    months : tuple of (int, int) or None
        The first and last month, or None (or :data:`WHOLE_YEAR`) for the whole year.

    Returns
    -------
    str
        ``2023`` for a year, ``2023-07/2023-09`` for months of it, ``2023-06`` for one month.
    """
    if months is None or months == WHOLE_YEAR:
        return str(year)
    first, last = months
    return f"{year}-{first:02d}" if first == last else f"{year}-{first:02d}/{year}-{last:02d}"
