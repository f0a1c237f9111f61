"""The sample's generating process and world: process, article, world, truth (villagecon.sample)."""

from __future__ import annotations

import math

import pytest

from villagecon.errors import UsageError
from villagecon.sample.article import SHANGHE, SHANGHE_ACCOUNTS
from villagecon.sample.process import (
    EXPENSE_ITEMS_2004,
    EXPENSE_ITEMS_2024,
    INCOME_ITEMS_2004,
    INCOME_ITEMS_2024,
    expense_items,
    income_items,
    old_system_years,
    share_above_target,
    stream,
    years_with_year_before,
)
from villagecon.sample.truth import checked_arguments, sample_truth
from villagecon.sample.world import Village, draw_world, name_in, organisation_name, villages_of, with_totals


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 20, [2021, 2022])


def test_share_above_target_follows_the_anchors():
    assert share_above_target(2022) == 0.97
    assert share_above_target(2019) == 0.6
    assert share_above_target(2016) == 0.22


def test_the_items_change_with_the_2023_accounting_system():
    assert income_items(2023) == INCOME_ITEMS_2004 and expense_items(2023) == EXPENSE_ITEMS_2004
    assert income_items(2024) == INCOME_ITEMS_2024 and "contract_income" not in income_items(2024)
    assert expense_items(2024) == EXPENSE_ITEMS_2024 and "income_tax" in expense_items(2024)


def test_years_of_the_forms():
    assert old_system_years([2022, 2023, 2024, 2025]) == [2022, 2023]
    assert years_with_year_before(list(range(2016, 2026))) == list(range(2017, 2024))


def test_streams_are_independent_and_repeatable():
    assert stream(1, "a").integers(0, 10**9) == stream(1, "a").integers(0, 10**9)
    assert stream(1, "a").integers(0, 10**9) != stream(1, "b").integers(0, 10**9)


def test_the_world_holds_shanghe_as_the_article_tells_it(world):
    assert world.truth.shape == (40, 28)
    shanghe = world.truth.loc[world.truth["village"].eq(SHANGHE)].set_index("year")
    assert shanghe["total_income"].tolist() == [326_000.0, 419_600.0]
    assert sum(SHANGHE_ACCOUNTS[2022][:5]) == 419_600  # the 2022 income items add up to the total
    assert set(shanghe["secretary"]) == {"张小雄"}
    assert shanghe["from_article"].all()


def test_totals_are_the_sums_of_their_parts(world):
    truth = world.truth
    assert (truth["total_income"] == truth[list(INCOME_ITEMS_2004)].sum(axis=1)).all()
    assert (truth["net_income"] == truth["total_income"] - truth["total_expense"]).all()


def test_with_totals_fills_the_missing_items_with_nan():
    parts = dict.fromkeys((*INCOME_ITEMS_2024, *EXPENSE_ITEMS_2024), 0.0) | {
        "operating_income": 10.0,
        "income_tax": 3.0,
    }
    row = with_totals(parts, 2024)
    assert row["total_income"] == 10.0 and row["total_expense"] == 3.0 and row["net_income"] == 7.0
    assert math.isnan(row["contract_income"])  # abolished from 2024
    assert math.isnan(with_totals({"operating_income": 10.0}, 2024)["total_income"])  # a part missing


def test_names_in_forms():
    renamed = Village("汝城县", "濠头乡", "石冲村", "431026201201", "老屋村", None)
    assert name_in(renamed, 2016) == "老屋村" and name_in(renamed, 2017) == "石冲村"
    assert organisation_name(renamed, 2022, city=True) == "郴州市汝城县濠头乡石冲村股份经济合作社"


def test_villages_of_a_township(world):
    haotou = villages_of(world, "汝城县", "濠头乡")
    assert SHANGHE in [v.name for v in haotou]
    assert all(v.township == "濠头乡" for v in haotou)
    assert len(villages_of(world, "汝城县")) >= len(haotou)


def test_sample_truth_is_the_world_truth():
    truth = sample_truth(villages=20, years=range(2021, 2023))
    assert truth.equals(draw_world(2022, 20, [2021, 2022]).truth)


def test_arguments_are_checked_with_a_message():
    assert checked_arguments(1, 11, [2023, 2021, 2021]) == [2021, 2023]
    with pytest.raises(UsageError, match="between 11"):
        checked_arguments(1, 5, [2021])
    with pytest.raises(UsageError, match="years is empty"):
        checked_arguments(1, 20, [])
