"""Files made by hand the way offices make them, and what the table reader makes of each (issue 12).

Ported from two audits of the reader. Every workbook here is built cell by cell with openpyxl, and every CSV
byte by byte, in the test that uses it: nothing comes from the sample generator or the other tests' fixtures,
so each test shows the form it stands for. Amounts are asserted in yuan (20 in a 万元 table is 200,000).

Sections follow the issue: never silently wrong; forms; footers and totals; not a year's figures; messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import pandas as pd
import pytest
from openpyxl import Workbook

from villagecon import read_ledger
from villagecon.cli import EXIT_REJECTS, main
from villagecon.errors import LedgerFileError, UnitError, VillageconError

# --- helpers -------------------------------------------------------------------------------------------

COUNTY_HEADER = ["序号", "乡镇", "村名", "经营收入", "收入合计"]
WEB_PAGE = "<html><body><table><tr><td>村名</td></tr></table></body></html>"
SANZI_HEADER = ["组织编码", "组织名称", "会计年度", "会计期间", "科目编码", "科目名称", "本月发生额", "本年累计（元）"]


def xlsx(path, rows, merges=(), title="Sheet1"):
    """A one-sheet workbook: ``rows`` from row 1, a value per column from A; None leaves the cell empty."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def csv_file(path, rows, encoding="utf-8-sig", delimiter=","):
    """A CSV as a spreadsheet or a platform would save it: ``encoding`` and ``delimiter`` as given, CRLF lines."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def raw_folder(tmp_path):
    """A folder holding one ordinary table (下河村, 2022, in 元) for other files to sit beside."""
    folder = tmp_path / "raw"
    folder.mkdir()
    xlsx(
        folder / "ok.xlsx",
        [
            ["濠头乡2022年村级集体经济收入表"],
            [None, None, None, "单位：元"],
            ["序号", "村名", "经营收入", "补助收入"],
            [1, "下河村", 1000, 200],
        ],
    )
    return folder


def read(path, **kwargs):
    """read_ledger, and the invariant that every row has a kind and every amount cell ended somewhere."""
    ledger = read_ledger(path, **kwargs)
    ledger.check_nothing_lost()
    return ledger


def account(ledger, village, year):
    rows = ledger.accounts.loc[ledger.accounts["village"].eq(village) & ledger.accounts["year"].eq(year)]
    assert len(rows) == 1, f"expected one account row for {village} {year}, got {len(rows)}"
    return rows.iloc[0]


def kinds(ledger):
    """Row number → kind, for a ledger of one sheet."""
    return dict(zip(ledger.rows["row"], ledger.rows["kind"], strict=True))


def note_of(ledger, row):
    return ledger.rows.loc[ledger.rows["row"].eq(row), "note"].item()


def rejected(ledger):
    """(cell, problem) of every reject."""
    return set(zip(ledger.rejects["cell"], ledger.rejects["problem"], strict=True))


def entry_kinds(ledger):
    """(cell, kind, period, amount) of every entry."""
    return list(
        zip(
            ledger.entries["cell"],
            ledger.entries["kind"],
            ledger.entries["period"],
            ledger.entries["amount_yuan"],
            strict=True,
        )
    )


def notes(ledger):
    """Row → note, for the rows that have one."""
    found = ledger.rows.dropna(subset=["note"])
    return dict(zip(found["row"], found["note"], strict=True))


def skipped(ledger):
    """File → (status, reason) of every skipped sheet."""
    return {
        file: (status, reason)
        for file, status, reason in zip(
            ledger.skipped["file"], ledger.skipped["status"], ledger.skipped["reason"], strict=True
        )
    }


def two_units(path):
    return xlsx(
        path,
        [
            ["濠头乡2022年村级集体经济收入表（单位：元）"],
            [None, None, None, "单位：万元"],
            ["序号", "村名", "经营收入", "补助收入"],
            [1, "上河村", 20, 8.5],
        ],
    )


def trial_balance(path, date, lines):
    """科目余额表: 期初余额 | 本期发生额 | 期末余额, each over 借方 | 贷方."""
    rows = [
        ["科目余额表"],
        ["编制单位：华塘镇石门村股份经济合作社", None, None, date, None, "单位：元"],
        ["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "期末余额", None],
        [None, None, "借方", "贷方", "借方", "贷方", "借方", "贷方"],
        *lines,
    ]
    return xlsx(path, rows, merges=("A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:H3"), title="科目余额表")


def statement(path, heading, lines, title="Sheet1"):
    """收益及收益分配表 with 项目 | 行次 | ``heading``; ``lines`` are (label, amount)."""
    return xlsx(path, [*heading, *[[label, n, amount] for n, (label, amount) in enumerate(lines, 1)]], title=title)


# --- never silently wrong ------------------------------------------------------------------------------


def test_a_total_derived_from_parts_in_conflict_is_missing_not_zero(tmp_path):
    # Two files agree on 投资收益 (0) and 补助收入 and disagree on 经营收入: no part may stand in for it.
    folder = tmp_path / "raw"
    folder.mkdir()
    header = ["序号", "村名", "经营收入", "投资收益", "补助收入"]
    for file, operating in [("a.xlsx", 200000), ("b.xlsx", 180000)]:
        xlsx(
            folder / file,
            [["濠头乡2022年收入表"], [None] * 4 + ["单位：元"], header, [1, "上河村", operating, 0, 85000]],
        )
    ledger = read(folder)
    village = account(ledger, "上河村", 2022)
    assert village.investment_income == 0 and village.subsidy_income == 85000
    assert math.isnan(village.operating_income)
    assert math.isnan(village.total_income) and math.isnan(village.operational_income)
    assert village.written_totals == ""
    assert set(zip(ledger.rejects["source"], ledger.rejects["cell"], ledger.rejects["problem"], strict=True)) == {
        ("a.xlsx!Sheet1!4", "C4", "conflict"),
        ("b.xlsx!Sheet1!4", "C4", "conflict"),
    }
    assert sorted(ledger.duplicates["cell"]) == ["D4", "E4"]


def test_a_total_derived_over_an_unreadable_part_is_missing(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "k.xlsx",
            [
                ["2022年表"],
                [None, None, None, "单位：元"],
                ["序号", "村名", "经营收入", "补助收入"],
                [1, "上河村", "见附表", 50],
            ],
        )
    )
    village = account(ledger, "上河村", 2022)
    assert village.subsidy_income == 50
    assert math.isnan(village.operating_income) and math.isnan(village.total_income)
    assert rejected(ledger) == {("C4", "amount")}


def test_a_total_is_derived_only_when_the_table_has_a_column_for_every_part(tmp_path):
    every_part = read(
        xlsx(
            tmp_path / "all.xlsx",
            [
                ["2022年表"],
                [None] * 6 + ["单位：元"],
                ["序号", "村名", "经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入"],
                [1, "上河村", 100, 10, 1, 50, 5],
            ],
        )
    )
    village = account(every_part, "上河村", 2022)
    assert village.total_income == 166 and village.operational_income == 111
    assert village.written_totals == ""
    two_parts = read(
        xlsx(
            tmp_path / "two.xlsx",
            [
                ["2022年表"],
                [None, None, None, "单位：元"],
                ["序号", "村名", "经营收入", "补助收入"],
                [1, "上河村", 100, 50],
            ],
        )
    )
    village = account(two_parts, "上河村", 2022)
    assert village.operating_income == 100 and village.subsidy_income == 50
    assert math.isnan(village.total_income)
    assert two_parts.rejects.empty


def test_a_statement_with_a_blank_line_keeps_its_written_totals_and_derives_no_income_total(tmp_path):
    # 投资收益 is blank while 经营收益 and 本年收益 (written) include 15,000 of it: a total_income of the other
    # lines (235,000) would contradict the written 本年收益.
    lines = [
        ("一、经营收入", 100000),
        ("  加：发包及上交收入", 50000),
        ("      投资收益", None),
        ("  减：经营支出", 30000),
        ("      管理费用", 40000),
        ("二、经营收益", 95000),
        ("  加：补助收入", 80000),
        ("      其他收入", 5000),
        ("  减：其他支出", 2000),
        ("三、本年收益", 178000),
    ]
    heading = [["下河村2021年收益及收益分配表"], [None, None, "单位：元"], ["项目", "行次", "金额"]]
    ledger = read(statement(tmp_path / "下河村_2021.xlsx", heading, lines))
    village = account(ledger, "下河村", 2021)
    assert village.net_income == 178000 and village.operating_profit == 95000
    assert village.written_totals == "net_income, operating_profit"
    assert math.isnan(village.total_income) and math.isnan(village.operational_income)
    assert village.total_expense == 72000
    assert ledger.rejects.empty


def test_operating_profit_is_not_revenue_when_no_expense_is_known(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "桂东县.xlsx",
            [
                ["桂东县2021年村级集体经济收入"],
                [None, None, "单位：元"],
                ["序号", "村名", "经营性收入"],
                [1, "石洞村", 95000],
            ],
        )
    )
    village = account(ledger, "石洞村", 2021)
    assert village.operational_income == 95000 and village.written_totals == "operational_income"
    assert math.isnan(village.operating_profit)


def test_lines_of_a_long_ledger_with_a_summary_column_add_up(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "o.xlsx",
            [
                ["年度", "村名", "科目", "摘要", "金额（元）"],
                ["2022", "上河村", "经营收入", "光伏发电收益", 120000],
                ["2022", "上河村", "经营收入", "厂房租金", 80000],
                ["2022", "上河村", "补助收入", "村级运转经费", 85000],
            ],
        )
    )
    village = account(ledger, "上河村", 2022)
    assert village.operating_income == 200000 and village.subsidy_income == 85000
    # In a ledger of lines an income item without a line is 0: total_income can be derived. With no expense line
    # at all the ledger says nothing of expenses: total_expense, net_income and operating_profit stay unknown.
    assert village.total_income == 285000
    assert math.isnan(village.total_expense) and math.isnan(village.net_income)
    assert math.isnan(village.operating_profit)
    assert ledger.rejects.empty and ledger.duplicates.empty and ledger.repeated_lines.empty


def test_dated_ledger_lines_of_one_item_add_up_without_duplicate_or_conflict(tmp_path):
    # Two equal 承包费 receipts are 20,000 (not one duplicate); two different 补助 receipts are no conflict.
    ledger = read(
        csv_file(
            tmp_path / "金山村_收支明细.csv",
            [
                ["日期", "乡镇", "村", "摘要", "科目", "收入（元）", "支出（元）"],
                ["2022-03-05", "土桥镇", "金山村", "一季度承包费", "发包及上交收入", "10000", ""],
                ["2022-09-05", "土桥镇", "金山村", "三季度承包费", "发包及上交收入", "10000", ""],
                ["2022-04-03", "土桥镇", "金山村", "运转经费", "补助收入", "30000", ""],
                ["2022-10-03", "土桥镇", "金山村", "运转经费", "补助收入", "20000", ""],
            ],
        )
    )
    village = account(ledger, "金山村", 2022)
    assert village.township == "土桥镇"
    assert village.contract_income == 20000 and village.subsidy_income == 50000 and village.total_income == 70000
    assert ledger.rejects.empty and ledger.duplicates.empty and ledger.repeated_lines.empty


def test_an_item_with_a_rejected_line_is_unknown_not_the_sum_of_the_lines_left(tmp_path):
    ledger = read(
        csv_file(
            tmp_path / "明细.csv",
            [
                ["日期", "乡镇", "村", "摘要", "科目", "收入（元）", "支出（元）"],
                ["2022-04-01", "土桥镇", "金山村", "光伏发电", "经营收入", "3000", ""],
                ["2022-05-01", "土桥镇", "金山村", "光伏发电", "经营收入", "四千?", ""],
                ["2022-04-03", "土桥镇", "金山村", "运转经费", "补助收入", "30000", ""],
            ],
        )
    )
    village = account(ledger, "金山村", 2022)
    assert math.isnan(village.operating_income) and math.isnan(village.total_income)
    assert village.subsidy_income == 30000
    assert list(zip(ledger.rejects["cell"], ledger.rejects["problem"], strict=True)) == [("F3", "amount")]
    assert entry_kinds(ledger) == [("F2", "line", "2022-04-01", 3000), ("F4", "line", "2022-04-03", 30000)]


def test_identical_lines_of_a_ledger_are_counted_and_listed_for_review(tmp_path):
    ledger = read(
        csv_file(
            tmp_path / "明细.csv",
            [
                ["日期", "乡镇", "村", "摘要", "科目", "收入（元）", "支出（元）"],
                ["2022-03-05", "土桥镇", "金山村", "承包费", "发包及上交收入", "10000", ""],
                ["2022-03-05", "土桥镇", "金山村", "承包费", "发包及上交收入", "10000", ""],
                ["2022-04-03", "土桥镇", "金山村", "运转经费", "补助收入", "30000", ""],
            ],
        )
    )
    assert account(ledger, "金山村", 2022).contract_income == 20000
    assert ledger.repeated_lines.to_dict(orient="records") == [
        {"source": "明细.csv!!3", "cell": "F3", "amount_yuan": 10000.0, "repeats": "明细.csv!!2"}
    ]
    assert ledger.rejects.empty and ledger.duplicates.empty


def test_a_townships_own_accounts_are_no_villages(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "n.xlsx",
            [
                ["汝城县2022年表"],
                [None, None, None, "单位：元"],
                ["序号", "单位名称", "经营收入", "补助收入"],
                [1, "郴州市汝城县濠头乡上河村股份经济合作社", 1000, 100],
                [2, "城郊乡本级", 1006, 106],
                [3, "郴州市汝城县濠头乡经济联合社", 1000, 100],
                [4, "濠头乡机关", 1007, 107],
            ],
        )
    )
    assert set(ledger.accounts["village"]) == {"上河村"}
    village = account(ledger, "上河村", 2022)
    assert (village.county, village.township, village.operating_income) == ("汝城县", "濠头乡", 1000)
    for row, name in [(5, "城郊乡本级"), (6, "郴州市汝城县濠头乡经济联合社"), (7, "濠头乡机关")]:
        assert kinds(ledger)[row] == "other"
        assert note_of(ledger, row) == f"{name} is a township's own organisation, not a village: its row is not read"
    assert ledger.rejects.empty and ledger.subtotals.empty


def test_zhen_benji_under_a_village_or_community_header_is_no_village(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "清泉镇.xlsx",
            [
                ["2022年清泉镇村级集体经济收入"],
                [],
                ["序号", "村（社区）", "经营性收入（万元）"],
                [1, "石洞村", 9.5],
                [2, "镇本级", 30.0],
            ],
        )
    )
    assert set(ledger.accounts["village"]) == {"石洞村"}
    assert account(ledger, "石洞村", 2022).operational_income == 95000
    assert kinds(ledger)[5] == "other"
    assert "镇本级 is a township's own organisation" in note_of(ledger, 5)


def test_villagers_groups_in_a_sanzi_export_are_no_villages(tmp_path):
    ledger = read(
        csv_file(
            tmp_path / "三资_组.csv",
            [
                ["组织编码", "组织名称", "会计年度", "科目编码", "科目名称", "本年累计（元）"],
                ["431002105201000", "郴州市北湖区华塘镇塔水村股份经济合作社", "2022", "501", "经营收入", "86000.00"],
                [
                    "431002105201001",
                    "郴州市北湖区华塘镇塔水村第一村民小组股份经济合作社",
                    "2022",
                    "511",
                    "发包及上交收入",
                    "12000.00",
                ],
                ["431002105201003", "郴州市北湖区华塘镇塔水村三组", "2022", "501", "经营收入", "3000.00"],
            ],
            encoding="gbk",
        )
    )
    assert set(ledger.accounts["village"]) == {"塔水村"}
    village = account(ledger, "塔水村", 2022)
    assert (village.county, village.township) == ("北湖区", "华塘镇")
    assert village.operating_income == 86000 and village.total_income == 86000
    assert kinds(ledger)[3] == kinds(ledger)[4] == "other"
    assert "塔水村第一村民小组股份经济合作社 is a villagers' group below a village" in note_of(ledger, 3)
    assert "塔水村三组 is a villagers' group below a village" in note_of(ledger, 4)


def test_two_units_above_a_table_are_an_error_naming_both(tmp_path):
    with pytest.raises(UnitError) as error:
        read_ledger(two_units(tmp_path / "u.xlsx"))
    message = str(error.value)
    assert "two units" in message and "元 ('濠头乡2022年村级集体经济收入表（单位：元）')" in message
    assert "万元 ('单位：万元')" in message and "file u.xlsx" in message


def test_two_units_above_a_table_in_a_folder_skip_the_sheet_as_unreadable(tmp_path):
    folder = raw_folder(tmp_path)
    two_units(folder / "u.xlsx")
    ledger = read(folder)
    assert set(ledger.accounts["village"]) == {"下河村"}
    status, reason = skipped(ledger)["u.xlsx"]
    assert status == "unreadable"
    assert "two units" in reason and "（单位：元）" in reason and "单位：万元" in reason


def test_a_village_sheet_filled_by_its_township_is_read_as_the_village(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "清泉镇统计表.xlsx",
            [
                ["村集体经济组织收益分配统计表"],
                ["填报单位：清泉镇", None, "2022年"],
                ["指标名称", "代码", "计量单位", "本年数"],
                ["甲", "乙", "丙", 1],
                ["  1.经营收入", 2, "万元", 10],
            ],
            title="桥头村",
        )
    )
    village = account(ledger, "桥头村", 2022)
    assert (village.township, village.operating_income) == ("清泉镇", 100000)
    assert ledger.subtotals.empty and ledger.rejects.empty


def test_a_bianzhi_danwei_that_disagrees_with_the_sheet_name_wins_with_a_note(tmp_path):
    heading = [
        ["收益及收益分配表"],
        ["编制单位：土桥镇金山村村民委员会", "2022年度", "单位：元"],
        ["项目", "行次", "金额"],
    ]
    ledger = read(statement(tmp_path / "x.xlsx", heading, [("一、经营收入", 44444)], title="上河村"))
    assert set(ledger.accounts["village"]) == {"金山村"}
    assert account(ledger, "金山村", 2022).operating_income == 44444
    assert note_of(ledger, 3) == "the sheet name says 上河村, the 编制单位 line says 金山村: 金山村 is used"


def test_a_month_in_the_file_name_gives_no_data_year(tmp_path):
    # '2023年1月报送' is when the file was sent, not the year of its figures: with no other year, they are rejected.
    ledger = read(
        xlsx(
            tmp_path / "濠头乡2023年1月报送.xlsx",
            [
                ["濠头乡村级集体经济收入统计表"],
                [None, None, None, "单位：元"],
                ["序号", "村名", "经营收入", "补助收入"],
                [1, "上河村", 200, 85],
            ],
        )
    )
    assert ledger.accounts.empty and ledger.entries.empty
    assert rejected(ledger) == {("C4", "year"), ("D4", "year")}
    assert ledger.rejects["reason"].str.startswith("no year found").all()


def test_a_tab_separated_csv_in_a_folder_is_read_with_the_rest(tmp_path):
    folder = raw_folder(tmp_path)
    text = "年度\t村名\t科目\t金额（元）\r\n2022\t上河村\t经营收入\t200000\r\n"
    (folder / "tab.csv").write_bytes(text.encode("utf-16"))
    ledger = read(folder)
    assert account(ledger, "上河村", 2022).operating_income == 200000
    assert account(ledger, "下河村", 2022).operating_income == 1000
    assert ledger.skipped.empty and ledger.rejects.empty


# --- forms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-16", "\t"), ("utf-8", "\t"), ("utf-8", ";"), ("utf-16", ";"), ("gbk", "\t")]
)
def test_a_tab_or_semicolon_separated_csv_is_read_like_a_comma_csv(tmp_path, encoding, delimiter):
    rows = [
        ["年度", "村名", "科目", "金额（元）"],
        ["2022", "上河村", "经营收入", "200000"],
        ["2022", "上河村", "补助收入", "85000"],
    ]
    comma = read(csv_file(tmp_path / "comma.csv", rows))
    other = read(csv_file(tmp_path / "other.csv", rows, encoding=encoding, delimiter=delimiter))
    village = account(other, "上河村", 2022)
    assert village.operating_income == 200000 and village.subsidy_income == 85000
    assert other.accounts.equals(comma.accounts)
    assert other.rejects.empty and other.skipped.empty


def test_a_cash_book_adds_its_lines_and_keeps_monthly_totals_apart(tmp_path):
    rows = [
        ["汝城县濠头乡上河村2022年收支明细账"],
        [None] * 6 + ["单位：元"],
        ["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额"],
        [dt.date(2022, 1, 5), "记1", "收到光伏发电收益", "经营收入", 12000, "—", 12000],
        [dt.date(2022, 1, 20), "记2", "支付办公用品", "管理费用", "—", 800, 11200],
        [dt.date(2022, 1, 31), None, "本月合计", None, 12000, 800, 11200],
        [dt.date(2022, 6, 15), "记3", "收到光伏发电收益", "经营收入", 15000, "—", 26200],
        [dt.date(2022, 6, 30), None, "本月合计", None, 15000, 0, 26200],
        [dt.date(2022, 6, 30), None, "本年累计", None, 27000, 800, 26200],
    ]
    ledger = read(xlsx(tmp_path / "j.xlsx", rows))
    village = account(ledger, "上河村", 2022)
    assert (village.county, village.township) == ("汝城县", "濠头乡")
    assert village.operating_income == 27000 and village.admin_expense == 800 and village.net_income == 26200
    assert ledger.rejects.empty and ledger.duplicates.empty
    assert [kinds(ledger)[row] for row in (4, 5, 6, 7, 8, 9)] == [
        "data",
        "data",
        "subtotal",
        "data",
        "subtotal",
        "subtotal",
    ]
    assert sorted(ledger.entries["cell"]) == ["E4", "E7", "F5"]
    assert ledger.subtotals.set_index("cell").loc["E9", "amount_yuan"] == 27000
    meanings = dict(zip(ledger.columns["header"], ledger.columns["meaning"], strict=True))
    assert meanings["凭证号"].startswith("left out") and meanings["余额"].startswith("left out")


def test_a_qizhong_column_under_its_item_is_a_detail_of_it(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "m.xlsx",
            [
                ["2022年表"],
                [None] * 5 + ["单位：元"],
                ["序号", "村名", "经营收入", None, "补助收入", "收入合计"],
                [None, None, "小计", "其中：光伏收入", None, None],
                [1, "上河村", 200000, 120000, 85000, 285000],
            ],
            merges=["C3:D3", "A3:A4", "B3:B4", "E3:E4", "F3:F4"],
        )
    )
    village = account(ledger, "上河村", 2022)
    assert village.operating_income == 200000 and village.total_income == 285000
    detail = ledger.entries.loc[ledger.entries["cell"].eq("D5")].iloc[0]
    assert (detail["item"], detail["detail"], detail["amount_yuan"]) == ("operating_income", "光伏收入", 120000)
    assert ledger.rejects.empty


def test_a_zhen_jiedao_column_is_the_township(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "z.xlsx",
            [
                ["资兴市2023年村级集体经济收入情况表（单位：千元）"],
                ["序号", "镇（街道）", "村", "经营收入", "合计"],
                [1, "唐洞街道", "石鼓村", 125.4, 191.0],
            ],
        )
    )
    village = account(ledger, "石鼓村", 2023)
    assert (village.county, village.township, village.operating_income) == ("资兴市", "唐洞街道", 125400)
    assert ledger.columns.set_index("column").loc["B", "meaning"] == "township"
    assert ledger.rejects.empty


def test_a_2024_statement_deducts_tax_and_surcharges_from_operating_profit(tmp_path):
    lines = [
        ("一、经营收入", 300000),
        ("减：经营支出", 100000),
        ("    税金及附加", 5000),
        ("    管理费用", 60000),
        ("加：投资收益", 20000),
        ("二、经营收益", 155000),
        ("加：补助收入", 80000),
        ("    其他收入", 10000),
        ("减：公益支出", 15000),
        ("    其他支出", 2000),
        ("三、收益总额", 228000),
        ("减：所得税费用", 0),
        ("四、净收益", 228000),
    ]
    heading = [
        ["收益及收益分配表"],
        ["编制单位：宜章县梅田镇白石村股份经济合作社", "2024年度", "单位：元"],
        ["项目", "行次", "本年金额"],
    ]
    ledger = read(statement(tmp_path / "s.xlsx", heading, lines, title="白石村"))
    village = account(ledger, "白石村", 2024)
    assert (village.county, village.township) == ("宜章县", "梅田镇")
    assert village.operating_profit == 155000 and village.tax_and_surcharges == 5000
    assert village.total_income == 410000 and village.total_expense == 182000 and village.net_income == 228000
    assert village.written_totals == "net_income, operating_profit"
    assert ledger.entries.set_index("cell").loc["C14", "item"] == "profit_before_tax"
    assert ledger.rejects.empty


def test_a_2024_operating_profit_written_with_tax_is_no_mismatch(tmp_path):
    lines = [
        ("一、经营收入", 300000),
        ("  减：经营支出", 100000),
        ("      税金及附加", 5000),
        ("      管理费用", 90000),
        ("  加：投资收益", 25000),
        ("二、经营收益", 130000),
    ]
    ledger = read(
        statement(
            tmp_path / "上河村_2024.xlsx",
            [
                ["收益及收益分配表"],
                ["编制单位：上河村股份经济合作社", "2024年度", "单位：元"],
                ["项目", "行次", "本年金额"],
            ],
            lines,
        )
    )
    assert account(ledger, "上河村", 2024).operating_profit == 130000
    assert ledger.rejects.empty


def test_shouyi_zonge_of_the_2024_statement_is_profit_before_tax(tmp_path):
    ledger = read(
        statement(
            tmp_path / "x.xlsx",
            [["上河村2024年收益及收益分配表"], [None, None, "单位：元"], ["项目", "行次", "金额"]],
            [("三、收益总额", 201000)],
        )
    )
    entry = ledger.entries.iloc[0]
    assert (len(ledger.entries), entry["item"], entry["year"], entry["amount_yuan"]) == (
        1,
        "profit_before_tax",
        2024,
        201000,
    )
    assert ledger.rejects.empty


def test_a_jian_prefix_with_numbering_is_a_distribution_line(tmp_path):
    ledger = read(
        statement(
            tmp_path / "s.xlsx",
            [["上河村2022年收益及收益分配表"], [None, None, "单位：元"], ["项目", "行次", "金额"]],
            [("五、可分配收益", 295000), ("  减：1.提取公积公益金", 50000)],
        )
    )
    items = dict(zip(ledger.entries["item"], ledger.entries["amount_yuan"], strict=True))
    assert items == {"distributable_income": 295000, "reserve_appropriation": 50000}
    assert math.isnan(account(ledger, "上河村", 2022).net_income)
    assert ledger.rejects.empty


def test_a_sanzi_exports_december_column_is_kept_as_decembers_and_not_the_years(tmp_path):
    ledger = read(
        csv_file(
            tmp_path / "n.csv",
            [
                ["组织名称", "会计年度", "会计期间", "科目编码", "科目名称", "本期发生额", "本年累计（元）"],
                ["郴州市汝城县濠头乡上河村股份经济合作社", "2023", "12", "501", "经营收入", "30000.00", "420000.00"],
            ],
            encoding="gbk",
        )
    )
    village = account(ledger, "上河村", 2023)
    assert (village.county, village.township, village.operating_income) == ("汝城县", "濠头乡", 420000)
    assert entry_kinds(ledger) == [("F2", "part_year", "2023-12", 30000), ("G2", "annual", "2023", 420000)]
    assert ledger.columns.set_index("column").loc["F", "meaning"] == "part of the year: amounts"
    assert ledger.tables["unit_source"].tolist() == ["the other amount columns' headers"]
    assert ledger.rejects.empty and ledger.part_years.empty


def test_a_statistics_form_headed_shuliang_is_read(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "泥洲村.xlsx",
            [
                ["村集体经济组织收益分配"],
                ["填报单位：桂东县清泉镇泥洲村", None, "2020年"],
                ["指标名称", "代码", "计量单位", "数量"],
                ["甲", "乙", "丙", 1],
                ["  1.经营收入", 2, "万元", 4.0],
            ],
        )
    )
    village = account(ledger, "泥洲村", 2020)
    assert (village.county, village.township, village.operating_income) == ("桂东县", "清泉镇", 40000)
    assert kinds(ledger)[4] == "numbering"
    assert ledger.rejects.empty


def test_a_balance_sheet_headed_shangnian_nianmo_yue_gives_the_year_before(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "黄家村_bs.xlsx",
            [
                ["资产负债表"],
                ["编制单位：土桥镇黄家村股份经济合作社", None, "2024年12月31日", "单位：元"],
                ["资产", "行次", "期末余额", "上年年末余额"],
                ["资产总计", 30, 600000, 500000],
            ],
        )
    )
    assert account(ledger, "黄家村", 2024).assets == 600000
    assert account(ledger, "黄家村", 2023).assets == 500000
    assert ledger.rejects.empty


def test_income_expense_and_balance_per_village_are_its_totals(tmp_path):
    # 村名 | 收入 | 支出 | 结余, no 科目 column: a summary of villages, not a cash journal.
    ledger = read(
        xlsx(
            tmp_path / "收支.xlsx",
            [
                ["濠头乡2022年村级集体经济收支情况"],
                [None, None, None, None, "单位：元"],
                ["序号", "村名", "收入", "支出", "结余"],
                [1, "上河村", 405000, 185000, 220000],
            ],
        )
    )
    village = account(ledger, "上河村", 2022)
    assert (village.total_income, village.total_expense, village.net_income) == (405000, 185000, 220000)
    assert ledger.rejects.empty


def test_a_village_written_once_over_its_year_rows_owns_the_rows_under_it(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "历年.xlsx",
            [
                ["濠头乡村级集体经济收入"],
                [None, None, None, "单位：元"],
                ["村名", "年度", "经营收入", "补助收入"],
                ["上河村", 2021, 120000, 80000],
                [None, 2022, 320000, 85000],
                ["林源村", 2021, 1000, 2000],
                [None, 2021, 5000, 6000],
            ],
        )
    )
    assert account(ledger, "上河村", 2022).operating_income == 320000
    assert note_of(ledger, 5) == "the 村 cell is empty under 上河村 (row 4): read as its"
    # A year the village already has is no continuation of it: the row names no village.
    assert account(ledger, "林源村", 2021).operating_income == 1000
    assert rejected(ledger) == {("C7", "village_missing"), ("D7", "village_missing")}


def test_townships_written_over_their_villages_across_place_each_village(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "汝城县.xlsx",
            [
                ["汝城县2022年村级集体经济收入（单位：元）"],
                ["项目", "濠头乡", None, "土桥镇"],
                [None, "上河村", "林源村", "上河村"],
                ["经营收入", 200000, 30000, 12000],
            ],
            merges=["B2:C2", "A2:A3"],
        )
    )
    incomes = ledger.accounts.set_index(["township", "village"])["operating_income"].to_dict()
    assert incomes == {("濠头乡", "上河村"): 200000, ("濠头乡", "林源村"): 30000, ("土桥镇", "上河村"): 12000}
    assert ledger.columns["meaning"].tolist()[1:] == [
        "amounts of 濠头乡上河村",
        "amounts of 濠头乡林源村",
        "amounts of 土桥镇上河村",
    ]
    assert ledger.rejects.empty


# --- footers and totals --------------------------------------------------------------------------------


def test_subtotal_labels_in_the_village_column_are_no_villages_with_the_township_merged_or_written(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "t.xlsx",
            [
                ["汝城县2022年村级集体经济收入"],
                [None, None, None, None, "单位：万元"],
                COUNTY_HEADER,
                [1, "濠头乡", "上河村", 20, 34.5],
                [2, None, "下河村", 7.4, 13],
                [None, None, "小计", 27.4, 47.5],
                [3, "土桥镇", "金山村", 4, 8],
                [None, "土桥镇", "小计", 4, 8],
                ["合计", None, None, 31.4, 55.5],
            ],
            merges=["B4:B6"],
        )
    )
    assert set(ledger.accounts["village"]) == {"上河村", "下河村", "金山村"}
    assert account(ledger, "下河村", 2022).township == "濠头乡"
    assert account(ledger, "下河村", 2022).operating_income == 74000
    assert [kinds(ledger)[row] for row in (6, 8, 9)] == ["subtotal"] * 3
    subtotals = ledger.subtotals.set_index("cell")
    assert subtotals.loc[["D6", "D8", "D9"], "amount_yuan"].tolist() == [274000, 40000, 314000]
    assert (ledger.subtotals["status"] == "ok").all() and len(ledger.subtotals) == 6
    assert ledger.rejects.empty


@pytest.mark.parametrize("label", ["村均", "平均"])
def test_an_average_row_is_no_village(tmp_path, label):
    ledger = read(
        xlsx(
            tmp_path / "c.xlsx",
            [
                ["汝城县濠头乡2022年村级集体经济收入"],
                [None, None, None, None, "单位：万元"],
                COUNTY_HEADER,
                [1, "濠头乡", "上河村", 20, 34.5],
                [2, "濠头乡", "下河村", 7.4, 13],
                [None, None, label, 13.7, 23.75],
            ],
        )
    )
    assert set(ledger.accounts["village"]) == {"上河村", "下河村"}
    assert kinds(ledger)[6] == "other"
    assert note_of(ledger, 6) == f"{label} is an average, not a village: its row is not read"
    assert ledger.subtotals.empty and ledger.rejects.empty


@pytest.mark.parametrize("label", ["其中：脱贫村", "累计"])
def test_a_subset_or_running_total_row_is_a_subtotal(tmp_path, label):
    ledger = read(
        xlsx(
            tmp_path / "c.xlsx",
            [
                ["汝城县濠头乡2022年村级集体经济收入"],
                [None, None, None, None, "单位：万元"],
                COUNTY_HEADER,
                [1, "濠头乡", "上河村", 20, 34.5],
                [2, "濠头乡", "下河村", 7.4, 13],
                [None, None, label, 13.7, 23.75],
            ],
        )
    )
    assert set(ledger.accounts["village"]) == {"上河村", "下河村"}
    assert kinds(ledger)[6] == "subtotal"
    assert ledger.subtotals.set_index("cell").loc[["D6", "E6"], "amount_yuan"].tolist() == [137000, 237500]
    assert ledger.rejects.empty


@pytest.mark.parametrize(
    "footer",
    [
        ["联系人：", "王五", None, "联系电话：", 13807356789],
        ["填表人：", "张三", None, "报出日期：", dt.datetime(2023, 1, 15)],
        ["统计员：", "王五", None, "电话：", 13807356789],
        [None, None, None, "电话", "0735-2288123"],
    ],
    ids=["联系人", "填表人", "统计员", "电话"],
)
def test_a_footer_under_the_amount_columns_is_a_note_and_books_nothing(tmp_path, footer):
    ledger = read(
        xlsx(
            tmp_path / "f.xlsx",
            [
                ["2022年表"],
                [None, None, None, None, "单位：元"],
                ["序号", "乡镇", "村名", "经营收入", "补助收入"],
                [1, "濠头乡", "上河村", 200, 85],
                [],
                footer,
            ],
        )
    )
    assert kinds(ledger)[6] == "note"
    assert set(ledger.accounts["village"]) == {"上河村"}
    assert sorted(ledger.entries["amount_yuan"]) == [85, 200]
    assert ledger.subtotals.empty and ledger.rejects.empty


def test_a_public_notice_footer_is_a_note(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "金山村_2022年度财务公开.xlsx",
            [
                ["金山村2022年度财务公开榜"],
                [None, None, "单位：元"],
                ["收入项目", "金额"],
                ["经营收入", 9000],
                [],
                ["村务监督委员会意见：", "监督小组签字：", "公开日期：2023年1月10日"],
            ],
        )
    )
    assert kinds(ledger)[6] == "note"
    assert account(ledger, "金山村", 2022).operating_income == 9000
    assert ledger.rejects.empty


def test_a_month_total_in_the_summary_column_of_a_cash_ledger_is_a_subtotal(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "金山村_明细账.xlsx",
            [
                ["金山村2022年收支明细账"],
                [None, None, None, None, "单位：元"],
                ["日期", "摘要", "科目", "收入", "支出"],
                [dt.date(2022, 1, 5), "承包费", "发包及上交收入", 12000, None],
                [None, "本月合计", None, 12000, None],
            ],
        )
    )
    assert kinds(ledger)[5] == "subtotal"
    assert account(ledger, "金山村", 2022).contract_income == 12000
    assert ledger.subtotals.set_index("cell").loc["D5", "amount_yuan"] == 12000
    assert ledger.rejects.empty


def test_a_quanzhen_heji_column_is_reconciled_as_a_subtotal(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "清泉镇.xlsx",
            [
                ["2022年村集体经济组织收益分配统计表"],
                [None, None, None, None, "单位：万元"],
                ["指标名称", "代码", "全镇合计", "石洞村", "泥洲村"],
                ["1.经营收入", 2, 25, 20, 5],
            ],
        )
    )
    assert account(ledger, "石洞村", 2022).operating_income == 200000
    assert account(ledger, "泥洲村", 2022).operating_income == 50000
    total = ledger.subtotals.iloc[0]
    assert (len(ledger.subtotals), total["cell"], total["amount_yuan"], total["parts_sum"], total["status"]) == (
        1,
        "C4",
        250000,
        250000,
        "ok",
    )
    assert ledger.rejects.empty


def test_an_instruction_sheet_holding_a_phone_number_is_not_a_ledger(tmp_path):
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"], notes["A2"], notes["A3"], notes["B3"] = "填表说明", "1.金额单位为万元。", "2.联系电话：", 13807351234
    data = wb.create_sheet("数据")
    for row in [
        ["2022年表"],
        [None, None, None, "单位：万元"],
        ["序号", "村名", "经营收入", "补助收入"],
        [1, "上河村", 20, 8.5],
    ]:
        data.append(row)
    wb.save(tmp_path / "p.xlsx")
    ledger = read(tmp_path / "p.xlsx")
    assert ledger.skipped[["sheet", "status"]].values.tolist() == [["填表说明", "not_a_ledger"]]
    assert account(ledger, "上河村", 2022).operating_income == 200000


# --- not a year's figures ------------------------------------------------------------------------------

PART_YEAR_TITLES = [
    "濠头乡2022年上半年村级集体经济收入情况",
    "濠头乡截至2022年6月底村级集体经济收入情况",
    "濠头乡2023年村级集体经济收入预算表",
]


def part_year_sheets(folder):
    """File name → the title or date line that makes its sheet no year's actual figures."""
    for n, title in enumerate(PART_YEAR_TITLES):
        xlsx(
            folder / f"q{n}.xlsx",
            [[title], [None, None, "单位：元"], ["村名", "经营收入", "补助收入"], ["上河村", 200, 85]],
        )
    xlsx(
        folder / "公开榜.xlsx",
        [
            ["濠头乡上河村2022年第三季度财务公开榜"],
            [None, None, "单位：元"],
            ["项目", "本期数", "本年累计数"],
            ["经营收入", 50000, 150000],
        ],
    )
    xlsx(
        folder / "预算.xlsx",
        [
            ["黄家村2023年度财务收支预算表"],
            [None, None, "单位：元"],
            ["项目", "行次", "金额"],
            ["经营收入", 1, 30000],
            ["补助收入", 2, 120000],
        ],
    )
    xlsx(
        folder / "石洞村_收益表.xlsx",
        [
            ["收益及收益分配表"],
            ["编制单位：清泉镇石洞村", "2022年6月30日", None, "单位：元"],
            ["项目", "行次", "本年累计数", "上年同期数"],
            ["一、经营收入", 1, 60000, 50000],
        ],
    )
    return {
        **{f"q{n}.xlsx": title for n, title in enumerate(PART_YEAR_TITLES)},
        "公开榜.xlsx": "濠头乡上河村2022年第三季度财务公开榜",
        "预算.xlsx": "黄家村2023年度财务收支预算表",
        "石洞村_收益表.xlsx": "2022年6月30日",
    }


