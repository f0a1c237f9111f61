"""The journal pipeline on Dask: a LocalCluster of two worker processes gives exactly the pandas results."""

from __future__ import annotations

import logging
import socket
import tempfile
import threading
from pathlib import Path

import pytest
from dask.distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal

from villagecon.errors import UsageError, VillageconError
from villagecon.journal import SchedulerError, clean_journal, clean_journal_dask, dask_client, read_journal
from villagecon.sample import write_journal_sample

TABLES = ("accounts", "entries", "rejects", "breaks", "unmapped", "subtotals", "books", "kinds", "files")


@pytest.fixture(scope="module")
def journal_set(tmp_path_factory):
    return write_journal_sample(tmp_path_factory.mktemp("journal"), seed=2022, villages=22, years=range(2022, 2024))


@pytest.fixture(scope="module")
def on_pandas(journal_set):
    return read_journal(journal_set.path)


def test_local_cluster_of_two_processes_matches_pandas(journal_set, on_pandas):
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = clean_journal_dask(journal_set.path, scheduler=client)
        assert len(client.scheduler_info()["workers"]) == 2
    for name in TABLES:
        assert_frame_equal(getattr(on_dask, name), getattr(on_pandas, name), obj=name)
    assert on_dask.rows_read == journal_set.rows
    assert len(on_dask.breaks) > 0 and len(on_dask.rejects) > 0  # the planted defects travelled back
    on_dask.check_nothing_lost()


def test_a_running_scheduler_is_used_by_its_address(journal_set, on_pandas):
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", dashboard_address=None
    ) as cluster:
        on_dask = clean_journal_dask(journal_set.path, scheduler=cluster.scheduler_address, connect_timeout=5)
        assert set(cluster.scheduler.clients) == {"fire-and-forget"}  # the journal's client has gone
    assert_frame_equal(on_dask.accounts, on_pandas.accounts)


def test_engine_and_scheduler_are_checked(journal_set, tmp_path):
    with pytest.raises(UsageError, match="engine must be 'pandas' or 'dask'"):
        clean_journal(journal_set.path, engine="spark")
    with pytest.raises(UsageError, match="a scheduler address needs engine='dask'"):
        clean_journal(journal_set.path, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(VillageconError, match="no parquet journal set"):
        clean_journal_dask(tmp_path)


def _listener(answer: bytes) -> tuple[socket.socket, str]:
    """A loopback server that answers every connection with ``answer`` and hangs up, as a web server might."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return server, f"tcp://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (
            "not-an-address",
            "'not-an-address' is not a Dask scheduler address (missing port number in address "
            "'not-an-address'): write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786, as `dask scheduler` "
            "prints it; or leave out --scheduler to start a LocalCluster on this machine",
        ),
        (
            "foo://x:1",
            "'foo://x:1' is not a Dask scheduler address (unknown address scheme 'foo' (known schemes: "
            "['inproc', 'tcp', 'tls', 'ucx', 'ws', 'wss'])): write it as tcp://HOST:PORT",
        ),
        ("", "'' is not a Dask scheduler address (missing port number in address ''): write it as tcp://HOST:PORT"),
    ],
)
def test_malformed_scheduler_addresses_are_refused(journal_set, address, message):
    with pytest.raises(SchedulerError) as refused:
        clean_journal_dask(journal_set.path, scheduler=address)
    assert str(refused.value).startswith(message)


def test_an_unreachable_scheduler_is_reported_within_the_timeout(journal_set):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(SchedulerError) as refused:
        clean_journal_dask(journal_set.path, scheduler=address, connect_timeout=0.5)
    assert str(refused.value).startswith(
        f"cannot reach the Dask scheduler at '{address}' (no answer within 0.5 s). "
        "Check that a Dask scheduler (`dask scheduler`) is running there"
    )


def test_something_else_at_the_scheduler_address_is_reported(journal_set):
    server, address = _listener(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    with server, pytest.raises(SchedulerError) as refused:
        clean_journal_dask(journal_set.path, scheduler=address, connect_timeout=2)
    assert str(refused.value).startswith(
        f"cannot reach the Dask scheduler at '{address}' (what answered does not speak Dask's protocol). Check"
    )


def test_local_cluster_keeps_its_scratch_space_and_logs_to_itself(tmp_path, monkeypatch, caplog):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with dask_client(n_workers=1) as client:
        scratch = client.run(lambda dask_worker: dask_worker.local_directory)
        scheduler_scratch = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.local_directory)
        # The scheduler's HTTP endpoints (health, metrics), never a dashboard.
        http_port = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.services["dashboard"].port)
        during = sorted(p.name for p in temporary.iterdir())
    assert len(scratch) == 1 and len(during) == 1 and during[0].startswith("villagecon-dask-")
    for folder in [*scratch.values(), scheduler_scratch]:
        assert Path(folder).is_relative_to(temporary / during[0] / "dask-scratch-space")
    assert list(temporary.iterdir()) == []  # removed afterwards
    assert http_port != 8787  # a free port, not the usual one
    chatter = [
        r.getMessage() for r in caplog.records if r.name.startswith("distributed") and r.levelno < logging.WARNING
    ]
    assert chatter == []
