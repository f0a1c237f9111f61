"""Reading ledger files into cells: every sheet of every file (in parallel when there are many) through the
table reader, the amounts parsed, and every data cell given its village (and code, with a register)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from villagecon.errors import LedgerFileError, UsageError, VillageconError
from villagecon.ingest import DEFAULT_VOCABULARY, SYNONYMS_FILE, Vocabulary, read_sheet, read_synonyms
from villagecon.ingest.cells import SheetCells, sheets_cells
from villagecon.ingest.columnar import joined_text
from villagecon.ingest.files import ReadLimits, cell_ref, read_sheets
from villagecon.ingest.layout_file import find_layout
from villagecon.ingest.ledger_columns import HIDDEN, NOT_A_LEDGER, READ, UNREADABLE, row_codes
from villagecon.ingest.register import match_villages, place_key
from villagecon.parse.amounts import parse_amounts
from villagecon.vocab import labels
from villagecon.vocab.names import map_distinct, map_distinct_text, village_keys

__all__ = [
    "EXCEL_ERROR",
    "FilesRead",
    "file_name",
    "match_cell_villages",
    "parse_cells",
    "read_files",
    "reject_negative_balances",
    "skipped_sheet",
    "vocabulary_for",
]

# What Excel shows in a cell whose formula fails.
EXCEL_ERROR = re.compile(
    r"#(?:DIV/0!|REF!|VALUE!|N/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
    r"UNKNOWN!|CONNECT!|BUSY!)"
)


@dataclass
class FilesRead:
    """What the files gave, sheet by sheet, before cleaning."""

    rows: list = field(default_factory=list)
    cells: list = field(default_factory=list)
    coverage: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    files: list = field(default_factory=list)
    first_error: VillageconError | None = None

    def extend(self, other: FilesRead) -> None:
        for name in ("rows", "cells", "coverage", "columns", "tables", "sheets", "skipped", "files"):
            getattr(self, name).extend(getattr(other, name))
        self.first_error = self.first_error or other.first_error


# Files are read by several processes from this many on (fewer are done before a pool would start).
_PARALLEL_FROM = 8


def read_files(files: list[Path], root: Path, *, jobs: int | None, progress, **options) -> FilesRead:
    """Read ``files`` (in parallel when there are many); the result is in file order, whatever ``jobs``."""
    tasks = [
        (order, file, file_name(file.name if root.is_file() else file.relative_to(root).as_posix()))
        for order, file in enumerate(files)
    ]
    jobs = _jobs(jobs, len(tasks))
    read_one = functools.partial(_read_file, single=root.is_file(), **options)
    read = FilesRead()
    pieces: Iterator[FilesRead]
    with contextlib.ExitStack() as stack:
        if jobs == 1:
            pieces = map(read_one, tasks)
        else:
            # fork: the workers start with the vocabulary and the register in memory, and import nothing again.
            pool = stack.enter_context(
                ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
            )
            # The largest files first, so that no process is left with a large one while the others wait.
            largest_first = sorted(tasks, key=lambda task: -_size(task[1]))
            pieces = _in_file_order(pool.map(read_one, largest_first), [order for order, _, _ in largest_first])
        bar = _progress(len(tasks), progress)
        for piece in pieces:
            read.extend(piece)
            if bar is not None:
                bar.set_postfix(sheets=len(read.sheets), refresh=False)
                bar.update()
        if bar is not None:
            bar.close()
    return read


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:  # a broken link: read_sheets says what is wrong with it
        return 0


def _in_file_order(pieces: Iterator[FilesRead], orders: list[int]) -> Iterator[FilesRead]:
    """``pieces`` (of the files ``orders``) in file order, each as soon as the ones before it have come."""
    waiting: dict[int, FilesRead] = {}
    following = 0
    for order, piece in zip(orders, pieces, strict=True):
        waiting[order] = piece
        while following in waiting:
            yield waiting.pop(following)
            following += 1


def _jobs(jobs: int | None, files: int) -> int:
    """How many processes read ``files`` files: ``jobs`` when given, else every core where processes can be
    forked (Linux) and there are enough files to be worth it."""
    if jobs is not None:
        if jobs < 1:
            raise UsageError(f"jobs must be 1 or more, not {jobs}")
        if jobs > 1 and "fork" not in multiprocessing.get_all_start_methods():
            raise UsageError(
                f"jobs={jobs} needs processes that can be forked, which {sys.platform} does not "
                "have: leave jobs out (or pass 1)"
            )
        return min(jobs, max(files, 1))
    if files < _PARALLEL_FROM or sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), files // 4))


def _read_file(
    task: tuple[int, Path, str],
    *,
    single: bool,
    unit: str | None,
    encoding: str | None,
    limits: ReadLimits,
    include_hidden: bool,
    vocabulary: Vocabulary,
    hashes: Mapping[Path, str],
) -> FilesRead:
    """Read every sheet of one file; a file that cannot be read is listed as skipped (raised when ``single``).

    ``hashes``: the sha256 of files hashed already (by the processed set's fingerprint), not read again for it.
    """
    order, file, name = task
    read = FilesRead()
    try:
        sheets = read_sheets(file, name=name, encoding=encoding, limits=limits)
    except LedgerFileError as exc:
        if single:
            raise
        read.first_error = exc
        read.skipped.append(skipped_sheet(name, "", UNREADABLE, exc.message, exc.hint))
        read.sheets.append({"file": name, "sheet": "", "hidden": None, "status": UNREADABLE})
        return read
    layouts: list[str] = []  # each sheet read: its tables' orientations
    layout_file = find_layout(file)
    if layout_file and (unknown := sorted(set(layout_file.sheets) - {"*"} - {s.sheet for s in sheets})):
        raise UsageError(
            f"{layout_file.path.name} has a section for sheet {unknown[0]!r}, which {name} does not "
            f"have (its sheets: {', '.join(repr(s.sheet) for s in sheets)}); correct the name in "
            '[sheets."…"]'
        )
    views = sheets_cells(sheets)
    for sheet_order, sheet in enumerate(sheets):
        status = _read_sheet(
            read,
            name,
            sheet,
            order=order,
            sheet_order=sheet_order,
            layouts=layouts,
            unit=unit,
            vocabulary=vocabulary,
            include_hidden=include_hidden,
            layout=layout_file.for_sheet(sheet.sheet) if layout_file else None,
            cells=views[sheet_order],
        )
        read.sheets.append({"file": name, "sheet": sheet.sheet, "hidden": sheet.hidden, "status": status})
    if (sha256 := hashes.get(file)) is None:
        with file.open("rb") as opened:
            sha256 = hashlib.file_digest(opened, "sha256").hexdigest()
    read.files.append(
        {
            "file": name,
            "sha256": sha256,
            "bytes": file.stat().st_size,
            "sheets": len(sheets),
            "layouts": "; ".join(dict.fromkeys(layouts)),
        }
    )
    return read


def _read_sheet(
    read: FilesRead,
    name: str,
    sheet,
    *,
    order,
    sheet_order,
    layouts,
    unit,
    vocabulary,
    include_hidden,
    layout,
    cells: SheetCells,
) -> str:
    """Read one sheet into ``read``; return its status (read, or why it was skipped)."""
    if sheet.hidden and not include_hidden:
        read.skipped.append(
            skipped_sheet(
                name,
                sheet.sheet,
                HIDDEN,
                f"the workbook hides this sheet ({sheet.hidden})",
                "A hidden sheet is often a stale copy; to read it, unhide it or pass "
                "include_hidden=True (--include-hidden)",
            )
        )
        return HIDDEN
    try:
        reading = read_sheet(sheet, unit=unit, vocabulary=vocabulary, layout=layout, cells=cells)
    except VillageconError as exc:
        read.first_error = read.first_error or exc
        read.skipped.append(
            skipped_sheet(name, sheet.sheet, UNREADABLE, getattr(exc, "message", str(exc)), getattr(exc, "hint", None))
        )
        return UNREADABLE
    if reading.skipped:
        advice = {
            NOT_A_LEDGER: "Nothing to do if the sheet holds no village amounts",
            UNREADABLE: "Read the year's 收益及收益分配表 and 资产负债表 instead",
        }[reading.skip_status]
        read.skipped.append(skipped_sheet(name, sheet.sheet, reading.skip_status, reading.skipped, advice))
        return reading.skip_status
    layouts.append(reading.layout)
    # Each piece with the file and sheet it is from, stamped on all sheets' pieces at once (columnar.stamped_frame).
    place = {"file": name, "sheet": sheet.sheet}
    read.rows.append((reading.row_columns, place))
    read.cells.append((reading.cell_columns, {**place, "file_order": order, "sheet_order": sheet_order}))
    read.coverage.append((reading.coverage_columns, place))
    read.columns.extend({**place, **record} for record in reading.column_records)
    read.tables.extend({**place, **record} for record in reading.table_records)
    return READ


def file_name(name: str) -> str:
    """A file's name as ``source`` writes it: a newline or another control character in it written as \\n."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda control: control[0].encode("unicode_escape").decode("ascii"), name)


def skipped_sheet(file: str, sheet: str, status: str, reason: str, advice: str | None) -> dict:
    return {
        "file": file,
        "sheet": sheet,
        "status": status,
        "reason": reason,
        "advice": advice
        or (
            "Check the sheet; villagecon inspect shows how it was read, and a layout file "
            "beside the ledger can say what inference got wrong"
        ),
    }


def vocabulary_for(root: Path, synonyms) -> Vocabulary:
    if isinstance(synonyms, Vocabulary):
        return synonyms
    if synonyms is not None:
        return read_synonyms(synonyms)
    beside = root / SYNONYMS_FILE if root.is_dir() else root.parent / SYNONYMS_FILE
    return read_synonyms(beside) if beside.is_file() else DEFAULT_VOCABULARY


def _progress(files: int, progress: bool | None):
    """A progress bar over ``files`` files (the sheets met so far beside it), or None."""
    if not (progress if progress is not None else (files > 20 and sys.stderr.isatty())):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=files, desc="reading ledgers", unit="file")


