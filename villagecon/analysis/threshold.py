"""The 10万元 threshold: which village-years reach it, how many by area and year, and when each village crossed.

Which income the threshold applies to is the ``measure`` argument (DESIGN.md: offices define "collective income"
differently), one of :data:`~villagecon.analysis.accounts.INCOME_MEASURES`, named by its key or in Chinese
(``measure="经营性收入"``); the threshold is an argument too. Every function returns a new DataFrame.
"""

from __future__ import annotations

import logging

import pandas as pd

from villagecon.analysis.accounts import PLACE_COLUMNS, measure_values, village_index
from villagecon.errors import UsageError
from villagecon.vocab import labels
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["DEFAULT_THRESHOLD", "WHOLE_CITY", "crossing_year", "reaches", "share_above", "threshold_status"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 100_000  # 10万元
# The label of the whole-area rows of share_above in its geographic columns.
WHOLE_CITY = labels.WHOLE_CITY


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
    value = measure_values(accounts, measure)
    above = pd.array(reaches(value, threshold, inclusive).to_numpy(), dtype="boolean")
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
    places = [c for c in by if c in PLACE_COLUMNS]
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
    out["first_year"] = first_year.reindex(ids).astype("Int64")
    out["last_year"] = last_year.reindex(ids).astype("Int64")
    out["first_year_above"] = first_above.reindex(ids).astype("Int64")
    crossed = out["first_year_above"].notna().to_numpy()
    out["above_from_start"] = out["first_year_above"].eq(out["first_year"]).astype("boolean").mask(~crossed)
    years_below = below_since.reindex(ids).fillna(0).astype("Int64").mask(~crossed)
    out["stayed_above"] = years_below.eq(0).astype("boolean").mask(~crossed)
    out["years_below_since"] = years_below
    out["above_in_last_year"] = last_above.reindex(ids).astype("boolean")
    return out.reset_index(drop=True)


def reaches(value: pd.Series, threshold: float, inclusive: bool) -> pd.Series:
    """达到 (``>=``, inclusive) or 超过 (``>``) the threshold.

    Parameters
    ----------
    value : Series
        Amounts in yuan.
    threshold : float
        In yuan.
    inclusive : bool
        ``>=`` when True, ``>`` when False.

    Returns
    -------
    Series
        Boolean; False where the value is missing.
    """
    return value.ge(threshold) if inclusive else value.gt(threshold)
