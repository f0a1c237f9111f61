"""Chinese numerals read exactly: 十二万三千, 壹仟零拾, 1万600, 一点二, 廿二 by a small grammar, and the digits one by
one of a year (二〇一七).

The one reader of Chinese numerals in villagecon: amounts (:mod:`villagecon.parse.amounts`) and dates
(:mod:`villagecon.parse.dates`) both read theirs here.
"""

from __future__ import annotations

import decimal
import itertools
import re
from dataclasses import dataclass

__all__ = [
    "CHINESE_DIGITS",
    "DIGITS",
    "EXACT",
    "NUMERAL_CHARS",
    "POINT",
    "ZERO",
    "NotANumeral",
    "chinese_number",
    "digit_value",
    "read_numeral",
]

# Numerals: digits (financial capitals, traditional forms, 两 before a unit), 廿/卅/卌, units, 点.
ZERO = "零〇○"
_DIGIT_VALUES = {
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "叄": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
DIGITS = {**dict.fromkeys(ZERO, 0), **_DIGIT_VALUES}  # 角 and 分 take any of these
_COUNTING_TWO = "两兩"  # 2 before a unit (两千), never last (十两: a weight)
_TENS = {"廿": 2, "卅": 3, "卌": 4}  # 廿二 is 二十二
_SMALL = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3}  # a unit and its place in a group of four
_LARGE = {"万": 4, "萬": 4, "亿": 8, "億": 8}
_SIMPLIFIED = {"拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿"}
POINT = "点點"
NUMERAL_CHARS = "".join([*DIGITS, *_TENS, *_SMALL, *_LARGE, POINT])
# What each numeral character is; a token not here is a run of Arabic digits.
_KINDS = {
    **dict.fromkeys(ZERO, "zero"),
    **dict.fromkeys(_DIGIT_VALUES, "digit"),
    **dict.fromkeys(_TENS, "tens"),
    **dict.fromkeys(_SMALL, "small"),
    **dict.fromkeys(_LARGE, "large"),
    **dict.fromkeys(POINT, "point"),
}
# Possessive (++, ?+): "11111….x" must fail in one pass, not try every split of the digits (2**n).
_NUMERAL = re.compile(rf"(?:\d++(?:\.\d++)?+|[{NUMERAL_CHARS}])++")
_NUMERAL_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{NUMERAL_CHARS}]")
# Sums, products and rounding of decimals with no digit lost, however many the text has.
EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
# Digits one by one, as a year is written (二〇一七年): no units, each character a digit.
CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_ONE_BY_ONE = re.compile(r"[〇○零一二三四五六七八九]+")


def chinese_number(text: str) -> int:
    """The whole number a Chinese numeral writes: digits one by one (二〇一七 → 2017, 〇五 → 5) or with units
    (十二 → 12, 二十一 → 21), as dates write their years, months and days.

    Parameters
    ----------
    text : str
        The numeral, nothing else around it.

    Returns
    -------
    int

    Raises
    ------
    NotANumeral
        ``text`` is no whole numeral (十十, 一点五, 二〇一七万).
    """
    if _ONE_BY_ONE.fullmatch(text):
        return int(text.translate(CHINESE_DIGITS))
    value, _ = read_numeral(text)
    if value != value.to_integral_value():
        raise NotANumeral(f"{text} is not a whole number")
    return int(value)


def digit_value(token: str) -> int:
    return int(token) if token[0].isdigit() else DIGITS[token]


# ---------------------------------------------------------------------------------------------
# Chinese numerals: a small grammar
#
# A numeral is read left to right into terms: a digit with its unit (三千), a unit written alone where that
# is how the number is written (十二's 十), a run of Arabic digits (1万600's 600), a last digit. Each term
# gets its place (the 千 of the 万 group is place 7). The numeral is read only if the places go strictly
# down, 万 and 亿 come as [万] 亿 [万], a 零 stands exactly where standard writing puts one (a place is
# skipped) and is not missing where it needs one, and nothing is left over. Anything else is refused with
# the reason: never re-ordered, summed or guessed. Values are exact.
# ---------------------------------------------------------------------------------------------

# Units a decimal may carry (1.2万, 一点五亿, 3.1千万, 1.2万亿): the power of ten each multiplies by.
_MULTIPLIERS = {
    "": 0,
    "百": 2,
    "千": 3,
    "万": 4,
    "十万": 5,
    "百万": 6,
    "千万": 7,
    "亿": 8,
    "十亿": 9,
    "百亿": 10,
    "千亿": 11,
    "万亿": 12,
}
_LARGE_ORDERS: tuple[list[str], ...] = ([], ["万"], ["亿"], ["亿", "万"], ["万", "亿"], ["万", "亿", "万"])
_SPLIT_TOKENS = 64  # numerals up to this many tokens are tried as two numbers side by side
_LONGEST_RUN = 40  # more digits than any amount has: refused, and never handed to int()


