"""Read one sheet: its tables, every row's kind, every amount cell with its meaning, and how it was understood.

:func:`read_sheet` runs the reader's steps in order — cells (:mod:`.cells`), tables and columns
(:mod:`.headers`), context (:mod:`.context`), rows (:mod:`.rows`), cells of amounts (:mod:`.extract`) — and
returns a :class:`SheetReading`. A sheet that holds no ledger is a reading with ``skipped`` set; a sheet
holding numbers the reader cannot place raises, and the caller decides whether that stops anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from villagecon.errors import HeaderNotFoundError, UnitError
from villagecon.ingest.cells import SheetCells, contains, sheet_cells
from villagecon.ingest.columnar import Columns, column_count, concat_columns, no_columns, stamped_frame
from villagecon.ingest.context import Context, preamble_kinds, sheet_context
from villagecon.ingest.extract import CELL_COLUMNS, table_cells
from villagecon.ingest.files import RawSheet, cell_ref, column_index
from villagecon.ingest.headers import LEFT_OUT, SUBTOTAL, VALUE, NotALedger, Table, apply_layout, find_tables
from villagecon.ingest.layout_file import SheetLayout
from villagecon.ingest.rows import read_rows
from villagecon.ingest.words import DEFAULT_VOCABULARY, FOOTER_PATTERN, Vocabulary
from villagecon.parse.amounts import parse_amounts, unit_from_text
from villagecon.vocab import synonyms as syn
from villagecon.vocab.synonyms import PRIOR

ROW_KINDS = ("title", "unit", "header", "numbering", "blank", "data", "subtotal", "note", "other")
# When side-by-side tables give one row different kinds, the row is the first of these it is in any table.
_KIND_ORDER = ("data", "subtotal", "other", "header", "numbering", "title", "unit", "note", "blank")
COLUMN_COLUMNS = ("table", "column", "header", "meaning", "role", "item", "village", "period", "year", "unit", "reason")
# How each table was understood: where it lies, its orientation, and where its year, unit and places come from.
TABLE_COLUMNS = (
    "table",
    "header_first",
    "header_last",
    "body_first",
    "body_last",
    "orientation",
    "year",
    "year_source",
    "year_problem",
    "unit",
    "unit_source",
    "county",
    "county_source",
    "township",
    "township_source",
    "village",
    "village_source",
    "months",
    "months_source",
    "budget",
    "summary",
    "notes",
)
_INSTRUCTIONS = re.compile(r"填表说明|说明|目录|封面|instructions?|readme", re.IGNORECASE)


ROW_COLUMNS = ("row", "kind", "note")
# A row's kind is text, its note text or None (pandas would make the notes str, with NaN for None).
ROW_DTYPES = {"note": object}
COVERAGE_COLUMNS = ("subtotal_row", "row", "table")


@dataclass
class SheetReading:
    """What :func:`read_sheet` found in one sheet.

    It is held as columns of arrays and records (:mod:`.columnar`), which :func:`read_ledger` puts together for
    all sheets at once; the properties ``rows``, ``cells``, ``coverage``, ``columns`` and ``tables`` show one
    sheet's as DataFrames.
    """

    row_columns: Columns  # ROW_COLUMNS
    cell_columns: Columns = field(default_factory=lambda: no_columns([*CELL_COLUMNS, "table"]))
    coverage_columns: Columns = field(default_factory=lambda: no_columns(COVERAGE_COLUMNS))
    column_records: list[dict] = field(default_factory=list)  # COLUMN_COLUMNS
    table_records: list[dict] = field(default_factory=list)  # TABLE_COLUMNS
    skipped: str | None = None  # why the sheet is not read
    skip_status: str = "not_a_ledger"  # not_a_ledger, or unreadable
    layout: str = ""  # the tables' orientations, in a few words

    @property
    def rows(self) -> pd.DataFrame:
        """Every row of the sheet: row, kind (:data:`ROW_KINDS`), note."""
        return stamped_frame([(self.row_columns, {})], list(ROW_COLUMNS), dtypes=ROW_DTYPES)

    @property
    def cells(self) -> pd.DataFrame:
        """Every amount cell read: CELL_COLUMNS and the table it is in."""
        return stamped_frame([(self.cell_columns, {})], [*CELL_COLUMNS, "table"])

    @property
    def coverage(self) -> pd.DataFrame:
        """Which data rows each subtotal row of each table sums."""
        return stamped_frame([(self.coverage_columns, {})], list(COVERAGE_COLUMNS))

    @property
    def columns(self) -> pd.DataFrame:
        """How each column of each table was understood: COLUMN_COLUMNS."""
        return pd.DataFrame(self.column_records, columns=list(COLUMN_COLUMNS))

    @property
    def tables(self) -> pd.DataFrame:
        """How each table was understood: TABLE_COLUMNS."""
        return pd.DataFrame(self.table_records, columns=list(TABLE_COLUMNS))


def read_sheet(
    sheet: RawSheet,
    *,
    unit: str | None = None,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
    layout: SheetLayout | None = None,
    cells: SheetCells | None = None,
) -> SheetReading:
    """Find the tables of ``sheet`` and read every row and amount cell.

    Parameters
    ----------
    sheet : RawSheet
        From :func:`villagecon.ingest.files.read_sheets`.
    unit : str, optional
        Unit of bare numbers where neither the cell, the column header, the row nor the sheet says.
    vocabulary : Vocabulary
        The synonym tables, with a user's additions (:func:`villagecon.ingest.words.read_synonyms`).
    layout : SheetLayout, optional
        What a layout file beside the ledger says of this sheet (:mod:`villagecon.ingest.layout_file`).
    cells : SheetCells, optional
        The sheet's views, when they were built with its workbook's (:func:`villagecon.ingest.cells.sheets_cells`).

    Raises
    ------
    HeaderNotFoundError
        The sheet holds amounts but no table header.
    UnitError
        A bare number with no unit in its cell, column, row, sheet or ``unit``.
    """
    layout = layout or SheetLayout()
    cells = cells or sheet_cells(sheet)
    if layout.skip:
        return _not_a_ledger(cells, "the layout file says to skip this sheet", check_numbers=False)
    _check_layout(cells, layout)
    found = find_tables(cells, vocabulary, header_rows=layout.header_rows)
    if isinstance(found, NotALedger):
        return _not_a_ledger(cells, found.reason)
    formulas = set(sheet.uncached_formulas)
    # Each row's kind as its rank in _KIND_ORDER: side-by-side tables give a row the first kind either gives it.
    rank = np.full(len(cells.rows), _KIND_ORDER.index("blank"))
    position = cells.row_position

    def assign(rows, kinds) -> None:
        at = np.array([position[row] for row in rows], dtype=np.int64)
        ranks = (
            np.array([_KIND_ORDER.index(k) for k in kinds])
            if not isinstance(kinds, str)
            else np.full(len(at), _KIND_ORDER.index(kinds))
        )
        rank[at] = np.minimum(rank[at], ranks)

    notes: dict[int, list[str]] = {}
    amount_cells: list[Columns] = []
    coverage: list[Columns] = []
    columns: list[dict] = []
    readings: list[dict] = []
    first_context: Context | None = None
    for table in found:
        if layout.village_column or layout.columns:
            apply_layout(table, village_column=layout.village_column, columns=dict(layout.columns))
        context = sheet_context(cells, table.preamble, file=sheet.file, sheet=sheet.sheet, unit=unit)
        context = _inherit(context, first_context)
        if layout.unit:
            context.unit, context.unit_source = layout.unit, "the layout file"
        if layout.year:
            context.year, context.year_source, context.year_problem = layout.year, "the layout file", None
        first_context = first_context or context
        rows = read_rows(cells, table, vocabulary, formulas=formulas)
        if context.unit is None:
            # The unit said only in a note under the table (注：本表金额单位为万元).
            notes_below = [t for row in rows.body[rows.kind_values == "note"] for t in cells.row_text(row) if t]
            if noted := next(filter(None, map(unit_from_text, notes_below)), None):
                context.unit, context.unit_source = noted, "the note under the table"
        stated = {c.unit for c in table.of_role(VALUE) if c.unit}
        if context.unit is None and len(stated) == 1 and table.first(syn.UNIT_COLUMN) is None:
            # 本月发生额 | 本年累计（元）: one unit written over one of a table's amount columns is the table's.
            context.unit, context.unit_source = stated.pop(), "the other amount columns' headers"
        _note_years(table, context)
        preamble = _preamble(cells, table)
        assign(preamble.keys(), list(preamble.values()))
        assign(table.header_rows, "header")
        assign(table.numbering_rows, "numbering")
        kind_codes, kind_names = pd.factorize(rows.kind_values)
        rank_of = np.array([_KIND_ORDER.index(k) for k in kind_names], dtype=int)
        at = cells.row_positions(rows.body)
        rank[at] = np.minimum(rank[at], rank_of[kind_codes]) if len(at) else rank[at]
        header_row = table.header_rows[0]
        for note in (*context.notes, *table.notes):
            notes.setdefault(header_row, []).append(note)
        for row, note in rows.notes.items():
            notes.setdefault(row, []).append(note)
        amounts = table_cells(cells, table, rows, context, formulas=formulas)
        amounts["table"] = np.full(column_count(amounts), table.number, dtype=np.int64)
        amount_cells.append(amounts)
        sums = [rows.pairs]
        if table.of_role(SUBTOTAL):
            # A 合计 column sums the villages across its own row.
            data_rows = rows.body[rows.kind_values == "data"].to_numpy(dtype=np.int64)
            sums.append((data_rows, data_rows))
        coverage.extend(
            {"subtotal_row": subtotal_rows, "row": summed, "table": np.full(len(summed), table.number, dtype=np.int64)}
            for subtotal_rows, summed in sums
        )
        columns.extend(_columns(table, context))
        summaries = pd.unique(amounts["summary"][pd.notna(amounts["summary"])])
        readings.append(
            {
                "table": table.number,
                "header_first": table.header_rows[0],
                "header_last": table.header_rows[-1],
                "body_first": int(table.body[0]) if len(table.body) else None,
                "body_last": int(table.body[-1]) if len(table.body) else None,
                "orientation": rows.orientation,
                **{name: getattr(context, name) for name in TABLE_COLUMNS if hasattr(context, name)},
                "months": None if context.months is None else "{}-{}".format(*context.months),
                "summary": "; ".join(summaries) or None,
                "notes": "; ".join([*context.notes, *table.notes]) or None,
            }
        )
    kinds = np.array(_KIND_ORDER, dtype=object)[rank]
    all_cells = concat_columns(amount_cells, [*CELL_COLUMNS, "table"])
    _check_units(sheet, all_cells)
    row_notes = np.full(len(cells.rows), None, dtype=object)
    for row, said in notes.items():
        row_notes[position[row]] = "; ".join(said)
    orientations = "; ".join(dict.fromkeys(r["orientation"] for r in readings))
    return SheetReading(
        row_columns={"row": cells.rows.to_numpy(dtype=np.int64), "kind": kinds, "note": row_notes},
        cell_columns=all_cells,
        coverage_columns=_distinct(concat_columns(coverage, COVERAGE_COLUMNS)),
        column_records=columns,
        table_records=readings,
        layout=orientations,
    )


def _distinct(coverage: Columns) -> Columns:
    """Each (subtotal row, row, table) once, in the order first met."""
    if column_count(coverage) < 2:
        return coverage
    stacked = np.stack([coverage[name] for name in COVERAGE_COLUMNS], axis=1)
    _, first = np.unique(stacked, axis=0, return_index=True)
    keep = np.sort(first)
    return {name: values[keep] for name, values in coverage.items()}


def _check_layout(cells: SheetCells, layout: SheetLayout) -> None:
    """A layout file's rows and columns must lie within the sheet."""
    last_row, width = (int(cells.rows[-1]) if len(cells.rows) else 0), len(cells.columns)
    if layout.header_rows and (missing := [r for r in layout.header_rows if r not in cells.rows]):
        raise HeaderNotFoundError(
            f"the layout file {layout.said_in or ''} says header_rows = {list(layout.header_rows)}, but the sheet "
            f"has no row {missing[0]} (its last row is {last_row})",
            where=cells.sheet.where(),
            hint="Correct header_rows in the layout file",
        )
    keys = {
        **({"village_column": layout.village_column} if layout.village_column else {}),
        **{f"columns.{letter}": letter for letter in layout.columns},
    }
    if outside := [key for key, letter in keys.items() if column_index(letter) >= width]:
        raise HeaderNotFoundError(
            f"the layout file {layout.said_in or ''} names column {keys[outside[0]]} ({outside[0]}), but the "
            f"sheet's last column is {cell_ref(None, width - 1) if width else 'none'}",
            where=cells.sheet.where(),
            hint=f"Correct {outside[0]} in the layout file",
        )


