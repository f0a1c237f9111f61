"""Cleaning a parquet journal set on Dask (a LocalCluster or a running scheduler).

The same functions as the one-machine path run partition by partition; only the small tables travel
back, and :func:`~villagecon.journal.combine.combine_results` makes the same
:class:`~villagecon.journal.combine.Journal`.
"""

# Dask's Client, LocalCluster, progress and comm functions are not annotated.
# mypy: allow-untyped-calls

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from villagecon.errors import VillageconError
from villagecon.journal.clean_rows import empty_lines
from villagecon.journal.combine import Journal, combine_partitions
from villagecon.journal.parquet_set import clean_parquet_partition, is_journal_parquet
from villagecon.journal.partition_tables import PARTITION_TABLES
from villagecon.parse.amounts import unit_factor

if TYPE_CHECKING:
    from dask.distributed import Client

__all__ = ["SCHEDULER_CONNECT_SECONDS", "SchedulerError", "clean_journal_dask", "dask_client"]

log = logging.getLogger(__name__)

# How long to wait for a Dask scheduler to answer before saying it cannot be reached.
SCHEDULER_CONNECT_SECONDS = 10.0


class SchedulerError(VillageconError):
    """A Dask scheduler address that is malformed, cannot be reached, or where no Dask scheduler answers."""


def clean_journal_dask(
    path: Path | str,
    *,
    scheduler: str | Client | None = None,
    unit: str = "元",
    n_workers: int | None = None,
    threads_per_worker: int = 1,
    memory_limit: str | float = "auto",
    progress: bool = False,
    connect_timeout: float | None = None,
) -> Journal:
    """:func:`read_journal` of a parquet journal set on Dask: the same functions, partition by partition.

    ``dask.dataframe.read_parquet`` makes one partition per file (county and year), and
    ``map_partitions`` runs :func:`clean_journal_frame` and each table of :data:`PARTITION_TABLES` on
    it with declared ``meta``; only those small tables travel back, and :func:`combine_results` makes
    the same :class:`Journal` as the pandas path.

    Parameters
    ----------
    path : str or path-like
        The parquet journal set. On a cluster every worker must reach it at this same path (a shared
        file system, or a URL such as ``s3://bucket/journal`` that fsspec can open).
    scheduler : str or dask.distributed.Client, optional
        Address of a running scheduler (``tcp://10.0.0.5:8786``) or a client. None starts a
        ``LocalCluster`` (``n_workers`` processes, default one per core) and closes it afterwards.
    unit : str
        Unit of bare numbers (journals are kept in 元).
    n_workers, threads_per_worker, memory_limit :
        For the LocalCluster only: one thread per process, since cleaning holds the GIL between Arrow calls.
    progress : bool
        Show dask's progress bar while the partitions are cleaned.
    connect_timeout : float, optional
        Seconds to wait for the scheduler at ``scheduler`` (default :data:`SCHEDULER_CONNECT_SECONDS`).

    Returns
    -------
    Journal
        The same tables as :func:`~villagecon.journal.reading.read_journal` of the set.

    Raises
    ------
    SchedulerError
        ``scheduler`` is not an address, or no Dask scheduler answers there in time.
    """
    import dask.dataframe as dd
    from dask.base import compute
    from dask.distributed import progress as show_progress

    unit_factor(unit)
    start = time.perf_counter()
    location = str(path)
    if "://" not in location and not is_journal_parquet(location):
        raise VillageconError(f"no parquet journal set at {location}")
    with dask_client(
        scheduler,
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        memory_limit=memory_limit,
        connect_timeout=connect_timeout,
    ) as client:
        # One partition per file, never split: a book must stay whole for its balance to be checked.
        raw = dd.read_parquet(location, split_row_groups=False, blocksize=None, aggregate_files=False)
        lines = raw.map_partitions(clean_parquet_partition, unit=unit, meta=empty_lines())
        tables = {
            name: lines.map_partitions(table, meta=table(empty_lines())) for name, table in PARTITION_TABLES.items()
        }
        if progress:
            futures = client.compute(list(tables.values()))
            show_progress(futures)
            computed = client.gather(futures)
        else:
            computed = compute(*tables.values(), scheduler=client.get)
    parts = [dict(zip(tables, computed, strict=True))]
    return combine_partitions(parts, start=start)