class NotANumeral(Exception):
    """Why a text is not a numeral (``reason`` None: not a numeral at all, say why elsewhere).

    ``split``: the places run into each other ("any": 十一十二, 十万十万) or a 零 is missing between two
    parts ("up": 一万一亿) — two numbers side by side, if both halves read (the second larger for "up").
    """

    def __init__(self, reason: str | None, *, split: str | None = None):
        super().__init__(reason)
        self.reason, self.split = reason, split


@dataclass(slots=True)
class _Term:
    value: int  # 5 for 五百, 600 for the run 600, 1 for the 十 of 十二
    place: int  # place of its last digit: in its group of four, then in the number
    width: int  # digits it spans: 1, or the length of an Arabic run
    text: str  # as written, for messages
    zero: bool = False  # a 零 is written before it
    arabic: bool = False
    bare: bool = False  # a unit written without its digit (the 十 of 十二, the 百 of 百万)
    tail: bool = False  # the last digit of 三万五 or 一百二: one place below the unit before it
    large: str = ""  # the 万 or 亿 after it, when it ends a group (for messages)

    @property
    def top(self) -> int:
        return self.place + self.width - 1

    @property
    def shown(self) -> str:
        return self.text + self.large


# The terms of a group of four places, and the 万 or 亿 that ends it (None for the last group).
_Group = tuple[list[_Term], str | None]


def read_numeral(text: str, *, bare_allowed: bool = False) -> tuple[decimal.Decimal, bool]:
    """(exact value, whether it has 万 or 亿) of 十二万三千, 壹仟零拾, 1万600, 一点二, 零点零零三四二万 ….

    ``bare_allowed``: 百万, 千万, 百亿, 千 (百 or 千 with no digit, alone or then 万 or 亿) are read; only
    for an approximate amount (近百万, 百余万, 千余元), since 千元 or 百万元 alone is a unit (单位：百万元).
    Raises NotANumeral.
    """
    if not _NUMERAL.fullmatch(text):
        raise NotANumeral(None)
    tokens = _NUMERAL_TOKEN.findall(text)
    if any(len(token) > _LONGEST_RUN for token in tokens):
        raise NotANumeral(f"more than {_LONGEST_RUN} digits in a row: not an amount of money")
    try:
        return _read_tokens(tokens, bare_allowed)
    except NotANumeral as refused:
        if refused.split and len(tokens) <= _SPLIT_TOKENS:
            cut = _two_numerals(tokens, bare_allowed, up=refused.split == "up")
            if cut is not None:
                raise NotANumeral(
                    f"two numbers in one cell ({''.join(tokens[:cut])} and "
                    f"{''.join(tokens[cut:])}?): keep one amount per cell"
                ) from None
        raise


def _two_numerals(tokens: list[str], bare_allowed: bool, *, up: bool) -> int | None:
    """Where the tokens split into two numerals side by side (十一十二, 一千二三百; the second larger if ``up``).

    Of several splits, the one with the closest numbers: 十一十二 is 十一 and 十二, not 十 and 一十二.
    """
    cuts = []
    for cut in range(1, len(tokens)):
        if (
            not (
                _is_digits(tokens[cut])
                or tokens[cut] in _TENS
                or _SIMPLIFIED.get(tokens[cut], tokens[cut]) in ("十百千" if bare_allowed else "十")
            )
            or tokens[cut] in ZERO
        ):
            continue  # a numeral starts with a digit, 廿 or 十 (百/千 in 近百万)
        try:
            first, _ = _read_tokens(tokens[:cut], bare_allowed)
            second, _ = _read_tokens(tokens[cut:], bare_allowed)
        except NotANumeral:
            continue
        if second > first or not up:
            cuts.append((abs(second - first) / max(first, second, decimal.Decimal(1)), cut))
    return min(cuts)[1] if cuts else None


def _is_digits(token: str) -> bool:
    return _KINDS.get(token, "run") in ("digit", "zero", "run")


