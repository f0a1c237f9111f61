"""Read any ledger file into grids of cells that remember where they came from.

Nothing here interprets a ledger: it turns .xlsx/.xlsm/.xls/.csv into
:class:`RawSheet` grids (values as the file stores them, indexed by the 1-based
Excel row number and 0-based column) plus what the cleaner needs to know about
cells the grid cannot show: merged ranges and formulas without a saved value.
Every failure is a :class:`~villagecon.errors.LedgerFileError` that names the file
and says what to do.

Files arrive by e-mail and USB stick, so nothing here trusts them: before a reader
touches a workbook, its zip directory, the start of every XML part and the extent of
every sheet are checked against :class:`ReadLimits`, so that a zip bomb, an XML entity
expansion ("billion laughs"), an external entity or a sheet whose far corner would
make the reader allocate billions of cells is refused with a clear message instead of
exhausting the machine.
"""

from __future__ import annotations

import codecs
import csv
import io as stdio
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import ParseError

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from villagecon.errors import LedgerFileError, Location, UsageError

# Writing lives in villagecon.outputs; these names stay importable from here.

# python-calamine reads them all: .xlsb (Excel binary) and .ods (LibreOffice, WPS) as well.
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
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


def iter_ledger_files(path: Path) -> Iterator[Path]:
    """Ledger files under ``path`` (itself when a file), sorted, skipping hidden and Excel lock files."""
    yield from find_files(path)[0]


def find_files(path: Path, *, outside_links: bool = False) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every file under ``path``: the ledger files to read, and the others with why each is not read.

    Links are followed inside ``path``; a link leading out of it is not read unless ``outside_links``, and a
    dangling link or a loop of folder links is named. Hidden files (``.DS_Store``), Excel's lock files (``~$``)
    and files of other types (a .docx, a .pdf) are named with the reason. Sorted by path.
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise LedgerFileError(f"{path} is a link to {os.readlink(path)}, which does not exist", hint="Check the path")
    if not path.exists():
        raise LedgerFileError(f"no such file or folder: {path}", hint="Check the path")
    if path.is_file():
        return [path], []
    root = path.resolve()
    ledgers: list[Path] = []
    others: list[tuple[Path, str]] = []
    seen = {root}
    for folder, subfolders, files in os.walk(path, followlinks=True):
        here = Path(folder)
        for sub in list(subfolders):
            real = (here / sub).resolve()
            if real in seen or real in root.parents:
                others.append((here / sub, f"a link back to {real}: a loop of folder links, not followed"))
                subfolders.remove(sub)
            elif not real.is_relative_to(root) and not outside_links:
                others.append(
                    (
                        here / sub,
                        f"a link to the folder {real}, outside {path}: not followed (pass "
                        "outside_links=True, --follow-outside-links, to read it)",
                    )
                )
                subfolders.remove(sub)
            else:
                seen.add(real)
        subfolders.sort()
        for name in files:
            file = here / name
            reason = _why_not_read(file, file.relative_to(path), root, outside_links=outside_links)
            if reason is None:
                ledgers.append(file)
            else:
                others.append((file, reason))
    return sorted(ledgers), sorted(others)


def _why_not_read(file: Path, relative: Path, root: Path, *, outside_links: bool) -> str | None:
    """Why a file found under the folder read is not a ledger to read, or None."""
    name = file.name
    if file.is_symlink():
        if not file.exists():
            return f"a link to {os.readlink(file)}, which does not exist"
        if not file.resolve().is_relative_to(root) and not outside_links:
            return (
                f"a link to {file.resolve()}, outside the folder read: not followed (pass outside_links=True, "
                "--follow-outside-links, to read it)"
            )
    if name.startswith("~$"):
        return "Excel's lock file of a workbook open in Excel, not a ledger"
    if any(part.startswith(".") for part in relative.parts):
        return "a hidden file (or in a hidden folder), not read"
    if file.suffix.lower() not in LEDGER_SUFFIXES:
        return f"not a ledger file type ({file.suffix or 'no extension'}): read .xlsx, .xls, .xlsb, .ods or .csv"
    return None


