"""Where a sheet's tables are, and what each of their columns holds.

:func:`find_tables` finds each table's header rows (a header may run over several rows, with merged group
labels), the column-number row under it (甲 乙 丙 1 2), its body, and the rows above it that belong to it
(title, 单位 line). Two tables side by side under one header row (a balance sheet's 资产 ‖ 负债及所有者权益)
are two blocks, each with its own line names. :func:`column_meaning` reads one column's header layers,
top to bottom, into what its cells are: a role (村名, 科目, 年度), or amounts of an item, a year, a period or
a village, or a column left out by name (增减额, 行次, 预算数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from villagecon.ingest.cells import (
    LONG_TEXT,
    SHORT_COLUMN,
    SheetCells,
    distinct_search,
    filled_values,
    search,
    short_search,
)
from villagecon.ingest.places import COUNTY, TOWNSHIP, place_level, split_place_name
from villagecon.ingest.words import (
    DERIVED,
    FOOTER_PATTERN,
    ITEM,
    PERIOD,
    ROLE,
    TOTAL,
    UNIT,
    Vocabulary,
    header_key,
    is_numbering_row,
)
from villagecon.vocab import labels
from villagecon.vocab import synonyms as syn
from villagecon.vocab.names import village_key

# The first table's header starts within this many rows of the top; a header has at most this many rows.
HEADER_SEARCH_ROWS = 40
MAX_HEADER_ROWS = 4

# What a column is, besides one of the roles of villagecon.vocab.synonyms.
VALUE = "value"  # amounts: of an item, a year, a period or a village (what the header says)
SUBTOTAL = "subtotal"  # amounts that sum other columns of the row (a 合计 column, a township across)
LEFT_OUT = "left_out"  # read by name and left out (增减额, 行次, 预算数): listed, never rejects
UNKNOWN = "unknown"  # a header the reader does not know (or none): its amounts become rejects

# Roles whose column labels the rows of a table (the cells under them are names, not amounts).
LABEL_ROLES = (
    syn.VILLAGE,
    syn.TOWNSHIP,
    syn.COUNTY,
    syn.VILLAGE_CODE,
    syn.YEAR,
    syn.DATE,
    syn.MONTH,
    syn.ITEM,
    syn.ITEM_CODE,
    syn.UNIT_COLUMN,
    syn.DETAIL,
)
_VALUE_ROLES = (syn.AMOUNT, syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)
_LABEL_HEADER_KEYS = frozenset(syn.header_key(h) for h in syn.ITEM_LABEL_HEADERS)
# Cells of a 计量单位 (or 单位) column.
UNIT_WORDS = r"^(?:元|万元|千元|亿元|个|人|户|%|％|‰|亩|公顷|平方米|米|吨|千克|公斤|年|次|项|家|元/人|万元/人|元/户)$"
_ROSTER_WORDS = ("任职起始", "任职时间", "职务", "任职开始", "到任时间", "任现职时间", "任职起止时间", "是否一肩挑")
_TRIAL_BALANCE = (
    "a trial balance (科目余额表: 借方 and 贷方 balances), which villagecon does not read: a balance's "
    "sign and period depend on the account"
)
_YEAR_TEXT = r"^(?:19[4-9]\d|20\d\d|2100)(?:年度?|年末数?|年初数?)?$"


@dataclass
class Column:
    """What one column of a table holds, read from its header layers (top to bottom).

    ``role`` is one of the roles of :mod:`villagecon.vocab.synonyms` (village, item, year, …) for a column that labels
    the rows, or VALUE, SUBTOTAL, LEFT_OUT, UNKNOWN. A VALUE column's header may give its ``item``, ``year``,
    ``period`` (本年数/上年数/年初数/年末数), ``unit`` and, in a table with villages across, its ``village``.
    """

    col: int
    header: str
    role: str
    item: str | None = None
    year: int | None = None
    period: str | None = None
    unit: str | None = None
    village: str | None = None
    township: str | None = None  # the township written over a village across (濠头乡 over 上河村 | 林源村)
    detail: str | None = None  # a 其中 column: the part of its item it itemises (其中：光伏收入)
    level: str | None = None  # a SUBTOTAL column naming a township or county
    reason: str | None = None  # why a LEFT_OUT column is left out

    def meaning(self) -> str:
        """One line for people: what the reader took the column to be."""
        if self.role == VALUE:
            period_words: dict[str | None, str] = {syn.BUDGET: "budget: ", syn.PART: "part of the year: "}
            kind = period_words.get(self.period, "")
            return (
                kind
                + (f"item {self.item}" if self.item else "amounts")
                + (f" of {self.township or ''}{self.village}" if self.village else "")
            )
        if self.role == LEFT_OUT:
            return f"left out: {self.reason}"
        if self.role == SUBTOTAL:
            return f"subtotal of the row's villages{f' ({self.level})' if self.level else ''}"
        if self.role == UNKNOWN:
            return "unknown: its amounts are rejected"
        return f"{self.role} ({self.reason})" if self.reason else self.role


@dataclass
class Table:
    """One table of a sheet: its header, the rows it spans, and its columns (one block of side-by-side tables)."""

    number: int
    header_rows: list[int]
    numbering_rows: list[int]
    preamble: pd.Index
    body: pd.Index
    columns: dict[int, Column]
    notes: list[str] = field(default_factory=list)

    def of_role(self, *roles: str) -> list[Column]:
        return [c for c in self.columns.values() if c.role in roles]

    def first(self, role: str) -> Column | None:
        found = self.of_role(role)
        return found[0] if found else None


@dataclass
class NotALedger:
    """Why a sheet holds no table to read."""

    reason: str


def find_tables(
    cells: SheetCells, vocabulary: Vocabulary, *, header_rows: tuple[int, ...] | None = None, roster: bool = False
) -> list[Table] | NotALedger:
    """Every table of the sheet, top to bottom (side-by-side blocks as separate tables).

    ``header_rows`` (from a layout file) says where the one table's header is, instead of looking for it.
    ``roster``: find a roster's tables (a header naming 姓名 and at least one more of ``vocabulary``'s roles)
    instead of refusing a roster as no ledger.
    """
    rows, values = cells.rows, cells.values
    # Per row (by position): how many amounts that are no year, how many filled cells.
    non_year_amounts = (cells.amounts & ~_year_amounts(cells)).sum(axis=1)
    filled_count = (values != "").sum(axis=1)
    position = cells.row_position
    row_numbers = rows.to_numpy()
    candidates = row_numbers[(non_year_amounts == 0) & (filled_count >= 1)].tolist()
    first_amount_rows = row_numbers[non_year_amounts > 0]
    first_amount = first_amount_rows[0] if len(first_amount_rows) else np.inf

    starts: list[int] = [header_rows[0]] if header_rows else []
    bands: list[list[int]] = [list(header_rows)] if header_rows else []
    taken: set[int] = set()
    for row in candidates if not header_rows else ():
        if row in taken or filled_count[position[row]] < 2:
            continue
        texts = [t for t in cells.row_text(row) if t]
        keys = {header_key(t) for t in texts}
        if {"借方", "贷方"} <= keys or ("期初余额" in keys and "期末余额" in keys and "科目编码" in keys):
            return NotALedger(_TRIAL_BALANCE)
        if not starts and not roster:
            if "姓名" in keys and keys & set(_ROSTER_WORDS):
                return NotALedger("a roster (花名册), not a ledger")
            if {"village_code", "county_code"} <= keys:
                return NotALedger("the village register, not a ledger")
        words = [vocabulary.word(t) for t in texts]
        # Village names count as header words: a statistics form lists its villages across (项目 | 上河村 | …),
        # and so do the townships over them (项目 | 濠头乡 | 土桥镇 above the villages).
        villages = sum(w.kind is None and _place_across(t, vocabulary) for t, w in zip(texts, words, strict=True))
        known = sum(w.kind is not None for w in words) + villages
        structural = sum(
            w.kind in (ROLE, PERIOD, DERIVED) or header_key(t) in _LABEL_HEADER_KEYS
            for t, w in zip(texts, words, strict=True)
        )
        first_table = not starts and row < first_amount and row <= rows[0] + HEADER_SEARCH_ROWS
        if roster:
            # A roster's header names the person (姓名) and more of its columns (never a village or township's
            # name: a data row 濠头乡 | 上河村 | 张三 | 书记 is no header); a later one repeats it.
            names = any(w.kind == ROLE and w.name == "name" for w in words)
            roles = known - villages
            is_header = names and (roles >= 3 if starts else roles >= 2 and row <= rows[0] + HEADER_SEARCH_ROWS)
        else:
            # A later table's header names a column role (村名, 项目, 本年数, 行次…): a data row of amounts that
            # happen to lie between 1949 and 2100 (a year's worth of 2035 yuan) never starts one. Two known words
            # do when one repeats the table above's label in its column (村名 | 补助收入 under 村名 | 经营收入 | …).
            is_header = (first_table and known >= 2) or (
                starts
                and structural >= 1
                and (known >= 3 or structural >= 2 or _repeats_label(cells, row, bands[-1], vocabulary))
            )
        if is_header:
            band = _header_band(cells, row, vocabulary, candidates)
            starts.append(row)
            bands.append(band)
            taken.update(band)
    if not starts:
        return NotALedger("no table header")

    tables: list[Table] = []
    last_row = rows[-1]
    previous_end = rows[0] - 1
    for number, (start, band) in enumerate(zip(starts, bands, strict=True)):
        numbering = _numbering_rows(cells, band[-1])
        body_start = (numbering or band)[-1] + 1
        next_start = starts[number + 1] if number + 1 < len(starts) else last_row + 1
        next_preamble = (
            _preamble_start(cells, next_start, body_start, non_year_amounts)
            if number + 1 < len(starts)
            else last_row + 1
        )
        preamble = _rows_from(rows, previous_end + 1, start)
        body = _rows_from(rows, body_start, next_preamble)
        previous_end = next_preamble - 1
        for block in _blocks(cells, band, body, vocabulary):
            tables.append(
                Table(
                    number=len(tables) + 1,
                    header_rows=band,
                    numbering_rows=numbering,
                    preamble=preamble,
                    body=body,
                    columns=block,
                )
            )
    return tables


def _year_amounts(cells: SheetCells) -> np.ndarray:
    """Which amount cells' text is a year (_YEAR_TEXT), as search says of each column of them (other cells:
    False).

    In a short sheet a number's text (2016, 2016.5, 12.5) is a year where the number is a whole one from 1940
    to 2100 (as _YEAR_TEXT reads its text), told from the numbers at once; only the amounts written as text are
    searched."""
    if len(cells.rows) > SHORT_COLUMN:
        return cells.matches(_YEAR_TEXT, long=True) & cells.amounts
    years = np.zeros(cells.values.shape, dtype=bool)
    if cells.numbers.any():
        numbers = cells.raw_values[cells.numbers].astype(np.float64)
        years[cells.numbers] = (numbers >= 1940) & (numbers <= 2100) & (numbers == np.floor(numbers))
    words = cells.amounts & ~cells.numbers
    if words.any():
        years[words] = short_search(cells.values[words], _YEAR_TEXT)
    return years


def _rows_from(rows: pd.Index, first: int, stop: int) -> pd.Index:
    """``rows[(rows >= first) & (rows < stop)]``; rows 1, 2, 3, … sliced (a mask costs more on a small sheet)."""
    if isinstance(rows, pd.RangeIndex) and rows.step == 1 and max(first, rows.start) < min(stop, rows.stop):
        return rows[max(first, rows.start) - rows.start : min(stop, rows.stop) - rows.start]
    return rows[(rows >= first) & (rows < stop)]


def _is_label(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a header names a label column (村名, 乡镇, 项目, 科目, 备注…), not an amount."""
    word = vocabulary.word(text)
    return (word.kind == ROLE and word.name in (*LABEL_ROLES, syn.IGNORED)) or header_key(text) in _LABEL_HEADER_KEYS


