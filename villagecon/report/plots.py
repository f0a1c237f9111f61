"""Charts of the annual report: data first, keyword-only options, ``ax=None`` draws a new figure, the Axes returned.

Amounts are drawn in 万元; every Chinese word comes from :data:`villagecon.vocab.labels.CHART_TEXT`, and the words
for the area (全市 and 各县市区, 全县 and 各乡镇, 全镇 and 各村) from :mod:`villagecon.report.scope`. The numbers
come from :mod:`villagecon.analysis.metrics` and :mod:`villagecon.analysis.models`; these functions only draw them.
Call :func:`villagecon.report.style.use` first (the report and the notebooks do) so Chinese renders.

Every function returns the matplotlib Axes it drew on, not a Figure: save the chart with ``ax.figure``::

    from villagecon.analysis import metrics
    from villagecon.report import plots, style
    style.use()
    ax = plots.plot_income_vs_threshold(ledger.accounts, year=2022)
    ax.figure.savefig("income_2022.png", dpi=200)
"""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, PercentFormatter

from villagecon.analysis import metrics
from villagecon.analysis.accounts import ordered_groups
from villagecon.errors import UsageError
from villagecon.parse.amounts import YUAN_PER_WAN
from villagecon.report.scope import Scope, detect_scope
from villagecon.vocab.labels import CHART_TEXT, EACH_OF, column, threshold_text
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = [
    "BELOW_COLOUR",
    "CITY_COLOUR",
    "COUNTY_COLOURS",
    "DEBT_COLOUR",
    "INCOME_COLOUR",
    "MAX_VILLAGE_COLUMNS",
    "TENURE_COLOURS",
    "THRESHOLD_COLOUR",
    "ordered_groups",
    "plot_event_study",
    "plot_income_by_tenure",
    "plot_income_vs_threshold",
    "plot_share_above",
    "plot_trajectory",
]

_BAR_WIDTH, _BAR_OFFSET = 0.38, 0.2  # the two bars of a year side by side: income left, debt right
INCOME_COLOUR = "#2b7a4b"
DEBT_COLOUR = "#c0392b"
THRESHOLD_COLOUR = "#d35400"
CITY_COLOUR = "#111111"
# Successive secretaries' terms on a trajectory, in turn: yellow, blue, purple, green (told apart at a glance).
TENURE_COLOURS = ("#f7dc6f", "#aed6f1", "#d2b4de", "#a9dfbf")
BELOW_COLOUR = "#7f7f7f"
# One township's villages are drawn one column each up to this many, else in one column.
MAX_VILLAGE_COLUMNS = 30
# Eleven distinguishable hues for the county-level units (郴州市 has 11): tab10 and a dark indigo; none pale.
# tab10 is a ListedColormap: its colours are a tuple of RGB triples (the stubs type every Colormap alike).
_TAB10: tuple[tuple[float, float, float], ...] = plt.get_cmap("tab10").colors  # type: ignore[attr-defined]
COUNTY_COLOURS = (*_TAB10, "#393b79")


