"""villagecon.journal.combine: the tables of every partition make one Journal."""

from __future__ import annotations

import pandas as pd
import pytest
from journal_books import JANUARY, book, journal_of

from villagecon.ingest.ledger import to_accounts
from villagecon.journal.clean_rows import clean_journal_frame
from villagecon.journal.combine import Journal, combine_results
from villagecon.journal.partition_tables import journal_files, partition_results


def test_accounts_have_the_columns_of_clean_to_accounts():
    journal, _ = journal_of(book(JANUARY))
    assert list(journal.accounts.columns) == list(to_accounts(pd.DataFrame()).columns)


def test_partitions_add_up_into_one_journal():
    here = clean_journal_frame(book(JANUARY))
    there = clean_journal_frame(book(JANUARY, village="下河村", village_code="431026201202", file="下河村.xlsx"))
    both = pd.concat([here, there], ignore_index=True)
    journal = combine_results(
        [partition_results(here), partition_results(there)], files=journal_files(both), lines=both
    )
    assert journal.accounts[["village", "total_income", "total_expense"]].values.tolist() == [
        ["上河村", 1300.0, 200.0],
        ["下河村", 1300.0, 200.0],
    ]
    assert journal.rows_read == 2 * len(JANUARY)
    assert journal.rejects["source"].tolist() == ["上河村.xlsx!现金日记账!7", "下河村.xlsx!现金日记账!7"]
    journal.check_nothing_lost()
    assert journal.summary().splitlines()[1] == (
        "rows: 8 lines, 12 repeated totals (never added again), 4 blank or notes, 2 rejected"
    )


def test_check_nothing_lost_says_how_many_rows_have_no_kind():
    journal, _ = journal_of(book(JANUARY))
    journal.files = journal.files.assign(rows=journal.files["rows"] + 2)
    with pytest.raises(AssertionError, match=r"^2 of 15 rows have no kind$"):
        journal.check_nothing_lost()
    assert isinstance(journal, Journal)