def _read_tokens(tokens: list[str], bare_allowed: bool) -> tuple[decimal.Decimal, bool]:
    points = [i for i, token in enumerate(tokens) if token in POINT]
    whole = tokens[: points[0]] if points else tokens
    if len(whole) > 1 and all(_is_digits(token) for token in whole):
        raise NotANumeral(
            f"digits one by one ({''.join(whole)}), as a year, a code or a phone number is "
            "written: not an amount of money"
        )
    if len(points) > 1:
        raise NotANumeral("two decimal points (点)")
    if dotted := [token for token in tokens[1:] if "." in token]:
        raise NotANumeral(
            f"a decimal ({dotted[0]}) after other parts of a number: write the amount in one form", split="any"
        )
    if points and "." in tokens[0]:
        raise NotANumeral(f"a decimal ({tokens[0]}) and 点 in one number: write the amount in one form")
    if points:
        return _read_decimal(whole, tokens[points[0] + 1 :], bare_allowed)
    if "." in tokens[0]:  # 4.2萬, 3.1千万, 1.2万亿
        multiplier = "".join(_SIMPLIFIED.get(token, token) for token in tokens[1:])
        if multiplier not in _MULTIPLIERS:
            raise NotANumeral(
                f"a decimal ({tokens[0]}) with more than a unit after it: write the amount in "
                "one form (1.53万 or 15300)",
                split="any",
            )
        return decimal.Decimal(tokens[0]).scaleb(_MULTIPLIERS[multiplier]), _MULTIPLIERS[multiplier] >= 4
    value, large, _ = _read_whole(tokens, bare_allowed)
    return value, large


def _read_decimal(whole: list[str], after: list[str], bare_allowed: bool) -> tuple[decimal.Decimal, bool]:
    """一点二, 三点一四, 一万零八百八十九点七二, 零点零零三四二万, 三点五千万, 一百点123."""
    if not whole:
        raise NotANumeral("点 with no number before it: write 零点…")
    if after and after[0][0].isdigit():
        fraction, rest = after[0], after[1:]
    else:
        digits = 0
        while digits < len(after) and after[digits] in DIGITS and after[digits] not in _COUNTING_TWO:
            digits += 1
        fraction, rest = "".join(str(DIGITS[token]) for token in after[:digits]), after[digits:]
    if not fraction:
        raise NotANumeral("点 with no digits after it")
    multiplier = "".join(_SIMPLIFIED.get(token, token) for token in rest)
    if multiplier not in _MULTIPLIERS:
        raise NotANumeral(
            f"{''.join(rest)} after the decimal digits: only a unit (万, 亿, 千万 …) may follow them", split="any"
        )
    if multiplier[:1] in ("百", "千", "十"):  # 三点五千万: one digit before 点
        if len(whole) != 1 or not _is_digits(whole[0]) or len(whole[0]) != 1:
            raise NotANumeral(f"{''.join(whole)} before 点 and {multiplier} after it: write the amount in one form")
        value, large, tail = decimal.Decimal(digit_value(whole[0])), False, False
    else:
        value, large, tail = _read_whole(whole, bare_allowed)
        if large and multiplier:
            raise NotANumeral(f"{multiplier} after a number that has 万 or 亿 already ({''.join(whole)})", split="any")
    if tail:
        raise NotANumeral(
            f"decimals after a shortened number ({''.join(whole)}, its last unit left out): write every unit"
        )
    with decimal.localcontext(EXACT):
        value = (value + decimal.Decimal("0." + fraction)).scaleb(_MULTIPLIERS[multiplier])
    return value, large or _MULTIPLIERS[multiplier] >= 4


def _read_whole(tokens: list[str], bare_allowed: bool) -> tuple[decimal.Decimal, bool, bool]:
    """A whole numeral (十二万三千, 壹仟零拾, 1百01, 两万二) → (value, has 万 or 亿, ends with a dropped unit)."""
    if len(tokens) == 1 and tokens[0] in ZERO:
        return decimal.Decimal(0), False, False
    groups = _groups(tokens)
    terms = _placed(groups, bare_allowed)
    return decimal.Decimal(sum(term.value * 10**term.place for term in terms)), len(groups) > 1, terms[-1].tail


