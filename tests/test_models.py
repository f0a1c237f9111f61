"""Panel models on simulated village panels whose true effects are known."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from scipy.special import expit

from villagecon import event_study, tenure_effect, threshold_logit
from villagecon.errors import UsageError

BACKGROUNDS = np.array(["返乡大学生", "退役军人", "致富能手", "经商返乡人员", "其他"])


def simulate_panel(
    *,
    villages: int,
    years: range,
    seed: int,
    tenure_effect: float = 0.0,
    jump_at_arrival: float = 0.0,
    change_rate: float = 0.2,
    noise: float = 0.1,
) -> pd.DataFrame:
    """Village-years with secretary spells and log income built from known parts.

    Each village has an incumbent who took office up to 8 years before the panel, and a new
    secretary arrives with probability ``change_rate`` in every year. ``log(total_income) = 11 +
    village effect + 0.05·(year − first year) + tenure_effect·tenure_years + jump_at_arrival·(arrivals so
    far, the incumbent's included) + noise``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for village in range(villages):
        start = years[0] - int(rng.integers(0, 9))
        arrivals = 1
        for year in years:
            if year > years[0] and rng.random() < change_rate:
                start, arrivals = year, arrivals + 1
            rows.append(
                (
                    f"v{village:04d}",
                    f"43102610{village:04d}",
                    ["汝城县", "北湖区", "安仁县"][village % 3],
                    year,
                    year - start,
                    arrivals,
                )
            )
    panel = pd.DataFrame(rows, columns=["village", "village_code", "county", "year", "tenure_years", "arrivals"])
    village_effect = rng.normal(0, 0.45, villages)[panel["village"].str[1:].astype(int)]
    log_income = (
        11
        + village_effect
        + 0.05 * (panel["year"] - years[0])
        + tenure_effect * panel["tenure_years"]
        + jump_at_arrival * panel["arrivals"]
        + rng.normal(0, noise, len(panel))
    )
    return panel.assign(
        total_income=np.exp(log_income),
        x=rng.normal(size=len(panel)),
        background=BACKGROUNDS[rng.integers(0, 5, len(panel))],
    )


@pytest.fixture(scope="module")
def small_panel() -> pd.DataFrame:
    return simulate_panel(villages=30, years=range(2016, 2022), seed=7, tenure_effect=0.06)


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


def test_threshold_logit_marginal_effects_on_simulated_data():
    panel = simulate_panel(villages=800, years=range(2018, 2023), seed=13)
    rng = np.random.default_rng(17)
    veteran = panel["background"].eq("退役军人").to_numpy()
    index = -2.0 + 0.25 * panel["tenure_years"].to_numpy() + 0.8 * veteran
    above = rng.random(len(panel)) < expit(index)
    panel = panel.assign(total_income=np.where(above, 150_000.0, 50_000.0))
    # What the marginal effects should be, from the true model on these village-years.
    true_tenure_ame = np.mean(0.25 * expit(index) * (1 - expit(index)))
    base = index - 0.8 * veteran
    true_veteran_ame = np.mean(expit(base + 0.8) - expit(base))

    result = threshold_logit(panel, year_effects=False).set_index("term")

    assert result.index.tolist() == [
        "tenure_years",
        "background[返乡大学生]",
        "background[退役军人]",
        "background[致富能手]",
        "background[经商返乡人员]",
    ]
    assert result["reference_background"].unique().tolist() == ["其他"]
    tenure, veteran_row = result.loc["tenure_years"], result.loc["background[退役军人]"]
    assert tenure["ci_low"] < 0.25 < tenure["ci_high"]
    assert tenure["ame"] > 0 and abs(tenure["ame"] - true_tenure_ame) < 3 * tenure["ame_std_err"]
    assert tenure["ame_ci_low"] < true_tenure_ame < tenure["ame_ci_high"]
    assert veteran_row["ame"] > 0 and abs(veteran_row["ame"] - true_veteran_ame) < 3 * veteran_row["ame_std_err"]
    for other in ("background[返乡大学生]", "background[致富能手]", "background[经商返乡人员]"):
        assert result.loc[other, "ame_ci_low"] < 0 < result.loc[other, "ame_ci_high"]  # no effect simulated
    assert tenure[["n_obs", "n_villages", "n_clusters", "n_above"]].tolist() == [4000, 800, 800, int(above.sum())]

    with_years = threshold_logit(panel).set_index("term")  # year dummies: no year effect here
    assert with_years.loc["tenure_years", "ci_low"] < 0.25 < with_years.loc["tenure_years", "ci_high"]


def test_threshold_logit_needs_villages_on_both_sides(small_panel):
    with pytest.raises(UsageError, match="every usable village-year is at or above 1"):
        threshold_logit(small_panel, threshold=1)


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


def _logit_panel() -> pd.DataFrame:
    """Above the threshold with a chance rising in tenure, except in the first year, when no village is."""
    panel = simulate_panel(villages=400, years=range(2016, 2022), seed=13)
    rng = np.random.default_rng(5)
    above = rng.random(len(panel)) < expit(-1.5 + 0.2 * panel["tenure_years"].to_numpy())
    above &= panel["year"].ne(2016).to_numpy()
    return panel.assign(total_income=np.where(above, 150_000.0, 50_000.0))


def test_threshold_logit_leaves_out_years_with_every_village_on_one_side_and_says_so(caplog):
    panel = _logit_panel()
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="villagecon"):
        warnings.simplefilter("error")  # no ConvergenceWarning, no invalid sqrt
        result = threshold_logit(panel).set_index("term")
    assert (
        "threshold_logit: 400 village-years of 2016 left out: in those years every village is on one side "
        "of 100,000" in caplog.text
    )
    assert result.loc["tenure_years", ["n_obs", "n_dropped_one_sided_years"]].tolist() == [2000, 400]
    assert result.loc["tenure_years", "ci_low"] < 0.2 < result.loc["tenure_years", "ci_high"]
    assert np.isfinite(result[["std_err", "ame_std_err"]].to_numpy()).all()
    # Without year dummies the year does not separate anything, and nothing is left out.
    pooled = threshold_logit(panel, year_effects=False)
    assert pooled["n_obs"].unique().tolist() == [2400] and pooled["n_dropped_one_sided_years"].eq(0).all()