@pytest.mark.parametrize(
    ("file", "read_as"),
    [
        ("q0.xlsx", [("B4", "part_year", "2022-01/2022-06", 200), ("C4", "part_year", "2022-01/2022-06", 85)]),
        ("q1.xlsx", [("B4", "part_year", "2022-01/2022-06", 200), ("C4", "part_year", "2022-01/2022-06", 85)]),
        ("q2.xlsx", [("B4", "budget", "2023", 200), ("C4", "budget", "2023", 85)]),
        (
            "公开榜.xlsx",
            [("B4", "part_year", "2022-07/2022-09", 50000), ("C4", "part_year", "2022-01/2022-09", 150000)],
        ),
        ("预算.xlsx", [("C4", "budget", "2023", 30000), ("C5", "budget", "2023", 120000)]),
        (
            "石洞村_收益表.xlsx",
            [("C4", "part_year", "2022-01/2022-06", 60000), ("D4", "part_year", "2021-01/2021-06", 50000)],
        ),
    ],
)
def test_a_part_year_or_budget_sheet_is_kept_as_what_it_is_and_never_the_years_figure(tmp_path, file, read_as):
    part_year_sheets(tmp_path)
    ledger = read(tmp_path / file)
    assert entry_kinds(ledger) == read_as
    assert ledger.accounts.empty and ledger.rejects.empty and ledger.skipped.empty
    part_year = read_as[0][1] == "part_year"
    assert len(ledger.part_years) == (
        len({p for _, _, p, _ in read_as}) if file == "石洞村_收益表.xlsx" else int(part_year)
    )


