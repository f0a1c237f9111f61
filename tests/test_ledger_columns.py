"""Rows as numbers (ledger_columns.row_codes, rows_in): the (source, cell) and (village, year, item) rows the ledger
compares, written as a ledger gives them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.ingest.ledger_columns import in_sheet_order, row_codes, rows_in, text_in


def test_equal_rows_get_one_number_in_order_of_first_appearance():
    places = pd.DataFrame(
        {
            "village_key": ["上河村", "下河村", "上河村", None, "上河村", None],
            "year": pd.array([2022, 2022, 2022, 2023, 2023, 2023], dtype="Int64"),
            "item": ["operating_income", "operating_income", "operating_income", "subsidy", "subsidy", "subsidy"],
        }
    )
    assert row_codes(places).tolist() == [0, 1, 0, 2, 3, 2]


def test_row_codes_number_the_groups_as_an_ngroup_of_every_column_does():
    cells = pd.DataFrame(
        {
            "item": ["subsidy", "subsidy", None, "investment_income", None, "subsidy"],
            "detail": pd.Series([None, "上级补助", None, None, np.nan, None], dtype=object),
            "year": pd.array([2021, 2021, 2021, None, 2021, 2021], dtype="Int64"),
        }
    )
    grouped = cells.groupby(["item", "detail", "year"], dropna=False, sort=False).ngroup()
    assert row_codes(cells).tolist() == grouped.tolist() == [0, 1, 2, 3, 2, 0]


def test_no_rows_no_numbers():
    assert row_codes(pd.DataFrame({"source": pd.Series([], dtype="str")})).tolist() == []


def test_rows_in_finds_a_cell_by_its_source_and_cell_together():
    cells = pd.DataFrame(
        {
            "source": ["上河村.xlsx!2022!5", "上河村.xlsx!2022!5", "上河村.xlsx!2022!6", "下河村.xlsx!Sheet1!5"],
            "cell": ["C5", "D5", "C6", "C5"],
        }
    )
    placed = pd.DataFrame({"source": ["上河村.xlsx!2022!5", "下河村.xlsx!Sheet1!5"], "cell": ["D5", "C5"]})
    assert rows_in(cells, placed).tolist() == [False, True, False, True]
    # The same source and the same cell, but not in one row: not found.
    crossed = pd.DataFrame({"source": ["上河村.xlsx!2022!6"], "cell": ["C5"]})
    assert rows_in(cells, crossed).tolist() == [False, False, False, False]


def test_rows_in_takes_missing_values_as_equal_and_the_columns_by_name():
    figures = pd.DataFrame(
        {"village_key": [None, "上河村", "上河村"], "year": pd.array([2022, 2022, None], dtype="Int64")}
    )
    given = pd.DataFrame({"year": pd.array([2022, None], dtype="Int64"), "village_key": pd.Series([None, "上河村"])})
    assert rows_in(figures, given).tolist() == [True, False, True]
    assert rows_in(figures, given.iloc[:0]).tolist() == [False, False, False]


def test_row_codes_of_chosen_rows_number_them_as_taken():
    cells = pd.DataFrame(
        {
            "file": ["a.xlsx", "a.xlsx", "b.xlsx", "a.xlsx", "b.xlsx"],
            "item": ["subsidy", "subsidy", "subsidy", "investment_income", "subsidy"],
        }
    )
    # Most rows (numbered whole, then chosen) and a few (taken first) give the same numbers as a take.
    for rows in (np.array([4, 3, 0, 1]), np.array([4, 2])):
        assert row_codes(cells, rows).tolist() == row_codes(cells.take(rows)).tolist()
    assert row_codes(cells, np.array([4, 3, 0, 1])).tolist() == [0, 1, 2, 2]
    assert row_codes(cells[["item"]], np.array([3, 0, 2])).tolist() == [0, 1, 1]


def test_text_in_looks_sources_up_as_isin_does():
    sources = pd.Series(["上河村.xlsx!2022!5", "上河村.xlsx!2022!6", None, "下河村.csv!!3"], dtype="str")
    among = pd.Series(["下河村.csv!!3", "上河村.xlsx!2022!5", None], dtype="str")
    assert text_in(sources, among).tolist() == [True, False, True, True]
    assert text_in(sources, among).tolist() == sources.isin(among).tolist()
    # Not text: pandas' isin.
    assert text_in(pd.Series([2022, 2023]), pd.Series([2023])).tolist() == [False, True]


def test_in_sheet_order_orders_positions_by_file_sheet_row_and_column_stably():
    # Cells as two workbooks' sheets give them, not in order: B3 of the second file, then A5 and B5 of the first's
    # second sheet, C2 of its first sheet, and a cell written twice (the same place, kept in the order given).
    cells = pd.DataFrame(
        {
            "file_order": [1, 0, 0, 0, 0, 0],
            "sheet_order": [0, 1, 1, 0, 0, 1],
            "row": [3, 5, 5, 2, 2, 5],
            "col": [1, 1, 0, 2, 2, 0],
        },
        index=[10, 11, 12, 13, 14, 15],  # positions, not labels, are ordered
    )
    assert in_sheet_order(cells, np.array([0, 1, 2, 3, 4, 5])).tolist() == [3, 4, 2, 5, 1, 0]
    assert in_sheet_order(cells, np.array([5, 0, 2])).tolist() == [5, 2, 0]
    assert in_sheet_order(cells, np.array([], dtype=np.intp)).tolist() == []
