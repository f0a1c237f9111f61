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
- ``—``, ``-``, ``/``, ``无``, ``暂无`` and empty cells are missing (NaN, no error;
  :data:`villagecon.parse.cell_text.BLANK_PATTERN` lists them);
- it never guesses: ``12.3%``, ``1 234,56``, ``4.2万/5万``, ``4.2千克``, ``abc`` are errors
  that say why;
- Chinese numerals are read by a small grammar (:mod:`villagecon.parse.numerals`), simplified, traditional
  and financial capitals alike: ``十二万三千``, ``壹仟零拾元整`` (1010), ``三万五`` (35000: the unit left
  out is the one below the last written), ``一点二``, ``零点零零三四二万`` (34.2), ``1万600`` (10600),
  ``廿二``. Whatever does not parse is refused with the reason, never re-ordered or summed: ``十一十二``
  (two numbers), ``伍亿柒仟万拾柒百`` (units out of order), ``千元`` (a unit alone), ``一七二零`` (digits
  one by one), ``一千一十`` (a 零 missing), ``1万6`` (16000 or 10006?). Numerals are read exactly and
  then rounded to the fen.
"""

from __future__ import annotations

import decimal
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon.errors import AmountError, UsageError
from villagecon.parse.cell_text import is_blank
from villagecon.parse.numerals import DIGITS, EXACT, NUMERAL_CHARS, POINT, ZERO, NotANumeral, digit_value, read_numeral

__all__ = [
    "LARGEST_AMOUNT",
    "PARSED_COLUMNS",
    "UNIT_FACTORS",
    "YUAN_PER_WAN",
    "parse_amounts",
    "to_yuan",
    "unit_factor",
    "unit_from_text",
]

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
        is_text = np.isin(kinds, np.array([str], dtype=object))
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


def _as_float(number: float | decimal.Decimal | np.number[Any]) -> float:
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
    return np.asarray(array.to_numpy(zero_copy_only=False) if isinstance(array, pa.Array) else array.to_numpy())


def _put(target: np.ndarray, at: np.ndarray | None, where: np.ndarray, values: np.ndarray | object) -> None:
    """``target[at[where]] = values[where]``; ``at=None`` means the rows are the target's own rows."""
    if at is None:
        np.copyto(target, np.asarray(values), where=where)
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
    return np.asarray(read)


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
    return np.asarray(np.copysign(np.floor(fen + 0.5 + allowance), yuan) / 100 + 0.0)


def _no_unit(value: object) -> str:
    return f"no unit: {value!r} is a bare number and no unit is given for it"


_TOO_LARGE = f"larger than {LARGEST_AMOUNT:,.0f} yuan, beyond what is kept exactly to the fen: check the unit"


# ---------------------------------------------------------------------------------------------
# The careful parser: one text at a time, for Chinese numerals and for saying why not
# ---------------------------------------------------------------------------------------------

_NUMBER_RUN = re.compile(rf"\d+(?:\.\d+)?|[{NUMERAL_CHARS}]+")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_YUAN_JIAO_FEN = re.compile(
    rf"(?P<yuan>[\d.{NUMERAL_CHARS}]*)(?P<yuan_mark>[元圆圓块塊])?"
    rf"(?:(?P<jiao_zero>[{ZERO}])?(?P<jiao>[\d{''.join(DIGITS)}])角)?"
    rf"(?:(?P<fen_zero>[{ZERO}])?(?P<fen>[\d{''.join(DIGITS)}])分)?"
)
_CURRENCY = re.compile(r"^(?:人民币|RMB|¥)")
_APPROX_BEFORE = re.compile(r"^(?:大约|大概|约|将近|接近|近)")
_APPROX_AFTER = re.compile(r"(?:以上|左右|上下)$")
_APPROX_INSIDE = re.compile(rf"(?<=[\d{NUMERAL_CHARS}元圆圓块塊])(?:余|多)+")
_SIGN = re.compile(r"^(?:负债|负|红字|-|−|△|▲|\+)")
_NEGATIVE_AFTER = re.compile(r"(?<=[\d元万亿])\s*(?:-|−|\(红字\))$")
_PARENTHESES = re.compile(r"\((?P<inside>[^()]*)\)\s*(?P<approx>余|多)?\s*(?P<unit>亿元|万元|千元|元|亿|万)?")
_AMBIGUOUS_SEPARATORS = re.compile(r"\d[ '’]\d{3}|\d,\d{1,2}(?!\d)|\d,\d{4}|\d\.\d{3}\.\d")
_NUMBER_THEN_WORD = re.compile(r"^[\d.,]+\s*(?P<word>[^\d\s.,()]+)$")
# Spaces either side of a separator, or spaces alone; possessive, so a long run of spaces is one step.
_SEPARATED_NUMBERS = re.compile(
    rf"[\d{NUMERAL_CHARS}](?:\s*+(?:[/~～、;；|]|至|到|或|-|—)\s*+|\s++)[-\d{NUMERAL_CHARS}]"
)


