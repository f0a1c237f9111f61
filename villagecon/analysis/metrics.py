"""The annual report's measures over the accounts table: the 10万元 threshold, debt, trajectories, tenure.

Every function takes the village-year accounts (as :func:`villagecon.read_ledger`
returns them, or any frame with the columns it names) and returns a new DataFrame;
the input is never changed. Which income the threshold applies to is the
``measure`` argument (DESIGN.md: offices define "collective income" differently),
one of :data:`INCOME_MEASURES`, named by its key or in Chinese (``measure="经营性收入"``,
:func:`villagecon.vocab.synonyms.measure_name`); the threshold is an argument too.

A village is told apart by its ``village_code`` when every row has one (accounts
read with a register), else by county, township and village name.
"""

from __future__ import annotations

import difflib
import logging

import numpy as np
import pandas as pd

from villagecon.errors import UsageError
from villagecon.vocab import items, labels
from villagecon.vocab.periods import actuals
from villagecon.vocab.synonyms import accepts_measure_names, village_key

log = logging.getLogger("villagecon")

DEFAULT_THRESHOLD = 100_000  # 10万元
# Every income column of the accounts, and the two derived measures (经营性收入, 经营收益).
INCOME_MEASURES = labels.INCOME_MEASURES
# The label of the whole-area rows of share_above in its geographic columns.
WHOLE_CITY = labels.WHOLE_CITY
_PLACE = ("county", "township", "village", "village_code")
# What "in net debt" means (DESIGN.md): owing more than the year's income (a stock against a flow; the
# seed's 负债4.2万元 against 收入0.38万元), or 资不抵债, owing more than the balance sheet's assets.
DEBT_DEFINITIONS = ("liabilities_over_income", "liabilities_over_assets")
DEBT_STATUSES = ("ok", "zero_income", "negative_income", "missing_income", "missing_liabilities")
# What each total or derived measure is computed from when the ledger does not report it, under either
# accounting system (villagecon.vocab.items): it is approximate when one of its parts is.
MEASURE_PARTS = {measure: items.all_parts(measure) for measure in items.MEASURES}


@accepts_measure_names("measure")
def threshold_status(
    accounts: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    inclusive: bool = True,
) -> pd.DataFrame:
    """Mark each village-year at or above the threshold (or above it, ``inclusive=False``).

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with the ``measure`` column.
    threshold : float
        In yuan (default 100,000: 10万元).
    measure : str
        The income compared, one of :data:`INCOME_MEASURES` (default
        total_income, 本年收入合计; operational_income is Hunan's 经营性收入).
    inclusive : bool
        True (default): reaching the threshold counts, ``measure >= threshold`` (达到);
        False: only exceeding it, ``measure > threshold`` (超过). A village with exactly
        100,000 yuan is above under the first and not under the second.

    Returns
    -------
    DataFrame
        A copy of ``accounts`` with ``above_threshold`` (boolean): True where
        ``measure >= threshold`` (``>`` with ``inclusive=False``), False where not, NA
        where the measure is missing.

    Raises
    ------
    UsageError
        ``measure`` is not an income measure, or ``accounts`` lacks it.

    Examples
    --------
    >>> accounts = pd.DataFrame({"village": ["上河村", "上河村"], "year": [2017, 2022],
    ...                          "total_income": [3_800.0, 419_600.0]})
    >>> threshold_status(accounts)["above_threshold"].tolist()
    [False, True]
    """
    value = _measure(accounts, measure)
    above = pd.array(_reaches(value, threshold, inclusive).to_numpy(), dtype="boolean")
    above[value.isna().to_numpy()] = pd.NA
    return accounts.assign(above_threshold=pd.Series(above, index=accounts.index))


