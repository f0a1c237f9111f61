"""Which data rows each subtotal row of a table sums (its coverage), checked later against their amounts.

A 小计 sums the data rows since the previous subtotal (or, standing above its block, until the next one); a
合计 or 总计 every data row of the table; a township's row the villages of that township. Running totals of a
明细账 (本月合计, 本年累计, 承前页) and 其中 rows are listed with the subtotals but not checked.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from villagecon.ingest.cells import SHORT_COLUMN
from villagecon.ingest.places import COUNTY, split_place_name
from villagecon.ingest.words import SUBTOTAL_PATTERN
from villagecon.vocab.names import village_key

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
    return coverage_frame(
        subtotal_pairs(
            kinds.index.to_numpy(),
            kinds.to_numpy(dtype=object),
            labels.reindex(kinds.index, fill_value="").to_numpy(dtype=object),
        )
    )


def subtotal_pairs(rows: np.ndarray, kinds: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`subtotal_coverage` on arrays aligned with ``rows`` (the body's row numbers).

    Parameters
    ----------
    rows : ndarray of int
        The body's row numbers.
    kinds, labels : ndarray of str
        Each row's kind and label, by position.

    Returns
    -------
    subtotal_row, row : ndarray of int64
        One pair per data row a subtotal row sums (see :func:`coverage_frame`).
    """
    is_subtotal = kinds == "subtotal"
    subtotal_rows, data_rows = rows[is_subtotal], rows[kinds == "data"]
    pairs = []
    for position, (row, label) in enumerate(zip(subtotal_rows, labels[is_subtotal], strict=True)):
        label = label or ""
        if _RUNNING.search(label) or label.startswith("其中"):
            continue  # a month's total, a part of the rows: not checked
        if _BLOCK.search(label):
            pairs.append((row, _block(subtotal_rows, data_rows, position)))
        else:
            pairs.append((row, data_rows))
    return _pair_arrays(pairs)


def _block(subtotal_rows: np.ndarray, data_rows: np.ndarray, position: int, *, above: bool = False) -> np.ndarray:
    """The data rows a block subtotal sums: those since the previous subtotal row, or, for a subtotal that
    stands above its block (or has nothing above it), those until the next one."""
    row = subtotal_rows[position]
    previous = subtotal_rows[position - 1] if position else -1
    following = subtotal_rows[position + 1] if position + 1 < len(subtotal_rows) else np.inf
    before = data_rows[(data_rows > previous) & (data_rows < row)]
    after = data_rows[(data_rows > row) & (data_rows < following)]
    return after if above or not len(before) else before


def _pair_arrays(pairs) -> tuple[np.ndarray, np.ndarray]:
    """(subtotal row, the rows it sums) pairs as two aligned int64 arrays."""
    blocks = [np.asarray(block, dtype="int64") for _, block in pairs]
    subtotal_rows = [np.full(len(block), row, dtype="int64") for (row, _), block in zip(pairs, blocks, strict=True)]
    return (
        np.concatenate([np.empty(0, dtype="int64"), *subtotal_rows]),
        np.concatenate([np.empty(0, dtype="int64"), *blocks]),
    )


