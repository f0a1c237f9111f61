"""villagecon.vocab.periods: what kind of figure an amount is, and the months it covers."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.vocab.periods import (
    ACTUAL_KINDS,
    ANNUAL,
    BUDGET,
    KINDS,
    LINE,
    PART_YEAR,
    WHOLE_YEAR,
    accounting_period_months,
    actuals,
    column_months,
    is_budget,
    months_in_text,
    period_text,
    without_document_dates,
)
from villagecon.vocab.synonyms import PART


def test_only_a_years_figures_and_ledger_lines_are_actuals():
    assert KINDS == ("annual", "line", "budget", "part_year")
    assert ACTUAL_KINDS == (ANNUAL, LINE)
    entries = pd.DataFrame(
        {"item": ["total_income"] * 4, "kind": [ANNUAL, LINE, BUDGET, PART_YEAR], "amount_yuan": [1.0, 2.0, 3.0, 4.0]}
    )
    assert actuals(entries)["amount_yuan"].tolist() == [1.0, 2.0]


def test_a_table_without_kinds_is_taken_whole_as_actuals():
    entries = pd.DataFrame({"item": ["total_income", "liabilities"], "amount_yuan": [5.0, 6.0]})
    assert actuals(entries)["amount_yuan"].tolist() == [5.0, 6.0]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("濠头乡上河村2023年第三季度财务公开榜", (7, 9)),
        ("第4季度", (10, 12)),
        ("2023年前三季度收支表", (1, 9)),
        ("上半年", (1, 6)),
        ("半年报", (1, 6)),
        ("下半年", (7, 12)),
        ("2022年1-6月", (1, 6)),
        ("3至5月", (3, 5)),
        ("截至6月底", (1, 6)),
        ("6月末", (1, 6)),
        ("2022年6月30日", (1, 6)),
        ("6月", (6, 6)),
        ("十一月份", (11, 11)),
        ("12月", WHOLE_YEAR),  # 12月 ends the year: its 本年累计 is the year's
        ("2022年度收益分配表", WHOLE_YEAR),
        ("全年", WHOLE_YEAR),
        ("２０２２年１－６月", (1, 6)),  # full-width digits and dash
        ("收支明细", None),
    ],
)
def test_months_in_text(text, months):
    assert months_in_text(text) == months


def test_a_date_of_the_document_is_not_the_period_of_its_figures():
    assert without_document_dates("2023年上河村收支表（2023年1月更新）") == "2023年上河村收支表"
    assert without_document_dates("2023年3月10日制表") == ""
    assert months_in_text("2022年收支表 2023年1月报送") is None
    assert months_in_text("2023年1月10日打印") is None
    # A day late in a month is the months so far (6月30日), not a document date.
    assert months_in_text("2022年6月30日") == (1, 6)


@pytest.mark.parametrize(
    ("cell", "months"),
    [
        ("6", (6, 6)),
        ("06", (6, 6)),
        ("12", WHOLE_YEAR),
        ("2022-06", (6, 6)),
        ("202206", (6, 6)),
        ("2022.6", (6, 6)),
        ("2022-6", (6, 6)),
        ("2022/12", WHOLE_YEAR),
        ("6月", (6, 6)),
        ("1-6月", (1, 6)),
        ("13", None),
        ("2022-13", None),
        ("本年", None),
    ],
)
def test_accounting_period_months(cell, months):
    assert accounting_period_months(cell) == months


@pytest.mark.parametrize(
    ("title", "budget"),
    [
        ("上河村2023年财务收支预算表", True),
        ("2023年度工作计划", True),
        ("2023年预算执行情况表", False),
        ("2022年决算表", False),
        ("2023年计划完成情况", False),
        ("2023年收益分配表", False),
    ],
)
def test_a_budget_is_a_plan_not_its_execution(title, budget):
    assert is_budget(title) is budget


def test_column_months_from_its_header_and_the_sheets_months():
    third_quarter_so_far = (1, 9)
    assert column_months(third_quarter_so_far, "本月数", PART) == (9, 9)
    assert column_months(third_quarter_so_far, "本季数", PART) == (7, 9)
    assert column_months(third_quarter_so_far, "本年累计数", None) == (1, 9)
    assert column_months((7, 9), "本年累计数", None) == (1, 9)
    assert column_months((4, 6), "金额", None) == (4, 6)
    # The header's own months win over the sheet's.
    assert column_months((7, 9), "2023年1-11月", None) == (1, 11)
    # 本期 is the last month only in an export with a row per 会计期间.
    assert column_months(third_quarter_so_far, "本期", PART, monthly=True) == (9, 9)
    assert column_months(third_quarter_so_far, "本期", PART) == (1, 9)


def test_column_months_it_cannot_tell_are_none():
    assert column_months(None, "本月数", PART) is None
    assert column_months(None, "金额", None) is None
    # 本季 of a sheet ending in August: not a whole quarter.
    assert column_months((1, 8), "本季数", PART) is None


def test_period_text_is_iso_8601():
    assert period_text(2023, None) == "2023"
    assert period_text(2023, WHOLE_YEAR) == "2023"
    assert period_text(2023, (7, 9)) == "2023-07/2023-09"
    assert period_text(2023, (6, 6)) == "2023-06"