def _groups(tokens: list[str]) -> list[_Group]:
    """The terms of each 万/亿 group, with the 万 or 亿 that ends it (None for the last group)."""
    groups: list[_Group] = []
    terms: list[_Term] = []
    pending, zero = None, False  # digits waiting for their unit; a 零 before them
    pending_at = 0
    for at, token in enumerate(tokens):
        kind = _KINDS.get(token, "run")
        if kind == "zero":
            if pending is not None:
                raise NotANumeral(f"零 after {pending}, which has no unit", split="any")
            if zero:
                raise NotANumeral("零 twice in a row: write one")
            if not terms and not groups:
                raise NotANumeral("零 at the start of a number")
            zero = True
        elif kind in ("digit", "run"):
            if pending is not None:
                raise NotANumeral(f"two digits in a row ({pending}{token})", split="any")
            pending, pending_at = token, at
        elif kind == "tens":
            if pending is not None:
                raise NotANumeral(f"two digits in a row ({pending}{token})", split="any")
            terms.append(_Term(_TENS[token], 1, 1, token, zero=zero))
            zero = False
        elif kind == "small":
            if pending is None:
                terms.append(_Term(1, _SMALL[token], 1, token, zero=zero, bare=True))
            elif pending[0].isdigit() and (len(pending) > 1 or pending == "0"):
                raise NotANumeral(f"{pending}{token}: one digit from 1 to 9 goes before {token}")
            else:
                terms.append(
                    _Term(
                        digit_value(pending), _SMALL[token], 1, pending + token, zero=zero, arabic=pending[0].isdigit()
                    )
                )
            pending, zero = None, False
        else:  # 万 or 亿 ends a group
            if pending is not None:
                terms.append(_last_digits(pending, tokens[:pending_at], terms, groups, zero, before=token))
                pending, zero = None, False
            if zero:
                raise NotANumeral(f"零 right before {token}: a digit is missing")
            if not terms and not (
                _LARGE[token] == 8 and groups and _LARGE.get(groups[-1][1] or "") == 4 and groups[-1][0]
            ):  # 万亿: 亿 right after 万 multiplies it
                raise NotANumeral(
                    f"{token} alone is a unit, not an amount"
                    if len(tokens) == 1
                    else f"{token} with no number before it",
                    split="any" if groups else None,
                )
            if terms:
                terms[-1].large = token
            groups.append((terms, token))
            terms = []
    if pending is not None:
        terms.append(_last_digits(pending, tokens[:pending_at], terms, groups, zero, before=None))
    elif zero:
        raise NotANumeral("零 at the end of a number")
    groups.append((terms, None))
    return groups


def _last_digits(
    pending: str, written_before: list[str], terms: list[_Term], groups: list[_Group], zero: bool, *, before: str | None
) -> _Term:
    """Digits with no unit of their own, last in their group, after the tokens ``written_before`` (``before``:
    the 万 or 亿 after them, if any)."""
    arabic = pending[0].isdigit()
    term = _Term(digit_value(pending), 0, len(pending) if arabic else 1, pending, zero=zero, arabic=arabic)
    if arabic and not term.value and (terms or groups or before):
        raise NotANumeral(f"{pending} inside a numeral: a 0 has no place there (write 零 where a place is skipped)")
    if pending in _COUNTING_TWO and before is None and (terms or groups):
        raise NotANumeral(f"{pending} as the last digit of a number (十两 is a weight): write 二")
    if zero or not (terms or groups):
        return term  # 一千零五, 1万零600, 五, 五万, 1200万
    if terms and terms[-1].place == 1:  # 十二, 一百二十三, 廿二
        if term.width > 1:
            raise NotANumeral(f"{pending} after {terms[-1].text}: one digit goes after 十", split="any")
        return term
    unit = terms[-1].text[-1] if terms else (groups[-1][1] or "")  # a group before the last ends in 万 or 亿
    if not terms and before is not None:  # 2亿3000万, 一亿五万: the digits of the next 万 or 亿
        return term
    if arabic:
        written = "".join(written_before)
        if not terms and _LARGE[unit] == 8:
            raise NotANumeral(
                f"ambiguous: {written}{pending} may be {written}{pending}万 (万 left out) or "
                f"{written}零{pending}: write one of them"
            )
        if term.width == 1:
            below = {"万": "千", "萬": "千", "千": "百", "仟": "百", "百": "十", "佰": "十"}[unit]
            raise NotANumeral(
                f"ambiguous: {written}{pending} may be {written}{pending}{below} (as in 三万五) or "
                f"{written}零{pending}: write one of them"
            )
        if terms and term.width > terms[-1].place:
            raise NotANumeral(f"{pending} does not fit after {terms[-1].text}", split="any")
        return term  # 1万600, 1百01: the digits of the places below
    if before is not None:  # 一千五万: 一千五百万 or 一千零五万?
        raise NotANumeral(
            f"{pending} after {unit} with no unit of its own, before {before}: write its unit, or 零 before it",
            split="any",
        )
    if not terms and not groups[-1][0]:  # 一万亿五: after 万亿, which place?
        raise NotANumeral(f"ambiguous: which place is {pending} after 万亿? write its unit")
    # 三万五, 一百二, 两千六: the unit left out is the one below the last written
    term.tail = True
    term.place = terms[-1].place - 1 if terms else -1  # -1: one below the 万 or 亿, set by _placed
    return term


