"""A sheet as a file stores it, before any interpretation, and the A1 names of its cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from villagecon.errors import Location

__all__ = ["RawSheet", "cell_ref", "column_index", "source_of"]


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or CSV file) as stored, before any interpretation.

    Attributes
    ----------
    file : str
        Name relative to the folder being read (posix separators), used in ``source``.
    sheet : str
        Sheet name; ``""`` for a CSV file.
    grid : pandas.DataFrame
        Cell values (object dtype; ``""`` or None where empty). The index is the
        1-based Excel row number, the columns the 0-based column positions.
    merged : list of (first_row, first_col, last_row, last_col)
        Merged ranges, rows 1-based like the index, columns 0-based.
    uncached_formulas : frozenset of (row, col)
        Formula cells whose file holds no computed value (shown as empty in ``grid``).
    hidden : str or None
        ``"hidden"`` or ``"very hidden"`` for a sheet the workbook hides (a stale copy, a lookup table), else None.
    """

    file: str
    sheet: str
    grid: pd.DataFrame
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()
    hidden: str | None = None

    def where(self, row: int | None = None, col: int | None = None) -> Location:
        return Location(self.file, self.sheet or None, row, cell_ref(row, col) if col is not None else None)


def cell_ref(row: int | None, col: int) -> str:
    """Excel A1 reference of a 1-based row and 0-based column (``cell_ref(7, 2) == "C7"``)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}" if row is not None else letters


def source_of(file: str, sheet: str, row: int) -> str:
    """The ``file!sheet!row`` string every cleaned value carries."""
    return f"{file}!{sheet}!{row}"


def column_index(letters: str) -> int:
    """0-based column of an Excel column's letters (``column_index("C") == 2``)."""
    return _column_index(letters.upper())


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
