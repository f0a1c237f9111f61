"""The official categories of villages: 空壳村 (no 经营性收入) and 薄弱村 (经营性收入 below a line), counted."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from villagecon.analysis.accounts import measure_values
from villagecon.errors import UsageError

__all__ = ["SHELL_VILLAGE", "WEAK_THRESHOLDS", "WEAK_VILLAGE", "category_table", "village_categories"]

log = logging.getLogger(__name__)

SHELL_VILLAGE, WEAK_VILLAGE = "空壳村", "薄弱村"
WEAK_THRESHOLDS = (50_000, 100_000)  # 薄弱村: 经营性收入 below 5万 (Hunan) or 10万元


def village_categories(
    accounts: pd.DataFrame, *, weak_below: float = 50_000, measure: str = "operational_income"
) -> pd.DataFrame:
    """The official categories of each village-year: 空壳村 (no 经营性收入) and 薄弱村 (经营性收入 below a line).

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with ``measure``.
    weak_below : float
        The 薄弱村 line in yuan, one of :data:`WEAK_THRESHOLDS` in official use (5万 or 10万元).
    measure : str
        Default operational_income (经营性收入: operating + contract + investment income, no subsidies).

    Returns
    -------
    DataFrame
        A copy of ``accounts`` with ``category``: 空壳村 where the measure is 0 or less, 薄弱村 where it is
        above 0 and below ``weak_below``, NA otherwise and where the measure is missing. A 空壳村 is not
        counted again as 薄弱村.
    """
    value = measure_values(accounts, measure)
    category = (
        pd.Series(
            np.select([value.le(0), value.lt(weak_below)], [SHELL_VILLAGE, WEAK_VILLAGE], ""),
            index=accounts.index,
            dtype="str",
        )
        .replace("", pd.NA)
        .astype("string")
    )
    return accounts.assign(category=category.mask(value.isna()))


def category_table(
    accounts: pd.DataFrame,
    *,
    by: tuple[str, ...] | list[str] = ("county", "year"),
    weak_below: float = 50_000,
    measure: str = "operational_income",
) -> pd.DataFrame:
    """How many 空壳村 and 薄弱村 (see :func:`village_categories`) there are by county and year.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with ``measure`` and the ``by`` columns.
    by : sequence of str
        Grouping columns (default county and year).
    weak_below, measure
        As in :func:`village_categories`.

    Returns
    -------
    DataFrame
        One row per group, sorted: ``by``, n_villages (village-years with the measure known), n_shell (空壳村),
        n_weak (薄弱村), n_missing (measure missing: in neither count), weak_below.

    Raises
    ------
    UsageError
        A ``by`` column or the measure is missing.
    """
    by = list(by)
    if missing := [c for c in by if c not in accounts.columns]:
        raise UsageError(f"cannot group by {', '.join(missing)}: accounts has no such column")
    categories = village_categories(accounts, weak_below=weak_below, measure=measure)
    known = measure_values(accounts, measure).notna()
    frame = pd.DataFrame(
        {
            "n_villages": known.astype("int64"),
            "n_shell": categories["category"].eq(SHELL_VILLAGE).fillna(False).astype("int64"),
            "n_weak": categories["category"].eq(WEAK_VILLAGE).fillna(False).astype("int64"),
            "n_missing": (~known).astype("int64"),
        }
    )
    table = frame.groupby([accounts[c] for c in by], sort=True).sum().reset_index()
    return table.assign(weak_below=float(weak_below))
