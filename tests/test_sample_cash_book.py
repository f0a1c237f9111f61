"""villagecon.sample.forms.cash_book: a township's 收支台账, every item in dated lines adding up to the truth."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import SYNTHETIC, CellIndex, csv_bytes, write_document
from villagecon.sample.forms.cash_book import (
    CASH_BOOK_COUNTY,
    CASH_BOOK_HEADER,
    CASH_BOOK_SUMMARIES,
    cash_book,
    line_amounts,
)
from villagecon.sample.world import draw_world
from villagecon.vocab import labels

ITEM_OF_LABEL = {label: item for item, label in labels.ACCOUNT_ITEMS.items()}


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


def fen(written: str) -> int:
    yuan, _, cents = written.partition(".")
    return int(yuan) * 100 + int(cents.ljust(2, "0"))


def parse_date(written: str) -> dt.date:
    year, month, day = (int(part) for part in re.findall(r"\d+", written))
    return dt.date(year, month, day)


def test_lines_add_up_to_the_fen():
    parts = line_amounts(np.random.default_rng(1), 120_000.0, "subsidy_income")
    assert parts == [5_100_000, 1_800_000, 5_100_000] and sum(parts) == 12_000_000  # whole thousands
    assert line_amounts(np.random.default_rng(1), 3.0, "other_income") == [100, 100, 100]
    assert line_amounts(np.random.default_rng(1), 1.0, "other_income") == [100]  # too small to split


@pytest.mark.parametrize("item", ["operating_income", "subsidy_income", "admin_expense", "other_expense"])
def test_every_split_is_two_to_four_positive_lines_with_the_items_habit(item):
    rng = np.random.default_rng(5)
    for yuan in (2_000.0, 37_000.0, 58_431.0, 1_234_000.0):
        parts = line_amounts(rng, yuan, item)
        assert sum(parts) == round(yuan * 100) and 2 <= len(parts) <= 4 and min(parts) > 0, (item, yuan)
        if item == "subsidy_income" and yuan % 1_000 == 0:
            assert all(p % 100_000 == 0 for p in parts)  # whole thousands of yuan, as the year's figure
        elif item in labels.INCOME_ITEMS:
            assert all(p % 100 == 0 for p in parts)  # whole yuan


def test_the_book_is_the_townships_csv_of_the_last_year(world):
    document = cash_book(world, 2022, CellIndex())
    assert document is not None
    assert document.path == f"{CASH_BOOK_COUNTY}/永兴县马田镇收支明细账（合成样例）.csv"
    assert (document.layout, document.unit, document.encoding) == ("long", "元", "utf-8-sig")
    [sheet] = document.sheets
    assert sheet.rows[0] == [f"永兴县马田镇村级收支明细账（{SYNTHETIC}）"]
    assert sheet.rows[1] == ["单位：元"]
    assert sheet.rows[2] == list(CASH_BOOK_HEADER)
    assert {parse_date(row[0]).year for row in sheet.rows[3:]} == {2023}


def test_each_villages_lines_add_up_to_the_truth_in_date_order(world):
    index = CellIndex()
    [sheet] = cash_book(world, 2022, index).sheets
    villages = {v.name: v for v in world.villages if v.township == "马田镇"}
    by_village: dict[str, list] = {}
    for row in sheet.rows[3:]:
        by_village.setdefault(row[2].strip(), []).append(row)
    assert set(by_village) == set(villages)
    for name, rows in by_village.items():
        truth = world.accounts[(villages[name].code, 2023)]
        assert [r[1] for r in rows] == [f"记-{n:03d}" for n in range(1, len(rows) + 1)]
        dates = [parse_date(r[0]) for r in rows]
        assert dates == sorted(dates)
        assert len({"年" if "年" in r[0] else "/" if "/" in r[0] else "-" for r in rows}) == 1  # one habit
        sums: dict[str, int] = {}
        for _, _, _, summary, label, income, expense in rows:
            item = ITEM_OF_LABEL[label]
            assert summary in CASH_BOOK_SUMMARIES[item]
            assert (income is None) == (item in labels.EXPENSE_ITEMS) and (expense is None) != (income is None)
            sums[item] = sums.get(item, 0) + fen(income or expense)
        moved = {item: truth[item] for item in (*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS) if truth[item] > 0}
        assert sums == {item: round(yuan * 100) for item, yuan in moved.items()}  # every item that moved
    for (code, year, item), places in index.amounts.items():  # the index holds every line of the item
        assert year == 2023 and sum(fen(at.sheet.rows[at.row][at.col]) for at in places) == round(
            world.accounts[(code, year)][item] * 100
        )


def test_a_book_of_the_2024_system_has_its_items():
    world = draw_world(2022, 11, [2024])
    [sheet] = cash_book(world, 2022, CellIndex()).sheets
    written = {row[4] for row in sheet.rows[3:]}
    assert {"税金及附加", "公益支出"} <= written and "发包及上交收入" not in written


def test_the_same_seed_gives_the_same_bytes(world):
    def data(seed):
        [sheet] = cash_book(world, seed, CellIndex()).sheets
        return csv_bytes(sheet.rows, "utf-8-sig")

    assert data(2022) == data(2022) and data(2022) != data(3)


def test_the_reader_adds_the_lines_up_to_the_truth(world, tmp_path):
    document = cash_book(world, 2022, CellIndex())
    ledger = read_ledger(write_document(tmp_path, document), register=world.register)
    assert ledger.rejects.empty and set(ledger.entries["kind"]) == {"line"}
    accounts = ledger.accounts.set_index(["village_code", "year"])
    assert sorted(accounts.index) == sorted((v.code, 2023) for v in world.villages if v.township == "马田镇")
    for (code, year), row in accounts.iterrows():
        truth = world.accounts[(code, year)]
        for item in ("total_income", "total_expense", "net_income"):
            assert row[item] == pytest.approx(truth[item], abs=0.005), (code, item)
