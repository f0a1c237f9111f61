"""Which data rows each subtotal row of a table sums (its coverage), checked later against their amounts.

A 小计 sums the data rows since the previous subtotal (or, standing above its block, until the next one); a
合计 or 总计 every data row of the table; a township's row the villages of that township. Running totals of a
明细账 (本月合计, 本年累计, 承前页) and 其中 rows are listed with the subtotals but not checked.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from villagecon.ingest.places import COUNTY, split_place_name
from villagecon.ingest.words import SUBTOTAL_PATTERN
from villagecon.vocab.names import map_distinct, village_key

# Running totals of a 明细账 (本月合计, 本年累计, 承前页): listed with the subtotals, not checked.
_RUNNING_TOTAL = r"本月合计|本月小计|本年累计|累计|承前页|过次页"
# A subtotal of the block of rows above (or under) it, not of the whole table: 小计, 全镇合计, 濠头乡合计.
_BLOCK_TOTAL = r"小计|^全(?:镇|乡|街道)|^[^合总计]+?(?:镇|乡|街道)(?:合计|总计)"


def no_coverage() -> pd.DataFrame:
    """An empty coverage table (``subtotal_row``, ``row``, both int64).

    Returns
    -------
    DataFrame
    """
    return _NO_COVERAGE.copy()


def subtotal_coverage(kinds: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Which data rows each subtotal row sums: a 小计 the rows since the previous subtotal (or, standing above
    its block, until the next one); a 合计 or 总计 every data row of the table.

    Parameters
    ----------
    kinds : Series of str
        Each body row's kind (``data``, ``subtotal``, …), indexed by row number.
    labels : Series of str
        Each row's label (小计, 合计, 本月合计, …), indexed like ``kinds``.

    Returns
    -------
    DataFrame
        ``subtotal_row``, ``row``: one line per data row a subtotal row sums (running totals such as 本月合计
        and 其中 rows are not checked, so have none).
    """
    subtotal_rows = kinds.index[kinds.eq("subtotal")]
    data_rows = kinds.index[kinds.eq("data")]
    pairs = []
    for position, row in enumerate(subtotal_rows):
        label = labels.get(row, "") or ""
        if re.search(_RUNNING_TOTAL, label) or label.startswith("其中"):
            continue  # a month's total, a part of the rows: not checked
        if re.search(_BLOCK_TOTAL, label):
            pairs.append((row, _block(subtotal_rows, data_rows, position)))
        else:
            pairs.append((row, data_rows))
    return _pairs(pairs)


def _block(subtotal_rows, data_rows, position, *, above: bool = False) -> pd.Index:
    """The data rows a block subtotal sums: those since the previous subtotal row, or, for a subtotal that
    stands above its block (or has nothing above it), those until the next one."""
    row = subtotal_rows[position]
    previous = subtotal_rows[position - 1] if position else -1
    following = subtotal_rows[position + 1] if position + 1 < len(subtotal_rows) else np.inf
    before = data_rows[(data_rows > previous) & (data_rows < row)]
    after = data_rows[(data_rows > row) & (data_rows < following)]
    return after if above or before.empty else before


def _pairs(pairs) -> pd.DataFrame:
    """(subtotal row, the rows it sums) pairs as one frame of subtotal_row, row."""
    blocks = [np.asarray(block, dtype="int64") for _, block in pairs]
    subtotal_rows = [np.full(len(block), row, dtype="int64") for (row, _), block in zip(pairs, blocks, strict=True)]
    return pd.DataFrame(
        {
            "subtotal_row": np.concatenate([np.empty(0, dtype="int64"), *subtotal_rows]),
            "row": np.concatenate([np.empty(0, dtype="int64"), *blocks]),
        }
    )


_NO_COVERAGE = _pairs([])  # copied for each table: copying costs less than building


def entity_coverage(
    kinds: pd.Series,
    labels: pd.Series,
    townships: pd.Series,
    place_rows: pd.Series,
    level: pd.Series,
    *,
    has_township: bool,
    above: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage in a table of villages. A township's row sums the villages of that township (its 乡镇 column,
    else the block under or above it); where the table holds no villages at all (a summary by township), it
    sums that township's villages wherever they were read, and is listed in ``summaries``.

    Parameters
    ----------
    kinds, labels : Series of str
        Each body row's kind and label, indexed by row number.
    townships : Series
        Each row's township (None where none is known).
    place_rows : Series
        The place a township's (or county's) own row names, None for other rows.
    level : Series
        Each row's place level (:mod:`villagecon.ingest.places`), None where it names no place.
    has_township : bool
        The table has a 乡镇 column: a township's row sums the villages that name it.
    above : bool
        Township rows stand above their villages (else under them, like a 小计).

    Returns
    -------
    coverage : DataFrame
        ``subtotal_row``, ``row``.
    summaries : DataFrame
        ``subtotal_row``, ``summary``: rows summing villages read elsewhere (``township:濠头乡``).
    """
    subtotal_rows = kinds.index[kinds.eq("subtotal")]
    data_rows = kinds.index[kinds.eq("data")]
    pairs, summaries, totals = [], [], []
    # Each value's type compared with str; pandas-stubs take no type object as an operand.
    township_keys = map_distinct(townships.where(townships.map(type).eq(str)), village_key)  # type: ignore[arg-type]
    for position, row in enumerate(subtotal_rows):
        label = labels.get(row, "") or ""
        place = place_rows.get(row)
        if re.search(_RUNNING_TOTAL, label) or label.startswith("其中"):
            continue  # a month's total, a part of the rows: not checked
        if isinstance(place, str) and not re.search(SUBTOTAL_PATTERN, label):
            if data_rows.empty:
                county, township, _ = split_place_name(place)
                scope = f"county:{county or place}" if level.get(row) == COUNTY else f"township:{township or place}"
                summaries.append({"subtotal_row": row, "summary": scope})
                continue
            if has_township:
                block = data_rows[township_keys.loc[data_rows].eq(village_key(place)).to_numpy()]
            else:
                block = _block(subtotal_rows, data_rows, position, above=above)
            pairs.append((row, block))
        elif re.search(_BLOCK_TOTAL, label):
            pairs.append((row, _block(subtotal_rows, data_rows, position)))
        elif (
            has_township
            and isinstance(townships.get(row), str)
            and not re.search(SUBTOTAL_PATTERN, re.sub(r"[\s\u3000]+", "", townships[row]))
        ):
            # 土桥镇 | 合计: the total of that township's villages.
            same = township_keys.loc[data_rows].eq(village_key(townships[row])).to_numpy()
            pairs.append((row, data_rows[same]))
        elif len(data_rows):
            pairs.append((row, data_rows))  # 合计/总计: every village of the table
        else:
            totals.append(row)
    # A summary's 合计 sums the villages of every place the summary lists.
    if totals and summaries:
        places = "|".join(s["summary"] for s in summaries)
        summaries += [{"subtotal_row": row, "summary": places} for row in totals]
    return _pairs(pairs), pd.DataFrame(summaries, columns=["subtotal_row", "summary"])


__all__ = ["entity_coverage", "no_coverage", "subtotal_coverage"]
