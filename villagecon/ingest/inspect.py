"""``villagecon inspect``: how every sheet of a ledger file (or of every file in a folder) was understood.

The first thing to run on a new file. For each sheet it says whether it was read and, when not, why (hidden,
not a ledger, or the error that stopped it); for each table of a sheet: its header and body rows, its
orientation, where the village, year, unit and places of its amounts come from, what each column was taken to
be, the kinds of its rows, and the first cells rejected. Plain text, deterministic, Chinese as written.

Everything comes from one :func:`villagecon.ingest.ledger.read_ledger` (its ``tables``, ``columns``, ``rows``,
``skipped`` and ``rejects``): :func:`understand` reads, :func:`render` prints, :func:`inspect_path` does both,
and :func:`write_layouts` writes a layout file beside each ledger (:mod:`villagecon.ingest.layout_writer`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pandas as pd

from villagecon.ingest.files import ReadLimits
from villagecon.ingest.headers import SUBTOTAL, UNKNOWN, VALUE
from villagecon.ingest.layout_file import layout_path
from villagecon.ingest.layout_writer import (
    READ,
    display_width,
    grouped,
    records,
    sheets_of,
    states_year,
    write_layout,
)
from villagecon.ingest.ledger import HIDDEN, NOT_A_LEDGER, UNREADABLE, Ledger, read_ledger
from villagecon.ingest.sheet import ROW_KINDS
from villagecon.ingest.words import DEFAULT_VOCABULARY, SYNONYMS_FILE, Vocabulary, read_synonyms
from villagecon.vocab import synonyms as syn

# How many rejects of a sheet are shown, and how long a shown text may be.
MAX_REJECTS = 5
_REASON_LENGTH = 110
_HEADER_WIDTH = 24
# Row kinds whose row numbers are listed.
_LISTED_KINDS = ("title", "subtotal", "note", "other")
_MAX_LISTED = 24
_STATUS_WORDS = {READ: "read", NOT_A_LEDGER: "not a ledger", HIDDEN: "hidden", UNREADABLE: "unreadable"}


@dataclass
class Inspection:
    """What :func:`~villagecon.ingest.ledger.read_ledger` found under a path, with the register and synonyms it used."""

    path: Path
    ledger: Ledger
    register: Path | None = None
    vocabulary: Vocabulary = field(default_factory=lambda: DEFAULT_VOCABULARY)

    def file_path(self, name: str) -> Path:
        """The file ``ledger`` names ``name``."""
        return self.path if self.path.is_file() else self.path / name


def understand(
    path: Path | str,
    *,
    unit: str | None = None,
    register: Path | str | None = None,
    synonyms: Path | str | None = None,
    include_hidden: bool = False,
    limits: ReadLimits | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    outside_links: bool = False,
) -> Inspection:
    """Read the ledger file(s) at ``path`` with :func:`~villagecon.ingest.ledger.read_ledger` (same parameters), once.

    Raises
    ------
    VillageconError
        What read_ledger raises: a bad ``unit``, a malformed synonyms or layout file, no ledger files under
        ``path``, a single file that cannot be read, or no sheet read at all.
    """
    root = Path(path)
    ledger = read_ledger(
        root,
        register=register,
        unit=unit,
        encoding=encoding,
        progress=progress,
        limits=limits,
        include_hidden=include_hidden,
        synonyms=synonyms,
        outside_links=outside_links,
    )
    beside = root / SYNONYMS_FILE if root.is_dir() else root.parent / SYNONYMS_FILE
    vocabulary = (
        read_synonyms(synonyms)
        if synonyms is not None
        else read_synonyms(beside)
        if beside.is_file()
        else DEFAULT_VOCABULARY
    )
    return Inspection(root, ledger, Path(register) if register is not None else None, vocabulary)


def inspect_path(
    path: Path | str,
    *,
    unit: str | None = None,
    register: Path | str | None = None,
    synonyms: Path | str | None = None,
    include_hidden: bool = False,
    limits: ReadLimits | None = None,
    encoding: str | None = None,
) -> str:
    """How every sheet of the ledger file(s) at ``path`` was understood, as plain text for a terminal.

    Parameters are those of :func:`villagecon.ingest.ledger.read_ledger`.

    Examples
    --------
    ::

        print(inspect_path("data/raw/汝城县", register="data/raw/register.csv"))
    """
    return render(
        understand(
            path,
            unit=unit,
            register=register,
            synonyms=synonyms,
            include_hidden=include_hidden,
            limits=limits,
            encoding=encoding,
        )
    )


def write_layouts(inspection: Inspection, *, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Write a layout file beside each ledger file inspected (a sheet read or not understood; not beside rosters,
    registers, damaged files). Returns the layout files written and those kept because they exist (``force``
    replaces them)."""
    written, kept = [], []
    opened = set(inspection.ledger.files["file"])
    for name, sheets in sheets_of(inspection.ledger).groupby("file", sort=False):
        if name not in opened or not sheets["status"].isin([READ, UNREADABLE]).any():
            continue
        file = cast("str", name)  # the file column holds file names
        path = inspection.file_path(file)
        if layout_path(path).exists() and not force:
            kept.append(layout_path(path))
        else:
            written.append(write_layout(path, inspection.ledger, file=file, force=force))
    return written, kept


