"""What each row of a table's body is, and what it says about the amounts in it.

Every body row gets one kind: ``data``, ``subtotal`` (合计, 小计, a township's row, in any leading column,
merged or not), ``title`` (a section such as 一、濠头乡 or 流动资产：), ``note`` (填表人：…, 说明：…, anywhere in
the row, also under amount columns), ``other`` (a line that is not money: its 计量单位 is 个 or %), or
``blank``. A data row also gives its amounts a village, township, county, year, item and unit where its
label columns say them. Everything is computed column by column, once per distinct label.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from villagecon.ingest.cells import (
    LONG_TEXT,
    SHORT_COLUMN,
    SHORT_TEXT,
    SheetCells,
    TextDtype,
    column_each,
    column_search,
    distinct_search,
    each_distinct,
    merged_down_values,
    one_object,
    search,
)
from villagecon.ingest.coverage import coverage_frame, no_coverage, subtotal_pairs
from villagecon.ingest.headers import LEFT_OUT, SUBTOTAL, UNIT_WORDS, UNKNOWN, VALUE, Table
from villagecon.ingest.row_labels import leading_label, repeated_rows, subtotal_text
from villagecon.ingest.row_places import read_places, township_in
from villagecon.ingest.words import FOOTER_PATTERN, PERIOD_BY_KEY, SUBTOTAL_PATTERN, Vocabulary, header_key
from villagecon.parse.amounts import unit_factor, unit_from_text
from villagecon.parse.years import date_text, parse_year
from villagecon.vocab import synonyms as syn
from villagecon.vocab.labels import ENTRY_ITEMS
from villagecon.vocab.periods import accounting_period_months
from villagecon.vocab.projects import project_item

AMOUNT_ROLES = (VALUE, SUBTOTAL, UNKNOWN, syn.INCOME_AMOUNT, syn.EXPENSE_AMOUNT)
# The distribution part of the 收益及收益分配表, where a bare 其他 is a line of its own.
_DISTRIBUTION = (
    "distributable_income",
    "reserve_appropriation",
    "welfare_appropriation",
    "investor_distribution",
    "household_distribution",
)
# 红字 in a 摘要 or a column header: an amount written without its minus sign that is negative.
RED_INK = r"红字|红冲|冲红"
_SUBTOTAL = one_object("subtotal")  # a row kind put in many rows at once
_MONEY_UNITS = ("元", "万元", "千元", "亿元", "万", "千", "亿")


class _Label:
    """A label of :class:`Rows` read as a Series indexed by row, made from its array when first asked."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, rows: Rows | None, owner: type | None = None) -> pd.Series:
        if rows is None:
            return self  # type: ignore[return-value]  # the descriptor itself, on the class
        if self.name not in rows.made:
            rows.made[self.name] = rows.draft.series(self.name, rows.body)
        return rows.made[self.name]


