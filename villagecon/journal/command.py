"""One call for the command line: clean a journal set, reconcile it with statements, write the tables."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from villagecon.errors import UsageError
from villagecon.ingest.files import ReadLimits
from villagecon.journal.combine import Journal
from villagecon.journal.dask_engine import clean_journal_dask
from villagecon.journal.reading import read_journal
from villagecon.journal.reconcile import reconcile_accounts
from villagecon.journal.writing import write_journal

if TYPE_CHECKING:
    from dask.distributed import Client

__all__ = ["clean_journal"]

log = logging.getLogger(__name__)


def clean_journal(
    path: Path | str,
    *,
    out: Path | str | None = None,
    engine: str = "pandas",
    scheduler: str | Client | None = None,
    statements: Path | str | pd.DataFrame | None = None,
    register: Path | str | None = None,
    unit: str | None = None,
    encoding: str | None = None,
    progress: bool | None = None,
    limits: ReadLimits | None = None,
) -> tuple[Journal, pd.DataFrame | None]:
    """Clean a journal set with the chosen engine, reconcile it with statements, and write the tables.

    Parameters
    ----------
    path : path-like or str
        Journal spreadsheets or a parquet journal set (the dask engine needs a parquet set).
    out : path-like, optional
        Folder for :func:`write_journal`'s files; nothing is written when None.
    engine : {"pandas", "dask"}
        ``pandas``: :func:`read_journal`, partition by partition on this machine. ``dask``:
        :func:`clean_journal_dask`, on ``scheduler`` or a LocalCluster.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); only with ``engine="dask"``.
    statements : path-like or DataFrame, optional
        Accounts from annual statements (an accounts.parquet, or a DataFrame) to reconcile against.
    register, unit, encoding, progress, limits :
        As for :func:`read_journal`.

    Returns
    -------
    (Journal, reconciliation DataFrame or None)
    """
    if engine not in ("pandas", "dask"):
        raise UsageError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    if scheduler is not None and engine != "dask":
        raise UsageError("a scheduler address needs engine='dask'")
    if engine == "dask":
        journal = clean_journal_dask(path, scheduler=scheduler, unit=unit or "元", progress=bool(progress))
    else:
        journal = read_journal(path, register=register, unit=unit, encoding=encoding, progress=progress, limits=limits)
    journal.check_nothing_lost()
    reconciliation = None
    if statements is not None:
        table = statements if isinstance(statements, pd.DataFrame) else pd.read_parquet(statements)
        reconciliation = reconcile_accounts(journal.accounts, table)
    if out is not None:
        write_journal(journal, out, reconciliation=reconciliation)
    return journal, reconciliation
