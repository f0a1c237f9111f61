"""The places of a table's rows where its villages run down the rows: village, township, county, 区划代码.

A row names its village in the 村名 column (or a full organisation name that also gives its township and
county); a 乡镇 column, a section row (一、濠头乡) or a township's own row above or under its villages give the
township of the rows without one. Rows that are no village's (村均, a villagers' group, a township's 本级) are
told apart, and township rows become subtotals of their villages. Worked on object arrays, one value per body
row: a small table costs no pandas call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from villagecon.ingest.cells import (
    LONG_TEXT,
    SHORT_COLUMN,
    SheetCells,
    distinct_search,
    each_code,
    each_distinct,
    merged_down_codes,
    merged_down_values,
    search,
)
from villagecon.ingest.coverage import entity_pairs
from villagecon.ingest.headers import Column, Table
from villagecon.ingest.places import COUNTY, GROUP, OWN, TOWNSHIP, VILLAGE, place_level, split_place_name
from villagecon.ingest.words import SUBTOTAL_PATTERN
from villagecon.vocab import synonyms as syn

# A section row inside a table: 一、濠头乡（共4个村）, 濠头乡.
_TOWNSHIP_IN_TEXT = re.compile(r"([^\s、,，.．()（）:：]{1,12}?(?:镇|乡|街道))")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*")
# A row of averages, not of a village: 村均, 户均, 平均.
_AVERAGE = r"^(?:村均|户均|人均|平均|平均数|均值)$"
# A 区划代码: pandas matched a long sheet's Arrow strings with RE2, whose \d is ASCII; a short one's with re.
_CODE, _CODE_ASCII = re.compile(r"\d{12}"), re.compile(r"\d{12}", re.ASCII)


@dataclass
class Places:
    """What the place columns say of each body row (object arrays by position; NaN or None where nothing)."""

    kinds: np.ndarray
    village: np.ndarray
    township: np.ndarray
    county: np.ndarray
    village_code: np.ndarray
    coverage: tuple[np.ndarray, np.ndarray]  # subtotal_row, row
    summaries: pd.DataFrame
    notes: dict[int, str] = field(default_factory=dict)
    names: dict[str, object] = field(default_factory=dict)  # the names pandas gave the Series of the fields


def township_in(text: str) -> str | None:
    """The township a section row names: 一、濠头乡（共4个村） → 濠头乡."""
    match = _TOWNSHIP_IN_TEXT.search(_NUMBERING.sub("", text))
    return match[1] if match else None


def read_places(
    cells: SheetCells,
    table: Table,
    entity_cols: dict[str, Column | None],
    labels: np.ndarray,
    has_amount: np.ndarray,
) -> Places:
    """The places of the body rows of ``table``, their kinds (title, subtotal, other, data) and coverage.

    Parameters
    ----------
    cells : SheetCells
    table : Table
        A table with a village, township, county or 区划代码 column.
    entity_cols : dict
        The first column of each of those roles (None where the table has none).
    labels : ndarray of str
        Each body row's leading label (合计, 一、濠头乡, 上河村).
    has_amount : ndarray of bool
        Which body rows hold an amount.

    Returns
    -------
    Places
    """
    body = table.body
    n = len(body)
    notes: dict[int, str] = {}
    village_col = entity_cols[syn.VILLAGE]
    long = village_col is not None and n > SHORT_COLUMN
    if village_col is not None and long:
        # A long table: the village column's distinct texts looked at once each (as search does a long column).
        written_codes, distinct = merged_down_codes(cells, body, village_col.col)
        written = distinct[written_codes]
        level = each_code(written_codes, distinct, lambda text: place_level(text) if text != "" else None)
    else:
        written = merged_down_values(cells, body, village_col.col) if village_col else np.full(n, "", dtype=object)
    filled = written != ""
    if not long:
        level = _each_filled(written, filled, place_level)
    parts = _name_parts(written, filled)
    found: dict[str, np.ndarray] = {}
    # (pandas named a field's Series after the column it was read from, the village after the parts' column)
    names: dict[str, object] = {"village": "village"}
    for role in (syn.TOWNSHIP, syn.COUNTY):
        column = entity_cols[role]
        found[role] = np.full(n, np.nan, dtype=object)
        if column is not None:
            names["township" if role == syn.TOWNSHIP else "county"] = column.col
            values = merged_down_values(cells, body, column.col)
            found[role] = np.where(values != "", values, np.nan)
    township = _filled_from(found[syn.TOWNSHIP], parts[1])
    county = _filled_from(found[syn.COUNTY], parts[0])
    village_code = np.full(n, np.nan, dtype=object)
    if (code_col := entity_cols[syn.VILLAGE_CODE]) is not None:
        names["village_code"] = code_col.col
        code = _CODE_ASCII if cells.text_dtype is LONG_TEXT else _CODE
        codes = cells.column_text(cells.row_positions(body), code_col.col)
        village_code[:] = [c if code.fullmatch(c) else np.nan for c in codes]

    subtotal_label = search(labels, SUBTOTAL_PATTERN)
    # 其中：脱贫村 sums some villages; 村均/平均 is no sum at all; a villagers' group or a township's own accounts
    # (本级) are no village. None of them is a village's row.
    if long:
        subset = distinct_search(distinct, r"^其中")[written_codes]
        average = distinct_search(distinct, _AVERAGE)[written_codes]
    else:
        subset, average = search(written, r"^其中"), search(written, _AVERAGE)
    other = (((level == GROUP) | (level == OWN)) | average) & has_amount & ~subtotal_label
    subtotal_label |= subset
    for i in np.flatnonzero(other):
        what = (
            "an average"
            if average[i]
            else "a villagers' group below a village"
            if level[i] == GROUP
            else "a township's own organisation"
        )
        notes[int(body.to_numpy()[i])] = f"{written[i]} is {what}, not a village: its row is not read"
    # A township's (or county's) own row: its name where a village's would be, or a 乡镇 with no village.
    is_place = ((level == TOWNSHIP) | (level == COUNTY)) & ~subtotal_label
    no_village = ~filled & pd.notna(township) & ~subtotal_label
    village = np.where((level == VILLAGE) | pd.isna(level), parts[2], np.nan)
    village = np.where(~is_place & ~other & ~subtotal_label, village, np.nan)

    # Sections: a row with no amounts and text in its leading columns only (一、濠头乡（共4个村）).
    section = ~has_amount & (labels != "") & ~subtotal_label & (~filled | is_place)
    section_township = np.full(n, np.nan, dtype=object)
    section_township[section] = each_distinct(labels[section], township_in)
    section_township[pd.isna(section_township)] = np.nan  # a None of township_in, as pandas' str keeps it
    township = _filled_from(township, _ffill(section_township))
    township_row = has_amount & (is_place | no_village)
    kinds = np.full(n, "data", dtype=object)
    kinds[section] = "title"
    kinds[(has_amount & subtotal_label) | township_row] = "subtotal"
    kinds[other] = "other"
    place_rows = np.where(township_row, np.where(is_place, written, township), np.nan)
    # Township rows written where villages are stand above their villages (a heading with its sums) or
    # under them (like a 小计): whichever comes first says which; their villages take that township.
    is_data = kinds == "data"
    own = township_row & is_place
    above = bool(own.any() and is_data.any() and np.argmax(own) < np.argmax(is_data))
    if own.any() and entity_cols[syn.TOWNSHIP] is None:
        spread = np.full(n, np.nan, dtype=object)
        spread[own] = [split_place_name(p)[1] or p for p in written[own]]
        spread = _ffill(spread) if above else _ffill(spread[::-1])[::-1]
        township = np.where(pd.notna(township) | ~is_data, township, spread)
    coverage, summaries = entity_pairs(
        body.to_numpy(),
        kinds,
        labels,
        township,
        place_rows,
        level,
        has_township=entity_cols[syn.TOWNSHIP] is not None,
        above=above,
    )
    return Places(
        kinds=kinds,
        village=village,
        township=township,
        county=county,
        village_code=village_code,
        coverage=coverage,
        summaries=summaries,
        notes=notes,
        names=names,
    )


def _each_filled(texts: np.ndarray, filled: np.ndarray, function) -> np.ndarray:
    """``function`` of each filled text (once per distinct text), None where the text is empty."""
    out = np.full(len(texts), None, dtype=object)
    out[filled] = each_distinct(texts[filled], function)
    return out


def _name_parts(texts: np.ndarray, filled: np.ndarray) -> list[np.ndarray]:
    """County, township and village of each filled text (:func:`split_place_name`, once per distinct text),
    each part as a column of a frame of them reindexed to the body, as pandas made it: NaN where no name was
    written, and a None part NaN too where another row's part is text (pandas' str dtype)."""
    codes, distinct = pd.factorize(texts[filled])
    split = [split_place_name(t) for t in distinct]
    parts = []
    for k in range(3):
        values: list[object] = [s[k] for s in split]
        if any(isinstance(v, str) for v in values):
            values = [np.nan if v is None else v for v in values]
        done = np.empty(len(values), dtype=object)
        done[:] = values
        out = np.full(len(filled), np.nan, dtype=object)
        out[filled] = done[codes]
        parts.append(out)
    return parts


def _filled_from(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """pandas' ``fillna(other)``: a missing value (None or NaN) takes ``other``'s."""
    return np.where(pd.isna(values), other, values)


def _ffill(values: np.ndarray) -> np.ndarray:
    """pandas' ffill of an object array: a missing value takes the value before it (the first stays)."""
    # Each value is the last present one at or before it; before the first present one, the first value.
    present = ~pd.isna(values)
    return values[np.maximum.accumulate(np.where(present, np.arange(len(values)), 0))]


__all__ = ["Places", "read_places", "township_in"]
