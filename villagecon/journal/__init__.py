"""Cash journals (现金日记账 / 银行存款日记账): read, check, and add up into village-year accounts.

A journal has one line per receipt or payment: 年/月/日 (or 日期), 凭证号, 摘要, 对方科目, 借方/贷方
(or 收入/支出), 借或贷 and 余额. Between the lines stand rows that repeat what is above them —
上年结转, 本月合计, 本年累计, 承前页/过次页, 结转下年 — and these are recognised and never added again.

The flow, one partition (a book, a file, or one county-year of a parquet set) at a time::

    raw journal rows       columns of :data:`RAW_COLUMNS`, cells as written
      ▼ clean_journal_frame  one row out per row in: kind (data, opening, month_total, year_total,
      │                      carried, closing, blank, note, rejected), amounts in yuan
      │                      (:func:`~villagecon.parse.amounts.parse_amounts`), 对方科目/摘要 → item,
      │                      running balance checked (余额 = previous 余额 + 借方 − 贷方),
      │                      本月合计/本年累计 checked against the lines they sum
      ▼ partition_results    small tables: entries (village-year-item sums), rejects, balance
      │                      breaks, unmapped counter-accounts, subtotal mismatches, books, counts
      ▼ combine              one :class:`Journal`; accounts = :func:`villagecon.ingest.ledger.to_accounts`

:func:`read_journal` runs it on one machine (spreadsheets, or a parquet set partitioned by county and
year, file by file with a progress bar); :func:`clean_journal_dask` runs the same functions on
``dask.dataframe`` over the parquet set. :func:`reconcile_accounts` compares journal accounts with
annual statements (收益分配表) where both exist.

Every input row ends in exactly one place, told by its kind: a line (``data``), a repeated total
(``opening``, ``month_total``, ``year_total``, ``carried``, ``closing``), ``blank``, ``note`` or
``rejected`` (:meth:`Journal.check_nothing_lost`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from villagecon import schemas
from villagecon.errors import LocatedError, UsageError, VillageconError
from villagecon.ingest.files import RawSheet, ReadLimits, cell_ref, iter_ledger_files, read_sheets
from villagecon.ingest.ledger import to_accounts
from villagecon.ingest.register import match_villages, read_register
from villagecon.outputs import replacing_files, write_atomic, write_csv
from villagecon.parse.amounts import parse_amounts, unit_factor, unit_from_text
from villagecon.schemas import JOURNAL_ENTRY_COLUMNS, REJECT_COLUMNS
from villagecon.vocab import labels
from villagecon.vocab.journal_items import (
    BALANCE,
    BALANCE_SHEET,
    COUNTER,
    CREDIT,
    DATE,
    DAY,
    DEBIT,
    DIRECTION,
    EXPENSE,
    INCOME,
    ITEMS_BEFORE_NEW_SYSTEM,
    ITEMS_FROM_NEW_SYSTEM,
    JOURNAL_ROLE_BY_KEY,
    MONTH,
    NEW_SYSTEM_FROM,
    SUMMARY,
    SUMMARY_ITEM_PATTERNS,
    TRANSFER,
    UNMAPPED,
    VOUCHER,
    VOUCHER_NUMBER,
    VOUCHER_WORD,
    YEAR,
    counter_account_of,
)
from villagecon.vocab.synonyms import NOTE_PATTERN, header_key, village_key, village_keys

log = logging.getLogger("villagecon")

CASH_BOOK, BANK_BOOK = "现金日记账", "银行存款日记账"

# The raw journal: one row per row of a book, cells as written. A parquet journal set holds these
# columns except county and year (its hive partition folders, county=…/year=…) and file/sheet/row
# (made from the partition, the book and ``line``).
RAW_COLUMNS = (
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
    "debit",
    "credit",
    "direction",
    "balance",
    "file",
    "sheet",
    "row",
    "problem",
    "reason",
)
PARQUET_COLUMNS = (
    "township",
    "village",
    "village_code",
    "book",
    "month",
    "day",
    "voucher",
    "summary",
    "counter_account",
    "debit",
    "credit",
    "balance",
    "line",
)
_TEXT_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "voucher",
    "summary",
    "counter_account",
    "direction",
    "file",
    "sheet",
    "problem",
    "reason",
)
AMOUNT_FIELDS = ("debit", "credit", "balance")
FIELD_LABELS = {
    "debit": "借方",
    "credit": "贷方",
    "balance": "余额",
    "summary": "摘要",
    "counter_account": "对方科目",
    "month": "月",
    "village": "村",
}

KINDS = ("data", "opening", "month_total", "year_total", "carried", "closing", "blank", "note", "rejected")
# Rows that repeat what is above them, by their 摘要 (the whole cell, so that a line whose 摘要 merely
# mentions 上年结转 stays a line), matched on the normalised 摘要 (:func:`repeated_row_text`).
REPEATED_ROWS = {
    "opening": r"上年结转|上年结余|年初余额|期初余额|上年余额|承上年|上年转入",
    "month_total": r"本月合计|本月发生额合计|本月小计|本月累计|"
    r"(?:0?[1-9]|1[0-2]|十[一二]|[一二三四五六七八九十])月份?(?:合计|小计|发生额合计)",  # 1月合计
    "year_total": r"本年累计|本年合计|本年发生额累计|本年累计发生额",
    "carried": r"承前页|过次页|转次页|承上页|接上页|转下页|过下页|上月结转|月初余额",
    "closing": r"结转下年|年末余额|结转下期|期末余额",
}
_REPEATED_PATTERNS = {kind: rf"^(?:{words})数?$" for kind, words in REPEATED_ROWS.items()}
# Traditional characters (and the variant 馀) of those words, read as the simplified ones.
_TRADITIONAL = {
    "計": "计",
    "頁": "页",
    "過": "过",
    "轉": "转",
    "結": "结",
    "餘": "余",
    "馀": "余",
    "額": "额",
    "發": "发",
}
# Every word of REPEATED_ROWS has one of these (⾴, a Kangxi radical, becomes 頁 under NFKC): 摘要 without
# any are lines, and are not normalised at all.
_REPEATED_ROW_CHARACTERS = "[计页结余转承" + "".join(_TRADITIONAL) + r"\x{2FB4}]"
_NOTE = NOTE_PATTERN.pattern

# A balance that differs by less than a fen from the expected one is the same (amounts are rounded to the fen).
BALANCE_TOLERANCE = 0.005
# Differences up to one yuan between a journal and a statement are rounding, as in the cleaner.
RECONCILE_TOLERANCE = 1.0

BREAK_COLUMNS = (
    "source",
    "cell",
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
    "debit_yuan",
    "credit_yuan",
    "balance_yuan",
    "expected_balance",
    "difference",
    "problem",
    "reason",
)
UNMAPPED_COLUMNS = ("counter_account", "summary", "lines", "debit_yuan", "credit_yuan", "first_source", "reason")
SUBTOTAL_COLUMNS = (
    "source",
    "cell",
    "kind",
    "book",
    "year",
    "month",
    "field",
    "amount_yuan",
    "lines_sum",
    "difference",
    "status",
    "reason",
)
BOOK_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "book",
    "year",
    "file",
    "sheet",
    "rows",
    "lines",
    "opening_balance",
    "closing_balance",
    "debit_yuan",
    "credit_yuan",
    "breaks",
)
ENTRY_COLUMNS = JOURNAL_ENTRY_COLUMNS
RECONCILE_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "year",
    "item",
    "statement_yuan",
    "journal_yuan",
    "difference",
    "status",
    "reason",
)
# What a cash journal can tell: income and expense items, their totals and the year's result. Assets and
# liabilities are not in it.
RECONCILED_ITEMS = (*labels.INCOME_ITEMS, "total_income", *labels.EXPENSE_ITEMS, "total_expense", "net_income")


class JournalLayoutError(LocatedError):
    """A journal sheet whose header, year or village cannot be found."""


# ---------------------------------------------------------------------------------------------
# The raw frame
# ---------------------------------------------------------------------------------------------


def empty_raw() -> pd.DataFrame:
    """A raw journal frame with no rows and every column of :data:`RAW_COLUMNS` (the dtypes used throughout)."""
    return as_raw(pd.DataFrame())


def as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column of :data:`RAW_COLUMNS`, in order, with their dtypes. Does not mutate ``frame``.

    Missing optional columns (direction, voucher, problem, …) are added empty; texts become ``str``,
    year, month, day and row integers (month and day nullable); amount cells stay as written.
    """
    n = len(frame)
    columns = {}
    for name in RAW_COLUMNS:
        values = frame[name] if name in frame else pd.Series([None] * n, index=frame.index, dtype=object)
        if name in _TEXT_COLUMNS:
            columns[name] = (
                values.astype("str")
                if not isinstance(values.dtype, pd.CategoricalDtype)
                else values.astype(object).astype("str")
            )
        elif name in ("year", "row"):
            columns[name] = pd.to_numeric(
                values.astype(object) if isinstance(values.dtype, pd.CategoricalDtype) else values
            ).astype("int64")
        elif name in ("month", "day"):
            columns[name] = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        else:  # amounts, as written: text stays text, numbers stay numbers
            columns[name] = values
    raw = pd.DataFrame(columns).reset_index(drop=True)
    for name in AMOUNT_FIELDS:  # a column with nothing in it reads as text, so that dtypes do not vary
        if raw[name].dtype == object and (raw.empty or raw[name].isna().all()):
            raw[name] = raw[name].astype("str")
    return raw


