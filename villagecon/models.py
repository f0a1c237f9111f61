"""Panel models of village income and the Party secretary: does income grow with tenure, or jump at a change?

- :func:`tenure_effect`: two-way fixed effects (village and year) of income on completed
  years in office, with standard errors clustered by village (``linearmodels.PanelOLS``).
- :func:`event_study`: income in the years around a new secretary's arrival, relative
  to the year before (−1), with binned ends.
- :func:`threshold_logit`: the chance of being at or above 10万元 by tenure and
  background (``statsmodels`` logit, clustered standard errors, average marginal effects).

Each takes a village-year panel: the accounts after :func:`villagecon.roster.tenure`
(columns year, village or village_code, the outcome, tenure_years, background), and
returns a tidy table, one row per term. The panel is never changed.

Zero and negative incomes under ``log=True``
--------------------------------------------
The log of an income of 0 or below is undefined. Such village-years are **dropped**
from a log model, and their number is in the ``n_dropped_nonpositive`` column of the
result and logged as a warning. The alternatives were rejected: ``log1p`` (or any small
constant) would place a village with 0 income a dozen log points below one with
100,000 yuan, so that a few zeros would drive the estimate; an inverse hyperbolic
sine has the same problem and depends on the unit. Use ``log=False`` to keep every
village-year with income in yuan.

Degrees of freedom of the clustered standard errors
---------------------------------------------------
Village fixed effects are nested in the village clusters, so they are not counted
in the small-sample factor (Cameron and Miller 2015, §VI.B; Stata's ``xtreg, fe``
and ``reghdfe``): the clustered covariance is the sandwich times
``G/(G−1) · (N−1)/(N−K)`` with G clusters, N observations and K the regressors
plus the year effects and the constant, and tests use Student's t with G−1 degrees
of freedom. statsmodels OLS with village dummies counts the dummies in K; its
standard errors are then larger by ``sqrt((N−K)/(N−K−(villages−1)))``, nothing else.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from linearmodels import PanelOLS
from linearmodels.panel.utility import AbsorbingEffectError
from scipy import stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

from villagecon.errors import UsageError
from villagecon.metrics import DEFAULT_THRESHOLD, INCOME_MEASURES, village_index
from villagecon.roster import BACKGROUNDS
from villagecon.synonyms import accepts_measure_names

_logger = logging.getLogger("villagecon")   # not `log`: that is the argument of the models

TIDY_COLUMNS = ("term", "coef", "std_err", "ci_low", "ci_high", "p_value", "n_obs", "n_villages", "n_clusters",
                "n_dropped_missing", "n_dropped_nonpositive", "outcome")
REFERENCE_BACKGROUND = "其他"


@accepts_measure_names("outcome")
def tenure_effect(panel: pd.DataFrame, *, outcome: str = "total_income", log: bool = True,
                  controls: tuple[str, ...] | list[str] = (), cluster: str | None = "village",
                  level: float = 0.95) -> pd.DataFrame:
    """Two-way fixed-effects estimate of how income changes with each completed year of the secretary's tenure.

    ``outcome[i, t] = tenure_years[i, t] · b + controls · c + village_i + year_t + e[i, t]``,
    estimated by ``linearmodels.PanelOLS`` (entity and time effects). The effect is
    identified only by secretary changes: within one spell tenure rises with the
    year exactly as the year effects do.

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village_code or village, ``outcome``,
        tenure_years and ``controls`` (from :func:`villagecon.roster.tenure`).
    outcome : str
        Income column, one of :data:`villagecon.metrics.INCOME_MEASURES` (default total_income).
    log : bool
        Model ``log(outcome)`` (default): ``b`` is then about the proportional change
        per year in office (0.06 ≈ 6 %). Zero and negative incomes are dropped and
        counted (see the module notes).
    controls : sequence of str
        Further numeric regressors.
    cluster : str or None
        ``"village"`` (default) clusters by village; a place column in which every
        village lies in one group (``"township"``, ``"county"``) clusters by it;
        None gives heteroskedasticity-robust (HC1) errors that count every effect.
    level : float
        Confidence level of ci_low/ci_high (default 0.95).

    Returns
    -------
    DataFrame
        One row per term (tenure_years, then the controls), columns:

        - term: the regressor;
        - coef: its estimated coefficient (in log points with ``log=True``, else yuan);
        - std_err: clustered standard error (module notes: degrees of freedom);
        - ci_low, ci_high: the ``level`` confidence interval, Student's t with
          clusters − 1 degrees of freedom (N − K without clusters);
        - p_value: two-sided, for coef = 0;
        - n_obs: village-years used; n_villages: villages among them;
          n_clusters: clusters (NA without clustering);
        - n_dropped_missing: village-years left out because the outcome, tenure or
          a control is missing (e.g. no secretary on 31 December);
        - n_dropped_nonpositive: village-years left out because ``log=True`` and the
          outcome is 0 or negative;
        - outcome: what was modelled, ``log(total_income)`` or ``total_income``.

    Raises
    ------
    UsageError
        A column is missing, the cluster does not contain whole villages, or
        tenure_years is collinear with the fixed effects (no village changed
        secretary in the panel).
    """
    data, info = _model_data(panel, outcome=outcome, log=log, regressors=["tenure_years", *controls],
                             cluster=cluster)
    fit = _two_way(data, ["tenure_years", *controls], clustered=cluster is not None, level=level,
                   what="tenure_years is collinear with the village and year effects (no village changed "
                        "secretary within the panel?)")
    return _tidy(fit, info)


@accepts_measure_names("outcome")
def event_study(panel: pd.DataFrame, *, outcome: str = "total_income", log: bool = True,
                window: tuple[int, int] = (-3, 5), cluster: str | None = "village",
                level: float = 0.95) -> pd.DataFrame:
    """Income in the years around a new secretary's arrival, relative to the year before it.

    For every arrival year ``e`` of a village (the year a secretary in office on some
    31 December of the panel took office: ``year − tenure_years``), year ``t`` is
    event time ``k = t − e``. The model is the distributed-lag event study with binned
    ends (Schmidheiny and Siegloch 2023), which allows several arrivals per village::

        outcome[i, t] = Σ_k D_k[i, t] · b_k + village_i + year_t + e[i, t]

    where for ``window = (lo, hi)`` and ``lo < k < hi``, ``D_k`` counts the village's
    arrivals exactly ``k`` years before ``t``; ``D_lo`` counts arrivals ``−lo`` or more
    years ahead, ``D_hi`` arrivals ``hi`` or more years past. ``k = −1`` is the
    reference (``b_−1 = 0``). Effects of successive arrivals add up; arrivals after
    the panel, and secretaries who left before any 31 December, are not seen.

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village_code or village, ``outcome`` and tenure_years.
    outcome, log, cluster, level
        As in :func:`tenure_effect`.
    window : (int, int)
        First and last event time (default −3 to 5); the ends are bins.

    Returns
    -------
    DataFrame
        One row per event time from ``lo`` to ``hi``, columns:

        - event_time: k (int); term: ``event_time<=-3``, ``event_time=-2``, …, ``event_time>=5``;
        - binned: True for the two end bins; reference: True for k = −1;
        - coef, std_err, ci_low, ci_high, p_value: as in :func:`tenure_effect`, relative
          to k = −1 (the reference row has coef 0 and NaN for the rest);
        - n_obs_at: village-years with an arrival at that event time;
        - n_obs, n_villages, n_clusters, n_dropped_missing, n_dropped_nonpositive,
          outcome: as in :func:`tenure_effect`; n_events: arrivals used.
    """
    lo, hi = window
    if not (lo <= -2 and hi >= 1):
        raise UsageError(f"window {window} must reach at least from -2 to 1: -1 is the reference year")
    if "tenure_years" not in panel:
        raise UsageError("panel has no tenure_years: add it with villagecon.roster.tenure(accounts, roster)")
    # Years without a secretary on 31 December stay in: their income is known, only their event time is not.
    data, info = _model_data(panel, outcome=outcome, log=log, regressors=[], cluster=cluster, keep=["tenure_years"])
    arrivals = (data.loc[data["tenure_years"].notna(), ["entity"]]
                .assign(arrival=data["year"] - data["tenure_years"].astype("float64"))
                .drop_duplicates())
    times = [k for k in range(lo, hi + 1) if k != -1]
    names = {k: _event_term(k, lo, hi) for k in times}
    if arrivals.empty:
        raise UsageError("no village-year has a secretary with a known start: there is no arrival to study")
    pairs = data[["entity", "year"]].reset_index(names="row").merge(arrivals, on="entity")
    pairs["k"] = (pairs["year"] - pairs["arrival"]).clip(lo, hi).astype("int64")
    counts = pd.crosstab(pairs["row"], pairs["k"]).reindex(index=data.index, columns=times, fill_value=0)
    dummies = counts.rename(columns=names).astype("float64")
    fit = _two_way(pd.concat([data, dummies], axis=1), list(names.values()), clustered=cluster is not None,
                   level=level,
                   what="the event-time dummies are collinear with the village and year effects (too few "
                        "arrivals, or a window longer than the panel)")
    tidy = _tidy(fit, info).set_index("term")
    rows = []
    for k in range(lo, hi + 1):
        base = {"event_time": k, "term": _event_term(k, lo, hi), "binned": k in (lo, hi), "reference": k == -1,
                "n_obs_at": int(pairs.loc[pairs["k"].eq(k), "row"].nunique())}
        if k == -1:
            rows.append({**base, "coef": 0.0, "std_err": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "p_value": np.nan})
        else:
            rows.append({**base, **tidy.loc[base["term"], ["coef", "std_err", "ci_low", "ci_high", "p_value"]]})
    shared = tidy.iloc[0][["n_obs", "n_villages", "n_clusters", "n_dropped_missing", "n_dropped_nonpositive",
                           "outcome"]]
    out = pd.DataFrame(rows).assign(**shared.to_dict(), n_events=len(arrivals))
    return out.astype({"n_obs": "int64", "n_villages": "int64", "n_clusters": "Int64", "n_dropped_missing": "int64",
                       "n_dropped_nonpositive": "int64"})


@accepts_measure_names("measure")
def threshold_logit(panel: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD, measure: str = "total_income",
                    regressors: tuple[str, ...] | list[str] = ("tenure_years",), background: bool = True,
                    year_effects: bool = True, cluster: str | None = "village", level: float = 0.95) -> pd.DataFrame:
    """Logit of being at or above the threshold on tenure and the secretary's background.

    ``P(measure >= threshold) = Λ(const + regressors · b + background dummies + year dummies)``,
    by ``statsmodels`` Logit with standard errors clustered by village, and average
    marginal effects (``get_margeff(at="overall")``; a background dummy's effect is the
    average change in probability from switching it on, everything else as observed).
    There are no village effects: a logit with one dummy per village is biased in
    short panels (the incidental-parameters problem).

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village, ``measure``, ``regressors`` and, with
        ``background=True``, background.
    threshold, measure
        As in :func:`villagecon.metrics.threshold_status`.
    regressors : sequence of str
        Numeric regressors (default tenure_years).
    background : bool
        Add a dummy for every background but the reference, 其他 (or the first of
        :data:`villagecon.roster.BACKGROUNDS` present when no secretary is 其他).
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

        - term; coef, std_err, ci_low, ci_high, p_value: log-odds coefficient, normal
          approximation;
        - ame, ame_std_err, ame_ci_low, ame_ci_high, ame_p_value: average marginal
          effect on the probability of being at or above the threshold (delta method);
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
    data, info = _model_data(panel, outcome=measure, log=False, regressors=needed, cluster=cluster)
    above = data["y"].ge(threshold).astype("float64")
    if above.nunique() < 2:
        raise UsageError(f"every usable village-year is {'at or above' if above.iloc[0] else 'below'} "
                         f"{threshold:,.0f}: a logit needs both")
    dropped_one_sided = 0
    if year_effects:
        # A year in which every village is on one side has a year dummy that separates it perfectly.
        one_sided = above.groupby(data["year"]).nunique().lt(2)
        if one_sided.any():
            years = one_sided.index[one_sided].tolist()
            keep = ~data["year"].isin(years)
            dropped_one_sided = int((~keep).sum())
            _logger.warning("threshold_logit: %d village-years of %s left out: in those years every village is on "
                            "one side of %s (a year dummy would separate them perfectly)", dropped_one_sided,
                            ", ".join(map(str, years)), f"{threshold:,.0f}")
            data, above = data.loc[keep].reset_index(drop=True), above.loc[keep].reset_index(drop=True)
            if above.nunique() < 2:
                raise UsageError(f"once the years with every village on one side of {threshold:,.0f} are left "
                                 "out, every usable village-year is on one side: a logit needs both")
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
            raise UsageError(f"every village-year whose secretary's background is {'、'.join(one_sided_backgrounds)} "
                             f"is on one side of {threshold:,.0f}, which separates them perfectly: pass "
                             "background=False, or a threshold with villages on both sides in every background")
        for level_name in present:
            if level_name != reference:
                design[f"background[{level_name}]"] = data["background"].eq(level_name).astype("float64")
    terms = list(design.columns)
    if year_effects:
        years = sorted(data["year"].unique())
        for year in years[1:]:
            design[f"year[{year}]"] = data["year"].eq(year).astype("float64")
    design = sm.add_constant(design, has_constant="add")
    covariance = ({"cov_type": "cluster", "cov_kwds": {"groups": data["cluster"].to_numpy()}} if cluster
                  else {"cov_type": "HC1"})
    separated = ("A regressor separates the villages above the threshold from those below (or nearly): drop it, "
                 "pass background=False or year_effects=False, or pick another threshold or year range")
    alpha = 1 - level
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=PerfectSeparationWarning)
        warnings.simplefilter("error", category=ConvergenceWarning)
        try:
            fit = sm.Logit(above, design).fit(disp=0, maxiter=200, **covariance)
            if not fit.mle_retvals.get("converged", True):
                raise ConvergenceWarning("the likelihood did not converge")
        except (PerfectSeparationWarning, PerfectSeparationError, ConvergenceWarning, np.linalg.LinAlgError) as exc:
            raise UsageError(f"the logit cannot be estimated: {exc}. {separated}") from None
        # A covariance that is not positive definite (a near-separation the optimiser got past) shows here.
        warnings.simplefilter("error", category=RuntimeWarning)
        try:
            ci = fit.conf_int(alpha=alpha)
            margins = fit.get_margeff(at="overall", method="dydx", dummy=True).summary_frame(alpha=alpha)
        except RuntimeWarning as exc:
            raise UsageError(f"the logit's standard errors cannot be computed: {exc}. {separated}") from None
    out = pd.DataFrame({
        "term": terms,
        "coef": fit.params[terms].to_numpy(),
        "std_err": fit.bse[terms].to_numpy(),
        "ci_low": ci.loc[terms, 0].to_numpy(),
        "ci_high": ci.loc[terms, 1].to_numpy(),
        "p_value": fit.pvalues[terms].to_numpy(),
        "ame": margins.loc[terms].iloc[:, 0].to_numpy(),
        "ame_std_err": margins.loc[terms].iloc[:, 1].to_numpy(),
        "ame_ci_low": margins.loc[terms].iloc[:, 4].to_numpy(),
        "ame_ci_high": margins.loc[terms].iloc[:, 5].to_numpy(),
        "ame_p_value": margins.loc[terms].iloc[:, 3].to_numpy(),
    })
    return out.assign(n_obs=len(data), n_villages=data["entity"].nunique(),
                      n_clusters=pd.array([data["cluster"].nunique() if cluster else pd.NA] * len(out), dtype="Int64"),
                      n_above=int(above.sum()), n_dropped_missing=info["dropped_missing"],
                      n_dropped_one_sided_years=dropped_one_sided, reference_background=reference)


