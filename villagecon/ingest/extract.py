"""Every amount cell of a table, with the village, year, item and unit it belongs to, still unparsed.

A cell's meaning is put together from three places, the most specific first: its column's header (an item,
a year, a period such as 上年数, a village across, a unit), its row's labels (村名, 科目, 年度, 计量单位), and
the sheet's context (title, 单位 line, 编制单位, sheet and file name). What cannot be put together travels with
the cell as ``problem``/``reason`` so that the cleaner rejects it: no cell is dropped here.

All the amount columns of a table are done at once: the row's meanings and the column's are arrays, and a
cell takes its row's and its column's entries by position, so a table of 200,000 rows costs a few array
operations, not a loop.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from villagecon.ingest.cells import SHORT_COLUMN, SheetCells, one_object
from villagecon.ingest.columnar import Columns, no_columns
from villagecon.ingest.context import Context
from villagecon.ingest.files import cell_ref
from villagecon.ingest.headers import SUBTOTAL, UNKNOWN, Column, Table
from villagecon.ingest.rows import AMOUNT_ROLES, RED_INK, Rows
from villagecon.parse.amounts import parse_amounts
from villagecon.vocab import synonyms as syn
from villagecon.vocab.periods import ANNUAL, BUDGET, LINE, PART_YEAR, WHOLE_YEAR, column_months, period_text

CELL_COLUMNS = (
    "row",
    "col",
    "column",
    "village",
    "township",
    "county",
    "village_code",
    "year",
    "item",
    "detail",
    "value",
    "unit",
    "row_kind",
    "kind",
    "period",
    "red_ink",
    "precedence",
    "report_year",
    "adds_up",
    "line",
    "same_as",
    "summary",
    "problem",
    "reason",
)
FORMULA_TEXT = "(formula without a saved value)"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NO_YEAR = (
    "no year found in the column header, a 年度 column, the title, the sheet name or the file name: add one "
    "(e.g. a title '2022年…' or a 年度 column)"
)


def table_cells(
    cells: SheetCells, table: Table, rows: Rows, context: Context, *, formulas: set[tuple[int, int]]
) -> Columns:
    """Every non-empty cell of the table's amount columns in data and subtotal rows (and formulas without a
    saved value), as columns CELL_COLUMNS."""
    columns = table.of_role(*AMOUNT_ROLES)
    body = table.body
    if not columns or not len(body):
        return no_cells()
    positions = [c.col for c in columns]
    at_columns = np.asarray([cells.column_position[p] for p in positions], dtype=np.intp)  # as np.ix_ makes it
    taken = np.ix_(cells.row_positions(body), at_columns)
    present = cells.values[taken] != ""
    formula = np.zeros_like(present)
    if in_table := [(row, col) for row, col in formulas if col in positions and row in body]:
        formula[
            body.get_indexer(pd.Index([row for row, _ in in_table])), [positions.index(col) for _, col in in_table]
        ] = True
    kinds = rows.kind_values
    wanted = (present | formula) & np.isin(kinds, ["data", "subtotal"])[:, None]
    # Column by column, as the sheet is read: the cells of the first amount column, then the next one.
    c, r = np.nonzero(wanted.T)
    if not len(r):
        return no_cells()
    at = _Cells(r, c, columns)
    grid = cells.raw_values[taken]
    is_formula = formula[r, c]
    values = np.where(is_formula, FORMULA_TEXT, grid[r, c]).astype(object)
    row_kind = _either("data", "subtotal", (kinds[r] == "subtotal") | at.column("role", eq=SUBTOTAL))

    entities_down = table.first(syn.VILLAGE) is not None
    village = at.row(rows.values("village")) if entities_down else at.column_or("village", context.village)
    year, year_numbers, precedence, why_no_year, report_year = _years(table, rows, context, at)
    kind, period = _kinds(table, rows, context, at, year, year_numbers, lines=rows.lines)
    item = at.column_or("item", at.row(rows.values("item")))
    unit = at.column_or("unit", at.row(rows.values("unit")))
    # context.unit may be None, which numpy's stubs do not take as a value (it becomes an object).
    unit = np.where(pd.isna(unit), one_object(context.unit), unit)
    row_summary = np.full(len(body), np.nan, dtype=object)
    if rows.draft.summaries is not None and len(rows.summaries):
        row_summary[body.get_indexer(pd.Index(rows.summaries["subtotal_row"]))] = rows.summaries["summary"].to_numpy(
            dtype=object
        )
    n = len(r)
    found: Columns = {
        "row": body.to_numpy()[r],
        "col": at.column("col"),
        "column": at.column("header"),
        "village": village,
        "township": _or(at.row(rows.values("township")), at.column_or("township", context.township)),
        "county": _or(at.row(rows.values("county")), context.county),
        "village_code": at.row(rows.values("village_code")),
        "year": year,
        "item": item,
        "detail": at.column_or("detail", at.row(rows.values("detail"))),
        "value": values,
        "unit": unit,
        "row_kind": row_kind,
        "kind": kind,
        "period": period,
        "red_ink": (at.row(rows.red_ink) if rows.red_ink is not None else np.zeros(n, dtype=bool))
        | np.array([bool(re.search(RED_INK, c.header or "")) for c in at.of], dtype=bool)[at.columns],
        "precedence": precedence,
        "report_year": report_year,
        "adds_up": at.row(rows.draft.adds_up).astype(bool),
        "line": np.full(n, rows.lines),
        "same_as": at.row(rows.same_as) if rows.same_as is not None else np.full(n, None, dtype=object),
        "summary": row_summary[r],
        "problem": np.full(n, None, dtype=object),
        "reason": np.full(n, None, dtype=object),
    }
    return _problems(found, cells, table, rows, context, at, is_formula=is_formula, why_no_year=why_no_year)


class _Cells:
    """The cells of a table taken: their row positions in the body, and their columns."""

    def __init__(self, rows: np.ndarray, columns: np.ndarray, of: list[Column]):
        self.rows, self.columns, self.of = rows, columns, of

    def row(self, values: pd.Series | np.ndarray) -> np.ndarray:
        """Each cell's entry of a per-row Series or array (aligned with the table's body)."""
        return (values if isinstance(values, np.ndarray) else values.to_numpy(dtype=object))[self.rows]

    def column(self, name: str, *, eq=None) -> np.ndarray:
        """Each cell's column's attribute ``name`` (or whether it equals ``eq``)."""
        values = np.array([getattr(c, name) for c in self.of], dtype=object)[self.columns]
        return values == eq if eq is not None else values

    def column_or(self, name: str, otherwise) -> np.ndarray:
        """The column's attribute where it has one, else ``otherwise`` (a scalar or a per-cell array)."""
        attributes = np.array([getattr(c, name) for c in self.of], dtype=object)
        given = pd.notna(attributes)
        if given.all():
            return attributes[self.columns]
        if not given.any():  # told once per column, not once per cell
            return np.array(otherwise, dtype=object) if np.ndim(otherwise) else np.full(len(self.rows), otherwise)
        return np.where(given[self.columns], attributes[self.columns], otherwise).astype(object)


