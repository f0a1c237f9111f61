"""The annual report in one call: clean data/raw, compute the measures, write reports/<year>/.

:func:`build_report` writes, into ``<out>/<year>/``:

- ``figures/*.png`` (200 dpi) and ``figures/*.svg``;
- ``summary.xlsx``: 县市区汇总, 村级明细, 跨越10万元, 负债转收入, 书记任期, 数据问题;
- ``report.html``: one self-contained page (figures embedded) with the headline numbers;
- ``run.log``: what was read and computed, step by step;
- ``manifest.json``: every input and output with its sha256, and the parameters.

The same inputs and parameters give byte-identical files (fixed dates, a fixed SVG hash salt, sorted
tables, no timings in the files; timings go to the terminal). The folder is built beside its final place
and renamed into it, under a lock, so a run that stops half-way (even killed) leaves the previous report
as it was, and two runs for the same year cannot mix their files.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from villagecon import __version__, labels, metrics, models, paths, plots, style
from villagecon.clean import Ledger, read_ledger
from villagecon.errors import UsageError
from villagecon.io import ReadLimits
from villagecon.outputs import file_record, path_inside, replacing_folder
from villagecon.report_page import render_page
from villagecon.roster import read_roster_with_rejects, tenure
from villagecon.workbook import write_workbook

log = logging.getLogger("villagecon")

SHOWCASE_VILLAGE = "上河村"   # the article's debt-to-income story
FIGURE_DPI = 200
SHEETS = ("县市区汇总", "村级明细", "跨越10万元", "负债转收入", "书记任期", "数据问题")


@dataclass
class ReportTables:
    """Everything the report shows, computed from the cleaned ledger and the roster (no files)."""

    year: int
    measure: str
    threshold: float
    accounts: pd.DataFrame                 # all years, with tenure and above_threshold
    shares: pd.DataFrame                   # share_above by county and year, whole-city rows included
    county_table: pd.DataFrame             # the report year, one row per county and the city
    crossings: pd.DataFrame
    turnarounds: pd.DataFrame
    tenure_table: pd.DataFrame             # the report year, one row per village
    rejects: pd.DataFrame
    tenure_model: pd.DataFrame | None
    events: pd.DataFrame | None
    roster: pd.DataFrame | None
    county_order: list[str] = field(default_factory=list)
    synthetic: bool = False                # the inputs say they are synthetic sample data (合成 in their names)


def build_report(year: int | None = None, *, raw: Path | str = paths.DATA_RAW, out: Path | str = paths.REPORTS,
                 measure: str = "total_income", threshold: float = metrics.DEFAULT_THRESHOLD,
                 progress: bool | None = None, limits: ReadLimits | None = None) -> Path:
    """Build the annual report of ``year`` (default: the latest year in the data) from the ledgers in ``raw``.

    ``raw/register.csv`` is used when present; the roster is the file in ``raw`` whose name has 花名册.
    ``limits`` (:class:`~villagecon.io.ReadLimits`) bound the ledger files read. Returns the report folder
    ``out/<year>``.
    """
    raw, out = Path(raw), Path(out)
    if measure not in metrics.INCOME_MEASURES:
        raise UsageError(f"measure must be one of {', '.join(metrics.INCOME_MEASURES)}, not {measure!r}")
    if not threshold > 0:
        raise UsageError(f"threshold must be a positive amount in yuan, not {threshold!r}")
    steps = _Steps(progress)
    register = raw / "register.csv" if (raw / "register.csv").exists() else None
    with steps("reading ledgers"):
        ledger = read_ledger(raw, register=register, limits=limits)
    roster, roster_rejects, roster_file = None, pd.DataFrame(), find_roster(raw)
    if roster_file is not None:
        with steps("reading the roster"):
            roster, roster_rejects = read_roster_with_rejects(roster_file, register=register)
    years = sorted(ledger.accounts["year"].unique().tolist())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise UsageError(f"the data have no year {year}; they cover {years[0]}–{years[-1]}")
    with steps("computing measures and models"):
        tables = compute_tables(ledger, roster, roster_rejects, year=year, measure=measure, threshold=threshold)
        tables.synthetic = any("合成" in name for name in ledger.files["file"])
    folder = path_inside(out, str(year))
    with steps("writing figures, workbook and page"), replacing_folder(folder) as staging:
        written = write_outputs(tables, staging)
        inputs = [*_input_records(raw, ledger), *([file_record(roster_file, raw)] if roster_file else [])]
        _write_log_and_manifest(staging, tables, ledger, inputs, written)
    steps.done(folder)
    return folder


def compute_tables(ledger: Ledger, roster: pd.DataFrame | None, roster_rejects: pd.DataFrame, *, year: int,
                   measure: str, threshold: float) -> ReportTables:
    """The report's tables from a cleaned ledger and the roster: pure, no files."""
    accounts = ledger.accounts
    if roster is not None:
        accounts = tenure(accounts, roster)
    accounts = metrics.threshold_status(accounts, threshold=threshold, measure=measure)
    county_order = plots.ordered_groups(accounts, "county")
    shares = metrics.share_above(accounts, threshold=threshold, measure=measure)
    this_year = accounts.loc[accounts["year"].eq(year)]
    county_table = _county_table(this_year, shares.loc[shares["year"].eq(year)], measure, county_order)
    crossings = metrics.crossing_year(accounts, threshold=threshold, measure=measure)
    first_year = int(accounts["year"].min())
    turned = (metrics.turnarounds(accounts, from_year=first_year, to_year=year, threshold=threshold,
                                  measure=measure) if year > first_year else pd.DataFrame())
    tenure_model = events = None
    tenure_table = pd.DataFrame()
    if roster is not None:
        panel = accounts.loc[accounts["year"].le(year)]
        tenure_model = models.tenure_effect(panel, outcome=measure)
        events = models.event_study(panel, outcome=measure)
        tenure_table = _tenure_table(this_year, measure)
    rejects = pd.concat([ledger.rejects.assign(where="台账"), roster_rejects.assign(where="花名册")],
                        ignore_index=True) if len(roster_rejects) else ledger.rejects.assign(where="台账")
    return ReportTables(year=year, measure=measure, threshold=threshold, accounts=accounts, shares=shares,
                        county_table=county_table, crossings=crossings, turnarounds=turned,
                        tenure_table=tenure_table, rejects=rejects, tenure_model=tenure_model, events=events,
                        roster=roster, county_order=county_order)


