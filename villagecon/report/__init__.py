"""The annual report: tables, figures, the page, the Word document and the workbook, built by
:func:`build_report` from the cleaned tables and the analysis.

The steps, each in its module: :mod:`~villagecon.report.tables` computes everything the report shows (pure),
:mod:`~villagecon.report.featured` picks the villages whose stories it tells, :mod:`~villagecon.report.plots`
draws, :mod:`~villagecon.report.page`, :mod:`~villagecon.report.docx` and :mod:`~villagecon.report.workbook`
write, and :mod:`~villagecon.report.build` runs them into ``reports/<year>/``.
"""

from villagecon.report.build import FIGURE_DPI, build_report, find_roster, write_outputs
from villagecon.report.featured import (
    SHOWCASE_VILLAGE,
    FeaturedVillage,
    chosen_village,
    featured_villages,
    showcase_rows,
    written_amounts,
)
from villagecon.report.tables import SHEETS, ReportTables, compute_tables, sheet_names, trajectory_names

__all__ = [
    "FIGURE_DPI",
    "SHEETS",
    "SHOWCASE_VILLAGE",
    "FeaturedVillage",
    "ReportTables",
    "build_report",
    "chosen_village",
    "compute_tables",
    "featured_villages",
    "find_roster",
    "sheet_names",
    "showcase_rows",
    "trajectory_names",
    "write_outputs",
    "written_amounts",
]
