"""The pandera schemas of the canonical tables catch a malformed table and say where."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon import read_ledger, schemas
from villagecon.errors import VillageconError

import ledger_files as lf


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    return read_ledger(lf.long_xlsx(tmp_path_factory.mktemp("ledger"))).entries


def test_clean_entries_pass(entries):
    assert len(schemas.validate_entries(entries)) == len(entries)


@pytest.mark.parametrize(
    ("column", "bad"),
    [("cell", "a1"), ("source", "台账.xlsx!Sheet1"), ("village_code", "43102610000X"), ("year", 1800)],
)
def test_a_malformed_value_is_reported_with_its_column_and_value(entries, column, bad):
    broken = entries.copy()
    broken.loc[broken.index[0], column] = bad
    with pytest.raises(VillageconError, match="breaks its schema") as raised:
        schemas.validate_entries(broken)
    assert column in str(raised.value) and str(bad) in str(raised.value)


def test_the_column_lists_come_from_the_schemas():
    from villagecon import journal
    from villagecon.analysis import tenure
    from villagecon.ingest import ledger, roster

    assert ledger.REJECT_COLUMNS is roster.REJECT_COLUMNS is journal.REJECT_COLUMNS is schemas.REJECT_COLUMNS
    assert schemas.REJECT_COLUMNS == ("source", "cell", "column", "value", "problem", "reason")
    assert ledger.ENTRY_COLUMNS == schemas.ENTRY_COLUMNS and ledger.SKIPPED_COLUMNS == schemas.SKIPPED_COLUMNS
    assert roster.ROSTER_COLUMNS == schemas.ROSTER_COLUMNS and tenure.TENURE_COLUMNS == schemas.TENURE_COLUMNS
    # The journal's entries are sums of lines, not the ledger's entries: their own list.
    assert (
        *schemas.VILLAGE_YEAR_COLUMNS,
        "item",
        "detail",
        "amount_yuan",
        "approx",
        "lines",
    ) == journal.ITEM_TOTAL_COLUMNS
    assert schemas.ACCOUNT_COLUMNS[:5] == schemas.VILLAGE_YEAR_COLUMNS
    assert schemas.ACCOUNT_COLUMNS[-4:] == ("operational_income", "operating_profit", "approx", "written_totals")


def test_the_cleaners_tables_pass_their_schemas(tmp_path):
    ledger = read_ledger(lf.long_xlsx(tmp_path))
    assert tuple(ledger.entries.columns) == schemas.ENTRY_COLUMNS
    assert tuple(ledger.accounts.columns) == schemas.ACCOUNT_COLUMNS
    assert tuple(ledger.rejects.columns) == schemas.REJECT_COLUMNS
    assert tuple(ledger.skipped.columns) == schemas.SKIPPED_COLUMNS


def _failure(validate, table) -> str:
    with pytest.raises(VillageconError, match="breaks its schema") as raised:
        validate(table)
    return str(raised.value)


def test_a_reject_without_its_problem_is_refused():
    rejects = pd.DataFrame(
        {
            "source": ["台账.xlsx!2022年!5"],
            "cell": ["C5"],
            "column": ["经营收入"],
            "value": ["12.3%"],
            "problem": [None],
            "reason": ["not an amount"],
        }
    )
    assert schemas.validate_rejects(rejects.assign(problem="amount")) is not None
    message = _failure(schemas.validate_rejects, rejects)
    assert "the rejects table breaks its schema (a villagecon bug; please report it with the input files)" in message
    assert "- column 'problem': not_nullable" in message


def test_skipped_sheets_with_an_unknown_status_are_refused():
    skipped = pd.DataFrame(
        {"file": ["a.xlsx"], "sheet": ["说明"], "status": ["lost"], "reason": ["?"], "advice": [None]}
    )
    message = _failure(schemas.validate_skipped, skipped)
    assert "the skipped sheets table" in message and "- column 'status': isin" in message and "'lost'" in message


def _spells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "county": ["汝城县"],
            "township": ["濠头乡"],
            "village": ["上河村"],
            "village_code": ["431026201205"],
            "name": ["李明"],
            "role": ["书记"],
            "start": pd.to_datetime(["2017-04-01"]),
            "end": pd.to_datetime([None]),
            "background": ["退役军人"],
            "background_written": ["退役军人"],
            "term": [None],
            "began_before": [False],
            "roles": [None],
            "mentor": [None],
            "training_days": [5.0],
            "honours": [None],
            "source": ["花名册.xlsx!Sheet1!4"],
        }
    )


def test_a_roster_with_a_role_no_roster_has_or_a_missing_column_is_refused():
    assert len(schemas.validate_roster(_spells())) == 1
    message = _failure(schemas.validate_roster, _spells().assign(role="主任"))
    assert "the roster table" in message and "- column 'role': isin" in message and "'主任'" in message
    message = _failure(schemas.validate_roster, _spells().drop(columns="source"))
    assert "- missing column(s): 'source'" in message


def test_read_roster_and_tenure_hand_over_checked_tables(tmp_path):
    from villagecon.analysis.tenure import tenure
    from villagecon.ingest.roster import read_roster

    path = lf.workbook(
        tmp_path,
        "花名册.xlsx",
        [
            ["序号", "乡镇（街道）", "村（社区）", "姓名", "任现职时间", "是否\u201c一肩挑\u201d", "来源"],
            [1, "濠头乡", "上河村", "李明", "2017.04", "否", "退役军人"],
        ],
    )
    spells = read_roster(path)
    assert tuple(spells.columns) == schemas.ROSTER_COLUMNS
    accounts = pd.DataFrame({"village": ["上河村", "上河村"], "year": [2016, 2022]})
    panel = tenure(accounts, spells)
    assert panel["tenure_years"].tolist() == [pd.NA, 5]
    assert tuple(panel.columns) == ("village", "year", *schemas.TENURE_COLUMNS)
    message = _failure(schemas.validate_tenure, panel.assign(tenure_years=pd.array([None, -1], dtype="Int64")))
    assert "the tenure table" in message and "- column 'tenure_years': greater_than_or_equal_to(0)" in message


def test_journal_lines_of_the_wrong_type_are_refused():
    from villagecon.journal import empty_lines

    lines = empty_lines()
    assert tuple(lines.columns) == schemas.JOURNAL_LINE_COLUMNS
    message = _failure(schemas.validate_journal_lines, lines.assign(debit_yuan=lines["debit_yuan"].astype("str")))
    assert "the journal lines table" in message and "- column 'debit_yuan': dtype('float64')" in message
