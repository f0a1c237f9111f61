"""The table reader on township and county tables as offices make them (issue 12).

Fixtures are in forms_tables.py, built from the forms' real structure. The expected figures are in yuan and
can be checked by hand from the numbers there (most tables are in 万元: 20 → 200,000).
"""

from __future__ import annotations

import json
import re

import forms_tables as ft
import numpy as np
import pandas as pd
import pytest

from villagecon import read_ledger
from villagecon.cli import EXIT_REJECTS, main
from villagecon.errors import HeaderNotFoundError, LedgerFileError, UnitError, VillageconError

KINDS = {"title", "unit", "header", "numbering", "blank", "data", "subtotal", "note", "other"}
VILLAGES = {"上河村", "大坪村", "龙虎村", "石门村"}


def account(ledger, village, year=2022):
    rows = ledger.accounts.loc[ledger.accounts["village"].eq(village) & ledger.accounts["year"].eq(year)]
    assert len(rows) == 1, f"expected one account row for {village} {year}, got {len(rows)}"
    return rows.iloc[0]


def kinds(ledger, sheet=None):
    """The kinds of a sheet's rows (of the only file's rows when ``sheet`` is None), in row order."""
    rows = ledger.rows if sheet is None else ledger.rows.loc[ledger.rows["sheet"].eq(sheet)]
    return rows.sort_values("row")["kind"].tolist()


def subtotals_of(ledger, sheet):
    """The subtotals read from one sheet, indexed by cell."""
    sheets = ledger.subtotals["source"].str.rsplit("!", n=2).str[1]
    return ledger.subtotals.loc[sheets.eq(sheet)].set_index("cell").sort_index()


def skipped(ledger):
    return set(map(tuple, ledger.skipped[["sheet", "status"]].values.tolist()))


def row_numbers(table):
    return table["source"].str.rsplit("!", n=1).str[1].astype(int)


# --- A1. a written total over items the sheet does not list ----------------------------------------------


def test_a_written_total_over_items_the_sheet_does_not_list_stands_without_a_reject(tmp_path):
    ledger = read_ledger(ft.written_total_xlsx(tmp_path))
    shanghe = account(ledger, "上河村")
    assert (shanghe["operating_income"], shanghe["subsidy_income"]) == (100_000, 82_000)
    assert shanghe["total_income"] == 442_000  # 44.2万 as written, not 10 + 8.2 = 18.2万
    assert shanghe["written_totals"] == "total_income"
    assert account(ledger, "大坪村")["total_income"] == 90_000
    assert account(ledger, "龙虎村")["total_income"] == 220_000  # all five parts present, adding up
    assert not ledger.rejects["source"].str.contains("!濠头乡!").any()
    assert kinds(ledger, "濠头乡") == kinds(ledger, "土桥镇") == ["title", "unit", "header", "data", "data"]


def test_a_total_disagreeing_with_a_complete_set_of_parts_is_one_total_mismatch_naming_both(tmp_path):
    path = ft.written_total_xlsx(tmp_path)
    ledger = read_ledger(path)
    assert ledger.rejects[["source", "cell", "value", "problem"]].values.tolist() == [
        [f"{path.name}!土桥镇!5", "G5", "7", "total_mismatch"]
    ]
    reason = ledger.rejects.iloc[0]["reason"]
    assert "70,000" in reason and "60,000" in reason  # the written total and the parts' sum
    shimen = account(ledger, "石门村")
    assert shimen["total_income"] == 60_000  # the parts kept: 2 + 1 + 0 + 3 + 0 万元
    assert (shimen["operating_income"], shimen["contract_income"], shimen["subsidy_income"]) == (20_000, 10_000, 30_000)


# --- A2. a summary sheet whose rows are townships --------------------------------------------------------


def test_summary_sheet_rows_are_townships_reconciled_with_their_villages_never_villages(tmp_path):
    ledger = read_ledger(ft.summary_sheet_xlsx(tmp_path))
    assert set(ledger.accounts["village"]) == VILLAGES
    assert not ledger.entries["village"].isin(["濠头乡", "土桥镇", "合计"]).any()
    assert (account(ledger, "上河村")["township"], account(ledger, "石门村")["township"]) == ("濠头乡", "土桥镇")
    summary = subtotals_of(ledger, "汇总")
    assert summary["amount_yuan"].to_dict() == {
        "B4": 255_000,
        "B5": 100_000,
        "B6": 355_000,
        "C4": 70_000,
        "C5": 150_000,
        "C6": 220_000,
    }
    assert summary["parts"].to_dict() == {"B4": 2, "B5": 2, "B6": 4, "C4": 2, "C5": 2, "C6": 4}
    assert set(summary["status"]) == {"ok"}
    assert ledger.rejects.empty
    assert kinds(ledger, "汇总") == ["title", "unit", "header", "subtotal", "subtotal", "subtotal"]


