"""Read any ledger file into grids of cells that remember where they came from.

Nothing here interprets a ledger: it turns .xlsx/.xlsm/.xls/.csv into
:class:`RawSheet` grids (values as the file stores them, indexed by the 1-based
Excel row number and 0-based column) plus what the cleaner needs to know about
cells the grid cannot show: merged ranges and formulas without a saved value.
Every failure is a :class:`~villagecon.errors.LedgerFileError` that names the file
and says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io as stdio
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pandas as pd
import python_calamine

from villagecon.errors import LedgerFileError, Location

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
LEDGER_SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and also encrypted .xlsx


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
    """

    file: str
    sheet: str
    grid: pd.DataFrame
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()

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


def iter_ledger_files(path: Path) -> Iterator[Path]:
    """Ledger files under ``path`` (itself when a file), sorted, skipping hidden and Excel lock files."""
    path = Path(path)
    if not path.exists():
        raise LedgerFileError(f"no such file or folder: {path}", hint="Check the path")
    if path.is_file():
        yield path
        return
    for candidate in sorted(path.rglob("*")):
        name = candidate.name
        if (candidate.is_file() and candidate.suffix.lower() in LEDGER_SUFFIXES
                and not name.startswith((".", "~$"))
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)):
            yield candidate


def read_sheets(path: Path, *, name: str | None = None, encoding: str | None = None) -> list[RawSheet]:
    """Read every sheet of one ledger file.

    Parameters
    ----------
    path : Path
        An .xlsx, .xlsm, .xls or .csv file.
    name : str, optional
        How the file is named in ``source`` (default: the file name).
    encoding : str, optional
        Encoding of a CSV file; detected (UTF-8 with or without BOM, GBK/GB18030) when None.
    """
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(f"cannot open: {exc.strerror}", where=Location(name),
                              hint="Check that the file exists and is not open in another program") from None
    if suffix == ".csv":
        return [_read_csv(data, name=name, encoding=encoding)]
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(data, name=name, suffix=suffix)
    raise LedgerFileError(f"not a ledger file type ({path.suffix or 'no extension'})", where=Location(name),
                          hint="Save it as .xlsx or .csv")


# --- CSV ------------------------------------------------------------------------------------------

# Words a ledger contains; a decoding that yields none of them is a wrong guess, not a ledger.
_LEDGER_WORDS = re.compile(r"村|收入|支出|科目|项目|金额|合计|年|单位|资产|负债|收益")


def decode_csv(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """Decode CSV bytes: the given encoding, else UTF-8 (BOM or not), else GB18030 (a superset of GBK).

    A decoding is accepted only if it is strict (no replacement characters) and
    reads like a Chinese ledger; otherwise the file is refused rather than turned
    into mojibake.
    """
    where = Location(name)
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise LedgerFileError(f"cannot decode as {encoding}: {exc}", where=where,
                                  hint="Pass the encoding the file was saved in, or save it as UTF-8") from None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise LedgerFileError(f"starts with a {codec} byte-order mark but is not valid {codec} "
                                      f"(byte {exc.start + len(bom)})", where=where,
                                      hint="The file is damaged or mixes encodings; export it again") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise LedgerFileError(f"neither UTF-8 nor GBK/GB18030 (undecodable byte at {exc.start})", where=where,
                              hint="Save the file as UTF-8 CSV, or pass encoding=") from None
    private_use = sum(unicodedata.category(ch) == "Co" for ch in text)
    if private_use or not _LEDGER_WORDS.search(text):
        raise LedgerFileError("the encoding could not be told: as GBK it does not read like a ledger",
                              where=where, hint="Save the file as UTF-8 CSV, or pass encoding=")
    return text


def _read_csv(data: bytes, *, name: str, encoding: str | None) -> RawSheet:
    text = decode_csv(data, name=name, encoding=encoding)
    try:
        records = list(csv.reader(stdio.StringIO(text, newline="")))
    except csv.Error as exc:
        raise LedgerFileError(f"malformed CSV: {exc}", where=Location(name),
                              hint="Open it in Excel and save as CSV again") from None
    width = max((len(record) for record in records), default=0)
    grid = pd.DataFrame([record + [""] * (width - len(record)) for record in records],
                        index=pd.RangeIndex(1, len(records) + 1), columns=range(width), dtype=object)
    return RawSheet(file=name, sheet="", grid=grid)


# --- Excel ----------------------------------------------------------------------------------------

def _read_workbook(data: bytes, *, name: str, suffix: str) -> list[RawSheet]:
    where = Location(name)
    if suffix != ".xls" and data.startswith(_OLE_MAGIC):
        raise LedgerFileError("the workbook is password-protected (or an old .xls renamed to .xlsx)",
                              where=where, hint="Open it in Excel, remove the password, and save as .xlsx")
    if suffix != ".xls" and not data.startswith(b"PK"):
        raise LedgerFileError("not an Excel workbook (the file is not a zip archive)", where=where,
                              hint="Check the file is complete; open it in Excel and save as .xlsx")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stdio.BytesIO(data))
    except python_calamine.PasswordError:
        raise LedgerFileError("the workbook is password-protected", where=where,
                              hint="Open it in Excel, remove the password, and save again") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise LedgerFileError(f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})",
                              where=where,
                              hint="Ask the sender for a new copy, or open and re-save it in Excel") from None
    # Scanning for formulas without results inflates the sheet XML again; calamine releases the GIL,
    # so the scan runs beside it on a second core.
    with ThreadPoolExecutor(max_workers=1) as scanner:
        uncached = scanner.submit(_uncached_formulas, data) if suffix != ".xls" else None
        sheets = _calamine_sheets(workbook, name)
    formulas = uncached.result() if uncached is not None else {}
    return [replace(sheet, uncached_formulas=frozenset(formulas.get(sheet.sheet, ()))) for sheet in sheets]