@contextmanager
def dask_client(
    scheduler: str | Client | None = None,
    *,
    n_workers: int | None = None,
    threads_per_worker: int = 1,
    memory_limit: str | float = "auto",
    connect_timeout: float | None = None,
) -> Iterator[Client]:
    """A ``dask.distributed.Client`` for :func:`clean_journal_dask`, closed afterwards (unless it was given).

    Dask's INFO logging is silenced while it runs.

    Parameters
    ----------
    scheduler : str or Client, optional
        A Client (used as it is); an address (checked, then connected to within ``connect_timeout``
        seconds); or None: a LocalCluster whose scratch space is a temporary folder removed afterwards,
        with no dashboard and its HTTP endpoints on a free loopback port.
    n_workers, threads_per_worker, memory_limit :
        For the LocalCluster.
    connect_timeout : float, optional
        Seconds to wait for the scheduler (default :data:`SCHEDULER_CONNECT_SECONDS`).

    Yields
    ------
    Client

    Raises
    ------
    SchedulerError
        ``scheduler`` is not an address, or no Dask scheduler answers there in time.
    """
    from dask.distributed import Client, LocalCluster

    with ExitStack() as stack:
        stack.enter_context(_dask_logs_at(logging.WARNING))
        if isinstance(scheduler, Client):
            yield scheduler
            return
        if scheduler is not None:
            yield stack.enter_context(
                _connect_scheduler(
                    str(scheduler), timeout=(SCHEDULER_CONNECT_SECONDS if connect_timeout is None else connect_timeout)
                )
            )
            return
        import dask

        scratch = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="villagecon-dask-", ignore_cleanup_errors=True)
        )
        # The scheduler's and the nannies' scratch space too, not only the workers'.
        stack.enter_context(dask.config.set({"temporary-directory": scratch}))
        stack.enter_context(_dask_logs_at(logging.WARNING, "distributed.nanny"))  # restored after the cluster closes
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=n_workers or os.cpu_count() or 1,
                threads_per_worker=threads_per_worker,
                processes=True,
                memory_limit=memory_limit,
                local_directory=scratch,
                silence_logs=logging.WARNING,
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
        )
        client = stack.enter_context(Client(cluster, set_as_default=False))
        # Closing, a nanny whose busy machine is slow to stop its worker kills it after 4 s and warns: the work is
        # done by then, so the warning says nothing to a user (it runs first on exit, before the cluster closes).
        stack.callback(logging.getLogger("distributed.nanny").setLevel, logging.ERROR)
        yield client


@contextmanager
def _dask_logs_at(level: int, name: str = "distributed") -> Iterator[None]:
    """dask.distributed's loggers (or the one ``name``d) at ``level`` or above while inside, their level as
    before after (its INFO lines reach a root handler)."""
    logger = logging.getLogger(name)
    before = logger.level
    logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.setLevel(before)


def _connect_scheduler(address: str, *, timeout: float) -> Client:
    """A Client of the scheduler at ``address``, or :class:`SchedulerError` saying what to check.

    The address is checked and a connection tried first without a Client: a Client that fails to start
    leaves a half-started event loop whose clean-up can hang the process later.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from dask.distributed import Client
    from distributed.comm.addressing import get_address_host_port
    from distributed.comm.core import connect
    from distributed.security import Security

    what_to_check = (
        "Check that a Dask scheduler (`dask scheduler`) is running there and that the address is "
        "the one it prints, that this machine can reach that host and port (firewall, VPN), and "
        "that nothing else listens on that port; or leave out --scheduler to start a LocalCluster "
        "on this machine"
    )
    try:
        get_address_host_port(address)  # inproc:// too: for a cluster in this process, pass its Client
    except ValueError as exc:
        raise SchedulerError(
            f"{address!r} is not a Dask scheduler address ({exc}): write it as tcp://HOST:PORT, "
            "e.g. tcp://10.0.0.5:8786, as `dask scheduler` prints it; or leave out --scheduler to "
            "start a LocalCluster on this machine"
        ) from None
    security = Security()

    async def handshake() -> None:
        comm = await asyncio.wait_for(
            connect(address, timeout=timeout, **security.get_connection_args("client")), timeout
        )
        await comm.close()

    try:
        # In a thread of its own: the caller may be running an event loop already (Jupyter).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, handshake()).result()
        return Client(address, timeout=timeout, security=security, set_as_default=False)
    except Exception as exc:  # refused, timed out, or something that does not speak Dask's protocol
        if isinstance(exc, TimeoutError) or "Timed out" in str(exc):
            problem = f"no answer within {timeout:g} s"
        elif isinstance(exc, OSError):
            problem = f"{type(exc).__name__}: {exc}"
        else:
            problem = "what answered does not speak Dask's protocol"
        raise SchedulerError(f"cannot reach the Dask scheduler at {address!r} ({problem}). {what_to_check}") from None
