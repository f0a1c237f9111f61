"""From entries to the village-year accounts: a year's figure of each item, totals derived from their parts
only where every part is known."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon import schemas
from villagecon.vocab import items, labels
from villagecon.vocab.periods import actuals

__all__ = ["annual_figures", "to_accounts"]


def annual_figures(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per village, year and item: the figure of the year. The lines of a ledger add up; an item whose
    figure is not given but whose sub-accounts are (a 三资 export listing 50101, 50102 without 501) is their sum.
    Details (其中 lines, sub-accounts under their parent) are not figures of their own."""
    key = ["village_key", "year", "item"]
    entries = actuals(entries)
    main = entries.loc[entries["detail"].isna()]
    parts = entries.loc[entries["adds_up"].astype(bool)] if "adds_up" in entries else entries.iloc[:0]
    if len(parts):
        # The figures given for the parts' villages only (or with no village): the others cannot be theirs.
        near = main.loc[main["village_key"].isin(parts["village_key"]) | main["village_key"].isna()]
        given = pd.MultiIndex.from_frame(near[key].astype(object))
        parts = parts.loc[~pd.MultiIndex.from_frame(parts[key].astype(object)).isin(given)].assign(detail=None)
    figures = pd.concat([main, parts], ignore_index=True)
    if figures.empty:
        return figures
    grouped = figures.groupby(key, sort=False)
    totals = grouped.agg(amount_yuan=("amount_yuan", "sum"), approx=("approx", "any"))
    if figures[key].isna().any(axis=None):  # a missing key is a row of its own, with no total: as joined
        first = figures.drop_duplicates(key).set_index(key).drop(columns=["amount_yuan", "approx"])
        return first.join(totals).reset_index()
    # Groups numbered in order of appearance, as drop_duplicates keeps them: each group's first row, its totals.
    _, first_rows = np.unique(grouped.ngroup().to_numpy(), return_index=True)
    others = [c for c in figures.columns if c not in key and c not in ("amount_yuan", "approx")]
    first = figures.take(first_rows).loc[:, [*key, *others]].reset_index(drop=True)
    return first.assign(amount_yuan=totals["amount_yuan"].to_numpy(), approx=totals["approx"].to_numpy())


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
    # Only the columns used below: every step then moves a dozen columns of the entries, not all of them.
    used = [*identity, "village_key", "year", "item", "detail", "kind", "amount_yuan", "approx", "adds_up", "line"]
    entries = actuals(entries.loc[:, [c for c in dict.fromkeys([*used, "report_year"]) if c in entries]])
    if entries.empty:
        return pd.DataFrame(columns=columns)
    figures = annual_figures(entries)
    key = ["village_key", "year"] if "village_key" in figures else ["village", "year"]
    wanted = [
        *account_items,
        *labels.DERIVED_MEASURES,
        *items.OPTIONAL_PARTS["total_income"],
        *items.OPTIONAL_PARTS["total_expense"],
    ]
    wide = figures.pivot_table(index=key, columns="item", values="amount_yuan", aggfunc="first").reindex(
        columns=list(dict.fromkeys(wanted))
    )
    places = entries.groupby(key)[identity].first()
    approx = entries.groupby(key)["approx"].any()
    accounts = places.join(wide).join(approx)
    accounts["written_totals"] = _written_totals(figures, key, accounts.index)
    doubt = _doubts(accounts.index, doubtful)
    _unknown_where_a_line_is_missing(accounts, doubtful)
    # A ledger of lines (a long 科目 table, a 三资 export) lists what there was: an item with no line was 0.
    lines = entries.loc[entries["line"].fillna(False).astype(bool)] if "line" in entries else entries.iloc[:0]
    listed = (
        lines.groupby([*key, "item"], observed=True)
        .size()
        .unstack(fill_value=0)
        .gt(0)
        .reindex(index=accounts.index, columns=list(labels.ENTRY_ITEMS), fill_value=False)
    )
    # The accounting system of a village-year is that of the reports its figures come from.
    report_year = (
        pd.to_numeric(entries["report_year"]).groupby([entries[k] for k in key]).min()
        if "report_year" in entries
        else pd.Series(dtype="float64")
    ).reindex(accounts.index)
    system_year = report_year.fillna(pd.Series(accounts.index.get_level_values("year"), index=accounts.index))
    new_system = system_year.to_numpy(dtype="float64") >= items.NEW_SYSTEM_FROM
    for total in items.MEASURES:
        accounts[total] = accounts[total].fillna(
            _from_parts(accounts, total, doubt, listed=listed, new_system=new_system)
        )
    accounts = accounts.reset_index().drop(columns=["village_key"], errors="ignore")
    accounts["year"] = accounts["year"].astype("int64")
    return (
        accounts[columns]
        .sort_values(["county", "township", "village", "year"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )


def _written_totals(figures: pd.DataFrame, key: list[str], index: pd.Index) -> pd.Series:
    """For each village-year of ``index``, the totals its figures write, sorted and joined ("" for none).

    A dictionary of sets rather than a grouped Python function, which cost a Series per village-year."""
    measured = figures.loc[figures["item"].isin(items.MEASURES)]
    found: dict[tuple, set[str]] = {}
    for *place, item in zip(*(measured[column].to_numpy() for column in [*key, "item"]), strict=True):
        found.setdefault(tuple(place), set()).add(item)
    written = {place: ", ".join(sorted(totals)) for place, totals in found.items()}
    return pd.Series([written.get(place, "") for place in index], index=index, dtype="str")


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
    accounts: pd.DataFrame, total: str, doubt: pd.DataFrame, *, listed: pd.DataFrame, new_system: np.ndarray
) -> pd.Series:
    """A total as its parts give it (the parts of the accounting system of each village-year), where all are
    known and none is doubtful; parts that are totals themselves are taken as written or derived before. In a
    ledger of lines, a part without a line is 0 where the ledger lists lines of that side of the total (an
    income line says the missing income items were 0; it says nothing of the expenses)."""
    # On the columns' arrays: a few thousand village-years, a few dozen parts, no index to align.
    result = np.full(len(accounts), np.nan)
    nothing = np.zeros(len(accounts), dtype=bool)

    def doubted(part: str) -> np.ndarray:
        return doubt[part].to_numpy(dtype=bool) if part in doubt else nothing

    for system in (False, True):
        rows = new_system == system
        plus, minus = items.total_parts(total, items.NEW_SYSTEM_FROM if system else items.OLD_SYSTEM)
        known = ~doubted("any")
        value = np.zeros(len(accounts))
        for side, sign in ((plus, 1), (minus, -1)):
            sided = listed[[p for p in side if p not in items.MEASURES]].to_numpy(dtype=bool).any(axis=1)
            for part in side:
                amounts = accounts[part].to_numpy(dtype="float64")
                zero = sided & (part not in items.MEASURES)
                known &= (~np.isnan(amounts) | zero) & ~doubted(part)
                value += sign * np.where(np.isnan(amounts), 0.0, amounts)
        for part in items.OPTIONAL_PARTS.get(total, ()):
            amounts = accounts[part].to_numpy(dtype="float64")
            known &= ~doubted(part)
            value += np.where(np.isnan(amounts), 0.0, amounts)
        result[rows] = np.where(known, value, np.nan)[rows]
    return pd.Series(result, index=accounts.index)
