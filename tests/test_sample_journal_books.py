"""villagecon.sample.journal.books: one partition's lines ordered into books with their repeated rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.journal import BANK_BOOK, CASH_BOOK, PARQUET_COLUMNS
from villagecon.sample.journal.books import (
    COUNTER_SPELLINGS,
    LOANS_PAID,
    LOANS_RECEIVED,
    PAGE_LINES,
    REPEATED_SUMMARIES,
    SUMMARIES,
    TRANSFERS,
    partition,
)
from villagecon.sample.truth import sample_truth
from villagecon.vocab.items import ACCOUNT_CODES

REPEATED = set(REPEATED_SUMMARIES.values())
ITEM_OF_SUMMARY = {summary: item for item, summaries in SUMMARIES.items() for summary in summaries}


@pytest.fixture(scope="module")
def truth():
    return sample_truth(villages=40, years=[2022, 2024])


def villages_of(truth, county="桂阳县", year=2022):
    return truth.loc[truth["county"].eq(county) & truth["year"].eq(year)]


def fen(text) -> int:
    return 0 if text is None or pd.isna(text) else round(float(str(text).replace(",", "")) * 100)


@pytest.fixture(scope="module")
def books(truth):
    """桂阳县 2022 without defects: its rows, amounts in fen."""
    table, planted = partition(villages_of(truth), year=2022, rng=np.random.default_rng(1), lines=120, defects=False)
    assert planted.empty and table.column_names == list(PARQUET_COLUMNS)
    frame = table.to_pandas()
    return frame.assign(**{f"{c}_fen": frame[c].map(fen) for c in ("debit", "credit", "balance")})


def test_every_book_opens_carries_on_and_closes(books, truth):
    assert set(books["village_code"]) == set(villages_of(truth)["village_code"])
    for (_, book), rows in books.groupby(["village_code", "book"]):
        assert book in (CASH_BOOK, BANK_BOOK)
        assert rows["line"].tolist() == list(range(1, len(rows) + 1))
        first, last = rows.iloc[0], rows.iloc[-1]
        assert (first["summary"], first["month"], first["day"]) == ("上年结转", 1, 1)
        assert (last["summary"], last["month"], last["day"]) == ("结转下年", 12, 31)
        assert last["balance_fen"] == rows.iloc[-2]["balance_fen"]


def test_balances_follow_the_lines_and_never_go_below_zero(books):
    for _, rows in books.groupby(["village_code", "book"]):
        lines = rows.loc[~rows["summary"].isin(REPEATED)]
        before = rows["balance_fen"].shift().loc[lines.index]
        assert (before + lines["debit_fen"] - lines["credit_fen"]).eq(lines["balance_fen"]).all()
        assert rows["balance_fen"].ge(0).all()


def test_month_totals_year_totals_and_page_carries_add_up(books):
    for _, rows in books.groupby(["village_code", "book"]):
        lines = rows.loc[~rows["summary"].isin(REPEATED)]
        for month, of_month in lines.groupby("month"):
            [total] = rows.loc[rows["summary"].eq("本月合计") & rows["month"].eq(month)].itertuples()
            [so_far] = rows.loc[rows["summary"].eq("本年累计") & rows["month"].eq(month)].itertuples()
            assert (total.debit_fen, total.credit_fen) == (of_month["debit_fen"].sum(), of_month["credit_fen"].sum())
            up_to = lines.loc[lines["month"].le(month)]
            assert (so_far.debit_fen, so_far.credit_fen) == (up_to["debit_fen"].sum(), up_to["credit_fen"].sum())
        for at in rows.index[rows["summary"].eq("过次页")]:  # after every PAGE_LINES lines but at a month's end
            assert rows.at[at + 1, "summary"] == "承前页"
            before = lines.loc[:at]
            assert len(before) % PAGE_LINES == 0
            month = before.loc[before["month"].eq(before["month"].iloc[-1])]
            for row in (at, at + 1):  # the month so far, carried to the next page
                assert (rows.at[row, "debit_fen"], rows.at[row, "credit_fen"]) == (
                    month["debit_fen"].sum(),
                    month["credit_fen"].sum(),
                )
    assert books["summary"].eq("过次页").sum() > 0


def test_the_lines_booked_to_an_item_add_up_to_the_truth_to_the_fen(books, truth):
    booked = books.loc[books["summary"].isin(ITEM_OF_SUMMARY)].assign(item=lambda f: f["summary"].map(ITEM_OF_SUMMARY))
    sums = booked.groupby(["village_code", "item"])[["debit_fen", "credit_fen"]].sum().sum(axis=1)
    for row in villages_of(truth).itertuples(index=False):
        for item in SUMMARIES:
            yuan = getattr(row, item)
            expected = 0 if pd.isna(yuan) else round(yuan * 100)
            assert sums.get((row.village_code, item), 0) == expected, (row.village, item)


def test_counter_accounts_are_as_offices_write_them(books):
    lines = books.loc[~books["summary"].isin(REPEATED)]
    spellings = {s for words in COUNTER_SPELLINGS.values() for s in words}
    others = {c for _, c in LOANS_RECEIVED + LOANS_PAID} | {"银行存款", "库存现金"}
    assert set(lines["counter_account"].dropna()) <= spellings | others
    assert 0.01 < lines["counter_account"].isna().mean() < 0.12  # some left blank: the 摘要 tells
    assert any(c[:3].isdigit() for c in lines["counter_account"].dropna())  # 2004 codes before 2024
    assert lines["voucher"].str.fullmatch(r"[现银][收付]\d+").all()


def test_a_transfer_is_a_line_in_both_books_on_the_same_day(books):
    withdrawals = {name: rows for name, rows in books.groupby("book")}
    bank = withdrawals[BANK_BOOK].loc[lambda f: f["summary"].eq(TRANSFERS["withdraw"]["bank"][0])]
    cash = withdrawals[CASH_BOOK].loc[lambda f: f["summary"].eq(TRANSFERS["withdraw"]["cash"][0])]
    key = ["village_code", "month", "day"]
    assert sorted(map(tuple, bank[[*key, "credit_fen"]].to_numpy().tolist())) == sorted(
        map(tuple, cash[[*key, "debit_fen"]].to_numpy().tolist())
    )
    assert len(bank) > 0


def test_a_partition_of_the_2024_system_books_its_items_without_old_codes(truth):
    table, _ = partition(
        villages_of(truth, year=2024), year=2024, rng=np.random.default_rng(1), lines=60, defects=False
    )
    frame = table.to_pandas()
    counters = frame["counter_account"].dropna()
    assert not any(c[:1].isdigit() for c in counters)
    assert "发包及上交收入" not in set(counters) and "收鱼塘承包费" not in set(frame["summary"])


def test_the_same_stream_gives_the_same_books(truth):
    def table(seed):
        return partition(villages_of(truth), year=2022, rng=np.random.default_rng(seed), lines=40, defects=True)

    (one, one_defects), (again, again_defects) = table(3), table(3)
    assert one.equals(again) and one_defects.equals(again_defects)
    assert not one.equals(table(4)[0])


def test_a_counter_account_written_with_its_code_has_the_2004_systems_code():
    # 561投资收益 and 541管理费用, as the 2004 chart numbers them (541投资收益 and 550管理费用 were written once).
    coded = {
        spelling: item
        for item, spellings in COUNTER_SPELLINGS.items()
        for spelling in spellings
        if spelling[:3].isdigit()
    }
    assert len(coded) == 8
    assert {spelling: ACCOUNT_CODES[spelling[:3]] for spelling in coded} == coded