def _inherit(context: Context, first: Context | None) -> Context:
    """A later table of a sheet takes what its own title does not say from the sheet's first table."""
    if first is None:
        return context
    for name in (
        "year",
        "year_source",
        "unit",
        "unit_source",
        "county",
        "county_source",
        "township",
        "township_source",
        "village",
        "village_source",
        "months",
        "months_source",
        "budget",
    ):
        if getattr(context, name) is None:
            setattr(context, name, getattr(first, name))
    if context.year is not None:
        context.year_problem = None
    return context


def _note_years(table: Table, context: Context) -> None:
    """A title's year that none of the year columns has is worth a note: the columns' years are used."""
    years = {c.year for c in table.columns.values() if c.role == VALUE and c.year is not None}
    if years and context.year is not None and context.year not in years:
        shown = ", ".join(map(str, sorted(years)))
        table.notes.append(
            f"{context.year_source} says {context.year}, the columns say {shown}: the columns' years are used"
        )


def _preamble(cells: SheetCells, table: Table) -> dict[int, str]:
    kinds = preamble_kinds(cells, table.preamble)
    for row in table.preamble:
        if any(re.search(FOOTER_PATTERN, t) for t in cells.row_text(row) if t) and kinds[row] != "unit":
            kinds[row] = "note"
    return kinds


