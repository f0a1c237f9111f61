"""Cash journals (现金日记账 / 银行存款日记账): read, check, and add up into village-year accounts.

A journal has one line per receipt or payment: 年/月/日 (or 日期), 凭证号, 摘要, 对方科目, 借方/贷方
(or 收入/支出), 借或贷 and 余额. Between the lines stand rows that repeat what is above them —
上年结转, 本月合计, 本年累计, 承前页/过次页, 结转下年 — and these are recognised and never added again.

The flow, one partition (a book, a file, or one county-year of a parquet set) at a time::

    raw journal rows       columns of :data:`RAW_COLUMNS`, cells as written            (columns)
      │                    from spreadsheets (spreadsheets) or a parquet set (parquet_set)
      ▼ clean_journal_frame  one row out per row in: kind (data, opening, month_total,  (clean_rows)
      │                      year_total, carried, closing, blank, note, rejected)       (row_kinds)
      │                      amounts in yuan (:func:`~villagecon.parse.amounts.parse_amounts`),
      │                      对方科目/摘要 → item                                         (line_items)
      │                      running balance checked (余额 = previous 余额 + 借方 − 贷方),
      │                      本月合计/本年累计 checked against the lines they sum         (balance_checks)
      ▼ partition_results    small tables: entries (village-year-item sums), rejects,   (partition_tables)
      │                      balance breaks, unmapped counter-accounts, subtotal
      │                      mismatches, books, counts
      ▼ combine_results      one :class:`Journal`; accounts =                            (combine)
      │                      :func:`villagecon.ingest.ledger.to_accounts`
      ▼ reconcile_accounts   journal accounts against annual statements (收益分配表)     (reconcile)
      ▼ write_journal        parquet, CSV and journal_manifest.json                      (writing)

:func:`read_journal` runs it on one machine (spreadsheets, or a parquet set partitioned by county and
year, file by file with a progress bar; module ``reading``); :func:`clean_journal_dask` runs the same
functions on ``dask.dataframe`` over the parquet set (``dask_engine``). :func:`clean_journal`
(``command``) is the one call ``villagecon clean-journal`` makes: read, reconcile, write.

Every input row ends in exactly one place, told by its kind: a line (``data``), a repeated total
(``opening``, ``month_total``, ``year_total``, ``carried``, ``closing``), ``blank``, ``note`` or
``rejected`` (:meth:`Journal.check_nothing_lost`).
"""

from villagecon.journal.balance_checks import BALANCE_TOLERANCE
from villagecon.journal.clean_rows import clean_journal_frame, empty_lines
from villagecon.journal.columns import (
    AMOUNT_FIELDS,
    BANK_BOOK,
    BOOK_COLUMNS,
    BREAK_COLUMNS,
    CASH_BOOK,
    FIELD_LABELS,
    ITEM_TOTAL_COLUMNS,
    KINDS,
    PARQUET_COLUMNS,
    RAW_COLUMNS,
    REJECT_COLUMNS,
    SUBTOTAL_COLUMNS,
    UNMAPPED_COLUMNS,
    JournalLayoutError,
    as_raw,
    empty_raw,
)
from villagecon.journal.combine import Journal, combine_results, journal_accounts
from villagecon.journal.command import clean_journal
from villagecon.journal.dask_engine import SCHEDULER_CONNECT_SECONDS, SchedulerError, clean_journal_dask, dask_client
from villagecon.journal.parquet_set import (
    is_journal_parquet,
    journal_parquet_files,
    journal_set_root,
    raw_from_parquet,
    read_journal_partition,
)
from villagecon.journal.partition_tables import (
    PARTITION_TABLES,
    journal_books,
    journal_breaks,
    journal_entries,
    journal_files,
    journal_kinds,
    journal_rejects,
    journal_subtotals,
    journal_unmapped,
    partition_results,
)
from villagecon.journal.reading import read_journal
from villagecon.journal.reconcile import (
    RECONCILE_COLUMNS,
    RECONCILE_TOLERANCE,
    RECONCILED_ITEMS,
    match_village_years,
    reconcile_accounts,
)
from villagecon.journal.row_kinds import REPEATED_ROWS, labels_of, repeated_row_text
from villagecon.journal.spreadsheets import book_of, journal_layout, read_journal_sheet, split_place
from villagecon.journal.writing import JOURNAL_OUTPUTS, write_journal

__all__ = [
    "AMOUNT_FIELDS",
    "BALANCE_TOLERANCE",
    "BANK_BOOK",
    "BOOK_COLUMNS",
    "BREAK_COLUMNS",
    "CASH_BOOK",
    "FIELD_LABELS",
    "ITEM_TOTAL_COLUMNS",
    "JOURNAL_OUTPUTS",
    "KINDS",
    "PARQUET_COLUMNS",
    "PARTITION_TABLES",
    "RAW_COLUMNS",
    "RECONCILED_ITEMS",
    "RECONCILE_COLUMNS",
    "RECONCILE_TOLERANCE",
    "REJECT_COLUMNS",
    "REPEATED_ROWS",
    "SCHEDULER_CONNECT_SECONDS",
    "SUBTOTAL_COLUMNS",
    "UNMAPPED_COLUMNS",
    "Journal",
    "JournalLayoutError",
    "SchedulerError",
    "as_raw",
    "book_of",
    "clean_journal",
    "clean_journal_dask",
    "clean_journal_frame",
    "combine_results",
    "dask_client",
    "empty_lines",
    "empty_raw",
    "is_journal_parquet",
    "journal_accounts",
    "journal_books",
    "journal_breaks",
    "journal_entries",
    "journal_files",
    "journal_kinds",
    "journal_layout",
    "journal_parquet_files",
    "journal_rejects",
    "journal_set_root",
    "journal_subtotals",
    "journal_unmapped",
    "labels_of",
    "match_village_years",
    "partition_results",
    "raw_from_parquet",
    "read_journal",
    "read_journal_partition",
    "read_journal_sheet",
    "reconcile_accounts",
    "repeated_row_text",
    "split_place",
    "write_journal",
]
