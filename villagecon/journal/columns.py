"""The columns of the journal's tables, and the raw frame every reader makes.

Readers of spreadsheets (:mod:`~villagecon.journal.spreadsheets`) and of parquet sets
(:mod:`~villagecon.journal.parquet_set`) both make a raw frame (:data:`RAW_COLUMNS`, :func:`as_raw`);
the tables a partition gives (:mod:`~villagecon.journal.partition_tables`) have the columns named here.
"""

from __future__ import annotations

import logging

import pandas as pd

from villagecon.errors import LocatedError
from villagecon.schemas import JOURNAL_ENTRY_COLUMNS as ITEM_TOTAL_COLUMNS
from villagecon.schemas import REJECT_COLUMNS

__all__ = [
    "AMOUNT_FIELDS",
    "BANK_BOOK",
    "BOOK_COLUMNS",
    "BREAK_COLUMNS",
    "CASH_BOOK",
    "FIELD_LABELS",
    "IDENTITY_COLUMNS",
    "ITEM_TOTAL_COLUMNS",
    "KINDS",
    "PARQUET_COLUMNS",
    "RAW_COLUMNS",
    "REJECT_COLUMNS",
    "SUBTOTAL_COLUMNS",
    "UNMAPPED_COLUMNS",
    "JournalLayoutError",
    "as_raw",
    "empty_raw",
]

log = logging.getLogger(__name__)

CASH_BOOK, BANK_BOOK = "现金日记账", "银行存款日记账"

# The raw journal: one row per row of a book, cells as written. A parquet journal set holds these
# columns except county and year (its hive partition folders, county=…/year=…) and file/sheet/row
# (made from the partition, the book and ``line``).
RAW_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "year",
    "month",
    "day",
    "voucher",
    "summary",
    "counter_account",
    "debit",
    "credit",
    "direction",
    "balance",
    "file",
    "sheet",
    "row",
    "problem",
    "reason",
)
PARQUET_COLUMNS = (
    "township",
    "village",
    "village_code",
    "book",
    "month",
    "day",
    "voucher",
    "summary",
    "counter_account",
    "debit",
    "credit",
    "balance",
    "line",
)
_TEXT_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "voucher",
    "summary",
    "counter_account",
    "direction",
    "file",
    "sheet",
    "problem",
    "reason",
)
AMOUNT_FIELDS = ("debit", "credit", "balance")
FIELD_LABELS = {
    "debit": "借方",
    "credit": "贷方",
    "balance": "余额",
    "summary": "摘要",
    "counter_account": "对方科目",
    "month": "月",
    "village": "村",
}

IDENTITY_COLUMNS = ["county", "township", "village", "village_code"]

KINDS = ("data", "opening", "month_total", "year_total", "carried", "closing", "blank", "note", "rejected")


BREAK_COLUMNS = (
    "source",
    "cell",
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "year",
    "month",
    "day",
    "voucher",
    "summary",
    "debit_yuan",
    "credit_yuan",
    "balance_yuan",
    "expected_balance",
    "difference",
    "problem",
    "reason",
)
UNMAPPED_COLUMNS = ("counter_account", "summary", "lines", "debit_yuan", "credit_yuan", "first_source", "reason")
SUBTOTAL_COLUMNS = (
    "source",
    "cell",
    "kind",
    "book",
    "year",
    "month",
    "field",
    "amount_yuan",
    "lines_sum",
    "difference",
    "status",
    "reason",
)
BOOK_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "year",
    "file",
    "sheet",
    "rows",
    "lines",
    "opening_balance",
    "closing_balance",
    "debit_yuan",
    "credit_yuan",
    "breaks",
)


class JournalLayoutError(LocatedError):
    """A journal sheet whose header, year or village cannot be found."""


def empty_raw() -> pd.DataFrame:
    """A raw journal frame with no rows and every column of :data:`RAW_COLUMNS`.

    Returns
    -------
    DataFrame
        No rows; the dtypes :func:`as_raw` gives (used throughout).
    """
    return as_raw(pd.DataFrame())


def as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column of :data:`RAW_COLUMNS`, in order, with their dtypes.

    Missing optional columns (direction, voucher, problem, …) are added empty; texts become ``str``,
    year and row ``int64``, month and day nullable ``Int64``; amount cells stay as written. Categorical
    columns (a parquet set's hive partitions) are read as their values.

    Parameters
    ----------
    frame : DataFrame
        Raw journal rows; not mutated.

    Returns
    -------
    DataFrame
        The columns of :data:`RAW_COLUMNS`, index reset.
    """
    n = len(frame)
    columns: dict[str, pd.Series] = {}
    for name in RAW_COLUMNS:
        values = frame[name] if name in frame else pd.Series([None] * n, index=frame.index, dtype=object)
        if name in _TEXT_COLUMNS:
            columns[name] = (
                values.astype("str")
                if not isinstance(values.dtype, pd.CategoricalDtype)
                else values.astype(object).astype("str")
            )
        elif name in ("year", "row"):
            columns[name] = pd.to_numeric(
                values.astype(object) if isinstance(values.dtype, pd.CategoricalDtype) else values
            ).astype("int64")
        elif name in ("month", "day"):
            columns[name] = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        else:  # amounts, as written: text stays text, numbers stay numbers
            columns[name] = values
    raw = pd.DataFrame(columns).reset_index(drop=True)
    for name in AMOUNT_FIELDS:  # a column with nothing in it reads as text, so that dtypes do not vary
        if raw[name].dtype == object and (raw.empty or raw[name].isna().all()):
            raw[name] = raw[name].astype("str")
    return raw
