"""Every amount cell of a table, with the village, year, item and unit it belongs to, still unparsed.

A cell's meaning is put together from three places, the most specific first: its column's header (an item,
a year, a period such as 上年数, a village across, a unit), its row's labels (村名, 科目, 年度, 计量单位), and
the sheet's context (title, 单位 line, 编制单位, sheet and file name). What cannot be put together travels with
the cell as ``problem``/``reason`` so that the cleaner rejects it: no cell is dropped here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from villagecon import synonyms as syn
from villagecon.ingest.cells import SheetCells
from villagecon.ingest.context import Context
from villagecon.ingest.headers import SUBTOTAL, UNKNOWN, Column, Table
from villagecon.ingest.rows import AMOUNT_ROLES, Rows
from villagecon.io import cell_ref

CELL_COLUMNS = ("row", "col", "column", "village", "township", "county", "village_code", "year", "item", "detail",
                "value", "unit", "row_kind", "precedence", "adds_up", "summary",
                "problem", "reason")
FORMULA_TEXT = "(formula without a saved value)"


def table_cells(cells: SheetCells, table: Table, rows: Rows, context: Context, *,
                formulas: set[tuple[int, int]]) -> pd.DataFrame:
    """Every non-empty cell of the table's amount columns in data and subtotal rows (and formulas without a
    saved value), as CELL_COLUMNS."""
    frames = [_column_cells(cells, table, rows, context, column, formulas)
              for column in table.of_role(*AMOUNT_ROLES)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return no_cells()
    frame = pd.concat(frames, ignore_index=True)
    money_columns = table.of_role(syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)
    if len(money_columns) > 1:
        crowded = frame["row"].isin(frame.loc[frame["col"].isin([c.col for c in money_columns]), "row"]
                                    .loc[lambda r: r.duplicated()]) & frame["col"].isin([c.col for c in money_columns])
        frame = problem(frame, crowded & frame["row_kind"].eq("data"), "amount_ambiguous",
                        "both the 收入 and the 支出 column are filled in this row: keep one amount per row")
    return frame


def _column_cells(cells: SheetCells, table: Table, rows: Rows, context: Context, column: Column,
                  formulas: set[tuple[int, int]]) -> pd.DataFrame:
    body = table.body
    col = column.col
    kinds = rows.kinds
    formula_rows = [r for r, c in formulas if c == col]
    present = cells.text.loc[body, col].ne("") | pd.Series(body.isin(formula_rows), index=body)
    wanted = present & kinds.isin(["data", "subtotal"])
    at = body[wanted.to_numpy()]
    n = len(at)
    if not n:
        return no_cells()
    entities_down = table.first(syn.VILLAGE) is not None
    village = (rows.village.loc[at] if entities_down
               else pd.Series(column.village or context.village, index=at, dtype=object))
    township = rows.township.loc[at].where(rows.township.loc[at].notna(), context.township)
    county = rows.county.loc[at].where(rows.county.loc[at].notna(), context.county)
    year, precedence, year_problem = _years(table, rows, context, column, at)
    item = (pd.Series(column.item, index=at, dtype=object) if column.item
            else rows.item.loc[at])
    unit = pd.Series(column.unit, index=at, dtype=object) if column.unit else rows.unit.loc[at]
    unit = unit.where(unit.notna(), context.unit)
    row_kind = pd.Series(np.where(kinds.loc[at].eq("subtotal") | (column.role == SUBTOTAL), "subtotal", "data"),
                         index=at)
    summaries = rows.summaries.set_index("subtotal_row") if len(rows.summaries) else None
    frame = pd.DataFrame({
        "row": at.to_numpy(),
        "col": col,
        "column": column.header,
        "village": village.to_numpy(dtype=object),
        "township": township.to_numpy(dtype=object),
        "county": county.to_numpy(dtype=object),
        "village_code": rows.village_code.loc[at].to_numpy(dtype=object),
        "year": year.to_numpy(dtype=object),
        "item": item.to_numpy(dtype=object),
        "detail": rows.detail.loc[at].to_numpy(dtype=object),
        "value": cells.sheet.grid.loc[at, col].to_numpy(dtype=object),
        "unit": unit.to_numpy(dtype=object),
        "row_kind": row_kind.to_numpy(),
        "precedence": precedence.to_numpy(dtype=object),
        "adds_up": rows.adds_up.loc[at].to_numpy(dtype=bool),
        "summary": summaries["summary"].reindex(at).to_numpy(dtype=object) if summaries is not None else None,
        "problem": None,
        "reason": None,
    })
    is_data = frame["row_kind"].eq("data").to_numpy()
    if formula_rows:
        is_formula = frame["row"].isin(formula_rows).to_numpy()
        frame.loc[is_formula, "value"] = FORMULA_TEXT
        frame = problem(frame, is_formula, "formula_uncached",
                        "the cell holds a formula whose result was never saved: open the file in Excel, let it "
                        "calculate, save it, and read it again")
    if column.role == UNKNOWN:
        label = column.header or f"{cell_ref(None, col)} (no header)"
        frame = problem(frame, np.ones(n, bool), "column_unknown",
                        f"column {label!r} is not a known line item: rename it (e.g. 经营收入, 本年收入合计), add "
                        f"its spelling to synonyms.csv (spelling,meaning) beside the ledgers, or delete the column")
        return frame.loc[is_data].reset_index(drop=True)
    if column.item and rows.item.loc[at].notna().any():
        # The rows name their items (科目): a column named for an item as well says something else.
        frame = problem(frame, rows.item.loc[at].notna().to_numpy(), "column_unknown",
                        f"column {column.header!r} is not read in a ledger whose rows name their item (科目 and "
                        "金额 columns): move its amounts into the 金额 column with their 科目, or delete the column")
        return frame.loc[is_data].reset_index(drop=True)
    frame = problem(frame, is_data & pd.isna(frame["year"]).to_numpy(), "year", "{why}",
                    why=year_problem.to_numpy(dtype=object))
    frame = _item_problems(frame, table, rows, column, at, is_data)
    if table.first(syn.VILLAGE) is not None or column.village or context.village:
        frame = problem(frame, is_data & frame["village"].isna().to_numpy(), "village_missing",
                        "the row has amounts but no village name: fill in the 村 cell")
    elif table.of_role(syn.TOWNSHIP, syn.COUNTY):
        # A table of townships (a summary): its rows were told apart by read_rows; a row of none is no village.
        frame = problem(frame, is_data & pd.isna(frame["summary"]).to_numpy(), "village_missing",
                        "the row has amounts but no village name: fill in the 村 cell")
    elif column.role != SUBTOTAL and (scope := summary_scope(context, cells.sheet.sheet)):
        # A statement of a township (濠头乡收益分配汇总表) or a 汇总 sheet: it sums villages, it is not one.
        frame["row_kind"], frame["summary"] = "subtotal", scope
    else:
        frame = problem(frame, is_data, "village_missing",
                        "no village is named for these amounts (no 村 column, 编制单位 line, title or sheet name "
                        "naming one): rename the sheet to the village, or add a 村名 column")
    return frame


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


def _years(table: Table, rows: Rows, context: Context, column: Column, at: pd.Index):
    """Year, precedence (current, or prior for 上年数/年初数) and the reason when there is no year."""
    has_year_column = table.first(syn.YEAR) is not None or table.first(syn.DATE) is not None
    if column.year is not None:
        base = pd.Series(column.year, index=at, dtype=object)
    elif has_year_column:
        # 本年/上年 in the 年度 column: the sheet's year and the year before.
        base = rows.year.loc[at].where(rows.year.loc[at].notna() | rows.period.loc[at].isna(), context.year)
    else:
        base = pd.Series(context.year, index=at, dtype=object)
    period = pd.Series(column.period, index=at, dtype=object) if column.period else rows.period.loc[at]
    prior = period.eq(syn.PRIOR).to_numpy()
    year = pd.Series([None if pd.isna(y) else int(y) - p for y, p in zip(base, prior, strict=True)], index=at,
                     dtype=object)
    precedence = pd.Series(np.where(prior, "prior", "current"), index=at, dtype=object)
    generic = ("no year found in the column header, a 年度 column, the title, the sheet name or the file name: "
               "add one (e.g. a title '2022年…' or a 年度 column)")
    if has_year_column and column.year is None:
        why = rows.year_problem.loc[at].where(rows.year_problem.loc[at].notna(), generic)
    else:
        why = pd.Series(context.year_problem or generic, index=at, dtype=object)
    return year, precedence, why


def _item_problems(frame: pd.DataFrame, table: Table, rows: Rows, column: Column, at: pd.Index,
                   is_data: np.ndarray) -> pd.DataFrame:
    if column.item:
        return frame
    has_item_column = table.first(syn.ITEM) is not None or table.first(syn.ITEM_CODE) is not None
    if not has_item_column:
        return problem(frame, is_data, "column_unknown",
                       f"column {column.header!r} gives no line item: name the item in its header (e.g. "
                       "村集体经济收入 over 2021年 | 2022年), or add a 科目 column")
    written = rows.item_written.loc[at].to_numpy(dtype=object)
    missing_item = frame["item"].isna().to_numpy()
    frame = problem(frame, is_data & missing_item & pd.isna(written), "item_missing",
                    "the 科目/项目 cell of this row is empty: say which line item the amount is")
    return problem(frame, is_data & missing_item & pd.notna(written), "item_unknown",
                   "line item {written!r} is not known: use a 收益分配表 item (经营收入, 投资收益, …) or add its "
                   "spelling to synonyms.csv (spelling,meaning) beside the ledgers", written=written)


def problem(frame: pd.DataFrame, where, code: str, reason: str, **values) -> pd.DataFrame:
    """Mark rows of ``frame`` with a problem, keeping the first problem a cell got."""
    where = np.asarray(where, dtype=bool) & frame["problem"].isna().to_numpy()
    if not where.any():
        return frame
    frame = frame.copy()
    frame.loc[where, "problem"] = code
    if values:
        picked = {k: np.asarray(v, dtype=object)[where] for k, v in values.items()}
        frame.loc[where, "reason"] = [reason.format(**{k: v[i] for k, v in picked.items()})
                                      for i in range(int(where.sum()))]
    else:
        frame.loc[where, "reason"] = reason
    return frame


def no_cells() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in CELL_COLUMNS})

