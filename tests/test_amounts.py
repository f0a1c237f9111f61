"""to_yuan and parse_amounts: every form of issue 3, each refusal, the vectorised path agreeing with the scalar."""

from __future__ import annotations

import decimal
import math

import numpy as np
import pandas as pd
import pytest

from villagecon import parse_amounts, to_yuan
from villagecon.errors import AmountError, UsageError, VillageconError
from villagecon.parse.amounts import unit_from_text

# (written, unit of bare numbers, yuan, approximate)
READINGS = [
    ("40余万元", "元", 400_000, True),
    ("4.2万", "元", 42_000, False),
    ("负债4.2万元", "元", -42_000, False),
    ("（4.2）", "万元", -42_000, False),
    ("(4.2)", "万元", -42_000, False),
    ("△4.2", "元", -4.2, False),
    ("△4.2", "万元", -42_000, False),
    ("-4.2", "元", -4.2, False),
    ("－４．２", "元", -4.2, False),
    ("1,234.56", "元", 1_234.56, False),
    ("十二万三千", "元", 123_000, False),
    ("一百二十万", "元", 1_200_000, False),
    ("约300万", "元", 3_000_000, True),
    ("1.2亿", "元", 120_000_000, False),
    ("1.23456万", "元", 12_345.6, False),
    ("100万元以上", "元", 1_000_000, True),
    ("(1,234.00)", "元", -1_234, False),
    ("１，２３４．５", "元", 1_234.5, False),
    ("壹拾贰万叁仟元整", "元", 123_000, False),
    ("伍佰元伍角", "元", 500.5, False),
    # More of what ledgers contain.
    ("4.2", "万元", 42_000, False),
    ("4.2万", "万元", 42_000, False),  # the cell's unit wins over the column's
    ("42000元", "万元", 42_000, False),
    ("300多万", "元", 3_000_000, True),
    ("近百万", "元", 1_000_000, True),
    ("20万左右", "元", 200_000, True),
    ("四十余万元", "元", 400_000, True),
    ("4万5千元", "元", 45_000, False),
    ("三千零五十", "元", 3_050, False),
    ("三千", "万元", 30_000_000, False),  # a bare numeral is in the column's unit, like 3000
    ("2亿3000万", "元", 230_000_000, False),
    ("(4.2)万元", "元", -42_000, False),
    ("负4.2万", "元", -42_000, False),
    ("+4.2", "元", 4.2, False),
    ("￥1,234.00", "元", 1_234, False),
    ("人民币壹拾贰万元整", "元", 120_000, False),
    ("肆拾贰元叁角伍分", "元", 42.35, False),
    ("4.2 万元", "元", 42_000, False),
    ("\u30004.2万元\u3000", "元", 42_000, False),  # ideographic spaces around
    (" 1234.5\t", "元", 1_234.5, False),
    ("4.2万元整", "元", 42_000, False),
    ("1.5千元", "元", 1_500, False),
    (".5", "万元", 5_000, False),
    ("0", "元", 0, False),
    ("1.234567万", "元", 12_345.67, False),
    ("1.2345678万", "元", 12_345.68, False),  # rounded to the fen, not truncated
    ("一万二", "元", 12_000, False),  # 一万二千 with its last unit left out (issue 17)
]


@pytest.mark.parametrize(("written", "unit", "yuan", "approx"), READINGS, ids=[r[0] + "|" + r[1] for r in READINGS])
def test_reads_the_form(written, unit, yuan, approx):
    assert to_yuan(written, unit=unit) == yuan
    parsed = parse_amounts([written], unit=unit).iloc[0]
    assert parsed["amount_yuan"] == yuan
    assert bool(parsed["approx"]) is approx
    assert pd.isna(parsed["error"])


@pytest.mark.parametrize(
    ("number", "unit", "yuan"),
    [
        (5, "元", 5.0),
        (4.5, "万元", 45_000.0),
        (decimal.Decimal("1.25"), "万元", 12_500.0),
        (np.int64(7), "亿元", 700_000_000.0),
        (np.float32(0.5), "万元", 5_000.0),
        (-3, "元", -3.0),
        (1_234.5678, "元", 1_234.57),
        (0.123456, "万元", 1_234.56),  # rounded to the fen
    ],
)
def test_numbers_already_numeric_take_the_unit(number, unit, yuan):
    assert to_yuan(number, unit=unit) == yuan
    assert isinstance(to_yuan(number, unit=unit), float)