def test_a_summary_township_row_that_does_not_add_up_is_a_mismatch_and_a_reject(tmp_path):
    path = ft.summary_sheet_xlsx(tmp_path, tuqiao_operating=11)  # its villages give 10; 合计 36.5 over 35.5
    ledger = read_ledger(path)
    summary = subtotals_of(ledger, "汇总")
    assert summary["status"].to_dict() == {
        "B4": "ok",
        "B5": "mismatch",
        "B6": "mismatch",
        "C4": "ok",
        "C5": "ok",
        "C6": "ok",
    }
    assert summary.loc["B5", ["amount_yuan", "parts_sum"]].tolist() == [110_000, 100_000]
    assert summary.loc["B6", ["amount_yuan", "parts_sum"]].tolist() == [365_000, 355_000]
    assert abs(summary.loc["B5", "difference"]) == abs(summary.loc["B6", "difference"]) == 10_000
    assert ledger.rejects.sort_values("cell")[["source", "cell", "problem"]].values.tolist() == [
        [f"{path.name}!汇总!5", "B5", "subtotal_mismatch"],
        [f"{path.name}!汇总!6", "B6", "subtotal_mismatch"],
    ]
    assert account(ledger, "龙虎村")["operating_income"] == 80_000
    assert set(ledger.accounts["village"]) == VILLAGES


# --- A3. a comparison table ------------------------------------------------------------------------------


def test_comparison_table_books_each_year_column_to_its_own_year(tmp_path):
    ledger = read_ledger(ft.comparison_xlsx(tmp_path))
    income = ledger.accounts.set_index(["village", "year"])["total_income"]
    assert income.to_dict() == {
        ("上河村", 2021): 360_000,
        ("上河村", 2022): 442_000,
        ("大坪村", 2021): 100_000,
        ("大坪村", 2022): 90_000,
    }
    assert ledger.rejects.empty
    assert sorted(ledger.entries["cell"]) == ["D5", "D6", "E5", "E6"]
    totals = subtotals_of(ledger, "Sheet1")
    assert totals[["year", "amount_yuan", "status"]].values.tolist() == [[2021, 460_000, "ok"], [2022, 532_000, "ok"]]
    assert kinds(ledger, "Sheet1") == ["title", "unit", "header", "header", "data", "data", "subtotal"]


def test_comparison_table_leaves_out_change_and_growth_columns_by_name(tmp_path):
    ledger = read_ledger(ft.comparison_xlsx(tmp_path))
    columns = ledger.columns.set_index("column")
    assert columns.loc["D", ["meaning", "year", "unit"]].tolist() == ["item total_income", 2021, "万元"]
    assert columns.loc["E", ["meaning", "year", "unit"]].tolist() == ["item total_income", 2022, "万元"]
    assert columns.loc["F", "meaning"].startswith("left out") and "增减额" in columns.loc["F", "meaning"]
    assert columns.loc["G", "meaning"].startswith("left out") and "增长%" in columns.loc["G", "meaning"]
    assert not ledger.entries["cell"].str[0].isin(["F", "G"]).any()
    assert not ledger.subtotals["cell"].str[0].isin(["F", "G"]).any()
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


# --- A4. signature and footer rows -----------------------------------------------------------------------


def test_signature_and_footer_rows_are_notes_never_villages_or_amounts(tmp_path):
    ledger = read_ledger(ft.signature_footer_xlsx(tmp_path))
    assert kinds(ledger, "濠头乡") == ["title", "unit", "header", "data", "data", "subtotal"] + ["note"] * 6
    assert set(ledger.accounts["village"]) == {"上河村", "大坪村"}
    assert not ledger.entries["village"].isin(["张三", "李四", "王五", "赵六", "陈七"]).any()
    assert ledger.rejects.empty  # 13807356789 is no reject either
    assert ledger.entries["amount_yuan"].max() == 200_000  # no phone number, no date
    assert row_numbers(ledger.entries).max() == 5 and len(ledger.entries) == 6
    assert subtotals_of(ledger, "濠头乡").index.tolist() == ["C6", "D6", "E6"]
    assert account(ledger, "大坪村")["other_income"] == 5_000


