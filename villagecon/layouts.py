"""Understand one sheet: where its header is, which layout it has, what every row is.

Three layouts are recognised without configuration:

``wide``
    One row per village (``村名 | 经营收入 | … | 本年收入合计``), optionally under a
    two-level merged header (本年收入 over 经营收入/…/合计), with 小计/合计 rows.
``long``
    One row per amount (``年度 | 村 | 科目 | 金额``), or 收入/支出 columns instead of 金额.
``statement``
    A 收益分配表: line items down the rows (``一、本年收入``, ``  1.经营收入``), years
    across the columns (``2017年``, ``2018``, ``二〇一九年``); one village per sheet.

:func:`read_layout` returns every row with its kind (title, unit, header, blank,
data, subtotal, note) and every amount cell of data and subtotal rows with its
village, year, item and unit, still unparsed. Problems that are not about an
amount (unknown column, unknown item, no year) travel with the cell as
``problem``/``reason`` so that the cleaner can reject it: no cell is dropped here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon import synonyms as syn
from villagecon.amounts import parse_amounts, unit_from_text
from villagecon.errors import HeaderNotFoundError
from villagecon.io import RawSheet, cell_ref
from villagecon.years import looks_like_year_header, parse_year, year_in_text

HEADER_SEARCH_ROWS = 30
ROW_KINDS = ("title", "unit", "header", "blank", "data", "subtotal", "note")
CELL_COLUMNS = ("row", "col", "column", "village", "township", "county", "year", "item", "detail", "value",
                "unit", "row_kind", "problem", "reason")

_UNIT_CELL = re.compile(r"单位\s*[:：]")
_GENERIC_SHEET = re.compile(r"^(?:sheet|表|工作表)\s*\d*$", re.IGNORECASE)
_PLACE = re.compile(r"[^县区市乡镇村\s]+?(?:县|区|市|乡|镇|街道|村|社区)")
_TITLE_PLACES_LENGTH = 200
_TITLE_TAIL = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年|村级|村集体|收益分配表|集体经济|统计表|[（(]")


@dataclass
class SheetReading:
    """What :func:`read_layout` found in one sheet."""

    layout: str
    rows: pd.DataFrame                      # row, kind
    cells: pd.DataFrame                     # CELL_COLUMNS
    coverage: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["subtotal_row", "row"]))
    skipped: str | None = None              # why the sheet is not a ledger (roster, register, notes only)


def read_layout(sheet: RawSheet, *, unit: str | None = None) -> SheetReading:
    """Find the header of ``sheet``, recognise its layout and list its rows and amount cells.

    Parameters
    ----------
    sheet : RawSheet
        From :func:`villagecon.io.read_sheets`.
    unit : str, optional
        Unit of bare numbers when neither the column header nor a 单位 row says.

    Raises
    ------
    HeaderNotFoundError
        The sheet holds numbers but no row of its first 30 looks like a ledger header.
    """
    grid = sheet.grid
    text = _text_grid(grid)
    empty = text.eq("")
    blank_rows = empty.all(axis=1)
    found = _find_header(grid, empty)
    if found is None:
        return _not_a_ledger(sheet, grid, empty, blank_rows)
    header_row, layout = found
    if layout in ("roster", "register"):
        return SheetReading(layout=layout, rows=_rows(grid.index, "note", blank_rows),
                            cells=_no_cells(), skipped=f"a {layout}, not a ledger")
    context = _context(sheet, grid, empty, header_row, unit)
    reader = {"wide": _read_wide, "long": _read_long, "statement": _read_statement}[layout]
    return reader(sheet, grid, text, header_row, context)


# --- header and context ---------------------------------------------------------------------------

def _find_header(grid: pd.DataFrame, empty: pd.DataFrame) -> tuple[int, str] | None:
    for row in grid.index[:HEADER_SEARCH_ROWS]:
        values = [v for v, e in zip(grid.loc[row], empty.loc[row], strict=True) if not e]
        if len(values) < 2:
            continue
        keys = {syn.header_key(v) for v in values if isinstance(v, str)}
        roles = {syn.ROLE_BY_KEY.get(k) for k in keys}
        items = {syn.ITEM_BY_KEY.get(k) for k in keys} - {None}
        years = sum(looks_like_year_header(v) is not None for v in values)
        if "姓名" in keys and keys & {"任职起始", "任职时间", "职务", "任职开始", "到任时间"}:
            return row, "roster"
        if {"village_code", "county_code"} <= keys:
            return row, "register"
        if years >= 2 or (years == 1 and syn.ITEM in roles):
            return row, "statement"
        if syn.ITEM in roles and roles & {syn.AMOUNT, syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT}:
            return row, "long"
        if syn.VILLAGE in roles and items:
            return row, "wide"
    return None


@dataclass
class _Context:
    """What a sheet says about all its rows: year, unit, places (from title rows, sheet and file name)."""

    year: int | None
    year_problem: str | None
    unit: str | None
    county: str | None
    township: str | None
    village: str | None
    title_rows: dict[int, str]              # row -> "title" | "unit" | "blank"


def _context(sheet: RawSheet, grid: pd.DataFrame, empty: pd.DataFrame, header_row: int,
             unit: str | None) -> _Context:
    kinds, titles, sheet_unit = {}, [], None
    for row in grid.index[grid.index < header_row]:
        texts = [str(v).strip() for v, e in zip(grid.loc[row], empty.loc[row], strict=True) if not e]
        unit_texts = [t for t in texts if _UNIT_CELL.search(t)]
        for text in unit_texts:
            sheet_unit = sheet_unit or unit_from_text(text)
        kinds[row] = "unit" if unit_texts else ("title" if texts else "blank")
        titles += [t for t in texts if not _UNIT_CELL.search(t)]
    year, year_problem = None, None
    for text in (*titles, sheet.sheet, sheet.file.rsplit("/", 1)[-1]):
        year, problem = year_in_text(text)
        year_problem = year_problem or problem
        if year is not None:
            break
    places = _places(titles[0] if titles else "")
    sheet_village = syn.village_key(sheet.sheet)
    if not sheet_village.endswith(("村", "社区")) or _GENERIC_SHEET.match(sheet.sheet):
        sheet_village = None
    return _Context(year=year, year_problem=None if year else year_problem, unit=sheet_unit or unit,
                    county=places.get("county"), township=places.get("township"),
                    village=sheet_village or places.get("village"), title_rows=kinds)


def _places(title: str) -> dict[str, str]:
    """County, township and village named at the start of a title (``汝城县濠头乡上河村收益分配表``)."""
    # A title names its places first; a cut keeps the place search linear on a pasted-in essay.
    title = unicodedata.normalize("NFKC", title[:_TITLE_PLACES_LENGTH]).replace(" ", "").replace("\u3000", "")
    head = _TITLE_TAIL.split(title, maxsplit=1)[0]
    places = {}
    for token in _PLACE.findall(head):
        if token.endswith(("县", "区", "市")):
            places["county"] = token
        elif token.endswith(("乡", "镇", "街道")):
            places["township"] = token
        else:
            places["village"] = token
    return places


# --- the three layouts ----------------------------------------------------------------------------

def _read_wide(sheet, grid, text, header_row, context) -> SheetReading:
    empty = text.eq("")
    header_rows = [header_row]
    columns = {c: _single_header(grid.at[header_row, c]) for c in grid.columns}
    group_units: dict[int, str] = {}
    below = header_row + 1
    if below in grid.index and _is_sub_header(grid.loc[below], empty.loc[below], columns):
        header_rows.append(below)
        columns, group_units = _two_level_header(sheet, grid, header_row, below)
    body = grid.index[grid.index > header_rows[-1]]
    role_cols = {name: c for c, (kind, name, _) in columns.items() if kind == "role"}
    if syn.VILLAGE not in role_cols:
        raise HeaderNotFoundError("the header has no village column", where=sheet.where(header_row),
                                  hint="Name the village column 村名 (or 村, 行政村, 单位)")
    amount_cols = [c for c, (kind, _, _) in columns.items() if kind in ("item", "unknown")]
    labels = _label_text(text, body, [role_cols.get(r) for r in (syn.VILLAGE, syn.TOWNSHIP)])
    kinds = _body_kinds(text, body, amount_cols, labels, sheet)

    per_row = pd.DataFrame(index=body)
    per_row["village"] = _cleaned_text(text.loc[body, role_cols[syn.VILLAGE]])
    per_row["township"] = (_cleaned_text(text.loc[body, role_cols[syn.TOWNSHIP]]) if syn.TOWNSHIP in role_cols
                           else context.township)
    per_row["county"] = (_cleaned_text(text.loc[body, role_cols[syn.COUNTY]]) if syn.COUNTY in role_cols
                         else context.county)
    _years_into(per_row, grid, body, role_cols, context, sheet)

    cells = []
    for col in amount_cols:
        kind, item, label = columns[col]
        unit = unit_from_text(label) or group_units.get(col) or context.unit
        frame = _cells_of_column(sheet, grid, empty, body, col, kinds, label, unit, per_row)
        frame["item"] = item
        if kind == "unknown":
            frame = _problem(frame, frame["row_kind"].eq("data"), "column_unknown",
                             f"column {label!r} is not a known line item: rename it (e.g. 经营收入, 本年收入合计) "
                             "or add its spelling to villagecon.synonyms")
            frame = frame.loc[frame["row_kind"].eq("data")]
        cells.append(frame)
    read = {role_cols[r] for r in _WIDE_ROLES if r in role_cols} | set(amount_cols)
    cells += _unread_columns(sheet, grid, empty, body, kinds, columns, read, per_row,
                             "column {label!r} is not read in a one-row-per-village table: name the line item it "
                             "holds (e.g. 经营收入), or delete the column")
    cells = _missing_village(pd.concat(cells, ignore_index=True) if cells else _no_cells())
    rows = _all_rows(grid.index, context, header_rows, kinds)
    coverage = _subtotal_coverage(kinds, labels, per_row["year"])
    return SheetReading("wide", rows, cells, coverage)


def _read_long(sheet, grid, text, header_row, context) -> SheetReading:
    empty = text.eq("")
    columns = {c: _single_header(grid.at[header_row, c]) for c in grid.columns}
    role_cols = {name: c for c, (kind, name, _) in columns.items() if kind == "role"}
    body = grid.index[grid.index > header_row]
    amount_cols = [c for c, (kind, name, _) in columns.items()
                   if kind == "role" and name in (syn.AMOUNT, syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)]
    item_text = _cleaned_text(text.loc[body, role_cols[syn.ITEM]])
    items = _map_unique(item_text, syn.item_of)
    # A 合计 in the item column is a subtotal row; 本年收入合计 is a line item.
    unmapped_labels = item_text.where(items.isna())
    labels = _label_text(text, body, [role_cols.get(syn.VILLAGE), role_cols.get(syn.TOWNSHIP)])
    labels = labels.where(labels.ne(""), unmapped_labels.fillna(""))
    kinds = _body_kinds(text, body, amount_cols, labels, sheet)

    per_row = pd.DataFrame(index=body)
    for role in (syn.VILLAGE, syn.TOWNSHIP, syn.COUNTY):
        per_row[role] = (_cleaned_text(text.loc[body, role_cols[role]]) if role in role_cols
                         else getattr(context, role))
    _years_into(per_row, grid, body, role_cols, context, sheet)

    cells = []
    for col in amount_cols:
        label = columns[col][2]
        unit = unit_from_text(label) or context.unit
        frame = _cells_of_column(sheet, grid, empty, body, col, kinds, label, unit, per_row)
        frame["item"] = items.reindex(frame["row"]).to_numpy()
        cells.append(_item_problems(frame, item_text.reindex(frame["row"]).to_numpy(), "科目"))
    read = {role_cols[r] for r in _LONG_ROLES if r in role_cols}
    unread = _unread_columns(sheet, grid, empty, body, kinds, columns, read, per_row,
                             "column {label!r} is not read in a long ledger (科目 and 金额 columns): move its "
                             "amounts into the 金额 column with their 科目, or delete the column")
    cells = pd.concat(cells, ignore_index=True) if cells else _no_cells()
    if len(amount_cols) > 1:
        crowded = cells.duplicated("row", keep=False) & cells["row_kind"].eq("data")
        cells = _problem(cells, crowded, "amount_ambiguous",
                         "more than one amount column is filled in this row (e.g. both 收入 and 支出): "
                         "keep one per row")
    cells = _missing_village(pd.concat([cells, *unread], ignore_index=True))
    rows = _all_rows(grid.index, context, [header_row], kinds)
    coverage = _subtotal_coverage(kinds, labels, per_row["year"], items=items)
    return SheetReading("long", rows, cells, coverage)


def _read_statement(sheet, grid, text, header_row, context) -> SheetReading:
    empty = text.eq("")
    header = grid.loc[header_row]
    year_cols = {c: y for c in grid.columns if (y := looks_like_year_header(header[c])) is not None}
    first_year_col = min(year_cols)
    label_col = next((c for c in grid.columns if c < first_year_col and not empty.at[header_row, c]), 0)
    body = grid.index[grid.index > header_row]

    label_text = _cleaned_text(text.loc[body, label_col])
    details = _map_unique(label_text, syn.detail_label)
    items = _map_unique(label_text, syn.item_of).where(details.isna())
    # A 其中 line itemises the last line item above it.
    parent_items = items.ffill()
    kinds = _body_kinds(text, body, list(year_cols), label_text.fillna("").where(items.isna(), ""), sheet)

    per_row = pd.DataFrame(index=body)
    per_row["village"], per_row["township"], per_row["county"] = context.village, context.township, context.county
    cells = []
    for col, year in year_cols.items():
        label = str(header[col])
        unit = unit_from_text(label) or context.unit
        frame = _cells_of_column(sheet, grid, empty, body, col, kinds, label, unit, per_row)
        frame["year"] = year
        frame["item"] = items.reindex(frame["row"]).fillna(parent_items.reindex(frame["row"])).to_numpy()
        frame["detail"] = details.reindex(frame["row"]).to_numpy()
        cells.append(_item_problems(frame, label_text.reindex(frame["row"]).to_numpy(), "项目"))
    columns = {c: _single_header(header[c]) for c in grid.columns}
    cells += _unread_columns(sheet, grid, empty, body, kinds, columns, {*year_cols, label_col}, per_row,
                             "column {label!r} is not a year: write the year (2022年) in the header, or delete "
                             "the column")
    cells = pd.concat(cells, ignore_index=True)
    if context.village is None:
        cells = _problem(cells, cells["row_kind"].eq("data"), "village_missing",
                         "no village named in the sheet name or title: rename the sheet to the village")
    rows = _all_rows(grid.index, context, [header_row], kinds)
    return SheetReading("statement", rows, cells)


def _not_a_ledger(sheet, grid, empty, blank_rows) -> SheetReading:
    # Only filled rows are looked at: a sheet of two cells at A1 and S1048576 is a million blank rows.
    filled = grid.loc[~blank_rows.to_numpy()]
    # Numbers stored as text count (every cell of a CSV is text): a ledger with an unknown header is refused,
    # not skipped as if it held no numbers.
    numeric = filled.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)) & ~empty.loc[filled.index]
    numeric = (numeric | filled.apply(_numbers_as_text)).to_numpy()
    if numeric.any():
        first = int(np.flatnonzero(numeric.ravel())[0])           # row-major: the first number reading down
        row, col = filled.index[first // numeric.shape[1]], filled.columns[first % numeric.shape[1]]
        raise HeaderNotFoundError(
            "no ledger header found in the first 30 rows, but the sheet holds numbers",
            where=sheet.where(row, col),
            hint="The header row needs a village column (村名) with line items (经营收入, …), or 科目 and "
                 "金额 columns, or 项目 with year columns (2022年)")
    return SheetReading("none", _rows(grid.index, "note", blank_rows), _no_cells(),
                        skipped="no ledger header and no numbers")


def _numbers_as_text(column: pd.Series) -> pd.Series:
    """Which cells are text that reads as an amount with digits (``"1,234"``, ``"4.2万"``)."""
    is_text = column.map(type).eq(str)
    found = pd.Series(False, index=column.index)
    if is_text.any():
        texts = column[is_text].astype("str")
        has_digit = _contains(texts, r"[0-9０-９]")
        if has_digit.any():
            found[has_digit.index[has_digit]] = parse_amounts(texts[has_digit])["amount_yuan"].notna().to_numpy()
    return found


# --- headers --------------------------------------------------------------------------------------

def _single_header(value) -> tuple[str, str | None, str]:
    """(kind, canonical name, label) of a one-row header cell; kind is role, item, unknown or empty."""
    label = "" if value is None else str(value).strip()
    if not label:
        return "empty", None, ""
    if role := syn.role_of(label):
        return "role", role, label
    if item := syn.item_of(label):
        return "item", item, label
    return "unknown", None, label


def _is_sub_header(values: pd.Series, empty: pd.Series, top: dict) -> bool:
    """Whether the row under a header continues it (经营收入/…/合计 under a merged 本年收入)."""
    texts = [v for v, e in zip(values, empty, strict=True) if not e]
    if not texts or any(not isinstance(v, str) for v in texts):
        return False
    village_col = next((c for c, (kind, name, _) in top.items() if name == syn.VILLAGE), None)
    if village_col is not None and not empty.iloc[village_col]:
        return False
    keys = [syn.header_key(v) for v in texts]
    return any(syn.item_of(v) or k in syn.TOTAL_WORDS for v, k in zip(texts, keys, strict=True))


def _two_level_header(sheet: RawSheet, grid: pd.DataFrame, top_row: int, sub_row: int) -> tuple[dict, dict]:
    """Columns (kind, canonical name, label) of a two-level header, and the unit each group header states."""
    top = {c: ("" if grid.at[top_row, c] is None else str(grid.at[top_row, c]).strip()) for c in grid.columns}
    for first_row, first_col, _, last_col in sheet.merged:
        if first_row == top_row:
            for c in range(first_col + 1, last_col + 1):
                top[c] = top[first_col]
    if not sheet.merged:  # CSV: a group label stands over its first sub-column only
        current = ""
        for c in grid.columns:
            sub = str(grid.at[sub_row, c] or "").strip()
            current = top[c] or (current if sub else "")
            top[c] = current
    columns = {}
    # A unit over a group (本年收入（万元） merged over 经营收入/…) is the unit of its sub-columns.
    units = {c: unit for c in grid.columns if (unit := unit_from_text(top[c]))}
    for c in grid.columns:
        sub = "" if grid.at[sub_row, c] is None else str(grid.at[sub_row, c]).strip()
        if not sub:
            columns[c] = _single_header(top[c])
            continue
        group = syn.item_of(top[c])
        if syn.header_key(sub) in syn.TOTAL_WORDS and group in syn.GROUP_TOTALS:
            columns[c] = ("item", syn.GROUP_TOTALS[group], f"{top[c]}{sub}")
            continue
        kind, name, _ = _single_header(top[c] + sub)
        if kind not in ("item", "role"):
            kind, name, _ = _single_header(sub)
        columns[c] = (kind, name, f"{top[c]}{sub}" if top[c] and kind == "unknown" else sub)
    return columns, units


# --- rows -----------------------------------------------------------------------------------------

def _text_grid(grid: pd.DataFrame) -> pd.DataFrame:
    """Every cell as stripped text, ``""`` where empty; converted once per sheet."""
    return pd.DataFrame({c: _text_column(grid[c]) for c in grid.columns}, index=grid.index)


def _text_column(values: pd.Series) -> pd.Series:
    """One column as stripped text: strings trimmed, floats written by Arrow (2016.0 → "2016"), others by str()."""
    objects = values.to_numpy(dtype=object)
    kinds = values.map(type).to_numpy()
    is_text = np.equal(kinds, str)
    if is_text.all():
        text = pa.array(objects, type=pa.large_string())
    else:
        # Convert each kind of value in one go, then put the pieces back in row order with one take.
        is_float = np.equal(kinds, float)
        is_other = ~is_text & ~is_float & ~np.equal(kinds, type(None))
        floats = objects[is_float].astype("float64")
        pieces = [pa.array(objects[is_text], type=pa.large_string()),
                  pc.cast(pa.array(floats, from_pandas=True), pa.large_string()),  # NaN is an empty cell
                  pa.array([str(value) for value in objects[is_other]], type=pa.large_string()),
                  pa.array([""], type=pa.large_string())]
        order = np.full(len(objects), sum(map(len, pieces)) - 1)   # empty cells take the final ""
        start = 0
        for mask, piece in zip((is_text, is_float, is_other), pieces, strict=False):
            order[mask] = np.arange(start, start + len(piece))
            start += len(piece)
        text = pa.concat_arrays(pieces).take(pa.array(order))
    text = pc.fill_null(pc.utf8_trim_whitespace(text), "")
    return pd.Series(pd.array(text, dtype="str"), index=values.index)


def _cleaned_text(column: pd.Series) -> pd.Series:
    """Cell text (from the text grid) with empty cells as missing."""
    return column.where(column.ne(""))


def _map_unique(values: pd.Series, function) -> pd.Series:
    """``values.map(function)`` computed once per distinct value: ledgers repeat their labels."""
    distinct = values.dropna().unique()
    return values.map(dict(zip(distinct, map(function, distinct), strict=True)))


def _label_text(text, body, label_cols) -> pd.Series:
    """The text that names a row (village, township): where 合计/小计 and 注 are looked for."""
    label = pd.Series("", index=body, dtype="str")
    for col in filter(lambda c: c is not None, label_cols):
        label = label.where(label.ne(""), text.loc[body, col])
    spaceless = pc.replace_substring_regex(pa.array(label.array), r"[\s\x{3000}]+", "")
    return pd.Series(pd.array(spaceless, dtype="str"), index=label.index)


def _contains(texts: pd.Series, pattern: str) -> pd.Series:
    """``texts.str.contains(pattern)`` run by Arrow's RE2 (pandas runs a non-ASCII pattern in Python, row by row)."""
    found = pc.fill_null(pc.match_substring_regex(pa.array(texts.array), pattern), False)
    return pd.Series(np.asarray(found), index=texts.index)