def write_outputs(tables: ReportTables, folder: Path) -> list[Path]:
    """Figures, summary.xlsx and report.html into ``folder``; returns the files written."""
    figures = _draw_figures(tables, folder / "figures")
    created = dt.datetime(tables.year, 12, 31)
    workbook = write_workbook(folder / "summary.xlsx", _sheets(tables), created=created,
                              title=f"{tables.year}年村级集体经济年度报告（汇总表）")
    page = folder / "report.html"
    page.write_text(render_page(tables, {name: png for name, (png, _) in figures.items()},
                                showcase=SHOWCASE_VILLAGE), encoding="utf-8")
    return [path for pair in figures.values() for path in pair] + [workbook, page]


# --- tables ---------------------------------------------------------------------------------------

def _county_table(this_year: pd.DataFrame, shares: pd.DataFrame, measure: str, county_order: list[str]):
    value = this_year[measure].astype("float64")
    spread = (this_year.assign(value=value).groupby("county")["value"]
              .agg(median_yuan="median", mean_yuan="mean", total_yuan="sum").reset_index())
    city = pd.DataFrame({"county": [metrics.WHOLE_CITY], "median_yuan": [value.median()],
                         "mean_yuan": [value.mean()], "total_yuan": [value.sum()]})
    table = shares.drop(columns=["year", "whole_city"]).merge(pd.concat([spread, city]), on="county", how="left")
    rank = {c: i for i, c in enumerate([*county_order, metrics.WHOLE_CITY])}
    return table.sort_values("county", key=lambda c: c.map(rank)).reset_index(drop=True).rename(
        columns={"share": "share_above"})


def _tenure_table(this_year: pd.DataFrame, measure: str) -> pd.DataFrame:
    columns = ["county", "township", "village", "village_code", "secretary", "secretary_start", "tenure_years",
               "one_shoulder", "background", "mentor", measure, "above_threshold"]
    return this_year.loc[:, [c for c in columns if c in this_year]].sort_values(
        [c for c in ("village_code", "village") if c in this_year]).reset_index(drop=True)


