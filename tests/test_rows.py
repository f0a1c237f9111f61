"""Helpers of villagecon.ingest.rows that read a table's columns once per distinct value."""

import datetime

import numpy as np

from villagecon.ingest.rows import _distinct_cells


def test_a_year_column_is_coded_as_a_dict_would_code_it_short_or_long():
    # 2022 stored as a number and as a whole float are one year; "2022年" and a date are others; empty is NaN.
    cells = [2022, 2022.0, "2022年", datetime.date(2022, 12, 31), np.nan, 2023]
    for repeat in (1, 1000):  # 6 cells, then 6,000 (a long column, coded by pandas)
        values = np.array(cells * repeat, dtype=object)
        codes, firsts = _distinct_cells(values)
        decoded = [firsts[c] for c in codes[:6]]
        assert decoded[:4] == [2022, 2022, "2022年", datetime.date(2022, 12, 31)]
        assert type(decoded[1]) is int  # the first of the two, as a dict keeps it
        assert np.isnan(decoded[4]) and decoded[5] == 2023
        assert len(firsts) == 5
