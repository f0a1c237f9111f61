"""Exceptions raised by villagecon.

Every message names where the problem is (file, sheet, row, cell when known) and says what to do about it,
so an analyst can fix the ledger without reading code. Catch :class:`VillageconError` to handle them all;
:class:`LocatedError` and its subclasses carry the place (:class:`Location`) and the advice apart from the
text, for a caller that lists problems rather than stopping at the first.

Examples
--------
>>> error = AmountError("12.3%", "a percentage is not an amount", where=Location("台账.xlsx", "2022年", 5, "C5"))
>>> str(error.where)
"file 台账.xlsx, sheet '2022年', row 5, cell C5"
>>> error.message
"cannot read '12.3%' as an amount: a percentage is not an amount (file 台账.xlsx, sheet '2022年', row 5, cell C5)"
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

__all__ = [
    "AmountError",
    "HeaderNotFoundError",
    "LedgerFileError",
    "LocatedError",
    "Location",
    "RegisterError",
    "RosterError",
    "UnitError",
    "UsageError",
    "VillageconError",
]


class VillageconError(Exception):
    """Base class: catch this to handle every villagecon error."""


class Location:
    """Where a value came from: file, sheet, 1-based row and cell reference.

    Each part is optional; ``str()`` names the parts that are known, in that order.

    Parameters
    ----------
    file : str or os.PathLike or None
        The file, as the message should name it (usually its name, not the full path).
    sheet : str or None
        The sheet's name; empty or ``None`` for a CSV.
    row : int or None
        The 1-based row number, as Excel shows it.
    cell : str or None
        The cell reference (``"C7"``).
    """

    __slots__ = ("cell", "file", "row", "sheet")

    def __init__(
        self,
        file: str | os.PathLike[str] | None = None,
        sheet: str | None = None,
        row: int | None = None,
        cell: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.cell = file, sheet, row, cell

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)


class LocatedError(VillageconError):
    """An error tied to a place in an input file.

    The text is ``message (where). hint``; the parts stay available as attributes.

    Parameters
    ----------
    message : str
        What is wrong.
    where : Location or None
        Where it is; ``None`` for nowhere in particular.
    hint : str or None
        What to do about it.

    Attributes
    ----------
    where : Location
        The place (empty when none was given).
    hint : str or None
        The advice, as given.
    message : str
        What is wrong and where, without the hint.
    """

    def __init__(self, message: str, *, where: Location | None = None, hint: str | None = None) -> None:
        self.where = where or Location()
        self.hint = hint
        text = message
        if str(self.where):
            text = f"{text} ({self.where})"
        self.message = text
        if hint:
            text = f"{text}. {hint}"
        super().__init__(text)

    def __reduce__(
        self,
    ) -> tuple[Callable[..., LocatedError], tuple[type[LocatedError], tuple[Any, ...], dict[str, Any]]]:
        # Rebuilt as it was (message, place and hint), not by running __init__ on the finished text: an error
        # crosses from the process that read a file to the one that asked for it.
        return _restored, (type(self), self.args, self.__dict__)


def _restored(cls: type[LocatedError], args: tuple[Any, ...], state: dict[str, Any]) -> LocatedError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class AmountError(LocatedError, ValueError):
    """A cell that is not a readable amount of money (``12.3%``, ``abc``, ``4.2万/5万``).

    Parameters
    ----------
    value : object
        The value as written in the cell.
    reason : str
        Why it is not an amount.
    where : Location or None
        The cell it came from.
    hint : str or None
        What to do; by default, correct the cell or read with ``errors="coerce"``.

    Attributes
    ----------
    value : object
        The value as written.
    reason : str
        Why it was refused.
    """

    def __init__(self, value: object, reason: str, *, where: Location | None = None, hint: str | None = None) -> None:
        self.value = value
        self.reason = reason
        super().__init__(
            f"cannot read {value!r} as an amount: {reason}",
            where=where,
            hint=hint or "Correct the cell, or pass errors='coerce' to turn it into a reject",
        )


class LedgerFileError(LocatedError):
    """A file that cannot be read at all: missing, corrupt, encrypted, wrong type, unknown encoding."""


class HeaderNotFoundError(LocatedError):
    """No row of a sheet looks like a ledger header."""


class UnitError(LocatedError):
    """Bare numbers with no unit anywhere: not in the cell, the header, a 单位 row, or ``unit=``."""


class RegisterError(LocatedError):
    """The village register itself is malformed."""


class UsageError(VillageconError, ValueError):
    """A function or command was called with an argument it cannot accept."""


class RosterError(LocatedError):
    """The secretary roster (村党组织书记花名册) cannot be read, or holds rows that cannot be used."""