def test_threshold_logit_refuses_a_background_on_one_side_of_the_threshold():
    panel = _logit_panel()
    panel.loc[panel["background"].eq("退役军人"), "total_income"] = 50_000.0
    with pytest.raises(
        UsageError,
        match=r"every village-year whose secretary's background is 退役军人 is on one "
        r"side of 100,000.*: pass background=False",
    ):
        threshold_logit(panel)
    assert threshold_logit(panel, background=False)["term"].tolist() == ["tenure_years"]


def test_threshold_logit_that_does_not_converge_is_a_usage_error():
    panel = _logit_panel()
    # Every secretary in office four years or more is above: tenure separates the two almost perfectly.
    panel["total_income"] = np.where(panel["tenure_years"].ge(4) & panel["year"].ne(2016), 150_000.0, 50_000.0)
    with pytest.raises(UsageError, match=r"the logit cannot be estimated: .*drop it, pass background=False"):
        threshold_logit(panel, regressors=("tenure_years",))


def test_background_effects_are_contrasts_against_the_reference_by_hand():
    """Large effects, so that switching one background on while the row's own stays on (get_margeff(dummy=True))
    and the proper contrast against 其他 differ clearly."""
    panel = simulate_panel(villages=600, years=range(2018, 2022), seed=21)
    rng = np.random.default_rng(3)
    effects = {"返乡大学生": 1.5, "退役军人": -1.0, "致富能手": 2.0, "经商返乡人员": 0.5, "其他": 0.0}
    index = -0.5 + 0.1 * panel["tenure_years"].to_numpy() + panel["background"].map(effects).to_numpy()
    panel = panel.assign(total_income=np.where(rng.random(len(panel)) < expit(index), 150_000.0, 50_000.0))
    result = threshold_logit(panel, year_effects=False).set_index("term")

    # By hand: refit, then the mean over rows of P(background b) − P(其他), other columns as observed.
    others = [b for b in BACKGROUNDS if b != "其他"]
    design = pd.DataFrame({"const": 1.0, "tenure_years": panel["tenure_years"].astype(float)})
    for b in others:
        design[f"background[{b}]"] = panel["background"].eq(b).astype(float)
    fit = smf.logit(
        "above ~ tenure_years + C(background, Treatment('其他'))",
        data=panel.assign(above=panel["total_income"].ge(100_000).astype(float)),
    ).fit(disp=0)
    params = fit.params.to_numpy()  # const, backgrounds in sorted order, tenure
    names = sorted(others)
    coef = {"const": params[0], "tenure_years": params[-1], **dict(zip(names, params[1:-1], strict=True))}
    base = coef["const"] + coef["tenure_years"] * design["tenure_years"].to_numpy()
    for b in others:
        by_hand = np.mean(expit(base + coef[b]) - expit(base))
        assert result.loc[f"background[{b}]", "ame"] == pytest.approx(by_hand, abs=1e-6)
        assert result.loc[f"background[{b}]", "coef"] == pytest.approx(coef[b], abs=1e-5)
    # Delta method by hand for 致富能手: gradient of the mean difference in probabilities.
    switched = design.assign(**{f"background[{b}]": float(b == "致富能手") for b in others})
    reference = design.assign(**{f"background[{b}]": 0.0 for b in others})
    order = ["const", *[f"background[{b}]" for b in names], "tenure_years"]
    x1, x0 = switched[order].to_numpy(), reference[order].to_numpy()
    p1, p0 = expit(x1 @ params), expit(x0 @ params)
    gradient = ((p1 * (1 - p1)) @ x1 - (p0 * (1 - p0)) @ x0) / len(x1)
    clustered = smf.logit(
        "above ~ tenure_years + C(background, Treatment('其他'))",
        data=panel.assign(above=panel["total_income"].ge(100_000).astype(float)),
    ).fit(disp=0, cov_type="cluster", cov_kwds={"groups": pd.factorize(panel["village"])[0]})
    se = np.sqrt(gradient @ clustered.cov_params().to_numpy() @ gradient)
    assert result.loc["background[致富能手]", "ame_std_err"] == pytest.approx(se, rel=1e-6)
    # The statsmodels dummy margin (two backgrounds on at once for most rows) is another, wrong number.
    wrong = clustered.get_margeff(at="overall", dummy=True).summary_frame()
    wrong_rich = wrong.loc[[i for i in wrong.index if "致富能手" in i]].iloc[0, 0]
    assert abs(wrong_rich - result.loc["background[致富能手]", "ame"]) > 0.02
    # Student's t with clusters − 1 degrees of freedom.
    row = result.loc["background[致富能手]"]
    assert row["ame_ci_high"] - row["ame"] == pytest.approx(row["ame_std_err"] * 1.963933, rel=1e-5)  # t(599)


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


