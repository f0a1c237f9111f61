"""County small multiples (seaborn FacetGrid), tested by what they draw: one panel per county, lines, titles, ticks."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color

from villagecon.errors import UsageError
from villagecon.report import style
from villagecon.report.facets import county_small_multiples
from villagecon.report.plots import CITY_COLOUR, INCOME_COLOUR
from villagecon.vocab.labels import WHOLE_CITY


@pytest.fixture(autouse=True)
def chinese_style():
    style.use()
    yield
    plt.close("all")


def _accounts() -> pd.DataFrame:
    """Three counties over three years, codes from 郴州市's; 北湖区 has the smallest code, 汝城县 the largest.

    汝城县: 上河村 3,800 → 100,000 (exactly the line) → 419,600; 大坪村 always below.
    北湖区: 塔水村 above every year; 桥口村 below, then above in 2023.
    宜章县: 梅田村 has no income in 2021 (missing: not counted), below after.
    """
    rows = [
        ("汝城县", "431026100001", "上河村", [3_800.0, 100_000.0, 419_600.0]),
        ("汝城县", "431026100002", "大坪村", [50_000.0, 60_000.0, 90_000.0]),
        ("北湖区", "431002100001", "塔水村", [120_000.0, 150_000.0, 250_000.0]),
        ("北湖区", "431002100002", "桥口村", [20_000.0, 30_000.0, 110_000.0]),
        ("宜章县", "431022100001", "梅田村", [np.nan, 40_000.0, 45_000.0]),
    ]
    return pd.DataFrame(
        [
            {"county": county, "village_code": code, "village": village, "year": year, "total_income": income}
            for county, code, village, incomes in rows
            for year, income in zip((2021, 2022, 2023), incomes, strict=True)
        ]
    )


def test_one_panel_per_county_in_official_order_titled_with_its_name():
    grid = county_small_multiples(_accounts())
    assert [ax.get_title() for ax in grid.axes.flat] == ["北湖区", "宜章县", "汝城县"]
    assert grid.figure._suptitle.get_text() == "本年收入合计达到10万元的村占比"
    assert grid.axes.flat[0].get_ylabel() == "达到10万元的村占比"
    assert all(ax.get_xlabel() == "年度" for ax in grid.axes[-3:])


def test_each_panel_draws_its_county_s_share_and_the_whole_area_dotted():
    grid = county_small_multiples(_accounts())
    beihu, yizhang, rucheng = grid.axes.flat
    county_line, whole_line = rucheng.get_lines()
    x, y = county_line.get_xydata().T
    assert x.tolist() == [2021, 2022, 2023]
    assert y.tolist() == [0.0, 0.5, 0.5]  # 100,000 reaches 10万元 (inclusive)
    assert same_color(county_line.get_color(), INCOME_COLOUR) and county_line.get_marker() == "o"
    # The whole area: 1/4 known in 2021 (梅田村 missing), 2/5 in 2022, 3/5 in 2023.
    assert whole_line.get_ydata() == pytest.approx([0.25, 0.4, 0.6])
    assert whole_line.get_linestyle() == ":" and same_color(whole_line.get_color(), CITY_COLOUR)
    assert whole_line.get_label() == WHOLE_CITY
    assert beihu.get_lines()[0].get_ydata().tolist() == [0.5, 0.5, 1.0]
    # 宜章县 has no known income in 2021: no point for that year, not a zero.
    assert yizhang.get_lines()[0].get_xydata().tolist() == [[2022, 0.0], [2023, 0.0]]


def test_exceeding_only_moves_the_village_exactly_at_the_line():
    grid = county_small_multiples(_accounts(), inclusive=False)
    rucheng = grid.axes.flat[2]
    assert rucheng.get_lines()[0].get_ydata().tolist() == [0.0, 0.0, 0.5]


def test_ticks_are_whole_years_and_percentages():
    grid = county_small_multiples(_accounts())
    ax = grid.axes.flat[0]
    grid.figure.canvas.draw()
    years = [float(t.get_text()) for t in ax.get_xticklabels() if t.get_text()]
    assert years and all(year == int(year) for year in years)
    assert {"0%", "100%"} <= {t.get_text() for t in ax.get_yticklabels()}


def test_a_chinese_measure_name_and_threshold_word_the_titles():
    accounts = _accounts().assign(operational_income=lambda a: a["total_income"])
    grid = county_small_multiples(accounts, measure="经营性收入", threshold=50_000)
    assert grid.figure._suptitle.get_text() == "经营性收入达到5万元的村占比"
    assert grid.axes.flat[2].get_lines()[0].get_ydata().tolist() == [0.5, 1.0, 1.0]  # 大坪村 has 5万 in 2021


def test_chinese_draws_without_missing_glyphs():
    grid = county_small_multiples(_accounts())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grid.figure.canvas.draw()
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def test_accounts_without_counties_or_incomes_are_refused_with_the_reason():
    with pytest.raises(UsageError, match="no county column"):
        county_small_multiples(_accounts().drop(columns="county"))
    with pytest.raises(UsageError, match="no county has a known total_income"):
        county_small_multiples(_accounts().assign(total_income=np.nan))
