"""Amounts of money as village ledgers write them, read into yuan.

``parse_amounts`` is the vectorised core: a column of cells in, one row per cell out with
``amount_yuan`` (rounded to the fen), ``approx`` and ``error``. The common forms (plain
numbers, thousands separators, full-width digits, 元/万/亿, parentheses and minus signs,
余/约/以上) go through one pyarrow regular expression over the whole column; only cells it
does not match (Chinese numerals, financial capitals, and everything that is an error)
reach the per-value parser, once per distinct text.

Rules (DESIGN.md "Amounts"):

- a unit in the cell wins (``4.2万`` is 42,000 whatever the column says); a bare number
  takes ``unit`` (the column's or sheet's unit), and with ``unit=None`` it is an error;
- ``（4.2）``, ``△4.2``, ``-4.2``, ``负4.2`` and ``负债4.2万元`` are negative;
- 余/多/约/近/以上/左右 make the amount approximate: the number written is kept and
  ``approx`` is True (``40余万元`` is 400,000, approximate);
- ``—``, ``-``, ``/``, ``无`` and empty cells are missing (NaN, no error);
- it never guesses: ``12.3%``, ``1 234,56``, ``4.2万/5万``, ``4.2千克``, ``abc`` are errors
  that say why;
- Chinese numerals are read by a small grammar (see "Chinese numerals" below), simplified, traditional
  and financial capitals alike: ``十二万三千``, ``壹仟零拾元整`` (1010), ``三万五`` (35000: the unit left
  out is the one below the last written), ``一点二``, ``零点零零三四二万`` (34.2), ``1万600`` (10600),
  ``廿二``. Whatever does not parse is refused with the reason, never re-ordered or summed: ``十一十二``
  (two numbers), ``伍亿柒仟万拾柒百`` (units out of order), ``千元`` (a unit alone), ``一七二零`` (digits
  one by one), ``一千一十`` (a 零 missing), ``1万6`` (16000 or 10006?). Numerals are read exactly and
  then rounded to the fen.
"""

from __future__ import annotations

import decimal
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon.errors import AmountError, UsageError

# Units a cell, a header or the ``unit=`` argument may state, and their value in yuan.
UNIT_FACTORS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
YUAN_PER_WAN = UNIT_FACTORS["万元"]  # charts, workbooks and headlines show amounts in 万元
# What a cell may write after its number, and the unit that means.
_CELL_UNITS = {
    "元": "元",
    "圆": "元",
    "块": "元",
    "千元": "千元",
    "万": "万元",
    "万元": "万元",
    "亿": "亿元",
    "亿元": "亿元",
    "¥": "元",
    "人民币": "元",
    "RMB": "元",
}

# Beyond this a float64 cannot hold every fen exactly (2**53 fen is about 9e13 yuan).
LARGEST_AMOUNT = 1e13

PARSED_COLUMNS = ("amount_yuan", "approx", "error")

_MISSING = re.compile(r"[-—–―─/\\]*|无|空")

# The common forms, matched over a whole column at once (RE2 syntax). Match-only patterns: RE2 runs
# them as a DFA, several times faster than extracting groups; the parts are then read with trims.
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT = r"(?:亿元|万元|千元|元|亿|万)"
_COMMON = (
    r"^\s*(?:大约|约|近|将近)? *(?:"
    rf"(?:负债|负|红字|-|−|△|▲|\+)? *(?:¥|人民币|RMB)? *{_NUMBER} *(?:余|多)? *{_UNIT}?"
    rf"|\( *(?:¥|人民币|RMB)? *{_NUMBER} *\) *(?:余|多)? *{_UNIT}?"
    rf"|\( *(?:¥|人民币|RMB)? *{_NUMBER} *(?:余|多)? *{_UNIT}? *\)"
    r") *(?:以上|左右|余|多)? *整?\s*$"
)
# Given a match of _COMMON, these are the characters around the number; the whitespace is every character
# RE2's \s matches (a form feed left on the number once made the cast to float fail for the whole column).
_BEFORE_NUMBER = "大约近将负债红字-−△▲+(¥人民币RMB \t\r\n\f"
_AFTER_NUMBER = ")余多亿万千元以上左右整 \t\r\n\f"
_NEGATIVE = r"^[^\d.]*(?:[负\-−△▲(]|红字)"  # 红字: red ink, a reversal
_APPROXIMATE = r"约|近|余|多|以上|左右"


def unit_factor(unit: str | None) -> float | None:
    """Yuan per bare number in ``unit`` (``unit_factor("万元") == 10000.0``); None for None; else UsageError."""
    if unit is None:
        return None
    canonical = _CELL_UNITS.get(str(unit).strip())
    if canonical is None:
        raise UsageError(f"unit must be one of {', '.join(UNIT_FACTORS)} (or None), not {unit!r}")
    return float(UNIT_FACTORS[canonical])


# ---------------------------------------------------------------------------------------------
# Units stated in text: 单位：万元, 金额（万元）, (元)
# ---------------------------------------------------------------------------------------------

_STATED_UNIT = re.compile(
    # 单位：元 — but not 编制单位：元宝村, where the name only starts with 元.
    # Possessive runs: a cell of 单位 and 100,000 spaces must not backtrack over them.
    r"单位\s*+(?:[:：]|为|是)?+\s*+(?:人民币)?+\s*+(?:[^:：()（）\s、,，]{1,4}[、,，])?+"
    r"(?P<after_label>亿元|万元|千元|元|万(?![\u4e00-\u9fff]))(?![\u4e00-\u9fff])"
    r"|[(\[（【]\s*+(?:(?:金额)?单位\s*+[:：]?+\s*+|金额\s*+[:：]\s*+)?+(?:人民币)?+\s*+"
    r"(?P<in_brackets>亿元|万元|千元|元)\s*+[)\]）】]"
    r"|[/／]\s*+(?P<after_slash>亿元|万元|千元|元)\s*+$"
)


