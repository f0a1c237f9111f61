"""Reading journals on one machine: :func:`read_journal` (spreadsheets or a parquet set)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from villagecon.errors import UsageError, VillageconError
from villagecon.ingest.files import ReadLimits
from villagecon.journal.combine import Journal
from villagecon.journal.parquet_set import check_outside_journal_set, is_journal_parquet, read_parquet_set
from villagecon.journal.spreadsheets import read_spreadsheets
from villagecon.parse.amounts import unit_factor

__all__ = ["read_journal"]

log = logging.getLogger(__name__)


def read_journal(
    path: Path | str,
    *,
    register: Path | str | pd.DataFrame | None = None,
    unit: str | None = None,
    encoding: str | None = None,
    county: str | None = None,
    township: str | None = None,
    village: str | None = None,
    year: int | None = None,
    keep_lines: bool | None = None,
    lines_out: Path | str | None = None,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
) -> Journal:
    """Read cash journals, check them, and add them up into village-year accounts, on one machine.

    Parameters
    ----------
    path : path-like
        A journal spreadsheet (.xlsx/.xls/.csv, one book per sheet), a folder of them, or a parquet
        journal set (a folder with ``county=…/year=…/*.parquet``, as :func:`villagecon.sample.journal.
        write_journal_sample` writes) or one of its files. A parquet set is read partition by
        partition: memory holds one partition and the small tables, whatever the set's size.
    register : path-like or DataFrame, optional
        Village register, to give spreadsheet books their village codes (a parquet set has them).
    unit : {"元", "万元", ...}, optional
        Unit of bare numbers; default a 单位 written above the header, else 元 (journals are kept in 元).
    encoding : str, optional
        Encoding of CSV files; detected when None.
    county, township, village, year : optional
        For spreadsheets whose title does not say them.
    keep_lines : bool, optional
        Keep every cleaned row in :attr:`Journal.lines` (default: for spreadsheets, not for parquet sets).
    lines_out : path-like, optional
        For a parquet set: write the cleaned rows there, partition by partition, in the same folders.
        It must lie outside the set (a UsageError otherwise: the raw journals are never written to).
    progress : bool, optional
        A progress bar in rows per second (default: for more than 20 files in a terminal).
    limits : ReadLimits, optional
        Sizes past which a spreadsheet is refused unread (default: :meth:`villagecon.ingest.files.ReadLimits.
        from_environment`), as for :func:`villagecon.read_ledger`. A parquet set is read one partition at
        a time and is not subject to them.

    Returns
    -------
    Journal

    Examples
    --------
    ::

        journal = read_journal("data/raw/journal")          # county=…/year=…/part-0.parquet
        journal.accounts                                     # like read_ledger(...).accounts
        journal.breaks[["source", "cell", "reason"]]         # 余额 that do not follow
    """
    if unit is not None:
        unit_factor(unit)
    root = Path(path)
    if not root.exists():
        raise VillageconError(f"no such file or folder: {root}")
    if is_journal_parquet(root):
        if lines_out is not None:
            check_outside_journal_set(Path(lines_out), root)
        return read_parquet_set(
            root,
            unit=unit or "元",
            keep_lines=bool(keep_lines),
            lines_out=Path(lines_out) if lines_out else None,
            progress=progress,
        )
    if lines_out is not None:
        raise UsageError(
            "lines_out is for parquet journal sets; for spreadsheets use keep_lines and write journal.lines"
        )
    return read_spreadsheets(
        root,
        register=register,
        unit=unit,
        encoding=encoding,
        keep_lines=True if keep_lines is None else keep_lines,
        progress=progress,
        place={"county": county, "township": township, "village": village, "year": year},
        limits=limits,
    )
