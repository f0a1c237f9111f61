"""The columns of the tables a :class:`~villagecon.ingest.ledger.Ledger` holds, the status of each sheet, and
the reject rows every step of the ledger writes the same way."""

from __future__ import annotations

import pandas as pd

from villagecon.parse.cell_text import as_text
from villagecon.schemas import ENTRY_COLUMNS, REJECT_COLUMNS, SKIPPED_COLUMNS

__all__ = [
    "ENTRY_COLUMNS",
    "HIDDEN",
    "NOT_A_LEDGER",
    "PART_YEAR_COLUMNS",
    "READ",
    "REJECT_COLUMNS",
    "REPEATED_COLUMNS",
    "SHEET_COLUMNS",
    "SKIPPED_COLUMNS",
    "SUBTOTAL_COLUMNS",
    "UNREADABLE",
    "as_rejects",
    "yuan_text",
]

SUBTOTAL_COLUMNS = (
    "source",
    "cell",
    "column",
    "year",
    "item",
    "value",
    "amount_yuan",
    "parts",
    "parts_sum",
    "difference",
    "status",
)
SHEET_COLUMNS = ("file", "sheet", "hidden", "status")
REPEATED_COLUMNS = ("source", "cell", "amount_yuan", "repeats")
PART_YEAR_COLUMNS = ("county", "township", "village", "village_code", "year", "periods")
# Why a sheet was not read: hidden by its workbook, holding no ledger, or not understood (an error).
HIDDEN, NOT_A_LEDGER, UNREADABLE = "hidden", "not_a_ledger", "unreadable"
READ = "read"


def as_rejects(cells: pd.DataFrame) -> pd.DataFrame:
    if cells.empty:
        return pd.DataFrame(columns=list(REJECT_COLUMNS))
    return pd.DataFrame(
        {
            "source": cells["source"].to_numpy(),
            "cell": cells["cell"].to_numpy(),
            "column": cells["column"].to_numpy(),
            "value": cells["value"].map(as_text).to_numpy(),
            "problem": cells["problem"].to_numpy(),
            "reason": cells["reason"].to_numpy(),
        }
    )


def yuan_text(amount: float) -> str:
    return f"{amount:,.2f} 元"