def test_part_year_and_budget_sheets_in_a_folder_give_no_accounts_and_say_which_village_years(tmp_path):
    folder = raw_folder(tmp_path)
    part_year_sheets(folder)
    ledger = read(folder)
    assert set(ledger.accounts["village"]) == {"下河村"}
    assert account(ledger, "下河村", 2022).operating_income == 1000
    assert ledger.skipped.empty
    assert ledger.part_years[["village", "year", "periods"]].values.tolist() == [
        ["上河村", 2022, "2022-01/2022-06, 2022-01/2022-09, 2022-07/2022-09"],
        ["石洞村", 2022, "2022-01/2022-06"],
        ["石洞村", 2021, "2021-01/2021-06"],
    ]
    budgets = ledger.entries.loc[ledger.entries["kind"].eq("budget")]
    assert sorted(set(budgets["village"])) == ["上河村", "黄家村"] and len(budgets) == 4
    printed = ledger.summary()
    assert (
        "not a year's actuals (in entries, not in accounts): 4 budget amounts, 8 amounts of part of a year" in printed
    )
    assert "village-years with only part of a year (no accounts row): 3: 上河村 2022 (2022-01/2022-06, " in printed


def test_strict_clean_exits_1_when_a_village_year_has_only_part_of_a_year(tmp_path, capsys):
    folder = raw_folder(tmp_path)
    xlsx(
        folder / "q.xlsx",
        [[PART_YEAR_TITLES[0]], [None, None, "单位：元"], ["村名", "经营收入", "补助收入"], ["上河村", 200, 85]],
    )
    assert main(["clean", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert main(["clean", str(folder), "--out", str(tmp_path / "strict"), "--strict"]) == EXIT_REJECTS == 1
    printed = capsys.readouterr().out
    assert "1 village-year(s) have only part of a year's figures and are not in the accounts" in printed
    manifest = json.loads((tmp_path / "strict" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["part_years"] == [
        {
            "county": None,
            "township": "濠头乡",
            "village": "上河村",
            "village_code": None,
            "year": 2022,
            "periods": "2022-01/2022-06",
        }
    ]
    assert manifest["skipped_sheets"] == []


def test_a_budget_execution_table_is_read_as_the_years_actuals(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "决算.xlsx",
            [
                ["龙虎村2023年度财务收支预算执行情况表"],
                [None, None, "单位：元"],
                ["项目", "行次", "金额"],
                ["经营收入", 1, 30000],
                ["补助收入", 2, 120000],
            ],
        )
    )
    village = account(ledger, "龙虎村", 2023)
    assert village.operating_income == 30000 and village.subsidy_income == 120000
    assert ledger.skipped.empty and ledger.rejects.empty


@pytest.mark.parametrize(
    ("date", "line"),
    [
        ("2022年12月", ("321", "本年收益", None, None, 70000, 40000, 30000, None)),
        ("2022年1月至6月", ("501", "经营收入", None, None, None, 26000, None, 26000)),
    ],
    ids=["year-end loss", "half year"],
)
def test_a_trial_balance_is_named_and_not_read(tmp_path, date, line):
    with pytest.raises(VillageconError) as error:
        read_ledger(trial_balance(tmp_path / "石门村_科目余额表.xlsx", date, [line]))
    assert "trial balance" in str(error.value) and "unreadable" in str(error.value)
    folder = raw_folder(tmp_path)
    trial_balance(folder / "石门村_科目余额表.xlsx", date, [line])
    ledger = read(folder)
    assert set(ledger.accounts["village"]) == {"下河村"}
    status, reason = skipped(ledger)["石门村_科目余额表.xlsx"]
    assert status == "unreadable" and reason.startswith("a trial balance (科目余额表: 借方 and 贷方 balances)")


def test_a_sanzi_export_before_december_is_kept_as_the_months_so_far_and_december_read(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    tashui, shimen = "郴州市北湖区华塘镇塔水村股份经济合作社", "郴州市北湖区华塘镇石门村股份经济合作社"
    csv_file(
        folder / "三资_6月.csv",
        [
            SANZI_HEADER,
            ["431002105201", tashui, "2022", "6", "501", "经营收入", "6000.00", "86000.00"],
            ["431002105201", tashui, "2022", "6", "522", "补助收入", "0", "50000.00"],
        ],
        encoding="gbk",
    )
    csv_file(
        folder / "三资_12月.csv",
        [SANZI_HEADER, ["431002105202", shimen, "2022", "12", "501", "经营收入", "6000.00", "120000.00"]],
        encoding="gbk",
    )
    ledger = read(folder)
    assert set(ledger.accounts["village"]) == {"石门村"}
    assert account(ledger, "石门村", 2022).operating_income == 120000
    assert entry_kinds(ledger) == [
        ("G2", "part_year", "2022-12", 6000),
        ("H2", "annual", "2022", 120000),
        ("G2", "part_year", "2022-06", 6000),
        ("H2", "part_year", "2022-01/2022-06", 86000),
        ("G3", "part_year", "2022-06", 0),
        ("H3", "part_year", "2022-01/2022-06", 50000),
    ]
    assert ledger.part_years[["village", "year", "periods"]].values.tolist() == [
        ["塔水村", 2022, "2022-01/2022-06, 2022-06"]
    ]
    assert ledger.rejects.empty


def test_a_title_with_an_update_month_keeps_its_data_year(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "t.xlsx",
            [
                ["濠头乡2022年度村级集体经济收入统计表（2023年1月更新）"],
                [None, None, None, "单位：元"],
                ["序号", "村名", "经营收入", "补助收入"],
                [1, "上河村", 200, 85],
            ],
        )
    )
    assert set(ledger.accounts["year"]) == {2022}
    village = account(ledger, "上河村", 2022)
    assert (village.township, village.operating_income, village.subsidy_income) == ("濠头乡", 200, 85)
    assert ledger.rejects.empty


def test_a_final_account_with_budget_and_actual_under_the_year_books_the_actual_and_keeps_the_budget(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "林源村2023年决算表.xlsx",
            [
                ["濠头乡林源村2023年财务收支决算表"],
                ["单位：元"],
                ["项目", "2023年", None],
                [None, "预算数", "实际数"],
                ["经营收入", 100000, 120000],
                ["发包及上交收入", 20000, 25000],
                ["补助收入", 50000, 60000],
            ],
            merges=["B3:C3", "A3:A4"],
        )
    )
    village = account(ledger, "林源村", 2023)
    assert (village.operating_income, village.contract_income, village.subsidy_income) == (120000, 25000, 60000)
    assert entry_kinds(ledger)[:2] == [("B5", "budget", "2023", 100000), ("C5", "annual", "2023", 120000)]
    assert ledger.columns.set_index("column").loc["B", "meaning"] == "budget: amounts"
    assert ledger.rejects.empty and ledger.part_years.empty


# --- what a number means -------------------------------------------------------------------------------


def test_a_village_income_list_by_project_adds_up_into_the_items(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "龙泉村2022年收入明细.xlsx",
            [
                ["临武县汾市镇龙泉村2022年村集体收入明细表"],
                ["单位：元"],
                ["序号", "收入项目", "金额", "备注"],
                [1, "光伏发电收入", 12000, None],
                [2, "蔬菜大棚租金", 8000, None],
                [3, "山林承包费", 5000, None],
                [4, "土地承包费", 6000, None],
                [5, "股金分红", 3000, "合作社"],
                [6, "上级补助资金", 50000, None],
                [7, "利息收入", 200, None],
                [8, "厂房出租收入", 9000, None],
                ["合计", None, 93200, None],
                ["填表人：李四", None, "审核人：王五", None],
            ],
        )
    )
    village = account(ledger, "龙泉村", 2022)
    assert (village.county, village.township) == ("临武县", "汾市镇")
    assert (
        village.operating_income,
        village.contract_income,
        village.investment_income,
        village.subsidy_income,
        village.other_income,
        village.total_income,
    ) == (29000, 11000, 3000, 50000, 200, 93200)
    solar = ledger.entries.set_index("cell").loc["C4"]
    assert (solar["item"], solar["detail"], solar["kind"]) == ("operating_income", "光伏发电收入", "annual")
    assert ledger.subtotals["status"].tolist() == ["ok"]
    assert ledger.rejects.empty


def test_a_project_no_word_tells_is_rejected_with_the_closest_items(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "明细.xlsx",
            [["上河村2022年收入明细"], ["单位：元"], ["收入项目", "金额"], ["光伏发电收入", 12000], ["待查款项", 500]],
        )
    )
    assert math.isnan(account(ledger, "上河村", 2022).total_income)
    reason = ledger.rejects.set_index("cell").loc["B5", "reason"]
    assert reason.startswith("line item '待查款项' is not known (closest known: ")
    assert "synonyms.csv" in reason


