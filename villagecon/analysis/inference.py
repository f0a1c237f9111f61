"""Inference with few clusters: the wild cluster bootstrap (Webb weights, a fixed seed) and the joint Wald test.

With fewer than :data:`FEW_CLUSTERS` clusters the analytic clustered standard errors are unreliable; the models of
:mod:`villagecon.analysis.panel`, :mod:`~villagecon.analysis.event_studies` and :mod:`~villagecon.analysis.logit` then
take their p-values and intervals from these bootstraps. The seed is fixed: the same data give the same numbers.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

__all__ = [
    "BOOTSTRAP_DRAWS",
    "BOOTSTRAP_SEED",
    "FEW_CLUSTERS",
    "bootstrap_summary",
    "wald_test",
    "webb_weights",
    "wild_cluster_bootstrap",
]

log = logging.getLogger(__name__)

FEW_CLUSTERS = 30  # fewer clusters than this: wild cluster bootstrap and a warning
BOOTSTRAP_DRAWS = 999
BOOTSTRAP_SEED = 14  # fixed: the same data give the same bootstrap p-values


def webb_weights(groups: int, draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED) -> np.ndarray:
    """Webb's six-point weights (±√½, ±1, ±√(3/2)), one per cluster and draw.

    With 11 clusters Rademacher weights have only 2¹¹ distinct draws (Webb 2023).

    Parameters
    ----------
    groups : int
        Clusters.
    draws : int
        Bootstrap draws.
    seed : int
        Seed of the generator: the same data give the same numbers.

    Returns
    -------
    ndarray
        groups × draws weights.
    """
    points = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
    return np.random.default_rng(seed).choice(points, size=(groups, draws))


def bootstrap_summary(coef: np.ndarray, std_err: np.ndarray, departures: np.ndarray, *, level: float) -> dict[str, Any]:
    """Symmetric percentile-t p-values and intervals from bootstrap departures ``b* − b``.

    Parameters
    ----------
    coef, std_err : ndarray
        The estimates and their (analytic) standard errors, one per term.
    departures : ndarray
        Bootstrap departures from ``coef``, terms × draws.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    dict
        ``p_value``, ``ci_low``, ``ci_high`` (arrays, one per term) and ``inference`` (its description).
    """
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
) -> dict[str, Any]:
    """Wild cluster bootstrap of a regression with village and year effects (Cameron, Gelbach and Miller 2008).

    The village effects are taken out by demeaning within village, the year effects stay as dummies
    (Frisch–Waugh–Lovell: the same coefficients as PanelOLS). p-values impose the null (WCR: the
    model without the term, its residuals flipped cluster by cluster with Webb weights); intervals are
    symmetric percentile-t from the unrestricted residuals (WCU).

    Parameters
    ----------
    data : DataFrame
        The model's rows (:func:`villagecon.analysis.panel.model_data`): entity, year, cluster, y and ``terms``.
    terms : list of str
        The regressors.
    level : float
        Confidence level of the intervals.
    draws, seed : int
        Bootstrap draws and the seed of :func:`webb_weights`.

    Returns
    -------
    dict
        ``p_value``, ``ci_low``, ``ci_high`` (arrays, one per term) and ``inference``.
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
    weights = webb_weights(clusters.max() + 1, draws, seed)[clusters]  # (N × draws)

    def scores_se(row: np.ndarray, residuals: np.ndarray) -> np.ndarray:
        """Clustered standard error of one coefficient for each column of residuals (no small-sample factor:
        it cancels in the t ratios compared)."""
        squares = pd.DataFrame(row[:, None] * residuals).groupby(clusters).sum().pow(2).sum()
        se: npt.NDArray[np.float64] = np.sqrt(squares.to_numpy(dtype="float64"))
        return se

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


def wald_test(coef: np.ndarray, cov: np.ndarray, *, df_denom: int, terms: list[str]) -> dict[str, Any]:
    """Joint F test that ``coef`` are all 0: Wald / q against F(q, G − 1).

    Parameters
    ----------
    coef : ndarray
        The q coefficients tested.
    cov : ndarray
        Their q × q covariance.
    df_denom : int
        Denominator degrees of freedom (clusters − 1).
    terms : list of str
        Their names, kept in the result.

    Returns
    -------
    dict
        ``stat`` (F), ``df`` (q), ``df_denom``, ``p_value`` and ``terms``; stat and p_value are NaN when there is
        no term or the covariance is not finite.
    """
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
