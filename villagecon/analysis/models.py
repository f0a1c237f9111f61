"""Panel models of village income and the Party secretary: does income grow with tenure, or jump at a change?

- :func:`tenure_effect`: two-way fixed effects (village and year) of income on completed
  years in office, with standard errors clustered by village (``linearmodels.PanelOLS``).
- :func:`event_study`: income in the years around a new secretary's arrival, relative
  to the year before (−1), with binned ends.
- :func:`threshold_logit`: the chance of being at or above 10万元 by tenure and
  background (``statsmodels`` logit, clustered standard errors, average marginal effects).

Each takes a village-year panel: the accounts after :func:`villagecon.ingest.roster.tenure`
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
from scipy.special import expit
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

from villagecon.analysis.metrics import DEFAULT_THRESHOLD, INCOME_MEASURES, village_index
from villagecon.errors import UsageError
from villagecon.ingest.roster import BACKGROUNDS
from villagecon.vocab.synonyms import accepts_measure_names

_logger = logging.getLogger("villagecon")  # not `log`: that is the argument of the models

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
REFERENCE_BACKGROUND = "其他"
EVENT_STUDY_METHODS = ("stacked", "twfe")
FEW_CLUSTERS = 30  # fewer clusters than this: wild cluster bootstrap and a warning
BOOTSTRAP_DRAWS = 999
BOOTSTRAP_SEED = 14  # fixed: the same data give the same bootstrap p-values


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
        tenure_years and ``controls`` (from :func:`villagecon.ingest.roster.tenure`).
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
    data, info = _model_data(panel, outcome=outcome, log=log, regressors=["tenure_years", *controls], cluster=cluster)
    fit = _two_way(
        data,
        ["tenure_years", *controls],
        clustered=cluster is not None,
        level=level,
        what="tenure_years is collinear with the village and year effects (no village changed "
        "secretary within the panel?)",
    )
    return _tidy(fit, info)


@accepts_measure_names("outcome")
def event_study(
    panel: pd.DataFrame,
    *,
    outcome: str = "total_income",
    log: bool = True,
    window: tuple[int, int] = (-3, 5),
    method: str = "stacked",
    cluster: str | None = "village",
    level: float = 0.95,
) -> pd.DataFrame:
    """Income in the years around a new secretary's arrival, relative to the year before it.

    For every arrival year ``e`` of a village (the year a secretary in office on some
    31 December of the panel took office: ``year − tenure_years``), year ``t`` is
    event time ``k = t − e``; ``k = −1`` is the reference.

    ``method="stacked"`` (default): heterogeneity-robust, for repeated, non-absorbing
    events. Every arrival ``e`` of a village whose window ``e + lo … e + hi`` holds no
    other arrival of that village is compared with the *clean* villages of the same
    year: those with no arrival in that window and whose secretary on 31 December of
    both years compared took office before ``e + lo``. For each such event and each
    ``k`` with income known in ``e − 1`` and ``e + k`` (and, from ``k = 0``, the new
    secretary still in office)::

        d[event, k] = (y[i, e+k] − y[i, e−1]) − mean over clean villages j of (y[j, e+k] − y[j, e−1])

    and ``b_k`` is the mean of ``d`` over the events seen at ``k``: each arrival counts
    once, whatever its year, so effects that differ by event (the drop at a change
    depends on the predecessor's tenure) cannot leak into other event times, as they do
    in the two-way fixed-effects regression (Sun and Abraham 2021; Borusyak, Jaravel and
    Spiess 2024). It is the event-by-event difference-in-differences of Cengiz, Dube,
    Lindner and Zipperer (2019) with equal weights per event (Callaway and Sant'Anna 2021
    with a fixed base year). Standard errors come from each village's influence on the
    estimates (it may be treated in one comparison and a control in others), clustered,
    times G/(G−1); Student's t with G − 1 degrees of freedom. The ends of the window are
    not bins: years outside it are simply not compared.

    ``method="twfe"``: the distributed-lag two-way fixed-effects event study with binned
    ends (Schmidheiny and Siegloch 2023), kept for comparison::

        outcome[i, t] = Σ_k D_k[i, t] · b_k + village_i + year_t + e[i, t]

    where ``D_k`` counts the village's arrivals exactly ``k`` years before ``t``, ``D_lo``
    those ``−lo`` or more years ahead and ``D_hi`` those ``hi`` or more years past. With
    effects that differ by event it compares later with earlier changed villages and
    its pre-period coefficients are not zero even without anticipation (see
    benchmarks/results/event_study.json).

    Either way: arrivals after the panel and secretaries who left before any 31 December
    are not seen; with fewer than 30 clusters p-values and intervals come from a wild
    (multiplier, for ``stacked``) cluster bootstrap with Webb weights and a fixed seed,
    and a warning is logged.

    Parameters
    ----------
    panel : DataFrame
        Village-years with year, village_code or village, ``outcome`` and tenure_years.
    outcome, log, cluster, level
        As in :func:`tenure_effect`.
    window : (int, int)
        First and last event time (default −3 to 5).
    method : {"stacked", "twfe"}
        The estimator (above).

    Returns
    -------
    DataFrame
        One row per event time from ``lo`` to ``hi``, columns:

        - event_time: k (int); term: ``event_time=-2``, …; for ``twfe`` the ends are
          ``event_time<=-3`` and ``event_time>=5``;
        - binned: True for the two end bins of ``twfe``; reference: True for k = −1;
        - coef, std_err, ci_low, ci_high, p_value: as in :func:`tenure_effect`, relative
          to k = −1 (the reference row has coef 0 and NaN for the rest);
        - n_obs_at: arrivals compared at that event time (``twfe``: village-years with an
          arrival at that event time);
        - n_obs, n_villages, n_clusters, n_dropped_missing, n_dropped_nonpositive,
          outcome: as in :func:`tenure_effect`; n_events: arrivals used; method; inference.

        ``result.attrs["pretrend"]`` is the joint test that every coefficient before the
        reference year is 0: ``{"stat": F, "df": q, "df_denom": G − 1, "p_value": p,
        "terms": [...]}`` (p from the bootstrap of the Wald statistic with few clusters).
        With ``stacked``, ``result.attrs["events"]`` lists the compared arrivals (place
        columns, arrival, event_time).
    """
    lo, hi = window
    if method not in EVENT_STUDY_METHODS:
        raise UsageError(f"method must be one of {', '.join(EVENT_STUDY_METHODS)}, not {method!r}")
    if not (lo <= -2 and hi >= 1):
        raise UsageError(f"window {window} must reach at least from -2 to 1: -1 is the reference year")
    if "tenure_years" not in panel:
        raise UsageError("panel has no tenure_years: add it with villagecon.ingest.roster.tenure(accounts, roster)")
    # Years without a secretary on 31 December stay in: their income is known, only their event time is not.
    data, info = _model_data(panel, outcome=outcome, log=log, regressors=[], cluster=cluster, keep=["tenure_years"])
    arrivals = (
        data.loc[data["tenure_years"].notna(), ["entity"]]
        .assign(arrival=data["year"] - data["tenure_years"].astype("float64"))
        .drop_duplicates()
    )
    if arrivals.empty:
        raise UsageError("no village-year has a secretary with a known start: there is no arrival to study")
    if method == "stacked":
        if cluster is None:  # a village's influence spans its years: it is its own cluster
            data = data.assign(cluster=data["entity"])
        out, pretrend, events = _stacked_event_study(data, arrivals, lo=lo, hi=hi, level=level, info=info)
        _, places = village_index(panel)
        out.attrs["events"] = (
            places.loc[events["entity"]]
            .reset_index(drop=True)
            .join(events.drop(columns="entity").reset_index(drop=True))
        )
    else:
        out, pretrend = _twfe_event_study(
            data, arrivals, lo=lo, hi=hi, level=level, info=info, clustered=cluster is not None
        )
    out.attrs["pretrend"] = pretrend
    return out


def _twfe_event_study(
    data: pd.DataFrame, arrivals: pd.DataFrame, *, lo: int, hi: int, level: float, info: dict, clustered: bool
) -> tuple[pd.DataFrame, dict]:
    times = [k for k in range(lo, hi + 1) if k != -1]
    names = {k: _event_term(k, lo, hi) for k in times}
    pairs = data[["entity", "year"]].reset_index(names="row").merge(arrivals, on="entity")
    pairs["k"] = (pairs["year"] - pairs["arrival"]).clip(lo, hi).astype("int64")
    counts = pd.crosstab(pairs["row"], pairs["k"]).reindex(index=data.index, columns=times, fill_value=0)
    dummies = counts.rename(columns=names).astype("float64")
    fit = _two_way(
        pd.concat([data, dummies], axis=1),
        list(names.values()),
        clustered=clustered,
        level=level,
        what="the event-time dummies are collinear with the village and year effects (too few "
        "arrivals, or a window longer than the panel)",
    )
    tidy = _tidy(fit, info).set_index("term")
    rows = []
    for k in range(lo, hi + 1):
        base = {
            "event_time": k,
            "term": _event_term(k, lo, hi),
            "binned": k in (lo, hi),
            "reference": k == -1,
            "n_obs_at": int(pairs.loc[pairs["k"].eq(k), "row"].nunique()),
        }
        rows.append({**base, **_reference_or(tidy, base["term"], k)})
    pre = [i for i, k in enumerate(times) if k < -1]
    pretrend = _wald(
        fit["coef"][pre], fit["cov"][np.ix_(pre, pre)], df_denom=fit["df"], terms=[names[times[i]] for i in pre]
    )
    return _event_table(rows, tidy.iloc[0], n_events=len(arrivals), method="twfe"), pretrend


def _stacked_event_study(
    data: pd.DataFrame, arrivals: pd.DataFrame, *, lo: int, hi: int, level: float, info: dict
) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Event-by-event differences in differences against clean villages (see :func:`event_study`)."""
    if data.duplicated(["entity", "year"]).any():
        raise UsageError("the panel has several rows for one village and year: one row per village-year is needed")
    income = data.pivot(index="entity", columns="year", values="y")
    started = (data["year"] - data["tenure_years"]).rename("arrival")
    start_of = data.assign(arrival=started).pivot(index="entity", columns="year", values="arrival")
    entities = income.index.to_numpy()
    times = [k for k in range(lo, hi + 1) if k != -1]
    by_entity = arrivals.groupby("entity")["arrival"].apply(lambda a: np.sort(a.to_numpy()))

    def arrivals_in(first: float, last: float) -> pd.Series:
        """How many arrivals each village has from ``first`` to ``last`` (inclusive)."""
        return by_entity.map(lambda a: int(((a >= first) & (a <= last)).sum())).reindex(entities, fill_value=0)

    influence = np.zeros((len(entities), len(times)))  # each village's part in each b_k
    sums = np.zeros(len(times))
    n_events = np.zeros(len(times), dtype=int)
    used_cells, event_rows = set(), []
    position = {e: i for i, e in enumerate(entities)}
    for cohort in sorted(arrivals["arrival"].unique()):
        reference = cohort - 1
        if reference not in income.columns:
            continue
        in_window = arrivals_in(cohort + lo, cohort + hi)
        treated = arrivals.loc[arrivals["arrival"].eq(cohort), "entity"].to_numpy()
        treated = treated[in_window.loc[treated].to_numpy() == 1]  # no other arrival in the window
        clean = in_window.eq(0).to_numpy() & (start_of[reference] < cohort + lo).to_numpy()
        for index, k in enumerate(times):
            year = cohort + k
            if year not in income.columns:
                continue
            change = (income[year] - income[reference]).to_numpy()
            controls = clean & ~np.isnan(change)
            if k >= 0:
                controls &= (start_of[year] < cohort + lo).to_numpy()
            rows = np.array([position[e] for e in treated], dtype=int)
            if k >= 0:  # the new secretary still in office (no change the roster does not show)
                rows = rows[(start_of[year].to_numpy()[rows] == cohort)]
            rows = rows[~np.isnan(change[rows])]
            if not len(rows) or not controls.any():
                continue
            control_change = change[controls]
            control_mean = control_change.mean()
            treated_change = change[rows]
            n_events[index] += len(rows)
            sums[index] += (treated_change - control_mean).sum()
            # Each village's part in b_k (times the events at k): an event's own difference (centred on b_k
            # below, once every cohort is in), and a control's change around its cohort's mean, weighted by the
            # cohort's events over its controls.
            np.add.at(influence[:, index], rows, treated_change - control_mean)
            influence[controls, index] -= len(rows) * (control_change - control_mean) / controls.sum()
            for r in rows:
                event_rows.append({"entity": entities[r], "arrival": int(cohort), "event_time": k})
            used_cells.update((entities[r], y) for r in rows for y in (reference, year))
            used_cells.update((e, y) for e in entities[controls] for y in (reference, year))
    before, after = n_events[[k < -1 for k in times]], n_events[[k >= 0 for k in times]]
    if not before.any() or not after.any():
        raise UsageError(
            "no arrival has both years before it (event time -2 or earlier) and after it compared "
            f"with villages without a change (window {lo} to {hi}; {_years_and_villages(data)}): the "
            "panel is too short or has too few changes of secretary"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = np.where(n_events > 0, sums / np.maximum(n_events, 1), np.nan)
    events = pd.DataFrame(event_rows)
    for index, k in enumerate(times):
        at_k = events.loc[events["event_time"].eq(k), "entity"].map(position).to_numpy(dtype=int)
        np.add.at(influence[:, index], at_k, -coef[index])
    influence = influence / np.maximum(n_events, 1)
    clusters = pd.Series(data.groupby("entity")["cluster"].first().reindex(entities).to_numpy())
    by_cluster = pd.DataFrame(influence).groupby(clusters.to_numpy()).sum().to_numpy()
    groups = len(by_cluster)
    cov = by_cluster.T @ by_cluster * groups / (groups - 1)
    estimated = n_events > 0
    std_err = np.where(estimated, np.sqrt(np.diag(cov)), np.nan)
    df = groups - 1
    fit = {"term": [f"event_time={k}" for k in times], "coef": coef, "std_err": std_err}
    t = coef / std_err
    critical = stats.t.ppf(0.5 + level / 2, df)
    fit.update(
        ci_low=coef - critical * std_err,
        ci_high=coef + critical * std_err,
        p_value=2 * stats.t.sf(np.abs(t), df),
        inference=f"t({df})",
    )
    pre = [i for i, k in enumerate(times) if k < -1 and estimated[i]]
    pretrend = _wald(coef[pre], cov[np.ix_(pre, pre)], df_denom=df, terms=[fit["term"][i] for i in pre])
    if groups < FEW_CLUSTERS:
        _logger.warning(
            "%d clusters (fewer than %d): p-values and intervals by the wild (multiplier) cluster "
            "bootstrap (Webb weights, %d draws); the analytic clustered standard errors are unreliable",
            groups,
            FEW_CLUSTERS,
            BOOTSTRAP_DRAWS,
        )
        draws = by_cluster.T @ _webb_weights(groups)  # (terms × draws) departures from coef
        fit.update(_bootstrap_summary(coef, std_err, draws, level=level))
        if pre:
            inverse = np.linalg.pinv(cov[np.ix_(pre, pre)])
            wald = np.einsum("ib,ij,jb->b", draws[pre], inverse, draws[pre]) / len(pre)
            pretrend["p_value"] = float(np.mean(wald >= pretrend["stat"]))
    n_obs = len(used_cells)
    tidy = pd.DataFrame({c: fit[c] for c in ("term", "coef", "std_err", "ci_low", "ci_high", "p_value")}).set_index(
        "term"
    )
    shared = pd.Series(
        {
            "n_obs": n_obs,
            "n_villages": len({e for e, _ in used_cells}),
            "n_clusters": groups,
            "n_dropped_missing": info["dropped_missing"],
            "n_dropped_nonpositive": info["dropped_nonpositive"],
            "outcome": info["outcome"],
            "inference": fit["inference"],
        }
    )
    rows = []
    for k in range(lo, hi + 1):
        term = f"event_time={k}"
        base = {
            "event_time": k,
            "term": term,
            "binned": False,
            "reference": k == -1,
            "n_obs_at": int(n_events[times.index(k)]) if k != -1 else 0,
        }
        rows.append({**base, **_reference_or(tidy, term, k)})
    n_arrivals = len(events.drop_duplicates(["entity", "arrival"]))
    return _event_table(rows, shared, n_events=n_arrivals, method="stacked"), pretrend, events


def _reference_or(tidy: pd.DataFrame, term: str, k: int) -> dict:
    if k == -1:
        return {"coef": 0.0, "std_err": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    return tidy.loc[term, ["coef", "std_err", "ci_low", "ci_high", "p_value"]].to_dict()


def _event_table(rows: list[dict], shared: pd.Series, *, n_events: int, method: str) -> pd.DataFrame:
    columns = [
        "n_obs",
        "n_villages",
        "n_clusters",
        "n_dropped_missing",
        "n_dropped_nonpositive",
        "outcome",
        "inference",
    ]
    out = pd.DataFrame(rows).assign(**shared[columns].to_dict(), n_events=n_events, method=method)
    return out.astype(
        {
            "n_obs": "int64",
            "n_villages": "int64",
            "n_clusters": "Int64",
            "n_dropped_missing": "int64",
            "n_dropped_nonpositive": "int64",
        }
    )


def _wald(coef: np.ndarray, cov: np.ndarray, *, df_denom: int, terms: list[str]) -> dict:
    """Joint F test that ``coef`` are all 0: Wald / q against F(q, G − 1)."""
    q = len(coef)
    if not q or not np.isfinite(cov).all():
        return {"stat": np.nan, "df": q, "df_denom": df_denom, "p_value": np.nan, "terms": terms}
    stat = float(coef @ np.linalg.pinv(cov) @ coef) / q
    return {
        "stat": stat,
        "df": q,
        "df_denom": df_denom,
        "p_value": float(stats.f.sf(stat, q, df_denom)),
        "terms": terms,
    }


REGRESSION_COLUMNS = (
    "model",
    "term",
    "coef",
    "std_err",
    "ci_low",
    "ci_high",
    "p_value",
    "n_obs",
    "n_villages",
    "n_villages_changed",
    "n_clusters",
    "r2_within",
    "inference",
    "pretrend_p_value",
    "outcome",
)


def regression_table(tenure_model: pd.DataFrame | None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The report's regression table: the tenure coefficient and the event study's mean effect after a change.

    One row for :func:`tenure_effect`'s tenure_years (coefficient, SE, interval, N village-years, N villages,
    N villages with a secretary change, clusters, within R², how p and the interval were computed) and,
    when ``events`` is given, one per event time from 0 of :func:`event_study` with its pre-trend p-value.
    Empty when there is no model.
    """
    rows = []
    if tenure_model is not None and len(tenure_model):
        row = tenure_model.loc[tenure_model["term"].eq("tenure_years")].iloc[0]
        rows.append({**row.to_dict(), "model": "tenure_effect"})
    if events is not None and len(events):
        pretrend = events.attrs.get("pretrend", {}).get("p_value", np.nan)
        for _, row in events.loc[events["event_time"].ge(0)].iterrows():
            rows.append(
                {
                    **row.to_dict(),
                    "model": f"event_study ({row['method']})",
                    "pretrend_p_value": pretrend,
                    "n_obs": row["n_obs"],
                }
            )
    return (
        pd.DataFrame(rows).reindex(columns=list(REGRESSION_COLUMNS))
        if rows
        else pd.DataFrame(columns=list(REGRESSION_COLUMNS))
    )


# --- few clusters: the wild cluster bootstrap ---------------------------------------------------------------


def _webb_weights(groups: int, draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED) -> np.ndarray:
    """Webb's six-point weights (±√½, ±1, ±√(3/2)), one per cluster and draw: with 11 clusters Rademacher
    weights have only 2¹¹ distinct draws (Webb 2023)."""
    points = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
    return np.random.default_rng(seed).choice(points, size=(groups, draws))


def _bootstrap_summary(coef: np.ndarray, std_err: np.ndarray, departures: np.ndarray, *, level: float) -> dict:
    """Symmetric percentile-t p-values and intervals from bootstrap departures ``b* − b`` (terms × draws)."""
    t_star = np.abs(departures / std_err[:, None])
    t = np.abs(coef / std_err)
    critical = np.quantile(t_star, level, axis=1)
    return {
        "p_value": np.mean(t_star >= t[:, None], axis=1),
        "ci_low": coef - critical * std_err,
        "ci_high": coef + critical * std_err,
        "inference": f"wild cluster bootstrap ({departures.shape[1]})",
    }


def wild_cluster_bootstrap(
    data: pd.DataFrame,
    terms: list[str],
    *,
    level: float = 0.95,
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = BOOTSTRAP_SEED,
) -> dict:
    """Wild cluster bootstrap of a regression with village and year effects (Cameron, Gelbach and Miller 2008).

    The village effects are taken out by demeaning within village, the year effects stay as dummies
    (Frisch–Waugh–Lovell: the same coefficients as PanelOLS). p-values impose the null (WCR: the
    model without the term, its residuals flipped cluster by cluster with Webb weights); intervals are
    symmetric percentile-t from the unrestricted residuals (WCU). A fixed seed: the same data give the
    same numbers. Returns ``p_value``, ``ci_low``, ``ci_high`` (one per term) and ``inference``.
    """
    entity = data["entity"].to_numpy()
    years = pd.get_dummies(data["year"], drop_first=True, dtype="float64").to_numpy()
    design = np.column_stack([data[terms].to_numpy(dtype="float64"), years])
    y = data["y"].to_numpy(dtype="float64")

    def within(values: np.ndarray) -> np.ndarray:
        frame = pd.DataFrame(values)
        return (frame - frame.groupby(entity).transform("mean")).to_numpy()

    x, y = within(design), within(y[:, None])[:, 0]
    solve = np.linalg.pinv(x)  # (K × N): b = solve @ y
    coef_all = solve @ y
    clusters = pd.factorize(data["cluster"])[0]
    weights = _webb_weights(clusters.max() + 1, draws, seed)[clusters]  # (N × draws)

    def scores_se(row: np.ndarray, residuals: np.ndarray) -> np.ndarray:
        """Clustered standard error of one coefficient for each column of residuals (no small-sample factor:
        it cancels in the t ratios compared)."""
        return np.sqrt(pd.DataFrame(row[:, None] * residuals).groupby(clusters).sum().pow(2).sum().to_numpy())

    residuals = y - x @ coef_all
    p_values, lows, highs = [], [], []
    for j in range(len(terms)):
        se = scores_se(solve[j], residuals[:, None])[0]
        # WCR: impose b_j = 0.
        rest = np.delete(x, j, axis=1)
        fitted = rest @ np.linalg.lstsq(rest, y, rcond=None)[0]
        y_star = fitted[:, None] + (y - fitted)[:, None] * weights
        b_star = solve @ y_star
        t_null = b_star[j] / scores_se(solve[j], y_star - x @ b_star)
        p_values.append(float(np.mean(np.abs(t_null) >= abs(coef_all[j] / se))))
        # WCU: percentile-t interval.
        y_star = (x @ coef_all)[:, None] + residuals[:, None] * weights
        b_star = solve @ y_star
        t_star = np.abs((b_star[j] - coef_all[j]) / scores_se(solve[j], y_star - x @ b_star))
        critical = np.quantile(t_star, level)
        lows.append(coef_all[j] - critical * se)
        highs.append(coef_all[j] + critical * se)
    return {
        "p_value": np.array(p_values),
        "ci_low": np.array(lows),
        "ci_high": np.array(highs),
        "inference": f"wild cluster bootstrap ({draws})",
    }


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
    data, info = _model_data(panel, outcome=measure, log=False, regressors=needed, cluster=cluster)
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
            _logger.warning(
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
        _logger.warning(
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
            ("ame_", ame, ame_se, np.vstack(margins["gradient"].to_numpy()) @ departures),
        ):
            boot = _bootstrap_summary(estimate, error, draws, level=level)
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


def _score_departures(fit, design: pd.DataFrame, above: pd.Series, clusters: pd.Series) -> np.ndarray:
    """The wild score bootstrap of a logit (Kline and Santos 2012): each cluster's score, through the inverse
    Hessian, flipped with Webb weights; returns the departures ``b* − b`` (coefficients × draws), which the
    delta method's gradients carry to the marginal effects."""
    x = design.to_numpy(dtype="float64")
    p = expit(x @ fit.params.to_numpy())
    hessian = (x * (p * (1 - p))[:, None]).T @ x
    influence = np.linalg.solve(hessian, (x * (above.to_numpy(dtype="float64") - p)[:, None]).T).T
    by_cluster = pd.DataFrame(influence).groupby(pd.factorize(clusters)[0]).sum().to_numpy()
    return by_cluster.T @ _webb_weights(len(by_cluster))


def average_marginal_effects(fit, design: pd.DataFrame, *, numeric: list[str], backgrounds: list[str]) -> pd.DataFrame:
    """Average marginal effects of a fitted logit, with delta-method standard errors from ``fit``'s covariance.

    - a numeric regressor ``x``: the mean over rows of ``dP/dx = Λ'(x·b) · b_x``;
    - a background ``b`` (a dummy among ``backgrounds``, the reference having none): the mean over rows
      of ``P(row with background b) − P(row with the reference background)``, every background dummy of
      the row set to 0 but ``b``'s. A proper contrast: statsmodels' ``get_margeff(dummy=True)`` switches
      ``b`` on while the row's own background stays on, so most rows get two backgrounds.

    The gradient of each effect with respect to the coefficients is averaged over rows too, and the
    standard error is ``sqrt(g' V g)``. Returns one row per term: ame, std_err.
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


# --- shared -----------------------------------------------------------------------------------------------


def _model_data(
    panel: pd.DataFrame,
    *,
    outcome: str,
    log: bool,
    regressors: list[str],
    cluster: str | None,
    keep: tuple[str, ...] | list[str] = (),
) -> tuple[pd.DataFrame, dict]:
    """The rows a model can use (entity, year, cluster, y, regressors), and what was left out."""
    if outcome not in INCOME_MEASURES:
        raise UsageError(f"{outcome!r} is not an income measure; use one of {', '.join(INCOME_MEASURES)}")
    if outcome not in panel.columns:
        raise UsageError(f"panel has no column {outcome!r}")
    if missing := [c for c in ("year", *regressors) if c not in panel.columns]:
        hint = (
            ": add tenure with villagecon.ingest.roster.tenure(accounts, roster)"
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


def _two_way(data: pd.DataFrame, terms: list[str], *, clustered: bool, level: float, what: str) -> dict:
    """PanelOLS with village and year effects; the covariance as the module notes describe."""
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
            f"{what} ({_years_and_villages(data)}); absorbed: {', '.join(listed) or 'see linearmodels'}"
        ) from None
    except ValueError as exc:
        if "rank" in str(exc):
            raise UsageError(f"{what} ({_years_and_villages(data)})") from None
        raise UsageError(f"the model cannot be estimated on this panel ({_years_and_villages(data)}): {exc}") from None
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
    if clustered and groups < FEW_CLUSTERS:
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


def _years_and_villages(data: pd.DataFrame) -> str:
    years = sorted(data["year"].unique().tolist())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return f"{len(years)} year(s), {span}, {data['entity'].nunique()} villages"


def _tidy(fit: dict, info: dict) -> pd.DataFrame:
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


def _event_term(k: int, lo: int, hi: int) -> str:
    if k == lo:
        return f"event_time<={k}"
    if k == hi:
        return f"event_time>={k}"
    return f"event_time={k}"
