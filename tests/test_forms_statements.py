"""read_ledger on the forms offices really send (issue 12): statistics forms, the 2004 收益及收益分配表, balance
sheets and 三资 platform exports, built from the forms' own structure in forms_statements.py.

Every figure below can be checked by hand against the comments there. All amounts are in yuan.
"""

from __future__ import annotations

import forms_statements as fs
import numpy as np
import pandas as pd
import pytest

from villagecon import read_ledger

STATS_FILE = "濠头乡收益分配统计表2022.xlsx"
STATEMENT_FILE = "上河村收益及收益分配表2022.xlsx"
INCOME = ["operating_income", "contract_income", "investment_income", "subsidy_income", "other_income"]
EXPENSE = ["operating_expense", "admin_expense", "other_expense"]
TOTALS = ["total_income", "total_expense", "net_income"]


def account(ledger, village, year):
    rows = ledger.accounts.loc[ledger.accounts["village"].eq(village) & ledger.accounts["year"].eq(year)]
    assert len(rows) == 1, f"expected one account row for {village} {year}, got:\n{ledger.accounts.to_string()}"
    return rows.iloc[0]


def reject(ledger, problem):
    rows = ledger.rejects.loc[ledger.rejects["problem"].eq(problem)]
    assert len(rows) == 1, f"expected one {problem} reject, got:\n{ledger.rejects.to_string()}"
    return rows.iloc[0]


def kinds(ledger, sheet):
    rows = ledger.rows.loc[ledger.rows["sheet"].eq(sheet)].sort_values("row")
    return rows["kind"].tolist()


def source_rows(frame):
    return set(frame["source"].str.rsplit("!", n=1).str[1].astype(int))


def items_by_cell(ledger, year):
    return ledger.entries.loc[ledger.entries["year"].eq(year)].set_index("cell")["item"].to_dict()


# --- 1. statistics form, one village per sheet --------------------------------------------------------------


def test_statistics_form_reads_both_years_and_leaves_out_the_village_count(tmp_path):
    ledger = read_ledger(fs.statistics_form_xlsx(tmp_path))
    this_year, last_year = account(ledger, "上河村", 2022), account(ledger, "上河村", 2021)
    assert this_year[INCOME].tolist() == [200_000, 85_000, 20_000, 120_000, 31_000]
    assert this_year[EXPENSE].tolist() == [100_000, 110_000, 13_000]
    assert this_year[TOTALS].tolist() == [456_000, 223_000, 233_000]
    assert last_year[INCOME].tolist() == [150_000, 80_000, 0, 120_000, 30_000]  # 上年数 is 2021
    assert last_year[TOTALS].tolist() == [380_000, 200_000, 180_000]
    assert this_year["written_totals"] == "net_income, total_expense, total_income"
    assert len(ledger.accounts) == 4
    # 汇入本表村数 (个) and the growth rate (%) are rows of the table, not money.
    assert kinds(ledger, "上河村") == (
        ["title", "unit", "unit", "header", "numbering"] + ["data"] * 12 + ["title", "other", "other", "note"]
    )
    assert source_rows(ledger.entries) == set(range(6, 18))
    assert len(ledger.entries) == 24 + 20  # 大坪村 leaves 其他收入 and 其他支出 empty
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_statistics_form_written_total_stands_when_a_line_is_left_empty(tmp_path):
    ledger = read_ledger(fs.statistics_form_xlsx(tmp_path))
    daping = account(ledger, "大坪村", 2022)
    assert np.isnan(daping["other_income"]) and np.isnan(daping["other_expense"])  # empty, never zero
    assert daping[TOTALS].tolist() == [120_000, 78_000, 42_000]
    assert account(ledger, "大坪村", 2021)[TOTALS].tolist() == [110_000, 75_000, 35_000]
    assert ledger.rejects.empty