def _body_kinds(text, body, amount_cols, labels, sheet) -> pd.Series:
    """Kind of every row below the header: blank, subtotal, note or data."""
    body_empty = text.loc[body].eq("")
    blank = body_empty.all(axis=1)
    has_amount = pd.Series(False, index=body)
    for col in amount_cols:
        has_amount |= ~body_empty[col]
    formula_rows = {r for r, c in sheet.uncached_formulas if c in amount_cols}
    has_amount |= body.isin(formula_rows)
    subtotal = _contains(labels, syn.SUBTOTAL_PATTERN.pattern)
    # Only a row without amounts can be a note: look at the (few) such rows' text.
    without_amount = body[~has_amount.to_numpy()]
    note_text = _contains(_first_text(text, without_amount), syn.NOTE_PATTERN.pattern)
    note = ~has_amount & (note_text.reindex(body, fill_value=False) | labels.eq(""))
    kinds = pd.Series("data", index=body, dtype="str")
    kinds = kinds.mask(note, "note").mask(subtotal, "subtotal").mask(blank, "blank")
    return kinds


def _first_text(text, body) -> pd.Series:
    """The leftmost non-empty text of each row."""
    values = text.loc[body].to_numpy(dtype=object)
    if values.shape[1] == 0:
        return pd.Series("", index=body, dtype="str")
    filled = values != ""
    first = values[np.arange(len(values)), filled.argmax(axis=1)]   # "" where the row is empty
    return pd.Series(first, index=body, dtype="str")


