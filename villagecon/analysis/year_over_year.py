"""Change on the previous year, per area and per village: what analysts compare first.

Both functions take village-year accounts with ``above_threshold``
(:func:`villagecon.analysis.threshold.threshold_status`) and compare ``year`` with ``year - 1``. A village counts
in a crossing only when both years are known.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from villagecon.analysis.accounts import village_index

__all__ = ["CROSSED_DOWN", "CROSSED_UP", "area_changes", "village_changes"]

CROSSED_UP, CROSSED_DOWN = "新达到", "跌破"


def village_changes(accounts: pd.DataFrame, *, year: int, measure: str = "total_income") -> pd.DataFrame:
    """One row per village of ``year``: its ``measure`` this year and last, the change, and any crossing.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with above_threshold.
    year : int
        The year compared with ``year - 1``.
    measure : str
        The income compared.

    Returns
    -------
    DataFrame
        The place columns present, value_yuan, previous_yuan (NaN when the village has no previous year),
        change_yuan, change_share (NaN where last year was 0 or less), above_threshold, above_previous and
        crossing (新达到: below last year, at or above now; 跌破: the other way; "" otherwise). Sorted by place.

    Examples
    --------
    >>> from villagecon.analysis.threshold import threshold_status
    >>> accounts = threshold_status(pd.DataFrame({
    ...     "village": ["甲村", "甲村", "乙村"], "year": [2022, 2023, 2023],
    ...     "total_income": [80_000.0, 120_000.0, 50_000.0]}))
    >>> village_changes(accounts, year=2023)[["village", "change_yuan", "crossing"]].values.tolist()
    [['乙村', nan, ''], ['甲村', 40000.0, '新达到']]
    """
    group, places = village_index(accounts)
    frame = pd.DataFrame(
        {
            "id": group,
            "year": accounts["year"].to_numpy(),
            "value": accounts[measure].to_numpy(dtype="float64", na_value=np.nan),
            "above": accounts["above_threshold"].astype("boolean").to_numpy(),
        }
    )
    now = frame.loc[frame["year"].eq(year)].drop_duplicates("id").set_index("id")
    before = frame.loc[frame["year"].eq(year - 1)].drop_duplicates("id").set_index("id").reindex(now.index)
    change = now["value"] - before["value"]
    ratio = change / before["value"].where(before["value"].gt(0))
    out = places.loc[now.index].assign(
        value_yuan=now["value"],
        previous_yuan=before["value"],
        change_yuan=change,
        change_share=ratio,
        above_threshold=now["above"],
        above_previous=before["above"].astype("boolean"),
        crossing=_crossing(before["above"], now["above"]),
    )
    order = [c for c in ("county", "township", "village", "village_code") if c in out]
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def area_changes(
    accounts: pd.DataFrame, *, year: int, by: str | None, whole: str, measure: str = "total_income"
) -> pd.DataFrame:
    """This year against last, per area of ``by`` and for the whole area.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with above_threshold (:func:`villagecon.analysis.threshold.threshold_status`).
    year : int
        The year compared with ``year - 1``.
    by : str or None
        The area column (county, township); None: the whole area only.
    whole : str
        The whole area's label (全市, 全县 …).
    measure : str
        The income compared.

    Returns
    -------
    DataFrame
        Columns ``by`` (or township when None), n_villages, n_above, n_missing, share_above, median_yuan,
        mean_yuan, total_yuan (this year), share_above_prev, share_change, n_above_prev, n_above_change,
        median_prev_yuan, median_change_yuan (NaN without a previous year), n_crossed_up, n_crossed_down
        (villages known in both years that crossed the threshold upwards or downwards).
    """
    column = by or "township"
    keyed = accounts if by else accounts.assign(township=whole)
    changes = village_changes(keyed, year=year, measure=measure)
    rows = []
    groups = [] if not by else [g for g in dict.fromkeys(keyed.loc[keyed["year"].eq(year), by]) if pd.notna(g)]
    for name in [*groups, whole]:
        mine = keyed if name == whole else keyed.loc[keyed[by].eq(name)]
        crossed = changes if name == whole else changes.loc[changes[by].eq(name)]
        rows.append(
            {
                column: name,
                **_year_numbers(mine.loc[mine["year"].eq(year)], measure),
                **{f"{k}_prev": v for k, v in _year_numbers(mine.loc[mine["year"].eq(year - 1)], measure).items()},
                "n_crossed_up": int(crossed["crossing"].eq(CROSSED_UP).sum()),
                "n_crossed_down": int(crossed["crossing"].eq(CROSSED_DOWN).sum()),
            }
        )
    table = pd.DataFrame(rows)
    has_previous = bool(keyed["year"].eq(year - 1).any())
    n_above_prev = table["n_above_prev"] if has_previous else table["n_above_prev"] * np.nan
    table = table.assign(
        share_change=table["share_above"] - table["share_above_prev"],
        n_above_prev=n_above_prev,
        n_above_change=table["n_above"] - n_above_prev,
        median_prev_yuan=table["median_yuan_prev"],
        median_change_yuan=table["median_yuan"] - table["median_yuan_prev"],
    )
    return table.loc[
        :,
        [
            column,
            "n_villages",
            "n_above",
            "n_missing",
            "share_above",
            "median_yuan",
            "mean_yuan",
            "total_yuan",
            "share_above_prev",
            "share_change",
            "n_above_prev",
            "n_above_change",
            "median_prev_yuan",
            "median_change_yuan",
            "n_crossed_up",
            "n_crossed_down",
        ],
    ]


def _year_numbers(rows: pd.DataFrame, measure: str) -> dict[str, Any]:
    value = rows[measure].astype("float64")
    above = rows["above_threshold"].astype("boolean")
    known = int(value.notna().sum())
    n_above = int(above.fillna(False).sum())
    return {
        "n_villages": known,
        "n_above": n_above,
        "n_missing": int(value.isna().sum()),
        "share_above": n_above / known if known else np.nan,
        "median_yuan": value.median(),
        "mean_yuan": value.mean(),
        "total_yuan": value.sum() if known else np.nan,
    }


def _crossing(before: pd.Series, now: pd.Series) -> pd.Series:
    before, now = before.astype("boolean"), now.astype("boolean")
    up = (~before & now).fillna(False).astype(bool)
    down = (before & ~now).fillna(False).astype(bool)
    return pd.Series(np.select([up, down], [CROSSED_UP, CROSSED_DOWN], ""), index=now.index)
