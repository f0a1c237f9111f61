"""The columns of the tables a :class:`~villagecon.ingest.ledger.Ledger` holds, the status of each sheet, and
the reject rows every step of the ledger writes the same way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon.parse.cell_text import as_text
from villagecon.schemas import ENTRY_COLUMNS, REJECT_COLUMNS, SKIPPED_COLUMNS

__all__ = [
    "ENTRY_COLUMNS",
    "HIDDEN",
    "NOT_A_LEDGER",
    "PART_YEAR_COLUMNS",
    "READ",
    "REJECT_COLUMNS",
    "REPEATED_COLUMNS",
    "SHEET_COLUMNS",
    "SKIPPED_COLUMNS",
    "SUBTOTAL_COLUMNS",
    "UNREADABLE",
    "as_rejects",
    "in_sheet_order",
    "row_codes",
    "rows_in",
    "text_in",
    "yuan_text",
]

SUBTOTAL_COLUMNS = (
    "source",
    "cell",
    "column",
    "year",
    "item",
    "value",
    "amount_yuan",
    "parts",
    "parts_sum",
    "difference",
    "status",
)
SHEET_COLUMNS = ("file", "sheet", "hidden", "status")
REPEATED_COLUMNS = ("source", "cell", "amount_yuan", "repeats")
PART_YEAR_COLUMNS = ("county", "township", "village", "village_code", "year", "periods")
# Why a sheet was not read: hidden by its workbook, holding no ledger, or not understood (an error).
HIDDEN, NOT_A_LEDGER, UNREADABLE = "hidden", "not_a_ledger", "unreadable"
READ = "read"


def as_rejects(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return pd.DataFrame(columns=list(REJECT_COLUMNS))
    return pd.DataFrame(
        {
            "source": cells["source"].to_numpy(),
            "cell": cells["cell"].to_numpy(),
            "column": cells["column"].to_numpy(),
            "value": cells["value"].map(as_text).to_numpy(),
            "problem": cells["problem"].to_numpy(),
            "reason": cells["reason"].to_numpy(),
        }
    )


def yuan_text(amount: float) -> str:
    return f"{amount:,.2f} 元"


# The order cells are written in: by file, sheet, row and column.
_SHEET_ORDER = ["file_order", "sheet_order", "row", "col"]


def in_sheet_order(cells: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """``rows`` (positions in ``cells``) in the order their cells are written: by file, sheet, row and column,
    stable where two are alike.

    Parameters
    ----------
    cells : DataFrame
        With columns file_order, sheet_order, row and col.
    rows : numpy.ndarray
        Positions in ``cells``.

    Returns
    -------
    numpy.ndarray
        The same positions, ordered.
    """
    placed = cells[_SHEET_ORDER].take(rows).reset_index(drop=True)
    return rows[placed.sort_values(_SHEET_ORDER, kind="stable").index.to_numpy()]


def row_codes(frame: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """Each row of ``frame`` (of ``frame.take(rows)`` where given) as one number, equal rows the same number
    (missing values equal to each other), numbered in order of first appearance: a
    ``groupby(dropna=False, sort=False).ngroup()`` without the groupby.

    Parameters
    ----------
    frame : DataFrame
        The columns that make a row what it is.
    rows : numpy.ndarray, optional
        Positions of the rows wanted, in the order wanted: the columns are numbered whole, not taken first.

    Returns
    -------
    numpy.ndarray
        One int64 per row, from 0.
    """
    if rows is not None and 2 * len(rows) < len(frame):  # a few rows: taken, rather than every row numbered
        frame, rows = frame.take(rows), None
    count = len(frame) if rows is None else len(rows)
    codes = np.zeros(count, dtype="int64")
    bound = 1  # codes < bound
    for column in frame.columns:
        column_codes, distinct = pd.factorize(frame[column], use_na_sentinel=False)
        if rows is not None:
            column_codes = column_codes[rows]
        if bound * (len(distinct) + 1) >= 2**62:  # numbered again before the combined number outgrows int64
            codes, bound = pd.factorize(codes)[0], count + 1
        codes = codes * (len(distinct) + 1) + column_codes
        bound *= len(distinct) + 1
    # Numbered in order of appearance (a single column of all rows is already).
    return codes if rows is None and len(frame.columns) == 1 else pd.factorize(codes)[0]


def rows_in(rows: pd.DataFrame, among: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``rows`` has its values in some row of ``among`` (the same columns), missing values
    equal to each other: a ``MultiIndex.isin`` on numbers, where pandas compares a Python tuple per row.

    Parameters
    ----------
    rows, among : DataFrame
        Tables of the same columns.

    Returns
    -------
    numpy.ndarray
        One bool per row of ``rows``.
    """
    codes = row_codes(pd.concat([rows, among.loc[:, list(rows.columns)]], ignore_index=True))
    return np.isin(codes[: len(rows)], codes[len(rows) :])


def text_in(values: pd.Series, among: pd.Series) -> np.ndarray:
    """``values.isin(among)`` as a numpy array; for text columns (``str``) by Arrow's ``is_in``, where pandas first
    makes a Python list of ``among``, slow for many values.

    Parameters
    ----------
    values, among : Series
        The values looked up, and those they are looked up in.

    Returns
    -------
    numpy.ndarray
        One bool per value.
    """
    if not (isinstance(values.dtype, pd.StringDtype) and isinstance(among.dtype, pd.StringDtype)):
        return values.isin(among).to_numpy()
    found = pc.is_in(pa.array(values.array), value_set=pa.array(among.array).unique())
    return found.to_numpy(zero_copy_only=False).astype(bool)