def _either(no: str, yes: str, which: np.ndarray) -> np.ndarray:
    """``yes`` where ``which``, else ``no``, as an object array (two str objects, not one per cell)."""
    return np.array([no, yes], dtype=object)[which.astype(np.intp)]


def _or(values: np.ndarray, otherwise) -> np.ndarray:
    # (a str put in every cell as one object: np.where with a bare str makes one per cell)
    return np.where(pd.isna(values), one_object(otherwise) if isinstance(otherwise, str) else otherwise, values).astype(
        object
    )


def _years(table: Table, rows: Rows, context: Context, at: _Cells):
    """Year, precedence (current, or prior for 上年数/年初数), the reason where there is no year, and the year of
    the report (a 上年数 of a 2024 report is a 2023 figure in the 2024 accounting system's terms)."""
    has_year_column = table.first(syn.YEAR) is not None or table.first(syn.DATE) is not None
    if has_year_column:
        # 本年/上年 in the 年度 column: the sheet's year and the year before.
        years = rows.values("year")
        row_year = years.copy()
        row_year[pd.isna(years) & pd.notna(rows.values("period"))] = context.year
        problems = rows.values("year_problem")
        row_why = np.where(pd.notna(problems), problems, one_object(_NO_YEAR))
    else:
        row_year = np.full(len(rows.body), context.year, dtype=object)
        row_why = np.full(len(rows.body), context.year_problem or _NO_YEAR, dtype=object)
    base = at.column_or("year", at.row(row_year))
    period = at.column_or("period", at.row(rows.values("period")))
    prior = period == syn.PRIOR
    known = pd.notna(base)
    year = np.full(len(base), None, dtype=object)
    if len(base) > SHORT_COLUMN:
        # Each distinct year written as a number once (a long ledger's column holds a few years, many times).
        codes, distinct = pd.factorize(base[known])
        numbers = np.asarray(distinct, dtype=object).astype(np.int64)[codes] - prior[known]
    else:
        numbers = base[known].astype(np.int64) - prior[known]
    year[known] = numbers.astype(object)
    why = np.where(pd.isna(at.column("year")), at.row(row_why), one_object(context.year_problem or _NO_YEAR))
    return year, numbers, _either("current", "prior", prior), why, base


