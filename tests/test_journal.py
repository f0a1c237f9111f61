"""Cash journals: row kinds, the running balance, 对方科目/摘要 mapping, accounts, reconciliation, the sample set."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from villagecon.errors import UsageError
from villagecon.ingest.files import RawSheet
from villagecon.ingest.ledger import read_ledger, to_accounts
from villagecon.journal import (
    JOURNAL_OUTPUTS,
    KINDS,
    JournalLayoutError,
    clean_journal_frame,
    combine_results,
    journal_files,
    partition_results,
    read_journal,
    read_journal_sheet,
    reconcile_accounts,
    repeated_row_text,
    split_place,
    write_journal,
)
from villagecon.sample import (
    UNMAPPED_COUNTER,
    sample_truth,
    write_journal_sample,
    write_journal_workbooks,
    write_sample,
)
from villagecon.vocab import labels
from villagecon.vocab.journal_items import counter_account_of

PLACE = {
    "county": "汝城县",
    "township": "濠头乡",
    "village": "上河村",
    "village_code": "431026201201",
    "book": "现金日记账",
    "year": 2022,
    "file": "上河村.xlsx",
    "sheet": "现金日记账",
}
COLUMNS = ["month", "day", "summary", "counter_account", "debit", "credit", "balance"]


def book(rows, **place) -> pd.DataFrame:
    """A raw journal book from (月, 日, 摘要, 对方科目, 借方, 贷方, 余额) tuples; rows numbered from 4."""
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    return frame.assign(**{**PLACE, **place}, row=range(4, 4 + len(frame)))


def listed(texts: pd.Series) -> list:
    """A text column as a list, None where missing (pandas' str dtype holds NaN)."""
    return texts.astype(object).where(texts.notna(), None).tolist()


def journal_of(raw: pd.DataFrame):
    lines = clean_journal_frame(raw)
    return combine_results([partition_results(lines)], files=journal_files(lines)), lines


# A month of a cash book, with every kind of repeated row and the figures worked out by hand.
JANUARY = [
    (1, 1, "上年结转", None, None, None, "1000.00"),
    (1, 3, "收鱼塘承包费", "发包及上交收入", "500.00", None, "1500.00"),
    (1, 5, "付办公用品费", "管理费用—办公费", None, "200", "1300.00"),
    (1, 8, None, None, None, None, "1300.00"),
    (None, None, "过次页", None, "500.00", "200.00", "1300.00"),
    (None, None, "承前页", None, "500.00", "200.00", "1300.00"),
    (1, 9, "从银行提取现金", "银行存款", "1,000.00", None, "2300.00"),
    (1, 20, "收上级补助资金", None, "800", None, "3100.00"),
    (1, None, "本月合计", None, "2300.00", "200.00", "3100.00"),
    (1, None, "本年累计", None, "2300.00", "200.00", "3100.00"),
    (None, None, None, None, None, None, None),
    (None, None, "审核人：李建国", None, None, None, None),
    (12, 31, "结转下年", None, None, None, "3100.00"),
]


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


JANUARY_KINDS = [
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


def test_accounts_have_the_columns_of_clean_to_accounts():
    journal, _ = journal_of(book(JANUARY))
    assert list(journal.accounts.columns) == list(to_accounts(pd.DataFrame()).columns)


def test_balance_typo_is_reported_once_with_the_right_balance():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付差旅费", "管理费用", None, "100.00", "1000.00"),  # should be 900.00
        (1, 3, "收门面租金", "发包及上交收入", "50.00", None, "950.00"),
        (1, 4, "付电话费", "管理费用", None, "30.00", "920.00"),
    ]
    journal, _ = journal_of(book(rows))
    assert len(journal.breaks) == 1
    found = journal.breaks.iloc[0]
    assert (found["source"], found["cell"], found["problem"]) == ("上河村.xlsx!现金日记账!5", "balance", "balance_typo")
    assert (found["balance_yuan"], found["expected_balance"], found["difference"]) == (1000.0, 900.0, 100.0)
    assert found["reason"].startswith("余额 1,000.00 元 should be 900.00 元")


def test_lost_line_is_a_break_at_the_row_after_and_its_month_total_does_not_add_up():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付差旅费", "管理费用", None, "100.00", "900.00"),
        # lost: (1, 3, 收门面租金, 发包及上交收入, 50.00, -, 950.00)
        (1, 4, "付电话费", "管理费用", None, "30.00", "920.00"),
        (1, 5, "付办公用品费", "管理费用", None, "20.00", "900.00"),
        (1, None, "本月合计", None, "50.00", "150.00", "900.00"),
    ]
    journal, _ = journal_of(book(rows))
    assert journal.breaks[["source", "problem", "expected_balance", "difference"]].values.tolist() == [
        ["上河村.xlsx!现金日记账!6", "balance_break", 870.0, 50.0]
    ]
    assert "a line is missing or an amount is wrong" in journal.breaks.loc[0, "reason"]
    total = journal.subtotals.iloc[0]
    assert (total["kind"], total["field"], total["amount_yuan"], total["lines_sum"], total["status"]) == (
        "month_total",
        "debit",
        50.0,
        0.0,
        "mismatch",
    )


