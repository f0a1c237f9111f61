"""Debt (villagecon/analysis/debt.py): debt to revenue, net debt, a village's trajectory and turnarounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.analysis.debt import debt_to_revenue, in_net_debt, trajectory, turnarounds
from villagecon.errors import UsageError

NaN = np.nan


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


@pytest.mark.parametrize(
    "metric",
    [
        debt_to_revenue,
        lambda df: trajectory(df, "上河村"),
        lambda df: turnarounds(df, from_year=2017, to_year=2022),
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
