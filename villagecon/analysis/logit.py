"""The chance of being at or above the threshold: :func:`threshold_logit` by tenure and background, with
clustered standard errors and :func:`average_marginal_effects`.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

from villagecon.analysis.inference import BOOTSTRAP_DRAWS, FEW_CLUSTERS, bootstrap_summary, webb_weights
from villagecon.analysis.panel import model_data
from villagecon.analysis.threshold import DEFAULT_THRESHOLD
from villagecon.errors import UsageError
from villagecon.ingest.roster import BACKGROUNDS
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["REFERENCE_BACKGROUND", "average_marginal_effects", "threshold_logit"]

log = logging.getLogger(__name__)

REFERENCE_BACKGROUND = "其他"


@accepts_measure_names("measure")
def threshold_logit(
    panel: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    regressors: tuple[str, ...] | list[str] = ("tenure_years",),
    background: bool = True,
    year_effects: bool = True,
    cluster: str | None = "village",
    level: float = 0.95,
) -> pd.DataFrame:
    """Logit of being at or above the threshold on tenure and the secretary's background.

    ``P(measure >= threshold) = Λ(const + regressors · b + background dummies + year dummies)``,
    by ``statsmodels`` Logit with standard errors clustered by village, and average
    marginal effects (:func:`average_marginal_effects`: a background's effect is the average
    change in probability from the reference background, 其他, to that background, every
    row's other characteristics as observed; delta-method standard errors).
    There are no village effects: a logit with one dummy per village is biased in
    short panels (the incidental-parameters problem).

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village, ``measure``, ``regressors`` and, with
        ``background=True``, background.
    threshold, measure
        As in :func:`villagecon.analysis.metrics.threshold_status`.
    regressors : sequence of str
        Numeric regressors (default tenure_years).
    background : bool
        Add a dummy for every background but the reference, 其他 (or the first of
        :data:`villagecon.ingest.roster.BACKGROUNDS` present when no secretary is 其他).
    year_effects : bool
        Add year dummies (default), since incomes rise with the year for every village.
    cluster : str or None
        As in :func:`tenure_effect` (statsmodels' G/(G−1)·(N−1)/(N−K) correction).
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per regressor and background dummy (``background[退役军人]`` …; the
        year dummies and constant are left out), columns:

        - term; coef, std_err, ci_low, ci_high, p_value: log-odds coefficient; intervals and
          p-values from Student's t with clusters − 1 degrees of freedom (N − K unclustered);
          with fewer than 30 clusters, from the wild score bootstrap (Webb weights, a fixed
          seed; a warning is logged);
        - ame, ame_std_err, ame_ci_low, ame_ci_high, ame_p_value: average marginal
          effect on the probability of being at or above the threshold (delta method; the
          bootstrap's departures carried through the same gradients);
        - inference: ``t(df)`` or ``wild score bootstrap (999)``;
        - n_obs, n_villages, n_clusters, n_above (village-years at or above),
          n_dropped_missing; n_dropped_one_sided_years: village-years left out, with
          ``year_effects=True``, because every village of their year is on one side
          of the threshold (their year dummy would separate them; logged as a
          warning); reference_background.

    Raises
    ------
    UsageError
        A column is missing, every village-year is on one side of the threshold, every
        village-year of a background is on one side, or the fit does not converge
        (a regressor separates the two, or nearly).
    """
    regressors = list(regressors)
    needed = regressors + (["background"] if background else [])
    data, info = model_data(panel, outcome=measure, log=False, regressors=needed, cluster=cluster)
    above = data["y"].ge(threshold).astype("float64")
    if above.nunique() < 2:
        raise UsageError(
            f"every usable village-year is {'at or above' if above.iloc[0] else 'below'} "
            f"{threshold:,.0f}: a logit needs both"
        )
    dropped_one_sided = 0
    if year_effects:
        # A year in which every village is on one side has a year dummy that separates it perfectly.
        one_sided = above.groupby(data["year"]).nunique().lt(2)
        if one_sided.any():
            years = one_sided.index[one_sided].tolist()
            keep = ~data["year"].isin(years)
            dropped_one_sided = int((~keep).sum())
            log.warning(
                "threshold_logit: %d village-years of %s left out: in those years every village is on "
                "one side of %s (a year dummy would separate them perfectly)",
                dropped_one_sided,
                ", ".join(map(str, years)),
                f"{threshold:,.0f}",
            )
            data, above = data.loc[keep].reset_index(drop=True), above.loc[keep].reset_index(drop=True)
            if above.nunique() < 2:
                raise UsageError(
                    f"once the years with every village on one side of {threshold:,.0f} are left "
                    "out, every usable village-year is on one side: a logit needs both"
                )
    design = data[regressors].astype("float64")
    reference = None
    if background:
        present = [b for b in BACKGROUNDS if b in set(data["background"])]
        unknown = sorted(set(data["background"]) - set(BACKGROUNDS))
        if unknown:
            raise UsageError(f"background {'、'.join(unknown)} is not one of {'、'.join(BACKGROUNDS)}")
        reference = REFERENCE_BACKGROUND if REFERENCE_BACKGROUND in present else present[0]
        sides = above.groupby(data["background"]).nunique()
        if one_sided_backgrounds := [b for b in present if sides[b] < 2]:
            raise UsageError(
                f"every village-year whose secretary's background is {'、'.join(one_sided_backgrounds)} "
                f"is on one side of {threshold:,.0f}, which separates them perfectly: pass "
                "background=False, or a threshold with villages on both sides in every background"
            )
        for level_name in present:
            if level_name != reference:
                design[f"background[{level_name}]"] = data["background"].eq(level_name).astype("float64")
    terms = list(design.columns)
    if year_effects:
        years = sorted(data["year"].unique())
        for year in years[1:]:
            design[f"year[{year}]"] = data["year"].eq(year).astype("float64")
    design = sm.add_constant(design, has_constant="add")
    covariance = (
        {"cov_type": "cluster", "cov_kwds": {"groups": data["cluster"].to_numpy()}} if cluster else {"cov_type": "HC1"}
    )
    separated = (
        "A regressor separates the villages above the threshold from those below (or nearly): drop it, "
        "pass background=False or year_effects=False, or pick another threshold or year range"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=PerfectSeparationWarning)
        warnings.simplefilter("error", category=ConvergenceWarning)
        try:
            fit = sm.Logit(above, design).fit(disp=0, maxiter=200, **covariance)
            fit.cov_params()  # (computed here, inside the checks)
            if not fit.mle_retvals.get("converged", True):
                raise ConvergenceWarning("the likelihood did not converge")
        except (PerfectSeparationWarning, PerfectSeparationError, ConvergenceWarning, np.linalg.LinAlgError) as exc:
            raise UsageError(f"the logit cannot be estimated: {exc}. {separated}") from None
        # A covariance that is not positive definite (a near-separation the optimiser got past) shows here.
        warnings.simplefilter("error", category=RuntimeWarning)
        try:
            std_err = np.sqrt(np.diag(fit.cov_params().loc[terms, terms].to_numpy()))
            margins = average_marginal_effects(
                fit, design, numeric=regressors, backgrounds=[t for t in terms if t.startswith("background[")]
            )
        except RuntimeWarning as exc:
            raise UsageError(f"the logit's standard errors cannot be computed: {exc}. {separated}") from None
    df = data["cluster"].nunique() - 1 if cluster else len(data) - design.shape[1]
    critical = stats.t.ppf(0.5 + level / 2, df)
    coef = fit.params[terms].to_numpy()
    ame, ame_se = margins["ame"].to_numpy(), margins["std_err"].to_numpy()
    out = pd.DataFrame(
        {
            "term": terms,
            "coef": coef,
            "std_err": std_err,
            "ci_low": coef - critical * std_err,
            "ci_high": coef + critical * std_err,
            "p_value": 2 * stats.t.sf(np.abs(coef / std_err), df),
            "ame": ame,
            "ame_std_err": ame_se,
            "ame_ci_low": ame - critical * ame_se,
            "ame_ci_high": ame + critical * ame_se,
            "ame_p_value": 2 * stats.t.sf(np.abs(ame / ame_se), df),
            "inference": f"t({df})",
        }
    )
    if cluster and df + 1 < FEW_CLUSTERS:
        log.warning(
            "threshold_logit: %d clusters (fewer than %d): p-values and intervals by the wild score "
            "bootstrap (Webb weights, %d draws); the analytic clustered standard errors are unreliable",
            df + 1,
            FEW_CLUSTERS,
            BOOTSTRAP_DRAWS,
        )
        departures = _score_departures(fit, design, above, data["cluster"])
        positions = [list(design.columns).index(t) for t in terms]
        for prefix, estimate, error, draws in (
            ("", coef, std_err, departures[positions]),
            ("ame_", ame, ame_se, np.vstack(list(margins["gradient"])) @ departures),
        ):
            boot = bootstrap_summary(estimate, error, draws, level=level)
            out[[f"{prefix}p_value", f"{prefix}ci_low", f"{prefix}ci_high"]] = np.column_stack(
                [boot["p_value"], boot["ci_low"], boot["ci_high"]]
            )
        out["inference"] = f"wild score bootstrap ({BOOTSTRAP_DRAWS})"
    return out.assign(
        n_obs=len(data),
        n_villages=data["entity"].nunique(),
        n_clusters=pd.array([data["cluster"].nunique() if cluster else pd.NA] * len(out), dtype="Int64"),
        n_above=int(above.sum()),
        n_dropped_missing=info["dropped_missing"],
        n_dropped_one_sided_years=dropped_one_sided,
        reference_background=reference,
    )


def _score_departures(fit: Any, design: pd.DataFrame, above: pd.Series, clusters: pd.Series) -> np.ndarray:
    """The wild score bootstrap of a logit (Kline and Santos 2012): each cluster's score, through the inverse
    Hessian, flipped with Webb weights; returns the departures ``b* − b`` (coefficients × draws), which the
    delta method's gradients carry to the marginal effects."""
    x = design.to_numpy(dtype="float64")
    p = expit(x @ fit.params.to_numpy())
    hessian = (x * (p * (1 - p))[:, None]).T @ x
    influence = np.linalg.solve(hessian, (x * (above.to_numpy(dtype="float64") - p)[:, None]).T).T
    by_cluster = pd.DataFrame(influence).groupby(pd.factorize(clusters)[0]).sum().to_numpy()
    departures: npt.NDArray[np.float64] = by_cluster.T @ webb_weights(len(by_cluster))
    return departures


def average_marginal_effects(
    fit: Any, design: pd.DataFrame, *, numeric: list[str], backgrounds: list[str]
) -> pd.DataFrame:
    """Average marginal effects of a fitted logit, with delta-method standard errors from ``fit``'s covariance.

    - a numeric regressor ``x``: the mean over rows of ``dP/dx = Λ'(x·b) · b_x``;
    - a background ``b`` (a dummy among ``backgrounds``, the reference having none): the mean over rows
      of ``P(row with background b) − P(row with the reference background)``, every background dummy of
      the row set to 0 but ``b``'s. A proper contrast: statsmodels' ``get_margeff(dummy=True)`` switches
      ``b`` on while the row's own background stays on, so most rows get two backgrounds.

    The gradient of each effect with respect to the coefficients is averaged over rows too, and the
    standard error is ``sqrt(g' V g)``.

    Parameters
    ----------
    fit : statsmodels LogitResults
        The fitted logit (``params`` and ``cov_params()`` over the columns of ``design``).
    design : DataFrame
        The rows it was fitted on, one column per coefficient.
    numeric : list of str
        Numeric regressors.
    backgrounds : list of str
        The background dummies (``background[退役军人]`` …).

    Returns
    -------
    DataFrame
        Indexed by term (numeric, then backgrounds): ame, std_err and gradient (per coefficient).
    """
    params = fit.params.to_numpy()
    cov = fit.cov_params().to_numpy()
    x = design.to_numpy(dtype="float64")
    columns = list(design.columns)
    rows = []
    for term in numeric:
        j = columns.index(term)
        p = expit(x @ params)
        density = p * (1 - p)
        # d/db of mean(Λ'(xb)·b_j) = mean(Λ''(xb)·b_j·x) + mean(Λ'(xb))·e_j, with Λ'' = Λ'(1 − 2Λ)
        gradient = (density * (1 - 2 * p) * params[j]) @ x / len(x)
        gradient[j] += density.mean()
        rows.append({"term": term, "ame": float(np.mean(density * params[j])), "gradient": gradient})
    dummies = [columns.index(b) for b in backgrounds]
    reference = x.copy()
    reference[:, dummies] = 0.0
    p_reference = expit(reference @ params)
    for term, j in zip(backgrounds, dummies, strict=True):
        switched = reference.copy()
        switched[:, j] = 1.0
        p_switched = expit(switched @ params)
        gradient = ((p_switched * (1 - p_switched)) @ switched - (p_reference * (1 - p_reference)) @ reference) / len(x)
        rows.append({"term": term, "ame": float(np.mean(p_switched - p_reference)), "gradient": gradient})
    return (
        pd.DataFrame(
            {
                "term": [r["term"] for r in rows],
                "ame": [r["ame"] for r in rows],
                "std_err": [float(np.sqrt(r["gradient"] @ cov @ r["gradient"])) for r in rows],
                "gradient": [r["gradient"] for r in rows],
            }
        )
        .set_index("term")
        .loc[[*numeric, *backgrounds]]
    )