def coverage_frame(pairs: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    """Coverage pairs (subtotal rows, the rows they sum) as the frame :func:`subtotal_coverage` returns.

    Parameters
    ----------
    pairs : tuple of ndarray
        ``subtotal_row`` and ``row``, aligned.

    Returns
    -------
    DataFrame
        ``subtotal_row``, ``row`` (int64).
    """
    return pd.DataFrame({"subtotal_row": pairs[0].astype("int64"), "row": pairs[1].astype("int64")})


_SUMMARY_COLUMNS = ["subtotal_row", "summary"]
_NO_SUMMARIES = pd.DataFrame([], columns=_SUMMARY_COLUMNS)
_NO_COVERAGE = coverage_frame(_pair_arrays([]))  # copied for each table: copying costs less than building
_RUNNING, _BLOCK, _SUBTOTAL = re.compile(_RUNNING_TOTAL), re.compile(_BLOCK_TOTAL), re.compile(SUBTOTAL_PATTERN)
_SPACES = re.compile(r"[\s\u3000]+")


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
    index = kinds.index

    def aligned(values: pd.Series) -> np.ndarray:
        # Each row's value as Series.get(row) reads it (a row the Series lacks: missing, read as no place).
        return values.reindex(index).to_numpy(dtype=object)

    pairs, summaries = entity_pairs(
        index.to_numpy(),
        kinds.to_numpy(dtype=object),
        labels.reindex(index, fill_value="").to_numpy(dtype=object),
        aligned(townships),
        aligned(place_rows),
        aligned(level),
        has_township=has_township,
        above=above,
    )
    return coverage_frame(pairs), summaries


def _township_keys(townships: np.ndarray) -> np.ndarray:
    """Each township's village key (濠头乡 → 濠头), None where no township is written; once per distinct name."""
    if len(townships) > SHORT_COLUMN:
        codes, distinct = pd.factorize(townships)  # a missing township: -1, the None after the others
        keyed = np.empty(len(distinct) + 1, dtype=object)
        keyed[:] = [village_key(t) if type(t) is str else None for t in distinct] + [None]
        return keyed[codes]
    keys: dict[str, str] = {}
    return np.array(
        [keys[t] if t in keys else keys.setdefault(t, village_key(t)) if type(t) is str else None for t in townships],
        dtype=object,
    ).reshape(-1)


def entity_pairs(
    rows: np.ndarray,
    kinds: np.ndarray,
    labels: np.ndarray,
    townships: np.ndarray,
    place_rows: np.ndarray,
    level: np.ndarray,
    *,
    has_township: bool,
    above: bool = False,
) -> tuple[tuple[np.ndarray, np.ndarray], pd.DataFrame]:
    """:func:`entity_coverage` on object arrays aligned with ``rows`` (the body's row numbers).

    Parameters
    ----------
    rows : ndarray of int
        The body's row numbers.
    kinds, labels, townships, place_rows, level : ndarray
        As :func:`entity_coverage` takes them, by position.
    has_township, above : bool
        As :func:`entity_coverage` takes them.

    Returns
    -------
    pairs : tuple of ndarray
        ``subtotal_row``, ``row`` (see :func:`coverage_frame`).
    summaries : DataFrame
        ``subtotal_row``, ``summary``.
    """
    is_subtotal, is_data = kinds == "subtotal", kinds == "data"
    subtotal_at = np.flatnonzero(is_subtotal)
    subtotal_rows, data_rows = rows[is_subtotal], rows[is_data]
    pairs, summaries, totals = [], [], []
    township_keys = _township_keys(townships)
    data_keys = township_keys[is_data]
    for position, at in enumerate(subtotal_at):
        row, label, place = subtotal_rows[position], labels[at] or "", place_rows[at]
        if _RUNNING.search(label) or label.startswith("其中"):
            continue  # a month's total, a part of the rows: not checked
        if isinstance(place, str) and not _SUBTOTAL.search(label):
            if not len(data_rows):
                county, township, _ = split_place_name(place)
                scope = f"county:{county or place}" if level[at] == COUNTY else f"township:{township or place}"
                summaries.append({"subtotal_row": row, "summary": scope})
                continue
            if has_township:
                block = data_rows[data_keys == village_key(place)]
            else:
                block = _block(subtotal_rows, data_rows, position, above=above)
            pairs.append((row, block))
        elif _BLOCK.search(label):
            pairs.append((row, _block(subtotal_rows, data_rows, position)))
        elif (
            has_township
            and isinstance(township := townships[at], str)
            and not _SUBTOTAL.search(_SPACES.sub("", township))
        ):
            # 土桥镇 | 合计: the total of that township's villages.
            pairs.append((row, data_rows[data_keys == village_key(township)]))
        elif len(data_rows):
            pairs.append((row, data_rows))  # 合计/总计: every village of the table
        else:
            totals.append(row)
    # A summary's 合计 sums the villages of every place the summary lists.
    if totals and summaries:
        places = "|".join(s["summary"] for s in summaries)
        summaries += [{"subtotal_row": row, "summary": places} for row in totals]
    # (none: the empty frame copied, which costs less than building one from no records)
    return _pair_arrays(pairs), (
        pd.DataFrame(summaries, columns=_SUMMARY_COLUMNS) if summaries else _NO_SUMMARIES.copy()
    )


__all__ = ["coverage_frame", "entity_coverage", "entity_pairs", "no_coverage", "subtotal_coverage", "subtotal_pairs"]
