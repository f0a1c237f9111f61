"""The same village-year-item from several sources: equal figures kept once and listed, different ones a
conflict with neither kept, a later report's 上年数/年初数 checked against the year's own figure; lines repeating
an earlier line, and village-years with only part of a year."""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from villagecon.ingest.ledger_columns import (
    PART_YEAR_COLUMNS,
    REPEATED_COLUMNS,
    as_rejects,
    in_sheet_order,
    row_codes,
    yuan_text,
)
from villagecon.vocab import labels
from villagecon.vocab.periods import ACTUAL_KINDS, PART_YEAR

__all__ = ["part_years", "repeated_lines", "resolve_repeat_rows", "resolve_repeats"]

log = logging.getLogger(__name__)


def resolve_repeats(entries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The same village-year-item from two sources: equal amounts keep the first; different amounts reject all.

    A source's figure is one cell, or the lines of a ledger of one village, year and item added up (a
    ``figure`` of several entries). A 上年数 or 年初数 (``precedence == "prior"``) is a later report's word on an
    earlier year: where that year's own report gives the figure, it is checked against it (equal: a duplicate;
    different: a ``prior_year_differs`` reject of the later report's cell only); where none does, it is the figure.
    """
    kept, figure, duplicates, rejects = _resolved(entries, np.arange(len(entries)))
    return entries.take(kept).assign(figure=figure), duplicates, rejects


def resolve_repeat_rows(cells: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """:func:`resolve_repeats` of the entries ``cells.take(rows)``, without taking them: the positions in ``cells``
    of the entries kept (in the order of their sheets), the duplicates and the rejects.

    Parameters
    ----------
    cells : DataFrame
        Cells, columns as the entries of :func:`resolve_repeats`.
    rows : numpy.ndarray
        Positions in ``cells`` of the entries (a year's actuals without a problem).

    Returns
    -------
    tuple of (numpy.ndarray, DataFrame, DataFrame)
        Positions kept, duplicates (source, cell, duplicate_of), rejects (:data:`REJECT_COLUMNS`).
    """
    kept, _, duplicates, rejects = _resolved(cells, rows)
    return kept, duplicates, rejects


def _resolved(cells: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, pd.DataFrame]:
    """The work of :func:`resolve_repeats` on ``cells.take(rows)``: positions in ``cells`` of the kept entries (in
    sheet order), their figures, the duplicates and the rejects."""
    # The entries in the order of their sheets, and their figures, worked out on the few columns they need:
    # the whole entries are taken only for the few rows duplicates and rejects name.
    in_order = in_sheet_order(cells, rows)
    needed = cells.loc[:, [c for c in cells.columns if c in _FIGURE_COLUMNS]]
    figure = _figure_ids(needed, in_order)
    figures = _figures(needed, in_order, figure)
    keys = figures["key"].to_numpy()
    prior = figures["prior"].to_numpy()
    checked = prior & np.isin(keys, keys[~prior])

    def described(chosen: pd.DataFrame) -> pd.DataFrame:
        """``chosen`` figures with what they are and where they are written (their first entry's), which a reason
        names: taken for the few figures that repeat, not for all."""
        first = chosen["first"].to_numpy()
        return chosen.assign(
            **{
                column: pd.Series(cells[column].array.take(first), index=chosen.index)
                for column in _WHERE_COLUMNS
                if column not in chosen and column in cells
            }
        )

    kept, duplicate_of, conflicts = _resolve_sources(figures, ~checked, described)
    # The prior figures are few: only the kept figures of their keys are looked at.
    own = np.isin(figures.index.to_numpy(), kept.to_numpy()) & np.isin(keys, keys[checked])
    prior_duplicate_of, prior_rejects = _check_prior(described(figures.loc[checked]), described(figures.loc[own]))
    duplicate_of = pd.concat([duplicate_of, prior_duplicate_of])
    problems = pd.concat([conflicts, prior_rejects])

    def of_figures(chosen: pd.Index) -> np.ndarray:
        """Which entries (in sheet order) have a figure of ``chosen``."""
        return np.isin(figure, chosen.to_numpy())

    def entries_of(chosen: pd.Index) -> pd.DataFrame:
        """The entries (in sheet order, with their figure) whose figure is one of ``chosen``."""
        chosen_rows = of_figures(chosen)
        return cells.take(in_order[chosen_rows]).assign(figure=figure[chosen_rows])

    duplicates = entries_of(duplicate_of.index)
    rejected = entries_of(problems.index).drop(columns=["problem", "reason"]).join(problems, on="figure")
    if len(duplicates):
        log.info("dropped %d exact duplicate amounts (same village, year, item and amount)", len(duplicates))
    kept_rows = of_figures(kept)
    return (
        in_order[kept_rows],
        figure[kept_rows],
        pd.DataFrame(
            {
                "source": duplicates["source"].to_numpy(),
                "cell": duplicates["cell"].to_numpy(),
                "duplicate_of": duplicates["figure"].map(duplicate_of).to_numpy(),
            }
        ),
        as_rejects(rejected),
    )


def repeated_lines(entries: pd.DataFrame) -> pd.DataFrame:
    """Kept lines that repeat an earlier line of their sheet cell for cell: possible double entries."""
    if entries.empty or "same_as" not in entries:
        return pd.DataFrame(columns=list(REPEATED_COLUMNS))
    again = entries.loc[entries["same_as"].notna()]
    return pd.DataFrame(
        {
            "source": again["source"].to_numpy(),
            "cell": again["cell"].to_numpy(),
            "amount_yuan": again["amount_yuan"].to_numpy(),
            "repeats": (
                again["file"] + "!" + again["sheet"] + "!" + again["same_as"].astype("int64").astype("str")
            ).to_numpy(),
        }
    )


def part_years(entries: pd.DataFrame) -> pd.DataFrame:
    """Village-years whose figures are all of part of a year, with the periods they cover."""
    key = ["village_key", "year"]
    part = entries.loc[entries["kind"].eq(PART_YEAR)]
    # Most ledgers have no part-year figures; where some are, the actuals of their villages only are looked at.
    near = entries["village_key"].isin(part["village_key"]) | entries["village_key"].isna() if len(part) else False
    actual = pd.MultiIndex.from_frame(entries.loc[entries["kind"].isin(ACTUAL_KINDS) & near, key].astype(object))
    part = part.loc[~pd.MultiIndex.from_frame(part[key].astype(object)).isin(actual)]
    if part.empty:
        return pd.DataFrame(columns=list(PART_YEAR_COLUMNS))
    found = part.groupby(key, sort=False).agg(
        **{c: (c, "first") for c in ("county", "township", "village", "village_code")},
        periods=("period", lambda p: ", ".join(sorted(set(p)))),
    )
    return found.reset_index()[list(PART_YEAR_COLUMNS)]


# What a figure needs of its entries: where they are (to group a ledger's lines), what they are, their amount,
# and what a reason names.
_FIGURE_COLUMNS = frozenset(
    {"file", "sheet", "table", "village_key", "year", "item", "detail", "precedence", "line", "amount_yuan"}
    | {"approx", "source", "cell", "village"}
)
# What a figure is and where it is written, which only a reason names.
_WHERE_COLUMNS = ("village_key", "year", "item", "detail", "precedence", "source", "cell", "village", "file")


def _figure_ids(entries: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """One figure per entry (of ``entries`` taken in ``order``), but the lines of a ledger (``line``) of one table,
    village, year, item and detail share one: they add up. A figure's id is the position of its first entry."""
    ids = np.arange(len(order))
    lines = np.flatnonzero(entries["line"].fillna(False).astype(bool).to_numpy()[order])
    if len(lines):
        group = row_codes(
            entries[["file", "sheet", "table", "village_key", "year", "item", "detail", "precedence"]], order[lines]
        )
        # Groups are numbered as they appear: a group's first line is the first position of its number.
        ids[lines] = lines[np.unique(group, return_index=True)[1]][group]
    return ids


def _figures(entries: pd.DataFrame, order: np.ndarray, figure: np.ndarray) -> pd.DataFrame:
    """One row per figure of ``entries`` (taken in ``order``), by figure id: its first entry's values (the first
    that is not missing, as ``groupby().first()``), its entries' amounts added up, approx where any is, and
    ``lines`` and ``key``. Most figures are one entry: only those of several lines are grouped."""
    starts = np.flatnonzero(figure == np.arange(len(figure)))
    lines = np.bincount(figure, minlength=len(figure))[starts]
    first = order[starts]
    # Numbers only: what a figure is and where it is written (_WHERE_COLUMNS) are taken later for the few that
    # repeat, from its first entry ("first"), unless a figure of several lines misses it there. The lines of a
    # figure share its place, year, item, detail and precedence (_figure_ids): its first line's are the figure's.
    figures = pd.DataFrame(
        {"first": first, "prior": entries["precedence"].eq("prior").to_numpy()[first]},
        index=pd.Index(starts, name="figure"),
    )
    # As pandas adds one amount up: from 0.0, so that a missing amount is 0 and -0.0 is 0.
    amounts = entries["amount_yuan"].to_numpy(dtype="float64")[first]
    amounts = np.where(np.isnan(amounts), 0.0, amounts + 0.0)
    approx = entries["approx"].to_numpy(dtype=bool)[first]
    several = lines > 1
    if several.any():
        in_several = np.flatnonzero(several[np.searchsorted(starts, figure)])
        of_several = entries.take(order[in_several])
        grouped = of_several.groupby(figure[in_several], sort=False)
        # pandas' sum (compensated) and any, in the figures' order (that of their ids, as the groups appear).
        amounts[several] = grouped["amount_yuan"].sum().to_numpy()
        approx[several] = grouped["approx"].any().to_numpy()
        for column in [c for c in ("source", "cell", "village") if c in entries]:
            if of_several[column].isna().any():  # the first value that is not missing
                values = entries[column].take(first).set_axis(figures.index)
                values.iloc[np.flatnonzero(several)] = grouped[column].first().to_numpy()
                figures[column] = values
    figures = figures.assign(amount_yuan=amounts, approx=approx, lines=lines)
    # Village, year, item and detail of each figure as one number, missing details equal.
    figures["key"] = row_codes(entries[["village_key", "year", "item", "detail"]], first)
    return figures


def _place(figures: pd.DataFrame) -> pd.Series:
    """Where a figure is written: its cell, and how many lines add up to it."""
    more = figures["lines"].sub(1)
    # Worded once per count of lines, not once per figure.
    worded = {n: f" and {n} more line{'s' if n > 1 else ''}" if n else "" for n in more.unique()}
    return figures["source"] + " " + figures["cell"] + more.map(worded).astype("str")


def _resolve_sources(
    figures: pd.DataFrame, among: np.ndarray, described: Callable[[pd.DataFrame], pd.DataFrame]
) -> tuple[pd.Index, pd.Series, pd.DataFrame]:
    """Of the figures ``among`` selects: the kept ones; figure → the figure it repeats exactly; figure →
    (problem, reason) of conflicting ones. ``described``: figures with where they are written."""
    candidates = np.flatnonzero(among)
    repeated = pd.Series(figures["key"].to_numpy()[candidates]).duplicated(keep=False).to_numpy()
    # Repeats are few: everything below works on them only.
    repeats = described(figures.take(candidates[repeated]))
    repeat_group = repeats["key"]
    by_group = repeats.groupby(repeat_group)
    conflict = (by_group["amount_yuan"].transform("max") - by_group["amount_yuan"].transform("min")).abs().gt(0.005)
    conflict |= by_group["approx"].transform("nunique").gt(1)
    exact = ~conflict & repeat_group.duplicated(keep="first")
    place = _place(repeats)
    duplicate_of = place.groupby(repeat_group).transform("first")[exact]

    clashing = repeats.loc[conflict]
    stated = place[conflict] + " = " + clashing["amount_yuan"].map(yuan_text).astype("str")
    clash_group = repeat_group[conflict]
    # As arrays: the loop below looks at every clashing figure of each one's group.
    groups, amounts = clash_group.to_numpy(), clashing["amount_yuan"].to_numpy(dtype="float64")
    stated_texts, files_of = stated.to_numpy(dtype=object), clashing["file"].to_numpy(dtype=object)
    reasons = []
    for g, amount, item, detail, year, village, file in zip(
        clash_group,
        clashing["amount_yuan"],
        clashing["item"],
        clashing["detail"],
        clashing["year"],
        clashing["village"],
        clashing["file"],
        strict=True,
    ):
        # The sources that give another amount than this cell's, a few of them.
        in_group = groups == g
        others = list(stated_texts[in_group & (np.abs(amounts - amount) > 0.005)])
        others = [*others[:4], f"and {len(others) - 4} more"] if len(others) > 5 else others
        files = set(files_of[in_group])
        what = f"{labels.column(item)}{f' ({detail})' if isinstance(detail, str) else ''} {year} of {village}"
        where = f"within {file}" if files == {file} else "between sources"
        advice = "correct the wrong cell" if files == {file} else "correct the wrong file"
        reasons.append(f"{what} differs {where}: {'; '.join(others)}. Nothing was kept: {advice}")
    conflicts = pd.DataFrame({"problem": "conflict", "reason": reasons}, index=clashing.index)
    kept = figures.index[candidates].difference(repeats.index[conflict | exact], sort=False)
    return kept, duplicate_of, conflicts


def _check_prior(prior: pd.DataFrame, kept: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """上年数/年初数 figures against the figure the year's own report gave (kept, or rejected as a conflict):
    figure → the figure it repeats; figure → (problem, reason) of those that differ or have none to check."""
    if prior.empty:
        return pd.Series(dtype=object), pd.DataFrame(columns=["problem", "reason"])
    # Of the kept figures, those of the prior figures' keys only: the first of each key is the year's own.
    kept = kept.loc[np.isin(kept["key"].to_numpy(), prior["key"].to_numpy())]
    own = kept.assign(place=_place(kept)).drop_duplicates("key").set_index("key")
    matched = own.reindex(prior["key"].to_numpy())
    matched.index = prior.index
    equal = (matched["amount_yuan"] - prior["amount_yuan"]).abs().le(0.005)
    found = matched["source"].notna()
    duplicate_of = matched.loc[found & equal, "place"]
    differs = prior.loc[found & ~equal]
    own_figure = matched.loc[found & ~equal]
    reasons = [
        f"this {labels.column(item)} of {year} ({yuan_text(mine)}, a later report's 上年数/年初数) differs from "
        f"{year}'s own figure {yuan_text(theirs)} in {place}: the year's own figure was kept; check which is "
        "right (a restated opening balance, or a typing error)"
        for item, year, mine, theirs, place in zip(
            differs["item"],
            differs["year"],
            differs["amount_yuan"],
            own_figure["amount_yuan"],
            own_figure["place"],
            strict=True,
        )
    ]
    rejects = pd.concat(
        [
            pd.DataFrame({"problem": "prior_year_differs", "reason": reasons}, index=differs.index),
            pd.DataFrame(
                {
                    "problem": "conflict",
                    "reason": "the year's own reports give different figures (see their "
                    "conflict rejects), so this 上年数/年初数 was not used either",
                },
                index=prior.index[~found],
            ),
        ]
    )
    return duplicate_of, rejects