def _kinds(
    table: Table, rows: Rows, context: Context, at: _Cells, year: np.ndarray, year_numbers: np.ndarray, *, lines: bool
):
    """Each cell's kind (a year's actual, a ledger's line, a budget, part of a year) and its period as ISO text:
    the months from its column, its row (会计期间) or the sheet's title; a dated line's date. The months are
    worked out once per column, 会计期间 and period word, not per cell. ``year_numbers``: the known years
    (``year`` where it is not None) as int64."""
    period_word = at.column_or("period", at.row(rows.values("period")))
    monthly = table.first(syn.MONTH) is not None
    if monthly:
        month_codes, month_values = _codes(rows.values("months")[at.rows])
    else:  # no 会计期间 column: every cell's months None
        month_codes, month_values = np.zeros(len(year), dtype=np.intp), [None]
    word_codes, word_values = _codes(period_word)
    key = (at.columns * len(month_values) + month_codes) * len(word_values) + word_codes
    distinct, position = np.unique(key, return_inverse=True)
    found = []
    for code in distinct:
        rest, word = divmod(int(code), len(word_values))
        column, month = divmod(rest, len(month_values))
        own = month_values[month]
        found.append(
            column_months(
                own if own is not None else context.months,
                at.of[column].header or "",
                word_values[word],
                monthly=own is not None,
            )
        )
    months = np.empty(len(found), dtype=object)
    months[:] = found
    whole = np.array([m is None or m == WHOLE_YEAR for m in found], dtype=bool)[position]
    months = months[position]
    budget = (period_word == syn.BUDGET) | (context.budget is not None)
    part = ~budget & (~whole | (period_word == syn.PART))
    # (one str object per kind: np.where with bare str makes one per cell)
    kind = np.where(
        budget, one_object(BUDGET), np.where(part, one_object(PART_YEAR), one_object(LINE if lines else ANNUAL))
    )
    known = pd.notna(year)
    period = np.full(len(year), None, dtype=object)
    if len(year) > SHORT_COLUMN:  # (factorize costs less than unique's sort on a long array, more on a short one)
        which, distinct_years = pd.factorize(year_numbers)
    else:
        distinct_years, which = np.unique(year_numbers, return_inverse=True)
    period[known] = np.array([str(y) for y in distinct_years], dtype=object)[which]
    texts: dict = {}  # each year and months written once
    for i in np.flatnonzero(part & known):
        said = (int(year[i]), months[i])
        period[i] = texts[said] if said in texts else texts.setdefault(said, period_text(*said))
    if lines:
        dates = pd.Series(at.row(rows.values("date")))
        dated = (kind == LINE) & dates.notna().to_numpy() & known
        period[dated] = dates.to_numpy(dtype=object)[dated]
    return kind, period


