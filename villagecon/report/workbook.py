"""Formatted Excel workbooks for people: Chinese headers, amounts in 万元, nothing that runs as a formula.

Written with xlsxwriter, whose files are byte-identical from one run to the next once the document
properties carry a fixed date (the report's year end), so a rerun of the report can be checked by hash.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Hashable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from villagecon.outputs import runs_as_formula
from villagecon.parse.amounts import YUAN_PER_WAN
from villagecon.vocab import labels

__all__ = ["FONT", "NO", "YES", "write_workbook"]

_HEADER = {"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True, "valign": "vcenter"}
# Every cell's font: 宋体 is on every Chinese Windows, WPS and Office alike (Calibri has no Chinese, so Excel would
# mix in a fallback font), and LibreOffice and macOS map it to their own Song typeface.
FONT = {"font_name": "宋体", "font_size": 11}
YES, NO = "是", "否"  # a true/false column, as people write it (Excel's TRUE/FALSE is English)
_MAX_WIDTH = 60
# Width (Excel's character units) that fits across an A4 page upright between the default margins; a wider sheet
# prints across (landscape). Either way it is shrunk to one page wide, its header row repeated on every page.
_PORTRAIT_WIDTH = 90
_A4 = 9
_PLACE_COLUMNS = ("county", "township", "village", "name")
_MAX_FROZEN = 4  # a village column further right is not frozen: the frozen part would fill the screen


def write_workbook(
    path: Path | str,
    sheets: Mapping[str, pd.DataFrame],
    *,
    amounts_in_wan: bool = True,
    created: dt.datetime = dt.datetime(2000, 1, 1),
    title: str = "",
) -> Path:
    """Write ``{sheet name: table}`` to ``path`` as a formatted workbook.

    Parameters
    ----------
    sheets : mapping of sheet name to DataFrame
        Columns named with canonical names (``total_income``) get their Chinese label from
        :mod:`villagecon.vocab.labels`; others keep their name.
    amounts_in_wan : bool
        Amount columns (the line items and derived measures, in yuan) are written in 万元 with two
        decimals, their header saying ``（万元）``.
    created : datetime
        The workbook's creation date: fixed, so the same tables give the same bytes.

    Every sheet gets a bold header row, frozen panes below it and right of the village name (or of
    the leading place columns when there is no village column), column widths that fit Chinese text,
    and the quote prefix on text starting with ``= + - @``, tab or carriage return, so that Excel shows
    it and never runs it. Cells are in :data:`FONT`; true and false read 是 and 否. Printed, a sheet is
    A4, one page wide (landscape when wider than a page upright), its header row on every page and
    第 n 页，共 m 页 at the foot.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": False,
            "default_format_properties": dict(FONT),
        },
    )  # xlsxwriter adds to it
    book.set_properties({"title": title, "created": created, "author": "villagecon", "comments": ""})
    formats = {
        "header": book.add_format(_HEADER),
        "quoted_header": book.add_format({**_HEADER, "quote_prefix": True}),
        "amount": book.add_format({"num_format": "#,##0.00"}),
        "share": book.add_format({"num_format": "0.0%"}),
        "integer": book.add_format({"num_format": "0"}),
        "number": book.add_format({"num_format": "#,##0.##"}),
        "quoted": book.add_format({"quote_prefix": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for name, table in sheets.items():
        _write_sheet(book.add_worksheet(name), table, formats, amounts_in_wan=amounts_in_wan)
    book.close()
    return path


def _write_sheet(sheet: Worksheet, table: pd.DataFrame, formats: dict[str, Format], *, amounts_in_wan: bool) -> None:
    headers = [labels.header(str(column), amounts_in_wan=amounts_in_wan) for column in table.columns]
    for col, header in enumerate(headers):  # a header from the data is text like any other cell
        sheet.write_string(0, col, header, formats["quoted_header" if runs_as_formula(header) else "header"])
    widths = [_display_width(h) for h in headers]
    for col, column in enumerate(table.columns):
        values = table[column]
        kind = _kind(column, values)
        if kind == "amount" and amounts_in_wan:
            values = values / YUAN_PER_WAN
        for row, value in enumerate(values.tolist(), start=1):
            width = _write_cell(sheet, row, col, value, kind, formats)
            widths[col] = max(widths[col], width)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width + 2, _MAX_WIDTH))
    sheet.freeze_panes(1, _frozen_columns(list(table.columns)))
    if len(table.columns):
        sheet.autofilter(0, 0, max(len(table), 1), len(table.columns) - 1)
    _print_setup(sheet, sum(min(width + 2, _MAX_WIDTH) for width in widths))


def _print_setup(sheet: Worksheet, width: float) -> None:
    sheet.set_paper(_A4)
    if width > _PORTRAIT_WIDTH:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as the rows need
    sheet.repeat_rows(0)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _frozen_columns(columns: list[Hashable]) -> int:
    """How many columns stay in view while scrolling right: through 村 when it leads the table (县市区, 乡镇, 村)."""
    if "village" in columns[:_MAX_FROZEN]:
        return columns.index("village") + 1
    leading = 0
    while leading < min(len(columns), _MAX_FROZEN) and columns[leading] in _PLACE_COLUMNS:
        leading += 1
    return leading


def _write_cell(sheet: Worksheet, row: int, col: int, value: object, kind: str, formats: dict[str, Format]) -> int:
    """Write one value; returns its display width."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        sheet.write_blank(row, col, None)
        return 0
    if isinstance(value, bool | np.bool_):
        sheet.write_string(row, col, YES if value else NO)
        return 2
    if isinstance(value, int | float | np.integer | np.floating):
        fmt = formats.get(kind, formats["number"])
        sheet.write_number(row, col, float(value), fmt)
        return len(f"{value:,.2f}")
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), formats["date"])
        return 10
    text = str(value)
    sheet.write_string(row, col, text, formats["quoted"] if runs_as_formula(text) else None)
    return _display_width(text)


def _kind(column: str, values: pd.Series) -> str:
    if labels.is_amount(column):
        return "amount"
    if labels.is_share(column):
        return "share"
    if column in ("year", "county_code", "first_year_above") or pd.api.types.is_integer_dtype(values):
        return "integer"
    return "number"


def _display_width(text: str) -> int:
    """Columns a text takes in Excel: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
