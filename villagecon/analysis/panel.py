"""Two-way fixed-effects panel models of village income: :func:`tenure_effect`, and the pieces the other models
share (the usable rows of a panel, the fit with village and year effects, the tidy table).

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
from typing import Any

import numpy as np
import pandas as pd
from linearmodels import PanelOLS
from linearmodels.panel.utility import AbsorbingEffectError
from scipy import stats

from villagecon.analysis.accounts import INCOME_MEASURES, village_index
from villagecon.analysis.inference import BOOTSTRAP_DRAWS, FEW_CLUSTERS, wild_cluster_bootstrap
from villagecon.errors import UsageError
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["TIDY_COLUMNS", "model_data", "tenure_effect", "tidy_table", "two_way_fit", "years_and_villages"]

_logger = logging.getLogger(__name__)  # not `log`: that is the argument of the models

TIDY_COLUMNS = (
    "term",
    "coef",
    "std_err",
    "ci_low",
    "ci_high",
    "p_value",
    "n_obs",
    "n_villages",
    "n_clusters",
    "n_dropped_missing",
    "n_dropped_nonpositive",
    "outcome",
    "n_villages_changed",
    "r2_within",
    "inference",
)


@accepts_measure_names("outcome")
def tenure_effect(
    panel: pd.DataFrame,
    *,
    outcome: str = "total_income",
    log: bool = True,
    controls: tuple[str, ...] | list[str] = (),
    cluster: str | None = "village",
    level: float = 0.95,
) -> pd.DataFrame:
    """Two-way fixed-effects estimate of how income changes with each completed year of the secretary's tenure.

    ``outcome[i, t] = tenure_years[i, t] · b + controls · c + village_i + year_t + e[i, t]``,
    estimated by ``linearmodels.PanelOLS`` (entity and time effects). The effect is
    identified only by secretary changes: within one spell tenure rises with the
    year exactly as the year effects do.

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village_code or village, ``outcome``,
        tenure_years and ``controls`` (from :func:`villagecon.tenure`).
    outcome : str
        Income column, one of :data:`villagecon.analysis.metrics.INCOME_MEASURES` (default total_income).
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
    data, info = model_data(panel, outcome=outcome, log=log, regressors=["tenure_years", *controls], cluster=cluster)
    fit = two_way_fit(
        data,
        ["tenure_years", *controls],
        clustered=cluster is not None,
        level=level,
        what="tenure_years is collinear with the village and year effects (no village changed "
        "secretary within the panel?)",
    )
    return tidy_table(fit, info)


