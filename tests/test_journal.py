"""Cash journals end to end: the defects of the sample set found exactly, accounts, reconciliation, outputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from villagecon.ingest.ledger import read_ledger
from villagecon.journal import (
    JOURNAL_OUTPUTS,
    KINDS,
    read_journal,
    reconcile_accounts,
    write_journal,
)
from villagecon.sample import (
    UNMAPPED_COUNTER,
    sample_truth,
    write_journal_sample,
    write_journal_workbooks,
    write_sample,
)
from villagecon.vocab import labels

# --- the sample journal set ------------------------------------------------------------------------


SEED, VILLAGES, YEARS = 2022, 22, range(2022, 2024)


@pytest.fixture(scope="module")
def journal_sample(tmp_path_factory):
    return write_journal_sample(tmp_path_factory.mktemp("journal"), seed=SEED, villages=VILLAGES, years=YEARS)


@pytest.fixture(scope="module")
def sample_journal(journal_sample):
    return read_journal(journal_sample.path, keep_lines=True)


def _source(defect) -> str:
    return (
        f"county={defect['county']}/year={defect['year']}!{defect['township']}{defect['village']}"
        f"{defect['book']}!{defect['line']}"
    )


def test_sample_villages_and_rows(journal_sample, sample_journal):
    truth = sample_truth(seed=SEED, villages=VILLAGES, years=YEARS)
    assert set(sample_journal.accounts["village_code"]) == set(truth["village_code"])
    assert len(sample_journal.accounts) == VILLAGES * len(YEARS)
    assert sample_journal.rows_read == journal_sample.rows == len(sample_journal.lines)
    assert len(journal_sample.files) == 11 * len(YEARS)  # one partition per county and year
    sample_journal.check_nothing_lost()
    kinds = sample_journal.kinds.set_index("kind")["rows"]
    assert list(kinds.index) == list(KINDS) and kinds.sum() == journal_sample.rows
    # Two books per village-year, each with 上年结转 and 结转下年.
    assert kinds["opening"] == kinds["closing"] == len(sample_journal.books) == 2 * VILLAGES * len(YEARS)


def test_sample_defects_are_found_exactly(journal_sample, sample_journal):
    defects = journal_sample.defects
    assert set(defects["problem"]) == {"balance_typo", "missing_line", "unreadable_amount", "unmapped"}
    assert (defects["problem"] == "balance_typo").sum() == 11 * len(YEARS)
    breaks = {
        (source, problem) for source, problem in sample_journal.breaks[["source", "problem"]].itertuples(index=False)
    }
    wanted = {
        (_source(d), "balance_typo" if d["problem"] == "balance_typo" else "balance_break")
        for d in defects.to_dict(orient="records")
        if d["problem"] in ("balance_typo", "missing_line")
    }
    assert breaks == wanted
    lost = defects.loc[defects["problem"].eq("missing_line")]
    # The break at the row after a lost line is off by exactly the lost amount.
    by_source = sample_journal.breaks.set_index("source")["difference"].abs()
    assert [by_source[_source(d)] for d in lost.to_dict(orient="records")] == pytest.approx(
        lost["amount_yuan"].tolist()
    )
    unreadable = defects.loc[defects["problem"].eq("unreadable_amount")]
    assert sorted(sample_journal.rejects["source"]) == sorted(_source(d) for d in unreadable.to_dict(orient="records"))
    assert sorted(sample_journal.rejects["value"]) == sorted(unreadable["written"])
    assert sample_journal.unmapped["counter_account"].tolist() == [UNMAPPED_COUNTER]
    assert sample_journal.unmapped.loc[0, "lines"] == (defects["problem"] == "unmapped").sum()
    # 本月合计 only fail to add up in the months that lost a line.
    months = sample_journal.subtotals.loc[
        sample_journal.subtotals["kind"].eq("month_total") & sample_journal.subtotals["status"].eq("mismatch")
    ]
    assert len(months) == len(lost)
    assert sorted(months["difference"].abs()) == pytest.approx(sorted(lost["amount_yuan"]))


def test_sample_accounts_add_up_to_the_truth(journal_sample, sample_journal):
    expected = journal_sample.expected_accounts().sort_values(["village_code", "year"]).reset_index(drop=True)
    got = sample_journal.accounts.sort_values(["village_code", "year"]).reset_index(drop=True)
    assert got["village_code"].tolist() == expected["village_code"].tolist()
    for item in [*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS, "total_income", "total_expense", "net_income"]:
        assert np.allclose(got[item].fillna(0), expected[item].fillna(0), atol=0.005), item
    # 2022 and 2023 follow the 2004 system: nothing booked to 公益支出 or 税金及附加.
    assert got["public_welfare_expense"].isna().all() and got["tax_and_surcharges"].isna().all()


def test_reconciliation_with_the_sample_statements(tmp_path, journal_sample, sample_journal):
    sample = write_sample(tmp_path / "raw", seed=SEED, villages=VILLAGES, years=YEARS)
    statements = read_ledger(tmp_path / "raw", register=tmp_path / "raw" / "register.csv").accounts
    table = reconcile_accounts(sample_journal.accounts, statements)
    assert set(table["status"]) <= {"ok", "mismatch", "approximate"}
    # Every difference is a journal defect (a lost or rejected line: its item, the total and the result) or
    # 上河村's 2022 income written "40余万元" in its statement.
    lost = journal_sample.defects.loc[journal_sample.defects["problem"].isin(["missing_line", "unreadable_amount"])]
    expected = {}
    for code, year, item, amount in lost[["village_code", "year", "item", "amount_yuan"]].itertuples(index=False):
        total = "total_income" if item in labels.INCOME_ITEMS else "total_expense"
        sign = 1 if item in labels.INCOME_ITEMS else -1
        for key, change in ((item, amount), (total, amount), ("net_income", sign * amount)):
            expected[(code, year, key)] = expected.get((code, year, key), 0.0) + change
    differences = table.loc[table["status"].eq("mismatch")]
    assert {
        (c, y, i): round(d, 2)
        for c, y, i, d in differences[["village_code", "year", "item", "difference"]].itertuples(index=False)
    } == {k: round(v, 2) for k, v in expected.items()}
    approximate = table.loc[table["status"].eq("approximate")]
    assert approximate[["village", "year", "item"]].drop_duplicates().values.tolist()[:1] == [
        ["上河村", 2022, "total_income"]
    ]
    assert set(approximate["village"]) == {"上河村"}
    shanghe_truth = sample.truth.query("village == '上河村' and year == 2022")["total_income"].item()
    shanghe = approximate.loc[approximate["item"].eq("total_income")].iloc[0]
    assert shanghe["statement_yuan"] == 400_000.0 and shanghe["difference"] == pytest.approx(400_000.0 - shanghe_truth)


def test_workbooks_and_parquet_give_the_same_accounts(tmp_path):
    workbooks = write_journal_workbooks(tmp_path / "books", seed=SEED, villages=11, years=[2022])
    parquet = write_journal_sample(tmp_path / "parquet", seed=SEED, villages=11, years=[2022])
    assert workbooks.defects.equals(parquet.defects)
    register = workbooks.truth.assign(county_code=workbooks.truth["village_code"].str[:6], aliases="")[
        ["county", "county_code", "township", "village", "village_code", "aliases"]
    ]
    from_books = read_journal(tmp_path / "books", register=register)
    from_parquet = read_journal(tmp_path / "parquet")
    assert_frame_equal(from_books.accounts, from_parquet.accounts)
    assert sum(f.suffix == ".csv" for f in workbooks.files) == 1  # one cash book is a GBK CSV
    assert len(from_books.breaks) == len(from_parquet.breaks)
    # Line n of a book is row n + 3 of its sheet; 余额 is column I of a workbook, G of the CSV.
    typos = workbooks.defects.loc[workbooks.defects["problem"].eq("balance_typo")]
    found = from_books.breaks.loc[from_books.breaks["problem"].eq("balance_typo")]
    in_csv = next(f for f in workbooks.files if f.suffix == ".csv").name.removesuffix("2022年现金日记账.csv")
    assert sorted(found["cell"]) == sorted(
        ("G" if (v, b) == (in_csv, "现金日记账") else "I") + str(line + 3)
        for v, b, line in typos[["village", "book", "line"]].itertuples(index=False)
    )


def test_sample_is_deterministic(tmp_path):
    first = write_journal_sample(tmp_path / "a", seed=7, villages=11, years=[2023])
    again = write_journal_sample(tmp_path / "b", seed=7, villages=11, years=[2023])
    other = write_journal_sample(tmp_path / "c", seed=8, villages=11, years=[2023])
    tables = [pq.read_table(s.files[0]) for s in (first, again, other)]
    assert tables[0].equals(tables[1]) and not tables[0].equals(tables[2])


def test_lines_out_and_written_tables(tmp_path, journal_sample, sample_journal):
    journal = read_journal(journal_sample.files[0], lines_out=tmp_path / "lines")
    written = pq.read_table(tmp_path / "lines" / journal_sample.files[0].name).to_pandas()
    assert len(written) == journal.rows_read == pq.ParquetFile(journal_sample.files[0]).metadata.num_rows
    paths = write_journal(sample_journal, tmp_path / "out")
    assert {p.name for p in paths} == {*JOURNAL_OUTPUTS, "journal_manifest.json"}
    manifest = json.loads((tmp_path / "out" / "journal_manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows_read"] == journal_sample.rows and manifest["breaks"] == len(sample_journal.breaks)
    breaks = pd.read_csv(tmp_path / "out" / "journal_breaks.csv", encoding="utf-8-sig")
    assert breaks["source"].tolist() == sample_journal.breaks["source"].tolist()
