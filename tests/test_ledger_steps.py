"""The ledger's steps after the table reader, each on entries built by hand: accounts (ledger_accounts), repeats
and conflicts (ledger_repeats), reject rows (ledger_columns) and file names (ledger_reading)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.ingest.ledger_accounts import annual_figures, to_accounts
from villagecon.ingest.ledger_columns import REJECT_COLUMNS, as_rejects, yuan_text
from villagecon.ingest.ledger_reading import file_name
from villagecon.ingest.ledger_repeats import resolve_repeat_rows, resolve_repeats

CODE = "431026100201"


def entry(item, amount, *, row=1, file="a.xlsx", line=False, detail=None, year=2022, precedence=None):
    return {
        "county": "汝城县",
        "township": "濠头乡",
        "village": "上河村",
        "village_code": CODE,
        "village_key": CODE,
        "year": year,
        "item": item,
        "detail": detail,
        "amount_yuan": amount,
        "approx": False,
        "kind": "annual",
        "line": line,
        "file": file,
        "sheet": "收益分配表",
        "table": 0,
        "row": row,
        "col": 2,
        "file_order": 0 if file == "a.xlsx" else 1,
        "sheet_order": 0,
        "precedence": precedence,
        "source": f"{file}!收益分配表!{row}",
        "cell": f"C{row}",
        "column": "本年数",
        "value": amount,
        "problem": None,
        "reason": None,
    }


INCOME = [("operating_income", 50_000.0), ("contract_income", 30_000.0), ("investment_income", 0.0)]
INCOME += [("subsidy_income", 100_000.0), ("other_income", 5_000.0)]


def test_totals_not_written_come_from_their_parts():
    accounts = to_accounts(pd.DataFrame([entry(item, amount) for item, amount in INCOME]))
    row = accounts.iloc[0]
    assert row["total_income"] == 185_000.0
    assert row["operational_income"] == 80_000.0  # operating + contract + investment, no subsidies
    assert np.isnan(row["total_expense"]) and np.isnan(row["net_income"])  # no expense written: unknown, not 0
    assert row["written_totals"] == ""


def test_a_doubtful_part_leaves_its_total_missing_rather_than_understated():
    doubtful = pd.DataFrame({"village_key": [CODE], "year": [2022], "item": ["other_income"], "line": [False]})
    accounts = to_accounts(pd.DataFrame([entry(item, amount) for item, amount in INCOME[:-1]]), doubtful=doubtful)
    assert np.isnan(accounts.loc[0, "total_income"])
    assert accounts.loc[0, "operational_income"] == 80_000.0


def test_the_lines_of_a_ledger_add_up_to_the_years_figure():
    lines = [entry("operating_income", amount, row=row, line=True) for row, amount in ((5, 1_200.5), (6, 800.25))]
    figures = annual_figures(pd.DataFrame(lines))
    assert figures[["item", "amount_yuan"]].values.tolist() == [["operating_income", 2_000.75]]


def test_an_equal_figure_from_a_second_file_is_a_duplicate_and_a_different_one_a_conflict():
    entries = pd.DataFrame(
        [
            entry("operating_income", 50_000.0, file="a.xlsx", row=3),
            entry("operating_income", 50_000.0, file="b.xlsx", row=4),
            entry("subsidy_income", 100_000.0, file="a.xlsx", row=5),
            entry("subsidy_income", 90_000.0, file="b.xlsx", row=6),
        ]
    )
    kept, duplicates, rejects = resolve_repeats(entries)
    assert kept["source"].tolist() == ["a.xlsx!收益分配表!3"]
    assert duplicates.values.tolist() == [["b.xlsx!收益分配表!4", "C4", "a.xlsx!收益分配表!3 C3"]]
    assert rejects["source"].tolist() == ["a.xlsx!收益分配表!5", "b.xlsx!收益分配表!6"]
    assert rejects["problem"].tolist() == ["conflict", "conflict"]
    assert rejects["reason"].iloc[0] == (
        "补助收入 2022 of 上河村 differs between sources: b.xlsx!收益分配表!6 C6 = 90,000.00 元. "
        "Nothing was kept: correct the wrong file"
    )


def test_resolve_repeat_rows_gives_the_positions_kept_among_all_the_cells():
    cells = pd.DataFrame(
        [
            entry("subsidy_income", 90_000.0, file="b.xlsx", row=6),
            entry("operating_income", 50_000.0, file="b.xlsx", row=4),
            entry("other_income", 7_000.0, file="b.xlsx", row=9),  # not among the rows looked at
            entry("operating_income", 50_000.0, file="a.xlsx", row=3),
            entry("contract_income", 30_000.0, file="a.xlsx", row=7),
        ]
    )
    kept, duplicates, rejects = resolve_repeat_rows(cells, np.array([0, 1, 3, 4]))
    # In the order of the sheets: a.xlsx's rows 3 and 7, then b.xlsx's row 6; row 4 of b.xlsx repeats row 3.
    assert kept.tolist() == [3, 4, 0]
    assert duplicates.values.tolist() == [["b.xlsx!收益分配表!4", "C4", "a.xlsx!收益分配表!3 C3"]]
    assert rejects.empty
    whole, _, _ = resolve_repeats(cells.take([0, 1, 3, 4]))
    assert whole["source"].tolist() == cells.take(kept)["source"].tolist()


def test_the_lines_of_a_figure_give_their_first_written_place_and_add_up():
    lines = [
        entry("operating_income", 1_200.5, row=5, line=True, file="b.xlsx"),
        entry("operating_income", 800.25, row=6, line=True, file="b.xlsx"),
        entry("operating_income", 2_000.0, row=3, file="a.xlsx"),
    ]
    kept, duplicates, rejects = resolve_repeats(pd.DataFrame(lines))
    assert kept.empty and duplicates.empty
    assert rejects["source"].tolist() == ["a.xlsx!收益分配表!3", "b.xlsx!收益分配表!5", "b.xlsx!收益分配表!6"]
    assert rejects["reason"].iloc[0] == (
        "经营收入 2022 of 上河村 differs between sources: b.xlsx!收益分配表!5 C5 and 1 more line = 2,000.75 元. "
        "Nothing was kept: correct the wrong file"
    )


def test_a_prior_years_figure_equal_to_the_years_own_is_a_duplicate():
    entries = pd.DataFrame(
        [
            entry("assets", 300_000.0, file="a.xlsx", row=3, year=2021),
            entry("assets", 300_000.0, file="b.xlsx", row=3, year=2021, precedence="prior"),
        ]
    )
    kept, duplicates, rejects = resolve_repeats(entries)
    assert kept["file"].tolist() == ["a.xlsx"]
    assert duplicates["source"].tolist() == ["b.xlsx!收益分配表!3"]
    assert rejects.empty


def test_reject_rows_write_the_value_as_text():
    cells = pd.DataFrame([entry("operating_income", 1234.5000000000002)]).assign(problem="amount", reason="why")
    rejects = as_rejects(cells)
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    assert rejects.values.tolist() == [["a.xlsx!收益分配表!1", "C1", "本年数", "1234.5", "amount", "why"]]
    assert list(as_rejects(cells.iloc[:0]).columns) == list(REJECT_COLUMNS)
    assert yuan_text(-42_000.456) == "-42,000.46 元"


def test_a_control_character_in_a_file_name_is_written_escaped():
    assert file_name("2022年\n台账.xlsx") == "2022年\\n台账.xlsx"
    assert file_name("台账.xlsx") == "台账.xlsx"