def read_sheets(
    path: Path, *, name: str | None = None, encoding: str | None = None, limits: ReadLimits | None = None
) -> list[RawSheet]:
    """Read every sheet of one ledger file.

    Parameters
    ----------
    path : Path
        An .xlsx, .xlsm, .xls or .csv file.
    name : str, optional
        How the file is named in ``source`` (default: the file name).
    encoding : str, optional
        Encoding of a CSV file; detected (UTF-8 with or without BOM, GBK/GB18030) when None.
    limits : ReadLimits, optional
        Sizes past which the file is refused (default: :meth:`ReadLimits.from_environment`).
    """
    path = Path(path)
    name = name or path.name
    limits = limits or ReadLimits.from_environment()
    suffix = path.suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        raise LedgerFileError(
            f"not a ledger file type ({path.suffix or 'no extension'})",
            where=Location(name),
            hint="Save it as .xlsx or .csv",
        )
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise _too_big(
                f"the file is {_megabytes(size)}",
                limits.file_mb,
                "file size",
                Location(name),
                option="--max-file-mb",
                variable="VILLAGECON_MAX_FILE_MB",
                field="file_mb",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(
            f"cannot open: {exc.strerror}",
            where=Location(name),
            hint="Check that the file exists and is not open in another program",
        ) from None
    if suffix == ".csv":
        return [_read_csv(data, name=name, encoding=encoding, limits=limits)]
    return _read_workbook(data, name=name, suffix=suffix, limits=limits)


# --- Limits ---------------------------------------------------------------------------------------

_MB = 1024 * 1024
# Each limit of ReadLimits and the environment variable that sets it.
LIMIT_VARIABLES = {
    "file_mb": "VILLAGECON_MAX_FILE_MB",
    "uncompressed_mb": "VILLAGECON_MAX_UNCOMPRESSED_MB",
    "cells": "VILLAGECON_MAX_CELLS",
}


@dataclass(frozen=True)
class ReadLimits:
    """Sizes past which a ledger file is refused instead of read.

    A county's ledgers are a few megabytes; these limits sit far above any real ledger
    and far below what would make the machine swap, so a damaged or hostile file gets a
    clear error instead. Raise one for a genuinely larger file: ``read_ledger(...,
    limits=ReadLimits(cells=50_000_000))``, ``villagecon clean --max-cells 50000000``, or
    the environment variable named below (read when a file is read, not at import).

    Attributes
    ----------
    file_mb : float
        Size of one file on disk, in MiB (``VILLAGECON_MAX_FILE_MB``, default 200).
    uncompressed_mb : float
        What an .xlsx/.xlsm says its parts unpack to, in MiB, checked before anything is
        unpacked (``VILLAGECON_MAX_UNCOMPRESSED_MB``, default 1000). A zip bomb declares
        far more than this; a part that unpacks past what it declares is refused by the reader.
    cells : int
        Cells of one file, each sheet counted as the rectangle from A1 to its last used row and
        column, which is what a reader fills in memory, and the sheets of a workbook together, as
        they are held at once (``VILLAGECON_MAX_CELLS``, default 20,000,000: Excel's 1,048,576
        rows × 19 columns). Checked from each sheet's XML before it is read.
    """

    file_mb: float = 200
    uncompressed_mb: float = 1000
    cells: int = 20_000_000

    def __post_init__(self):
        for name in LIMIT_VARIABLES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise UsageError(f"limit {name} must be a positive number, not {value!r}")

    @classmethod
    def from_environment(cls, **given: float | None) -> ReadLimits:
        """Limits from the arguments given (None: not given), else the environment, else the defaults."""
        chosen = {}
        for name, variable in LIMIT_VARIABLES.items():
            if given.get(name) is not None:
                chosen[name] = given[name]
            elif text := os.environ.get(variable, "").strip():
                try:
                    chosen[name] = int(text) if name == "cells" else float(text)
                except ValueError:
                    raise UsageError(f"environment variable {variable}={text!r} is not a number") from None
        return cls(**chosen)

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * _MB)

    @property
    def uncompressed_bytes(self) -> int:
        return int(self.uncompressed_mb * _MB)


