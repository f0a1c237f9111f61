"""The annual report in one call: clean data/raw, compute the measures, write reports/<year>/.

:func:`build_report` writes, into ``<out>/<year>/``:

- ``figures/*.png`` (200 dpi) and ``figures/*.svg``;
- ``summary.xlsx``: 县市区汇总 (乡镇汇总 for one county, 全镇汇总 for one township), 村级明细 (the report year),
  同比变化 (each village against the previous year), 历年明细 (every year up to the report's), 跨越10万元 (named
  after the threshold), 负债转收入, 书记任期, 数据问题;
- ``report.html``: one self-contained page (figures embedded) with the headline numbers, printable on A4;
- ``report.docx``: the same page as a Word document an office can circulate (A4, 公文-like styles);
- ``run.log``: what was read and computed, step by step;
- ``manifest.json``: every input and output with its sha256, and the parameters.

A report for year Y uses the data up to Y only. A model the data cannot support (a panel of one
or two years) is left out with a sentence on the page and a line in run.log saying why.

The same inputs and parameters give byte-identical files (fixed dates, a fixed SVG hash salt, sorted
tables, no timings in the files; timings go to the terminal). The folder is built beside its final place
and exchanged with the previous one in one atomic step, under a lock, so a run that stops half-way (even
killed, at any moment) leaves the previous report as it was, and two runs for the same year cannot mix
their files. ``out`` must be apart from ``raw``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from villagecon import __version__, paths
from villagecon.analysis import metrics, models, year_over_year
from villagecon.analysis.tenure import tenure
from villagecon.errors import UsageError
from villagecon.ingest.files import ReadLimits
from villagecon.ingest.ledger import Ledger
from villagecon.ingest.processed import load_ledger
from villagecon.ingest.register import find_register
from villagecon.ingest.roster import read_roster_with_rejects
from villagecon.outputs import check_apart, file_record, path_inside, replacing_folder
from villagecon.report import plots, style
from villagecon.report.docx import write_docx
from villagecon.report.page import render_page, report_title
from villagecon.report.scope import Scope, detect_scope
from villagecon.report.workbook import write_workbook
from villagecon.vocab import labels
from villagecon.vocab.chenzhou import ARTICLE_VILLAGES
from villagecon.vocab.periods import actuals
from villagecon.vocab.synonyms import accepts_measure_names, measure_name, village_key

log = logging.getLogger("villagecon")

SHOWCASE_VILLAGE = "上河村"  # the article's debt-to-income story
FIGURE_DPI = 200


def sheet_names(threshold: float = metrics.DEFAULT_THRESHOLD, scope: Scope | None = None) -> dict[str, str]:
    """The workbook's sheets, in order, by what they hold: the areas' sheet is named after the next level down
    (县市区汇总, 乡镇汇总; 全镇汇总 for one township), the crossings sheet after the threshold (跨越10万元)."""
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


@dataclass
class FeaturedVillage:
    """A village whose story the page tells: its rows, its approximate amounts as written, or why it is left out."""

    name: str
    rows: pd.DataFrame
    written: dict[tuple[int, str], str] = field(default_factory=dict)  # (year, item) → 40余万元
    left_out: str = ""  # why the story is left out although the data name the village


@dataclass
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
    regression: pd.DataFrame = field(default_factory=pd.DataFrame)  # models.regression_table (empty: no model)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)  # 空壳村/薄弱村 by county, the report year

    @property
    def sheets(self) -> dict[str, str]:
        return sheet_names(self.threshold, self.scope)

    @property
    def has_previous_year(self) -> bool:
        return bool(self.accounts["year"].eq(self.year - 1).any())


def build_report(
    year: int | None = None,
    *,
    raw: Path | str = paths.DATA_RAW,
    out: Path | str = paths.REPORTS,
    measure: str = "total_income",
    threshold: float = metrics.DEFAULT_THRESHOLD,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
    include_hidden: bool = False,
    synonyms: Path | str | None = None,
    village: str | list[str] | None = None,
    outside_links: bool = False,
    area: str | None = None,
    office: str = "",
    inclusive: bool = True,
    processed: Path | str | None = None,
    jobs: int | None = None,
) -> Path:
    """Build the annual report of ``year`` (default: the latest year in the data) from the ledgers in ``raw``.

    ``raw/register.csv`` is used when present; the roster is the file in ``raw`` whose name has 花名册.
    ``limits`` (:class:`~villagecon.ingest.files.ReadLimits`) bound the ledger files read; ``include_hidden`` and
    ``synonyms`` are read_ledger's. ``village`` (a village_code or ``县/乡镇/村``, or a list of them) are the
    villages whose stories the page tells (default: the article's 上河村, else the largest turnaround; see
    :func:`featured_villages`). ``area`` names the area (default: from the data, see
    :func:`villagecon.report.scope.detect_scope`); ``office`` is the issuing office written under the title.
    ``inclusive``: a village exactly at the threshold counts as reaching it (达到, default) or not (超过); the page
    says which. ``processed`` (e.g. ``data/processed``) is used instead of reading the ledgers again when it was
    cleaned from the same files (:func:`villagecon.ingest.processed.load_ledger`); run.log says which. Returns the
    report folder ``out/<year>``.
    """
    raw, out = Path(raw), Path(out)
    check_apart(raw, out)
    measure = measure_name(measure)  # 经营性收入 or operational_income
    if not threshold > 0:
        raise UsageError(f"threshold must be a positive amount in yuan, not {threshold!r}")
    steps = _Steps(progress)
    register = find_register(raw)
    with steps("reading ledgers"):
        ledger, _ = load_ledger(
            raw,
            processed,
            register=register,
            limits=limits,
            include_hidden=include_hidden,
            synonyms=synonyms,
            outside_links=outside_links,
            jobs=jobs,
            say=steps.say,
        )
    roster, roster_rejects, roster_file = None, pd.DataFrame(), find_roster(raw)
    if roster_file is not None:
        with steps("reading the roster"):
            roster, roster_rejects = read_roster_with_rejects(roster_file, register=register)
    years = sorted(ledger.accounts["year"].unique().tolist())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise UsageError(f"the data have no year {year}; they cover {years[0]}–{years[-1]}")
    with steps("computing measures and models"):
        tables = compute_tables(
            ledger,
            roster,
            roster_rejects,
            year=year,
            measure=measure,
            threshold=threshold,
            village=village,
            area=area,
            office=office,
            inclusive=inclusive,
        )
        tables.synthetic = any("合成" in name for name in ledger.files["file"])
    folder = path_inside(out, str(year))
    inputs = [*_input_records(raw, ledger), *([file_record(roster_file, raw)] if roster_file else [])]
    with steps("writing figures, workbook and page"), replacing_folder(folder) as staging:
        written = write_outputs(tables, staging)
        _write_log_and_manifest(staging, tables, ledger, inputs, written, village=village, reading=steps.said)
    steps.done(folder)
    return folder


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
    """
    accounts = ledger.accounts.loc[ledger.accounts["year"].le(year)].reset_index(drop=True)
    if roster is not None:
        accounts = tenure(accounts, roster)
    accounts = metrics.threshold_status(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    accounts = metrics.mark_approximate_measure(accounts, ledger.entries, measure=measure)
    scope = detect_scope(accounts.loc[accounts["year"].eq(year)], area=area)
    by = scope.by if scope.level != "township" else None
    area_order = plots.ordered_groups(accounts, by) if by else []
    shares = metrics.share_above(
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
    crossings = metrics.crossing_year(accounts, threshold=threshold, measure=measure, inclusive=inclusive)
    first_year = int(accounts["year"].min())
    # In net debt in any earlier year of the data (上河村: 2017), at or above the threshold this year.
    turned = (
        metrics.turnarounds(
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
    left_out = {}
    if roster is not None:
        tenure_model = _estimate("tenure_effect", models.tenure_effect, accounts, measure, left_out)
        events = _estimate("event_study", models.event_study, accounts, measure, left_out)
        tenure_table = _tenure_table(this_year, measure)
    featured = featured_villages(accounts, village, turned)
    for story in featured:
        story.written = written_amounts(_same_places(ledger.entries, story.rows), village=story.name, up_to=year)
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
        inclusive=inclusive,
        regression=models.regression_table(tenure_model, events),
        categories=_categories(this_year),
    )


def _categories(this_year: pd.DataFrame) -> pd.DataFrame:
    """空壳村 and 薄弱村 (经营性收入 below 5万 and below 10万) by county in the report year."""
    if "operational_income" not in this_year or this_year.empty:
        return pd.DataFrame()
    return pd.concat(
        [metrics.category_table(this_year, weak_below=line) for line in metrics.WEAK_THRESHOLDS], ignore_index=True
    )


def _estimate(name: str, model, panel: pd.DataFrame, measure: str, left_out: dict[str, str]) -> pd.DataFrame | None:
    """The model's table, or None with the reason in ``left_out`` when the data cannot support it."""
    try:
        return model(panel, outcome=measure)
    except UsageError as exc:
        left_out[name] = str(exc)
        log.warning("report: %s left out: %s", name, exc)
        return None


def write_outputs(tables: ReportTables, folder: Path) -> list[Path]:
    """Figures, summary.xlsx, report.html and report.docx into ``folder``; returns the files written."""
    figures = _draw_figures(tables, folder / "figures")
    created = dt.datetime(tables.year, 12, 31)
    workbook = write_workbook(
        folder / "summary.xlsx", _sheets(tables), created=created, title=f"{report_title(tables)}（汇总表）"
    )
    page = folder / "report.html"
    html = render_page(tables, {name: png for name, (png, _) in figures.items()})
    page.write_text(html, encoding="utf-8")
    document = write_docx(html, folder / "report.docx", created=created)
    return [path for pair in figures.values() for path in pair] + [workbook, page, document]


# --- tables ---------------------------------------------------------------------------------------


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


def _sheets(tables: ReportTables) -> dict[str, pd.DataFrame]:
    order = [c for c in ("village_code", "village", "year") if c in tables.accounts]
    # The accounts' own 约数 (any amount of the village-year approximate) is the column shown.
    panel = tables.accounts.drop(columns=f"{tables.measure}_approx").sort_values(order).reset_index(drop=True)
    rejects = tables.rejects.sort_values(["where", "source", "cell"]).reset_index(drop=True)
    rejects = labels.describe_rejects(rejects)
    contents = {
        "areas": tables.area_table,
        "detail": panel.loc[panel["year"].eq(tables.year)].reset_index(drop=True),
        "changes": tables.village_changes,
        "panel": panel,
        "crossings": tables.crossings,
        "turnarounds": tables.turnarounds,
        "tenure": tables.tenure_table,
        "problems": rejects.loc[
            :, ["where", "source", "cell", "column", "value", "problem_text", "problem_advice", "problem", "reason"]
        ],
        "regression": tables.regression,
        "categories": tables.categories,
    }
    return {name: contents[key] for key, name in tables.sheets.items()}


# --- figures --------------------------------------------------------------------------------------


def _draw_figures(tables: ReportTables, folder: Path) -> dict[str, tuple[Path, Path]]:
    """The report's figures, by name (the trajectories are trajectory, trajectory_2, ... in the featured order)."""
    style.use()
    folder.mkdir(parents=True, exist_ok=True)
    drawings = {}
    if tables.accounts.loc[tables.accounts["year"].eq(tables.year), tables.measure].notna().any():
        drawings["income_vs_threshold"] = lambda: plots.plot_income_vs_threshold(
            tables.accounts,
            year=tables.year,
            measure=tables.measure,
            threshold=tables.threshold,
            by=tables.scope.by,
            scope=tables.scope,
        )
    if tables.shares["year"].nunique() > 1:  # a line needs two years
        drawings["share_above"] = lambda: plots.plot_share_above(
            tables.shares, measure=tables.measure, threshold=tables.threshold, county_order=tables.area_order
        )
    for name, story in zip(trajectory_names(tables), tables.featured, strict=True):
        if len(story.rows):
            drawings[name] = lambda story=story: plots.plot_trajectory(
                story.rows, village=story.name, roster=tables.roster, measure=tables.measure, threshold=tables.threshold
            )
    if tables.roster is not None:
        drawings["income_by_tenure"] = lambda: plots.plot_income_by_tenure(
            tables.accounts.loc[tables.accounts["year"].eq(tables.year)], measure=tables.measure
        )
    if tables.events is not None:  # None: the data could not support it (tables.left_out says why)
        drawings["event_study"] = lambda: plots.plot_event_study(tables.events, measure=tables.measure)
    written = {}
    for name, draw in drawings.items():
        figure = draw().figure
        png, svg = path_inside(folder, f"{name}.png"), path_inside(folder, f"{name}.svg")
        figure.savefig(png, dpi=FIGURE_DPI, metadata={"Software": None})
        figure.savefig(svg, metadata={"Date": None, "Creator": None})
        plt.close(figure)
        written[name] = (png, svg)
    return written


def trajectory_names(tables: ReportTables) -> list[str]:
    """The figure names of the featured villages' trajectories: trajectory, trajectory_2, ..."""
    return ["trajectory" if number == 1 else f"trajectory_{number}" for number in range(1, len(tables.featured) + 1)]


def featured_villages(
    accounts: pd.DataFrame, villages: str | list[str] | None = None, turned: pd.DataFrame | None = None
) -> list[FeaturedVillage]:
    """The villages whose stories the page tells.

    ``villages`` (a village_code, ``县/乡镇/村`` or a name only one village has; or a list of them) choose them.
    By default the article's 上河村 when the data have it (see :func:`showcase_rows`), else the village of
    ``turned`` (:func:`villagecon.analysis.metrics.turnarounds`) whose net position rose most; none when there is
    neither.
    """
    if villages is not None:
        chosen = [villages] if isinstance(villages, str) else list(dict.fromkeys(villages))
        stories = []
        for village in chosen:
            rows = chosen_village(accounts, village)
            stories.append(FeaturedVillage(_name_of(rows), rows))
        return stories
    rows, left_out = showcase_rows(accounts)
    if len(rows) or left_out:
        return [FeaturedVillage(SHOWCASE_VILLAGE, rows, left_out=left_out)]
    if turned is None or turned.empty:
        return []
    rise = turned["net_position_to"].fillna(turned["income_to"]) - turned["net_position_from"]
    best = turned.loc[rise.idxmax()]
    keys = (
        ["village_code"]
        if pd.notna(best.get("village_code", pd.NA))
        else [c for c in ("county", "township", "village") if c in turned and pd.notna(best[c])]
    )
    match = pd.Series(True, index=accounts.index)
    for key in keys:
        match &= accounts[key].eq(best[key]).fillna(False)
    rows = accounts.loc[match]
    return [FeaturedVillage(_name_of(rows), rows)]


def showcase_rows(accounts: pd.DataFrame, village: str | None = None) -> tuple[pd.DataFrame, str]:
    """The rows of the featured village, and why its story is left out ("" when it is not).

    By default the article's 上河村 (汝城县濠头乡): where the data have several 上河村, the one in the article's
    county and township. Empty when there is none, or, with the reason, when no single one is it.
    ``village`` chooses another: a village_code, ``县/乡镇/村`` (``汝城县/濠头乡/上河村``), or a name only one
    village has. One the data do not have, or a name several villages share, raises UsageError naming the
    candidates.
    """
    if village is not None:
        return chosen_village(accounts, village), ""
    article = ARTICLE_VILLAGES[SHOWCASE_VILLAGE]
    rows = accounts.loc[
        accounts["village"].map(lambda v: isinstance(v, str) and village_key(v) == village_key(SHOWCASE_VILLAGE))
    ]
    for column, place in (("county", article.county), ("township", article.township)):
        if column in rows and rows[column].eq(place).any():
            rows = rows.loc[rows[column].eq(place)]
    try:
        metrics.trajectory(rows, SHOWCASE_VILLAGE)  # one village, or says which are meant
    except UsageError as exc:
        if len(rows):
            log.warning("report: the %s story is left out: %s", SHOWCASE_VILLAGE, exc)
            return rows.iloc[:0], str(exc)
        return rows, ""
    return rows, ""


def chosen_village(accounts: pd.DataFrame, village: str) -> pd.DataFrame:
    """The rows of one village chosen by its village_code, ``县/乡镇/村``, or a name only one village has."""
    text = unicodedata.normalize("NFKC", str(village)).strip()
    places = _places(accounts)
    if "village_code" in accounts:
        by_code = accounts.loc[accounts["village_code"].astype("string").eq(text).fillna(False)]
        if len(by_code):
            return by_code
    parts = [part.strip() for part in re.split(r"[/／\\]", text)]
    if len(parts) not in (1, 3) or not all(parts):
        raise UsageError(f"--village {village!r}: write a village_code or 县/乡镇/村, e.g. 汝城县/濠头乡/上河村")
    *place, name = parts
    villages = places.drop_duplicates("id").sort_values("label")
    matches = villages.loc[villages["key"].eq(village_key(name))]
    if place:
        county, township = place
        matches = matches.loc[matches["county"].eq(county) & matches["township"].eq(township)]
    if matches.empty:
        close = difflib.get_close_matches(text, villages["label"].tolist(), n=3, cutoff=0.4)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UsageError(
            f"--village {village!r}: no such village in the data up to the report year{hint}. Write "
            "its village_code or 县/乡镇/村 as the register writes them"
        )
    if len(matches) > 1:
        listed = ", ".join(matches["label"])
        raise UsageError(
            f"--village {village!r} names {len(matches)} villages: {listed}. Pass one of them "
            "(县/乡镇/村, or the village_code in brackets)"
        )
    return accounts.loc[places["id"].eq(matches["id"].iloc[0])]


def _places(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per village-year of ``accounts`` (same index): its village's id, label 县/乡镇/村 (code), name key."""

    def column(name):
        return accounts[name].astype("string").fillna("") if name in accounts else pd.Series("", index=accounts.index)

    county, township, code = column("county"), column("township"), column("village_code")
    name = accounts["village"].map(lambda v: v if isinstance(v, str) else "")
    key = name.map(village_key)
    # A village is its code when it has one, else its county, township and name.
    ident = code.where(code.ne(""), county + "/" + township + "/" + key)
    label = (county + "/" + township + "/" + name).where(
        code.eq(""), county + "/" + township + "/" + name + " (" + code + ")"
    )
    return pd.DataFrame({"id": ident, "label": label, "key": key, "county": county, "township": township})


def _name_of(rows: pd.DataFrame) -> str:
    """The featured village's name as the data write it (上河村 when there are no rows)."""
    if len(rows) and "village" in rows and isinstance(rows["village"].iloc[0], str):
        return rows["village"].iloc[0]
    return SHOWCASE_VILLAGE


def _same_places(entries: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The entries of the county and township of ``rows`` (all of them when ``rows`` has none), and of its
    village_code when the entries carry it (two villages of one name in one township)."""
    for column in ("county", "township", "village_code"):
        places = set(rows[column].dropna()) if column in rows else set()
        if places and column in entries and (column != "village_code" or entries[column].isin(places).any()):
            entries = entries.loc[entries[column].isin(places)]
    return entries


# --- files ----------------------------------------------------------------------------------------


def find_roster(raw: Path | str) -> Path | None:
    """The secretary roster among the raw files: the first whose name has 花名册 (None when there is none)."""
    raw = Path(raw)
    if raw.is_file():
        return None
    candidates = sorted(p for p in raw.rglob("*") if p.is_file() and "花名册" in p.name and not p.name.startswith("~$"))
    return candidates[0] if candidates else None


def written_amounts(entries: pd.DataFrame, *, village: str, up_to: int) -> dict[tuple[int, str], str]:
    """The approximate amounts of one village as the ledger wrote them (``{(2022, "total_income"): "40余万元"}``)."""
    entries = actuals(entries)
    rows = entries.loc[
        entries["approx"].astype(bool)
        & entries["detail"].isna()
        & entries["year"].le(up_to)
        & entries["written"].notna()
        & entries["village"].map(lambda v: isinstance(v, str) and village_key(v) == village_key(village))
    ]
    return {
        (int(year), item): text.strip()
        for year, item, text in zip(rows["year"], rows["item"], rows["written"], strict=True)
    }


def _input_records(raw: Path, ledger: Ledger) -> list[dict]:
    records = ledger.files.to_dict(orient="records")
    register = find_register(raw)
    return [*records, file_record(register, raw)] if register is not None else records


def _write_log_and_manifest(
    folder: Path,
    tables: ReportTables,
    ledger: Ledger,
    inputs: list[dict],
    written: list[Path],
    *,
    village: str | list[str] | None = None,
    reading: list[str] = (),
) -> None:
    roster_line = (
        "not found (no file named 花名册 in the raw folder)"
        if tables.roster is None
        else f"{len(tables.roster)} spells; rows rejected: {tables.n_roster_rejects}"
    )
    years = tables.accounts["year"]
    lines = [
        f"villagecon {__version__} annual report {tables.year}",
        f"measure: {tables.measure} ({labels.column(tables.measure)}); threshold: {tables.threshold:,.0f} yuan",
        *[f"ledgers: {line}" for line in reading],
        f"area: {tables.scope.area or '(not named)'} ({tables.scope.level}; tables by {tables.scope.by})",
        f"featured: {', '.join(story.name for story in tables.featured) or 'none'}",
        *ledger.summary().splitlines(),
        f"roster: {roster_line}",
        f"years used: {int(years.min())}-{tables.year} (later years in the data are not used)",
        f"villages in {tables.year}: {int(years.eq(tables.year).sum())}",
        *_model_lines(tables),
        f"data problems: {len(tables.rejects)} (summary.xlsx, sheet {tables.sheets['problems']})",
        *[f"wrote {p.relative_to(folder).as_posix()}" for p in sorted(written)],
    ]
    (folder / "run.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = [file_record(p, folder) for p in sorted([*written, folder / "run.log"])]
    manifest = {
        "villagecon_version": __version__,
        "year": tables.year,
        "measure": tables.measure,
        "threshold": tables.threshold,
        "village": village,
        "area": tables.scope.area,
        "office": tables.office,
        "inputs": inputs,
        "outputs": outputs,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _model_lines(tables: ReportTables) -> list[str]:
    lines = [f"{story.name} story: left out: {story.left_out}" for story in tables.featured if story.left_out]
    for name, table in (("tenure_effect", tables.tenure_model), ("event_study", tables.events)):
        if name in tables.left_out:
            lines.append(f"model {name}: left out: {tables.left_out[name]}")
        elif table is not None:
            row = table.iloc[0]
            lines.append(
                f"model {name} ({row['outcome']}): {int(row['n_obs'])} village-years used; left out: "
                f"{int(row['n_dropped_nonpositive'])} with {tables.measure} of 0 or less (no log), "
                f"{int(row['n_dropped_missing'])} with a missing value"
            )
    return lines


class _Steps:
    """Progress on the terminal: each step's name when it starts, its time when it ends (never in the files)."""

    def __init__(self, progress: bool | None):
        self.show = sys.stderr.isatty() if progress is None else progress
        self.start = time.perf_counter()
        self.said: list[str] = []  # what run.log should say too

    def say(self, text: str) -> None:
        self.said.append(text)
        if self.show:
            print(f"  {text}", file=sys.stderr, flush=True)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        if self.show:
            print(f"… {name}", file=sys.stderr, flush=True)
        yield
        if self.show:
            print(f"  {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)

    def done(self, folder: Path) -> None:
        if self.show:
            print(f"report written to {folder} in {time.perf_counter() - self.start:.1f} s", file=sys.stderr)
