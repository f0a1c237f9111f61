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

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from villagecon import schemas
from villagecon.errors import VillageconError
from villagecon.ingest import CELL_COLUMNS, COLUMN_COLUMNS, ROW_KINDS, SYNONYMS_FILE, TABLE_COLUMNS, Vocabulary
from villagecon.ingest.columnar import joined_text, stamped_frame
from villagecon.ingest.files import ReadLimits, find_files
from villagecon.ingest.ledger_accounts import annual_figures, to_accounts
from villagecon.ingest.ledger_columns import (
    ENTRY_COLUMNS,
    HIDDEN,
    NOT_A_LEDGER,
    PART_YEAR_COLUMNS,
    READ,
    REJECT_COLUMNS,
    REPEATED_COLUMNS,
    SHEET_COLUMNS,
    SKIPPED_COLUMNS,
    SUBTOTAL_COLUMNS,
    UNREADABLE,
    as_rejects,
    in_sheet_order,
    rows_in,
    text_in,
)
from villagecon.ingest.ledger_reading import (
    file_name,
    match_cell_villages,
    parse_cells,
    read_files,
    reject_negative_balances,
    skipped_sheet,
    vocabulary_for,
)
from villagecon.ingest.ledger_repeats import part_years, repeated_lines, resolve_repeat_rows
from villagecon.ingest.ledger_totals import (
    TOTAL_ENTRY_COLUMNS,
    mismatched_totals,
    reconcile_subtotals,
    reconcile_summaries,
    total_mismatches,
)
from villagecon.ingest.register import register_table
from villagecon.ingest.sheet import COVERAGE_COLUMNS, ROW_COLUMNS, ROW_DTYPES
from villagecon.parse.amounts import unit_factor
from villagecon.vocab.names import village_keys
from villagecon.vocab.periods import ACTUAL_KINDS, BUDGET, PART_YEAR

# The column lists and statuses, and to_accounts, are also named here, where callers before 0.2 found them.
__all__ = [
    "ENTRY_COLUMNS",
    "HIDDEN",
    "NOT_A_LEDGER",
    "PART_YEAR_COLUMNS",
    "READ",
    "REJECT_COLUMNS",
    "REPEATED_COLUMNS",
    "SHEET_COLUMNS",
    "SKIPPED_COLUMNS",
    "SUBTOTAL_COLUMNS",
    "UNREADABLE",
    "Ledger",
    "annual_figures",
    "read_ledger",
    "to_accounts",
]