# ---------------------------------------------------------------------------------------------
# Cleaning one partition
# ---------------------------------------------------------------------------------------------


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
        Columns of :data:`LINE_COLUMNS`: the identity and cells of ``raw``; ``debit_yuan``,
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

    summary = _arrow_text(raw["summary"])
    kind = _repeated_row_kinds(summary)
    no_amounts = np.isnan(debit) & np.isnan(credit) & np.isnan(balance) & _all_missing(errors)
    empty = no_amounts & _blank(raw["summary"]) & _blank(raw["counter_account"]) & _blank(raw["voucher"])
    kind[empty] = "blank"
    kind[no_amounts & ~empty & _numpy_bool(pc.match_substring_regex(summary, _NOTE))] = "note"

    problem = raw["problem"].to_numpy(dtype=object, na_value=None).copy()
    reason = raw["reason"].to_numpy(dtype=object, na_value=None).copy()
    bad_field = np.full(n, None, dtype=object)
    written = np.full(n, None, dtype=object)
    data = kind == "data"
    for name in ("balance", "credit", "debit"):  # debit last: a row names its first unreadable cell
        bad = errors[name].notna().to_numpy() & ~np.isin(kind, ("blank", "note"))
        if bad.any():
            bad_field[bad] = name
            written[bad] = [_as_text(value) for value in raw[name].to_numpy(dtype=object)[bad]]
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

    item, counter_kind, item_from = _items(raw, data, debit, credit)
    # A rejected line still moved its money unless its 借方 or 贷方 could not be read.
    unknown_flow = (kind == "rejected") & (problem == "amount")
    expected, balance_problem = _check_balances(book, kind, unknown_flow, debit, credit, balance)
    subtotal_status, subtotal_field, lines_sum = _check_subtotals(book, kind, unknown_flow, raw["month"], debit, credit)

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


