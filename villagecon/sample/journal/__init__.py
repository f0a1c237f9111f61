"""Synthetic cash journals (现金日记账 / 银行存款日记账) for the sample's 郴州市 villages, with known answers.

:func:`write_journal_sample` writes a parquet journal set partitioned by county and year
(``county=汝城县/year=2022/part-0.parquet``; ``--villages 2400`` makes about ten million rows), and
:func:`write_journal_workbooks` writes the same books as printed spreadsheets (one workbook per
village-year, a 现金日记账 and a 银行存款日记账 sheet; one GBK CSV), for tests of the spreadsheet reader.

Consistency with :mod:`villagecon.sample.ledgers`
    The villages, their codes and every income and expense item come from
    :func:`villagecon.sample.sample_truth` for the same seed, villages and years: the lines booked to
    an item add up to the truth's amount to the fen, so journal accounts reconcile with the
    sample's 收益分配表 except where a deliberate defect (below, or the sample's own bad cells) says not.

The generating process, per village and year
    About ``lines_per_village_year`` lines (default 440, so that 2,400 villages × 8 years is about ten
    million rows with the repeated totals): six in ten book income and expense, each item split into
    parts of random size (round hundreds, whole yuan or yuan and fen), income mostly through the bank
    and expenses mostly in cash; the rest move money without being income or expense (提现/存现
    between the two books, loans and deposits). Dates are uniform over the year; each book opens
    with 上年结转 (a balance high enough never to be overdrawn), has 过次页/承前页 every
    :data:`PAGE_LINES` lines, 本月合计 and 本年累计 at each month's end, and closes with 结转下年.
    One line in twenty leaves its 对方科目 blank, so that the 摘要 must tell the item.

Deliberate defects (``defects=True``), listed in :attr:`JournalSample.defects` with where they are
    - ``balance_typo``: one 余额 per partition miswritten (the next row carries on from the right one);
    - ``missing_line``: an income or expense line lost in export in half the partitions (the balance
      breaks at the row after it; its 本月合计 and the 本年累计 after it no longer add up);
    - ``unreadable_amount``: an amount written ``1 234.00`` in half the partitions (rejected);
    - ``unmapped``: a loan or deposit line booked to 对方科目 ``待查款项`` in half the partitions.
    Each is in a book of its own where the partition has enough books.

Inside: :mod:`~villagecon.sample.journal.parquet_set` (the set and its truth) → :mod:`~villagecon.sample.journal.books`
(one partition's lines and books) → :mod:`~villagecon.sample.journal.defects` and
:mod:`~villagecon.sample.journal.table` (amounts as text); :mod:`~villagecon.sample.journal.workbooks` prints them.
"""

from villagecon.sample.journal.defects import DEFECT_COLUMNS, DEFECTS, UNMAPPED_COUNTER, UNMAPPED_SUMMARY
from villagecon.sample.journal.parquet_set import (
    DEFAULT_LINES,
    PART_FILE,
    JournalSample,
    expected_journal_accounts,
    journal_partitions,
    write_journal_sample,
)
from villagecon.sample.journal.workbooks import write_journal_workbooks

__all__ = [
    "DEFAULT_LINES",
    "DEFECTS",
    "DEFECT_COLUMNS",
    "PART_FILE",
    "UNMAPPED_COUNTER",
    "UNMAPPED_SUMMARY",
    "JournalSample",
    "expected_journal_accounts",
    "journal_partitions",
    "write_journal_sample",
    "write_journal_workbooks",
]