def _codes(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Codes of an object array's values and the distinct values, a missing value as None (two missing
    values may get two codes: each stands for None)."""
    if len(values) <= SHORT_COLUMN:
        # A few cells: a dict costs less than pandas' factorize.
        index: dict = {}
        codes = np.array([index.setdefault(v, len(index)) for v in values.tolist()], dtype=np.intp)
        return codes, [None if not isinstance(v, (str, tuple)) and pd.isna(v) else v for v in index]
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return codes, [None if not isinstance(v, (str, tuple)) and pd.isna(v) else v for v in distinct]


def _problems(
    found: Columns,
    cells: SheetCells,
    table: Table,
    rows: Rows,
    context: Context,
    at: _Cells,
    *,
    is_formula: np.ndarray,
    why_no_year: np.ndarray,
) -> Columns:
    """What is missing for each cell to be an entry, the first problem a cell has kept; cells of unknown
    columns in subtotal rows are dropped (they are no data)."""
    is_data = found["row_kind"] == "data"
    problem(
        found,
        is_formula,
        "formula_uncached",
        "the cell holds a formula whose result was never saved: open the file in Excel, let it calculate, "
        "save it, and read it again",
    )
    unknown = at.column("role", eq=UNKNOWN)
    labels = np.array([c.header or f"{cell_ref(None, c.col)} (no header)" for c in at.of], dtype=object)[at.columns]
    problem(
        found,
        unknown,
        "column_unknown",
        "column {label!r} is not known: rename it to a line item (经营收入, 本年收入合计) or a column role (乡镇, "
        "村名, 年度), add its spelling and meaning to synonyms.csv beside the ledgers (e.g. 光伏电站收益,"
        "operating_income or 镇（街道）,township), or delete the column",
        label=labels,
    )
    # The rows name their items (科目): a column named for an item as well says something else.
    clash = pd.notna(at.column("item")) & pd.notna(at.row(rows.values("item")))
    problem(
        found,
        clash,
        "column_unknown",
        "column {label!r} is not read in a ledger whose rows name their item (科目 and 金额 columns): move "
        "its amounts into the 金额 column with their 科目, or delete the column",
        label=labels,
    )
    problem(
        found,
        is_data & pd.notna(at.row(rows.values("item_problem"))),
        "item_ambiguous",
        "{why}",
        why=at.row(rows.values("item_problem")),
    )
    problem(found, is_data & pd.isna(found["year"]), "year", "{why}", why=why_no_year)
    _item_problems(found, table, rows, at, is_data)
    _village_problems(found, cells, table, context, at, is_data)
    _merged_amounts(found, cells, table, is_data)
    _missing_units(found, table, is_data)
    money = [c.col for c in table.of_role(syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)]
    if len(money) > 1:
        in_money = np.isin(found["col"], money)
        money_rows = found["row"][in_money]
        crowded = in_money & np.isin(found["row"], money_rows[pd.Series(money_rows).duplicated().to_numpy()])
        problem(
            found,
            crowded & is_data,
            "amount_ambiguous",
            "both the 收入 and the 支出 column are filled in this row: keep one amount per row",
        )
    keep = is_data | ~(unknown | clash)
    return found if keep.all() else {name: values[keep] for name, values in found.items()}


def _merged_amounts(found: Columns, cells: SheetCells, table: Table, is_data: np.ndarray) -> None:
    """An amount merged over the rows of several villages (a joint grant) belongs to none of them alone."""
    amount_cols = {c.col for c in table.of_role(*AMOUNT_ROLES)}
    body = table.body
    for top, left, bottom, _ in cells.sheet.merged:
        if bottom > top and left in amount_cols and top in body:
            at = (found["row"] == top) & (found["col"] == left)
            problem(
                found,
                at & is_data,
                "amount_merged",
                f"the amount is merged over rows {top}–{bottom}: it is not one row's; write each row's amount "
                "in its own cell",
            )


def _missing_units(found: Columns, table: Table, is_data: np.ndarray) -> None:
    """A row whose 计量单位 is empty where other rows say theirs: the row's bare numbers have no unit."""
    if table.first(syn.UNIT_COLUMN) is None:
        return
    todo = is_data & pd.isna(found["unit"]) & pd.isna(found["problem"])
    if todo.any():
        bare = parse_amounts(pd.Series(found["value"][todo]), unit=None)["error"].str.startswith("no unit", na=False)
        at = np.zeros(len(todo), bool)
        at[np.flatnonzero(todo)[bare.to_numpy()]] = True
        problem(
            found,
            at,
            "unit_missing",
            "the row's 计量单位 is empty and its number has no unit: fill in 计量单位 (元, 千元 or 万元)",
        )