def _repeats_label(cells: SheetCells, row: int, band: list[int], vocabulary: Vocabulary) -> bool:
    """Whether ``row`` writes, in some column, the label (村名, 项目, 科目…) the header ``band`` has there."""
    labels = {
        (col, header_key(text))
        for header_row in band
        for col, text in cells.row_items(header_row)
        if text and _is_label(text, vocabulary)
    }
    return any((col, header_key(text)) in labels for col, text in cells.row_items(row) if text)


def _header_band(cells: SheetCells, start: int, vocabulary: Vocabulary, candidates: list[int]) -> list[int]:
    """The header's rows: ``start`` and the rows under it that continue it (sub-headers under merged groups)."""
    band = [start]
    top_texts = {c: t for c, t in cells.row_items(start) if t}
    label_cols = {c for c, t in top_texts.items() if _is_label(t, vocabulary)}
    candidate_set = set(candidates)
    for row in range(start + 1, start + MAX_HEADER_ROWS):
        if row not in candidate_set:
            break
        texts = {c: t for c, t in cells.row_items(row) if t}
        if is_numbering_row(list(texts.values())) or any(c in label_cols for c in texts):
            break
        if any(re.search(FOOTER_PATTERN, t) for t in texts.values()):
            break
        words = [vocabulary.word(t) for t in texts.values()]
        under_groups = all(_under_group(cells, band, c) for c in texts)
        places = all(_place_across(t, vocabulary) for t in texts.values())
        if not (any(w.kind is not None for w in words) or under_groups or places):
            break
        band.append(row)
    return band