def test_statistics_form_takes_the_village_from_its_reporting_unit_and_the_year_from_its_year_line(tmp_path):
    ledger = read_ledger(fs.statistics_form_xlsx(tmp_path), register=fs.register(tmp_path))
    places = ledger.accounts[["county", "township", "village", "village_code", "year"]]
    assert sorted(places.itertuples(index=False, name=None)) == [
        ("汝城县", "濠头乡", "上河村", "431026100001", 2021),
        ("汝城县", "濠头乡", "上河村", "431026100001", 2022),
        ("汝城县", "濠头乡", "大坪村", "431026100002", 2021),
        ("汝城县", "濠头乡", "大坪村", "431026100002", 2022),
    ]
    # The footer's 报出日期 (2023) gives no year; 上年数 gives the year before the 2022年度 line's.
    operating = ledger.entries.loc[
        ledger.entries["item"].eq("operating_income") & ledger.entries["village"].eq("上河村")
    ]
    assert sorted(operating[["year", "source", "cell", "amount_yuan"]].values.tolist()) == [
        [2021, f"{STATS_FILE}!上河村!7", "E7", 150_000.0],
        [2022, f"{STATS_FILE}!上河村!7", "D7", 200_000.0],
    ]
    columns = ledger.columns.loc[ledger.columns["sheet"].eq("上河村")].set_index("column")
    assert columns.loc["B", "meaning"].startswith("left out")  # 代码
    assert (columns.loc["D", "year"], columns.loc["E", "year"]) == (2022, 2021)


def test_statistics_form_keeps_cadre_pay_as_a_detail_of_admin_expense_not_added_to_it(tmp_path):
    ledger = read_ledger(fs.statistics_form_xlsx(tmp_path))
    cadre = ledger.entries.loc[ledger.entries["detail"].eq("干部报酬")]
    assert sorted(cadre[["village", "year", "item", "amount_yuan", "cell"]].values.tolist()) == [
        ["上河村", 2021, "admin_expense", 60_000.0, "E15"],
        ["上河村", 2022, "admin_expense", 60_000.0, "D15"],
        ["大坪村", 2021, "admin_expense", 36_000.0, "E15"],
        ["大坪村", 2022, "admin_expense", 36_000.0, "D15"],
    ]
    assert account(ledger, "上河村", 2022)["admin_expense"] == 110_000
    assert account(ledger, "大坪村", 2021)["admin_expense"] == 45_000


# --- 1b. statistics form, one township per sheet with the villages across ------------------------------------


def test_statistics_form_with_villages_across_reads_each_row_in_its_own_unit(tmp_path):
    ledger = read_ledger(fs.statistics_form_across_xlsx(tmp_path), register=fs.register(tmp_path))
    shanghe, daping = account(ledger, "上河村", 2022), account(ledger, "大坪村", 2022)
    assert shanghe[INCOME].tolist() == [200_000, 85_000, 20_000, 120_000, 31_000]  # 万元 rows
    assert shanghe[EXPENSE].tolist() == [100_000, 110_000, 13_000]  # 元 rows
    assert shanghe[TOTALS].tolist() == [456_000, 223_000, 233_000]
    assert daping[INCOME].tolist() == [50_000, 20_000, 0, 50_000, 0]
    assert daping[TOTALS].tolist() == [120_000, 78_000, 42_000]
    assert (daping["township"], daping["village_code"]) == ("濠头乡", "431026100002")
    assert sorted(ledger.accounts["village"]) == ["上河村", "大坪村"]
    assert kinds(ledger, "濠头乡") == (
        ["title", "unit", "header", "numbering"] + ["data"] * 12 + ["title", "other", "other", "note"]
    )
    assert len(ledger.entries) == 24
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_statistics_form_total_column_is_reconciled_in_subtotals_and_never_a_village(tmp_path):
    ledger = read_ledger(fs.statistics_form_across_xlsx(tmp_path))
    subtotals = ledger.subtotals.set_index("cell")
    assert sorted(subtotals.index) == sorted(f"D{row}" for row in range(5, 17))  # not the 个 and % rows
    assert set(subtotals["status"]) == {"ok"} and set(subtotals["parts"]) == {2}
    income, expense = subtotals.loc["D5"], subtotals.loc["D11"]
    assert (income["item"], income["year"], income["amount_yuan"], income["parts_sum"]) == (
        "total_income",
        2022,
        576_000,
        576_000,
    )
    assert (expense["item"], expense["amount_yuan"], expense["parts_sum"]) == ("total_expense", 301_000, 301_000)
    assert not ledger.entries["cell"].str.startswith("D").any()
    assert "合计" not in set(ledger.accounts["village"])