def repeated_row_text(summary: pa.Array) -> pa.Array:
    """摘要 as matched against :data:`REPEATED_ROWS`: NFKC (full-width forms), no whitespace (U+3000
    included), no punctuation or brackets around it, traditional characters as simplified.

    ``本 月 合 计``, ``【本月合计】``, ``本月合计：`` and ``本月合計`` all become ``本月合计``.
    """
    text = pc.utf8_normalize(summary, "NFKC")
    text = pc.replace_substring_regex(text, r"[\s\p{Z}\x{200B}-\x{200D}\x{FEFF}]+", "")
    text = pc.replace_substring_regex(text, r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$", "")
    for traditional, simplified in _TRADITIONAL.items():
        text = pc.replace_substring(text, traditional, simplified)
    return text


def _repeated_row_kinds(summary: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``data``, or the kind of repeated row (:data:`REPEATED_ROWS`) each 摘要 names.

    Only 摘要 with a character of those words are normalised, each distinct spelling once.
    """
    kind = np.full(len(summary), "data", dtype=object)
    candidates = np.flatnonzero(_numpy_bool(pc.match_substring_regex(summary, _REPEATED_ROW_CHARACTERS)))
    if not len(candidates):
        return kind
    chosen = summary.take(pa.array(candidates))
    encoded = pc.dictionary_encode(chosen.combine_chunks() if isinstance(chosen, pa.ChunkedArray) else chosen)
    spellings = repeated_row_text(encoded.dictionary)
    spelling_kind = np.full(len(spellings), "data", dtype=object)
    for name, pattern in _REPEATED_PATTERNS.items():
        spelling_kind[_numpy_bool(pc.match_substring_regex(spellings, pattern)) & (spelling_kind == "data")] = name
    kind[candidates] = spelling_kind[encoded.indices.to_numpy(zero_copy_only=False)]
    return kind


def _arrow_text(values: pd.Series) -> pa.Array:
    return (
        pa.array(values.astype("str").array, type=pa.large_string(), from_pandas=True)
        if len(values)
        else pa.array([], type=pa.large_string())
    )


def _numpy_bool(array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("str")
    return (text.isna() | text.str.strip().eq("")).to_numpy(dtype=bool, na_value=True)


def _all_missing(errors: dict[str, pd.Series]) -> np.ndarray:
    return np.logical_and.reduce([e.isna().to_numpy() for e in errors.values()])


def _signed_balance(balance: np.ndarray, direction: pd.Series) -> np.ndarray:
    """余额 with 借或贷 applied: 贷 makes it negative (an overdrawn book), 平 means zero."""
    if direction.isna().all():
        return balance
    text = direction.astype("str").str.strip()
    credit_side = text.str.startswith("贷").to_numpy(dtype=bool, na_value=False)
    level = text.eq("平").to_numpy(dtype=bool, na_value=False)
    balance = np.where(credit_side, -np.abs(balance), balance)
    return np.where(level & np.isnan(balance), 0.0, balance)


def _items(
    raw: pd.DataFrame, data: np.ndarray, debit: np.ndarray, credit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, counter-account kind and where it came from, for the lines (missing elsewhere).

    The 对方科目 decides; it is looked up once per distinct spelling. Where it is blank, the 摘要's words
    (:data:`~villagecon.vocab.journal_items.SUMMARY_ITEM_PATTERNS`) decide, run by Arrow over those lines only.
    """
    n = len(raw)
    item = np.full(n, None, dtype=object)
    kind = np.full(n, None, dtype=object)
    source = np.full(n, None, dtype=object)
    if not data.any():
        return item, kind, source
    codes, distinct = pd.factorize(raw["counter_account"].astype("str").str.strip())
    looked_up = [counter_account_of(name) for name in distinct]
    distinct_items = np.array([i for i, _ in looked_up] + [None], dtype=object)
    distinct_kinds = np.array([k for _, k in looked_up] + [""], dtype=object)
    item[data] = distinct_items[codes[data]]
    kind[data] = distinct_kinds[codes[data]]
    source[data & (kind != "")] = "对方科目"

    by_summary = np.flatnonzero(data & (kind == ""))
    kind[by_summary] = UNMAPPED
    if len(by_summary):
        summaries = _arrow_text(raw["summary"].iloc[by_summary])
        receipt = ~np.isnan(debit[by_summary]) & (debit[by_summary] != 0)
        for side, rows in (("receipt", receipt), ("payment", ~receipt)):
            todo = np.ones(len(by_summary), dtype=bool) & rows
            for pattern, meaning in SUMMARY_ITEM_PATTERNS[side]:
                hit = todo & _numpy_bool(pc.match_substring_regex(summaries, pattern))
                at = by_summary[hit]
                if meaning in (TRANSFER, BALANCE_SHEET):
                    kind[at] = meaning
                else:
                    item[at] = meaning
                    kind[at] = INCOME if meaning in labels.INCOME_ITEMS else EXPENSE
                source[at] = "摘要"
                todo &= ~hit
        # A 摘要 names what happened, not the account of one system: move it to the system in force.
        years = raw["year"].to_numpy()[by_summary]
        from_summary = source[by_summary] == "摘要"
        for remap, in_years in (
            (ITEMS_BEFORE_NEW_SYSTEM, years < NEW_SYSTEM_FROM),
            (ITEMS_FROM_NEW_SYSTEM, years >= NEW_SYSTEM_FROM),
        ):
            for old, new in remap.items():
                at = by_summary[from_summary & in_years & (item[by_summary] == old)]
                item[at] = new
                kind[at] = INCOME if new in labels.INCOME_ITEMS else EXPENSE
    return item, kind, source


def _check_balances(
    book: np.ndarray,
    kind: np.ndarray,
    unknown_flow: np.ndarray,
    debit: np.ndarray,
    credit: np.ndarray,
    balance: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected 余额 and the problem, row by row: 余额 = the last written 余额 + 借方 − 贷方 of the lines since.

    A row whose 余额 is wrong while the next row carries on from the right figure is one typo
    (``balance_typo``, reported once); any other jump is a ``balance_break`` (a line missing, an amount
    wrong), and the rows after it are checked from the 余额 as written. Rows after a line whose amount
    cannot be read are not checked until a 余额 is written again.
    """
    n = len(book)
    expected = np.full(n, np.nan)
    problem = np.full(n, None, dtype=object)
    if n == 0:
        return expected, problem
    keys = pd.Series(book)
    moves = np.isin(kind, ("data", "rejected")) & ~unknown_flow
    flow = np.where(moves, np.nan_to_num(debit) - np.nan_to_num(credit), 0.0)
    unknown = unknown_flow.astype(np.int64)
    carries_balance = ~np.isnan(balance) & np.isin(
        kind, ("data", "opening", "month_total", "year_total", "carried", "closing")
    )
    cumulative = pd.Series(flow).groupby(keys).cumsum().to_numpy()
    unknown_so_far = pd.Series(unknown).groupby(keys).cumsum().to_numpy()
    anchor = pd.Series(np.where(carries_balance, balance - cumulative, np.nan))
    anchor_unknown = pd.Series(np.where(carries_balance, unknown_so_far, np.nan))
    previous_anchor = anchor.groupby(keys).shift().groupby(keys).ffill().to_numpy()
    previous_unknown = anchor_unknown.groupby(keys).shift().groupby(keys).ffill().to_numpy()
    checked = carries_balance & ~np.isnan(previous_anchor) & (previous_unknown == unknown_so_far)
    # Rounded to the fen: cumulative sums of floats drift by far less than that.
    expected[checked] = np.round(previous_anchor[checked] + cumulative[checked], 2)
    jump = np.where(checked, balance - expected, 0.0)
    broken = checked & (np.abs(jump) > BALANCE_TOLERANCE)
    if not broken.any():
        return expected, problem
    # The next row that carries a balance in the same book: does it undo this jump?
    positions = np.flatnonzero(carries_balance)
    following = np.full(n, -1)
    same_book = book[positions[1:]] == book[positions[:-1]]
    following[positions[:-1][same_book]] = positions[1:][same_book]
    has_next = following >= 0
    next_jump = np.where(has_next, jump[np.maximum(following, 0)], 0.0)
    next_broken = np.where(has_next, broken[np.maximum(following, 0)], False)
    typo = broken & next_broken & (np.abs(jump + next_jump) <= BALANCE_TOLERANCE)
    undone = np.zeros(n, dtype=bool)
    undone[following[typo]] = True
    problem[broken] = "balance_break"
    problem[typo] = "balance_typo"
    problem[undone & ~typo] = None
    return expected, problem


def _check_subtotals(
    book: np.ndarray,
    kind: np.ndarray,
    unknown_flow: np.ndarray,
    month: pd.Series,
    debit: np.ndarray,
    credit: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """本月合计 against the month's lines and 本年累计 against the year's so far, 借方 and 贷方 both.

    A month with a line whose amount cannot be read cannot be checked (``unchecked``); 承前页/过次页 are not
    checked here
    (offices total pages differently), only their balance is.
    """
    n = len(book)
    status = np.full(n, None, dtype=object)
    bad_field = np.full(n, None, dtype=object)
    lines_sum = np.full(n, np.nan)
    totals = np.isin(kind, ("month_total", "year_total"))
    if not totals.any():
        return status, bad_field, lines_sum
    keys = pd.Series(book)
    # A total row without a month belongs to the month of the lines above it.
    months = pd.Series(month.to_numpy(dtype="float64", na_value=np.nan)).groupby(keys).ffill().to_numpy()
    frame = pd.DataFrame(
        {
            "book": book,
            "month": months,
            "debit": np.nan_to_num(debit),
            "credit": np.nan_to_num(credit),
            "unknown": unknown_flow,
        }
    )
    moving = frame.loc[(kind == "data") | (kind == "rejected")]
    by_month = moving.groupby(["book", "month"]).agg(
        debit=("debit", "sum"), credit=("credit", "sum"), unknown=("unknown", "any")
    )
    to_date = by_month.groupby(level="book").cumsum()
    to_date["unknown"] = by_month["unknown"].groupby(level="book").cummax()
    positions = np.flatnonzero(totals)
    wanted = pd.MultiIndex.from_arrays([book[positions], months[positions]])
    for total_kind, sums in (("month_total", by_month), ("year_total", to_date)):
        rows = positions[kind[positions] == total_kind]
        if not len(rows):
            continue
        found = sums.reindex(wanted[kind[positions] == total_kind])
        unknown = found["unknown"].fillna(False).to_numpy(dtype=bool)
        difference_debit = debit[rows] - found["debit"].fillna(0).to_numpy()
        difference_credit = credit[rows] - found["credit"].fillna(0).to_numpy()
        off_debit = ~np.isnan(debit[rows]) & (np.abs(difference_debit) > BALANCE_TOLERANCE)
        off_credit = ~np.isnan(credit[rows]) & (np.abs(difference_credit) > BALANCE_TOLERANCE)
        unchecked = unknown | np.isnan(months[rows])
        status[rows] = np.where(unchecked, "unchecked", np.where(off_debit | off_credit, "mismatch", "ok"))
        off_debit &= ~unchecked
        off_credit &= ~unchecked
        bad_field[rows] = np.where(off_debit, "debit", np.where(off_credit, "credit", None))
        lines_sum[rows] = np.where(
            off_debit,
            found["debit"].fillna(0).to_numpy(),
            np.where(off_credit, found["credit"].fillna(0).to_numpy(), np.nan),
        )
    return status, bad_field, lines_sum


def _as_text(value) -> str:
    if isinstance(value, float):
        return "" if value != value else format(value, ".15g")
    return "" if value is None else str(value)


def empty_lines() -> pd.DataFrame:
    """What :func:`clean_journal_frame` returns for no rows: the columns and dtypes (dask's ``meta``)."""
    return clean_journal_frame(empty_raw())


# ---------------------------------------------------------------------------------------------
# Small tables from one cleaned partition
# ---------------------------------------------------------------------------------------------

_IDENTITY = ["county", "township", "village", "village_code"]


def journal_entries(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines added up by village, year and item (:data:`ENTRY_COLUMNS`): the journal's side of the accounts.

    An income line counts 借方 − 贷方 (a refund paid back reduces it), an expense line 贷方 − 借方.
    Transfers between cash and bank, balance-sheet movements and unmapped lines are left out.
    """
    used = lines.loc[lines["kind"].eq("data") & lines["item"].notna()]
    debit, credit = used["debit_yuan"].fillna(0.0), used["credit_yuan"].fillna(0.0)
    signed = np.where(used["counter_kind"].eq(INCOME), debit - credit, credit - debit)
    if used.empty:
        return _empty(ENTRY_COLUMNS, {"year": "int64", "amount_yuan": "float64", "approx": "bool", "lines": "int64"})
    entries = (
        used.assign(amount_yuan=signed, lines=1)
        .groupby([*_IDENTITY, "year", "item"], dropna=False, sort=True)
        .agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"), lines=("lines", "sum"))
        .reset_index()
    )
    entries["detail"] = pd.Series(pd.NA, index=entries.index, dtype="str")
    return entries.loc[:, list(ENTRY_COLUMNS)]


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
    """Rejected rows and unreadable cells (:data:`REJECT_COLUMNS`), each with file!sheet!row, cell and what to do."""
    bad = lines.loc[lines["kind"].eq("rejected") | lines["problem"].isin(_CELL_PROBLEMS)]
    if bad.empty:
        return _empty(REJECT_COLUMNS)
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
    """Rows whose 余额 does not follow from the row before (:data:`BREAK_COLUMNS`), with the expected 余额."""
    broken = lines.loc[lines["balance_problem"].notna()]
    if broken.empty:
        return _empty(
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
    """
    unmapped = lines.loc[lines["kind"].eq("data") & lines["counter_kind"].eq(UNMAPPED)]
    if unmapped.empty:
        return _empty(
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
    return _group_unmapped(keyed)


def _group_unmapped(keyed: pd.DataFrame) -> pd.DataFrame:
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
    """本月合计 / 本年累计 rows that do not add up (``mismatch``) or could not be checked (``unchecked``)."""
    off = lines.loc[lines["subtotal_status"].isin(["mismatch", "unchecked"])]
    if off.empty:
        return _empty(
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


def labels_of(kind: str) -> str:
    """The Chinese name of a repeated row kind (``labels_of("month_total") == "本月合计"``)."""
    return {
        "opening": "上年结转",
        "month_total": "本月合计",
        "year_total": "本年累计",
        "carried": "承前页/过次页",
        "closing": "结转下年",
    }.get(kind, kind)


def journal_books(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per book (file and sheet): rows, lines, the balance before the first line and after the last,
    the sums of 借方 and 贷方 over the lines, and how many balance breaks.

    Opening and closing balances let a year's 上年结转 be compared with the year before's 结转下年.
    """
    if lines.empty:
        return _empty(
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
    """Rows by kind (every kind of :data:`KINDS`, zero included)."""
    counts = lines["kind"].value_counts().reindex(list(KINDS), fill_value=0)
    return pd.DataFrame({"kind": pd.array(list(KINDS), dtype="str"), "rows": counts.to_numpy().astype("int64")})


# The small tables one partition gives, by name. Each is a function of the cleaned lines alone (cells
# optional), so that pandas and dask compute them with the same code.
PARTITION_TABLES = {
    "entries": journal_entries,
    "rejects": journal_rejects,
    "breaks": journal_breaks,
    "unmapped": journal_unmapped,
    "subtotals": journal_subtotals,
    "books": journal_books,
    "kinds": journal_kinds,
}
_TAKES_CELLS = {"rejects", "breaks", "subtotals"}


def partition_results(lines: pd.DataFrame, *, cells: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table of :data:`PARTITION_TABLES` for one cleaned partition."""
    return {
        name: (table(lines, cells=cells) if name in _TAKES_CELLS else table(lines))
        for name, table in PARTITION_TABLES.items()
    }


def _empty(columns, dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


def _yuan(amount: float) -> str:
    return f"{amount:,.2f} 元"


# ---------------------------------------------------------------------------------------------
# Combining partitions into one Journal
# ---------------------------------------------------------------------------------------------


@dataclass
class Journal:
    """Everything :func:`read_journal` or :func:`clean_journal_dask` found.

    Attributes
    ----------
    accounts : DataFrame
        One row per village and year, the columns of :func:`villagecon.ingest.ledger.to_accounts`: income and
        expense items as the journal's lines add up, totals derived; assets and liabilities missing
        (a cash journal does not tell them).
    entries : DataFrame
        The same as long sums (:data:`ENTRY_COLUMNS`), with how many lines each sums.
    rejects : DataFrame
        Rows that could not be used and unreadable cells (:data:`REJECT_COLUMNS`).
    breaks : DataFrame
        Rows whose 余额 does not follow from the row before (:data:`BREAK_COLUMNS`).
    unmapped : DataFrame
        对方科目 (or 摘要) that map to no line item, with lines, 借方 and 贷方 sums and the first place.
    subtotals : DataFrame
        本月合计/本年累计 rows that do not add up or could not be checked.
    books : DataFrame
        One row per book: rows, lines, opening and closing balance, sums, breaks.
    kinds : DataFrame
        Rows read by kind: every row is in exactly one.
    files : DataFrame
        Files (or parquet partitions) read: file, rows.
    lines : DataFrame or None
        Every cleaned row (:func:`clean_journal_frame`), when kept.
    seconds : float
        Time taken, reading included.
    """

    accounts: pd.DataFrame
    entries: pd.DataFrame
    rejects: pd.DataFrame
    breaks: pd.DataFrame
    unmapped: pd.DataFrame
    subtotals: pd.DataFrame
    books: pd.DataFrame
    kinds: pd.DataFrame
    files: pd.DataFrame
    lines: pd.DataFrame | None = None
    seconds: float = 0.0
    skipped: pd.DataFrame = field(default_factory=lambda: _empty(["file", "sheet", "reason"]))

    @property
    def rows_read(self) -> int:
        return int(self.files["rows"].sum())

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else float("nan")

    def check_nothing_lost(self) -> None:
        """Raise AssertionError unless every row read has exactly one kind (and the kept lines agree)."""
        by_kind = int(self.kinds["rows"].sum())
        assert by_kind == self.rows_read, f"{self.rows_read - by_kind} of {self.rows_read} rows have no kind"
        rejected = int(self.kinds.set_index("kind").at["rejected", "rows"])
        rejected_rows = int((~self.rejects["problem"].isin(_CELL_PROBLEMS)).sum())
        assert rejected == rejected_rows, f"{rejected} rows rejected but {rejected_rows} in rejects"
        if self.lines is not None:
            assert len(self.lines) == self.rows_read, "kept lines and rows read disagree"

    def summary(self) -> str:
        """A few lines for a terminal: what was read, what was kept, what needs attention."""
        kinds = self.kinds.set_index("kind")["rows"]
        repeated = sum(int(kinds[k]) for k in ("opening", "month_total", "year_total", "carried", "closing"))
        lines = [
            f"journal: {self.rows_read:,} rows in {len(self.files)} files/partitions, {len(self.books):,} books, "
            f"{self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)",
            f"rows: {int(kinds['data']):,} lines, {repeated:,} repeated totals (never added again), "
            f"{int(kinds['blank']) + int(kinds['note']):,} blank or notes, {int(kinds['rejected']):,} rejected",
            f"accounts: {len(self.accounts):,} village-years from {int(self.entries['lines'].sum()):,} income and "
            "expense lines",
            f"balance breaks: {len(self.breaks)}; subtotals not adding up: "
            f"{int(self.subtotals['status'].eq('mismatch').sum())}; unmapped 对方科目/摘要: {len(self.unmapped)} "
            f"({int(self.unmapped['lines'].sum()):,} lines); rejects: {len(self.rejects)}",
        ]
        return "\n".join(lines)


# Rejects that name one cell of a row that was kept: an unreadable 余额, or an unreadable 本月合计.
_CELL_PROBLEMS = ("balance_unreadable", "total_unreadable")


def combine_results(
    parts: Iterable[dict[str, pd.DataFrame]],
    *,
    files: pd.DataFrame,
    seconds: float = 0.0,
    lines: pd.DataFrame | None = None,
    skipped: pd.DataFrame | None = None,
) -> Journal:
    """One :class:`Journal` from the tables of every partition (:func:`partition_results`), in a fixed order.

    The pandas and dask paths both end here, so their results are identical.
    """
    parts = list(parts)
    gathered = {
        name: pd.concat([p[name] for p in parts], ignore_index=True) if parts else PARTITION_TABLES[name](empty_lines())
        for name in PARTITION_TABLES
    }
    entries = gathered["entries"]
    if len(entries):
        entries = (
            entries.groupby([*_IDENTITY, "year", "item"], dropna=False, sort=True)
            .agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"), lines=("lines", "sum"))
            .reset_index()
        )
        entries["amount_yuan"] = entries["amount_yuan"].round(2) + 0.0
        entries["detail"] = pd.Series(pd.NA, index=entries.index, dtype="str")
        entries = entries.loc[:, list(ENTRY_COLUMNS)]
    unmapped = gathered["unmapped"]
    unmapped = _group_unmapped(unmapped) if len(unmapped) else unmapped
    unmapped = unmapped.assign(
        first_source=(
            unmapped["first_file"] + "!" + unmapped["first_sheet"] + "!" + unmapped["first_row"].astype("str")
        ),
        reason=[
            "对方科目 " + repr(c) + " is not a known account: add its spelling to villagecon.vocab.journal_items"
            if isinstance(c, str)
            else "对方科目 blank and the 摘要 names no line item: write the 对方科目"
            for c in unmapped["counter_account"]
        ],
    )
    unmapped = unmapped.sort_values("lines", ascending=False, kind="stable").loc[:, list(UNMAPPED_COLUMNS)]
    kinds = gathered["kinds"].groupby("kind", sort=False)["rows"].sum().reindex(list(KINDS), fill_value=0)
    books = gathered["books"].sort_values(["file", "sheet"], kind="stable")
    sort_by_source = {
        name: gathered[name].sort_values("source", kind="stable") for name in ("rejects", "breaks", "subtotals")
    }
    return Journal(
        accounts=journal_accounts(entries),
        entries=entries.reset_index(drop=True),
        rejects=sort_by_source["rejects"].reset_index(drop=True),
        breaks=sort_by_source["breaks"].reset_index(drop=True),
        unmapped=unmapped.reset_index(drop=True),
        subtotals=sort_by_source["subtotals"].reset_index(drop=True),
        books=books.reset_index(drop=True),
        kinds=pd.DataFrame({"kind": pd.array(list(KINDS), dtype="str"), "rows": kinds.to_numpy().astype("int64")}),
        files=files.reset_index(drop=True),
        lines=lines,
        seconds=seconds,
        skipped=skipped if skipped is not None else _empty(["file", "sheet", "reason"]),
    )


def journal_accounts(entries: pd.DataFrame) -> pd.DataFrame:
    """Village-year accounts from journal entries: :func:`villagecon.ingest.ledger.to_accounts`, the same columns.

    Villages are told apart by code where they have one, else by county, township and name.
    """
    # A journal is a ledger of lines: an item without a line in the year was 0.
    keyed = entries.assign(
        village_key=entries["village_code"].fillna(
            entries["county"].fillna("") + "/" + entries["township"].fillna("") + "/" + entries["village"]
        ),
        line=True,
    )
    accounts = to_accounts(keyed)
    return schemas.validate_accounts(accounts) if len(accounts) else accounts


def journal_files(lines: pd.DataFrame) -> pd.DataFrame:
    """Rows read per file (for a parquet set, per county=…/year=… partition)."""
    if lines.empty:
        return _empty(["file", "rows"], {"rows": "int64"})
    return lines.groupby("file", sort=True).size().rename("rows").reset_index()


PARTITION_TABLES["files"] = journal_files


# ---------------------------------------------------------------------------------------------
# Parquet journal sets: county=…/year=…/*.parquet
# ---------------------------------------------------------------------------------------------

_PARTITION_KEY = re.compile(r"^(?P<key>county|year)=(?P<value>.+)$")


def journal_parquet_files(root: Path | str) -> list[Path]:
    """The parquet files of a journal set, sorted (``root`` itself when it is a file)."""
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*.parquet") if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts)
    )


def is_journal_parquet(path: Path | str) -> bool:
    """True when ``path`` is a parquet file or a folder holding parquet files (a journal set)."""
    path = Path(path)
    return (path.is_file() and path.suffix == ".parquet") or (path.is_dir() and bool(journal_parquet_files(path)))


def raw_from_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Raw journal rows (:data:`RAW_COLUMNS`) from the columns of a parquet journal set.

    ``file`` is the partition (``county=汝城县/year=2022``), ``sheet`` the book (township, village and
    book, ``濠头乡上河村现金日记账``) and ``row`` the book's ``line``, so that ``source`` finds the row.
    """
    missing = [c for c in ("county", "year", *PARQUET_COLUMNS) if c not in frame]
    if missing:
        raise JournalLayoutError(
            f"the journal set lacks column(s) {', '.join(missing)}",
            hint="A parquet journal set has county=…/year=… folders and the columns " + ", ".join(PARQUET_COLUMNS),
        )
    county = (
        frame["county"].astype(object).astype("str")
        if isinstance(frame["county"].dtype, pd.CategoricalDtype)
        else frame["county"].astype("str")
    )
    year = frame["year"].astype(object) if isinstance(frame["year"].dtype, pd.CategoricalDtype) else frame["year"]
    year = pd.to_numeric(year).astype("int64")
    return as_raw(
        frame.assign(
            county=county,
            year=year,
            file="county=" + county + "/year=" + year.astype("str"),
            sheet=frame["township"].astype("str").fillna("")
            + frame["village"].astype("str")
            + frame["book"].astype("str"),
            row=frame["line"],
        )
    )


def read_journal_partition(file: Path | str, *, root: Path | str | None = None) -> pd.DataFrame:
    """Raw journal rows of one parquet file; county and year from its ``county=``/``year=`` folders."""
    file = Path(file)
    frame = pq.read_table(file, partitioning=None).to_pandas()
    parts = file.relative_to(root).parts[:-1] if root is not None and Path(root) != file else file.parts[:-1]
    for part in parts:
        if (match := _PARTITION_KEY.match(part)) and match["key"] not in frame:
            frame[match["key"]] = unquote(match["value"])
    return raw_from_parquet(frame)


def _clean_parquet_partition(frame: pd.DataFrame, *, unit: str | None) -> pd.DataFrame:
    return clean_journal_frame(raw_from_parquet(frame), unit=unit)


def _read_parquet_set(
    root: Path, *, unit: str | None, keep_lines: bool, lines_out: Path | None, progress: bool | None
) -> Journal:
    start = time.perf_counter()
    files = journal_parquet_files(root)
    if not files:
        raise VillageconError(f"no parquet files in {root}")
    total = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    parts, kept = [], []
    with _progress_bar(
        total, show=progress if progress is not None else len(files) > 20 and sys.stderr.isatty(), description="journal"
    ) as advance:
        for file in files:
            lines = clean_journal_frame(read_journal_partition(file, root=root if root.is_dir() else None), unit=unit)
            parts.append(partition_results(lines))
            if lines_out is not None:
                _write_lines(lines, Path(lines_out) / file.relative_to(root if root.is_dir() else root.parent))
            if keep_lines:
                kept.append(lines)
            advance(len(lines))
            del lines  # one partition in memory at a time
    return _combined(parts, start=start, lines=pd.concat(kept, ignore_index=True) if keep_lines else None)


def _combined(
    parts: list[dict[str, pd.DataFrame]],
    *,
    start: float,
    lines: pd.DataFrame | None = None,
    skipped: pd.DataFrame | None = None,
) -> Journal:
    files = pd.concat([p["files"] for p in parts], ignore_index=True) if parts else journal_files(empty_lines())
    files = files.groupby("file", sort=True)["rows"].sum().reset_index()
    journal = combine_results(parts, files=files, lines=lines, skipped=skipped)
    journal.seconds = time.perf_counter() - start
    return journal


def _write_lines(lines: pd.DataFrame, path: Path) -> None:
    write_atomic(path, lambda p: lines.to_parquet(p, index=False))


@contextmanager
def _progress_bar(total: int, *, show: bool, description: str):
    """Yields ``update(rows)``: a tqdm bar over rows when ``show`` (it shows rows per second), else nothing."""
    if not show:
        yield lambda rows: None
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, unit="rows", unit_scale=True, desc=description, file=sys.stderr) as bar:
        yield bar.update


# ---------------------------------------------------------------------------------------------
# Spreadsheet journals: one book per sheet (or CSV file)
# ---------------------------------------------------------------------------------------------

_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
_PLACE_LABEL = re.compile(r"(?:核算单位|单位名称|单位)\s*[:：]\s*(?P<name>[^\s:：,，;；]+)")
_BOOK_WORDS = re.compile(
    r"现金日记账|银行存款日记账|银行日记账|日记账|现金|银行存款|(?:19|20)\d{2}\s*年度?|"
    r"[(（][^)）]*[)）]|[\s　]+"
)
# 汝城县濠头乡上河村 → county, township, village (chenzhou's names keep 县/乡/村 out of the middle of names).
_PLACE = re.compile(
    r"^(?:(?P<city>\S{1,6}?市)(?=\S{2,}))?(?P<county>\S{1,6}?(?:县|区|市))?"
    r"(?P<township>\S{1,8}?(?:乡|镇|街道))?(?P<village>\S+?)$"
)
_DATE_PARTS = r"(?:(?P<year>(?:19|20)\d{2})\D{1,3})?(?P<month>\d{1,2})\D{1,3}(?P<day>\d{1,2})"
# The fields whose cell a reject or break names.
_CELL_FIELDS = ("debit", "credit", "balance", "summary", "counter_account", "month")


def split_place(text: str) -> dict[str, str | None]:
    """County, township and village of a name like ``汝城县濠头乡上河村股份经济合作社``.

    >>> split_place("汝城县濠头乡上河村")
    {'county': '汝城县', 'township': '濠头乡', 'village': '上河村'}
    """
    match = _PLACE.match(text.strip())
    if match is None:
        return {"county": None, "township": None, "village": None}
    county = match["county"] or match["city"]  # 资兴市白鹭乡: the 市 is the county
    return {"county": county, "township": match["township"], "village": match["village"]}


def book_of(text: str) -> str | None:
    """Which book a title, sheet or file name speaks of: 银行存款日记账, 现金日记账, or None."""
    if "银行" in text:
        return BANK_BOOK
    if "现金" in text:
        return CASH_BOOK
    return None


def _header_roles(values: Iterable) -> dict[int, str]:
    roles = {}
    for col, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            role = JOURNAL_ROLE_BY_KEY.get(header_key(value))
            if role:
                roles[col] = role
    return roles


def journal_layout(sheet: RawSheet) -> tuple[int, int, dict[str, int]] | None:
    """(header row, first data row, {role: column}) of a journal sheet, or None when it is not a journal.

    The header is the first row naming 摘要, 借方 (or 收入) and 余额 (or 贷方); a second header row under it
    (月 | 日 | 字 | 号 under ``2022年`` and ``凭证``) is read into the same roles.
    """
    grid = sheet.grid
    for row in grid.index[:20]:
        roles = _header_roles(grid.loc[row])
        found = set(roles.values())
        if SUMMARY in found and DEBIT in found and (BALANCE in found or CREDIT in found):
            first_data = row + 1
            if row + 1 in grid.index:
                below = _header_roles(grid.loc[row + 1])
                if set(below.values()) & {MONTH, DAY, VOUCHER_WORD, VOUCHER_NUMBER}:
                    roles |= below
                    first_data = row + 2
            by_role: dict[str, int] = {}
            for col, role in sorted(roles.items()):
                by_role.setdefault(role, col)
            return row, first_data, by_role
    return None


def read_journal_sheet(
    sheet: RawSheet,
    *,
    county: str | None = None,
    township: str | None = None,
    village: str | None = None,
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw journal rows (:data:`RAW_COLUMNS`) of one sheet, and where its fields are (file, sheet, field, letters).

    The village and year come from the arguments, else the rows above the header (``核算单位：汝城县濠头乡
    上河村``, ``2022年``), else the sheet and file names; 月 and 日 written once for several lines are
    carried down, as a reader of the book would.

    Raises
    ------
    JournalLayoutError
        No header, no year, or no village: the message names the file and sheet.
    """
    layout = journal_layout(sheet)
    if layout is None:
        raise JournalLayoutError(
            "no journal header (摘要, 借方/收入, 余额) in the first 20 rows",
            where=sheet.where(),
            hint="Check this is a 现金日记账 or 银行存款日记账",
        )
    header, first_data, roles = layout
    grid = sheet.grid
    above = [str(v) for v in grid.loc[:header].to_numpy().ravel() if isinstance(v, str) and v.strip()]
    names = [*above, sheet.sheet, Path(sheet.file).stem]
    body = grid.loc[first_data:]
    n = len(body)

    def column(role: str) -> pd.Series:
        if role not in roles:
            return pd.Series([None] * n, index=body.index, dtype=object)
        return body[roles[role]].where(body[roles[role]].map(lambda v: not (isinstance(v, str) and not v.strip())))

    month = _small_number(column(MONTH))
    day = _small_number(column(DAY))
    years = pd.to_numeric(column(YEAR).astype("str").str.extract(r"(\d{4})")[0], errors="coerce")
    if DATE in roles:
        dates = column(DATE).astype("str").str.extract(_DATE_PARTS)
        years = years.fillna(pd.to_numeric(dates["year"], errors="coerce"))
        month = month.fillna(pd.to_numeric(dates["month"], errors="coerce"))
        day = day.fillna(pd.to_numeric(dates["day"], errors="coerce"))
    stated_year = year or next((int(m[1]) for text in names if (m := _YEAR_IN_TEXT.search(text))), None)
    years = years.ffill().fillna(stated_year)
    if years.isna().any():
        raise JournalLayoutError(
            "no year: not in a 年 or 日期 column, the title, the sheet or the file name",
            where=sheet.where(header),
            hint="Write the year in the title (2022年) or pass year=",
        )
    voucher = column(VOUCHER)
    if VOUCHER_WORD in roles or VOUCHER_NUMBER in roles:
        voucher = (
            column(VOUCHER_WORD).astype("str").fillna("")
            + column(VOUCHER_NUMBER).map(_as_text).astype("str").fillna("")
        ).replace("", None)

    place = {"county": county, "township": township, "village": village}
    if not village:
        label = next((m["name"] for text in above if (m := _PLACE_LABEL.search(text))), None)
        candidates = [label] if label else []
        candidates += [_BOOK_WORDS.sub("", text) for text in names]
        for text in filter(None, candidates):
            found = split_place(text)
            if found["village"] and re.search(r"村|社区|居委会", found["village"]):
                place = {k: place[k] or found[k] for k in place}
                break
    if not place["village"]:
        raise JournalLayoutError(
            "no village: write it in the title (核算单位：汝城县濠头乡上河村) or pass village=",
            where=sheet.where(header),
            hint="The sheet or file name may also name it",
        )
    book = next(filter(None, (book_of(text) for text in names)), "日记账")
    unit = next(filter(None, (unit_from_text(text) for text in above)), None)
    unit = unit or next((unit_from_text(v) for v in grid.loc[header] if unit_from_text(v)), None)

    summary = column(SUMMARY).map(_as_text).replace("", None)
    # A note under the table (审核人：…, 注：…) may stand in any column: read it as the row's 摘要.
    text_cells = body.map(lambda v: isinstance(v, str) and bool(v.strip()))
    first_text = body.where(text_cells).bfill(axis=1).iloc[:, 0] if n else summary
    is_note = first_text.astype("str").str.contains(NOTE_PATTERN.pattern, regex=True).fillna(False).astype(bool)
    summary = summary.where(~(is_note & summary.isna()), first_text)
    # 月 and 日 written once for several lines apply to the lines below, as in the printed book.
    month = month.ffill()
    day = day.where(month.eq(month.shift()) | day.notna()).ffill()

    raw = pd.DataFrame(
        {
            "county": place["county"],
            "township": place["township"],
            "village": place["village"],
            "village_code": None,
            "book": book,
            "year": years.astype("int64"),
            "month": month,
            "day": day,
            "voucher": voucher.map(lambda v: None if v is None or v != v else _as_text(v)),
            "summary": summary,
            "counter_account": column(COUNTER).map(lambda v: None if v is None or v != v else _as_text(v)),
            "debit": column(DEBIT),
            "credit": column(CREDIT),
            "direction": column(DIRECTION),
            "balance": column(BALANCE),
            "file": sheet.file,
            "sheet": sheet.sheet,
            "row": body.index.to_numpy(),
        },
        index=body.index,
    )
    raw.attrs["unit"] = unit
    role_of_field = {
        "debit": DEBIT,
        "credit": CREDIT,
        "balance": BALANCE,
        "summary": SUMMARY,
        "counter_account": COUNTER,
        "month": MONTH,
    }
    cells = pd.DataFrame(
        [
            {"file": sheet.file, "sheet": sheet.sheet, "field": name, "letters": cell_ref(None, roles[role])}
            for name, role in role_of_field.items()
            if role in roles
        ],
        columns=["file", "sheet", "field", "letters"],
    ).astype("str")
    return as_raw(raw), cells


def _small_number(values: pd.Series) -> pd.Series:
    """月 or 日 as written (3, "03", "3月") → a float with NaN where none."""
    return pd.to_numeric(values.map(_as_text).astype("str").str.extract(r"^\s*(\d{1,2})")[0], errors="coerce")


def _read_spreadsheets(
    root: Path,
    *,
    register,
    unit: str | None,
    encoding: str | None,
    keep_lines: bool,
    progress: bool | None,
    place: dict,
    limits: ReadLimits | None,
) -> Journal:
    start = time.perf_counter()
    register_table = read_register(register) if isinstance(register, (str, Path)) else register
    register_path = Path(register).resolve() if isinstance(register, (str, Path)) else None
    files = [f for f in iter_ledger_files(root) if f.resolve() != register_path]
    if not files:
        raise VillageconError(f"no journal files (.xlsx, .xls, .csv) in {root}")
    parts, kept, skipped, matched = [], [], [], {}
    show = progress if progress is not None else len(files) > 20 and sys.stderr.isatty()
    with _progress_bar(len(files), show=show, description="journal files") as advance:
        for file in files:
            name = file.name if root.is_file() else file.relative_to(root).as_posix()
            for sheet in read_sheets(file, name=name, encoding=encoding, limits=limits):
                if journal_layout(sheet) is None:
                    skipped.append({"file": name, "sheet": sheet.sheet, "reason": "no journal header"})
                    continue
                raw, cells = read_journal_sheet(sheet, **place)
                raw = _with_register(raw, register_table, matched)
                lines = clean_journal_frame(raw, unit=unit or raw.attrs.get("unit") or "元")
                parts.append(partition_results(lines, cells=cells))
                if keep_lines:
                    kept.append(lines)
            advance(1)
    if not parts:
        raise VillageconError(f"no journal sheets in {root}: none has a header with 摘要, 借方/收入 and 余额")
    return _combined(
        parts,
        start=start,
        lines=pd.concat(kept, ignore_index=True) if keep_lines else None,
        skipped=pd.DataFrame(skipped, columns=["file", "sheet", "reason"]),
    )


def _with_register(raw: pd.DataFrame, register: pd.DataFrame | None, matched: dict) -> pd.DataFrame:
    """The book's village from the register (code and official names); an unknown one rejects its lines."""
    if raw.empty:
        return raw
    written = tuple(None if pd.isna(v) else v for v in raw[["village", "township", "county"]].iloc[0])
    if register is None:
        return raw.assign(village=village_key(written[0]))
    if written not in matched:
        names = pd.DataFrame([written], columns=["village", "township", "county"])
        matched[written] = match_villages(names, register).iloc[0]
    found = matched[written]
    if pd.notna(found["problem"]):
        return raw.assign(problem=found["problem"], reason=found["reason"])
    return raw.assign(
        county=found["county"], township=found["township"], village=found["village"], village_code=found["village_code"]
    )


# ---------------------------------------------------------------------------------------------
# Reading: one machine
# ---------------------------------------------------------------------------------------------


def read_journal(
    path: Path | str,
    *,
    register: Path | str | pd.DataFrame | None = None,
    unit: str | None = None,
    encoding: str | None = None,
    county: str | None = None,
    township: str | None = None,
    village: str | None = None,
    year: int | None = None,
    keep_lines: bool | None = None,
    lines_out: Path | str | None = None,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
) -> Journal:
    """Read cash journals, check them, and add them up into village-year accounts, on one machine.

    Parameters
    ----------
    path : path-like
        A journal spreadsheet (.xlsx/.xls/.csv, one book per sheet), a folder of them, or a parquet
        journal set (a folder with ``county=…/year=…/*.parquet``, as :func:`villagecon.sample.journal.
        write_journal_sample` writes) or one of its files. A parquet set is read partition by
        partition: memory holds one partition and the small tables, whatever the set's size.
    register : path-like or DataFrame, optional
        Village register, to give spreadsheet books their village codes (a parquet set has them).
    unit : {"元", "万元", ...}, optional
        Unit of bare numbers; default a 单位 written above the header, else 元 (journals are kept in 元).
    encoding : str, optional
        Encoding of CSV files; detected when None.
    county, township, village, year : optional
        For spreadsheets whose title does not say them.
    keep_lines : bool, optional
        Keep every cleaned row in :attr:`Journal.lines` (default: for spreadsheets, not for parquet sets).
    lines_out : path-like, optional
        For a parquet set: write the cleaned rows there, partition by partition, in the same folders.
        It must lie outside the set (a UsageError otherwise: the raw journals are never written to).
    progress : bool, optional
        A progress bar in rows per second (default: for more than 20 files in a terminal).
    limits : ReadLimits, optional
        Sizes past which a spreadsheet is refused unread (default: :meth:`villagecon.ingest.files.ReadLimits.
        from_environment`), as for :func:`villagecon.read_ledger`. A parquet set is read one partition at
        a time and is not subject to them.

    Returns
    -------
    Journal

    Examples
    --------
    ::

        journal = read_journal("data/raw/journal")          # county=…/year=…/part-0.parquet
        journal.accounts                                     # like read_ledger(...).accounts
        journal.breaks[["source", "cell", "reason"]]         # 余额 that do not follow
    """
    if unit is not None:
        unit_factor(unit)
    root = Path(path)
    if not root.exists():
        raise VillageconError(f"no such file or folder: {root}")
    if is_journal_parquet(root):
        if lines_out is not None:
            _check_outside_journal_set(Path(lines_out), root)
        return _read_parquet_set(
            root,
            unit=unit or "元",
            keep_lines=bool(keep_lines),
            lines_out=Path(lines_out) if lines_out else None,
            progress=progress,
        )
    if lines_out is not None:
        raise UsageError(
            "lines_out is for parquet journal sets; for spreadsheets use keep_lines and write journal.lines"
        )
    return _read_spreadsheets(
        root,
        register=register,
        unit=unit,
        encoding=encoding,
        keep_lines=True if keep_lines is None else keep_lines,
        progress=progress,
        place={"county": county, "township": township, "village": village, "year": year},
        limits=limits,
    )


def journal_set_root(path: Path) -> Path:
    """The folder of the parquet journal set that ``path`` (a file or folder) belongs to: above its
    ``county=…``/``year=…`` folders, or ``path`` itself when it is a folder outside them."""
    path = path.resolve()
    folder = path.parent if path.is_file() else path
    while _PARTITION_KEY.match(folder.name) and folder.parent != folder:
        folder = folder.parent
    return folder


def _check_outside_journal_set(lines_out: Path, root: Path) -> None:
    """Refuse a ``lines_out`` that is the journal set, or inside it: it would overwrite or add to the raw files."""
    target, journals = lines_out.resolve(), journal_set_root(root)
    if target == journals or journals in target.parents:
        raise UsageError(
            f"lines_out {str(lines_out)!r} is inside the journal set {str(journals)!r} being read: "
            "the cleaned rows would overwrite or join the raw journals. Choose a folder outside it, "
            "e.g. data/processed/journal_lines"
        )


# ---------------------------------------------------------------------------------------------
# Reading: Dask
# ---------------------------------------------------------------------------------------------

# How long to wait for a Dask scheduler to answer before saying it cannot be reached.
SCHEDULER_CONNECT_SECONDS = 10.0


class SchedulerError(VillageconError):
    """A Dask scheduler address that is malformed, cannot be reached, or where no Dask scheduler answers."""


def clean_journal_dask(
    path: Path | str,
    *,
    scheduler=None,
    unit: str = "元",
    n_workers: int | None = None,
    threads_per_worker: int = 1,
    memory_limit: str | float = "auto",
    progress: bool = False,
    connect_timeout: float | None = None,
) -> Journal:
    """:func:`read_journal` of a parquet journal set on Dask: the same functions, partition by partition.

    ``dask.dataframe.read_parquet`` makes one partition per file (county and year), and
    ``map_partitions`` runs :func:`clean_journal_frame` and each table of :data:`PARTITION_TABLES` on
    it with declared ``meta``; only those small tables travel back, and :func:`combine_results` makes
    the same :class:`Journal` as the pandas path.

    Parameters
    ----------
    path : str or path-like
        The parquet journal set. On a cluster every worker must reach it at this same path (a shared
        file system, or a URL such as ``s3://bucket/journal`` that fsspec can open).
    scheduler : str or dask.distributed.Client, optional
        Address of a running scheduler (``tcp://10.0.0.5:8786``) or a client. None starts a
        ``LocalCluster`` (``n_workers`` processes, default one per core) and closes it afterwards.
    unit : str
        Unit of bare numbers (journals are kept in 元).
    n_workers, threads_per_worker, memory_limit :
        For the LocalCluster only: one thread per process, since cleaning holds the GIL between Arrow calls.
    progress : bool
        Show dask's progress bar while the partitions are cleaned.
    connect_timeout : float, optional
        Seconds to wait for the scheduler at ``scheduler`` (default :data:`SCHEDULER_CONNECT_SECONDS`).

    Raises
    ------
    SchedulerError
        ``scheduler`` is not an address, or no Dask scheduler answers there in time.
    """
    import dask
    import dask.dataframe as dd
    from dask.distributed import progress as show_progress

    unit_factor(unit)
    start = time.perf_counter()
    location = str(path)
    if "://" not in location and not is_journal_parquet(location):
        raise VillageconError(f"no parquet journal set at {location}")
    with dask_client(
        scheduler,
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        memory_limit=memory_limit,
        connect_timeout=connect_timeout,
    ) as client:
        # One partition per file, never split: a book must stay whole for its balance to be checked.
        raw = dd.read_parquet(location, split_row_groups=False, blocksize=None, aggregate_files=False)
        lines = raw.map_partitions(_clean_parquet_partition, unit=unit, meta=empty_lines())
        tables = {
            name: lines.map_partitions(table, meta=table(empty_lines())) for name, table in PARTITION_TABLES.items()
        }
        if progress:
            futures = client.compute(list(tables.values()))
            show_progress(futures)
            computed = client.gather(futures)
        else:
            computed = dask.compute(*tables.values(), scheduler=client.get)
    parts = [dict(zip(tables, computed, strict=True))]
    return _combined(parts, start=start)


@contextmanager
def dask_client(
    scheduler=None,
    *,
    n_workers: int | None = None,
    threads_per_worker: int = 1,
    memory_limit: str | float = "auto",
    connect_timeout: float | None = None,
):
    """A ``dask.distributed.Client`` for :func:`clean_journal_dask`, closed afterwards (unless it was given).

    ``scheduler`` is a Client (used as it is), an address (checked, then connected to within
    ``connect_timeout`` seconds, else :class:`SchedulerError`), or None: a LocalCluster of ``n_workers``
    processes whose scratch space is a temporary folder removed afterwards, with no dashboard, its HTTP
    endpoints on a free loopback port, and dask's INFO logging silenced while it runs.
    """
    from dask.distributed import Client, LocalCluster

    with ExitStack() as stack:
        stack.enter_context(_dask_logs_at(logging.WARNING))
        if isinstance(scheduler, Client):
            yield scheduler
            return
        if scheduler is not None:
            yield stack.enter_context(
                _connect_scheduler(
                    str(scheduler), timeout=(SCHEDULER_CONNECT_SECONDS if connect_timeout is None else connect_timeout)
                )
            )
            return
        import dask

        scratch = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="villagecon-dask-", ignore_cleanup_errors=True)
        )
        # The scheduler's and the nannies' scratch space too, not only the workers'.
        stack.enter_context(dask.config.set({"temporary-directory": scratch}))
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=n_workers or os.cpu_count() or 1,
                threads_per_worker=threads_per_worker,
                processes=True,
                memory_limit=memory_limit,
                local_directory=scratch,
                silence_logs=logging.WARNING,
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
        )
        yield stack.enter_context(Client(cluster, set_as_default=False))


@contextmanager
def _dask_logs_at(level: int):
    """dask.distributed's loggers at ``level`` or above while inside (its INFO lines reach a root handler)."""
    logger = logging.getLogger("distributed")
    before = logger.level
    logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.setLevel(before)


def _connect_scheduler(address: str, *, timeout: float):
    """A Client of the scheduler at ``address``, or :class:`SchedulerError` saying what to check.

    The address is checked and a connection tried first without a Client: a Client that fails to start
    leaves a half-started event loop whose clean-up can hang the process later.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from dask.distributed import Client
    from distributed.comm import connect, get_address_host_port
    from distributed.security import Security

    what_to_check = (
        "Check that a Dask scheduler (`dask scheduler`) is running there and that the address is "
        "the one it prints, that this machine can reach that host and port (firewall, VPN), and "
        "that nothing else listens on that port; or leave out --scheduler to start a LocalCluster "
        "on this machine"
    )
    try:
        get_address_host_port(address)  # inproc:// too: for a cluster in this process, pass its Client
    except ValueError as exc:
        raise SchedulerError(
            f"{address!r} is not a Dask scheduler address ({exc}): write it as tcp://HOST:PORT, "
            "e.g. tcp://10.0.0.5:8786, as `dask scheduler` prints it; or leave out --scheduler to "
            "start a LocalCluster on this machine"
        ) from None
    security = Security()

    async def handshake() -> None:
        comm = await asyncio.wait_for(
            connect(address, timeout=timeout, **security.get_connection_args("client")), timeout
        )
        await comm.close()

    try:
        # In a thread of its own: the caller may be running an event loop already (Jupyter).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, handshake()).result()
        return Client(address, timeout=timeout, security=security, set_as_default=False)
    except Exception as exc:  # refused, timed out, or something that does not speak Dask's protocol
        if isinstance(exc, TimeoutError) or "Timed out" in str(exc):
            problem = f"no answer within {timeout:g} s"
        elif isinstance(exc, OSError):
            problem = f"{type(exc).__name__}: {exc}"
        else:
            problem = "what answered does not speak Dask's protocol"
        raise SchedulerError(f"cannot reach the Dask scheduler at {address!r} ({problem}). {what_to_check}") from None


# ---------------------------------------------------------------------------------------------
# Reconciliation with annual statements
# ---------------------------------------------------------------------------------------------


def reconcile_accounts(
    journal_accounts: pd.DataFrame, statements: pd.DataFrame, *, tolerance: float = RECONCILE_TOLERANCE
) -> pd.DataFrame:
    """Compare journal accounts with annual statements, item by item, where both have the village-year.

    Parameters
    ----------
    journal_accounts : DataFrame
        :attr:`Journal.accounts`.
    statements : DataFrame
        Accounts from the annual statements, e.g. ``read_ledger(...).accounts``.
    tolerance : float
        Differences up to this many yuan are rounding.

    Returns
    -------
    DataFrame
        :data:`RECONCILE_COLUMNS`, one row per village, year and item of :data:`RECONCILED_ITEMS` that
        either side has: ``statement_yuan``, ``journal_yuan`` (zero where the journal has no line for
        the item), ``difference`` (statement − journal) and ``status``: ``ok``, ``mismatch``,
        ``approximate`` (the statement wrote 40余万元-style amounts that year), ``not_in_statement``, or
        ``ambiguous``: a journal village-year that could be more than one village of the statements (or
        share its one with another journal village), compared with none; ``reason`` names the candidates.
        Villages are matched by code where both sides have one, else by name within the same county and
        township as far as both sides write them (:func:`match_village_years`).
    """
    items = list(RECONCILED_ITEMS)
    pairs, ambiguous = match_village_years(journal_accounts, statements)
    journal_rows = journal_accounts.reset_index(drop=True)
    statement_rows = statements.reset_index(drop=True)
    statement_long = (
        statement_rows.loc[pairs["statement_row"], [*_IDENTITY, "year", "approx", *items]]
        .assign(pair=np.arange(len(pairs)))
        .melt(
            id_vars=["pair", *_IDENTITY, "year", "approx"],
            value_vars=items,
            var_name="item",
            value_name="statement_yuan",
        )
    )
    journal_long = (
        journal_rows.loc[pairs["journal_row"], items]
        .assign(pair=np.arange(len(pairs)))
        .melt(id_vars=["pair"], value_vars=items, var_name="item", value_name="journal_yuan")
    )
    both = statement_long.merge(journal_long, on=["pair", "item"], how="inner", validate="one_to_one")
    both["journal_yuan"] = both["journal_yuan"].fillna(0.0)
    both = both.loc[both["statement_yuan"].notna() | both["journal_yuan"].ne(0)]
    difference = both["statement_yuan"] - both["journal_yuan"]
    close = difference.abs().le(tolerance)
    status = np.select(
        [both["statement_yuan"].isna(), close, both["approx"].astype(bool)],
        ["not_in_statement", "ok", "approximate"],
        "mismatch",
    )
    table = both.assign(
        difference=difference.round(2), status=status, reason=pd.Series(pd.NA, index=both.index, dtype="str")
    )
    if len(ambiguous):
        unmatched = (
            journal_rows.loc[ambiguous["journal_row"], [*_IDENTITY, "year", *items]]
            .assign(reason=ambiguous["reason"].to_numpy())
            .melt(id_vars=[*_IDENTITY, "year", "reason"], value_vars=items, var_name="item", value_name="journal_yuan")
        )
        unmatched = unmatched.loc[unmatched["journal_yuan"].notna()].assign(
            statement_yuan=np.nan, difference=np.nan, status="ambiguous"
        )
        table = pd.concat([table, unmatched], ignore_index=True)
    table["year"] = table["year"].astype("int64")
    table["status"] = table["status"].astype("str")
    order = {item: position for position, item in enumerate(items)}
    table = table.assign(item_order=table["item"].map(order)).sort_values(
        ["county", "township", "village", "year", "item_order"], kind="stable"
    )
    return table.loc[:, list(RECONCILE_COLUMNS)].reset_index(drop=True)


def match_village_years(journal_accounts: pd.DataFrame, statements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which statement village-year each journal village-year is, one to one.

    By ``village_code`` and year where both rows have a code. Otherwise by village name (as
    :func:`villagecon.vocab.synonyms.village_key` writes it) and year, where county and township agree as
    far as both rows write them, and where the rows have no two different codes. A journal row with
    more than one such statement row, or whose one statement row has another journal row as well, is
    ambiguous: it is matched to none, never to a same-named village of another place.

    Returns
    -------
    (pairs, ambiguous)
        ``pairs``: ``journal_row`` and ``statement_row`` (positions in each table). ``ambiguous``:
        ``journal_row`` and ``reason``, naming the candidates and what to do.
    """
    journal = _village_years(journal_accounts).rename(columns=lambda c: f"{c}_journal")
    statement = _village_years(statements).rename(columns=lambda c: f"{c}_statement")
    coded = journal.loc[journal["village_code_journal"].notna()].merge(
        statement.loc[statement["village_code_statement"].notna()],
        left_on=["village_code_journal", "year_journal"],
        right_on=["village_code_statement", "year_statement"],
    )
    coded_pairs, coded_ambiguous = _one_to_one(coded)
    decided = set(coded["row_journal"])
    # Rows matched or contested by code are not matched again by name.
    named = journal.loc[~journal["row_journal"].isin(decided)].merge(
        statement.loc[~statement["row_statement"].isin(set(coded["row_statement"]))],
        left_on=["name_journal", "year_journal"],
        right_on=["name_statement", "year_statement"],
    )
    same_place = ~(named["village_code_journal"].notna() & named["village_code_statement"].notna())
    for column in ("county", "township"):
        ours, theirs = named[f"{column}_journal"], named[f"{column}_statement"]
        same_place &= (ours.isna() | theirs.isna() | ours.eq(theirs)).to_numpy(dtype=bool, na_value=True)
    named_pairs, named_ambiguous = _one_to_one(named.loc[same_place])
    pairs = pd.concat([coded_pairs, named_pairs], ignore_index=True)
    ambiguous = pd.concat([coded_ambiguous, named_ambiguous], ignore_index=True)
    return pairs.astype("int64"), ambiguous


def _village_years(accounts: pd.DataFrame) -> pd.DataFrame:
    """Row position, place, code, year and the village name as matched (blank places and codes missing)."""
    table = pd.DataFrame({"row": np.arange(len(accounts)), "year": accounts["year"].to_numpy()})
    for column in _IDENTITY:
        values = accounts[column].astype("str").str.strip().to_numpy(dtype=object, na_value=None)
        table[column] = pd.Series(values, dtype="str").replace("", pd.NA)
    table["name"] = village_keys(table["village"])
    table["place"] = [_place_name(*place) for place in table[_IDENTITY].itertuples(index=False)]
    return table


def _place_name(county, township, village, code) -> str:
    written = "".join(part for part in (county, township, village) if isinstance(part, str)) or "(no name)"
    return f"{written} ({code})" if isinstance(code, str) else written


def _one_to_one(candidates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Candidate (journal, statement) row pairs split into the one-to-one ones and the ambiguous journal rows."""
    per_journal = candidates.groupby("row_journal")["row_statement"].transform("size")
    per_statement = candidates.groupby("row_statement")["row_journal"].transform("size")
    unique = per_journal.eq(1) & per_statement.eq(1)
    pairs = candidates.loc[unique, ["row_journal", "row_statement"]].set_axis(["journal_row", "statement_row"], axis=1)
    contested = candidates.loc[~unique]
    ambiguous = []
    for row, group in contested.groupby("row_journal", sort=True):
        first = group.iloc[0]
        places = sorted(set(group["place_statement"]))
        rivals = sorted(
            set(
                candidates.loc[
                    candidates["row_statement"].isin(group["row_statement"]) & candidates["row_journal"].ne(row),
                    "place_journal",
                ]
            )
        )
        why = (
            f"could be any of {len(places)} villages in the statements ({', '.join(places)})"
            if len(places) > 1
            else f"could be the statements' {places[0]}, but so could the journal's {', '.join(rivals)}"
        )
        ambiguous.append(
            {
                "journal_row": row,
                "reason": (
                    f"{first['place_journal']} {first['year_journal']} in the journal {why}, "
                    "so it is compared with none. "
                    "Clean the journals with the village register (--register) so that both sides have village "
                    "codes, or write the county and township in each journal's title"
                ),
            }
        )
    return pairs, pd.DataFrame(ambiguous, columns=["journal_row", "reason"])


# ---------------------------------------------------------------------------------------------
# One call for the command line
# ---------------------------------------------------------------------------------------------


def clean_journal(
    path: Path | str,
    *,
    out: Path | str | None = None,
    engine: str = "pandas",
    scheduler=None,
    statements: Path | str | pd.DataFrame | None = None,
    register: Path | str | None = None,
    unit: str | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
) -> tuple[Journal, pd.DataFrame | None]:
    """Clean a journal set with the chosen engine, reconcile it with statements, and write the tables.

    Parameters
    ----------
    path : path-like or str
        Journal spreadsheets or a parquet journal set (the dask engine needs a parquet set).
    out : path-like, optional
        Folder for :func:`write_journal`'s files; nothing is written when None.
    engine : {"pandas", "dask"}
        ``pandas``: :func:`read_journal`, partition by partition on this machine. ``dask``:
        :func:`clean_journal_dask`, on ``scheduler`` or a LocalCluster.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); only with ``engine="dask"``.
    statements : path-like or DataFrame, optional
        Accounts from annual statements (an accounts.parquet, or a DataFrame) to reconcile against.
    register, unit, encoding, progress, limits :
        As for :func:`read_journal`.

    Returns
    -------
    (Journal, reconciliation DataFrame or None)
    """
    if engine not in ("pandas", "dask"):
        raise UsageError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    if scheduler is not None and engine != "dask":
        raise UsageError("a scheduler address needs engine='dask'")
    if engine == "dask":
        journal = clean_journal_dask(path, scheduler=scheduler, unit=unit or "元", progress=bool(progress))
    else:
        journal = read_journal(path, register=register, unit=unit, encoding=encoding, progress=progress, limits=limits)
    journal.check_nothing_lost()
    reconciliation = None
    if statements is not None:
        table = statements if isinstance(statements, pd.DataFrame) else pd.read_parquet(statements)
        reconciliation = reconcile_accounts(journal.accounts, table)
    if out is not None:
        write_journal(journal, out, reconciliation=reconciliation)
    return journal, reconciliation


JOURNAL_OUTPUTS = (
    "journal_accounts.parquet",
    "journal_entries.parquet",
    "journal_books.parquet",
    "journal_rejects.csv",
    "journal_breaks.csv",
    "journal_unmapped.csv",
    "journal_subtotals.csv",
)


def write_journal(journal: Journal, out: Path | str, *, reconciliation: pd.DataFrame | None = None) -> list[Path]:
    """Write a Journal's tables into ``out`` (:data:`JOURNAL_OUTPUTS`, journal_reconciliation.csv when given,
    and journal_manifest.json with the counts), each file replaced atomically. CSVs are UTF-8 with BOM
    (Excel shows the Chinese) and formula-safe."""
    out = Path(out)
    # The same staging and lock as `villagecon clean`: readers see the old set or the new one, never a mix.
    with replacing_files(out) as staging:
        names = [p.name for p in _write_journal_files(journal, staging, reconciliation)]
    return [out / name for name in names]


def _write_journal_files(journal: Journal, out: Path, reconciliation: pd.DataFrame | None) -> list[Path]:
    written = [
        write_atomic(out / "journal_accounts.parquet", lambda p: journal.accounts.to_parquet(p, index=False)),
        write_atomic(out / "journal_entries.parquet", lambda p: journal.entries.to_parquet(p, index=False)),
        write_atomic(out / "journal_books.parquet", lambda p: journal.books.to_parquet(p, index=False)),
    ]
    tables = {
        "journal_rejects.csv": labels.rejects_for_people(journal.rejects),
        "journal_breaks.csv": labels.rejects_for_people(journal.breaks),
        "journal_unmapped.csv": journal.unmapped,
        "journal_subtotals.csv": journal.subtotals,
    }
    if reconciliation is not None:
        tables["journal_reconciliation.csv"] = reconciliation
    for name, table in tables.items():
        written.append(write_csv(table, out / name))
    manifest = {
        "rows_read": journal.rows_read,
        "seconds": round(journal.seconds, 3),
        "rows_per_second": round(journal.rows_per_second, 1),
        "rows_by_kind": dict(zip(journal.kinds["kind"], journal.kinds["rows"].astype(int).tolist(), strict=True)),
        "files": len(journal.files),
        "books": len(journal.books),
        "village_years": len(journal.accounts),
        "breaks": len(journal.breaks),
        "rejects": len(journal.rejects),
        "unmapped": len(journal.unmapped),
        "subtotals_not_adding_up": int(journal.subtotals["status"].eq("mismatch").sum()),
        "reconciliation": (
            None
            if reconciliation is None
            else {k: int(v) for k, v in reconciliation["status"].value_counts().sort_index().items()}
        ),
        "outputs": [p.name for p in written],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    written.append(write_atomic(out / "journal_manifest.json", lambda p: p.write_text(text, encoding="utf-8")))
    return written