def _columns(table: Table, context: Context) -> list[dict]:
    def year(column) -> int | None:
        if column.year is not None or column.period is None or context.year is None:
            return column.year
        return context.year - (column.period == PRIOR)

    return [
        {
            "table": table.number,
            "column": cell_ref(None, c.col),
            "header": c.header,
            "meaning": c.meaning(),
            "role": c.role,
            "item": c.item,
            "village": c.village,
            "period": c.period,
            "year": year(c),
            "unit": c.unit or (context.unit if c.role in (VALUE, SUBTOTAL) else None),
            "reason": c.reason,
        }
        for c in table.columns.values()
    ]


def _check_units(sheet: RawSheet, cells: Columns) -> None:
    """A bare number with no unit anywhere cannot be read: say which cell, and where a unit may be written."""
    todo = np.flatnonzero(pd.isna(cells["problem"]) & pd.isna(cells["unit"]))
    if not len(todo):
        return
    parsed = parse_amounts(pd.Series(cells["value"][todo]), unit=None)
    no_unit = parsed["error"].str.startswith("no unit", na=False).to_numpy()
    if no_unit.any():
        first = todo[int(np.argmax(no_unit))]
        raise UnitError(
            f"{cells['value'][first]!r} is a bare number and no unit is given anywhere",
            where=sheet.where(int(cells["row"][first]), int(cells["col"][first])),
            hint="Add a row '单位：万元' (or 元) above the header, write the unit in the column header "
            "(金额（万元）), or pass unit='万元' / --unit 万元",
        )


