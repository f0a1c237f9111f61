"""The reader's tables as columns of arrays, made one DataFrame at the end (villagecon.ingest.columnar)."""

import numpy as np
import pandas as pd

from villagecon.ingest.columnar import column_count, concat_columns, joined_text, no_columns, stamped_frame


def piece(rows, villages):
    return {"row": np.array(rows, dtype=np.int64), "village": np.array(villages, dtype=object)}


def test_concat_columns_puts_pieces_under_each_other_and_skips_empty_ones():
    joined = concat_columns(
        [piece([5, 6], ["上河村", None]), no_columns(["row", "village"]), piece([9], ["下河村"])], ["row", "village"]
    )
    assert joined["row"].tolist() == [5, 6, 9]
    assert joined["village"].tolist() == ["上河村", None, "下河村"]
    assert column_count(joined) == 3


def test_concat_columns_of_nothing_is_empty_with_every_name():
    joined = concat_columns([], ["row", "village"])
    assert list(joined) == ["row", "village"] and column_count(joined) == 0


def test_stamped_frame_gives_each_row_its_pieces_file_and_sheet():
    frame = stamped_frame(
        [
            (piece([5, 6], ["上河村", "下河村"]), {"file": "a.xlsx", "sheet": "2022"}),
            (piece([3], ["东村"]), {"file": "b.xls", "sheet": "S"}),
        ],
        ["row", "village", "file", "sheet"],
    )
    assert frame.to_dict("records") == [
        {"row": 5, "village": "上河村", "file": "a.xlsx", "sheet": "2022"},
        {"row": 6, "village": "下河村", "file": "a.xlsx", "sheet": "2022"},
        {"row": 3, "village": "东村", "file": "b.xls", "sheet": "S"},
    ]
    assert frame["row"].dtype == np.int64


def test_stamped_frame_infers_a_columns_dtype_from_all_pieces_not_the_first():
    # The first sheet names no village: the column is still text, its missing value NaN.
    frame = stamped_frame(
        [(piece([1], [None]), {"sheet": "A"}), (piece([2], ["东村"]), {"sheet": "B"})], ["row", "village", "sheet"]
    )
    assert frame["village"].dtype == "str"
    assert frame["village"].isna().tolist() == [True, False]


def test_stamped_frame_keeps_a_dtype_it_is_given():
    frame = stamped_frame([(piece([1, 2], [None, "东村"]), {})], ["row", "village"], dtypes={"village": object})
    assert frame["village"].dtype == object
    assert frame["village"].tolist() == [None, "东村"]


def test_stamped_frame_of_no_rows_has_the_columns():
    frame = stamped_frame([(no_columns(["row", "village"]), {"file": "a.xlsx"})], ["row", "village", "file"])
    assert list(frame.columns) == ["row", "village", "file"] and frame.empty


def test_joined_text_writes_a_source_as_file_sheet_and_row():
    files = pd.Series(["上河村.xlsx", "上河村.xlsx", "下河村.csv"], dtype="str")
    sheets = pd.Series(["2022年", "收支明细", None], dtype="str")
    rows = pd.Series([5, 12, 3], dtype="int64")
    sources = joined_text([files, sheets, rows], "!")
    assert sources.tolist()[:2] == ["上河村.xlsx!2022年!5", "上河村.xlsx!收支明细!12"]
    assert pd.isna(sources.iloc[2])  # a missing part, as "+" gives it
    assert sources.dtype == "str"
    assert sources.equals(files + "!" + sheets + "!" + rows.astype("str"))


def test_joined_text_without_a_separator_makes_a_cell_reference():
    letters = pd.Series(np.array(["C", "AB"], dtype=object), index=[7, 9])
    cells = joined_text([letters, pd.Series([5, 120], index=[7, 9])])
    assert cells.tolist() == ["C5", "AB120"]
    assert cells.index.tolist() == [7, 9]
