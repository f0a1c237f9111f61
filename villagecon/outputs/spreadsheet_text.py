"""Text that cannot run when a spreadsheet opens it (CSV/DDE injection), and CSV files people open in Excel."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from villagecon.outputs.atomic import write_atomic

__all__ = ["FORMULA_START", "escape_formulas", "runs_as_formula", "write_csv"]

# Text a spreadsheet would run as a formula or command (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-4.2", "+3", "1e5") is read by a spreadsheet as that number and runs
# nothing: it is left alone, so that real numbers stay numbers.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def runs_as_formula(text: object) -> bool:
    """Whether a spreadsheet opening ``text`` in a cell could run it (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM``).

    Parameters
    ----------
    text : object
        A cell's value; anything but a string is safe.

    Returns
    -------
    bool
        True for text starting with ``= + - @``, tab or carriage return that is not a plain number.
    """
    return isinstance(text, str) and text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``= + - @``, tab or carriage return gets a leading ``'``
    (Excel's own marker for "this is text"), unless it is a plain number such as
    ``-4.2``; numbers stay numbers. Does not mutate ``table``.

    Parameters
    ----------
    table : DataFrame
        Any table.

    Returns
    -------
    DataFrame
        A copy, escaped.
    """
    escaped = table.copy()
    for column in escaped.columns:
        values = escaped[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            risky = values.map(runs_as_formula).astype(bool)
            if risky.any():
                escaped[column] = values.astype(object).where(~risky, "'" + values.astype("str"))
    return escaped


def write_csv(table: pd.DataFrame, path: Path | str) -> Path:
    """Write ``table`` as a CSV people open in Excel, atomically.

    UTF-8 with BOM so that Excel on Windows shows the Chinese; text that Excel would run as a formula is
    escaped. Lines end in CRLF, as Excel's own CSV do: the csv module then quotes a field holding a bare
    carriage return, which would otherwise end the row there and start the next with "=…".

    Parameters
    ----------
    table : DataFrame
        The table; its index is not written.
    path : path-like
        The CSV file.

    Returns
    -------
    Path
        ``path``.
    """
    return write_atomic(
        path, lambda p: escape_formulas(table).to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    )