def test_money_marks_and_red_ink_in_a_dated_ledger(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "石桥村2022年收支明细.xlsx",
            [
                ["濠头乡石桥村2022年收支明细账"],
                ["单位：元"],
                ["日期", "凭证号", "摘要", "科目", "收入", "支出"],
                [2022.3, "记1", "收门面租金", "经营收入", "¥6,000.00", None],
                [2022.12, "记9", "冲销多记租金", "经营收入", "红字800.00", None],
                [2022.05, "记3", "收运转经费", "补助收入", "￥10,000", None],
                [2022.06, "记4", "收补助", "补助收入", "RMB 2,000", None],
                [2022.07, "记5", "收存款利息", "其他收入", "红字¥50.00", None],
                [2022.08, "记6", "红字冲销多记利息", "其他收入", 20, None],
            ],
        )
    )
    village = account(ledger, "石桥村", 2022)
    assert (village.operating_income, village.subsidy_income, village.other_income) == (5200, 12000, -70)
    assert ledger.entries["period"].tolist() == ["2022-03", "2022-12", "2022-05", "2022-06", "2022-07", "2022-08"]
    assert set(ledger.entries["kind"]) == {"line"}
    assert notes(ledger)[9] == "红字 in the 摘要: its amount is negative"
    assert ledger.rejects.empty


