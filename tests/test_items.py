"""The one table of items and measures (villagecon.vocab.items): its formulas, and the cleaner and the metrics
computing by them."""

from __future__ import annotations

import openpyxl
import pytest

from villagecon import read_ledger
from villagecon.analysis import metrics
from villagecon.vocab import items, labels

import ledger_files as lf

# A village's figures in yuan, as a statistics table of each system prints them (no total written).
OLD_FIGURES = {
    "operating_income": 120_000.0,
    "contract_income": 30_000.0,
    "investment_income": 10_000.0,
    "subsidy_income": 50_000.0,
    "other_income": 4_000.0,
    "operating_expense": 40_000.0,
    "admin_expense": 35_000.0,
    "other_expense": 6_000.0,
}
NEW_FIGURES = {
    "operating_income": 150_000.0,
    "investment_income": 20_000.0,
    "subsidy_income": 60_000.0,
    "other_income": 5_000.0,
    "operating_expense": 50_000.0,
    "tax_and_surcharges": 3_000.0,
    "admin_expense": 38_000.0,
    "public_welfare_expense": 12_000.0,
    "other_expense": 2_000.0,
}


def _sheet(book, year: int, figures: dict[str, float], *, approx: str | None = None) -> None:
    ws = book.create_sheet(f"{year}年")
    ws.append([f"汝城县濠头乡{year}年村级集体经济收支表"])
    ws.append(["单位：元"])
    ws.append(["村", *(labels.ENTRY_ITEMS[item] for item in figures)])
    ws.append(["上河村", *(approx if item == "tax_and_surcharges" and approx else v for item, v in figures.items())])


def _ledger(tmp_path, *, approx: str | None = None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, 2022, OLD_FIGURES)
    _sheet(book, 2024, NEW_FIGURES, approx=approx)
    book.save(tmp_path / "上河村收支表.xlsx")
    return read_ledger(tmp_path / "上河村收支表.xlsx", register=lf.register(tmp_path))


def test_formulas_read_as_the_statements_print_them():
    assert items.formula("total_income", 2023).text() == (
        "本年收入合计 = 经营收入 + 发包及上交收入 + 投资收益 + 补助收入 + 其他收入（+ 农业税附加返还收入，如有）"
    )
    assert items.formula("operational_income", 2024).text() == "经营性收入 = 经营收入 + 投资收益"
    assert (
        items.formula("operating_profit", 2024).text()
        == "经营收益 = 经营收入 + 投资收益 − 经营支出 − 税金及附加 − 管理费用"
    )
    assert items.formula("net_income", 2004).text() == "本年收益 = 本年收入合计 − 本年支出合计"


def test_a_system_s_totals_are_made_of_its_own_items():
    # 发包及上交收入 is gone from 2024 on; 税金及附加 and 公益支出 appear (FORMS.md).
    assert "contract_income" in items.system_items(items.OLD_SYSTEM)
    assert "contract_income" not in items.system_items(items.NEW_SYSTEM)
    assert set(items.system_items(items.NEW_SYSTEM)) - set(items.system_items(items.OLD_SYSTEM)) == {
        "tax_and_surcharges",
        "public_welfare_expense",
    }
    for system in items.SYSTEMS:
        income = items.FORMULAS["total_income"][system]
        expense = items.FORMULAS["total_expense"][system]
        assert set(income.plus) <= set(items.INCOME_ITEMS) and set(expense.plus) <= set(items.EXPENSE_ITEMS)
        # 经营性收入 and 经营收益's revenue are the income items before subsidies and other income.
        operational = items.FORMULAS["operational_income"][system].plus
        assert operational == items.FORMULAS["operating_profit"][system].plus
        assert set(operational) == set(income.plus) - {"subsidy_income", "other_income"}


def test_every_measure_is_computable_from_items_and_the_measures_before_it():
    known = {*items.INCOME_ITEMS, *items.EXPENSE_ITEMS, "agricultural_tax_rebate"}
    for measure in items.MEASURES:
        for system in items.SYSTEMS:
            assert set(items.FORMULAS[measure][system].parts) <= known, measure
        known.add(measure)
    assert items.MEASURES == labels.TOTALS  # labels reads the table, it does not restate it


def test_of_adds_optional_parts_only_when_written():
    income = items.formula("total_income", 2003)
    assert income.of(OLD_FIGURES) == 214_000.0
    assert income.of({**OLD_FIGURES, "agricultural_tax_rebate": 1_000.0}) == 215_000.0
    with pytest.raises(KeyError, match="subsidy_income"):
        income.of({k: v for k, v in OLD_FIGURES.items() if k != "subsidy_income"})
    with pytest.raises(KeyError, match="not a total or measure; those are total_income"):
        items.formula("liabilities", 2022)


def test_the_cleaner_derives_every_measure_by_the_table(tmp_path):
    ledger = _ledger(tmp_path)
    for year, figures in ((2022, OLD_FIGURES), (2024, NEW_FIGURES)):
        row = ledger.accounts.set_index("year").loc[year]
        values = dict(figures)
        for measure in items.MEASURES:
            values[measure] = items.formula(measure, year).of(values)
            assert row[measure] == values[measure], (year, measure)
        assert row["written_totals"] == ""
    # The numbers themselves, so that a wrong table cannot agree with itself.
    old, new = ledger.accounts.set_index("year").loc[2022], ledger.accounts.set_index("year").loc[2024]
    assert (old["total_income"], old["total_expense"], old["net_income"]) == (214_000, 81_000, 133_000)
    assert (old["operational_income"], old["operating_profit"]) == (160_000, 85_000)
    assert (new["total_income"], new["total_expense"], new["net_income"]) == (235_000, 105_000, 130_000)
    assert (new["operational_income"], new["operating_profit"]) == (170_000, 79_000)


def test_a_measure_is_approximate_when_a_part_of_its_formula_is(tmp_path):
    ledger = _ledger(tmp_path, approx="约3千元")
    assert ledger.accounts.set_index("year").loc[2024, "tax_and_surcharges"] == 3_000

    def flags(measure: str) -> list[bool]:
        marked = metrics.mark_approximate_measure(ledger.accounts, ledger.entries, measure=measure)
        return marked.sort_values("year")[f"{measure}_approx"].tolist()

    # 税金及附加 is part of the 2024 经营收益 and 本年支出合计, not of 经营性收入.
    incomes = [measure for measure in items.MEASURES if measure in labels.INCOME_MEASURES]
    assert incomes == ["total_income", "operational_income", "operating_profit", "net_income"]
    assert [flags(measure) for measure in incomes] == [[False, False], [False, False], [False, True], [False, True]]
    assert "tax_and_surcharges" in items.formula("operating_profit", 2024).minus
    assert metrics.MEASURE_PARTS["operating_profit"] == (
        "operating_income",
        "contract_income",
        "investment_income",
        "operating_expense",
        "admin_expense",
        "tax_and_surcharges",
    )


def test_labels_and_account_codes_come_from_the_table():
    assert labels.INCOME_ITEMS is items.INCOME_ITEMS and labels.DERIVED_MEASURES is items.DERIVED_MEASURES
    assert labels.total_parts("operating_profit", 2022) == (
        ("operating_income", "contract_income", "investment_income"),
        ("operating_expense", "admin_expense"),
    )
    # The 2004 codes name the old system's items (所得税费用 only counts where a ledger writes it).
    assert set(items.ACCOUNT_CODES.values()) == set(items.system_items(items.OLD_SYSTEM)) - {"income_tax"}
    assert items.OPTIONAL_PARTS == {"total_income": ("agricultural_tax_rebate",), "total_expense": ("income_tax",)}