def _rows(index, kind, blank_rows) -> pd.DataFrame:
    kinds = pd.Series(kind, index=index, dtype="str").mask(blank_rows, "blank")
    return pd.DataFrame({"row": index.to_numpy(), "kind": kinds.to_numpy()})


def _all_rows(index, context: _Context, header_rows, body_kinds) -> pd.DataFrame:
    kinds = pd.Series("blank", index=index, dtype="str")
    for row, kind in context.title_rows.items():
        kinds[row] = kind
    kinds[header_rows] = "header"
    kinds[body_kinds.index] = body_kinds
    return pd.DataFrame({"row": index.to_numpy(), "kind": kinds.to_numpy()})


def _years_into(per_row, grid, body, role_cols, context, sheet) -> None:
    """Year of each row: its 年度 or 日期 cell, else the sheet's (title, sheet name, file name)."""
    per_row["year"], per_row["year_problem"] = context.year, None
    for role, dates in ((syn.YEAR, False), (syn.DATE, True)):
        if role not in role_cols:
            continue
        values = grid.loc[body, role_cols[role]]
        codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=False)
        parsed = [parse_year(v, dates=dates) for v in distinct]
        years = pd.Series(np.array([y for y, _ in parsed], dtype=object)[codes], index=values.index)
        problems = pd.Series(np.array([p for _, p in parsed], dtype=object)[codes], index=values.index)
        per_row["year_problem"] = problems.where(problems.notna(), None)
        per_row["year"] = years.where(years.notna(), context.year if problems.isna().all() else None)
        return
    if context.year is None:
        per_row["year_problem"] = context.year_problem or (
            "no year found in a 年度 column, the title, the sheet name or the file name: add one "
            "(e.g. a title '2022年…' or a 年度 column)")


