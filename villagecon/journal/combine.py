"""Combining the tables of every partition into one :class:`Journal`, its accounts included."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from villagecon import schemas
from villagecon.ingest.ledger import to_accounts
from villagecon.journal.clean_rows import empty_lines
from villagecon.journal.columns import IDENTITY_COLUMNS, ITEM_TOTAL_COLUMNS, KINDS, UNMAPPED_COLUMNS
from villagecon.journal.partition_tables import (
    CELL_PROBLEMS,
    PARTITION_TABLES,
    empty_table,
    group_unmapped,
    journal_files,
)

__all__ = ["Journal", "combine_partitions", "combine_results", "journal_accounts"]

log = logging.getLogger(__name__)


@dataclass
class Journal:
    """Everything :func:`read_journal` or :func:`clean_journal_dask` found.

    Attributes
    ----------
    accounts : DataFrame
        One row per village and year, the columns of :func:`villagecon.ingest.ledger.to_accounts`: income and
        expense items as the journal's lines add up, totals derived; assets and liabilities missing
        (a cash journal does not tell them).
    entries : DataFrame
        The same as long sums (:data:`ITEM_TOTAL_COLUMNS`), with how many lines each sums.
    rejects : DataFrame
        Rows that could not be used and unreadable cells (:data:`REJECT_COLUMNS`).
    breaks : DataFrame
        Rows whose 余额 does not follow from the row before (:data:`BREAK_COLUMNS`).
    unmapped : DataFrame
        对方科目 (or 摘要) that map to no line item, with lines, 借方 and 贷方 sums and the first place.
    subtotals : DataFrame
        本月合计/本年累计 rows that do not add up or could not be checked.
    books : DataFrame
        One row per book: rows, lines, opening and closing balance, sums, breaks.
    kinds : DataFrame
        Rows read by kind: every row is in exactly one.
    files : DataFrame
        Files (or parquet partitions) read: file, rows.
    lines : DataFrame or None
        Every cleaned row (:func:`clean_journal_frame`), when kept.
    seconds : float
        Time taken, reading included.
    skipped : DataFrame
        Sheets read that are not journals: file, sheet, reason.
    """

    accounts: pd.DataFrame
    entries: pd.DataFrame
    rejects: pd.DataFrame
    breaks: pd.DataFrame
    unmapped: pd.DataFrame
    subtotals: pd.DataFrame
    books: pd.DataFrame
    kinds: pd.DataFrame
    files: pd.DataFrame
    lines: pd.DataFrame | None = None
    seconds: float = 0.0
    skipped: pd.DataFrame = field(default_factory=lambda: empty_table(["file", "sheet", "reason"]))

    @property
    def rows_read(self) -> int:
        """Rows read, over every file or partition."""
        return int(self.files["rows"].sum())

    @property
    def rows_per_second(self) -> float:
        """Rows read per second (NaN when no time was taken)."""
        return self.rows_read / self.seconds if self.seconds else float("nan")

    def check_nothing_lost(self) -> None:
        """Check that every row read has exactly one kind (and that the kept lines agree).

        Raises
        ------
        AssertionError
            Saying how many rows have no kind, or how many rejected rows are not in the rejects.
        """
        by_kind = int(self.kinds["rows"].sum())
        assert by_kind == self.rows_read, f"{self.rows_read - by_kind} of {self.rows_read} rows have no kind"
        rejected = int(self.kinds.loc[self.kinds["kind"].eq("rejected"), "rows"].sum())
        rejected_rows = int((~self.rejects["problem"].isin(CELL_PROBLEMS)).sum())
        assert rejected == rejected_rows, f"{rejected} rows rejected but {rejected_rows} in rejects"
        if self.lines is not None:
            assert len(self.lines) == self.rows_read, "kept lines and rows read disagree"

    def summary(self) -> str:
        """A few lines for a terminal: what was read, what was kept, what needs attention."""
        kinds = self.kinds.set_index("kind")["rows"]
        repeated = sum(int(kinds[k]) for k in ("opening", "month_total", "year_total", "carried", "closing"))
        lines = [
            f"journal: {self.rows_read:,} rows in {len(self.files)} files/partitions, {len(self.books):,} books, "
            f"{self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)",
            f"rows: {int(kinds['data']):,} lines, {repeated:,} repeated totals (never added again), "
            f"{int(kinds['blank']) + int(kinds['note']):,} blank or notes, {int(kinds['rejected']):,} rejected",
            f"accounts: {len(self.accounts):,} village-years from {int(self.entries['lines'].sum()):,} income and "
            "expense lines",
            f"balance breaks: {len(self.breaks)}; subtotals not adding up: "
            f"{int(self.subtotals['status'].eq('mismatch').sum())}; unmapped 对方科目/摘要: {len(self.unmapped)} "
            f"({int(self.unmapped['lines'].sum()):,} lines); rejects: {len(self.rejects)}",
        ]
        return "\n".join(lines)


def combine_results(
    parts: Iterable[dict[str, pd.DataFrame]],
    *,
    files: pd.DataFrame,
    seconds: float = 0.0,
    lines: pd.DataFrame | None = None,
    skipped: pd.DataFrame | None = None,
) -> Journal:
    """One :class:`Journal` from the tables of every partition, in a fixed order.

    The tables are those of :func:`~villagecon.journal.partition_tables.partition_results`.

    The pandas and dask paths both end here, so their results are identical.

    Parameters
    ----------
    parts : iterable of dict
        The tables of each partition, by the names of :data:`~villagecon.journal.partition_tables.PARTITION_TABLES`.
    files : DataFrame
        Files (or partitions) read and their rows.
    seconds : float
        Time taken.
    lines : DataFrame, optional
        Every cleaned row, when kept.
    skipped : DataFrame, optional
        Sheets that were not journals (file, sheet, reason).

    Returns
    -------
    Journal
    """
    parts = list(parts)
    gathered = {
        name: pd.concat([p[name] for p in parts], ignore_index=True) if parts else PARTITION_TABLES[name](empty_lines())
        for name in PARTITION_TABLES
    }
    entries = gathered["entries"]
    if len(entries):
        entries = (
            entries.groupby([*IDENTITY_COLUMNS, "year", "item"], dropna=False, sort=True)
            .agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"), lines=("lines", "sum"))
            .reset_index()
        )
        entries["amount_yuan"] = entries["amount_yuan"].round(2) + 0.0
        entries["detail"] = pd.Series(pd.NA, index=entries.index, dtype="str")
        entries = entries.loc[:, list(ITEM_TOTAL_COLUMNS)]
    unmapped = gathered["unmapped"]
    unmapped = group_unmapped(unmapped) if len(unmapped) else unmapped
    unmapped = unmapped.assign(
        first_source=(
            unmapped["first_file"] + "!" + unmapped["first_sheet"] + "!" + unmapped["first_row"].astype("str")
        ),
        reason=[
            "对方科目 " + repr(c) + " is not a known account: add its spelling to villagecon.vocab.journal_items"
            if isinstance(c, str)
            else "对方科目 blank and the 摘要 names no line item: write the 对方科目"
            for c in unmapped["counter_account"]
        ],
    )
    unmapped = unmapped.sort_values("lines", ascending=False, kind="stable").loc[:, list(UNMAPPED_COLUMNS)]
    kinds = gathered["kinds"].groupby("kind", sort=False)["rows"].sum().reindex(list(KINDS), fill_value=0)
    books = gathered["books"].sort_values(["file", "sheet"], kind="stable")
    sort_by_source = {
        name: gathered[name].sort_values("source", kind="stable") for name in ("rejects", "breaks", "subtotals")
    }
    return Journal(
        accounts=journal_accounts(entries),
        entries=entries.reset_index(drop=True),
        rejects=sort_by_source["rejects"].reset_index(drop=True),
        breaks=sort_by_source["breaks"].reset_index(drop=True),
        unmapped=unmapped.reset_index(drop=True),
        subtotals=sort_by_source["subtotals"].reset_index(drop=True),
        books=books.reset_index(drop=True),
        kinds=pd.DataFrame({"kind": pd.array(list(KINDS), dtype="str"), "rows": kinds.to_numpy().astype("int64")}),
        files=files.reset_index(drop=True),
        lines=lines,
        seconds=seconds,
        skipped=skipped if skipped is not None else empty_table(["file", "sheet", "reason"]),
    )


def journal_accounts(entries: pd.DataFrame) -> pd.DataFrame:
    """Village-year accounts from journal entries: :func:`villagecon.ingest.ledger.to_accounts`, the same columns.

    Villages are told apart by code where they have one, else by county, township and name. A journal is
    a ledger of lines: an item without a line in the year was 0.

    Parameters
    ----------
    entries : DataFrame
        :data:`~villagecon.journal.columns.ITEM_TOTAL_COLUMNS`, as :func:`combine_results` sums them.

    Returns
    -------
    DataFrame
        One row per village and year, validated by :func:`villagecon.schemas.validate_accounts`.
    """
    # A journal is a ledger of lines: an item without a line in the year was 0.
    keyed = entries.assign(
        village_key=entries["village_code"].fillna(
            entries["county"].fillna("") + "/" + entries["township"].fillna("") + "/" + entries["village"]
        ),
        line=True,
    )
    accounts = to_accounts(keyed)
    return schemas.validate_accounts(accounts) if len(accounts) else accounts


def combine_partitions(
    parts: list[dict[str, pd.DataFrame]],
    *,
    start: float,
    lines: pd.DataFrame | None = None,
    skipped: pd.DataFrame | None = None,
) -> Journal:
    """:func:`combine_results` of partitions read since ``start``, their files added up from their tables.

    Parameters
    ----------
    parts : list of dict
        The tables of each partition.
    start : float
        ``time.perf_counter()`` when reading began.
    lines, skipped : DataFrame, optional
        As for :func:`combine_results`.

    Returns
    -------
    Journal
        With ``seconds`` the time since ``start``.
    """
    files = pd.concat([p["files"] for p in parts], ignore_index=True) if parts else journal_files(empty_lines())
    files = files.groupby("file", sort=True)["rows"].sum().reset_index()
    journal = combine_results(parts, files=files, lines=lines, skipped=skipped)
    journal.seconds = time.perf_counter() - start
    return journal