def _megabytes(size: float) -> str:
    return f"{size / _MB:,.1f} MB" if size >= _MB / 10 else f"{size / 1024:,.1f} KB"


def _too_big(
    what: str, limit: float, name: str, where: Location, *, option: str, variable: str, field: str
) -> LedgerFileError:
    shown = f"{limit:,.0f} MB" if field != "cells" else f"{limit:,} cells"
    return LedgerFileError(
        f"{what}, more than the {name} limit of {shown}: refused without reading it",
        where=where,
        hint=f"A damaged or hostile file looks like this; if the file is genuine, raise the limit with "
        f"{option}, the environment variable {variable}, or read_ledger(..., "
        f"limits=ReadLimits({field}=...))",
    )


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
            raise LedgerFileError(
                f"cannot decode as {encoding}: {exc}",
                where=where,
                hint="Pass the encoding the file was saved in, or save it as UTF-8",
            ) from None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise LedgerFileError(
                    f"starts with a {codec} byte-order mark but is not valid {codec} (byte {exc.start + len(bom)})",
                    where=where,
                    hint="The file is damaged or mixes encodings; export it again",
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise LedgerFileError(
            f"neither UTF-8 nor GBK/GB18030 (undecodable byte at {exc.start})",
            where=where,
            hint="Save the file as UTF-8 CSV, or pass encoding=",
        ) from None
    private_use = sum(unicodedata.category(ch) == "Co" for ch in text)
    if private_use or not _LEDGER_WORDS.search(text):
        raise LedgerFileError(
            "the encoding could not be told: as GBK it does not read like a ledger",
            where=where,
            hint="Save the file as UTF-8 CSV, or pass encoding=",
        )
    return text


def _read_csv(data: bytes, *, name: str, encoding: str | None, limits: ReadLimits) -> RawSheet:
    text = decode_csv(data, name=name, encoding=encoding)
    records, width = [], 0
    try:
        for record in csv.reader(stdio.StringIO(text, newline=""), delimiter=csv_delimiter(text)):
            records.append(record)
            width = max(width, len(record))
            # Checked row by row: a million commas in one line would otherwise pad every row to that width.
            if len(records) * width > limits.cells:
                raise _too_big(
                    f"the CSV holds at least {len(records):,} rows × {width:,} columns",
                    limits.cells,
                    "cells",
                    Location(name, None, len(records)),
                    option="--max-cells",
                    variable="VILLAGECON_MAX_CELLS",
                    field="cells",
                )
    except csv.Error as exc:
        raise LedgerFileError(
            f"malformed CSV: {exc}", where=Location(name), hint="Open it in Excel and save as CSV again"
        ) from None
    grid = pd.DataFrame(
        [record + [""] * (width - len(record)) for record in records],
        index=pd.RangeIndex(1, len(records) + 1),
        columns=range(width),
        dtype=object,
    )
    return RawSheet(file=name, sheet="", grid=grid)


# --- Excel ----------------------------------------------------------------------------------------


def csv_delimiter(text: str) -> str:
    """The character between a CSV's fields: a comma, or, where the first lines hold none, the tab (Excel's
    "Unicode text" saved as .csv) or the semicolon they hold on most lines."""
    lines = [line for line in text[:65_536].splitlines()[:20] if line.strip()]

    def on_lines(mark: str) -> int:
        return sum(mark in line for line in lines)

    if not lines or on_lines(",") * 2 >= len(lines):
        return ","
    return max(("\t", ";", "|", ","), key=on_lines)


# A web page or an Excel 2003 XML file saved with a workbook's name, as web platforms "export to Excel".
_NOT_A_WORKBOOK = (
    (re.compile(rb"<(?:html|table|!doctype html)", re.IGNORECASE), "a web page (HTML)"),
    (re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet"), "an Excel 2003 XML spreadsheet"),
)


def _read_workbook(data: bytes, *, name: str, suffix: str, limits: ReadLimits) -> list[RawSheet]:
    where = Location(name)
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if not data.startswith((b"PK", _OLE_MAGIC)):
        for pattern, what in _NOT_A_WORKBOOK:
            if pattern.search(head) or pattern.search(head.decode("utf-16", "ignore").encode("utf-8", "ignore")):
                raise LedgerFileError(
                    f"the file is {what} saved with a {suffix} name, not an Excel workbook",
                    where=where,
                    hint="Open it in Excel or WPS and save it as .xlsx (文件 → 另存为 → "
                    "Excel 工作簿), then read that file",
                )
    if suffix != ".xls" and data.startswith(_OLE_MAGIC):
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
    if suffix == ".xls":
        check_old_workbook(data, name=name, limits=limits)
    else:
        check_workbook_archive(data, name=name, limits=limits)
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
            scanner.submit(_formulas_and_errors, data)
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
            rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            cells += rows * columns
            if rows * columns > limits.cells:
                raise _too_big(
                    f"the sheet spans {rows:,} rows × {columns:,} columns",
                    limits.cells,
                    "cells",
                    where,
                    option="--max-cells",
                    variable="VILLAGECON_MAX_CELLS",
                    field="cells",
                )
            if cells > limits.cells:
                raise _too_big(
                    f"the sheets up to this one span {cells:,} cells together",
                    limits.cells,
                    "cells",
                    where,
                    option="--max-cells",
                    variable="VILLAGECON_MAX_CELLS",
                    field="cells",
                )
            rows = sheet.to_python(skip_empty_area=False)
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
        width = max((len(row) for row in rows), default=0)
        grid = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1), columns=range(width), dtype=object)
        merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        sheets.append(RawSheet(file=name, sheet=sheet_name, grid=grid, merged=merged, hidden=hidden.get(sheet_name)))
    return sheets


