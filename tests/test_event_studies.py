"""Event studies around a new secretary's arrival (villagecon/analysis/event_studies.py), on simulated panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.analysis.event_studies import event_study
from villagecon.analysis.panel import tenure_effect
from villagecon.errors import UsageError

from village_panels import simulate_panel


def test_twfe_event_study_reference_year_and_a_known_jump():
    panel = simulate_panel(villages=500, years=range(2014, 2024), seed=5, jump_at_arrival=0.3, change_rate=0.15)
    result = event_study(panel, window=(-3, 5), method="twfe")

    assert result["event_time"].tolist() == list(range(-3, 6))
    assert result["term"].tolist() == [
        "event_time<=-3",
        "event_time=-2",
        "event_time=-1",
        "event_time=0",
        "event_time=1",
        "event_time=2",
        "event_time=3",
        "event_time=4",
        "event_time>=5",
    ]
    assert result["binned"].tolist() == [True] + [False] * 7 + [True]
    reference = result.loc[result["event_time"].eq(-1)].iloc[0]
    assert reference["reference"] and reference["coef"] == 0.0
    assert np.isnan(reference[["std_err", "ci_low", "ci_high", "p_value"]].astype(float)).all()
    assert result["reference"].sum() == 1

    before = result.loc[result["event_time"].lt(-1)]
    after = result.loc[result["event_time"].ge(0)]
    assert (before["ci_low"] < 0).all() and (before["ci_high"] > 0).all()  # no effect before arrival
    assert (after["ci_low"] < 0.3).all() and (after["ci_high"] > 0.3).all()  # the jump of 0.3 after
    assert after["coef"].to_numpy() == pytest.approx(0.3, abs=0.05)
    assert (result["n_obs_at"] > 0).all()
    assert result["n_obs"].unique().tolist() == [5000]


def test_event_study_window_must_hold_the_reference_year(small_panel):
    with pytest.raises(UsageError, match=r"window \(-1, 3\) must reach at least from -2 to 1"):
        event_study(small_panel, window=(-1, 3))


def test_a_panel_too_short_for_the_model_is_a_usage_error_not_a_linearmodels_error():
    two_years = simulate_panel(villages=40, years=range(2016, 2018), seed=3, change_rate=0.3)
    with pytest.raises(
        UsageError,
        match=r"the event-time dummies are collinear .*\(2 year\(s\), 2016–2017, "
        r"40 villages\)",
    ):
        event_study(two_years, method="twfe")
    with pytest.raises(
        UsageError,
        match=r"no arrival has both years before it .*\(window -3 to 5; 2 year\(s\), "
        r"2016–2017, 40 villages\)",
    ):
        event_study(two_years)
    one_year = two_years.loc[two_years["year"].eq(2016)]
    with pytest.raises(
        UsageError,
        match=r"tenure_years is collinear .*\(1 year\(s\), 2016, 40 villages\); "
        r"absorbed: tenure_years$",
    ):
        tenure_effect(one_year)


def simulate_generator_like(*, villages: int, seed: int, effect: float = 0.06) -> pd.DataFrame:
    """Log income rising ``effect`` per year in office, so that the drop at a change depends on the predecessor's
    tenure (as in villagecon.sample.ledgers), and no anticipation."""
    return simulate_panel(villages=villages, years=range(2014, 2024), seed=seed, tenure_effect=effect, change_rate=0.12)


def test_stacked_event_study_has_no_pretrend_and_finds_the_drop_twfe_misses():
    panel = simulate_generator_like(villages=600, seed=11)
    stacked = event_study(panel)
    twfe = event_study(panel, method="twfe")
    assert stacked["term"].tolist() == [f"event_time={k}" for k in range(-3, 6)]
    assert stacked["method"].unique().tolist() == ["stacked"] and not stacked["binned"].any()
    # The truth at k: −effect·(predecessor's completed years + 1), averaged over the arrivals compared.
    events = stacked.attrs["events"]
    tenure_before = panel.set_index(["village_code", "year"])["tenure_years"]
    tau = tenure_before.reindex(pd.MultiIndex.from_arrays([events["village_code"], events["arrival"] - 1]))
    truth = events.assign(effect=-0.06 * (tau.to_numpy() + 1)).groupby("event_time")["effect"].mean()
    after = stacked.set_index("event_time").loc[0:5]
    assert (after["ci_low"] < truth.loc[0:5]).all() and (after["ci_high"] > truth.loc[0:5]).all()
    assert after["n_obs_at"].tolist() == events.groupby("event_time").size().loc[0:5].tolist()
    pretrend = stacked.attrs["pretrend"]
    assert set(pretrend) >= {"stat", "df", "p_value"} and pretrend["df"] == 2 and pretrend["p_value"] > 0.05
    assert pretrend["df_denom"] == 599
    # TWFE, contaminated by effects that differ by event: far from the truth at k = 5.
    assert twfe.set_index("event_time").loc[5, "coef"] - truth.loc[5] > 0.1
    assert set(twfe.attrs["pretrend"]) >= {"stat", "df", "p_value"}


def test_pretrend_test_rejects_anticipation():
    panel = simulate_panel(villages=400, years=range(2014, 2024), seed=2, change_rate=0.15)
    # Income falls by 0.2 two years before each arrival (anticipation): the pre-periods are not flat.
    arrivals = panel.assign(arrival=panel["year"] - panel["tenure_years"])[["village", "arrival"]].drop_duplicates()
    ahead = panel.merge(arrivals, on="village").assign(k=lambda d: d["year"] - d["arrival"])
    dip = ahead.loc[ahead["k"].eq(-2)].groupby(["village", "year"]).size()
    hit = panel.set_index(["village", "year"]).index.isin(dip.index)
    result = event_study(panel.assign(total_income=panel["total_income"] * np.where(hit, np.exp(-0.2), 1.0)))
    assert result.attrs["pretrend"]["p_value"] < 0.001
    assert result.set_index("event_time").loc[-2, "coef"] == pytest.approx(-0.2, abs=0.05)
