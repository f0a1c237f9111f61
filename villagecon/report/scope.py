"""The area a report speaks for, found in the data: its level, its name and the words for it.

One township's ledger speaks of 全镇 and 各村, one county's of 全县 and 各乡镇, several counties' of 全市 and
各县市区. Tables and charts group by the next level down: per township when the data hold one county.

>>> accounts = pd.DataFrame({"county": ["汝城县"] * 3, "township": ["濠头乡", "热水镇", "热水镇"],
...                          "village": ["上河村", "甲村", "乙村"]})
>>> scope = detect_scope(accounts)
>>> scope.level, scope.area, scope.by, scope.whole, scope.parts
('county', '汝城县', 'township', '全县', '各乡镇')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from villagecon.vocab.chenzhou import CITY, COUNTY_CODES

__all__ = ["Scope", "detect_scope"]

# Per level: the column of the next level down, its word in a table head, "each of them", and the whole area's
# word by the last character of the area's name (汝城县 全县, 北湖区 全区, 资兴市 全市; 濠头乡 全乡).
_LEVELS = {
    "city": ("county", "县市区", "各县市区", {"州": "全州", "盟": "全盟"}, "全市"),
    "county": ("township", "乡镇", "各乡镇", {"区": "全区", "市": "全市", "旗": "全旗"}, "全县"),
    "township": ("village", "村", "各村", {"乡": "全乡", "道": "全街道"}, "全镇"),
}


@dataclass(frozen=True)
class Scope:
    """What a report covers: ``level`` (city, county or township), the ``area``'s name ("" when the data do not
    say), the column ``by`` that tables and charts group by (county, township or village) and its words."""

    level: str
    area: str = ""

    @property
    def by(self) -> str:
        return _LEVELS[self.level][0]

    @property
    def part(self) -> str:
        """The next level down, as a table heads its column: 县市区, 乡镇, 村."""
        return _LEVELS[self.level][1]

    @property
    def parts(self) -> str:
        """各县市区, 各乡镇, 各村."""
        return _LEVELS[self.level][2]

    @property
    def whole(self) -> str:
        """The whole area: 全市, 全县 (全区 for a 区, 全市 for a county-level 市), 全镇 (全乡 for a 乡)."""
        _, _, _, by_ending, default = _LEVELS[self.level]
        return by_ending.get(self.area[-1:], default) if self.area else default


def detect_scope(accounts: pd.DataFrame, *, area: str | None = None) -> Scope:
    """The scope of ``accounts``: several counties → city; one county (or none named) with several townships →
    county; else township. ``area`` names it (default: the data's county, its county and township, or 郴州市 when
    every county is one of 郴州市's).

    Parameters
    ----------
    accounts : DataFrame
        The report year's village-year accounts (county, township).
    area : str, optional
        The area's name, overriding the data's.

    Returns
    -------
    Scope
        Its level (city, county, township), the column the report's tables go by, and the area's words.
    """
    counties = _distinct(accounts, "county")
    townships = _distinct(accounts, "township")
    if len(counties) > 1:
        level = "city"
        named = CITY if set(counties) <= set(COUNTY_CODES) else ""
    elif len(townships) > 1:
        level, named = "county", "".join(counties)
    else:
        level, named = "township", "".join(counties) + "".join(townships)
    return Scope(level, named if area is None else area.strip())


def _distinct(accounts: pd.DataFrame, column: str) -> list[str]:
    if column not in accounts:
        return []
    return sorted(accounts[column].dropna().astype("str").loc[lambda s: s.str.strip().ne("")].unique().tolist())
