"""villagecon.journal.command: clean_journal reads a journal set, reconciles it with statements, writes it."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from villagecon.errors import LedgerFileError, UsageError
from villagecon.ingest.read_limits import ReadLimits
from villagecon.journal.command import clean_journal
from villagecon.journal.reconcile import RECONCILED_ITEMS

import ledger_files as lf

# 上河村's 2022 cash book as the village's accountant keeps it (元).
CASH_BOOK_ROWS = [
    ["现金日记账"],
    ["核算单位：汝城县濠头乡上河村", None, None, None, "2022年"],
    ["月", "日", "凭证号", "摘要", "对方科目", "借方", "贷方", "余额"],
    [1, 1, None, "上年结转", None, None, None, 10000],
    [1, 5, "收1号", "收到鱼塘承包费", "发包及上交收入", 5000, None, 15000],
    [1, 8, "付1号", "买办公用品", "管理费用", None, 300, 14700],
    [1, 31, None, "本月合计", None, 5000, 300, 14700],
    [12, 31, None, "结转下年", None, None, None, 14700],
]


@pytest.fixture
def books(tmp_path):
    folder = tmp_path / "journals"
    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "现金日记账"
    for row in CASH_BOOK_ROWS:
        sheet.append(row)
    book.save(folder / "上河村2022年现金日记账.xlsx")
    return folder


def statement(**figures) -> pd.DataFrame:
    """上河村's 2022 accounts as its annual statement (收益分配表) gives them."""
    place = {"county": "汝城县", "township": "濠头乡", "village": "上河村", "village_code": None, "year": 2022}
    blank = dict.fromkeys(RECONCILED_ITEMS, float("nan"))
    return pd.DataFrame([{**place, **blank, **figures, "approx": False}])


def _figures(accounts: pd.DataFrame) -> dict:
    items = ["contract_income", "total_income", "admin_expense", "total_expense", "net_income"]
    return accounts[items].iloc[0].to_dict()


def test_clean_journal_reads_on_this_machine_and_writes_nothing_without_out(books):
    journal, reconciliation = clean_journal(books)
    assert reconciliation is None
    assert journal.accounts[["county", "township", "village", "year"]].values.tolist() == [
        ["汝城县", "濠头乡", "上河村", 2022]
    ]
    assert _figures(journal.accounts) == {
        "contract_income": 5000.0,
        "total_income": 5000.0,
        "admin_expense": 300.0,
        "total_expense": 300.0,
        "net_income": 4700.0,
    }
    assert journal.lines["kind"].tolist() == ["opening", "data", "data", "month_total", "closing"]
    assert [p.name for p in books.iterdir()] == ["上河村2022年现金日记账.xlsx"]


def test_clean_journal_passes_the_unit_and_register_to_the_reader(books, tmp_path):
    register = lf.register(tmp_path)
    journal, _ = clean_journal(books, unit="万元", register=register)
    assert journal.accounts["village_code"].tolist() == ["431026100001"]
    assert journal.accounts["contract_income"].tolist() == [50_000_000.0]


def test_clean_journal_reconciles_with_statements_and_writes_the_tables(books, tmp_path):
    # The statement says 6,000 of contract income where the book has 5,000.
    statements = statement(
        contract_income=6000.0, total_income=6000.0, admin_expense=300.0, total_expense=300.0, net_income=5700.0
    )
    out = tmp_path / "processed"
    _, reconciliation = clean_journal(books, statements=statements, out=out)
    assert reconciliation is not None
    assert reconciliation[["item", "statement_yuan", "journal_yuan", "status"]].values.tolist() == [
        ["contract_income", 6000.0, 5000.0, "mismatch"],
        ["total_income", 6000.0, 5000.0, "mismatch"],
        ["admin_expense", 300.0, 300.0, "ok"],
        ["total_expense", 300.0, 300.0, "ok"],
        ["net_income", 5700.0, 4700.0, "mismatch"],
    ]
    written = pd.read_csv(out / "journal_reconciliation.csv", encoding="utf-8-sig")
    assert written["status"].tolist() == ["mismatch", "mismatch", "ok", "ok", "mismatch"]
    assert pd.read_parquet(out / "journal_accounts.parquet")["net_income"].tolist() == [4700.0]
    manifest = json.loads((out / "journal_manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows_read"] == 5 and manifest["reconciliation"] == {"mismatch": 3, "ok": 2}


def test_statements_may_be_an_accounts_parquet(books, tmp_path):
    statements = tmp_path / "accounts.parquet"
    statement(
        contract_income=5000.0, total_income=5000.0, admin_expense=300.0, total_expense=300.0, net_income=4700.0
    ).to_parquet(statements)
    _, reconciliation = clean_journal(books, statements=statements)
    assert reconciliation is not None
    assert set(reconciliation["status"]) == {"ok"} and reconciliation["difference"].eq(0).all()


def test_clean_journal_passes_the_limits_to_the_reader(books):
    with pytest.raises(LedgerFileError, match=r"8 rows × 8 columns"):
        clean_journal(books, limits=ReadLimits(cells=20))


def test_an_unknown_engine_or_a_scheduler_without_dask_is_refused(books):
    with pytest.raises(UsageError, match=r"^engine must be 'pandas' or 'dask', not 'spark'$"):
        clean_journal(books, engine="spark")
    with pytest.raises(UsageError, match=r"^a scheduler address needs engine='dask'$"):
        clean_journal(books, scheduler="tcp://127.0.0.1:8786")
