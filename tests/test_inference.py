"""Inference with few clusters: Webb weights, the percentile-t summary, the Wald test and the wild cluster bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from villagecon.analysis.inference import (
    BOOTSTRAP_DRAWS,
    bootstrap_summary,
    wald_test,
    webb_weights,
    wild_cluster_bootstrap,
)


def test_webb_weights_take_six_points_one_per_cluster_and_draw_from_a_fixed_seed():
    weights = webb_weights(11)
    assert weights.shape == (11, BOOTSTRAP_DRAWS)
    assert np.allclose(
        sorted(set(np.round(weights.ravel(), 12))), np.round([-(1.5**0.5), -1, -(0.5**0.5), 0.5**0.5, 1, 1.5**0.5], 12)
    )
    assert np.array_equal(weights, webb_weights(11))  # the same data give the same p-values
    assert not np.array_equal(webb_weights(11, seed=15), weights)


def test_bootstrap_summary_counts_draws_at_least_as_extreme_and_scales_the_interval():
    # One term, coefficient 2 with standard error 1 (t = 2); departures of 0.5, 1, 3 and 4 standard errors.
    summary = bootstrap_summary(np.array([2.0]), np.array([1.0]), np.array([[0.5, -1.0, 3.0, -4.0]]), level=0.5)
    assert summary["p_value"].tolist() == [0.5]  # |3| and |-4| reach 2
    critical = np.quantile([0.5, 1.0, 3.0, 4.0], 0.5)  # 2.0
    assert summary["ci_low"].tolist() == [2.0 - critical] and summary["ci_high"].tolist() == [2.0 + critical]
    assert summary["inference"] == "wild cluster bootstrap (4)"


def test_wald_test_is_the_f_test_of_all_coefficients_zero():
    coef, cov = np.array([0.3, -0.2]), np.array([[0.04, 0.0], [0.0, 0.01]])
    result = wald_test(coef, cov, df_denom=29, terms=["event_time=-3", "event_time=-2"])
    stat = (0.3**2 / 0.04 + 0.2**2 / 0.01) / 2  # 3.125
    assert result["stat"] == pytest.approx(stat)
    assert result["p_value"] == pytest.approx(stats.f.sf(stat, 2, 29))
    assert (result["df"], result["df_denom"], result["terms"]) == (2, 29, ["event_time=-3", "event_time=-2"])


def test_wald_test_without_terms_or_with_an_unknown_covariance_gives_no_number():
    assert np.isnan(wald_test(np.array([]), np.zeros((0, 0)), df_denom=9, terms=[])["p_value"])
    assert np.isnan(wald_test(np.array([0.1]), np.array([[np.nan]]), df_denom=9, terms=["x"])["stat"])


def _panel(effect: float, seed: int = 3) -> pd.DataFrame:
    """12 villages (each its own cluster) over 6 years; x varies within villages, y = effect·x + village + noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for village in range(12):
        level = rng.normal(0, 2)
        for year in range(2017, 2023):
            x = rng.normal()
            rows.append(
                {
                    "entity": village,
                    "cluster": village,
                    "year": year,
                    "x": x,
                    "y": effect * x + level + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows)


def test_wild_cluster_bootstrap_finds_a_strong_effect_and_none_where_there_is_none():
    strong = wild_cluster_bootstrap(_panel(effect=1.0), ["x"], draws=199)
    assert strong["p_value"][0] < 0.01
    assert strong["ci_low"][0] < 1.0 < strong["ci_high"][0]
    assert strong["inference"] == "wild cluster bootstrap (199)"
    null = wild_cluster_bootstrap(_panel(effect=0.0), ["x"], draws=199)
    assert null["p_value"][0] > 0.05 and null["ci_low"][0] < 0.0 < null["ci_high"][0]


def test_wild_cluster_bootstrap_is_reproducible_with_its_seed():
    first = wild_cluster_bootstrap(_panel(effect=0.3), ["x"], draws=99)
    again = wild_cluster_bootstrap(_panel(effect=0.3), ["x"], draws=99)
    assert first["p_value"].tolist() == again["p_value"].tolist()
    assert first["ci_low"].tolist() == again["ci_low"].tolist()
