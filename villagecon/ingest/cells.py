"""A sheet's cells as the reader looks at them: text, what is empty, what is an amount, merged ranges filled.

Every decision of the table reader is made on these views of one :class:`~villagecon.ingest.files.RawSheet`, held
as numpy arrays. They are built for all sheets of a workbook in one pass (:func:`sheets_cells`): each distinct
text is cleaned and classified once, and the numbers are written by Arrow all at once, so a sheet of 200,000 rows
costs no Python per cell beyond telling each cell's type.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon.ingest.files import RawSheet

# What offices write in a cell that holds nothing: empty everywhere, for the reader as for the amounts.
MISSING_MARKERS = r"^(?:[-—–―─/\\_.·…－／＿]+|无|空|暂无|N/?A|n/?a)$"
# A cell's text that is an amount: numbers with separators, units, signs, brackets, 余/约 — the shape only;
# parse_amounts decides what it is worth. Chinese numerals with 万/千/百 count too (十二万).
_NUMERALS = "零〇○一二两兩三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億廿卅"
_DIGIT = "零〇○一二两兩三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾廿卅"  # a numeral that counts something
_MAGNITUDE = "十百千万亿拾佰仟萬億廿卅"
# 十二万, 一点二 (点 decimals), 1万600 (Arabic digits after a unit): parse_amounts reads them all.
AMOUNT_SHAPE = (
    r"^\s*(?:大约|约|近|将近|负债|负|红字)?\s*[-−+△▲(（]?\s*(?:¥|￥|RMB|人民币)?\s*"
    rf"(?:[0-9０-９][0-9０-９,，.．]*(?:[万千百亿萬億][0-9０-９]+)?"
    rf"|[{_NUMERALS}]*[{_DIGIT}][{_NUMERALS}]*[{_MAGNITUDE}][{_NUMERALS}]*"
    rf"|[{_NUMERALS}]*[{_DIGIT}][点點][{_DIGIT}]+[{_MAGNITUDE}]*|[廿卅][{_NUMERALS}]*)"
    r"\s*(?:余|多)?\s*(?:亿元|万元|千元|元|亿|万|圆|圓)?\s*[)）]?\s*(?:以上|左右|余|多)?\s*整?\s*$"
)


# The reader's text is pandas' str, kept in Python objects for a sheet of short columns (on those every Arrow call
# costs more than the work) and in Arrow for long ones (a 200,000-row ledger), where Arrow's kernels pay.
SHORT_TEXT, LONG_TEXT = pd.StringDtype("python", na_value=np.nan), pd.StringDtype("pyarrow", na_value=np.nan)
# The dtype of the reader's text: one of the two above.
TextDtype: TypeAlias = "pd.StringDtype[Literal['python']] | pd.StringDtype[Literal['pyarrow']]"


@dataclass
class SheetCells:
    """Views of one sheet's cells: arrays of rows by columns, rows being the 1-based row numbers and columns the
    0-based column positions of :attr:`rows` and :attr:`columns`.

    Attributes
    ----------
    sheet : RawSheet
    values : 2-D object array of str
        Each cell's text, stripped; ``""`` where the cell is empty or holds a missing marker (``—``, ``/``, ``无``).
    numbers : 2-D bool array
        The cell is stored as a number (not a date, not true/false).
    amounts : 2-D bool array
        The cell is an amount: a number, or text shaped like one (``40余万元``, ``（4.2）``, ``十二万``).
    rows, columns : Index
        The sheet's row numbers and column positions.
    raw_values : 2-D object array
        The cell values as stored (``sheet.grid``), placed as :attr:`values`.
    text_dtype : TextDtype
        The dtype of the sheet's text (Python or Arrow strings, by its length): new text Series take it.

    The reader's steps take rows and columns of the arrays by position: a pandas operation on a small sheet costs
    a hundred times the work. :attr:`text`, :attr:`number` and :attr:`amount` are the same as DataFrames.
    """

    sheet: RawSheet
    values: np.ndarray
    numbers: np.ndarray
    amounts: np.ndarray
    rows: pd.Index
    columns: pd.Index
    raw_values: np.ndarray
    text_dtype: TextDtype = SHORT_TEXT
    _codes: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)
    _matches: dict[tuple[str, bool, bool], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def text(self) -> pd.DataFrame:
        """:attr:`values` as a DataFrame of str."""
        return pd.DataFrame(
            {col: pd.array(self.values[:, i], dtype=self.text_dtype) for i, col in enumerate(self.columns)},
            index=self.rows,
            columns=self.columns,
        )

    @functools.cached_property
    def number(self) -> pd.DataFrame:
        """:attr:`numbers` as a DataFrame."""
        return pd.DataFrame(self.numbers, index=self.rows, columns=self.columns)

    @functools.cached_property
    def amount(self) -> pd.DataFrame:
        """:attr:`amounts` as a DataFrame."""
        return pd.DataFrame(self.amounts, index=self.rows, columns=self.columns)

    def empty(self) -> pd.DataFrame:
        return self.text == ""

    @functools.cached_property
    def column_position(self) -> dict[int, int]:
        """Each column's position in :attr:`values`."""
        return {col: i for i, col in enumerate(self.columns)}

    @functools.cached_property
    def row_position(self) -> Mapping[int, int]:
        """Each row's position in :attr:`values` (rows 1, 2, 3, … worked out, not held: a long sheet's would be
        a dict of 200,000 rows)."""
        if isinstance(self.rows, pd.RangeIndex) and self.rows.step == 1:
            return RowRange(self.rows.start, self.rows.stop)
        return {row: i for i, row in enumerate(self.rows)}

    def column_codes(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """The column at ``position`` as codes of its distinct texts: ``(codes, distinct)``, each row's text
        being ``distinct[codes]`` (factorized once per column: a long ledger's steps work on its distinct texts)."""
        if position not in self._codes:
            codes, distinct = pd.factorize(self.values[:, position])
            self._codes[position] = (codes, np.asarray(distinct, dtype=object))
        return self._codes[position]

    def matches(self, pattern: str, *, long: bool, words_only: bool = False) -> np.ndarray:
        """Which cells' text matches ``pattern`` (a 2-D bool array like :attr:`values`), each distinct text
        looked at once per sheet: what :func:`search` says of a column of them, ``long`` saying whether that
        column is long (matched by Arrow) or short (by ``re``).

        ``words_only``: ``pattern`` matches no number's text (12.5, 2016: digits, ., -, e) and no empty
        cell; a sheet's numbers (and a short one's empty cells) are not looked at."""
        key = (pattern, long, words_only)
        if key not in self._matches:
            match = functools.partial(distinct_search if long else short_search, pattern=pattern)
            if len(self.rows) > SHORT_COLUMN:
                found = np.zeros(self.values.shape, dtype=bool)
                for position in range(self.values.shape[1]):
                    codes, distinct = self.column_codes(position)
                    if words_only:  # only the distinct texts of words (not of numbers) looked at
                        asked = np.zeros(len(distinct), dtype=bool)
                        asked[codes[~self.numbers[:, position]]] = True
                        answers = np.zeros(len(distinct), dtype=bool)
                        answers[asked] = match(distinct[asked])
                        found[:, position] = answers[codes]
                    else:
                        found[:, position] = match(distinct)[codes]
            elif not long:
                # A short sheet: every cell looked up in what re said of each text (_searched), no factorize.
                flat = self.values.ravel()
                if not words_only:
                    found = short_search(flat, pattern).reshape(self.values.shape)
                else:
                    may = np.flatnonzero(~self.numbers.ravel() & (flat != ""))
                    each = np.zeros(len(flat), dtype=bool)
                    each[may] = short_search(flat[may], pattern)
                    found = each.reshape(self.values.shape)
            else:
                codes, distinct = pd.factorize(self.values.ravel())
                found = match(np.asarray(distinct, dtype=object))[codes].reshape(self.values.shape)
            self._matches[key] = found
        return self._matches[key]

    def row_text(self, row: int) -> np.ndarray:
        """The text of one row (``text.loc[row]``'s values), as an object array."""
        return self.values[self.row_position[row]]

    def row_items(self, row: int) -> zip:
        """(column, text) of one row, as ``text.loc[row].items()``."""
        return zip(self.columns, self.row_text(row), strict=True)

    def row_positions(self, rows: pd.Index | list[int]) -> np.ndarray:
        """The positions in :attr:`values` of ``rows`` (all of them rows of the sheet)."""
        if isinstance(self.rows, pd.RangeIndex) and self.rows.step == 1:
            # Rows 1, 2, 3, …: a row's position is its number less the first's (get_indexer costs more).
            return np.asarray(rows, dtype=np.intp) - self.rows.start
        return self.rows.get_indexer(rows if isinstance(rows, pd.Index) else pd.Index(rows))

    def rows_text(self, rows: pd.Index) -> np.ndarray:
        """The text of ``rows`` (rows of the sheet), all columns: a view of :attr:`values` where they follow
        each other in it (a table's body), not to be written to."""
        if isinstance(rows, pd.RangeIndex) and rows.step == 1 and len(rows) and rows.start in self.row_position:
            first = self.row_position[rows.start]
            if isinstance(self.rows, pd.RangeIndex) and self.rows.step == 1 and rows.stop <= self.rows.stop:
                return self.values[first : first + len(rows)]
        return self.values[self.row_positions(rows)]

    def column_text(self, at: np.ndarray, column: int) -> np.ndarray:
        """The text of ``column`` in the rows at positions ``at``, as an object array."""
        return self.values[at, self.column_position[column]]


class RowRange(Mapping[int, int]):
    """The positions of rows ``start`` … ``stop - 1`` (a sheet's rows 1, 2, 3, …): a row's is its number less
    ``start``. Acts as the dict ``{row: position}`` would.

    Parameters
    ----------
    start, stop : int
        The first row, and the row after the last.
    """

    def __init__(self, start: int, stop: int) -> None:
        self.start, self.stop = start, stop

    def __getitem__(self, row: int) -> int:
        if row in self:
            return int(row) - self.start
        raise KeyError(row)

    def __contains__(self, row: object) -> bool:
        # As a dict of int keys: 3, np.int64(3) and 3.0 are row 3; anything else is no row.
        try:
            return self.start <= row < self.stop and row == int(row)  # type: ignore[operator, call-overload]
        except (TypeError, ValueError, OverflowError):
            return False

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.start, self.stop))

    def __len__(self) -> int:
        return max(0, self.stop - self.start)


