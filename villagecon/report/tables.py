"""The report's tables: everything the page, the workbook and the figures show, computed once from the cleaned
ledger and the roster by :func:`compute_tables` (pure: no files, nothing drawn) into a frozen :class:`ReportTables`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from villagecon.analysis import year_over_year
from villagecon.analysis.accounts import ordered_groups
from villagecon.analysis.approximate import mark_approximate_measure
from villagecon.analysis.categories import WEAK_THRESHOLDS, category_table
from villagecon.analysis.debt import turnarounds
from villagecon.analysis.event_studies import event_study, regression_table
from villagecon.analysis.panel import tenure_effect
from villagecon.analysis.tenure import tenure
from villagecon.analysis.threshold import DEFAULT_THRESHOLD, crossing_year, share_above, threshold_status
from villagecon.errors import UsageError
from villagecon.ingest.ledger import Ledger
from villagecon.report.featured import FeaturedVillage, featured_stories
from villagecon.report.scope import Scope, detect_scope
from villagecon.vocab import labels
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["SHEETS", "ReportTables", "compute_tables", "sheet_names", "trajectory_names"]

log = logging.getLogger(__name__)


def sheet_names(threshold: float = DEFAULT_THRESHOLD, scope: Scope | None = None) -> dict[str, str]:
    """The workbook's sheets, in order, by what they hold: the areas' sheet is named after the next level down
    (县市区汇总, 乡镇汇总; 全镇汇总 for one township), the crossings sheet after the threshold (跨越10万元).

    Parameters
    ----------
    threshold : float
        The report's threshold, in yuan.
    scope : Scope, optional
        The report's scope (default: a city of several counties).

    Returns
    -------
    dict
        ``{what: sheet name}`` in the workbook's order.
    """
    scope = Scope("city") if scope is None else scope
    areas = f"{scope.whole}汇总" if scope.level == "township" else f"{scope.part}汇总"
    return {
        "areas": areas,
        "detail": "村级明细",
        "changes": "同比变化",
        "panel": "历年明细",
        "crossings": f"跨越{labels.threshold_text(threshold)}",
        "turnarounds": "负债转收入",
        "tenure": "书记任期",
        "problems": "数据问题",
        "regression": "回归结果",
        "categories": "空壳村薄弱村",
    }


SHEETS = tuple(sheet_names().values())  # with the default threshold, for several counties


@dataclass(frozen=True)
class ReportTables:
    """Everything the report shows, computed from the cleaned ledger and the roster (no files)."""

    year: int
    measure: str
    threshold: float
    accounts: pd.DataFrame  # the years up to the report year, with tenure, above_threshold and
    # <measure>_approx
    shares: pd.DataFrame  # share_above by the next level down and year, whole-area rows included
    area_table: pd.DataFrame  # the report year against the previous, one row per area and the whole
    village_changes: pd.DataFrame  # each village of the report year against the previous year
    crossings: pd.DataFrame
    turnarounds: pd.DataFrame
    tenure_table: pd.DataFrame  # the report year, one row per village
    rejects: pd.DataFrame
    tenure_model: pd.DataFrame | None
    events: pd.DataFrame | None
    roster: pd.DataFrame | None
    scope: Scope = field(default_factory=lambda: Scope("city"))
    office: str = ""  # the issuing office, under the title ("" for none)
    area_order: list[str] = field(default_factory=list)  # the areas of scope.by in official order
    synthetic: bool = False  # the inputs say they are synthetic sample data (合成 in their names)
    left_out: dict[str, str] = field(default_factory=dict)  # model → why it could not be estimated
    n_roster_rejects: int = 0
    featured: list[FeaturedVillage] = field(default_factory=list)  # the villages whose stories the page tells
    inclusive: bool = True  # reaching the threshold counts (达到, >=); False: only exceeding (超过, >)
    regression: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # analysis.event_studies.regression_table (empty: no model)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)  # 空壳村/薄弱村 by county, the report year

    @property
    def sheets(self) -> dict[str, str]:
        return sheet_names(self.threshold, self.scope)

    @property
    def has_previous_year(self) -> bool:
        return bool(self.accounts["year"].eq(self.year - 1).any())


@accepts_measure_names("measure")
def compute_tables(
    ledger: Ledger,
    roster: pd.DataFrame | None,
    roster_rejects: pd.DataFrame,
    *,
    year: int,
    measure: str,
    threshold: float,
    village: str | list[str] | None = None,
    area: str | None = None,
    office: str = "",
    inclusive: bool = True,
) -> ReportTables:
    """The report's tables from a cleaned ledger and the roster: pure, no files.

    Only the years up to ``year`` are used: a report for 2022 says nothing that 2023 data decided.
    ``village`` chooses the featured villages (see :func:`featured_villages`); ``area`` names the area.

    Parameters
    ----------
    ledger : Ledger
        The cleaned ledger (accounts, entries, rejects, files).
    roster : DataFrame or None
        The secretaries' spells (None: no roster; no tenure and no model).
    roster_rejects : DataFrame
        The roster's rows that could not be used.
    year : int
        The report year.
    measure : str
        The income compared (a key or its Chinese name).
    threshold : float
        In yuan.
    village : str, list of str or None
        The featured villages (see :func:`~villagecon.report.featured.featured_villages`).
    area : str, optional
        The area's name.
    office : str
        The issuing office, under the title.
    inclusive : bool
        Reaching the threshold counts (达到) or only exceeding it (超过).

    Returns
    -------
    ReportTables
        Frozen: every table, the featured villages with their trajectories, the models (or why each is left out).

    Raises
    ------
    UsageError
        A chosen village is not in the data.
    """
    accounts = ledger.accounts.loc[ledger.accounts["year"].le(year)].reset_index(drop=True)
    if roster is not None:
        accounts = tenure(accounts, roster)
    accounts = threshold_status(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    accounts = mark_approximate_measure(accounts, ledger.entries, measure=measure)
    scope = detect_scope(accounts.loc[accounts["year"].eq(year)], area=area)
    by = scope.by if scope.level != "township" else None
    area_order = ordered_groups(accounts, by) if by else []
    shares = share_above(
        accounts,
        by=(by, "year") if by else ("year",),
        threshold=threshold,
        measure=measure,
        whole_city=scope.whole,
        inclusive=inclusive,
    )
    if not by:  # one township: its rows are the whole area's
        shares = shares.assign(township=scope.whole, whole_city=True)
    this_year = accounts.loc[accounts["year"].eq(year)]
    area_table = _ordered(
        year_over_year.area_changes(accounts, year=year, by=by, whole=scope.whole, measure=measure), by, area_order
    )
    crossings = crossing_year(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    first_year = int(accounts["year"].min())
    # In net debt in any earlier year of the data (上河村: 2017), at or above the threshold this year.
    turned = (
        turnarounds(
            accounts,
            from_year=range(first_year, year),
            to_year=year,
            threshold=threshold,
            measure=measure,
            inclusive=inclusive,
        )
        if year > first_year
        else pd.DataFrame()
    )
    tenure_model = events = None
    tenure_table = pd.DataFrame()
    left_out: dict[str, str] = {}  # model → why the data could not support it
    if roster is not None:
        tenure_model = _estimate("tenure_effect", tenure_effect, accounts, measure, left_out)
        events = _estimate("event_study", event_study, accounts, measure, left_out)
        tenure_table = _tenure_table(this_year, measure)
    featured = featured_stories(accounts, ledger.entries, villages=village, turned=turned, year=year, measure=measure)
    rejects = (
        pd.concat([ledger.rejects.assign(where="台账"), roster_rejects.assign(where="花名册")], ignore_index=True)
        if len(roster_rejects)
        else ledger.rejects.assign(where="台账")
    )
    return ReportTables(
        year=year,
        measure=measure,
        threshold=threshold,
        accounts=accounts,
        shares=shares,
        area_table=area_table,
        village_changes=year_over_year.village_changes(accounts, year=year, measure=measure),
        crossings=crossings,
        turnarounds=turned,
        tenure_table=tenure_table,
        rejects=rejects,
        tenure_model=tenure_model,
        events=events,
        roster=roster,
        scope=scope,
        office=office.strip(),
        area_order=area_order,
        left_out=left_out,
        n_roster_rejects=len(roster_rejects),
        featured=featured,
        synthetic=any("合成" in name for name in ledger.files["file"]),
        inclusive=inclusive,
        regression=regression_table(tenure_model, events),
        categories=_categories(this_year),
    )


def _categories(this_year: pd.DataFrame) -> pd.DataFrame:
    """空壳村 and 薄弱村 (经营性收入 below 5万 and below 10万) by county in the report year."""
    if "operational_income" not in this_year or this_year.empty:
        return pd.DataFrame()
    return pd.concat([category_table(this_year, weak_below=line) for line in WEAK_THRESHOLDS], ignore_index=True)


def _estimate(
    name: str, model: Callable[..., pd.DataFrame], panel: pd.DataFrame, measure: str, left_out: dict[str, str]
) -> pd.DataFrame | None:
    """The model's table, or None with the reason in ``left_out`` when the data cannot support it."""
    try:
        table: pd.DataFrame = model(panel, outcome=measure)
        return table
    except UsageError as exc:
        left_out[name] = str(exc)
        log.warning("report: %s left out: %s", name, exc)
        return None


