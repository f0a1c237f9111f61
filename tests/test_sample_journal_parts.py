"""The journal sample's parts (villagecon.sample.journal): partitions, books, defects, amount texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.journal import PARQUET_COLUMNS
from villagecon.sample import sample_truth
from villagecon.sample.journal import DEFECT_COLUMNS, expected_journal_accounts, journal_partitions
from villagecon.sample.journal.table import _amount_texts


@pytest.fixture(scope="module")
def truth():
    return sample_truth(villages=11, years=[2022])


def test_amount_texts_as_an_export_writes_them():
    fen = np.array([123450, 100, 123456789, -5000])
    texts = _amount_texts(fen, np.array([True, True, False, True]))
    assert texts.to_pylist() == ["1,234.50", "1.00", "1234567.89", "-50.00"]


def test_a_partition_is_whole_books(truth):
    county, year, table, defects = next(journal_partitions(truth, lines_per_village_year=40, defects=False))
    assert (county, year) == ("北湖区", 2022)
    assert table.column_names == list(PARQUET_COLUMNS)
    frame = table.to_pandas()
    for _, book in frame.groupby(["village_code", "book"]):
        assert book["summary"].iloc[0] == "上年结转" and book["summary"].iloc[-1] == "结转下年"
        assert book["line"].tolist() == list(range(1, len(book) + 1))
    assert defects.empty and list(defects.columns) == list(DEFECT_COLUMNS)


def test_partitions_are_repeatable_and_defects_listed(truth):
    first = next(journal_partitions(truth, lines_per_village_year=40))
    again = next(journal_partitions(truth, lines_per_village_year=40))
    assert first[2].equals(again[2])
    assert "balance_typo" in set(first[3]["problem"])


def test_expected_accounts_take_out_lost_lines(truth):
    defects = pd.DataFrame(
        [
            {
                "village_code": truth["village_code"].iloc[0],
                "year": 2022,
                "problem": "missing_line",
                "item": "admin_expense",
                "amount_yuan": 100.0,
            }
        ]
    )
    expected = expected_journal_accounts(truth, defects)
    assert expected["admin_expense"].iloc[0] == pytest.approx(truth["admin_expense"].iloc[0] - 100.0)
    assert expected["admin_expense"].iloc[1] == pytest.approx(truth["admin_expense"].iloc[1])
