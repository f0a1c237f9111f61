"""Which line item a journal line is: by its 对方科目, else by the words of its 摘要.

Lines whose 对方科目 is a transfer between cash and bank, a balance-sheet account, or unknown get no
item; the spellings are in :mod:`villagecon.vocab.journal_items`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from villagecon.journal.row_kinds import arrow_text, numpy_bool
from villagecon.vocab import labels
from villagecon.vocab.journal_items import (
    BALANCE_SHEET,
    EXPENSE,
    INCOME,
    ITEMS_BEFORE_NEW_SYSTEM,
    ITEMS_FROM_NEW_SYSTEM,
    NEW_SYSTEM_FROM,
    SUMMARY_ITEM_PATTERNS,
    TRANSFER,
    UNMAPPED,
    counter_account_of,
)

__all__ = ["items_of_lines"]

log = logging.getLogger(__name__)


def items_of_lines(
    raw: pd.DataFrame, data: np.ndarray, debit: np.ndarray, credit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, counter-account kind and where it came from, for the lines (missing elsewhere).

    The 对方科目 decides; it is looked up once per distinct spelling. Where it is blank, the 摘要's words
    (:data:`~villagecon.vocab.journal_items.SUMMARY_ITEM_PATTERNS`) decide, run by Arrow over those lines
    only, receipts and payments apart; an item so found is moved to the accounting system in force
    that year.

    Parameters
    ----------
    raw : DataFrame
        Raw rows (:func:`~villagecon.journal.columns.as_raw`): ``counter_account``, ``summary``, ``year``.
    data : numpy.ndarray
        True for the rows that are lines (kind ``data``).
    debit, credit : numpy.ndarray
        借方 and 贷方 in yuan, NaN where blank.

    Returns
    -------
    (item, kind, source) : tuple of numpy.ndarray
        Object arrays: the canonical line item or None; ``income``, ``expense``, ``transfer``,
        ``balance_sheet`` or ``unmapped``; ``对方科目`` or ``摘要`` (None where neither told).
    """
    n = len(raw)
    item = np.full(n, None, dtype=object)
    kind = np.full(n, None, dtype=object)
    source = np.full(n, None, dtype=object)
    if not data.any():
        return item, kind, source
    codes, distinct = pd.factorize(raw["counter_account"].astype("str").str.strip())
    looked_up = [counter_account_of(name) for name in distinct]
    distinct_items = np.array([i for i, _ in looked_up] + [None], dtype=object)
    distinct_kinds = np.array([k for _, k in looked_up] + [""], dtype=object)
    item[data] = distinct_items[codes[data]]
    kind[data] = distinct_kinds[codes[data]]
    source[data & (kind != "")] = "对方科目"

    by_summary = np.flatnonzero(data & (kind == ""))
    kind[by_summary] = UNMAPPED
    if len(by_summary):
        summaries = arrow_text(raw["summary"].iloc[by_summary])
        receipt = ~np.isnan(debit[by_summary]) & (debit[by_summary] != 0)
        for side, rows in (("receipt", receipt), ("payment", ~receipt)):
            todo = np.ones(len(by_summary), dtype=bool) & rows
            for pattern, meaning in SUMMARY_ITEM_PATTERNS[side]:
                hit = todo & numpy_bool(pc.match_substring_regex(summaries, pattern))
                at = by_summary[hit]
                if meaning in (TRANSFER, BALANCE_SHEET):
                    kind[at] = meaning
                else:
                    item[at] = meaning
                    kind[at] = INCOME if meaning in labels.INCOME_ITEMS else EXPENSE
                source[at] = "摘要"
                todo &= ~hit
        # A 摘要 names what happened, not the account of one system: move it to the system in force.
        years = raw["year"].to_numpy()[by_summary]
        from_summary = source[by_summary] == "摘要"
        for remap, in_years in (
            (ITEMS_BEFORE_NEW_SYSTEM, years < NEW_SYSTEM_FROM),
            (ITEMS_FROM_NEW_SYSTEM, years >= NEW_SYSTEM_FROM),
        ):
            for old, new in remap.items():
                at = by_summary[from_summary & in_years & (item[by_summary] == old)]
                item[at] = new
                kind[at] = INCOME if new in labels.INCOME_ITEMS else EXPENSE
    return item, kind, source