def _ordered(table: pd.DataFrame, by: str | None, order: list[str]) -> pd.DataFrame:
    """The areas in official order, the whole area last."""
    if not by:
        return table
    rank = {c: i for i, c in enumerate(order)}
    return table.sort_values(by, key=lambda c: c.map(rank).fillna(len(rank)), kind="stable").reset_index(drop=True)


def _tenure_table(this_year: pd.DataFrame, measure: str) -> pd.DataFrame:
    columns = [
        "county",
        "township",
        "village",
        "village_code",
        "secretary",
        "secretary_start",
        "tenure_years",
        "new_secretary",
        "one_shoulder",
        "background",
        "mentor",
        measure,
        "above_threshold",
    ]
    return (
        this_year.loc[:, [c for c in columns if c in this_year]]
        .sort_values([c for c in ("village_code", "village") if c in this_year])
        .reset_index(drop=True)
    )


def trajectory_names(tables: ReportTables) -> list[str]:
    """The figure names of the featured villages' trajectories: trajectory, trajectory_2, ...

    Parameters
    ----------
    tables : ReportTables
        The report's tables.

    Returns
    -------
    list of str
        One name per featured village, in order.
    """
    return ["trajectory" if number == 1 else f"trajectory_{number}" for number in range(1, len(tables.featured) + 1)]
