"""villagecon.sample.forms.balance_sheets: the 资产负债表 of the sample, as FORMS.md describes the 2004 form."""

from __future__ import annotations

import math

import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import SYNTHETIC_NOTE, CellIndex, write_document, xlsx_bytes
from villagecon.sample.forms.balance_sheets import BALANCE_LAYOUT, BALANCE_SHEET_COUNTY, balance_lines, balance_sheets
from villagecon.sample.world import draw_world

HEADER = ["资产", "行次", "年初数", "年末数", "负债及所有者权益", "行次", "年初数", "年末数"]


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


def lines_of(sheet) -> dict[str, tuple]:
    """Label (indent stripped) -> (年初数, 年末数), from both blocks of a sheet's rows."""
    found = {}
    for row in sheet.rows[3:]:
        for col in (0, 4):
            if len(row) > col + 3 and row[col + 1] is not None:
                found[row[col].strip()] = (row[col + 2], row[col + 3])
    return found


def test_a_balance_sheet_adds_up_to_the_truth():
    lines = balance_lines(2022, "431026201201", 2020, 500_000.0, 120_000.0)
    assert (lines["资产总计"], lines["负债合计"], lines["所有者权益合计"]) == (500_000, 120_000, 380_000)
    assert lines["流动资产合计"] == lines["货币资金"] + lines["短期投资"] + lines["应收款项"] + lines["存货"]
    assert lines["农业资产合计"] == lines["牲畜（禽）资产"] + lines["林木资产"]
    assert lines["固定资产净值"] == lines["固定资产原值"] - lines["减：累计折旧"]
    assert lines["固定资产合计"] == lines["固定资产净值"] + lines["固定资产清理"] + lines["在建工程"]
    assert lines["资产总计"] == (
        lines["流动资产合计"] + lines["农业资产合计"] + lines["长期投资"] + lines["固定资产合计"]
    )
    assert lines["负债和所有者权益总计"] == lines["资产总计"]
    assert lines == balance_lines(2022, "431026201201", 2020, 500_000.0, 120_000.0)  # the same in every sheet


@pytest.mark.parametrize("liabilities", [1, 2, 3, 7, 15])
def test_a_tiny_debt_never_gives_a_negative_line(liabilities):
    lines = balance_lines(2022, "431024101201", 2021, 90_000.0, float(liabilities))
    parts = ("短期借款", "应付款项", "应付工资", "应付福利费", "长期借款及应付款", "一事一议资金")
    assert all(lines[p] >= 0 for p in parts)
    assert lines["流动负债合计"] + lines["长期负债合计"] == lines["负债合计"] == liabilities


def test_debts_above_the_assets_give_negative_equity_that_still_adds_up():
    lines = balance_lines(2022, "431081201201", 2017, 300_000.0, 1_150_000.0)
    assert lines["所有者权益合计"] == -850_000
    assert lines["资本"] > 0 and lines["未分配收益"] < 0  # losses carried
    assert lines["资本"] + lines["公积公益金"] + lines["未分配收益"] == -850_000
    assert lines["负债和所有者权益总计"] == 300_000


def test_a_workbook_per_township_and_year_for_the_last_two_years(world):
    documents = balance_sheets(world, 2022, CellIndex())
    townships = sorted({v.township for v in world.villages if v.county == BALANCE_SHEET_COUNTY})
    assert sorted(d.path for d in documents) == sorted(
        f"嘉禾县/嘉禾县{t}{year}年村级资产负债表（合成样例）.xlsx" for t in townships for year in (2022, 2023)
    )
    assert {(d.layout, d.unit, d.encoding) for d in documents} == {("balance sheet", "元", None)}