def test_a_logit_with_few_clusters_gets_the_wild_score_bootstrap_and_a_warning(small_panel, caplog):
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        by_county = threshold_logit(small_panel, cluster="county", background=False).set_index("term")
    assert "3 clusters (fewer than 30): p-values and intervals by the wild score bootstrap" in caplog.text
    analytic = threshold_logit(small_panel, background=False).set_index("term")
    assert analytic["inference"].eq("t(29)").all()
    assert by_county["inference"].eq("wild score bootstrap (999)").all()
    row, plain = by_county.loc["tenure_years"], analytic.loc["tenure_years"]
    assert row["coef"] == plain["coef"] and row["ame"] == plain["ame"]
    for prefix in ("", "ame_"):
        estimate = row["coef" if not prefix else "ame"]
        assert row[f"{prefix}ci_low"] < estimate < row[f"{prefix}ci_high"]
        assert row[f"{prefix}p_value"] * 999 == pytest.approx(round(row[f"{prefix}p_value"] * 999))
    # Not t(2)'s interval: with 3 clusters its 4.30 would make it about twice as wide as the bootstrap's.
    t_interval = row["ci_high"] - row["ci_low"]
    assert t_interval != pytest.approx(2 * stats.t.ppf(0.975, 2) * row["std_err"])
    again = threshold_logit(small_panel, cluster="county", background=False).set_index("term")
    pd.testing.assert_frame_equal(again, by_county)  # a fixed seed


def test_tenure_effect_reports_within_r2_and_the_villages_that_changed_secretary(small_panel):
    row = tenure_effect(small_panel).iloc[0]
    arrivals = (small_panel["year"] - small_panel["tenure_years"]).groupby(small_panel["village"]).nunique()
    assert row["n_villages_changed"] == int(arrivals.gt(1).sum()) and 0 < row["n_villages_changed"] < 30
    # Within R²: of log income on tenure after taking out village and year effects (Frisch–Waugh–Lovell).
    data = small_panel.assign(y=np.log(small_panel["total_income"]))
    residual = {c: smf.ols(f"{c} ~ C(village) + C(year)", data=data).fit().resid for c in ("y", "tenure_years")}
    within = smf.ols("y ~ tenure_years - 1", data=pd.DataFrame(residual)).fit()
    assert row["r2_within"] == pytest.approx(within.rsquared, abs=1e-8)