# --- Rendering ------------------------------------------------------------------------------------------------


def render(inspection: Inspection, *, max_rejects: int = MAX_REJECTS) -> str:
    """The text :func:`inspect_path` prints."""
    ledger, vocabulary = inspection.ledger, inspection.vocabulary
    sheets = sheets_of(ledger)
    found = _Found(
        tables=grouped(records(ledger.tables), "file", "sheet"),
        columns=grouped(records(ledger.columns), "file", "sheet", "table"),
        rows=grouped(records(ledger.rows[["file", "sheet", "row", "kind", "note"]]), "file", "sheet"),
        rejects=_rejects_by_sheet(ledger.rejects),
        max_rejects=max_rejects,
    )
    lines = [f"villagecon inspect {inspection.path}"]
    if inspection.register is not None:
        lines.append(f"register: {inspection.register}")
    if vocabulary.source:
        lines.append(
            f"synonyms: {vocabulary.source} ({len(vocabulary.items)} item and {len(vocabulary.roles)} "
            "role spellings added)"
        )
    opened = set(ledger.files["file"])
    for name, file_sheets in sheets.groupby("file", sort=False):
        if name not in opened:
            lines += ["", f"== {name}", f"   not read: {file_sheets['reason'].iloc[0]}"]
            continue
        counts = file_sheets["status"].value_counts()
        described = ", ".join(f"{counts[s]} {w}" for s, w in _STATUS_WORDS.items() if counts.get(s, 0))
        lines += ["", f"== {name}  ({_count(len(file_sheets), 'sheet')}: {described or 'none'})"]
        if (layout := layout_path(inspection.file_path(cast("str", name)))).is_file():  # a file name
            lines.append(f"   layout file: {layout.name} (what it says overrides inference)")
        seen: dict[tuple, str] = {}  # tables already listed in this file, by their columns
        for sheet in file_sheets.itertuples(index=False):
            lines += _sheet_lines(sheet, found, seen) if sheet.status == READ else [_skipped_line(sheet)]
    statuses = sheets.loc[sheets["file"].isin(opened), "status"].value_counts()
    files = len(opened | set(sheets["file"]))
    summary = f"{_count(files, 'file')}, {_count(statuses.sum(), 'sheet')}: " + ", ".join(
        f"{statuses.get(s, 0)} {w}" for s, w in _STATUS_WORDS.items()
    )
    if damaged := files - len(opened):
        summary += f"; {_count(damaged, 'file')} could not be opened"
    return "\n".join([*lines, "", summary, f"rejects: {len(ledger.rejects)}{_problems(ledger.rejects)}"]) + "\n"


@dataclass
class _Found:
    """The ledger's tables, columns and rows (named tuples) by sheet, and its rejects by ``file!sheet``."""

    tables: dict[tuple, list]
    columns: dict[tuple, list]
    rows: dict[tuple, list]
    rejects: dict[str, pd.DataFrame]
    max_rejects: int


def _sheet_lines(sheet, found: _Found, seen: dict[tuple, str]) -> list[str]:
    where = (sheet.file, sheet.sheet)
    tables = found.tables.get(where, [])
    hidden = (
        f" (the workbook hides it ({sheet.hidden}); read because of --include-hidden)"
        if isinstance(sheet.hidden, str)
        else ""
    )
    lines = [f"{_title(sheet)}: {_count(len(tables), 'table')}{hidden}"]
    for table in tables:
        columns = found.columns.get((*where, table.table), [])
        key = (table.table, tuple(c[3:] for c in columns))  # the columns, without file, sheet and table
        lines += _table_lines(table, columns, same_as=seen.get(key))
        seen.setdefault(key, sheet.sheet)
    return [
        *lines,
        *_row_lines(found.rows[where]),
        *_reject_lines(found.rejects.get(f"{sheet.file}!{sheet.sheet}"), found.max_rejects),
    ]


def _title(sheet) -> str:
    return f"-- sheet {sheet.sheet!r}" if sheet.sheet else "-- (CSV)"


def _skipped_line(sheet) -> str:
    advice = "; --include-hidden reads it" if sheet.status == HIDDEN else ""
    return f"{_title(sheet)}: skipped ({_STATUS_WORDS[sheet.status]}): {sheet.reason}{advice}"