log = logging.getLogger(__name__)


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
    hashes: Mapping[Path, str] | None = None,
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
    hashes : mapping of Path to str, optional
        The sha256 of files hashed already (:func:`villagecon.ingest.processed.file_hashes`), keyed by the paths
        :func:`villagecon.ingest.files.find_files` gives: ``Ledger.files`` takes them instead of reading each
        file a second time to hash it.

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
    vocabulary = vocabulary_for(root, synonyms)
    known = register_table(register)
    if known is not None:
        # The register's names and aliases are village names wherever a header writes one (上河 across).
        names = [
            *known["village"],
            *(a for aliases in known["aliases"] for a in str(aliases).split("|") if a),
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

    read = read_files(
        files,
        root,
        jobs=jobs,
        progress=progress,
        unit=unit,
        encoding=encoding,
        limits=limits,
        include_hidden=include_hidden,
        vocabulary=vocabulary,
        hashes=hashes or {},
    )
    # Every file under the folder is accounted for: the ones not read are named with the reason.
    for file, reason in not_read:
        status = UNREADABLE if file.is_symlink() or file.is_dir() else NOT_A_LEDGER
        name = file_name(file.relative_to(root).as_posix())
        read.skipped.append(
            skipped_sheet(
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

    rows = stamped_frame(read.rows, [*ROW_COLUMNS, "file", "sheet"], dtypes=ROW_DTYPES)
    rows.insert(0, "source", joined_text([rows["file"], rows["sheet"], rows["row"]], "!"))
    rows = rows[["file", "sheet", "row", "source", "kind", "note"]]
    # Columns even when no sheet held a cell (every file skipped, or an empty CSV): nothing downstream guesses.
    cells = parse_cells(
        stamped_frame(read.cells, [*CELL_COLUMNS, "table", "file", "sheet", "file_order", "sheet_order"])
    )
    # The data cells, without what only reading them needed (their unit, red ink, kind of row, summary).
    data_cells = cells.loc[cells["row_kind"].eq("data").to_numpy(), [c for c in cells if c not in _READ_ONLY]]
    subtotals, subtotal_rejects = reconcile_subtotals(
        cells, stamped_frame(read.coverage, [*COVERAGE_COLUMNS, "file", "sheet"])
    )
    data_cells = match_cell_villages(data_cells, known)
    data_cells = reject_negative_balances(data_cells)
    # Budgets and part-year figures are kept as written; only a year's actuals are figures of the accounts.
    actual = data_cells["kind"].isin(ACTUAL_KINDS).to_numpy()
    readable = data_cells["problem"].isna().to_numpy()
    # The entries kept as positions in data_cells: the cells are taken once, in the end, not at every step.
    kept, duplicates, conflict_rejects = resolve_repeat_rows(data_cells, np.flatnonzero(actual & readable))
    mismatched = mismatched_totals(data_cells, actual)
    total_rejects = pd.DataFrame(columns=list(REJECT_COLUMNS))
    if len(mismatched):
        flagged, total_rejects = total_mismatches(data_cells.loc[:, list(TOTAL_ENTRY_COLUMNS)].take(kept), mismatched)
        kept = kept[~data_cells.index[kept].isin(flagged)]
    # A 上年数 that differs from the year's own figure leaves that figure standing: it is no doubt about it.
    restated = conflict_rejects.loc[conflict_rejects["problem"].eq("prior_year_differs"), ["source", "cell"]]
    # Doubtful: the actual cells not placed. A kept cell is placed; any other is looked up among the placed cells
    # of its sources only (a cell written twice is placed if either is).
    unkept = np.flatnonzero(actual & ~np.isin(np.arange(len(data_cells)), kept))
    others = data_cells[["source", "cell"]].take(unkept)
    near = kept[text_in(data_cells["source"], others["source"])[kept]]
    placed = pd.concat([data_cells[["source", "cell"]].take(near), duplicates[["source", "cell"]], restated])
    doubtful = data_cells[["village_key", "year", "item", "line"]].take(unkept[~rows_in(others, placed)])
    # The kept actuals (in sheet order) and the other readable cells, in the order of the sheets (stable).
    chosen = np.concatenate([kept, np.flatnonzero(~actual & readable)])
    kept_columns = [c for c in data_cells if c in _ENTRY_NEEDS]
    entries = data_cells[kept_columns].take(in_sheet_order(data_cells, chosen))
    summaries, summary_rejects = reconcile_summaries(cells, entries, known)
    rejects = pd.concat(
        [
            as_rejects(data_cells.loc[~readable, ["source", "cell", "column", "value", "problem", "reason"]]),
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
        repeated_lines=repeated_lines(entries),
        part_years=part_years(entries),
        files=pd.DataFrame(read.files, columns=["file", "sha256", "bytes", "sheets", "layouts"]),
        skipped=schemas.validate_skipped(pd.DataFrame(read.skipped, columns=list(SKIPPED_COLUMNS))),
        columns=pd.DataFrame(read.columns, columns=["file", "sheet", *COLUMN_COLUMNS]),
        tables=pd.DataFrame(read.tables, columns=["file", "sheet", *TABLE_COLUMNS]),
        sheets=pd.DataFrame(read.sheets, columns=list(SHEET_COLUMNS)),
        _data_cells=len(data_cells),
    )
    for file, sheet, state, reason, _ in ledger.skipped.itertuples(index=False):
        log.info("skipped %s!%s (%s): %s", file, sheet, state, reason)
    return ledger


# What only parsing a cell needed, not the steps after it.
_READ_ONLY = frozenset({"unit", "red_ink", "row_kind", "summary"})
# What the steps after choosing the entries read of them: their columns (ENTRY_COLUMNS, the value a written one is
# from) and what the accounts, the summaries, the repeated lines and the part years need.
_ENTRY_NEEDS = frozenset(
    {*ENTRY_COLUMNS, "value", "village_key", "adds_up", "line", "report_year", "same_as", "file", "sheet"}
)


def _with_written_text(entries: pd.DataFrame) -> pd.DataFrame:
    """``written``: the cell's text where the ledger wrote the amount as text (``40余万元``, ``（4.2）``), else NA."""
    values = entries["value"].to_numpy(dtype=object)
    is_text = np.array([type(value) is str for value in values], dtype=bool)
    # Arrow text made from the texts at once, the other cells missing: ``values.where(is_text).astype("str")``.
    texts = values.copy()
    texts[~is_text] = None
    written = pa.array(texts, type=pa.large_string(), from_pandas=True)
    return entries.assign(written=pd.Series(pd.array(written, dtype="str"), index=entries.index))
