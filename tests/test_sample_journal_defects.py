"""villagecon.sample.journal.defects: the journal's deliberate defects, each in a book of its own, where listed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.sample.journal.defects import (
    DEFECT_COLUMNS,
    DEFECTS,
    UNMAPPED_COUNTER,
    UNMAPPED_SUMMARY,
    locate_defects,
    plant_defects,
)
from villagecon.sample.journal.parquet_set import journal_partitions
from villagecon.sample.truth import sample_truth

VILLAGES = pd.DataFrame(
    {
        "township": ["濠头乡", "濠头乡"],
        "village": ["上河村", "石冲村"],
        "village_code": ["431026201201", "431026201202"],
    }
)


def books() -> pd.DataFrame:
    """Four books (two villages, cash and bank) of an opening row, six lines and a closing row, in fen."""
    rows = []
    for book_id in range(4):
        rows.append({"book_id": book_id, "kind": "opening", "item": None, "debit": 0, "credit": 0, "loan": False})
        for n in range(6):
            loan = n in (2, 4)
            debit = 0 if n == 3 else 150_000 + 1_000 * n
            credit = 123_456 if n == 3 else 0
            item = None if loan else ("admin_expense" if n == 3 else "subsidy_income")
            rows.append(
                {"book_id": book_id, "kind": "line", "item": item, "debit": debit, "credit": credit, "loan": loan}
            )
        rows.append({"book_id": book_id, "kind": "closing", "item": None, "debit": 0, "credit": 0, "loan": False})
    frame = pd.DataFrame(rows)
    frame["balance"] = 1_000_000 + (frame["debit"] - frame["credit"]).groupby(frame["book_id"]).cumsum()
    return frame.assign(
        month=frame.groupby("book_id").cumcount().clip(1, 12),
        counter_account="补助收入",
        summary="收上级补助资金",
        village=frame["book_id"] // 2,
    )


def fen(text) -> int:
    return 0 if text is None or pd.isna(text) else round(float(str(text).replace(",", "")) * 100)


def planted_with(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = books()
    return rows, plant_defects(rows, np.random.default_rng(seed))


def written(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as a book is written: lost lines dropped, lines numbered per book, names added."""
    kept = rows.loc[~rows["lost"]]
    return kept.assign(
        line=kept.groupby("book_id").cumcount() + 1,
        book_name=np.where(kept["book_id"] % 2 == 0, "现金日记账", "银行存款日记账"),
    )


@pytest.mark.parametrize("seed", range(12))
def test_each_defect_is_planted_in_a_book_of_its_own_as_listed(seed):
    rows, planted = planted_with(seed)
    assert planted["problem"].iloc[0] == "balance_typo" and set(planted["problem"]) <= set(DEFECTS)
    assert rows.loc[planted["index"], "book_id"].is_unique
    for defect in planted.itertuples(index=False):
        at = rows.loc[defect.index]
        assert at["kind"] == "line"
        if defect.problem == "balance_typo":
            off = round(float(defect.written) * 100) - at["balance"]
            assert off in (10_000, 90_000, 100_000) and at["written_balance"] == defect.written
        elif defect.problem == "missing_line":
            assert at["lost"] and at["item"] == defect.item and defect.amount_yuan == (at["debit"] + at["credit"]) / 100
        elif defect.problem == "unreadable_amount":
            text = at[f"written_{defect.field}"]
            assert " " in text and float(text.replace(" ", "")) == defect.amount_yuan >= 1_000
        else:
            assert at["loan"] and (at["counter_account"], at["summary"]) == (UNMAPPED_COUNTER, UNMAPPED_SUMMARY)
    assert rows["lost"].sum() == planted["problem"].eq("missing_line").sum()


def test_over_a_few_streams_every_kind_of_defect_is_planted():
    found = set().union(*(set(planted_with(seed)[1]["problem"]) for seed in range(12)))
    assert found == set(DEFECTS)


def test_a_lost_line_is_located_at_the_row_that_took_its_place():
    for seed in range(12):
        rows, planted = planted_with(seed)
        if planted["problem"].eq("missing_line").any():
            break
    kept = written(rows)
    located = locate_defects(planted, kept, VILLAGES)
    assert list(located.columns) == [c for c in DEFECT_COLUMNS if c not in ("county", "year")]
    lost = planted.loc[planted["problem"].eq("missing_line"), "index"].iloc[0]
    [line] = located.loc[located["problem"].eq("missing_line"), "line"]
    assert (
        line == kept.at[lost + 1, "line"] == books().loc[: lost - 1, "book_id"].eq(rows.at[lost, "book_id"]).sum() + 1
    )
    for defect in located.itertuples(index=False):
        village = rows.loc[planted.loc[planted["problem"].eq(defect.problem), "index"].iloc[0], "village"]
        assert (defect.village, defect.village_code) == tuple(VILLAGES.loc[village, ["village", "village_code"]])


def test_no_defect_gives_an_empty_table_with_its_columns():
    empty = books().iloc[:0].copy()
    planted = plant_defects(empty, np.random.default_rng(0))
    assert planted.empty
    located = locate_defects(planted, written(empty), VILLAGES)
    assert located.empty and list(located.columns) == [c for c in DEFECT_COLUMNS if c not in ("county", "year")]


def test_the_partitions_list_the_defects_where_their_books_show_them():
    truth = sample_truth(villages=11, years=[2022])
    for county, year, table, defects in journal_partitions(truth, lines_per_village_year=40):
        frame = table.to_pandas().set_index(["village", "book", "line"])
        for defect in defects.itertuples(index=False):
            assert (defect.county, defect.year) == (county, year)
            row = frame.loc[(defect.village, defect.book, defect.line)]
            if defect.problem == "unmapped":
                assert row["counter_account"] == UNMAPPED_COUNTER
            elif defect.problem in ("balance_typo", "unreadable_amount"):
                assert row[defect.field] == defect.written
            else:  # the balance breaks at the row after the lost line, by the lost amount
                before = frame.loc[(defect.village, defect.book, defect.line - 1)]
                flow = fen(row["debit"]) - fen(row["credit"])
                gap = fen(before["balance"]) + flow - fen(row["balance"])
                assert abs(gap) == round(defect.amount_yuan * 100)