@pytest.mark.parametrize("footer", ft.FOOTER_ROWS, ids=[str(row[0]).rstrip("：") for row in ft.FOOTER_ROWS])
def test_each_footer_line_alone_under_the_amount_columns_is_a_note(tmp_path, footer):
    ledger = read_ledger(ft.signature_footer_xlsx(tmp_path, footer=[footer]))
    assert kinds(ledger, "濠头乡")[-2:] == ["subtotal", "note"]
    assert ledger.rejects.empty
    assert len(ledger.entries) == 6 and set(ledger.accounts["village"]) == {"上河村", "大坪村"}


# --- A5. a hidden stale copy ------------------------------------------------------------------------------


def test_a_hidden_stale_copy_is_skipped_and_the_visible_sheet_counts(tmp_path):
    ledger = read_ledger(ft.hidden_copy_xlsx(tmp_path))
    assert skipped(ledger) == {("Sheet1 (2)", "hidden"), ("村名列表", "hidden")}
    assert account(ledger, "上河村")["operating_income"] == 200_000  # Sheet1's 20, not the copy's 18
    assert account(ledger, "大坪村")["subsidy_income"] == 40_000  # Sheet1's 4, not the copy's 3.5
    assert ledger.rejects.empty and ledger.duplicates.empty
    assert set(ledger.rows["sheet"]) == {"Sheet1"}


def test_include_hidden_reads_the_stale_copy_and_its_different_figures_conflict(tmp_path):
    path = ft.hidden_copy_xlsx(tmp_path)
    ledger = read_ledger(path, include_hidden=True)
    assert sorted(ledger.rejects[["source", "cell", "value", "problem"]].values.tolist()) == sorted(
        [
            [f"{path.name}!Sheet1!4", "B4", "20", "conflict"],
            [f"{path.name}!Sheet1 (2)!4", "B4", "18", "conflict"],
            [f"{path.name}!Sheet1!5", "C5", "4", "conflict"],
            [f"{path.name}!Sheet1 (2)!5", "C5", "3.5", "conflict"],
        ]
    )
    assert np.isnan(account(ledger, "上河村")["operating_income"])
    assert account(ledger, "上河村")["subsidy_income"] == 30_000  # 3 in both: kept once
    assert len(ledger.duplicates) == 2
    assert skipped(ledger) == {("村名列表", "not_a_ledger")}


# --- B. plain things that read without a reject -----------------------------------------------------------


def test_a_total_label_in_the_number_column_merged_over_three_columns_is_a_subtotal(tmp_path):
    ledger = read_ledger(ft.total_in_number_column_xlsx(tmp_path))
    assert kinds(ledger, "Sheet1") == ["title", "unit", "header", "data", "data", "data", "data", "subtotal"]
    totals = subtotals_of(ledger, "Sheet1")
    assert totals[["amount_yuan", "parts", "status"]].values.tolist() == [[355_000, 4, "ok"], [220_000, 4, "ok"]]
    assert ledger.rejects.empty
    assert set(ledger.accounts["village"]) == VILLAGES
    assert account(ledger, "大坪村")["operating_income"] == 55_000


@pytest.mark.parametrize(
    ("subtotal", "total", "label_at"),
    [("{}小计", "全县合计", "A:C"), ("小计", "总计", "A"), ("{}小计", "合计", "B"), ("{}合计", "总计", "C")],
)
def test_township_subtotals_and_the_total_are_subtotals_in_any_leading_column(tmp_path, subtotal, total, label_at):
    ledger = read_ledger(ft.subtotal_rows_xlsx(tmp_path, subtotal=subtotal, total=total, label_at=label_at))
    assert kinds(ledger, "汝城县") == [
        "title",
        "unit",
        "header",
        "data",
        "data",
        "subtotal",
        "data",
        "data",
        "subtotal",
        "subtotal",
    ]
    totals = subtotals_of(ledger, "汝城县")
    assert totals["amount_yuan"].to_dict() == {
        "D10": 355_000,
        "D6": 255_000,
        "D9": 100_000,
        "E10": 220_000,
        "E6": 70_000,
        "E9": 150_000,
    }
    assert totals["parts"].to_dict() == {"D10": 4, "D6": 2, "D9": 2, "E10": 4, "E6": 2, "E9": 2}
    assert set(totals["status"]) == {"ok"}
    assert ledger.rejects.empty
    assert set(ledger.accounts["village"]) == VILLAGES


