"""The deliberate defects of the journal sample: a miswritten balance, a lost line, an unreadable amount, an unmapped
对方科目; planted in the rows of a partition and located in the books as written."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DEFECTS", "DEFECT_COLUMNS", "UNMAPPED_COUNTER", "UNMAPPED_SUMMARY", "locate_defects", "plant_defects"]

UNMAPPED_COUNTER = "待查款项"
UNMAPPED_SUMMARY = "收到不明款项（待查）"
DEFECTS = ("balance_typo", "missing_line", "unreadable_amount", "unmapped")
DEFECT_COLUMNS = (
    "county",
    "year",
    "township",
    "village",
    "village_code",
    "book",
    "line",
    "problem",
    "field",
    "written",
    "item",
    "amount_yuan",
    "month",
)


def plant_defects(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Plant the defects into ``rows`` (in place: its texts and a ``lost`` column), each in a book of its own.

    Parameters
    ----------
    rows : DataFrame
        A partition's rows, ordered into books; changed in place.
    rng : numpy.random.Generator

    Returns
    -------
    DataFrame
        index (of ``rows``), problem, field, written, item, amount_yuan, month.
    """
    rows["lost"] = False
    rows["written_debit"] = None
    rows["written_credit"] = None
    rows["written_balance"] = None
    books = rng.permutation(rows["book_id"].unique())
    wanted = ["balance_typo", *(p for p in DEFECTS[1:3] if rng.random() < 0.5)]
    planted = []
    is_line = rows["kind"].eq("line").to_numpy()
    booked = rows["item"].notna().to_numpy()
    book_id = rows["book_id"].to_numpy()
    # Lines with a line before and after in their book, away from the first and last rows.
    inside = is_line & np.r_[False, is_line[:-1]] & np.r_[is_line[1:], False]
    large = (rows["debit"].to_numpy() + rows["credit"].to_numpy()) >= 100_000
    unused = list(books)
    for problem in wanted:
        # The first unused book with a line fit for the defect (a short book may have none: the next one is tried).
        suitable = (
            inside
            & (booked if problem != "balance_typo" else True)
            & (large if problem == "unreadable_amount" else True)
        )
        book = next((b for b in unused if (suitable & (book_id == b)).any()), None)
        if book is None:
            continue
        unused.remove(book)
        at = int(rng.choice(np.flatnonzero(suitable & (book_id == book))))
        row: Any = rows.loc[at]  # one row: a Series whose fields pandas-stubs cannot tell apart
        amount_field = "debit" if row["debit"] > 0 else "credit"
        record = {
            "index": at,
            "problem": problem,
            "item": row["item"],
            "month": int(row["month"]),
            "amount_yuan": (row["debit"] + row["credit"]) / 100,
        }
        if problem == "balance_typo":
            wrong = int(row["balance"] + 100 * 100 * int(rng.choice([1, 9, 10])))
            rows.at[at, "written_balance"] = _plain_text(wrong)
            record |= {"field": "balance", "written": _plain_text(wrong), "item": None, "amount_yuan": math.nan}
        elif problem == "missing_line":
            rows.at[at, "lost"] = True
            record |= {"field": amount_field, "written": _plain_text(int(row[amount_field]))}
        else:
            # Separated thousands: "1 234.00" is ambiguous (is the space a separator or a decimal comma?).
            text = _plain_text(int(row[amount_field]))
            spaced = text[:-6] + " " + text[-6:]
            rows.at[at, f"written_{amount_field}"] = spaced
            record |= {"field": amount_field, "written": spaced}
        planted.append(record)
    if rng.random() < 0.5:
        loans = np.flatnonzero(
            rows["loan"].fillna(False).to_numpy(dtype=bool)
            & is_line
            & ~rows["lost"].to_numpy()
            & np.isin(book_id, books[:1] if len(books) < 4 else books[3:])
        )
        if len(loans):
            at = int(rng.choice(loans))
            rows.at[at, "counter_account"] = UNMAPPED_COUNTER
            rows.at[at, "summary"] = UNMAPPED_SUMMARY
            planted.append(
                {
                    "index": at,
                    "problem": "unmapped",
                    "field": "counter_account",
                    "written": UNMAPPED_COUNTER,
                    "item": None,
                    "amount_yuan": math.nan,
                    "month": int(_value(rows, at, "month")),
                }
            )
    return pd.DataFrame(planted, columns=["index", "problem", "field", "written", "item", "amount_yuan", "month"])


def locate_defects(planted: pd.DataFrame, rows: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """Where each defect is in the written books: the line (for a lost line, the row that took its place).

    Parameters
    ----------
    planted : DataFrame
        What :func:`plant_defects` returned.
    rows : DataFrame
        The rows as written (lost lines dropped, ``line`` and names added).
    villages : DataFrame
        The partition's villages.

    Returns
    -------
    DataFrame
        :data:`DEFECT_COLUMNS` but county and year.
    """
    line_at = pd.Series(rows["line"].to_numpy(), index=rows.index)
    located = []
    for record in planted.to_dict(orient="records"):
        at = record.pop("index")
        if record["problem"] == "missing_line":
            at = rows.index[rows.index > at][0]  # the row after the lost one: where the balance breaks
        village = int(_value(rows, at, "village"))
        located.append(
            {
                **record,
                "line": int(line_at[at]),
                "book": rows.at[at, "book_name"],
                "township": villages.at[village, "township"],
                "village": villages.at[village, "village"],
                "village_code": villages.at[village, "village_code"],
            }
        )
    # With columns even when empty: a small partition may get no defect.
    return pd.DataFrame(located, columns=[c for c in DEFECT_COLUMNS if c not in ("county", "year")])


def _value(frame: pd.DataFrame, at: Hashable, column: str) -> Any:
    """``frame.at[at, column]`` (pandas-stubs types it as every scalar type at once)."""
    return frame.at[at, column]


def _plain_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"