@pytest.mark.parametrize(
    ("title", "places"),
    [
        ("临武县汾市镇2022年村级集体经济收入统计表", ("临武县", "汾市镇")),
        ("汾市镇2022年村级集体经济收入统计表", (None, "汾市镇")),
        ("临武县麦市镇2022年村级集体经济收入", ("临武县", "麦市镇")),
        ("龙市乡2022年各村集体经济收入", (None, "龙市乡")),
        ("安仁县龙市乡2022年各村集体经济收入", ("安仁县", "龙市乡")),
    ],
)
def test_townships_named_with_shi_or_xian_stay_whole(tmp_path, title, places):
    ledger = read(xlsx(tmp_path / "t.xlsx", [[title], ["单位：万元"], ["村名", "经营收入"], ["龙泉村", 12]]))
    village = account(ledger, "龙泉村", 2022)
    assert (None if pd.isna(village.county) else village.county, village.township) == places


# --- messages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><table><tr><td>村名</td><td>经营收入（元）</td></tr><tr><td>上河村</td><td>200000</td></tr></table>"
        "</body></html>",
        "<html><body><table><tr><td>组织名称</td></tr></table></body></html>",
    ],
    ids=["table", "header only"],
)
def test_a_web_page_saved_as_xls_is_named_as_such(tmp_path, html):
    (tmp_path / "导出.xls").write_text(html, encoding="utf-8")
    with pytest.raises(LedgerFileError) as error:
        read_ledger(tmp_path / "导出.xls")
    message = str(error.value)
    assert "web page (HTML)" in message and "file 导出.xls" in message and "save it as .xlsx" in message


