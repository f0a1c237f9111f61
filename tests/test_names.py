"""Village names: one village however a ledger, a register or a roster writes its name (villagecon.vocab.names)."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.vocab.names import map_distinct, map_distinct_text, name_text, village_key, village_keys


@pytest.mark.parametrize(
    "written",
    [
        "上河村村委会",
        "上河村民委员会",
        "上河　村",
        " 上河村 ",
        "1.上河村",
        "上河村（原下坪村并入）",
        "上河村股份经济合作社",
    ],
)
def test_a_village_is_one_village_however_written(written):
    assert village_key(written) == "上河村"


def test_a_community_keeps_its_word():
    assert village_key("立欣洲社区居委会") == "立欣洲社区"


def test_a_name_without_a_village_word_keeps_its_suffix_word():
    # 上河村委会 took the 村 of the name with it: it is given back. A suffix alone is not cut to nothing.
    assert village_key("上河村委会") == "上河村"
    assert village_key("村委会") == "村委会"
    assert village_key(None) == ""


def test_a_note_is_dropped_only_when_a_village_word_is_left():
    assert village_key("上河村（原下坪村并入）") == "上河村"
    assert village_key("上河（一组）") == "上河(一组)"  # half-width, the note kept: 上河 alone is no village


def test_name_text_drops_numbering_spaces_and_width():
    assert name_text("②林源 村") == "林源村"
    assert name_text("（3）枫泉村") == "枫泉村"
    assert name_text("ＡＢ村") == "AB村"
    assert name_text(None) == ""


def test_map_distinct_calls_once_per_distinct_value_and_keeps_missing():
    calls = []

    def key(value):
        calls.append(value)
        return f"<{value}>"

    mapped = map_distinct(pd.Series(["a", "b", None, "a"], index=[3, 4, 5, 6]), key)
    assert mapped.tolist() == ["<a>", "<b>", None, "<a>"]
    assert mapped.index.tolist() == [3, 4, 5, 6]
    assert calls == ["a", "b"]


def test_village_keys_of_a_column():
    keys = village_keys(pd.Series(["上河村村委会", "1.上河村", "立欣洲社区居委会", None]))
    assert keys[:3].tolist() == ["上河村", "上河村", "立欣洲社区"]
    assert pd.isna(keys[3])


def test_map_distinct_text_calls_once_per_name_and_gives_text():
    calls = []

    def key(name):
        calls.append(name)
        return village_key(name)

    names = pd.Series(["上河村村委会", None, "上河村村委会", "下河村"], index=[10, 11, 12, 13])
    keys = map_distinct_text(names, key)
    assert calls == ["上河村村委会", "下河村"]
    assert keys.dtype == "str"
    assert keys.index.tolist() == [10, 11, 12, 13]
    assert keys[[10, 12, 13]].tolist() == ["上河村", "上河村", "下河村"]
    assert pd.isna(keys[11])


def test_map_distinct_text_without_a_function_writes_codes_as_text():
    codes = pd.Series([431026100201, None, "431026100202", 431026100201], dtype=object)
    written = map_distinct_text(codes)
    assert written.equals(codes.astype("str"))
    assert written[[0, 2]].tolist() == ["431026100201", "431026100202"]
