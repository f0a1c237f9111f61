"""The generating process of the synthetic sample: its parameters, the items of each accounting system, random streams.

For every village the article does not profile, and every year ``y``::

    log(total_income) = year_effect[y] + village_effect + TENURE_EFFECT * tenure_years + e

- ``tenure_years`` is ``y`` minus the start year of the secretary in office on 31
  December of ``y`` (0 in the year a secretary starts: completed years in office).
- ``village_effect`` is a county part, N(0, COUNTY_SD), plus a village part, so that its
  standard deviation is VILLAGE_SD; ``e`` is N(0, NOISE_SD), independent across years.
- ``year_effect[y]`` is set so that a share :func:`share_above_target` of these villages
  is at or above 100,000 yuan (97% in 2022, 22% in 2016): the article's "95%以上的村集体
  收入超过10万元" in 2022, and a visible crossing before it.
- Secretaries change at the 村两委 elections (ELECTIONS; each incumbent replaced with
  probability REPLACED_AT_ELECTION) and in between (REPLACED_PER_YEAR), so tenure
  resets and a two-way fixed-effects model can recover TENURE_EFFECT.

Event-time truth (what :func:`villagecon.analysis.models.event_study` should find): a change of secretary in year
``e`` whose predecessor had completed ``τ`` years on 31 December of ``e − 1`` lowers log income, against the
predecessor staying, by ``TENURE_EFFECT · (τ + 1)`` in every year from ``e`` on (the new secretary's tenure
starts at 0 instead of ``τ + 1 + k``), and by nothing before ``e``: no anticipation. The drop differs by event,
which is what makes a two-way fixed-effects event study biased here (benchmarks/bench_event_study.py).

The income items are shares of the total (subsidies in whole thousands), so that
本年收入合计 is their sum; expenses are drawn around it and 本年收益 = income − expenses.
The four villages of the article (上河村, 塔水村, 排山村, 秧田村) follow the article instead
(:mod:`villagecon.sample.article`; ``from_article`` in the truth): leave them out when estimating the tenure effect.

Every amount is whole yuan, so a 万元 file written with four decimals is exact.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np

from villagecon.vocab import labels
from villagecon.vocab.items import FORMULAS, NEW_SYSTEM, NEW_SYSTEM_FROM, OLD_SYSTEM

__all__ = [
    "BACKGROUND_SHARES",
    "COUNTY_SD",
    "COUNTY_WEIGHTS",
    "DEFAULT_SEED",
    "DEFAULT_VILLAGES",
    "DEFAULT_YEARS",
    "ELECTIONS",
    "EXPENSE_ITEMS_2004",
    "EXPENSE_ITEMS_2024",
    "INCOME_ITEMS_2004",
    "INCOME_ITEMS_2024",
    "ITEMS",
    "LONGEST_TENURE_AT_START",
    "NEW_SYSTEM_FROM",
    "NOISE_SD",
    "NO_BALANCE_SHEET_BEFORE",
    "NO_BALANCE_SHEET_SHARE",
    "RENAMED_IN",
    "RENAMED_SHARE",
    "REPLACED_AT_ELECTION",
    "REPLACED_PER_YEAR",
    "SECRETARY_COLUMNS",
    "SHARE_ABOVE_ANCHORS",
    "TENURE_EFFECT",
    "THRESHOLD",
    "VILLAGE_SD",
    "expense_items",
    "income_items",
    "old_system_years",
    "share_above_target",
    "stream",
    "years_with_year_before",
]

DEFAULT_SEED = 2022
DEFAULT_VILLAGES = 300
DEFAULT_YEARS = range(2016, 2024)

# The generating process (see the module docstring). TENURE_EFFECT is what a panel model
# of log(total_income) on tenure with village and year fixed effects should recover.
TENURE_EFFECT = 0.06  # log points of total_income per completed year in office
VILLAGE_SD = 0.45  # standard deviation of village effects (log points), county part included
COUNTY_SD = 0.15  # standard deviation of the county part
NOISE_SD = 0.10  # year-to-year noise (log points)
THRESHOLD = 100_000  # 10万元
# Share of villages at or above THRESHOLD in total_income, interpolated between these years.
SHARE_ABOVE_ANCHORS = {
    2010: 0.05,
    2016: 0.22,
    2017: 0.30,
    2018: 0.45,
    2019: 0.60,
    2020: 0.74,
    2021: 0.86,
    2022: 0.97,
    2023: 0.98,
    2030: 0.99,
}
# 村两委 elections (invented dates that look like Hunan's rounds; the 2021 one is the article's).
ELECTIONS = (dt.date(2011, 1, 1), dt.date(2014, 1, 1), dt.date(2017, 1, 1), dt.date(2021, 1, 1), dt.date(2026, 1, 1))
REPLACED_AT_ELECTION = 0.30
REPLACED_PER_YEAR = 0.03
LONGEST_TENURE_AT_START = 11  # incumbents in the first year started up to this many years before

# 合村并组 (2016–2017): some villages have a former name, used in ledgers of years before this.
RENAMED_IN = 2017
RENAMED_SHARE = 0.025
# Villages whose balance sheet was not drawn up before 清产核资 (2017–2019): 资产/负债 written "—".
NO_BALANCE_SHEET_BEFORE = 2017
NO_BALANCE_SHEET_SHARE = 0.08

# Invented weights of the counties in the sample (the bigger counties have more villages).
COUNTY_WEIGHTS = {
    "北湖区": 0.06,
    "苏仙区": 0.08,
    "桂阳县": 0.14,
    "宜章县": 0.12,
    "永兴县": 0.11,
    "嘉禾县": 0.07,
    "临武县": 0.08,
    "汝城县": 0.08,
    "桂东县": 0.06,
    "安仁县": 0.09,
    "资兴市": 0.11,
}
BACKGROUND_SHARES = {"返乡大学生": 0.15, "退役军人": 0.15, "致富能手": 0.30, "经商返乡人员": 0.20, "其他": 0.20}


# The items of each system's statement (villagecon.vocab.items); the sample writes 所得税费用 in every 2024 one.
INCOME_ITEMS_2004 = FORMULAS["total_income"][OLD_SYSTEM].plus
EXPENSE_ITEMS_2004 = FORMULAS["total_expense"][OLD_SYSTEM].plus
INCOME_ITEMS_2024 = FORMULAS["total_income"][NEW_SYSTEM].plus
EXPENSE_ITEMS_2024 = (*FORMULAS["total_expense"][NEW_SYSTEM].plus, "income_tax")
ITEMS = tuple(labels.ACCOUNT_ITEMS)
SECRETARY_COLUMNS = ("secretary", "secretary_role", "secretary_background", "secretary_start", "tenure_years")


def share_above_target(year: int) -> float:
    """Share of (non-article) villages the generator puts at or above 10万元 in ``year``.

    Parameters
    ----------
    year : int

    Returns
    -------
    float
        Interpolated between :data:`SHARE_ABOVE_ANCHORS`.
    """
    anchors = sorted(SHARE_ABOVE_ANCHORS.items())
    return float(np.interp(year, [y for y, _ in anchors], [s for _, s in anchors]))


def income_items(year: int) -> tuple[str, ...]:
    """Income line items of the accounting system in force in ``year``.

    Parameters
    ----------
    year : int

    Returns
    -------
    tuple of str
    """
    return INCOME_ITEMS_2024 if year >= NEW_SYSTEM_FROM else INCOME_ITEMS_2004


def expense_items(year: int) -> tuple[str, ...]:
    """Expense line items of the accounting system in force in ``year``.

    Parameters
    ----------
    year : int

    Returns
    -------
    tuple of str
    """
    return EXPENSE_ITEMS_2024 if year >= NEW_SYSTEM_FROM else EXPENSE_ITEMS_2004


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per purpose, so that one change does not reshuffle the rest.

    Parameters
    ----------
    seed : int
    name : str
        The purpose (``villages``, a file's path …).

    Returns
    -------
    numpy.random.Generator
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def old_system_years(years: list[int]) -> list[int]:
    """The years of the 2004 accounting system among ``years``.

    Parameters
    ----------
    years : list of int

    Returns
    -------
    list of int
        The years before :data:`NEW_SYSTEM_FROM`.
    """
    return [y for y in years if y < NEW_SYSTEM_FROM]


def years_with_year_before(years: list[int]) -> list[int]:
    """Years of the 2004 system whose year before is in the sample too (a 年初数/上年数 needs a year of the truth).

    Parameters
    ----------
    years : list of int

    Returns
    -------
    list of int
    """
    return [y for y in old_system_years(years) if y - 1 in years]
