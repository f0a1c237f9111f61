"""A sheet as stored and the A1 names of its cells (ingest/raw_sheet.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.ingest.raw_sheet import RawSheet, cell_ref, column_index, source_of


@pytest.mark.parametrize(
    ("row", "col", "ref"), [(7, 2, "C7"), (1, 0, "A1"), (3, 25, "Z3"), (3, 26, "AA3"), (None, 701, "ZZ")]
)
def test_cell_ref_and_column_index_are_inverse(row, col, ref):
    assert cell_ref(row, col) == ref
    assert column_index(ref.rstrip("0123456789")) == col
    assert column_index(ref.rstrip("0123456789").lower()) == col


def test_a_sheet_names_where_a_cell_is():
    sheet = RawSheet(file="台账.xlsx", sheet="2022年", grid=pd.DataFrame())
    where = sheet.where(7, 2)
    assert (where.file, where.sheet, where.row, where.cell) == ("台账.xlsx", "2022年", 7, "C7")
    assert RawSheet(file="a.csv", sheet="", grid=pd.DataFrame()).where(2).sheet is None
    assert source_of("台账.xlsx", "2022年", 7) == "台账.xlsx!2022年!7"