def _placed(groups: list[_Group], bare_allowed: bool) -> list[_Term]:
    """The terms of all groups with their places in the number, checked; raises NotANumeral."""
    for terms, _ in groups:  # units go down within a group: 千 百 十
        for before, term in itertools.pairwise(terms):
            if term.top >= before.place:
                raise NotANumeral(
                    f"units out of order ({term.shown} after {before.shown}): within each 万 or 亿 "
                    "the units go down, 千 百 十",
                    split="any",
                )
    larges = [_SIMPLIFIED.get(large, large) for _, large in groups[:-1] if large is not None]
    if larges not in _LARGE_ORDERS:
        raise NotANumeral(
            f"units out of order ({'…'.join(larges)}): 万 and 亿 come once each, as in 一万二千亿三千万", split="any"
        )
    bases = [12 if large == "万" and "亿" in larges[i + 1 :] else _LARGE[large] for i, large in enumerate(larges)]
    bases.append(0)
    placed: list[_Term] = []
    for i, (terms, _) in enumerate(groups):
        for term in terms:
            term.place = bases[i - 1] - 1 if term.place < 0 else term.place + bases[i]
            placed.append(term)
    for i, term in enumerate(placed):
        if term.bare:
            _check_bare(placed, i, groups, bare_allowed)
    for before, term in itertools.pairwise(placed):
        if term.top >= before.place:
            raise NotANumeral(f"{term.shown} does not fit after {before.shown}", split="any")
    for before, term in itertools.pairwise(placed):
        skipped = before.place - term.top - 1
        if term.zero and not skipped:
            raise NotANumeral(f"零 before {term.shown} where no place is skipped: leave it out")
        if not term.zero and skipped and not (term.arabic or term.tail) and _needs_zero(before, term):
            raise NotANumeral(
                f"a 零 is missing before {term.shown} (as in 一千零五十, 十万零一百): without it "
                "the places are a guess",
                split="up",
            )
    return placed


def _needs_zero(before: _Term, term: _Term) -> bool:
    """Standard writing has a 零 between two terms with places skipped between them, unless only the end of
    a 万 or 亿 group is skipped and the next group starts at its 千 (二十万三千, 一亿一千万)."""
    level = term.top // 4
    return before.place // 4 != level + 1 or term.top != 4 * level + 3


def _check_bare(placed: list[_Term], i: int, groups: list[_Group], bare_allowed: bool) -> None:
    """A unit with no digit: 十 first, after 零 or after 百 (十二, 一千零十, 一百十一); 百/千 only in 近百万."""
    term = placed[i]
    unit = _SIMPLIFIED.get(term.text, term.text)
    before = placed[i - 1] if i else None
    if unit == "十":
        if (
            before is None
            or term.zero
            or (
                _SIMPLIFIED.get(before.text[-1], before.text[-1]) == "百"
                and before.place == term.place + 1
                and not before.bare
            )
        ):
            return
        raise NotANumeral(
            f"{term.text} with no digit before it after {before.shown}: write 一{term.text}, with "
            "零 before it if a place is skipped"
        )
    alone_before_large = i == 0 and len(groups) > 1 and len(groups[0][0]) == 1
    if bare_allowed and (alone_before_large or (len(placed) == 1 and len(groups) == 1)):
        return  # 近百万, 百余万, 近千元
    if alone_before_large:
        large = groups[0][1]
        raise NotANumeral(
            f"{term.text}{large} with no digit is a unit (as in 单位：百万元), not an amount: "
            f"write 一{term.text}{large}"
        )
    if len(placed) == 1 and len(groups) == 1:
        raise NotANumeral(f"{term.text} alone is a unit, not an amount: write 一{term.text}")
    if term.zero:
        raise NotANumeral(f"零{term.text}: a digit is missing before {term.text}")
    after = placed[i + 1] if i + 1 < len(placed) else None
    if unit == "百" and after is not None and after.bare and _SIMPLIFIED.get(after.text, after.text) == "十":
        raise NotANumeral(f"{term.text}{after.text} means about a hundred, not a number: write the amount")
    raise NotANumeral(f"{term.text} with no digit before it: write 一{term.text}")
