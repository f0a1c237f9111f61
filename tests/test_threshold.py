"""The 10万元 threshold (villagecon/analysis/threshold.py): status, shares by area and year, crossing years."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.analysis.accounts import INCOME_MEASURES
from villagecon.analysis.threshold import crossing_year, share_above, threshold_status
from villagecon.errors import UsageError


def test_threshold_status_marks_at_or_above_and_leaves_missing_missing(accounts):
    before = accounts.copy()
    result = threshold_status(accounts)
    pd.testing.assert_frame_equal(accounts, before)
    assert result["above_threshold"].tolist() == [
        False,
        False,
        True,
        True,
        False,
        True,
        False,
        True,
        True,
        pd.NA,
        False,
        False,
    ]
    assert result["above_threshold"].dtype == "boolean"
    assert threshold_status(accounts, threshold=400_000)["above_threshold"].sum() == 1  # only 上河村 2022


@pytest.mark.parametrize("measure", INCOME_MEASURES)
def test_every_income_measure_is_accepted(accounts, measure):
    with_measure = accounts.assign(**{measure: accounts["total_income"] / 2})
    result = threshold_status(with_measure, measure=measure)
    assert result["above_threshold"].tolist()[:3] == [False, False, True]  # 1,900 / 48,000 / 209,800


def test_a_wrong_measure_lists_the_valid_ones(accounts):
    with pytest.raises(UsageError) as raised:
        threshold_status(accounts, measure="income")
    assert str(raised.value) == (
        "'income' is not an income measure villagecon knows; name one of: 经营收入 (operating_income)、"
        "发包及上交收入 (contract_income)、投资收益 (investment_income)、补助收入 (subsidy_income)、"
        "其他收入 (other_income)、本年收入合计 (total_income)、本年收益 (net_income)、"
        "经营性收入 (operational_income)、经营收益 (operating_profit)"
    )
    with pytest.raises(UsageError, match=r"accounts has no column 'operational_income' \(经营性收入\)"):
        share_above(accounts, measure="operational_income")


def test_share_above_by_county_and_year_with_whole_city_rows(accounts):
    result = share_above(accounts)
    assert list(result.columns) == ["county", "year", "n_villages", "n_above", "n_missing", "share", "whole_city"]
    assert result[["county", "year", "n_villages", "n_above", "n_missing", "whole_city"]].values.tolist() == [
        ["北湖区", 2017, 1, 0, 1, False],  # 石村 has no income in 2017: missing, not below
        ["汝城县", 2017, 2, 1, 0, False],
        ["全市", 2017, 3, 1, 1, True],
        ["北湖区", 2018, 2, 1, 0, False],
        ["汝城县", 2018, 2, 0, 0, False],
        ["全市", 2018, 4, 1, 0, True],
        ["北湖区", 2022, 2, 1, 0, False],
        ["汝城县", 2022, 2, 2, 0, False],
        ["全市", 2022, 4, 3, 0, True],
    ]
    assert result["share"].tolist() == pytest.approx([0, 0.5, 1 / 3, 0.5, 0, 0.25, 0.5, 1, 0.75])


def test_share_above_other_groupings(accounts):
    no_total = share_above(accounts, whole_city=None)
    assert len(no_total) == 6 and not no_total["whole_city"].any()
    by_year = share_above(accounts, by=["year"])
    assert by_year[["year", "n_villages", "n_above"]].values.tolist() == [[2017, 3, 1], [2018, 4, 1], [2022, 4, 3]]
    townships = share_above(accounts, by=("county", "township", "year"), threshold=50_000)
    city_2022 = townships.loc[townships["whole_city"] & townships["year"].eq(2022)]
    assert city_2022[["county", "township", "n_villages", "n_above"]].values.tolist() == [["全市", "全市", 4, 4]]
    with pytest.raises(UsageError, match="cannot group by province"):
        share_above(accounts, by=("province", "year"))


def test_crossing_year_first_year_above_and_what_came_after(accounts):
    result = crossing_year(accounts).set_index("village")
    assert result.loc["上河村", ["first_year", "last_year", "first_year_above"]].tolist() == [2017, 2022, 2022]
    assert result.loc[
        "上河村", ["above_from_start", "stayed_above", "years_below_since", "above_in_last_year"]
    ].tolist() == [False, True, 0, True]
    # Above in its first year (it may have crossed earlier), below in 2018, above again in 2022.
    assert result.loc[
        "下村", ["first_year_above", "above_from_start", "stayed_above", "years_below_since"]
    ].tolist() == [2017, True, False, 1]
    assert result.loc["塔水村", ["first_year_above", "stayed_above", "years_below_since"]].tolist() == [2018, True, 0]
    # Never above: the crossing columns are missing, not False or 0; its income is first known in 2018.
    assert result.loc["石村", "first_year"] == 2018
    assert (
        result.loc["石村", ["first_year_above", "above_from_start", "stayed_above", "years_below_since"]].isna().all()
    )
    assert not result.loc["石村", "above_in_last_year"]
    assert result.loc["石村", "village_code"] == "431002100106"


@pytest.mark.parametrize(
    "metric",
    [
        threshold_status,
        share_above,
        crossing_year,
    ],
)
def test_metrics_never_change_their_input(accounts, metric):
    before = accounts.copy()
    result = metric(accounts)
    pd.testing.assert_frame_equal(accounts, before)
    assert result is not accounts
