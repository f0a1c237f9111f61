"""The village register (ingest/register.py): reading it, finding it beside the ledgers, matching names to it."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.errors import RegisterError
from villagecon.ingest.register import (
    REGISTER_COLUMNS,
    find_register,
    match_villages,
    place_key,
    read_register,
    register_table,
)

ROWS = [
    "county,county_code,township,village,village_code,aliases",
    "汝城县,431026,濠头乡,上河村,431026100201,上河|上河村委会",
    "汝城县,431026,濠头乡,下河村,431026100202,",
    "北湖区,431002,华塘镇,塔水村,431002100105,",
]


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_register_in_utf8_or_gbk_reads_the_same(tmp_path, encoding):
    register = read_register(write(tmp_path / "register.csv", ROWS, encoding))
    assert list(register.columns) == list(REGISTER_COLUMNS)
    assert register["village"].tolist() == ["上河村", "下河村", "塔水村"]
    assert register["village_code"].tolist() == ["431026100201", "431026100202", "431002100105"]
    assert register.loc[0, "aliases"] == "上河|上河村委会"
    assert register.loc[1, "aliases"] == ""


def test_a_code_written_twice_names_the_file_and_both_rows(tmp_path):
    path = write(tmp_path / "register.csv", [*ROWS, "北湖区,431002,华塘镇,石冲村,431026100202,"])
    with pytest.raises(RegisterError) as raised:
        read_register(path)
    message = str(raised.value)
    assert "village_code 431026100202 appears on rows 3, 5" in message
    assert "register.csv" in message and "row 5" in message
    assert "remove the duplicate rows" in message


def test_a_code_that_is_not_digits_and_a_missing_column_are_refused(tmp_path):
    with pytest.raises(RegisterError, match=r"village_code '43102610020X' is not made of digits"):
        read_register(write(tmp_path / "a.csv", [*ROWS, "汝城县,431026,濠头乡,中河村,43102610020X,"]))
    with pytest.raises(RegisterError, match=r"the register lacks column\(s\) village_code"):
        read_register(write(tmp_path / "b.csv", ["county,township,village", "汝城县,濠头乡,上河村"]))


def test_find_register_takes_the_one_named_else_the_one_in_the_folder(tmp_path):
    assert find_register(tmp_path) is None
    write(tmp_path / "register.csv", ROWS)
    assert find_register(tmp_path) == tmp_path / "register.csv"
    assert find_register(tmp_path, tmp_path / "other.csv") == tmp_path / "other.csv"
    ledger = tmp_path / "台账.csv"
    ledger.write_text("村,收入\n", encoding="utf-8")
    assert find_register(ledger) is None  # a single ledger file: no folder to look in


def test_register_table_from_a_table_gives_codes_as_text_and_empty_aliases():
    table = register_table(
        pd.DataFrame(
            {"county": ["汝城县"], "township": ["濠头乡"], "village": ["上河村"], "village_code": [431026100201]}
        )
    )
    assert table["village_code"].tolist() == ["431026100201"]
    assert table["aliases"].tolist() == [""]
    assert register_table(None) is None


def test_names_match_by_alias_within_their_township_and_unknown_ones_get_a_suggestion(tmp_path):
    register = read_register(write(tmp_path / "register.csv", ROWS))
    names = pd.DataFrame(
        {"village": ["上河村委会", "塔水村", "中河村"], "township": ["濠头乡", None, "濠头乡"], "county": [None] * 3}
    )
    matched = match_villages(names, register)
    assert matched["village_code"].tolist()[:2] == ["431026100201", "431002100105"]
    assert matched["problem"].tolist()[2] == "village_unknown"
    assert "not in the register" in matched["reason"].tolist()[2]


def test_place_key_drops_the_suffix_of_a_township_or_county():
    assert place_key("濠头乡") == "濠头"
    assert place_key("华塘镇") == "华塘"
    assert place_key("汝城县") == "汝城"
    assert place_key("乡") == "乡"
