"""The income statement's line items under each accounting system, and what every total and measure is made of.

This is the one table of the formulas: the cleaner derives a total a ledger did not write from it
(:func:`villagecon.ingest.ledger.to_accounts`) and checks a written total against it, the metrics mark a
measure approximate when one of its parts is (:func:`villagecon.analysis.metrics.mark_approximate_measure`),
and :mod:`villagecon.vocab.labels` takes the items' Chinese names from here.

Two accounting systems (see FORMS.md):

- 村集体经济组织会计制度 (财会〔2004〕12号), :data:`OLD_SYSTEM`: account codes 501 经营收入 … 561 投资收益;
- 农村集体经济组织会计制度 (财会〔2023〕14号), :data:`NEW_SYSTEM`, for the accounts of 2024 on: 发包及上交收入
  is gone (its content moves into 经营收入 and 投资收益); 税金及附加, 公益支出 and 所得税费用 appear.

>>> formula("operating_profit", 2022).text()
'经营收益 = 经营收入 + 发包及上交收入 + 投资收益 − 经营支出 − 管理费用'
>>> formula("operating_profit", 2024).of({"operating_income": 300.0, "investment_income": 20.0,
...     "operating_expense": 100.0, "tax_and_surcharges": 5.0, "admin_expense": 60.0})
155.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "ACCOUNT_CODES",
    "DERIVED_MEASURES",
    "EXPENSE_ITEMS",
    "FORMULAS",
    "INCOME_ITEMS",
    "MEASURES",
    "NEW_SYSTEM",
    "NEW_SYSTEM_FROM",
    "OLD_SYSTEM",
    "OPTIONAL_PARTS",
    "SYSTEMS",
    "TOTAL_ITEMS",
    "Formula",
    "all_parts",
    "formula",
    "system_items",
    "system_of",
    "total_parts",
]

OLD_SYSTEM: Final = 2004
NEW_SYSTEM: Final = 2024
# The first year whose accounts follow 财会〔2023〕14号.
NEW_SYSTEM_FROM: Final = 2024
SYSTEMS: Final = (OLD_SYSTEM, NEW_SYSTEM)

# Line items of the annual 收益分配表, in statement order, as the accounts table has them (a column each); the
# items of both systems. Which system has which item is said by FORMULAS.
INCOME_ITEMS: Final = {
    "operating_income": "经营收入",
    "contract_income": "发包及上交收入",
    "investment_income": "投资收益",
    "subsidy_income": "补助收入",
    "other_income": "其他收入",
}
EXPENSE_ITEMS: Final = {
    "operating_expense": "经营支出",
    "tax_and_surcharges": "税金及附加",
    "admin_expense": "管理费用",
    "public_welfare_expense": "公益支出",
    "other_expense": "其他支出",
    "income_tax": "所得税费用",
}
TOTAL_ITEMS: Final = {
    "total_income": "本年收入合计",
    "total_expense": "本年支出合计",
    "net_income": "本年收益",
}
# Measures derived from the items (DESIGN.md: offices define "collective income" differently). A ledger may
# also write them (经营性收入 in a county table, 经营收益 in the 2004 收益及收益分配表).
DERIVED_MEASURES: Final = {
    "operational_income": "经营性收入",
    "operating_profit": "经营收益",
}

# The 2004 system's top-level account codes (科目编码) of the income statement's lines. A sub-account extends
# its parent's code (50101, 501001) and rolls up into it. 521 农业税附加返还收入 has no column in the accounts:
# total_income counts it where a ledger writes it.
ACCOUNT_CODES: Final = {
    "501": "operating_income",
    "502": "operating_expense",
    "511": "contract_income",
    "521": "agricultural_tax_rebate",
    "522": "subsidy_income",
    "531": "other_income",
    "541": "admin_expense",
    "551": "other_expense",
    "561": "investment_income",
}

# Every name a formula may use, and how people read it.
_NAMES: Final = {
    **INCOME_ITEMS,
    **EXPENSE_ITEMS,
    **TOTAL_ITEMS,
    **DERIVED_MEASURES,
    "agricultural_tax_rebate": "农业税附加返还收入",
}


@dataclass(frozen=True)
class Formula:
    """What one total or measure is made of under one accounting system.

    Attributes
    ----------
    measure : str
        The canonical name of the total or measure (``"total_income"``).
    plus : tuple of str
        The parts added. The total is known only where every one of them is.
    minus : tuple of str
        The parts subtracted. The total is known only where every one of them is.
    optional : tuple of str
        Parts added where a ledger writes them, whose absence still leaves the total complete
        (农业税附加返还收入, usually 0 or absent once the agricultural tax ended; 所得税费用).
    """

    measure: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        """Every part, added, subtracted or optional, in that order."""
        return (*self.plus, *self.minus, *self.optional)

    def of(self, values: Mapping[str, float]) -> float:
        """The measure from the values of its parts.

        Parameters
        ----------
        values : mapping of str to float
            The amount of each part, by canonical name; an optional part may be left out.

        Returns
        -------
        float
            ``plus`` added, ``minus`` subtracted, and the optional parts ``values`` holds added.

        Raises
        ------
        KeyError
            A part of ``plus`` or ``minus`` is not in ``values``.
        """
        added = sum(values[part] for part in self.plus)
        subtracted = sum(values[part] for part in self.minus)
        return float(added - subtracted + sum(values.get(part, 0.0) for part in self.optional))

    def text(self) -> str:
        """The formula in Chinese, as people read it (``本年收益 = 本年收入合计 − 本年支出合计``).

        Returns
        -------
        str
            The measure's name, ``=``, its parts joined by + and −; optional parts follow in brackets.
        """
        terms = " + ".join(_NAMES[part] for part in self.plus)
        terms += "".join(f" − {_NAMES[part]}" for part in self.minus)
        terms += "".join(f"（+ {_NAMES[part]}，如有）" for part in self.optional)
        return f"{_NAMES[self.measure]} = {terms}"


_OLD_INCOME = ("operating_income", "contract_income", "investment_income", "subsidy_income", "other_income")
_NEW_INCOME = ("operating_income", "investment_income", "subsidy_income", "other_income")
_OLD_EXPENSE = ("operating_expense", "admin_expense", "other_expense")
_NEW_EXPENSE = ("operating_expense", "tax_and_surcharges", "admin_expense", "public_welfare_expense", "other_expense")

# measure -> accounting system -> formula, in the order they can be computed (a formula uses only the items and
# the measures before it). 经营收益 is spelled out in items, not written as 经营性收入 − costs: the statement
# prints it under exactly these lines, and a written 经营收益 is checked against them.
FORMULAS: Final[dict[str, dict[int, Formula]]] = {
    "total_income": {
        OLD_SYSTEM: Formula("total_income", _OLD_INCOME, optional=("agricultural_tax_rebate",)),
        NEW_SYSTEM: Formula("total_income", _NEW_INCOME, optional=("agricultural_tax_rebate",)),
    },
    "total_expense": {
        OLD_SYSTEM: Formula("total_expense", _OLD_EXPENSE, optional=("income_tax",)),
        NEW_SYSTEM: Formula("total_expense", _NEW_EXPENSE, optional=("income_tax",)),
    },
    # 经营性收入: what the collective earns by its own business, before subsidies and other income.
    "operational_income": {
        OLD_SYSTEM: Formula("operational_income", ("operating_income", "contract_income", "investment_income")),
        NEW_SYSTEM: Formula("operational_income", ("operating_income", "investment_income")),
    },
    "operating_profit": {
        OLD_SYSTEM: Formula(
            "operating_profit",
            ("operating_income", "contract_income", "investment_income"),
            ("operating_expense", "admin_expense"),
        ),
        NEW_SYSTEM: Formula(
            "operating_profit",
            ("operating_income", "investment_income"),
            ("operating_expense", "tax_and_surcharges", "admin_expense"),
        ),
    },
    "net_income": {
        OLD_SYSTEM: Formula("net_income", ("total_income",), ("total_expense",)),
        NEW_SYSTEM: Formula("net_income", ("total_income",), ("total_expense",)),
    },
}
# The totals and measures, in the order they can be computed.
MEASURES: Final = tuple(FORMULAS)
# Parts a total counts when a ledger writes them, but whose absence leaves the total complete (the same in
# both systems).
OPTIONAL_PARTS: Final = {
    measure: by_system[OLD_SYSTEM].optional for measure, by_system in FORMULAS.items() if by_system[OLD_SYSTEM].optional
}


def system_of(year: int) -> int:
    """The accounting system of the accounts of ``year``.

    Parameters
    ----------
    year : int
        The year the accounts are of.

    Returns
    -------
    int
        :data:`NEW_SYSTEM` from :data:`NEW_SYSTEM_FROM` on, else :data:`OLD_SYSTEM`.

    Examples
    --------
    >>> system_of(2023), system_of(2024)
    (2004, 2024)
    """
    return NEW_SYSTEM if year >= NEW_SYSTEM_FROM else OLD_SYSTEM


def formula(measure: str, year: int) -> Formula:
    """What ``measure`` is made of in the accounts of ``year``.

    Parameters
    ----------
    measure : str
        One of :data:`MEASURES`.
    year : int
        The year of the accounts (its system decides; :func:`system_of`).

    Returns
    -------
    Formula
        The parts added, subtracted and optional.

    Raises
    ------
    KeyError
        ``measure`` is not one of :data:`MEASURES`.
    """
    try:
        return FORMULAS[measure][system_of(year)]
    except KeyError:
        raise KeyError(f"{measure!r} is not a total or measure; those are {', '.join(MEASURES)}") from None


def total_parts(total: str, year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The parts ``total`` adds and subtracts in ``year``, without the optional ones.

    Parameters
    ----------
    total : str
        One of :data:`MEASURES`.
    year : int
        The year of the accounts.

    Returns
    -------
    tuple of (tuple of str, tuple of str)
        (parts added, parts subtracted).

    Examples
    --------
    >>> total_parts("net_income", 2022)
    (('total_income',), ('total_expense',))
    """
    found = formula(total, year)
    return found.plus, found.minus


def all_parts(measure: str) -> tuple[str, ...]:
    """Every part ``measure`` is made of in any system (a total among them stays one part).

    Parameters
    ----------
    measure : str
        One of :data:`MEASURES`.

    Returns
    -------
    tuple of str
        The parts, each once, in the order of the formulas (the old system's first).

    Examples
    --------
    >>> all_parts("operational_income")
    ('operating_income', 'contract_income', 'investment_income')
    """
    return tuple(dict.fromkeys(part for system in SYSTEMS for part in FORMULAS[measure][system].parts))


def system_items(system: int) -> tuple[str, ...]:
    """The income and expense items a system's statement has, in statement order (optional ones included).

    Parameters
    ----------
    system : int
        :data:`OLD_SYSTEM` or :data:`NEW_SYSTEM`.

    Returns
    -------
    tuple of str
        The parts of its total_income, then those of its total_expense.

    Examples
    --------
    >>> system_items(NEW_SYSTEM)[:4]
    ('operating_income', 'investment_income', 'subsidy_income', 'other_income')
    """
    return (*FORMULAS["total_income"][system].parts, *FORMULAS["total_expense"][system].parts)
