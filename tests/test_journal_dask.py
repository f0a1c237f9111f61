"""The journal pipeline on Dask: a LocalCluster of two worker processes gives exactly the pandas results."""

from __future__ import annotations

import pytest
from dask.distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal

from villagecon.errors import UsageError, VillageconError
from villagecon.journal import clean_journal, clean_journal_dask, read_journal
from villagecon.journal_sample import write_journal_sample

TABLES = ("accounts", "entries", "rejects", "breaks", "unmapped", "subtotals", "books", "kinds", "files")


@pytest.fixture(scope="module")
def journal_set(tmp_path_factory):
    return write_journal_sample(tmp_path_factory.mktemp("journal"), seed=2022, villages=22, years=range(2022, 2024))


def test_local_cluster_of_two_processes_matches_pandas(journal_set):
    on_pandas = read_journal(journal_set.path)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = clean_journal_dask(journal_set.path, scheduler=client)
        assert len(client.scheduler_info()["workers"]) == 2
    for name in TABLES:
        assert_frame_equal(getattr(on_dask, name), getattr(on_pandas, name), obj=name)
    assert on_dask.rows_read == journal_set.rows
    assert len(on_dask.breaks) > 0 and len(on_dask.rejects) > 0      # the planted defects travelled back
    on_dask.check_nothing_lost()


def test_engine_and_scheduler_are_checked(journal_set, tmp_path):
    with pytest.raises(UsageError, match="engine must be 'pandas' or 'dask'"):
        clean_journal(journal_set.path, engine="spark")
    with pytest.raises(UsageError, match="a scheduler address needs engine='dask'"):
        clean_journal(journal_set.path, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(VillageconError, match="no parquet journal set"):
        clean_journal_dask(tmp_path)