def test_a_web_page_saved_as_xls_in_a_folder_is_skipped_with_advice_to_save_it_as_xlsx(tmp_path):
    folder = raw_folder(tmp_path)
    (folder / "导出.xls").write_text(WEB_PAGE, encoding="utf-8")
    ledger = read(folder)
    assert set(ledger.accounts["village"]) == {"下河村"}
    row = ledger.skipped.iloc[0]
    assert (len(ledger.skipped), row["file"], row["status"]) == (1, "导出.xls", "unreadable")
    assert "web page (HTML)" in row["reason"] and "save it as .xlsx" in row["advice"]


def test_a_conflict_within_one_file_says_to_correct_the_wrong_cell(tmp_path):
    ledger = read(
        xlsx(
            tmp_path / "m.xlsx",
            [
                ["2022年表"],
                [None] * 3 + ["单位：元"],
                ["序号", "村名", "经营收入", "补助收入"],
                [1, "上河村", 200000, 85000],
                [2, "下河村", 1000, 10],
                [3, "上河村", 180000, 85000],
            ],
        )
    )
    assert rejected(ledger) == {("C4", "conflict"), ("C6", "conflict")}
    reasons = ledger.rejects.set_index("cell")["reason"]
    assert reasons["C4"] == (
        "经营收入 2022 of 上河村 differs within m.xlsx: m.xlsx!Sheet1!6 C6 = 180,000.00 元. "
        "Nothing was kept: correct the wrong cell"
    )
    assert "differs within m.xlsx" in reasons["C6"] and "correct the wrong cell" in reasons["C6"]
    assert not ledger.rejects["reason"].str.contains("correct the wrong file").any()
    assert ledger.duplicates[["cell", "duplicate_of"]].values.tolist() == [["D6", "m.xlsx!Sheet1!4 D4"]]
    village = account(ledger, "上河村", 2022)
    assert math.isnan(village.operating_income) and village.subsidy_income == 85000


