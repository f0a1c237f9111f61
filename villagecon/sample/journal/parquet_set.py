"""The journal sample's parquet set: one file per county and year, and the truth behind it."""

from __future__ import annotations

import functools
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from villagecon.errors import UsageError
from villagecon.journal import journal_parquet_files
from villagecon.outputs import write_atomic
from villagecon.sample.journal.books import partition
from villagecon.sample.journal.defects import DEFECT_COLUMNS
from villagecon.sample.process import DEFAULT_SEED, DEFAULT_VILLAGES, DEFAULT_YEARS
from villagecon.sample.truth import sample_truth
from villagecon.vocab import chenzhou, labels

__all__ = [
    "DEFAULT_LINES",
    "PART_FILE",
    "SYNTHETIC_METADATA",
    "JournalSample",
    "expected_journal_accounts",
    "journal_partitions",
    "write_journal_sample",
]

DEFAULT_LINES = 440  # journal lines per village and year, both books

PART_FILE = "part-0.parquet"


@dataclass
class JournalSample:
    """What :func:`write_journal_sample` wrote and the truth behind it.

    Attributes
    ----------
    path : Path
        The journal set's folder.
    files : list of Path
        The parquet files, one per county and year.
    rows : int
        Rows written (lines and repeated totals).
    truth : DataFrame
        :func:`villagecon.sample.ledgers.sample_truth` for the same seed, villages and years.
    defects : DataFrame
        The deliberate defects (:data:`DEFECT_COLUMNS`): where (county, year, village, book, line — for
        ``missing_line`` the line that took the lost one's place), which field, what was written,
        and the item and amount a lost or rejected line takes out of the accounts.
    """

    path: Path
    files: list[Path]
    rows: int
    truth: pd.DataFrame
    defects: pd.DataFrame

    def expected_accounts(self) -> pd.DataFrame:
        """Income and expense items, their totals and net_income as a correct cleaner adds up these journals.

        The truth, with items of zero missing (no line books them) and the amounts of lost and
        rejected lines taken out.
        """
        return expected_journal_accounts(self.truth, self.defects)


def expected_journal_accounts(truth: pd.DataFrame, defects: pd.DataFrame) -> pd.DataFrame:
    """See :meth:`JournalSample.expected_accounts`.

    Parameters
    ----------
    truth : DataFrame
        :func:`~villagecon.sample.sample_truth` for the journal's arguments.
    defects : DataFrame
        The defects planted (:attr:`JournalSample.defects`).

    Returns
    -------
    DataFrame
        One row per village and year: place columns, income and expense items, totals, net_income.
    """
    items = [*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS]
    expected = truth.loc[:, ["county", "township", "village", "village_code", "year", *items]].copy()
    lost = defects.loc[defects["problem"].isin(["missing_line", "unreadable_amount"])]
    for code, year, item, amount in lost[["village_code", "year", "item", "amount_yuan"]].itertuples(index=False):
        at = expected["village_code"].eq(code) & expected["year"].eq(year)
        expected.loc[at, item] = expected.loc[at, item] - amount
    expected[items] = expected[items].round(2).where(expected[items].abs() > 0.005)
    expected["total_income"] = expected[list(labels.INCOME_ITEMS)].sum(axis=1, min_count=1)
    expected["total_expense"] = expected[list(labels.EXPENSE_ITEMS)].sum(axis=1, min_count=1)
    expected["net_income"] = expected["total_income"].fillna(0) - expected["total_expense"].fillna(0)
    return expected.reset_index(drop=True)


