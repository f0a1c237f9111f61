"""villagecon.sample.journal.parquet_set: the journal set, one parquet file per county and year, and its truth."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from villagecon.errors import UsageError
from villagecon.journal import PARQUET_COLUMNS
from villagecon.sample.journal.defects import DEFECT_COLUMNS, DEFECTS
from villagecon.sample.journal.parquet_set import (
    PART_FILE,
    expected_journal_accounts,
    journal_partitions,
    write_journal_sample,
)
from villagecon.sample.truth import sample_truth
from villagecon.vocab import chenzhou, labels

YEARS = [2023]


@pytest.fixture(scope="module")
def truth():
    return sample_truth(villages=11, years=[2022])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_journal_sample(tmp_path_factory.mktemp("journal"), villages=11, years=YEARS, lines_per_village_year=30)


def test_one_file_per_county_and_year_in_the_citys_order(written):
    paths = [f.relative_to(written.path).as_posix() for f in written.files]
    assert paths == [f"county={c}/year={y}/{PART_FILE}" for c in chenzhou.COUNTY_CODES for y in YEARS]
    assert written.rows == sum(pq.ParquetFile(f).metadata.num_rows for f in written.files)
    assert pq.read_schema(written.files[0]).names == list(PARQUET_COLUMNS)


def test_every_file_says_it_is_synthetic(written):
    for file in written.files:
        said = pq.read_schema(file).metadata[b"villagecon.sample"].decode()
        assert said.startswith("合成样例数据 (synthetic sample data)")


def test_the_truth_and_the_defects_of_the_set(written):
    pd.testing.assert_frame_equal(written.truth, sample_truth(villages=11, years=YEARS))
    assert list(written.defects.columns) == list(DEFECT_COLUMNS)
    per_partition = written.defects.groupby(["county", "year"])["problem"].value_counts()
    assert set(per_partition.index.get_level_values("problem")) <= set(DEFECTS) and per_partition.max() == 1
    # A 余额 miswritten in every partition: a book too short to have a line between two lines passes to the next.
    assert per_partition.xs("balance_typo", level="problem").size == len(written.files)


def test_a_partition_is_whole_books(truth):
    county, year, table, defects = next(journal_partitions(truth, lines_per_village_year=40, defects=False))
    assert (county, year) == ("北湖区", 2022)
    assert table.column_names == list(PARQUET_COLUMNS)
    frame = table.to_pandas()
    for _, book in frame.groupby(["village_code", "book"]):
        assert book["summary"].iloc[0] == "上年结转" and book["summary"].iloc[-1] == "结转下年"
        assert book["line"].tolist() == list(range(1, len(book) + 1))
    assert defects.empty and list(defects.columns) == list(DEFECT_COLUMNS)


def test_partitions_are_repeatable_and_any_one_can_be_made_alone(truth):
    first = next(journal_partitions(truth, lines_per_village_year=40))
    again = next(journal_partitions(truth, lines_per_village_year=40))
    assert first[2].equals(again[2]) and first[3].equals(again[3])
    assert "balance_typo" in set(first[3]["problem"])
    zixing = truth.loc[truth["county"].eq("资兴市")]
    [alone] = journal_partitions(zixing, lines_per_village_year=10)
    *_, last = journal_partitions(truth, lines_per_village_year=10)
    assert alone[:2] == last[:2] == ("资兴市", 2022) and alone[2].equals(last[2])
    other = next(journal_partitions(truth, seed=1, lines_per_village_year=40))
    assert not other[2].equals(first[2])


def test_expected_accounts_take_out_lost_lines(truth):
    defects = pd.DataFrame(
        [
            {
                "village_code": truth["village_code"].iloc[0],
                "year": 2022,
                "problem": "missing_line",
                "item": "admin_expense",
                "amount_yuan": 100.0,
            }
        ]
    )
    expected = expected_journal_accounts(truth, defects)
    assert expected["admin_expense"].iloc[0] == pytest.approx(truth["admin_expense"].iloc[0] - 100.0)
    assert expected["admin_expense"].iloc[1] == pytest.approx(truth["admin_expense"].iloc[1])
    assert expected["total_expense"].iloc[0] == pytest.approx(truth["total_expense"].iloc[0] - 100.0)
    assert expected["net_income"].iloc[0] == pytest.approx(truth["net_income"].iloc[0] + 100.0)


def test_expected_accounts_leave_items_without_lines_missing(truth):
    expected = expected_journal_accounts(truth, pd.DataFrame(columns=list(DEFECT_COLUMNS)))
    zero = truth["investment_income"].eq(0)
    assert zero.any() and expected.loc[zero.to_numpy(), "investment_income"].isna().all()
    assert expected["tax_and_surcharges"].isna().all()  # not an item of the 2004 system
    pd.testing.assert_series_equal(expected["total_income"], truth["total_income"], check_names=False)
    assert set(expected.columns) >= {*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS, "net_income", "village_code"}


def test_the_sample_method_is_the_function(written):
    pd.testing.assert_frame_equal(
        written.expected_accounts(), expected_journal_accounts(written.truth, written.defects)
    )


def test_writing_again_gives_the_same_rows_and_a_foreign_parquet_file_is_refused(written, tmp_path):
    again = write_journal_sample(tmp_path / "again", villages=11, years=YEARS, lines_per_village_year=30)
    assert all(pq.read_table(f).equals(pq.read_table(g)) for f, g in zip(written.files, again.files, strict=True))
    stray = tmp_path / "again" / "county=汝城县" / "year=2019" / PART_FILE
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"")
    with pytest.raises(UsageError, match=r"county=汝城县/year=2019/part-0\.parquet"):
        write_journal_sample(tmp_path / "again", villages=11, years=YEARS, lines_per_village_year=30)
