"""The synthetic 郴州市 sample: village ledgers in every layout villagecon reads, with known answers.

:func:`write_sample` writes ledgers for the 11 county-level units of 郴州市 (one-row-per-village
workbooks in 万元 and 元, long 科目/金额 ledgers, one-sheet-per-village 收益分配表, GBK and
UTF-8-BOM CSVs, and in the real forms of :mod:`villagecon.sample.forms`: 资产负债表, a 三资
platform export, a 收益分配统计表, a dated 收支台账 and quarterly 财务收支公开榜), the village register and
the secretary roster, and returns the ground truth it drew them from. The same seed gives byte-identical
files.

The generating process
----------------------
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
(``from_article`` in the truth): leave them out when estimating the tenure effect.

Every amount is whole yuan, so a 万元 file written with four decimals is exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as stdio
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from villagecon.errors import UsageError
from villagecon.ingest.files import LEDGER_SUFFIXES, cell_ref
from villagecon.outputs import write_atomic
from villagecon.sample import forms as sample_forms
from villagecon.vocab import chenzhou, labels
from villagecon.vocab.items import FORMULAS, NEW_SYSTEM, OLD_SYSTEM
from villagecon.vocab.items import NEW_SYSTEM_FROM as NEW_SYSTEM_FROM

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

SYNTHETIC = "合成样例数据"
SYNTHETIC_NOTE = "注：本表为合成样例数据（synthetic sample data），地名真实，村名以外的数字和人名均为虚构。"
# Fixed creation time of every workbook, so that the same seed gives the same bytes.
CREATED = dt.datetime(2024, 1, 1)
ROSTER_FILE = "村党组织书记花名册（合成样例）.xlsx"
REGISTER_FILE = "register.csv"
README_FILE = "README.md"

# The items of each system's statement (villagecon.vocab.items); the sample writes 所得税费用 in every 2024 one.
INCOME_ITEMS_2004 = FORMULAS["total_income"][OLD_SYSTEM].plus
EXPENSE_ITEMS_2004 = FORMULAS["total_expense"][OLD_SYSTEM].plus
INCOME_ITEMS_2024 = FORMULAS["total_income"][NEW_SYSTEM].plus
EXPENSE_ITEMS_2024 = (*FORMULAS["total_expense"][NEW_SYSTEM].plus, "income_tax")
ITEMS = tuple(labels.ACCOUNT_ITEMS)
SECRETARY_COLUMNS = ("secretary", "secretary_role", "secretary_background", "secretary_start", "tenure_years")

# 上河村 as the article tells it: 负债4.2万元 in 2017 with almost no income; from 2018 solar power
# (光伏, 经营收入) and vegetable greenhouses let to farmers (蔬菜大棚, 发包收入), dividends from
# the secretary's company (投资收益); 40余万元 in 2022. Amounts are invented to fit.
SHANGHE = "上河村"
SHANGHE_ACCOUNTS = {
    #      operating contract invest subsidy other | op.exp  admin  other.exp | assets  liabilities
    2016: (0, 2_600, 0, 10_000, 0, 0, 11_000, 1_600, 180_000, 0),
    2017: (0, 0, 0, 3_000, 800, 0, 24_000, 21_800, 176_000, 42_000),
    2018: (36_000, 20_000, 0, 30_000, 2_000, 8_000, 30_000, 5_000, 420_000, 18_000),
    2019: (68_000, 46_000, 20_000, 40_000, 3_000, 12_000, 34_000, 6_000, 610_000, 0),
    2020: (96_000, 62_000, 40_000, 45_000, 4_000, 16_000, 36_000, 8_000, 790_000, 0),
    2021: (130_000, 80_000, 60_000, 50_000, 6_000, 22_000, 40_000, 9_000, 960_000, 0),
    2022: (168_000, 98_000, 85_000, 60_000, 8_600, 26_000, 45_000, 12_000, 1_150_000, 0),
    2023: (182_000, 104_000, 92_000, 55_000, 9_000, 27_000, 46_000, 12_000, 1_260_000, 0),
}
SHANGHE_DETAILS = {  # (item, detail) -> year -> yuan; the 其中 lines of its 收益分配表
    ("operating_income", "光伏发电收入"): {
        2018: 36_000,
        2019: 68_000,
        2020: 90_000,
        2021: 118_000,
        2022: 150_000,
        2023: 160_000,
    },
    ("contract_income", "蔬菜大棚租金收入"): {
        2018: 20_000,
        2019: 40_000,
        2020: 55_000,
        2021: 72_000,
        2022: 88_000,
        2023: 92_000,
    },
}
SHANGHE_2022_WRITTEN = "40余万元"  # how its source writes 2022's total income
# The other article villages: total income by year (invented, rising as the article says).
ARTICLE_TOTALS = {
    "塔水村": {
        2016: 70_400,
        2017: 74_100,
        2018: 79_800,
        2019: 86_300,
        2020: 95_200,
        2021: 152_600,
        2022: 231_800,
        2023: 276_500,
    },
    "排山村": {
        2016: 48_300,
        2017: 55_600,
        2018: 72_900,
        2019: 98_400,
        2020: 121_700,
        2021: 150_200,
        2022: 186_400,
        2023: 203_000,
    },
    "秧田村": {
        2016: 52_100,
        2017: 61_400,
        2018: 88_200,
        2019: 126_500,
        2020: 168_300,
        2021: 214_700,
        2022: 268_900,
        2023: 305_200,
    },
}
# 秧田村 pays off its debts (化解村级债务).
YANGTIAN_LIABILITIES = {
    2016: 1_280_000,
    2017: 1_150_000,
    2018: 920_000,
    2019: 640_000,
    2020: 380_000,
    2021: 150_000,
    2022: 0,
    2023: 0,
}
# When the predecessors of the article secretaries took office (invented; they leave when the article's start).
PREDECESSOR_STARTS = {
    "上河村": dt.date(2011, 1, 1),
    "塔水村": dt.date(2014, 1, 1),
    "排山村": dt.date(2011, 1, 1),
    "秧田村": dt.date(2008, 3, 1),
}


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


def write_sample(
    out: Path | str, *, seed: int = DEFAULT_SEED, villages: int = DEFAULT_VILLAGES, years: Iterable[int] = DEFAULT_YEARS
) -> Sample:
    """Write the synthetic 郴州市 sample data set into ``out`` and return its truth.

    Parameters
    ----------
    out : path-like
        Folder to write into (created if needed). Ledger files in it that this sample
        would not write are an error: they would mix with the sample when cleaned.
    seed : int
        Random seed; the same seed, villages and years give byte-identical files.
    villages : int
        Number of villages, at least 11 (one per county) and at most 2,600.
    years : iterable of int
        Years of the ledgers (default 2016–2023). Years from 2024 follow 财会〔2023〕14号.

    Returns
    -------
    Sample

    Examples
    --------
    ``write_sample("data/raw").truth.query("village == '上河村'")`` is 上河村 by year, as the
    bundled files hold it; :func:`sample_truth` gives the same table without writing.
    """
    years = _checked(seed, villages, years)
    out = Path(out)
    world = _draw_world(seed, villages, years)
    documents, bad_cells = _documents(world, seed)
    planned = {d.path for d in documents} | {ROSTER_FILE}
    if out.exists():
        foreign = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file()
            and p.suffix.lower() in LEDGER_SUFFIXES
            and not p.name.startswith(".")
            and p.relative_to(out).as_posix() not in planned | {REGISTER_FILE}
        )
        if foreign:
            raise UsageError(
                f"{out} holds ledger files the sample does not write ({', '.join(foreign[:3])}"
                f"{', …' if len(foreign) > 3 else ''}): write the sample to an empty folder"
            )
    roster_forms = sample_forms.roster_workbook(world, seed)
    documents.append(roster_forms.document)
    files = [_write_document(out, document) for document in documents]
    files.append(
        write_atomic(out / REGISTER_FILE, lambda p: p.write_bytes(_csv_bytes(_register_rows(world.register), "utf-8")))
    )
    sample = Sample(
        files=files,
        truth=world.truth,
        details=world.details,
        roster=world.roster,
        register=world.register,
        bad_cells=bad_cells,
        approx_cells=world.approx_cells,
        committee=roster_forms.committee,
    )
    readme = _readme(sample, documents, out=out, seed=seed, villages=villages, years=years, roster=roster_forms)
    files.append(write_atomic(out / README_FILE, lambda p: p.write_bytes(readme.encode("utf-8"))))
    return sample


def sample_truth(
    *, seed: int = DEFAULT_SEED, villages: int = DEFAULT_VILLAGES, years: Iterable[int] = DEFAULT_YEARS
) -> pd.DataFrame:
    """The truth :func:`write_sample` would return, without writing any file (for simulations).

    >>> truth = sample_truth(villages=20, years=range(2021, 2023))
    >>> truth.shape[0], truth.loc[truth["village"].eq("上河村"), "secretary"].tolist()
    (40, ['张小雄', '张小雄'])
    """
    return _draw_world(seed, villages, _checked(seed, villages, years)).truth


def _checked(seed: int, villages: int, years: Iterable[int]) -> list[int]:
    years = sorted({int(y) for y in years})
    if not years:
        raise UsageError("years is empty: give at least one year, e.g. range(2016, 2024)")
    if seed < 0:
        raise UsageError(f"seed must be a non-negative integer, not {seed}")
    if not 11 <= villages <= 2_600:
        raise UsageError(f"villages must be between 11 (one per county) and 2600, not {villages}")
    return years


def share_above_target(year: int) -> float:
    """Share of (non-article) villages the generator puts at or above 10万元 in ``year``."""
    anchors = sorted(SHARE_ABOVE_ANCHORS.items())
    return float(np.interp(year, [y for y, _ in anchors], [s for _, s in anchors]))


def income_items(year: int) -> tuple[str, ...]:
    """Income line items of the accounting system in force in ``year``."""
    return INCOME_ITEMS_2024 if year >= NEW_SYSTEM_FROM else INCOME_ITEMS_2004


def expense_items(year: int) -> tuple[str, ...]:
    """Expense line items of the accounting system in force in ``year``."""
    return EXPENSE_ITEMS_2024 if year >= NEW_SYSTEM_FROM else EXPENSE_ITEMS_2004


# --- the world: villages, secretaries, accounts ------------------------------------------------------


@dataclass(frozen=True)
class _Village:
    county: str
    township: str
    name: str
    code: str
    former_name: str | None
    article: chenzhou.ArticleSecretary | None


@dataclass
class _World:
    years: list[int]
    villages: list[_Village]
    truth: pd.DataFrame
    details: pd.DataFrame
    roster: pd.DataFrame
    register: pd.DataFrame
    approx_cells: pd.DataFrame
    approx_written: dict[tuple[str, int, str], str]
    # (village_code, year) -> {item: yuan or nan}
    accounts: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)


def _stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per purpose, so that one change does not reshuffle the rest."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _draw_world(seed: int, n_villages: int, years: list[int]) -> _World:
    villages = _draw_villages(_stream(seed, "villages"), n_villages)
    roster = _draw_roster(_stream(seed, "secretaries"), villages, years)
    panel = _secretary_panel(roster, villages, years)
    accounts, details, approx = _draw_accounts(_stream(seed, "accounts"), villages, years, panel)
    truth = _truth(villages, years, accounts, panel)
    register = pd.DataFrame(
        {
            "county": [v.county for v in villages],
            "county_code": [v.code[:6] for v in villages],
            "township": [v.township for v in villages],
            "village": [v.name for v in villages],
            "village_code": [v.code for v in villages],
            "aliases": [v.former_name or "" for v in villages],
        }
    )
    return _World(
        years=years,
        villages=villages,
        truth=truth,
        details=details,
        roster=roster,
        register=register,
        approx_cells=approx,
        accounts=accounts,
        approx_written={
            (c, y, i): w for c, y, i, w in approx[["village_code", "year", "item", "written"]].itertuples(index=False)
        },
    )


def _draw_villages(rng: np.random.Generator, n: int) -> list[_Village]:
    pool = chenzhou.village_name_pool(rng)
    n_renamed = round(n * RENAMED_SHARE)
    if n - len(chenzhou.ARTICLE_SECRETARIES) + n_renamed > len(pool):
        raise UsageError(f"{n} villages need more invented names than the {len(pool)} chenzhou has")
    names = iter(pool)
    counts = _county_counts(n)
    villages = []
    for county, count in counts.items():
        townships = chenzhou.TOWNSHIPS[county]
        article = [s for s in chenzhou.ARTICLE_SECRETARIES if s.county == county]
        per_township = dict.fromkeys(townships, 0)
        rest = count - len(article)
        # One village per township while there are villages, the rest at random.
        for township in [townships[i] for i in rng.permutation(len(townships))][: max(rest, 0)]:
            per_township[township] += 1
        rest -= sum(per_township.values())
        for township, extra in zip(
            townships, rng.multinomial(max(rest, 0), [1 / len(townships)] * len(townships)), strict=True
        ):
            per_township[township] += int(extra)
        for township in townships:
            members: list[tuple[str, chenzhou.ArticleSecretary | None]] = [
                (next(names), None) for _ in range(per_township[township])
            ]
            members += [(s.village, s) for s in article if s.township == township]
            order = rng.permutation(len(members))
            for position, index in enumerate(order):
                name, secretary = members[index]
                code = chenzhou.COUNTY_CODES[county] + chenzhou.township_code(county, township) + f"{201 + position}"
                villages.append(_Village(county, township, name, code, None, secretary))
    invented = [i for i, v in enumerate(villages) if v.article is None]
    for index in sorted(rng.choice(invented, size=min(n_renamed, len(invented)), replace=False)):
        v = villages[index]
        villages[index] = _Village(v.county, v.township, v.name, v.code, next(names), None)
    return villages


def _county_counts(n: int) -> dict[str, int]:
    """Villages per county: proportional to COUNTY_WEIGHTS (largest remainder), at least one each."""
    quotas = {county: n * weight for county, weight in COUNTY_WEIGHTS.items()}
    counts = {county: max(1, math.floor(q)) for county, q in quotas.items()}
    by_remainder = sorted(
        quotas, key=lambda c: (quotas[c] - math.floor(quotas[c]), -list(quotas).index(c)), reverse=True
    )
    while sum(counts.values()) < n:
        for county in by_remainder:
            if sum(counts.values()) == n:
                break
            counts[county] += 1
    while sum(counts.values()) > n:
        county = max(counts, key=counts.get)
        counts[county] -= 1
    return counts


def _draw_roster(rng: np.random.Generator, villages: list[_Village], years: list[int]) -> pd.DataFrame:
    """Secretary spells: an incumbent in the first year, then changes at elections and between them."""
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    people = iter(chenzhou.person_name_pool(rng, size=4 * len(villages) + 64))
    mentors = {
        (county, township): ("谭皓" if (county, township) == ("北湖区", "华塘镇") else next(people))
        for county, townships in chenzhou.TOWNSHIPS.items()
        for township in townships
    }
    rows = []
    for v in villages:
        if v.article is not None:
            starts = [(PREDECESSOR_STARTS[v.name], next(people), None), (v.article.start, v.article.name, v.article)]
        else:
            start = dt.date(first.year - int(rng.integers(0, LONGEST_TENURE_AT_START + 1)), int(rng.integers(1, 13)), 1)
            starts = [(start, next(people), None)]
            for year in range(first.year, last.year + 1):
                election = next((e for e in ELECTIONS if e.year == year), None)
                if election and election > starts[-1][0] and rng.random() < REPLACED_AT_ELECTION:
                    starts.append((election, next(people), None))
                if rng.random() < REPLACED_PER_YEAR:
                    mid_term = dt.date(year, int(rng.integers(3, 12)), 1)
                    if mid_term > starts[-1][0]:
                        starts.append((mid_term, next(people), None))
        for position, (start, name, article) in enumerate(starts):
            end = starts[position + 1][0] - dt.timedelta(days=1) if position + 1 < len(starts) else None
            if start > last or (end is not None and end < first):
                continue
            if article is not None:
                role, background, mentor = article.role, article.background, article.mentor
            else:
                new_style = start >= dt.date(2021, 1, 1)  # 一肩挑 and 导师帮带 from the 2021 election
                role = "书记兼主任" if rng.random() < (0.85 if new_style else 0.35) else "书记"
                background = str(rng.choice(list(BACKGROUND_SHARES), p=list(BACKGROUND_SHARES.values())))
                mentor = mentors[(v.county, v.township)] if new_style else None
            in_office_2022 = end is None or end >= dt.date(2022, 1, 1)
            training = int(rng.integers(3, 16)) if in_office_2022 else int(rng.integers(0, 6))
            rows.append(
                {
                    "county": v.county,
                    "township": v.township,
                    "village_code": v.code,
                    "village": v.name,
                    "name": name,
                    "role": role,
                    "start": start,
                    "end": end,
                    "background": background,
                    "mentor": mentor,
                    "training_days": training,
                    "honours": None,
                }
            )
    roster = pd.DataFrame(rows)
    if years[-1] >= 2022:  # 担当作为好支书, awarded to about 4% of the serving secretaries with 3+ years
        serving = roster.index[
            roster["end"].isna()
            & roster["start"].map(lambda d: years[-1] - d.year >= 3)
            & ~roster["name"].isin(chenzhou.ARTICLE_PEOPLE)
        ]
        honoured = serving[rng.random(len(serving)) < 0.04]
        roster.loc[honoured, "honours"] = chenzhou.HONOUR
    return roster


def _secretary_panel(roster: pd.DataFrame, villages: list[_Village], years: list[int]) -> pd.DataFrame:
    """The secretary in office on 31 December of every village-year, and their completed years in office."""
    spells: dict[str, list[dict]] = {}
    for spell in roster.to_dict(orient="records"):
        spells.setdefault(spell["village_code"], []).append(spell)
    rows = []
    for v in villages:
        for year in years:
            year_end = dt.date(year, 12, 31)
            spell = [
                s for s in spells[v.code] if s["start"] <= year_end and (_missing(s["end"]) or s["end"] >= year_end)
            ][-1]
            rows.append(
                {
                    "village_code": v.code,
                    "year": year,
                    "secretary": spell["name"],
                    "secretary_role": spell["role"],
                    "secretary_background": spell["background"],
                    "secretary_start": spell["start"],
                    "tenure_years": year - spell["start"].year,
                }
            )
    return pd.DataFrame(rows)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _draw_accounts(rng: np.random.Generator, villages: list[_Village], years: list[int], panel: pd.DataFrame):
    n, m = len(villages), len(years)
    tenure = panel["tenure_years"].to_numpy().reshape(n, m)
    county_effect = {county: rng.normal(0, COUNTY_SD) for county in chenzhou.COUNTY_CODES}
    own_sd = math.sqrt(VILLAGE_SD**2 - COUNTY_SD**2)
    village_effect = np.array([county_effect[v.county] for v in villages]) + rng.normal(0, own_sd, n)
    latent = village_effect[:, None] + TENURE_EFFECT * tenure + rng.normal(0, NOISE_SD, (n, m))
    modelled = np.array([v.article is None for v in villages])
    year_effect = np.array(
        [math.log(THRESHOLD) - np.quantile(latent[modelled, j], 1 - share_above_target(y)) for j, y in enumerate(years)]
    )
    totals = np.rint(np.exp(year_effect[None, :] + latent))

    accounts: dict[tuple[str, int], dict[str, float]] = {}
    for i, v in enumerate(villages):
        admin_base = rng.uniform(15_000, 40_000)
        assets_start = totals[i, 0] * math.exp(rng.normal(math.log(6), 0.5))
        debt = math.exp(rng.normal(math.log(120_000), 0.9)) if rng.random() < 0.45 else 0.0
        small_debt = float(np.round(rng.uniform(0, 20_000), -2)) if rng.random() < 0.5 else 0.0
        # The article's villages always have one: their debts are part of the story.
        no_balance_sheet = rng.random() < NO_BALANCE_SHEET_SHARE and v.article is None
        for j, year in enumerate(years):
            total = ARTICLE_TOTALS.get(v.name, {}).get(year, totals[i, j]) if v.article else totals[i, j]
            row = _split_income(rng, total, year)
            row |= _expenses(rng, row, year, admin_base)
            debt = debt * rng.uniform(0.55, 0.95) if j else debt
            debt = 0.0 if debt < 3_000 else debt
            row["assets"] = float(round(assets_start * 1.07**j * math.exp(rng.normal(0, 0.03))))
            row["liabilities"] = float(round(debt)) if debt else small_debt
            if no_balance_sheet and year < NO_BALANCE_SHEET_BEFORE:
                row["assets"] = row["liabilities"] = math.nan
            if v.name == "秧田村" and year in YANGTIAN_LIABILITIES:
                row["liabilities"] = float(YANGTIAN_LIABILITIES[year])
            if v.name == SHANGHE and year in SHANGHE_ACCOUNTS:
                row = _shanghe_row(year)
            accounts[(v.code, year)] = _with_totals(row, year)
    _plant_round_subsidy(villages, years, accounts)

    details = pd.DataFrame(
        [
            {
                "village_code": v.code,
                "village": v.name,
                "year": year,
                "item": item,
                "detail": detail,
                "amount_yuan": float(by_year[year]),
            }
            for v in villages
            if v.name == SHANGHE
            for (item, detail), by_year in SHANGHE_DETAILS.items()
            for year in years
            if year in by_year
        ],
        columns=["village_code", "village", "year", "item", "detail", "amount_yuan"],
    )
    approx = pd.DataFrame(
        [
            {
                "village_code": v.code,
                "village": v.name,
                "year": 2022,
                "item": "total_income",
                "written": SHANGHE_2022_WRITTEN,
                "truth_yuan": accounts[(v.code, 2022)]["total_income"],
                "cleaned_yuan": 400_000.0,
            }
            for v in villages
            if v.name == SHANGHE and 2022 in years
        ],
        columns=["village_code", "village", "year", "item", "written", "truth_yuan", "cleaned_yuan"],
    )
    return accounts, details, approx


def _split_income(rng: np.random.Generator, total: float, year: int) -> dict[str, float]:
    """Income items summing to ``total``: subsidies shrink and own income grows as the years pass."""
    progress = min(max((year - 2016) / 7, 0.0), 1.0)
    shares = {
        "subsidy_income": float(np.clip(rng.normal(0.45 - 0.25 * progress, 0.08), 0.05, 0.7)),
        "contract_income": rng.uniform(0.08, 0.30),
        "investment_income": 0.0 if rng.random() < 0.6 - 0.35 * progress else rng.uniform(0.04, 0.18),
        "other_income": rng.uniform(0.0, 0.05),
    }
    scale = min(1.0, 0.92 / sum(shares.values()))
    subsidy = total * shares["subsidy_income"] * scale
    subsidy = float(np.round(subsidy, -4 if subsidy >= 50_000 else -3))  # 上级补助 comes in round sums
    row = {"subsidy_income": subsidy}
    for item in ("contract_income", "investment_income", "other_income"):
        row[item] = float(round(total * shares[item] * scale))
    row["operating_income"] = total - sum(row.values())
    if row["operating_income"] < 0:  # only when rounding the subsidy up overshoots a tiny total
        row["subsidy_income"] += row["operating_income"]
        row["operating_income"] = 0.0
    if year >= NEW_SYSTEM_FROM:  # 发包及上交收入 moves into 经营收入
        row["operating_income"] += row.pop("contract_income")
    return row


def _expenses(rng: np.random.Generator, income: dict[str, float], year: int, admin_base: float) -> dict[str, float]:
    total = sum(income.values())
    row = {
        "operating_expense": float(round(income["operating_income"] * rng.uniform(0.25, 0.55))),
        "admin_expense": float(round(min(admin_base * 1.04 ** (year - 2016), 0.8 * total + 8_000))),
        "other_expense": float(round(total * rng.uniform(0.0, 0.08))),
    }
    if year >= NEW_SYSTEM_FROM:
        row |= {
            "tax_and_surcharges": float(round(0.006 * income["operating_income"])),
            "public_welfare_expense": float(round(total * rng.uniform(0.02, 0.08))),
            "income_tax": 0.0,
        }
    return row


def _shanghe_row(year: int) -> dict[str, float]:
    values = SHANGHE_ACCOUNTS[year]
    names = (*INCOME_ITEMS_2004, *EXPENSE_ITEMS_2004, "assets", "liabilities")
    return {name: float(value) for name, value in zip(names, values, strict=True)}


def _with_totals(row: dict[str, float], year: int) -> dict[str, float]:
    """All account items, totals as the sums of their parts; items the year's system lacks are NaN."""
    full = dict.fromkeys(ITEMS, math.nan)
    full.update(row)
    full["total_income"] = float(sum(full[i] for i in income_items(year)))
    full["total_expense"] = float(sum(full[i] for i in expense_items(year)))
    full["net_income"] = full["total_income"] - full["total_expense"]
    return full


