"""Parquet journal sets: ``county=…/year=…/*.parquet``, read one partition at a time."""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pyarrow.parquet as pq

from villagecon.errors import UsageError, VillageconError
from villagecon.journal.clean_rows import clean_journal_frame
from villagecon.journal.columns import PARQUET_COLUMNS, JournalLayoutError, as_raw
from villagecon.journal.combine import Journal, combine_partitions
from villagecon.journal.partition_tables import partition_results
from villagecon.journal.progress import progress_bar
from villagecon.outputs import write_atomic

__all__ = [
    "check_outside_journal_set",
    "clean_parquet_partition",
    "is_journal_parquet",
    "journal_parquet_files",
    "journal_set_root",
    "raw_from_parquet",
    "read_journal_partition",
    "read_parquet_set",
]

log = logging.getLogger(__name__)

_PARTITION_KEY = re.compile(r"^(?P<key>county|year)=(?P<value>.+)$")


def journal_parquet_files(root: Path | str) -> list[Path]:
    """The parquet files of a journal set, sorted (``root`` itself when it is a file).

    Files and folders whose name starts with ``.`` or ``_`` are left out.

    Parameters
    ----------
    root : path-like
        A journal set folder or one parquet file.

    Returns
    -------
    list of Path
    """
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*.parquet") if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts)
    )


def is_journal_parquet(path: Path | str) -> bool:
    """True when ``path`` is a parquet file or a folder holding parquet files (a journal set).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    bool
    """
    path = Path(path)
    return (path.is_file() and path.suffix == ".parquet") or (path.is_dir() and bool(journal_parquet_files(path)))


def raw_from_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Raw journal rows (:data:`~villagecon.journal.columns.RAW_COLUMNS`) from the columns of a parquet journal set.

    ``file`` is the partition (``county=汝城县/year=2022``), ``sheet`` the book (township, village and
    book, ``濠头乡上河村现金日记账``) and ``row`` the book's ``line``, so that ``source`` finds the row.

    Parameters
    ----------
    frame : DataFrame
        ``county``, ``year`` and the columns of :data:`~villagecon.journal.columns.PARQUET_COLUMNS`.

    Returns
    -------
    DataFrame

    Raises
    ------
    JournalLayoutError
        A column is missing: the message names it.
    """
    missing = [c for c in ("county", "year", *PARQUET_COLUMNS) if c not in frame]
    if missing:
        raise JournalLayoutError(
            f"the journal set lacks column(s) {', '.join(missing)}",
            hint="A parquet journal set has county=…/year=… folders and the columns " + ", ".join(PARQUET_COLUMNS),
        )
    county = (
        frame["county"].astype(object).astype("str")
        if isinstance(frame["county"].dtype, pd.CategoricalDtype)
        else frame["county"].astype("str")
    )
    year = frame["year"].astype(object) if isinstance(frame["year"].dtype, pd.CategoricalDtype) else frame["year"]
    year = pd.to_numeric(year).astype("int64")
    return as_raw(
        frame.assign(
            county=county,
            year=year,
            file="county=" + county + "/year=" + year.astype("str"),
            sheet=frame["township"].astype("str").fillna("")
            + frame["village"].astype("str")
            + frame["book"].astype("str"),
            row=frame["line"],
        )
    )


def read_journal_partition(file: Path | str, *, root: Path | str | None = None) -> pd.DataFrame:
    """Raw journal rows of one parquet file; county and year from its ``county=``/``year=`` folders.

    Parameters
    ----------
    file : path-like
        One parquet file of a journal set.
    root : path-like, optional
        The set's folder: only the folders below it are read as partition keys.

    Returns
    -------
    DataFrame
        As :func:`raw_from_parquet`.
    """
    file = Path(file)
    frame = pq.read_table(file, partitioning=None).to_pandas()
    parts = file.relative_to(root).parts[:-1] if root is not None and Path(root) != file else file.parts[:-1]
    for part in parts:
        if (match := _PARTITION_KEY.match(part)) and match["key"] not in frame:
            frame[match["key"]] = unquote(match["value"])
    return raw_from_parquet(frame)


def clean_parquet_partition(frame: pd.DataFrame, *, unit: str | None) -> pd.DataFrame:
    """:func:`~villagecon.journal.clean_rows.clean_journal_frame` of one partition as read from the set.

    Parameters
    ----------
    frame : DataFrame
        One partition, as ``dask.dataframe.read_parquet`` gives it.
    unit : str or None
        Unit of bare numbers.

    Returns
    -------
    DataFrame
        The cleaned lines.
    """
    return clean_journal_frame(raw_from_parquet(frame), unit=unit)


def read_parquet_set(
    root: Path, *, unit: str | None, keep_lines: bool, lines_out: Path | None, progress: bool | None
) -> Journal:
    """Clean a parquet journal set file by file: one partition in memory at a time.

    Parameters
    ----------
    root : Path
        The set's folder, or one of its files.
    unit : str or None
        Unit of bare numbers.
    keep_lines : bool
        Keep every cleaned row in :attr:`Journal.lines`.
    lines_out : Path, optional
        Write the cleaned rows there, in the same folders.
    progress : bool, optional
        A progress bar (default: for more than 20 files in a terminal).

    Returns
    -------
    Journal

    Raises
    ------
    VillageconError
        No parquet files under ``root``.
    """
    start = time.perf_counter()
    files = journal_parquet_files(root)
    if not files:
        raise VillageconError(f"no parquet files in {root}")
    total = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    parts, kept = [], []
    with progress_bar(
        total, show=progress if progress is not None else len(files) > 20 and sys.stderr.isatty(), description="journal"
    ) as advance:
        for file in files:
            lines = clean_journal_frame(read_journal_partition(file, root=root if root.is_dir() else None), unit=unit)
            parts.append(partition_results(lines))
            if lines_out is not None:
                _write_lines(lines, Path(lines_out) / file.relative_to(root if root.is_dir() else root.parent))
            if keep_lines:
                kept.append(lines)
            advance(len(lines))
            del lines  # one partition in memory at a time
    return combine_partitions(parts, start=start, lines=pd.concat(kept, ignore_index=True) if keep_lines else None)


def _write_lines(lines: pd.DataFrame, path: Path) -> None:
    write_atomic(path, lambda p: lines.to_parquet(p, index=False))


def journal_set_root(path: Path) -> Path:
    """The folder of the parquet journal set that ``path`` (a file or folder) belongs to.

    That is the folder above its ``county=…``/``year=…`` folders, or ``path`` itself when it is a folder
    outside them.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Path
        Resolved.
    """
    path = path.resolve()
    folder = path.parent if path.is_file() else path
    while _PARTITION_KEY.match(folder.name) and folder.parent != folder:
        folder = folder.parent
    return folder


def check_outside_journal_set(lines_out: Path, root: Path) -> None:
    """Refuse a ``lines_out`` that is the journal set, or inside it: it would overwrite or add to the raw files.

    Parameters
    ----------
    lines_out : Path
        Where the cleaned rows would be written.
    root : Path
        The journal set (or one of its files) being read.

    Raises
    ------
    UsageError
        ``lines_out`` is the set or inside it; the message says where to write instead.
    """
    target, journals = lines_out.resolve(), journal_set_root(root)
    if target == journals or journals in target.parents:
        raise UsageError(
            f"lines_out {str(lines_out)!r} is inside the journal set {str(journals)!r} being read: "
            "the cleaned rows would overwrite or join the raw journals. Choose a folder outside it, "
            "e.g. data/processed/journal_lines"
        )