@accepts_measure_names("measure")
def plot_income_vs_threshold(
    accounts: pd.DataFrame,
    *,
    year: int | None = None,
    by: str | None = None,
    measure: str = "total_income",
    threshold: float = metrics.DEFAULT_THRESHOLD,
    scope: Scope | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Every village's income in one year, one column of dots per area, against the threshold line.

    ``by`` is the column of the areas (county, township, or village for one dot per village: more than
    :data:`MAX_VILLAGE_COLUMNS` villages share one column); by default the next level down from what the
    data cover (:func:`villagecon.report.scope.detect_scope`): per county for several counties, per township for
    one county, per village for one township. ``scope`` words the title (全市, 全县,
    全镇...; default: detected from the data).

    The y axis is logarithmic (incomes run from a few thousand yuan to millions) and reads in plain 万元
    (5, 10, 20, 50, 100...); dots at or above the threshold are green, those below grey. Above the columns,
    each area's share of villages at or above the threshold (from :func:`villagecon.analysis.metrics.share_above`); the
    title gives the whole area's. Villages with an income of 0 or less cannot be drawn on a log axis: their
    number is in the x-axis label.

    Returns
    -------
    Axes
        One PathCollection per group, the threshold as a horizontal line. Save it with
        ``ax.figure.savefig("income.png")``.
    """
    year = _latest_year(accounts) if year is None else year
    one_year = accounts.loc[accounts["year"].eq(year)]
    if one_year.empty:
        raise UsageError(f"the accounts have no year {year}; they cover {sorted(accounts['year'].unique())}")
    scope = detect_scope(one_year) if scope is None else scope
    by = scope.by if by is None else by
    if by not in one_year:
        raise UsageError(f"cannot draw by {by}: the accounts have no such column")
    shares = metrics.share_above(one_year, by=(by,), threshold=threshold, measure=measure, whole_city=scope.whole)
    groups = ordered_groups(one_year, by)
    if by == "village" and len(groups) > MAX_VILLAGE_COLUMNS:  # too many to name: one column for them all
        one_year = one_year.assign(village=scope.whole)
        groups = [scope.whole]
    values = metrics.threshold_status(one_year, threshold=threshold, measure=measure)[measure]
    ax = _axes(ax, figsize=(min(16.0, max(6.0, 0.75 * len(groups) + 2)), 4.8))
    wan = threshold / YUAN_PER_WAN
    words = threshold_text(threshold)
    rng = np.random.default_rng(0)  # the same jitter every run: figures are compared by hash
    not_drawn = 0
    for position, group in enumerate(groups):
        incomes = values[one_year[by].eq(group)].dropna().to_numpy() / YUAN_PER_WAN
        shown = incomes[incomes > 0]  # a log axis cannot show losses; they are below any threshold anyway
        not_drawn += len(incomes) - len(shown)
        ax.scatter(
            position + rng.uniform(-0.25, 0.25, len(shown)),
            shown,
            s=12 if by != "village" else 36,
            alpha=0.8,
            linewidths=0,
            color=np.where(shown >= wan, INCOME_COLOUR, BELOW_COLOUR),
            label=_literal(group),
        )
    _plain_log_axis(ax, [*values.loc[values.gt(0)].to_numpy() / YUAN_PER_WAN, wan])
    ax.axhline(
        wan,
        color=THRESHOLD_COLOUR,
        linewidth=1.5,
        linestyle="--",
        label=CHART_TEXT["threshold_line"].format(threshold=words),
    )
    # The line's name just outside the right edge, level with it: never on a dot.
    ax.text(
        1.005,
        wan,
        words,
        transform=ax.get_yaxis_transform(),
        color=THRESHOLD_COLOUR,
        va="center",
        ha="left",
        fontsize=8,
        clip_on=False,
    )
    share_of = shares.loc[~shares["whole_city"]].set_index(by)["share"]
    if by != "village":  # one village's share is 0% or 100%: its dot's colour says it
        for position, group in enumerate(groups):
            ax.text(
                position,
                1.01,
                f"{share_of.get(group, np.nan):.0%}",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        # What the row of percentages is, on the row above it.
        ax.annotate(
            CHART_TEXT["share_of_parts"].format(parts=EACH_OF[by], threshold=words),
            (0.0, 1.01),
            xycoords="axes fraction",
            xytext=(0, 11),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8,
            color="#555555",
        )
    ax.set_xticks(
        range(len(groups)),
        [_literal(g) for g in groups],
        rotation=45 if len(groups) > 6 else 0,
        ha="right" if len(groups) > 6 else "center",
    )
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylabel(f"{column(measure)}（{CHART_TEXT['wan_yuan']}，{CHART_TEXT['log_scale']}）")
    if not_drawn:
        ax.set_xlabel(CHART_TEXT["not_shown_on_log_axis"].format(count=not_drawn, measure=column(measure)), fontsize=8)
    ax.legend(
        handles=[
            Line2D(
                [], [], marker="o", linestyle="", color=c, markersize=5, label=CHART_TEXT[side].format(threshold=words)
            )
            for side, c in (("above", INCOME_COLOUR), ("below", BELOW_COLOUR))
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize=8,
    )
    city = shares.loc[shares["whole_city"], "share"]
    city_text = (
        CHART_TEXT["city_share"].format(whole=scope.whole, share=f"{city.iloc[0]:.1%}", threshold=words)
        if len(city)
        else ""
    )
    title = (
        CHART_TEXT["income_vs_threshold_villages"].format(year=year, area=_literal(scope.area), measure=column(measure))
        if by == "village"
        else CHART_TEXT["income_vs_threshold"].format(year=year, parts=EACH_OF.get(by, ""), measure=column(measure))
    )
    ax.set_title(title + city_text, pad=30 if by != "village" else 6)
    return ax


@accepts_measure_names("measure")
def plot_share_above(
    shares: pd.DataFrame,
    *,
    ax: Axes | None = None,
    measure: str = "total_income",
    threshold: float = metrics.DEFAULT_THRESHOLD,
    county_order: list[str] | None = None,
) -> Axes:
    """Share of villages at or above the threshold by year: one thin line per area, the whole area in bold.

    ``shares`` is :func:`villagecon.analysis.metrics.share_above` grouped by an area column (county, or township for one
    county) and year, with its whole-area rows, whose label (全市, 全县...) names the bold line. ``measure`` and
    ``threshold`` only word the title; ``county_order`` orders the legend (default: as in ``shares``).

    Returns
    -------
    Axes
        One Line2D per area, the whole area's last. Save it with ``ax.figure.savefig("shares.png")``.
    """
    ax = _axes(ax, figsize=(8, 4.8))
    place = next((c for c in ("county", "township", "village") if c in shares), None)
    areas = list(dict.fromkeys(shares.loc[~shares["whole_city"], place])) if place else []
    if county_order is not None:
        areas = [c for c in county_order if c in areas] + [c for c in areas if c not in county_order]
    for position, area in enumerate(areas):
        rows = shares.loc[shares[place].eq(area) & ~shares["whole_city"]].sort_values("year")
        ax.plot(
            rows["year"],
            rows["share"],
            color=COUNTY_COLOURS[position % len(COUNTY_COLOURS)],
            linewidth=1.2,
            alpha=0.8,
            marker="o",
            markersize=3,
            label=_literal(area),
        )
    city = shares.loc[shares["whole_city"]].sort_values("year")
    if len(city):
        whole = city[place].iloc[0] if place else CHART_TEXT["whole_city"]
        ax.plot(
            city["year"], city["share"], color=CITY_COLOUR, linewidth=3, marker="o", label=_literal(whole), zorder=5
        )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.05)
    ax.set_xticks(sorted(shares["year"].unique()))
    ax.set_xlabel(CHART_TEXT["year"])
    ax.set_ylabel(CHART_TEXT["share_above"].format(threshold=threshold_text(threshold)))
    ax.set_title(CHART_TEXT["share_above_title"].format(measure=column(measure), threshold=threshold_text(threshold)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    return ax


@accepts_measure_names("measure")
def plot_trajectory(
    accounts: pd.DataFrame,
    *,
    village: str,
    roster: pd.DataFrame | None = None,
    measure: str = "total_income",
    threshold: float = metrics.DEFAULT_THRESHOLD,
    ax: Axes | None = None,
) -> Axes:
    """One village's path from debt to income: income bars, liabilities beside them downwards, the secretaries.

    From :func:`villagecon.analysis.metrics.trajectory`. Each year has two bars side by side: ``measure``
    (left; below zero for a loss) and liabilities (right, drawn negative), each labelled with its
    amount in 万元; a diamond for the net position (income − liabilities); the threshold line; each
    secretary's spell from ``roster`` (as :func:`villagecon.ingest.roster.read_roster` returns it) shaded,
    with name and start month. ``village`` is a name or a village_code; the title gives the name.
    Amounts the ledger wrote approximately are marked ≈, from the column ``<measure>_approx``
    (:func:`villagecon.analysis.metrics.mark_approximate_measure`) when the accounts have it. Successive secretaries'
    terms are shaded in different colours (:data:`TENURE_COLOURS`).

    Returns
    -------
    Axes
        Two BarContainers (income, liabilities), the net-position diamonds, the threshold line, one span per
        term. Save it with ``ax.figure.savefig("trajectory.png")``.
    """
    path = metrics.trajectory(accounts, village, income=measure)
    ax = _axes(ax, figsize=(8, 4.8))
    years = path["year"].to_numpy()
    income = path[measure].to_numpy(dtype="float64", na_value=np.nan) / YUAN_PER_WAN
    debt = path["liabilities"].to_numpy(dtype="float64", na_value=np.nan) / YUAN_PER_WAN
    approx = _approximate_years(accounts, path, measure)
    income_bars = ax.bar(
        years - _BAR_OFFSET,
        income,
        width=_BAR_WIDTH,
        color=INCOME_COLOUR,
        zorder=2,
        label=CHART_TEXT["income"].format(measure=column(measure)),
    )
    debt_bars = ax.bar(
        years + _BAR_OFFSET, -debt, width=_BAR_WIDTH, color=DEBT_COLOUR, zorder=2, label=CHART_TEXT["liabilities"]
    )
    net = path["net_position"].to_numpy(dtype="float64", na_value=np.nan) / YUAN_PER_WAN
    # A diamond between the year's two bars: a line would run through their labels.
    ax.plot(
        years,
        net,
        color=CITY_COLOUR,
        linestyle="",
        marker="D",
        markersize=5,
        markeredgecolor="white",
        zorder=3,
        label=CHART_TEXT["net_position"],
    )
    # Behind the bars, so that it never runs through a label written inside one.
    ax.axhline(
        threshold / YUAN_PER_WAN,
        color=THRESHOLD_COLOUR,
        linestyle="--",
        linewidth=1.5,
        zorder=1,
        label=CHART_TEXT["threshold_line"].format(threshold=threshold_text(threshold)),
    )
    ax.axhline(0, color="#555555", linewidth=0.8, zorder=2.5)
    low = np.nanmin([0.0, *income, *-debt, *net])
    high = np.nanmax([threshold / YUAN_PER_WAN, *income, *net, 0.0])
    span = high - low
    # Headroom above the tallest bar for the secretaries' names, and below the deepest for its label.
    ax.set_ylim(low - 0.08 * span, high + 0.2 * span)
    # 40余万元 is approximate (≈); a debt is shown as its negative.
    _label_bars(ax, income_bars, [_wan_label(v, a) for v, a in zip(income, approx, strict=True)], span=span)
    _label_bars(ax, debt_bars, [_wan_label(-v, False) if v > 0 else "" for v in debt], span=span)
    if roster is not None:
        _shade_spells(ax, _spells_of(path, roster), first=years.min() - 0.5, last=years.max() + 0.5)
    ax.set_xticks(years)
    ax.set_xlim(years.min() - 0.5, years.max() + 0.5)
    ax.grid(axis="x", visible=False)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_ylabel(CHART_TEXT["wan_yuan"])
    ax.set_title(
        CHART_TEXT["trajectory_title"].format(village=_literal(path["village"].iloc[0]), measure=column(measure))
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, frameon=False, fontsize=8)
    return ax


@accepts_measure_names("measure")
def plot_income_by_tenure(
    accounts_with_tenure: pd.DataFrame, *, measure: str = "total_income", longest: int = 10, ax: Axes | None = None
) -> Axes:
    """Mean income by completed years in office (95% confidence interval) and the median.

    ``accounts_with_tenure`` is :func:`villagecon.tenure` output. Tenures of ``longest``
    years and more are pooled into one point labelled ``10+``, since few villages reach them.
    Means and medians are :func:`villagecon.analysis.metrics.income_by_tenure`'s.

    Returns
    -------
    Axes
        The means with their intervals (an errorbar) and the medians (a dotted line). Save it with
        ``ax.figure.savefig("tenure.png")``.
    """
    pooled = accounts_with_tenure.assign(tenure_years=accounts_with_tenure["tenure_years"].clip(upper=longest))
    table = metrics.income_by_tenure(pooled, measure=measure)
    ax = _axes(ax, figsize=(8, 4.8))
    x = table["tenure_years"].to_numpy()
    mean = table["mean_yuan"].to_numpy() / YUAN_PER_WAN
    # t with n − 1 degrees of freedom (metrics.income_by_tenure), not 1.96: some tenures have few villages.
    half_width = (table["ci_high_yuan"] - table["mean_yuan"]).to_numpy() / YUAN_PER_WAN
    ax.errorbar(x, mean, yerr=half_width, color=INCOME_COLOUR, marker="o", capsize=3, label=CHART_TEXT["mean"])
    ax.plot(
        x,
        table["median_yuan"].to_numpy() / YUAN_PER_WAN,
        color=CITY_COLOUR,
        linestyle=":",
        marker="s",
        markersize=4,
        label=CHART_TEXT["median"],
    )
    ax.set_xticks(x, [f"{t}+" if t == longest else str(t) for t in x])
    ax.set_xlabel(CHART_TEXT["tenure_years"])
    ax.set_ylabel(f"{column(measure)}（{CHART_TEXT['wan_yuan']}）")
    ax.set_title(CHART_TEXT["income_by_tenure_title"].format(measure=column(measure)))
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return ax


@accepts_measure_names("measure")
def plot_event_study(effects: pd.DataFrame, *, measure: str = "total_income", ax: Axes | None = None) -> Axes:
    """Income in the years around a new secretary's arrival, in percent of the year before (with 95% CIs).

    ``effects`` is :func:`villagecon.analysis.models.event_study`'s tidy table: ``event_time``, ``coef``,
    ``ci_low``, ``ci_high`` (log points; the reference year −1 has coefficient 0) and ``binned``
    (the two end bins, labelled ≤k and ≥k). Log points are drawn as percent changes (e^b − 1: 0.10 is
    +10.5%); the legend names the estimate, the reference year (−1, 0 by construction) and the dashed
    line of the arrival.

    Returns
    -------
    Axes
        The estimates with their intervals (an errorbar), the reference year's ring, the arrival line.
        Save it with ``ax.figure.savefig("event_study.png")``.
    """
    ax = _axes(ax, figsize=(8, 4.8))
    table = effects.sort_values("event_time")
    x = table["event_time"].to_numpy()
    coef, low, high = (np.expm1(table[c].to_numpy(dtype="float64")) for c in ("coef", "ci_low", "ci_high"))
    estimate = ax.errorbar(
        x,
        coef,
        yerr=[coef - low, high - coef],
        color=INCOME_COLOUR,
        marker="o",
        capsize=3,
        linestyle="-",
        label=CHART_TEXT["event_estimate"],
    )
    reference = table["event_time"].eq(-1).to_numpy()
    ring = ax.scatter(
        x[reference],
        coef[reference],
        s=60,
        facecolors="white",
        edgecolors=CITY_COLOUR,
        zorder=5,
        label=CHART_TEXT["reference_year"],
    )
    ax.axhline(0, color="#555555", linewidth=0.8)
    arrival = ax.axvline(-0.5, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1, label=CHART_TEXT["arrival"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xticks(
        x,
        [
            _event_label(t, binned, x)
            for t, binned in zip(x, table["binned"] if "binned" in table else [False] * len(x), strict=True)
        ],
    )
    ax.set_xlabel(CHART_TEXT["event_time"])
    ax.set_ylabel(CHART_TEXT["event_effect"])
    ax.set_title(CHART_TEXT["event_study_title"].format(measure=column(measure)))
    ax.legend(
        handles=[estimate, ring, arrival], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8
    )  # outside the data
    return ax


# --- helpers --------------------------------------------------------------------------------------


def _literal(text: object) -> str:
    """Text from the data (a county, a village, a secretary) drawn as written: a "$" pair would otherwise
    start matplotlib's mathtext, and "$\\undefined$" in a county's name would stop the whole report."""
    return str(text).replace("$", r"\$")


def _plain_log_axis(ax: Axes, values: npt.ArrayLike) -> None:
    """A log y axis read in plain numbers, 1-2-5 in each decade (5, 10, 20, 50, 100...), never 2×10¹; ticks at
    each power of ten only when the values span more than three decades, and at 1, 1.5, 2, 3, 5, 7 when they
    span less than one."""
    ax.set_yscale("log")
    amounts = np.asarray(values, dtype="float64")
    shown = amounts[np.isfinite(amounts) & (amounts > 0)]
    decades = np.log10(shown.max() / shown.min()) if len(shown) else 0
    subs = (1.0,) if decades > 3 else (1.0, 2.0, 5.0) if decades > 0.8 else (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.yaxis.set_minor_locator(LogLocator(base=10, subs=np.arange(2.0, 10.0).tolist()))
    ax.yaxis.set_minor_formatter(NullFormatter())
    if len(shown):  # room below the lowest value (the threshold line may be it) and above the highest
        ax.set_ylim(shown.min() / 1.25, shown.max() * 1.25)


def _axes(ax: Axes | None, *, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _latest_year(accounts: pd.DataFrame) -> int:
    return int(accounts["year"].max())


def _approximate_years(accounts: pd.DataFrame, path: pd.DataFrame, measure: str) -> np.ndarray:
    """For each year of a trajectory, whether the ledger wrote the village's ``measure`` approximately."""
    flag = f"{measure}_approx"
    if flag not in accounts:
        return np.zeros(len(path), dtype=bool)
    key = "village_code" if "village_code" in path and path["village_code"].notna().all() else "village"
    flags = accounts.loc[accounts[key].eq(path[key].iloc[0])].groupby("year")[flag].any()
    return path["year"].map(flags).fillna(False).to_numpy(dtype=bool)


def _label_bars(ax: Axes, bars: BarContainer, texts: list[str], *, span: float) -> None:
    """Each bar's amount at its end: inside in white when the bar is tall enough, else just beyond it."""
    for bar, text in zip(bars, texts, strict=True):
        height = bar.get_height()
        if not text or np.isnan(height):
            continue
        up = height >= 0
        inside = abs(height) > 0.1 * span
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, height),
            xytext=(0, (-2 if inside else 2) * (1 if up else -1)),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            zorder=4,
            va=("top" if up else "bottom") if inside else ("bottom" if up else "top"),
            color="white" if inside else "#222222",
        )


