"""The two-way fixed effects model of income on tenure (villagecon/analysis/panel.py), on simulated panels."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from villagecon.analysis.event_studies import event_study
from villagecon.analysis.logit import threshold_logit
from villagecon.analysis.panel import tenure_effect
from villagecon.errors import UsageError

from village_panels import simulate_panel


def statsmodels_with_dummies(panel: pd.DataFrame, cov_type: str):
    data = panel.assign(log_income=np.log(panel["total_income"]))
    options = {"cov_kwds": {"groups": pd.factorize(data["village"])[0]}} if cov_type == "cluster" else {}
    return smf.ols("log_income ~ tenure_years + x + C(village) + C(year)", data=data).fit(cov_type=cov_type, **options)


def test_tenure_effect_equals_ols_with_village_and_year_dummies(small_panel):
    robust = tenure_effect(small_panel, controls=["x"], cluster=None).set_index("term")
    ols = statsmodels_with_dummies(small_panel, "HC1")
    np.testing.assert_allclose(robust["coef"], ols.params[["tenure_years", "x"]], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(robust["std_err"], ols.bse[["tenure_years", "x"]], rtol=1e-8, atol=0)

    clustered = tenure_effect(small_panel, controls=["x"]).set_index("term")
    ols = statsmodels_with_dummies(small_panel, "cluster")
    np.testing.assert_allclose(clustered["coef"], ols.params[["tenure_years", "x"]], rtol=1e-8, atol=1e-12)
    # The only difference: the 29 village dummies, nested in the village clusters, are not counted in K.
    n, k_with_dummies = len(small_panel), ols.df_model + 1
    not_counted = np.sqrt((n - k_with_dummies) / (n - k_with_dummies + 29))
    np.testing.assert_allclose(clustered["std_err"], ols.bse[["tenure_years", "x"]] * not_counted, rtol=1e-8, atol=0)
    assert clustered.loc["tenure_years", ["n_obs", "n_villages", "n_clusters"]].tolist() == [180, 30, 30]
    assert clustered["outcome"].unique().tolist() == ["log(total_income)"]


def test_tenure_effect_recovers_a_known_effect_within_its_interval():
    panel = simulate_panel(villages=400, years=range(2016, 2024), seed=11, tenure_effect=0.06)
    result = tenure_effect(panel)
    [row] = result.to_dict("records")
    assert row["term"] == "tenure_years"
    assert row["ci_low"] < 0.06 < row["ci_high"]
    assert row["coef"] == pytest.approx(0.06, abs=0.01)
    assert row["ci_high"] - row["ci_low"] < 0.02  # precise, not trivially wide
    assert row["p_value"] < 1e-10
    assert (row["n_obs"], row["n_villages"], row["n_clusters"]) == (3200, 400, 400)


def test_log_drops_zero_and_negative_incomes_and_counts_them(small_panel, caplog):
    panel = small_panel.copy()
    panel.loc[[0, 1], "total_income"] = [0.0, -500.0]  # no income, a loss
    panel.loc[2, "total_income"] = np.nan
    panel["tenure_years"] = panel["tenure_years"].astype("Int64")
    panel.loc[3, "tenure_years"] = pd.NA  # no secretary on 31 December
    before = panel.copy()
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        logged = tenure_effect(panel)
    pd.testing.assert_frame_equal(panel, before)
    assert logged[["n_obs", "n_dropped_missing", "n_dropped_nonpositive"]].values.tolist() == [[176, 2, 2]]
    assert "2 village-years with total_income of 0 or less left out of the log model" in caplog.text
    in_yuan = tenure_effect(panel, log=False)
    assert in_yuan[["n_obs", "n_dropped_missing", "n_dropped_nonpositive", "outcome"]].values.tolist() == [
        [178, 2, 0, "total_income"]
    ]


def test_tenure_without_any_change_of_secretary_is_refused():
    panel = simulate_panel(villages=20, years=range(2016, 2021), seed=3, change_rate=0.0)
    with pytest.raises(
        UsageError,
        match=r"tenure_years is collinear with the village and year effects .*"
        r"absorbed: tenure_years$",
    ):
        tenure_effect(panel, controls=["x"])


def test_clusters_must_hold_whole_villages(small_panel):
    by_county = tenure_effect(small_panel, cluster="county")
    assert by_county["n_clusters"].tolist() == [3]
    moved = small_panel.assign(county=np.where(small_panel["year"].eq(2021), "资兴市", small_panel["county"]))
    with pytest.raises(UsageError, match=r"30 village\(s\) fall in several county groups"):
        tenure_effect(moved, cluster="county")


def test_models_name_the_missing_or_wrong_column(small_panel):
    with pytest.raises(UsageError, match=r"panel lacks column\(s\) tenure_years: add tenure"):
        tenure_effect(small_panel.drop(columns="tenure_years"))
    with pytest.raises(
        UsageError,
        match=r"'income' is not an income measure villagecon knows; name one of: "
        r"经营收入 \(operating_income\)",
    ):
        tenure_effect(small_panel, outcome="income")
    with pytest.raises(UsageError, match="panel has no column 'operational_income'"):
        threshold_logit(small_panel, measure="operational_income")


def test_few_clusters_get_the_wild_cluster_bootstrap_and_a_warning(small_panel, caplog):
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        by_county = tenure_effect(small_panel, cluster="county").iloc[0]
    assert "3 clusters (fewer than 30): p-values and intervals by the wild cluster bootstrap" in caplog.text
    assert by_county["inference"] == "wild cluster bootstrap (999)"
    analytic = tenure_effect(small_panel).iloc[0]
    assert analytic["inference"] == "t(29)"
    assert by_county["coef"] == analytic["coef"]
    # Webb weights on 3 clusters: at most 6³ = 216 distinct draws; the p-value is a share of 999 draws.
    assert 0 <= by_county["p_value"] <= 1 and by_county["p_value"] * 999 == pytest.approx(
        round(by_county["p_value"] * 999)
    )
    assert by_county["ci_low"] < by_county["coef"] < by_county["ci_high"]
    again = tenure_effect(small_panel, cluster="county").iloc[0]  # a fixed seed: the same numbers
    assert again[["p_value", "ci_low", "ci_high"]].tolist() == by_county[["p_value", "ci_low", "ci_high"]].tolist()
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        events = event_study(small_panel, cluster="county", window=(-2, 2))
    assert events["inference"].unique().tolist() == ["wild cluster bootstrap (999)"]
    assert "wild (multiplier) cluster bootstrap" in caplog.text


def test_tenure_effect_reports_within_r2_and_the_villages_that_changed_secretary(small_panel):
    row = tenure_effect(small_panel).iloc[0]
    arrivals = (small_panel["year"] - small_panel["tenure_years"]).groupby(small_panel["village"]).nunique()
    assert row["n_villages_changed"] == int(arrivals.gt(1).sum()) and 0 < row["n_villages_changed"] < 30
    # Within R²: of log income on tenure after taking out village and year effects (Frisch–Waugh–Lovell).
    data = small_panel.assign(y=np.log(small_panel["total_income"]))
    residual = {c: smf.ols(f"{c} ~ C(village) + C(year)", data=data).fit().resid for c in ("y", "tenure_years")}
    within = smf.ols("y ~ tenure_years - 1", data=pd.DataFrame(residual)).fit()
    assert row["r2_within"] == pytest.approx(within.rsquared, abs=1e-8)
