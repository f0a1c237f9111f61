"""Comparing journal accounts with annual statements (收益分配表), village-year by village-year."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from villagecon.journal.columns import IDENTITY_COLUMNS
from villagecon.vocab import labels
from villagecon.vocab.names import village_keys

__all__ = ["RECONCILED_ITEMS", "RECONCILE_COLUMNS", "RECONCILE_TOLERANCE", "match_village_years", "reconcile_accounts"]

log = logging.getLogger(__name__)

# Differences up to one yuan between a journal and a statement are rounding, as in the cleaner.
RECONCILE_TOLERANCE = 1.0


RECONCILE_COLUMNS = (
    "county",
    "township",
    "village",
    "village_code",
    "year",
    "item",
    "statement_yuan",
    "journal_yuan",
    "difference",
    "status",
    "reason",
)
# What a cash journal can tell: income and expense items, their totals and the year's result. Assets and
# liabilities are not in it.
RECONCILED_ITEMS = (*labels.INCOME_ITEMS, "total_income", *labels.EXPENSE_ITEMS, "total_expense", "net_income")


def reconcile_accounts(
    journal_accounts: pd.DataFrame, statements: pd.DataFrame, *, tolerance: float = RECONCILE_TOLERANCE
) -> pd.DataFrame:
    """Compare journal accounts with annual statements, item by item, where both have the village-year.

    Parameters
    ----------
    journal_accounts : DataFrame
        :attr:`Journal.accounts`.
    statements : DataFrame
        Accounts from the annual statements, e.g. ``read_ledger(...).accounts``.
    tolerance : float
        Differences up to this many yuan are rounding.

    Returns
    -------
    DataFrame
        :data:`RECONCILE_COLUMNS`, one row per village, year and item of :data:`RECONCILED_ITEMS` that
        either side has: ``statement_yuan``, ``journal_yuan`` (zero where the journal has no line for
        the item), ``difference`` (statement − journal) and ``status``: ``ok``, ``mismatch``,
        ``approximate`` (the statement wrote 40余万元-style amounts that year), ``not_in_statement``, or
        ``ambiguous``: a journal village-year that could be more than one village of the statements (or
        share its one with another journal village), compared with none; ``reason`` names the candidates.
        Villages are matched by code where both sides have one, else by name within the same county and
        township as far as both sides write them (:func:`match_village_years`).
    """
    items = list(RECONCILED_ITEMS)
    pairs, ambiguous = match_village_years(journal_accounts, statements)
    journal_rows = journal_accounts.reset_index(drop=True)
    statement_rows = statements.reset_index(drop=True)
    statement_long = (
        statement_rows.loc[pairs["statement_row"], [*IDENTITY_COLUMNS, "year", "approx", *items]]
        .assign(pair=np.arange(len(pairs)))
        .melt(
            id_vars=["pair", *IDENTITY_COLUMNS, "year", "approx"],
            value_vars=items,
            var_name="item",
            value_name="statement_yuan",
        )
    )
    journal_long = (
        journal_rows.loc[pairs["journal_row"], items]
        .assign(pair=np.arange(len(pairs)))
        .melt(id_vars=["pair"], value_vars=items, var_name="item", value_name="journal_yuan")
    )
    both = statement_long.merge(journal_long, on=["pair", "item"], how="inner", validate="one_to_one")
    both["journal_yuan"] = both["journal_yuan"].fillna(0.0)
    both = both.loc[both["statement_yuan"].notna() | both["journal_yuan"].ne(0)]
    difference = both["statement_yuan"] - both["journal_yuan"]
    close = difference.abs().le(tolerance)
    status = np.select(
        [both["statement_yuan"].isna(), close, both["approx"].astype(bool)],
        ["not_in_statement", "ok", "approximate"],
        "mismatch",
    )
    table = both.assign(
        difference=difference.round(2), status=status, reason=pd.Series(pd.NA, index=both.index, dtype="str")
    )
    if len(ambiguous):
        unmatched = (
            journal_rows.loc[ambiguous["journal_row"], [*IDENTITY_COLUMNS, "year", *items]]
            .assign(reason=ambiguous["reason"].to_numpy())
            .melt(
                id_vars=[*IDENTITY_COLUMNS, "year", "reason"],
                value_vars=items,
                var_name="item",
                value_name="journal_yuan",
            )
        )
        unmatched = unmatched.loc[unmatched["journal_yuan"].notna()].assign(
            statement_yuan=np.nan, difference=np.nan, status="ambiguous"
        )
        table = pd.concat([table, unmatched], ignore_index=True)
    table["year"] = table["year"].astype("int64")
    table["status"] = table["status"].astype("str")
    order = {item: position for position, item in enumerate(items)}
    table = table.assign(item_order=table["item"].map(order)).sort_values(
        ["county", "township", "village", "year", "item_order"], kind="stable"
    )
    return table.loc[:, list(RECONCILE_COLUMNS)].reset_index(drop=True)


def match_village_years(journal_accounts: pd.DataFrame, statements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which statement village-year each journal village-year is, one to one.

    By ``village_code`` and year where both rows have a code. Otherwise by village name (as
    :func:`villagecon.vocab.names.village_key` writes it) and year, where county and township agree as
    far as both rows write them, and where the rows have no two different codes. A journal row with
    more than one such statement row, or whose one statement row has another journal row as well, is
    ambiguous: it is matched to none, never to a same-named village of another place.

    Parameters
    ----------
    journal_accounts : DataFrame
        :attr:`Journal.accounts`.
    statements : DataFrame
        Accounts from annual statements.

    Returns
    -------
    (pairs, ambiguous) : tuple of DataFrame
        ``pairs``: ``journal_row`` and ``statement_row`` (positions in each table). ``ambiguous``:
        ``journal_row`` and ``reason``, naming the candidates and what to do.
    """
    journal = _village_years(journal_accounts).rename(columns=lambda c: f"{c}_journal")
    statement = _village_years(statements).rename(columns=lambda c: f"{c}_statement")
    coded = journal.loc[journal["village_code_journal"].notna()].merge(
        statement.loc[statement["village_code_statement"].notna()],
        left_on=["village_code_journal", "year_journal"],
        right_on=["village_code_statement", "year_statement"],
    )
    coded_pairs, coded_ambiguous = _one_to_one(coded)
    decided = set(coded["row_journal"])
    # Rows matched or contested by code are not matched again by name.
    named = journal.loc[~journal["row_journal"].isin(decided)].merge(
        statement.loc[~statement["row_statement"].isin(set(coded["row_statement"]))],
        left_on=["name_journal", "year_journal"],
        right_on=["name_statement", "year_statement"],
    )
    same_place = ~(named["village_code_journal"].notna() & named["village_code_statement"].notna())
    for column in ("county", "township"):
        ours, theirs = named[f"{column}_journal"], named[f"{column}_statement"]
        same_place &= (ours.isna() | theirs.isna() | ours.eq(theirs)).to_numpy(dtype=bool, na_value=True)
    named_pairs, named_ambiguous = _one_to_one(named.loc[same_place])
    pairs = pd.concat([coded_pairs, named_pairs], ignore_index=True)
    ambiguous = pd.concat([coded_ambiguous, named_ambiguous], ignore_index=True)
    return pairs.astype("int64"), ambiguous


