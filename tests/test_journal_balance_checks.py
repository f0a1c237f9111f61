"""villagecon.journal.balance_checks: the running 余额 and the 本月合计/本年累计 rows against the lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
from journal_books import book, journal_of

from villagecon.journal.balance_checks import check_balances, check_subtotals


def test_balance_typo_is_reported_once_with_the_right_balance():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付差旅费", "管理费用", None, "100.00", "1000.00"),  # should be 900.00
        (1, 3, "收门面租金", "发包及上交收入", "50.00", None, "950.00"),
        (1, 4, "付电话费", "管理费用", None, "30.00", "920.00"),
    ]
    journal, _ = journal_of(book(rows))
    assert len(journal.breaks) == 1
    found = journal.breaks.iloc[0]
    assert (found["source"], found["cell"], found["problem"]) == ("上河村.xlsx!现金日记账!5", "balance", "balance_typo")
    assert (found["balance_yuan"], found["expected_balance"], found["difference"]) == (1000.0, 900.0, 100.0)
    assert found["reason"].startswith("余额 1,000.00 元 should be 900.00 元")


def test_lost_line_is_a_break_at_the_row_after_and_its_month_total_does_not_add_up():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付差旅费", "管理费用", None, "100.00", "900.00"),
        # lost: (1, 3, 收门面租金, 发包及上交收入, 50.00, -, 950.00)
        (1, 4, "付电话费", "管理费用", None, "30.00", "920.00"),
        (1, 5, "付办公用品费", "管理费用", None, "20.00", "900.00"),
        (1, None, "本月合计", None, "50.00", "150.00", "900.00"),
    ]
    journal, _ = journal_of(book(rows))
    assert journal.breaks[["source", "problem", "expected_balance", "difference"]].values.tolist() == [
        ["上河村.xlsx!现金日记账!6", "balance_break", 870.0, 50.0]
    ]
    assert "a line is missing or an amount is wrong" in journal.breaks.loc[0, "reason"]
    total = journal.subtotals.iloc[0]
    assert (total["kind"], total["field"], total["amount_yuan"], total["lines_sum"], total["status"]) == (
        "month_total",
        "debit",
        50.0,
        0.0,
        "mismatch",
    )


def test_unreadable_amount_rejects_the_line_and_the_balance_carries_on_from_it():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付农资采购款", "经营支出", None, "1 200.00", "-200.00"),
        (1, 3, "收光伏发电收入", "经营收入", "300.00", None, "100.00"),
    ]
    journal, _ = journal_of(book(rows, direction=None))
    reject = journal.rejects.iloc[0]
    assert (reject["source"], reject["cell"], reject["column"], reject["value"], reject["problem"]) == (
        "上河村.xlsx!现金日记账!5",
        "credit",
        "贷方",
        "1 200.00",
        "amount",
    )
    assert "ambiguous digit separators" in reject["reason"]
    assert journal.breaks.empty  # row 6 is checked from row 5's 余额 as written
    assert journal.entries.set_index("item")["amount_yuan"].to_dict() == {"operating_income": 300.0}


def test_check_balances_per_book_from_the_last_written_balance():
    book_ids = np.array([0, 0, 0, 1, 1])
    kind = np.array(["opening", "data", "data", "opening", "data"], dtype=object)
    debit = np.array([np.nan, 50.0, np.nan, np.nan, 5.0])
    credit = np.array([np.nan, np.nan, 30.0, np.nan, np.nan])
    balance = np.array([100.0, 150.0, 100.0, 10.0, 15.0])  # 100.00 should be 120.00
    expected, problem = check_balances(book_ids, kind, np.zeros(5, dtype=bool), debit, credit, balance)
    assert np.array_equal(expected, [np.nan, 150.0, 120.0, np.nan, 15.0], equal_nan=True)
    # The last row of its book: nothing after it undoes the jump, so it is a break, not a typo.
    assert problem.tolist() == [None, None, "balance_break", None, None]


def test_check_subtotals_names_the_field_that_does_not_add_up():
    kind = np.array(["data", "data", "month_total", "year_total"], dtype=object)
    debit = np.array([10.0, np.nan, 10.0, 10.0])
    credit = np.array([np.nan, 5.0, 6.0, 5.0])
    status, field, lines_sum = check_subtotals(
        np.zeros(4, dtype=np.int64), kind, np.zeros(4, dtype=bool), pd.Series([1, 1, None, None]), debit, credit
    )
    assert status.tolist() == [None, None, "mismatch", "ok"]
    assert field.tolist() == [None, None, "credit", None]
    assert np.array_equal(lines_sum, [np.nan, np.nan, 5.0, np.nan], equal_nan=True)
