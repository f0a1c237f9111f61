"""Labels read across a table's body rows: the leading label where 合计 and sections are looked for, the text
that says a row sums others, and which rows repeat an earlier one cell for cell.

A long table (a 200,000-row ledger) is worked on each column's distinct texts (:meth:`SheetCells.column_codes`),
matched by Arrow as :func:`~villagecon.ingest.cells.search` matches a long column; a short one row by row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.ingest.cells import (
    SHORT_COLUMN,
    SheetCells,
    distinct_search,
    distinct_spaces_removed,
    filled_codes,
    filled_values,
    search,
    spaces_removed,
)
from villagecon.ingest.words import SUBTOTAL_PATTERN


def repeated_rows(cells: SheetCells, body: pd.Index, kinds: np.ndarray) -> pd.Series:
    """The first earlier data row that each data row repeats cell for cell, else NaN.

    Parameters
    ----------
    cells : SheetCells
    body : Index
        A table's body rows (rows of the sheet).
    kinds : ndarray of str
        Each body row's kind (``data``, ``subtotal``, …), by position.

    Returns
    -------
    Series of object
        Indexed by ``body``: the row number of the first data row whose cells are all the same, for each
        later data row that repeats it; NaN elsewhere.
    """
    if len(kinds) <= SHORT_COLUMN:
        # A short table: each data row's cells as a tuple, the first row of each seen once.
        found = np.full(len(kinds), np.nan, dtype=object)
        numbers = body.to_numpy()
        data_at = np.flatnonzero(kinds == "data")
        first: dict[tuple, int] = {}
        lines = map(tuple, cells.values[cells.row_positions(body)][data_at])
        for i, line in zip(data_at.tolist(), lines, strict=True):
            if (j := first.setdefault(line, i)) != i:
                found[i] = int(numbers[j])
        return pd.Series(found, index=body, dtype=object)
    # A long table: rows compared by their cells' codes (each column's distinct texts, SheetCells.column_codes),
    # combined column by column into one code per distinct row.
    repeated = np.full(len(kinds), np.nan, dtype=object)  # as pandas makes Series(None, dtype=object)
    data_at = np.flatnonzero(kinds == "data")
    if len(data_at):
        at = cells.row_positions(body)[data_at]
        row_code = np.zeros(len(at), dtype=np.int64)
        for position in range(cells.values.shape[1]):
            codes, distinct = cells.column_codes(position)
            row_code = pd.factorize(row_code * len(distinct) + codes[at])[0]  # below the rows' count: no overflow
        # Codes count up in order of first appearance: a row's first is where its code first shows.
        first_at = np.empty(row_code.max() + 1, dtype=np.intp)
        new = np.ones(len(row_code), dtype=bool)
        new[1:] = row_code[1:] > np.maximum.accumulate(row_code)[:-1]
        first_at[row_code[new]] = np.flatnonzero(new)
        numbers = body.to_numpy()[data_at]
        again = np.flatnonzero(first_at[row_code] != np.arange(len(row_code)))
        repeated[data_at[again]] = numbers[first_at[row_code[again]]].astype(object)
    return pd.Series(repeated, index=body, dtype=object)


def leading_label(cells: SheetCells, body: pd.Index, leading: list[int]) -> np.ndarray:
    """The text of a row's leading columns (merged cells filled across), where 合计 and sections are looked for.

    Parameters
    ----------
    cells : SheetCells
    body : Index
        A table's body rows.
    leading : list of int
        The columns left of the table's amounts.

    Returns
    -------
    ndarray of str
        Each body row's first text in ``leading`` that is no 序号 or 行次 number, without spaces; "" if none.
    """
    label = np.full(len(body), "", dtype=object)
    if not leading or not len(body):
        return label
    # A 序号 or 行次 number is no label; a 合计 merged over 序号/乡镇/村名 is.
    if len(body) > SHORT_COLUMN:
        # A long table: each column's distinct texts looked at once (as search does a long column's).
        for codes, distinct in filled_codes(cells, body, leading):
            text = np.where(distinct_search(distinct, _ROW_NUMBER_TEXT), "", distinct)[codes]
            label = np.where(label != "", label, text)
        return spaces_removed(label)
    filled = filled_values(cells, body, leading)
    for i in range(len(leading)):
        text = np.where(search(filled[:, i], _ROW_NUMBER_TEXT), "", filled[:, i])
        label = np.where(label != "", label, text)
    return spaces_removed(label)


_ROW_NUMBER_TEXT = r"^[0-9.]+$"


def subtotal_text(cells: SheetCells, body: pd.Index, columns: list[int]) -> np.ndarray:
    """Each row's first text in ``columns`` that says the row sums others (合计, 小计, 本月合计), else "".

    Parameters
    ----------
    cells : SheetCells
    body : Index
        A table's body rows.
    columns : list of int
        The columns to look in, first to last (merged cells filled across).

    Returns
    -------
    ndarray of str
        The text, without spaces, by body row.
    """
    found = np.full(len(body), "", dtype=object)
    if not columns or not len(body):
        return found
    if len(body) > SHORT_COLUMN:
        for codes, distinct in filled_codes(cells, body, columns):
            text = distinct_spaces_removed(distinct)
            says = distinct_search(text, SUBTOTAL_PATTERN)[codes]
            found = np.where((found != "") | ~says, found, text[codes])
        return found
    filled = filled_values(cells, body, columns)
    for i in range(len(columns)):
        text = spaces_removed(filled[:, i])
        found = np.where((found != "") | ~search(text, SUBTOTAL_PATTERN), found, text)
    return found


__all__ = ["leading_label", "repeated_rows", "subtotal_text"]
