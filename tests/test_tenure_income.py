"""Income by the secretary's years in office (villagecon/analysis/tenure_income.py): means, medians, t intervals."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from villagecon.analysis.tenure_income import income_by_tenure
from villagecon.errors import UsageError


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
        lambda df: income_by_tenure(df.assign(tenure_years=1)),
    ],
)
def test_metrics_never_change_their_input(accounts, metric):
    before = accounts.copy()
    result = metric(accounts)
    pd.testing.assert_frame_equal(accounts, before)
    assert result is not accounts
