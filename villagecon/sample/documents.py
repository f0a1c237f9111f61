"""The files of the sample before they are bytes: sheets of cells with merges and widths, and their writers.

Every generator fills :class:`Sheet` and :class:`Document` records and notes in a :class:`CellIndex` where each
amount went (the defects and the coverage check use it); :func:`write_document` turns a document into an xlsx
workbook or a CSV (as Excel on Windows saves it) with fixed properties, so that the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import xlsxwriter

from villagecon.outputs import write_atomic
from villagecon.sample.world import is_missing

__all__ = [
    "CREATED",
    "MONEY_FORMAT",
    "README_FILE",
    "REGISTER_FILE",
    "ROSTER_FILE",
    "SYNTHETIC",
    "SYNTHETIC_NOTE",
    "At",
    "Cell",
    "CellIndex",
    "Document",
    "Sheet",
    "csv_bytes",
    "write_document",
    "xlsx_bytes",
]

SYNTHETIC = "合成样例数据"
SYNTHETIC_NOTE = "注：本表为合成样例数据（synthetic sample data），地名真实，村名以外的数字和人名均为虚构。"
# Fixed creation time of every workbook, so that the same seed gives the same bytes.
CREATED = dt.datetime(2024, 1, 1)
ROSTER_FILE = "村党组织书记花名册（合成样例）.xlsx"
REGISTER_FILE = "register.csv"
README_FILE = "README.md"


MONEY_FORMAT = "#,##0.00"


# A cell's value as a generator writes it: text, a number, a date, or None for an empty cell.
Cell: TypeAlias = Any


@dataclass
class Sheet:
    """One sheet of a sample file: rows of cells, merged ranges (0-based r0, c0, r1, c1), column widths."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0, c0, r1, c1
    widths: dict[int, float] = field(default_factory=dict)
    number_format: str | None = None  # of every number outside the header rows, e.g. #,##0.00

    def append(self, row: list[Cell]) -> int:
        """Add a row; returns its 0-based index."""
        self.rows.append(list(row))
        return len(self.rows) - 1


@dataclass
class Document:
    """One file of the sample: its path in the folder, sheets, layout and unit (for README.md), CSV encoding."""

    path: str  # relative to the output folder, posix separators
    sheets: list[Sheet]
    layout: str  # wide | long | statement | roster
    unit: str
    encoding: str | None = None  # CSV only
    what: str = ""


@dataclass(frozen=True)
class At:
    """Where an amount was written: the document, sheet, 0-based row and column."""

    document: Document
    sheet: Sheet
    row: int  # 0-based
    col: int


class CellIndex:
    """Where every amount was written: (village_code, year, item) -> cells, and the subtotal cells."""

    def __init__(self) -> None:
        self.amounts: dict[tuple[str, int, str], list[At]] = {}
        self.subtotals: dict[tuple[str, str, int, str, str], At] = {}  # (path, sheet, year, label, item)

    def add(self, key: tuple[str, int, str], at: At) -> None:
        self.amounts.setdefault(key, []).append(at)


def write_document(out: Path, document: Document) -> Path:
    """Write one document of the sample into ``out``, as a CSV or an xlsx workbook.

    Parameters
    ----------
    out : Path
        The sample folder.
    document : Document
        A CSV (``encoding`` set, one sheet) or a workbook.

    Returns
    -------
    Path
        The file written, atomically.
    """
    path = out / document.path
    if document.encoding is not None:
        [sheet] = document.sheets
        data = csv_bytes(sheet.rows, document.encoding)
    else:
        data = xlsx_bytes(document)
    return write_atomic(path, lambda p: p.write_bytes(data))


def csv_bytes(rows: list[list[Cell]], encoding: str) -> bytes:
    """CSV as Excel on Windows saves it: CRLF line endings, quotes only where needed.

    Parameters
    ----------
    rows : list of list
        The cells, None for an empty one.
    encoding : str
        ``gbk``, ``utf-8-sig`` …

    Returns
    -------
    bytes
    """
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if value is None else value for value in row] for row in rows]
    )
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(document: Document) -> bytes:
    """A document as an xlsx workbook (xlsxwriter), header rows bold and bordered, merged ranges kept.

    Parameters
    ----------
    document : Document

    Returns
    -------
    bytes
        The workbook, with fixed document properties (the same bytes for the same document).
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties(
        {
            "title": f"{Path(document.path).stem}",
            "subject": SYNTHETIC,
            "author": "villagecon sample",
            "comments": SYNTHETIC_NOTE,
            "created": CREATED,
        }
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    header = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    number_formats: dict[str, xlsxwriter.format.Format] = {}
    for sheet in document.sheets:
        ws = book.add_worksheet(sheet.name)
        header_rows = _header_rows(sheet)
        number = None
        if sheet.number_format is not None:
            number = number_formats.setdefault(
                sheet.number_format, book.add_format({"num_format": sheet.number_format})
            )
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                style = header if r in header_rows else number if isinstance(value, (int, float)) else None
                if is_missing(value):
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, style)
                else:
                    ws.write_number(r, c, value, style)
        for r0, c0, r1, c1 in sheet.merges:
            if (r0, c0) != (r1, c1):
                value = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else None
                ws.merge_range(r0, c0, r1, c1, "" if value is None else value, title if r0 == 0 else header)
        for col, width in sheet.widths.items():
            ws.set_column(col, col, width)
        ws.set_row(0, None, bold)
    book.close()
    return buffer.getvalue()


def _header_rows(sheet: Sheet) -> set[int]:
    return {
        r for r, row in enumerate(sheet.rows[:6]) if len(row) > 3 and all(isinstance(v, str) or v is None for v in row)
    }
