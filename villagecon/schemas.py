"""pandera schemas of the canonical tables, checked where the cleaner hands them out.

A failure here is a bug in villagecon, not in the ledger (bad cells become
rejects before this point), so it raises with every failing check listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from villagecon.errors import VillageconError
from villagecon.vocab import labels
from villagecon.vocab.periods import KINDS


def _fully_matches(pattern: str) -> pa.Check:
    """Like ``Check.str_matches`` but run by Arrow's RE2 over the column (pandas runs it row by row in Python)."""
    anchored = f"^(?:{pattern})$"

    def check(column: pd.Series) -> pd.Series:
        found = pc.match_substring_regex(pyarrow.array(column.astype("str").array), anchored)
        return pd.Series(np.asarray(pc.fill_null(found, False)), index=column.index)

    return pa.Check(check, name="fully_matches", error=f"fully matches {pattern}")


_AMOUNT = pa.Column("float64", nullable=True)
_YEAR = pa.Column("int64", pa.Check.in_range(1949, 2100))
# Where and when: the first columns of both tables.
_VILLAGE_YEAR = {
    "county": pa.Column(str, nullable=True),
    "township": pa.Column(str, nullable=True),
    "village": pa.Column(str),
    "village_code": pa.Column(str, _fully_matches(r"\d+"), nullable=True),
    "year": _YEAR,
}
# file!sheet!row; a file or sheet name may hold a "!" itself (Excel allows it), so only the row is fixed.
_SOURCE = pa.Column(str, _fully_matches(r".+!.*!\d+"))

ENTRIES = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        "period": pa.Column(str, _fully_matches(r"\d{4}(?:-\d{2}(?:-\d{2}|/\d{4}-\d{2})?)?")),
        "kind": pa.Column(str, pa.Check.isin(list(KINDS))),
        "item": pa.Column(str, pa.Check.isin(list(labels.ENTRY_ITEMS))),
        "detail": pa.Column(str, nullable=True),
        "amount_yuan": pa.Column("float64"),
        "approx": pa.Column(bool),
        "written": pa.Column(str, nullable=True),
        "source": _SOURCE,
        "cell": pa.Column(str, _fully_matches(r"[A-Z]+\d+")),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="entries",
)

ACCOUNTS = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        **{item: _AMOUNT for item in labels.ACCOUNT_ITEMS},
        **{measure: _AMOUNT for measure in labels.DERIVED_MEASURES},
        "assets": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "liabilities": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "approx": pa.Column(bool),
        "written_totals": pa.Column(str),
    },
    # Without a register, villages of one name in different places are told apart by their places.
    checks=pa.Check(
        lambda df: ~df.duplicated(["county", "township", "village_code", "village", "year"]),
        error="one row per village and year",
    ),
    strict=True,
    ordered=True,
    coerce=True,
    name="accounts",
)


def _validate(schema: pa.DataFrameSchema, table: pd.DataFrame) -> pd.DataFrame:
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases[["column", "check", "failure_case"]].head(10).to_string(index=False)
        raise VillageconError(
            f"the {schema.name} table breaks its schema (a villagecon bug; please report it "
            f"with the input files):\n{cases}"
        ) from None


def validate_entries(entries: pd.DataFrame) -> pd.DataFrame:
    """Check (and coerce) the long entries table."""
    return _validate(ENTRIES, entries)


def validate_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Check (and coerce) the village-year accounts table."""
    return _validate(ACCOUNTS, accounts)