# --- shared -----------------------------------------------------------------------------------------------

def _model_data(panel: pd.DataFrame, *, outcome: str, log: bool, regressors: list[str], cluster: str | None,
                keep: tuple[str, ...] | list[str] = ()) -> tuple[pd.DataFrame, dict]:
    """The rows a model can use (entity, year, cluster, y, regressors), and what was left out."""
    if outcome not in INCOME_MEASURES:
        raise UsageError(f"{outcome!r} is not an income measure; use one of {', '.join(INCOME_MEASURES)}")
    if outcome not in panel.columns:
        raise UsageError(f"panel has no column {outcome!r}")
    if missing := [c for c in ("year", *regressors) if c not in panel.columns]:
        hint = (": add tenure with villagecon.roster.tenure(accounts, roster)"
                if {"tenure_years", "background"} & set(missing) else "")
        raise UsageError(f"panel lacks column(s) {', '.join(missing)}{hint}")
    entity, _ = village_index(panel)
    data = pd.DataFrame({"entity": entity, "year": panel["year"].to_numpy(dtype="int64"),
                         "y": panel[outcome].to_numpy(dtype="float64", na_value=np.nan)})
    for column in [*regressors, *keep]:
        values = panel[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            data[column] = values.to_numpy(dtype="float64", na_value=np.nan)
        else:
            data[column] = values.to_numpy(dtype=object)
    data["cluster"] = _clusters(panel, entity, cluster)
    complete = data[["y", *regressors]].notna().all(axis=1)
    positive = data["y"].gt(0) if log else pd.Series(True, index=data.index)
    info = {"dropped_missing": int((~complete).sum()), "dropped_nonpositive": int((complete & ~positive).sum()),
            "outcome": f"log({outcome})" if log else outcome}
    if info["dropped_nonpositive"]:
        _logger.warning("%d village-years with %s of 0 or less left out of the log model (the log is undefined)",
                        info["dropped_nonpositive"], outcome)
    data = data.loc[complete & positive].reset_index(drop=True)
    if data.empty:
        raise UsageError(f"no village-year has {outcome} and {', '.join(regressors) or 'a year'}")
    if log:
        data["y"] = np.log(data["y"])
    return data, info


def _clusters(panel: pd.DataFrame, entity: np.ndarray, cluster: str | None) -> np.ndarray:
    if cluster is None:
        return np.zeros(len(panel), dtype="int64")
    if cluster == "village":
        return entity
    if cluster not in panel.columns:
        raise UsageError(f"cannot cluster by {cluster!r}: panel has no such column")
    codes = pd.factorize(panel[cluster], use_na_sentinel=False)[0]
    split = pd.Series(codes).groupby(entity).nunique()
    if split.max() > 1:
        raise UsageError(f"cannot cluster by {cluster!r}: {int(split.gt(1).sum())} village(s) fall in several "
                         f"{cluster} groups; clusters must contain whole villages")
    return codes


def _two_way(data: pd.DataFrame, terms: list[str], *, clustered: bool, level: float, what: str) -> dict:
    """PanelOLS with village and year effects; the covariance as the module notes describe."""
    indexed = data.set_index(["entity", "year"])
    # debiased=False and no effects counted: PanelOLS returns the bare sandwich; the factor is applied below.
    options = {"cov_type": "clustered", "clusters": indexed[["cluster"]]} if clustered else {"cov_type": "robust"}
    try:   # the constructor checks the rank too (e.g. a panel of one or two years)
        model = PanelOLS(indexed["y"], indexed[terms], entity_effects=True, time_effects=True)
        result = model.fit(debiased=False, auto_df=False, count_effects=False, **options)
    except AbsorbingEffectError as exc:
        # linearmodels lists the absorbed variables between "removed:" and "Set drop_absorbed", or says all were.
        listed = str(exc).partition("removed:")[2].partition("Set drop_absorbed")[0].split()
        if not listed and "All exog" in str(exc):
            listed = terms
        raise UsageError(f"{what} ({_years_and_villages(data)}); absorbed: "
                         f"{', '.join(listed) or 'see linearmodels'}") from None
    except ValueError as exc:
        if "rank" in str(exc):
            raise UsageError(f"{what} ({_years_and_villages(data)})") from None
        raise UsageError(f"the model cannot be estimated on this panel ({_years_and_villages(data)}): "
                         f"{exc}") from None
    n = len(data)
    k_all = int(result.df_model)   # regressors + village and year effects (+ the constant they imply)
    villages = data["entity"].nunique()
    if clustered:
        groups = data["cluster"].nunique()
        k = k_all - (villages - 1)   # village effects are nested in the clusters: not counted
        factor = groups / (groups - 1) * (n - 1) / (n - k)
        df = groups - 1
    else:
        groups = None
        factor = n / (n - k_all)
        df = n - k_all
    std_err = np.sqrt(np.diag(result.cov.to_numpy()) * factor)
    coef = result.params.to_numpy()
    t = coef / std_err
    critical = stats.t.ppf(0.5 + level / 2, df)
    return {"term": terms, "coef": coef, "std_err": std_err, "ci_low": coef - critical * std_err,
            "ci_high": coef + critical * std_err, "p_value": 2 * stats.t.sf(np.abs(t), df), "n_obs": n,
            "n_villages": villages, "n_clusters": groups}


def _years_and_villages(data: pd.DataFrame) -> str:
    years = sorted(data["year"].unique().tolist())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return f"{len(years)} year(s), {span}, {data['entity'].nunique()} villages"


def _tidy(fit: dict, info: dict) -> pd.DataFrame:
    out = pd.DataFrame({c: fit[c] for c in ("term", "coef", "std_err", "ci_low", "ci_high", "p_value")})
    out = out.assign(n_obs=fit["n_obs"], n_villages=fit["n_villages"],
                     n_clusters=pd.array([fit["n_clusters"]] * len(out), dtype="Int64"),
                     n_dropped_missing=info["dropped_missing"], n_dropped_nonpositive=info["dropped_nonpositive"],
                     outcome=info["outcome"])
    return out.loc[:, list(TIDY_COLUMNS)]


def _event_term(k: int, lo: int, hi: int) -> str:
    if k == lo:
        return f"event_time<={k}"
    if k == hi:
        return f"event_time>={k}"
    return f"event_time={k}"
