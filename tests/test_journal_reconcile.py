"""villagecon.journal.reconcile: journal accounts against annual statements, village-year by village-year."""

from __future__ import annotations

import pandas as pd
from journal_books import JANUARY, book, journal_of

from villagecon.journal.reconcile import reconcile_accounts


def _statement(accounts: pd.DataFrame, **changes) -> pd.DataFrame:
    """``accounts`` with its place and amounts changed, as a statement of another village would be."""
    return accounts.assign(**changes)


JOURNAL_ITEMS = {
    "contract_income": 500.0,
    "subsidy_income": 800.0,
    "total_income": 1300.0,
    "admin_expense": 200.0,
    "total_expense": 200.0,
    "net_income": 1100.0,
}


ELSEWHERE = {
    "county": "宜章县",
    "township": "梅田镇",
    "contract_income": 9000.0,
    "total_income": 9800.0,
    "net_income": 9600.0,
}


def test_reconciliation_without_codes_matches_the_village_of_the_same_county():
    journal, _ = journal_of(book(JANUARY, village_code=None))
    accounts = journal.accounts.assign(approx=False)
    statements = pd.concat([_statement(accounts, **ELSEWHERE), accounts], ignore_index=True)
    table = reconcile_accounts(journal.accounts, statements)
    places = table[["county", "township", "village"]].drop_duplicates()
    assert places.values.tolist() == [["汝城县", "濠头乡", "上河村"]]
    assert dict(zip(table["item"], table["statement_yuan"], strict=True)) == JOURNAL_ITEMS
    assert dict(zip(table["item"], table["journal_yuan"], strict=True)) == JOURNAL_ITEMS
    assert set(table["status"]) == {"ok"} and table["reason"].isna().all()


def test_reconciliation_of_a_name_in_two_counties_without_a_place_is_ambiguous():
    journal, _ = journal_of(book(JANUARY, village_code=None, county=None, township=None))
    named = journal.accounts.assign(approx=False, county="汝城县", township="濠头乡")
    statements = pd.concat([named, _statement(named, **ELSEWHERE)], ignore_index=True)
    table = reconcile_accounts(journal.accounts, statements)
    assert set(table["status"]) == {"ambiguous"}
    assert dict(zip(table["item"], table["journal_yuan"], strict=True)) == JOURNAL_ITEMS
    assert table["statement_yuan"].isna().all() and table["difference"].isna().all()
    assert table["reason"].iloc[0] == (
        "上河村 2022 in the journal could be any of 2 villages in the statements "
        "(宜章县梅田镇上河村, 汝城县濠头乡上河村), so it is compared with none. Clean the journals with the village "
        "register (--register) so that both sides have village codes, or write the county and township in each "
        "journal's title"
    )


def test_reconciliation_of_two_journal_villages_for_one_statement_village_is_ambiguous():
    here, _ = journal_of(book(JANUARY, village_code=None))
    there, _ = journal_of(book(JANUARY, village_code=None, county="宜章县", township="梅田镇", file="宜章.xlsx"))
    journals = pd.concat([here.accounts, there.accounts], ignore_index=True)
    statements = here.accounts.assign(approx=False, county=None, township=None)
    table = reconcile_accounts(journals, statements)
    assert set(table["status"]) == {"ambiguous"}
    places = table[["county", "village"]].drop_duplicates()
    assert places.values.tolist() == [["宜章县", "上河村"], ["汝城县", "上河村"]]
    assert table["reason"].drop_duplicates().str.split(", so").str[0].tolist() == [
        "宜章县梅田镇上河村 2022 in the journal could be the statements' 上河村, "
        "but so could the journal's 汝城县濠头乡上河村",
        "汝城县濠头乡上河村 2022 in the journal could be the statements' 上河村, "
        "but so could the journal's 宜章县梅田镇上河村",
    ]


def test_reconciliation_never_matches_two_different_codes_by_name():
    journal, _ = journal_of(book(JANUARY))
    statements = journal.accounts.assign(approx=False, village_code="431026201299")
    assert reconcile_accounts(journal.accounts, statements).empty


def test_a_statement_that_differs_by_more_than_a_yuan_is_a_mismatch():
    journal, _ = journal_of(book(JANUARY))
    statements = journal.accounts.assign(approx=False, contract_income=502.0, total_income=1300.5)
    table = reconcile_accounts(journal.accounts, statements).set_index("item")
    assert table.loc["contract_income", ["difference", "status"]].tolist() == [2.0, "mismatch"]
    assert table.loc["total_income", ["difference", "status"]].tolist() == [0.5, "ok"]
