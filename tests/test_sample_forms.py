"""The real forms of the sample (villagecon.sample.forms): the figures they invent add up."""

from __future__ import annotations

import numpy as np
import pytest

from villagecon.sample.documents import CellIndex
from villagecon.sample.forms import (
    balance_lines,
    balance_sheets,
    line_amounts,
    quarter_figures,
    roster_workbook,
    statistics_form,
)
from villagecon.sample.world import draw_world


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


def test_a_balance_sheet_adds_up_to_the_truth():
    lines = balance_lines(2022, "431026201201", 2020, 500_000.0, 120_000.0)
    assert (lines["资产总计"], lines["负债合计"], lines["所有者权益合计"]) == (500_000, 120_000, 380_000)
    assert lines["流动资产合计"] == lines["货币资金"] + lines["短期投资"] + lines["应收款项"] + lines["存货"]
    assert lines["固定资产净值"] == lines["固定资产原值"] - lines["减：累计折旧"]
    assert lines["负债和所有者权益总计"] == lines["资产总计"]
    assert lines == balance_lines(2022, "431026201201", 2020, 500_000.0, 120_000.0)  # the same in every sheet


def test_balance_sheets_index_the_truth_cells(world):
    index = CellIndex()
    documents = balance_sheets(world, 2022, index)
    assert [d.path.split("/")[0] for d in documents] == ["嘉禾县"] * len(documents)
    for (code, year, item), places in index.amounts.items():
        at = places[0]
        assert at.sheet.rows[at.row][at.col] == int(world.accounts[(code, year)][item])


def test_cash_book_lines_add_up_to_the_fen():
    parts = line_amounts(np.random.default_rng(1), 120_000.0, "subsidy_income")
    assert parts == [5_100_000, 1_800_000, 5_100_000] and sum(parts) == 12_000_000  # whole thousands
    assert line_amounts(np.random.default_rng(1), 3.0, "other_income") == [100, 100, 100]


def test_the_fourth_quarter_board_ends_on_the_year():
    accounts = {
        "operating_income": 50_000.0,
        "contract_income": 20_000.0,
        "investment_income": 0.0,
        "subsidy_income": 30_000.0,
        "other_income": 1_000.0,
        "operating_expense": 10_000.0,
        "admin_expense": 20_000.0,
        "other_expense": 500.0,
    }
    q = quarter_figures(2022, "431026201201", 2022, accounts)
    assert q[4]["so_far"]["total_income"] == 101_000 and q[4]["so_far"]["net_income"] == 101_000 - 30_500
    assert q[3]["so_far"]["operating_income"] == 50_000 - q[4]["quarter"]["operating_income"]


def test_the_statistics_form_writes_thousands(world):
    index = CellIndex()
    document = statistics_form(world, 2022, index)
    assert document is not None and document.unit == "千元"
    (code, year, item), (at, *_) = next(iter(index.amounts.items()))
    assert at.sheet.rows[at.row][at.col] == round(world.accounts[(code, year)][item] / 1_000, 3)


def test_the_roster_holds_every_spell(world):
    forms = roster_workbook(world, 2022)
    names = {cell for sheet in forms.document.sheets for row in sheet.rows for cell in row if isinstance(cell, str)}
    assert set(world.roster["name"]) <= names
    assert set(forms.committee.columns) == {"village", "name", "role", "start"}
    assert not set(forms.committee["name"]) & set(world.roster["name"])  # other posts are other people