def _sheets(tables: ReportTables) -> dict[str, pd.DataFrame]:
    order = [c for c in ("village_code", "village", "year") if c in tables.accounts]
    detail = tables.accounts.sort_values(order).reset_index(drop=True)
    rejects = tables.rejects.sort_values(["where", "source", "cell"]).reset_index(drop=True)
    return {
        SHEETS[0]: tables.county_table,
        SHEETS[1]: detail,
        SHEETS[2]: tables.crossings,
        SHEETS[3]: tables.turnarounds,
        SHEETS[4]: tables.tenure_table,
        SHEETS[5]: rejects.assign(problem_label=rejects["problem"].map(labels.problem_label)).loc[
            :, ["where", "source", "cell", "column", "value", "problem_label", "problem", "reason"]],
    }


# --- figures --------------------------------------------------------------------------------------

def _draw_figures(tables: ReportTables, folder: Path) -> dict[str, tuple[Path, Path]]:
    style.use()
    folder.mkdir(parents=True, exist_ok=True)
    drawings = {
        "income_vs_threshold": lambda: plots.plot_income_vs_threshold(
            tables.accounts, year=tables.year, measure=tables.measure, threshold=tables.threshold),
        "share_above": lambda: plots.plot_share_above(
            tables.shares.loc[tables.shares["year"].le(tables.year)], measure=tables.measure,
            threshold=tables.threshold, county_order=tables.county_order),
    }
    if _has_village(tables.accounts, SHOWCASE_VILLAGE):
        drawings["trajectory"] = lambda: plots.plot_trajectory(
            tables.accounts.loc[tables.accounts["year"].le(tables.year)], village=SHOWCASE_VILLAGE,
            roster=tables.roster, measure=tables.measure, threshold=tables.threshold)
    if tables.roster is not None:
        drawings["income_by_tenure"] = lambda: plots.plot_income_by_tenure(
            tables.accounts.loc[tables.accounts["year"].eq(tables.year)], measure=tables.measure)
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


def _has_village(accounts: pd.DataFrame, village: str) -> bool:
    return bool(accounts["village"].eq(village).any())


# --- files ----------------------------------------------------------------------------------------

def find_roster(raw: Path | str) -> Path | None:
    """The secretary roster among the raw files: the first whose name has 花名册 (None when there is none)."""
    raw = Path(raw)
    if raw.is_file():
        return None
    candidates = sorted(p for p in raw.rglob("*") if p.is_file() and "花名册" in p.name and not p.name.startswith("~$"))
    return candidates[0] if candidates else None


def _input_records(raw: Path, ledger: Ledger) -> list[dict]:
    records = ledger.files.to_dict(orient="records")
    register = raw / "register.csv"
    return [*records, file_record(register, raw)] if register.exists() else records


def _write_log_and_manifest(folder: Path, tables: ReportTables, ledger: Ledger, inputs: list[dict],
                            written: list[Path]) -> None:
    roster_line = ("not found (no file named 花名册 in the raw folder)" if tables.roster is None
                   else f"{len(tables.roster)} spells")
    lines = [f"villagecon {__version__} annual report {tables.year}",
             f"measure: {tables.measure} ({labels.column(tables.measure)}); threshold: {tables.threshold:,.0f} yuan",
             *ledger.summary().splitlines(),
             f"roster: {roster_line}",
             f"villages in {tables.year}: {int(tables.accounts['year'].eq(tables.year).sum())}",
             f"data problems: {len(tables.rejects)} (summary.xlsx, sheet {SHEETS[5]})",
             *[f"wrote {p.relative_to(folder).as_posix()}" for p in sorted(written)]]
    (folder / "run.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = [file_record(p, folder) for p in sorted([*written, folder / "run.log"])]
    manifest = {"villagecon_version": __version__, "year": tables.year, "measure": tables.measure,
                "threshold": tables.threshold, "inputs": inputs, "outputs": outputs}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                          encoding="utf-8")


class _Steps:
    """Progress on the terminal: each step's name when it starts, its time when it ends (never in the files)."""

    def __init__(self, progress: bool | None):
        self.show = sys.stderr.isatty() if progress is None else progress
        self.start = time.perf_counter()

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