def sheet_cells(sheet: RawSheet) -> SheetCells:
    """Build the text, number and amount views of ``sheet`` (one pass over the whole grid)."""
    return sheets_cells([sheet])[0]


def sheets_cells(sheets: list[RawSheet]) -> list[SheetCells]:
    """:func:`sheet_cells` of each of ``sheets`` (a workbook's), in one pass over all their cells together: the
    cost of a pass is paid once per workbook, not once per sheet."""
    grids = [sheet.grid.to_numpy(dtype=object) for sheet in sheets]
    # Every grid as one column (each column after column), cut back into sheets and columns after.
    flat = np.concatenate([grid.ravel(order="F") for grid in grids]) if grids else np.empty(0, dtype=object)
    text, number, shaped = _text_and_numbers(flat)
    amount = number | shaped
    views, start = [], 0
    for sheet, grid in zip(sheets, grids, strict=True):
        shape, end = grid.shape, start + grid.size
        views.append(
            SheetCells(
                sheet=sheet,
                values=text[start:end].reshape(shape, order="F"),
                numbers=number[start:end].reshape(shape, order="F"),
                amounts=amount[start:end].reshape(shape, order="F"),
                rows=sheet.grid.index,
                columns=sheet.grid.columns,
                raw_values=grid,
                text_dtype=SHORT_TEXT if len(grid) <= SHORT_COLUMN else LONG_TEXT,
            )
        )
        start = end
    return views


