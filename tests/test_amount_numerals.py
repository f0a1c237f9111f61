"""Chinese numerals in amounts (issue 17): the grammar reads every standard form and refuses the rest.

Each case of the issue, with the number or the reason; standard numerals and financial capitals of random
amounts up to the limit read back exactly (hypothesis); two numerals side by side are refused; the
vectorised path agrees with the per-value parser on every case.
"""

from __future__ import annotations

import decimal
import math
from datetime import timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from villagecon import parse_amounts, to_yuan
from villagecon.errors import AmountError
from villagecon.parse.amounts import LARGEST_AMOUNT, _parse_text

# Several readings per example: a generous deadline, still far from a hang.
PROPERTIES = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)


def two_numbers(first: str, second: str) -> str:
    return f"two numbers in one cell ({first} and {second}?): keep one amount per cell"


# (written, unit of bare numbers, yuan, approximate)
READ = [
    # 零 followed by 十/拾 once multiplied by zero.
    ("一千零十", "元", 1_010, False),
    ("一千零十一", "元", 1_011, False),
    ("壹仟零拾元整", "元", 1_010, False),
    ("十亿零十万", "元", 1_000_100_000, False),
    ("一千零一十", "元", 1_010, False),
    # Decimals with 点.
    ("一点二", "元", 1.2, False),
    ("零点五", "元", 0.5, False),
    ("一万零八百八十九点七二", "元", 10_889.72, False),
    ("三点一四", "元", 3.14, False),
    ("零点零零三四二万", "元", 34.2, False),
    ("一点二", "万元", 12_000, False),  # a bare numeral takes the column's unit, like 1.2
    ("一点五万元", "万元", 15_000, False),
    ("十二点五万", "元", 125_000, False),
    ("一百点123", "元", 100.12, False),  # rounded to the fen
    ("一点二三四五六万", "元", 12_345.6, False),  # exact: never a float's 12345.599…
    ("三点五千万", "元", 35_000_000, False),
    ("3.1千万", "元", 31_000_000, False),
    ("1.2万亿", "元", 1_200_000_000_000, False),
    ("4.2萬元", "元", 42_000, False),
    # The last unit left out: it is the one below the last unit written.
    ("三万五", "元", 35_000, False),
    ("两千六", "元", 2_600, False),
    ("兩千六", "元", 2_600, False),
    ("一百二", "元", 120, False),
    ("十三万五", "元", 135_000, False),
    ("一千二", "元", 1_200, False),
    ("两万二", "元", 22_000, False),
    ("一万二", "元", 12_000, False),
    ("一百二十万三", "元", 1_203_000, False),
    ("一万二千三", "元", 12_300, False),
    ("一亿五", "元", 150_000_000, False),
    ("三万五千元", "元", 35_000, False),
    # Arabic digits after a Chinese unit are the digits of the places below it.
    ("1万600", "元", 10_600, False),
    ("1百01", "元", 101, False),
    ("100万三千", "元", 1_003_000, False),
    ("200亿零四千230", "元", 20_000_004_230, False),
    ("1千200万", "元", 12_000_000, False),
    # 廿, 卅; traditional characters and financial capitals.
    ("廿二", "元", 22, False),
    ("卅", "元", 30, False),
    ("壹萬貳仟參佰圓整", "元", 12_300, False),
    ("貳佰陸拾億零伍萬", "元", 26_000_050_000, False),
    ("壹拾万零叁仟肆佰伍拾叁", "元", 103_453, False),
    ("一亿五千万零六千三百五十五", "元", 150_006_355, False),
    ("一百九十万零三千九百七十一", "元", 1_903_971, False),
    ("十万零一千", "元", 101_000, False),  # a 零 may stand for the 万 group's empty end
    ("一十二亿三千四百五十六万七千八百九十", "元", 1_234_567_890, False),
    ("一万二千三百零一亿二千三百零一万二千三百零一", "元", 1_230_123_012_301, False),
    ("一百十一", "元", 111, False),  # 十 right after 百 needs no 一
    ("人民币壹拾亿零壹佰万零贰拾壹元整", "元", 1_001_000_021, False),
    ("人民币负壹元整", "元", -1, False),
    ("玖仟陆佰陆拾伍圆壹角捌分", "元", 9_665.18, False),
    ("壹仟陆佰捌拾元零叁角贰分", "元", 1_680.32, False),  # 元零…角: the 元's ones are 0
    ("壹仟元零伍分", "元", 1_000.05, False),
    ("零元", "元", 0, False),
    ("〇", "元", 0, False),
    ("两元", "元", 2, False),
    # A unit with no digit, when the amount is approximate: about a million, about a thousand.
    ("近百万", "元", 1_000_000, True),
    ("百余万元", "元", 1_000_000, True),
    ("近千元", "元", 1_000, True),
    ("千余元", "元", 1_000, True),
]

