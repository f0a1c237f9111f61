"""Village names as ledgers write them, reduced to the key villages are compared by: ``上河村村委会``, ``1.上河村``
and ``上河村（原下坪村并入）`` are all ``上河村``.

The register, the roster, the ledgers and the journals match villages on :func:`village_key`;
:func:`map_distinct` computes such a key once per distinct value of a column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from villagecon.vocab.synonyms import SEPARATORS

__all__ = ["map_distinct", "map_distinct_text", "name_text", "village_key", "village_keys"]

# Organisation suffixes after a village's name, and what the name ends with once they go (a 村 or a 社区).
_VILLAGE_SUFFIXES = (
    ("集体经济合作社", "村"),
    ("股份经济合作联合社", "村"),
    ("股份经济合作联社", "村"),
    ("股份经济合作社", "村"),
    ("经济合作联合社", "村"),
    ("股份经济联合社", "村"),
    ("经济联合社", "村"),
    ("集体经济组织", "村"),
    ("股份合作社", "村"),
    ("经济合作社", "村"),
    ("经联社", "村"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("村委", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
)
# 1.上河村, ②林源村, （3）枫泉村: a list's numbering before a name.
_NAME_NUMBERING = re.compile(r"^(?:\d+\s*[.、．)）]|[(（]\d+[)）]|第\d+)\s*")
# 上河村（原下坪村并入）: a note after a name.
_NAME_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


def map_distinct(values: pd.Series, function: Callable[[Any], object]) -> pd.Series:
    """``values.map(function)`` computed once per distinct value (ledgers repeat their labels); missing values
    stay missing.

    Parameters
    ----------
    values : Series
        Any values.
    function : callable
        Called once per distinct value.

    Returns
    -------
    Series
        Object dtype, aligned with ``values``.
    """
    codes, distinct = pd.factorize(values)
    mapped = np.array([*map(function, distinct), None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)  # code -1 (missing) takes the None


def map_distinct_text(values: pd.Series, function: Callable[[Any], Any] | None = None) -> pd.Series:
    """``map_distinct(values, function).astype("str")``, with the text made once per distinct value, not per row.

    Parameters
    ----------
    values : Series
        Any values.
    function : callable, optional
        Called once per distinct value; none: the values as they are.

    Returns
    -------
    Series
        ``str``, aligned with ``values``; missing values, and what ``function`` gives as missing, stay missing.
    """
    codes, distinct = pd.factorize(values)
    mapped = pd.Series([*map(function, distinct)] if function else list(distinct), dtype=object).astype("str")
    return pd.Series(mapped.array.take(codes, allow_fill=True), index=values.index)


def village_keys(names: pd.Series) -> pd.Series:
    """:func:`village_key` of a column of names, computed once per distinct name.

    Parameters
    ----------
    names : Series
        Village names as written.

    Returns
    -------
    Series
        The keys (str); missing names stay missing.
    """
    return map_distinct_text(names, village_key)


def name_text(name: object) -> str:
    """A name as written, without spaces, in half-width characters, without a list's numbering (``②林源村``).

    Parameters
    ----------
    name : object
        A name (None gives ``""``).

    Returns
    -------
    str
        The name's text.
    """
    key = str(name or "").lstrip("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
    return _NAME_NUMBERING.sub("", SEPARATORS.sub("", unicodedata.normalize("NFKC", key)))


def village_key(name: object) -> str:
    """Normalise a village name: no spaces, half-width, no 村委会/经济合作社 suffix.

    ``"上河村村委会"``, ``"上河村民委员会"``, ``"上河　村"``, ``" 上河村 "``, ``"1.上河村"`` and
    ``"上河村（原下坪村并入）"`` all give ``"上河村"``; ``"立欣洲社区居委会"`` gives ``"立欣洲社区"``.

    Parameters
    ----------
    name : object
        A village's name as written (None gives ``""``).

    Returns
    -------
    str
        The key villages are compared by.
    """
    if name is None:
        return ""
    key = name_text(name)
    if (bare := _NAME_NOTE.sub("", key)) != key and bare.endswith(("村", "社区")):
        key = bare
    for suffix, kind in _VILLAGE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            # "上河村委会" and "上河村民委员会" took the 村 that belongs to the name.
            if not key.endswith(("村", "社区")):
                key += kind
            break
    return key
