"""villagecon.journal.writing: the tables of a Journal on disk, and their manifest."""

from __future__ import annotations

import json

import pandas as pd
from journal_books import JANUARY, book, journal_of
from pandas.testing import assert_frame_equal

from villagecon.journal.reconcile import reconcile_accounts
from villagecon.journal.writing import JOURNAL_OUTPUTS, write_journal


def test_write_journal_writes_every_table_and_the_counts(tmp_path):
    journal, _ = journal_of(book(JANUARY))
    reconciliation = reconcile_accounts(journal.accounts, journal.accounts.assign(approx=False))
    paths = write_journal(journal, tmp_path / "out", reconciliation=reconciliation)
    assert {p.name for p in paths} == {*JOURNAL_OUTPUTS, "journal_reconciliation.csv", "journal_manifest.json"}
    manifest = json.loads((tmp_path / "out" / "journal_manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows_read"] == len(JANUARY) and manifest["rejects"] == 1 and manifest["village_years"] == 1
    assert manifest["rows_by_kind"]["carried"] == 2 and manifest["reconciliation"] == {"ok": 6}
    rejects = (tmp_path / "out" / "journal_rejects.csv").read_bytes()
    assert rejects.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    assert pd.read_csv(tmp_path / "out" / "journal_rejects.csv", encoding="utf-8-sig")["source"].tolist() == [
        "上河村.xlsx!现金日记账!7"
    ]
    assert_frame_equal(pd.read_parquet(tmp_path / "out" / "journal_accounts.parquet"), journal.accounts)
