"""What :func:`villagecon.sample.write_sample` returns (:class:`Sample`), and the truth alone (:func:`sample_truth`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from villagecon.errors import UsageError
from villagecon.sample.process import DEFAULT_SEED, DEFAULT_VILLAGES, DEFAULT_YEARS, ITEMS
from villagecon.sample.world import draw_world

__all__ = ["Sample", "checked_arguments", "sample_truth"]


@dataclass
class Sample:
    """What :func:`write_sample` wrote and the truth it drew it from.

    Attributes
    ----------
    files : list of Path
        Every file written, ledgers first, then roster, register and README.
    truth : DataFrame
        One row per village and year: county, county_code, township, village,
        village_code, year, every item of :data:`villagecon.vocab.labels.ACCOUNT_ITEMS`
        (yuan; NaN where the item does not exist that year or no balance sheet was
        drawn up), the secretary in office on 31 December (secretary, secretary_role,
        secretary_background, secretary_start, tenure_years) and from_article.
    details : DataFrame
        The 其中 lines: village_code, village, year, item, detail, amount_yuan.
    roster : DataFrame
        One row per secretary spell (DESIGN.md's roster columns).
    register : DataFrame
        The village register as written to register.csv.
    bad_cells : DataFrame
        The deliberately bad cells: file, sheet, row, cell, source, value, problem (the
        reject they must produce), village, village_code, year, item, truth_yuan,
        cleaned_yuan (what the cleaned accounts hold instead: NaN when nothing is kept)
        and what (a sentence for README.md).
    approx_cells : DataFrame
        Amounts written as an approximation (``40余万元``): village_code, year, item,
        written, truth_yuan, cleaned_yuan.
    committee : DataFrame
        The other posts of the roster's 两委班子 sheet (驻村第一书记, 党支部副书记, 村委会主任, 委员; invented
        people): village, name, role (as written), start (as written, ``2021.01``). Never a secretary's spell.
    """

    files: list[Path]
    truth: pd.DataFrame
    details: pd.DataFrame
    roster: pd.DataFrame
    register: pd.DataFrame
    bad_cells: pd.DataFrame
    approx_cells: pd.DataFrame
    committee: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["village", "name", "role", "start"]))

    def expected_accounts(self) -> pd.DataFrame:
        """The truth's account items as a correct cleaner reports them from these files.

        Equal to the truth except where a bad cell leaves an item missing (a conflict, an
        unreadable amount) and where an amount was written approximately (40余万元 is
        read as 400,000).
        """
        expected = self.truth.loc[:, ["village_code", "year", *ITEMS]].copy()
        changes = pd.concat(
            [
                self.bad_cells.loc[
                    self.bad_cells["village_code"].ne(""), ["village_code", "year", "item", "cleaned_yuan"]
                ],
                self.approx_cells[["village_code", "year", "item", "cleaned_yuan"]],
            ]
        )
        for code, year, item, cleaned in changes.itertuples(index=False):
            at = expected["village_code"].eq(code) & expected["year"].eq(year)
            expected.loc[at, item] = cleaned
        return expected


def sample_truth(
    *, seed: int = DEFAULT_SEED, villages: int = DEFAULT_VILLAGES, years: Iterable[int] = DEFAULT_YEARS
) -> pd.DataFrame:
    """The truth :func:`write_sample` would return, without writing any file (for simulations).

    Parameters
    ----------
    seed, villages, years :
        As for :func:`~villagecon.sample.write_sample`.

    Returns
    -------
    DataFrame
        :attr:`Sample.truth`.

    Examples
    --------

    >>> truth = sample_truth(villages=20, years=range(2021, 2023))
    >>> truth.shape[0], truth.loc[truth["village"].eq("上河村"), "secretary"].tolist()
    (40, ['张小雄', '张小雄'])
    """
    return draw_world(seed, villages, checked_arguments(seed, villages, years)).truth


def checked_arguments(seed: int, villages: int, years: Iterable[int]) -> list[int]:
    """The years of a sample, after checking the arguments of :func:`~villagecon.sample.write_sample`.

    Parameters
    ----------
    seed, villages : int
    years : iterable of int

    Returns
    -------
    list of int
        The years, sorted, without repeats.

    Raises
    ------
    UsageError
        No year, a negative seed, or villages outside 11–2,600.
    """
    years = sorted({int(y) for y in years})
    if not years:
        raise UsageError("years is empty: give at least one year, e.g. range(2016, 2024)")
    if seed < 0:
        raise UsageError(f"seed must be a non-negative integer, not {seed}")
    if not 11 <= villages <= 2_600:
        raise UsageError(f"villages must be between 11 (one per county) and 2600, not {villages}")
    return years
