"""`villagecon sample --journal` and `villagecon clean --journal`: the command line of the journal pipeline."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.cli import EXIT_ERROR, EXIT_REJECTS, main


@pytest.fixture(scope="module")
def journal_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("journal")
    assert main(["sample", "--journal", "--out", str(out), "--villages", "22", "--years", "2021-2022",
                 "--lines", "40"]) == 0
    return out


def test_sample_journal_writes_parquet_partitions_by_county_and_year(journal_set, capsys):
    parts = sorted(p.relative_to(journal_set).parts[:2] for p in journal_set.rglob("*.parquet"))
    assert parts and all(c.startswith("county=") and y in ("year=2021", "year=2022") for c, y in parts)


def test_clean_journal_writes_accounts_and_reports_breaks(journal_set, tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["clean", str(journal_set), "--journal", "--out", str(out)]) == 0
    accounts = pd.read_parquet(out / "journal_accounts.parquet")
    assert set(accounts["year"]) == {2021, 2022} and accounts["village"].nunique() == 22
    assert accounts["total_income"].gt(0).all()
    assert "journal_accounts.parquet" in {p.name for p in out.iterdir()}
    assert "wrote the journal_* tables" in capsys.readouterr().out
    # The sample plants defects (a miswritten balance, a lost line, …): --strict says so in the exit code.
    assert main(["clean", str(journal_set), "--journal", "--out", str(out), "--strict"]) == EXIT_REJECTS


def test_dask_options_without_journal_are_refused(journal_set, tmp_path, capsys):
    assert main(["clean", str(journal_set), "--engine", "dask", "--out", str(tmp_path)]) == EXIT_ERROR
    assert "--engine dask and --scheduler are for cash journals: add --journal" in capsys.readouterr().err


def test_clean_journal_on_dask_gives_the_pandas_tables(journal_set, tmp_path):
    assert main(["clean", str(journal_set), "--journal", "--out", str(tmp_path / "pandas")]) == 0
    assert main(["clean", str(journal_set), "--journal", "--engine", "dask", "--out", str(tmp_path / "dask")]) == 0
    for name in ("journal_accounts.parquet",):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "pandas" / name),
                                      pd.read_parquet(tmp_path / "dask" / name))
    for name in ("journal_breaks.csv", "journal_rejects.csv"):
        assert (tmp_path / "pandas" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
