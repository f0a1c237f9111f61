"""What ledgers call things (villagecon.vocab.synonyms), with the spellings of the real forms (FORMS.md), and a
user's synonyms file that contradicts itself."""

from __future__ import annotations

import pytest

from villagecon import read_ledger
from villagecon.errors import UsageError
from villagecon.ingest.words import read_synonyms
from villagecon.vocab import synonyms as syn

import ledger_files as lf

# The 2004 收益及收益分配表 as commonly printed, line by line (FORMS.md), and what each line is.
STATEMENT_2004 = [
    ("一、经营收入", "operating_income"),
    ("  加：发包及上交收入", "contract_income"),
    ("          投资收益", "investment_income"),
    ("  减：经营支出", "operating_expense"),
    ("          管理费用", "admin_expense"),
    ("二、经营收益", "operating_profit"),
    ("  加：农业税附加返还收入", "agricultural_tax_rebate"),
    ("          补助收入", "subsidy_income"),
    ("          其他收入", "other_income"),
    ("  减：其他支出", "other_expense"),
    ("三、本年收益", "net_income"),
    ("四、（收益分配）本年收益", "net_income"),
    ("  加：年初未分配收益", "undistributed_income_start"),
    ("          其他转入", "other_transfers_in"),
    ("五、可分配收益", "distributable_income"),
    ("  减：提取公积公益金", "reserve_appropriation"),
    ("六、年末未分配收益", "undistributed_income_end"),
]
# 财会〔2023〕14号 (from 2024): new lines, and the statistics forms' grouping of the same items.
OTHER_FORMS = [
    ("税金及附加", "tax_and_surcharges"),
    ("公益支出", "public_welfare_expense"),
    ("所得税费用", "income_tax"),
    ("三、收益总额", "profit_before_tax"),
    ("四、净收益", "net_income"),
    ("一、本年收入", "total_income"),
    ("二、本年支出", "total_expense"),
    ("本年收入合计（万元）", "total_income"),
    ("发包及上缴收入", "contract_income"),  # 缴 for 交, as offices often write it
    ("经营性收入", "operational_income"),
    ("资产总计", "assets"),
    ("负债合计", "liabilities"),
    ("负债和所有者权益总计", "liabilities_and_equity"),
]


@pytest.mark.parametrize(("written", "item"), STATEMENT_2004 + OTHER_FORMS)
def test_the_lines_of_real_forms_name_their_items(written, item):
    assert syn.item_of(written) == item


@pytest.mark.parametrize(
    ("written", "item"),
    [("501 经营收入", "operating_income"), ("522补助收入", "subsidy_income"), ("561投资收益", "investment_income")],
)
def test_an_account_code_before_the_name_is_dropped(written, item):
    assert syn.item_of(written) == item
    assert syn.ACCOUNT_CODES[written[:3]] == item  # the code says the same


def test_header_key_drops_numbering_signs_units_and_width():
    assert syn.header_key("  1.经营收入（万元）") == "经营收入"
    assert syn.header_key("减：1.提取公积公益金") == "提取公积公益金"
    assert syn.header_key("Operating Income") == "operating_income"
    assert syn.header_key(None) == ""


def test_a_detail_line_is_told_from_an_item():
    assert syn.detail_label("其中：干部报酬") == "干部报酬"
    assert syn.detail_label("管理费用") is None


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("村（社区）", syn.VILLAGE),
        ("乡镇（街道）", syn.TOWNSHIP),
        ("单位名称", syn.VILLAGE),
        ("年度", syn.YEAR),
        ("指标名称", syn.ITEM),  # the statistics forms: 指标名称 | 代码 | 计量单位 | 本年数 | 上年数
        ("项目", syn.ITEM),
        ("计量单位", syn.UNIT_COLUMN),
        ("科目编码", syn.ITEM_CODE),
        ("行次", syn.IGNORED),
    ],
)
def test_the_headers_of_real_forms_name_their_roles(header, role):
    assert syn.role_of(header) == role


def test_measure_names_in_chinese_and_unknown_ones():
    assert syn.measure_name("经营收益") == "operating_profit"
    with pytest.raises(UsageError, match=r"'负债' is not an income measure .*经营性收入 \(operational_income\)"):
        syn.measure_name("负债")


def _synonyms_file(tmp_path, rows: list[str]):
    path = tmp_path / "synonyms.csv"
    path.write_text("spelling,meaning\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_synonyms_file_adds_spellings(tmp_path):
    vocabulary = read_synonyms(_synonyms_file(tmp_path, ["光伏电站收益,operating_income", "组别,村"]))
    assert vocabulary.item("光伏电站收益") == "operating_income"
    assert vocabulary.role("组别") == syn.VILLAGE


def test_a_spelling_given_two_meanings_is_refused_naming_the_file_and_rows(tmp_path):
    path = _synonyms_file(
        tmp_path, ["光伏电站收益,operating_income", "租金,经营收入", "光伏电站收益（元）,investment_income"]
    )
    with pytest.raises(UsageError) as raised:
        read_synonyms(path)
    message = str(raised.value)
    assert "file synonyms.csv, row 4" in message
    assert "'光伏电站收益（元）' is given the meaning investment_income here but operating_income in row 2" in message
    assert "delete one of the two rows" in message


def test_a_spelling_repeated_with_the_same_meaning_is_fine(tmp_path):
    path = _synonyms_file(tmp_path, ["光伏收益,operating_income", "光伏收益,经营收入"])
    assert read_synonyms(path).item("光伏收益") == "operating_income"


def test_the_cleaner_refuses_a_contradictory_synonyms_file_beside_the_ledgers(tmp_path):
    lf.long_xlsx(tmp_path)
    _synonyms_file(tmp_path, ["组别,village", "组别,township"])
    with pytest.raises(UsageError, match=r"synonyms\.csv, row 3: '组别' is given the meaning township"):
        read_ledger(tmp_path)