# --- Checking a workbook before it is read ----------------------------------------------------------

# Real workbooks have tens of parts; a zip of millions of empty entries is refused before its directory
# is loaded (each entry becomes a Python object).
MAX_ZIP_ENTRIES = 10_000
# The XML declaration, comments and a DOCTYPE come before the first element; a part whose first
# element is not found this far in is not an honest spreadsheet part.
_PROLOG_WINDOW = 64 * 1024
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    KeyError,
    OSError,
    struct.error,
    UnicodeDecodeError,
)


def check_workbook_archive(data: bytes, *, name: str, limits: ReadLimits | None = None) -> None:
    """Refuse an .xlsx/.xlsm/.xlsb/.ods that is damaged, a zip bomb, declares XML entities, or holds an oversized
    sheet.

    Done before any reader parses the file, with bounded work: the zip directory, the first
    64 KiB of each XML part, and one pass of a regular expression over each sheet's XML.

    Raises
    ------
    LedgerFileError
        Naming the file (and the part or sheet) and saying what to do.
    """
    limits = limits or ReadLimits.from_environment()
    where = Location(name)
    entries = _declared_entries(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise LedgerFileError(
            f"the workbook holds {entries:,} zip entries; a real workbook has tens",
            where=where,
            hint="The file is damaged or is not a workbook; ask the sender for a new copy",
        )
    try:
        with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > limits.uncompressed_bytes:
                raise _too_big(
                    f"the workbook's parts say they unpack to {_megabytes(declared)} from {_megabytes(len(data))}",
                    limits.uncompressed_mb,
                    "uncompressed size",
                    where,
                    option="--max-uncompressed-mb",
                    variable="VILLAGECON_MAX_UNCOMPRESSED_MB",
                    field="uncompressed_mb",
                )
            for member in members:
                if _XML_PART.search(member.filename):
                    with archive.open(member) as stream:
                        _check_prolog(stream.read(_PROLOG_WINDOW), part=member.filename, where=where)
            # An .xlsx's sheets state their extent in XML; an .xlsb's (binary) and an .ods's are sized by the
            # reader, and _calamine_sheets checks each sheet's extent before it is built.
            if "xl/workbook.xml" in archive.namelist():
                for sheet_name, part in _sheet_parts(archive).items():
                    _check_sheet_extent(archive, part, limits=limits, where=Location(name, sheet_name))
    except LedgerFileError:
        raise
    except _ZIP_ERRORS as exc:
        raise LedgerFileError(
            f"the workbook is damaged or incomplete ({type(exc).__name__}: {exc})",
            where=where,
            hint="Ask the sender for a new copy, or open and re-save it in Excel",
        ) from None


def _declared_entries(data: bytes) -> int | None:
    """Entries the zip's end-of-directory record declares (None when there is none to read)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_536 - 22))
    if end < 0 or end + 22 > len(data):
        return None
    entries = struct.unpack_from("<H", data, end + 10)[0]
    return None if entries == 0xFFFF else entries  # 0xFFFF: a zip64 count, read by zipfile instead


_MARKUP = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _check_prolog(head: bytes, *, part: str, where: Location) -> None:
    """Refuse a part whose prolog declares a DTD: the only place XML entities can be defined.

    Entity expansion ("billion laughs") and external entities (which would read local files
    or fetch URLs) both need a ``<!DOCTYPE … [<!ENTITY …>]>``; no spreadsheet writer emits one.
    """
    if not head:
        return
    for bom, codec in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head.decode(codec, errors="ignore")
            break
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff")
    position = 0
    while match := _MARKUP.match(text, position):
        position = match.end()
    rest = text[position:].lstrip()
    if rest.startswith("<!"):
        raise LedgerFileError(
            f"part {part} declares a DTD ({rest[:40]!r}…), which can define XML entities: entity expansion "
            '("billion laughs") or external entities that read other files; refused without parsing it',
            where=where,
            hint="Excel never writes this; do not use the file, and ask the sender for a new copy",
        )
    if not rest and len(head) >= _PROLOG_WINDOW:
        raise LedgerFileError(
            f"part {part} has no XML element in its first {_PROLOG_WINDOW // 1024} KiB",
            where=where,
            hint="The file is damaged or is not a workbook; ask for a new copy",
        )


# A cell whose reference is unusual or far out, in one RE2 pass over the sheet: a first character other
# than A–Z (a digit, a lower-case or non-ASCII letter, no reference), a second one other than 1–9 (several
# column letters, a leading zero), a row past the bound; a cell whose first attribute is not its reference;
# or an element with a namespace prefix, which readers treat like an unprefixed one. Only a match calls for
# the exact count.
@lru_cache(maxsize=8)
def _suspicious_cell_pattern(row_bound: int) -> str:
    digits = str(row_bound)
    # Conservative: a row with more digits than the bound, or as many and a first digit at least the
    # bound's, matches (so do a few rows just below the bound, which the exact count then clears).
    far = f"[1-9][0-9]{{{len(digits)},}}|[{digits[0]}-9][0-9]{{{len(digits) - 1}}}"
    return (
        rf'<c r="(?:[^A-Z]|[A-Z][^1-9]|[A-Z](?:{far}))'
        r'|<c(?:>|/|\s(?:[^r]|r[^=]|r=[^"]))|:(?:c|row)[\s/>]'
    )


# A sheet is scanned while it is unpacked, piece by piece: one core unpacks, the other scans (the regular
# expression and zlib both release the GIL), so the check costs about what unpacking alone would.
_SCAN_PIECE = 8 * 1024 * 1024
# Each piece starts with the end of the one before, so that a reference cut in two is seen whole.
_SCAN_OVERLAP = 64


def _check_sheet_extent(archive: zipfile.ZipFile, part: str, *, limits: ReadLimits, where: Location) -> None:
    """Refuse a sheet whose cells would fill more than ``limits.cells`` from A1 to its last row and column.

    A reader allocates that whole rectangle, so one cell at XFD1048576 in a 1 KB file asks for
    17 billion cells: calamine aborts the process, it cannot raise. When every cell has a plain
    reference with one column letter (A–Z) and a row below ``limits.cells // 26``, the bound holds
    without counting (one pass of a regular expression); otherwise the cells are placed exactly.
    """
    pattern = _suspicious_cell_pattern(max(limits.cells // 26, 1))
    suspicious = False
    with archive.open(part) as stream, ThreadPoolExecutor(max_workers=1) as scanner:
        pending, previous = [], b""
        while piece := stream.read(_SCAN_PIECE):
            pending.append(scanner.submit(_matches, previous[-_SCAN_OVERLAP:] + piece, pattern))
            previous = piece
            if len(pending) > 2:  # a few pieces in memory at most
                suspicious |= pending.pop(0).result()
        suspicious |= any([future.result() for future in pending])
    if not suspicious:
        return
    rows, columns = _sheet_extent(archive.read(part))
    if rows * columns > limits.cells:
        raise _too_big(
            f"the sheet spans {rows:,} rows × {columns:,} columns",
            limits.cells,
            "cells",
            where,
            option="--max-cells",
            variable="VILLAGECON_MAX_CELLS",
            field="cells",
        )


def _matches(data: bytes, pattern: str) -> bool:
    return pc.match_substring_regex(pa.array([data], type=pa.large_binary()), pattern)[0].as_py()


_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_R_ATTRIBUTE = re.compile(rb'\sr\s*=\s*["\']([^"\']*)["\']')
_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]*)$")
# Past this a reader's 32-bit row or column number wraps around: treat it as infinitely far.
_FAR = 2**32


def _sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell, placing cells as spreadsheet readers do.

    A cell's ``r`` gives its place; a cell without one follows the previous cell of its row,
    and a row without ``r`` follows the previous row. Every cell counts, empty or not, so
    the result is never smaller than what a reader fills. A row 0, a reference that is not
    letters then digits, or numbers past 32 bits count as infinitely far.
    """
    rows = columns = 0
    row = column = 0
    for closing, tag, attributes, self_closing in _TAG.findall(xml):
        found = None if closing else _R_ATTRIBUTE.search(attributes)
        if tag == b"row":
            if closing or self_closing:
                row, column = row + 1, 0
            elif found:
                row = _row_index(found[1])
            continue
        if closing:
            continue
        if found:
            reference = _REFERENCE.match(found[1])
            if reference is None or not reference[1]:
                row = column = _FAR
            else:
                letters, digits = reference.groups()
                column = _column_index(letters.upper().decode()) if len(letters) <= 4 else _FAR
                row = _row_index(digits) if digits else row
        rows, columns = max(rows, row + 1), max(columns, column + 1)
        column += 1
    return rows, columns


def _row_index(digits: bytes) -> int:
    """0-based row of a 1-based row number; row 0, and rows past 32 bits, are infinitely far."""
    number = int(digits) if digits.isdigit() and len(digits) <= 11 else 0
    return number - 1 if 0 < number < _FAR else _FAR


# --- Checking an old .xls before it is read ------------------------------------------------------------

# BIFF records that place a cell (calamine reads these): NUMBER, LABEL, BOOLERR, RK, LABELSST, FORMULA, MULRK.
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00BD})
_BIFF_BOF, _BIFF_EOF, _BIFF_DIMENSIONS, _BIFF_SST, _BIFF_MULRK = 0x0809, 0x000A, 0x0200, 0x00FC, 0x00BD
_CFB_END, _CFB_FREE = 0xFFFFFFFE, 0xFFFFFFFF


