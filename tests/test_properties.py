"""Properties of the amount parser, checked on generated input (hypothesis).

- Every amount written in a supported form reads back to its value to the fen.
- The careful per-value parser and the vectorised column parser agree on every input, for
  text and object columns, so no cell reads differently depending on what else is in its column.
- Any text at all gives a value, a missing value or an AmountError: never another exception,
  never a hang (each example has a deadline).

The examples are derandomised (the same on every run and machine) and no database is kept,
so CI sees exactly what a developer sees.
"""

from __future__ import annotations

import decimal
import math
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from villagecon import parse_amounts, to_yuan
from villagecon.errors import AmountError
from villagecon.parse.amounts import LARGEST_AMOUNT, _parse_text, unit_factor

PROPERTIES = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    # Catches a hang, not a slow machine: a loaded CI runner takes a second for what takes 50 ms here.
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)

# Amounts in fen, below the largest amount kept exactly.
FEN = st.integers(min_value=-(int(LARGEST_AMOUNT) * 100 - 1), max_value=int(LARGEST_AMOUNT) * 100 - 1)
SMALL_FEN = st.integers(min_value=-(10**9), max_value=10**9)


def yuan_of(fen: int) -> float:
    return float(decimal.Decimal(fen) / 100)


def decimal_text(fen: int, *, shift: int = 0, grouped: bool = False) -> str:
    """|fen| as yuan ÷ 10**shift, every digit written (no exponent), optionally with thousands separators."""
    value = decimal.Decimal(abs(fen)).scaleb(-2 - shift)
    text = f"{value:,f}" if grouped else f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


FULL_WIDTH = str.maketrans("0123456789.,-()", "０１２３４５６７８９．，－（）")


# --- Chinese numerals, written the way ledgers write them ------------------------------------------------

ORDINARY = ("零", "一二三四五六七八九", "十百千", "万", "亿")
FINANCIAL = ("零", "壹贰叁肆伍陆柒捌玖", "拾佰仟", "万", "亿")


