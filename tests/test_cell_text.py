"""The one list of blank words, and a value as rejects.csv writes it (parse/cell_text.py)."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from villagecon import to_yuan
from villagecon.ingest.roster_cells import parse_date
from villagecon.parse.cell_text import BLANK_PATTERN, as_text, is_blank

BLANKS = ["", "—", "–", "-", "--", "——", "/", "\\", "无", "空", "暂无", "N/A", "n/a", "…", "·", "－", "／"]
NOT_BLANK = ["0", "-1", "无锡", "空心村", "—5", "N/A1", "a"]


@pytest.mark.parametrize("text", BLANKS)
def test_blank_words_are_blank_for_amounts_dates_and_rosters_alike(text):
    assert is_blank(text)
    assert to_yuan(text) != to_yuan(text)  # NaN: missing, no error
    assert parse_date(text) == (None, None, None)


@pytest.mark.parametrize("text", NOT_BLANK)
def test_values_are_not_blank(text):
    assert not is_blank(text)


def test_the_pattern_reads_the_same_in_pyarrow_as_in_python():
    texts = BLANKS + NOT_BLANK
    in_arrow = pc.match_substring_regex(pa.array(texts), BLANK_PATTERN).to_pylist()
    assert in_arrow == [re.match(BLANK_PATTERN, t) is not None for t in texts]


def test_as_text_writes_floats_without_noise_and_none_as_empty():
    assert as_text(1234.5000000000002) == "1234.5"
    assert as_text(0.1 + 0.2) == "0.3"
    assert as_text(None) == ""
    assert as_text("（4.2）") == "（4.2）"
    assert as_text(12) == "12"
    assert as_text(3.0) == "3" and as_text(float("nan")) == ""  # the journal's blank cells, the sample's numbers
