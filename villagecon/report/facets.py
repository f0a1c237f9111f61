"""Small multiples for exploring the data: one small panel per county, drawn with seaborn's FacetGrid.

Not part of the annual report (its figures are :mod:`villagecon.report.plots`'): the notebooks use these to look
at every county at once. seaborn lays out the grid, shares the axes and titles each panel; a hand-written version
would loop over ``plt.subplots`` and hide the empty panels itself. Call :func:`villagecon.report.style.use` first so
Chinese renders. Words come from :data:`villagecon.vocab.labels.CHART_TEXT`.
"""

from __future__ import annotations

import logging

import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator, PercentFormatter

from villagecon.analysis.accounts import ordered_groups
from villagecon.analysis.threshold import DEFAULT_THRESHOLD, share_above
from villagecon.errors import UsageError
from villagecon.report.plots import CITY_COLOUR, INCOME_COLOUR
from villagecon.vocab.labels import CHART_TEXT, WHOLE_CITY, column, threshold_text
from villagecon.vocab.synonyms import measure_name

__all__ = ["county_small_multiples"]

log = logging.getLogger(__name__)


def county_small_multiples(
    accounts: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    measure: str = "total_income",
    inclusive: bool = True,
    col_wrap: int = 4,
    height: float = 2.0,
) -> sns.FacetGrid:
    """Share of villages at or above the threshold by year, one panel per county, the whole area dotted in each.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts with county, year and ``measure``.
    threshold : float
        In yuan (default 100,000: 10万元).
    measure : str
        The income compared, a key or its Chinese name (``"经营性收入"``), as in
        :func:`villagecon.analysis.threshold.threshold_status`.
    inclusive : bool
        Reaching the threshold counts (达到, default), or only exceeding it.
    col_wrap : int
        Panels per row.
    height : float
        Height of each panel, in inches.

    Returns
    -------
    seaborn.FacetGrid
        One Axes per county in official order (by code when the accounts have codes), titled with its name: the
        county's share as a line with a marker per year, then the whole area's as a dotted line. Save it with
        ``grid.savefig("counties.png")``.

    Raises
    ------
    UsageError
        The accounts have no county column, or no county with a known ``measure``.
    """
    if "county" not in accounts:
        raise UsageError("accounts has no county column: small multiples need one panel per county")
    measure = measure_name(measure)
    shares = share_above(
        accounts,
        by=("county", "year"),
        threshold=threshold,
        measure=measure,
        whole_city=WHOLE_CITY,
        inclusive=inclusive,
    )
    counties = shares.loc[~shares["whole_city"] & shares["n_villages"].gt(0)]
    if counties.empty:
        raise UsageError(f"no county has a known {measure} ({column(measure)}): nothing to draw")
    order = [c for c in ordered_groups(accounts, "county") if c in set(counties["county"])]
    grid: sns.FacetGrid = sns.relplot(
        data=counties,
        x="year",
        y="share",
        col="county",
        col_order=order,
        col_wrap=min(col_wrap, len(order)),
        kind="line",
        marker="o",
        color=INCOME_COLOUR,
        errorbar=None,
        height=height,
        aspect=1.3,
    )
    whole = shares.loc[shares["whole_city"]].sort_values("year")
    words = threshold_text(threshold)
    for ax in grid.axes.flat:
        ax.plot(whole["year"], whole["share"], color=CITY_COLOUR, linestyle=":", linewidth=1, label=WHOLE_CITY)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1.05)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # whole years, few enough for a small panel
    grid.set_titles("{col_name}")
    grid.set_axis_labels(CHART_TEXT["year"], CHART_TEXT["share_above"].format(threshold=words))
    grid.figure.suptitle(CHART_TEXT["share_above_title"].format(measure=column(measure), threshold=words))
    return grid