def _table_lines(table, columns: list, same_as: str | None = None) -> list[str]:
    """A table's rows, orientation, sources and columns; ``same_as`` names an earlier sheet whose columns were
    understood the same way (they are not listed again)."""
    body = "none" if table.body_first is None else f"rows {_rows_text(range(table.body_first, table.body_last + 1))}"
    lines = [
        f"   table {table.table}: header rows {_rows_text(range(table.header_first, table.header_last + 1))}, "
        f"body {body}",
        f"     orientation: {table.orientation}",
        f"     village:  {_village_source(table, columns)}",
        f"     places:   {_places_source(table, columns)}",
        f"     year:     {_year_source(table, columns)}",
        f"     unit:     {_unit_source(table, columns)}",
        f"     items:    {_item_source(columns)}",
    ]
    if kind := _kind_source(table, columns):
        lines.append(f"     kind:     {kind}")
    lines += [f"     note: {table.notes}"] if table.notes else []
    if same_as is not None:
        return [*lines, f"     columns: as in sheet {same_as!r}"]
    width = min(_HEADER_WIDTH, max([display_width(_flat(c.header or "")) for c in columns] + [6]))
    lines += ["     columns:", f"       col  {_pad('header', width)}  year  unit  meaning"]
    for column in columns:
        header = _pad(_short(_flat(column.header or "") or "(none)", width), width)
        year = "" if column.year is None else str(column.year)
        lines.append(f"       {column.column:<3}  {header}  {year:<4}  {_pad(column.unit or '', 4)}  {column.meaning}")
    return lines


def _first(columns: list, role: str):
    """The first column of ``role``, or None."""
    return next((c for c in columns if c.role == role), None)


def _column_text(column) -> str:
    return f"column {column.column} ({_short(_flat(column.header or ''), 30) or 'no header'})"


def _village_source(table, columns: list) -> str:
    if (found := _first(columns, "village")) is not None:
        # Its meaning is the role, and why when it is not the header: "village (the layout file)".
        return f"{_column_text(found)}, one per row{f' ({found.reason})' if isinstance(found.reason, str) else ''}"
    if across := [f"{c.column} {c.village}" for c in columns if c.role == VALUE and c.village]:
        return "across the columns: " + _listed(across, 6)
    if table.village:
        return f"{table.village} (from {table.village_source})"
    if table.summary:
        parts = dict.fromkeys(part for scope in table.summary.split("; ") for part in scope.split("|"))
        summed = ", ".join("the file's other sheets" if part == "file" else part.replace(":", " ") for part in parts)
        return (
            f"none: its amounts sum the villages of {summed}; they are checked against those villages as "
            "subtotals, never read as a village"
        )
    return (
        "none found: every amount is rejected (village_missing). Add a 村名 column, name the village in the "
        "sheet name or an 编制单位 line, or set village_column in a layout file"
    )


def _places_source(table, columns: list) -> str:
    parts = []
    for level in ("county", "township"):
        if (found := _first(columns, level)) is not None:
            parts.append(f"{level}: {_column_text(found)}")
        elif getattr(table, level):
            parts.append(f"{level}: {getattr(table, level)} (from {getattr(table, level + '_source')})")
    if (found := _first(columns, "village_code")) is not None:
        parts.append(f"codes: {_column_text(found)}")
    return "; ".join(parts) or "none named"


def _year_source(table, columns: list) -> str:
    parts = [
        f"each row's {_column_text(found)}" for role in ("year", "date") if (found := _first(columns, role)) is not None
    ]
    dated = [c for c in columns if c.role in (VALUE, SUBTOTAL) and c.year is not None]
    if stated := [f"{c.column} {c.year}" for c in dated if states_year(c.header or "")]:
        parts.append("column headers: " + _listed(stated))
    if periods := [
        f"{c.column} {_flat((c.header or '').split('/')[-1])} = {c.year}"
        for c in dated
        if not states_year(c.header or "")
    ]:
        parts.append("periods: " + _listed(periods))
    if table.year is not None:
        parts.append(f"{table.year} (from {table.year_source})")
    elif not parts:
        why = table.year_problem or (
            "no year in a column header, a 年度 column, the title, the sheet name or the file name"
        )
        parts.append(f"none found: {why}")
    return "; ".join(parts)


def _kind_source(table, columns: list) -> str | None:
    """Budgets and parts of a year, which stay out of the accounts; None for a year's actuals."""
    if table.budget:
        return f"a budget or plan ({table.budget!r}): kept in entries, not in the accounts"
    parts = [
        f"{c.column} {_flat(c.header or '')}" for c in columns if c.role == VALUE and c.period in (syn.BUDGET, syn.PART)
    ]
    if table.months and table.months != "1-12":
        parts.insert(0, f"months {table.months} (from {table.months_source!r}), 本年累计 from month 1")
    return (
        "; ".join(parts) + ": parts of a year and budgets are kept in entries, not in the accounts" if parts else None
    )


