"""villagecon.sample.forms.disclosure_boards: the 第三 and 第四季度 财务收支公开榜 of 汝城县濠头乡."""

from __future__ import annotations

import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import SYNTHETIC_NOTE, CellIndex, write_document, xlsx_bytes
from villagecon.sample.forms.disclosure_boards import (
    DISCLOSURE_HEADER,
    DISCLOSURE_LINES,
    DISCLOSURE_PLACE,
    disclosure_boards,
    quarter_figures,
)
from villagecon.sample.process import EXPENSE_ITEMS_2004, INCOME_ITEMS_2004
from villagecon.sample.world import draw_world

ACCOUNTS = {
    "operating_income": 50_000.0,
    "contract_income": 20_000.0,
    "investment_income": 0.0,
    "subsidy_income": 30_000.0,
    "other_income": 1_000.0,
    "operating_expense": 10_000.0,
    "admin_expense": 20_000.0,
    "other_expense": 500.0,
}


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


def test_the_fourth_quarter_board_ends_on_the_year():
    q = quarter_figures(2022, "431026201201", 2022, ACCOUNTS)
    assert q[4]["so_far"]["total_income"] == 101_000 and q[4]["so_far"]["net_income"] == 101_000 - 30_500
    assert q[3]["so_far"]["operating_income"] == 50_000 - q[4]["quarter"]["operating_income"]


def test_the_quarters_are_invented_shares_that_add_up_in_every_column():
    q = quarter_figures(2022, "431026201201", 2022, ACCOUNTS)
    assert q == quarter_figures(2022, "431026201201", 2022, ACCOUNTS)  # the same in every run
    assert q != quarter_figures(2022, "431026201202", 2022, ACCOUNTS)  # a stream of its own per village
    for item in ("operating_income", "contract_income", "subsidy_income", "admin_expense"):
        assert 0.20 <= q[4]["quarter"][item] / ACCOUNTS[item] <= 0.35, item
        assert 0.25 <= q[3]["quarter"][item] / q[3]["so_far"][item] <= 0.40, item
    assert q[4]["quarter"]["investment_income"] == q[3]["so_far"]["investment_income"] == 0
    for quarter in (3, 4):
        for column in ("quarter", "so_far"):
            f = q[quarter][column]
            assert all(isinstance(v, int) for v in f.values())  # whole yuan
            assert f["total_income"] == sum(f[i] for i in INCOME_ITEMS_2004)
            assert f["total_expense"] == sum(f[i] for i in EXPENSE_ITEMS_2004)
            assert f["net_income"] == f["total_income"] - f["total_expense"]


def test_a_workbook_per_quarter_and_a_sheet_per_village(world):
    documents = disclosure_boards(world, 2022, CellIndex())
    assert [d.path for d in documents] == [
        f"汝城县/汝城县濠头乡2023年{q}村级财务收支公开榜（合成样例）.xlsx" for q in ("第三季度", "第四季度")
    ]
    villages = [v.name for v in world.villages if (v.county, v.township) == DISCLOSURE_PLACE]
    for document in documents:
        assert [s.name for s in document.sheets] == villages and document.unit == "元"


def test_the_board_is_the_posted_form(world):
    third, fourth = disclosure_boards(world, 2022, CellIndex())
    sheet = fourth.sheets[0]
    assert sheet.rows[0] == [f"濠头乡{sheet.name}2023年第四季度财务收支公开榜（合成样例数据）"]
    assert sheet.rows[1] == [None, None, "单位：元"] and sheet.rows[2] == list(DISCLOSURE_HEADER)
    assert [row[0] for row in sheet.rows[3:-2]] == [label for label, _ in DISCLOSURE_LINES]
    assert sheet.rows[-2] == ["公开日期：2024年1月10日", None, "监督小组签字："]
    assert sheet.rows[-1] == [SYNTHETIC_NOTE]
    assert third.sheets[0].rows[-2][0] == "公开日期：2023年10月10日"  # posted after the quarter


def test_only_the_fourth_quarters_year_figure_is_the_truth(world):
    index = CellIndex()
    third, fourth = disclosure_boards(world, 2022, index)
    assert {at.document.path for places in index.amounts.values() for at in places} == {fourth.path}
    for (code, year, item), [at] in index.amounts.items():
        assert at.col == 2 and at.sheet.rows[at.row][at.col] == world.accounts[(code, year)][item]
    for q3, q4 in zip(third.sheets, fourth.sheets, strict=True):
        for row3, row4 in zip(q3.rows[3:-2], q4.rows[3:-2], strict=True):
            assert row3[2] + row4[1] == row4[2]  # Jan–Sep + Oct–Dec = the year


def test_no_board_without_a_year_of_the_2004_system():
    assert disclosure_boards(draw_world(2022, 11, [2024, 2025]), 2022, CellIndex()) == []


def test_the_same_seed_gives_the_same_bytes(world):
    first = [xlsx_bytes(d) for d in disclosure_boards(world, 2022, CellIndex())]
    assert first == [xlsx_bytes(d) for d in disclosure_boards(world, 2022, CellIndex())]
    assert first != [xlsx_bytes(d) for d in disclosure_boards(world, 5, CellIndex())]


def test_the_reader_reads_the_year_and_the_quarter(world, tmp_path):
    _, fourth = disclosure_boards(world, 2022, CellIndex())
    ledger = read_ledger(write_document(tmp_path, fourth), register=world.register)
    assert ledger.rejects.empty
    kinds = ledger.entries.groupby(["kind", "period"]).size().to_dict()
    assert kinds == {
        ("annual", "2023"): 11 * len(fourth.sheets),
        ("part_year", "2023-10/2023-12"): 11 * len(fourth.sheets),
    }
    for row in ledger.accounts.itertuples(index=False):
        assert row.total_income == world.accounts[(row.village_code, row.year)]["total_income"]
        assert row.net_income == world.accounts[(row.village_code, row.year)]["net_income"]