@pytest.mark.parametrize("marker", ["—", "——", "-", "--", "/", "无", "", "   ", None, float("nan"), pd.NA])
def test_missing_markers_are_nan_not_zero_and_not_an_error(marker):
    assert math.isnan(to_yuan(marker))
    parsed = parse_amounts([marker]).iloc[0]
    assert math.isnan(parsed["amount_yuan"]) and pd.isna(parsed["error"]) and not parsed["approx"]


REFUSALS = [
    ("12.3%", "a percentage is not an amount of money"),
    ("1 234,56", "ambiguous digit separators"),
    ("12,34", "ambiguous digit separators"),
    ("1,2345", "ambiguous digit separators"),
    ("abc", "not an amount of money"),
    ("4.2万/5万", "two numbers in one cell"),
    ("3万-5万", "two numbers in one cell"),
    ("4.2 5", "two numbers in one cell"),  # never 4.25: the space is not a typo we can undo
    ("12\u300034", "two numbers in one cell"),  # a full-width space
    ("4.2万 5万", "two numbers in one cell"),
    ("4.2万5万", "two numbers in one cell"),  # never 92000
    ("四万 五万", "two numbers in one cell"),
    ("十万十万", "two numbers in one cell"),  # 万 twice: never 二十万
    ("1亿2亿", "two numbers in one cell"),
    ("4.2千克", "unknown unit '千克'"),
    ("5吨", "unknown unit '吨'"),
    ("一二三", "digits one by one (一二三), as a year, a code or a phone number is written: not an amount of money"),
    ("一万万", "万 with no number before it"),  # 万 after 万 has nothing to multiply: never read as 一万
    ("一亿万元", "万 with no number before it"),
    ("-(4.2)", "two minus signs"),
    ("1e5", "not an amount of money"),
    ("99999999亿", "beyond what is kept exactly to the fen"),
]