def chinese_numeral(number: int, style=ORDINARY) -> str:
    """0 < number < 10**12 in Chinese numerals: 123000 → 十二万三千 (ordinary) or 壹拾贰万叁仟 (financial).

    零 marks skipped places inside a section (一千零二十) and a section that starts below a thousand
    or follows an empty one (一万零二, 一亿零一万); ordinary writing drops the 一 of a leading 十.
    """
    zero, digits, small, wan, yi = style
    words, skipped = [], False
    for value, unit in ((number // 10**8, yi), (number // 10**4 % 10**4, wan), (number % 10**4, "")):
        if value == 0:
            skipped = bool(words)
            continue
        need_zero, skipped, started = bool(words) and (skipped or value < 1000), False, False
        for power, name in ((1000, small[2]), (100, small[1]), (10, small[0]), (1, "")):
            digit = value // power % 10
            if digit == 0:
                need_zero = need_zero or started
                continue
            if need_zero:
                words.append(zero)
                need_zero = False
            if not (style is ORDINARY and name == small[0] and digit == 1 and not words):
                words.append(digits[digit - 1])
            words.append(name)
            started = True
        words.append(unit)
    return "".join(words)


def test_chinese_numeral_writer_matches_hand_written_examples():
    assert [
        chinese_numeral(n) for n in (10, 12, 105, 110, 1020, 10_002, 120_000, 123_000, 10_201_000, 100_010_000)
    ] == [
        "十",
        "十二",
        "一百零五",
        "一百一十",
        "一千零二十",
        "一万零二",
        "十二万",
        "十二万三千",
        "一千零二十万一千",
        "一亿零一万",
    ]
    assert chinese_numeral(123_000, FINANCIAL) == "壹拾贰万叁仟"


# --- round trip: every form reads back to its value ------------------------------------------------------


def forms(fen: int) -> list[tuple[str, str, bool]]:
    """(text, unit of bare numbers, approximate) for ``fen`` in every form a ledger may use."""
    sign = "-" if fen < 0 else ""
    plain = decimal_text(fen)
    written = [
        (sign + plain, "元", False),
        (sign + decimal_text(fen, grouped=True), "元", False),
        (sign + decimal_text(fen, shift=4), "万元", False),
        (sign + decimal_text(fen, shift=4) + "万", "元", False),
        (sign + decimal_text(fen, shift=4) + "万元", "元", False),
        (sign + decimal_text(fen, shift=8) + "亿", "元", False),
        (sign + decimal_text(fen, shift=3) + "千元", "元", False),
        (sign + plain + "元", "万元", False),
        ((sign + decimal_text(fen, grouped=True)).translate(FULL_WIDTH), "元", False),
        ("约" + sign + plain, "元", True),
        (sign + plain + "元左右", "元", True),
        (sign + decimal_text(fen, shift=4) + "万元以上", "元", True),
        ("¥" + sign + decimal_text(fen, grouped=True), "元", False),
    ]
    if fen < 0:
        written += [
            (f"({plain})", "元", False),
            (f"（{plain}）", "元", False),
            (f"△{plain}", "元", False),
            (f"▲{plain}", "元", False),
            (f"负债{decimal_text(fen, shift=4)}万元", "元", False),
            (f"负{plain}元", "元", False),
            (f"({decimal_text(fen, shift=4)})万元", "元", False),
        ]
    return written


def chinese_forms(fen: int) -> list[tuple[str, str, bool]]:
    """Chinese and financial numerals for a positive whole or fen amount."""
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    written = []
    if yuan and not cents:
        written += [
            (chinese_numeral(yuan), "元", False),
            (chinese_numeral(yuan) + "元", "万元", False),
            (chinese_numeral(yuan, FINANCIAL) + "元整", "元", False),
            ("人民币" + chinese_numeral(yuan, FINANCIAL) + "元整", "元", False),
        ]
    capitals = FINANCIAL[1]
    tail = (capitals[jiao - 1] + "角" if jiao else ("零" if yuan and fen_digit else "")) + (
        capitals[fen_digit - 1] + "分" if fen_digit else ""
    )
    if cents:
        written.append(((chinese_numeral(yuan, FINANCIAL) + "元" if yuan else "") + tail, "元", False))
    if yuan >= 10 and yuan % 10 == 0 and not cents:
        # 余/多 after a round number: 四十余万元 is written, and read as the round number.
        in_wan = yuan % 10_000 == 0 and 10 <= yuan // 10_000 < 10_000
        written.append(
            (chinese_numeral(yuan // 10_000) + "余万元" if in_wan else chinese_numeral(yuan) + "多元", "元", True)
        )
    return written


@PROPERTIES
@given(FEN)
@example(-4_200_000)  # 负债4.2万元
@example(12_345_678)  # 123,456.78
@example(1)  # 0.01: one fen
@example(int(LARGEST_AMOUNT) * 100 - 1)
def test_every_form_reads_back_to_its_value_to_the_fen(fen):
    for text, unit, approx in forms(fen):
        parsed = parse_amounts([text], unit=unit).iloc[0]
        assert pd.isna(parsed["error"]), (text, parsed["error"])
        assert (parsed["amount_yuan"], bool(parsed["approx"])) == (yuan_of(fen), approx), text
        assert to_yuan(text, unit=unit) == yuan_of(fen), text


@PROPERTIES
@given(st.integers(min_value=1, max_value=10**12 - 1).map(lambda yuan: yuan * 100) | SMALL_FEN.map(abs))
@example(12_300_000)  # 十二万三千
@example(120_000_000)  # 一百二十万
@example(12_300_005)  # 壹拾贰万叁仟元零伍分
@example(40_000_000)  # 四十余万元
def test_chinese_and_financial_numerals_read_back_to_their_value(fen):
    for text, unit, approx in chinese_forms(fen):
        parsed = parse_amounts([text], unit=unit).iloc[0]
        assert pd.isna(parsed["error"]), (text, parsed["error"])
        assert (parsed["amount_yuan"], bool(parsed["approx"])) == (yuan_of(fen), approx), text


@PROPERTIES
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.sampled_from(["元", "万元", "亿元"]),
)
def test_numbers_already_numeric_read_as_the_same_number_in_the_unit(number, unit):
    expected = float((number * decimal.Decimal(unit_factor(unit))).quantize(decimal.Decimal("0.01")))
    if abs(expected) >= LARGEST_AMOUNT:
        return
    for value in (number, float(number)):
        assert to_yuan(value, unit=unit) == expected, value


def test_half_a_fen_is_rounded_away_from_zero_on_both_paths():
    # 四舍五入 on the decimal as written: 2.675 is stored as 2.67499…, yet reads 2.68.
    texts = ["0.005", "2.675", "-2.675", "1.005", "0.0000005万", "0.015"]
    expected = [0.01, 2.68, -2.68, 1.01, 0.01, 0.02]
    assert [_parse_text(t, 1.0)[0] for t in texts] == expected
    assert parse_amounts(texts)["amount_yuan"].tolist() == expected
    assert to_yuan(2.675) == 2.68 and to_yuan(-0.005) == -0.01


# --- the two paths agree -------------------------------------------------------------------------------

# Pieces ledgers write, and pieces that break naive parsers, combined at random.
PIECES = [
    "0",
    "1",
    "2",
    "4",
    "5",
    "9",
    "12",
    "300",
    ".",
    ",",
    " ",
    "\u3000",
    "\t",
    "万",
    "元",
    "亿",
    "千",
    "万元",
    "千元",
    "余",
    "多",
    "约",
    "近",
    "大约",
    "以上",
    "左右",
    "整",
    "负债",
    "负",
    "-",
    "－",
    "−",
    "+",
    "(",
    ")",
    "（",
    "）",
    "△",
    "▲",
    "¥",
    "人民币",
    "%",
    "/",
    "零",
    "一",
    "二",
    "十",
    "百",
    "千",
    "壹",
    "贰",
    "拾",
    "佰",
    "仟",
    "角",
    "分",
    "１",
    "２",
    "．",
    "，",
    "—",
    "无",
    "e",
    "E",
    "吨",
    "万/",
    "至",
    "或",
    "٣",
    "𝟙",
    "½",
    "²",
    "ⅷ",
    "\u00a0",
    "\u2007",
    "\f",
    "\v",
    "\x1c",
    "\x85",
]
AMOUNTISH = st.lists(st.sampled_from(PIECES) | st.characters(codec="utf-8"), max_size=10).map("".join)


def readings(parsed: pd.DataFrame) -> list[tuple]:
    return [
        (None if math.isnan(a) else a, bool(x), None if pd.isna(e) else e) for a, x, e in parsed.itertuples(index=False)
    ]


@PROPERTIES
@given(st.lists(AMOUNTISH, min_size=1, max_size=8), st.sampled_from(["元", "万元", None]))
@example(["(4.2)余万", "4.2 余 万", "4.2元余", "0.005", "0余余", "十九余万元"], "元")
@example(["\f4.2", "0\f"], "元")  # a form feed once crashed the column parser (ArrowInvalid)
@example(["1" * 40 + ".元", "4" + " " * 300 + "-5"], "元")
@example(["壹拾贰万叁仟元零伍分", "4.2万余", "约-4.2"], None)
def test_the_per_value_and_column_parsers_agree(texts, unit):
    factor = unit_factor(unit)
    alone = []
    for text in texts:
        amount, approx, error = _parse_text(text, factor)
        alone.append((None if math.isnan(amount) else amount, approx, error))
    for column in (pd.Series(texts, dtype="str"), pd.Series(texts, dtype=object), texts):
        assert readings(parse_amounts(column, unit=unit)) == alone, column


# --- anything at all: a value, missing, or AmountError ---------------------------------------------------


@PROPERTIES
@given(st.text(max_size=60) | AMOUNTISH | st.text(alphabet="0123456789.,万元 ", min_size=20, max_size=200))
@example("1" * 60 + ".")
@example("单位" + " " * 1000)
@example("1" + " " * 2000 + "x")
def test_any_text_gives_a_value_missing_or_an_amount_error(text):
    try:
        value = to_yuan(text, unit="元")
    except AmountError as refused:
        assert refused.value == text and refused.reason
        return
    assert isinstance(value, float) and (math.isnan(value) or abs(value) < LARGEST_AMOUNT)


CELL_VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | AMOUNTISH
    | st.sampled_from(
        [
            np.int64(7),
            np.float32(0.5),
            np.uint8(3),
            np.float16(1.5),
            np.bool_(True),
            pd.NA,
            pd.NaT,
            np.datetime64("2022-01-01"),
            b"4.2",
            ("a",),
            1 + 2j,
        ]
    )
)


@PROPERTIES
@given(st.lists(CELL_VALUES, max_size=12), st.sampled_from(["元", "万元", None]))
@example([10**400, -(10**30), decimal.Decimal("sNaN"), decimal.Decimal("1e-400")], "元")
@example(["\ud800", "4.2"], "元")
def test_a_column_of_anything_gives_one_reading_per_cell(values, unit):
    parsed = parse_amounts(pd.Series(values, dtype=object), unit=unit)
    assert len(parsed) == len(values) and parsed["amount_yuan"].dtype == "float64"
    read = parsed["amount_yuan"].notna()
    assert (parsed["amount_yuan"][read].abs() < LARGEST_AMOUNT).all()
    assert parsed["error"][read].isna().all()  # a value is never also an error
    for value, (amount, _, error) in zip(values, parsed.itertuples(index=False), strict=True):
        if isinstance(value, float | int) and not isinstance(value, bool) and not math.isnan(amount):
            assert amount == pytest.approx(float(value) * unit_factor(unit or "元"), abs=0.0051)  # half a fen
        if error is not None and not pd.isna(error):
            assert isinstance(error, str) and error