def write_journal_sample(
    out: Path | str,
    *,
    seed: int = DEFAULT_SEED,
    villages: int = DEFAULT_VILLAGES,
    years: Iterable[int] = DEFAULT_YEARS,
    lines_per_village_year: int = DEFAULT_LINES,
    defects: bool = True,
    progress: bool | None = None,
) -> JournalSample:
    """Write a parquet journal set (``out/county=…/year=…/part-0.parquet``) and return its truth.

    Parameters
    ----------
    out : path-like
        Folder to write into. Parquet files in it that this set would not write are an error.
    seed, villages, years :
        As for :func:`villagecon.sample.ledgers.write_sample`: the same villages and amounts. The same
        arguments give the same rows.
    lines_per_village_year : int
        Journal lines per village and year, both books (about 1.18 rows per line with the repeated
        totals). The default gives about 10 million rows for 2,400 villages and 8 years.
    defects : bool
        Plant the deliberate defects (see the module docstring).
    progress : bool, optional
        A progress bar over partitions (default: for more than 20 partitions in a terminal).

    Returns
    -------
    JournalSample

    Examples
    --------
    ::

        sample = write_journal_sample("data/raw/journal", villages=2400)   # 9,945,523 rows in 88 partitions
        sample.defects.query("problem == 'missing_line'")                  # where the balance must break
    """
    out = Path(out)
    truth = sample_truth(seed=seed, villages=villages, years=years)
    keys = _partition_keys(truth)
    planned = {_partition_path(out, county, year) for county, year in keys}
    if out.exists():
        foreign = [p for p in journal_parquet_files(out) if p not in planned]
        if foreign:
            raise UsageError(
                f"{out} holds parquet files this journal set does not write "
                f"({foreign[0].relative_to(out)}): write it to an empty folder"
            )
    files, rows, planted = [], 0, []
    show = progress if progress is not None else len(keys) > 20 and _interactive()
    iterator = journal_partitions(truth, seed=seed, lines_per_village_year=lines_per_village_year, defects=defects)
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(keys), unit="partitions", desc="journal sample")
    for county, year, table, found in iterator:
        path = _partition_path(out, county, year)
        files.append(write_atomic(path, functools.partial(_write_parquet, table)))
        rows += table.num_rows
        planted.append(found)
    defects_table = pd.concat(planted, ignore_index=True) if planted else pd.DataFrame(columns=DEFECT_COLUMNS)
    return JournalSample(path=out, files=files, rows=rows, truth=truth, defects=defects_table)


# Each file of the set says, in its schema's metadata, that it is synthetic (no title row to say it in).
SYNTHETIC_METADATA = {
    b"villagecon.sample": "合成样例数据 (synthetic sample data), written by villagecon sample".encode()
}


def _write_parquet(table: pa.Table, path: Path) -> None:
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **SYNTHETIC_METADATA})
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)


def _interactive() -> bool:
    return sys.stderr.isatty()


def _partition_keys(truth: pd.DataFrame) -> list[tuple[str, int]]:
    order = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    keys = truth[["county", "year"]].drop_duplicates()
    return sorted(((c, int(y)) for c, y in keys.itertuples(index=False)), key=lambda k: (order[k[0]], k[1]))


def _partition_path(out: Path, county: str, year: int) -> Path:
    return out / f"county={county}" / f"year={year}" / PART_FILE


def journal_partitions(
    truth: pd.DataFrame, *, seed: int = DEFAULT_SEED, lines_per_village_year: int = DEFAULT_LINES, defects: bool = True
) -> Iterator[tuple[str, int, pa.Table, pd.DataFrame]]:
    """(county, year, Arrow table of :data:`~villagecon.journal.PARQUET_COLUMNS`, defects) per partition.

    Each partition has its own random stream (seed, county, year), so any one can be made alone.

    Parameters
    ----------
    truth : DataFrame
        :func:`~villagecon.sample.sample_truth`.
    seed : int
    lines_per_village_year : int
    defects : bool

    Yields
    ------
    tuple
        county, year, Arrow table, defects of the partition.
    """
    by_key = {key: group for key, group in truth.groupby(["county", "year"], sort=False)}
    for county, year in _partition_keys(truth):
        rng = np.random.default_rng([seed, zlib.crc32(county.encode("utf-8")), year])
        table, planted = partition(
            by_key[(county, year)], year=year, rng=rng, lines=lines_per_village_year, defects=defects
        )
        yield county, year, table, planted.assign(county=county, year=year).loc[:, list(DEFECT_COLUMNS)]