def check_old_workbook(data: bytes, *, name: str, limits: ReadLimits | None = None) -> None:
    """Refuse an .xls whose records would make a reader allocate more than ``limits.cells`` cells.

    An .xls states each sheet's size (a DIMENSIONS record), its cells' places and its number of
    shared strings, and calamine sizes its memory from them before checking: a 5 KB file claiming
    4 billion rows, or one cell at row and column 65,535, aborts the process. The records are
    walked here first, in one pass and without decoding any cell. A file that is not an OLE
    compound file is left to the reader to refuse.
    """
    limits = limits or ReadLimits.from_environment()
    where = Location(name)
    if not data.startswith(_OLE_MAGIC):
        return
    try:
        stream = _compound_stream(data, ("Workbook", "Book"))
    except (ValueError, IndexError, struct.error) as exc:
        raise LedgerFileError(
            f"the workbook is damaged: its compound-file structure is broken ({exc})",
            where=where,
            hint="Ask the sender for a new copy, or open and re-save it in Excel",
        ) from None
    if stream is not None:
        _check_biff_extent(stream, limits=limits, where=where)


def _check_biff_extent(stream: bytes, *, limits: ReadLimits, where: Location) -> None:
    def refuse(what: str) -> LedgerFileError:
        return _too_big(
            what, limits.cells, "cells", where, option="--max-cells", variable="VILLAGECON_MAX_CELLS", field="cells"
        )

    rows = columns = 0
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + length
        if kind == _BIFF_BOF:
            rows = columns = 0
        elif kind in _BIFF_CELLS and length >= 4 and position <= end:
            row, column = struct.unpack_from("<HH", stream, body)
            if kind == _BIFF_MULRK and length >= 6:
                column = max(column, struct.unpack_from("<H", stream, position - 2)[0])
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _BIFF_EOF and rows * columns > limits.cells:
            raise refuse(f"a sheet places cells over {rows:,} rows × {columns:,} columns")
        elif kind == _BIFF_DIMENSIONS and length in (10, 14) and position <= end:
            first_row, last_row, first_column, last_column = struct.unpack_from(
                "<HHHH" if length == 10 else "<IIHH", stream, body
            )
            # The reader reserves (last - first) rows × columns, in 32-bit arithmetic that wraps round.
            declared_rows = (last_row - first_row) % 2**32 if last_row >= 1 else 1
            declared_columns = (last_column - first_column) % 2**32 if last_column >= 1 else 1
            if declared_rows * declared_columns > limits.cells:
                raise refuse(f"a sheet declares {declared_rows:,} rows × {declared_columns:,} columns")
        elif kind == _BIFF_SST and length >= 8 and position <= end:
            strings = struct.unpack_from("<i", stream, body + 4)[0]
            if not 0 <= strings <= limits.cells:
                raise refuse(f"the shared-string table declares {strings:,} strings")
    if rows * columns > limits.cells:
        raise refuse(f"a sheet places cells over {rows:,} rows × {columns:,} columns")