def test_unreadable_amount_rejects_the_line_and_the_balance_carries_on_from_it():
    rows = [
        (1, 1, "上年结转", None, None, None, "1000.00"),
        (1, 2, "付农资采购款", "经营支出", None, "1 200.00", "-200.00"),
        (1, 3, "收光伏发电收入", "经营收入", "300.00", None, "100.00"),
    ]
    journal, _ = journal_of(book(rows, direction=None))
    reject = journal.rejects.iloc[0]
    assert (reject["source"], reject["cell"], reject["column"], reject["value"], reject["problem"]) == (
        "上河村.xlsx!现金日记账!5",
        "credit",
        "贷方",
        "1 200.00",
        "amount",
    )
    assert "ambiguous digit separators" in reject["reason"]
    assert journal.breaks.empty  # row 6 is checked from row 5's 余额 as written
    assert journal.entries.set_index("item")["amount_yuan"].to_dict() == {"operating_income": 300.0}


def test_direction_column_signs_the_balance():
    rows = [(1, 1, "上年结转", None, None, None, "100.00"), (1, 2, "付工程款", "应付款", None, "300.00", "200.00")]
    raw = book(rows).assign(direction=["借", "贷"])
    _, lines = journal_of(raw)
    assert lines["balance_yuan"].tolist() == [100.0, -200.0]
    assert lines["balance_problem"].isna().all()


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


def test_split_place_reads_county_township_village():
    assert split_place("资兴市白鹭乡秧田村股份经济合作社") == {
        "county": "资兴市",
        "township": "白鹭乡",
        "village": "秧田村股份经济合作社",
    }
    assert split_place("北湖区华塘镇塔水村")["township"] == "华塘镇"


def test_sheet_without_year_names_file_and_sheet():
    grid = pd.DataFrame(
        [
            ["现金日记账", None, None, None, None],
            ["核算单位：濠头乡上河村", None, None, None, None],
            ["月", "日", "摘要", "借方", "余额"],
            [1, 2, "收租金", 10.0, 10.0],
        ],
        index=pd.RangeIndex(1, 5),
        dtype=object,
    )
    sheet = RawSheet(file="上河村.xlsx", sheet="现金", grid=grid)
    with pytest.raises(JournalLayoutError, match=r"no year.*file 上河村\.xlsx, sheet '现金', row 3"):
        read_journal_sheet(sheet)
    raw, cells = read_journal_sheet(sheet, year=2022)
    assert raw[["village", "township", "year", "month", "day", "row"]].iloc[0].tolist() == [
        "上河村",
        "濠头乡",
        2022,
        1,
        2,
        4,
    ]
    assert dict(zip(cells["field"], cells["letters"], strict=True)) == {
        "debit": "D",
        "balance": "E",
        "summary": "C",
        "month": "A",
    }


# --- the sample journal set ------------------------------------------------------------------------

SEED, VILLAGES, YEARS = 2022, 22, range(2022, 2024)


@pytest.fixture(scope="module")
def journal_sample(tmp_path_factory):
    return write_journal_sample(tmp_path_factory.mktemp("journal"), seed=SEED, villages=VILLAGES, years=YEARS)


@pytest.fixture(scope="module")
def sample_journal(journal_sample):
    return read_journal(journal_sample.path, keep_lines=True)


def _source(defect) -> str:
    return (
        f"county={defect['county']}/year={defect['year']}!{defect['township']}{defect['village']}"
        f"{defect['book']}!{defect['line']}"
    )


