"""CSV ledgers: encodings and delimiters (ingest/csv_files.py)."""

from __future__ import annotations

import codecs

import pytest

from villagecon.errors import LedgerFileError
from villagecon.ingest.csv_files import csv_delimiter, decode_csv, read_csv
from villagecon.ingest.read_limits import ReadLimits

TEXT = "村,年度,经营收入\n上河村,2022年,4.2万\n"


@pytest.mark.parametrize("encoded", [TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT.encode("gbk")])
def test_utf8_with_or_without_bom_and_gbk_decode_to_the_same_text(encoded):
    assert decode_csv(encoded, name="台账.csv") == TEXT


def test_a_wrong_encoding_given_is_refused_not_turned_into_mojibake():
    with pytest.raises(LedgerFileError, match=r"台账\.csv"):
        decode_csv(TEXT.encode("gbk"), name="台账.csv", encoding="utf-8")


def test_the_delimiter_is_a_comma_else_what_the_lines_hold():
    assert csv_delimiter(TEXT) == ","
    assert csv_delimiter("村\t年度\n上河村\t2022\n") == "\t"
    assert csv_delimiter("村;年度\n上河村;2022\n") == ";"


def test_read_csv_gives_a_grid_with_excel_row_numbers():
    sheet = read_csv(TEXT.encode("gbk"), name="台账.csv", encoding=None, limits=ReadLimits())
    assert (sheet.file, sheet.sheet) == ("台账.csv", "")
    assert list(sheet.grid.index) == [1, 2]
    assert sheet.grid.loc[2].tolist() == ["上河村", "2022年", "4.2万"]
