"""villagecon.journal.line_items: the item of a line from its 对方科目, else from its 摘要."""

from __future__ import annotations

import numpy as np
import pytest
from journal_books import book, journal_of, listed

from villagecon.journal.columns import as_raw
from villagecon.journal.line_items import items_of_lines
from villagecon.vocab.journal_items import counter_account_of


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("550管理费用—办公费", ("admin_expense", "expense")),
        ("发包及上缴收入", ("contract_income", "income")),
        ("上级补助收入", ("subsidy_income", "income")),
        ("经营收入/光伏发电", ("operating_income", "income")),
        ("库存现金", (None, "transfer")),
        ("应收款", (None, "balance_sheet")),
        ("其他应付款", (None, "balance_sheet")),
        ("待查款项", (None, "unmapped")),
        ("", (None, "")),
    ],
)
def test_counter_accounts(written, expected):
    assert counter_account_of(written) == expected


def test_summary_decides_where_counter_account_is_blank_by_side_and_system():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "收耕地地力保护补贴", None, "10.00", None, "1010.00"),  # receipt with 补贴: a subsidy
        (1, 3, "付村干部误工补贴", None, None, "100.00", "910.00"),  # payment with 补贴: admin
        (1, 4, "收鱼塘承包费", None, "200.00", None, "1110.00"),
        (1, 5, "付五保户慰问金", None, None, "50.00", "1060.00"),
        (1, 6, "从银行提取现金", None, "500.00", None, "1560.00"),
        (1, 7, "收到不明款项", None, "5.00", None, "1565.00"),
    ]
    _, lines_2022 = journal_of(book(rows))
    assert listed(lines_2022["item"])[1:] == [
        "subsidy_income",
        "admin_expense",
        "contract_income",
        "other_expense",
        None,
        None,
    ]
    assert lines_2022["counter_kind"].tolist()[1:] == ["income", "expense", "income", "expense", "transfer", "unmapped"]
    assert set(lines_2022["item_from"].dropna()) == {"摘要"}
    # 财会〔2023〕14号: from 2024 a 承包费 is 经营收入 and 五保 spending is 公益支出.
    _, lines_2024 = journal_of(book(rows, year=2024))
    assert listed(lines_2024["item"])[3:5] == ["operating_income", "public_welfare_expense"]


def test_items_of_lines_only_for_lines_and_says_where_each_came_from():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "收鱼塘承包费", "发包及上交收入", 500.0, None, "1500.00"),
        (1, 3, "付办公用品费", None, None, 200.0, "1300.00"),
        (1, 4, "存入银行", "银行存款", None, 300.0, "1000.00"),
    ]
    raw = as_raw(book(rows))
    data = np.array([False, True, True, True])
    debit = np.array([np.nan, 500.0, np.nan, np.nan])
    credit = np.array([np.nan, np.nan, 200.0, 300.0])
    item, kind, source = items_of_lines(raw, data, debit, credit)
    assert item.tolist() == [None, "contract_income", "admin_expense", None]
    assert kind.tolist() == [None, "income", "expense", "transfer"]
    assert source.tolist() == [None, "对方科目", "摘要", "对方科目"]
