"""The sizes past which a ledger file is refused unread, and the error that says so."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from villagecon.errors import LedgerFileError, Location, UsageError

__all__ = ["LIMIT_VARIABLES", "ReadLimits", "megabytes", "too_big", "too_many_cells"]

_MB = 1024 * 1024
# Each limit of ReadLimits and the environment variable that sets it.
LIMIT_VARIABLES = {
    "file_mb": "VILLAGECON_MAX_FILE_MB",
    "uncompressed_mb": "VILLAGECON_MAX_UNCOMPRESSED_MB",
    "cells": "VILLAGECON_MAX_CELLS",
}


@dataclass(frozen=True)
class ReadLimits:
    """Sizes past which a ledger file is refused instead of read.

    A county's ledgers are a few megabytes; these limits sit far above any real ledger
    and far below what would make the machine swap, so a damaged or hostile file gets a
    clear error instead. Raise one for a genuinely larger file: ``read_ledger(...,
    limits=ReadLimits(cells=50_000_000))``, ``villagecon clean --max-cells 50000000``, or
    the environment variable named below (read when a file is read, not at import).

    Attributes
    ----------
    file_mb : float
        Size of one file on disk, in MiB (``VILLAGECON_MAX_FILE_MB``, default 200).
    uncompressed_mb : float
        What an .xlsx/.xlsm says its parts unpack to, in MiB, checked before anything is
        unpacked (``VILLAGECON_MAX_UNCOMPRESSED_MB``, default 1000). A zip bomb declares
        far more than this; a part that unpacks past what it declares is refused by the reader.
    cells : int
        Cells of one file, each sheet counted as the rectangle from A1 to its last used row and
        column, which is what a reader fills in memory, and the sheets of a workbook together, as
        they are held at once (``VILLAGECON_MAX_CELLS``, default 20,000,000: Excel's 1,048,576
        rows × 19 columns). Checked from each sheet's XML before it is read.
    """

    file_mb: float = 200
    uncompressed_mb: float = 1000
    cells: int = 20_000_000

    def __post_init__(self):
        for name in LIMIT_VARIABLES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise UsageError(f"limit {name} must be a positive number, not {value!r}")

    @classmethod
    def from_environment(cls, **given: float | None) -> ReadLimits:
        """Limits from the arguments given (None: not given), else the environment, else the defaults."""
        chosen: dict[str, Any] = {}  # checked by __post_init__, which names a bad value
        for name, variable in LIMIT_VARIABLES.items():
            if given.get(name) is not None:
                chosen[name] = given[name]
            elif text := os.environ.get(variable, "").strip():
                try:
                    chosen[name] = int(text) if name == "cells" else float(text)
                except ValueError:
                    raise UsageError(f"environment variable {variable}={text!r} is not a number") from None
        return cls(**chosen)

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * _MB)

    @property
    def uncompressed_bytes(self) -> int:
        return int(self.uncompressed_mb * _MB)


def megabytes(size: float) -> str:
    return f"{size / _MB:,.1f} MB" if size >= _MB / 10 else f"{size / 1024:,.1f} KB"


def too_many_cells(what: str, limits: ReadLimits, where: Location) -> LedgerFileError:
    """The error for a sheet (or sheets) spanning more cells than ``limits.cells``; ``what`` says how many."""
    return too_big(
        what, limits.cells, "cells", where, option="--max-cells", variable="VILLAGECON_MAX_CELLS", field="cells"
    )


def too_big(
    what: str, limit: float, name: str, where: Location, *, option: str, variable: str, field: str
) -> LedgerFileError:
    shown = f"{limit:,.0f} MB" if field != "cells" else f"{limit:,} cells"
    return LedgerFileError(
        f"{what}, more than the {name} limit of {shown}: refused without reading it",
        where=where,
        hint=f"A damaged or hostile file looks like this; if the file is genuine, raise the limit with "
        f"{option}, the environment variable {variable}, or read_ledger(..., "
        f"limits=ReadLimits({field}=...))",
    )