# --- 2. 收益及收益分配表 (2004) -------------------------------------------------------------------------------


def test_2004_statement_reads_plus_and_minus_lines_for_both_years(tmp_path):
    ledger = read_ledger(fs.income_statement_xlsx(tmp_path), register=fs.register(tmp_path))
    this_year, last_year = account(ledger, "上河村", 2022), account(ledger, "上河村", 2021)
    assert this_year["village_code"] == "431026100001"
    assert this_year[INCOME].tolist() == [200_000, 85_000, 20_000, 120_000, 31_000]
    assert this_year[EXPENSE].tolist() == [100_000, 110_000, 13_000]
    # total_income and total_expense are derived from the parts; 本年收益 and 经营收益 are as written.
    assert this_year[TOTALS].tolist() == [456_000, 223_000, 233_000]
    assert (this_year["operating_profit"], this_year["operational_income"]) == (95_000, 305_000)
    assert this_year["written_totals"] == "net_income, operating_profit"
    assert last_year[INCOME].tolist() == [150_000, 80_000, 0, 120_000, 30_000]
    assert last_year[[*TOTALS, "operating_profit"]].tolist() == [380_000, 200_000, 180_000, 40_000]
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_2004_statement_keeps_the_distribution_part_as_its_own_items_never_net_income(tmp_path):
    ledger = read_ledger(fs.income_statement_xlsx(tmp_path))
    assert items_by_cell(ledger, 2022) == {
        "C4": "operating_income",
        "C5": "contract_income",
        "C6": "investment_income",
        "C7": "operating_expense",
        "C8": "admin_expense",
        "C9": "admin_expense",
        "C10": "operating_profit",
        "C11": "agricultural_tax_rebate",
        "C12": "subsidy_income",
        "C13": "other_income",
        "C14": "other_expense",
        "C15": "net_income",
        "C17": "undistributed_income_start",
        "C18": "other_transfers_in",
        "C19": "distributable_income",
        "C20": "reserve_appropriation",
        "C21": "welfare_appropriation",
        "C22": "investor_distribution",
        "C23": "household_distribution",
        "C24": "other_distribution",
        "C25": "undistributed_income_end",
    }
    amounts = ledger.entries.loc[ledger.entries["year"].eq(2022)].set_index("cell")["amount_yuan"]
    assert amounts[["C17", "C19", "C20", "C23", "C24", "C25"]].tolist() == [
        50_000,
        283_000,
        70_000,
        100_000,
        3_000,
        90_000,
    ]
    assert ledger.entries.set_index("cell").at["C9", "detail"] == "干部报酬"
    assert account(ledger, "上河村", 2022)["net_income"] == 233_000  # not 可分配收益 283,000
    assert account(ledger, "上河村", 2021)["net_income"] == 180_000  # not 210,000


def test_2004_statement_row_kinds_and_the_repeated_net_income_is_a_duplicate(tmp_path):
    ledger = read_ledger(fs.income_statement_xlsx(tmp_path))
    assert kinds(ledger, "收益及收益分配表") == ["title", "unit", "header"] + ["data"] * 22 + ["note"]
    # 四、本年收益 opens the distribution part with 三、本年收益's figure: the same amount read twice.
    duplicates = ledger.duplicates.sort_values("cell")
    source = f"{STATEMENT_FILE}!收益及收益分配表!"
    assert duplicates[["source", "cell", "duplicate_of"]].values.tolist() == [
        [f"{source}16", "C16", f"{source}15 C15"],
        [f"{source}16", "D16", f"{source}15 D15"],
    ]
    assert len(ledger.entries) == 2 * 21
    columns = ledger.columns.set_index("column")
    assert columns.at["B", "meaning"].startswith("left out")  # 行次
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_2004_statement_with_one_amount_column_is_the_year_of_its_date_line(tmp_path):
    ledger = read_ledger(fs.income_statement_xlsx(tmp_path, name="上河村收益分配表.xlsx", one_column=True))
    this_year = account(ledger, "上河村", 2022)
    assert this_year[[*TOTALS, "operating_profit"]].tolist() == [456_000, 223_000, 233_000, 95_000]
    assert ledger.accounts["year"].tolist() == [2022]
    assert len(ledger.entries) == 21 and len(ledger.duplicates) == 1
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


