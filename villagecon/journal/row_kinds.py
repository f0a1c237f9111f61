"""Rows that repeat what is above them: 上年结转, 本月合计, 本年累计, 承前页/过次页, 结转下年.

A journal's 摘要 names them; they are recognised here (whatever the spacing, brackets, width or
traditional characters) so that :func:`~villagecon.journal.clean_rows.clean_journal_frame` never adds
them again. Also the two Arrow helpers the cleaning shares.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["REPEATED_ROWS", "arrow_text", "labels_of", "numpy_bool", "repeated_row_kinds", "repeated_row_text"]

log = logging.getLogger(__name__)

# Rows that repeat what is above them, by their 摘要 (the whole cell, so that a line whose 摘要 merely
# mentions 上年结转 stays a line), matched on the normalised 摘要 (:func:`repeated_row_text`).
REPEATED_ROWS = {
    "opening": r"上年结转|上年结余|年初余额|期初余额|上年余额|承上年|上年转入",
    "month_total": r"本月合计|本月发生额合计|本月小计|本月累计|"
    r"(?:0?[1-9]|1[0-2]|十[一二]|[一二三四五六七八九十])月份?(?:合计|小计|发生额合计)",  # 1月合计
    "year_total": r"本年累计|本年合计|本年发生额累计|本年累计发生额",
    "carried": r"承前页|过次页|转次页|承上页|接上页|转下页|过下页|上月结转|月初余额",
    "closing": r"结转下年|年末余额|结转下期|期末余额",
}
_REPEATED_PATTERNS = {kind: rf"^(?:{words})数?$" for kind, words in REPEATED_ROWS.items()}
# Traditional characters (and the variant 馀) of those words, read as the simplified ones.
_TRADITIONAL = {
    "計": "计",
    "頁": "页",
    "過": "过",
    "轉": "转",
    "結": "结",
    "餘": "余",
    "馀": "余",
    "額": "额",
    "發": "发",
}
# Every word of REPEATED_ROWS has one of these (⾴, a Kangxi radical, becomes 頁 under NFKC): 摘要 without
# any are lines, and are not normalised at all.
_REPEATED_ROW_CHARACTERS = "[计页结余转承" + "".join(_TRADITIONAL) + r"\x{2FB4}]"


def repeated_row_text(summary: pa.Array) -> pa.Array:
    """摘要 as matched against :data:`REPEATED_ROWS`.

    NFKC (full-width forms), no whitespace (U+3000 included), no punctuation or brackets around it,
    traditional characters as simplified: ``本 月 合 计``, ``【本月合计】``, ``本月合计：`` and ``本月合計``
    all become ``本月合计``.

    Parameters
    ----------
    summary : pyarrow.Array
        摘要 as written (nulls allowed).

    Returns
    -------
    pyarrow.Array
        The normalised text, null where ``summary`` is.
    """
    text = pc.utf8_normalize(summary, "NFKC")
    text = pc.replace_substring_regex(text, r"[\s\p{Z}\x{200B}-\x{200D}\x{FEFF}]+", "")
    text = pc.replace_substring_regex(text, r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$", "")
    for traditional, simplified in _TRADITIONAL.items():
        text = pc.replace_substring(text, traditional, simplified)
    return text


def repeated_row_kinds(summary: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``data``, or the kind of repeated row (:data:`REPEATED_ROWS`) each 摘要 names.

    Only 摘要 with a character of those words are normalised, each distinct spelling once.

    Parameters
    ----------
    summary : pyarrow.Array or pyarrow.ChunkedArray
        摘要 as written, one per row.

    Returns
    -------
    numpy.ndarray
        Object array: ``opening``, ``month_total``, ``year_total``, ``carried``, ``closing`` or ``data``.
    """
    kind = np.full(len(summary), "data", dtype=object)
    candidates = np.flatnonzero(numpy_bool(pc.match_substring_regex(summary, _REPEATED_ROW_CHARACTERS)))
    if not len(candidates):
        return kind
    chosen = summary.take(pa.array(candidates))
    encoded = pc.dictionary_encode(chosen.combine_chunks() if isinstance(chosen, pa.ChunkedArray) else chosen)
    spellings = repeated_row_text(encoded.dictionary)
    spelling_kind = np.full(len(spellings), "data", dtype=object)
    for name, pattern in _REPEATED_PATTERNS.items():
        spelling_kind[numpy_bool(pc.match_substring_regex(spellings, pattern)) & (spelling_kind == "data")] = name
    kind[candidates] = spelling_kind[encoded.indices.to_numpy(zero_copy_only=False)]
    return kind


def arrow_text(values: pd.Series) -> pa.Array:
    """A text column as an Arrow large-string array (nulls where missing), for Arrow's regex kernels.

    Parameters
    ----------
    values : Series
        Text (or anything :meth:`~pandas.Series.astype` ``"str"`` reads).

    Returns
    -------
    pyarrow.Array
    """
    return (
        pa.array(values.astype("str").array, type=pa.large_string(), from_pandas=True)
        if len(values)
        else pa.array([], type=pa.large_string())
    )


def numpy_bool(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean array as a numpy one, null read as False.

    Parameters
    ----------
    array : pyarrow.Array or pyarrow.ChunkedArray
        Booleans, e.g. from ``pyarrow.compute.match_substring_regex``.

    Returns
    -------
    numpy.ndarray
        ``bool`` array of the same length.
    """
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def labels_of(kind: str) -> str:
    """The Chinese name of a repeated row kind (``labels_of("month_total") == "本月合计"``).

    Parameters
    ----------
    kind : str
        A kind of :data:`~villagecon.journal.columns.KINDS`.

    Returns
    -------
    str
        The name as a journal writes it; other kinds are returned as they are.
    """
    return {
        "opening": "上年结转",
        "month_total": "本月合计",
        "year_total": "本年累计",
        "carried": "承前页/过次页",
        "closing": "结转下年",
    }.get(kind, kind)
