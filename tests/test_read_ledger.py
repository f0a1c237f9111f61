"""read_ledger on every layout, and on the bad input real offices send."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from villagecon import read_ledger
from villagecon.errors import HeaderNotFoundError, LedgerFileError, UnitError, UsageError

import ledger_files as lf


def account(ledger, village, year):
    rows = ledger.accounts.loc[ledger.accounts["village"].eq(village) & ledger.accounts["year"].eq(year)]
    assert len(rows) == 1, f"expected one account row for {village} {year}, got {len(rows)}"
    return rows.iloc[0]


def reject(ledger, problem):
    rows = ledger.rejects.loc[ledger.rejects["problem"].eq(problem)]
    assert len(rows) == 1, f"expected one {problem} reject, got:\n{ledger.rejects.to_string()}"
    return rows.iloc[0]


# --- layout 1: one row per village ------------------------------------------------------------------


def test_wide_workbook_reads_two_level_header_units_and_text_amounts(tmp_path):
    ledger = read_ledger(lf.wide_xlsx(tmp_path), register=lf.register(tmp_path))
    shanghe = account(ledger, "上河村", 2022)
    assert shanghe["village_code"] == "431026100001"
    assert (shanghe["county"], shanghe["township"]) == ("汝城县", "濠头乡")
    assert shanghe["operating_income"] == 200_000
    assert shanghe["contract_income"] == 50_000
    assert shanghe["other_income"] == 20_000  # the text "2" in a 万元 sheet
    assert shanghe["total_income"] == 400_000  # 40余万元
    assert shanghe["total_expense"] == 150_000
    assert shanghe["net_income"] == 250_000
    assert shanghe["assets"] == 3_000_000
    assert shanghe["approx"]
    assert account(ledger, "龙虎村", 2022)["subsidy_income"] == 120_000  # 十二万
    assert np.isnan(account(ledger, "龙虎村", 2022)["liabilities"])  # —
    assert account(ledger, "石门村", 2022)["net_income"] == -12_000  # （1.2）, 石门　村
    assert not account(ledger, "大坪村", 2022)["approx"]
    assert len(ledger.accounts) == 4
    assert ledger.rejects.empty
    # Amounts written as text keep their text; numbers do not need it.
    written = ledger.entries.set_index("cell")["written"]
    assert (written["H5"], written["F8"], written["G5"]) == ("40余万元", "十二万", "2")
    assert pd.isna(written["C5"])


def test_wide_workbook_row_kinds_and_sources(tmp_path):
    ledger = read_ledger(lf.wide_xlsx(tmp_path))
    assert ledger.rows["kind"].tolist() == [
        "title",
        "unit",
        "header",
        "header",
        "data",
        "data",
        "subtotal",
        "data",
        "data",
        "subtotal",
        "subtotal",
        "note",
    ]
    operating = ledger.entries.loc[ledger.entries["item"].eq("operating_income")]
    assert operating["source"].tolist() == [
        "汝城县2022.xlsx!2022年!5",
        "汝城县2022.xlsx!2022年!6",
        "汝城县2022.xlsx!2022年!8",
        "汝城县2022.xlsx!2022年!9",
    ]
    assert operating["cell"].tolist() == ["C5", "C6", "C8", "C9"]
    assert len(ledger.entries) == 4 * 13 - 1  # 13 amount columns, one — (missing)
    ledger.check_nothing_lost()


def test_wide_subtotals_are_kept_apart_and_reconciled(tmp_path):
    ledger = read_ledger(lf.wide_xlsx(tmp_path))
    subtotals = ledger.subtotals
    assert len(subtotals) == 3 * 13
    assert set(subtotals["status"]) == {"ok", "unchecked"}
    # Totals over 上河村's approximate 40余万元 cannot be checked; every other subtotal adds up.
    unchecked = subtotals.loc[subtotals["status"].eq("unchecked")]
    assert set(unchecked["item"]) == {"total_income"}
    assert set(unchecked["cell"]) == {"H7", "H11"}
    total_assets = subtotals.loc[subtotals["cell"].eq("N11")].iloc[0]
    assert total_assets["amount_yuan"] == 6_700_000 and total_assets["parts"] == 4


def test_subtotal_that_does_not_add_up_is_rejected_and_parts_kept(tmp_path):
    rows = [list(r) for r in lf.WIDE_ROWS]
    rows[5][2] = 11.5  # 土桥镇小计 经营收入 should be 10
    ledger = read_ledger(lf.wide_xlsx(tmp_path, rows=rows))
    bad = reject(ledger, "subtotal_mismatch")
    assert (bad["source"], bad["cell"], bad["value"]) == ("汝城县2022.xlsx!2022年!10", "C10", "11.5")
    assert "115,000.00" in bad["reason"] and "100,000.00" in bad["reason"] and "15,000.00" in bad["reason"]
    assert account(ledger, "龙虎村", 2022)["operating_income"] == 80_000
    assert account(ledger, "石门村", 2022)["operating_income"] == 20_000


def test_wide_csv_in_gbk_and_yuan_gives_the_same_accounts_as_the_workbook(tmp_path):
    from_xlsx = read_ledger(lf.wide_xlsx(tmp_path)).accounts
    csv_path = lf.wide_csv(tmp_path, encoding="gbk")
    assert csv_path.read_bytes().decode("gbk")  # really GBK, not UTF-8
    from_csv = read_ledger(csv_path)
    pd.testing.assert_frame_equal(from_csv.accounts, from_xlsx)
    assert from_csv.rows["kind"].tolist()[:4] == ["title", "unit", "header", "header"]
    from_csv.check_nothing_lost()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    ledger = read_ledger(lf.wide_csv(tmp_path, encoding=encoding))
    assert account(ledger, "上河村", 2022)["operating_income"] == 200_000


def test_csv_in_an_undetectable_encoding_is_an_error_not_mojibake(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("村名,經營收入\n上河村,12\n".encode("big5"))
    with pytest.raises(LedgerFileError, match=r"big5\.csv.*(encoding|GBK)"):
        read_ledger(path)


# --- layout 2: long ledgers -------------------------------------------------------------------------


def test_long_workbook_reads_years_aliases_and_cell_units(tmp_path):
    ledger = read_ledger(lf.long_xlsx(tmp_path))
    shanghe = account(ledger, "上河村", 2021)
    assert shanghe["operating_income"] == 120_000
    assert shanghe["contract_income"] == 35_000  # 发包及上缴收入, year written 2021年
    assert shanghe["total_income"] == 155_000  # year written 二〇二一年
    dapin = account(ledger, "大坪村", 2021)
    assert dapin["operating_income"] == 42_000  # 4.2万 in a 万元 column
    assert dapin["admin_expense"] == 1_234.5  # 1,234.5元: the cell's unit wins
    assert dapin["total_income"] == 42_000  # derived from its parts
    assert dapin["net_income"] == 40_765.5
    assert ledger.rows["kind"].tolist() == ["title", "header"] + ["data"] * 5
    ledger.check_nothing_lost()


def test_long_csv_with_income_and_expense_columns_and_dates(tmp_path):
    ledger = read_ledger(lf.long_csv(tmp_path))
    tashui = account(ledger, "塔水村", 2020)
    assert tashui["operating_income"] == 120_000
    assert tashui["investment_income"] == -5_000  # △5000
    assert tashui["admin_expense"] == 35_000
    assert tashui["total_income"] == 195_000
    assert tashui["net_income"] == 160_000
    assert ledger.rows["kind"].tolist() == ["unit", "header"] + ["data"] * 4


def test_a_written_total_over_parts_the_ledger_does_not_all_give_is_kept(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["年度", "村", "科目", "金额（元）"],
            [2021, "上河村", "经营收入", 100],
            [2021, "上河村", "补助收入", 50],
            [2021, "上河村", "本年收入合计", 160],
        ],
    )
    ledger = read_ledger(path)
    assert ledger.rejects.empty  # 发包, 投资, 其他 are not in the ledger
    row = account(ledger, "上河村", 2021)
    assert (row["total_income"], row["written_totals"]) == (160, "total_income")
    ledger.check_nothing_lost()


def test_reported_total_that_disagrees_with_every_one_of_its_parts_is_rejected(tmp_path):
    parts = [("经营收入", 100), ("发包及上交收入", 10), ("投资收益", 0), ("补助收入", 50), ("其他收入", 5)]
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["年度", "村", "科目", "金额（元）"],
            *([2021, "上河村", item, amount] for item, amount in parts),
            [2021, "上河村", "本年收入合计", 175],
        ],
    )
    ledger = read_ledger(path)
    bad = reject(ledger, "total_mismatch")
    assert (bad["cell"], bad["value"]) == ("D7", "175")
    assert "175.00" in bad["reason"] and "165.00" in bad["reason"]
    row = account(ledger, "上河村", 2021)
    assert (row["total_income"], row["written_totals"]) == (165, "")  # from the kept parts
    ledger.check_nothing_lost()


# --- layout 3: 收益分配表 ---------------------------------------------------------------------------


def test_statement_reads_items_down_and_years_across(tmp_path):
    ledger = read_ledger(lf.statement_xlsx(tmp_path), register=lf.register(tmp_path))
    y2017 = account(ledger, "上河村", 2017)
    assert y2017["net_income"] == -42_000  # 负债4.2万元
    assert y2017["liabilities"] == 42_000
    assert y2017["total_income"] == 0
    y2018 = account(ledger, "上河村", 2018)
    assert y2018["operating_income"] == 100_000  # not 160,000: the 其中 line is not added
    assert y2018["total_income"] == 150_000
    assert account(ledger, "上河村", 2019)["contract_income"] == 30_000  # year written 二〇一九年
    assert account(ledger, "大坪村", 2019)["operating_income"] == 80_000  # the other sheet, in 万元
    solar = ledger.entries.loc[ledger.entries["detail"].eq("光伏发电收入")]
    assert solar[["year", "item", "amount_yuan"]].values.tolist() == [
        [2018, "operating_income", 60_000.0],
        [2019, "operating_income", 90_000.0],
    ]
    assert set(ledger.accounts["village_code"]) == {"431026100001", "431026100002"}
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


# --- a folder of files ------------------------------------------------------------------------------


def test_folder_reads_every_layout_and_skips_the_register(tmp_path):
    for build in (lf.wide_xlsx, lf.long_xlsx, lf.long_csv, lf.statement_xlsx):
        build(tmp_path)
    ledger = read_ledger(tmp_path, register=lf.register(tmp_path))
    assert set(ledger.files["file"]) == {"汝城县2022.xlsx", "台账2021.xlsx", "塔水村台账.csv", "濠头乡收益分配表.xlsx"}
    assert set(ledger.files["layouts"]) == {
        "villages down, items across",
        "items down, years across",
        "villages and items and years down",
    }
    assert ledger.accounts["village_code"].notna().all()
    assert account(ledger, "塔水村", 2020)["county"] == "北湖区"
    assert sorted(ledger.accounts["year"].unique()) == [2017, 2018, 2019, 2020, 2021, 2022]
    ledger.check_nothing_lost()


def _a_county_folder(folder):
    """Nine files as a county's folder holds them: every layout, a second year of the statement, a file that
    is no workbook and a workbook whose only sheet holds no ledger."""
    for build in (lf.wide_xlsx, lf.long_xlsx, lf.long_csv, lf.statement_xlsx):
        build(folder)
    lf.wide_csv(folder)
    lf.wide_xlsx(folder, name="汝城县2022（报送稿）.xlsx")
    lf.statement_xlsx(folder, name="sub/濠头乡收益分配表.xlsx")
    (folder / "损坏的报表.xlsx").write_bytes(b"PK\x03\x04 not a zip at all")
    lf.workbook(folder, "说明.xlsx", [["填报说明"], ["请各乡镇于1月10日前报送"]])
    return lf.register(folder)


def test_files_read_in_parallel_give_the_ledger_read_one_by_one(tmp_path):
    (tmp_path / "sub").mkdir()
    register = _a_county_folder(tmp_path)
    one_by_one = read_ledger(tmp_path, register=register, jobs=1)
    parallel = read_ledger(tmp_path, register=register, jobs=2)
    assert len(one_by_one.files) == 8
    for name in ("entries", "accounts", "rejects", "rows", "skipped", "sheets", "files", "subtotals", "duplicates"):
        pd.testing.assert_frame_equal(getattr(parallel, name), getattr(one_by_one, name), obj=name)
    assert set(parallel.skipped["file"]) >= {"损坏的报表.xlsx", "说明.xlsx"}
    # The 报送稿 repeats the first copy: its amounts are duplicates, kept once, whichever process read them.
    assert parallel.duplicates["source"].str.startswith("汝城县2022（报送稿）.xlsx!").any()
    parallel.check_nothing_lost()


def test_progress_counts_files_and_the_sheets_met(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    _a_county_folder(tmp_path)
    ledger = read_ledger(tmp_path, progress=True, jobs=2)
    shown = capsys.readouterr().err
    files = ledger.sheets["file"].nunique()
    assert files == 10 and len(ledger.sheets) == 12  # the register is read too: no register= was given
    assert f"reading ledgers: 100%|██████████| {files}/{files}" in shown
    assert f"sheets={len(ledger.sheets)}]" in shown


def test_jobs_below_one_is_refused(tmp_path):
    lf.wide_xlsx(tmp_path)
    with pytest.raises(UsageError, match="jobs must be 1 or more, not 0"):
        read_ledger(tmp_path, jobs=0)


def test_exact_duplicates_are_kept_once_and_listed(tmp_path):
    first = lf.wide_xlsx(tmp_path)
    shutil.copy(first, tmp_path / "copy.xlsx")
    ledger = read_ledger(tmp_path)
    assert len(ledger.entries) == 51 and len(ledger.duplicates) == 51
    assert ledger.duplicates["duplicate_of"].str.startswith("copy.xlsx!").all()  # copy.xlsx sorts first
    assert ledger.rejects.empty
    ledger.check_nothing_lost()


def test_conflicting_amounts_are_both_rejected_never_summed(tmp_path):
    lf.wide_xlsx(tmp_path, name="a.xlsx")
    rows = [list(r) for r in lf.WIDE_ROWS]
    rows[1][9] = 2.7  # 大坪村 管理费用 2.5 elsewhere
    lf.wide_xlsx(tmp_path, name="b.xlsx", rows=rows)
    ledger = read_ledger(tmp_path)
    conflicts = ledger.rejects.loc[ledger.rejects["problem"].eq("conflict")]
    assert conflicts[["source", "cell", "value"]].values.tolist() == [
        ["a.xlsx!2022年!6", "J6", "2.5"],
        ["b.xlsx!2022年!6", "J6", "2.7"],
    ]
    assert "b.xlsx!2022年!6 J6 = 27,000.00 元" in conflicts.iloc[0]["reason"]
    assert np.isnan(account(ledger, "大坪村", 2022)["admin_expense"])
    ledger.check_nothing_lost()


# --- bad cells become rejects naming file, sheet, row and cell ----------------------------------------


def test_percentage_in_an_amount_column_is_rejected(tmp_path):
    rows = [list(r) for r in lf.WIDE_ROWS]
    rows[0][5] = "12.3%"
    ledger = read_ledger(lf.wide_xlsx(tmp_path, rows=rows))
    bad = reject(ledger, "amount")
    assert (bad["source"], bad["cell"], bad["column"], bad["value"]) == (
        "汝城县2022.xlsx!2022年!5",
        "F5",
        "本年收入/补助收入",
        "12.3%",
    )
    assert "%" in bad["reason"] or "percent" in bad["reason"]
    assert np.isnan(account(ledger, "上河村", 2022)["subsidy_income"])
    ledger.check_nothing_lost()


def test_unknown_village_is_rejected_with_a_suggestion(tmp_path):
    rows = [list(r) for r in lf.WIDE_ROWS]
    rows[1][1] = "大坪坪村"
    ledger = read_ledger(lf.wide_xlsx(tmp_path, rows=rows), register=lf.register(tmp_path))
    unknown = ledger.rejects.loc[ledger.rejects["problem"].eq("village_unknown")]
    assert len(unknown) == 13 and set(unknown["source"]) == {"汝城县2022.xlsx!2022年!6"}
    assert "大坪坪村" in unknown.iloc[0]["reason"] and "大坪村" in unknown.iloc[0]["reason"]
    assert "大坪村" not in set(ledger.accounts["village"])
    ledger.check_nothing_lost()


def test_a_name_twice_in_the_register_needs_its_township(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["年度", "乡镇", "村", "科目", "金额（元）"],
            [2022, "", "新村", "经营收入", 100],
            [2022, "土桥镇", "新村", "经营收入", 200],
        ],
    )
    ledger = read_ledger(path, register=lf.register(tmp_path))
    assert reject(ledger, "village_ambiguous")["cell"] == "E2"
    assert account(ledger, "新村", 2022)["village_code"] == "431026101003"


def test_a_name_in_another_county_of_the_register_is_rejected_not_matched(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["年度", "县", "乡镇", "村", "科目", "金额（元）"],
            [2022, "宜章县", "梅田镇", "上河村", "经营收入", 100],
            [2022, "汝城县", "濠头乡", "新村", "经营收入", 200],
            [2022, "郴州市", "", "大坪村", "经营收入", 300],
        ],
    )
    ledger = read_ledger(path, register=lf.register(tmp_path))
    reasons = ledger.rejects.set_index("cell")["reason"]
    assert list(reasons.index) == ["F2", "F3"]
    assert "'上河村' of 宜章县梅田镇 is not in the register, which has '上河村' only in 汝城县濠头乡" in reasons["F2"]
    assert "汝城县土桥镇、宜章县梅田镇" in reasons["F3"]  # 新村 is in the register, not in 濠头乡
    # 郴州市 is no county of the register: no hint, so 大坪村 matches by its name
    assert account(ledger, "大坪村", 2022)["village_code"] == "431026100002"


def test_formula_without_saved_value_is_rejected_not_zero(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "经营收入", 100], [2022, "上河村", "补助收入", None]],
        formulas={"D3": "=D2*2"},
    )
    ledger = read_ledger(path)
    bad = reject(ledger, "formula_uncached")
    assert bad["cell"] == "D3" and "save" in bad["reason"]
    assert "subsidy_income" not in ledger.entries["item"].tolist()
    ledger.check_nothing_lost()


def test_unknown_amount_column_is_reported_not_dropped(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [["2022年统计", None, None], ["村名", "经营收入", "光伏电站收益"], ["上河村", 10, 4]],
    )
    ledger = read_ledger(path, unit="万元")
    bad = reject(ledger, "column_unknown")
    assert (bad["cell"], bad["column"], bad["value"]) == ("C3", "光伏电站收益", "4")
    assert account(ledger, "上河村", 2022)["operating_income"] == 100_000
    ledger.check_nothing_lost()


def test_columns_a_long_ledger_does_not_read_are_reported_not_dropped(tmp_path):
    header = ["年度", "村名", "科目", "金额（元）", "调整金额", "经营收入", None, "备注"]
    path = lf.workbook(tmp_path, "t.xlsx", [header, [2022, "上河村", "其他收入", 100, 999, 5000, 7, "已核"]])
    ledger = read_ledger(path)
    assert ledger.entries[["cell", "item", "amount_yuan"]].values.tolist() == [["D2", "other_income", 100.0]]
    unread = ledger.rejects.set_index("cell")
    assert unread.loc[["E2", "F2", "G2"], "value"].tolist() == ["999", "5000", "7"]  # 备注 H2 is no amount
    assert set(unread["problem"]) == {"column_unknown"}
    assert "'调整金额' is not known" in unread.at["E2", "reason"]
    assert "'G (no header)'" in unread.at["G2", "reason"]
    ledger.check_nothing_lost()


def test_a_wide_column_without_a_header_is_reported_not_dropped(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["2022年统计", None, None, None],
            ["村名", "经营收入", None, "行次"],
            ["上河村", 10, 555, 1],
            ["大坪村", 20, 666, 2],
        ],
    )
    ledger = read_ledger(path, unit="万元")
    assert ledger.rejects[["cell", "value", "problem"]].values.tolist() == [
        ["C3", "555", "column_unknown"],
        ["C4", "666", "column_unknown"],
    ]  # 行次 D is a row number
    assert account(ledger, "大坪村", 2022)["operating_income"] == 200_000
    ledger.check_nothing_lost()


def test_a_unit_over_a_merged_group_is_the_unit_of_its_columns(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t2022.xlsx",
        [
            ["村名", "本年收入（万元）", None, "资产（元）"],
            [None, "经营收入", "合计", None],
            ["上河村", 1.5, 1.5, 1000],
        ],
        merges=["A1:A2", "B1:C1", "D1:D2"],
    )
    row = account(read_ledger(path, unit="元"), "上河村", 2022)  # unit= is only for what no header says
    assert (row["operating_income"], row["total_income"], row["assets"]) == (15_000, 15_000, 1_000)


def test_a_column_of_village_names_under_an_unknown_header_is_the_village_column(tmp_path):
    path = tmp_path / "t2022.csv"
    path.write_text('单位：元\n名称,经营收入,其他收入\n上河村,"1,234",200\n', encoding="utf-8")
    ledger = read_ledger(path)
    row = account(ledger, "上河村", 2022)
    assert (row["operating_income"], row["other_income"]) == (1234, 200)
    assert ledger.columns.set_index("column").at["A", "meaning"] == "village (its cells are village names)"


def test_a_csv_with_numbers_under_an_unknown_header_and_no_names_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('单位：元\n名称,收成,其他\n甲,"1,234",200\n', encoding="utf-8")
    with pytest.raises(HeaderNotFoundError, match=r"t\.csv.*row 3.*cell B3"):
        read_ledger(path)


def test_a_compact_date_in_a_date_column_gives_its_year(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["日期", "村", "科目", "金额（元）"],
            [20220701, "上河村", "经营收入", 100],
            ["20230105", "上河村", "经营收入", 50],
        ],
    )
    ledger = read_ledger(path)
    assert ledger.rejects.empty
    assert account(ledger, "上河村", 2023)["operating_income"] == 50


def test_a_bang_in_file_and_sheet_names_is_kept_in_the_source(tmp_path):
    path = lf.long_xlsx(tmp_path, name="台账!2021.xlsx")
    ledger = read_ledger(path)
    assert ledger.entries["source"].str.startswith("台账!2021.xlsx!").all()


def test_unknown_line_item_is_reported_not_dropped(tmp_path):
    path = lf.workbook(tmp_path, "t.xlsx", [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "卖猪收入", 100]])
    bad = reject(read_ledger(path), "item_unknown")
    assert bad["cell"] == "D2" and "卖猪收入" in bad["reason"]


def test_two_digit_year_is_rejected_as_ambiguous(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [["年度", "村", "科目", "金额（元）"], ["22年", "上河村", "经营收入", 100], [2022, "上河村", "补助收入", 50]],
    )
    ledger = read_ledger(path)
    bad = reject(ledger, "year")
    assert bad["cell"] == "D2" and "ambiguous" in bad["reason"]
    assert account(ledger, "上河村", 2022)["subsidy_income"] == 50


def test_negative_liabilities_are_rejected(tmp_path):
    path = lf.workbook(
        tmp_path, "t.xlsx", [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "负债", "负债4.2万元"]]
    )
    assert "负债" in reject(read_ledger(path), "negative_balance")["reason"]


# --- whole files that cannot be read are errors ------------------------------------------------------


def test_bare_numbers_without_any_unit_are_an_error_naming_the_cell(tmp_path):
    path = lf.wide_xlsx(tmp_path, unit_row=None)
    with pytest.raises(UnitError, match=r"汝城县2022\.xlsx.*sheet '2022年'.*row 5.*cell C5.*单位"):
        read_ledger(path)
    assert account(read_ledger(path, unit="万元"), "上河村", 2022)["operating_income"] == 200_000


def test_sheet_with_numbers_but_no_header_is_an_error(tmp_path):
    path = lf.workbook(tmp_path, "t.xlsx", [["上河村", 12], ["大坪村", 13]])
    with pytest.raises(HeaderNotFoundError, match=r"t\.xlsx.*Sheet1.*row 1.*cell B1"):
        read_ledger(path)


def test_sheets_that_are_not_ledgers_are_skipped_and_listed(tmp_path):
    path = lf.workbook(tmp_path, "t.xlsx", [["姓名", "村", "任职起始"], ["张小雄", "上河村", "2017-04"]])
    lf.long_xlsx(tmp_path)
    ledger = read_ledger(tmp_path)
    assert ledger.skipped[["file", "sheet", "status", "reason"]].values.tolist() == [
        [path.name, "Sheet1", "not_a_ledger", "a roster (花名册), not a ledger"]
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 truncated", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password"),
        (b"plain text", "not a zip"),
    ],
)
def test_unreadable_workbooks_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(LedgerFileError, match=rf"{message}.*file bad\.xlsx"):
        read_ledger(path)


def test_bad_arguments_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="unit"):
        read_ledger(lf.long_xlsx(tmp_path), unit="千克")
    with pytest.raises(LedgerFileError, match="no such file"):
        read_ledger(tmp_path / "missing.xlsx")


def test_without_a_register_villages_of_one_name_in_two_counties_are_kept_apart(tmp_path):
    path = lf.workbook(
        tmp_path,
        "t.xlsx",
        [
            ["年度", "县", "乡镇", "村", "科目", "金额（元）"],
            [2022, "汝城县", "土桥镇", "新村", "经营收入", 100],
            [2022, "宜章县", "梅田镇", "新村", "经营收入", 100],
            [2022, "宜章县", "梅田镇", "新村", "补助收入", 200],
            [2022, "", "", "新村", "其他收入", 300],
            [2022, "汝城县", "濠头乡", "上河村", "经营收入", 400],
            [2022, "汝城县", "", "上河村", "补助收入", 500],
        ],
    )
    ledger = read_ledger(path)
    accounts = ledger.accounts.set_index(["county", "village"])
    assert accounts.loc[("汝城县", "新村"), "operating_income"] == 100  # not a duplicate
    assert accounts.loc[("宜章县", "新村"), ["operating_income", "subsidy_income"]].tolist() == [100, 200]
    assert accounts.loc[("汝城县", "上河村"), "subsidy_income"] == 500  # one 上河村: one place
    ambiguous = reject(ledger, "village_ambiguous")
    assert ambiguous["cell"] == "F5" and "汝城县、宜章县" in ambiguous["reason"]
    assert ledger.duplicates.empty
    ledger.check_nothing_lost()