def unit_from_text(text: object) -> str | None:
    """The unit a header or note states (``单位：万元``, ``金额（万元）``, ``收入/元``), else None.

    >>> unit_from_text("单位：万元"), unit_from_text("经营收入（元）"), unit_from_text("经营收入")
    ('万元', '元', None)
    """
    if not isinstance(text, str):
        return None
    match = _STATED_UNIT.search(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    return _CELL_UNITS[next(unit for unit in match.groups() if unit)]


# ---------------------------------------------------------------------------------------------
# The vectorised core
# ---------------------------------------------------------------------------------------------


def parse_amounts(values: Iterable[object] | pd.Series, *, unit: str | None = "元") -> pd.DataFrame:
    """Read a column of amount cells into yuan.

    Parameters
    ----------
    values : Series, array or list
        Cells as read from a ledger: numbers (int, float, Decimal), text, or missing.
    unit : {"元", "万元", "亿元", "千元"} or None
        The unit of bare numbers (``4.2`` in a 万元 column is 42,000 yuan). A unit written in the
        cell wins. None means no unit is known: a bare number is then an error starting
        ``"no unit"``.

    Returns
    -------
    DataFrame, indexed like ``values``
        ``amount_yuan`` (float64, rounded to the fen; NaN when missing or unreadable),
        ``approx`` (bool: 余/约/多/以上/左右/近), ``error`` (why the cell cannot be read; missing
        for readable and empty cells).

    Examples
    --------
    >>> parse_amounts(["40余万元", "（4.2）", "—", "12.3%"], unit="万元")
       amount_yuan  approx                                   error
    0     400000.0    True                                     NaN
    1     -42000.0   False                                     NaN
    2          NaN   False                                     NaN
    3          NaN   False  a percentage is not an amount of money
    """
    factor = unit_factor(unit)
    series = values if isinstance(values, pd.Series) else _as_series(values)
    n = len(series)
    amount = np.full(n, np.nan)
    approx = np.zeros(n, dtype=bool)
    error = np.full(n, None, dtype=object)
    present = _present(series)

    if pd.api.types.is_bool_dtype(series.dtype):
        error[present] = "true/false is not an amount of money"
    elif pd.api.types.is_numeric_dtype(series.dtype):
        _read_numbers(series.to_numpy(dtype="float64", na_value=np.nan), np.arange(n), factor, amount, error)
    elif isinstance(series.dtype, pd.StringDtype):
        texts = pa.array(series.array, type=pa.large_string())
        if present.all():
            _read_texts(texts, None, factor, amount, approx, error)
        else:
            _read_texts(texts.filter(pa.array(present)), np.flatnonzero(present), factor, amount, approx, error)
    else:  # object: what a spreadsheet gives, numbers and text mixed
        kinds = series.map(type).to_numpy()
        objects = series.to_numpy(dtype=object)
        is_text = np.equal(kinds, str)
        is_number = np.isin(kinds, _NUMBER_TYPES) & present
        if is_number.any():
            positions = np.flatnonzero(is_number)
            _read_numbers(_as_floats(objects[positions]), positions, factor, amount, error)
        if is_text.any():
            positions = np.flatnonzero(is_text)
            texts, positions = _encodable(objects[positions], positions, error)
            _read_texts(texts, positions, factor, amount, approx, error)
        for position in np.flatnonzero(present & ~is_text & ~is_number):
            error[position] = f"a {type(objects[position]).__name__} value is not an amount of money"

    reasons = pd.array(pa.array(error, type=pa.large_string(), from_pandas=True), dtype="str")
    return pd.DataFrame({"amount_yuan": amount, "approx": approx, "error": reasons}, index=series.index)


def _present(series: pd.Series) -> np.ndarray:
    try:
        return series.notna().to_numpy()
    except decimal.InvalidOperation:  # pandas cannot test Decimal("sNaN") for missing; a NaN is missing
        return np.array(
            [
                not (value.is_nan() if isinstance(value, decimal.Decimal) else pd.isna(value))
                for value in series.to_numpy(dtype=object)
            ],
            dtype=bool,
        )


def _as_series(values: Iterable[object]) -> pd.Series:
    values = values if hasattr(values, "__len__") else list(values)
    try:
        return pd.Series(values)
    except (UnicodeError, pa.ArrowException):  # text Arrow cannot hold (a lone surrogate): keep it as objects
        return pd.Series(values, dtype=object)


def _as_floats(numbers: np.ndarray) -> np.ndarray:
    """Number cells as float64; an int past float range becomes a huge float (then "too large"), not a crash."""
    try:
        return numbers.astype("float64")
    except (OverflowError, ValueError, ArithmeticError):
        return np.array([_as_float(number) for number in numbers], dtype="float64")


def _as_float(number: object) -> float:
    try:
        return float(number)
    except OverflowError:
        return 1e300 if number > 0 else -1e300
    except (ValueError, ArithmeticError):  # a signalling NaN (Decimal("sNaN"))
        return math.nan


def _encodable(texts: np.ndarray, positions: np.ndarray, error: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Texts as an Arrow array; ones Arrow cannot hold (a lone surrogate from a broken decoder) become errors."""
    try:
        return pa.array(texts, type=pa.large_string()), positions
    except (UnicodeError, pa.ArrowException):
        valid = np.array([_is_utf8(text) for text in texts], dtype=bool)
        error[positions[~valid]] = "not valid text (a lone surrogate: the file was decoded wrongly)"
        return pa.array(texts[valid], type=pa.large_string()), positions[valid]


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeError:
        return False
    return True


_NUMBER_TYPES = np.array(
    [
        int,
        float,
        decimal.Decimal,
        np.float64,
        np.float32,
        np.int64,
        np.int32,
        np.int16,
        np.int8,
        np.uint64,
        np.uint32,
        np.uint16,
        np.uint8,
    ],
    dtype=object,
)


def _read_numbers(
    numbers: np.ndarray, positions: np.ndarray, factor: float | None, amount: np.ndarray, error: np.ndarray
) -> None:
    """Cells that are already numbers: bare, so they take the unit."""
    present = ~np.isnan(numbers)
    if factor is None:
        error[positions[present]] = [_no_unit(float(v)) for v in numbers[present]]
        return
    with np.errstate(over="ignore", invalid="ignore"):  # huge numbers become inf, then "not finite"
        yuan = _to_fen(numbers * factor)
    finite = np.isfinite(yuan)
    too_large = finite & (np.abs(yuan) >= LARGEST_AMOUNT)
    amount[positions[finite & ~too_large]] = yuan[finite & ~too_large]
    error[positions[present & ~finite]] = "not a finite number"
    error[positions[too_large]] = _TOO_LARGE


def _numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False) if isinstance(array, pa.Array) else array.to_numpy()


def _put(target: np.ndarray, at: np.ndarray | None, where: np.ndarray, values: np.ndarray | object) -> None:
    """``target[at[where]] = values[where]``; ``at=None`` means the rows are the target's own rows."""
    if at is None:
        np.copyto(target, values, where=where)
    else:
        target[at[where]] = values[where] if isinstance(values, np.ndarray) else values


def _read_texts(
    raw: pa.Array,
    at: np.ndarray | None,
    factor: float | None,
    amount: np.ndarray,
    approx: np.ndarray,
    error: np.ndarray,
) -> None:
    """Text cells: the common forms in a few passes over the column, the rest one distinct text at a time.

    ``raw[i]`` goes to row ``at[i]`` of ``amount``, ``approx`` and ``error`` (row ``i`` when ``at`` is None).
    """
    common = _numpy(pc.match_substring_regex(raw, _COMMON))
    read = _read_common(pc.if_else(pa.array(common), raw, None), at, factor, amount, approx, error)
    if read.all():
        return
    # Full-width digits and signs (１，２３４．５, －, （）): normalise what did not match and try again.
    retry = np.flatnonzero(~read)
    normalised = pc.utf8_normalize(raw.take(pa.array(retry)), "NFKC")
    again = _numpy(pc.match_substring_regex(normalised, _COMMON))
    retry_at = retry if at is None else at[retry]
    if again.any():
        read[retry] = _read_common(
            pc.if_else(pa.array(again), normalised, None), retry_at, factor, amount, approx, error
        )
    rest = np.flatnonzero(~read)
    if len(rest):
        rest_at = rest if at is None else at[rest]
        codes, distinct = pd.factorize(np.array(raw.take(pa.array(rest)).to_pylist(), dtype=object))
        readings = [_parse_text(text, factor) for text in distinct]
        amount[rest_at] = np.array([r[0] for r in readings], dtype="float64")[codes]
        approx[rest_at] = np.array([r[1] for r in readings], dtype=bool)[codes]
        error[rest_at] = np.array([r[2] for r in readings], dtype=object)[codes]


def _read_common(
    texts: pa.Array,
    at: np.ndarray | None,
    factor: float | None,
    amount: np.ndarray,
    approx: np.ndarray,
    error: np.ndarray,
) -> np.ndarray:
    """Read the texts that match _COMMON (null elsewhere); True where read."""
    digits = pc.utf8_rtrim(pc.utf8_ltrim(texts, characters=_BEFORE_NUMBER), characters=_AFTER_NUMBER)
    try:
        yuan = _numpy(pc.cast(pc.replace_substring(digits, ",", ""), pa.float64())).copy()  # writable
    except pa.ArrowInvalid:  # a form the trims do not reduce to digits: leave every text to the careful parser
        return np.zeros(len(texts), dtype=bool)
    n = len(yuan)
    is_approx = np.zeros(n, dtype=bool)
    factors = np.full(n, np.nan if factor is None else factor)
    # Only text with something around its number can be negative, approximate or carry a unit.
    dressed = np.flatnonzero(
        _numpy(pc.fill_null(pc.not_equal(pc.binary_length(digits), pc.binary_length(texts)), False))
    )
    if len(dressed):
        around = texts.take(pa.array(dressed))
        negative = dressed[_numpy(pc.match_substring_regex(around, _NEGATIVE))]
        yuan[negative] = -yuan[negative]
        is_approx[dressed] = _numpy(pc.match_substring_regex(around, _APPROXIMATE))
        # Later wins (万元 contains 元); ¥ and 元 change nothing when bare numbers are yuan already.
        for written in ("¥", "人民币", "RMB", "元", "千元", "万", "亿")[4 * (factor == 1) :]:
            has_unit = _numpy(pc.match_substring(around, written))
            factors[dressed[has_unit]] = UNIT_FACTORS[_CELL_UNITS[written]]
    yuan *= factors
    # Unread: not a common form, or a bare number when unit=None (the careful parser words that error).
    read = ~np.isnan(yuan)
    yuan = _to_fen(yuan)
    too_large = read & (np.abs(yuan) >= LARGEST_AMOUNT)
    fine = read & ~too_large
    _put(amount, at, fine, yuan)
    _put(approx, at, fine, is_approx)
    _put(error, at, too_large, _TOO_LARGE)
    return read


def _to_fen(yuan: np.ndarray) -> np.ndarray:
    """Round to the fen (0.01), half a fen away from zero (四舍五入), never truncate; -0.0 becomes 0.0.

    Both parsers round here, so a cell reads the same whichever path it takes. The product of a
    decimal and a unit lands a few ulps either side of its exact value (2.675 is stored as
    2.67499…), so a half fen within 4 ulps counts as the half fen the ledger wrote; the allowance
    stays under an eighth of a fen, so a whole fen is never pushed to the next one.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # inf stays inf, refused by the caller as too large
        fen = np.abs(yuan) * 100
    allowance = np.fmin(4 * np.spacing(fen), 0.125)  # fmin: a number past float range stays inf, "too large"
    return np.copysign(np.floor(fen + 0.5 + allowance), yuan) / 100 + 0.0


def _no_unit(value: object) -> str:
    return f"no unit: {value!r} is a bare number and no unit is given for it"


_TOO_LARGE = f"larger than {LARGEST_AMOUNT:,.0f} yuan, beyond what is kept exactly to the fen: check the unit"


# ---------------------------------------------------------------------------------------------
# The careful parser: one text at a time, for Chinese numerals and for saying why not
# ---------------------------------------------------------------------------------------------

# Numerals: digits (financial capitals, traditional forms, 两 before a unit), 廿/卅/卌, units, 点.
_ZERO = "零〇○"
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
_DIGITS = {**dict.fromkeys(_ZERO, 0), **_DIGIT_VALUES}  # 角 and 分 take any of these
_COUNTING_TWO = "两兩"  # 2 before a unit (两千), never last (十两: a weight)
_TENS = {"廿": 2, "卅": 3, "卌": 4}  # 廿二 is 二十二
_SMALL = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3}  # a unit and its place in a group of four
_LARGE = {"万": 4, "萬": 4, "亿": 8, "億": 8}
_SIMPLIFIED = {"拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿"}
_POINT = "点點"
_NUMERAL_CHARS = "".join([*_DIGITS, *_TENS, *_SMALL, *_LARGE, _POINT])
# What each numeral character is; a token not here is a run of Arabic digits.
_KINDS = {
    **dict.fromkeys(_ZERO, "zero"),
    **dict.fromkeys(_DIGIT_VALUES, "digit"),
    **dict.fromkeys(_TENS, "tens"),
    **dict.fromkeys(_SMALL, "small"),
    **dict.fromkeys(_LARGE, "large"),
    **dict.fromkeys(_POINT, "point"),
}
# Possessive (++, ?+): "11111….x" must fail in one pass, not try every split of the digits (2**n).
_NUMERAL = re.compile(rf"(?:\d++(?:\.\d++)?+|[{_NUMERAL_CHARS}])++")
_NUMERAL_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_NUMERAL_CHARS}]")
_NUMBER_RUN = re.compile(rf"\d+(?:\.\d+)?|[{_NUMERAL_CHARS}]+")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_YUAN_JIAO_FEN = re.compile(
    rf"(?P<yuan>[\d.{_NUMERAL_CHARS}]*)(?P<yuan_mark>[元圆圓块塊])?"
    rf"(?:(?P<jiao_zero>[{_ZERO}])?(?P<jiao>[\d{''.join(_DIGITS)}])角)?"
    rf"(?:(?P<fen_zero>[{_ZERO}])?(?P<fen>[\d{''.join(_DIGITS)}])分)?"
)
_CURRENCY = re.compile(r"^(?:人民币|RMB|¥)")
_APPROX_BEFORE = re.compile(r"^(?:大约|大概|约|将近|接近|近)")
_APPROX_AFTER = re.compile(r"(?:以上|左右|上下)$")
_APPROX_INSIDE = re.compile(rf"(?<=[\d{_NUMERAL_CHARS}元圆圓块塊])(?:余|多)+")
_SIGN = re.compile(r"^(?:负债|负|红字|-|−|△|▲|\+)")
_NEGATIVE_AFTER = re.compile(r"(?<=[\d元万亿])\s*(?:-|−|\(红字\))$")
_PARENTHESES = re.compile(r"\((?P<inside>[^()]*)\)\s*(?P<approx>余|多)?\s*(?P<unit>亿元|万元|千元|元|亿|万)?")
_AMBIGUOUS_SEPARATORS = re.compile(r"\d[ '’]\d{3}|\d,\d{1,2}(?!\d)|\d,\d{4}|\d\.\d{3}\.\d")
_NUMBER_THEN_WORD = re.compile(r"^[\d.,]+\s*(?P<word>[^\d\s.,()]+)$")
# Spaces either side of a separator, or spaces alone; possessive, so a long run of spaces is one step.
_SEPARATED_NUMBERS = re.compile(
    rf"[\d{_NUMERAL_CHARS}](?:\s*+(?:[/~～、;；|]|至|到|或|-|—)\s*+|\s++)[-\d{_NUMERAL_CHARS}]"
)


# A space between two numbers ("4.2 5", "四万 五万"); a space before a unit ("4.2 万") is allowed.
_SPACED_NUMBERS = re.compile(rf"[\d{_NUMERAL_CHARS}] ++[\d{''.join(_DIGITS)}]")
_TWO_NUMBERS = "two numbers in one cell: keep one amount per cell"


# Texts up to this long are remembered (ledgers repeat their amounts); longer ones are parsed each time,
# so that a file of many huge distinct cells cannot fill memory through the cache.
_CACHED_LENGTH = 64


def _parse_text(text: str, factor: float | None) -> tuple[float, bool, str | None]:
    """(yuan, approx, error) for one text cell: the full rules, which the vectorised path agrees with."""
    return _parse_short_text(text, factor) if len(text) <= _CACHED_LENGTH else _parse_any_text(text, factor)


def _parse_any_text(text: str, factor: float | None) -> tuple[float, bool, str | None]:
    original = text
    text = unicodedata.normalize("NFKC", text).strip()
    if _MISSING.fullmatch(text):
        return math.nan, False, None
    if "%" in text or "‰" in text:
        return math.nan, False, "a percentage is not an amount of money"
    if _AMBIGUOUS_SEPARATORS.search(text):
        return (
            math.nan,
            False,
            ("ambiguous digit separators: write the number with a dot for decimals and no spaces, e.g. 1234.56"),
        )
    currency = bool(_CURRENCY.search(text))  # ¥6,000.00: yuan, whatever the column's unit
    core = _CURRENCY.sub("", text).strip()
    approx = False
    if match := _APPROX_BEFORE.match(core):
        approx, core = True, core[match.end() :].strip()
    negative = False
    if match := _SIGN.match(core):
        negative, core = match.group() != "+", core[match.end() :].strip()
    if match := _PARENTHESES.fullmatch(core):
        if negative:
            return math.nan, False, "two minus signs (a sign and parentheses): write the amount with one"
        negative, core = True, match["inside"].strip() + (match["approx"] or "") + (match["unit"] or "")
    currency |= bool(_CURRENCY.match(core))
    core = _CURRENCY.sub("", core).strip()
    if match := _NEGATIVE_AFTER.search(core):
        # 1500- (an accounting export's trailing minus), 12000（红字）: negative, written after the number.
        if negative:
            return math.nan, False, "two minus signs (before and after the number): write the amount with one"
        negative, core = True, core[: match.start()].strip()
    if match := _APPROX_AFTER.search(core):
        approx, core = True, core[: match.start()].strip()
    core = core.removesuffix("整").removesuffix("正")
    if _SPACED_NUMBERS.search(core):
        return math.nan, False, _TWO_NUMBERS
    core = core.replace(" ", "")
    if _APPROX_INSIDE.search(core):
        approx, core = True, _APPROX_INSIDE.sub("", core)
    core = core.replace(",", "")

    value, absolute, reason = _numeral_value(core, approx=approx)
    if value is None:
        return math.nan, False, reason or _why_not(text)
    scale = 1.0
    if not absolute and not currency:
        if factor is None:
            return math.nan, False, _no_unit(original)
        scale = factor
    if isinstance(value, decimal.Decimal):  # a numeral, read exactly: round its exact value to the fen
        with decimal.localcontext(_EXACT):
            fen = (value * decimal.Decimal(scale) * 100).quantize(_ONE, rounding=decimal.ROUND_HALF_UP)
        yuan = float(-fen if negative else fen) / 100 + 0.0  # half a fen away from zero, as _to_fen
    else:
        value *= scale
        yuan = float(_to_fen(np.array([-value if negative else value]))[0])
    if not abs(yuan) < LARGEST_AMOUNT:
        return math.nan, False, _TOO_LARGE
    return yuan, approx, None


_parse_short_text = lru_cache(maxsize=65_536)(_parse_any_text)
# Sums, products and rounding of decimals with no digit lost, however many the text has.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
_ONE = decimal.Decimal(1)


def _numeral_value(core: str, *, approx: bool = False) -> tuple[float | decimal.Decimal | None, bool, str | None]:
    """(value, whether the text carries its own unit, reason it is not a number).

    Reads ``4.2万元``, ``十二万三千``, ``4万5千``, ``壹拾贰万叁仟元``, ``伍佰元伍角``. A text with 元,
    万 or 亿 is in yuan; a bare numeral (``三千``) is in the column's unit, like ``3000``. Plain numbers
    give a float (as the vectorised path reads them); numerals an exact Decimal.
    """
    for written, canonical in _CELL_UNITS.items():
        number = core.removesuffix(written)
        if number != core and _PLAIN_NUMBER.fullmatch(number):
            return float(number) * UNIT_FACTORS[canonical], True, None
    if _PLAIN_NUMBER.fullmatch(core):
        return float(core), False, None
    match = _YUAN_JIAO_FEN.fullmatch(core)
    if match is None or not (match["yuan"] or match["jiao"] or match["fen"]):
        return None, False, None
    yuan, large = decimal.Decimal(0), False
    if match["yuan"]:
        try:
            yuan, large = _read_numeral(match["yuan"], bare_allowed=approx)
        except _NotANumeral as refused:
            return None, False, refused.reason
    cents = [(match[part], step) for part, step in (("jiao", -1), ("fen", -2)) if match[part]]
    if cents and ("." in match["yuan"] or any(point in match["yuan"] for point in _POINT)):
        return None, False, "角 or 分 after a decimal number of 元: write the amount in one form"
    # 壹仟元零伍角 and 伍佰元零伍分 (the 元's ones or the 角 are 0): the only places a 零 goes before them.
    if match["jiao_zero"] and not (match["yuan_mark"] and yuan and yuan % 10 == 0):
        return None, False, "零 before 角 where no place is skipped: leave it out"
    if match["fen_zero"] and match["jiao"]:
        return None, False, "零 between 角 and 分, where no place is skipped: leave it out"
    with decimal.localcontext(_EXACT):
        value = yuan + sum(decimal.Decimal(_digit_value(digit)).scaleb(step) for digit, step in cents)
    return value, bool(match["yuan_mark"] or cents) or large, None


def _digit_value(token: str) -> int:
    return int(token) if token[0].isdigit() else _DIGITS[token]


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
_LARGE_ORDERS = ([], ["万"], ["亿"], ["亿", "万"], ["万", "亿"], ["万", "亿", "万"])
_SPLIT_TOKENS = 64  # numerals up to this many tokens are tried as two numbers side by side
_LONGEST_RUN = 40  # more digits than any amount has: refused, and never handed to int()


class _NotANumeral(Exception):
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


def _read_numeral(text: str, *, bare_allowed: bool = False) -> tuple[decimal.Decimal, bool]:
    """(exact value, whether it has 万 or 亿) of 十二万三千, 壹仟零拾, 1万600, 一点二, 零点零零三四二万 ….

    ``bare_allowed``: 百万, 千万, 百亿, 千 (百 or 千 with no digit, alone or then 万 or 亿) are read; only
    for an approximate amount (近百万, 百余万, 千余元), since 千元 or 百万元 alone is a unit (单位：百万元).
    Raises _NotANumeral.
    """
    if not _NUMERAL.fullmatch(text):
        raise _NotANumeral(None)
    tokens = _NUMERAL_TOKEN.findall(text)
    if any(len(token) > _LONGEST_RUN for token in tokens):
        raise _NotANumeral(f"more than {_LONGEST_RUN} digits in a row: not an amount of money")
    try:
        return _read_tokens(tokens, bare_allowed)
    except _NotANumeral as refused:
        if refused.split and len(tokens) <= _SPLIT_TOKENS:
            cut = _two_numerals(tokens, bare_allowed, up=refused.split == "up")
            if cut is not None:
                raise _NotANumeral(
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
            or tokens[cut] in _ZERO
        ):
            continue  # a numeral starts with a digit, 廿 or 十 (百/千 in 近百万)
        try:
            first, _ = _read_tokens(tokens[:cut], bare_allowed)
            second, _ = _read_tokens(tokens[cut:], bare_allowed)
        except _NotANumeral:
            continue
        if second > first or not up:
            cuts.append((abs(second - first) / max(first, second, 1), cut))
    return min(cuts)[1] if cuts else None


def _is_digits(token: str) -> bool:
    return _KINDS.get(token, "run") in ("digit", "zero", "run")


def _read_tokens(tokens: list[str], bare_allowed: bool) -> tuple[decimal.Decimal, bool]:
    points = [i for i, token in enumerate(tokens) if token in _POINT]
    whole = tokens[: points[0]] if points else tokens
    if len(whole) > 1 and all(_is_digits(token) for token in whole):
        raise _NotANumeral(
            f"digits one by one ({''.join(whole)}), as a year, a code or a phone number is "
            "written: not an amount of money"
        )
    if len(points) > 1:
        raise _NotANumeral("two decimal points (点)")
    if dotted := [token for token in tokens[1:] if "." in token]:
        raise _NotANumeral(
            f"a decimal ({dotted[0]}) after other parts of a number: write the amount in one form", split="any"
        )
    if points and "." in tokens[0]:
        raise _NotANumeral(f"a decimal ({tokens[0]}) and 点 in one number: write the amount in one form")
    if points:
        return _read_decimal(whole, tokens[points[0] + 1 :], bare_allowed)
    if "." in tokens[0]:  # 4.2萬, 3.1千万, 1.2万亿
        multiplier = "".join(_SIMPLIFIED.get(token, token) for token in tokens[1:])
        if multiplier not in _MULTIPLIERS:
            raise _NotANumeral(
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
        raise _NotANumeral("点 with no number before it: write 零点…")
    if after and after[0][0].isdigit():
        fraction, rest = after[0], after[1:]
    else:
        digits = 0
        while digits < len(after) and after[digits] in _DIGITS and after[digits] not in _COUNTING_TWO:
            digits += 1
        fraction, rest = "".join(str(_DIGITS[token]) for token in after[:digits]), after[digits:]
    if not fraction:
        raise _NotANumeral("点 with no digits after it")
    multiplier = "".join(_SIMPLIFIED.get(token, token) for token in rest)
    if multiplier not in _MULTIPLIERS:
        raise _NotANumeral(
            f"{''.join(rest)} after the decimal digits: only a unit (万, 亿, 千万 …) may follow them", split="any"
        )
    if multiplier[:1] in ("百", "千", "十"):  # 三点五千万: one digit before 点
        if len(whole) != 1 or not _is_digits(whole[0]) or len(whole[0]) != 1:
            raise _NotANumeral(f"{''.join(whole)} before 点 and {multiplier} after it: write the amount in one form")
        value, large, tail = decimal.Decimal(_digit_value(whole[0])), False, False
    else:
        value, large, tail = _read_whole(whole, bare_allowed)
        if large and multiplier:
            raise _NotANumeral(f"{multiplier} after a number that has 万 or 亿 already ({''.join(whole)})", split="any")
    if tail:
        raise _NotANumeral(
            f"decimals after a shortened number ({''.join(whole)}, its last unit left out): write every unit"
        )
    with decimal.localcontext(_EXACT):
        value = (value + decimal.Decimal("0." + fraction)).scaleb(_MULTIPLIERS[multiplier])
    return value, large or _MULTIPLIERS[multiplier] >= 4


def _read_whole(tokens: list[str], bare_allowed: bool) -> tuple[decimal.Decimal, bool, bool]:
    """A whole numeral (十二万三千, 壹仟零拾, 1百01, 两万二) → (value, has 万 or 亿, ends with a dropped unit)."""
    if len(tokens) == 1 and tokens[0] in _ZERO:
        return decimal.Decimal(0), False, False
    groups = _groups(tokens)
    terms = _placed(groups, bare_allowed)
    return decimal.Decimal(sum(term.value * 10**term.place for term in terms)), len(groups) > 1, terms[-1].tail


def _groups(tokens: list[str]) -> list[tuple[list[_Term], str | None]]:
    """The terms of each 万/亿 group, with the 万 or 亿 that ends it (None for the last group)."""
    groups: list[tuple[list[_Term], str | None]] = []
    terms: list[_Term] = []
    pending, zero = None, False  # digits waiting for their unit; a 零 before them
    pending_at = 0
    for at, token in enumerate(tokens):
        kind = _KINDS.get(token, "run")
        if kind == "zero":
            if pending is not None:
                raise _NotANumeral(f"零 after {pending}, which has no unit", split="any")
            if zero:
                raise _NotANumeral("零 twice in a row: write one")
            if not terms and not groups:
                raise _NotANumeral("零 at the start of a number")
            zero = True
        elif kind in ("digit", "run"):
            if pending is not None:
                raise _NotANumeral(f"two digits in a row ({pending}{token})", split="any")
            pending, pending_at = token, at
        elif kind == "tens":
            if pending is not None:
                raise _NotANumeral(f"two digits in a row ({pending}{token})", split="any")
            terms.append(_Term(_TENS[token], 1, 1, token, zero=zero))
            zero = False
        elif kind == "small":
            if pending is None:
                terms.append(_Term(1, _SMALL[token], 1, token, zero=zero, bare=True))
            elif pending[0].isdigit() and (len(pending) > 1 or pending == "0"):
                raise _NotANumeral(f"{pending}{token}: one digit from 1 to 9 goes before {token}")
            else:
                terms.append(
                    _Term(
                        _digit_value(pending), _SMALL[token], 1, pending + token, zero=zero, arabic=pending[0].isdigit()
                    )
                )
            pending, zero = None, False
        else:  # 万 or 亿 ends a group
            if pending is not None:
                terms.append(_last_digits(pending, tokens[:pending_at], terms, groups, zero, before=token))
                pending, zero = None, False
            if zero:
                raise _NotANumeral(f"零 right before {token}: a digit is missing")
            if not terms and not (
                _LARGE[token] == 8 and groups and _LARGE[groups[-1][1]] == 4 and groups[-1][0]
            ):  # 万亿: 亿 right after 万 multiplies it
                raise _NotANumeral(
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
        raise _NotANumeral("零 at the end of a number")
    groups.append((terms, None))
    return groups


def _last_digits(
    pending: str, written_before: list[str], terms: list[_Term], groups: list, zero: bool, *, before: str | None
) -> _Term:
    """Digits with no unit of their own, last in their group, after the tokens ``written_before`` (``before``:
    the 万 or 亿 after them, if any)."""
    arabic = pending[0].isdigit()
    term = _Term(_digit_value(pending), 0, len(pending) if arabic else 1, pending, zero=zero, arabic=arabic)
    if arabic and not term.value and (terms or groups or before):
        raise _NotANumeral(f"{pending} inside a numeral: a 0 has no place there (write 零 where a place is skipped)")
    if pending in _COUNTING_TWO and before is None and (terms or groups):
        raise _NotANumeral(f"{pending} as the last digit of a number (十两 is a weight): write 二")
    if zero or not (terms or groups):
        return term  # 一千零五, 1万零600, 五, 五万, 1200万
    if terms and terms[-1].place == 1:  # 十二, 一百二十三, 廿二
        if term.width > 1:
            raise _NotANumeral(f"{pending} after {terms[-1].text}: one digit goes after 十", split="any")
        return term
    unit = terms[-1].text[-1] if terms else groups[-1][1]
    if not terms and before is not None:  # 2亿3000万, 一亿五万: the digits of the next 万 or 亿
        return term
    if arabic:
        written = "".join(written_before)
        if not terms and _LARGE[unit] == 8:
            raise _NotANumeral(
                f"ambiguous: {written}{pending} may be {written}{pending}万 (万 left out) or "
                f"{written}零{pending}: write one of them"
            )
        if term.width == 1:
            below = {"万": "千", "萬": "千", "千": "百", "仟": "百", "百": "十", "佰": "十"}[unit]
            raise _NotANumeral(
                f"ambiguous: {written}{pending} may be {written}{pending}{below} (as in 三万五) or "
                f"{written}零{pending}: write one of them"
            )
        if terms and term.width > terms[-1].place:
            raise _NotANumeral(f"{pending} does not fit after {terms[-1].text}", split="any")
        return term  # 1万600, 1百01: the digits of the places below
    if before is not None:  # 一千五万: 一千五百万 or 一千零五万?
        raise _NotANumeral(
            f"{pending} after {unit} with no unit of its own, before {before}: write its unit, or 零 before it",
            split="any",
        )
    if not terms and not groups[-1][0]:  # 一万亿五: after 万亿, which place?
        raise _NotANumeral(f"ambiguous: which place is {pending} after 万亿? write its unit")
    # 三万五, 一百二, 两千六: the unit left out is the one below the last written
    term.tail = True
    term.place = terms[-1].place - 1 if terms else -1  # -1: one below the 万 or 亿, set by _placed
    return term


def _placed(groups: list[tuple[list[_Term], str | None]], bare_allowed: bool) -> list[_Term]:
    """The terms of all groups with their places in the number, checked; raises _NotANumeral."""
    for terms, _ in groups:  # units go down within a group: 千 百 十
        for before, term in itertools.pairwise(terms):
            if term.top >= before.place:
                raise _NotANumeral(
                    f"units out of order ({term.shown} after {before.shown}): within each 万 or 亿 "
                    "the units go down, 千 百 十",
                    split="any",
                )
    larges = [_SIMPLIFIED.get(large, large) for _, large in groups[:-1]]
    if larges not in _LARGE_ORDERS:
        raise _NotANumeral(
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
            raise _NotANumeral(f"{term.shown} does not fit after {before.shown}", split="any")
    for before, term in itertools.pairwise(placed):
        skipped = before.place - term.top - 1
        if term.zero and not skipped:
            raise _NotANumeral(f"零 before {term.shown} where no place is skipped: leave it out")
        if not term.zero and skipped and not (term.arabic or term.tail) and _needs_zero(before, term):
            raise _NotANumeral(
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


def _check_bare(placed: list[_Term], i: int, groups: list, bare_allowed: bool) -> None:
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
        raise _NotANumeral(
            f"{term.text} with no digit before it after {before.shown}: write 一{term.text}, with "
            "零 before it if a place is skipped"
        )
    alone_before_large = i == 0 and len(groups) > 1 and len(groups[0][0]) == 1
    if bare_allowed and (alone_before_large or (len(placed) == 1 and len(groups) == 1)):
        return  # 近百万, 百余万, 近千元
    if alone_before_large:
        large = groups[0][1]
        raise _NotANumeral(
            f"{term.text}{large} with no digit is a unit (as in 单位：百万元), not an amount: "
            f"write 一{term.text}{large}"
        )
    if len(placed) == 1 and len(groups) == 1:
        raise _NotANumeral(f"{term.text} alone is a unit, not an amount: write 一{term.text}")
    if term.zero:
        raise _NotANumeral(f"零{term.text}: a digit is missing before {term.text}")
    after = placed[i + 1] if i + 1 < len(placed) else None
    if unit == "百" and after is not None and after.bare and _SIMPLIFIED.get(after.text, after.text) == "十":
        raise _NotANumeral(f"{term.text}{after.text} means about a hundred, not a number: write the amount")
    raise _NotANumeral(f"{term.text} with no digit before it: write 一{term.text}")


def _why_not(text: str) -> str:
    """The reason a text is not an amount, as specific as can be said."""
    if _SEPARATED_NUMBERS.search(text) and len(_NUMBER_RUN.findall(text)) >= 2:
        return _TWO_NUMBERS
    if (match := _NUMBER_THEN_WORD.match(text)) and match["word"] not in _CELL_UNITS:
        return f"unknown unit {match['word']!r}: write 元, 万元 or 亿元"
    return "not an amount of money"


# ---------------------------------------------------------------------------------------------
# to_yuan: the helper for scripts
# ---------------------------------------------------------------------------------------------


def to_yuan(value: object, *, unit: str | None = "元", errors: str = "raise") -> float | pd.Series:
    """Read one amount, or a column of them, into yuan.

    Parameters
    ----------
    value : scalar, list, array or Series
        ``"40余万元"``, ``"（4.2）"``, ``"十二万三千"``, ``1234.5``, ...
    unit : {"元", "万元", "亿元", "千元"} or None
        The unit of bare numbers; a unit written in the value wins.
    errors : {"raise", "coerce"}
        ``"raise"``: an unreadable value raises :class:`~villagecon.errors.AmountError` naming it.
        ``"coerce"``: it becomes NaN (use :func:`parse_amounts` to also get the reason).

    Returns
    -------
    float for a scalar (NaN when missing), else a float64 Series with the input's index.
    Approximate amounts (``40余万元``) give the number written; :func:`parse_amounts` says which
    ones were approximate.

    >>> to_yuan("负债4.2万元"), to_yuan("(4.2)", unit="万元"), to_yuan("壹拾贰万叁仟元整")
    (-42000.0, -42000.0, 123000.0)
    >>> to_yuan("一千零十"), to_yuan("三万五"), to_yuan("一万零八百八十九点七二"), to_yuan("1万600")
    (1010.0, 35000.0, 10889.72, 10600.0)
    """
    if errors not in ("raise", "coerce"):
        raise UsageError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    scalar = isinstance(value, str | bytes | decimal.Decimal) or not isinstance(value, Iterable)
    if not scalar and not hasattr(value, "__len__"):
        value = list(value)  # a generator: read it once, keep it to name a bad element
    if isinstance(value, bytes):
        raise AmountError(value, "bytes, not text: decode the file first (e.g. value.decode('gb18030'))")
    parsed = parse_amounts([value] if scalar else value, unit=unit)
    if errors == "raise":
        failed = parsed["error"].notna()
        if failed.any():
            label = failed.idxmax()
            bad = (
                value
                if scalar
                else (value.loc[label] if isinstance(value, pd.Series) else list(value)[parsed.index.get_loc(label)])
            )
            label = label.item() if isinstance(label, np.generic) else label
            where = "" if scalar else f"element {label!r} of the input; "
            raise AmountError(
                bad, parsed["error"].loc[label], hint=f"{where}correct it, or pass errors='coerce' to get NaN instead"
            )
    if scalar:
        return float(parsed["amount_yuan"].iloc[0])
    return parsed["amount_yuan"].rename(value.name if isinstance(value, pd.Series) else None)