@accepts_measure_names("measure")
def share_above(
    accounts: pd.DataFrame,
    *,
    by: tuple[str, ...] | list[str] = ("county", "year"),
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    whole_city: str | None = WHOLE_CITY,
    inclusive: bool = True,
) -> pd.DataFrame:
    """How many villages are at or above the threshold, by county and year (or any grouping).

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts.
    by : sequence of str
        Grouping columns (default county and year).
    threshold, measure, inclusive
        As in :func:`threshold_status`.
    whole_city : str or None
        Add one row per year (per value of the ``by`` columns that are not places)
        over all villages, with this label in the place columns of ``by`` (county,
        township, village); None for no such rows.

    Returns
    -------
    DataFrame
        One row per group, columns ``by`` and:

        - n_villages: village-years in the group whose measure is known (the
          villages, when year is among ``by``);
        - n_above: of those, how many are at or above the threshold;
        - n_missing: village-years in the group whose measure is missing (not in
          n_villages: never counted as below);
        - share: n_above / n_villages (NaN where n_villages is 0);
        - whole_city: True on the whole-area rows.

        Sorted by year (when grouped by year), then place, the whole-area row last in each year.
    """
    by = list(by)
    if missing := [c for c in by if c not in accounts.columns]:
        raise UsageError(f"cannot group by {', '.join(missing)}: accounts has no such column")
    status = threshold_status(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    counts = _count_above(status, by)
    places = [c for c in by if c in _PLACE]
    if whole_city is not None and places:
        rest = [c for c in by if c not in places]
        totals = _count_above(status, rest).assign(**dict.fromkeys(places, whole_city))
        counts = pd.concat([counts.assign(whole_city=False), totals.assign(whole_city=True)], ignore_index=True)
    else:
        counts = counts.assign(whole_city=False)
    order = [*(["year"] if "year" in by else []), "whole_city", *[c for c in by if c != "year"]]
    counts = counts.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
    return counts.loc[:, [*by, "n_villages", "n_above", "n_missing", "share", "whole_city"]]


def _count_above(status: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    known = status["above_threshold"].notna()
    frame = pd.DataFrame(
        {
            "known": known.astype("int64"),
            "above": status["above_threshold"].fillna(False).astype("int64"),
            "missing": (~known).astype("int64"),
        },
        index=status.index,
    )
    if by:
        sums = frame.groupby([status[c] for c in by], dropna=False, sort=True).sum().reset_index()
    else:
        sums = frame.sum().to_frame().T
    sums = sums.rename(columns={"known": "n_villages", "above": "n_above", "missing": "n_missing"})
    share = sums["n_above"] / sums["n_villages"].where(sums["n_villages"].gt(0))
    return sums.assign(share=share.astype("float64"))


@accepts_measure_names("measure")
def crossing_year(
    accounts: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    inclusive: bool = True,
) -> pd.DataFrame:
    """When each village first reached the threshold, and whether it stayed there.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts.
    threshold, measure, inclusive
        As in :func:`threshold_status`.

    Returns
    -------
    DataFrame
        One row per village (every village of ``accounts``, also those never above),
        columns county, township, village, village_code (those present) and:

        - first_year, last_year: first and last year whose measure is known
          (Int64, NA when never known);
        - first_year_above: first year at or above the threshold (Int64, NA if never);
        - above_from_start: first_year_above is first_year, so the village may
          have crossed before the data begin (boolean, NA if never above);
        - stayed_above: every known year after first_year_above is above (boolean,
          NA if never above);
        - years_below_since: known years below the threshold after
          first_year_above (Int64, NA if never above);
        - above_in_last_year: at or above in last_year (boolean, NA if never known).

        Years whose measure is missing count neither as above nor as below.
    """
    status = threshold_status(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    group, places = village_index(status)
    frame = pd.DataFrame(
        {"village_id": group, "year": status["year"].to_numpy(), "above": status["above_threshold"].to_numpy()}
    )
    known = frame.loc[frame["above"].notna()].astype({"above": bool})
    first_year = known.groupby("village_id")["year"].min()
    last_year = known.groupby("village_id")["year"].max()
    first_above = known.loc[known["above"]].groupby("village_id")["year"].min()
    known = known.assign(first_above=known["village_id"].map(first_above))
    below_since = (known["year"].gt(known["first_above"]) & ~known["above"]).groupby(known["village_id"]).sum()
    last_above = known.sort_values("year").groupby("village_id")["above"].last()

    out = places.copy()
    ids = out.index
    out["first_year"] = pd.array(first_year.reindex(ids), dtype="Int64")
    out["last_year"] = pd.array(last_year.reindex(ids), dtype="Int64")
    out["first_year_above"] = pd.array(first_above.reindex(ids), dtype="Int64")
    crossed = out["first_year_above"].notna().to_numpy()
    out["above_from_start"] = _where(crossed, out["first_year_above"].eq(out["first_year"]))
    years_below = pd.array(below_since.reindex(ids).fillna(0), dtype="Int64")
    years_below[~crossed] = pd.NA
    out["stayed_above"] = _where(crossed, pd.Series(years_below, index=ids).eq(0))
    out["years_below_since"] = years_below
    out["above_in_last_year"] = pd.array(last_above.reindex(ids), dtype="boolean")
    return out.reset_index(drop=True)


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
    value = _measure(accounts, income)
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
        :func:`~villagecon.vocab.synonyms.village_key`: 上河村村委会 finds 上河村) or village_code.
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
    rows = _one_village(accounts, village)
    with_ratio = debt_to_revenue(rows, income=income)
    value, liabilities = rows[income].astype("float64"), rows["liabilities"].astype("float64")
    out = with_ratio.assign(
        net_position=value - liabilities, in_net_debt=pd.Series(in_net_debt(value, liabilities), index=rows.index)
    )
    columns = [
        *[c for c in _PLACE if c in rows],
        "year",
        income,
        "liabilities",
        "net_position",
        "in_net_debt",
        "debt_to_revenue",
        "debt_to_revenue_status",
    ]
    return out.sort_values("year", kind="stable").loc[:, columns].reset_index(drop=True)


def in_net_debt(
    income: pd.Series, liabilities: pd.Series, *, assets: pd.Series | None = None, debt: str = "liabilities_over_income"
) -> pd.arrays.BooleanArray:
    """Whether a village-year is in net debt, under one of :data:`DEBT_DEFINITIONS`.

    - ``debt="liabilities_over_income"`` (default; the seed's sense): it owes something, and
      more than the year's income (a stock compared with a flow: a village owing 12万 with an
      income of 10万 is "in net debt");
    - ``debt="liabilities_over_assets"`` (资不抵债): it owes more than its assets, from the
      balance sheet (``assets`` is then required; ``income`` is not used).

    True where liabilities > 0 and liabilities exceed the income (or the assets); False where
    liabilities are 0 (a loss with nothing owed is not debt) or do not exceed it; NA where
    liabilities, or the income (assets) of a village that owes something, are missing.
    """
    if debt not in DEBT_DEFINITIONS:
        raise UsageError(f"debt must be one of {', '.join(DEBT_DEFINITIONS)}, not {debt!r}")
    if debt == "liabilities_over_assets":
        if assets is None:
            raise UsageError("debt='liabilities_over_assets' needs the assets (资产) of the balance sheet")
        income = assets
    income, liabilities = income.astype("float64").to_numpy(), liabilities.astype("float64").to_numpy()
    owes = liabilities > 0
    out = pd.array(owes & (liabilities > income), dtype="boolean")
    out[np.isnan(liabilities) | (owes & np.isnan(income))] = pd.NA
    return out


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
    value = _measure(accounts, measure)
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
    compared = assets if debt == "liabilities_over_assets" else frame["income"]
    frame["net_position"] = compared.to_numpy() - frame["liabilities"].to_numpy()
    in_debt = status.fillna(False).to_numpy(dtype=bool)
    out_of_debt = (~status).fillna(False).to_numpy(dtype=bool)  # known, and not in net debt
    debts = frame.loc[in_debt & frame["year"].isin(debt_years).to_numpy()]
    start = debts.sort_values("year").groupby("village_id").last().rename(columns={"year": "from_year"})
    end = frame.loc[frame["year"].eq(to_year).to_numpy() & out_of_debt].set_index("village_id").drop(columns="year")
    both = start.rename(columns={c: f"{c}_from" for c in end.columns}).join(end.add_suffix("_to"), how="inner")
    turned = both.loc[_reaches(both["income_to"], threshold, inclusive)]
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


@accepts_measure_names("measure")
def mark_approximate_measure(
    accounts: pd.DataFrame, entries: pd.DataFrame, *, measure: str = "total_income"
) -> pd.DataFrame:
    """Mark the village-years whose ``measure`` rests on an amount the ledger wrote approximately (40余万元).

    The accounts' own ``approx`` says whether *any* amount of the village-year was approximate;
    this says it of one measure: a reported item is approximate when its entry is; a total the
    ledger did not report, and a derived measure (经营性收入, 经营收益), when one of its parts
    (:data:`MEASURE_PARTS`) is.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts (``Ledger.accounts``).
    entries : DataFrame
        The amounts they were built from (``Ledger.entries``: item, detail, approx, and the
        place and year columns).
    measure : str
        One of :data:`INCOME_MEASURES`.

    Returns
    -------
    DataFrame
        A copy of ``accounts`` with ``<measure>_approx`` (bool; False where no entry says so).
    """
    _measure(accounts, measure)
    keys = _shared_keys(accounts, entries)
    entries = actuals(entries)
    main = entries.loc[entries["detail"].isna()] if "detail" in entries else entries
    flags = main.pivot_table(index=keys, columns="item", values="approx", aggfunc="any")

    def approximate(item: str) -> pd.Series:
        reported = flags[item] if item in flags else pd.Series(np.nan, index=flags.index, dtype="object")
        if item not in MEASURE_PARTS:
            return reported.fillna(False).astype(bool)
        from_parts = pd.concat([approximate(part) for part in MEASURE_PARTS[item]], axis=1).any(axis=1)
        return reported.where(reported.notna(), from_parts).astype(bool)

    if not len(flags):
        return accounts.assign(**{f"{measure}_approx": False})
    flag = approximate(measure).rename(f"{measure}_approx")
    joined = accounts[keys].join(flag, on=keys)[flag.name].fillna(False).astype(bool)
    return accounts.assign(**{flag.name: joined.to_numpy()})


def _shared_keys(accounts: pd.DataFrame, entries: pd.DataFrame) -> list[str]:
    """The columns that tell a village-year apart in both tables: its code when every row has one, else the place
    columns that either table fills (a township's own ledger may have no 县 or 乡镇 column at all)."""
    if all("village_code" in t and t["village_code"].notna().all() for t in (accounts, entries)):
        return ["village_code", "year"]
    return [
        c
        for c in ("county", "township", "village", "year")
        if c in accounts and c in entries and (accounts[c].notna().any() or entries[c].notna().any())
    ]


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
    value = _measure(accounts, measure)
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

    One row per group: n_villages (village-years with the measure known), n_shell (空壳村), n_weak (薄弱村),
    n_missing (measure missing: in neither count), weak_below.
    """
    by = list(by)
    if missing := [c for c in by if c not in accounts.columns]:
        raise UsageError(f"cannot group by {', '.join(missing)}: accounts has no such column")
    categories = village_categories(accounts, weak_below=weak_below, measure=measure)
    known = _measure(accounts, measure).notna()
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


@accepts_measure_names("measure")
def income_by_tenure(
    accounts_with_tenure: pd.DataFrame,
    *,
    measure: str = "total_income",
    by: tuple[str, ...] | list[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean and median income by the secretary's completed years in office.

    Parameters
    ----------
    accounts_with_tenure : DataFrame
        Accounts with ``tenure_years`` (from :func:`villagecon.ingest.roster.tenure`).
    measure : str
        One of :data:`INCOME_MEASURES` (default total_income).
    by : sequence of str
        Further grouping columns before tenure_years (e.g. ``("background",)``).

    Returns
    -------
    DataFrame
        One row per ``by`` group and completed tenure year, sorted, columns ``by``,
        tenure_years, and

        - n_village_years: village-years with that tenure and a known measure;
        - n_villages: distinct villages among them;
        - mean_yuan, median_yuan: mean and median of the measure, in yuan;
        - std_err_yuan: standard error of the mean (s/√n; NaN for one village-year);
        - ci_low_yuan, ci_high_yuan: the ``level`` interval of the mean with Student's t and
          n − 1 degrees of freedom (t = 4.30 for n = 3 at 95%, not 1.96). Village-years of one
          village are not independent: read it as a description, not a test.

        Village-years with no secretary (tenure missing) or a missing measure are
        left out; their number is logged.
    """
    by = list(by)
    if "tenure_years" not in accounts_with_tenure.columns:
        raise UsageError(
            "accounts_with_tenure has no tenure_years: add it with villagecon.ingest.roster.tenure(accounts, roster)"
        )
    if missing := [c for c in by if c not in accounts_with_tenure.columns]:
        raise UsageError(f"cannot group by {', '.join(missing)}: the table has no such column")
    value = _measure(accounts_with_tenure, measure).astype("float64")
    group, _ = village_index(accounts_with_tenure)
    usable = (accounts_with_tenure["tenure_years"].notna() & value.notna()).to_numpy()
    if (left_out := int((~usable).sum())) > 0:
        log.info(
            "income_by_tenure: %d of %d village-years left out (no secretary on 31 December or no %s)",
            left_out,
            len(usable),
            measure,
        )
    frame = pd.DataFrame(
        {
            **{c: accounts_with_tenure[c].to_numpy() for c in by},
            "tenure_years": accounts_with_tenure["tenure_years"].to_numpy(),
            "value": value.to_numpy(),
            "village_id": group,
        }
    )[usable]
    frame["tenure_years"] = frame["tenure_years"].astype("int64")
    out = (
        frame.groupby([*by, "tenure_years"], sort=True, dropna=False)
        .agg(
            n_village_years=("value", "size"),
            n_villages=("village_id", "nunique"),
            mean_yuan=("value", "mean"),
            median_yuan=("value", "median"),
            std_yuan=("value", "std"),
        )
        .reset_index()
    )
    n = out["n_village_years"].to_numpy(dtype="float64")
    std_err = out.pop("std_yuan").to_numpy() / np.sqrt(n)
    from scipy import stats  # here, not at the top: `import villagecon` (every command) does not wait for it

    with np.errstate(invalid="ignore"):
        critical = stats.t.ppf(0.5 + level / 2, np.where(n > 1, n - 1, np.nan))
    return out.assign(
        std_err_yuan=std_err,
        ci_low_yuan=out["mean_yuan"] - critical * std_err,
        ci_high_yuan=out["mean_yuan"] + critical * std_err,
    )


# --- shared -----------------------------------------------------------------------------------------------


def _reaches(value: pd.Series, threshold: float, inclusive: bool) -> pd.Series:
    """达到 (``>=``, inclusive) or 超过 (``>``) the threshold; False where the value is missing."""
    return value.ge(threshold) if inclusive else value.gt(threshold)


def _measure(accounts: pd.DataFrame, measure: str) -> pd.Series:
    """The measure column as float, after checking it is an income measure the accounts have."""
    if measure not in INCOME_MEASURES:
        raise UsageError(f"measure {measure!r} is not an income measure; use one of {', '.join(INCOME_MEASURES)}")
    if measure not in accounts.columns:
        raise UsageError(f"accounts has no column {measure!r} ({labels.column(measure)})")
    return accounts[measure].astype("float64")


def village_index(accounts: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """A village number for every row, and the place columns of each village (indexed by that number).

    Villages are told apart by village_code when every row has one, else by county, township and
    village name (those present). Models use the number as the panel entity.
    """
    if "village_code" in accounts and accounts["village_code"].notna().all() and len(accounts):
        keys = ["village_code"]
    else:
        keys = [c for c in ("county", "township", "village") if c in accounts]
        if not keys:
            raise UsageError("accounts has no village or village_code column")
    group = accounts.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    present = [c for c in _PLACE if c in accounts]
    places = accounts[present].groupby(group).first() if present else pd.DataFrame(index=np.unique(group))
    return group, places


def _where(condition: np.ndarray, values: pd.Series) -> pd.arrays.BooleanArray:
    out = pd.array(values.to_numpy(dtype=object, na_value=None), dtype="boolean")
    out[~condition] = pd.NA
    return out


def _one_village(accounts: pd.DataFrame, village: str) -> pd.DataFrame:
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