def test_sample_villages_and_rows(journal_sample, sample_journal):
    truth = sample_truth(seed=SEED, villages=VILLAGES, years=YEARS)
    assert set(sample_journal.accounts["village_code"]) == set(truth["village_code"])
    assert len(sample_journal.accounts) == VILLAGES * len(YEARS)
    assert sample_journal.rows_read == journal_sample.rows == len(sample_journal.lines)
    assert len(journal_sample.files) == 11 * len(YEARS)  # one partition per county and year
    sample_journal.check_nothing_lost()
    kinds = sample_journal.kinds.set_index("kind")["rows"]
    assert list(kinds.index) == list(KINDS) and kinds.sum() == journal_sample.rows
    # Two books per village-year, each with 上年结转 and 结转下年.
    assert kinds["opening"] == kinds["closing"] == len(sample_journal.books) == 2 * VILLAGES * len(YEARS)


def test_sample_defects_are_found_exactly(journal_sample, sample_journal):
    defects = journal_sample.defects
    assert set(defects["problem"]) == {"balance_typo", "missing_line", "unreadable_amount", "unmapped"}
    assert (defects["problem"] == "balance_typo").sum() == 11 * len(YEARS)
    breaks = {
        (source, problem) for source, problem in sample_journal.breaks[["source", "problem"]].itertuples(index=False)
    }
    wanted = {
        (_source(d), "balance_typo" if d["problem"] == "balance_typo" else "balance_break")
        for d in defects.to_dict(orient="records")
        if d["problem"] in ("balance_typo", "missing_line")
    }
    assert breaks == wanted
    lost = defects.loc[defects["problem"].eq("missing_line")]
    # The break at the row after a lost line is off by exactly the lost amount.
    by_source = sample_journal.breaks.set_index("source")["difference"].abs()
    assert [by_source[_source(d)] for d in lost.to_dict(orient="records")] == pytest.approx(
        lost["amount_yuan"].tolist()
    )
    unreadable = defects.loc[defects["problem"].eq("unreadable_amount")]
    assert sorted(sample_journal.rejects["source"]) == sorted(_source(d) for d in unreadable.to_dict(orient="records"))
    assert sorted(sample_journal.rejects["value"]) == sorted(unreadable["written"])
    assert sample_journal.unmapped["counter_account"].tolist() == [UNMAPPED_COUNTER]
    assert sample_journal.unmapped.loc[0, "lines"] == (defects["problem"] == "unmapped").sum()
    # 本月合计 only fail to add up in the months that lost a line.
    months = sample_journal.subtotals.loc[
        sample_journal.subtotals["kind"].eq("month_total") & sample_journal.subtotals["status"].eq("mismatch")
    ]
    assert len(months) == len(lost)
    assert sorted(months["difference"].abs()) == pytest.approx(sorted(lost["amount_yuan"]))


def test_sample_accounts_add_up_to_the_truth(journal_sample, sample_journal):
    expected = journal_sample.expected_accounts().sort_values(["village_code", "year"]).reset_index(drop=True)
    got = sample_journal.accounts.sort_values(["village_code", "year"]).reset_index(drop=True)
    assert got["village_code"].tolist() == expected["village_code"].tolist()
    for item in [*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS, "total_income", "total_expense", "net_income"]:
        assert np.allclose(got[item].fillna(0), expected[item].fillna(0), atol=0.005), item
    # 2022 and 2023 follow the 2004 system: nothing booked to 公益支出 or 税金及附加.
    assert got["public_welfare_expense"].isna().all() and got["tax_and_surcharges"].isna().all()


def test_reconciliation_with_the_sample_statements(tmp_path, journal_sample, sample_journal):
    sample = write_sample(tmp_path / "raw", seed=SEED, villages=VILLAGES, years=YEARS)
    statements = read_ledger(tmp_path / "raw", register=tmp_path / "raw" / "register.csv").accounts
    table = reconcile_accounts(sample_journal.accounts, statements)
    assert set(table["status"]) <= {"ok", "mismatch", "approximate"}
    # Every difference is a journal defect (a lost or rejected line: its item, the total and the result) or
    # 上河村's 2022 income written "40余万元" in its statement.
    lost = journal_sample.defects.loc[journal_sample.defects["problem"].isin(["missing_line", "unreadable_amount"])]
    expected = {}
    for code, year, item, amount in lost[["village_code", "year", "item", "amount_yuan"]].itertuples(index=False):
        total = "total_income" if item in labels.INCOME_ITEMS else "total_expense"
        sign = 1 if item in labels.INCOME_ITEMS else -1
        for key, change in ((item, amount), (total, amount), ("net_income", sign * amount)):
            expected[(code, year, key)] = expected.get((code, year, key), 0.0) + change
    differences = table.loc[table["status"].eq("mismatch")]
    assert {
        (c, y, i): round(d, 2)
        for c, y, i, d in differences[["village_code", "year", "item", "difference"]].itertuples(index=False)
    } == {k: round(v, 2) for k, v in expected.items()}
    approximate = table.loc[table["status"].eq("approximate")]
    assert approximate[["village", "year", "item"]].drop_duplicates().values.tolist()[:1] == [
        ["上河村", 2022, "total_income"]
    ]
    assert set(approximate["village"]) == {"上河村"}
    shanghe_truth = sample.truth.query("village == '上河村' and year == 2022")["total_income"].item()
    shanghe = approximate.loc[approximate["item"].eq("total_income")].iloc[0]
    assert shanghe["statement_yuan"] == 400_000.0 and shanghe["difference"] == pytest.approx(400_000.0 - shanghe_truth)