def _cells_of_column(sheet, grid, empty, body, col, kinds, label, unit, per_row) -> pd.DataFrame:
    """Every non-empty cell of ``col`` in data and subtotal rows (and formulas without a value)."""
    row_kind = kinds.reindex(body)
    formula_rows = [r for r, c in sheet.uncached_formulas if c == col]
    wanted = (~empty.loc[body, col] | body.isin(formula_rows)) & row_kind.isin(["data", "subtotal"])
    rows = body[wanted.to_numpy()]
    frame = pd.DataFrame({
        "row": rows.to_numpy(),
        "col": col,
        "column": label,
        "village": per_row["village"].reindex(rows).to_numpy() if "village" in per_row else None,
        "township": per_row["township"].reindex(rows).to_numpy() if "township" in per_row else None,
        "county": per_row["county"].reindex(rows).to_numpy() if "county" in per_row else None,
        "year": per_row["year"].reindex(rows).to_numpy() if "year" in per_row else None,
        "item": None,
        "detail": None,
        "value": grid.loc[rows, col].to_numpy(),
        "unit": unit,
        "row_kind": row_kind.reindex(rows).to_numpy(),
        "problem": None,
        "reason": None,
    })
    if "year_problem" in per_row:
        year_problem = per_row["year_problem"].reindex(rows).to_numpy()
        frame = _problem(frame, pd.notna(year_problem) & frame["row_kind"].eq("data").to_numpy(),
                         "year", "{year_problem}", year_problem=year_problem)
    if formula_rows:
        is_formula = frame["row"].isin(formula_rows).to_numpy()
        frame.loc[is_formula, "value"] = "(formula without a saved value)"
        frame = _problem(frame, is_formula, "formula_uncached",
                         "the cell holds a formula whose result was never saved: open the file in Excel, "
                         "let it calculate, save it, and read it again")
    return frame