def _note_rows(cells: SheetCells) -> Columns:
    """Every row of a sheet not read as a ledger: blank or note."""
    blank = ~(cells.values != "").any(axis=1)
    return {
        "row": cells.rows.to_numpy(dtype=np.int64),
        "kind": np.where(blank, "blank", "note").astype(object),
        "note": np.full(len(blank), None, dtype=object),
    }


def _not_a_ledger(cells: SheetCells, reason: str, *, check_numbers: bool = True) -> SheetReading:
    text = cells.text
    filled = text != ""
    rows = _note_rows(cells)
    name = cells.sheet.sheet
    if _INSTRUCTIONS.search(name or ""):
        return SheetReading(row_columns=rows, skipped=f"instructions ({name}), not a table of amounts")
    if reason.startswith(("a roster", "the village register")) or not check_numbers:
        return SheetReading(row_columns=rows, skipped=reason)
    if reason.startswith("a trial balance"):
        return SheetReading(row_columns=rows, skipped=reason, skip_status="unreadable")
    # Numbers without a header cannot be placed: an error, not a skip (a ledger whose header is unknown).
    numbers = (
        cells.amount
        & filled
        & ~pd.DataFrame({c: contains(text[c], r"^(?:19[4-9]\d|20\d\d)$") for c in text.columns}, index=text.index)
    )
    if numbers.to_numpy().any():
        flat = int(np.flatnonzero(numbers.to_numpy().ravel())[0])
        row, col = cells.rows[flat // numbers.shape[1]], cells.columns[flat % numbers.shape[1]]
        raise HeaderNotFoundError(
            f"no ledger header found in the first {40} rows, but the sheet holds numbers",
            where=cells.sheet.where(row, col),
            hint="The header row needs a village column (村名) with line items (经营收入, …), or 科目 and "
            "金额 columns, or 项目 with year columns (2022年); or write a layout file beside the ledger "
            "(villagecon inspect FILE --write-layout) that says where the header is",
        )
    if not filled.to_numpy().any():
        return SheetReading(row_columns=rows, skipped="the sheet is empty")
    return SheetReading(row_columns=rows, skipped="text only: no table header and no amounts")


__all__ = [
    "CELL_COLUMNS",
    "COLUMN_COLUMNS",
    "COVERAGE_COLUMNS",
    "LEFT_OUT",
    "ROW_COLUMNS",
    "ROW_DTYPES",
    "ROW_KINDS",
    "TABLE_COLUMNS",
    "SheetReading",
    "read_sheet",
]