def _statement(accounts: pd.DataFrame, **changes) -> pd.DataFrame:
    """``accounts`` with its place and amounts changed, as a statement of another village would be."""
    return accounts.assign(**changes)


JOURNAL_ITEMS = {
    "contract_income": 500.0,
    "subsidy_income": 800.0,
    "total_income": 1300.0,
    "admin_expense": 200.0,
    "total_expense": 200.0,
    "net_income": 1100.0,
}
ELSEWHERE = {
    "county": "宜章县",
    "township": "梅田镇",
    "contract_income": 9000.0,
    "total_income": 9800.0,
    "net_income": 9600.0,
}


def test_reconciliation_without_codes_matches_the_village_of_the_same_county():
    journal, _ = journal_of(book(JANUARY, village_code=None))
    accounts = journal.accounts.assign(approx=False)
    statements = pd.concat([_statement(accounts, **ELSEWHERE), accounts], ignore_index=True)
    table = reconcile_accounts(journal.accounts, statements)
    places = table[["county", "township", "village"]].drop_duplicates()
    assert places.values.tolist() == [["汝城县", "濠头乡", "上河村"]]
    assert dict(zip(table["item"], table["statement_yuan"], strict=True)) == JOURNAL_ITEMS
    assert dict(zip(table["item"], table["journal_yuan"], strict=True)) == JOURNAL_ITEMS
    assert set(table["status"]) == {"ok"} and table["reason"].isna().all()


def test_reconciliation_of_a_name_in_two_counties_without_a_place_is_ambiguous():
    journal, _ = journal_of(book(JANUARY, village_code=None, county=None, township=None))
    named = journal.accounts.assign(approx=False, county="汝城县", township="濠头乡")
    statements = pd.concat([named, _statement(named, **ELSEWHERE)], ignore_index=True)
    table = reconcile_accounts(journal.accounts, statements)
    assert set(table["status"]) == {"ambiguous"}
    assert dict(zip(table["item"], table["journal_yuan"], strict=True)) == JOURNAL_ITEMS
    assert table["statement_yuan"].isna().all() and table["difference"].isna().all()
    assert table["reason"].iloc[0] == (
        "上河村 2022 in the journal could be any of 2 villages in the statements "
        "(宜章县梅田镇上河村, 汝城县濠头乡上河村), so it is compared with none. Clean the journals with the village "
        "register (--register) so that both sides have village codes, or write the county and township in each "
        "journal's title"
    )


def test_reconciliation_of_two_journal_villages_for_one_statement_village_is_ambiguous():
    here, _ = journal_of(book(JANUARY, village_code=None))
    there, _ = journal_of(book(JANUARY, village_code=None, county="宜章县", township="梅田镇", file="宜章.xlsx"))
    journals = pd.concat([here.accounts, there.accounts], ignore_index=True)
    statements = here.accounts.assign(approx=False, county=None, township=None)
    table = reconcile_accounts(journals, statements)
    assert set(table["status"]) == {"ambiguous"}
    places = table[["county", "village"]].drop_duplicates()
    assert places.values.tolist() == [["宜章县", "上河村"], ["汝城县", "上河村"]]
    assert table["reason"].drop_duplicates().str.split(", so").str[0].tolist() == [
        "宜章县梅田镇上河村 2022 in the journal could be the statements' 上河村, "
        "but so could the journal's 汝城县濠头乡上河村",
        "汝城县濠头乡上河村 2022 in the journal could be the statements' 上河村, "
        "but so could the journal's 宜章县梅田镇上河村",
    ]