# Roles each layout reads; a column with another role (but those that never hold amounts) is reported.
_WIDE_ROLES = (syn.VILLAGE, syn.TOWNSHIP, syn.COUNTY, syn.YEAR, syn.DATE)
_LONG_ROLES = (*_WIDE_ROLES, syn.ITEM, syn.AMOUNT, syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)
_NEVER_AMOUNTS = (syn.IGNORED, syn.DETAIL, syn.VILLAGE_CODE)


def _unread_columns(sheet, grid, empty, body, kinds, columns, read, per_row, reason) -> list[pd.DataFrame]:
    """Data cells of the columns a layout does not read: each a ``column_unknown`` problem, never dropped.

    ``reason`` is formatted with the column's ``label`` (its letter when the header cell is empty).
    """
    frames = []
    for col, (kind, role, label) in columns.items():
        if col in read or (kind == "role" and role in _NEVER_AMOUNTS):
            continue
        frame = _cells_of_column(sheet, grid, empty, body, col, kinds, label, None, per_row)
        frame = frame.loc[frame["row_kind"].eq("data")]
        if len(frame):
            frames.append(_problem(frame, np.ones(len(frame), bool), "column_unknown",
                                   reason.format(label=label or f"{cell_ref(None, col)} (no header)")))
    return frames


