"""villagecon.journal.parquet_set: a parquet journal set, county=…/year=…/*.parquet."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.errors import UsageError
from villagecon.journal.columns import PARQUET_COLUMNS, JournalLayoutError
from villagecon.journal.parquet_set import journal_set_root, raw_from_parquet, read_journal_partition
from villagecon.journal.reading import read_journal
from villagecon.sample.journal import (
    write_journal_sample,
)

SEED, VILLAGES, YEARS = 2022, 22, range(2022, 2024)


def _snapshot(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_lines_out_inside_the_journal_set_is_refused(tmp_path):
    sample = write_journal_sample(tmp_path / "journal", seed=SEED, villages=11, years=[2022])
    before = _snapshot(sample.path)
    one_file = sample.files[0]
    for path, lines_out in [
        (sample.path, sample.path),
        (sample.path, sample.path / "lines"),
        (sample.path, one_file.parent),
        (one_file, one_file.parent),
        (one_file, sample.path / "cleaned"),
        (one_file.parent, one_file.parent / "x" / ".."),
    ]:
        with pytest.raises(
            UsageError,
            match=r"^lines_out '.*' is inside the journal set '.*journal' being read: "
            r"the cleaned rows would overwrite or join the raw journals\. Choose a "
            r"folder outside it",
        ):
            read_journal(path, lines_out=lines_out)
    assert _snapshot(sample.path) == before
    # Beside the set is fine.
    read_journal(one_file, lines_out=tmp_path / "lines")
    assert [p.name for p in (tmp_path / "lines").iterdir()] == [one_file.name]


def _partition(**changes) -> pd.DataFrame:
    row = {
        "township": "濠头乡",
        "village": "上河村",
        "village_code": "431026201201",
        "book": "现金日记账",
        "month": 1,
        "day": 2,
        "voucher": "记1",
        "summary": "收租金",
        "counter_account": "其他收入",
        "debit": "10.00",
        "credit": None,
        "balance": "10.00",
        "line": 1,
    }
    return pd.DataFrame([{**row, **changes}])


def test_a_partition_takes_county_and_year_from_its_folders(tmp_path):
    folder = tmp_path / "journal" / "county=汝城县" / "year=2022"
    folder.mkdir(parents=True)
    _partition().to_parquet(folder / "part-0.parquet", index=False)
    raw = read_journal_partition(folder / "part-0.parquet", root=tmp_path / "journal")
    assert raw[["county", "year", "file", "sheet", "row"]].values.tolist() == [
        ["汝城县", 2022, "county=汝城县/year=2022", "濠头乡上河村现金日记账", 1]
    ]
    assert journal_set_root(folder / "part-0.parquet") == (tmp_path / "journal").resolve()


def test_a_partition_without_a_column_names_it():
    frame = _partition(county="汝城县", year=2022).drop(columns=["line", "voucher"])
    with pytest.raises(JournalLayoutError, match=r"the journal set lacks column\(s\) voucher, line") as raised:
        raw_from_parquet(frame)
    assert ", ".join(PARQUET_COLUMNS) in str(raised.value)
