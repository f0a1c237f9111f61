"""villagecon.sample.journal.workbooks: the journal books printed as workbooks (and one GBK CSV)."""

from __future__ import annotations

import csv
import hashlib
import io

import openpyxl
import pandas as pd
import pytest

from villagecon.journal import BANK_BOOK, CASH_BOOK
from villagecon.sample.journal.parquet_set import journal_partitions
from villagecon.sample.journal.workbooks import CSV_HEADER, HEADER_ROWS, WORKBOOK_HEADER, write_journal_workbooks
from villagecon.sample.truth import sample_truth

ARGUMENTS = {"villages": 11, "years": [2022], "lines_per_village_year": 30}
COUNTIES = ("北湖区", "汝城县", "资兴市")  # those whose books are compared with the parquet set's, cell by cell


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("books")
    return write_journal_workbooks(out, **ARGUMENTS), out


@pytest.fixture(scope="module")
def books():
    """The parquet set's rows of the same arguments in :data:`COUNTIES`, by (village, book).

    A partition has a stream of its own: those of a few counties are made alone, as the whole set makes them.
    """
    truth = sample_truth(villages=11, years=[2022])
    some = truth.loc[truth["county"].isin(COUNTIES)]
    frames = [table.to_pandas() for *_, table, _ in journal_partitions(some, lines_per_village_year=30)]
    return {key: rows for key, rows in pd.concat(frames).groupby(["village", "book"])}


def number(text):
    """An amount text as the workbook writes it: a number where it is a plain one, else the text (a defect)."""
    if text is None or pd.isna(text):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text


def test_a_workbook_per_village_and_year_and_the_first_cash_book_as_csv(written, books):
    sample, out = written
    paths = [f.relative_to(out).as_posix() for f in sample.files]
    truth = sample.truth
    assert len(paths) == len(truth) + 1
    first = truth.iloc[0]
    assert paths[0] == f"{first['county']}/{first['township']}/{first['village']}2022年现金日记账.csv"
    expected = [f"{r.county}/{r.township}/{r.village}2022年日记账.xlsx" for r in truth.itertuples(index=False)]
    assert paths[1:] == expected
    in_counties = sample.truth.loc[sample.truth["county"].isin(COUNTIES), "village"]
    assert {village for village, _ in books} == set(in_counties)


def test_each_sheet_is_a_printed_journal_line_n_on_row_n_plus_three(written, books):
    sample, out = written
    for row in sample.truth.loc[sample.truth["county"].isin(COUNTIES)].itertuples(index=False):
        book = openpyxl.load_workbook(out / row.county / row.township / f"{row.village}2022年日记账.xlsx")
        names = book.sheetnames
        first = row.village == sample.truth.iloc[0]["village"]  # its cash book is the CSV
        assert names == ([BANK_BOOK] if first else [CASH_BOOK, BANK_BOOK])
        for name in names:
            sheet = book[name]
            cells = [list(r) for r in sheet.iter_rows(values_only=True)]
            assert cells[0][0] == name
            assert (
                cells[1][0] == f"核算单位：{row.county}{row.township}{row.village}股份经济合作社　　2022年　　单位：元"
            )
            assert tuple(cells[2]) == WORKBOOK_HEADER
            lines = books[(row.village, name)]
            assert len(cells) == HEADER_ROWS + len(lines)
            for (month, day, summary, debit, credit, balance), cell in zip(
                lines[["month", "day", "summary", "debit", "credit", "balance"]].itertuples(index=False),
                cells[HEADER_ROWS:],
                strict=True,
            ):
                assert cell[0] == month and cell[1] == (None if pd.isna(day) else day) and cell[3] == summary
                assert (cell[5], cell[6], cell[8]) == (number(debit), number(credit), number(balance))
                assert cell[7] == "借"


def test_the_csv_is_gbk_with_dates_and_the_exports_columns(written, books):
    sample, _ = written
    [path] = [f for f in sample.files if f.suffix == ".csv"]
    text = path.read_bytes().decode("gbk")
    rows = list(csv.reader(io.StringIO(text)))
    village = sample.truth.iloc[0]["village"]
    assert rows[0] == [CASH_BOOK] and rows[1][0].startswith("核算单位：") and tuple(rows[2]) == CSV_HEADER
    lines = books[(village, CASH_BOOK)]
    assert len(rows) == 3 + len(lines)
    for cell, line in zip(rows[3:], lines.itertuples(index=False), strict=True):
        date = "" if pd.isna(line.day) else f"2022-{int(line.month):02d}-{int(line.day):02d}"
        assert cell[0] == date and cell[2] == line.summary
        assert cell[4:] == ["" if pd.isna(v) else v for v in (line.debit, line.credit, line.balance)]
    assert text.count("\r\n") == len(rows)


def test_the_workbooks_say_they_are_synthetic_and_are_the_same_bytes_for_the_same_arguments(written, tmp_path):
    sample, out = written
    book = openpyxl.load_workbook(sample.files[1])
    assert "合成样例数据" in book.properties.description
    again = write_journal_workbooks(tmp_path, **ARGUMENTS)

    def digest(files, root):
        return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    assert digest(sample.files, out) == digest(again.files, tmp_path)
    pd.testing.assert_frame_equal(sample.defects, again.defects)
