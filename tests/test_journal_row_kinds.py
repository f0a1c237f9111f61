"""villagecon.journal.row_kinds: rows that repeat what is above them are recognised, never added again."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from journal_books import JANUARY, JANUARY_KINDS, book, journal_of

from villagecon.journal.row_kinds import labels_of, repeated_row_kinds, repeated_row_text


def test_repeated_rows_are_recognised_and_never_added_again():
    journal, lines = journal_of(book(JANUARY))
    assert lines["kind"].tolist() == [
        "opening",
        "data",
        "data",
        "rejected",
        "carried",
        "carried",
        "data",
        "data",
        "month_total",
        "year_total",
        "blank",
        "note",
        "closing",
    ]
    entries = journal.entries.set_index("item")["amount_yuan"]
    # 过次页/承前页/本月合计/本年累计 repeat 2,300 of receipts four times; only the lines count.
    assert entries.to_dict() == {"admin_expense": 200.0, "contract_income": 500.0, "subsidy_income": 800.0}
    account = journal.accounts.iloc[0]
    assert (account["total_income"], account["total_expense"], account["net_income"]) == (1300.0, 200.0, 1100.0)
    assert np.isnan(account["assets"]) and np.isnan(account["liabilities"])  # a cash journal does not tell them
    assert journal.breaks.empty
    assert lines.loc[lines["kind"].isin(["month_total", "year_total"]), "subtotal_status"].tolist() == ["ok", "ok"]
    journal.check_nothing_lost()
    assert journal.kinds.set_index("kind")["rows"].sum() == len(JANUARY)
    assert journal.rejects[["source", "problem"]].values.tolist() == [["上河村.xlsx!现金日记账!7", "no_amount"]]


@pytest.mark.parametrize(
    ("written", "instead_of"),
    [
        ("本 月 合 计", "本月合计"),
        ("本月合计：", "本月合计"),
        ("【本月合计】", "本月合计"),
        ("本月合计数", "本月合计"),
        ("本月合計", "本月合计"),
        ("1月合计", "本月合计"),
        ("１月份合计", "本月合计"),
        ("\u3000本月合计\u3000", "本月合计"),
        ("本 年 累 计", "本年累计"),
        ("本年累計", "本年累计"),
        ("（本年累计）", "本年累计"),
        ("过 次 页", "过次页"),
        ("過次頁", "过次页"),
        ("承 前 页", "承前页"),
        ("承前頁", "承前页"),
        ("承前页：", "承前页"),
    ],
)
def test_repeated_rows_written_in_variants_are_recognised(written, instead_of):
    rows = [
        (month, day, written if summary == instead_of else summary, *rest) for month, day, summary, *rest in JANUARY
    ]
    raw = book(rows)
    # In two Arrow chunks, as a partition read from parquet row groups can be.
    summary = raw["summary"].astype("str")
    raw["summary"] = pd.concat([summary.iloc[:6], summary.iloc[6:]], ignore_index=True)
    assert pa.array(raw["summary"].array).num_chunks == 2
    journal, lines = journal_of(raw)
    assert lines["kind"].tolist() == JANUARY_KINDS
    assert journal.breaks.empty
    assert journal.entries.set_index("item")["amount_yuan"].to_dict() == {
        "admin_expense": 200.0,
        "contract_income": 500.0,
        "subsidy_income": 800.0,
    }
    assert lines.loc[lines["kind"].isin(["month_total", "year_total"]), "subtotal_status"].tolist() == ["ok", "ok"]


def test_december_total_written_with_its_month():
    rows = [
        (12 if month == 1 else month, day, "12月合计" if summary == "本月合计" else summary, *rest)
        for month, day, summary, *rest in JANUARY
    ]
    journal, lines = journal_of(book(rows))
    assert lines["kind"].tolist() == JANUARY_KINDS
    assert journal.breaks.empty and journal.subtotals.empty


def test_repeated_row_text_normalises_spacing_brackets_width_and_traditional_characters():
    written = [
        "本 月 合 计",
        "【本月合计】",
        "本月合计：",
        "本月合計",
        "\u3000過次頁\u3000",
        "（上年結餘）",
        "１２月合计",
        "收 鱼塘 承包费",
        None,
    ]
    assert repeated_row_text(pa.array(written)).to_pylist() == [
        "本月合计",
        "本月合计",
        "本月合计",
        "本月合计",
        "过次页",
        "上年结余",
        "12月合计",
        "收鱼塘承包费",
        None,
    ]


def test_a_line_that_mentions_a_total_or_a_month_stays_a_line():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付本月合计电费", "管理费用", None, "100.00", "900.00"),
        (1, 3, "13月合计", "管理费用", None, "100.00", "800.00"),
        (1, 4, "收上年结转款", "其他收入", "50.00", None, "850.00"),
    ]
    journal, lines = journal_of(book(rows))
    assert lines["kind"].tolist() == ["opening", "data", "data", "data"]
    assert journal.breaks.empty


def test_repeated_row_kinds_names_each_kind_and_leaves_lines_as_data():
    written = ["上年结转", "本月合计", "本年累计", "过次页", "结转下年", "收鱼塘承包费", None, "付本月合计电费"]
    kinds = repeated_row_kinds(pa.chunked_array([written[:3], written[3:]]))
    assert kinds.tolist() == ["opening", "month_total", "year_total", "carried", "closing", "data", "data", "data"]


def test_labels_of_gives_the_chinese_name_of_a_repeated_row():
    assert [labels_of(k) for k in ("opening", "month_total", "year_total", "carried", "closing")] == [
        "上年结转",
        "本月合计",
        "本年累计",
        "承前页/过次页",
        "结转下年",
    ]
    assert labels_of("data") == "data"
