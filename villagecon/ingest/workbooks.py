"""Opening workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) into grids with python-calamine, after their guards, and
finding what calamine does not show: formulas without a saved result and error cells."""

from __future__ import annotations

import codecs
import contextlib
import gc
import io as stdio
import re
import struct
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import cast
from xml.etree.ElementTree import ParseError

import pandas as pd
import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from villagecon.errors import LedgerFileError, Location
from villagecon.ingest.raw_sheet import RawSheet, column_index
from villagecon.ingest.read_limits import ReadLimits, too_many_cells
from villagecon.ingest.workbook_guards import (
    BIFF_BOF,
    OLE_MAGIC,
    XML_NAMESPACES,
    ZIP_ERRORS,
    check_old_workbook,
    checked_sheet_xml,
    compound_stream,
    sheet_parts,
)

__all__ = ["read_workbook"]


# A web page or an Excel 2003 XML file saved with a workbook's name, as web platforms "export to Excel".
_NOT_A_WORKBOOK = (
    (re.compile(rb"<(?:html|table|!doctype html)", re.IGNORECASE), "a web page (HTML)"),
    (re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet"), "an Excel 2003 XML spreadsheet"),
)


def read_workbook(data: bytes, *, name: str, suffix: str, limits: ReadLimits) -> list[RawSheet]:
    where = Location(name)
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if not data.startswith((b"PK", OLE_MAGIC)):
        for pattern, what in _NOT_A_WORKBOOK:
            if pattern.search(head) or pattern.search(head.decode("utf-16", "ignore").encode("utf-8", "ignore")):
                raise LedgerFileError(
                    f"the file is {what} saved with a {suffix} name, not an Excel workbook",
                    where=where,
                    hint="Open it in Excel or WPS and save it as .xlsx (文件 → 另存为 → "
                    "Excel 工作簿), then read that file",
                )
    if suffix != ".xls" and data.startswith(OLE_MAGIC):
        raise LedgerFileError(
            "the workbook is password-protected (or an old .xls renamed to .xlsx)",
            where=where,
            hint="Open it in Excel, remove the password, and save as .xlsx",
        )
    if suffix != ".xls" and not data.startswith(b"PK"):
        raise LedgerFileError(
            "not an Excel workbook (the file is not a zip archive)",
            where=where,
            hint="Check the file is complete; open it in Excel and save as .xlsx",
        )
    # The sheets' XML the guard unpacked, for the scan for formulas below not to unpack it again.
    unpacked: dict[str, tuple[str, bytes | None]] = {}
    if suffix == ".xls":
        check_old_workbook(data, name=name, limits=limits)
    else:
        unpacked = checked_sheet_xml(data, name=name, limits=limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stdio.BytesIO(data))
    except python_calamine.PasswordError:
        raise LedgerFileError(
            "the workbook is password-protected",
            where=where,
            hint="Open it in Excel, remove the password, and save again",
        ) from None
    except BaseException as exc:  # calamine raises several types for damaged files, a panic among them
        _reraise_interrupts(exc)
        raise LedgerFileError(
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})",
            where=where,
            hint="Ask the sender for a new copy, or open and re-save it in Excel",
        ) from None
    # Scanning for formulas without results inflates the sheet XML again; calamine releases the GIL,
    # so the scan runs beside it on a second core.
    with ThreadPoolExecutor(max_workers=1) as scanner:
        scanned = (
            scanner.submit(_formulas_and_errors, data, unpacked)
            if suffix in (".xlsx", ".xlsm")
            else scanner.submit(lambda: ({}, _xls_errors(data)))
            if suffix == ".xls"
            else None
        )
        sheets = _calamine_sheets(workbook, name, limits)
    formulas, errors = scanned.result() if scanned is not None else ({}, {})
    for sheet in sheets:
        # An error cell (#DIV/0!, #REF!) reads as empty: its text goes back in, so that it is rejected, not lost.
        for (row, col), error in errors.get(sheet.sheet, {}).items():
            if row in sheet.grid.index and col in sheet.grid.columns and sheet.grid.at[row, col] in ("", None):
                sheet.grid.at[row, col] = error
    return [replace(sheet, uncached_formulas=frozenset(formulas.get(sheet.sheet, ()))) for sheet in sheets]


