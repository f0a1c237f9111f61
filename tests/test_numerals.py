"""The one reader of Chinese numerals (parse/numerals.py), for amounts and dates."""

from __future__ import annotations

import decimal

import pytest

from villagecon.parse.numerals import NotANumeral, chinese_number, read_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [("二〇一七", 2017), ("〇五", 5), ("五", 5), ("十", 10), ("十二", 12), ("二十一", 21), ("三十", 30), ("廿二", 22)],
)
def test_chinese_number_reads_digits_one_by_one_or_with_units(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["十十", "一点五", "二〇一七万"])
def test_chinese_number_refuses_what_is_no_whole_number(text):
    with pytest.raises(NotANumeral):
        chinese_number(text)


def test_read_numeral_is_exact_and_says_whether_a_large_unit_was_written():
    assert read_numeral("十二万三千") == (decimal.Decimal(123000), True)
    assert read_numeral("壹仟零拾") == (decimal.Decimal(1010), False)
    assert read_numeral("1万600") == (decimal.Decimal(10600), True)
    assert read_numeral("零点零零三四二万") == (decimal.Decimal("34.2"), True)


def test_read_numeral_refuses_with_the_reason():
    with pytest.raises(NotANumeral, match=r"two numbers in one cell \(十一 and 十二\?\)"):
        read_numeral("十一十二")
    with pytest.raises(NotANumeral, match="digits one by one"):
        read_numeral("一七二零")
    with pytest.raises(NotANumeral, match="more than 40 digits in a row"):
        read_numeral("1" * 41)
