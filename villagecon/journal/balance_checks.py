"""The running balance (余额) and the 本月合计/本年累计 rows, checked against the lines.

Both checks are column operations over every book of a partition at once.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

__all__ = ["BALANCE_TOLERANCE", "check_balances", "check_subtotals"]

log = logging.getLogger(__name__)

# A balance that differs by less than a fen from the expected one is the same (amounts are rounded to the fen).
BALANCE_TOLERANCE = 0.005


def check_balances(
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

    Parameters
    ----------
    book : numpy.ndarray
        Integer id of each row's book; rows of a book in the order written.
    kind : numpy.ndarray
        Each row's kind (:data:`~villagecon.journal.columns.KINDS`).
    unknown_flow : numpy.ndarray
        True for rejected lines whose 借方 or 贷方 cannot be read.
    debit, credit, balance : numpy.ndarray
        借方, 贷方 and signed 余额 in yuan, NaN where blank.

    Returns
    -------
    (expected, problem) : tuple of numpy.ndarray
        The expected 余额 (NaN where not checked) and ``balance_break``, ``balance_typo`` or None.
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


def check_subtotals(
    book: np.ndarray,
    kind: np.ndarray,
    unknown_flow: np.ndarray,
    month: pd.Series,
    debit: np.ndarray,
    credit: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """本月合计 against the month's lines and 本年累计 against the year's so far, 借方 and 贷方 both.

    A month with a line whose amount cannot be read cannot be checked (``unchecked``); 承前页/过次页 are
    not checked here (offices total pages differently), only their balance is. A total without a month
    belongs to the month of the lines above it.

    Parameters
    ----------
    book : numpy.ndarray
        Integer id of each row's book.
    kind : numpy.ndarray
        Each row's kind.
    unknown_flow : numpy.ndarray
        True for rejected lines whose 借方 or 贷方 cannot be read.
    month : Series
        月 of each row (missing allowed).
    debit, credit : numpy.ndarray
        借方 and 贷方 in yuan, NaN where blank.

    Returns
    -------
    (status, field, lines_sum) : tuple of numpy.ndarray
        For 本月合计/本年累计 rows: ``ok``, ``mismatch`` or ``unchecked``; the field that does not add up
        (``debit`` first, then ``credit``); what the lines add up to in that field. None/NaN elsewhere.
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
        bad_field[rows] = np.where(off_debit, "debit", np.where(off_credit, "credit", np.array(None, dtype=object)))
        lines_sum[rows] = np.where(
            off_debit,
            found["debit"].fillna(0).to_numpy(),
            np.where(off_credit, found["credit"].fillna(0).to_numpy(), np.nan),
        )
    return status, bad_field, lines_sum
