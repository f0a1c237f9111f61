"""Threshold, share, crossing, debt and tenure measures on small hand-built accounts."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from villagecon import (
    crossing_year,
    debt_to_revenue,
    income_by_tenure,
    share_above,
    threshold_status,
    trajectory,
    turnarounds,
)
from villagecon.analysis.metrics import (
    INCOME_MEASURES,
    category_table,
    in_net_debt,
    mark_approximate_measure,
    village_categories,
)
from villagecon.errors import UsageError

NaN = np.nan


@pytest.fixture
def accounts() -> pd.DataFrame:
    """Four villages, three years. 上河村 follows the article: 负债4.2万元 in 2017, 40余万元 in 2022."""
    rows = [
        # county, township, village, code, year, total_income, liabilities
        ("汝城县", "濠头乡", "上河村", "431026100201", 2017, 3_800, 42_000),
        ("汝城县", "濠头乡", "上河村", "431026100201", 2018, 96_000, 18_000),
        ("汝城县", "濠头乡", "上河村", "431026100201", 2022, 419_600, 0),
        ("汝城县", "濠头乡", "下村", "431026100202", 2017, 120_000, 0),  # above from the start, dips once
        ("汝城县", "濠头乡", "下村", "431026100202", 2018, 90_000, 0),
        ("汝城县", "濠头乡", "下村", "431026100202", 2022, 150_000, 0),
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2017, 74_100, 10_000),
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2018, 100_000, 0),  # exactly 10万元 counts as above
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2022, 231_800, 0),
        ("北湖区", "华塘镇", "石村", "431002100106", 2017, NaN, 5),  # income not reported
        ("北湖区", "华塘镇", "石村", "431002100106", 2018, 0, 1_000),
        ("北湖区", "华塘镇", "石村", "431002100106", 2022, 50_000, 200_000),
    ]
    frame = pd.DataFrame(
        rows, columns=["county", "township", "village", "village_code", "year", "total_income", "liabilities"]
    )
    return frame.astype({"total_income": "float64", "liabilities": "float64"})


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


def test_debt_to_revenue_marks_zero_negative_and_missing_incomes():
    accounts = pd.DataFrame(
        {
            "total_income": [3_800.0, 0.0, -5_000.0, NaN, 50_000.0, 80_000.0],
            "liabilities": [42_000.0, 1_000.0, 2_000.0, 5.0, NaN, 0.0],
        }
    )
    result = debt_to_revenue(accounts)
    assert result["debt_to_revenue"].tolist()[0] == pytest.approx(42_000 / 3_800)
    assert result["debt_to_revenue"].tolist()[5] == 0.0
    assert result["debt_to_revenue"].iloc[1:5].isna().all()
    assert not np.isinf(result["debt_to_revenue"]).any()
    assert result["debt_to_revenue_status"].tolist() == [
        "ok",
        "zero_income",
        "negative_income",
        "missing_income",
        "missing_liabilities",
        "ok",
    ]


def test_trajectory_of_shanghe_goes_from_net_debt_to_income(accounts):
    result = trajectory(accounts, "上河村")
    assert result["year"].tolist() == [2017, 2018, 2022]
    assert result["net_position"].tolist() == [-38_200.0, 78_000.0, 419_600.0]
    assert result["in_net_debt"].tolist() == [True, False, False]
    assert result["debt_to_revenue"].tolist() == pytest.approx([42_000 / 3_800, 18_000 / 96_000, 0.0])
    assert list(result.columns) == [
        "county",
        "township",
        "village",
        "village_code",
        "year",
        "total_income",
        "liabilities",
        "net_position",
        "in_net_debt",
        "debt_to_revenue",
        "debt_to_revenue_status",
    ]
    # The name as a ledger writes it, and the code, find the same village.
    pd.testing.assert_frame_equal(trajectory(accounts, "上河村村委会"), result)
    pd.testing.assert_frame_equal(trajectory(accounts.iloc[::-1], "431026100201"), result)


def test_trajectory_missing_income_gives_a_missing_position(accounts):
    result = trajectory(accounts, "石村")
    assert np.isnan(result["net_position"].iloc[0])
    assert result["in_net_debt"].tolist() == [pd.NA, True, True]
    assert result["net_position"].iloc[2] == -150_000.0


def test_trajectory_unknown_or_ambiguous_village(accounts):
    with pytest.raises(UsageError, match="no village '上和村' in the accounts; closest: 上河村"):
        trajectory(accounts, "上和村")
    namesake = accounts.assign(village=accounts["village"].replace({"下村": "上河村"}))
    with pytest.raises(UsageError, match=r"'上河村' names 2 villages .*: pass the village_code instead"):
        trajectory(namesake, "上河村")


def test_turnarounds_finds_shanghe(accounts):
    result = turnarounds(accounts, from_year=2017, to_year=2022)
    assert result["village"].tolist() == ["上河村"]
    assert result.iloc[0][
        [
            "from_year",
            "to_year",
            "income_from",
            "liabilities_from",
            "net_position_from",
            "income_to",
            "liabilities_to",
            "net_position_to",
        ]
    ].tolist() == [2017, 2022, 3_800.0, 42_000.0, -38_200.0, 419_600.0, 0.0, 419_600.0]
    # 石村 was in net debt in 2018 (0 income, 1,000 owed) and reached only 50,000 by 2022, owing 200,000: still
    # in net debt by the same definition, so no turnaround at any threshold.
    assert turnarounds(accounts, from_year=2018, to_year=2022).empty
    assert turnarounds(accounts, from_year=2018, to_year=2022, threshold=50_000).empty
    assert turnarounds(
        accounts.assign(
            liabilities=accounts["liabilities"].where(
                accounts["village"].ne("石村") | accounts["year"].ne(2022), 20_000.0
            )
        ),
        from_year=2018,
        to_year=2022,
        threshold=50_000,
    )["village"].tolist() == ["石村"]


def test_turnarounds_obey_their_definition_of_net_debt_in_both_years(accounts):
    # 塔水村 owing 8万 on 7.41万 in 2017 and reaching exactly 10万元 in 2018: a turnaround with 达到 (>=), not
    # with 超过 (>).
    owing = accounts.assign(
        liabilities=accounts["liabilities"].where(
            accounts["village"].ne("塔水村") | accounts["year"].ne(2017), 80_000.0
        )
    )
    assert turnarounds(owing, from_year=2017, to_year=2018)["village"].tolist() == ["塔水村"]
    assert turnarounds(owing, from_year=2017, to_year=2018, inclusive=False).empty
    # 资不抵债: liabilities above assets. 上河村 owes 4.2万 with 3万 of assets in 2017 (in debt), 上河村 and
    # 石村 in 2022 hold assets above their debts; 塔水村 owes 1万 with 50万 of assets: never in debt.
    assets = {
        ("上河村", 2017): 30_000.0,
        ("上河村", 2018): 60_000.0,
        ("上河村", 2022): 500_000.0,
        ("塔水村", 2017): 500_000.0,
        ("塔水村", 2018): 520_000.0,
        ("塔水村", 2022): 560_000.0,
        ("石村", 2017): 10.0,
        ("石村", 2018): 500.0,
        ("石村", 2022): 260_000.0,
        ("下村", 2017): 1.0,
        ("下村", 2018): 1.0,
        ("下村", 2022): 1.0,
    }
    with_assets = accounts.assign(
        assets=[assets[(v, y)] for v, y in zip(accounts["village"], accounts["year"], strict=True)]
    )
    balance_sheet = turnarounds(
        with_assets, from_year=range(2017, 2022), to_year=2022, threshold=50_000, debt="liabilities_over_assets"
    )
    assert balance_sheet["village"].tolist() == ["石村", "上河村"]
    assert balance_sheet.set_index("village").loc[
        "石村", ["from_year", "net_position_from", "net_position_to"]
    ].tolist() == [2018, -500.0, 60_000.0]
    by_income = turnarounds(with_assets, from_year=range(2017, 2022), to_year=2022, threshold=50_000)
    assert by_income["village"].tolist() == ["上河村"]  # 石村 owes 20万 on 5万 of income in 2022
    with pytest.raises(UsageError, match="needs the accounts' assets column"):
        turnarounds(accounts, from_year=2017, to_year=2022, debt="liabilities_over_assets")
    with pytest.raises(UsageError, match="debt must be one of liabilities_over_income, liabilities_over_assets"):
        in_net_debt(accounts["total_income"], accounts["liabilities"], debt="net")


def test_turnarounds_checks_its_years(accounts):
    with pytest.raises(UsageError, match=r"from_year \(2022\) must be before to_year \(2017\)"):
        turnarounds(accounts, from_year=2022, to_year=2017)
    with pytest.raises(UsageError, match="the accounts have no year 2016; they cover 2017, 2018, 2022"):
        turnarounds(accounts, from_year=2016, to_year=2022)


def test_income_by_tenure_intervals_use_t_with_n_minus_1_degrees_of_freedom():
    panel = pd.DataFrame(
        {
            "village": ["甲", "乙", "丙"],
            "year": [2022] * 3,
            "tenure_years": [3, 3, 3],
            "total_income": [80_000.0, 100_000.0, 120_000.0],
        }
    )
    row = income_by_tenure(panel).iloc[0]
    # n = 3: mean 100,000, s = 20,000, SE = 20,000/√3; t(2) at 97.5% = 4.3027 (1.96 would give ±22,632).
    assert row["std_err_yuan"] == pytest.approx(20_000 / np.sqrt(3))
    assert row["ci_high_yuan"] - row["mean_yuan"] == pytest.approx(4.302653 * 20_000 / np.sqrt(3), rel=1e-6)
    assert row["ci_low_yuan"] == pytest.approx(100_000 - 49_683.0, abs=1)


def test_village_categories_shell_and_weak_villages():
    accounts = pd.DataFrame(
        {
            "county": ["汝城县"] * 4 + ["北湖区"],
            "year": [2022] * 5,
            "village": ["甲", "乙", "丙", "丁", "戊"],
            "operational_income": [0.0, 30_000.0, 50_000.0, 80_000.0, NaN],
        }
    )
    assert village_categories(accounts)["category"].tolist() == ["空壳村", "薄弱村", pd.NA, pd.NA, pd.NA]
    assert village_categories(accounts, weak_below=100_000)["category"].tolist() == [
        "空壳村",
        "薄弱村",
        "薄弱村",
        "薄弱村",
        pd.NA,
    ]
    table = category_table(accounts, weak_below=100_000)
    assert table[["county", "n_villages", "n_shell", "n_weak", "n_missing"]].values.tolist() == [
        ["北湖区", 0, 0, 0, 1],
        ["汝城县", 4, 1, 3, 0],
    ]


def test_income_by_tenure_mean_median_and_counts(caplog):
    panel = pd.DataFrame(
        {
            "village": ["甲", "甲", "乙", "乙", "丙", "丙"],
            "year": [2017, 2018, 2017, 2018, 2017, 2018],
            "tenure_years": pd.array([0, 1, 1, 2, pd.NA, 0], dtype="Int64"),
            "background": ["其他", "其他", "退役军人", "退役军人", None, "退役军人"],
            "total_income": [10.0, 30.0, 5.0, 100.0, 999.0, 7.0],
        }
    )
    with caplog.at_level(logging.INFO, logger="villagecon"):
        result = income_by_tenure(panel)
    assert "1 of 6 village-years left out" in caplog.text  # 丙 2017 had no secretary
    assert result.drop(columns=["std_err_yuan", "ci_low_yuan", "ci_high_yuan"]).to_dict("list") == {
        "tenure_years": [0, 1, 2],
        "n_village_years": [2, 2, 1],
        "n_villages": [2, 2, 1],
        "mean_yuan": [8.5, 17.5, 100.0],
        "median_yuan": [8.5, 17.5, 100.0],
    }
    # Two village-years: t with 1 degree of freedom (12.71), not 1.96; one village-year: no interval.
    assert result["std_err_yuan"].tolist()[:2] == pytest.approx([1.5, 12.5])
    assert result["ci_high_yuan"].tolist()[:2] == pytest.approx([8.5 + 12.7062 * 1.5, 17.5 + 12.7062 * 12.5], rel=1e-5)
    assert np.isnan(result["ci_low_yuan"].iloc[2])
    by_background = income_by_tenure(panel, by=("background",))
    assert by_background[["background", "tenure_years", "n_village_years", "mean_yuan"]].values.tolist() == [
        ["其他", 0, 1, 10.0],
        ["其他", 1, 1, 30.0],
        ["退役军人", 0, 1, 7.0],
        ["退役军人", 1, 1, 5.0],
        ["退役军人", 2, 1, 100.0],
    ]
    with pytest.raises(UsageError, match=r"no tenure_years: add it with villagecon.tenure"):
        income_by_tenure(panel.drop(columns="tenure_years"))


@pytest.mark.parametrize(
    "metric",
    [
        threshold_status,
        share_above,
        crossing_year,
        debt_to_revenue,
        lambda df: trajectory(df, "上河村"),
        lambda df: turnarounds(df, from_year=2017, to_year=2022),
        lambda df: income_by_tenure(df.assign(tenure_years=1)),
    ],
)
def test_metrics_never_change_their_input(accounts, metric):
    before = accounts.copy()
    result = metric(accounts)
    pd.testing.assert_frame_equal(accounts, before)
    assert result is not accounts


def test_a_loss_with_nothing_owed_is_not_net_debt():
    accounts = pd.DataFrame(
        {
            "village": ["甲村"] * 4,
            "year": [2016, 2017, 2018, 2019],
            "operating_profit": [-8_400.0, -24_000.0, 18_000.0, -1_000.0],
            "liabilities": [0.0, 42_000.0, 18_000.0, NaN],
        }
    )
    result = trajectory(accounts, "甲村", income="operating_profit")
    assert result["net_position"].tolist()[:3] == [-8_400.0, -66_000.0, 0.0]
    # 2016: a loss, but nothing owed; 2018: owes exactly its income, not more; 2019: debt unknown.
    assert result["in_net_debt"].tolist() == [False, True, False, pd.NA]
    assert in_net_debt(pd.Series([NaN, NaN]), pd.Series([0.0, 5.0])).tolist() == [False, pd.NA]
    assert turnarounds(
        accounts.assign(operating_profit=[-8_400.0, -24_000.0, 150_000.0, 0.0]),
        from_year=2016,
        to_year=2018,
        measure="operating_profit",
    ).empty


def test_turnarounds_over_a_range_of_debt_years_name_the_last_one(accounts):
    # 上河村 owed nothing in 2016 (as in the sample data) and 4.2万元 in 2017.
    early = accounts.loc[accounts["village"].eq("上河村") & accounts["year"].eq(2017)].assign(
        year=2016, total_income=12_600.0, liabilities=0.0
    )
    with_2016 = pd.concat([early, accounts], ignore_index=True)
    assert "上河村" not in turnarounds(with_2016, from_year=2016, to_year=2022)["village"].tolist()
    result = turnarounds(with_2016, from_year=range(2016, 2022), to_year=2022)
    assert result[
        ["village", "from_year", "to_year", "income_from", "liabilities_from", "net_position_from", "income_to"]
    ].values.tolist() == [["上河村", 2017, 2022, 3_800.0, 42_000.0, -38_200.0, 419_600.0]]
    # 石村 was in net debt in 2018 and still is in 2022: never listed, whatever the threshold.
    low = turnarounds(with_2016, from_year=range(2016, 2022), to_year=2022, threshold=50_000)
    assert low.set_index("village")["from_year"].to_dict() == {"上河村": 2017}
    # Years of the range missing from the data are fine (2019-2021 here); the range must end before to_year.
    assert turnarounds(with_2016, from_year=range(2017, 2021), to_year=2022)["village"].tolist() == ["上河村"]
    with pytest.raises(UsageError, match=r"from_year \(2016–2022\) must be before to_year \(2022\)"):
        turnarounds(with_2016, from_year=range(2016, 2023), to_year=2022)
    with pytest.raises(UsageError, match="the accounts have no year 2019, 2020, 2021"):
        turnarounds(with_2016, from_year=range(2019, 2022), to_year=2022)
    with pytest.raises(UsageError, match="holds no year"):
        turnarounds(with_2016, from_year=range(2018, 2018), to_year=2022)


def test_mark_approximate_measure_follows_the_parts_of_each_measure():
    place = {"county": "汝城县", "township": "濠头乡", "village": "上河村", "village_code": "431026201205"}
    entries = pd.DataFrame(
        [
            {
                **place,
                "year": 2022,
                "item": "operating_income",
                "detail": None,
                "amount_yuan": 168_000.0,
                "approx": False,
            },
            {**place, "year": 2022, "item": "total_income", "detail": None, "amount_yuan": 400_000.0, "approx": True},
            {**place, "year": 2022, "item": "admin_expense", "detail": None, "amount_yuan": 45_000.0, "approx": False},
            {
                **place,
                "year": 2021,
                "item": "operating_income",
                "detail": None,
                "amount_yuan": 130_000.0,
                "approx": True,
            },
            {**place, "year": 2021, "item": "operating_income", "detail": "光伏", "amount_yuan": 1.0, "approx": False},
            {**place, "year": 2021, "item": "assets", "detail": None, "amount_yuan": 9.0, "approx": True},
        ]
    )
    accounts = pd.DataFrame(
        [
            {**place, "year": 2021, "approx": True},
            {**place, "year": 2022, "approx": True},
            {**place, "year": 2023, "approx": False},
        ]
    ).assign(
        total_income=[130_000.0, 400_000.0, 1.0],
        operational_income=[130_000.0, 168_000.0, 1.0],
        operating_profit=[130_000.0, 123_000.0, 1.0],
    )

    def flags(measure):
        return mark_approximate_measure(accounts, entries, measure=measure)[f"{measure}_approx"].tolist()

    # 2022: the reported total is approximate, its parts are not; 2021: the total is derived from an approximate part.
    assert flags("total_income") == [True, True, False]
    assert flags("operational_income") == [True, False, False]
    assert flags("operating_profit") == [True, False, False]
    assert "operating_profit_approx" not in accounts  # input untouched
