"""How the report page writes numbers and names: 万元 with one decimal, signed changes, percentages, escaped text.

One place for these, so that the page's sections (and any other text of the report) write an amount alike.
"""

from __future__ import annotations

import html

import pandas as pd

from villagecon.parse.amounts import YUAN_PER_WAN

__all__ = ["escape", "percent", "signed_points", "signed_text", "signed_wan", "wan"]


def wan(yuan: float) -> str:
    """An amount in 万元, one decimal, thousands separated: 419,600 yuan → ``"42.0"``.

    Parameters
    ----------
    yuan : float
        In yuan (None or NaN: missing).

    Returns
    -------
    str
        The number, or — when missing.
    """
    return "—" if yuan is None or pd.isna(yuan) else f"{yuan / YUAN_PER_WAN:,.1f}"


def signed_wan(yuan: float) -> str:
    """A change in 万元 with its sign: 40,000 yuan → ``"+4.0"``.

    Parameters
    ----------
    yuan : float
        In yuan (None or NaN: missing).

    Returns
    -------
    str
        The signed number, or — when missing.
    """
    return "—" if yuan is None or pd.isna(yuan) else f"{yuan / YUAN_PER_WAN:+,.1f}"


def signed_text(yuan: float) -> str:
    """A change in words: 增加1.2万元, 减少0.4万元, 持平 (less than 500 yuan either way).

    Parameters
    ----------
    yuan : float
        In yuan.

    Returns
    -------
    str
        The change as a sentence reads it.
    """
    amount = round(yuan / YUAN_PER_WAN, 1)
    return "持平" if amount == 0 else f"{'增加' if amount > 0 else '减少'}{abs(amount):,.1f}万元"


def signed_points(change: float) -> str:
    """A change of a share in percentage points with its sign: 0.052 → ``"+5.2"``.

    Parameters
    ----------
    change : float
        A difference of two shares (NaN: missing).

    Returns
    -------
    str
        The signed points, or — when missing.
    """
    return "—" if pd.isna(change) else f"{change * 100:+.1f}"


def percent(share: float) -> str:
    """A share as a percentage with one decimal: 0.4 → ``"40.0%"``.

    Parameters
    ----------
    share : float
        Between 0 and 1 (NaN: missing).

    Returns
    -------
    str
        The percentage, or — when missing.
    """
    return "—" if pd.isna(share) else f"{share:.1%}"


def escape(text: object) -> str:
    """Text for the HTML page, escaped (None: empty).

    Parameters
    ----------
    text : object
        Anything; written with ``str``.

    Returns
    -------
    str
        ``&``, ``<``, ``>`` and quotes escaped.
    """
    return html.escape("" if text is None else str(text))
