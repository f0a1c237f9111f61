"""villagecon.sample.forms.sanzi_export: the 三资 platform's export, the 2004 account codes FORMS.md lists."""

from __future__ import annotations

import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import SYNTHETIC, CellIndex, write_document, xlsx_bytes
from villagecon.sample.forms.sanzi_export import (
    SANZI_ACCOUNTS,
    SANZI_HEADER,
    SANZI_NAMES,
    SANZI_PLACE,
    SANZI_SUB_ACCOUNTS,
    sanzi_export,
)
from villagecon.sample.world import draw_world

# 财会〔2004〕12号's income and expense accounts (FORMS.md), but 521 农业税附加返还收入, which the sample leaves out.
CODES_2004 = {
    "501": "经营收入",
    "502": "经营支出",
    "511": "发包及上交收入",
    "522": "补助收入",
    "531": "其他收入",
    "541": "管理费用",
    "551": "其他支出",
    "561": "投资收益",
}


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 200, list(range(2019, 2024)))  # three villages in 华塘镇: both kinds of split


@pytest.fixture(scope="module")
def export(world):
    index = CellIndex()
    return sanzi_export(world, 2022, index), index


def test_the_account_codes_are_those_of_the_2004_system():
    assert SANZI_NAMES == CODES_2004
    assert [code for code, _ in SANZI_ACCOUNTS] == sorted(CODES_2004)
    assert all(sub.startswith("501") and len(sub) == 5 for sub, _ in SANZI_SUB_ACCOUNTS)  # under 经营收入


def test_the_export_is_a_long_table_with_its_header_on_the_first_row(export):
    document, _ = export
    assert document.path == "北湖区/北湖区华塘镇三资平台科目发生额导出2021-2023（合成样例）.xlsx"
    [sheet] = document.sheets
    assert sheet.name == f"导出数据（{SYNTHETIC}）" and sheet.rows[0] == list(SANZI_HEADER)
    body = sheet.rows[1:]
    assert [row[0] for row in body] == list(range(1, len(body) + 1))  # 序号
    assert {row[3] for row in body} == {"2021", "2022", "2023"}  # 会计年度 as text
    assert all(len(row[1]) == 12 and row[1].startswith("431002101") for row in body)  # 北湖区华塘镇
    assert all(row[2].startswith("郴州市北湖区华塘镇") and row[2].endswith("股份经济合作社") for row in body)
    assert all(isinstance(row[6], float) and row[6] > 0 for row in body)  # only accounts that moved


def test_every_village_year_repeats_the_truth_with_sub_accounts_adding_up(world, export):
    document, index = export
    lines: dict[tuple[str, str], dict[str, float]] = {}
    for _, code, _, year, account, name, yuan in document.sheets[0].rows[1:]:
        assert name == {**SANZI_NAMES, **dict(SANZI_SUB_ACCOUNTS)}[account]
        lines.setdefault((code, year), {})[account] = yuan
    only_subs = split = 0
    for (code, year), amounts in lines.items():
        truth = world.accounts[(code, int(year))]
        subs = sum(amounts.get(sub, 0.0) for sub, _ in SANZI_SUB_ACCOUNTS)
        for account, item in SANZI_ACCOUNTS:
            written = amounts.get(account, subs if account == "501" else 0.0)
            assert written == truth[item], (code, year, account)
        if subs:
            assert subs == truth["operating_income"]
            only_subs += "501" not in amounts
            split += "501" in amounts
    assert only_subs >= 1 and split >= 1
    for (code, year, item), [at] in index.amounts.items():  # the index holds the parents, never a sub-account
        assert at.sheet.rows[at.row][4] in CODES_2004 and at.sheet.rows[at.row][6] == world.accounts[(code, year)][item]


def test_no_export_without_a_year_of_the_2004_system():
    assert sanzi_export(draw_world(2022, 40, [2024]), 2022, CellIndex()) is None


def test_the_same_seed_gives_the_same_bytes(world):
    assert xlsx_bytes(sanzi_export(world, 2022, CellIndex())) == xlsx_bytes(sanzi_export(world, 2022, CellIndex()))
    assert xlsx_bytes(sanzi_export(world, 2022, CellIndex())) != xlsx_bytes(sanzi_export(world, 9, CellIndex()))


def test_the_reader_rolls_the_sub_accounts_up_to_the_truth(world, export, tmp_path):
    document, _ = export
    ledger = read_ledger(write_document(tmp_path, document), register=world.register)
    assert ledger.rejects.empty
    county, township = SANZI_PLACE
    codes = sorted(v.code for v in world.villages if (v.county, v.township) == (county, township))
    accounts = ledger.accounts.set_index(["village_code", "year"])
    assert sorted(accounts.index) == [(code, year) for code in codes for year in (2021, 2022, 2023)]
    for (code, year), row in accounts.iterrows():
        assert row["operating_income"] == world.accounts[(code, year)]["operating_income"]
        assert row["admin_expense"] == world.accounts[(code, year)]["admin_expense"]
