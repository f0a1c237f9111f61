"""Cleaning one partition: raw journal rows in, one cleaned row out per row in.

Each row gets its kind (a line, a repeated total, blank, note, rejected), its amounts in yuan, for lines
its item (:mod:`~villagecon.journal.line_items`), and the checks of :mod:`~villagecon.journal.balance_checks`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from villagecon import schemas
from villagecon.journal.balance_checks import check_balances, check_subtotals
from villagecon.journal.columns import AMOUNT_FIELDS, FIELD_LABELS, as_raw, empty_raw
from villagecon.journal.line_items import items_of_lines
from villagecon.journal.row_kinds import arrow_text, numpy_bool, repeated_row_kinds
from villagecon.parse.amounts import parse_amounts, unit_factor
from villagecon.parse.cell_text import as_text
from villagecon.vocab.synonyms import NOTE_PATTERN

__all__ = ["clean_journal_frame", "empty_lines"]

log = logging.getLogger(__name__)


def clean_journal_frame(raw: pd.DataFrame, *, unit: str | None = "元") -> pd.DataFrame:
    """Clean raw journal rows: one row out per row in, with its kind, amounts, item and checks.

    Parameters
    ----------
    raw : DataFrame
        Columns of :data:`RAW_COLUMNS` (missing optional ones are added empty). The rows of a book
        (same ``file`` and ``sheet``) are in the order written; books may be mixed.
    unit : {"元", "万元", ...} or None
        Unit of bare numbers. Journals are kept in 元, the default.

    Returns
    -------
    DataFrame
        The columns of :func:`empty_lines`: the identity and cells of ``raw``; ``debit_yuan``,
        ``credit_yuan``, ``balance_yuan`` (signed by 借或贷); ``approx``; ``kind`` (:data:`KINDS`);
        for lines, ``item`` (canonical line item, or missing), ``counter_kind`` (income, expense,
        transfer, balance_sheet, unmapped) and ``item_from`` (``对方科目`` or ``摘要``);
        ``problem``/``reason``/``field``/``written`` for rejected rows and unreadable cells;
        ``expected_balance`` and ``balance_problem`` (``balance_break`` or ``balance_typo``) where
        the 余额 does not follow from the row before; ``subtotal_status`` (ok, mismatch,
        unchecked) with ``subtotal_field``/``lines_sum`` for 本月合计 and 本年累计 rows.
        No per-row Python: everything is column operations, so a partition of a million rows
        takes about a second.
    """
    unit_factor(unit)
    raw = as_raw(raw)
    n = len(raw)
    book = _book_ids(raw)
    order = np.lexsort((raw["row"].to_numpy(), book))
    if not np.array_equal(order, np.arange(n)):
        raw, book = raw.take(order).reset_index(drop=True), book[order]

    amounts = {name: parse_amounts(raw[name], unit=unit) for name in AMOUNT_FIELDS}
    debit, credit, balance = (amounts[name]["amount_yuan"].to_numpy() for name in AMOUNT_FIELDS)
    errors = {name: amounts[name]["error"] for name in AMOUNT_FIELDS}
    balance = _signed_balance(balance, raw["direction"])

    summary = arrow_text(raw["summary"])
    kind = repeated_row_kinds(summary)
    no_amounts = np.isnan(debit) & np.isnan(credit) & np.isnan(balance) & _all_missing(errors)
    empty = no_amounts & _blank(raw["summary"]) & _blank(raw["counter_account"]) & _blank(raw["voucher"])
    kind[empty] = "blank"
    kind[no_amounts & ~empty & numpy_bool(pc.match_substring_regex(summary, NOTE_PATTERN.pattern))] = "note"

    # pandas-stubs do not allow na_value=None, which pandas does (missing becomes None).
    problem = raw["problem"].to_numpy(dtype=object, na_value=None).copy()  # type: ignore[call-overload]
    reason = raw["reason"].to_numpy(dtype=object, na_value=None).copy()  # type: ignore[call-overload]
    bad_field = np.full(n, None, dtype=object)
    written = np.full(n, None, dtype=object)
    data = kind == "data"
    for name in ("balance", "credit", "debit"):  # debit last: a row names its first unreadable cell
        bad = errors[name].notna().to_numpy() & ~np.isin(kind, ("blank", "note"))
        if bad.any():
            bad_field[bad] = name
            written[bad] = [as_text(value) for value in raw[name].to_numpy(dtype=object)[bad]]
            reason[bad] = [
                f"{FIELD_LABELS[name]} {text!r}: {error}; correct the cell (write a number, e.g. 1234.50)"
                for text, error in zip(written[bad], errors[name][bad], strict=True)
            ]
            problem[bad & ~data] = "total_unreadable"
            # A line whose 借方 or 贷方 cannot be read has an unknown flow: the line is rejected. An unreadable
            # 余额 only costs the check of that balance; the line is kept.
            problem[bad & data & (name != "balance")] = "amount"
            problem[bad & data & (name == "balance")] = "balance_unreadable"
    flowless = data & np.isnan(debit) & np.isnan(credit) & pd.isna(problem)
    problem[flowless] = "no_amount"
    reason[flowless] = (
        "neither 借方 nor 贷方 is written: enter the amount; a row that only carries the balance "
        "forward should say 承前页, 上年结转 or 结转下年 in its 摘要"
    )
    rejected = data & pd.notna(problem) & (problem != "balance_unreadable")
    kind[rejected] = "rejected"
    data = kind == "data"

    item, counter_kind, item_from = items_of_lines(raw, data, debit, credit)
    # A rejected line still moved its money unless its 借方 or 贷方 could not be read.
    unknown_flow = (kind == "rejected") & (problem == "amount")
    expected, balance_problem = check_balances(book, kind, unknown_flow, debit, credit, balance)
    subtotal_status, subtotal_field, lines_sum = check_subtotals(book, kind, unknown_flow, raw["month"], debit, credit)

    approx = np.zeros(n, dtype=bool)
    for name in ("debit", "credit"):
        approx |= amounts[name]["approx"].to_numpy()
    lines = pd.DataFrame(
        {
            **{
                name: raw[name]
                for name in (
                    "county",
                    "township",
                    "village",
                    "village_code",
                    "book",
                    "year",
                    "month",
                    "day",
                    "voucher",
                    "summary",
                    "counter_account",
                    "file",
                    "sheet",
                    "row",
                )
            },
            "debit_yuan": debit,
            "credit_yuan": credit,
            "balance_yuan": balance,
            "approx": approx,
            "kind": pd.array(kind, dtype="str"),
            "item": pd.array(item, dtype="str"),
            "counter_kind": pd.array(counter_kind, dtype="str"),
            "item_from": pd.array(item_from, dtype="str"),
            "problem": pd.array(problem, dtype="str"),
            "reason": pd.array(reason, dtype="str"),
            "field": pd.array(bad_field, dtype="str"),
            "written": pd.array(written, dtype="str"),
            "expected_balance": expected,
            "balance_problem": pd.array(balance_problem, dtype="str"),
            "subtotal_status": pd.array(subtotal_status, dtype="str"),
            "subtotal_field": pd.array(subtotal_field, dtype="str"),
            "lines_sum": lines_sum,
        }
    )
    return schemas.validate_journal_lines(lines)


def _book_ids(raw: pd.DataFrame) -> np.ndarray:
    """One integer per book (file and sheet), in order of first appearance."""
    if raw.empty:
        return np.zeros(0, dtype=np.int64)
    files, _ = pd.factorize(raw["file"])
    sheets, sheet_names = pd.factorize(raw["sheet"])
    return pd.factorize(files.astype(np.int64) * (len(sheet_names) + 1) + sheets)[0].astype(np.int64)


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("str")
    return (text.isna() | text.str.strip().eq("")).to_numpy(dtype=bool, na_value=True)


def _all_missing(errors: dict[str, pd.Series]) -> np.ndarray:
    return np.asarray(np.logical_and.reduce([e.isna().to_numpy() for e in errors.values()]), dtype=bool)


def _signed_balance(balance: np.ndarray, direction: pd.Series) -> np.ndarray:
    """余额 with 借或贷 applied: 贷 makes it negative (an overdrawn book), 平 means zero."""
    if direction.isna().all():
        return balance
    text = direction.astype("str").str.strip()
    credit_side = text.str.startswith("贷").to_numpy(dtype=bool, na_value=False)
    level = text.eq("平").to_numpy(dtype=bool, na_value=False)
    balance = np.where(credit_side, -np.abs(balance), balance)
    return np.where(level & np.isnan(balance), 0.0, balance)


def empty_lines() -> pd.DataFrame:
    """What :func:`clean_journal_frame` returns for no rows: the columns and dtypes (dask's ``meta``).

    Returns
    -------
    DataFrame
        No rows.
    """
    return clean_journal_frame(empty_raw())