def test_a_town_total_row_is_a_subtotal(tmp_path):
    ledger = read_ledger(ft.town_total_xlsx(tmp_path))
    assert kinds(ledger, "濠头乡") == ["title", "unit", "header", "data", "data", "subtotal"]
    totals = subtotals_of(ledger, "濠头乡")
    assert totals[["amount_yuan", "parts", "status"]].values.tolist() == [[255_000, 2, "ok"], [70_000, 2, "ok"]]
    assert ledger.rejects.empty and set(ledger.accounts["village"]) == {"上河村", "大坪村"}


def test_a_township_row_with_amounts_and_no_village_is_a_subtotal_of_its_villages(tmp_path):
    ledger = read_ledger(ft.township_row_xlsx(tmp_path))
    assert kinds(ledger, "Sheet1") == [
        "title",
        "unit",
        "header",
        "subtotal",
        "data",
        "data",
        "subtotal",
        "data",
        "data",
    ]
    totals = subtotals_of(ledger, "Sheet1")
    assert totals["amount_yuan"].to_dict() == {"C4": 255_000, "C7": 100_000, "D4": 70_000, "D7": 150_000}
    assert set(totals["parts"]) == {2} and set(totals["status"]) == {"ok"}
    assert ledger.accounts.set_index("village")["township"].to_dict() == {
        "上河村": "濠头乡",
        "大坪村": "濠头乡",
        "龙虎村": "土桥镇",
        "石门村": "土桥镇",
    }  # the merged 乡镇 filled down
    assert ledger.rejects.empty


def test_dashes_in_the_unused_column_of_an_income_expense_ledger_are_missing(tmp_path):
    path = ft.income_expense_csv(tmp_path)
    assert "—" in path.read_bytes().decode("gbk")
    ledger = read_ledger(path)
    shanghe = account(ledger, "上河村")
    assert shanghe[
        ["operating_income", "contract_income", "subsidy_income", "admin_expense", "other_expense"]
    ].tolist() == [120_000, 50_000, 80_000, 35_000, 2_000]
    assert sorted(ledger.entries["cell"]) == ["D3", "D5", "D7", "E4", "E6"]
    assert ledger.rejects.empty
    assert kinds(ledger) == ["unit", "header"] + ["data"] * 5


@pytest.mark.parametrize(
    ("village_header", "total_header"),
    [("村（社区）", "合计"), ("社区", "收入小计"), ("组织名称", "合计"), ("单位名称", "收入小计")],
)
def test_village_and_total_header_spellings_and_a_line_break_inside_a_header(tmp_path, village_header, total_header):
    ledger = read_ledger(ft.header_spellings_xlsx(tmp_path, village_header=village_header, total_header=total_header))
    shanghe = account(ledger, "上河村")
    assert shanghe[["operating_income", "contract_income", "subsidy_income", "total_income"]].tolist() == [
        200_000,
        50_000,
        30_000,
        300_000,
    ]  # 经营\n收入; the 30 written stands over 28
    meanings = ledger.columns.set_index("column")["meaning"]
    assert meanings[["B", "C", "D", "E", "F", "G"]].tolist() == [
        "village",
        "item operating_income",
        "item contract_income",
        "item subsidy_income",
        "item total_income",
        "item operational_income",
    ]
    assert ledger.rejects.empty
    assert kinds(ledger, "濠头乡") == ["title", "unit", "header", "header", "data", "data", "data"]


def test_operational_income_written_directly_is_kept_as_written(tmp_path):
    ledger = read_ledger(ft.header_spellings_xlsx(tmp_path))
    shanghe = account(ledger, "上河村")
    assert shanghe["operational_income"] == 250_000
    assert shanghe["written_totals"] == "operational_income, total_income"
    assert account(ledger, "大坪村")["operational_income"] == 65_000
    written = ledger.entries.loc[ledger.entries["item"].eq("operational_income")]
    assert written[["cell", "amount_yuan"]].values.tolist() == [["G5", 250_000], ["G6", 60_000], ["G7", 65_000]]


