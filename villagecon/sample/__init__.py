"""The deterministic synthetic sample: ledgers in every layout, the real forms offices send, the roster,
and cash journals. Nothing in villagecon but the command line imports it.

- :func:`write_sample` writes the 郴州市 ledgers, roster, register and README (:mod:`~villagecon.sample.ledgers`),
  and returns a :class:`Sample`; :func:`sample_truth` gives its truth without writing.
- :func:`write_journal_sample` and :func:`write_journal_workbooks` write cash journals of the same villages
  (:mod:`~villagecon.sample.journal`).

Inside: :mod:`~villagecon.sample.process` (the generating process) → :mod:`~villagecon.sample.world` (villages,
secretaries, accounts, truth) → :mod:`~villagecon.sample.habits` (how offices write amounts and names),
:mod:`~villagecon.sample.documents` (sheets and their bytes) → :mod:`~villagecon.sample.layouts` and
:mod:`~villagecon.sample.forms` (what each file holds) → :mod:`~villagecon.sample.defects` (the bad cells),
:mod:`~villagecon.sample.readme` → :mod:`~villagecon.sample.ledgers` (the files of each county).
"""

from villagecon.sample.habits import chinese_wan
from villagecon.sample.journal import (
    UNMAPPED_COUNTER,
    JournalSample,
    expected_journal_accounts,
    journal_partitions,
    write_journal_sample,
    write_journal_workbooks,
)
from villagecon.sample.ledgers import write_sample
from villagecon.sample.process import (
    DEFAULT_SEED,
    DEFAULT_VILLAGES,
    DEFAULT_YEARS,
    EXPENSE_ITEMS_2004,
    EXPENSE_ITEMS_2024,
    INCOME_ITEMS_2004,
    INCOME_ITEMS_2024,
    NEW_SYSTEM_FROM,
    TENURE_EFFECT,
    THRESHOLD,
    expense_items,
    income_items,
    share_above_target,
)
from villagecon.sample.truth import Sample, sample_truth

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_VILLAGES",
    "DEFAULT_YEARS",
    "EXPENSE_ITEMS_2004",
    "EXPENSE_ITEMS_2024",
    "INCOME_ITEMS_2004",
    "INCOME_ITEMS_2024",
    "NEW_SYSTEM_FROM",
    "TENURE_EFFECT",
    "THRESHOLD",
    "UNMAPPED_COUNTER",
    "JournalSample",
    "Sample",
    "chinese_wan",
    "expected_journal_accounts",
    "expense_items",
    "income_items",
    "journal_partitions",
    "sample_truth",
    "share_above_target",
    "write_journal_sample",
    "write_journal_workbooks",
    "write_sample",
]
