"""The annual report's measures over the accounts table, gathered in one place: the 10万元 threshold, debt,
trajectories, the official categories and income by tenure.

They live in :mod:`~villagecon.analysis.threshold`, :mod:`~villagecon.analysis.debt`,
:mod:`~villagecon.analysis.approximate`, :mod:`~villagecon.analysis.categories` and
:mod:`~villagecon.analysis.tenure_income`; this module names them all, so that ``metrics.share_above`` in a
notebook or script keeps working.

Every function takes the village-year accounts (as :func:`villagecon.read_ledger` returns them, or any frame with
the columns it names) and returns a new DataFrame; the input is never changed. Which income the threshold applies
to is the ``measure`` argument (DESIGN.md: offices define "collective income" differently), one of
:data:`INCOME_MEASURES`, named by its key or in Chinese (``measure="经营性收入"``,
:func:`villagecon.vocab.synonyms.measure_name`); the threshold is an argument too.
"""

from __future__ import annotations

from villagecon.analysis.accounts import INCOME_MEASURES, village_index
from villagecon.analysis.approximate import MEASURE_PARTS, mark_approximate_measure
from villagecon.analysis.categories import (
    SHELL_VILLAGE,
    WEAK_THRESHOLDS,
    WEAK_VILLAGE,
    category_table,
    village_categories,
)
from villagecon.analysis.debt import (
    DEBT_DEFINITIONS,
    DEBT_STATUSES,
    debt_to_revenue,
    in_net_debt,
    trajectory,
    turnarounds,
)
from villagecon.analysis.tenure_income import income_by_tenure
from villagecon.analysis.threshold import DEFAULT_THRESHOLD, WHOLE_CITY, crossing_year, share_above, threshold_status

__all__ = [
    "DEBT_DEFINITIONS",
    "DEBT_STATUSES",
    "DEFAULT_THRESHOLD",
    "INCOME_MEASURES",
    "MEASURE_PARTS",
    "SHELL_VILLAGE",
    "WEAK_THRESHOLDS",
    "WEAK_VILLAGE",
    "WHOLE_CITY",
    "category_table",
    "crossing_year",
    "debt_to_revenue",
    "in_net_debt",
    "income_by_tenure",
    "mark_approximate_measure",
    "share_above",
    "threshold_status",
    "trajectory",
    "turnarounds",
    "village_categories",
    "village_index",
]
