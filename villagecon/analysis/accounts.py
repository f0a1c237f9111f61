"""What every measure reads from the village-year accounts: the income measure checked, the village of each row.

A village is told apart by its ``village_code`` when every row has one (accounts read with a register), else by
county, township and village name.
"""

from __future__ import annotations

import difflib
import logging

import numpy as np
import numpy.typing as npt
import pandas as pd

from villagecon.errors import UsageError
from villagecon.vocab import labels
from villagecon.vocab.names import village_key

__all__ = [
    "INCOME_MEASURES",
    "PLACE_COLUMNS",
    "measure_values",
    "one_village",
    "ordered_groups",
    "village_index",
]

log = logging.getLogger(__name__)

# Every income column of the accounts, and the two derived measures (经营性收入, 经营收益).
INCOME_MEASURES = labels.INCOME_MEASURES
PLACE_COLUMNS = ("county", "township", "village", "village_code")


def measure_values(accounts: pd.DataFrame, measure: str) -> pd.Series:
    """The measure column as float, after checking it is an income measure the accounts have.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts.
    measure : str
        The key of an income measure, one of :data:`INCOME_MEASURES`.

    Returns
    -------
    Series
        ``accounts[measure]`` as float64 (NaN where missing).

    Raises
    ------
    UsageError
        ``measure`` is not an income measure, or the accounts lack it.
    """
    if measure not in INCOME_MEASURES:
        raise UsageError(f"measure {measure!r} is not an income measure; use one of {', '.join(INCOME_MEASURES)}")
    if measure not in accounts.columns:
        raise UsageError(f"accounts has no column {measure!r} ({labels.column(measure)})")
    return accounts[measure].astype("float64")


def village_index(accounts: pd.DataFrame) -> tuple[npt.NDArray[np.int64], pd.DataFrame]:
    """A village number for every row, and the place columns of each village (indexed by that number).

    Villages are told apart by village_code when every row has one, else by county, township and
    village name (those present). Models use the number as the panel entity.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts (or any frame with village or village_code).

    Returns
    -------
    ndarray
        The village number of each row, in the order villages first appear (0, 1, ...).
    DataFrame
        Indexed by that number: the place columns of :data:`PLACE_COLUMNS` present, from each village's first row.

    Raises
    ------
    UsageError
        The accounts have neither a village nor a village_code column.
    """
    if "village_code" in accounts and accounts["village_code"].notna().all() and len(accounts):
        keys = ["village_code"]
    else:
        keys = [c for c in ("county", "township", "village") if c in accounts]
        if not keys:
            raise UsageError("accounts has no village or village_code column")
    group = np.asarray(accounts.groupby(keys, dropna=False, sort=False).ngroup(), dtype=np.int64)
    present = [c for c in PLACE_COLUMNS if c in accounts]
    places = accounts[present].groupby(group).first() if present else pd.DataFrame(index=np.unique(group))
    return group, places


def one_village(accounts: pd.DataFrame, village: str) -> pd.DataFrame:
    """The rows of one village, found by its village_code or its name.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts.
    village : str
        A village_code, or a name compared after :func:`~villagecon.vocab.names.village_key`
        (上河村村委会 finds 上河村).

    Returns
    -------
    DataFrame
        The village's rows (a view of ``accounts``, not a copy).

    Raises
    ------
    UsageError
        No village of that code or name (with the closest names), or the name belongs to several villages.
    """
    if "village_code" in accounts and accounts["village_code"].astype("str").eq(str(village)).any():
        return accounts.loc[accounts["village_code"].astype("str").eq(str(village))]
    names = accounts["village"].map(lambda v: village_key(v) if isinstance(v, str) else "")
    rows = accounts.loc[names.eq(village_key(village))]
    if rows.empty:
        close = difflib.get_close_matches(village_key(village), sorted(set(names)), n=3, cutoff=0.5)
        suggestion = f"; closest: {'、'.join(close)}" if close else ""
        raise UsageError(f"no village {village!r} in the accounts{suggestion}")
    places = [c for c in ("village_code", "county", "township") if c in rows and rows[c].notna().any()]
    distinct = rows[places].drop_duplicates() if places else rows.iloc[:1]
    if len(distinct) > 1:
        listed = "; ".join(" ".join(str(v) for v in place if pd.notna(v)) for place in distinct.itertuples(index=False))
        raise UsageError(f"{village!r} names {len(distinct)} villages ({listed}): pass the village_code instead")
    return rows


def ordered_groups(accounts: pd.DataFrame, by: str) -> list[str]:
    """The areas (or villages) of ``accounts`` in official order.

    By code when codes exist (so 北湖区 comes before 苏仙区), else by name.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with the ``by`` column.
    by : str
        county, township or village (any other column is sorted by value).

    Returns
    -------
    list of str
        Each value of ``by`` once, in order.
    """
    if by == "county" and "county_code" in accounts.columns and accounts["county_code"].notna().all():
        order = accounts["county_code"]
    elif (
        by in ("county", "township", "village")
        and "village_code" in accounts.columns
        and accounts["village_code"].notna().all()
    ):
        order = accounts["village_code"]  # 12-digit codes start with the county's and township's
    else:
        return sorted(accounts[by].dropna().unique().tolist())
    return accounts.assign(order=order).sort_values("order")[by].drop_duplicates().tolist()