def _under_group(cells: SheetCells, band: list[int], col: int) -> bool:
    """Whether a column lies under a label merged across several columns in the header rows above."""
    for top, left, bottom, right in cells.sheet.merged:
        if right > left and left <= col <= right and band[0] <= bottom and top <= band[-1]:
            return True
    return False


def _numbering_rows(cells: SheetCells, after: int) -> list[int]:
    rows = []
    for row in (after + 1, after + 2):
        if row in cells.row_position and is_numbering_row([t for t in cells.row_text(row) if t]):
            rows.append(row)
        else:
            break
    return rows


def _preamble_start(cells: SheetCells, header: int, floor: int, amounts: np.ndarray) -> int:
    """The first row above a later table's header that belongs to it (titles, 单位 lines: rows without amounts);
    ``amounts`` counts each row's amounts, by position."""
    row = header
    position = cells.row_position
    while row - 1 >= floor and row - 1 in position and amounts[position[row - 1]] == 0:
        texts = [t for t in cells.row_text(row - 1) if t]
        if len(texts) > 2:
            break
        row -= 1
    # Blank rows between the tables end the one above; a title right under its data would be its note.
    return row


def _blocks(cells: SheetCells, band: list[int], body: pd.Index, vocabulary: Vocabulary) -> list[dict[int, Column]]:
    """The header's columns, split where a second column of line names starts a block beside the first."""
    layers = header_layers(cells, band)
    columns = {c: column_meaning(c, layers[c], cells, body, vocabulary) for c in cells.columns}
    has_cells = (cells.rows_text(body) != "").any(axis=0)  # by the column's position
    columns = {c: col for c, col in columns.items() if col.header or has_cells[cells.column_position[c]]}
    _infer_label_column(columns, cells, body, vocabulary)
    for column in columns.values():
        if column.role == UNKNOWN and not column.header and _numbers_rows(cells, body, column.col):
            _left_out(column, "its cells number the rows (行次)")
    # A bare 合计 column after the income (or expense) items of a table of villages is their total.
    if any(c.role == syn.VILLAGE for c in columns.values()):
        for column in columns.values():
            if column.role == SUBTOTAL and column.level is None:
                before = {
                    c.item
                    for c in columns.values()
                    if c.role == VALUE
                    and c.col < column.col
                    and c.item
                    and c.year == column.year
                    and c.item not in labels.TOTALS
                }
                for group, total in ((labels.INCOME_ITEMS, "total_income"), (labels.EXPENSE_ITEMS, "total_expense")):
                    if before and before <= set(group):
                        column.role, column.item = VALUE, total
        # 村名 | 收入 | 支出 | 结余, with no 科目 column: a village's income and expenses are its totals.
        if not any(c.role == syn.ITEM for c in columns.values()):
            for column in columns.values():
                amount_total = {syn.INCOME_AMOUNT: "total_income", syn.EXPENSE_AMOUNT: "total_expense"}.get(column.role)
                if amount_total and not column.item:
                    column.role, column.item = VALUE, amount_total
    # A 其中 column itemises the item just left of it (经营收入 | 其中：光伏收入; under 总收入, 经营性收入 | 其中：…),
    # or, with none, the group it stands under.
    last_item = None
    for column in columns.values():
        if column.role == VALUE and column.detail:
            column.item = last_item or column.item
        elif column.role == VALUE and column.item:
            last_item = column.item
    # Side by side: a second column of line names (资产 ‖ 负债及所有者权益), or of village names (村名 ‖ 村名).
    label_role = next((col.role for col in columns.values() if col.role in (syn.ITEM, syn.VILLAGE)), None)
    starts = [c for c, col in columns.items() if col.role == label_role] if label_role else []
    if len(starts) < 2:
        return [columns]
    edges = [*starts[1:], max(cells.columns) + 1]
    blocks, start = [], min(columns)
    for edge in edges:
        blocks.append({c: col for c, col in columns.items() if start <= c < edge})
        start = edge
    return [b for b in blocks if b]