def _item_problems(found: Columns, table: Table, rows: Rows, at: _Cells, is_data: np.ndarray) -> None:
    missing = is_data & pd.isna(found["item"])
    if not missing.any():
        return
    if table.first(syn.ITEM) is None and table.first(syn.ITEM_CODE) is None:
        headers = at.column("header")
        problem(
            found,
            missing,
            "column_unknown",
            "column {header!r} gives no line item: name the item in its header (e.g. 村集体经济收入 over "
            "2021年 | 2022年), or add a 科目 column",
            header=headers,
        )
        return
    written = at.row(rows.values("item_written"))
    problem(
        found,
        missing & pd.isna(written),
        "item_missing",
        "the 科目/项目 cell of this row is empty: say which line item the amount is",
    )
    closest = at.row(rows.values("closest_items"))
    hint = np.array([f" (closest known: {c})" if isinstance(c, str) and c else "" for c in closest], dtype=object)
    problem(
        found,
        missing & pd.notna(written),
        "item_unknown",
        "line item {written!r} is not known{hint}: use a 收益分配表 item (经营收入, 投资收益, …) or add its "
        "spelling to synonyms.csv (spelling,meaning) beside the ledgers",
        written=written,
        hint=hint,
    )


def _village_problems(
    found: Columns, cells: SheetCells, table: Table, context: Context, at: _Cells, is_data: np.ndarray
) -> None:
    # 乙\x00村 beside 乙村: a control character (from a broken export) would make a second village.
    villages = np.asarray(found["village"], dtype=object)
    distinct = pd.unique(villages) if len(villages) > SHORT_COLUMN else dict.fromkeys(villages.tolist())
    unreadable = [v for v in distinct if not pd.isna(v) and _CONTROL.search(str(v))]
    garbled = pd.Series(villages).isin(unreadable).to_numpy() if unreadable else np.zeros(len(villages), dtype=bool)
    problem(
        found,
        is_data & garbled,
        "village_unreadable",
        "the village name {name!r} holds a control character (a broken export or copy): retype the name",
        name=found["village"],
    )
    no_village = is_data & pd.isna(found["village"])
    if table.first(syn.VILLAGE) is not None or context.village:
        problem(found, no_village, "village_missing", "the row has amounts but no village name: fill in the 村 cell")
        return
    across = pd.notna(at.column("village"))
    problem(
        found, no_village & across, "village_missing", "the row has amounts but no village name: fill in the 村 cell"
    )
    if table.of_role(syn.TOWNSHIP, syn.COUNTY):
        # A table of townships (a summary): read_rows told its rows apart; a row naming none is no village.
        problem(
            found,
            no_village & pd.isna(found["summary"]),
            "village_missing",
            "the row has amounts but no village name: fill in the 村 cell",
        )
        return
    scope = summary_scope(context, cells.sheet.sheet)
    sums = no_village & ~at.column("role", eq=SUBTOTAL) & pd.isna(found["problem"])
    if scope is not None:
        # A statement of a township (濠头乡收益分配汇总表) or a 汇总 sheet: it sums villages, it is not one.
        found["row_kind"][sums] = "subtotal"
        found["summary"][sums] = scope
        return
    problem(
        found,
        no_village,
        "village_missing",
        "no village is named for these amounts (no 村 column, 编制单位 line, title or sheet name naming one): "
        "rename the sheet to the village, or add a 村名 column",
    )


def summary_scope(context: Context, sheet: str) -> str | None:
    """What a table that names no village but a place sums: a township's or county's villages, or, in a
    summary sheet (汇总, 合计) that names no place, the villages of the other sheets of its file."""
    if context.township:
        return f"township:{context.township}"
    if context.county:
        return f"county:{context.county}"
    if re.search(r"汇总|合计|总表", sheet or ""):
        return "file"
    return None


def problem(found: Columns, where, code: str, reason: str, **values) -> None:
    """Mark cells of ``found`` (in place) with a problem, keeping the first problem a cell got."""
    where = np.asarray(where, dtype=bool) & pd.isna(found["problem"])
    if not where.any():
        return
    found["problem"][where] = code
    if values:
        picked = {k: np.asarray(v, dtype=object)[where] for k, v in values.items()}
        found["reason"][where] = [
            reason.format(**{k: v[i] for k, v in picked.items()}) for i in range(int(where.sum()))
        ]
    else:
        found["reason"][where] = reason


def no_cells() -> Columns:
    """A table's cells where it has none."""
    return no_columns(CELL_COLUMNS)


__all__ = ["CELL_COLUMNS", "FORMULA_TEXT", "no_cells", "problem", "summary_scope", "table_cells"]