def parse_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Parse every amount cell without a problem yet; unreadable ones get problem ``amount``."""
    if cells.empty:
        return cells.assign(
            amount_yuan=pd.Series(dtype="float64"),
            approx=pd.Series(dtype="bool"),
            source=pd.Series(dtype="str"),
            cell=pd.Series(dtype="str"),
        )
    cells = cells.reset_index(drop=True)
    rows = cells["row"].astype("int64")
    cells["source"] = joined_text([cells["file"], cells["sheet"], rows], "!")
    # Each distinct column's letters and each distinct year worked out once, then taken for every cell.
    codes, columns = pd.factorize(cells["col"])
    letters = pd.array([cell_ref(None, column) for column in columns], dtype="str").take(codes, allow_fill=True)
    cells["cell"] = joined_text([pd.Series(letters, index=cells.index), rows])
    codes, years = pd.factorize(cells["year"])
    as_numbers = pd.Series(years).astype("float64").astype("Int64").array
    cells["year"] = pd.Series(as_numbers.take(codes, allow_fill=True), index=cells.index)
    # Worked out on arrays and set once: a .loc per unit and per problem on a frame of 30 columns cost more.
    amount = np.full(len(cells), np.nan)
    approx = np.zeros(len(cells), dtype=bool)
    problem = cells["problem"].to_numpy(dtype=object, copy=True)
    reason = cells["reason"].to_numpy(dtype=object, copy=True)
    values = cells["value"].to_numpy(dtype=object)
    # An Excel error (#DIV/0!, #REF!, #N/A) where an amount should be: the formula is broken, not the amount 0.
    shows_error = [  # a plain comprehension: a lambda mapped over every cell cost more; no "#", no error
        isinstance(v, str) and "#" in v and EXCEL_ERROR.fullmatch(v.strip()) is not None for v in values
    ]
    errors = pd.isna(problem) & np.array(shows_error, dtype=bool)
    problem[errors] = "excel_error"
    reason[errors] = [
        f"the cell shows the Excel error {v.strip()}: correct the formula in Excel (or type "
        "the amount), save, and read the file again"
        for v in values[errors]
    ]
    todo = np.flatnonzero(pd.isna(problem))
    unit_codes, units = pd.factorize(cells["unit"].take(todo), use_na_sentinel=False)
    for code, unit in enumerate(units):
        at = todo[unit_codes == code]
        parsed = parse_amounts(cells["value"].take(at), unit=None if pd.isna(unit) else cast("str", unit))
        amount[at] = parsed["amount_yuan"].to_numpy()
        approx[at] = parsed["approx"].to_numpy()
        bad = parsed["error"].notna().to_numpy()
        problem[at[bad]] = "amount"
        reason[at[bad]] = [
            f"{reason}: correct the cell (write a number, e.g. 4.2 or 4.2万元)"
            for reason in parsed["error"].to_numpy()[bad]
        ]
    # 红字 in the 摘要 or the column header: a red-ink amount written without its minus sign is negative.
    red = cells["red_ink"].fillna(False).astype(bool).to_numpy() & (amount > 0)
    amount[red] = -amount[red]
    # A missing marker the sheet views did not know (or one they marked): nothing to keep, nothing to reject.
    problem[pd.isna(problem) & np.isnan(amount)] = "missing"
    kept = np.asarray(problem != "missing", dtype=bool)
    cells["problem"] = pd.Series(problem, index=cells.index, dtype=cells["problem"].dtype)
    cells["reason"] = pd.Series(reason, index=cells.index, dtype=cells["reason"].dtype)
    cells["amount_yuan"] = amount
    cells["approx"] = approx
    return cells if kept.all() else cells.loc[kept]


def match_cell_villages(cells: pd.DataFrame, register: pd.DataFrame | None) -> pd.DataFrame:
    """Give every data cell its village (and code, with a register); unknown names become rejects."""
    cells = cells.copy(deep=False)  # columns are replaced or set, never changed in place: pandas copies them then
    usable = cells["problem"].isna().to_numpy()
    if register is None:
        name = village_keys(cells["village"])
        cells["village"] = name
        cells["village_code"] = map_distinct_text(cells["village_code"])
        cells["village_key"] = key = _name_within_places(cells, name)
        # Without a register a village is its name (in its places); the first place named for it is kept.
        key_codes, distinct_keys = pd.factorize(key)
        for column in ("township", "county"):
            present = cells[column].notna()
            first = cells.loc[present, column].groupby(cells.loc[present, "village_key"]).first()
            places = pd.array(first.reindex(distinct_keys).to_numpy(dtype=object), dtype="str")
            cells[column] = pd.Series(places.take(key_codes, allow_fill=True), index=cells.index)
        return cells
    columns = ["village", "township", "county", "village_code"]
    rows = np.flatnonzero(usable)
    # Each row's combination of names by number (missing ones equal), in order of appearance; each combination
    # matched once and its match taken back to the rows by that number.
    combination = row_codes(cells[columns], rows)
    names = cells[columns].take(rows[np.unique(combination, return_index=True)[1]]).astype(object)
    names = names.where(names.notna(), None).reset_index(drop=True)
    matched = match_villages(names, register)
    for column in ("county", "township", "village", "village_code", "problem", "reason"):
        found = matched[column]
        if isinstance(cells[column].dtype, pd.StringDtype):  # Arrow text set from Arrow text: no check per value
            found = found.astype(cells[column].dtype)
        cells.loc[usable, column] = found.array.take(combination)
    cells["village_key"] = cells["village_code"]
    return cells


def _name_within_places(cells: pd.DataFrame, name: pd.Series) -> pd.Series:
    """Without a register: a village's key is its name, with its county and township where the same name is
    written for several counties (or townships of one county). A row that then names no place is ambiguous
    (marked ``village_ambiguous`` in ``cells``), never given to one of them."""
    key = name.copy()
    usable = cells["problem"].isna() & name.notna()
    for column, word in (("county", "县市区"), ("township", "乡镇")):
        place = map_distinct(cells[column].where(usable), place_key)
        # How many places each name is written with (a groupby's nunique, on numbers).
        key_codes, distinct_keys = pd.factorize(key)
        place_codes = pd.factorize(place)[0]
        both = (key_codes >= 0) & (place_codes >= 0)
        width = max(int(place_codes.max(initial=-1)) + 1, 1)
        pairs = np.unique(key_codes[both] * width + place_codes[both])
        places_of = np.bincount(pairs // width, minlength=len(distinct_keys))
        spread = pd.Series(np.append(places_of, 0)[key_codes] > 1, index=key.index) & usable  # code -1: no name
        if not spread.any():
            continue
        unplaced = spread & place.isna()
        written = cells.loc[spread & place.notna()].groupby(key[spread & place.notna()])[column].unique()
        cells.loc[unplaced, "problem"] = "village_ambiguous"
        cells.loc[unplaced, "reason"] = [
            f"village {village!r} is written for villages in {'、'.join(written[k])} and this row names no "
            f"{word}: add the {word} to the row, or pass a village register (--register)"
            for village, k in zip(name[unplaced], key[unplaced], strict=True)
        ]
        key = key.where(~spread | place.isna(), key + "|" + place)
        usable &= ~unplaced
    return key


def reject_negative_balances(cells: pd.DataFrame) -> pd.DataFrame:
    negative = cells["problem"].isna() & cells["item"].isin(labels.BALANCE_ITEMS) & cells["amount_yuan"].lt(0)
    if not negative.any():
        return cells
    cells = cells.copy(deep=False)  # the two columns set are copied by pandas then, not the thirty others
    cells.loc[negative, "problem"] = "negative_balance"
    cells.loc[negative, "reason"] = [
        f"{labels.column(item)} cannot be negative: write the balance as a positive number in the 资产/负债 column"
        for item in cells.loc[negative, "item"]
    ]
    return cells
