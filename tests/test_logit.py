"""The logit of being at or above 10万元 (villagecon/analysis/logit.py), on simulated panels."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from scipy.special import expit

from villagecon.analysis.logit import threshold_logit
from villagecon.errors import UsageError

from village_panels import BACKGROUNDS, simulate_panel


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