def _plant_round_subsidy(villages: list[_Village], years: list[int], accounts: dict) -> None:
    """Make one 桂东县 subsidy exactly 120,000 yuan: its ledger writes it 十二万."""
    for v in villages:
        if v.county != "桂东县" or v.article:
            continue
        for year in years[::-1]:
            row = accounts[(v.code, year)]
            shift = row["subsidy_income"] - 120_000
            if 60_000 <= row["subsidy_income"] <= 200_000 and row["operating_income"] + shift >= 0:
                row["operating_income"] += shift
                row["subsidy_income"] = 120_000.0
                return


def _truth(villages: list[_Village], years: list[int], accounts: dict, panel: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for v in villages:
        for year in years:
            rows.append(
                {
                    "county": v.county,
                    "county_code": v.code[:6],
                    "township": v.township,
                    "village": v.name,
                    "village_code": v.code,
                    "year": year,
                    **accounts[(v.code, year)],
                }
            )
    truth = pd.DataFrame(rows).merge(panel, on=["village_code", "year"], how="left", validate="one_to_one")
    truth["secretary_start"] = pd.to_datetime(truth["secretary_start"])
    truth["from_article"] = truth["village"].isin(chenzhou.ARTICLE_VILLAGES)
    columns = [
        "county",
        "county_code",
        "township",
        "village",
        "village_code",
        "year",
        *ITEMS,
        *SECRETARY_COLUMNS,
        "from_article",
    ]
    return truth[columns].astype({item: "float64" for item in ITEMS} | {"year": "int64", "tenure_years": "int64"})


# --- how offices write amounts and names -------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789.-,", "０１２３４５６７８９．－，")
_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_wan(yuan: int) -> str:
    """A multiple of 10,000 yuan below 1,000,000 in Chinese numerals: 120000 → 十二万, 80000 → 八万."""
    tens, ones = divmod(yuan // 10_000, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
    return text + (_CHINESE_DIGITS[ones] if ones else "") + "万"


def _wan_text(yuan: float) -> str:
    """Yuan as 万元 with four decimals, trailing zeros dropped (12.3457, 4.2, 30)."""
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".")


def _grouped(yuan: int) -> str:
    return f"{yuan:,d}"


@dataclass
class _Style:
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

    def amount(self, yuan: float, item: str, rng: np.random.Generator, *, approx: str | None = None):
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


def _written_name(v: _Village, year: int | None, rng: np.random.Generator, variants: float) -> str:
    """The village as a clerk writes it: sometimes 村委会 or 股份经济合作社, stray spaces, the former name."""
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


# --- documents: what goes in each file ---------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0, c0, r1, c1
    widths: dict[int, float] = field(default_factory=dict)
    number_format: str | None = None  # of every number outside the header rows, e.g. #,##0.00

    def append(self, row: list) -> int:
        """Add a row; returns its 0-based index."""
        self.rows.append(list(row))
        return len(self.rows) - 1


@dataclass
class _Document:
    path: str  # relative to the output folder, posix separators
    sheets: list[_Sheet]
    layout: str  # wide | long | statement | roster
    unit: str
    encoding: str | None = None  # CSV only
    what: str = ""


@dataclass(frozen=True)
class _At:
    document: _Document
    sheet: _Sheet
    row: int  # 0-based
    col: int


class _CellIndex:
    """Where every amount was written: (village_code, year, item) -> cells, and the subtotal cells."""

    def __init__(self):
        self.amounts: dict[tuple[str, int, str], list[_At]] = {}
        self.subtotals: dict[tuple[str, str, int, str, str], _At] = {}  # (path, sheet, year, label, item)

    def add(self, key: tuple[str, int, str], at: _At) -> None:
        self.amounts.setdefault(key, []).append(at)


_ITEM_HEADERS = {  # the two-level header: (group, sub-label) of each item column
    **{item: ("本年收入", labels.INCOME_ITEMS[item]) for item in labels.INCOME_ITEMS},
    "total_income": ("本年收入", "合计"),
    **{item: ("本年支出", labels.EXPENSE_ITEMS[item]) for item in labels.EXPENSE_ITEMS},
    "total_expense": ("本年支出", "合计"),
}
_FLAT_HEADERS = {**labels.ACCOUNT_ITEMS, "assets": "资产总额", "liabilities": "负债总额"}


def _wide_columns(year: int) -> list[str]:
    return [
        *income_items(year),
        "total_income",
        *expense_items(year),
        "total_expense",
        "net_income",
        "assets",
        "liabilities",
    ]


def _wide_sheet(
    world: _World,
    document: _Document,
    *,
    county: str,
    year: int,
    style: _Style,
    rng: np.random.Generator,
    index: _CellIndex,
    sheet_name: str,
    two_level: bool = True,
    unit_row: bool = True,
    variants: float = 0.06,
    extra: dict | None = None,
    name_override: dict[str, str] | None = None,
) -> _Sheet:
    """One row per village, township 小计 rows and a 合计 row, as a county office reports a year."""
    sheet = _Sheet(sheet_name)
    items = _wide_columns(year)
    first_amount = 3
    width = first_amount + len(items)
    title = f"{county}{year}年村级集体经济收支情况统计表（{SYNTHETIC}）"
    sheet.merges.append((sheet.append([title]), 0, 0, width - 1))
    if unit_row:
        sheet.append([f"单位：{style.unit}"])
    if two_level:
        top, sub, group_before = ["序号", "乡镇", "村名"], [None, None, None], None
        for item in items:
            group, label = _ITEM_HEADERS.get(item, (_FLAT_HEADERS[item], None))
            # A group label stands over its first sub-column (merged across the rest in a workbook).
            top.append(None if label is not None and group == group_before else group)
            sub.append(label)
            group_before = group if label is not None else None
        header_row = sheet.append(top)
        sheet.append(sub)
        for col in range(width):
            if sub[col] is None:
                sheet.merges.append((header_row, col, header_row + 1, col))
        for group in ("本年收入", "本年支出"):
            cols = [first_amount + i for i, item in enumerate(items) if _ITEM_HEADERS.get(item, ("",))[0] == group]
            sheet.merges.append((header_row, cols[0], header_row, cols[-1]))
    else:
        unit = "" if unit_row else f"（{style.unit}）"
        sheet.append(["序号", "乡镇", "村名称", *[_FLAT_HEADERS[item] + unit for item in items]])
    sheet.widths = {1: 12, 2: 14}

    number = 0
    grand: dict[str, list[float]] = {item: [] for item in items}
    for township in chenzhou.TOWNSHIPS[county]:
        members = [v for v in world.villages if v.county == county and v.township == township]
        rows = [(v, world.accounts[(v.code, year)]) for v in members]
        if extra and extra["township"] == township:
            rows.insert(min(1, len(rows)), (None, extra["accounts"]))
        if not rows:
            continue
        block: dict[str, list[float]] = {item: [] for item in items}
        for v, accounts in rows:
            number += 1
            name = (
                extra["village"]
                if v is None
                else (name_override or {}).get(v.name) or _written_name(v, year, rng, variants)
            )
            row = sheet.append([number, township, name])
            for col, item in enumerate(items, start=first_amount):
                approx = _approx_text(world, v, year, item)
                sheet.rows[row].append(style.amount(accounts[item], item, rng, approx=approx))
                block[item].append(accounts[item])
                index.add((v.code if v else "UNKNOWN", year, item), _At(document, sheet, row, col))
        subtotal = sheet.append([None, f"{township}小计", None])
        for col, item in enumerate(items, start=first_amount):
            sheet.rows[subtotal].append(_sum_cell(block[item], item, style, rng))
            index.subtotals[(document.path, sheet.name, year, f"{township}小计", item)] = _At(
                document, sheet, subtotal, col
            )
            grand[item] += block[item]
    total = sheet.append([None, "合\u3000计", None])
    for item in items:
        sheet.rows[total].append(_sum_cell(grand[item], item, style, rng))
    sheet.append([SYNTHETIC_NOTE])
    return sheet


def _sum_cell(values: list[float], item: str, style: _Style, rng: np.random.Generator):
    present = [v for v in values if not math.isnan(v)]
    if not present:
        return None
    return style.amount(float(sum(present)), item, rng)


def _approx_text(world: _World, v: _Village | None, year: int, item: str) -> str | None:
    return None if v is None else world.approx_written.get((v.code, year, item))


_STATEMENT_LABELS = {
    "total_income": "一、本年收入",
    "total_expense": "二、本年支出",
    "net_income": "三、本年收益",
    "assets": "四、资产总额",
    "liabilities": "五、负债总额",
}


def _statement_lines(years: list[int], details: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """(label, item, detail) of every line of a 收益分配表 covering ``years``, numbered like the form."""

    def present(group):
        return [item for item in group if any(item in (*income_items(y), *expense_items(y)) for y in years)]

    lines = []
    for total, parts in (
        ("total_income", present(labels.INCOME_ITEMS)),
        ("total_expense", present(labels.EXPENSE_ITEMS)),
    ):
        lines.append((_STATEMENT_LABELS[total], total, None))
        for number, item in enumerate(parts, start=1):
            lines.append((f"  {number}.{labels.column(item)}", item, None))
            for detail in details.loc[details["item"].eq(item), "detail"].unique():
                lines.append((f"    其中：{detail}", item, detail))
    lines += [(_STATEMENT_LABELS[item], item, None) for item in ("net_income", "assets", "liabilities")]
    return lines


def _year_header(year: int, how: str, position: int):
    if how == "mixed":
        how = ("年", "number", "chinese", "年度")[position % 4]
    if how == "number":
        return year
    if how == "chinese":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(year)) + "年"
    if how == "年度":
        return f"{year}年度"
    return f"{year}年"


def _statement_sheet(
    world: _World,
    document: _Document,
    v: _Village,
    *,
    style: _Style,
    rng: np.random.Generator,
    index: _CellIndex,
    year_headers: str = "年",
    variants: float = 0.1,
) -> _Sheet:
    """One village's 收益分配表: items down, years across."""
    years = world.years
    details = world.details.loc[world.details["village_code"].eq(v.code)]
    sheet_name = v.name + "村委会" if rng.random() < variants * 0.3 else v.name
    sheet = _Sheet(sheet_name, widths={0: 26})
    width = 1 + len(years)
    title = f"{v.county}{v.township}{v.name}收益分配表（{SYNTHETIC}）"
    sheet.merges.append((sheet.append([title]), 0, 0, max(width - 1, 1)))
    sheet.append([f"单位：{style.unit}"])
    sheet.append(["项目", *[_year_header(y, year_headers, j) for j, y in enumerate(years)]])
    for label, item, detail in _statement_lines(years, details):
        row = sheet.append([label])
        for col, year in enumerate(years, start=1):
            if detail is None:
                value = style.amount(
                    world.accounts[(v.code, year)][item], item, rng, approx=_approx_text(world, v, year, item)
                )
                index.add((v.code, year, item), _At(document, sheet, row, col))
            else:
                found = details.loc[
                    details["year"].eq(year) & details["item"].eq(item) & details["detail"].eq(detail), "amount_yuan"
                ]
                value = None if found.empty else style.amount(float(found.iloc[0]), item, rng)
            sheet.rows[row].append(value)
    sheet.append([SYNTHETIC_NOTE])
    return sheet


_LONG_ITEM_LABELS = {**labels.ACCOUNT_ITEMS, "assets": "资产总额", "liabilities": "负债总额"}


def _long_sheet(
    world: _World,
    document: _Document,
    villages: list[_Village],
    years: list[int],
    *,
    columns: dict[str, str],
    style: _Style,
    rng: np.random.Generator,
    index: _CellIndex,
    title: str | None,
    sheet_name: str,
    year_cells: str = "number",
    item_labels: dict[str, str] | None = None,
    variants: float = 0.04,
) -> _Sheet:
    """One row per amount. ``columns`` maps roles (year, township, village, item, amount) to header labels,
    in column order."""
    sheet = _Sheet(sheet_name, widths={list(columns).index("item"): 16})
    if title:
        sheet.merges.append((sheet.append([title]), 0, 0, len(columns) - 1))
    if not any(u in columns["amount"] for u in ("元", "万元")):
        sheet.append([f"单位：{style.unit}"])
    sheet.append(list(columns.values()))
    item_labels = {**_LONG_ITEM_LABELS, **(item_labels or {})}
    for v in villages:
        for j, year in enumerate(years):
            accounts = world.accounts[(v.code, year)]
            name = _written_name(v, year, rng, variants)
            for item in (
                *income_items(year),
                "total_income",
                *expense_items(year),
                "total_expense",
                "net_income",
                "assets",
                "liabilities",
            ):
                yuan = accounts[item]
                if math.isnan(yuan):
                    continue  # a long ledger leaves out what it has no amount for
                cells = {
                    "year": _year_cell(year, year_cells, j + len(sheet.rows)),
                    "township": v.township,
                    "village": name,
                    "item": item_labels[item],
                    "amount": style.amount(yuan, item, rng, approx=_approx_text(world, v, year, item)),
                }
                row = sheet.append([cells.get(role) for role in columns])
                index.add((v.code, year, item), _At(document, sheet, row, list(columns).index("amount")))
    return sheet


def _year_cell(year: int, how: str, position: int):
    if how == "mixed":
        return (year, f"{year}年", year, _year_header(year, "chinese", 0))[position % 4]
    if how == "年度":
        return f"{year}年度"
    return year


# --- the files of each county ---------------------------------------------------------------------------


def _documents(world: _World, seed: int) -> tuple[list[_Document], pd.DataFrame]:
    """Every ledger file of the sample, with the deliberately bad cells put in."""
    index = _CellIndex()
    years = world.years
    docs: list[_Document] = []
    by_county = {county: [v for v in world.villages if v.county == county] for county in chenzhou.COUNTY_CODES}

    def townships_of(county):
        return [t for t in chenzhou.TOWNSHIPS[county] if any(v.township == t for v in by_county[county])]

    def in_township(county, township):
        return [v for v in by_county[county] if v.township == township]

    def rng_for(path):
        return _stream(seed, path)

    def year_at(position):
        return years[min(position, len(years) - 1)]

    unknown = _unknown_village(world, by_county["宜章县"], year_at(5))

    # 北湖区: a long ledger per township (年度 | 村名 | 科目 | 金额（元）), some amounts written 4.2万.
    for township in townships_of("北湖区"):
        path = f"北湖区/北湖区{township}村级集体经济收支台账（合成样例）.xlsx"
        doc = _Document(path, [], "long", "元", what="long ledger per township, years written 2019/2019年/二〇一九年")
        doc.sheets.append(
            _long_sheet(
                world,
                doc,
                in_township("北湖区", township),
                years,
                style=_Style("元", wan_text=0.15),
                rng=rng_for(path),
                index=index,
                title=f"北湖区{township}村级集体经济收支台账（{SYNTHETIC}）",
                sheet_name="台账",
                columns={"year": "年度", "village": "村名", "item": "科目", "amount": "金额（元）"},
                year_cells="mixed",
                item_labels={"contract_income": "发包及上缴收入"},
            )
        )
        docs.append(doc)
    # 北湖区华塘镇: the 三资 platform's export (科目编码, full organisation names, 12-digit codes); duplicates.
    if (doc := sample_forms.sanzi_export(world, seed, index)) is not None:
        docs.append(doc)

    # 苏仙区: a workbook per year in 元 with a two-level header; some numbers stored as text.
    for year in years:
        path = f"苏仙区/苏仙区{year}年村级集体经济收支统计表（合成样例）.xlsx"
        doc = _Document(path, [], "wide", "元", what="one row per village, two-level merged header, 小计/合计")
        doc.sheets.append(
            _wide_sheet(
                world,
                doc,
                county="苏仙区",
                year=year,
                style=_Style("元", number_as_text=0.03),
                rng=rng_for(path),
                index=index,
                sheet_name=f"{year}年",
            )
        )
        docs.append(doc)

    # 桂阳县: 收益分配表 per township in 万元, one sheet per village.
    for township in townships_of("桂阳县"):
        path = f"桂阳县/桂阳县{township}村级集体经济组织收益分配表（合成样例）.xlsx"
        doc = _Document(path, [], "statement", "万元", what="收益分配表, one sheet per village, years across")
        rng = rng_for(path)
        doc.sheets += [
            _statement_sheet(world, doc, v, style=_Style("万元", negative="paren"), rng=rng, index=index)
            for v in in_township("桂阳县", township)
        ]
        docs.append(doc)

    # 宜章县: a GBK CSV per year in 元 (Excel's "CSV" export), 1,234,567 separators; the unknown village.
    for year in years:
        path = f"宜章县/宜章县{year}年村级集体经济收支统计表（合成样例）.csv"
        doc = _Document(
            path,
            [],
            "wide",
            "元",
            encoding="gbk",
            what="one row per village as CSV (GBK), header over two rows, 小计/合计",
        )
        doc.sheets.append(
            _wide_sheet(
                world,
                doc,
                county="宜章县",
                year=year,
                style=_Style("元", csv=True, thousands=True),
                rng=rng_for(path),
                index=index,
                sheet_name="",
                extra=unknown if unknown and unknown["year"] == year else None,
            )
        )
        docs.append(doc)

    # 永兴县: one workbook with a sheet per year in 万元, and again from the middle year on as UTF-8-BOM
    # long CSVs per township (the same amounts: duplicates).
    path = "永兴县/永兴县村级集体经济收支统计表（合成样例）.xlsx"
    doc = _Document(path, [], "wide", "万元", what="one sheet per year, two-level merged header, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        _wide_sheet(
            world, doc, county="永兴县", year=year, style=_Style("万元"), rng=rng, index=index, sheet_name=f"{year}年"
        )
        for year in years
    ]
    docs.append(doc)
    late = years[len(years) // 2 :]
    for township in townships_of("永兴县"):
        path = f"永兴县/永兴县{township}村级收支台账（合成样例）.csv"
        doc = _Document(
            path,
            [],
            "long",
            "元",
            encoding="utf-8-sig",
            what=f"long ledger (UTF-8 with BOM), {late[0]}–{late[-1]}, repeats the workbook",
        )
        doc.sheets.append(
            _long_sheet(
                world,
                doc,
                in_township("永兴县", township),
                late,
                style=_Style("元", csv=True, decimals=True),
                rng=rng_for(path),
                index=index,
                title=f"永兴县{township}村级集体经济收支台账（{SYNTHETIC}）",
                sheet_name="",
                columns={"year": "年度", "township": "乡镇", "village": "村", "item": "科目", "amount": "金额"},
                year_cells="年度",
            )
        )
        docs.append(doc)
    # and 马田镇's 收支台账 of the last year: every item in dated lines that add up to the workbook's figure.
    if (doc := sample_forms.cash_book(world, seed, index)) is not None:
        docs.append(doc)

    # 嘉禾县: one workbook in 万元, one-row header with the unit in every column label.
    path = "嘉禾县/嘉禾县村级集体经济收支统计表（合成样例）.xlsx"
    doc = _Document(path, [], "wide", "万元", what="one sheet per year, one-row header 经营收入（万元）…, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        _wide_sheet(
            world,
            doc,
            county="嘉禾县",
            year=year,
            style=_Style("万元", negative="minus"),
            rng=rng,
            index=index,
            sheet_name=f"{year}年",
            two_level=False,
            unit_row=False,
        )
        for year in years
    ]
    docs.append(doc)
    # and a 资产负债表 per township for the last two years (资产总计 and 负债合计 repeat the workbook's).
    docs += sample_forms.balance_sheets(world, seed, index)

    # 临武县: 收益分配表 per township in 元, years written 2016年 / 2017 / 二〇一八年 / 2019年度.
    for township in townships_of("临武县"):
        path = f"临武县/临武县{township}收益分配表（合成样例）.xlsx"
        doc = _Document(path, [], "statement", "元", what="收益分配表, years written four ways, full-width digits")
        rng = rng_for(path)
        style = _Style("元", number_as_text=0.1, fullwidth=0.3, negative="fullwidth_paren")
        doc.sheets += [
            _statement_sheet(world, doc, v, style=style, rng=rng, index=index, year_headers="mixed")
            for v in in_township("临武县", township)
        ]
        docs.append(doc)

    # 汝城县: one workbook in 万元 (上河村 written 上河村村委会), and 濠头乡's 收益分配表 in 元 with
    # 上河村's 其中 lines (光伏, 蔬菜大棚): the same amounts twice, except the one conflict.
    path = "汝城县/汝城县村级集体经济收支统计表（合成样例）.xlsx"
    doc = _Document(path, [], "wide", "万元", what="one sheet per year, two-level merged header, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        _wide_sheet(
            world,
            doc,
            county="汝城县",
            year=year,
            style=_Style("万元", negative="fullwidth_paren"),
            rng=rng,
            index=index,
            sheet_name=f"{year}年",
            name_override={SHANGHE: "上河村村委会"},
        )
        for year in years
    ]
    docs.append(doc)
    if in_township("汝城县", "濠头乡"):
        path = "汝城县/汝城县濠头乡收益分配表（合成样例）.xlsx"
        doc = _Document(path, [], "statement", "元", what="收益分配表 with 其中 lines, repeats the county workbook")
        rng = rng_for(path)
        doc.sheets += [
            _statement_sheet(world, doc, v, style=_Style("元", negative="paren"), rng=rng, index=index)
            for v in in_township("汝城县", "濠头乡")
        ]
        docs.append(doc)
    # and 濠头乡's 财务收支公开榜 of the 第三 and 第四季度: the year's figures again (本年累计数) and quarters.
    docs += sample_forms.disclosure_boards(world, seed, index)

    # 桂东县: one long workbook for the county with a 乡镇 column; subsidies sometimes in Chinese numerals.
    path = "桂东县/桂东县村级集体经济收支台账（合成样例）.xlsx"
    doc = _Document(path, [], "long", "元", what="long ledger with 乡镇 column, years 2019年度, 十二万")
    doc.sheets.append(
        _long_sheet(
            world,
            doc,
            by_county["桂东县"],
            years,
            style=_Style("元", chinese_subsidy=0.3),
            rng=rng_for(path),
            index=index,
            title=f"桂东县村级集体经济收支台账（{SYNTHETIC}）",
            sheet_name="台账（样例）",
            columns={"township": "乡镇", "village": "村名", "year": "年度", "item": "科目", "amount": "金额（元）"},
            year_cells="年度",
            item_labels={
                "subsidy_income": "上级补助收入",
                "total_income": "本年收入合计",
                "total_expense": "本年支出合计",
            },
        )
    )
    docs.append(doc)
    # and its largest township's 收益分配统计表 (本年数 | 上年数 in 千元): duplicates of the long workbook.
    if (doc := sample_forms.statistics_form(world, seed, index)) is not None:
        docs.append(doc)

    # 安仁县: 收益分配表 per township in 元, and the year before last again as a UTF-8-BOM CSV (duplicates).
    for township in townships_of("安仁县"):
        path = f"安仁县/安仁县{township}收益分配表（合成样例）.xlsx"
        doc = _Document(path, [], "statement", "元", what="收益分配表, one sheet per village")
        rng = rng_for(path)
        doc.sheets += [
            _statement_sheet(world, doc, v, style=_Style("元", negative="triangle"), rng=rng, index=index)
            for v in in_township("安仁县", township)
        ]
        docs.append(doc)
    report_year = year_at(len(years) - 2)
    path = f"安仁县/安仁县{report_year}年村级集体经济年报（合成样例）.csv"
    doc = _Document(
        path,
        [],
        "wide",
        "元",
        encoding="utf-8-sig",
        what="one row per village as CSV (UTF-8 with BOM), repeats the 收益分配表",
    )
    doc.sheets.append(
        _wide_sheet(
            world,
            doc,
            county="安仁县",
            year=report_year,
            style=_Style("元", csv=True, negative="triangle"),
            rng=rng_for(path),
            index=index,
            sheet_name="",
        )
    )
    docs.append(doc)

    # 资兴市: one long GBK CSV for the city in 万元.
    path = "资兴市/资兴市村级集体经济收支台账（合成样例）.csv"
    doc = _Document(path, [], "long", "万元", encoding="gbk", what="long ledger as CSV (GBK), 金额（万元）")
    doc.sheets.append(
        _long_sheet(
            world,
            doc,
            by_county["资兴市"],
            years,
            style=_Style("万元", csv=True, negative="paren"),
            rng=rng_for(path),
            index=index,
            title=f"资兴市村级集体经济收支台账（{SYNTHETIC}）",
            sheet_name="",
            columns={"year": "年度", "township": "乡镇", "village": "村名", "item": "科目", "amount": "金额（万元）"},
        )
    )
    docs.append(doc)

    _check_coverage(world, index)
    bad_cells = _put_bad_cells(world, index, unknown, year_at)
    return docs, bad_cells