# A space between two numbers ("4.2 5", "四万 五万"); a space before a unit ("4.2 万") is allowed.
_SPACED_NUMBERS = re.compile(rf"[\d{NUMERAL_CHARS}] ++[\d{''.join(DIGITS)}]")
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
    if is_blank(text):
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
        with decimal.localcontext(EXACT):
            fen = (value * decimal.Decimal(scale) * 100).quantize(_ONE, rounding=decimal.ROUND_HALF_UP)
        yuan = float(-fen if negative else fen) / 100 + 0.0  # half a fen away from zero, as _to_fen
    else:
        value *= scale
        yuan = float(_to_fen(np.array([-value if negative else value]))[0])
    if not abs(yuan) < LARGEST_AMOUNT:
        return math.nan, False, _TOO_LARGE
    return yuan, approx, None


_parse_short_text = lru_cache(maxsize=65_536)(_parse_any_text)
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
            yuan, large = read_numeral(match["yuan"], bare_allowed=approx)
        except NotANumeral as refused:
            return None, False, refused.reason
    cents = [(match[part], step) for part, step in (("jiao", -1), ("fen", -2)) if match[part]]
    if cents and ("." in match["yuan"] or any(point in match["yuan"] for point in POINT)):
        return None, False, "角 or 分 after a decimal number of 元: write the amount in one form"
    # 壹仟元零伍角 and 伍佰元零伍分 (the 元's ones or the 角 are 0): the only places a 零 goes before them.
    if match["jiao_zero"] and not (match["yuan_mark"] and yuan and yuan % 10 == 0):
        return None, False, "零 before 角 where no place is skipped: leave it out"
    if match["fen_zero"] and match["jiao"]:
        return None, False, "零 between 角 and 分, where no place is skipped: leave it out"
    with decimal.localcontext(EXACT):
        value = yuan + sum(decimal.Decimal(digit_value(digit)).scaleb(step) for digit, step in cents)
    return value, bool(match["yuan_mark"] or cents) or large, None


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
        value = list(cast(Iterable[object], value))  # a generator: read it once, keep it to name a bad element
    if isinstance(value, bytes):
        raise AmountError(value, "bytes, not text: decode the file first (e.g. value.decode('gb18030'))")
    parsed = parse_amounts([value] if scalar else cast(Iterable[object], value), unit=unit)
    if errors == "raise":
        failed = parsed["error"].notna()
        if failed.any():
            label: Any = failed.idxmax()
            bad = (
                value
                if scalar
                else (
                    value.loc[label]
                    if isinstance(value, pd.Series)
                    else list(cast(Iterable[object], value))[cast(int, parsed.index.get_loc(label))]
                )
            )
            label = label.item() if isinstance(label, np.generic) else label
            where = "" if scalar else f"element {label!r} of the input; "
            raise AmountError(
                bad, parsed["error"].loc[label], hint=f"{where}correct it, or pass errors='coerce' to get NaN instead"
            )
    if scalar:
        return float(parsed["amount_yuan"].iloc[0])
    name: Any = value.name if isinstance(value, pd.Series) else None
    amounts: pd.Series = parsed["amount_yuan"].rename(name)
    return amounts
