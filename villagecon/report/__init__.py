"""The annual report: tables, figures, the page, the Word document and the workbook, built by
:func:`build_report` from the cleaned tables and the analysis.
"""

from villagecon.report.build import build_report, find_roster

__all__ = ["build_report", "find_roster"]