def test_the_sheet_is_the_form_two_blocks_side_by_side(world):
    [document, *_] = balance_sheets(world, 2022, CellIndex())
    [sheet] = document.sheets
    village = next(v for v in world.villages if v.name == sheet.name)
    year = int(document.path.split("年村级")[0][-4:])
    assert sheet.rows[0] == ["资产负债表（合成样例数据）"] and (0, 0, 0, 7) in sheet.merges
    assert sheet.rows[1] == [
        f"编制单位：{village.county}{village.township}{village.name}股份经济合作社",
        None,
        None,
        f"{year}年12月31日",
        None,
        None,
        None,
        "单位：元",
    ]
    assert sheet.rows[2] == HEADER
    assert [row[0] for row in sheet.rows[3 : 3 + len(BALANCE_LAYOUT)]] == [left for left, *_ in BALANCE_LAYOUT]
    left = [label.strip() for label, line, *_ in BALANCE_LAYOUT if line is not None]
    right = [label.strip() for *_, label, line in BALANCE_LAYOUT if line is not None]
    assert left[-1] == "资产总计" and right[-1] == "负债和所有者权益总计"
    assert left.index("流动资产合计") < left.index("农业资产合计") < left.index("长期投资") < left.index("固定资产合计")
    assert right.index("负债合计") < right.index("所有者权益合计")
    assert sheet.rows[-2] == ["单位负责人：", None, None, "会计：", None, None, "制表：", None]
    assert sheet.rows[-1] == [SYNTHETIC_NOTE]
    assert sheet.number_format == "#,##0.00"


def test_the_totals_are_the_truth_and_a_year_end_is_the_next_years_start(world):
    index = CellIndex()
    documents = balance_sheets(world, 2022, index)
    ends, starts = {}, {}
    for document in documents:
        year = int(document.path.split("年村级")[0][-4:])
        for sheet in document.sheets:
            village = next(v for v in world.villages if v.name == sheet.name)
            lines = lines_of(sheet)
            truth = world.accounts[(village.code, year)]
            assert lines["资产总计"][1] == truth["assets"] and lines["负债合计"][1] == truth["liabilities"]
            ends[(village.code, year)] = {label: amounts[1] for label, amounts in lines.items()}
            starts[(village.code, year)] = {label: amounts[0] for label, amounts in lines.items()}
    assert ends[next(iter(ends))]  # something written
    shared = [(code, year) for code, year in ends if (code, year + 1) in starts]
    assert shared
    for code, year in shared:
        assert ends[(code, year)] == starts[(code, year + 1)], code
    for (code, year, item), places in index.amounts.items():  # the index points at the truth's cells
        assert item in ("assets", "liabilities")
        for at in places:
            assert at.sheet.rows[at.row][at.col] == world.accounts[(code, year)][item]


def test_no_balance_sheet_the_year_before_leaves_the_opening_column_empty():
    world = draw_world(2022, 300, [2016, 2017])
    village = next(v for v in world.villages if v.name == "桃陂村")  # no balance sheet before 清产核资
    assert math.isnan(world.accounts[(village.code, 2016)]["assets"])
    [document] = [d for d in balance_sheets(world, 2022, CellIndex()) if f"{village.township}2017" in d.path]
    [sheet] = [s for s in document.sheets if s.name == village.name]
    lines = lines_of(sheet)
    assert all(start is None for start, _ in lines.values())
    assert lines["资产总计"][1] == world.accounts[(village.code, 2017)]["assets"]


def test_the_same_seed_gives_the_same_bytes_and_another_other_lines(world):
    first = [xlsx_bytes(d) for d in balance_sheets(world, 2022, CellIndex())]
    again = [xlsx_bytes(d) for d in balance_sheets(world, 2022, CellIndex())]
    assert first == again
    [one, *_] = balance_sheets(world, 2022, CellIndex())
    [other, *_] = balance_sheets(world, 7, CellIndex())
    assert lines_of(one.sheets[0])["资产总计"] == lines_of(other.sheets[0])["资产总计"]  # the truth
    assert lines_of(one.sheets[0])["货币资金"] != lines_of(other.sheets[0])["货币资金"]  # invented


def test_the_reader_reads_both_years_back_to_the_truth(world, tmp_path):
    [document, *_] = balance_sheets(world, 2022, CellIndex())
    ledger = read_ledger(write_document(tmp_path, document), register=world.register)
    assert ledger.rejects.empty
    accounts = ledger.accounts.set_index(["village_code", "year"])
    assert len(accounts) == 2  # 年初数: the year before; 年末数: the year
    for (code, year), row in accounts.iterrows():
        assert row["assets"] == world.accounts[(code, year)]["assets"]
        assert row["liabilities"] == world.accounts[(code, year)]["liabilities"]
