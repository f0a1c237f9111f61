"""Writing outputs that cannot hurt: atomic files, escaped text, safe names, locked and staged folders.

Reports go to the city leadership and tables are opened in Excel, so what villagecon writes
must be complete or absent (never half a file, never a mix of two runs), must not run as a
spreadsheet formula when opened, and must stay inside the folder the user chose whatever
village or county names the data hold.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_atomic(path: Path, write) -> Path:
    """Write a file through ``write(temp_path)`` then rename it into place.

    A crash mid-write leaves the previous file complete; readers never see half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# Text a spreadsheet would run as a formula or command (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``= + - @``, tab or carriage return gets a leading ``'``
    (Excel's own marker for "this is text"); numbers stay numbers.
    """
    escaped = table.copy()
    for column in escaped.columns:
        values = escaped[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
            if risky.any():
                escaped[column] = values.astype(object).where(~risky, "'" + values.astype("str"))
    return escaped