# (written, the reason given)
REFUSED = [
    # Units out of order are refused, never re-ordered.
    ("伍亿柒仟万拾柒百", "units out of order (柒百 after 拾): within each 万 or 亿 the units go down, 千 百 十"),
    ("一万零百一十一", "零百: a digit is missing before 百"),
    # Two numerals side by side (a range) are refused, never added.
    ("十一十二", two_numbers("十一", "十二")),
    ("十七十八", two_numbers("十七", "十八")),
    ("负十一十二", two_numbers("十一", "十二")),
    ("一千二三百", two_numbers("一千二", "三百")),
    ("三四百", two_numbers("三", "四百")),
    ("十万十万", two_numbers("十万", "十万")),
    ("一万一亿", two_numbers("一万", "一亿")),  # not 一万零一亿 with its 零 left out
    ("一千五万", two_numbers("一千", "五万")),  # not 一千五百万 shortened inside a number
    ("1万12345", two_numbers("1万", "12345")),
    # A unit alone is not an amount.
    ("千", "千 alone is a unit, not an amount: write 一千"),
    ("百", "百 alone is a unit, not an amount: write 一百"),
    ("千元", "千 alone is a unit, not an amount: write 一千"),
    ("百元", "百 alone is a unit, not an amount: write 一百"),
    ("万", "万 alone is a unit, not an amount"),
    ("億", "億 alone is a unit, not an amount"),
    ("百万元", "百万 with no digit is a unit (as in 单位：百万元), not an amount: write 一百万"),
    ("百十一", "百十 means about a hundred, not a number: write the amount"),
    # Digits one by one: years, codes, phone numbers.
    (
        "一七二零",
        "digits one by one (一七二零), as a year, a code or a phone number is written: not an amount of money",
    ),
    ("二〇二三", "digits one by one (二〇二三)"),
    # 零 where standard writing has none, or none where it has one.
    ("一千一十", "a 零 is missing before 一十 (as in 一千零五十, 十万零一百): without it the places are a guess"),
    ("伍亿柒仟万拾柒", "拾 with no digit before it after 柒仟万: write 一拾, with 零 before it if a place is skipped"),
    ("一亿五万", "a 零 is missing before 五万"),
    ("一万零三千", "零 before 三千 where no place is skipped: leave it out"),
    ("一千零零五", "零 twice in a row: write one"),
    ("一千零", "零 at the end of a number"),
    ("零十", "零 at the start of a number"),
    ("伍佰零伍元零伍角", "零 before 角 where no place is skipped: leave it out"),
    ("伍角零伍分", "零 between 角 and 分, where no place is skipped: leave it out"),
    # Short forms that could mean two things.
    ("1万6", "ambiguous: 1万6 may be 1万6千 (as in 三万五) or 1万零6: write one of them"),
    ("1千5", "ambiguous: 1千5 may be 1千5百 (as in 三万五) or 1千零5: write one of them"),
    ("1亿5000", "ambiguous: 1亿5000 may be 1亿5000万 (万 left out) or 1亿零5000: write one of them"),
    ("一万亿五", "ambiguous: which place is 五 after 万亿? write its unit"),
    ("一万二点五", "decimals after a shortened number (一万二, its last unit left out): write every unit"),
    ("十两", "两 as the last digit of a number (十两 is a weight): write 二"),
    # Decimals that are not numbers.
    ("点五", "点 with no number before it: write 零点…"),
    ("一点", "点 with no digits after it"),
    ("一点二点三", "two decimal points (点)"),
    ("一万点五万", "万 after a number that has 万 or 亿 already (一万)"),
    ("1.5万3000", two_numbers("1.5万", "3000")),
    ("1.5万零3000", "a decimal (1.5) with more than a unit after it"),
    ("一点五元五角", "角 or 分 after a decimal number of 元: write the amount in one form"),
    # Past the limit.
    ("一千一百一十一万一千一百一十一亿一千一百一十一万一千一百一十一", "beyond what is kept exactly to the fen"),
    ("十万亿", "beyond what is kept exactly to the fen"),
    ("一亿亿", "亿 with no number before it"),
]