def _calamine_sheets(workbook: python_calamine.CalamineWorkbook, name: str) -> list[RawSheet]:
    sheets = []
    for sheet_name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise LedgerFileError(f"sheet cannot be read ({type(exc).__name__}: {exc})",
                                  where=Location(name, sheet_name),
                                  hint="Open and re-save the workbook in Excel") from None
        width = max((len(row) for row in rows), default=0)
        grid = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
        merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        sheets.append(RawSheet(file=name, sheet=sheet_name, grid=grid, merged=merged))
    return sheets


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_REF = re.compile(r"([A-Z]+)(\d+)")


def _uncached_formulas(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Cells holding a formula but no saved result, per sheet name.

    Excel always saves results; files written by scripts often do not, and every
    reader then sees an empty cell. Those cells must be reported, never read as
    zero. Most workbooks have no formulas at all, so a sheet's XML is searched
    for ``f>`` before it is parsed.
    """
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            for sheet_name, part in parts.items():
                with archive.open(part) as stream:
                    xml = stream.read()
                if b"f>" not in xml:  # every formula has a <f>…</f> (or <x:f>…</x:f>); one search is cheaper
                    continue
                for cell in ElementTree.fromstring(xml).iter(f"{{{_NS['m']}}}c"):
                    formula = cell.find("m:f", _NS)
                    value = cell.find("m:v", _NS)
                    if formula is not None and (value is None or not (value.text or "").strip()):
                        if cell.get("t") == "str" and value is not None:
                            continue  # a formula whose saved result is the empty string
                        letters, row = _REF.fullmatch(cell.get("r", "")).groups()
                        found.setdefault(sheet_name, set()).add((int(row), _column_index(letters)))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, AttributeError):
        return found  # calamine has already read the file; a part it did not need is not our concern
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{_NS['rel']}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name")] = part
    return parts


# --- Writing --------------------------------------------------------------------------------------

def write_atomic(path: Path, write) -> Path:
    """Write a file through ``write(temp_path)`` then rename it into place.

    A crash mid-write leaves the previous file complete; readers never see half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# Text a spreadsheet would run as a formula or command (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``= + - @``, tab or carriage return gets a leading ``'``
    (Excel's own marker for "this is text"); numbers stay numbers.
    """
    escaped = table.copy()
    for column in escaped.columns:
        values = escaped[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
            if risky.any():
                escaped[column] = values.astype(object).where(~risky, "'" + values.astype("str"))
    return escaped
