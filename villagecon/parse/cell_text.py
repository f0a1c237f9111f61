"""A cell's text: the words that mean a cell is blank, and a value as rejects.csv writes it back."""

from __future__ import annotations

import re

__all__ = ["BLANK_PATTERN", "as_text", "is_blank"]

# The one list of what a blank cell is written as, for amounts, dates, rosters and the table reader alike: runs
# of dashes and slashes (—, --, /, ——, the full-width ones), dots (…, ·), 无, 空, 暂无 and N/A. It is the union of
# the lists amounts, the roster and the sheet views each kept before: a cell that one of them took for blank was
# never a value for another (an amount's "暂无" was an error, a roster's "\\" a name), so none is lost. Written
# for both Python's re and pyarrow's RE2, so that a column can be tested at once.
BLANK_PATTERN = r"^(?:[-—–―─/\\_.·…－／＿]*|无|空|暂无|N/?A|n/?a)$"
_BLANK = re.compile(BLANK_PATTERN)


def is_blank(text: str) -> bool:
    """Whether a cell's text (stripped, NFKC-normalised) says the cell is blank.

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    bool
        True for ``""``, ``—``, ``--``, ``/``, ``无``, ``空``, ``暂无``, ``N/A`` and the like.
    """
    return _BLANK.match(text) is not None


def as_text(value: object) -> str:
    """The text of a cell's value as rejects.csv writes it back.

    Parameters
    ----------
    value : object
        A cell's value: text, a number, or None.

    Returns
    -------
    str
        A float with up to 15 significant digits (``1234.5``, not ``1234.5000000000002``; ``12.0`` → ``12``),
        ``""`` for None or NaN, anything else as ``str`` gives it.
    """
    if isinstance(value, float):
        return "" if value != value else format(value, ".15g")
    return "" if value is None else str(value)