def _item_problems(frame: pd.DataFrame, written: np.ndarray, item_column: str) -> pd.DataFrame:
    """Data cells whose row names no line item, or one the synonym table does not know."""
    is_data = frame["row_kind"].eq("data")
    frame = _problem(frame, is_data & pd.isna(written), "item_missing",
                     f"the {item_column} cell of this row is empty: say which line item the amount is")
    return _problem(frame, is_data & frame["item"].isna() & pd.notna(written), "item_unknown",
                    "line item {item_written!r} is not known: use a 收益分配表 item (经营收入, 投资收益, …) "
                    "or add its spelling to villagecon.synonyms", item_written=written)


def _problem(frame: pd.DataFrame, where, problem: str, reason: str, **values) -> pd.DataFrame:
    """Mark rows of ``frame`` with a problem, keeping the first problem a cell got."""
    where = np.asarray(where, dtype=bool) & frame["problem"].isna().to_numpy()
    if not where.any():
        return frame
    frame = frame.copy()
    frame.loc[where, "problem"] = problem
    if values:
        picked = {k: np.asarray(v, dtype=object)[where] for k, v in values.items()}
        frame.loc[where, "reason"] = [reason.format(**{k: v[i] for k, v in picked.items()})
                                      for i in range(int(where.sum()))]
    else:
        frame.loc[where, "reason"] = reason
    return frame


