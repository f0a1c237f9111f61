"""Finding ledger files and reading any of them into grids of cells that remember where they came from.

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

The steps live beside this module: :mod:`.raw_sheet` (the grid), :mod:`.read_limits` (sizes refused),
:mod:`.csv_files` (encodings), :mod:`.workbook_guards` (checks before reading) and :mod:`.workbooks` (calamine).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from villagecon.errors import LedgerFileError, Location
from villagecon.ingest.csv_files import csv_delimiter, decode_csv, read_csv
from villagecon.ingest.raw_sheet import RawSheet, cell_ref, column_index, source_of
from villagecon.ingest.read_limits import LIMIT_VARIABLES, ReadLimits, megabytes, too_big
from villagecon.ingest.workbook_guards import MAX_ZIP_ENTRIES, check_old_workbook, check_workbook_archive
from villagecon.ingest.workbooks import read_workbook

# The grid, the limits, the CSV and workbook readers and their guards are also named here, where callers found
# them before files.py was split.
__all__ = [
    "EXCEL_SUFFIXES",
    "LEDGER_SUFFIXES",
    "LIMIT_VARIABLES",
    "MAX_ZIP_ENTRIES",
    "RawSheet",
    "ReadLimits",
    "cell_ref",
    "check_old_workbook",
    "check_workbook_archive",
    "column_index",
    "csv_delimiter",
    "decode_csv",
    "find_files",
    "iter_ledger_files",
    "read_sheets",
    "source_of",
]


# python-calamine reads them all: .xlsb (Excel binary) and .ods (LibreOffice, WPS) as well.
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
LEDGER_SUFFIXES = (*EXCEL_SUFFIXES, ".csv")


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
            raise too_big(
                f"the file is {megabytes(size)}",
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
        return [read_csv(data, name=name, encoding=encoding, limits=limits)]
    return read_workbook(data, name=name, suffix=suffix, limits=limits)
