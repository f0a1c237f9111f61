"""Clean ledgers into the canonical tables: ``read_ledger`` and the :class:`Ledger` it returns.

The flow for every file under a path::

    io.read_sheets   → grids of cells with file, sheet and row (hidden sheets marked)
    ingest           → every sheet's tables, every row's kind, every amount cell with its village, year,
                       item and unit, and how each column was understood
    parse_amounts    → yuan (rounded to the fen), approximate flag, or a reason it cannot be read
    subtotals        → 小计/合计 rows, township rows, summary sheets and 合计 columns kept apart and checked
                       against what they sum
    register         → village names (or codes) to codes; unknown names rejected with suggestions
    repeats          → the same village-year-item from two sources: equal → one kept, listed as duplicate;
                       different → both rejected; a 上年数/年初数 is checked against the year's own figure
    totals           → a written total is kept; checked against its parts when every part is there
    accounts         → one row per village and year, derived measures added

Nothing is lost: every row of every sheet read is in ``Ledger.rows`` with one kind, every sheet not read is
in ``Ledger.skipped`` with the reason, and every non-empty amount cell of a data row ends in exactly one of
``entries``, ``rejects`` or ``duplicates`` (:meth:`Ledger.check_nothing_lost`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from villagecon import schemas
from villagecon.errors import LedgerFileError, UsageError, VillageconError
from villagecon.ingest import (
    CELL_COLUMNS,
    COLUMN_COLUMNS,
    DEFAULT_VOCABULARY,
    ROW_KINDS,
    SYNONYMS_FILE,
    TABLE_COLUMNS,
    Vocabulary,
    read_sheet,
    read_synonyms,
)
from villagecon.ingest.files import ReadLimits, cell_ref, find_files, read_sheets
from villagecon.ingest.layout_file import find_layout
from villagecon.ingest.register import match_villages, place_key, read_register
from villagecon.parse.amounts import parse_amounts, unit_factor
from villagecon.schemas import ENTRY_COLUMNS, REJECT_COLUMNS, SKIPPED_COLUMNS
from villagecon.vocab import items, labels
from villagecon.vocab.periods import ACTUAL_KINDS, ANNUAL, BUDGET, PART_YEAR, actuals
from villagecon.vocab.synonyms import map_distinct, village_keys

log = logging.getLogger("villagecon")

# Differences up to one yuan are rounding in the source (万元 with two decimals), not errors.
RECONCILE_TOLERANCE = 1.0
# What Excel shows in a cell whose formula fails.
EXCEL_ERROR = re.compile(
    r"#(?:DIV/0!|REF!|VALUE!|N/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
    r"UNKNOWN!|CONNECT!|BUSY!)"
)
SUBTOTAL_COLUMNS = (
    "source",
    "cell",
    "column",
    "year",
    "item",
    "value",
    "amount_yuan",
    "parts",
    "parts_sum",
    "difference",
    "status",
)
SHEET_COLUMNS = ("file", "sheet", "hidden", "status")
REPEATED_COLUMNS = ("source", "cell", "amount_yuan", "repeats")
PART_YEAR_COLUMNS = ("county", "township", "village", "village_code", "year", "periods")
# Why a sheet was not read: hidden by its workbook, holding no ledger, or not understood (an error).
HIDDEN, NOT_A_LEDGER, UNREADABLE = "hidden", "not_a_ledger", "unreadable"
READ = "read"


@dataclass
class Ledger:
    """Everything :func:`read_ledger` found.

    Attributes
    ----------
    entries : DataFrame
        One row per amount read (long): county, township, village, village_code,
        year, period (ISO 8601: ``2022``, a line's date ``2022-03-05``, months ``2023-01/2023-09``), kind
        (``annual``: a year's figure; ``line``: a line of a ledger, added up with the others of its item;
        ``budget``; ``part_year``: a month's, a quarter's or the months so far), item, detail (the 其中 part
        or sub-account, else missing), amount_yuan, approx, written (the cell's text where the amount was
        written as text), source (``file!sheet!row``) and cell (``C7``). ``item`` is an item of the accounts
        or a statement line they do not carry (:data:`villagecon.vocab.labels.ENTRY_ITEMS`). Only ``annual`` and
        ``line`` amounts go into the accounts.
    accounts : DataFrame
        One row per village and year (wide), the canonical items of
        :mod:`villagecon.vocab.labels` plus operational_income and operating_profit, ``approx``
        and ``written_totals`` (the totals the source wrote; the others come from their parts).
    rejects : DataFrame
        Cells that could not be used: source, cell, column, value, problem (a
        short code), reason (what is wrong and what to do).
    subtotals : DataFrame
        小计/合计 cells, township rows, summary sheets and 合计 columns, kept apart, with the
        sum of what they cover and a status (``ok``, ``mismatch``, ``unchecked``).
    rows : DataFrame
        Every row of every ledger sheet read: file, sheet, row, source, kind (one of
        :data:`villagecon.ingest.ROW_KINDS`), note (a decision worth knowing about the row).
    duplicates : DataFrame
        Amounts that repeat an entry exactly (same village, year, item and amount), and
        上年数/年初数 equal to the year's own figure: source, cell, duplicate_of.
    files : DataFrame
        Files read: file, sha256, bytes, sheets, layouts.
    skipped : DataFrame
        Sheets not read: file, sheet, status (``hidden``, ``not_a_ledger``, ``unreadable``), reason, advice.
    part_years : DataFrame
        Village-years that have only part of a year's figures (a quarter's 公开榜, a 三资 export of 会计期间 6)
        and so no row in the accounts: county, township, village, village_code, year, periods.
    columns : DataFrame
        How every column of every table was understood: file, sheet, table, column (letter),
        header, meaning (in words), role, item, village, period, year, unit.
    repeated_lines : DataFrame
        Lines of a ledger that repeat an earlier line of the same sheet cell for cell (same date, 摘要, item
        and amount): source, cell, amount_yuan, repeats (the earlier line's source). They are counted, as
        the ledger adds them up, and listed for review as possible double entries.
    sheets : DataFrame
        Every sheet met, in the order of the files and of each workbook: file, sheet, hidden
        (``"hidden"``, ``"very hidden"`` or missing), status (``read``, or why it was skipped). A
        file that could not be opened is one row with sheet ``""``.
    tables : DataFrame
        How every table was understood: file, sheet, table, its header and body rows,
        orientation, and the year, unit and places its context gives, each with its source
        (the title, the 单位 line, the sheet name, …), the villages it sums when it is a
        summary, and notes (e.g. a title's year that no column has).
    """

    entries: pd.DataFrame
    accounts: pd.DataFrame
    rejects: pd.DataFrame
    subtotals: pd.DataFrame
    rows: pd.DataFrame
    duplicates: pd.DataFrame
    files: pd.DataFrame
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SKIPPED_COLUMNS)))
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: pd.DataFrame = field(default_factory=pd.DataFrame)
    repeated_lines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REPEATED_COLUMNS)))
    sheets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SHEET_COLUMNS)))
    part_years: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PART_YEAR_COLUMNS)))

    def check_nothing_lost(self) -> None:
        """Raise AssertionError unless every row has one kind and every data-row amount cell ended in one place."""
        kinds = self.rows["kind"]
        assert kinds.isin(ROW_KINDS).all(), f"a row has no kind: {sorted(set(kinds) - set(ROW_KINDS))}"
        assert not self.rows.duplicated(["file", "sheet", "row"]).any(), "a row has two kinds"
        placed = pd.concat(
            [self.entries[["source", "cell"]], self.rejects[["source", "cell"]], self.duplicates[["source", "cell"]]]
        )
        subtotal_cells = pd.MultiIndex.from_frame(self.subtotals[["source", "cell"]].astype(str))
        placed = placed.loc[~pd.MultiIndex.from_frame(placed.astype(str)).isin(subtotal_cells)]
        assert not placed.duplicated().any(), "a cell ended in two places"
        assert len(placed) == self._data_cells, f"{self._data_cells - len(placed)} data cells were lost"

    _data_cells: int = field(default=0, repr=False)
    # The summary written with a processed set this Ledger was read back from (which keeps no rows).
    written_summary: str | None = field(default=None, repr=False)

    def summary(self) -> str:
        """A few lines for a terminal: what was read, what was kept, what needs attention."""
        if self.written_summary is not None:
            return self.written_summary
        kinds = self.rows["kind"].value_counts()
        status = self.skipped["status"].value_counts() if len(self.skipped) else pd.Series(dtype="int64")
        lines = [
            f"files read: {len(self.files)}; sheets and files skipped: {len(self.skipped)} "
            f"({status.get(UNREADABLE, 0)} unreadable, {status.get(NOT_A_LEDGER, 0)} not ledgers, "
            f"{status.get(HIDDEN, 0)} hidden)",
            "rows: " + ", ".join(f"{kinds.get(k, 0)} {k}" for k in ROW_KINDS),
            f"entries: {len(self.entries)} amounts for {self.accounts[['village', 'year']].drop_duplicates().shape[0]}"
            f" village-years; duplicates dropped: {len(self.duplicates)}; lines repeating an earlier line (counted, "
            f"to review): {len(self.repeated_lines)}",
            f"subtotals: {len(self.subtotals)} ({(self.subtotals['status'] == 'mismatch').sum()} do not add up)",
            f"rejects: {len(self.rejects)}",
        ]
        kinds_kept = self.entries["kind"].value_counts()
        if kinds_kept.get(BUDGET, 0) or kinds_kept.get(PART_YEAR, 0):
            lines.insert(
                3,
                f"not a year's actuals (in entries, not in accounts): {kinds_kept.get(BUDGET, 0)} "
                f"budget amounts, {kinds_kept.get(PART_YEAR, 0)} amounts of part of a year",
            )
        if len(self.part_years):
            shown = [
                f"{v} {y} ({p})"
                for v, y, p in self.part_years[["village", "year", "periods"]].head(5).itertuples(index=False)
            ]
            more = f" and {len(self.part_years) - 5} more" if len(self.part_years) > 5 else ""
            lines.insert(
                4,
                f"village-years with only part of a year (no accounts row): {len(self.part_years)}: "
                + ", ".join(shown)
                + more,
            )
        if len(self.rejects):
            counts = self.rejects["problem"].value_counts()
            lines.append("  " + ", ".join(f"{n} {problem}" for problem, n in counts.items()))
        for file, sheet, state, reason, _ in self.skipped.itertuples(index=False):
            if state != HIDDEN or len(self.skipped) <= 20:
                lines.append(f"  skipped ({state}): {file}{'!' + sheet if sheet else ''}: {reason}")
        return "\n".join(lines)


def read_ledger(
    path: Path | str,
    *,
    register: Path | str | pd.DataFrame | None = None,
    unit: str | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
    include_hidden: bool = False,
    synonyms: Path | str | Vocabulary | None = None,
    outside_links: bool = False,
    jobs: int | None = None,
) -> Ledger:
    """Read one ledger file, or every ledger file in a folder, into the canonical tables.

    Parameters
    ----------
    path : path-like
        An .xlsx/.xlsm/.xls/.csv file, or a folder searched recursively.
    register : path-like or DataFrame, optional
        Village register (county, county_code, township, village, village_code,
        aliases). With it every village gets its code (a 12-digit 区划代码 in the
        ledger matches first) and an unknown name is a reject; without it villages are
        told apart by their normalised name.
    unit : {"元", "万元", "亿元"}, optional
        Unit of bare numbers where neither the cell, the column header
        (``金额（万元）``), the row (计量单位) nor a ``单位：`` line says.
    encoding : str, optional
        Encoding of CSV files; detected (UTF-8, UTF-8 with BOM, GBK/GB18030) when None.
    progress : bool, optional
        Show a progress bar over files (default: when reading more than 20 files in a terminal).
    limits : ReadLimits, optional
        File size, unpacked size and cells per sheet past which a file is refused
        (default: :meth:`villagecon.ingest.files.ReadLimits.from_environment`).
    include_hidden : bool
        Also read the sheets a workbook hides (by default they are skipped and listed:
        a hidden sheet is often a stale copy).
    outside_links : bool
        Follow links (symlinks) that lead out of the folder read (by default they are named in ``skipped``).
    synonyms : path-like or Vocabulary, optional
        A ``synonyms.csv`` (columns ``spelling,meaning``) adding spellings of line items and
        column roles; default: ``synonyms.csv`` in the folder read, when there is one.
    jobs : int, optional
        Processes reading files at once. Default: every core on Linux for a folder of 8 files or
        more, else 1. The result is the same whatever ``jobs`` is.

    Returns
    -------
    Ledger

    Raises
    ------
    villagecon.errors.VillageconError
        Reading one file: a file that cannot be read, holds no ledger, has numbers but no
        header, or bare numbers with no unit anywhere. The message names file, sheet, row
        and cell. Reading a folder, such files are listed in ``Ledger.skipped`` instead.

    Examples
    --------
    ::

        ledger = read_ledger("data/raw", register="data/raw/register.csv")
        ledger.accounts.query("village == '上河村'")[["year", "total_income"]]
    """
    unit_factor(unit)  # a UsageError now rather than after reading every file
    limits = limits or ReadLimits.from_environment()
    root = Path(path)
    vocabulary = _vocabulary(root, synonyms)
    register_table = _register(register)
    if register_table is not None:
        # The register's names and aliases are village names wherever a header writes one (上河 across).
        names = [
            *register_table["village"],
            *(a for aliases in register_table["aliases"] for a in str(aliases).split("|") if a),
        ]
        vocabulary = dataclasses.replace(
            vocabulary, villages=frozenset(village_keys(pd.Series(names)).dropna()), _words={}
        )
    register_path = Path(register).resolve() if isinstance(register, (str, Path)) else None
    synonyms_path = Path(synonyms).resolve() if isinstance(synonyms, (str, Path)) else None
    found, not_read = find_files(root, outside_links=outside_links)
    files = [
        f
        for f in found
        if f.resolve() not in (register_path, synonyms_path) and not (root.is_dir() and f.name == SYNONYMS_FILE)
    ]
    if not files:
        raise VillageconError(f"no ledger files (.xlsx, .xls, .xlsb, .ods, .csv) in {root}")

    read = _read_files(
        files,
        root,
        jobs=jobs,
        progress=progress,
        unit=unit,
        encoding=encoding,
        limits=limits,
        include_hidden=include_hidden,
        vocabulary=vocabulary,
    )
    # Every file under the folder is accounted for: the ones not read are named with the reason.
    for file, reason in not_read:
        status = UNREADABLE if file.is_symlink() or file.is_dir() else NOT_A_LEDGER
        name = _file_name(file.relative_to(root).as_posix())
        read.skipped.append(
            _skip(
                name,
                "",
                status,
                reason,
                "Nothing to do if it holds no ledger"
                if status == NOT_A_LEDGER
                else "Copy the file into the folder, or fix the link",
            )
        )
        read.sheets.append({"file": name, "sheet": "", "hidden": None, "status": status})
    if not read.rows:
        if root.is_file() and read.first_error is not None:
            raise read.first_error
        listed = "; ".join(
            f"{s['file']}{'!' + s['sheet'] if s['sheet'] else ''} ({s['status']}): {s['reason']}"
            for s in read.skipped[:5]
        )
        raise VillageconError(
            f"no ledger could be read in {root.name if root.is_file() else root}: {listed}"
            + (f"; and {len(read.skipped) - 5} more" if len(read.skipped) > 5 else "")
            + ". Check that these are the right files; `villagecon inspect` shows how each "
            "was understood"
        )

    rows = _frame(read.rows, ["row", "kind", "note", "file", "sheet"])
    rows.insert(0, "source", rows["file"] + "!" + rows["sheet"] + "!" + rows["row"].astype("str"))
    rows = rows[["file", "sheet", "row", "source", "kind", "note"]]
    # Columns even when no sheet held a cell (every file skipped, or an empty CSV): nothing downstream guesses.
    cells = _parsed(_frame(read.cells, [*CELL_COLUMNS, "table", "file", "sheet", "file_order", "sheet_order"]))
    data_cells = cells.loc[cells["row_kind"].eq("data")]
    subtotals, subtotal_rejects = _reconcile_subtotals(
        cells, _frame(read.coverage, ["table", "subtotal_row", "row", "file", "sheet"])
    )
    data_cells = _match_villages(data_cells, register_table)
    data_cells = _reject_negative_balances(data_cells)
    # Budgets and part-year figures are kept as written; only a year's actuals are figures of the accounts.
    actual = data_cells["kind"].isin(ACTUAL_KINDS)
    entries, duplicates, conflict_rejects = _resolve_repeats(data_cells.loc[actual & data_cells["problem"].isna()])
    entries, total_rejects = _reconcile_totals(entries, data_cells.loc[actual])
    # A 上年数 that differs from the year's own figure leaves that figure standing: it is no doubt about it.
    restated = conflict_rejects.loc[conflict_rejects["problem"].eq("prior_year_differs"), ["source", "cell"]]
    placed = pd.MultiIndex.from_frame(
        pd.concat([entries[["source", "cell"]], duplicates[["source", "cell"]], restated])
    )
    doubtful = data_cells.loc[
        actual & ~pd.MultiIndex.from_frame(data_cells[["source", "cell"]]).isin(placed),
        ["village_key", "year", "item", "line"],
    ]
    entries = pd.concat([entries, data_cells.loc[~actual & data_cells["problem"].isna()]]).sort_values(
        ["file_order", "sheet_order", "row", "col"], kind="stable"
    )
    summaries, summary_rejects = _reconcile_summaries(cells, entries, register_table)
    rejects = pd.concat(
        [
            _as_rejects(data_cells.loc[data_cells["problem"].notna()]),
            subtotal_rejects,
            conflict_rejects,
            total_rejects,
            summary_rejects,
        ],
        ignore_index=True,
    )

    ledger = Ledger(
        entries=schemas.validate_entries(
            _with_written_text(entries).loc[:, list(ENTRY_COLUMNS)].reset_index(drop=True)
        ),
        accounts=schemas.validate_accounts(to_accounts(entries, doubtful=doubtful)),
        rejects=schemas.validate_rejects(rejects.loc[:, list(REJECT_COLUMNS)].reset_index(drop=True)),
        subtotals=pd.concat([subtotals, summaries], ignore_index=True) if len(summaries) else subtotals,
        rows=rows.reset_index(drop=True),
        duplicates=duplicates,
        repeated_lines=_repeated_lines(entries),
        part_years=_part_years(entries),
        files=pd.DataFrame(read.files, columns=["file", "sha256", "bytes", "sheets", "layouts"]),
        skipped=schemas.validate_skipped(pd.DataFrame(read.skipped, columns=list(SKIPPED_COLUMNS))),
        columns=_frame(read.columns, ["file", "sheet", *COLUMN_COLUMNS])[["file", "sheet", *COLUMN_COLUMNS]],
        tables=_frame(read.tables, ["file", "sheet", *TABLE_COLUMNS])[["file", "sheet", *TABLE_COLUMNS]],
        sheets=pd.DataFrame(read.sheets, columns=list(SHEET_COLUMNS)),
        _data_cells=len(data_cells),
    )
    for file, sheet, state, reason, _ in ledger.skipped.itertuples(index=False):
        log.info("skipped %s!%s (%s): %s", file, sheet, state, reason)
    return ledger


@dataclass
class _Read:
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

    def extend(self, other: _Read) -> None:
        for name in ("rows", "cells", "coverage", "columns", "tables", "sheets", "skipped", "files"):
            getattr(self, name).extend(getattr(other, name))
        self.first_error = self.first_error or other.first_error


# Files are read by several processes from this many on (fewer are done before a pool would start).
_PARALLEL_FROM = 8


def _read_files(files: list[Path], root: Path, *, jobs: int | None, progress, **options) -> _Read:
    """Read ``files`` (in parallel when there are many); the result is in file order, whatever ``jobs``."""
    tasks = [
        (order, file, _file_name(file.name if root.is_file() else file.relative_to(root).as_posix()))
        for order, file in enumerate(files)
    ]
    jobs = _jobs(jobs, len(tasks))
    read_one = functools.partial(_read_file, single=root.is_file(), **options)
    read = _Read()
    with contextlib.ExitStack() as stack:
        if jobs == 1:
            pieces = map(read_one, tasks)
        else:
            # fork: the workers start with the vocabulary and the register in memory, and import nothing again.
            pool = stack.enter_context(
                ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
            )
            pieces = pool.map(read_one, tasks)
        bar = _progress(len(tasks), progress)
        for piece in pieces:
            read.extend(piece)
            if bar is not None:
                bar.set_postfix(sheets=len(read.sheets), refresh=False)
                bar.update()
        if bar is not None:
            bar.close()
    return read


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
    task: tuple[int, Path, str], *, single: bool, unit, encoding, limits, include_hidden, vocabulary
) -> _Read:
    """Read every sheet of one file; a file that cannot be read is listed as skipped (raised when ``single``)."""
    order, file, name = task
    read = _Read()
    try:
        sheets = read_sheets(file, name=name, encoding=encoding, limits=limits)
    except LedgerFileError as exc:
        if single:
            raise
        read.first_error = exc
        read.skipped.append(_skip(name, "", UNREADABLE, exc.message, exc.hint))
        read.sheets.append({"file": name, "sheet": "", "hidden": None, "status": UNREADABLE})
        return read
    layouts = []
    layout_file = find_layout(file)
    if layout_file and (unknown := sorted(set(layout_file.sheets) - {"*"} - {s.sheet for s in sheets})):
        raise UsageError(
            f"{layout_file.path.name} has a section for sheet {unknown[0]!r}, which {name} does not "
            f"have (its sheets: {', '.join(repr(s.sheet) for s in sheets)}); correct the name in "
            '[sheets."…"]'
        )
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
        )
        read.sheets.append({"file": name, "sheet": sheet.sheet, "hidden": sheet.hidden, "status": status})
    data = file.read_bytes()
    read.files.append(
        {
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "sheets": len(sheets),
            "layouts": "; ".join(dict.fromkeys(layouts)),
        }
    )
    return read


def _read_sheet(
    read: _Read, name: str, sheet, *, order, sheet_order, layouts, unit, vocabulary, include_hidden, layout
) -> str:
    """Read one sheet into ``read``; return its status (read, or why it was skipped)."""
    if sheet.hidden and not include_hidden:
        read.skipped.append(
            _skip(
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
        reading = read_sheet(sheet, unit=unit, vocabulary=vocabulary, layout=layout)
    except VillageconError as exc:
        read.first_error = read.first_error or exc
        read.skipped.append(
            _skip(name, sheet.sheet, UNREADABLE, getattr(exc, "message", str(exc)), getattr(exc, "hint", None))
        )
        return UNREADABLE
    if reading.skipped:
        advice = {
            NOT_A_LEDGER: "Nothing to do if the sheet holds no village amounts",
            UNREADABLE: "Read the year's 收益及收益分配表 and 资产负债表 instead",
        }[reading.skip_status]
        read.skipped.append(_skip(name, sheet.sheet, reading.skip_status, reading.skipped, advice))
        return reading.skip_status
    layouts.append(reading.layout)
    read.rows.append(reading.rows.assign(file=name, sheet=sheet.sheet))
    read.cells.append(reading.cells.assign(file=name, sheet=sheet.sheet, file_order=order, sheet_order=sheet_order))
    for target, frame in (
        (read.coverage, reading.coverage),
        (read.columns, reading.columns),
        (read.tables, reading.tables),
    ):
        target.append(frame.assign(file=name, sheet=sheet.sheet))
    return READ


def _file_name(name: str) -> str:
    """A file's name as ``source`` writes it: a newline or another control character in it written as \\n."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda control: control[0].encode("unicode_escape").decode("ascii"), name)


def _skip(file: str, sheet: str, status: str, reason: str, advice: str | None) -> dict:
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


def _vocabulary(root: Path, synonyms) -> Vocabulary:
    if isinstance(synonyms, Vocabulary):
        return synonyms
    if synonyms is not None:
        return read_synonyms(synonyms)
    beside = root / SYNONYMS_FILE if root.is_dir() else root.parent / SYNONYMS_FILE
    return read_synonyms(beside) if beside.is_file() else DEFAULT_VOCABULARY


def _register(register) -> pd.DataFrame | None:
    if register is None:
        return None
    if isinstance(register, pd.DataFrame):
        return register.astype({"village_code": "str"}).assign(aliases=register.get("aliases", ""))
    return read_register(register)


def _progress(files: int, progress: bool | None):
    """A progress bar over ``files`` files (the sheets met so far beside it), or None."""
    if not (progress if progress is not None else (files > 20 and sys.stderr.isatty())):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=files, desc="reading ledgers", unit="file")


def _frame(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _parsed(cells: pd.DataFrame) -> pd.DataFrame:
    """Parse every amount cell without a problem yet; unreadable ones get problem ``amount``."""
    if cells.empty:
        return cells.assign(
            amount_yuan=pd.Series(dtype="float64"),
            approx=pd.Series(dtype="bool"),
            source=pd.Series(dtype="str"),
            cell=pd.Series(dtype="str"),
        )
    cells = cells.reset_index(drop=True)
    cells["source"] = cells["file"] + "!" + cells["sheet"] + "!" + cells["row"].astype("int64").astype("str")
    letters = cells["col"].map({c: cell_ref(None, c) for c in cells["col"].unique()})
    cells["cell"] = letters + cells["row"].astype("int64").astype("str")
    cells["year"] = pd.array(cells["year"].astype("float64"), dtype="Int64")
    cells["amount_yuan"] = np.nan
    cells["approx"] = False
    # An Excel error (#DIV/0!, #REF!, #N/A) where an amount should be: the formula is broken, not the amount 0.
    errors = cells["problem"].isna() & cells["value"].map(
        lambda v: isinstance(v, str) and bool(EXCEL_ERROR.fullmatch(v.strip()))
    ).astype(bool)
    cells.loc[errors, "problem"] = "excel_error"
    cells.loc[errors, "reason"] = [
        f"the cell shows the Excel error {v.strip()}: correct the formula in Excel (or type "
        "the amount), save, and read the file again"
        for v in cells.loc[errors, "value"]
    ]
    todo = cells["problem"].isna()
    for unit, group in cells.loc[todo].groupby("unit", dropna=False, sort=False):
        parsed = parse_amounts(group["value"], unit=None if pd.isna(unit) else unit)
        cells.loc[group.index, "amount_yuan"] = parsed["amount_yuan"].to_numpy()
        cells.loc[group.index, "approx"] = parsed["approx"].to_numpy()
        bad = parsed["error"].notna().to_numpy()
        bad_index = group.index[bad]
        cells.loc[bad_index, "problem"] = "amount"
        cells.loc[bad_index, "reason"] = [
            f"{reason}: correct the cell (write a number, e.g. 4.2 or 4.2万元)"
            for reason in parsed["error"].to_numpy()[bad]
        ]
    # 红字 in the 摘要 or the column header: a red-ink amount written without its minus sign is negative.
    red = cells["red_ink"].fillna(False).astype(bool) & cells["amount_yuan"].gt(0)
    cells.loc[red, "amount_yuan"] = -cells.loc[red, "amount_yuan"]
    missing = cells["problem"].isna() & cells["amount_yuan"].isna()
    if missing.any():  # a missing marker the sheet views did not know: nothing to keep, nothing to reject
        cells.loc[missing, "problem"] = "missing"
    return cells.loc[cells["problem"].ne("missing")]


def _is_summary(cells: pd.DataFrame) -> pd.Series:
    return cells["summary"].notna()


def _reconcile_subtotals(cells: pd.DataFrame, coverage: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare each 小计/合计 cell with the sum of the data cells it covers."""
    subtotal_cells = cells.loc[cells["row_kind"].eq("subtotal") & ~_is_summary(cells)].copy()
    if subtotal_cells.empty:
        return pd.DataFrame(columns=list(SUBTOTAL_COLUMNS)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    data = cells.loc[cells["row_kind"].eq("data")]
    # A subtotal of an item sums that item of the rows it covers; a 合计 naming none (under the 金额 of a list of
    # items or projects) sums its column.
    ids = subtotal_cells.reset_index().rename(columns={"index": "subtotal_id", "row": "subtotal_row"})
    covered = []
    for itemless, keys in (
        (False, ["file", "sheet", "table", "year", "item", "detail"]),
        (True, ["file", "sheet", "table", "year", "col"]),
    ):
        chosen = ids.loc[ids["item"].isna() == itemless, ["subtotal_id", "subtotal_row", *keys]]
        covered.append(
            chosen.merge(coverage, on=["file", "sheet", "table", "subtotal_row"]).merge(
                data[[*keys, "row", "amount_yuan", "approx", "problem"]], on=[*keys, "row"]
            )
        )
    covered = pd.concat(covered, ignore_index=True)
    parts = covered.groupby("subtotal_id").agg(
        parts=("row", "size"),
        parts_sum=("amount_yuan", "sum"),
        incomplete=("problem", lambda p: p.notna().any()),
        parts_approx=("approx", "any"),
    )
    return _subtotal_status(subtotal_cells.join(parts), "rows")


def _subtotal_status(subtotal_cells: pd.DataFrame, covered: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status of each subtotal (ok, mismatch, unchecked) and a reject for each mismatch or unreadable one."""
    subtotal_cells["parts"] = subtotal_cells["parts"].fillna(0).astype("int64")
    subtotal_cells["difference"] = subtotal_cells["amount_yuan"] - subtotal_cells["parts_sum"]
    # Only a subtotal whose parts were all read exactly can be checked.
    checkable = (
        subtotal_cells["parts"].gt(0)
        & subtotal_cells["problem"].isna()
        & ~subtotal_cells["incomplete"].fillna(False).astype(bool)
        & ~subtotal_cells["approx"].astype(bool)
        & ~subtotal_cells["parts_approx"].fillna(False).astype(bool)
    )
    mismatch = checkable & subtotal_cells["difference"].abs().gt(RECONCILE_TOLERANCE)
    subtotal_cells["status"] = np.select([mismatch, checkable], ["mismatch", "ok"], "unchecked")
    subtotal_cells["value"] = subtotal_cells["value"].map(_as_text)

    mismatched = subtotal_cells.loc[mismatch]
    rejects = mismatched.assign(
        problem="subtotal_mismatch",
        reason=[
            f"this subtotal is {_yuan(total)} but the {n} {covered} it covers add up to {_yuan(s)} "
            f"(difference {_yuan(total - s)}): the {covered} were kept; check them or correct the subtotal"
            for total, s, n in zip(mismatched["amount_yuan"], mismatched["parts_sum"], mismatched["parts"], strict=True)
        ],
    )
    unreadable = subtotal_cells.loc[subtotal_cells["problem"].notna()]
    rejects = pd.concat([_as_rejects(rejects), _as_rejects(unreadable)], ignore_index=True)
    subtotals = subtotal_cells.loc[:, list(SUBTOTAL_COLUMNS)].reset_index(drop=True)
    return subtotals, rejects


def _reconcile_summaries(
    cells: pd.DataFrame, entries: pd.DataFrame, register: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A summary (a township's or county's row in a sheet of no villages, a township's statement, a 汇总
    sheet) against the villages it sums, read anywhere: those of its township or county, or, for a 汇总 sheet
    naming no place, those of the other sheets of its file. Summaries are never villages; a mismatch is a
    ``subtotal_mismatch``."""
    summary = cells.loc[_is_summary(cells)].copy()
    if summary.empty:
        return pd.DataFrame(columns=list(SUBTOTAL_COLUMNS)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    # Each summary against the villages' figures of its kind: the year's actuals, or a budget's or a quarter's.
    figures = pd.concat([annual_figures(entries), entries.loc[~entries["kind"].isin(ACTUAL_KINDS)]])
    figures["compared"] = _compared_as(figures)
    places = {
        "township": figures["township"].map(place_key, na_action="ignore"),
        "county": figures["county"].map(place_key, na_action="ignore"),
        "file": figures["file"],
    }
    sums = []
    for index, scope, file, year, item, compared in zip(
        summary.index,
        summary["summary"],
        summary["file"],
        summary["year"],
        summary["item"],
        _compared_as(summary),
        strict=True,
    ):
        chosen = pd.Series(False, index=figures.index)
        for part in scope.split("|"):
            level, _, name = part.partition(":")
            chosen |= places[level].eq(file if level == "file" else place_key(name))
        found = figures.loc[
            chosen & figures["year"].eq(year) & figures["item"].eq(item) & figures["compared"].eq(compared)
        ]
        sums.append(
            {
                "index": index,
                "parts": found["village_key"].nunique(),
                "parts_sum": found["amount_yuan"].sum() if len(found) else np.nan,
                "parts_approx": bool(found["approx"].any()),
                "incomplete": False,
            }
        )
    joined = summary.join(pd.DataFrame(sums).set_index("index"))
    return _subtotal_status(joined, "villages")


def _compared_as(figures: pd.DataFrame) -> pd.Series:
    """What a summary's figure is compared with: a year's actual, or a budget's or part of a year's of its period."""
    return figures["kind"].where(~figures["kind"].isin(ACTUAL_KINDS), ANNUAL) + " " + figures["period"].astype("str")


def _match_villages(cells: pd.DataFrame, register: pd.DataFrame | None) -> pd.DataFrame:
    """Give every data cell its village (and code, with a register); unknown names become rejects."""
    cells = cells.copy()
    usable = cells["problem"].isna()
    if register is None:
        name = village_keys(cells["village"])
        cells["village"] = name
        cells["village_code"] = cells["village_code"].astype("str")
        cells["village_key"] = key = _name_within_places(cells, name)
        # Without a register a village is its name (in its places); the first place named for it is kept.
        key_codes, distinct_keys = pd.factorize(key)
        for column in ("township", "county"):
            first = cells.loc[cells[column].notna()].groupby("village_key")[column].first()
            places = np.array([*first.reindex(distinct_keys).to_numpy(dtype=object), None], dtype=object)
            cells[column] = pd.Series(places[key_codes], index=cells.index, dtype="str")
        return cells
    columns = ["village", "township", "county", "village_code"]
    written = cells.loc[usable, columns].astype(object)
    written = written.where(written.notna(), None)
    names = written.drop_duplicates().reset_index(drop=True)
    matched = names.join(match_villages(names, register).add_prefix("matched_"))
    joined = written.merge(matched, on=columns, how="left")
    joined.index = written.index
    for column in ("county", "township", "village", "village_code"):
        cells.loc[usable, column] = joined[f"matched_{column}"]
    cells.loc[usable, "problem"] = joined["matched_problem"]
    cells.loc[usable, "reason"] = joined["matched_reason"]
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
        counts = place.groupby(key).nunique()
        spread = key.isin(counts.index[counts.gt(1)]) & usable
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


def _reject_negative_balances(cells: pd.DataFrame) -> pd.DataFrame:
    negative = cells["problem"].isna() & cells["item"].isin(labels.BALANCE_ITEMS) & cells["amount_yuan"].lt(0)
    cells = cells.copy()
    cells.loc[negative, "problem"] = "negative_balance"
    cells.loc[negative, "reason"] = [
        f"{labels.column(item)} cannot be negative: write the balance as a positive number in the 资产/负债 column"
        for item in cells.loc[negative, "item"]
    ]
    return cells


def _resolve_repeats(entries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same village-year-item from two sources: equal amounts keep the first; different amounts reject all.

    A source's figure is one cell, or the lines of a ledger of one village, year and item added up (a
    ``figure`` of several entries). A 上年数 or 年初数 (``precedence == "prior"``) is a later report's word on an
    earlier year: where that year's own report gives the figure, it is checked against it (equal: a duplicate;
    different: a ``prior_year_differs`` reject of the later report's cell only); where none does, it is the figure.
    """
    entries = entries.sort_values(["file_order", "sheet_order", "row", "col"], kind="stable")
    entries = entries.assign(figure=_figure_ids(entries))
    figures = entries.groupby("figure", sort=False).agg(
        {
            **{c: "first" for c in entries.columns if c not in ("figure", "amount_yuan", "approx")},
            "amount_yuan": "sum",
            "approx": "any",
        }
    )
    figures["lines"] = entries.groupby("figure", sort=False).size()
    keys = _keys(figures)
    prior = figures["precedence"].eq("prior").to_numpy()
    checked = prior & keys.isin(keys[~prior])
    kept, duplicate_of, conflicts = _resolve_sources(figures.loc[~checked])
    prior_duplicate_of, prior_rejects = _check_prior(figures.loc[checked], figures.loc[kept])
    duplicate_of = pd.concat([duplicate_of, prior_duplicate_of])
    problems = pd.concat([conflicts, prior_rejects])
    duplicates = entries.loc[entries["figure"].isin(duplicate_of.index)]
    rejected = (
        entries.loc[entries["figure"].isin(problems.index)]
        .drop(columns=["problem", "reason"])
        .join(problems, on="figure")
    )
    if len(duplicates):
        log.info("dropped %d exact duplicate amounts (same village, year, item and amount)", len(duplicates))
    return (
        entries.loc[entries["figure"].isin(kept)],
        pd.DataFrame(
            {
                "source": duplicates["source"].to_numpy(),
                "cell": duplicates["cell"].to_numpy(),
                "duplicate_of": duplicates["figure"].map(duplicate_of).to_numpy(),
            }
        ),
        _as_rejects(rejected),
    )


def _repeated_lines(entries: pd.DataFrame) -> pd.DataFrame:
    """Kept lines that repeat an earlier line of their sheet cell for cell: possible double entries."""
    if entries.empty or "same_as" not in entries:
        return pd.DataFrame(columns=list(REPEATED_COLUMNS))
    again = entries.loc[entries["same_as"].notna()]
    return pd.DataFrame(
        {
            "source": again["source"].to_numpy(),
            "cell": again["cell"].to_numpy(),
            "amount_yuan": again["amount_yuan"].to_numpy(),
            "repeats": (
                again["file"] + "!" + again["sheet"] + "!" + again["same_as"].astype("int64").astype("str")
            ).to_numpy(),
        }
    )


def _part_years(entries: pd.DataFrame) -> pd.DataFrame:
    """Village-years whose figures are all of part of a year, with the periods they cover."""
    key = ["village_key", "year"]
    actual = pd.MultiIndex.from_frame(entries.loc[entries["kind"].isin(ACTUAL_KINDS), key].astype(object))
    part = entries.loc[entries["kind"].eq(PART_YEAR)]
    part = part.loc[~pd.MultiIndex.from_frame(part[key].astype(object)).isin(actual)]
    if part.empty:
        return pd.DataFrame(columns=list(PART_YEAR_COLUMNS))
    found = part.groupby(key, sort=False).agg(
        **{c: (c, "first") for c in ("county", "township", "village", "village_code")},
        periods=("period", lambda p: ", ".join(sorted(set(p)))),
    )
    return found.reset_index()[list(PART_YEAR_COLUMNS)]


def _figure_ids(entries: pd.DataFrame) -> np.ndarray:
    """One figure per entry, but the lines of a ledger (``line``) of one table, village, year, item and detail
    share one: they add up."""
    ids = np.arange(len(entries))
    lines = entries["line"].fillna(False).astype(bool).to_numpy()
    if lines.any():
        group = (
            entries.loc[lines]
            .groupby(
                ["file", "sheet", "table", "village_key", "year", "item", "detail", "precedence"],
                dropna=False,
                sort=False,
            )
            .ngroup()
            .to_numpy()
        )
        first = pd.Series(ids[lines]).groupby(group).transform("first").to_numpy()
        ids[lines] = first
    return ids


def _keys(entries: pd.DataFrame) -> pd.MultiIndex:
    """Village, year, item and detail of each entry, as an index that compares missing details equal."""
    return pd.MultiIndex.from_frame(entries[["village_key", "year", "item", "detail"]].astype(object).fillna("\0"))


def _place(figures: pd.DataFrame) -> pd.Series:
    """Where a figure is written: its cell, and how many lines add up to it."""
    more = figures["lines"].sub(1)
    return (
        figures["source"]
        + " "
        + figures["cell"]
        + more.map(lambda n: f" and {n} more line{'s' if n > 1 else ''}" if n else "").astype("str")
    )


def _resolve_sources(figures: pd.DataFrame) -> tuple[pd.Index, pd.Series, pd.DataFrame]:
    """Kept figures; figure → the figure it repeats exactly; figure → (problem, reason) of conflicting ones."""
    group = figures.groupby(["village_key", "year", "item", "detail"], dropna=False, sort=False).ngroup()
    repeated = group.duplicated(keep=False)
    # Repeats are few: everything below works on them only.
    repeats = figures.loc[repeated]
    repeat_group = group[repeated]
    by_group = repeats.groupby(repeat_group)
    conflict = (by_group["amount_yuan"].transform("max") - by_group["amount_yuan"].transform("min")).abs().gt(0.005)
    conflict |= by_group["approx"].transform("nunique").gt(1)
    exact = ~conflict & repeat_group.duplicated(keep="first")
    place = _place(repeats)
    duplicate_of = place.groupby(repeat_group).transform("first")[exact]

    clashing = repeats.loc[conflict]
    stated = place[conflict] + " = " + clashing["amount_yuan"].map(_yuan).astype("str")
    clash_group = repeat_group[conflict]
    reasons = []
    for g, amount, item, detail, year, village, file in zip(
        clash_group,
        clashing["amount_yuan"],
        clashing["item"],
        clashing["detail"],
        clashing["year"],
        clashing["village"],
        clashing["file"],
        strict=True,
    ):
        # The sources that give another amount than this cell's, a few of them.
        group = clash_group.eq(g)
        others = list(stated[group & clashing["amount_yuan"].sub(amount).abs().gt(0.005)])
        others = [*others[:4], f"and {len(others) - 4} more"] if len(others) > 5 else others
        files = set(clashing.loc[clash_group.eq(g), "file"])
        what = f"{labels.column(item)}{f' ({detail})' if isinstance(detail, str) else ''} {year} of {village}"
        where = f"within {file}" if files == {file} else "between sources"
        advice = "correct the wrong cell" if files == {file} else "correct the wrong file"
        reasons.append(f"{what} differs {where}: {'; '.join(others)}. Nothing was kept: {advice}")
    conflicts = pd.DataFrame({"problem": "conflict", "reason": reasons}, index=clashing.index)
    return figures.index.difference(repeats.index[conflict | exact], sort=False), duplicate_of, conflicts


def _check_prior(prior: pd.DataFrame, kept: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """上年数/年初数 figures against the figure the year's own report gave (kept, or rejected as a conflict):
    figure → the figure it repeats; figure → (problem, reason) of those that differ or have none to check."""
    if prior.empty:
        return pd.Series(dtype=object), pd.DataFrame(columns=["problem", "reason"])
    own = kept.assign(key=_keys(kept).to_flat_index(), place=_place(kept)).drop_duplicates("key").set_index("key")
    matched = own.reindex(_keys(prior).to_flat_index())
    matched.index = prior.index
    equal = (matched["amount_yuan"] - prior["amount_yuan"]).abs().le(0.005)
    found = matched["source"].notna()
    duplicate_of = matched.loc[found & equal, "place"]
    differs = prior.loc[found & ~equal]
    own_figure = matched.loc[found & ~equal]
    reasons = [
        f"this {labels.column(item)} of {year} ({_yuan(mine)}, a later report's 上年数/年初数) differs from "
        f"{year}'s own figure {_yuan(theirs)} in {place}: the year's own figure was kept; check which is "
        "right (a restated opening balance, or a typing error)"
        for item, year, mine, theirs, place in zip(
            differs["item"],
            differs["year"],
            differs["amount_yuan"],
            own_figure["amount_yuan"],
            own_figure["place"],
            strict=True,
        )
    ]
    rejects = pd.concat(
        [
            pd.DataFrame({"problem": "prior_year_differs", "reason": reasons}, index=differs.index),
            pd.DataFrame(
                {
                    "problem": "conflict",
                    "reason": "the year's own reports give different figures (see their "
                    "conflict rejects), so this 上年数/年初数 was not used either",
                },
                index=prior.index[~found],
            ),
        ]
    )
    return duplicate_of, rejects


def _reconcile_totals(entries: pd.DataFrame, cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check each written total against its parts from the same table, where every part is there and readable.

    A total whose table has no column or line for one of its parts, or a part it could not read, covers
    what the table does not show: it is kept as written. A total whose parts are all there and readable
    but add up to something else (by more than a yuan) is rejected, and its parts kept. Approximate
    amounts (40余万元) are not checked.
    """
    main = cells.loc[cells["detail"].isna() & cells["item"].notna()]
    group = ["file", "sheet", "table", "village_key", "year"]
    if main.empty:
        return entries, pd.DataFrame(columns=list(REJECT_COLUMNS))
    readable = main.loc[main["problem"].isna()]
    # A ledger's lines of one item add up; a statement's item written twice (本年收益 in 三、 and 四、) is one figure.
    lines = readable["line"].fillna(False).astype(bool)
    readable = pd.concat(
        [
            readable.loc[~lines].drop_duplicates([*group, "item"]),
            readable.loc[lines]
            .groupby([*group, "item"], as_index=False, dropna=False)
            .agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any")),
        ]
    )
    values = readable.pivot_table(index=group, columns="item", values="amount_yuan", aggfunc="first")
    approx = readable.pivot_table(index=group, columns="item", values="approx", aggfunc="any")
    unreadable = main.loc[main["problem"].notna()].pivot_table(
        index=group, columns="item", values="row", aggfunc="size"
    )
    unreadable = unreadable.reindex(index=values.index, columns=values.columns.union(unreadable.columns))
    years = values.index.get_level_values("year").to_numpy()

    def column(item: str) -> pd.Series:
        return values[item] if item in values else pd.Series(np.nan, index=values.index)

    def is_bad(item: str) -> pd.Series:
        bad = unreadable[item].notna() if item in unreadable else pd.Series(False, index=values.index)
        return bad | (approx[item].fillna(False).astype(bool) if item in approx else False)

    computed: dict[str, pd.Series] = {}

    def from_parts(total: str) -> pd.Series:
        """The total as its parts give it, where every part is there, readable and exact; else NaN."""
        if total in computed:
            return computed[total]
        result = pd.Series(np.nan, index=values.index)
        for system in sorted({year >= items.NEW_SYSTEM_FROM for year in years}):
            rows = (years >= items.NEW_SYSTEM_FROM) == system
            plus, minus = items.total_parts(total, items.NEW_SYSTEM_FROM if system else items.OLD_SYSTEM)
            sums = pd.Series(0.0, index=values.index)
            complete = pd.Series(True, index=values.index)
            for part, sign in [*((p, 1) for p in plus), *((p, -1) for p in minus)]:
                part_value = column(part)
                if part in items.MEASURES:
                    part_value = part_value.where(part_value.notna() & ~is_bad(part), from_parts(part))
                    complete &= part_value.notna()
                else:
                    complete &= part_value.notna() & ~is_bad(part)
                sums += sign * part_value.fillna(0)
            for part in items.OPTIONAL_PARTS.get(total, ()):
                complete &= ~is_bad(part)
                sums += column(part).fillna(0)
            result[rows] = sums.where(complete)[rows]
        computed[total] = result
        return result

    bad_keys = []
    for total in items.MEASURES:
        if total not in values:
            continue
        written = values[total].where(~is_bad(total))
        difference = written - from_parts(total)
        for key, diff in difference[difference.abs() > RECONCILE_TOLERANCE].items():
            bad_keys.append((*key, total, from_parts(total)[key], diff))
    if not bad_keys:
        return entries, pd.DataFrame(columns=list(REJECT_COLUMNS))
    bad = pd.DataFrame(bad_keys, columns=[*group, "item", "should_be", "difference"])
    flagged = (
        entries.reset_index()
        .merge(bad, on=[*group, "item"])
        .loc[lambda f: f["detail"].isna() & f["precedence"].ne("prior")]
    )
    reasons = [
        f"{labels.column(item)} is {_yuan(a)} but its parts in the same table add up to {_yuan(s)} "
        f"(difference {_yuan(d)}): the parts were kept; correct the total or the parts"
        for item, a, s, d in zip(
            flagged["item"], flagged["amount_yuan"], flagged["should_be"], flagged["difference"], strict=True
        )
    ]
    rejects = _as_rejects(flagged.assign(problem="total_mismatch", reason=reasons))
    return entries.drop(index=flagged["index"]), rejects


def annual_figures(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per village, year and item: the figure of the year. The lines of a ledger add up; an item whose
    figure is not given but whose sub-accounts are (a 三资 export listing 50101, 50102 without 501) is their sum.
    Details (其中 lines, sub-accounts under their parent) are not figures of their own."""
    key = ["village_key", "year", "item"]
    entries = actuals(entries)
    main = entries.loc[entries["detail"].isna()]
    parts = entries.loc[entries["adds_up"].astype(bool)] if "adds_up" in entries else entries.iloc[:0]
    if len(parts):
        given = pd.MultiIndex.from_frame(main[key].astype(object))
        parts = parts.loc[~pd.MultiIndex.from_frame(parts[key].astype(object)).isin(given)].assign(detail=None)
    figures = pd.concat([main, parts], ignore_index=True)
    if figures.empty:
        return figures
    totals = figures.groupby(key, sort=False).agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"))
    first = figures.drop_duplicates(key).set_index(key).drop(columns=["amount_yuan", "approx"])
    return first.join(totals).reset_index()


def to_accounts(entries: pd.DataFrame, *, doubtful: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pivot entries into one row per village and year, with derived measures.

    Totals the source did not write are derived from their parts (本年收入合计 = the income items and
    农业税附加返还收入, …, 本年收益 = income − expenses), but only where every part of the accounting system of
    the year is known and none was doubtful: a part that was rejected or in conflict, or a line of the
    village-year whose item is unknown, leaves the total missing rather than understated. A table of items
    as columns or lines that lacks one says nothing of it; a ledger of lines (a long 科目 table, a 三资
    export) lists what there was, so an item without a line was 0. Written totals
    are kept as written (they were checked against their parts where those are complete), and
    ``written_totals`` names them. operational_income (经营性收入) and operating_profit (经营收益) are derived
    the same way unless written. ``approx`` is True where any amount of the village-year was approximate.

    ``doubtful``: village_key, year, item (or None for a line of unknown item) and line (a ledger's line or not)
    of rejected cells.
    """
    identity = list(schemas.PLACE_COLUMNS)
    account_items = list(labels.ACCOUNT_ITEMS)
    columns = list(schemas.ACCOUNT_COLUMNS)
    entries = actuals(entries)
    if entries.empty:
        return pd.DataFrame(columns=columns)
    figures = annual_figures(entries)
    key = ["village_key", "year"] if "village_key" in figures else ["village", "year"]
    wanted = [
        *account_items,
        *labels.DERIVED_MEASURES,
        *items.OPTIONAL_PARTS["total_income"],
        *items.OPTIONAL_PARTS["total_expense"],
    ]
    wide = figures.pivot_table(index=key, columns="item", values="amount_yuan", aggfunc="first").reindex(
        columns=list(dict.fromkeys(wanted))
    )
    places = entries.groupby(key)[identity].first()
    approx = entries.groupby(key)["approx"].any()
    written = (
        figures.loc[figures["item"].isin(items.MEASURES)]
        .groupby(key)["item"]
        .agg(lambda found: ", ".join(sorted(set(found))))
    )
    accounts = places.join(wide).join(approx).join(written.rename("written_totals"))
    accounts["written_totals"] = accounts["written_totals"].fillna("")
    doubt = _doubts(accounts.index, doubtful)
    _unknown_where_a_line_is_missing(accounts, doubtful)
    # A ledger of lines (a long 科目 table, a 三资 export) lists what there was: an item with no line was 0.
    lines = entries.loc[entries["line"].fillna(False).astype(bool)] if "line" in entries else entries.iloc[:0]
    listed = (
        lines.groupby([*key, "item"], observed=True)
        .size()
        .unstack(fill_value=0)
        .gt(0)
        .reindex(index=accounts.index, columns=list(labels.ENTRY_ITEMS), fill_value=False)
    )
    # The accounting system of a village-year is that of the reports its figures come from.
    report_year = (
        pd.to_numeric(entries["report_year"]).groupby([entries[k] for k in key]).min()
        if "report_year" in entries
        else pd.Series(dtype="float64")
    ).reindex(accounts.index)
    system_year = report_year.fillna(pd.Series(accounts.index.get_level_values("year"), index=accounts.index))
    new_system = system_year.to_numpy(dtype="float64") >= items.NEW_SYSTEM_FROM
    for total in items.MEASURES:
        accounts[total] = accounts[total].fillna(
            _from_parts(accounts, total, doubt, listed=listed, new_system=new_system)
        )
    accounts = accounts.reset_index().drop(columns=["village_key"], errors="ignore")
    accounts["year"] = accounts["year"].astype("int64")
    return (
        accounts[columns]
        .sort_values(["county", "township", "village", "year"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )


def _unknown_where_a_line_is_missing(accounts: pd.DataFrame, doubtful: pd.DataFrame | None) -> None:
    """An item of a ledger of lines whose line could not be read (or was in conflict) is unknown: the lines that
    were read would understate it."""
    if doubtful is None or "line" not in doubtful:
        return
    broken = doubtful.loc[doubtful["line"].fillna(False).astype(bool) & doubtful["item"].notna()]
    for item, rows in broken.groupby("item"):
        if item in accounts:
            accounts.loc[
                accounts.index.isin(pd.MultiIndex.from_frame(rows[["village_key", "year"]].astype(object))), item
            ] = np.nan


def _doubts(index: pd.Index, doubtful: pd.DataFrame | None) -> pd.DataFrame:
    """For each village-year of ``index``, which items are doubtful (True), and "any" for a line of unknown item."""
    frame = pd.DataFrame(False, index=index, columns=[*labels.ENTRY_ITEMS, "any"])
    if doubtful is None or doubtful.empty:
        return frame
    found = doubtful.assign(item=doubtful["item"].fillna("any")).drop_duplicates()
    found = found.loc[found["item"].isin(frame.columns)]
    for item, rows in found.groupby("item"):
        at = pd.MultiIndex.from_frame(rows[["village_key", "year"]].astype(object))
        frame.loc[index.isin(at), item] = True
    return frame


def _from_parts(
    accounts: pd.DataFrame, total: str, doubt: pd.DataFrame, *, listed: pd.DataFrame, new_system: np.ndarray
) -> pd.Series:
    """A total as its parts give it (the parts of the accounting system of each village-year), where all are
    known and none is doubtful; parts that are totals themselves are taken as written or derived before. In a
    ledger of lines, a part without a line is 0 where the ledger lists lines of that side of the total (an
    income line says the missing income items were 0; it says nothing of the expenses)."""
    result = pd.Series(np.nan, index=accounts.index)
    for system in (False, True):
        rows = new_system == system
        plus, minus = items.total_parts(total, items.NEW_SYSTEM_FROM if system else items.OLD_SYSTEM)
        known = pd.Series(True, index=accounts.index) & ~doubt["any"]
        value = pd.Series(0.0, index=accounts.index)
        for side, sign in ((plus, 1), (minus, -1)):
            sided = listed[[p for p in side if p not in items.MEASURES]].any(axis=1)
            for part in side:
                zero = sided & (part not in items.MEASURES)
                known &= (accounts[part].notna() | zero) & ~doubt.get(part, False)
                value += sign * accounts[part].fillna(0)
        for part in items.OPTIONAL_PARTS.get(total, ()):
            known &= ~doubt.get(part, False)
            value += accounts[part].fillna(0)
        result[rows] = value.where(known)[rows]
    return result


def _as_rejects(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return pd.DataFrame(columns=list(REJECT_COLUMNS))
    return pd.DataFrame(
        {
            "source": cells["source"].to_numpy(),
            "cell": cells["cell"].to_numpy(),
            "column": cells["column"].to_numpy(),
            "value": cells["value"].map(_as_text).to_numpy(),
            "problem": cells["problem"].to_numpy(),
            "reason": cells["reason"].to_numpy(),
        }
    )


def _with_written_text(entries: pd.DataFrame) -> pd.DataFrame:
    """``written``: the cell's text where the ledger wrote the amount as text (``40余万元``, ``（4.2）``), else NA."""
    values = entries["value"].astype(object)
    is_text = np.equal(values.map(type).to_numpy(), str)
    return entries.assign(written=values.where(is_text).astype("str"))


def _as_text(value) -> str:
    if isinstance(value, float):
        return format(value, ".15g")
    return "" if value is None else str(value)


def _yuan(amount: float) -> str:
    return f"{amount:,.2f} 元"
