"""How offices write amounts and names: units, negative numbers, 4.2万, 十二万, full-width digits, 村委会.

A :class:`Style` is the habits of whoever keyed one file in; :func:`written_name` is a village as a clerk writes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from villagecon.sample.documents import Cell
from villagecon.sample.process import RENAMED_IN
from villagecon.sample.world import Village
from villagecon.vocab import labels

__all__ = ["Style", "chinese_wan", "written_name"]

# --- how offices write amounts and names -------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789.-,", "０１２３４５６７８９．－，")
_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_wan(yuan: int) -> str:
    """A multiple of 10,000 yuan below 1,000,000 in Chinese numerals: 120000 → 十二万, 80000 → 八万.

    Parameters
    ----------
    yuan : int

    Returns
    -------
    str

    Examples
    --------
    >>> chinese_wan(120_000), chinese_wan(310_000)
    ('十二万', '三十一万')
    """
    tens, ones = divmod(yuan // 10_000, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
    return text + (_CHINESE_DIGITS[ones] if ones else "") + "万"


def _wan_text(yuan: float) -> str:
    """Yuan as 万元 with four decimals, trailing zeros dropped (12.3457, 4.2, 30)."""
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".")


def _grouped(yuan: int) -> str:
    return f"{yuan:,d}"


@dataclass
class Style:
    """How one file writes amounts: its unit and the habits of whoever keyed it in."""

    unit: str  # 元 or 万元 (bare numbers)
    csv: bool = False  # every cell is text
    negative: str = "minus"  # minus | paren | fullwidth_paren | triangle
    wan_text: float = 0.0  # share of round 元 amounts written 4.2万
    chinese_subsidy: float = 0.0  # share of round 补助收入 written 十二万
    thousands: bool = False  # CSV 元 amounts from 10,000 up written 1,234,567
    decimals: bool = False  # CSV 元 amounts written 1234.00
    number_as_text: float = 0.0  # xlsx numbers stored as text
    fullwidth: float = 0.0  # share written in full-width digits (１２３４)

    def amount(self, yuan: float, item: str, rng: np.random.Generator, *, approx: str | None = None) -> Cell:
        """The cell for an amount in yuan (NaN: — for a balance, empty for an item the year lacks)."""
        if approx is not None:
            return approx
        if math.isnan(yuan):
            return "—" if item in labels.BALANCE_ITEMS else None
        whole = int(yuan)
        if (
            self.chinese_subsidy
            and item == "subsidy_income"
            and whole % 10_000 == 0
            and 0 < whole < 1_000_000
            and (whole == 120_000 or rng.random() < self.chinese_subsidy)
        ):
            return chinese_wan(whole)
        if (
            self.unit == "元"
            and self.wan_text
            and whole >= 10_000
            and whole % 100 == 0
            and rng.random() < self.wan_text
        ):
            return f"{whole / 10_000:.2f}".rstrip("0").rstrip(".") + "万"
        if whole < 0:
            return self._negative(-whole)
        if self.unit == "万元":
            text = _wan_text(whole)
            value = text if self.csv else round(whole / 10_000, 4)
        elif self.csv:
            text = _grouped(whole) if self.thousands and whole >= 10_000 else str(whole)
            value = text + ".00" if self.decimals else text
        else:
            value = str(whole) if rng.random() < self.number_as_text else whole
        if isinstance(value, str) and self.fullwidth and rng.random() < self.fullwidth:
            value = value.translate(_FULL_WIDTH)
        return value

    def _negative(self, magnitude: int) -> str | float:
        text = (
            _wan_text(magnitude) if self.unit == "万元" else (_grouped(magnitude) if self.thousands else str(magnitude))
        )
        if self.negative == "paren":
            return f"({text})"
        if self.negative == "fullwidth_paren":
            return f"（{text}）"
        if self.negative == "triangle":
            return f"△{text}"
        if not self.csv:
            return -(round(magnitude / 10_000, 4) if self.unit == "万元" else magnitude)
        return f"-{text}"


def written_name(v: Village, year: int | None, rng: np.random.Generator, variants: float) -> str:
    """The village as a clerk writes it: sometimes 村委会 or 股份经济合作社, stray spaces, the former name.

    Parameters
    ----------
    v : Village
    year : int or None
        The year of the ledger (None: no year, no former name).
    rng : numpy.random.Generator
    variants : float
        Share of names written another way.

    Returns
    -------
    str
    """
    if v.former_name and year is not None and year < RENAMED_IN:
        return v.former_name
    draw = rng.random()
    if draw < variants * 0.3:
        return v.name + "村委会"
    if draw < variants * 0.6:
        return v.name[:-1] + "\u3000" + v.name[-1]  # 石冲　村, as typed to line names up
    if draw < variants * 0.8:
        return f" {v.name} "
    if draw < variants and (year or 0) >= 2020:
        return v.name + "股份经济合作社"
    return v.name