def test_village_committee_and_community_names_are_normalised(tmp_path):
    ledger = read_ledger(ft.header_spellings_xlsx(tmp_path))
    assert set(ledger.accounts["village"]) == {"上河村", "立欣洲社区", "大坪村"}
    assert account(ledger, "立欣洲社区")["total_income"] == 100_000
    assert account(ledger, "大坪村")["operating_income"] == 55_000  # 大坪村村民委员会


def test_a_unit_of_measure_column_gives_each_row_its_unit_and_a_head_count_is_no_amount(tmp_path):
    ledger = read_ledger(ft.statistics_form_xlsx(tmp_path))
    assert kinds(ledger, "上河村") == ["title", "unit", "header", "numbering"] + ["data"] * 14 + ["other"]
    this_year, last_year = account(ledger, "上河村", 2022), account(ledger, "上河村", 2021)
    assert this_year[["operating_income", "assets", "liabilities"]].tolist() == [200_000, 3_000_000, 420_000]
    assert last_year[["operating_income", "assets", "liabilities"]].tolist() == [150_000, 2_800_000, 500_000]
    assert not row_numbers(ledger.entries).isin([4, 19]).any()  # 甲 乙 丙 1 2, and 1,200 人
    assert ledger.rejects.empty


def test_statistics_form_reads_this_year_and_last_year_for_the_village_of_its_fill_in_line(tmp_path):
    ledger = read_ledger(ft.statistics_form_xlsx(tmp_path))
    expected = {
        2022: {
            "total_income": 300_000,
            "operating_income": 200_000,
            "contract_income": 50_000,
            "investment_income": 0,
            "subsidy_income": 30_000,
            "other_income": 20_000,
            "total_expense": 150_000,
            "operating_expense": 80_000,
            "admin_expense": 60_000,
            "other_expense": 10_000,
            "net_income": 150_000,
        },
        2021: {
            "total_income": 250_000,
            "operating_income": 150_000,
            "contract_income": 50_000,
            "investment_income": 0,
            "subsidy_income": 40_000,
            "other_income": 10_000,
            "total_expense": 120_000,
            "operating_expense": 60_000,
            "admin_expense": 50_000,
            "other_expense": 10_000,
            "net_income": 130_000,
        },
    }
    for year, items in expected.items():
        assert account(ledger, "上河村", year)[list(items)].to_dict() == items
    shanghe = account(ledger, "上河村", 2022)
    assert (shanghe["county"], shanghe["township"]) == ("汝城县", "濠头乡")
    assert shanghe["written_totals"] == "net_income, total_expense, total_income"
    cadres = ledger.entries.loc[ledger.entries["detail"].eq("干部报酬")]
    assert cadres[["year", "item", "amount_yuan", "cell"]].values.tolist() == [
        [2022, "admin_expense", 40_000, "D14"],
        [2021, "admin_expense", 40_000, "E14"],
    ]


def test_plus_and_minus_prefixes_of_the_2004_income_distribution_statement(tmp_path):
    ledger = read_ledger(ft.income_distribution_xlsx(tmp_path))
    dapin = account(ledger, "大坪村")
    assert dapin[
        [
            "operating_income",
            "contract_income",
            "investment_income",
            "operating_expense",
            "admin_expense",
            "operating_profit",
            "subsidy_income",
            "other_income",
            "other_expense",
            "net_income",
            "total_income",
            "total_expense",
        ]
    ].tolist() == [200_000, 50_000, 0, 80_000, 60_000, 110_000, 30_000, 20_000, 10_000, 150_000, 300_000, 150_000]
    assert (dapin["county"], dapin["township"]) == ("汝城县", "濠头乡")
    assert dapin["written_totals"] == "net_income, operating_profit"
    assert ledger.rejects.empty
    assert kinds(ledger, "收益及收益分配表") == ["title", "unit", "header"] + ["data"] * 21 + ["note"]