def _unknown_village(world: _World, villages: list[_Village], year: int) -> dict | None:
    """A row for 青山坳村, which is not in the register, in 宜章县's ledger of ``year``."""
    if not villages:
        return None
    template = villages[0]
    accounts = world.accounts[(template.code, year)]
    scaled = {item: (math.nan if math.isnan(value) else float(round(value * 0.8))) for item, value in accounts.items()}
    return {
        "village": chenzhou.UNKNOWN_VILLAGE,
        "township": template.township,
        "year": year,
        "accounts": _with_totals({k: v for k, v in scaled.items() if not labels.TOTAL_ITEMS.get(k)}, year),
    }


def _check_coverage(world: _World, index: _CellIndex) -> None:
    """Every village-year item of the truth is written somewhere (else the round trip cannot work)."""
    for (code, year), accounts in world.accounts.items():
        for item, yuan in accounts.items():
            if not math.isnan(yuan) and (code, year, item) not in index.amounts:
                raise AssertionError(f"no file holds {item} {year} of village {code}")


# --- the deliberately bad cells ----------------------------------------------------------------------


def _put_bad_cells(world: _World, index: _CellIndex, unknown: dict | None, year_at) -> pd.DataFrame:
    bad: list[dict] = []
    villages = {v.code: v for v in world.villages}

    def record(at: _At, *, problem, code, year, item, cleaned, what, value=None):
        value = at.sheet.rows[at.row][at.col] if value is None else value
        file = at.document.path
        bad.append(
            {
                "file": file,
                "sheet": at.sheet.name,
                "row": at.row + 1,
                "cell": cell_ref(at.row + 1, at.col),
                "source": f"{file}!{at.sheet.name}!{at.row + 1}",
                "value": _as_text(value),
                "problem": problem,
                "village": villages[code].name if code in villages else chenzhou.UNKNOWN_VILLAGE,
                "village_code": code if code in villages else "",
                "year": year,
                "item": item,
                "truth_yuan": world.accounts[(code, year)][item] if code in villages else math.nan,
                "cleaned_yuan": cleaned,
                "what": what,
            }
        )

    # 1. A percentage typed into an amount column: 苏仙区's 负债 of one village (its 资产负债率).
    year = year_at(3)
    suxian = [
        v
        for v in world.villages
        if v.county == "苏仙区" and not math.isnan(world.accounts[(v.code, year)]["liabilities"])
    ]
    if suxian:
        v = suxian[len(suxian) // 2]
        [at] = [a for a in index.amounts[(v.code, year, "liabilities")] if a.document.path.startswith("苏仙区/")]
        at.sheet.rows[at.row][at.col] = "12.3%"
        record(
            at,
            problem="amount",
            code=v.code,
            year=year,
            item="liabilities",
            cleaned=math.nan,
            what="12.3% (the 资产负债率) typed into the 负债 column: not an amount; liabilities stay missing",
        )

    # 2. A 小计 that does not add up: 嘉禾县's first township block, 经营收入 one 万元 too high.
    year = year_at(4)
    keys = [k for k in index.subtotals if k[0].startswith("嘉禾县/") and k[2] == year and k[4] == "operating_income"]
    if keys:
        at = index.subtotals[keys[0]]
        at.sheet.rows[at.row][at.col] = round(at.sheet.rows[at.row][at.col] + 1, 4)
        record(
            at,
            problem="subtotal_mismatch",
            code="",
            year=year,
            item="operating_income",
            cleaned=math.nan,
            what=f"{keys[0][3]} 经营收入 is 1万元 more than its rows: the rows are kept",
        )

    # 3. A village that is not in the register: every amount of its row.
    if unknown is not None:
        for item in _wide_columns(unknown["year"]):
            for at in index.amounts.get(("UNKNOWN", unknown["year"], item), []):
                if at.sheet.rows[at.row][at.col] in (None, "—"):
                    continue  # nothing written, or a missing marker: no amount to reject
                record(
                    at,
                    problem="village_unknown",
                    code="",
                    year=unknown["year"],
                    item=item,
                    cleaned=math.nan,
                    what=f"{chenzhou.UNKNOWN_VILLAGE} is not in the register (its amounts are counted in its "
                    "township's 小计, as the township sent them)",
                )

    # 4. A conflicting duplicate: 汝城县's workbook and 濠头乡's 收益分配表 disagree on one village's 资产.
    year = year_at(3)
    haotou = sorted(
        (v for v in world.villages if v.township == "濠头乡" and v.county == "汝城县"),
        key=lambda v: (v.name == SHANGHE, v.code),
    )
    for v in haotou:
        places = index.amounts.get((v.code, year, "assets"), [])
        if len(places) == 2 and not math.isnan(world.accounts[(v.code, year)]["assets"]):
            wide, statement = sorted(places, key=lambda a: a.document.layout != "wide")
            true_assets = int(world.accounts[(v.code, year)]["assets"])
            statement.sheet.rows[statement.row][statement.col] = _transposed(true_assets)
            for at in (wide, statement):
                record(
                    at,
                    problem="conflict",
                    code=v.code,
                    year=year,
                    item="assets",
                    cleaned=math.nan,
                    what=f"资产 of {v.name} {year}: the 收益分配表 swaps two digits of the county's figure; "
                    "both are rejected and assets stay missing",
                )
            break
    return pd.DataFrame(
        bad,
        columns=[
            "file",
            "sheet",
            "row",
            "cell",
            "source",
            "value",
            "problem",
            "village",
            "village_code",
            "year",
            "item",
            "truth_yuan",
            "cleaned_yuan",
            "what",
        ],
    )


def _transposed(yuan: int) -> int:
    """The same number with two neighbouring digits swapped (a typing slip), never equal to it."""
    digits = list(str(yuan))
    for i in range(1, len(digits) - 1):
        if digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            return int("".join(digits))
    return yuan + 100_000


def _as_text(value) -> str:
    """A cell as the cleaner reports it in rejects (numbers as read back from the file)."""
    if isinstance(value, (int, float)):
        return format(float(value), ".15g")
    return "" if value is None else str(value)


# --- roster and register ---------------------------------------------------------------------------------


def _register_rows(register: pd.DataFrame) -> list[list]:
    # The header must be the first row (read_register), so the synthetic mark is a column of its own.
    marked = register.astype(str).assign(note=f"{SYNTHETIC} (synthetic sample)")
    return [list(marked.columns), *marked.to_numpy().tolist()]


# --- writing ---------------------------------------------------------------------------------------------


def _write_document(out: Path, document: _Document) -> Path:
    path = out / document.path
    if document.encoding is not None:
        [sheet] = document.sheets
        data = _csv_bytes(sheet.rows, document.encoding)
    else:
        data = _xlsx_bytes(document)
    return write_atomic(path, lambda p: p.write_bytes(data))


def _csv_bytes(rows: list[list], encoding: str) -> bytes:
    """CSV as Excel on Windows saves it: CRLF line endings, quotes only where needed."""
    buffer = stdio.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if value is None else value for value in row] for row in rows]
    )
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(document: _Document) -> bytes:
    buffer = stdio.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties(
        {
            "title": f"{Path(document.path).stem}",
            "subject": SYNTHETIC,
            "author": "villagecon sample",
            "comments": SYNTHETIC_NOTE,
            "created": CREATED,
        }
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    header = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    number_formats: dict[str, xlsxwriter.format.Format] = {}
    for sheet in document.sheets:
        ws = book.add_worksheet(sheet.name)
        header_rows = _header_rows(sheet)
        number = None
        if sheet.number_format is not None:
            number = number_formats.setdefault(
                sheet.number_format, book.add_format({"num_format": sheet.number_format})
            )
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                style = header if r in header_rows else number if isinstance(value, (int, float)) else None
                if _missing(value):
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, style)
                else:
                    ws.write_number(r, c, value, style)
        for r0, c0, r1, c1 in sheet.merges:
            if (r0, c0) != (r1, c1):
                value = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else None
                ws.merge_range(r0, c0, r1, c1, "" if value is None else value, title if r0 == 0 else header)
        for col, width in sheet.widths.items():
            ws.set_column(col, col, width)
        ws.set_row(0, None, bold)
    book.close()
    return buffer.getvalue()