@dataclass(eq=False)
class Rows:
    """The body rows of one table: their kinds, and what their label columns say.

    Each label (village … closest_items below) is an object array aligned with the body
    (``rows.values("village")``), which the reader uses; ``rows.village`` is the same as a Series indexed by row.
    So are the kinds (:attr:`kind_values`, :attr:`kinds`) and the coverage (:attr:`pairs`, :attr:`coverage`):
    the Series and frames are made when asked (a small table's pandas calls cost more than its work).
    """

    body: pd.Index
    kind_values: np.ndarray  # each body row's kind, by position
    draft: _Draft = field(repr=False)
    pairs: tuple[np.ndarray, np.ndarray]  # subtotal_row, row (int64): which data rows each subtotal row sums
    text_dtype: TextDtype = SHORT_TEXT  # the dtype of the kinds Series
    orientation: str = ""
    lines: bool = False  # rows are lines of a ledger: lines of one item add up
    same_as: pd.Series | None = None  # an earlier row each row repeats exactly (a possible double entry)
    red_ink: pd.Series | None = None  # 红字 in the row's 摘要: its amounts are negative
    notes: dict[int, str] = field(default_factory=dict)
    made: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    village = _Label()
    township = _Label()
    county = _Label()
    village_code = _Label()
    year = _Label()
    year_problem = _Label()
    period = _Label()
    item = _Label()
    item_written = _Label()
    detail = _Label()
    unit = _Label()
    months = _Label()  # the months of a row's figures (会计期间 6: (6, 6)), else None
    date = _Label()  # the date of a dated line (2022-03-05, 2022-03), else None
    item_problem = _Label()  # why a row's item cannot be told (a code and a name disagree)
    closest_items = _Label()  # for a row whose item is unknown: the closest known spellings

    @functools.cached_property
    def kinds(self) -> pd.Series:
        """Each body row's kind, indexed by row."""
        return pd.Series(self.kind_values, index=self.body, dtype=self.text_dtype)

    @functools.cached_property
    def adds_up(self) -> pd.Series:
        """Rows whose amounts add up to their item's (sub-accounts without their parent, a project's parts)."""
        return pd.Series(self.draft.adds_up, index=self.body)

    @functools.cached_property
    def coverage(self) -> pd.DataFrame:
        """subtotal_row, row: which data rows each subtotal row sums (:attr:`pairs` as a frame)."""
        return coverage_frame(self.pairs) if len(self.pairs[0]) else no_coverage()

    @functools.cached_property
    def summaries(self) -> pd.DataFrame:
        """subtotal_row, summary: rows summing villages read elsewhere."""
        return self.draft.summaries if self.draft.summaries is not None else _NO_SUMMARIES.copy()

    def values(self, label: str) -> np.ndarray:
        """A label as the rows' values, by position in the body: what ``rows.<label>.to_numpy(dtype=object)``
        gives, without making the Series."""
        if label in self.made:
            return self.made[label].to_numpy(dtype=object)
        return self.draft.values(label)


class _Draft:
    """The rows' labels while :func:`read_rows` works them out: object arrays by position, made Series once."""

    def __init__(self, n: int) -> None:
        none = np.full(n, np.nan, dtype=object)  # as pandas makes Series(None, dtype=object): NaN
        self.kinds = np.full(n, "data", dtype=object)
        self.village, self.township, self.county, self.village_code = none, none, none, none
        self.year, self.year_problem, self.period, self.months, self.date = none, none, none, none, none
        self.item, self.item_written, self.detail, self.unit = none, none, none, none
        self.item_problem, self.closest_items = none, none
        self.adds_up = np.zeros(n, dtype=bool)
        self.coverage: list[tuple[np.ndarray, np.ndarray]] = []
        self.summaries: pd.DataFrame | None = None
        self.notes: dict[int, str] = {}
        # Fields pandas made a Series of without a dtype (text where all is text): made so again.
        self.inferred: set[str] = set()
        self.names: dict[str, object] = {}  # the Series' names pandas gave some (a column's number)

    def series(self, name: str, index: pd.Index) -> pd.Series:
        values, named = getattr(self, name), self.names.get(name)
        if name in self.inferred:
            return pd.Series(values, index=index, name=named)
        return pd.Series(values, index=index, dtype=object, name=named)

    def values(self, name: str) -> np.ndarray:
        """``series(name, …).to_numpy(dtype=object)``, without the Series: pandas makes text its str, whose
        missing value is NaN, and leaves other object arrays as they are."""
        values = getattr(self, name)
        if name in self.inferred and pd.api.types.infer_dtype(values, skipna=True) == "string":
            return np.where(pd.isna(values), np.nan, values)
        return values


