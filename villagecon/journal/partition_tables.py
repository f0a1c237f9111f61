"""The small tables one cleaned partition gives: entries, rejects, breaks, unmapped, subtotals, books, kinds, files.

Each is a function of the cleaned lines alone (cells optional), so that the pandas and Dask paths
compute them with the same code; :mod:`~villagecon.journal.combine` adds them up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from villagecon.journal.columns import (
    BOOK_COLUMNS,
    BREAK_COLUMNS,
    FIELD_LABELS,
    IDENTITY_COLUMNS,
    ITEM_TOTAL_COLUMNS,
    KINDS,
    REJECT_COLUMNS,
    SUBTOTAL_COLUMNS,
    UNMAPPED_COLUMNS,
)
from villagecon.journal.row_kinds import labels_of
from villagecon.vocab.journal_items import INCOME, UNMAPPED

__all__ = [
    "CELL_PROBLEMS",
    "PARTITION_TABLES",
    "empty_table",
    "group_unmapped",
    "journal_books",
    "journal_breaks",
    "journal_entries",
    "journal_files",
    "journal_kinds",
    "journal_rejects",
    "journal_subtotals",
    "journal_unmapped",
    "partition_results",
]

log = logging.getLogger(__name__)


def journal_entries(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines added up by village, year and item (:data:`~villagecon.journal.columns.ITEM_TOTAL_COLUMNS`).

    These are the journal's side of the accounts. An income line counts 借方 − 贷方 (a refund paid back
    reduces it), an expense line 贷方 − 借方. Transfers between cash and bank, balance-sheet movements and
    unmapped lines are left out.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines (:func:`~villagecon.journal.clean_rows.clean_journal_frame`).

    Returns
    -------
    DataFrame
    """
    used = lines.loc[lines["kind"].eq("data") & lines["item"].notna()]
    debit, credit = used["debit_yuan"].fillna(0.0), used["credit_yuan"].fillna(0.0)
    signed = np.where(used["counter_kind"].eq(INCOME), debit - credit, credit - debit)
    if used.empty:
        return empty_table(
            ITEM_TOTAL_COLUMNS, {"year": "int64", "amount_yuan": "float64", "approx": "bool", "lines": "int64"}
        )
    entries = (
        used.assign(amount_yuan=signed, lines=1)
        .groupby([*IDENTITY_COLUMNS, "year", "item"], dropna=False, sort=True)
        .agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"), lines=("lines", "sum"))
        .reset_index()
    )
    entries["detail"] = pd.Series(pd.NA, index=entries.index, dtype="str")
    return entries.loc[:, list(ITEM_TOTAL_COLUMNS)]


def _sources(frame: pd.DataFrame) -> pd.Series:
    return frame["file"] + "!" + frame["sheet"] + "!" + frame["row"].astype("str")


def _cells(frame: pd.DataFrame, fields: pd.Series, cells: pd.DataFrame | None) -> pd.Series:
    """A1 reference of each row's ``fields`` cell where the sheet's layout is known, else the field's name."""
    names = fields.astype("str")
    if cells is None or cells.empty or frame.empty:
        return names
    at = frame[["file", "sheet"]].assign(field=names.to_numpy()).merge(cells, on=["file", "sheet", "field"], how="left")
    letters = at["letters"].to_numpy(dtype=object)
    found = pd.notna(letters)
    refs = names.to_numpy(dtype=object).copy()
    refs[found] = letters[found] + frame["row"].astype("str").to_numpy(dtype=object)[found]
    return pd.Series(refs, index=frame.index, dtype="str")