def _missing_village(cells: pd.DataFrame) -> pd.DataFrame:
    return _problem(cells, cells["row_kind"].eq("data") & cells["village"].isna(), "village_missing",
                    "the row has amounts but no village name: fill in the 村 cell")


def _subtotal_coverage(kinds: pd.Series, labels: pd.Series, years: pd.Series,
                       items: pd.Series | None = None) -> pd.DataFrame:
    """Which data rows each 小计/合计 row sums.

    A 小计 (or 全镇/全乡) row sums the data rows since the previous subtotal row,
    or, when it stands above its block, the rows until the next one. A 合计/总计
    row sums every data row of the sheet. Rows of another year (or, in a long
    ledger, another item) are matched later by the cleaner.
    """
    subtotal_rows = kinds.index[kinds.eq("subtotal")]
    data_rows = kinds.index[kinds.eq("data")]
    pairs = []
    for position, row in enumerate(subtotal_rows):
        label = labels[row]
        if re.search(r"小计|^全(?:镇|乡|街道)", label):
            previous = subtotal_rows[position - 1] if position else -1
            block = data_rows[(data_rows > previous) & (data_rows < row)]
            if block.empty:
                following = subtotal_rows[position + 1] if position + 1 < len(subtotal_rows) else np.inf
                block = data_rows[(data_rows > row) & (data_rows < following)]
        else:
            block = data_rows
        pairs.append(pd.DataFrame({"subtotal_row": row, "row": block.to_numpy()}))
    if not pairs:
        return pd.DataFrame({"subtotal_row": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64")})
    return pd.concat(pairs, ignore_index=True)


def _no_cells() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in CELL_COLUMNS})