def read_rows(cells: SheetCells, table: Table, vocabulary: Vocabulary, *, formulas: set[tuple[int, int]]) -> Rows:
    """Classify the body rows of ``table`` and read their labels."""
    body = table.body
    text_dtype = cells.text_dtype
    # The body's text as arrays: row by row masks are numpy, not pandas (a small table costs no pandas call).
    at = cells.row_positions(body)
    sheet_values = cells.rows_text(body)
    amount_cols = [c.col for c in table.of_role(*AMOUNT_ROLES)]
    has_amount = (
        (sheet_values[:, [cells.column_position[c] for c in amount_cols]] != "").any(axis=1)
        if amount_cols
        else np.zeros(len(body), dtype=bool)
    )
    formula_rows = {r for r, c in formulas if c in amount_cols}
    if formula_rows:
        has_amount |= body.isin(list(formula_rows))
    empty = sheet_values == ""
    blank = empty.all(axis=1)
    not_remarks = [
        c
        for c in cells.columns
        if not (
            c in table.columns
            and table.columns[c].role == LEFT_OUT
            and syn.role_of(table.columns[c].header.split("/")[-1]) == syn.IGNORED
            and table.columns[c].header.split("/")[-1] in ("备注", "附注", "说明")
        )
    ]
    # (each column as search would match it: the sheet's texts looked at once, SheetCells.matches)
    filled = ~empty.all(axis=0)  # by the column's position
    looked_at = np.array([p for p in (cells.column_position[c] for c in not_remarks) if filled[p]], dtype=np.intp)
    # (a footer holds a colon, a * or a Chinese word, never a number alone: FOOTER_PATTERN)
    footers = cells.matches(FOOTER_PATTERN, long=len(body) > SHORT_COLUMN, words_only=True)
    footer = footers[np.ix_(at, looked_at)].any(axis=1)

    entity_cols = {role: table.first(role) for role in (syn.VILLAGE, syn.TOWNSHIP, syn.COUNTY, syn.VILLAGE_CODE)}
    item_col, code_col = table.first(syn.ITEM), table.first(syn.ITEM_CODE)
    first_value = min(amount_cols) if amount_cols else max(table.columns) + 1
    leading = [c for c in table.columns if c < first_value]
    labels = leading_label(cells, body, leading)
    # 小计/合计 in any leading column (the 村名 column of a row whose 乡镇 is filled too) or in the 摘要 column.
    # (The 科目 column says 本年收入合计 of a line item: a 合计 there is looked for by _items.)
    item_cols = {c.col for c in table.of_role(syn.ITEM, syn.ITEM_CODE)}
    place_cols = [c.col for c in table.of_role(syn.VILLAGE, syn.TOWNSHIP, syn.COUNTY, syn.DETAIL)]
    summing = subtotal_text(
        cells, body, list(dict.fromkeys([*(c for c in leading if c not in item_cols), *place_cols]))
    )
    labels = np.where(summing != "", summing, labels)
    row_numbers = body.to_numpy()

    rows = _Draft(len(body))
    entities_down = any(entity_cols.values())
    if entities_down:
        places = read_places(cells, table, entity_cols, labels, has_amount)
        rows.kinds, rows.village, rows.township = places.kinds, places.village, places.township
        rows.county, rows.village_code = places.county, places.village_code
        rows.coverage, rows.summaries, rows.notes = [places.coverage], places.summaries, places.notes
        rows.names = places.names
    if item_col is not None or code_col is not None:
        _items(cells, table, at, rows, item_col, code_col, vocabulary, labels, has_amount, entities_down)
    _years(cells, table, at, rows)
    village_col = entity_cols[syn.VILLAGE]
    if village_col is not None and table.first(syn.YEAR) is not None and item_col is None:
        _village_over_its_years(cells.column_text(at, village_col.col), body, rows, has_amount)
    kinds = _units(cells, table, rows, item_col, at, rows.kinds)
    if not entities_down and item_col is None and code_col is None:
        # Neither villages nor items down the rows: rows are years (年度 column) or one row of amounts.
        kinds = np.where(search(labels, SUBTOTAL_PATTERN) & has_amount, _SUBTOTAL, kinds)
        rows.coverage = [subtotal_pairs(row_numbers, kinds, labels)]
    # 本月合计 in the 摘要 column of a ledger of dated lines, 合计 in a column of their own: a sum of lines.
    summed = (summing != "") & has_amount & (kinds == "data")
    kinds = np.where(summed, _SUBTOTAL, kinds)
    if summed.any() and not entities_down and (item_col is not None or code_col is not None):
        # 合计 in the 序号 column of a list of items: it sums the rows above, as a 合计 in the 项目 column would.
        totals, parts = subtotal_pairs(row_numbers, kinds, labels)
        keep = np.isin(totals, row_numbers[summed])
        rows.coverage.append((totals[keep], parts[keep]))
    # A row with no amounts and no label is commentary; a footer anywhere (填表人：…, 联系电话：…) makes the row
    # a note, whatever stands under the amount columns.
    no_label = (labels == "") & ~has_amount & ~blank
    kinds = np.where((no_label & (kinds == "data")) | footer, one_object("note"), kinds)
    kinds = np.where(blank, one_object("blank"), kinds)
    done = Rows(
        body=body,
        kind_values=kinds,
        draft=rows,
        pairs=_coverage(rows.coverage, body, kinds),
        text_dtype=text_dtype,
        notes=rows.notes,
    )
    done.orientation = _orientation(table, entities_down, item_col, code_col)
    # A ledger of lines: items named row by row, for villages row by row or with dates or 摘要. Its lines of one
    # village, year and item add up (two 承包费 receipts in March and September are 20,000, not a duplicate).
    # (Rows of a 会计期间 are the year so far, each: they do not add up.)
    done.lines = (
        (item_col is not None or code_col is not None)
        and table.first(syn.MONTH) is None
        and (entities_down or bool(table.of_role(syn.DATE, syn.DETAIL)))
    )
    if done.lines:
        done.same_as = repeated_rows(cells, body, kinds)
    if (summary := table.first(syn.DETAIL)) is not None:
        # A red-ink entry (红字冲销多记租金) reverses an earlier one; its amount is written without a minus sign.
        red_ink = column_search(cells, at, summary.col, RED_INK) & (kinds == "data")
        done.red_ink = pd.Series(red_ink, index=body)
        for row in body[red_ink]:
            done.notes[row] = f"红字 in the {summary.header}: its amount is negative"
    return done


