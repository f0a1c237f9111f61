"""A journal partition as the parquet set stores it: amounts as text, as an export writes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from villagecon.journal import PARQUET_COLUMNS

__all__ = ["arrow_table"]


def arrow_table(rows: pd.DataFrame) -> pa.Table:
    """The partition as the parquet set stores it: amounts as text, as an export writes them.

    Parameters
    ----------
    rows : DataFrame
        A partition's rows as :func:`~villagecon.sample.journal.books.partition` makes them (amounts in fen).

    Returns
    -------
    pyarrow.Table
        The columns :data:`~villagecon.journal.PARQUET_COLUMNS`.
    """
    is_line = rows["kind"].eq("line").to_numpy()
    debit = rows["debit"].to_numpy().astype(np.int64)
    credit = rows["credit"].to_numpy().astype(np.int64)
    balance = rows["balance"].to_numpy().astype(np.int64)
    # A book in three writes thousands with commas (1,234.50); the rest plainly.
    commas = (rows["book_id"].to_numpy() % 3) == 0
    show_debit = (debit != 0) | (is_line & (credit == 0))
    show_credit = credit != 0
    texts = {}
    for name, values, shown in (
        ("debit", debit, show_debit),
        ("credit", credit, show_credit),
        ("balance", balance, np.ones(len(rows), dtype=bool)),
    ):
        text = _amount_texts(values, commas)
        written = rows.get(f"written_{name}")
        if written is not None and written.notna().any():
            override = written.notna().to_numpy()
            text = pc.if_else(
                pa.array(override),
                # from_pandas: a text column of pandas' string dtype holds NaN, not None, where nothing was written
                pa.array(written.where(override, None).to_numpy(dtype=object), type=pa.string(), from_pandas=True),
                text,
            )
        texts[name] = pc.if_else(pa.array(shown), text, pa.scalar(None, pa.string()))
    columns = {
        "township": pa.array(rows["township"].to_numpy(dtype=object), pa.string()),
        "village": pa.array(rows["village_name"].to_numpy(dtype=object), pa.string()),
        "village_code": pa.array(rows["village_code"].to_numpy(dtype=object), pa.string()),
        "book": pa.array(rows["book_name"].to_numpy(dtype=object), pa.string()),
        "month": pa.array(rows["month"].astype("Int8").array),
        "day": pa.array(pd.to_numeric(rows["day"]).astype("Int8").array),
        "voucher": pa.array(rows["voucher"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "summary": pa.array(rows["summary"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "counter_account": pa.array(rows["counter_account"].to_numpy(dtype=object), pa.string(), from_pandas=True),
        "debit": texts["debit"],
        "credit": texts["credit"],
        "balance": texts["balance"],
        "line": pa.array(rows["line"].to_numpy().astype(np.int32)),
    }
    return pa.table({name: columns[name] for name in PARQUET_COLUMNS})


def _amount_texts(fen: np.ndarray, commas: np.ndarray) -> pa.Array:
    """Fen as text with two decimals (``1234.50``), with thousands commas (``1,234.50``) where ``commas``."""
    yuan = np.abs(fen) // 100
    cents = pc.utf8_lpad(pc.cast(pa.array(np.abs(fen) % 100), pa.string()), 2, "0")
    plain = pc.cast(pa.array(yuan), pa.string())
    millions, thousands, units = yuan // 1_000_000, (yuan // 1000) % 1000, yuan % 1000

    def padded(values: np.ndarray) -> pa.Array:
        return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), 3, "0")

    grouped = pc.if_else(
        pa.array(yuan >= 1_000_000),
        pc.binary_join_element_wise(pc.cast(pa.array(millions), pa.string()), padded(thousands), padded(units), ","),
        pc.if_else(
            pa.array(yuan >= 1000),
            pc.binary_join_element_wise(pc.cast(pa.array(thousands), pa.string()), padded(units), ","),
            plain,
        ),
    )
    whole = pc.if_else(pa.array(commas), grouped, plain)
    text = pc.binary_join_element_wise(whole, cents, ".")
    return pc.if_else(pa.array(fen < 0), pc.binary_join_element_wise(pa.scalar("-"), text, ""), text)