@pytest.mark.parametrize(("written", "unit", "yuan", "approx"), READ, ids=[r[0] + "|" + r[1] for r in READ])
def test_reads_the_numeral(written, unit, yuan, approx):
    assert to_yuan(written, unit=unit) == yuan
    parsed = parse_amounts([written], unit=unit).iloc[0]
    assert (parsed["amount_yuan"], bool(parsed["approx"])) == (yuan, approx)
    assert pd.isna(parsed["error"])


@pytest.mark.parametrize(("written", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refuses_the_numeral_with_the_reason(written, reason):
    with pytest.raises(AmountError) as raised:
        to_yuan(written)
    assert raised.value.value == written
    assert reason in raised.value.reason
    assert f"cannot read {written!r} as an amount: " in str(raised.value)
    parsed = parse_amounts([written]).iloc[0]
    assert math.isnan(parsed["amount_yuan"]) and reason in parsed["error"]


def test_a_bare_numeral_without_a_unit_is_a_no_unit_error():
    parsed = parse_amounts(["三万五", "一点二", "两千六", "1万600", "一千二"], unit=None)
    assert parsed["error"].tolist()[1:3] == [
        "no unit: '一点二' is a bare number and no unit is given for it",
        "no unit: '两千六' is a bare number and no unit is given for it",
    ]
    assert parsed["amount_yuan"].tolist()[0] == 35_000 and parsed["amount_yuan"].tolist()[3] == 10_600
    assert parsed["error"].iloc[4].startswith("no unit")


def test_the_vectorised_path_agrees_with_to_yuan_on_every_case():
    """Each case in a column among common forms (so both paths run) reads as it does alone."""
    values = [r[0] for r in READ] + [r[0] for r in REFUSED] + ["4.2万", "（4.2）", "1,234.56", "—", "12.3%"]
    for unit in ("元", "万元", None):
        alone = [_parse_text(value, None if unit is None else {"元": 1.0, "万元": 1e4}[unit]) for value in values]
        for column in (pd.Series(values * 3, dtype="str"), pd.Series(values * 3, dtype=object)):
            parsed = parse_amounts(column, unit=unit)
            got = [(a, bool(x), None if pd.isna(e) else e) for a, x, e in parsed.itertuples(index=False)]
            want = [(a, x, e) for a, x, e in alone] * 3
            assert [(None if math.isnan(a) else a, x, e) for a, x, e in got] == [
                (None if math.isnan(a) else a, x, e) for a, x, e in want
            ]
        coerced = to_yuan(pd.Series(values), unit=unit, errors="coerce").tolist()
        assert [None if math.isnan(v) else v for v in coerced] == [None if math.isnan(a) else a for a, _, _ in alone]


# --- standard numerals, written independently of the reader ---------------------------------------------------

ORDINARY = {"digits": "一二三四五六七八九", "units": ("", "十", "百", "千"), "wan": "万", "yi": "亿"}
FINANCIAL = {"digits": "壹贰叁肆伍陆柒捌玖", "units": ("", "拾", "佰", "仟"), "wan": "万", "yi": "亿"}
TRADITIONAL = {"digits": "壹貳參肆伍陸柒捌玖", "units": ("", "拾", "佰", "仟"), "wan": "萬", "yi": "億"}
ZERO = "零"


def _four(number: int, style: dict) -> str:
    """0 < number < 10**4: 一千零二十 — zeros between digits are one 零, zeros at the end are not said."""
    words, gap = [], False
    for place in (3, 2, 1, 0):
        digit = number // 10**place % 10
        if not digit:
            gap = bool(words)
            continue
        words += [ZERO] * gap + [style["digits"][digit - 1] + style["units"][place]]
        gap = False
    return "".join(words)


def _below_yi(number: int, style: dict) -> str:
    """0 < number < 10**8: 一万零二, 十二万三千 (a group that does not start at its 千 is led by 零)."""
    wan, rest = divmod(number, 10**4)
    if not wan:
        return _four(rest, style)
    return _four(wan, style) + style["wan"] + (ZERO * (0 < rest < 1000) + _four(rest, style) if rest else "")


def numeral(number: int, style: dict = ORDINARY) -> str:
    """0 <= number < 10**16 as standard writing has it: 一亿零一万, 一万二千亿, 十二万 (ordinary drops 一十's 一)."""
    if number == 0:
        return ZERO
    yi, rest = divmod(number, 10**8)
    text = (
        _below_yi(rest, style)
        if not yi
        else _below_yi(yi, style) + style["yi"] + (ZERO * (0 < rest < 10**7) + _below_yi(rest, style) if rest else "")
    )
    return text[1:] if style is ORDINARY and text.startswith("一十") else text


def money(fen: int, style: dict, mark: str = "元") -> str:
    """A financial amount: 壹仟元零伍分, 伍角, 壹拾贰万叁仟元整."""
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    text = numeral(yuan, style) + mark if yuan else ""
    if not cents:
        return (text or ZERO + mark) + "整"
    if jiao:
        text += style["digits"][jiao - 1] + "角"
    if fen_digit:
        text += ZERO * bool(yuan and not jiao) + style["digits"][fen_digit - 1] + "分"
    return text


def test_the_writer_matches_hand_written_numerals():
    assert [
        numeral(n)
        for n in (
            10,
            15,
            105,
            1_010,
            10_002,
            100_010,
            120_000,
            10_201_000,
            100_010_000,
            1_000_100_000,
            10**12 + 10**8,
            10**12 + 5,
        )
    ] == [
        "十",
        "十五",
        "一百零五",
        "一千零一十",
        "一万零二",
        "十万零一十",
        "十二万",
        "一千零二十万一千",
        "一亿零一万",
        "十亿零一十万",
        "一万零一亿",
        "一万亿零五",
    ]
    assert numeral(123_000, FINANCIAL) == "壹拾贰万叁仟"
    assert [money(f, FINANCIAL) for f in (100_005, 50, 12_300_000, 168_032, 0)] == [
        "壹仟元零伍分",
        "伍角",
        "壹拾贰万叁仟元整",
        "壹仟陆佰捌拾元叁角贰分",
        "零元整",
    ]


CHINESE_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")
WHOLE = st.integers(min_value=0, max_value=int(LARGEST_AMOUNT) - 1)
FEN = st.integers(min_value=0, max_value=int(LARGEST_AMOUNT) * 100 - 1)


@PROPERTIES
@given(WHOLE | st.integers(min_value=0, max_value=10**6))
@example(int(LARGEST_AMOUNT) - 1)  # 九万九千九百九十九亿九千九百九十九万九千九百九十九
@example(1_000_100_000)  # 十亿零一十万
@example(10**12 + 10**4)  # 一万亿零一万
def test_whole_numbers_written_as_numerals_read_back_exactly(number):
    for style in (ORDINARY, FINANCIAL, TRADITIONAL):
        text = numeral(number, style)
        assert to_yuan(text) == number, text
        assert to_yuan(text + "元", unit="万元") == number, text
        assert to_yuan("负" + text + "元") == -number + 0.0, text


@PROPERTIES
@given(FEN | st.integers(min_value=0, max_value=10**6))
@example(int(LARGEST_AMOUNT) * 100 - 1)  # 九万…九元九角九分
@example(100_005)  # 壹仟元零伍分
@example(5)  # 零点零五, 伍分
def test_amounts_to_the_fen_read_back_exactly(fen):
    yuan = float(decimal.Decimal(fen) / 100)
    whole, cents = divmod(fen, 100)
    point = numeral(whole) + ("点" + f"{cents:02d}".rstrip("0").translate(CHINESE_DIGITS) if cents else "")
    assert to_yuan(point) == yuan, point
    for style, mark in ((FINANCIAL, "元"), (FINANCIAL, "圆"), (TRADITIONAL, "圓")):
        text = money(fen, style, mark)
        assert to_yuan(text) == yuan, text
        assert to_yuan("人民币" + text, unit="万元") == yuan, text


def _digits(number: int) -> int:
    return len(str(number))


# Numerals of one band side by side: the second with at least as many digits (a range, 十一十二, 三万五万).
# Across bands a pair can be one numeral (一百 十万 is 一百十万), so the bands are kept apart.
BANDS = [(10, 10**4 - 1), (10**4, 10**8 - 1), (10**8, int(LARGEST_AMOUNT) - 1)]
PAIRS = (
    st.sampled_from(BANDS)
    .flatmap(lambda band: st.tuples(st.integers(*band), st.integers(*band)))
    .map(lambda pair: pair if _digits(pair[1]) >= _digits(pair[0]) else pair[::-1])
)


@PROPERTIES
@given(PAIRS, st.sampled_from([ORDINARY, FINANCIAL, TRADITIONAL]))
@example((11, 12), ORDINARY)  # 十一十二
@example((30_000, 50_000), ORDINARY)  # 三万五万
@example((100, 100), FINANCIAL)  # 壹佰壹佰
def test_two_numerals_side_by_side_are_refused(pair, style):
    text = numeral(pair[0], style) + numeral(pair[1], style)
    with pytest.raises(AmountError) as raised:
        to_yuan(text)
    assert raised.value.reason.startswith("two numbers in one cell ("), text
    assert raised.value.reason.endswith("?): keep one amount per cell"), text
    assert parse_amounts([text + "元"])["error"].iloc[0] == raised.value.reason


# Pieces of numerals, right and wrong, combined at random: a value or a reason, the same on both paths.
NUMERAL_PIECES = [
    *"零〇一二两兩三五九壹贰貳叁參拾佰仟十百千万萬亿億点點廿卅",
    *"元圓角分整余多约负",
    "0",
    "1",
    "5",
    "12",
    "600",
    "1.5",
    "1" * 45,
]
NUMERAL_TEXT = st.lists(st.sampled_from(NUMERAL_PIECES), min_size=1, max_size=12).map("".join)


@PROPERTIES
@given(st.lists(NUMERAL_TEXT, min_size=1, max_size=6), st.sampled_from(["元", "万元", None]))
@example(["0万二", "1.5点五", "一点1.5", "十一十二" * 8], "元")
def test_any_numeral_text_reads_or_is_refused_alike_on_both_paths(texts, unit):
    factor = None if unit is None else {"元": 1.0, "万元": 1e4}[unit]
    alone = []
    for text in texts:
        amount, approx, error = _parse_text(text, factor)
        assert math.isnan(amount) != (error is None), text  # a value or a reason, never both
        assert math.isnan(amount) or abs(amount) < LARGEST_AMOUNT, text
        alone.append((None if math.isnan(amount) else amount, approx, error))
    for column in (pd.Series(texts, dtype="str"), pd.Series(texts, dtype=object)):
        parsed = parse_amounts(column, unit=unit)
        assert [
            (None if math.isnan(a) else a, bool(x), None if pd.isna(e) else e)
            for a, x, e in parsed.itertuples(index=False)
        ] == alone