# --- 3. 资产负债表 ---------------------------------------------------------------------------------------------

ASSET_LINES = {
    5: "cash",
    6: "short_term_investments",
    7: "receivables",
    8: "inventories",
    9: "current_assets",
    11: "livestock_assets",
    12: "forest_assets",
    13: "agricultural_assets",
    15: "long_term_investments",
    17: "fixed_assets_cost",
    18: "accumulated_depreciation",
    19: "fixed_assets_net",
    20: "fixed_assets_disposal",
    21: "construction_in_progress",
    22: "fixed_assets",
    23: "assets",
}
CLAIM_LINES = {
    5: "short_term_borrowings",
    6: "payables",
    7: "wages_payable",
    8: "welfare_payable",
    9: "current_liabilities",
    11: "long_term_payables",
    12: "one_project_funds",
    13: "long_term_liabilities",
    15: "liabilities",
    17: "capital",
    18: "reserve_funds",
    19: "undistributed_income",
    20: "equity",
    23: "liabilities_and_equity",
}


def test_balance_sheet_reads_both_blocks_side_by_side_with_year_end_and_opening_years(tmp_path):
    ledger = read_ledger(fs.balance_sheet_xlsx(tmp_path, 2017), register=fs.register(tmp_path))
    end, start = account(ledger, "上河村", 2017), account(ledger, "上河村", 2016)  # 年末数, 年初数
    assert (end["assets"], end["liabilities"], end["village_code"]) == (1_450_000, 450_000, "431026100001")
    assert (start["assets"], start["liabilities"]) == (1_200_000, 390_000)
    assert np.isnan(end["operating_income"]) and np.isnan(end["net_income"])
    assert items_by_cell(ledger, 2017) == (
        {f"D{row}": item for row, item in ASSET_LINES.items()} | {f"H{row}": item for row, item in CLAIM_LINES.items()}
    )
    assert items_by_cell(ledger, 2016) == (
        {f"C{row}": item for row, item in ASSET_LINES.items()} | {f"G{row}": item for row, item in CLAIM_LINES.items()}
    )
    amounts = ledger.entries.set_index("cell")["amount_yuan"]
    assert amounts[["D5", "C5", "D18", "D22", "H9", "H20", "H23"]].tolist() == [
        300_000,
        250_000,
        200_000,
        950_000,
        210_000,
        1_000_000,
        1_450_000,
    ]  # 累计折旧 as written
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_balance_sheet_section_rows_are_titles_and_its_header_lines_are_units(tmp_path):
    ledger = read_ledger(fs.balance_sheet_xlsx(tmp_path, 2017))
    assert kinds(ledger, "资产负债表") == (
        ["title", "unit", "header", "title"]
        + ["data"] * 5
        + ["title"]
        + ["data"] * 3
        + ["title", "data", "title"]
        + ["data"] * 7
        + ["note"]
    )
    assert len(ledger.entries) == 2 * 30
    assert ledger.subtotals.empty  # 流动资产合计 and the like are lines of their own