def test_reconciliation_never_matches_two_different_codes_by_name():
    journal, _ = journal_of(book(JANUARY))
    statements = journal.accounts.assign(approx=False, village_code="431026201299")
    assert reconcile_accounts(journal.accounts, statements).empty


def test_workbooks_and_parquet_give_the_same_accounts(tmp_path):
    workbooks = write_journal_workbooks(tmp_path / "books", seed=SEED, villages=11, years=[2022])
    parquet = write_journal_sample(tmp_path / "parquet", seed=SEED, villages=11, years=[2022])
    assert workbooks.defects.equals(parquet.defects)
    register = workbooks.truth.assign(county_code=workbooks.truth["village_code"].str[:6], aliases="")[
        ["county", "county_code", "township", "village", "village_code", "aliases"]
    ]
    from_books = read_journal(tmp_path / "books", register=register)
    from_parquet = read_journal(tmp_path / "parquet")
    assert_frame_equal(from_books.accounts, from_parquet.accounts)
    assert sum(f.suffix == ".csv" for f in workbooks.files) == 1  # one cash book is a GBK CSV
    assert len(from_books.breaks) == len(from_parquet.breaks)
    # Line n of a book is row n + 3 of its sheet; 余额 is column I of a workbook, G of the CSV.
    typos = workbooks.defects.loc[workbooks.defects["problem"].eq("balance_typo")]
    found = from_books.breaks.loc[from_books.breaks["problem"].eq("balance_typo")]
    in_csv = next(f for f in workbooks.files if f.suffix == ".csv").name.removesuffix("2022年现金日记账.csv")
    assert sorted(found["cell"]) == sorted(
        ("G" if (v, b) == (in_csv, "现金日记账") else "I") + str(line + 3)
        for v, b, line in typos[["village", "book", "line"]].itertuples(index=False)
    )


def test_sample_is_deterministic(tmp_path):
    first = write_journal_sample(tmp_path / "a", seed=7, villages=11, years=[2023])
    again = write_journal_sample(tmp_path / "b", seed=7, villages=11, years=[2023])
    other = write_journal_sample(tmp_path / "c", seed=8, villages=11, years=[2023])
    tables = [pq.read_table(s.files[0]) for s in (first, again, other)]
    assert tables[0].equals(tables[1]) and not tables[0].equals(tables[2])


def _snapshot(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_lines_out_inside_the_journal_set_is_refused(tmp_path):
    sample = write_journal_sample(tmp_path / "journal", seed=SEED, villages=11, years=[2022])
    before = _snapshot(sample.path)
    one_file = sample.files[0]
    for path, lines_out in [
        (sample.path, sample.path),
        (sample.path, sample.path / "lines"),
        (sample.path, one_file.parent),
        (one_file, one_file.parent),
        (one_file, sample.path / "cleaned"),
        (one_file.parent, one_file.parent / "x" / ".."),
    ]:
        with pytest.raises(
            UsageError,
            match=r"^lines_out '.*' is inside the journal set '.*journal' being read: "
            r"the cleaned rows would overwrite or join the raw journals\. Choose a "
            r"folder outside it",
        ):
            read_journal(path, lines_out=lines_out)
    assert _snapshot(sample.path) == before
    # Beside the set is fine.
    read_journal(one_file, lines_out=tmp_path / "lines")
    assert [p.name for p in (tmp_path / "lines").iterdir()] == [one_file.name]


def test_lines_out_and_written_tables(tmp_path, journal_sample, sample_journal):
    journal = read_journal(journal_sample.files[0], lines_out=tmp_path / "lines")
    written = pq.read_table(tmp_path / "lines" / journal_sample.files[0].name).to_pandas()
    assert len(written) == journal.rows_read == pq.ParquetFile(journal_sample.files[0]).metadata.num_rows
    paths = write_journal(sample_journal, tmp_path / "out")
    assert {p.name for p in paths} == {*JOURNAL_OUTPUTS, "journal_manifest.json"}
    manifest = json.loads((tmp_path / "out" / "journal_manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows_read"] == journal_sample.rows and manifest["breaks"] == len(sample_journal.breaks)
    breaks = pd.read_csv(tmp_path / "out" / "journal_breaks.csv", encoding="utf-8-sig")
    assert breaks["source"].tolist() == sample_journal.breaks["source"].tolist()