# BIFF8 error codes (BOOLERR records, and FORMULA records whose cached result is an error).
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
        stream = _compound_stream(data, ("Workbook", "Book"))
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
        elif kind == _BIFF_BOF:
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


def _compound_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first stream named one of ``names`` in an OLE compound file, every chain bounds-checked."""
    if len(data) < 512:
        raise ValueError("shorter than its header")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError(f"sector sizes 2**{sector_shift} and 2**{mini_shift}")
    size = 1 << sector_shift
    fat_count, first_directory, _, cutoff, first_mini_fat, _, first_difat, _ = struct.unpack_from("<8I", data, 44)
    sector_count = (len(data) >> sector_shift) - 1

    def sector(number: int) -> bytes:
        if number >= sector_count:
            raise ValueError(f"sector {number} is past the end of the file")
        return data[(number + 1) << sector_shift : (number + 2) << sector_shift]

    difat = list(struct.unpack_from("<109I", data, 76))
    following, hops = first_difat, 0
    while following not in (_CFB_END, _CFB_FREE) and len(difat) < fat_count:
        entries = struct.unpack(f"<{size // 4}I", sector(following))
        difat += entries[:-1]
        following, hops = entries[-1], hops + 1
        if hops > sector_count:
            raise ValueError("the sector allocation table list loops")
    fat = b"".join(sector(number) for number in difat[:fat_count])
    fat = struct.unpack(f"<{len(fat) // 4}I", fat)

    def chain(start: int, table: tuple[int, ...], limit: int) -> list[int]:
        numbers = []
        while start not in (_CFB_END, _CFB_FREE):
            if start >= len(table) or len(numbers) > limit:
                raise ValueError("a sector chain runs off its table or loops")
            numbers.append(start)
            start = table[start]
        return numbers

    directory = b"".join(sector(number) for number in chain(first_directory, fat, sector_count))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise ValueError("no directory")
    for entry in entries:
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        if entry[66] == 2 and entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace") in names:
            start, stream_size = struct.unpack_from("<IQ", entry, 116)
            if sector_shift == 9:
                stream_size &= 0xFFFFFFFF  # version 3 files keep only the low 32 bits
            if stream_size > len(data):
                raise ValueError(f"a stream of {stream_size:,} bytes in a file of {len(data):,}")
            if stream_size >= cutoff:
                return b"".join(sector(n) for n in chain(start, fat, sector_count))[:stream_size]
            root_start = struct.unpack_from("<I", entries[0], 116)[0]
            container = b"".join(sector(n) for n in chain(root_start, fat, sector_count))
            mini_fat = b"".join(sector(n) for n in chain(first_mini_fat, fat, sector_count))
            mini_fat = struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat)
            mini = [container[n * 64 : (n + 1) * 64] for n in chain(start, mini_fat, len(container) // 64)]
            return b"".join(mini)[:stream_size]
    return None


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"([A-Z]+)(\d+)")


def _formulas_and_errors(data: bytes) -> tuple[dict[str, set[tuple[int, int]]], dict[str, dict]]:
    """Cells holding a formula but no saved result, and error cells (#DIV/0!, #REF!, #N/A) with their text, per
    sheet name.

    Excel always saves results; files written by scripts often do not, and every reader then sees an empty
    cell; an error cell reads as empty too. Those cells must be reported, never read as zero. Most workbooks
    have neither, so a sheet's XML is searched for ``f>`` and ``t="e"`` before it is parsed. The parser is
    defusedxml's: it refuses DTDs and entities even if a part slipped past :func:`check_workbook_archive`.
    """
    found: dict[str, set[tuple[int, int]]] = {}
    errors: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(stdio.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            for sheet_name, part in parts.items():
                with archive.open(part) as stream:
                    xml = stream.read()
                # Every formula has a <f>…</f> (or <x:f>…</x:f>), every error cell t="e": one search is cheaper.
                if b"f>" not in xml and b't="e"' not in xml:
                    continue
                for cell in SafeElementTree.fromstring(xml, forbid_dtd=True).iter(f"{{{_NS['m']}}}c"):
                    formula = cell.find("m:f", _NS)
                    value = cell.find("m:v", _NS)
                    if cell.get("t") == "e" and value is not None and (value.text or "").strip():
                        letters, row = _REF.fullmatch(cell.get("r", "")).groups()
                        errors.setdefault(sheet_name, {})[(int(row), _column_index(letters))] = value.text.strip()
                    elif formula is not None and (value is None or not (value.text or "").strip()):
                        if cell.get("t") == "str" and value is not None:
                            continue  # a formula whose saved result is the empty string
                        letters, row = _REF.fullmatch(cell.get("r", "")).groups()
                        found.setdefault(sheet_name, set()).add((int(row), _column_index(letters)))
    except (*_ZIP_ERRORS, ParseError, DefusedXmlException, AttributeError):
        return found, errors  # calamine has already read the file; a part it did not need is not our concern
    return found, errors


def column_index(letters: str) -> int:
    """0-based column of an Excel column's letters (``column_index("C") == 2``)."""
    return _column_index(letters.upper())


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    rels = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{_NS['rel']}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name")] = part
    return parts
