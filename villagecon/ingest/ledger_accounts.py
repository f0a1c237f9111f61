"""From entries to the village-year accounts: a year's figure of each item, totals derived from their parts
only where every part is known."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from villagecon import schemas
from villagecon.ingest.ledger_columns import row_codes, rows_in
from villagecon.vocab import items, labels
from villagecon.vocab.periods import ACTUAL_KINDS, actuals

__all__ = ["annual_figures", "to_accounts"]


def annual_figures(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per village, year and item: the figure of the year. The lines of a ledger add up; an item whose
    figure is not given but whose sub-accounts are (a 三资 export listing 50101, 50102 without 501) is their sum.
    Details (其中 lines, sub-accounts under their parent) are not figures of their own."""
    return _figures_and_sources(actuals(entries))[0]


def _figures_and_sources(entries: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`annual_figures` of ``entries`` (a year's actuals), and the position in ``entries`` of the entry each
    figure's village, year and item come from."""
    key = ["village_key", "year", "item"]
    given_here = entries["detail"].isna().to_numpy()
    parts = entries.loc[entries["adds_up"].astype(bool)] if "adds_up" in entries else entries.iloc[:0]
    if len(parts):
        main = entries.loc[given_here]
        # The figures given for the parts' villages only (or with no village): the others cannot be theirs.
        near = main.loc[main["village_key"].isin(parts["village_key"]) | main["village_key"].isna()]
        unmatched = ~rows_in(parts[key], near[key])
        figures = pd.concat([main, parts.loc[unmatched].assign(detail=None)], ignore_index=True)
        rows = np.arange(len(figures))
        sources = np.concatenate(
            [np.flatnonzero(given_here), np.flatnonzero(entries["adds_up"].astype(bool))[unmatched]]
        )
    else:
        # The figures are the entries of no detail: their rows, not a copy of them.
        figures, rows = entries.reset_index(drop=True), np.flatnonzero(given_here)
        sources = np.arange(len(entries))
    if not len(rows):
        return figures.iloc[:0].reset_index(drop=True), rows
    if figures[key].take(rows).isna().any(axis=None):  # a missing key is a row of its own, with no total: as joined
        figures, sources = figures.take(rows).reset_index(drop=True), sources[rows]
        totals = figures.groupby(key, sort=False).agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"))
        firsts = ~figures.duplicated(key).to_numpy()
        first = figures.loc[firsts].set_index(key).drop(columns=["amount_yuan", "approx"])
        return first.join(totals).reset_index(), sources[firsts]
    # Groups numbered in order of appearance, as drop_duplicates keeps them: each group's first row, its totals.
    group = row_codes(figures[key].take(rows))
    amounts = pd.DataFrame(
        {"amount_yuan": figures["amount_yuan"].to_numpy()[rows], "approx": figures["approx"].to_numpy()[rows]}
    )
    totals = amounts.groupby(group).agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"))
    others = [c for c in figures.columns if c not in key and c not in ("amount_yuan", "approx")]
    first_rows = rows[np.unique(group, return_index=True)[1]]
    first = figures.take(first_rows).loc[:, [*key, *others]].reset_index(drop=True)
    return (
        first.assign(amount_yuan=totals["amount_yuan"].to_numpy(), approx=totals["approx"].to_numpy()),
        sources[first_rows],
    )


def to_accounts(entries: pd.DataFrame, *, doubtful: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pivot entries into one row per village and year, with derived measures.

    Totals the source did not write are derived from their parts (本年收入合计 = the income items and
    农业税附加返还收入, …, 本年收益 = income − expenses), but only where every part of the accounting system of
    the year is known and none was doubtful: a part that was rejected or in conflict, or a line of the
    village-year whose item is unknown, leaves the total missing rather than understated. A table of items
    as columns or lines that lacks one says nothing of it; a ledger of lines (a long 科目 table, a 三资
    export) lists what there was, so an item without a line was 0. Written totals
    are kept as written (they were checked against their parts where those are complete), and
    ``written_totals`` names them. operational_income (经营性收入) and operating_profit (经营收益) are derived
    the same way unless written. ``approx`` is True where any amount of the village-year was approximate.

    ``doubtful``: village_key, year, item (or None for a line of unknown item) and line (a ledger's line or not)
    of rejected cells.
    """
    identity = list(schemas.PLACE_COLUMNS)
    account_items = list(labels.ACCOUNT_ITEMS)
    columns = list(schemas.ACCOUNT_COLUMNS)
    # Only the columns used below, of a year's actuals: every step then moves a few columns of the entries, not
    # all of them. The places (county, township, code) are read where each village-year's first entry is.
    used = ["village", "village_key", "year", "item", "detail", "amount_yuan", "approx", "adds_up", "line"]
    actual = np.flatnonzero(entries["kind"].isin(ACTUAL_KINDS).to_numpy()) if "kind" in entries else None
    given = entries
    entries = entries.loc[:, [c for c in dict.fromkeys([*used, "report_year"]) if c in entries]]
    if actual is not None:
        entries = entries.take(actual)
    if entries.empty:
        return pd.DataFrame(columns=columns)
    # The figures of the few columns read of them here, not of every column of the entries.
    figured = ["village", "village_key", "year", "item", "detail", "amount_yuan", "approx", "adds_up"]
    figures, sources = _figures_and_sources(entries.loc[:, [c for c in entries if c in figured]])
    key = ["village_key", "year"] if "village_key" in figures else ["village", "year"]
    wanted = list(
        dict.fromkeys(
            [
                *account_items,
                *labels.DERIVED_MEASURES,
                *items.OPTIONAL_PARTS["total_income"],
                *items.OPTIONAL_PARTS["total_expense"],
            ]
        )
    )
    # The village-years as numbers (in the order a groupby sorts them) for the entries and the figures: each
    # table below is filled by number, not grouped again on the names.
    index, of_entries = _village_years(entries[key])
    of_figures = of_entries[sources]
    known = np.flatnonzero(of_entries >= 0)
    group = of_entries[known]
    accounts = _first_of_each(given[identity], known if actual is None else actual[known], group, index)
    accounts = accounts.join(_spread(figures["amount_yuan"].to_numpy(), of_figures, figures["item"], wanted, index))
    accounts["approx"] = pd.Series(entries["approx"].to_numpy()[known]).groupby(group).any().to_numpy()
    accounts["written_totals"] = _written_totals(figures, of_figures, index)
    doubt = _doubts(accounts.index, doubtful)
    _unknown_where_a_line_is_missing(accounts, doubtful)
    # A ledger of lines (a long 科目 table, a 三资 export) lists what there was: an item with no line was 0.
    is_line = entries["line"].fillna(False).astype(bool).to_numpy() if "line" in entries else np.zeros(len(entries))
    lines = np.flatnonzero(is_line)
    listed = _spread(np.ones(len(lines)), of_entries[lines], entries["item"], list(labels.ENTRY_ITEMS), index, lines)
    listed = listed.notna()
    # The accounting system of a village-year is that of the reports its figures come from (each year read once).
    if "report_year" in entries:
        codes, distinct = pd.factorize(entries["report_year"])
        years = np.append(pd.to_numeric(pd.Series(distinct, dtype=object)).to_numpy(dtype="float64"), np.nan)
        report_year = pd.Series(years[codes[known]]).groupby(group).min().set_axis(index)
    else:
        report_year = pd.Series(np.nan, index=index)
    system_year = report_year.fillna(pd.Series(index.get_level_values("year"), index=index))
    new_system = system_year.to_numpy(dtype="float64") >= items.NEW_SYSTEM_FROM
    columns_of: dict[str, np.ndarray] = {}

    def amounts_of(name: str) -> np.ndarray:
        if name not in columns_of:
            columns_of[name] = accounts[name].to_numpy(dtype="float64")
        return columns_of[name]

    for total in items.MEASURES:
        derived = _from_parts(amounts_of, total, doubt, listed=listed, new_system=new_system)
        written = amounts_of(total)
        columns_of[total] = np.where(np.isnan(written), derived, written)
        accounts[total] = columns_of[total]
    accounts = accounts.reset_index().drop(columns=["village_key"], errors="ignore")
    accounts["year"] = accounts["year"].astype("int64")
    return (
        accounts[columns]
        .sort_values(["county", "township", "village", "year"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )


def _village_years(keys: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """The village-years of ``keys`` (village and year of each entry) as a groupby on them gives them, and the
    number of each row in it (-1 for a row with a missing key)."""
    known = np.flatnonzero(~keys.isna().any(axis=1).to_numpy())
    codes = row_codes(keys.take(known))
    # Each village-year once (the first row of its number), grouped: the groupby sorts them and numbers them.
    grouped = keys.take(known[np.unique(codes, return_index=True)[1]]).groupby(list(keys.columns))
    numbered = np.full(len(keys), -1, dtype="int64")
    numbered[known] = grouped.ngroup().to_numpy()[codes]
    return grouped.size().index, numbered


def _first_of_each(columns: pd.DataFrame, rows: np.ndarray, group: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """For each group (numbered 0 … len(index) - 1; ``group``: that of each of ``rows``) the first value of each
    column at ``rows`` that is not missing, as ``groupby().first()``, indexed by ``index``."""
    first = columns.take(rows[np.unique(group, return_index=True)[1]]).set_axis(index)
    for column in columns.columns:
        if columns[column].isna().to_numpy()[rows].any():
            first[column] = columns[column].take(rows).groupby(group).first().set_axis(index)
    return first


def _spread(
    values: np.ndarray,
    group: np.ndarray,
    item: pd.Series,
    wanted: list[str],
    index: pd.Index,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """``values`` of one village-year (``group``: its number in ``index``, -1 for none) and item (``item``, or its
    ``rows`` where given) each, as a table of village-years × ``wanted`` items (NaN where none is), the first
    value that is not missing where several are."""
    table = np.full((len(index), len(wanted)), np.nan)
    column = _positions(item, wanted) if rows is None else _positions(item, wanted)[rows]
    chosen = np.flatnonzero((group >= 0) & (column >= 0) & ~np.isnan(values))[::-1]
    # Written last to first, so that the first value of a village-year and item stays.
    table[group[chosen], column[chosen]] = values[chosen]
    return pd.DataFrame(table, index=index, columns=wanted)


def _positions(values: pd.Series, names: list[str]) -> np.ndarray:
    """The position of each value in ``names`` (-1 where it is none of them), each distinct value looked up once."""
    codes, distinct = pd.factorize(values)
    found = np.append(pd.Index(names).get_indexer(distinct), -1)  # code -1 (missing): none
    return found[codes]


def _written_totals(figures: pd.DataFrame, group: np.ndarray, index: pd.Index) -> pd.Series:
    """For each village-year of ``index`` (``group``: each figure's number in it), the totals its figures write,
    sorted and joined ("" for none)."""
    measures = sorted(set(items.MEASURES))
    position = _positions(figures["item"], measures)
    chosen = (group >= 0) & (position >= 0)
    # The totals of each village-year as bits of one number, and each number worded once.
    written = np.zeros(len(index), dtype="int64")
    np.bitwise_or.at(written, group[chosen], np.left_shift(1, position[chosen]))
    words = {
        bits: ", ".join(name for bit, name in enumerate(measures) if bits >> bit & 1) for bits in np.unique(written)
    }
    return pd.Series([words[bits] for bits in written], index=index, dtype="str")


def _unknown_where_a_line_is_missing(accounts: pd.DataFrame, doubtful: pd.DataFrame | None) -> None:
    """An item of a ledger of lines whose line could not be read (or was in conflict) is unknown: the lines that
    were read would understate it."""
    if doubtful is None or "line" not in doubtful:
        return
    broken = doubtful.loc[doubtful["line"].fillna(False).astype(bool) & doubtful["item"].notna()]
    for item, rows in broken.groupby("item"):
        if item in accounts:
            accounts.loc[
                accounts.index.isin(pd.MultiIndex.from_frame(rows[["village_key", "year"]].astype(object))), item
            ] = np.nan


def _doubts(index: pd.Index, doubtful: pd.DataFrame | None) -> pd.DataFrame:
    """For each village-year of ``index``, which items are doubtful (True), and "any" for a line of unknown item."""
    columns = [*labels.ENTRY_ITEMS, "any"]
    doubts = np.zeros((len(index), len(columns)), dtype=bool)
    if doubtful is not None and len(doubtful):
        # Doubtful cells are few and village-years thousands: each cell's place is looked up, not searched for.
        row_of = {place: row for row, place in enumerate(index)}
        column_of = {item: column for column, item in enumerate(columns)}
        places = zip(doubtful["village_key"].to_numpy(), doubtful["year"].to_numpy(), strict=True)
        for place, item in zip(places, doubtful["item"].fillna("any").to_numpy(), strict=True):
            if (row := row_of.get(place)) is not None and (column := column_of.get(item)) is not None:
                doubts[row, column] = True
    return pd.DataFrame(doubts, index=index, columns=columns)


def _from_parts(
    amounts_of: Callable[[str], np.ndarray],
    total: str,
    doubt: pd.DataFrame,
    *,
    listed: pd.DataFrame,
    new_system: np.ndarray,
) -> np.ndarray:
    """A total as its parts give it (the parts of the accounting system of each village-year), where all are
    known and none is doubtful; parts that are totals themselves are taken as written or derived before. In a
    ledger of lines, a part without a line is 0 where the ledger lists lines of that side of the total (an
    income line says the missing income items were 0; it says nothing of the expenses). ``amounts_of``: a column
    of the accounts as numbers."""
    # On the columns' arrays: a few thousand village-years, a few dozen parts, no index to align.
    result = np.full(len(new_system), np.nan)
    nothing = np.zeros(len(new_system), dtype=bool)
    doubts = doubt.to_numpy(dtype=bool)
    doubt_column = {name: position for position, name in enumerate(doubt.columns)}
    lines = listed.to_numpy(dtype=bool)
    line_column = {name: position for position, name in enumerate(listed.columns)}

    def doubted(part: str) -> np.ndarray:
        return doubts[:, doubt_column[part]] if part in doubt_column else nothing

    for system in (False, True):
        rows = new_system == system
        plus, minus = items.total_parts(total, items.NEW_SYSTEM_FROM if system else items.OLD_SYSTEM)
        known = ~doubted("any")
        value = np.zeros(len(new_system))
        for side, sign in ((plus, 1), (minus, -1)):
            sided = lines[:, [line_column[p] for p in side if p not in items.MEASURES]].any(axis=1)
            for part in side:
                amounts = amounts_of(part)
                zero = sided & (part not in items.MEASURES)
                known &= (~np.isnan(amounts) | zero) & ~doubted(part)
                value += sign * np.where(np.isnan(amounts), 0.0, amounts)
        for part in items.OPTIONAL_PARTS.get(total, ()):
            amounts = amounts_of(part)
            known &= ~doubted(part)
            value += np.where(np.isnan(amounts), 0.0, amounts)
        result[rows] = np.where(known, value, np.nan)[rows]
    return result