def _infer_label_column(columns: dict[int, Column], cells: SheetCells, body: pd.Index, vocabulary: Vocabulary) -> None:
    """A table whose header names neither a village nor an item column (名称 | 经营收入 | …): the first column
    of unknown header, left of the amounts, whose cells are village names (or line items) labels the rows."""
    if any(c.role in LABEL_ROLES for c in columns.values()) or not len(body):
        return
    values = [c.col for c in columns.values() if c.role == VALUE]
    for column in columns.values():
        if column.role != UNKNOWN or (values and column.col > min(values)):
            continue
        at, texts = _filled_cells(cells, body, column.col)
        texts = texts[~cells.amounts[at, cells.column_position[column.col]]]
        if len(texts) == 0:
            continue
        distinct = list(dict.fromkeys(texts))
        if np.mean([vocabulary.is_village(t) for t in distinct]) > 0.5:
            column.role, column.reason = syn.VILLAGE, "its cells are village names"
        elif np.mean([vocabulary.item(t) is not None for t in distinct]) > 0.5:
            column.role, column.reason = syn.ITEM, "its cells are line items"
        else:
            continue
        return


def _numbers_rows(cells: SheetCells, body: pd.Index, col: int) -> bool:
    """Whether a column's cells are increasing whole numbers (1, 2, 3, …, or 行次 with gaps): row numbers."""
    _, texts = _filled_cells(cells, body, col)
    if len(texts) < 3:
        return False
    # pandas matched a long sheet's Arrow strings with RE2 (an ASCII \d), a short one's with re.
    if not all(_ROW_NUMBER_ASCII.fullmatch(t) for t in texts) and (
        cells.text_dtype is LONG_TEXT or not all(_ROW_NUMBER.fullmatch(t) for t in texts)
    ):
        return False
    numbers = np.array([int(t) for t in texts])
    return bool((np.diff(numbers) > 0).all())