def _village_years(accounts: pd.DataFrame) -> pd.DataFrame:
    """Row position, place, code, year and the village name as matched (blank places and codes missing)."""
    table = pd.DataFrame({"row": np.arange(len(accounts)), "year": accounts["year"].to_numpy()})
    for column in IDENTITY_COLUMNS:
        # pandas-stubs do not allow na_value=None, which pandas does (missing becomes None).
        values = accounts[column].astype("str").str.strip().to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
        table[column] = pd.Series(values, dtype="str").replace("", pd.NA)
    table["name"] = village_keys(table["village"])
    table["place"] = [_place_name(*place) for place in table[IDENTITY_COLUMNS].itertuples(index=False)]
    return table


def _place_name(county: object, township: object, village: object, code: object) -> str:
    written = "".join(part for part in (county, township, village) if isinstance(part, str)) or "(no name)"
    return f"{written} ({code})" if isinstance(code, str) else written


def _one_to_one(candidates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Candidate (journal, statement) row pairs split into the one-to-one ones and the ambiguous journal rows."""
    per_journal = candidates.groupby("row_journal")["row_statement"].transform("size")
    per_statement = candidates.groupby("row_statement")["row_journal"].transform("size")
    unique = per_journal.eq(1) & per_statement.eq(1)
    pairs = candidates.loc[unique, ["row_journal", "row_statement"]].set_axis(["journal_row", "statement_row"], axis=1)
    contested = candidates.loc[~unique]
    ambiguous = []
    for row, group in contested.groupby("row_journal", sort=True):
        first = group.iloc[0]
        places = sorted(set(group["place_statement"]))
        rivals = sorted(
            set(
                candidates.loc[
                    candidates["row_statement"].isin(group["row_statement"]) & candidates["row_journal"].ne(row),
                    "place_journal",
                ]
            )
        )
        why = (
            f"could be any of {len(places)} villages in the statements ({', '.join(places)})"
            if len(places) > 1
            else f"could be the statements' {places[0]}, but so could the journal's {', '.join(rivals)}"
        )
        ambiguous.append(
            {
                "journal_row": row,
                "reason": (
                    f"{first['place_journal']} {first['year_journal']} in the journal {why}, "
                    "so it is compared with none. "
                    "Clean the journals with the village register (--register) so that both sides have village "
                    "codes, or write the county and township in each journal's title"
                ),
            }
        )
    return pairs, pd.DataFrame(ambiguous, columns=["journal_row", "reason"])
