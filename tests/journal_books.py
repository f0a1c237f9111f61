"""Hand-built cash-journal books (the columns of a 现金日记账 page) shared by the journal tests."""

from __future__ import annotations

import pandas as pd

from villagecon.journal import Journal, clean_journal_frame, combine_results, journal_files, partition_results

PLACE = {
    "county": "汝城县",
    "township": "濠头乡",
    "village": "上河村",
    "village_code": "431026201201",
    "book": "现金日记账",
    "year": 2022,
    "file": "上河村.xlsx",
    "sheet": "现金日记账",
}


COLUMNS = ["month", "day", "summary", "counter_account", "debit", "credit", "balance"]


def book(rows, **place) -> pd.DataFrame:
    """A raw journal book from (月, 日, 摘要, 对方科目, 借方, 贷方, 余额) tuples; rows numbered from 4."""
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    return frame.assign(**{**PLACE, **place}, row=range(4, 4 + len(frame)))


def listed(texts: pd.Series) -> list:
    """A text column as a list, None where missing (pandas' str dtype holds NaN)."""
    return texts.astype(object).where(texts.notna(), None).tolist()


def journal_of(raw: pd.DataFrame) -> tuple[Journal, pd.DataFrame]:
    """The Journal of one raw book, and its cleaned lines."""
    lines = clean_journal_frame(raw)
    return combine_results([partition_results(lines)], files=journal_files(lines)), lines


# A month of a cash book, with every kind of repeated row and the figures worked out by hand.
JANUARY = [
    (1, 1, "上年结转", None, None, None, "1000.00"),
    (1, 3, "收鱼塘承包费", "发包及上交收入", "500.00", None, "1500.00"),
    (1, 5, "付办公用品费", "管理费用—办公费", None, "200", "1300.00"),
    (1, 8, None, None, None, None, "1300.00"),
    (None, None, "过次页", None, "500.00", "200.00", "1300.00"),
    (None, None, "承前页", None, "500.00", "200.00", "1300.00"),
    (1, 9, "从银行提取现金", "银行存款", "1,000.00", None, "2300.00"),
    (1, 20, "收上级补助资金", None, "800", None, "3100.00"),
    (1, None, "本月合计", None, "2300.00", "200.00", "3100.00"),
    (1, None, "本年累计", None, "2300.00", "200.00", "3100.00"),
    (None, None, None, None, None, None, None),
    (None, None, "审核人：李建国", None, None, None, None),
    (12, 31, "结转下年", None, None, None, "3100.00"),
]


JANUARY_KINDS = [
    "opening",
    "data",
    "data",
    "rejected",
    "carried",
    "carried",
    "data",
    "data",
    "month_total",
    "year_total",
    "blank",
    "note",
    "closing",
]