def _unit_source(table, columns: list) -> str:
    parts = []
    if (found := _first(columns, "unit_column")) is not None:
        parts.append(f"each row's {_column_text(found)}")
    if own := [
        f"{c.column} {c.unit}" for c in columns if c.role in (VALUE, SUBTOTAL) and c.unit and c.unit != table.unit
    ]:
        parts.append("column headers: " + _listed(own))
    if table.unit:
        parts.append(f"{table.unit} (from {table.unit_source})")
    elif not parts:
        parts.append(
            "none found: bare numbers cannot be read (write 单位：万元 above the header, the unit in a "
            "column header, or pass --unit)"
        )
    return "; ".join(parts)


def _item_source(columns: list) -> str:
    parts = [
        f"{what} each row's {_column_text(found)}"
        for role, what in (("item", "named in"), ("item_code", "coded in"))
        if (found := _first(columns, role)) is not None
    ]
    if across := {c.item for c in columns if c.role == VALUE and c.item}:
        parts.append(f"{len(across)} across the columns")
    if unknown := [c.column for c in columns if c.role == UNKNOWN]:
        parts.append(f"unknown headers: {', '.join(unknown)} (their amounts are rejected)")
    return "; ".join(parts) or "none found"


def _row_lines(rows: list) -> list[str]:
    counts = Counter(r.kind for r in rows)
    lines = ["   rows: " + ", ".join(f"{counts[k]} {k}" for k in ROW_KINDS if counts[k])]
    for kind in _LISTED_KINDS:
        if numbers := [r.row for r in rows if r.kind == kind]:
            lines.append(f"     {kind}: {_rows_text(numbers)}")
    return lines + [f"     row {r.row}: {_short(_flat(r.note), _REASON_LENGTH)}" for r in rows if r.note is not None]


def _reject_lines(rejects: pd.DataFrame | None, max_rejects: int) -> list[str]:
    if rejects is None or rejects.empty:
        return []
    lines = [f"   rejects: {len(rejects)}{_problems(rejects)}"]
    for reject in rejects.head(max_rejects).itertuples(index=False):
        value = _short(_flat(str(reject.value)), 20)
        lines.append(
            f"     {reject.cell} {_short(_flat(str(reject.column)), 20)} = {value!r}: {reject.problem}: "
            f"{_short(_flat(str(reject.reason)), _REASON_LENGTH)}"
        )
    if len(rejects) > max_rejects:
        lines.append(f"     … and {len(rejects) - max_rejects} more (villagecon clean writes them all to rejects.csv)")
    return lines


def _problems(rejects: pd.DataFrame) -> str:
    """`` (2 conflict, 1 amount)``: the rejects' problems, most frequent first; nothing when there are none."""
    counts = rejects["problem"].value_counts()
    return " (" + ", ".join(f"{n} {problem}" for problem, n in counts.items()) + ")" if len(counts) else ""


def _rejects_by_sheet(rejects: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rejects by ``file!sheet``, each in row and column order (a file or sheet name may hold a !)."""
    if rejects.empty:
        return {}
    where = rejects["source"].astype(str).str.rsplit("!", n=1, expand=True)
    cells = rejects["cell"].astype(str).str.extract(r"^([A-Z]+)(\d+)$")
    ordered = rejects.assign(
        _sheet=where[0], _row=pd.to_numeric(where[1], errors="coerce"), _width=cells[0].str.len(), _letters=cells[0]
    )
    ordered = ordered.sort_values(["_sheet", "_row", "_width", "_letters"], kind="stable")
    return {
        cast("str", sheet): group.drop(columns=["_sheet", "_row", "_width", "_letters"])  # sheet names
        for sheet, group in ordered.groupby("_sheet", sort=False)
    }


# --- Text helpers ---------------------------------------------------------------------------------------------


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (int(n) != 1)}"


def _listed(texts, most: int = 8) -> str:
    texts = list(texts)
    return ", ".join(texts[:most]) + (" …" if len(texts) > most else "")


def _rows_text(rows) -> str:
    """Row numbers, runs of three or more as a range: ``7, 10, 11, 20-35``; long lists cut short."""
    rows = sorted(int(r) for r in rows)
    parts, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            run = rows[start:i]
            parts += [f"{run[0]}-{run[-1]}"] if len(run) >= 3 else [str(r) for r in run]
            start = i
    if len(parts) > _MAX_LISTED:
        return ", ".join(parts[:_MAX_LISTED]) + f", … ({len(rows)} rows)"
    return ", ".join(parts)


def _flat(text) -> str:
    """One line: line breaks and runs of spaces inside a header or message as one space."""
    return re.sub(r"\s+", " ", str(text)).strip()


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _short(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with … where it was cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        used += display_width(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out) + "…"


__all__ = ["Inspection", "inspect_path", "render", "understand", "write_layouts"]