@pytest.mark.parametrize(("written", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refuses_with_an_error_naming_the_value(written, reason):
    with pytest.raises(AmountError) as raised:
        to_yuan(written)
    assert repr(written) in str(raised.value)
    assert reason in str(raised.value)
    assert raised.value.value == written
    assert "errors='coerce'" in str(raised.value)  # says what to do
    assert math.isnan(to_yuan(written, errors="coerce"))
    parsed = parse_amounts([written]).iloc[0]
    assert math.isnan(parsed["amount_yuan"]) and reason in parsed["error"]


@pytest.mark.parametrize(
    ("value", "reason"), [(True, "true/false"), (float("inf"), "not a finite number"), (b"4.2", "bytes, not text")]
)
def test_refuses_values_that_are_not_amounts_at_all(value, reason):
    with pytest.raises(AmountError, match=reason):
        to_yuan(value)


def test_amount_error_is_a_villagecon_error_and_a_value_error():
    with pytest.raises(VillageconError):
        to_yuan("abc")
    with pytest.raises(ValueError):
        to_yuan("abc")


def test_without_a_unit_bare_numbers_are_errors_but_written_units_are_read():
    parsed = parse_amounts(["4.2", 4.2, "十二", "4.2万", "（3元）", "—"], unit=None)
    assert parsed["error"].iloc[:3].str.startswith("no unit").all()
    assert parsed["amount_yuan"].iloc[3:5].tolist() == [42_000, -3]
    assert parsed["error"].iloc[3:].isna().all()


def test_a_column_keeps_its_index_and_name_and_coerces_only_the_bad_cells():
    column = pd.Series(["1", "2万", "12.3%", None], index=[10, 11, 12, 13], name="经营收入")
    out = to_yuan(column, errors="coerce")
    assert out.index.tolist() == [10, 11, 12, 13] and out.name == "经营收入" and out.dtype == "float64"
    assert out.iloc[:2].tolist() == [1.0, 20_000.0] and out.iloc[2:].isna().all()
    with pytest.raises(AmountError, match=r"'12.3%'.*element 12 of the input"):
        to_yuan(column)


def test_lists_arrays_and_generators_give_a_series():
    assert to_yuan(["1", "2万"]).tolist() == [1.0, 20_000.0]
    assert to_yuan(np.array([1.5, 2.0]), unit="万元").tolist() == [15_000.0, 20_000.0]
    assert to_yuan(x for x in ["3元"]).tolist() == [3.0]


def test_parse_amounts_returns_typed_columns_aligned_with_the_input():
    parsed = parse_amounts(pd.Series(["40余万元", "（4.2）", "—", "12.3%"], index=list("abcd")), unit="万元")
    assert list(parsed.columns) == ["amount_yuan", "approx", "error"]
    assert parsed.index.tolist() == list("abcd")
    assert parsed["amount_yuan"].dtype == "float64" and parsed["approx"].dtype == "bool"
    assert parsed["amount_yuan"].tolist()[:2] == [400_000.0, -42_000.0]
    assert parsed["approx"].tolist() == [True, False, False, False]
    assert parsed["error"].isna().tolist() == [True, True, True, False]


def test_vectorised_path_agrees_with_the_per_value_parser_on_every_form():
    """Text and object columns, long and short, give what each value gives alone."""
    values = [r[0] for r in READINGS] + [r[0] for r in REFUSALS] + ["—", "", "4.2"]
    alone = pd.concat([parse_amounts([v], unit="万元") for v in values], ignore_index=True)
    for column in (pd.Series(values * 50), pd.Series(values * 50, dtype=object)):
        together = parse_amounts(column, unit="万元")
        expected = pd.concat([alone] * 50, ignore_index=True)
        pd.testing.assert_frame_equal(together, expected)


def test_a_mixed_object_column_reads_numbers_and_text_alike():
    column = pd.Series([1.5, "1.5", decimal.Decimal("1.5"), 2, None, "—", True], dtype=object)
    parsed = parse_amounts(column, unit="万元")
    assert parsed["amount_yuan"].iloc[:4].tolist() == [15_000.0, 15_000.0, 15_000.0, 20_000.0]
    assert parsed["error"].iloc[:6].isna().all()
    assert "bool" in parsed["error"].iloc[6]


@pytest.mark.parametrize("unit", ["千克", "万", "", "yuan"])
def test_an_unknown_unit_argument_is_a_usage_error(unit):
    if unit == "万":  # 万 alone is accepted as 万元
        assert to_yuan("4.2", unit=unit) == 42_000
        return
    with pytest.raises(UsageError, match="unit must be one of 元, 千元, 万元, 亿元"):
        to_yuan("4.2", unit=unit)


def test_errors_must_be_raise_or_coerce():
    with pytest.raises(UsageError, match="errors must be 'raise' or 'coerce'"):
        to_yuan("4.2", errors="ignore")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位:元", "元"),
        ("单位： 人民币万元", "万元"),
        ("金额（万元）", "万元"),
        ("经营收入(元)", "元"),
        ("收入/万元", "万元"),
        ("（单位：亿元）", "亿元"),
        ("金额【千元】", "千元"),
        ("经营收入", None),
        ("万元户", None),
        ("本年收入合计", None),
        (None, None),
        (42, None),
    ],
)
def test_unit_from_text(text, unit):
    assert unit_from_text(text) == unit


@pytest.mark.parametrize(
    ("text", "unit", "yuan"),
    [
        ("¥6,000.00", None, 6000.0),
        ("￥6,000.00", None, 6000.0),
        ("RMB 6000", None, 6000.0),
        ("人民币6000", None, 6000.0),
        ("¥6,000.00", "万元", 6000.0),
        ("¥4.2万", None, 42000.0),
        ("红字800.00", "元", -800.0),
        ("红字¥800.00", None, -800.0),
        ("红字4.2", "万元", -42000.0),
    ],
)
def test_money_marks_are_yuan_and_red_ink_is_negative(text, unit, yuan):
    assert to_yuan(text, unit=unit) == yuan
    assert parse_amounts(pd.Series([text], dtype="str"), unit=unit)["amount_yuan"].tolist() == [yuan]