def journal_rejects(lines: pd.DataFrame, *, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rejected rows and unreadable cells, each with file!sheet!row, cell and what to do.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.
    cells : DataFrame, optional
        Column letters of each field per sheet (file, sheet, field, letters), from
        :func:`~villagecon.journal.spreadsheets.read_journal_sheet`; without it the cell is the field's name.

    Returns
    -------
    DataFrame
        :data:`~villagecon.journal.columns.REJECT_COLUMNS`.
    """
    bad = lines.loc[lines["kind"].eq("rejected") | lines["problem"].isin(CELL_PROBLEMS)]
    if bad.empty:
        return empty_table(REJECT_COLUMNS)
    fields = bad["field"].fillna("summary")
    return pd.DataFrame(
        {
            "source": _sources(bad),
            "cell": _cells(bad, fields, cells),
            "column": fields.map(FIELD_LABELS).astype("str"),
            "value": bad["written"].fillna(bad["summary"]).fillna(""),
            "problem": bad["problem"],
            "reason": bad["reason"],
        }
    ).reset_index(drop=True)


def journal_breaks(lines: pd.DataFrame, *, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows whose 余额 does not follow from the row before, with the expected 余额.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.
    cells : DataFrame, optional
        As for :func:`journal_rejects`.

    Returns
    -------
    DataFrame
        :data:`~villagecon.journal.columns.BREAK_COLUMNS`.
    """
    broken = lines.loc[lines["balance_problem"].notna()]
    if broken.empty:
        return empty_table(
            BREAK_COLUMNS,
            {
                "year": "int64",
                "month": "Int64",
                "day": "Int64",
                "debit_yuan": "float64",
                "credit_yuan": "float64",
                "balance_yuan": "float64",
                "expected_balance": "float64",
                "difference": "float64",
            },
        )
    difference = broken["balance_yuan"] - broken["expected_balance"]
    reasons = [
        (
            f"余额 {_yuan(written)} should be {_yuan(expected)}: the next row carries on from {_yuan(expected)}, so "
            "this 余额 was miswritten; correct it"
        )
        if problem == "balance_typo"
        else (
            f"余额 {_yuan(written)} but the 余额 above plus 借方 minus 贷方 gives {_yuan(expected)} (difference "
            f"{_yuan(written - expected)}): a line is missing or an amount is wrong; the rows below are checked from "
            "this 余额 as written"
        )
        for problem, written, expected in zip(
            broken["balance_problem"], broken["balance_yuan"], broken["expected_balance"], strict=True
        )
    ]
    table = broken.assign(
        source=_sources(broken),
        cell=_cells(broken, pd.Series("balance", index=broken.index), cells),
        difference=difference,
        problem=broken["balance_problem"],
        reason=reasons,
    )
    return table.loc[:, list(BREAK_COLUMNS)].reset_index(drop=True)


def journal_unmapped(lines: pd.DataFrame) -> pd.DataFrame:
    """对方科目 (or, where it is blank, 摘要) that map to no line item, with how many lines and how much money.

    Their lines stay in the journal and its balance, but not in the accounts: add the spelling to
    :mod:`villagecon.vocab.journal_items` (or to the synonym table) and clean again.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.

    Returns
    -------
    DataFrame
        counter_account, summary, lines, debit_yuan, credit_yuan and the first file, sheet and row;
        :func:`~villagecon.journal.combine.combine_results` turns these into :data:`UNMAPPED_COLUMNS`.
    """
    unmapped = lines.loc[lines["kind"].eq("data") & lines["counter_kind"].eq(UNMAPPED)]
    if unmapped.empty:
        return empty_table(
            [*UNMAPPED_COLUMNS[:-2], "first_file", "first_sheet", "first_row"],
            {"lines": "int64", "debit_yuan": "float64", "credit_yuan": "float64", "first_row": "int64"},
        )
    counter = unmapped["counter_account"].str.strip()
    blank = counter.isna() | counter.eq("")
    keyed = pd.DataFrame(
        {
            "counter_account": counter.where(~blank),
            "summary": unmapped["summary"].where(blank),
            "lines": 1,
            "debit_yuan": unmapped["debit_yuan"].fillna(0.0),
            "credit_yuan": unmapped["credit_yuan"].fillna(0.0),
            "first_file": unmapped["file"],
            "first_sheet": unmapped["sheet"],
            "first_row": unmapped["row"],
        }
    )
    return group_unmapped(keyed)


def group_unmapped(keyed: pd.DataFrame) -> pd.DataFrame:
    """Unmapped lines (or partial sums) grouped by 对方科目 and 摘要, keeping the first place each was seen.

    Parameters
    ----------
    keyed : DataFrame
        counter_account, summary, lines, debit_yuan, credit_yuan, first_file, first_sheet, first_row.

    Returns
    -------
    DataFrame
        The same columns, one row per 对方科目 and 摘要.
    """
    keyed = keyed.sort_values(["first_file", "first_sheet", "first_row"], kind="stable")
    return (
        keyed.groupby(["counter_account", "summary"], dropna=False, sort=True)
        .agg(
            lines=("lines", "sum"),
            debit_yuan=("debit_yuan", "sum"),
            credit_yuan=("credit_yuan", "sum"),
            first_file=("first_file", "first"),
            first_sheet=("first_sheet", "first"),
            first_row=("first_row", "first"),
        )
        .reset_index()
    )


def journal_subtotals(lines: pd.DataFrame, *, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """本月合计 / 本年累计 rows that do not add up (``mismatch``) or could not be checked (``unchecked``).

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.
    cells : DataFrame, optional
        As for :func:`journal_rejects`.

    Returns
    -------
    DataFrame
        :data:`~villagecon.journal.columns.SUBTOTAL_COLUMNS`.
    """
    off = lines.loc[lines["subtotal_status"].isin(["mismatch", "unchecked"])]
    if off.empty:
        return empty_table(
            SUBTOTAL_COLUMNS,
            {
                "year": "int64",
                "month": "Int64",
                "amount_yuan": "float64",
                "lines_sum": "float64",
                "difference": "float64",
            },
        )
    fields = off["subtotal_field"].fillna("debit")
    amount = np.where(fields.eq("credit"), off["credit_yuan"], off["debit_yuan"])
    difference = amount - off["lines_sum"].to_numpy()
    reasons = [
        f"{labels_of(kind)} {FIELD_LABELS[name]} is {_yuan(a)} but the lines it covers add up to {_yuan(s)} "
        f"(difference {_yuan(a - s)}): the lines were kept; check them or correct the total"
        if status == "mismatch"
        else f"{labels_of(kind)} covers a rejected line, so it cannot be checked"
        for kind, name, a, s, status in zip(
            off["kind"], fields, amount, off["lines_sum"], off["subtotal_status"], strict=True
        )
    ]
    table = off.assign(
        source=_sources(off),
        cell=_cells(off, fields, cells),
        field=fields,
        amount_yuan=amount,
        difference=difference,
        status=off["subtotal_status"],
        reason=reasons,
    )
    return table.loc[:, list(SUBTOTAL_COLUMNS)].reset_index(drop=True)


def journal_books(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per book (file and sheet): rows, lines, balances, sums and breaks.

    The balance before the first line and after the last, the sums of 借方 and 贷方 over the lines, and
    how many balance breaks. Opening and closing balances let a year's 上年结转 be compared with the year
    before's 结转下年.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.

    Returns
    -------
    DataFrame
        :data:`~villagecon.journal.columns.BOOK_COLUMNS`.
    """
    if lines.empty:
        return empty_table(
            BOOK_COLUMNS,
            {
                "year": "int64",
                "rows": "int64",
                "lines": "int64",
                "opening_balance": "float64",
                "closing_balance": "float64",
                "debit_yuan": "float64",
                "credit_yuan": "float64",
                "breaks": "int64",
            },
        )
    is_line = lines["kind"].eq("data")
    flow = (lines["debit_yuan"].fillna(0.0) - lines["credit_yuan"].fillna(0.0)).where(is_line, 0.0)
    frame = lines.assign(
        rows=1,
        lines=is_line.astype("int64"),
        before=(lines["balance_yuan"] - flow),
        debit_line=lines["debit_yuan"].where(is_line, 0.0).fillna(0.0),
        credit_line=lines["credit_yuan"].where(is_line, 0.0).fillna(0.0),
        breaks=lines["balance_problem"].notna().astype("int64"),
    )
    books = (
        frame.groupby(["file", "sheet"], sort=True, dropna=False)
        .agg(
            county=("county", "first"),
            township=("township", "first"),
            village=("village", "first"),
            village_code=("village_code", "first"),
            book=("book", "first"),
            year=("year", "first"),
            rows=("rows", "sum"),
            lines=("lines", "sum"),
            opening_balance=("before", "first"),
            closing_balance=("balance_yuan", "last"),
            debit_yuan=("debit_line", "sum"),
            credit_yuan=("credit_line", "sum"),
            breaks=("breaks", "sum"),
        )
        .reset_index()
    )
    return books.loc[:, list(BOOK_COLUMNS)]


def journal_kinds(lines: pd.DataFrame) -> pd.DataFrame:
    """Rows by kind (every kind of :data:`~villagecon.journal.columns.KINDS`, zero included).

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.

    Returns
    -------
    DataFrame
        kind, rows.
    """
    counts = lines["kind"].value_counts().reindex(list(KINDS), fill_value=0)
    return pd.DataFrame({"kind": pd.array(list(KINDS), dtype="str"), "rows": counts.to_numpy().astype("int64")})


def journal_files(lines: pd.DataFrame) -> pd.DataFrame:
    """Rows read per file (for a parquet set, per county=…/year=… partition).

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines.

    Returns
    -------
    DataFrame
        file, rows.
    """
    if lines.empty:
        return empty_table(["file", "rows"], {"rows": "int64"})
    return lines.groupby("file", sort=True).size().rename("rows").reset_index()


# The small tables one partition gives, by name. Each is a function of the cleaned lines alone (cells
# optional), so that pandas and dask compute them with the same code.
PARTITION_TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "entries": journal_entries,
    "rejects": journal_rejects,
    "breaks": journal_breaks,
    "unmapped": journal_unmapped,
    "subtotals": journal_subtotals,
    "books": journal_books,
    "kinds": journal_kinds,
    "files": journal_files,
}
_TAKES_CELLS = {"rejects", "breaks", "subtotals"}


def partition_results(lines: pd.DataFrame, *, cells: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table of :data:`PARTITION_TABLES` for one cleaned partition.

    Parameters
    ----------
    lines : DataFrame
        Cleaned lines of one partition.
    cells : DataFrame, optional
        As for :func:`journal_rejects`.

    Returns
    -------
    dict of str to DataFrame
        By the names of :data:`PARTITION_TABLES`, in its order.
    """
    return {
        name: (table(lines, cells=cells) if name in _TAKES_CELLS else table(lines))
        for name, table in PARTITION_TABLES.items()
    }


def empty_table(columns: Iterable[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """A table with no rows and the given columns (text unless ``dtypes`` says otherwise).

    Parameters
    ----------
    columns : iterable of str
    dtypes : dict, optional
        dtype by column name.

    Returns
    -------
    DataFrame
    """
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


def _yuan(amount: float) -> str:
    return f"{amount:,.2f} 元"


# Rejects that name one cell of a row that was kept: an unreadable 余额, or an unreadable 本月合计.
CELL_PROBLEMS = ("balance_unreadable", "total_unreadable")
