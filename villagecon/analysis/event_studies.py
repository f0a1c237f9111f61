"""Income in the years around a new secretary's arrival: :func:`event_study` (stacked, or two-way fixed effects),
and the report's :func:`regression_table` of the tenure and event-study models.

The notes of :mod:`villagecon.analysis.panel` (zero incomes under ``log=True``, degrees of freedom) hold here too.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from villagecon.analysis.accounts import village_index
from villagecon.analysis.inference import BOOTSTRAP_DRAWS, FEW_CLUSTERS, bootstrap_summary, wald_test, webb_weights
from villagecon.analysis.panel import model_data, tidy_table, two_way_fit, years_and_villages
from villagecon.errors import UsageError
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["EVENT_STUDY_METHODS", "REGRESSION_COLUMNS", "event_study", "regression_table"]

_logger = logging.getLogger(__name__)  # not `log`: that is the argument of the models

EVENT_STUDY_METHODS = ("stacked", "twfe")


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
        raise UsageError("panel has no tenure_years: add it with villagecon.tenure(accounts, roster)")
    # Years without a secretary on 31 December stay in: their income is known, only their event time is not.
    data, info = model_data(panel, outcome=outcome, log=log, regressors=[], cluster=cluster, keep=["tenure_years"])
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
    data: pd.DataFrame, arrivals: pd.DataFrame, *, lo: int, hi: int, level: float, info: dict[str, Any], clustered: bool
) -> tuple[pd.DataFrame, dict[str, Any]]:
    times = [k for k in range(lo, hi + 1) if k != -1]
    names = {k: _event_term(k, lo, hi) for k in times}
    pairs = data[["entity", "year"]].reset_index(names="row").merge(arrivals, on="entity")
    pairs["k"] = (pairs["year"] - pairs["arrival"]).clip(lo, hi).astype("int64")
    counts = pd.crosstab(pairs["row"], pairs["k"]).reindex(index=data.index, columns=times, fill_value=0)
    dummies = counts.rename(columns=names).astype("float64")
    fit = two_way_fit(
        pd.concat([data, dummies], axis=1),
        list(names.values()),
        clustered=clustered,
        level=level,
        what="the event-time dummies are collinear with the village and year effects (too few "
        "arrivals, or a window longer than the panel)",
    )
    tidy = tidy_table(fit, info).set_index("term")
    rows = []
    for k in range(lo, hi + 1):
        term = _event_term(k, lo, hi)
        base = {
            "event_time": k,
            "term": term,
            "binned": k in (lo, hi),
            "reference": k == -1,
            "n_obs_at": int(pairs.loc[pairs["k"].eq(k), "row"].nunique()),
        }
        rows.append({**base, **_reference_or(tidy, term, k)})
    pre = [i for i, k in enumerate(times) if k < -1]
    pretrend = wald_test(
        fit["coef"][pre], fit["cov"][np.ix_(pre, pre)], df_denom=fit["df"], terms=[names[times[i]] for i in pre]
    )
    return _event_table(rows, tidy.iloc[0], n_events=len(arrivals), method="twfe"), pretrend


def _stacked_event_study(
    data: pd.DataFrame, arrivals: pd.DataFrame, *, lo: int, hi: int, level: float, info: dict[str, Any]
) -> tuple[pd.DataFrame, dict[str, Any], pd.DataFrame]:
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
    used_cells: set[tuple[Any, Any]] = set()  # (village, year) compared
    event_rows: list[dict[str, Any]] = []
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
            f"with villages without a change (window {lo} to {hi}; {years_and_villages(data)}): the "
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
    fit: dict[str, Any] = {"term": [f"event_time={k}" for k in times], "coef": coef, "std_err": std_err}
    t = coef / std_err
    critical = stats.t.ppf(0.5 + level / 2, df)
    fit.update(
        ci_low=coef - critical * std_err,
        ci_high=coef + critical * std_err,
        p_value=2 * stats.t.sf(np.abs(t), df),
        inference=f"t({df})",
    )
    pre = [i for i, k in enumerate(times) if k < -1 and estimated[i]]
    pretrend = wald_test(coef[pre], cov[np.ix_(pre, pre)], df_denom=df, terms=[fit["term"][i] for i in pre])
    if groups < FEW_CLUSTERS:
        _logger.warning(
            "%d clusters (fewer than %d): p-values and intervals by the wild (multiplier) cluster "
            "bootstrap (Webb weights, %d draws); the analytic clustered standard errors are unreliable",
            groups,
            FEW_CLUSTERS,
            BOOTSTRAP_DRAWS,
        )
        draws = by_cluster.T @ webb_weights(groups)  # (terms × draws) departures from coef
        fit.update(bootstrap_summary(coef, std_err, draws, level=level))
        if pre:
            inverse = np.linalg.pinv(cov[np.ix_(pre, pre)])
            wald = np.einsum("ib,ij,jb->b", draws[pre], inverse, draws[pre]) / len(pre)
            pretrend["p_value"] = float(np.mean(wald >= pretrend["stat"]))
    n_obs = len(used_cells)
    tidy = pd.DataFrame({c: fit[c] for c in ("term", "coef", "std_err", "ci_low", "ci_high", "p_value")}).set_index(
        "term"
    )
    shared_values: dict[str, Any] = {
        "n_obs": n_obs,
        "n_villages": len({e for e, _ in used_cells}),
        "n_clusters": groups,
        "n_dropped_missing": info["dropped_missing"],
        "n_dropped_nonpositive": info["dropped_nonpositive"],
        "outcome": info["outcome"],
        "inference": fit["inference"],
    }
    shared = pd.Series(shared_values)
    table_rows: list[dict[str, Any]] = []
    for k in range(lo, hi + 1):
        term = f"event_time={k}"
        base = {
            "event_time": k,
            "term": term,
            "binned": False,
            "reference": k == -1,
            "n_obs_at": int(n_events[times.index(k)]) if k != -1 else 0,
        }
        table_rows.append({**base, **_reference_or(tidy, term, k)})
    n_arrivals = len(events.drop_duplicates(["entity", "arrival"]))
    return _event_table(table_rows, shared, n_events=n_arrivals, method="stacked"), pretrend, events


def _reference_or(tidy: pd.DataFrame, term: str, k: int) -> dict[str, Any]:
    if k == -1:
        return {"coef": 0.0, "std_err": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    return {str(c): v for c, v in tidy.loc[term, ["coef", "std_err", "ci_low", "ci_high", "p_value"]].to_dict().items()}


def _event_table(rows: list[dict[str, Any]], shared: pd.Series, *, n_events: int, method: str) -> pd.DataFrame:
    columns = [
        "n_obs",
        "n_villages",
        "n_clusters",
        "n_dropped_missing",
        "n_dropped_nonpositive",
        "outcome",
        "inference",
    ]
    constants = {str(c): v for c, v in shared[columns].to_dict().items()}
    out = pd.DataFrame(rows).assign(**constants, n_events=n_events, method=method)
    return out.astype(
        {
            "n_obs": "int64",
            "n_villages": "int64",
            "n_clusters": "Int64",
            "n_dropped_missing": "int64",
            "n_dropped_nonpositive": "int64",
        }
    )


def _event_term(k: int, lo: int, hi: int) -> str:
    if k == lo:
        return f"event_time<={k}"
    if k == hi:
        return f"event_time>={k}"
    return f"event_time={k}"


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

    Parameters
    ----------
    tenure_model : DataFrame or None
        :func:`~villagecon.analysis.panel.tenure_effect`'s table (None: not estimated).
    events : DataFrame, optional
        :func:`event_study`'s table, with its ``attrs["pretrend"]``.

    Returns
    -------
    DataFrame
        Columns :data:`REGRESSION_COLUMNS`: one row for tenure_years (coefficient, SE, interval, N village-years,
        N villages, N villages with a secretary change, clusters, within R², how p and the interval were computed)
        and one per event time from 0 with the pre-trend p-value. Empty when there is no model.
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
