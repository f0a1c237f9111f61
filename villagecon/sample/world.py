"""The world the sample is drawn from: villages, secretaries and their spells, accounts, and the truth table.

:func:`draw_world` draws it from one seed (:mod:`villagecon.sample.process` says how); every file of the sample
is written from it, so that what the cleaner reads back can be checked against :attr:`World.truth`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from villagecon.errors import UsageError
from villagecon.sample.article import (
    ARTICLE_TOTALS,
    PREDECESSOR_STARTS,
    SHANGHE,
    SHANGHE_2022_WRITTEN,
    SHANGHE_ACCOUNTS,
    SHANGHE_DETAILS,
    YANGTIAN_LIABILITIES,
)
from villagecon.sample.process import (
    BACKGROUND_SHARES,
    COUNTY_SD,
    COUNTY_WEIGHTS,
    ELECTIONS,
    EXPENSE_ITEMS_2004,
    INCOME_ITEMS_2004,
    ITEMS,
    LONGEST_TENURE_AT_START,
    NEW_SYSTEM_FROM,
    NO_BALANCE_SHEET_BEFORE,
    NO_BALANCE_SHEET_SHARE,
    NOISE_SD,
    RENAMED_IN,
    RENAMED_SHARE,
    REPLACED_AT_ELECTION,
    REPLACED_PER_YEAR,
    SECRETARY_COLUMNS,
    TENURE_EFFECT,
    THRESHOLD,
    VILLAGE_SD,
    expense_items,
    income_items,
    share_above_target,
    stream,
)
from villagecon.vocab import chenzhou

__all__ = ["Village", "World", "draw_world", "is_missing", "name_in", "organisation_name", "villages_of", "with_totals"]


@dataclass(frozen=True)
class Village:
    """A village of the sample: county, township, name, 12-digit code, former name, the article's secretary."""

    county: str
    township: str
    name: str
    code: str
    former_name: str | None
    article: chenzhou.ArticleSecretary | None


# (village_code, year) -> {item: yuan, NaN where the item does not exist that year}
Accounts = dict[tuple[str, int], dict[str, float]]


@dataclass
class World:
    """Everything the sample is drawn from: villages, truth, details, roster, register, approximations, accounts."""

    years: list[int]
    villages: list[Village]
    truth: pd.DataFrame
    details: pd.DataFrame
    roster: pd.DataFrame
    register: pd.DataFrame
    approx_cells: pd.DataFrame
    approx_written: dict[tuple[str, int, str], str]
    # (village_code, year) -> {item: yuan or nan}
    accounts: Accounts = field(default_factory=dict)


def draw_world(seed: int, n_villages: int, years: list[int]) -> World:
    """Draw the sample's world from ``seed``: villages, secretaries' spells, accounts and the truth.

    Parameters
    ----------
    seed : int
    n_villages : int
    years : list of int

    Returns
    -------
    World
    """
    villages = _draw_villages(stream(seed, "villages"), n_villages)
    roster = _draw_roster(stream(seed, "secretaries"), villages, years)
    panel = _secretary_panel(roster, villages, years)
    accounts, details, approx = _draw_accounts(stream(seed, "accounts"), villages, years, panel)
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
    return World(
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


def _draw_villages(rng: np.random.Generator, n: int) -> list[Village]:
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
                villages.append(Village(county, township, name, code, None, secretary))
    invented = [i for i, v in enumerate(villages) if v.article is None]
    for index in sorted(rng.choice(invented, size=min(n_renamed, len(invented)), replace=False)):
        v = villages[index]
        villages[index] = Village(v.county, v.township, v.name, v.code, next(names), None)
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
        county = max(counts, key=lambda c: counts[c])
        counts[county] -= 1
    return counts


def _draw_roster(rng: np.random.Generator, villages: list[Village], years: list[int]) -> pd.DataFrame:
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


def _secretary_panel(roster: pd.DataFrame, villages: list[Village], years: list[int]) -> pd.DataFrame:
    """The secretary in office on 31 December of every village-year, and their completed years in office."""
    spells: dict[str, list[dict[str, Any]]] = {}
    for record in roster.to_dict(orient="records"):
        spells.setdefault(str(record["village_code"]), []).append({str(k): value for k, value in record.items()})
    rows = []
    for v in villages:
        for year in years:
            year_end = dt.date(year, 12, 31)
            spell: dict[str, Any] = [
                s for s in spells[v.code] if s["start"] <= year_end and (is_missing(s["end"]) or s["end"] >= year_end)
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


def is_missing(value: object) -> bool:
    """Whether a cell or a roster value is missing: None, NaN or NaT.

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _draw_accounts(
    rng: np.random.Generator, villages: list[Village], years: list[int], panel: pd.DataFrame
) -> tuple[Accounts, pd.DataFrame, pd.DataFrame]:
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
            accounts[(v.code, year)] = with_totals(row, year)
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


def with_totals(row: dict[str, float], year: int) -> dict[str, float]:
    """All account items, totals as the sums of their parts; items the year's system lacks are NaN.

    Parameters
    ----------
    row : dict of str to float
        The parts (yuan).
    year : int

    Returns
    -------
    dict of str to float
    """
    full = dict.fromkeys(ITEMS, math.nan)
    full.update(row)
    full["total_income"] = float(sum(full[i] for i in income_items(year)))
    full["total_expense"] = float(sum(full[i] for i in expense_items(year)))
    full["net_income"] = full["total_income"] - full["total_expense"]
    return full


def _plant_round_subsidy(villages: list[Village], years: list[int], accounts: Accounts) -> None:
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


def _truth(villages: list[Village], years: list[int], accounts: Accounts, panel: pd.DataFrame) -> pd.DataFrame:
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


def name_in(v: Village, year: int) -> str:
    """The village's name in a form of ``year`` (its former name before it was renamed).

    Parameters
    ----------
    v : Village
    year : int

    Returns
    -------
    str
    """
    return v.former_name if v.former_name and year < RENAMED_IN else v.name


def organisation_name(v: Village, year: int, *, city: bool = False) -> str:
    """The full name of the village's collective economic organisation: 嘉禾县袁家镇桥冲村股份经济合作社.

    Parameters
    ----------
    v : Village
    year : int
        The year of the form (before :data:`~villagecon.sample.process.RENAMED_IN` a renamed village has its
        former name).
    city : bool
        Start with 郴州市, as the 三资 platform writes it.

    Returns
    -------
    str
    """
    return f"{'郴州市' if city else ''}{v.county}{v.township}{name_in(v, year)}股份经济合作社"


def villages_of(world: World, county: str, township: str | None = None) -> list[Village]:
    """The villages of a county, or of one of its townships, in the world's order.

    Parameters
    ----------
    world : World
    county : str
    township : str, optional

    Returns
    -------
    list of Village
    """
    return [v for v in world.villages if v.county == county and (township is None or v.township == township)]
