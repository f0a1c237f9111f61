"""Subtotals, summaries and written totals checked against what they sum: kept apart, compared where every
part is there and readable, a mismatch rejected (never silently kept or dropped)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.ingest.ledger_accounts import annual_figures
from villagecon.ingest.ledger_columns import REJECT_COLUMNS, SUBTOTAL_COLUMNS, as_rejects, row_codes, yuan_text
from villagecon.ingest.register import place_key
from villagecon.parse.cell_text import as_text
from villagecon.vocab import items, labels
from villagecon.vocab.periods import ACTUAL_KINDS, ANNUAL

__all__ = [
    "RECONCILE_TOLERANCE",
    "TOTAL_ENTRY_COLUMNS",
    "mismatched_totals",
    "reconcile_subtotals",
    "reconcile_summaries",
    "reconcile_totals",
    "total_mismatches",
]

# Differences up to one yuan are rounding in the source (万元 with two decimals), not errors.
RECONCILE_TOLERANCE = 1.0
# A written total is checked against the parts of its table, village and year.
_TOTAL_PLACE = ("file", "sheet", "table", "village_key", "year")
# What a reject of a written total needs of its entry.
TOTAL_ENTRY_COLUMNS = (
    *_TOTAL_PLACE,
    "item",
    "detail",
    "precedence",
    "amount_yuan",
    "source",
    "cell",
    "column",
    "value",
)


def _is_summary(cells: pd.DataFrame) -> pd.Series:
    return cells["summary"].notna()


def reconcile_subtotals(cells: pd.DataFrame, coverage: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare each 小计/合计 cell with the sum of the data cells it covers."""
    subtotal = cells["row_kind"].eq("subtotal").to_numpy() & ~_is_summary(cells).to_numpy()
    # Only what a subtotal's row and reject show, not every column of the cells.
    shown = ["source", "cell", "column", "year", "item", "value", "amount_yuan", "approx", "problem", "reason"]
    subtotal_cells = cells.loc[subtotal, [c for c in cells.columns if c in shown]]
    if subtotal_cells.empty:
        return pd.DataFrame(columns=list(SUBTOTAL_COLUMNS)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    data = cells["row_kind"].eq("data").to_numpy()
    # Tables, and what a cell is of, as numbers: the merges below join integers, not the strings of every cell.
    where = ["file", "sheet", "table"]
    tables = row_codes(pd.concat([cells[where], coverage[where]], ignore_index=True))
    table, covered_table = tables[: len(cells)], tables[len(cells) :]
    rows = cells["row"].to_numpy()
    covers = pd.DataFrame(
        {"table": covered_table, "subtotal_row": coverage["subtotal_row"].to_numpy(), "row": coverage["row"].to_numpy()}
    )
    itemless_cells = cells["item"].isna().to_numpy()
    # A subtotal of an item sums that item of the rows it covers; a 合计 naming none (under the 金额 of a list of
    # items or projects) sums its column.
    covered_parts = []
    for itemless, keys in ((False, ["year", "item", "detail"]), (True, ["year", "col"])):
        key = row_codes(cells[keys])
        chosen = subtotal & (itemless_cells == itemless)
        subtotals = pd.DataFrame(
            {
                "subtotal_id": cells.index[chosen],
                "subtotal_row": rows[chosen],
                "table": table[chosen],
                "key": key[chosen],
            }
        )
        parts = pd.DataFrame({"table": table[data], "key": key[data], "row": rows[data], "at": np.flatnonzero(data)})
        covered_parts.append(
            subtotals.merge(covers, on=["table", "subtotal_row"]).merge(parts, on=["table", "key", "row"])
        )
    found = pd.concat(covered_parts, ignore_index=True)
    at = found["at"].to_numpy()
    # Each subtotal's parts: how many, their sum (as pandas adds up), whether one is unreadable or approximate.
    ids, of_subtotal = np.unique(found["subtotal_id"].to_numpy(), return_inverse=True)
    summed = pd.Series(cells["amount_yuan"].to_numpy()[at]).groupby(of_subtotal).sum()
    unreadable = pd.notna(cells["problem"].to_numpy()[at])
    approx = cells["approx"].to_numpy(dtype=bool)[at]
    parts = pd.DataFrame(
        {
            "parts": np.bincount(of_subtotal, minlength=len(ids)),
            "parts_sum": summed.reindex(np.arange(len(ids))).to_numpy(),
            "incomplete": np.bincount(of_subtotal, weights=unreadable, minlength=len(ids)) > 0,
            "parts_approx": np.bincount(of_subtotal, weights=approx, minlength=len(ids)) > 0,
        },
        index=pd.Index(ids, name="subtotal_id"),
    )
    return _subtotal_status(subtotal_cells.assign(**parts.reindex(subtotal_cells.index)), "rows")


def _subtotal_status(subtotal_cells: pd.DataFrame, covered: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status of each subtotal (ok, mismatch, unchecked) and a reject for each mismatch or unreadable one."""
    subtotal_cells["parts"] = subtotal_cells["parts"].fillna(0).astype("int64")
    subtotal_cells["difference"] = subtotal_cells["amount_yuan"] - subtotal_cells["parts_sum"]
    # Only a subtotal whose parts were all read exactly can be checked.
    checkable = (
        subtotal_cells["parts"].gt(0)
        & subtotal_cells["problem"].isna()
        & ~subtotal_cells["incomplete"].fillna(False).astype(bool)
        & ~subtotal_cells["approx"].astype(bool)
        & ~subtotal_cells["parts_approx"].fillna(False).astype(bool)
    )
    mismatch = checkable & subtotal_cells["difference"].abs().gt(RECONCILE_TOLERANCE)
    subtotal_cells["status"] = np.select([mismatch, checkable], ["mismatch", "ok"], "unchecked")
    subtotal_cells["value"] = subtotal_cells["value"].map(as_text)

    mismatched = subtotal_cells.loc[mismatch]
    rejects = mismatched.assign(
        problem="subtotal_mismatch",
        reason=[
            f"this subtotal is {yuan_text(total)} but the {n} {covered} it covers add up to {yuan_text(s)} "
            f"(difference {yuan_text(total - s)}): the {covered} were kept; check them or correct the subtotal"
            for total, s, n in zip(mismatched["amount_yuan"], mismatched["parts_sum"], mismatched["parts"], strict=True)
        ],
    )
    unreadable = subtotal_cells.loc[subtotal_cells["problem"].notna()]
    rejects = pd.concat([as_rejects(rejects), as_rejects(unreadable)], ignore_index=True)
    subtotals = subtotal_cells.loc[:, list(SUBTOTAL_COLUMNS)].reset_index(drop=True)
    return subtotals, rejects


def reconcile_summaries(
    cells: pd.DataFrame, entries: pd.DataFrame, register: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A summary (a township's or county's row in a sheet of no villages, a township's statement, a 汇总
    sheet) against the villages it sums, read anywhere: those of its township or county, or, for a 汇总 sheet
    naming no place, those of the other sheets of its file. Summaries are never villages; a mismatch is a
    ``subtotal_mismatch``."""
    summary = cells.loc[_is_summary(cells)].copy()
    if summary.empty:
        return pd.DataFrame(columns=list(SUBTOTAL_COLUMNS)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    # Each summary against the villages' figures of its kind: the year's actuals, or a budget's or a quarter's.
    figures = pd.concat([annual_figures(entries), entries.loc[~entries["kind"].isin(ACTUAL_KINDS)]])
    figures["compared"] = _compared_as(figures)
    places = {
        "township": figures["township"].map(place_key, na_action="ignore"),
        "county": figures["county"].map(place_key, na_action="ignore"),
        "file": figures["file"],
    }
    sums = []
    for index, scope, file, year, item, compared in zip(
        summary.index,
        summary["summary"],
        summary["file"],
        summary["year"],
        summary["item"],
        _compared_as(summary),
        strict=True,
    ):
        chosen = pd.Series(False, index=figures.index)
        for part in scope.split("|"):
            level, _, name = part.partition(":")
            chosen |= places[level].eq(file if level == "file" else place_key(name))
        found = figures.loc[
            chosen & figures["year"].eq(year) & figures["item"].eq(item) & figures["compared"].eq(compared)
        ]
        sums.append(
            {
                "index": index,
                "parts": found["village_key"].nunique(),
                "parts_sum": found["amount_yuan"].sum() if len(found) else np.nan,
                "parts_approx": bool(found["approx"].any()),
                "incomplete": False,
            }
        )
    joined = summary.join(pd.DataFrame(sums).set_index("index"))
    return _subtotal_status(joined, "villages")


def _items_by_place(
    cells: pd.DataFrame, rows: np.ndarray, group: list[str]
) -> tuple[pd.DataFrame, pd.Index, np.ndarray, np.ndarray]:
    """The figure of each item of each place (``group``: a village-year of one table) of the cells at ``rows``, as a
    pivot table of them would give it, but on numbers: the places (in order of appearance; one with a missing key
    is none), the items, the figures (places × items: a cell's amount, else its ledger lines' sum) and whether each
    is in doubt (a cell of the item could not be read, or an amount is approximate)."""
    missing = np.zeros(len(cells), dtype=bool)
    for column in group:
        missing |= cells[column].isna().to_numpy()
    rows = rows[~missing[rows]]  # a pivot table drops a missing place
    place = row_codes(cells[group], rows)
    item_codes, found = pd.factorize(cells["item"])
    item = item_codes[rows]
    places = cells[group].take(rows[np.unique(place, return_index=True)[1]]).reset_index(drop=True)
    at = place * len(found) + item
    amount = cells["amount_yuan"].to_numpy(dtype="float64")[rows]
    approx = cells["approx"].to_numpy(dtype=bool)[rows]
    readable = cells["problem"].isna().to_numpy()[rows]
    lines = cells["line"].fillna(False).astype(bool).to_numpy()[rows]
    amounts = np.full(len(places) * len(found), np.nan)
    doubtful = np.zeros(len(places) * len(found), dtype=bool)
    # A ledger's lines of one item add up (as pandas adds them up) ...
    of_lines = np.flatnonzero(readable & lines)
    if len(of_lines):
        by_cell = pd.DataFrame({"amount": amount[of_lines], "approx": approx[of_lines]}).groupby(at[of_lines])
        summed = by_cell["amount"].sum()
        amounts[summed.index.to_numpy()] = summed.to_numpy()
        doubtful[summed.index.to_numpy()] = by_cell["approx"].any().to_numpy()
    # ... and a statement's item written twice (本年收益 in 三、 and 四、) is one figure, its first; a written
    # figure comes before its lines' sum where an item has both.
    single = np.flatnonzero(readable & ~lines)
    first = single[np.unique(at[single], return_index=True)[1]]
    written = first[~np.isnan(amount[first])]
    amounts[at[written]] = amount[written]
    doubtful[at[first]] |= approx[first]
    doubtful[at[~readable]] = True
    shape = (len(places), len(found))
    return places, found, amounts.reshape(shape), doubtful.reshape(shape)


def _compared_as(figures: pd.DataFrame) -> pd.Series:
    """What a summary's figure is compared with: a year's actual, or a budget's or part of a year's of its period."""
    return figures["kind"].where(~figures["kind"].isin(ACTUAL_KINDS), ANNUAL) + " " + figures["period"].astype("str")


def reconcile_totals(entries: pd.DataFrame, cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check each written total against its parts from the same table, where every part is there and readable.

    A total whose table has no column or line for one of its parts, or a part it could not read, covers
    what the table does not show: it is kept as written. A total whose parts are all there and readable
    but add up to something else (by more than a yuan) is rejected, and its parts kept. Approximate
    amounts (40余万元) are not checked.
    """
    mismatched = mismatched_totals(cells)
    if mismatched.empty:
        return entries, pd.DataFrame(columns=list(REJECT_COLUMNS))
    flagged, rejects = total_mismatches(entries, mismatched)
    return entries.drop(index=flagged), rejects


def mismatched_totals(cells: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """The written totals of ``cells`` (those ``rows`` selects) whose parts, all there and readable, add up to
    something else (:func:`reconcile_totals`).

    Parameters
    ----------
    cells : DataFrame
        A year's actual cells, readable or not.
    rows : numpy.ndarray of bool, optional
        The cells to look at (default: all).

    Returns
    -------
    DataFrame
        One row per table, village, year and total that does not add up: file, sheet, table, village_key, year,
        item, should_be (the sum of its parts) and difference.
    """
    group = list(_TOTAL_PLACE)
    none = pd.DataFrame(columns=[*group, "item", "should_be", "difference"])
    # The cells of an item (not of a detail), as positions: the columns used are read there, never copied whole.
    main = cells["detail"].isna().to_numpy() & cells["item"].notna().to_numpy()
    if rows is not None:
        main &= rows
    if not main.any():
        return none
    places, found, amounts, doubtful = _items_by_place(cells, np.flatnonzero(main), group)
    years = places["year"].to_numpy(dtype="int64")
    count = len(places)
    item_column = {item: position for position, item in enumerate(found)}

    def column(item: str) -> np.ndarray:
        return amounts[:, item_column[item]] if item in item_column else np.full(count, np.nan)

    def is_bad(item: str) -> np.ndarray:
        return doubtful[:, item_column[item]] if item in item_column else np.zeros(count, dtype=bool)

    computed: dict[str, np.ndarray] = {}

    def from_parts(total: str) -> np.ndarray:
        """The total as its parts give it, where every part is there, readable and exact; else NaN."""
        if total in computed:
            return computed[total]
        result = np.full(count, np.nan)
        for system in sorted({year >= items.NEW_SYSTEM_FROM for year in years}):
            rows = (years >= items.NEW_SYSTEM_FROM) == system
            plus, minus = items.total_parts(total, items.NEW_SYSTEM_FROM if system else items.OLD_SYSTEM)
            sums = np.zeros(count)
            complete = np.ones(count, dtype=bool)
            for part, sign in [*((p, 1) for p in plus), *((p, -1) for p in minus)]:
                part_value = column(part)
                if part in items.MEASURES:
                    part_value = np.where(~np.isnan(part_value) & ~is_bad(part), part_value, from_parts(part))
                    complete &= ~np.isnan(part_value)
                else:
                    complete &= ~np.isnan(part_value) & ~is_bad(part)
                sums += sign * np.where(np.isnan(part_value), 0.0, part_value)
            for part in items.OPTIONAL_PARTS.get(total, ()):
                complete &= ~is_bad(part)
                sums += np.where(np.isnan(column(part)), 0.0, column(part))
            result[rows] = np.where(complete, sums, np.nan)[rows]
        computed[total] = result
        return result

    bad_keys = []
    for total in items.MEASURES:
        if total not in item_column:
            continue
        should_be = from_parts(total)
        difference = np.where(is_bad(total), np.nan, column(total)) - should_be
        for position in np.flatnonzero(np.abs(difference) > RECONCILE_TOLERANCE):
            bad_keys.append((position, total, should_be[position], difference[position]))
    if not bad_keys:
        return none
    return (
        places.take([position for position, *_ in bad_keys])
        .reset_index(drop=True)
        .assign(
            item=[total for _, total, *_ in bad_keys],
            should_be=[sum_ for *_, sum_, _ in bad_keys],
            difference=[difference for *_, difference in bad_keys],
        )
    )


def total_mismatches(entries: pd.DataFrame, mismatched: pd.DataFrame) -> tuple[pd.Index, pd.DataFrame]:
    """The entries that write a total of ``mismatched`` (:func:`mismatched_totals`), and their rejects.

    Parameters
    ----------
    entries : DataFrame
        The entries kept, at least the columns :data:`TOTAL_ENTRY_COLUMNS`.
    mismatched : DataFrame
        What :func:`mismatched_totals` found.

    Returns
    -------
    tuple of (Index, DataFrame)
        The labels of the entries rejected, in the entries' order, and their rejects (``total_mismatch``).
    """
    flagged = (
        entries.loc[:, list(TOTAL_ENTRY_COLUMNS)]
        .reset_index()
        .merge(mismatched, on=[*_TOTAL_PLACE, "item"])
        .loc[lambda f: f["detail"].isna() & f["precedence"].ne("prior")]
    )
    reasons = [
        f"{labels.column(item)} is {yuan_text(a)} but its parts in the same table add up to {yuan_text(s)} "
        f"(difference {yuan_text(d)}): the parts were kept; correct the total or the parts"
        for item, a, s, d in zip(
            flagged["item"], flagged["amount_yuan"], flagged["should_be"], flagged["difference"], strict=True
        )
    ]
    rejects = as_rejects(flagged.assign(problem="total_mismatch", reason=reasons))
    return pd.Index(flagged["index"]), rejects
