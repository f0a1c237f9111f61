"""Checking a workbook before any reader touches it: a zip bomb, XML entities, an external entity or a sheet whose
far corner would make the reader allocate billions of cells is refused with a clear message."""

from __future__ import annotations

import codecs
import io as stdio
import re
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import PurePosixPath
from xml.etree.ElementTree import ParseError

import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from villagecon.errors import LedgerFileError, Location
from villagecon.ingest.raw_sheet import column_index
from villagecon.ingest.read_limits import ReadLimits, megabytes, too_big, too_many_cells

__all__ = [
    "BIFF_BOF",
    "MAX_ZIP_ENTRIES",
    "OLE_MAGIC",
    "XML_NAMESPACES",
    "ZIP_ERRORS",
    "check_old_workbook",
    "check_workbook_archive",
    "compound_stream",
    "sheet_parts",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and also encrypted .xlsx
XML_NAMESPACES = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}

# Real workbooks have tens of parts; a zip of millions of empty entries is refused before its directory
# is loaded (each entry becomes a Python object).
MAX_ZIP_ENTRIES = 10_000
# The XML declaration, comments and a DOCTYPE come before the first element; a part whose first
# element is not found this far in is not an honest spreadsheet part.
_PROLOG_WINDOW = 64 * 1024
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
ZIP_ERRORS = (
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
                raise too_big(
                    f"the workbook's parts say they unpack to {megabytes(declared)} from {megabytes(len(data))}",
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
                for sheet_name, part in sheet_parts(archive).items():
                    _check_sheet_extent(archive, part, limits=limits, where=Location(name, sheet_name))
    except LedgerFileError:
        raise
    except (*ZIP_ERRORS, ParseError, DefusedXmlException) as exc:  # ParseError: a damaged workbook.xml or its rels
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
    # A comment or instruction that does not end in the window is not a DTD: it hides where the first element is.
    unfinished = rest.startswith(("<!--", "<?"))
    if rest.startswith("<!") and not unfinished:
        raise LedgerFileError(
            f"part {part} declares a DTD ({rest[:40]!r}…), which can define XML entities: entity expansion "
            '("billion laughs") or external entities that read other files; refused without parsing it',
            where=where,
            hint="Excel never writes this; do not use the file, and ask the sender for a new copy",
        )
    if (not rest or unfinished) and len(head) >= _PROLOG_WINDOW:
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
        raise too_many_cells(f"the sheet spans {rows:,} rows × {columns:,} columns", limits, where)


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
                column = column_index(letters.decode()) if len(letters) <= 4 else _FAR
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
BIFF_BOF, _BIFF_EOF, _BIFF_DIMENSIONS, _BIFF_SST, _BIFF_MULRK = 0x0809, 0x000A, 0x0200, 0x00FC, 0x00BD
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
    if not data.startswith(OLE_MAGIC):
        return
    try:
        stream = compound_stream(data, ("Workbook", "Book"))
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
        return too_big(
            what, limits.cells, "cells", where, option="--max-cells", variable="VILLAGECON_MAX_CELLS", field="cells"
        )

    rows = columns = 0
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + length
        if kind == BIFF_BOF:
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


def compound_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
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
        listed = struct.unpack(f"<{size // 4}I", sector(following))
        difat += listed[:-1]
        following, hops = listed[-1], hops + 1
        if hops > sector_count:
            raise ValueError("the sector allocation table list loops")
    fat_bytes = b"".join(sector(number) for number in difat[:fat_count])
    fat: tuple[int, ...] = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

    def chain(start: int, table: tuple[int, ...], limit: int) -> list[int]:
        numbers: list[int] = []
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
            mini_fat_bytes = b"".join(sector(n) for n in chain(first_mini_fat, fat, sector_count))
            mini_fat: tuple[int, ...] = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
            mini = [container[n * 64 : (n + 1) * 64] for n in chain(start, mini_fat, len(container) // 64)]
            return b"".join(mini)[:stream_size]
    return None


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the XML part of the sheet in an .xlsx archive."""
    workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    rels = SafeElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{XML_NAMESPACES['rel']}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{XML_NAMESPACES['m']}}}sheet"):
        target = targets.get(sheet.get(f"{{{XML_NAMESPACES['r']}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name")] = part
    return parts