def _reraise_interrupts(exc: BaseException) -> None:
    """Let Ctrl-C and exits through; everything else a reader raises (a Rust panic included) is a bad file."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


_HIDDEN = (
    ("very hidden", python_calamine.SheetVisibleEnum.VeryHidden),
    ("hidden", python_calamine.SheetVisibleEnum.Hidden),
)


def _calamine_sheets(workbook: python_calamine.CalamineWorkbook, name: str, limits: ReadLimits) -> list[RawSheet]:
    sheets, cells = [], 0
    hidden = {
        meta.name: next((word for word, state in _HIDDEN if meta.visible == state), None)
        for meta in workbook.sheets_metadata
    }
    for sheet_name in workbook.sheet_names:
        where = Location(name, sheet_name)
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            # to_python fills the rectangle from A1 to the last cell: check it before it is built. (For an
            # .xlsx the sheet's XML was checked before calamine read it; an .xls is at most 65,536 × 256.)
            # The limit holds for the sheets together, as every sheet of the file is held at once.
            row_count, column_count = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            cells += row_count * column_count
            if row_count * column_count > limits.cells:
                raise too_many_cells(f"the sheet spans {row_count:,} rows × {column_count:,} columns", limits, where)
            if cells > limits.cells:
                raise too_many_cells(f"the sheets up to this one span {cells:,} cells together", limits, where)
            with _no_cycle_collection():
                rows = sheet.to_python(skip_empty_area=False)
                width = max((len(row) for row in rows), default=0)
                grid = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
        except LedgerFileError:
            raise
        except BaseException as exc:
            _reraise_interrupts(exc)
            if "larger than its declared" in str(exc):
                raise LedgerFileError(
                    "a part of the workbook unpacks to more than its zip entry declares (a zip "
                    "bomb's trick); reading stopped there",
                    where=where,
                    hint="Do not use the file; ask the sender for a new copy",
                ) from None
            raise LedgerFileError(
                f"sheet cannot be read ({type(exc).__name__}: {exc})",
                where=where,
                hint="Open and re-save the workbook in Excel",
            ) from None
        merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        sheets.append(RawSheet(file=name, sheet=sheet_name, grid=grid, merged=merged, hidden=hidden.get(sheet_name)))
    return sheets


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection while a sheet's rows are built: a long sheet's hundreds of thousands of row
    lists (which hold no cycles) otherwise set off full collections over every object of the process, a tenth of
    a second each on a 200,000-row sheet (issue 13)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
_BIFF_BOOLERR, _BIFF_FORMULA, _BIFF_BOUNDSHEET = 0x0205, 0x0006, 0x0085


def _xls_errors(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of an .xls (``#DIV/0!`` …) per sheet name, keyed by (row from 1, column from 0): calamine
    reads them as empty cells."""
    errors: dict[str, dict[tuple[int, int], str]] = {}
    try:
        stream = compound_stream(data, ("Workbook", "Book"))
    except (ValueError, IndexError, struct.error):
        return errors
    if stream is None:
        return errors
    names: dict[int, str] = {}
    current = None
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + length
        if position > end:
            break
        if kind == _BIFF_BOUNDSHEET and length >= 8:
            offset, count, flags = struct.unpack_from("<I", stream, body)[0], stream[body + 6], stream[body + 7]
            text = stream[body + 8 : position]
            names[offset] = (
                text[: 2 * count].decode("utf-16-le", "replace") if flags & 1 else text[:count].decode("latin-1")
            )
        elif kind == BIFF_BOF:
            current = names.get(body - 4)
        elif current is not None and kind == _BIFF_BOOLERR and length >= 8 and stream[body + 7] == 1:
            row, col = struct.unpack_from("<HH", stream, body)
            errors.setdefault(current, {})[(row + 1, col)] = _BIFF_ERRORS.get(stream[body + 6], "#ERROR")
        elif current is not None and kind == _BIFF_FORMULA and length >= 14:
            row, col = struct.unpack_from("<HH", stream, body)
            result = stream[body + 6 : body + 14]
            if result[6:8] == b"\xff\xff" and result[0] == 2:
                errors.setdefault(current, {})[(row + 1, col)] = _BIFF_ERRORS.get(result[2], "#ERROR")
    return errors


_REF = re.compile(r"([A-Z]+)(\d+)")


def _formulas_and_errors(
    data: bytes, unpacked: dict[str, tuple[str, bytes | None]] | None = None
) -> tuple[dict[str, set[tuple[int, int]]], dict[str, dict]]:
    """Cells holding a formula but no saved result, and error cells (#DIV/0!, #REF!, #N/A) with their text, per
    sheet name.

    Excel always saves results; files written by scripts often do not, and every reader then sees an empty
    cell; an error cell reads as empty too. Those cells must be reported, never read as zero. Most workbooks
    have neither, so a sheet's XML is searched for ``f>`` and ``t="e"`` before it is parsed. The parser is
    defusedxml's: it refuses DTDs and entities even if a part slipped past :func:`check_workbook_archive`.
    ``unpacked``: what :func:`checked_sheet_xml` gave (sheet name → part and XML), not unpacked again.
    """
    found: dict[str, set[tuple[int, int]]] = {}
    errors: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
            parts = unpacked or {sheet_name: (part, None) for sheet_name, part in sheet_parts(archive).items()}
            for sheet_name, (part, whole) in parts.items():
                if (xml := whole) is None:
                    with archive.open(part) as stream:
                        xml = stream.read()
                # Every formula has a <f>…</f> (or <x:f>…</x:f>), every error cell t="e": one search is cheaper.
                if b"f>" not in xml and b't="e"' not in xml:
                    continue
                for cell in SafeElementTree.fromstring(xml, forbid_dtd=True).iter(f"{{{XML_NAMESPACES['m']}}}c"):
                    formula = cell.find("m:f", XML_NAMESPACES)
                    value = cell.find("m:v", XML_NAMESPACES)
                    if cell.get("t") == "e" and value is not None and (value.text or "").strip():
                        letters, row = cast(
                            "re.Match[str]", _REF.fullmatch(cell.get("r", ""))
                        ).groups()  # r is a ref: B7
                        errors.setdefault(sheet_name, {})[(int(row), column_index(letters))] = value.text.strip()
                    elif formula is not None and (value is None or not (value.text or "").strip()):
                        if cell.get("t") == "str" and value is not None:
                            continue  # a formula whose saved result is the empty string
                        letters, row = cast(
                            "re.Match[str]", _REF.fullmatch(cell.get("r", ""))
                        ).groups()  # r is a ref: B7
                        found.setdefault(sheet_name, set()).add((int(row), column_index(letters)))
    except (*ZIP_ERRORS, ParseError, DefusedXmlException, AttributeError):
        return found, errors  # calamine has already read the file; a part it did not need is not our concern
    return found, errors