def model_data(
    panel: pd.DataFrame,
    *,
    outcome: str,
    log: bool,
    regressors: list[str],
    cluster: str | None,
    keep: tuple[str, ...] | list[str] = (),
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The rows a model can use, and what was left out.

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village or village_code, ``outcome`` and ``regressors``.
    outcome : str
        One of :data:`~villagecon.analysis.accounts.INCOME_MEASURES`.
    log : bool
        Model ``log(outcome)``: village-years with 0 or less are dropped and counted.
    regressors : list of str
        Columns that must be known.
    cluster : str or None
        As in :func:`tenure_effect`.
    keep : sequence of str
        Further columns carried along (they may be missing).

    Returns
    -------
    DataFrame
        entity, year, y, the regressors and ``keep``, cluster: the complete rows.
    dict
        dropped_missing, dropped_nonpositive (counts) and outcome (``log(total_income)`` …).

    Raises
    ------
    UsageError
        A column is missing, the cluster splits a village, or no row is left.
    """
    if outcome not in INCOME_MEASURES:
        raise UsageError(f"{outcome!r} is not an income measure; use one of {', '.join(INCOME_MEASURES)}")
    if outcome not in panel.columns:
        raise UsageError(f"panel has no column {outcome!r}")
    if missing := [c for c in ("year", *regressors) if c not in panel.columns]:
        hint = (
            ": add tenure with villagecon.tenure(accounts, roster)"
            if {"tenure_years", "background"} & set(missing)
            else ""
        )
        raise UsageError(f"panel lacks column(s) {', '.join(missing)}{hint}")
    entity, _ = village_index(panel)
    data = pd.DataFrame(
        {
            "entity": entity,
            "year": panel["year"].to_numpy(dtype="int64"),
            "y": panel[outcome].to_numpy(dtype="float64", na_value=np.nan),
        }
    )
    for column in [*regressors, *keep]:
        values = panel[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            data[column] = values.to_numpy(dtype="float64", na_value=np.nan)
        else:
            data[column] = values.to_numpy(dtype=object)
    data["cluster"] = _clusters(panel, entity, cluster)
    complete = data[["y", *regressors]].notna().all(axis=1)
    positive = data["y"].gt(0) if log else pd.Series(True, index=data.index)
    info = {
        "dropped_missing": int((~complete).sum()),
        "dropped_nonpositive": int((complete & ~positive).sum()),
        "outcome": f"log({outcome})" if log else outcome,
    }
    if info["dropped_nonpositive"]:
        _logger.warning(
            "%d village-years with %s of 0 or less left out of the log model (the log is undefined)",
            info["dropped_nonpositive"],
            outcome,
        )
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
        raise UsageError(
            f"cannot cluster by {cluster!r}: {int(split.gt(1).sum())} village(s) fall in several "
            f"{cluster} groups; clusters must contain whole villages"
        )
    return codes


def two_way_fit(data: pd.DataFrame, terms: list[str], *, clustered: bool, level: float, what: str) -> dict[str, Any]:
    """PanelOLS with village and year effects; the covariance as the module notes describe.

    Parameters
    ----------
    data : DataFrame
        :func:`model_data`'s rows.
    terms : list of str
        The regressors.
    clustered : bool
        Cluster by ``data["cluster"]`` (else heteroskedasticity-robust, every effect counted).
    level : float
        Confidence level.
    what : str
        What to say when the terms are collinear with the effects.

    Returns
    -------
    dict
        term, coef, std_err, ci_low, ci_high, p_value (arrays), n_obs, n_villages, n_clusters, cov, df,
        inference, r2_within, n_villages_changed; with fewer than
        :data:`~villagecon.analysis.inference.FEW_CLUSTERS` clusters, p-values and intervals from the wild
        cluster bootstrap.

    Raises
    ------
    UsageError
        The terms are absorbed by the effects, or the panel cannot be estimated (with its years and villages).
    """
    indexed = data.set_index(["entity", "year"])
    # debiased=False and no effects counted: PanelOLS returns the bare sandwich; the factor is applied below.
    options = {"cov_type": "clustered", "clusters": indexed[["cluster"]]} if clustered else {"cov_type": "robust"}
    try:  # the constructor checks the rank too (e.g. a panel of one or two years)
        model = PanelOLS(indexed["y"], indexed[terms], entity_effects=True, time_effects=True)
        result = model.fit(debiased=False, auto_df=False, count_effects=False, **options)
    except AbsorbingEffectError as exc:
        # linearmodels lists the absorbed variables between "removed:" and "Set drop_absorbed", or says all were.
        listed = str(exc).partition("removed:")[2].partition("Set drop_absorbed")[0].split()
        if not listed and "All exog" in str(exc):
            listed = terms
        raise UsageError(
            f"{what} ({years_and_villages(data)}); absorbed: {', '.join(listed) or 'see linearmodels'}"
        ) from None
    except ValueError as exc:
        if "rank" in str(exc):
            raise UsageError(f"{what} ({years_and_villages(data)})") from None
        raise UsageError(f"the model cannot be estimated on this panel ({years_and_villages(data)}): {exc}") from None
    n = len(data)
    k_all = int(result.df_model)  # regressors + village and year effects (+ the constant they imply)
    villages = data["entity"].nunique()
    if clustered:
        groups = data["cluster"].nunique()
        k = k_all - (villages - 1)  # village effects are nested in the clusters: not counted
        factor = groups / (groups - 1) * (n - 1) / (n - k)
        df = groups - 1
    else:
        groups = None
        factor = n / (n - k_all)
        df = n - k_all
    cov = result.cov.to_numpy() * factor
    std_err = np.sqrt(np.diag(cov))
    coef = result.params.to_numpy()
    t = coef / std_err
    critical = stats.t.ppf(0.5 + level / 2, df)
    fit = {
        "term": terms,
        "coef": coef,
        "std_err": std_err,
        "ci_low": coef - critical * std_err,
        "ci_high": coef + critical * std_err,
        "p_value": 2 * stats.t.sf(np.abs(t), df),
        "n_obs": n,
        "n_villages": villages,
        "n_clusters": groups,
        "cov": cov,
        "df": df,
        "inference": f"t({df})",
        "r2_within": float(result.rsquared),
        "n_villages_changed": _villages_changed(data),
    }
    if groups is not None and groups < FEW_CLUSTERS:
        _logger.warning(
            "%d clusters (fewer than %d): p-values and intervals by the wild cluster bootstrap "
            "(Webb weights, %d draws); the analytic clustered standard errors are unreliable",
            groups,
            FEW_CLUSTERS,
            BOOTSTRAP_DRAWS,
        )
        fit.update(wild_cluster_bootstrap(data, terms, level=level))
    return fit


def _villages_changed(data: pd.DataFrame) -> int:
    """Villages whose secretary changed within the rows used: the only ones that identify a tenure effect.

    Two rows of a village with different arrival years (year − tenure_years) had different secretaries.
    """
    if "tenure_years" not in data:
        return 0
    arrival = data["year"] - data["tenure_years"]
    return int(arrival.groupby(data["entity"]).nunique().gt(1).sum())


def years_and_villages(data: pd.DataFrame) -> str:
    """The panel's span for a message: ``"6 year(s), 2017–2022, 300 villages"``.

    Parameters
    ----------
    data : DataFrame
        :func:`model_data`'s rows (year, entity).

    Returns
    -------
    str
        Years, their span and the villages.
    """
    years = sorted(data["year"].unique().tolist())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return f"{len(years)} year(s), {span}, {data['entity'].nunique()} villages"


def tidy_table(fit: dict[str, Any], info: dict[str, Any]) -> pd.DataFrame:
    """The tidy table of a two-way fit: one row per term, columns :data:`TIDY_COLUMNS`.

    Parameters
    ----------
    fit : dict
        :func:`two_way_fit`'s result.
    info : dict
        :func:`model_data`'s counts of the rows left out.

    Returns
    -------
    DataFrame
        One row per term of ``fit``.
    """
    out = pd.DataFrame({c: fit[c] for c in ("term", "coef", "std_err", "ci_low", "ci_high", "p_value")})
    out = out.assign(
        n_obs=fit["n_obs"],
        n_villages=fit["n_villages"],
        n_clusters=pd.array([fit["n_clusters"]] * len(out), dtype="Int64"),
        n_dropped_missing=info["dropped_missing"],
        n_dropped_nonpositive=info["dropped_nonpositive"],
        outcome=info["outcome"],
        n_villages_changed=fit["n_villages_changed"],
        r2_within=fit["r2_within"],
        inference=fit["inference"],
    )
    return out.loc[:, list(TIDY_COLUMNS)]