_ROW_NUMBER, _ROW_NUMBER_ASCII = re.compile(r"\d{1,3}"), re.compile(r"\d{1,3}", re.ASCII)


def header_layers(cells: SheetCells, band: list[int]) -> dict[int, tuple[str, ...]]:
    """Each column's header text, one entry per header row, merged labels spread over the cells they cover."""
    columns = list(cells.columns)
    filled = filled_values(cells, band, columns)
    if not cells.sheet.merged and len(band) > 1:
        # A CSV has no merges: a group label stands over its first sub-column; it covers the columns to its
        # right that have a sub-label and no group label of their own.
        for upper in range(len(band) - 1):
            current = ""
            for j in range(len(columns)):
                own, sub = filled[upper, j], filled[upper + 1, j]
                current = own or (current if sub else "")
                filled[upper, j] = current
    layers = {}
    for j, col in enumerate(columns):
        values = filled[:, j].tolist()
        kept = tuple(v for i, v in enumerate(values) if v and v not in values[:i])
        layers[col] = kept
    return layers


def column_meaning(
    col: int, layers: tuple[str, ...], cells: SheetCells, body: pd.Index, vocabulary: Vocabulary
) -> Column:
    """What a column holds, from its header layers (top to bottom) and, where words are ambiguous, its cells."""
    header = "/".join(layers)
    if not layers:
        return Column(col, header="", role=UNKNOWN)
    words = [vocabulary.word(t) for t in layers]
    if any(w.kind == UNIT and w.name == "not money" for w in words):
        return _left_out(Column(col, header=header, role=LEFT_OUT), f"its unit ({layers[-1]}) is not money")
    unit = next((w.unit for w in reversed(words) if w.unit), None)
    # A row of units under the header (万元 | 万元) gives the unit; the words above say the rest.
    kept = [(t, w) for t, w in zip(layers, words, strict=True) if w.kind != UNIT]
    if not kept:
        return Column(col, header=header, role=UNKNOWN, unit=unit)
    layers, words = tuple(t for t, _ in kept), [w for _, w in kept]
    year = next((w.year for w in reversed(words) if w.year is not None), None)
    period = next(
        (w.name if w.kind == PERIOD else w.period for w in reversed(words) if w.kind == PERIOD or w.period), None
    )
    item = next((w.name for w in reversed(words) if w.kind == ITEM), None)
    lowest_text, lowest = layers[-1], words[-1]
    column = Column(col, header=header, role=VALUE, item=item, year=year, period=period, unit=unit)
    if any(w.kind == DERIVED for w in words):
        return _left_out(column, f"{lowest_text} is computed from other columns")
    if lowest.kind == ROLE:
        role = cast("str", lowest.name)  # a role word's name is its role
        if role in _VALUE_ROLES:
            column.role = VALUE if role == syn.AMOUNT else role
            return column
        if role == syn.IGNORED:
            return _left_out(column, f"{lowest_text} holds no amounts")
        if role in (syn.VILLAGE, syn.ITEM):
            in_sheet, body_filled = _filled_cells(cells, body, col)
            if role == syn.VILLAGE and len(body_filled) and _units_share(cells, col, in_sheet, body_filled) > 0.5:
                role = syn.UNIT_COLUMN
            if (
                role == syn.ITEM
                and len(body_filled)
                and np.mean([vocabulary.is_village(t) for t in _distinct_texts(cells, col, in_sheet, body_filled)])
                > 0.5
            ):
                column.role, column.item, column.reason = syn.VILLAGE, None, "its cells are village names"
                return column
        column.role, column.item = role, None
        return column
    if header_key(lowest_text) in _LABEL_HEADER_KEYS and (
        not len((filled_at := _filled_cells(cells, body, col))[0])
        or cells.amounts[filled_at[0], cells.column_position[col]].mean() < 0.5
    ):
        column.role, column.item = syn.ITEM, None
        return column
    if lowest.kind == TOTAL:
        group = next((w.name for w in reversed(words[:-1]) if w.kind == ITEM), None)
        if group is not None:
            column.item = syn.GROUP_TOTALS.get(group, group)
            return column
        village = _village_in(layers[:-1], vocabulary)
        if village is None:
            column.role = SUBTOTAL
        return column
    if detail := syn.detail_label(lowest_text):
        if named := vocabulary.item(detail):
            column.item = named  # 其中：经营收入 under 本年收入: the item itself
            return column
        # 其中：光伏收入 under 经营收入 (or beside it): a part of that item, never the item itself.
        column.detail, column.item = detail, next((w.name for w in reversed(words[:-1]) if w.kind == ITEM), None)
        return column
    village = _village_in(layers, vocabulary)
    if village is not None:
        column.village = village
        column.township = next((split_place_name(t)[1] or t for t in layers if place_level(t) == TOWNSHIP), None)
    if item is not None or year is not None or period is not None or village is not None:
        return column
    level = place_level(lowest_text)
    if level in (TOWNSHIP, COUNTY):
        column.role, column.level = SUBTOTAL, level
        return column
    column.role = UNKNOWN
    return column