def _spells_of(path: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The roster's spells for the village of ``path`` (by code when both have one, else by name)."""
    code = path["village_code"].iloc[0] if "village_code" in path else None
    if code is not None and pd.notna(code) and "village_code" in roster and roster["village_code"].notna().any():
        return roster.loc[roster["village_code"].eq(code)].sort_values("start")
    return roster.loc[roster["village"].eq(path["village"].iloc[0])].sort_values("start")


def _shade_spells(ax: Axes, spells: pd.DataFrame, *, first: float, last: float) -> None:
    """Shade each secretary's time in office (a colour of its own, in turn), name and start month at its top left."""
    columns = zip(spells["start"], spells["end"], spells["name"], strict=True)
    for number, (start_date, end_date, name) in enumerate(columns):
        start = _fractional_year(start_date)
        end = last if pd.isna(end_date) else _fractional_year(end_date)
        if end <= first or start >= last:
            continue
        ax.axvspan(
            max(start, first),
            min(end, last),
            color=TENURE_COLOURS[number % len(TENURE_COLOURS)],
            alpha=0.6,
            linewidth=0,
            zorder=0,
        )
        # Staggered, so that the names of short spells do not run into each other.
        ax.text(
            max(start, first) + 0.05,
            0.98 - 0.06 * (number % 2),
            CHART_TEXT["tenure_span"].format(name=_literal(name), start=pd.Timestamp(start_date).strftime("%Y-%m")),
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=8,
        )


def _event_label(event_time: int, binned: bool, all_times: np.ndarray) -> str:
    if not binned:
        return str(event_time)
    return f"≤{event_time}" if event_time == all_times.min() else f"≥{event_time}"


def _wan_label(wan: float, approx: bool) -> str:
    if np.isnan(wan):
        return ""
    return f"{'≈' if approx else ''}{wan:.1f}"


def _fractional_year(date: dt.date) -> float:
    """A date on the chart's year axis, where year Y is drawn from Y − 0.5 to Y + 0.5."""
    stamp = pd.Timestamp(date)
    return stamp.year - 0.5 + (stamp.day_of_year - 1) / (366 if stamp.is_leap_year else 365)