def _header_rows(sheet: _Sheet) -> set[int]:
    return {
        r for r, row in enumerate(sheet.rows[:6]) if len(row) > 3 and all(isinstance(v, str) or v is None for v in row)
    }


# --- README ----------------------------------------------------------------------------------------------


def _readme(
    sample: Sample,
    documents: list[_Document],
    *,
    out: Path,
    seed: int,
    villages: int,
    years: list[int],
    roster: sample_forms.RosterForms,
) -> str:
    truth = sample.truth
    shares = truth.groupby("year")["total_income"].apply(lambda s: (s >= THRESHOLD).mean())
    modelled = truth.loc[~truth["from_article"]]
    board = max((y for y in years if y < NEW_SYSTEM_FROM), default=years[-1])  # the 公开榜's year
    lines = [
        f"# Synthetic sample data ({SYNTHETIC})",
        "",
        "Everything in this folder is **synthetic**: made by `villagecon sample` "
        f"(`villagecon sample --out data/raw --seed {seed} --villages {villages} --years {years[0]}-{years[-1]}`, "
        "code in `villagecon/sample/ledgers.py`). Do not edit these files by hand: change the generator and "
        "regenerate; "
        "`tests/test_sample.py` checks that regenerating gives exactly these bytes. The bytes depend on the "
        "locked versions of numpy (random streams) and xlsxwriter: after upgrading either, regenerate with the "
        "command above and commit the result.",
        "",
        "## What is real and what is invented",
        "",
        "Real: the 11 county-level units of 郴州市 and their 6-digit codes; the townships the article names "
        "(汝城县濠头乡, 北湖区华塘镇, 安仁县永乐江镇, 桂阳县欧阳海镇); the four villages and secretaries the article "
        "profiles (上河村/张小雄 from 2017-04, a 养殖大户; 塔水村/曹海欧, 书记兼主任 from 2021-01 with mentor 谭皓; "
        "排山村/刘鹏, 书记兼主任; 秧田村/段红锋, 书记兼主任), and the article's figures: 上河村's 负债4.2万元 in 2017 "
        "and 收入40余万元 in 2022 from 蔬菜大棚 and 光伏发电, more than 95% of villages above 10万元 in 2022, "
        "at least 3 days of training for every secretary, the 担当作为好支书 honour.",
        "",
        "Plausible but unchecked: the other township names. Invented: every other village name, all township and "
        "village codes (only the 6-digit county part is real), 秧田村's township (白鹭乡), every other person, the "
        "start dates of 刘鹏 and 段红锋, election dates, and every amount apart from the article's two figures.",
        "",
        "## Files",
        "",
        "| file | layout | unit | encoding | bytes | what |",
        "|---|---|---|---|---:|---|",
    ]
    for document in documents:
        size = (out / document.path).stat().st_size
        encoding = document.encoding.upper().replace("-SIG", " with BOM") if document.encoding else "xlsx"
        lines.append(
            f"| `{document.path}` | {document.layout} | {document.unit or '—'} | {encoding} | {size:,} | "
            f"{document.what} |"
        )
    register_size = (out / REGISTER_FILE).stat().st_size
    lines += [
        f"| `{REGISTER_FILE}` | register | — | UTF-8 | {register_size:,} | county, county_code, township, village, "
        "village_code (12 digits), aliases (former names, `|`-separated), note (合成样例数据) |",
        "",
        "Every ledger says it is synthetic in its title row or sheet name; the workbooks also in their document "
        "properties.",
        "",
        "Five of the forms follow the real forms offices send (`villagecon/sample/forms.py`); their amounts repeat "
        "those the other files give (duplicates, never conflicts), or are parts of the year no other file gives:",
        "",
        f"- 资产负债表 ({sample_forms.BALANCE_SHEET_COUNTY}, a workbook per township and year, one sheet per "
        "village): 资产总计 and 负债合计 are the truth's assets and liabilities, 年末数 for the year and 年初数 for "
        "the year before. The other lines (货币资金 … 未分配收益) are invented, drawn per village and year so that "
        "every 合计 and 总计 adds up in whole yuan, 固定资产净值 = 原值 − 累计折旧 and 所有者权益合计 = 资产 − 负债, "
        "and a 年末数 is the next year's 年初数 line by line; they reach the entries, not the truth. Where a "
        "village-year has no balance sheet (drawn up only after 清产核资), no sheet is written and a 年初数 is left "
        "empty.",
        f"- the 三资 platform export ({''.join(sample_forms.SANZI_PLACE)}): the truth's income and expense items "
        "under the 2004 account codes (501 … 561), accounts without an amount left out; 经营收入 sometimes split "
        "into 50101 农产品销售收入 and 50102 租赁收入 under the parent (the split is invented), and for a few "
        "villages only the sub-accounts, which add up to the truth's 经营收入.",
        f"- the 收益分配统计表 ({sample_forms.STATISTICS_COUNTY}'s largest township): 本年数 the truth of the year "
        "and 上年数 the year before, in 千元 (three decimals: exact to the yuan); 汇入本表村数 (个) and "
        "集体经济组织成员数 (人, invented) are not money.",
        f"- the 收支台账 ({sample_forms.CASH_BOOK_COUNTY}'s first township, the last year): 日期 | 凭证号 | 村 | "
        "摘要 | 项目 | 收入 | 支出, every income and expense item of every village with an amount split into "
        "2–4 lines on different days (subsidies in whole thousands where the year's figure is, some expenses "
        "to the fen; the split, the dates and the 摘要 are invented) that add up to the truth's figure exactly; "
        "vouchers 记-001 … in date order per village, each village's dates written one way (`2023-03-05`, "
        "`2023/3/5`, `2023年3月5日`).",
        f"- the 财务收支公开榜 ({''.join(sample_forms.DISCLOSURE_PLACE)}, {board}, a workbook for the 第三季度 "
        "and one for the 第四季度, one sheet per village): 项目 | 本季发生数 | 本年累计数, with 收入合计, 支出合计 "
        "and 本年收益 lines, a `公开日期：` and a `监督小组签字：` line. The 第四季度's 本年累计数 is the truth of the "
        f"year; its 本季发生数 is an invented 20–35% of it (whole yuan), part of the year (`{board}-10/{board}-12`), "
        f"kept in the entries and never in the accounts; the 第三季度's 本年累计数 (`{board}-01/{board}-09`) is the "
        f"year less the 第四季度 and its 本季发生数 (`{board}-07/{board}-09`) an invented 25–40% of that.",
        "",
        f"All but the 收支台账 keep to the years of the 2004 accounting system (before {NEW_SYSTEM_FROM}).",
        "",
        *_roster_readme(sample, roster),
        "## The generating process",
        "",
        f"{truth['village_code'].nunique()} villages, {years[0]}–{years[-1]}. For the villages the article does not "
        "profile:",
        "",
        "    log(total_income) = year_effect[year] + village_effect + TENURE_EFFECT * tenure_years + noise",
        "",
        f"- `TENURE_EFFECT = {TENURE_EFFECT}` log points per completed year in office; `tenure_years` = the year minus "
        "the start year of the secretary in office on 31 December (0 in the first year);",
        f"- village effects N(0, {VILLAGE_SD}) with a county part N(0, {COUNTY_SD}); noise N(0, {NOISE_SD}) "
        "independent across years;",
        "- year effects set so that a fixed share of villages is at or above 10万元 each year;",
        f"- secretaries change at elections ({', '.join(e.strftime('%Y-%m') for e in ELECTIONS)}; "
        f"probability {REPLACED_AT_ELECTION}) and in between ({REPLACED_PER_YEAR} a year): "
        f"tenure runs from {int(modelled['tenure_years'].min())} to {int(modelled['tenure_years'].max())} years.",
        "",
        "Income items are shares of the total (本年收入合计 is their sum), expenses are drawn around it, 本年收益 = "
        "income − expenses; every amount is whole yuan. The article's villages follow the article instead; leave "
        "them out when estimating the tenure effect.",
        "",
        "Share of villages with total_income ≥ 100,000 yuan:",
        "",
        "| year | " + " | ".join(str(y) for y in shares.index) + " |",
        "|---|" + "---:|" * len(shares),
        "| share | " + " | ".join(f"{s:.1%}" for s in shares) + " |",
        "",
        "## Deliberately bad cells and the rejects they must produce",
        "",
        f"`villagecon clean data/raw` must reject exactly these {len(sample.bad_cells)} cells, and nothing else; every "
        "other amount must clean to the truth to the fen (`tests/test_sample.py` checks both). The truth stays in "
        "memory: `villagecon.sample.ledgers.write_sample(...).truth`, or `sample_truth()` without writing files.",
        "",
        "| source (file!sheet!row) | cells | values | reject (`problem`) × cells | why |",
        "|---|---|---|---|---|",
    ]
    for (source, problem, what), cells in sample.bad_cells.groupby(["source", "problem", "what"], sort=False):
        values = ", ".join(f"`{v}`" for v in cells["value"])
        lines.append(f"| `{source}` | {', '.join(cells['cell'])} | {values} | `{problem}` × {len(cells)} | {what} |")
    lines += [
        "",
        "Approximate amounts (read, not rejected; the cleaned value is the number written, flagged `approx`):",
        "",
        "| village | year | item | written | truth (yuan) | cleaned (yuan) |",
        "|---|---|---|---|---:|---:|",
    ]
    for cell in sample.approx_cells.itertuples(index=False):
        lines.append(
            f"| {cell.village} | {cell.year} | {cell.item} | `{cell.written}` | {cell.truth_yuan:,.0f} | "
            f"{cell.cleaned_yuan:,.0f} |"
        )
    lines += [
        "",
        "## Messiness that must be read without a reject",
        "",
        "- layouts: one row per village (two-level merged header or one-row header, title, 单位 row, 小计 and 合计 "
        "rows, a note), long 年度/村/科目/金额 ledgers, a dated 收支台账 (日期 | 凭证号 | 村 | 摘要 | 项目 | 收入 | "
        "支出, several lines per item that add up), 收益分配表 with one sheet per village and years across; a "
        "quarterly 财务收支公开榜 (项目 | 本季发生数 | 本年累计数); 资产负债表 with two blocks side by side "
        "(资产 | 行次 | 年初数 | 年末数 ‖ 负债及所有者权益 | 行次 | 年初数 | 年末数) and section rows "
        "(`流动资产：`, `所有者权益：`); a 三资 platform export (序号 | 区划代码 | 组织名称 | 会计年度 | "
        "科目编码 | 科目名称 | 本年累计（元）, header on the first row, sub-accounts 50101/50102 with and without "
        "their parent 501); a 收益分配统计表 (指标名称 | 代码 | 计量单位 | 本年数 | 上年数, a 甲 乙 丙 1 2 row, a "
        "`四、附报指标` section and rows in 个 and 人 that are not money);",
        "- units: 元, 千元 (three decimals) and 万元 (four decimals), from a 单位 row or an 编制单位 line's "
        "`单位：元`, a column label (`金额（万元）`, `本年累计（元）`), a row's 计量单位 cell (`千元`) or the cell "
        "(`4.2万`, `40余万元`, `十二万`);",
        "- text amounts: `（4.2）`, `(1.2345)`, `△5000`, `1,234,567`, `1234.00`, full-width digits, numbers stored "
        "as text;",
        "- years: `2019`, `2019年`, `2019年度`, `二〇一九年`, a line's date `2023-03-05`, `2023/3/5` or "
        "`2023年3月5日`, a date line `2023年12月31日` or a `2023年度` line above the table, 会计年度 written as text, "
        "年初数 and 上年数 columns (the year before), a `第三季度` or `第四季度` title over 本季发生数 and 本年累计数 "
        "columns (part of a year, except the 第四季度's 本年累计数);",
        "- village names: `上河村村委会`, `石冲　村` (full-width space), ` 石冲村 `, `…股份经济合作社`, full "
        "organisation names in a 组织名称 column (`郴州市北湖区华塘镇塔水村股份经济合作社`, beside the 12-digit "
        "区划代码) or an 编制单位/填报单位 line, and before "
        f"{RENAMED_IN} the former names listed as aliases in `{REGISTER_FILE}`;",
        "- footers under the amount columns: `单位负责人：`, `会计：`, `制表：`, `填表人：`, "
        "`报出日期：…`, `公开日期：…`, `监督小组签字：`;",
        "- CSV encodings: GBK and UTF-8 with BOM; line endings CRLF;",
        "- balance sheets not drawn up before 清产核资 written `—` (missing, not zero);",
        "- the same amounts in two files (county workbook and township ledgers, balance sheets, the 三资 export, "
        "the statistics form, the 收支台账's lines added up and the 第四季度 公开榜's 本年累计数): kept once, listed "
        "as duplicates; a 年初数 or 上年数 equal to the year's own figure is a duplicate too.",
        "",
    ]
    return "\n".join(lines)