def test_balance_sheet_opening_figures_equal_to_last_years_closing_are_duplicates(tmp_path):
    fs.balance_sheet_xlsx(tmp_path, 2017)
    fs.balance_sheet_xlsx(tmp_path, 2018)
    ledger = read_ledger(tmp_path)
    assert [account(ledger, "上河村", year)["assets"] for year in (2016, 2017, 2018)] == [
        1_200_000,
        1_450_000,
        1_415_000,
    ]
    assert [account(ledger, "上河村", year)["liabilities"] for year in (2016, 2017, 2018)] == [
        390_000,
        450_000,
        375_000,
    ]
    duplicates = ledger.duplicates
    assert len(duplicates) == 30  # every 年初数 of the 2018 sheet
    assert duplicates["source"].str.startswith("上河村资产负债表2018.xlsx!资产负债表!").all()
    assert set(duplicates["cell"].str[0]) == {"C", "G"}
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_balance_sheet_opening_figure_that_differs_is_one_prior_year_reject_and_the_year_keeps_its_own(tmp_path):
    fs.balance_sheet_xlsx(tmp_path, 2017)
    fs.balance_sheet_xlsx(tmp_path, 2018, opening={"资产总计": 1_460_000})
    ledger = read_ledger(tmp_path)
    bad = reject(ledger, "prior_year_differs")
    assert (bad["source"], bad["cell"], bad["value"]) == ("上河村资产负债表2018.xlsx!资产负债表!23", "C23", "1460000")
    assert len(ledger.rejects) == 1
    assert account(ledger, "上河村", 2017)["assets"] == 1_450_000
    assert account(ledger, "上河村", 2018)["assets"] == 1_415_000
    assert len(ledger.duplicates) == 29
    ledger.check_nothing_lost()


def test_balance_summary_with_one_row_per_village_gives_assets_and_liabilities(tmp_path):
    ledger = read_ledger(fs.balance_summary_xlsx(tmp_path))
    shanghe, daping = account(ledger, "上河村", 2017), account(ledger, "大坪村", 2017)
    assert (shanghe["assets"], shanghe["liabilities"]) == (1_450_000, 450_000)
    assert (daping["assets"], daping["liabilities"]) == (800_000, 125_000)
    assert kinds(ledger, "2017年") == ["title", "unit", "header", "data", "data", "subtotal"]
    subtotals = ledger.subtotals.set_index("cell")
    assert subtotals[["item", "amount_yuan", "status"]].loc[["C6", "D6"]].values.tolist() == [
        ["assets", 2_250_000, "ok"],
        ["liabilities", 575_000, "ok"],
    ]
    assert len(ledger.accounts) == 2
    ledger.check_nothing_lost()


# --- 4. 三资 platform exports ---------------------------------------------------------------------------------


def test_sanzi_export_splits_full_names_and_rolls_sub_accounts_into_their_parent(tmp_path):
    ledger = read_ledger(fs.sanzi_export_xlsx(tmp_path))
    tashui, shiqiao = account(ledger, "塔水村", 2022), account(ledger, "石桥村", 2022)
    assert (tashui["county"], tashui["township"], shiqiao["county"], shiqiao["township"]) == (
        "北湖区",
        "华塘镇",
        "北湖区",
        "华塘镇",
    )
    assert tashui[INCOME].tolist() == [230_000, 60_000, 10_000, 150_000, 5_000]  # 501, not 501 + 50101 + 50102
    assert tashui[EXPENSE + TOTALS].tolist() == [70_000, 90_000, 2_000, 455_000, 162_000, 293_000]
    assert tashui["written_totals"] == ""
    assert shiqiao["operating_income"] == 75_000  # 50101 + 50102, no parent
    assert shiqiao[TOTALS].tolist() == [175_000, 60_000, 115_000]
    subs = ledger.entries.loc[ledger.entries["detail"].notna()]
    assert sorted(subs[["village", "item", "detail", "amount_yuan", "cell"]].values.tolist()) == [
        ["塔水村", "operating_income", "农产品销售收入", 80_000.0, "G3"],
        ["塔水村", "operating_income", "租赁收入", 150_000.0, "G4"],
        ["石桥村", "operating_income", "农产品销售收入", 30_000.0, "G12"],
        ["石桥村", "operating_income", "租赁收入", 45_000.0, "G13"],
    ]
    assert kinds(ledger, "导出数据") == ["header"] + ["data"] * 14
    assert ledger.rejects.empty and ledger.duplicates.empty
    ledger.check_nothing_lost()