def _text_and_numbers(objects: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell values as stripped text (an object array of str; floats written by Arrow: 2016.0 → "2016"), which
    cells are numbers, and which cells' text is shaped like an amount (:data:`AMOUNT_SHAPE`).

    Text is cleaned once per distinct value (a ledger repeats its villages, items and years), numbers all at once.
    """
    kinds = _TYPE_OF(objects) if len(objects) else np.empty(0, dtype=object)
    # Each cell's type compared with a type, elementwise; numpy's stubs take no type object as an operand.
    is_text = np.equal(kinds, str)  # type: ignore[call-overload]
    is_float = np.equal(kinds, float)  # type: ignore[call-overload]
    is_int = np.equal(kinds, int)  # type: ignore[call-overload]
    is_other = ~is_text & ~is_float & ~np.equal(kinds, type(None))  # type: ignore[call-overload]
    is_number = is_float | is_int
    text = np.full(len(objects), "", dtype=object)
    shaped = np.zeros(len(objects), dtype=bool)
    if is_text.any():
        codes, distinct = pd.factorize(objects[is_text])
        cleaned, amounts = _cleaned(np.asarray(distinct, dtype=object))
        text[is_text], shaped[is_text] = cleaned[codes], amounts[codes]
    if is_other.any():
        # Dates, times, true/false, integers: as Python writes them.
        text[is_other], shaped[is_other] = _cleaned(np.array([str(v) for v in objects[is_other]], dtype=object))
    if is_float.any():
        floats = objects[is_float].astype("float64")
        # Each distinct number written once (NaN, code -1, is an empty cell).
        codes, distinct = pd.factorize(floats)
        written = np.asarray(pc.fill_null(_float_text(distinct), "").to_numpy(zero_copy_only=False), dtype=object)
        text[is_float] = np.append(written, "")[codes]
        is_number[is_float] = ~np.isnan(floats)
    return text, is_number, shaped


_TYPE_OF = np.frompyfunc(type, 1, 1)  # each object's type, as an object array (less than a Series' map)


def _cleaned(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Texts stripped, a missing marker (—, /, 无) made empty, and which of them are shaped like an amount."""
    stripped = pc.utf8_trim_whitespace(pa.array(texts, type=pa.large_string()))
    cleaned = np.asarray(stripped.to_numpy(zero_copy_only=False), dtype=object)
    cleaned[search(cleaned, MISSING_MARKERS)] = ""
    return cleaned, search(cleaned, AMOUNT_SHAPE)


def _float_text(floats: np.ndarray) -> pa.Array:
    """Numbers as text: whole numbers without a decimal point or an exponent (a 12-digit 区划代码 that Excel
    stored as a number reads 431026100201, not 4.31026100201e+11); NaN is an empty cell."""
    whole = np.isfinite(floats) & (np.abs(floats) < 1e15)
    whole[whole] = floats[whole] == np.floor(floats[whole])
    text = pc.cast(pa.array(floats, from_pandas=True), pa.large_string())
    if whole.any():
        integers = pc.cast(pa.array(np.where(whole, floats, 0).astype(np.int64)), pa.large_string())
        text = pc.if_else(pa.array(whole), integers, text)
    return text


# Texts up to this many are matched by Python's re, more by Arrow's RE2 (search, spaces_removed): every step that
# works a long column on its distinct texts uses the same bound, so that it matches as search would.
SHORT_COLUMN = 5_000


@functools.cache
def _python_regex(pattern: str) -> re.Pattern | None:
    """``pattern`` for Python's ``re`` with RE2's meaning (ASCII \\d and \\s; \\x{3000} spelled \\u3000), or
    None where it uses RE2 syntax ``re`` lacks (\\p{…}): that pattern is left to Arrow."""
    spelled = re.sub(r"\\x\{([0-9A-Fa-f]{1,6})\}", lambda m: f"\\U{int(m[1], 16):08x}", pattern)
    try:
        return re.compile(spelled, re.ASCII)
    except re.error:
        return None


def search(texts: np.ndarray, pattern: str) -> np.ndarray:
    """:func:`contains` on an object array of str: which texts match ``pattern`` (a bool array).

    A long array is matched by Arrow (RE2), once per distinct text; a short one by Python's ``re`` with RE2's
    meaning (:func:`_python_regex`), or by Arrow where ``re`` lacks the pattern's syntax."""
    if len(texts) > SHORT_COLUMN:
        return _per_distinct(texts, lambda distinct: distinct_search(distinct, pattern), False)
    return short_search(texts, pattern)


def short_search(texts: np.ndarray, pattern: str) -> np.ndarray:
    """:func:`search` as it matches a short array (of at most 5,000 texts), whatever the length of ``texts``:
    by Python's ``re`` with RE2's meaning, each text's answer remembered (a dict lookup), or by Arrow where
    ``re`` lacks the pattern's syntax.

    Parameters
    ----------
    texts : ndarray of str
    pattern : str

    Returns
    -------
    ndarray of bool
    """
    answers = _searched(pattern)
    if answers is None:
        return distinct_search(texts, pattern)
    return np.fromiter(map(answers.__getitem__, texts), dtype=bool, count=len(texts))


class _Remembered(dict):
    """Each text's answer, worked out by ``answer`` when first asked: a county's sheets repeat their texts (the
    empty cell above all), and a dict lookup costs less than a regex. Bounded: cleared past 200,000 texts."""

    def __init__(self, answer) -> None:
        super().__init__()
        self.answer = answer

    def __missing__(self, text: str):
        if len(self) > 200_000:
            self.clear()
        value = self[text] = self.answer(text)
        return value


@functools.cache
def _searched(pattern: str) -> _Remembered | None:
    """Whether a text matches ``pattern`` by ``re`` (:func:`_python_regex`), remembered; None where ``re``
    lacks the pattern's syntax."""
    compiled = _python_regex(pattern)
    if compiled is None:
        return None
    found = compiled.search
    return _Remembered(lambda text: found(text) is not None)


def distinct_search(texts: np.ndarray, pattern: str) -> np.ndarray:
    """Which of ``texts`` (an object array of str; None matches nothing) match ``pattern``, by Arrow (RE2):
    what :func:`search` says of a long array, for its distinct texts."""
    return np.asarray(pc.fill_null(pc.match_substring_regex(pa.array(texts, type=pa.large_string()), pattern), False))


def _per_distinct(texts: np.ndarray, function, missing) -> np.ndarray:
    """``function`` (of an object array of distinct str, giving an array) for each of ``texts``, worked out
    once per distinct text; ``missing`` for a missing text (None or NaN)."""
    codes, distinct = pd.factorize(texts)
    done = function(np.asarray(distinct, dtype=object))
    if (codes < 0).any():
        done = np.append(done, np.array([missing], dtype=done.dtype))  # code -1 takes the last
    return done[codes]


def each_distinct(values: np.ndarray, function) -> np.ndarray:
    """``function`` of each of ``values`` (an object array), called once per distinct value, as an object array.

    A long array is factorized (its distinct values found by pandas, not a dict per row); one holding a
    missing value is done the short way, whose None and NaN are keys as Python compares them."""
    if len(values) > SHORT_COLUMN:
        codes, distinct = pd.factorize(values)
        if not (codes < 0).any():
            done = np.empty(len(distinct), dtype=object)
            done[:] = [function(v) for v in distinct]
            return done[codes]
    found: dict = {}
    out = np.empty(len(values), dtype=object)
    out[:] = [found[v] if v in found else found.setdefault(v, function(v)) for v in values]
    return out


def one_object(text: str | None) -> np.ndarray:
    """``text`` as a 0-d object array: ``np.where(mask, one_object(text), values)`` puts this one str in every
    row it picks, where a bare str is copied into a new object per row (slow for a long text and array)."""
    return np.array(text, dtype=object)


def column_each(cells: SheetCells, at: np.ndarray, column: int, function) -> np.ndarray:
    """:func:`each_distinct` of ``cells.column_text(at, column)``, a long one by the sheet's codes of the column
    (``function`` called once per distinct text of the column)."""
    position = cells.column_position[column]
    if len(at) <= SHORT_COLUMN:
        return each_distinct(cells.values[at, position], function)
    codes, distinct = cells.column_codes(position)
    return each_code(codes[at], distinct, function)


def each_code(codes: np.ndarray, distinct: np.ndarray, function) -> np.ndarray:
    """``function`` of ``distinct[codes]``, as an object array: called once for each distinct text the codes
    name (not for the others of ``distinct``)."""
    present = np.zeros(len(distinct), dtype=bool)
    present[codes] = True
    done = np.empty(int(present.sum()), dtype=object)
    done[:] = [function(text) for text in distinct[present]]
    every = np.empty(len(distinct), dtype=object)
    every[present] = done
    return every[codes]


def column_search(cells: SheetCells, at: np.ndarray, column: int, pattern: str) -> np.ndarray:
    """:func:`search` of ``cells.column_text(at, column)``, a long one by the sheet's codes of the column (its
    distinct texts matched once, not factorized again)."""
    position = cells.column_position[column]
    if len(at) <= SHORT_COLUMN:
        return search(cells.values[at, position], pattern)
    codes, distinct = cells.column_codes(position)
    return distinct_search(distinct, pattern)[codes[at]]


# RE2's \s (what Arrow's replace_substring_regex matches) is [\t\n\f\r ]: the same set, without \v.
_SPACES = re.compile(r"[\t\n\f\r \u3000]+")
_WITHOUT_SPACES = _Remembered(lambda text: _SPACES.sub("", text))


def spaces_removed(texts: np.ndarray) -> np.ndarray:
    """:func:`without_spaces` on an object array of str (a long one once per distinct text)."""
    if len(texts) > SHORT_COLUMN:
        return _per_distinct(texts, distinct_spaces_removed, None)
    out = np.empty(len(texts), dtype=object)
    out[:] = list(map(_WITHOUT_SPACES.__getitem__, texts))
    return out


def distinct_spaces_removed(texts: np.ndarray) -> np.ndarray:
    """``texts`` (an object array of str) without their spaces, by Arrow (RE2): what :func:`spaces_removed`
    gives a long array, for its distinct texts."""
    removed = pc.replace_substring_regex(pa.array(texts, type=pa.large_string()), r"[\s\x{3000}]+", "")
    return np.asarray(removed.to_numpy(zero_copy_only=False), dtype=object)


def without_spaces(texts: pd.Series) -> pd.Series:
    """The texts with their spaces (ideographic ones too) removed, by Arrow over the column (``合 计`` → ``合计``)."""
    removed = pc.replace_substring_regex(pa.array(texts.array, type=pa.large_string()), r"[\s\x{3000}]+", "")
    return pd.Series(
        np.asarray(removed.to_numpy(zero_copy_only=False), dtype=object), index=texts.index, dtype=texts.dtype
    )


def contains(texts: pd.Series, pattern: str) -> pd.Series:
    """``texts.str.contains(pattern)`` run by :func:`search` (pandas runs a non-ASCII pattern in Python, row by
    row); a missing text matches nothing."""
    values = texts.to_numpy(dtype=object)
    present = pd.notna(values)
    found = np.zeros(len(values), dtype=bool)
    found[present] = search(values[present], pattern)
    return pd.Series(found, index=texts.index)


def filled_across_and_down(cells: SheetCells, rows: pd.Index, columns=None) -> pd.DataFrame:
    """The text of ``rows`` with every merged range's value copied over the cells it covers.

    A header's group label merged over its sub-columns, a 村名 merged over the two header rows, a 合计
    merged over 序号/乡镇/村名: each covered cell reads like the range's first cell.
    """
    text = cells.text.loc[rows, columns if columns is not None else cells.columns]
    if text.empty:
        return text.copy()
    first, last = rows.min(), rows.max()
    row_at = {row: i for i, row in enumerate(text.index)}
    col_at = {col: i for i, col in enumerate(text.columns)}
    values = None
    for top, left, bottom, right in cells.sheet.merged:
        if bottom < first or top > last or top not in cells.text.index or left not in cells.text.columns:
            continue
        value = cast("str", cells.text.at[top, left])  # the text frame holds str
        if not value:
            continue
        covered_rows = [row_at[r] for r in range(max(top, first), min(bottom, last) + 1) if r in row_at]
        covered_cols = [col_at[c] for c in range(left, right + 1) if c in col_at]
        if covered_rows and covered_cols:
            values = text.to_numpy(dtype=object, copy=True) if values is None else values
            block = np.ix_(covered_rows, covered_cols)
            values[block] = np.where(values[block] == "", value, values[block])
    if values is None:
        return text.copy()
    return pd.DataFrame(values, index=text.index, columns=text.columns, dtype=text.dtypes.iloc[0])


def filled_values(cells: SheetCells, rows: pd.Index | list[int], columns: list[int]) -> np.ndarray:
    """:func:`filled_across_and_down` as a 2-D object array (``rows`` by ``columns``, all of the sheet)."""
    return _filled(cells, rows, columns)[0]


def filled_codes(cells: SheetCells, rows: pd.Index, columns: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`filled_values`, each column as ``(codes, distinct)`` (its text being ``distinct[codes]``): a column
    no merged range fills takes the sheet's codes of it (:meth:`SheetCells.column_codes`), others are
    factorized. ``distinct`` may hold texts of rows other than ``rows``."""
    values, touched = _filled(cells, rows, columns)
    at = cells.row_positions(rows)
    coded = []
    for i, col in enumerate(columns):
        if i in touched:
            codes, distinct = pd.factorize(values[:, i])
            coded.append((codes, np.asarray(distinct, dtype=object)))
        else:
            codes, distinct = cells.column_codes(cells.column_position[col])
            coded.append((codes[at], distinct))
    return coded


def _filled(cells: SheetCells, rows: pd.Index | list[int], columns: list[int]) -> tuple[np.ndarray, set[int]]:
    """:func:`filled_values`, and the positions in ``columns`` of the columns a merged range filled."""
    at_columns = np.asarray([cells.column_position[c] for c in columns], dtype=np.intp)  # as np.ix_ makes it
    values = cells.values[np.ix_(cells.row_positions(rows), at_columns)]
    touched: set[int] = set()
    if not values.size or not cells.sheet.merged:
        return values, touched
    first, last = (rows.min(), rows.max()) if isinstance(rows, pd.Index) else (min(rows), max(rows))
    row_at: dict[int, int] | None = None  # made when a merged range needs it
    col_at = {col: i for i, col in enumerate(columns)}
    sheet_row, sheet_col = cells.row_position, cells.column_position
    for top, left, bottom, right in cells.sheet.merged:
        if bottom < first or top > last or top not in sheet_row or left not in sheet_col:
            continue
        value = cells.values[sheet_row[top], sheet_col[left]]
        if not value:
            continue
        row_at = row_at if row_at is not None else {row: i for i, row in enumerate(rows)}
        covered_rows = [row_at[r] for r in range(max(top, first), min(bottom, last) + 1) if r in row_at]
        covered_cols = [col_at[c] for c in range(left, right + 1) if c in col_at]
        if covered_rows and covered_cols:
            block = np.ix_(covered_rows, covered_cols)
            values[block] = np.where(values[block] == "", value, values[block])
            touched.update(covered_cols)
    return values, touched


def merged_down(cells: SheetCells, rows: pd.Index, column: int) -> pd.Series:
    """The text of ``column`` over ``rows``, a value merged down several rows (a village over 本年/上年) filled in."""
    text = cells.text.loc[rows, column].copy()
    for top, left, bottom, right in cells.sheet.merged:
        if left <= column <= right and bottom > top and top in cells.text.index:
            value = cells.text.at[top, left]
            covered = text.index[(text.index >= top) & (text.index <= bottom)]
            if value and len(covered):
                text.loc[covered] = text.loc[covered].mask(text.loc[covered].eq(""), value)
    return text


def merged_down_values(cells: SheetCells, rows: pd.Index, column: int) -> np.ndarray:
    """:func:`merged_down` as an object array (one value per row of ``rows``, all of them rows of the sheet)."""
    values = cells.values[cells.row_positions(rows), cells.column_position[column]]
    numbers = rows.to_numpy()
    for top, left, bottom, right in cells.sheet.merged:
        if left <= column <= right and bottom > top and top in cells.row_position:
            value = cells.values[cells.row_position[top], cells.column_position[left]]
            covered = (numbers >= top) & (numbers <= bottom)
            if value and covered.any():
                values[covered & (values == "")] = value
    return values


def merged_down_codes(cells: SheetCells, rows: pd.Index, column: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`merged_down_values` as ``(codes, distinct)``, its text being ``distinct[codes]``: the sheet's codes
    of the column (:meth:`SheetCells.column_codes`) where no merged range runs down it, else factorized.
    ``distinct`` may hold texts of rows other than ``rows``."""
    if not any(left <= column <= right and bottom > top for top, left, bottom, right in cells.sheet.merged):
        codes, distinct = cells.column_codes(cells.column_position[column])
        return codes[cells.row_positions(rows)], distinct
    codes, distinct = pd.factorize(merged_down_values(cells, rows, column))
    return codes, np.asarray(distinct, dtype=object)


__all__ = [
    "AMOUNT_SHAPE",
    "LONG_TEXT",
    "MISSING_MARKERS",
    "SHORT_COLUMN",
    "SHORT_TEXT",
    "RowRange",
    "SheetCells",
    "TextDtype",
    "column_each",
    "column_search",
    "contains",
    "distinct_search",
    "distinct_spaces_removed",
    "each_code",
    "each_distinct",
    "filled_across_and_down",
    "filled_codes",
    "filled_values",
    "merged_down",
    "merged_down_codes",
    "merged_down_values",
    "one_object",
    "search",
    "sheet_cells",
    "sheets_cells",
    "short_search",
    "spaces_removed",
    "without_spaces",
]