def _roster_readme(sample: Sample, roster: sample_forms.RosterForms) -> list[str]:
    """The roster's section of README.md: its sheets, what is invented, and how it reads."""
    county, township = roster.township
    huanjie = f"{roster.huanjie:%Y-%m}" if roster.huanjie is not None else "the last election"
    invented = int((~sample.roster["name"].isin(chenzhou.ARTICLE_PEOPLE)).sum())
    if roster.split is not None:
        village, name, election = roster.split
        before = election - dt.timedelta(days=1)
        split = (
            f" {name} ({village}) is written in two rows, 书记 until {before:%Y.%m} and …书记、村委会主任 from "
            f"{election:%Y.%m} (the {election.year} 换届): the truth gives a spell one role, 书记兼主任; the "
            f"书记 years before {election.year} are invented and lie before the sample's first 31 December, so "
            "every year reads as the truth, and the rows join into one spell with a `roles` history."
        )
    else:
        split = ""
    roles = ", ".join(sorted(set(sample.committee["role"])))
    return [
        "## The roster",
        "",
        f"`{ROSTER_FILE}` holds every secretary spell of the truth, in three sheets of the forms organisation "
        "departments keep:",
        "",
        f"- `{sample_forms.ROSTER_SHEET}`, the city's 花名册: 序号 | 县市区 | 乡镇 | 村（社区） | 姓名 | 性别 | "
        '出生年月 | 学历 | 是否"一肩挑" (是/否) | 新任/连任 | 任职起止时间 (one cell) | 来源 | 导师 | 培训天数 | '
        "荣誉 | 备注, a title, a 填表说明 row, 县市区 merged over each county's rows and a 填表人 footer. One row "
        f"per spell; a spell across the {huanjie} 换届 is two rows, the term before it and the 连任 row from it "
        "(新任/连任 speaks of that 换届 and is empty before it). 任职起止时间 is written one way per county: "
        "`2011.01—2017.03` and `2017.04—至今`, `2011.01-2017.03` and `2017.04-至今`, `2011年1月—2017年3月` and "
        "`2017年4月至今`, or `2011.01—2017.03` and an open end `2017.04—`. 来源 is written in other words for "
        f"{roster.reworded} of the {invented} spells of invented secretaries (大学生村官, 种养大户, 退伍军人, "
        "返乡创业人员 …, and for 其他 what the person was: 外出务工返乡, 选派干部, 村医, 退休干部); each is read as "
        "the category the truth has. 导师, 培训天数 and 荣誉 are on a spell's last row. "
        f"{township}'s current terms are on its 两委班子 sheet instead (the same current spell on two sheets "
        "would overlap itself).",
        f"- `{township}历任书记（合成样例）`: {county}{township}'s rows that ended, 序号 | 村 | 姓名 | 职务 "
        "(党支部书记, 党总支书记, …、村委会主任) | 任职起止时间 | 来源 | 备注: the spells that ended (on the 花名册 "
        f"too, the same rows, which join) and the terms before the 换届 of its current secretaries.{split}",
        f"- `{township}两委班子（合成样例）`: the township's 村“两委” in office, a header over two rows (村（社区） "
        "and the others merged over both, 任职时间 over 起 | 止), a section row "
        f"`一、{township}（共{roster.villages}个村）` merged across the table and 村 merged over each village's "
        "rows: the secretary (起 the 换届 for a 连任 one, whose term before it is on the 历任书记 sheet), and "
        f"{len(sample.committee)} rows of other posts ({roles}), every one an invented person.",
        "",
        "Invented besides: 性别, 出生年月 and 学历 of every secretary (left empty for the article's four), the "
        "wording of 来源, whether a village has a 党支部 or a 党总支, the two-committee members and the 填表人. "
        f'`villagecon.ingest.roster.read_roster_tables("{ROSTER_FILE}", register="{REGISTER_FILE}")` gives every '
        "spell of the truth (start, end, role, background, mentor, training days, honours), no reject, and the "
        "other posts in `others`; `tenure` on it gives the truth's secretary and tenure for every village-year.",
        "",
    ]
