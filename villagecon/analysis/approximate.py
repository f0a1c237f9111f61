"""Which measures rest on an amount the ledger wrote approximately (40余万元): reported items and the measures
computed from them (:data:`MEASURE_PARTS`).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from villagecon.analysis.accounts import measure_values
from villagecon.vocab import items
from villagecon.vocab.periods import actuals
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["MEASURE_PARTS", "mark_approximate_measure"]

log = logging.getLogger(__name__)

# What each total or derived measure is computed from when the ledger does not report it, under either
# accounting system (villagecon.vocab.items): it is approximate when one of its parts is.
MEASURE_PARTS = {measure: items.all_parts(measure) for measure in items.MEASURES}


@accepts_measure_names("measure")
def mark_approximate_measure(
    accounts: pd.DataFrame, entries: pd.DataFrame, *, measure: str = "total_income"
) -> pd.DataFrame:
    """Mark the village-years whose ``measure`` rests on an amount the ledger wrote approximately (40余万元).

    The accounts' own ``approx`` says whether *any* amount of the village-year was approximate;
    this says it of one measure: a reported item is approximate when its entry is; a total the
    ledger did not report, and a derived measure (经营性收入, 经营收益), when one of its parts
    (:data:`MEASURE_PARTS`) is.

    Parameters
    ----------
    accounts : DataFrame
        Village-year accounts (``Ledger.accounts``).
    entries : DataFrame
        The amounts they were built from (``Ledger.entries``: item, detail, approx, and the
        place and year columns).
    measure : str
        One of :data:`INCOME_MEASURES`.

    Returns
    -------
    DataFrame
        A copy of ``accounts`` with ``<measure>_approx`` (bool; False where no entry says so).
    """
    measure_values(accounts, measure)
    keys = _shared_keys(accounts, entries)
    entries = actuals(entries)
    main = entries.loc[entries["detail"].isna()] if "detail" in entries else entries
    flags = main.pivot_table(index=keys, columns="item", values="approx", aggfunc="any")

    def approximate(item: str) -> pd.Series:
        reported = flags[item] if item in flags else pd.Series(np.nan, index=flags.index, dtype="object")
        if item not in MEASURE_PARTS:
            return reported.fillna(False).astype(bool)
        from_parts = pd.concat([approximate(part) for part in MEASURE_PARTS[item]], axis=1).any(axis=1)
        return reported.where(reported.notna(), from_parts).astype(bool)

    if not len(flags):
        return accounts.assign(**{f"{measure}_approx": False})
    name = f"{measure}_approx"
    flag = approximate(measure).rename(name)
    joined = accounts[keys].join(flag, on=keys)[name].fillna(False).astype(bool)
    return accounts.assign(**{name: joined.to_numpy()})


def _shared_keys(accounts: pd.DataFrame, entries: pd.DataFrame) -> list[str]:
    """The columns that tell a village-year apart in both tables: its code when every row has one, else the place
    columns that either table fills (a township's own ledger may have no 县 or 乡镇 column at all)."""
    if all("village_code" in t and t["village_code"].notna().all() for t in (accounts, entries)):
        return ["village_code", "year"]
    return [
        c
        for c in ("county", "township", "village", "year")
        if c in accounts and c in entries and (accounts[c].notna().any() or entries[c].notna().any())
    ]