def _coverage(
    pieces: list[tuple[np.ndarray, np.ndarray]], body: pd.Index, kinds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The coverage pairs as two int64 arrays; worked out on the kinds before notes and blanks were told apart,
    so only a subtotal row's data rows are kept as its parts."""
    if not pieces:
        return _NO_PAIRS
    totals = np.concatenate([p[0] for p in pieces])
    parts = np.concatenate([p[1] for p in pieces])
    if not len(totals):
        return _NO_PAIRS
    # As an Index, which get_indexer makes of any target.
    total_at = body.get_indexer(pd.Index(totals))
    part_at = body.get_indexer(pd.Index(parts))
    keep = (total_at >= 0) & (kinds[total_at] == "subtotal") & (part_at >= 0) & (kinds[part_at] == "data")
    return totals[keep].astype("int64"), parts[keep].astype("int64")


_NO_PAIRS = (np.empty(0, dtype="int64"), np.empty(0, dtype="int64"))


_NO_SUMMARIES = pd.DataFrame(columns=["subtotal_row", "summary"])


def _village_over_its_years(written: np.ndarray, body: pd.Index, rows: _Draft, has_amount: np.ndarray) -> None:
    """村名 written on the first of a village's year rows only (上河村 2021 | (empty) 2022): the rows right under
    it with an empty 村 cell are its, as long as each is a year it has no row for yet; each is noted."""
    data = rows.kinds == "data"
    named = data & pd.notna(rows.village)
    starts = named | ~data  # a named row and the data rows right under it
    run = np.cumsum(starts)
    # Each run's first row is its named row, if it has one: that row's village owns the run.
    start_at = np.maximum.accumulate(np.where(starts, np.arange(len(starts)), 0))
    owner = np.where(named[start_at] & (run > 0), rows.village[start_at], np.nan)
    empty = data & (written == "") & pd.isna(rows.village) & has_amount & pd.notna(rows.year) & pd.notna(owner)
    if not empty.any():
        return
    candidates = empty | named
    years = pd.DataFrame({"run": run, "year": rows.year})[candidates]
    repeated = years.duplicated(keep=False).reindex(range(len(body)), fill_value=False)
    # A year written twice under one name is no village's years: leave those rows to village_missing.
    clash = repeated.groupby(run).transform("any").to_numpy(dtype=bool)
    fill = empty & ~clash
    rows.village = np.where(~fill, rows.village, owner)
    for i in np.flatnonzero(fill):
        rows.notes[int(body.to_numpy()[i])] = (
            f"the 村 cell is empty under {owner[i]} (row {int(body[start_at[i]])}): read as its"
        )


def _items(cells, table, at, rows: _Draft, item_col, code_col, vocabulary, labels, has_amount, entities_down) -> None:
    # On object arrays, missing as pandas would leave it: None where a function gave nothing, NaN where
    # pandas' where() left a value out (the two travel to the cells as written, so each is kept as it was).
    body = table.body
    written = (
        merged_down_values(cells, body, item_col.col) if item_col is not None else np.full(len(body), "", dtype=object)
    )
    written = np.where(written != "", written, np.nan)
    present = pd.notna(written)  # (asked again and again below: once)
    factorized = pd.factorize(written) if len(written) > SHORT_COLUMN else None  # mapped several times below
    label_detail = _mapped(written, syn.detail_label, factorized)
    detail_item = _mapped(label_detail, vocabulary.item)
    # 其中：管理费用 under 本年支出 is the item 管理费用, not a part of the total.
    details = np.where(pd.isna(detail_item), label_detail, np.nan)
    items = np.where(pd.isna(details), _mapped(written, vocabulary.item, factorized), np.nan)
    items = np.where(pd.notna(items), items, detail_item)
    periods = _mapped(written, _period_word, factorized)
    if code_col is not None:
        codes = np.array([_CODE_DECIMALS.sub("", c) for c in cells.column_text(at, code_col.col)], dtype=object)
        # (pandas matched a long sheet's Arrow strings with RE2, whose \d is ASCII; a short one's with re.)
        code = _CODE_ASCII if cells.text_dtype is LONG_TEXT else _CODE
        coded = np.array(
            [syn.ACCOUNT_CODES.get(c[:3]) if code.fullmatch(c) else None for c in codes], dtype=object
        ).reshape(-1)
        is_sub = np.array([len(c) > 3 for c in codes], dtype=bool) & pd.notna(coded)
        # The parent's row of the same village and year, if the export has it.
        year_column = table.first(syn.YEAR) or table.first(syn.DATE)
        year_text = cells.column_text(at, year_column.col) if year_column else np.full(len(body), "", dtype=object)
        owner = [("" if pd.isna(v) else str(v)) + "|" + y + "|" for v, y in zip(rows.village, year_text, strict=True)]
        parents = {owner[i] + codes[i] for i in np.flatnonzero(pd.notna(coded) & ~is_sub)}
        parent_present = np.array([o + c[:3] in parents for o, c in zip(owner, codes, strict=True)], dtype=bool)
        # A code and a name that name different items (5011 经营支出 beside 501 经营收入, 511 投资收益): neither is
        # taken; the row is rejected, saying both.
        clash = pd.notna(coded) & pd.notna(items) & (coded != items)
        problem = np.full(len(body), None, dtype=object)
        for i in np.flatnonzero(clash):
            w = "" if pd.isna(written[i]) else written[i]
            problem[i] = (
                f"科目编码 {codes[i]} is {ENTRY_ITEMS.get(coded[i], coded[i])}'s but its 科目名称 {w!r} is "
                f"{ENTRY_ITEMS.get(items[i], items[i])}: correct the code or the name"
            )
        rows.item_problem = problem
        items = np.where(pd.notna(coded) & ~clash, coded, np.where(~clash, items, np.nan))
        # A sub-account is its parent's item in detail; without its parent's row, the sub-accounts add up.
        details = np.where(~is_sub | clash, details, np.where(present, written, codes))
        rows.adds_up = is_sub & ~parent_present & ~clash
    # A 其中 line itemises the last line item above it, and so do the unknown lines that follow it (其中：干部报酬,
    # then 报刊费 under it); a bare 其他 after the distribution lines is one of them.
    no_detail, no_item, no_period = pd.isna(details), pd.isna(items), pd.isna(periods)
    said = ~(no_detail & no_item & no_period)
    if len(body) > SHORT_COLUMN:
        after_detail = pd.Series(~no_detail).where(said).ffill().fillna(False).to_numpy(dtype=bool)
    else:
        after_detail = np.zeros(len(body), dtype=bool)
        for i in np.flatnonzero(said):  # each row that says something sets what the rows under it are
            after_detail[i:] = not no_detail[i]
    continued = after_detail & no_item & no_detail & no_period & present & has_amount
    header_keys = _mapped(written, syn.header_key, factorized)
    details = np.where(~continued, details, header_keys)
    parent = _ffill(items)
    other = header_keys == "其他"
    other[other] = [p in _DISTRIBUTION for p in parent[other]]
    items = np.where(other, "other_distribution", items)
    item = np.where(pd.isna(details), items, parent)
    # A project's name (光伏发电收入, 山林承包费 in a 收入明细): a part of the item its words tell; parts add up.
    # (as pandas did: RE2 over a long sheet's Arrow strings, re over a short one's)
    if factorized is not None:  # a long column: each distinct label looked at once, as search does
        says_total = np.append(distinct_search(factorized[1], SUBTOTAL_PATTERN), False)[factorized[0]]
    else:
        says_total = present & search(np.where(present, written, ""), SUBTOTAL_PATTERN)
    no_items = pd.isna(items)  # (items is not changed below)
    named = present & no_items & pd.isna(details) & no_period & has_amount & ~says_total
    if named.any():
        sides = _sides(cells, table, at)
        projects = []
        for i in np.flatnonzero(named):
            project = project_item(written[i], sides[i] if isinstance(sides[i], str) else None)
            if not pd.isna(project):
                item[i], details[i] = project, written[i]
                projects.append(i)
        if projects:
            rows.adds_up = rows.adds_up.copy()
            rows.adds_up[projects] = True
    rows.item = item
    rows.detail = details
    unknown = present & pd.isna(item) & has_amount
    rows.closest_items = _mapped(
        np.where(unknown, written, np.nan),
        lambda w: ", ".join(vocabulary.closest_items(w)),
        None if factorized is None else (np.where(unknown, factorized[0], -1), factorized[1]),
    )
    rows.item_written = written
    # (pandas made these a Series of what they hold: text where any is text)
    rows.period = _inferred(np.where(pd.notna(periods), periods, rows.period))
    rows.inferred.add("period")
    if entities_down:
        # A long ledger: 合计 in the 科目 column sums the rows above it.
        unmapped_total = present & no_items & pd.isna(details) & says_total & has_amount
        rows.kinds = np.where(unmapped_total & (rows.kinds == "data"), _SUBTOTAL, rows.kinds)
        rows.coverage.append(
            subtotal_pairs(
                body.to_numpy(),
                np.where(unmapped_total, rows.kinds, one_object("data")),
                np.where(~unmapped_total, labels, one_object("小计")),
            )
        )
        return
    known = pd.notna(items) | pd.notna(details) | ~no_period
    # Lines of section titles (流动资产：, 一、本年收入 with no amounts) and 合计 lines.
    section = ~has_amount & present & ~known
    empty_key = syn.header_key("")
    total = (
        np.array(
            [(k if pd.notna(w) else empty_key) in syn.TOTAL_WORDS for w, k in zip(written, header_keys, strict=True)],
            dtype=bool,
        ).reshape(-1)
        & has_amount
    )
    rows.kinds = np.where(total, "subtotal", np.where(section, "title", rows.kinds))
    rows.coverage = [subtotal_pairs(body.to_numpy(), rows.kinds, np.where(total, "小计", ""))]


_CODE_DECIMALS = re.compile(r"\.0$")
_CODE, _CODE_ASCII = re.compile(r"\d{3,}"), re.compile(r"\d{3,}", re.ASCII)


def _inferred(values: np.ndarray) -> np.ndarray:
    """``values`` as a Series made of them without a dtype holds them: all text (or missing) is pandas' str,
    where a missing value is NaN."""
    missing = pd.isna(values)
    if missing.all() or not all(isinstance(v, str) for v in values[~missing]):
        return values
    return np.where(missing, np.nan, values)


def _mapped(values: np.ndarray, function, coded: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``function`` of each value, once per distinct value; None where a value is missing (None or NaN).

    ``coded``: ``pd.factorize(values)``, where the caller has it (a long column mapped several times), or
    codes into its distinct values with -1 where a value is missing."""
    done = _REMEMBERED.get(function)
    if done is None:
        done = {}
    elif len(done) > 100_000:
        done.clear()  # a bound on what is remembered: labels of a long ledger's 摘要 are many
    if len(values) > SHORT_COLUMN:
        # A long column: each distinct value once (pandas' factorize gives a missing value the code -1).
        codes, distinct = coded if coded is not None else pd.factorize(values)
        used = np.zeros(len(distinct) + 1, dtype=bool)
        used[codes] = True  # (codes given may leave some distinct values out: those are not asked for)
        out = np.full(len(distinct) + 1, None, dtype=object)
        out[np.flatnonzero(used[:-1])] = [
            done[v] if v in done else done.setdefault(v, function(v)) for v in distinct[used[:-1]]
        ]
        return out[codes]
    out = np.empty(len(values), dtype=object)
    out[:] = [
        None if (v is None or v != v) else done[v] if v in done else done.setdefault(v, function(v)) for v in values
    ]
    return out


def _ffill(values: np.ndarray) -> np.ndarray:
    """pandas' ffill of an object array: a missing value takes the value before it (the first stays)."""
    if len(values) > SHORT_COLUMN:
        return pd.Series(values, dtype=object).ffill().to_numpy(dtype=object)
    out = values.copy()
    missing = pd.isna(out)
    for i in range(1, len(out)):
        if missing[i]:
            out[i] = out[i - 1]
    return out


def _sides(cells: SheetCells, table: Table, at: np.ndarray) -> np.ndarray:
    """Income or expense, row by row: the 收入 or 支出 column its amount stands in, else what the item column's
    header or the title says (收入项目, 村集体收入明细表), else None."""
    item = table.first(syn.ITEM)
    words = " ".join([item.header if item else "", *(t for row in table.preamble for t in cells.row_text(row))])
    income, expense = "收入" in words or "收益" in words, "支出" in words or "费用" in words
    sides = np.full(len(at), "income" if income and not expense else "expense" if expense and not income else None)
    sides = sides.astype(object)
    for role, side in ((syn.INCOME_AMOUNT, "income"), (syn.EXPENSE_AMOUNT, "expense")):
        if (column := table.first(role)) is not None:
            sides[cells.column_text(at, column.col) != ""] = side
    return sides


def _period_word(text: str) -> str | None:
    return PERIOD_BY_KEY.get(header_key(text))


# Pure functions of a label, remembered from table to table (a county's sheets repeat their labels).
_REMEMBERED: dict[Callable, dict] = {syn.detail_label: {}, syn.header_key: {}, _period_word: {}}


def _months(cells, table, at, rows: _Draft) -> None:
    """A 会计期间 (month) column: a row of a month before December gives the months so far, not the year."""
    column = table.first(syn.MONTH)
    if column is None:
        return
    rows.months = each_distinct(cells.column_text(at, column.col), lambda t: accounting_period_months(t) if t else None)


def _years(cells, table, at, rows: _Draft) -> None:
    _months(cells, table, at, rows)
    for role, dates in ((syn.YEAR, False), (syn.DATE, True)):
        column = table.first(role)
        if column is None:
            continue
        position = cells.column_position[column.col]
        # The cells as stored (a year may be a number, a date a datetime); an empty cell is missing (NaN).
        values = np.where(cells.values[at, position] != "", cells.raw_values[at, position], np.nan)
        codes, firsts = _distinct_cells(values)
        parsed = [parse_year(v, dates=dates) if _period_word(str(v)) is None else (None, None) for v in firsts]
        periods = np.empty(len(firsts), dtype=object)
        periods[:] = [_period_word(str(v)) if v is not None and not pd.isna(v) else None for v in firsts]
        years, problems = np.empty(len(firsts), dtype=object), np.empty(len(firsts), dtype=object)
        years[:], problems[:] = [y for y, _ in parsed], [p for _, p in parsed]
        rows.year, rows.year_problem = years[codes], problems[codes]
        rows.inferred.update(("year", "year_problem"))
        if dates:
            made = np.empty(len(firsts), dtype=object)
            made[:] = [date_text(v) for v in firsts]
            rows.date = made[codes]
            rows.inferred.add("date")
        period = _inferred(periods[codes])
        if pd.isna(period).all():
            # pandas kept the rows' periods as they were, in a Series of objects.
            rows.inferred.discard("period")
        else:
            rows.period = _inferred(np.where(pd.notna(period), period, rows.period))
            rows.inferred.add("period")
        return


_NA = object()  # the one key of every missing cell, as pandas' factorize counts them


def _distinct_cells(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Codes of the cells as stored and the first of each distinct value (a dict's: 2016 and 2016.0 are one),
    every missing cell one value, NaN."""
    if len(values) > SHORT_COLUMN:
        # A long column: pandas' factorize, where it tells values apart as a dict would (no two of its
        # distinct values equal); missing cells get the code after the others.
        codes, uniques = pd.factorize(values)
        distinct = list(uniques)
        try:
            as_dict = len(set(distinct)) == len(distinct)
        except TypeError:  # an unhashable value: the dict below says what it says
            as_dict = False
        if as_dict:
            return np.where(codes < 0, len(distinct), codes), [*distinct, np.nan]
    missing = pd.isna(values)
    found: dict = {}
    codes = np.empty(len(values), dtype=np.intp)
    for i, value in enumerate(values):
        key = _NA if missing[i] else value
        codes[i] = found[key] if key in found else found.setdefault(key, len(found))
    return codes, [np.nan if key is _NA else key for key in found]


def _units(cells, table, rows: _Draft, item_col, at: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Unit of each row: its 计量单位 cell, or a unit in its line's label (经营收入（万元））; 个/%: not money.
    Returns the rows' kinds, a line that is not money ``other``."""
    not_money = np.zeros(len(kinds), dtype=bool)
    unit = rows.unit
    unit_col = table.first(syn.UNIT_COLUMN)
    if unit_col is not None:
        units = cells.column_text(at, unit_col.col)
        money = column_each(cells, at, unit_col.col, _money_unit)
        not_money |= (units != "") & pd.isna(money) & column_search(cells, at, unit_col.col, UNIT_WORDS)
        unit = np.where(pd.isna(money), np.nan, money)  # as pandas' str maps a None: NaN
    if item_col is not None:
        stated = column_each(cells, at, item_col.col, lambda label: unit_from_text(label) if label != "" else None)
        unit = np.where(pd.isna(unit), stated, unit)
        not_money |= column_search(cells, at, item_col.col, r"[(（](?:个|人|户|%|％|亩|公顷|平方米|次|项|家)[)）]\s*$")
    rows.unit = unit
    return np.where(not_money & ((kinds == "data") | (kinds == "subtotal")), one_object("other"), kinds)


def _money_unit(text: str) -> str | None:
    if text in _MONEY_UNITS:
        return {"万": "万元", "千": "千元", "亿": "亿元"}.get(text, text)
    try:
        return text if text and unit_factor(text) else None
    except ValueError:
        return None


def _orientation(table: Table, entities_down, item_col, code_col) -> str:
    values = [c for c in table.columns.values() if c.role == VALUE]
    across = []
    if any(c.item for c in values):
        across.append("items")
    if any(c.year for c in values):
        across.append("years")
    if any(c.period for c in values):
        across.append("periods")
    if any(c.village for c in values):
        across.append("villages")
    down = []
    if entities_down:
        down.append("villages")
    if item_col is not None or code_col is not None:
        down.append("items")
    if table.first(syn.YEAR) is not None or table.first(syn.DATE) is not None:
        down.append("years")
    text = f"{' and '.join(down) or 'nothing'} down"
    return f"{text}, {' and '.join(across)} across" if across else text


__all__ = ["AMOUNT_ROLES", "RED_INK", "Rows", "read_rows", "township_in"]