def test_a_conflict_between_files_says_to_correct_the_wrong_file(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    header = ["序号", "村名", "经营收入", "投资收益", "补助收入", "收入合计"]
    xlsx(
        folder / "a.xlsx",
        [["濠头乡2022年收入表"], [None] * 5 + ["单位：元"], header, [1, "上河村", 200000, 0, 85000, 345000]],
    )
    xlsx(
        folder / "b.xlsx",
        [["濠头乡2022年收入统计"], [None] * 5 + ["单位：元"], header, [1, "上河村", 180000, 0, 80000, 300000]],
    )
    ledger = read(folder)
    assert set(zip(ledger.rejects["source"], ledger.rejects["cell"], ledger.rejects["problem"], strict=True)) == {
        (f"{file}!Sheet1!4", cell, "conflict") for file in ("a.xlsx", "b.xlsx") for cell in ("C4", "E4", "F4")
    }
    reasons = ledger.rejects.set_index(["source", "cell"])["reason"]
    assert reasons["a.xlsx!Sheet1!4", "C4"] == (
        "经营收入 2022 of 上河村 differs between sources: b.xlsx!Sheet1!4 C4 = "
        "180,000.00 元. Nothing was kept: correct the wrong file"
    )
    assert reasons["b.xlsx!Sheet1!4", "F4"].startswith("本年收入合计 2022 of 上河村 differs between sources")
    village = account(ledger, "上河村", 2022)
    assert village.investment_income == 0
    assert math.isnan(village.total_income) and math.isnan(village.operational_income)
    assert village.written_totals == ""


def test_a_skipped_sheets_reason_does_not_repeat_its_advice(tmp_path):
    folder = raw_folder(tmp_path)
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"], notes["B1"] = "联系电话：", 13807351234
    data = wb.create_sheet("数据")
    for row in [["2022年表"], [None, None, "单位：元"], ["村名", "经营收入", "补助收入"], ["上河村", 20, 8]]:
        data.append(row)
    wb.save(folder / "x.xlsx")
    xlsx(folder / "q.xlsx", [[PART_YEAR_TITLES[2]], [None, None, "单位：元"], ["村名", "经营收入"], ["金山村", 200]])
    trial_balance(folder / "tb.xlsx", "2022年12月", [("501", "经营收入", None, None, None, 26000, None, 26000)])
    two_units(folder / "u.xlsx")
    (folder / "导出.xls").write_text(WEB_PAGE, encoding="utf-8")
    ledger = read(folder)
    assert set(ledger.skipped["status"]) == {"not_a_ledger", "unreadable"} and len(ledger.skipped) == 4
    for reason, advice in zip(ledger.skipped["reason"], ledger.skipped["advice"], strict=True):
        assert reason and advice and advice not in reason
    notes_row = ledger.skipped.loc[ledger.skipped["sheet"].eq("说明")].iloc[0]
    assert notes_row["reason"] == "instructions (说明), not a table of amounts"
    assert notes_row["advice"] == "Nothing to do if the sheet holds no village amounts"
    assert account(ledger, "上河村", 2022).operating_income == 20


def test_an_unknown_statement_line_points_to_synonyms_csv(tmp_path):
    ledger = read(
        statement(
            tmp_path / "s.xlsx",
            [["上河村2022年收益及收益分配表"], [None, None, "单位：元"], ["项目", "行次", "金额"]],
            [("一、经营收入", 1000), ("当年扩大再生产支出", 500)],
        )
    )
    assert rejected(ledger) == {("C5", "item_unknown")}
    reason = ledger.rejects["reason"].item()
    assert "'当年扩大再生产支出' is not known" in reason and "synonyms.csv" in reason
    assert account(ledger, "上河村", 2022).operating_income == 1000
