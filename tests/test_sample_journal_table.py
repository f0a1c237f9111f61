"""villagecon.sample.journal.table: a journal partition as the parquet set stores it, amounts as text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.journal import PARQUET_COLUMNS
from villagecon.sample.journal.table import _amount_texts, arrow_table


def test_amount_texts_as_an_export_writes_them():
    fen = np.array([123450, 100, 123456789, -5000])
    texts = _amount_texts(fen, np.array([True, True, False, True]))
    assert texts.to_pylist() == ["1,234.50", "1.00", "1234567.89", "-50.00"]


def test_the_table_shows_the_amounts_a_row_has_and_what_a_defect_wrote():
    rows = pd.DataFrame(
        {
            "kind": ["opening", "line", "line", "month_total"],
            "book_id": [3, 3, 4, 4],  # a book in three writes thousands with commas
            "debit": [0, 123_456, 0, 0],
            "credit": [0, 0, 250_000, 250_000],
            "balance": [1_000_000, 1_123_456, 500_000, 500_000],
            "written_debit": [None, None, None, None],
            "written_credit": [None, None, "2 500.00", None],
            "written_balance": [None, "99999.99", None, None],
            "township": "濠头乡",
            "village_name": "上河村",
            "village_code": "431026201201",
            "book_name": ["现金日记账", "现金日记账", "银行存款日记账", "银行存款日记账"],
            "month": [1, 1, 1, 1],
            "day": [1, 5, 6, None],
            "voucher": [None, "现收1", "银付1", None],
            "summary": ["上年结转", "收上级补助资金", "付办公用品费", "本月合计"],
            "counter_account": [None, "补助收入", "管理费用", None],
            "line": [1, 2, 1, 2],
        }
    )
    table = arrow_table(rows)
    assert table.column_names == list(PARQUET_COLUMNS)
    column = {name: table.column(name).to_pylist() for name in table.column_names}
    assert column["debit"] == [None, "1,234.56", None, None]
    assert column["credit"] == [None, None, "2 500.00", "2500.00"]  # the defect, as written
    assert column["balance"] == ["10,000.00", "99999.99", "5000.00", "5000.00"]
    assert column["day"] == [1, 5, 6, None] and column["line"] == [1, 2, 1, 2]
    assert column["village"] == ["上河村"] * 4 and column["voucher"] == [None, "现收1", "银付1", None]
