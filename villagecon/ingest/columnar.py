"""Tables held as columns of numpy arrays while sheets are read, made into one DataFrame once, at the end.

A pandas DataFrame built for each table of each sheet, then concatenated, cost more than reading a small sheet
(issue 13): the reader keeps each table's cells, rows and columns as :data:`Columns` (a name → array mapping),
and :func:`stamped_frame` makes the pieces of every sheet one DataFrame, stamped with each piece's file and sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# A table as equal-length arrays, one per column, in the table's column order.
Columns: TypeAlias = dict[str, np.ndarray]


def no_columns(names: Sequence[str]) -> Columns:
    """An empty table of ``names`` (object arrays)."""
    return {name: np.empty(0, dtype=object) for name in names}


def column_count(columns: Columns) -> int:
    """How many rows ``columns`` holds."""
    return len(next(iter(columns.values()))) if columns else 0


def concat_columns(parts: Sequence[Columns], names: Sequence[str]) -> Columns:
    """The pieces one under the other, column by column (each piece has every name)."""
    parts = [part for part in parts if column_count(part)]
    if not parts:
        return no_columns(names)
    if len(parts) == 1:
        return {name: parts[0][name] for name in names}
    return {name: np.concatenate([part[name] for part in parts]) for name in names}


def stamped_frame(
    parts: Sequence[tuple[Columns, Mapping[str, Any]]], names: list[str], dtypes: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The pieces as one DataFrame of ``names``, each row given the columns its piece's stamp holds (file,
    sheet, …), every column built once from all pieces' arrays.

    A column's dtype is ``dtypes[name]`` where given, else what pandas infers from all the values together
    (strings and None: ``str``), not from each small piece, so it does not depend on which sheet came first.
    """
    parts = [(part, stamp) for part, stamp in parts if column_count(part)]
    if not parts:
        return pd.DataFrame(columns=names)
    lengths = [column_count(part) for part, _ in parts]
    own = [name for name in names if name not in parts[0][1]]
    whole: dict[str, Any] = {}
    for name in own:
        arrays = [part[name] for part, _ in parts]
        whole[name] = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
        if dtypes and name in dtypes:
            whole[name] = pd.Series(whole[name], dtype=dtypes[name], copy=False)
    for name in parts[0][1]:
        values = [stamp[name] for _, stamp in parts]
        if all(isinstance(value, str) for value in values):  # names: Arrow text taken per row, not inferred
            piece_of_row = np.repeat(np.arange(len(values)), lengths)
            whole[name] = pd.array(pa.array(values, type=pa.large_string()).take(piece_of_row), dtype="str")
        else:
            whole[name] = np.repeat(np.array(values, dtype=object if isinstance(values[0], str) else None), lengths)
    return pd.DataFrame({name: whole[name] for name in names if name in whole})


def joined_text(parts: Sequence[pd.Series], separator: str = "") -> pd.Series:
    """The parts' values joined row by row with ``separator`` (missing where a part is), as ``str``: what
    ``a + "!" + b`` gives, in one pass of Arrow rather than a pandas operation and an array per ``+``.

    Parameters
    ----------
    parts : sequence of Series
        Columns of one index: text as it is, integers in decimal, anything else as ``astype("str")`` writes it.
    separator : str
        What goes between two parts.

    Returns
    -------
    Series
        ``str``, with the first part's index.
    """
    arrays = [
        pc.cast(pa.array(part.to_numpy()), pa.large_string())
        if pd.api.types.is_integer_dtype(part.dtype) and not part.hasnans
        else pa.array(
            (part if isinstance(part.dtype, pd.StringDtype) else part.astype("str")).array, type=pa.large_string()
        )
        for part in parts
    ]
    joined = pc.binary_join_element_wise(*arrays, pa.scalar(separator, pa.large_string()))
    return pd.Series(pd.array(joined, dtype="str"), index=parts[0].index, copy=False)


__all__ = ["Columns", "column_count", "concat_columns", "joined_text", "no_columns", "stamped_frame"]
