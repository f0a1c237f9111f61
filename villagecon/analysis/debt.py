"""Debt against income: the debt-to-revenue ratio, one village's trajectory, net debt and the turnarounds.

What "in net debt" means is one of :data:`DEBT_DEFINITIONS` (DESIGN.md): owing more than the year's income (a stock
against a flow; the seed's 负债4.2万元 against 收入0.38万元), or 资不抵债, owing more than the balance sheet's assets.
Every function returns a new DataFrame (or array); its input is never changed.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from pandas.arrays import BooleanArray

from villagecon.analysis.accounts import PLACE_COLUMNS, measure_values, one_village, village_index
from villagecon.analysis.threshold import DEFAULT_THRESHOLD, reaches
from villagecon.errors import UsageError
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["DEBT_DEFINITIONS", "DEBT_STATUSES", "debt_to_revenue", "in_net_debt", "trajectory", "turnarounds"]

log = logging.getLogger(__name__)

DEBT_DEFINITIONS = ("liabilities_over_income", "liabilities_over_assets")
DEBT_STATUSES = ("ok", "zero_income", "negative_income", "missing_income", "missing_liabilities")


@accepts_measure_names("income")
def debt_to_revenue(accounts: pd.DataFrame, *, income: str = "total_income") -> pd.DataFrame:
    """Liabilities over the year's income, with zero and negative incomes marked rather than divided.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with liabilities and the ``income`` column.
    income : str
        One of :data:`INCOME_MEASURES` (default total_income).

    Returns
    -------
    DataFrame
        A copy of ``accounts`` with

        - debt_to_revenue: liabilities / income where income > 0 and both are
          known, else NaN (never ±inf);
        - debt_to_revenue_status: why, one of :data:`DEBT_STATUSES`: ``ok``,
          ``zero_income`` (income is 0: the ratio is undefined, not infinite),
          ``negative_income`` (a loss: a ratio would flip sign), ``missing_income``,
          ``missing_liabilities``.

    Examples
    --------
    >>> accounts = pd.DataFrame({"total_income": [3_800.0, 0.0], "liabilities": [42_000.0, 5_000.0]})
    >>> debt_to_revenue(accounts)[["debt_to_revenue", "debt_to_revenue_status"]].round(2).to_dict("list")
    {'debt_to_revenue': [11.05, nan], 'debt_to_revenue_status': ['ok', 'zero_income']}
    """
    value = measure_values(accounts, income)
    if "liabilities" not in accounts.columns:
        raise UsageError("accounts has no column 'liabilities'")
    liabilities = accounts["liabilities"].astype("float64")
    status = np.select(
        [value.isna(), liabilities.isna(), value.eq(0), value.lt(0)],
        ["missing_income", "missing_liabilities", "zero_income", "negative_income"],
        "ok",
    )
    ratio = (liabilities / value.where(value.gt(0))).where(status == "ok")
    return accounts.assign(
        debt_to_revenue=ratio.astype("float64"),
        debt_to_revenue_status=pd.Series(status, index=accounts.index, dtype="str"),
    )


@accepts_measure_names("income")
def trajectory(accounts: pd.DataFrame, village: str, *, income: str = "total_income") -> pd.DataFrame:
    """One village's year-by-year position: income against what it owes.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with liabilities and ``income``.
    village : str
        Village name (as in the accounts, compared after
        :func:`~villagecon.vocab.names.village_key`: 上河村村委会 finds 上河村) or village_code.
    income : str
        One of :data:`INCOME_MEASURES` (default total_income).

    Returns
    -------
    DataFrame
        One row per year, sorted: county, township, village, village_code (those
        present), year, the ``income`` column, liabilities, and

        - net_position: income − liabilities, in yuan: negative where the village owes
          more than it took in that year, positive where the year's income exceeds
          its debts; NaN where either is missing;
        - in_net_debt: the village owes something and more than its income
          (liabilities > 0 and net_position < 0; see :func:`in_net_debt`);
        - debt_to_revenue, debt_to_revenue_status: as :func:`debt_to_revenue`.

    Raises
    ------
    UsageError
        No village of that name or code (with the closest names), or the name
        belongs to several villages (use the code).

    Examples
    --------
    >>> accounts = pd.DataFrame({"village": ["上河村", "上河村"], "year": [2017, 2022],
    ...                          "total_income": [3_800.0, 419_600.0], "liabilities": [42_000.0, 0.0]})
    >>> trajectory(accounts, "上河村")[["year", "net_position", "in_net_debt"]].to_dict("list")
    {'year': [2017, 2022], 'net_position': [-38200.0, 419600.0], 'in_net_debt': [True, False]}
    """
    rows = one_village(accounts, village)
    with_ratio = debt_to_revenue(rows, income=income)
    value, liabilities = rows[income].astype("float64"), rows["liabilities"].astype("float64")
    out = with_ratio.assign(
        net_position=value - liabilities, in_net_debt=pd.Series(in_net_debt(value, liabilities), index=rows.index)
    )
    columns = [
        *[c for c in PLACE_COLUMNS if c in rows],
        "year",
        income,
        "liabilities",
        "net_position",
        "in_net_debt",
        "debt_to_revenue",
        "debt_to_revenue_status",
    ]
    path: pd.DataFrame = out.sort_values("year", kind="stable").loc[:, columns].reset_index(drop=True)
    return path


def in_net_debt(
    income: pd.Series, liabilities: pd.Series, *, assets: pd.Series | None = None, debt: str = "liabilities_over_income"
) -> BooleanArray:
    """Whether a village-year is in net debt, under one of :data:`DEBT_DEFINITIONS`.

    - ``debt="liabilities_over_income"`` (default; the seed's sense): it owes something, and
      more than the year's income (a stock compared with a flow: a village owing 12万 with an
      income of 10万 is "in net debt");
    - ``debt="liabilities_over_assets"`` (资不抵债): it owes more than its assets, from the
      balance sheet (``assets`` is then required; ``income`` is not used).

    Parameters
    ----------
    income, liabilities : Series
        The year's income and what the village owes, in yuan, row by row.
    assets : Series, optional
        The balance sheet's assets, for ``debt="liabilities_over_assets"``.
    debt : str
        One of :data:`DEBT_DEFINITIONS`.

    Returns
    -------
    BooleanArray
        True where liabilities > 0 and exceed the income (or the assets); False where liabilities are 0 (a loss
        with nothing owed is not debt) or do not exceed it; NA where liabilities, or the income (assets) of a
        village that owes something, are missing.

    Raises
    ------
    UsageError
        ``debt`` is not a definition, or ``liabilities_over_assets`` without ``assets``.
    """
    if debt not in DEBT_DEFINITIONS:
        raise UsageError(f"debt must be one of {', '.join(DEBT_DEFINITIONS)}, not {debt!r}")
    if debt == "liabilities_over_assets":
        if assets is None:
            raise UsageError("debt='liabilities_over_assets' needs the assets (资产) of the balance sheet")
        income = assets
    compared = income.to_numpy(dtype="float64", na_value=np.nan)
    owed = liabilities.to_numpy(dtype="float64", na_value=np.nan)
    owes = owed > 0
    return BooleanArray(owes & (owed > compared), np.isnan(owed) | (owes & np.isnan(compared)))


@accepts_measure_names("measure")
def turnarounds(
    accounts: pd.DataFrame,
    *,
    from_year: int | range,
    to_year: int,
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    inclusive: bool = True,
    debt: str = "liabilities_over_income",
) -> pd.DataFrame:
    """Villages in net debt in ``from_year`` (or a year of a range), out of it and above the threshold in ``to_year``.

    One definition of net debt (``debt``) decides both years: a village still in net debt in
    ``to_year``, or whose debt status there is unknown, is no turnaround.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with liabilities and ``measure``.
    from_year : int or range
        The year of the debt; or the years any of which may be (``range(2016, 2022)``:
        any year from 2016 to 2021), every one before ``to_year``. A year is in the
        accounts, or, for a range, at least one of them is.
    to_year : int
        The year compared (in the accounts).
    threshold, measure, inclusive
        As in :func:`threshold_status`; with the default ``debt`` the same income defines net
        debt (:func:`in_net_debt`: liabilities > 0 and above the measure, as in :func:`trajectory`).
    debt : str
        One of :data:`DEBT_DEFINITIONS` (default liabilities_over_income; liabilities_over_assets
        is 资不抵债 and needs the assets column).

    Returns
    -------
    DataFrame
        One row per such village, sorted by place: county, township, village,
        village_code (those present), from_year (the year of the debt; for a range the
        last year of it in which the village was in net debt), to_year, income_from (the
        measure in from_year), liabilities_from, net_position_from (< 0), income_to
        (>= threshold), liabilities_to, net_position_to; net_position is the measure minus the
        liabilities (the assets minus the liabilities under liabilities_over_assets).
        Villages with a missing measure or liabilities in the debt year(s) cannot be
        judged there and are left out.

    Examples
    --------
    >>> accounts = pd.DataFrame({"village": ["上河村"] * 3, "year": [2016, 2017, 2022],
    ...                          "total_income": [12_600.0, 3_800.0, 400_000.0],
    ...                          "liabilities": [0.0, 42_000.0, 0.0]})
    >>> turnarounds(accounts, from_year=range(2016, 2022), to_year=2022)[["village", "from_year"]].values.tolist()
    [['上河村', 2017]]
    """
    debt_years = list(from_year) if isinstance(from_year, range) else [int(from_year)]
    if not debt_years:
        raise UsageError(f"from_year {from_year} holds no year")
    if max(debt_years) >= to_year:
        raise UsageError(f"from_year ({_years_text(from_year)}) must be before to_year ({to_year})")
    years = set(accounts["year"].unique().tolist())
    missing = [y for y in (*debt_years, to_year) if y not in years]
    if isinstance(from_year, range) and any(y in years for y in debt_years):
        missing = [y for y in missing if y == to_year]  # a range needs only some of its years in the data
    if missing:
        raise UsageError(
            f"the accounts have no year {', '.join(map(str, missing))}; they cover {', '.join(map(str, sorted(years)))}"
        )
    value = measure_values(accounts, measure)
    group, places = village_index(accounts)
    frame = pd.DataFrame(
        {
            "village_id": group,
            "year": accounts["year"].to_numpy(),
            "income": value.to_numpy(dtype="float64", na_value=np.nan),
            "liabilities": accounts["liabilities"].to_numpy(dtype="float64", na_value=np.nan),
        }
    )
    if debt == "liabilities_over_assets" and "assets" not in accounts:
        raise UsageError("debt='liabilities_over_assets' needs the accounts' assets column (资产)")
    assets = accounts["assets"].astype("float64").reset_index(drop=True) if "assets" in accounts else None
    status = in_net_debt(frame["income"], frame["liabilities"], assets=assets, debt=debt)
    compared = assets if debt == "liabilities_over_assets" and assets is not None else frame["income"]
    frame["net_position"] = compared.to_numpy() - frame["liabilities"].to_numpy()
    in_debt = status.fillna(False).to_numpy(dtype=bool)
    out_of_debt = (~status).fillna(False).to_numpy(dtype=bool)  # known, and not in net debt
    debts = frame.loc[in_debt & frame["year"].isin(debt_years).to_numpy()]
    start = debts.sort_values("year").groupby("village_id").last().rename(columns={"year": "from_year"})
    end = frame.loc[frame["year"].eq(to_year).to_numpy() & out_of_debt].set_index("village_id").drop(columns="year")
    both = start.rename(columns={c: f"{c}_from" for c in end.columns}).join(end.add_suffix("_to"), how="inner")
    turned = both.loc[reaches(both["income_to"], threshold, inclusive)]
    out = places.loc[turned.index].join(turned).assign(to_year=to_year)
    order = [c for c in ("county", "township", "village", "village_code") if c in out]
    columns = [
        *order,
        "from_year",
        "to_year",
        "income_from",
        "liabilities_from",
        "net_position_from",
        "income_to",
        "liabilities_to",
        "net_position_to",
    ]
    out = out.astype({"from_year": "int64"}) if len(out) else out.assign(from_year=pd.Series(dtype="int64"))
    return out.sort_values(order, kind="stable").loc[:, columns].reset_index(drop=True)


def _years_text(years: int | range) -> str:
    if isinstance(years, range):
        return f"{years.start}–{years[-1]}" if len(years) else "none"
    return str(years)