def test_sanzi_export_parent_figure_wins_over_sub_accounts_that_do_not_add_up_without_a_conflict(tmp_path):
    lines = [
        (org, code, name, 240_000.0 if code == "501" else amount)  # 50103 服务收入 not exported
        for org, code, name, amount in fs.SANZI_LINES
        if org == fs.TASHUI
    ]
    ledger = read_ledger(fs.sanzi_export_xlsx(tmp_path, lines=lines))
    tashui = account(ledger, "塔水村", 2022)
    assert (tashui["operating_income"], tashui["total_income"]) == (240_000, 465_000)
    operating = ledger.entries.loc[ledger.entries["item"].eq("operating_income")]
    assert sorted(operating["amount_yuan"]) == [80_000, 150_000, 240_000]
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


@pytest.mark.parametrize("header", ["本年累计（元）", "本年累计数（元）", "本年发生额(元)", "本年累计\n（元）"])
def test_sanzi_export_amount_header_spellings_carry_the_unit(tmp_path, header):
    ledger = read_ledger(fs.sanzi_export_xlsx(tmp_path, amount_header=header))
    assert account(ledger, "塔水村", 2022)[TOTALS].tolist() == [455_000, 162_000, 293_000]
    assert account(ledger, "石桥村", 2022)[TOTALS].tolist() == [175_000, 60_000, 115_000]
    assert ledger.rejects.empty


def test_sanzi_csv_in_gbk_matches_villages_by_code_when_the_name_is_spelled_differently(tmp_path):
    path = fs.sanzi_export_csv(tmp_path)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really GBK
    ledger = read_ledger(path, register=fs.register(tmp_path))
    shiqiao = account(ledger, "石桥村", 2022)  # written 石桥股份经济合作社
    assert (shiqiao["county"], shiqiao["township"], shiqiao["village_code"]) == ("北湖区", "华塘镇", "431002100202")
    assert shiqiao["operating_income"] == 75_000  # 501001 + 501003
    rent = ledger.entries.loc[ledger.entries["detail"].eq("租赁收入") & ledger.entries["village"].eq("石桥村")]
    assert rent[["source", "cell", "amount_yuan"]].values.tolist() == [["华塘镇三资导出2022.csv!!13", "F13", 45_000.0]]
    assert ledger.rejects.empty
    from_xlsx = read_ledger(fs.sanzi_export_xlsx(tmp_path), register=fs.register(tmp_path))
    pd.testing.assert_frame_equal(ledger.accounts, from_xlsx.accounts)
    ledger.check_nothing_lost()


# --- a folder holding several forms ---------------------------------------------------------------------------


def test_folder_of_office_forms_reads_every_form_and_keeps_repeated_figures_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    built = [
        fs.statistics_form_xlsx(raw),
        fs.income_statement_xlsx(raw),
        fs.balance_sheet_xlsx(raw, 2017),
        fs.balance_summary_xlsx(raw),
        fs.sanzi_export_xlsx(raw),
    ]
    ledger = read_ledger(raw, register=fs.register(tmp_path))
    assert set(ledger.files["file"]) == {path.name for path in built}
    assert ledger.skipped.empty and ledger.rejects.empty
    assert sorted(ledger.accounts[["village", "year"]].itertuples(index=False, name=None)) == [
        ("上河村", 2016),
        ("上河村", 2017),
        ("上河村", 2021),
        ("上河村", 2022),
        ("塔水村", 2022),
        ("大坪村", 2017),
        ("大坪村", 2021),
        ("大坪村", 2022),
        ("石桥村", 2022),
    ]
    assert ledger.accounts["village_code"].notna().all()
    shanghe = account(ledger, "上河村", 2022)
    assert shanghe[[*TOTALS, "operating_profit"]].tolist() == [456_000, 223_000, 233_000, 95_000]
    assert shanghe["written_totals"] == "net_income, operating_profit, total_expense, total_income"
    assert account(ledger, "上河村", 2017)[["assets", "liabilities"]].tolist() == [1_450_000, 450_000]
    assert account(ledger, "大坪村", 2017)["liabilities"] == 125_000
    assert account(ledger, "塔水村", 2022)["net_income"] == 293_000
    # The statement repeats 10 of the statistics form's lines in each year (20), its own 本年收益 once a year (2);
    # the summary repeats 上河村's 资产总计 and 负债合计 (2).
    assert len(ledger.duplicates) == 24
    ledger.check_nothing_lost()
