"""A roster's rows as spells in office: placed in the register's villages, rows of one person's continuous time
in one village joined into one spell, and spells of one village at the same time refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import cast

import pandas as pd

from villagecon.ingest.ledger_columns import REJECT_COLUMNS
from villagecon.ingest.register import match_villages
from villagecon.vocab.names import village_key

__all__ = ["SAME_SPELL_GAP_DAYS", "join_spells_of_one_person", "place_spells", "refuse_overlaps"]


# Rows of one person in one village at most this many days apart are one spell (a term split at an election,
# 书记 then 书记兼主任); read_roster joins them, and tenure counts a spell from its first row.
SAME_SPELL_GAP_DAYS = 90
_SAME_SPELL_GAP = dt.timedelta(days=SAME_SPELL_GAP_DAYS)


def place_spells(spells: pd.DataFrame, register: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Village names (and codes) to register places; spells of villages the register lacks become rejects.

    Every spell gets ``_key``, the village identity used to find overlapping spells.
    """
    spells = spells.copy()
    if spells.empty:
        return spells.assign(_key=pd.Series(dtype=object)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    if register is None:
        # (A missing name, None or NaN as a frame of a CSV holds it, stays missing: never the village "nan".)
        spells["village"] = spells["village"].map(lambda v: village_key(v) if pd.notna(v) else None)
        by_name = "name:" + spells[["county", "township", "village"]].fillna("").astype(str).agg("|".join, axis=1)
        spells["_key"] = by_name.where(spells["village_code"].isna(), "code:" + spells["village_code"].astype(str))
        return spells, pd.DataFrame(columns=list(REJECT_COLUMNS))

    by_code = register.set_index("village_code")
    refused: dict[Hashable, tuple[str, str, str]] = {}  # index -> (column shown, problem, reason)
    coded = spells["village_code"].notna()
    for index in spells.index[coded]:
        # The code column holds str codes (or None); pandas-stubs type a cell as any scalar.
        code = cast("str", spells.at[index, "village_code"])
        name = cast("str | float | None", spells.at[index, "village"])  # the text, or None or NaN where empty
        if code not in by_code.index:
            refused[index] = (
                "village_code",
                "village_unknown",
                f"village code {code} is not in the register: correct the code, or add the village to the register",
            )
            continue
        # One row: read_register refuses a code given twice. Its columns are text.
        official = cast("pd.Series[str]", by_code.loc[code])
        known = {village_key(official["village"]), *(village_key(a) for a in str(official["aliases"]).split("|") if a)}
        if pd.notna(name) and village_key(name) not in known:
            refused[index] = (
                "village_code",
                "village_code_mismatch",
                f"village code {code} is {official['village']} in the register, not {name!s}: "
                "correct the code or the name",
            )
            continue
        for column in ("county", "township", "village"):
            spells.at[index, column] = official[column]
    named = spells.loc[~coded, ["village", "township", "county"]]
    if len(named):
        matched = match_villages(named.astype(object).where(named.notna(), None), register)
        for index, row in matched.iterrows():
            if row["problem"] is None or pd.isna(row["problem"]):
                for column in ("county", "township", "village", "village_code"):
                    spells.at[index, column] = row[column]
            else:
                refused[index] = ("village", row["problem"], row["reason"])

    rejects = []
    for index, (column, problem, reason) in refused.items():
        # _letters and _headers hold one dict per row (field -> column letter, field -> header as written).
        letters = cast("dict[str, str]", spells.at[index, "_letters"])
        headers = cast("dict[str, str]", spells.at[index, "_headers"])
        column = column if column in letters else _place_column(letters)
        rejects.append(
            {
                "source": spells.at[index, "source"],
                "cell": f"{letters[column]}{spells.at[index, '_row']!s}",
                "column": headers[column],
                "value": str(spells.at[index, column]),
                "problem": problem,
                "reason": reason,
            }
        )
    spells = spells.drop(index=list(refused))
    return spells.assign(_key="code:" + spells["village_code"].astype(str)), pd.DataFrame(
        rejects, columns=list(REJECT_COLUMNS)
    )


def join_spells_of_one_person(spells: pd.DataFrame) -> pd.DataFrame:
    """Rows of the same person in the same village that overlap, touch or nearly touch (书记 until 2021.01, then
    书记兼主任 from 2021.01; a 连任 row after the term before; the same spell on two sheets) are one spell: the
    first start, the latest end, the last role, and ``roles`` the history when the role changed (``书记 from
    2017-04-01; 书记兼主任 from 2021-01-01``)."""
    # A 连任 row starting at a 换届 (the start of a 新任 row) began before it: the start of its spell is unknown
    # unless an earlier row of the person gives it.
    term = spells["term"].fillna("").astype(str)
    elections = set(spells.loc[term.str.contains("新任"), "start_first"])
    spells = spells.assign(roles=None, began_before=term.str.contains("连任") & spells["start_first"].isin(elections))
    if spells.empty:
        return spells
    ordered = spells.sort_values(["_key", "name", "start_first", "_row"], kind="stable")
    drop, spell = [], None
    for index in ordered.index:
        row = ordered.loc[index]
        same_person = spell is not None and (spells.at[spell, "_key"], spells.at[spell, "name"]) == (
            row["_key"],
            row["name"],
        )
        # end_last holds dates (or None: still in office).
        end = cast("dt.date | None", spells.at[spell, "end_last"]) if same_person else None
        if not (same_person and (end is None or row["start_first"] <= end + _SAME_SPELL_GAP)):
            spell = index
            continue
        if end is not None and (row["end_last"] is None or row["end_last"] > end):
            for column in ("end", "end_first", "end_last"):
                spells.at[spell, column] = row[column]
        role = spells.at[spell, "role"]
        if not pd.isna(row["role"]) and row["role"] != role:
            history = spells.at[spell, "roles"] or f"{role!s} from {spells.at[spell, 'start']!s}"
            spells.at[spell, "roles"] = f"{history!s}; {row['role']} from {row['start']}"
        for column in ("role", "background", "background_written", "mentor", "training_days", "honours"):
            if not pd.isna(row[column]):
                spells.at[spell, column] = row[column]
        drop.append(index)
    return spells.drop(index=drop)


def _place_column(letters: dict[str, str]) -> str:
    return "village" if "village" in letters else "village_code"


_FAR_FUTURE = dt.date(9999, 12, 31)


def refuse_overlaps(spells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two spells of one village at the same time: both refused, naming each other's row."""
    if spells.empty:
        return spells, pd.DataFrame(columns=list(REJECT_COLUMNS))
    ordered = spells.sort_values(["_key", "start_first", "_row"], kind="stable")
    ends = ordered["end_first"].map(lambda d: _FAR_FUTURE if d is None else d)
    overlapping: dict[int, set[int]] = {}
    # Spells are few per village: compare each with the ones that started before it.
    for _, group in ordered.groupby("_key", sort=False):
        if len(group) < 2:
            continue
        seen: list[int] = []
        for index in group.index:
            for earlier in seen:
                # Certainly overlapping: this one's latest possible start is before the earlier one's earliest
                # possible end (a handover in the same day, or month when only the month is known, is not).
                if ordered.at[index, "start_last"] < ends[earlier]:
                    overlapping.setdefault(index, set()).add(earlier)
                    overlapping.setdefault(earlier, set()).add(index)
            seen.append(index)
    rows = []
    for index, others in overlapping.items():
        letters = cast("dict[str, str]", spells.at[index, "_letters"])
        other_text = ", ".join(
            f"row {spells.at[o, '_row']!s} ({spells.at[o, 'name']!s}, from {spells.at[o, 'start']!s})"
            # _row holds the sheet's int row numbers.
            for o in sorted(others, key=lambda o: cast("int", spells.at[o, "_row"]))
        )
        end = spells.at[index, "end"]
        rows.append(
            {
                "source": spells.at[index, "source"],
                "cell": f"{letters['start']}{spells.at[index, '_row']!s}",
                "column": cast("dict[str, str]", spells.at[index, "_headers"])["start"],
                "value": str(spells.at[index, "start"]),
                "problem": "overlap",
                "reason": f"{spells.at[index, 'name']!s}'s spell ({spells.at[index, 'start']!s} to "
                f"{'now' if end is None else end!s}) overlaps {other_text} in the same village: "
                "correct 任职起始/任职结束 so that one spell ends before the next starts; "
                "neither was kept",
            }
        )
    return spells.drop(index=list(overlapping)), pd.DataFrame(rows, columns=list(REJECT_COLUMNS))