def test_the_distribution_part_gives_items_of_its_own_never_net_income(tmp_path):
    ledger = read_ledger(ft.income_distribution_xlsx(tmp_path))
    lines = ledger.entries.loc[~ledger.entries["item"].isin(ledger.accounts.columns)]
    assert lines.set_index("item")["amount_yuan"].to_dict() == {
        "agricultural_tax_rebate": 0,
        "undistributed_income_start": 20_000,
        "other_transfers_in": 0,
        "distributable_income": 170_000,
        "reserve_appropriation": 30_000,
        "welfare_appropriation": 10_000,
        "investor_distribution": 0,
        "household_distribution": 100_000,
        "other_distribution": 0,
        "undistributed_income_end": 30_000,
    }
    net = ledger.entries.loc[ledger.entries["item"].eq("net_income")]
    assert net["amount_yuan"].tolist() == [150_000] and len(ledger.duplicates) == 1  # 三、 and 四、本年收益


@pytest.mark.parametrize(
    ("year_header", "this_year", "last_year"),
    [("年度", "本年", "上年"), ("项目", "本年", "上年"), ("年度", "2022年", "2021年")],
)
def test_a_village_name_merged_down_over_this_year_and_last_year_fills_down(
    tmp_path, year_header, this_year, last_year
):
    ledger = read_ledger(
        ft.merged_village_rows_xlsx(tmp_path, year_header=year_header, this_year=this_year, last_year=last_year)
    )
    figures = ledger.accounts.set_index(["village", "year"])[["operating_income", "subsidy_income", "admin_expense"]]
    assert {key: row.tolist() for key, row in figures.iterrows()} == {
        ("上河村", 2022): [200_000, 30_000, 60_000],
        ("上河村", 2021): [150_000, 40_000, 50_000],
        ("大坪村", 2022): [55_000, 40_000, 25_000],
        ("大坪村", 2021): [50_000, 35_000, 20_000],
    }
    assert ledger.rejects.empty
    assert kinds(ledger, "濠头乡") == ["title", "unit", "header", "data", "data", "data", "data"]


def test_section_rows_are_titles_giving_the_township_of_the_rows_below(tmp_path):
    ledger = read_ledger(ft.section_rows_xlsx(tmp_path))
    assert kinds(ledger, "Sheet1") == [
        "title",
        "unit",
        "header",
        "title",
        "data",
        "data",
        "title",
        "data",
        "data",
        "subtotal",
    ]
    assert ledger.accounts.set_index("village")["township"].to_dict() == {
        "上河村": "濠头乡",
        "大坪村": "濠头乡",
        "龙虎村": "土桥镇",
        "石门村": "土桥镇",
    }  # 石门村村委会 → 石门村
    totals = subtotals_of(ledger, "Sheet1")
    assert totals[["amount_yuan", "parts", "status"]].values.tolist() == [[355_000, 4, "ok"], [220_000, 4, "ok"]]
    assert ledger.rejects.empty


# --- C. workbooks from WPS and older tools ----------------------------------------------------------------


def test_an_xls_from_wps_reads_villages_reconciles_its_summary_and_skips_instructions(tmp_path):
    ledger = read_ledger(ft.wps_xls(tmp_path))
    assert skipped(ledger) == {("填表说明", "not_a_ledger"), ("Sheet1 (2)", "hidden")}
    reason = ledger.skipped.set_index("sheet").at["填表说明", "reason"]
    assert re.search(r"instruction|填表说明", reason, re.IGNORECASE)
    operating = ledger.accounts.set_index("village")["operating_income"].to_dict()
    assert operating == {"上河村": 200_000, "大坪村": 55_000, "龙虎村": 80_000, "石门村": 20_000}
    summary = subtotals_of(ledger, "汇总")
    assert summary["amount_yuan"].to_dict() == {
        "B4": 255_000,
        "B5": 100_000,
        "B6": 355_000,
        "C4": 70_000,
        "C5": 150_000,
        "C6": 220_000,
    }
    assert set(summary["status"]) == {"ok"}
    assert subtotals_of(ledger, "Sheet1")["status"].to_dict() == {"D8": "ok", "E8": "ok"}
    assert ledger.rejects.empty
    assert kinds(ledger, "Sheet1") == ["title", "unit", "header", "data", "data", "data", "data", "subtotal"]


# --- D. what cannot be understood --------------------------------------------------------------------------