def _units_share(cells: SheetCells, col: int, at: np.ndarray, texts: np.ndarray) -> float:
    """The share of ``texts`` (the cells of ``col`` at positions ``at``) that are units (元, 万元, 个): as
    search matches them, a long column once per distinct text."""
    if len(texts) <= SHORT_COLUMN:
        return float(search(texts, UNIT_WORDS).mean())
    codes, distinct = cells.column_codes(cells.column_position[col])
    return float(distinct_search(distinct, UNIT_WORDS)[codes[at]].mean())


def _distinct_texts(cells: SheetCells, col: int, at: np.ndarray, texts: np.ndarray) -> list[str]:
    """The distinct ``texts`` (the cells of ``col`` at positions ``at``); a long column's from its codes, in
    another order (a share of them does not depend on it)."""
    if len(texts) <= SHORT_COLUMN:
        return list(dict.fromkeys(texts))
    codes, distinct = cells.column_codes(cells.column_position[col])
    present = np.zeros(len(distinct), dtype=bool)
    present[codes[at]] = True
    return distinct[present].tolist()


def _filled_cells(cells: SheetCells, body: pd.Index, col: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells of ``col`` in ``body`` that hold something: their positions in the sheet, and their text."""
    at = cells.row_positions(body)
    text = cells.column_text(at, col)
    filled = text != ""
    return at[filled], text[filled]


def _place_across(text: str, vocabulary: Vocabulary) -> bool:
    """A village's or township's name written as a header (not 编制单位：濠头乡, a line of the title)."""
    return not re.search("[:：]", text) and (vocabulary.is_village(text) or place_level(text) == TOWNSHIP)


def _village_in(layers: tuple[str, ...], vocabulary: Vocabulary) -> str | None:
    """A village named in a header (a table with the villages across), lowest layer first."""
    for text in reversed(layers):
        if vocabulary.is_village(text):
            return village_key(text)
    return None


def apply_layout(table: Table, *, village_column: str | None, columns: dict[str, str]) -> None:
    """What a layout file says of the columns, over what inference decided."""
    from villagecon.ingest.files import column_index
    from villagecon.ingest.words import USER_ROLES

    said = {**({village_column: "village"} if village_column else {}), **columns}
    for letter, meaning in said.items():
        col = column_index(letter)
        column = table.columns.get(col) or Column(col, header="", role=UNKNOWN)
        if meaning == "ignore":
            _left_out(column, "the layout file says to ignore it")
        elif meaning in USER_ROLES:
            role = USER_ROLES[meaning]
            column.role, column.item = (VALUE, None) if role == syn.AMOUNT else (role, None)
            column.reason = "the layout file"
        else:
            column.role, column.item, column.detail, column.reason = VALUE, meaning, None, None
        table.columns[col] = column
    table.columns = dict(sorted(table.columns.items()))


def _left_out(column: Column, reason: str) -> Column:
    column.role, column.reason = LEFT_OUT, reason
    return column


__all__ = [
    "HEADER_SEARCH_ROWS",
    "LABEL_ROLES",
    "LEFT_OUT",
    "MAX_HEADER_ROWS",
    "SUBTOTAL",
    "UNIT_WORDS",
    "UNKNOWN",
    "VALUE",
    "Column",
    "NotALedger",
    "Table",
    "apply_layout",
    "column_meaning",
    "find_tables",
    "header_layers",
]
