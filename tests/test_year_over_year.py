"""villagecon.analysis.year_over_year: change on the previous year, per village and per area, on hand-made accounts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from villagecon.analysis.threshold import threshold_status
from villagecon.analysis.year_over_year import CROSSED_DOWN, CROSSED_UP, area_changes, village_changes

# Two townships, 2021 → 2022: 甲村 crosses 10万元 upwards, 乙村 falls below it, 丙村 is new in 2022 (no previous
# year), 丁村 stays above and 戊村 has no income written in 2022.
ROWS = [
    ("濠头乡", "甲村", 2021, 80_000.0),
    ("濠头乡", "甲村", 2022, 120_000.0),
    ("濠头乡", "乙村", 2021, 150_000.0),
    ("濠头乡", "乙村", 2022, 90_000.0),
    ("濠头乡", "丙村", 2022, 200_000.0),
    ("华塘镇", "丁村", 2021, 300_000.0),
    ("华塘镇", "丁村", 2022, 330_000.0),
    ("华塘镇", "戊村", 2021, 0.0),
    ("华塘镇", "戊村", 2022, None),
]


@pytest.fixture
def accounts() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["township", "village", "year", "total_income"])
    return threshold_status(frame.assign(county="汝城县"))


def test_each_village_gets_its_change_and_its_crossing(accounts):
    changes = village_changes(accounts, year=2022).set_index("village")
    assert changes.loc["甲村", "change_yuan"] == 40_000 and changes.loc["甲村", "crossing"] == CROSSED_UP
    assert changes.loc["甲村", "change_share"] == pytest.approx(0.5)
    assert changes.loc["乙村", "change_yuan"] == -60_000 and changes.loc["乙村", "crossing"] == CROSSED_DOWN
    assert math.isnan(changes.loc["丙村", "previous_yuan"]) and changes.loc["丙村", "crossing"] == ""
    assert changes.loc["丁村", "crossing"] == "" and changes.loc["丁村", "change_share"] == pytest.approx(0.1)
    # Last year's 0 gives no share of change (no division by zero), and an unknown year crosses nothing.
    assert math.isnan(changes.loc["戊村", "change_share"]) and changes.loc["戊村", "crossing"] == ""


def test_areas_and_the_whole_count_villages_above_and_the_crossings(accounts):
    table = area_changes(accounts, year=2022, by="township", whole="全县").set_index("township")
    assert list(table.index) == ["濠头乡", "华塘镇", "全县"]
    assert table.loc["濠头乡", ["n_villages", "n_above", "n_above_prev"]].tolist() == [3, 2, 1]
    assert table.loc["濠头乡", ["n_crossed_up", "n_crossed_down"]].tolist() == [1, 1]
    assert table.loc["华塘镇", ["n_villages", "n_missing", "n_above"]].tolist() == [1, 1, 1]
    assert table.loc["全县", "share_above"] == pytest.approx(3 / 4)
    assert table.loc["全县", "share_above_prev"] == pytest.approx(2 / 4)
    assert table.loc["全县", "median_change_yuan"] == pytest.approx(160_000 - 115_000)  # medians of 4 known villages


def test_a_single_year_has_no_previous_numbers(accounts):
    table = area_changes(accounts.loc[accounts["year"].eq(2022)], year=2022, by=None, whole="全县")
    assert table["township"].tolist() == ["全县"]
    assert table.loc[0, "n_villages"] == 4 and math.isnan(table.loc[0, "n_above_prev"])
    assert math.isnan(table.loc[0, "share_change"]) and table.loc[0, "n_crossed_up"] == 0
