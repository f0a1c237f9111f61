"""villagecon.journal.clean_rows: one cleaned row out per raw row in."""

from __future__ import annotations

from journal_books import JANUARY, JANUARY_KINDS, book, journal_of

from villagecon.journal.clean_rows import clean_journal_frame, empty_lines


def test_direction_column_signs_the_balance():
    rows = [(1, 1, "上年结转", None, None, None, "100.00"), (1, 2, "付工程款", "应付款", None, "300.00", "200.00")]
    raw = book(rows).assign(direction=["借", "贷"])
    _, lines = journal_of(raw)
    assert lines["balance_yuan"].tolist() == [100.0, -200.0]
    assert lines["balance_problem"].isna().all()


def test_one_row_out_per_row_in_in_book_and_row_order():
    raw = book(JANUARY).iloc[::-1]
    lines = clean_journal_frame(raw)
    assert len(lines) == len(JANUARY)
    assert lines["row"].tolist() == list(range(4, 4 + len(JANUARY)))
    assert lines["kind"].tolist() == JANUARY_KINDS
    assert lines.loc[1, ["debit_yuan", "item", "counter_kind", "item_from"]].tolist() == [
        500.0,
        "contract_income",
        "income",
        "对方科目",
    ]


def test_a_line_without_amounts_is_rejected_with_what_to_do():
    lines = clean_journal_frame(book(JANUARY))
    rejected = lines.loc[lines["kind"].eq("rejected")]
    assert rejected[["row", "problem"]].values.tolist() == [[7, "no_amount"]]
    assert rejected["reason"].iloc[0].startswith("neither 借方 nor 贷方 is written: enter the amount")


def test_empty_lines_has_the_columns_and_dtypes_of_cleaned_lines():
    assert empty_lines().empty
    assert empty_lines().dtypes.to_dict() == clean_journal_frame(book(JANUARY)).dtypes.to_dict()
