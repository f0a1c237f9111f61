"""A cell's value as text: what a reject row or a summary writes back, and the words that mean the cell is blank."""

from __future__ import annotations

__all__ = ["as_text"]


def as_text(value: object) -> str:
    """The text of a cell's value as rejects.csv writes it back.

    Parameters
    ----------
    value : object
        A cell's value: text, a number, or None.

    Returns
    -------
    str
        A float with up to 15 significant digits (``1234.5``, not ``1234.5000000000002``), ``""`` for None,
        anything else as ``str`` gives it.
    """
    if isinstance(value, float):
        return format(value, ".15g")
    return "" if value is None else str(value)
