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

The tables come from :func:`villagecon.report.tables.compute_tables`; this module draws and writes them.
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
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from villagecon import paths
from villagecon.analysis.threshold import DEFAULT_THRESHOLD
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
from villagecon.report.tables import ReportTables, compute_tables, trajectory_names
from villagecon.report.workbook import write_workbook
from villagecon.version import __version__
from villagecon.vocab import labels, problems
from villagecon.vocab.synonyms import measure_name

__all__ = ["FIGURE_DPI", "build_report", "find_roster", "write_outputs"]

log = logging.getLogger(__name__)

FIGURE_DPI = 200


def build_report(
    year: int | None = None,
    *,
    raw: Path | str = paths.DATA_RAW,
    out: Path | str = paths.REPORTS,
    measure: str = "total_income",
    threshold: float = DEFAULT_THRESHOLD,
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

    Returns
    -------
    Path
        The report folder ``out/<year>``.

    Raises
    ------
    UsageError
        ``out`` is inside ``raw`` (or the other way), the threshold is not a positive amount, the data have no
        such year, or a chosen village is not in the data.
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
    folder = path_inside(out, str(year))
    inputs = [*_input_records(raw, ledger), *([file_record(roster_file, raw)] if roster_file else [])]
    with steps("writing figures, workbook and page"), replacing_folder(folder) as staging:
        written = write_outputs(tables, staging)
        _write_log_and_manifest(staging, tables, ledger, inputs, written, village=village, reading=steps.said)
    steps.done(folder)
    return folder


def write_outputs(tables: ReportTables, folder: Path) -> list[Path]:
    """Figures, summary.xlsx, report.html and report.docx into ``folder``; returns the files written.

    Parameters
    ----------
    tables : ReportTables
        :func:`~villagecon.report.tables.compute_tables`'s result.
    folder : Path
        Where to write (the staging folder of :func:`build_report`).

    Returns
    -------
    list of Path
        The figures (PNG and SVG), summary.xlsx, report.html and report.docx.
    """
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


def _sheets(tables: ReportTables) -> dict[str, pd.DataFrame]:
    order = [c for c in ("village_code", "village", "year") if c in tables.accounts]
    # The accounts' own 约数 (any amount of the village-year approximate) is the column shown.
    panel = tables.accounts.drop(columns=f"{tables.measure}_approx").sort_values(order).reset_index(drop=True)
    rejects = tables.rejects.sort_values(["where", "source", "cell"]).reset_index(drop=True)
    rejects = problems.describe_rejects(rejects)
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
    drawings: dict[str, Callable[[], Axes]] = {}
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
            drawings[name] = partial(
                plots.plot_trajectory,
                story.rows,
                village=story.name,
                roster=tables.roster,
                measure=tables.measure,
                threshold=tables.threshold,
            )
    if tables.roster is not None:
        drawings["income_by_tenure"] = lambda: plots.plot_income_by_tenure(
            tables.accounts.loc[tables.accounts["year"].eq(tables.year)], measure=tables.measure
        )
    events = tables.events  # a name of its own: the lambda sees it checked for None
    if events is not None:  # None: the data could not support it (tables.left_out says why)
        drawings["event_study"] = lambda: plots.plot_event_study(events, measure=tables.measure)
    written = {}
    for name, draw in drawings.items():
        figure = draw().get_figure(root=True)
        if figure is None:  # never: every chart draws on an Axes of a figure
            raise RuntimeError(f"the {name} chart has no figure")
        png, svg = path_inside(folder, f"{name}.png"), path_inside(folder, f"{name}.svg")
        figure.savefig(png, dpi=FIGURE_DPI, metadata={"Software": None})
        figure.savefig(svg, metadata={"Date": None, "Creator": None})
        plt.close(figure)
        written[name] = (png, svg)
    return written


def find_roster(raw: Path | str) -> Path | None:
    """The secretary roster among the raw files: the first whose name has 花名册 (None when there is none).

    Parameters
    ----------
    raw : Path or str
        The raw folder (a single file has no roster beside it).

    Returns
    -------
    Path or None
        The roster file, or None.
    """
    raw = Path(raw)
    if raw.is_file():
        return None
    candidates = sorted(p for p in raw.rglob("*") if p.is_file() and "花名册" in p.name and not p.name.startswith("~$"))
    return candidates[0] if candidates else None


def _input_records(raw: Path, ledger: Ledger) -> list[dict[str, Any]]:
    records = [{str(key): value for key, value in row.items()} for row in ledger.files.to_dict(orient="records")]
    register = find_register(raw)
    return [*records, file_record(register, raw)] if register is not None else records


def _write_log_and_manifest(
    folder: Path,
    tables: ReportTables,
    ledger: Ledger,
    inputs: list[dict[str, Any]],
    written: list[Path],
    *,
    village: str | list[str] | None = None,
    reading: Sequence[str] = (),
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
