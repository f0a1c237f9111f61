"""villagecon.journal.partition_tables: the small tables one cleaned partition gives."""

from __future__ import annotations

import pandas as pd
from journal_books import JANUARY, book, journal_of

from villagecon.journal.clean_rows import clean_journal_frame
from villagecon.journal.columns import KINDS
from villagecon.journal.partition_tables import (
    PARTITION_TABLES,
    journal_entries,
    journal_kinds,
    journal_rejects,
    partition_results,
)
from villagecon.sample.journal import (
    UNMAPPED_COUNTER,
)


def test_unmapped_table_counts_lines_and_money():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "收暂存款", UNMAPPED_COUNTER, "10.00", None, "1010.00"),
        (1, 3, "收暂存款", UNMAPPED_COUNTER, "20.00", None, "1030.00"),
        (1, 4, "收到不明款项", None, "5.00", None, "1035.00"),
    ]
    journal, _ = journal_of(book(rows))
    table = journal.unmapped
    assert table[["counter_account", "lines", "debit_yuan", "first_source"]].iloc[0].tolist() == [
        UNMAPPED_COUNTER,
        2,
        30.0,
        "上河村.xlsx!现金日记账!5",
    ]
    assert "add its spelling to villagecon.vocab.journal_items" in table.loc[0, "reason"]
    assert table.loc[1, "summary"] == "收到不明款项" and table.loc[1, "lines"] == 1
    assert "write the 对方科目" in table.loc[1, "reason"]


def test_entries_count_refunds_against_their_item():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "收鱼塘承包费", "发包及上交收入", "500.00", None, "1500.00"),
        (1, 3, "退多收承包费", "发包及上交收入", None, "100.00", "1400.00"),
        (1, 4, "付办公用品费", "管理费用", None, "200.00", "1200.00"),
        (1, 5, "退回办公用品费", "管理费用", "50.00", None, "1250.00"),
        (1, 6, "存入银行", "银行存款", None, "250.00", "1000.00"),
    ]
    entries = journal_entries(clean_journal_frame(book(rows)))
    assert entries[["item", "amount_yuan", "lines"]].values.tolist() == [
        ["admin_expense", 150.0, 2],
        ["contract_income", 400.0, 2],
    ]


def test_kinds_lists_every_kind_zero_included():
    rows = [(1, 1, "上年结转", None, None, None, "10.00"), (1, 2, "收租金", "其他收入", "5.00", None, "15.00")]
    kinds = journal_kinds(clean_journal_frame(book(rows)))
    assert dict(zip(kinds["kind"], kinds["rows"], strict=True)) == {k: int(k in ("opening", "data")) for k in KINDS}


def test_rejects_name_the_cell_where_the_sheet_layout_is_known():
    lines = clean_journal_frame(book(JANUARY))
    cells = pd.DataFrame({"file": ["上河村.xlsx"], "sheet": ["现金日记账"], "field": ["summary"], "letters": ["C"]})
    assert journal_rejects(lines, cells=cells)[["source", "cell", "column"]].values.tolist() == [
        ["上河村.xlsx!现金日记账!7", "C7", "摘要"]
    ]
    assert journal_rejects(lines)["cell"].tolist() == ["summary"]


def test_partition_results_gives_every_table():
    results = partition_results(clean_journal_frame(book(JANUARY)))
    assert (
        list(results)
        == list(PARTITION_TABLES)
        == [
            "entries",
            "rejects",
            "breaks",
            "unmapped",
            "subtotals",
            "books",
            "kinds",
            "files",
        ]
    )
    assert results["files"].values.tolist() == [["上河村.xlsx", len(JANUARY)]]
    books = results["books"].iloc[0]
    assert books[["rows", "lines", "opening_balance", "closing_balance", "debit_yuan", "credit_yuan"]].tolist() == [
        13,
        4,
        1000.0,
        3100.0,
        2300.0,
        200.0,
    ]