def test_a_folder_reads_the_good_workbook_and_lists_each_bad_file_as_unreadable(tmp_path):
    ledger = read_ledger(ft.folder_with_bad_files(tmp_path / "raw"))
    assert set(ledger.accounts["village"]) == VILLAGES
    assert account(ledger, "上河村")["operating_income"] == 200_000
    bad = ledger.skipped.set_index("file")
    assert sorted(bad.index) == sorted(["新村岭秀村.xlsx", "濠头乡补报.xlsx", "土桥镇2022.xlsx"])
    assert set(bad["status"]) == {"unreadable"}
    assert re.search(r"header|表头", bad.at["新村岭秀村.xlsx", "reason"], re.IGNORECASE)
    assert re.search(r"damaged|corrupt|损坏", bad.at["濠头乡补报.xlsx", "reason"], re.IGNORECASE)
    assert re.search(r"unit|单位", bad.at["土桥镇2022.xlsx", "reason"], re.IGNORECASE)
    assert bad["advice"].str.len().gt(0).all()
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (ft.no_header_xlsx, HeaderNotFoundError, r"新村岭秀村\.xlsx.*Sheet1.*row 1.*cell B1"),
        (ft.damaged_xlsx, LedgerFileError, r"damaged.*濠头乡补报\.xlsx"),
        (ft.no_unit_xlsx, UnitError, r"土桥镇2022\.xlsx.*Sheet1.*row 3.*cell B3.*单位"),
    ],
    ids=["no header", "damaged", "no unit"],
)
def test_each_bad_file_read_alone_is_an_error_naming_it(tmp_path, build, error, message):
    with pytest.raises(error, match=message):
        read_ledger(build(tmp_path))


def test_an_empty_workbook_read_alone_is_an_error(tmp_path):
    with pytest.raises(VillageconError, match=r"空表\.xlsx"):
        read_ledger(ft.empty_xlsx(tmp_path))


def test_clean_strict_exits_1_and_lists_the_skipped_files_in_its_summary_and_manifest(tmp_path, capsys):
    raw, out = ft.folder_with_bad_files(tmp_path / "raw"), tmp_path / "out"
    bad_files = {"新村岭秀村.xlsx", "濠头乡补报.xlsx", "土桥镇2022.xlsx"}
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["clean", str(raw), "--out", str(out), "--strict"]) == EXIT_REJECTS
    printed = capsys.readouterr().out
    assert all(name in printed for name in bad_files) and "unreadable" in printed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {(record["file"], record["status"]) for record in manifest["skipped_sheets"]} == {
        (name, "unreadable") for name in bad_files
    }
    assert set(pd.read_parquet(out / "accounts.parquet")["village"]) == VILLAGES


# --- E. over every fixture: nothing lost, every row one kind, no place or total becomes a village ---------

EVERY_FIXTURE = [
    pytest.param(build, {}, id=build.__name__)
    for build in (
        ft.written_total_xlsx,
        ft.summary_sheet_xlsx,
        ft.comparison_xlsx,
        ft.signature_footer_xlsx,
        ft.hidden_copy_xlsx,
        ft.total_in_number_column_xlsx,
        ft.subtotal_rows_xlsx,
        ft.town_total_xlsx,
        ft.township_row_xlsx,
        ft.income_expense_csv,
        ft.header_spellings_xlsx,
        ft.statistics_form_xlsx,
        ft.income_distribution_xlsx,
        ft.merged_village_rows_xlsx,
        ft.section_rows_xlsx,
        ft.wps_xls,
        ft.folder_with_bad_files,
    )
]
EVERY_FIXTURE += [
    pytest.param(ft.hidden_copy_xlsx, {"include_hidden": True}, id="hidden_copy_xlsx-include_hidden"),
    pytest.param(ft.wps_xls, {"include_hidden": True}, id="wps_xls-include_hidden"),
]
PLACE = re.compile(r"(?:镇|乡|街道|县|区|市)$")


@pytest.mark.parametrize(("build", "options"), EVERY_FIXTURE)
def test_every_fixture_loses_nothing_and_no_place_or_total_becomes_a_village(tmp_path, build, options):
    ledger = read_ledger(build(tmp_path), **options)
    ledger.check_nothing_lost()
    assert ledger.rows["kind"].isin(KINDS).all()
    assert not ledger.rows.duplicated(["file", "sheet", "row"]).any()
    for table in (ledger.entries, ledger.accounts):
        villages = table["village"].dropna()
        places = villages.str.contains(PLACE) & ~villages.str.endswith("社区")  # 立欣洲社区 is a village
        assert villages[places | villages.str.contains("合计|小计")].empty
