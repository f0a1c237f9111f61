"""One partition of the journal sample: income, expense and other lines, ordered into books with their totals.

Each book opens with 上年结转, has 过次页/承前页 every :data:`PAGE_LINES` lines, 本月合计 and 本年累计 at each
month's end, and closes with 结转下年; balances never go below zero.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from villagecon.journal import BANK_BOOK, CASH_BOOK
from villagecon.sample.journal.defects import DEFECT_COLUMNS, locate_defects, plant_defects
from villagecon.sample.journal.table import arrow_table
from villagecon.sample.process import expense_items, income_items
from villagecon.vocab import labels

__all__ = [
    "BANK_INCOME_SHARE",
    "BLANK_COUNTER_SHARE",
    "CASH_EXPENSE_SHARE",
    "COUNTER_SPELLINGS",
    "LOANS_PAID",
    "LOANS_RECEIVED",
    "PAGE_LINES",
    "PNL_SHARE",
    "REPEATED_SUMMARIES",
    "SUMMARIES",
    "TRANSFERS",
    "partition",
]

PAGE_LINES = 30  # lines on a printed journal page: 过次页/承前页 after each page
PNL_SHARE = 0.6  # of the lines, those booking income or expense
BLANK_COUNTER_SHARE = 0.05  # lines whose 对方科目 is left blank (the 摘要 tells)
BANK_INCOME_SHARE = 0.7  # income received through the bank (补助收入 always)
CASH_EXPENSE_SHARE = 0.65  # expenses paid in cash


# How offices write each 对方科目 (the 2004 system's codes only before 2024), and 摘要 that name the item.
COUNTER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "operating_income": ("经营收入", "501经营收入", "经营收入—光伏发电", "经营收入-农产品销售"),
    "contract_income": ("发包及上交收入", "511发包及上交收入", "发包及上缴收入", "发包及上交收入/鱼塘承包"),
    "investment_income": ("投资收益", "561投资收益"),
    "subsidy_income": ("补助收入", "522补助收入", "上级补助收入"),
    "other_income": ("其他收入", "531其他收入"),
    "operating_expense": ("经营支出", "502经营支出", "经营支出—光伏运维"),
    "admin_expense": ("管理费用", "541管理费用", "管理费用—办公费", "管理费用—误工补贴", "管理费用/差旅费"),
    "other_expense": ("其他支出", "551其他支出"),
    "tax_and_surcharges": ("税金及附加",),
    "public_welfare_expense": ("公益支出",),
    "income_tax": ("所得税费用",),
}
SUMMARIES: dict[str, tuple[str, ...]] = {
    "operating_income": ("收光伏发电收入", "收农产品销售款", "收农机服务费", "收门面租金"),
    "contract_income": ("收鱼塘承包费", "收山林发包款", "收土地承包费"),
    "investment_income": ("收合作社分红", "收入股分红"),
    "subsidy_income": ("收上级补助资金", "收村级运转经费补助", "收转移支付资金"),
    "other_income": ("收银行存款利息", "收其他收入"),
    "operating_expense": ("付苗木材料款", "付光伏电站运维费", "付农资采购款"),
    "admin_expense": ("付办公用品费", "付村干部误工补贴", "付差旅费", "付电话费"),
    "other_expense": ("付银行手续费", "付其他支出"),
    "tax_and_surcharges": ("缴纳税金及附加",),
    "public_welfare_expense": ("付五保户慰问金", "付村道路灯电费"),
    "income_tax": ("缴纳所得税",),
}
# Money that is neither income nor expense: (摘要, 对方科目) received and paid.
LOANS_RECEIVED = (("收回农户借款", "应收款"), ("收工程押金", "应付款"), ("收内部往来款", "内部往来"))
LOANS_PAID = (("农户借支", "应收款"), ("退还工程押金", "应付款"), ("付内部往来款", "内部往来"))
# 提现 (bank → cash) and 存现 (cash → bank): each is a line in both books.
TRANSFERS = {
    "withdraw": {"cash": ("从银行提取现金", "银行存款"), "bank": ("提现", "库存现金")},
    "deposit": {"cash": ("现金存入银行", "银行存款"), "bank": ("存现", "库存现金")},
}
REPEATED_SUMMARIES = {
    "opening": "上年结转",
    "carried_out": "过次页",
    "carried_in": "承前页",
    "month_total": "本月合计",
    "year_total": "本年累计",
    "closing": "结转下年",
}


def partition(
    villages: pd.DataFrame, *, year: int, rng: np.random.Generator, lines: int, defects: bool
) -> tuple[pa.Table, pd.DataFrame]:
    """One county-year of the journal sample: its lines, ordered into books with their totals, as a table.

    Parameters
    ----------
    villages : DataFrame
        The truth's rows of one county and year.
    year : int
    rng : numpy.random.Generator
        The partition's own stream.
    lines : int
        Journal lines per village, both books.
    defects : bool
        Plant the deliberate defects.

    Returns
    -------
    table : pyarrow.Table
        The partition as the parquet set stores it.
    defects : DataFrame
        The defects planted, located in the books.
    """
    villages = villages.reset_index(drop=True)
    n_villages = len(villages)
    items = [*income_items(year), *expense_items(year)]
    per_village = np.maximum(8, np.rint(lines * rng.uniform(0.85, 1.15, n_villages))).astype(np.int64)

    income_expense = _booked_lines(villages, items, per_village, year=year, rng=rng)
    other = _other_lines(per_village - np.bincount(income_expense["village"], minlength=n_villages), year=year, rng=rng)
    lines_table = pd.concat([income_expense, other], ignore_index=True)
    blank = rng.random(len(lines_table)) < BLANK_COUNTER_SHARE
    lines_table.loc[blank, "counter_account"] = None
    rows, planted = _books(lines_table, villages, year=year, rng=rng, defects=defects)
    return arrow_table(rows), planted


def _booked_lines(
    villages: pd.DataFrame, items: list[str], per_village: np.ndarray, *, year: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Income and expense lines: each item's amount split into parts that add up to it to the fen."""
    amounts = villages[items].fillna(0.0).to_numpy()
    fen = np.rint(amounts * 100).astype(np.int64)
    village, column = np.nonzero(fen > 0)
    total = fen[village, column]
    # Lines per item: about PNL_SHARE of the village's lines, shared by the square root of the amounts,
    # at least one each and parts of ten yuan or more on average.
    weight = np.sqrt(total.astype(float))
    weight_sum = np.bincount(village, weight, minlength=len(villages))
    budget = np.rint(per_village * PNL_SHARE).astype(np.int64)
    parts = 1 + np.floor(
        np.maximum(budget[village] - np.bincount(village, minlength=len(villages))[village], 0)
        * weight
        / weight_sum[village]
    ).astype(np.int64)
    parts = np.minimum(parts, np.maximum(1, total // 1000))
    group = np.repeat(np.arange(len(total)), parts)
    # Every part at least one yuan; the rest shared by exponential weights, rounded as offices write
    # amounts (round hundreds, whole yuan, or yuan and fen), and the rounding left over put on the last part.
    rest = total - parts * 100
    share = rng.exponential(size=len(group))
    share /= np.bincount(group, share)[group]
    raw = np.floor(rest[group] * share).astype(np.int64)
    style = rng.random(len(group))
    raw = np.where(
        (style < 0.4) & (raw >= 100_000), raw // 10_000 * 10_000, np.where(style < 0.7, raw // 100 * 100, raw)
    )
    last = np.cumsum(parts) - 1
    amount = raw + 100
    amount[last] += rest - np.bincount(group, raw, minlength=len(total)).astype(np.int64)

    item = np.array(items, dtype=object)[column][group]
    is_income = np.isin(item, list(labels.INCOME_ITEMS))
    in_bank = np.where(
        is_income,
        (rng.random(len(group)) < BANK_INCOME_SHARE) | (item == "subsidy_income"),
        rng.random(len(group)) >= CASH_EXPENSE_SHARE,
    )
    spellings = {k: tuple(s for s in v if year < 2024 or not s[:1].isdigit()) for k, v in COUNTER_SPELLINGS.items()}
    return pd.DataFrame(
        {
            "village": village[group],
            "book": np.where(in_bank, 1, 0),
            "day_of_year": _days(rng, len(group), year),
            "debit": np.where(is_income, amount, 0),
            "credit": np.where(is_income, 0, amount),
            "item": item,
            "summary": _pick(rng, item, SUMMARIES),
            "counter_account": _pick(rng, item, spellings),
        }
    )


def _pick(rng: np.random.Generator, keys: np.ndarray, choices: dict[str, tuple[str, ...]]) -> np.ndarray:
    """For each key, one of its choices at random (vectorised per distinct key)."""
    picked = np.empty(len(keys), dtype=object)
    for key in pd.unique(keys):
        at = np.flatnonzero(keys == key)
        options = np.array(choices[key], dtype=object)
        picked[at] = options[rng.integers(0, len(options), len(at))]
    return picked


def _days(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    return rng.integers(0, 366 if year % 4 == 0 else 365, n)


def _other_lines(counts: np.ndarray, *, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Lines that are neither income nor expense: 提现/存现 pairs (one line in each book) and loans/deposits."""
    counts = np.maximum(counts, 3)
    pairs = counts // 3
    singles = counts - 2 * pairs
    # Transfers: a withdrawal (bank → cash) three times in four, else a deposit; both lines on one day.
    pair_village = np.repeat(np.arange(len(counts)), pairs)
    n_pairs = len(pair_village)
    withdraw = rng.random(n_pairs) < 0.75
    amount = np.rint(rng.lognormal(math.log(5_000), 0.8, n_pairs) / 100) * 100 * 100
    amount = np.maximum(amount, 10_000).astype(np.int64)
    day = _days(rng, n_pairs, year)
    cash = pd.DataFrame(
        {
            "village": pair_village,
            "book": 0,
            "day_of_year": day,
            "debit": np.where(withdraw, amount, 0),
            "credit": np.where(withdraw, 0, amount),
            "summary": np.where(withdraw, TRANSFERS["withdraw"]["cash"][0], TRANSFERS["deposit"]["cash"][0]),
            "counter_account": "银行存款",
        }
    )
    bank = pd.DataFrame(
        {
            "village": pair_village,
            "book": 1,
            "day_of_year": day,
            "debit": np.where(withdraw, 0, amount),
            "credit": np.where(withdraw, amount, 0),
            "summary": np.where(withdraw, TRANSFERS["withdraw"]["bank"][0], TRANSFERS["deposit"]["bank"][0]),
            "counter_account": "库存现金",
        }
    )
    # Loans and deposits: received or paid, in either book.
    single_village = np.repeat(np.arange(len(counts)), singles)
    n_singles = len(single_village)
    received = rng.random(n_singles) < 0.5
    which = rng.integers(0, len(LOANS_RECEIVED), n_singles)
    summary = np.where(
        received,
        np.array([s for s, _ in LOANS_RECEIVED], dtype=object)[which],
        np.array([s for s, _ in LOANS_PAID], dtype=object)[which],
    )
    counter = np.where(
        received,
        np.array([c for _, c in LOANS_RECEIVED], dtype=object)[which],
        np.array([c for _, c in LOANS_PAID], dtype=object)[which],
    )
    single_amount = np.maximum(np.rint(rng.lognormal(math.log(2_000), 1.0, n_singles)), 10).astype(np.int64) * 100
    loans = pd.DataFrame(
        {
            "village": single_village,
            "book": rng.integers(0, 2, n_singles),
            "day_of_year": _days(rng, n_singles, year),
            "debit": np.where(received, single_amount, 0),
            "credit": np.where(received, 0, single_amount),
            "summary": summary,
            "counter_account": counter,
            "loan": True,
        }
    )
    return pd.concat([cash, bank, loans], ignore_index=True).assign(item=None)


def _books(
    lines: pd.DataFrame, villages: pd.DataFrame, *, year: int, rng: np.random.Generator, defects: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Order the lines into books, add the repeated rows and balances, and plant the defects."""
    lines = lines.assign(book_id=lines["village"] * 2 + lines["book"], tiebreak=rng.random(len(lines)))
    lines = lines.sort_values(["book_id", "day_of_year", "tiebreak"], kind="stable").reset_index(drop=True)
    dates = np.datetime64(f"{year}-01-01") + lines["day_of_year"].to_numpy().astype("timedelta64[D]")
    lines["month"] = (dates.astype("datetime64[M]") - dates.astype("datetime64[Y]")).astype(np.int64) + 1
    lines["day"] = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    book_id = lines["book_id"].to_numpy()
    starts = np.r_[True, book_id[1:] != book_id[:-1]]
    position = np.arange(len(lines)) - np.maximum.accumulate(np.where(starts, np.arange(len(lines)), 0))
    flow = lines["debit"].to_numpy() - lines["credit"].to_numpy()
    running = pd.Series(flow).groupby(book_id).cumsum().to_numpy()
    lowest = pd.Series(running).groupby(book_id).transform("min").to_numpy()
    books = np.unique(book_id)
    cushion = dict(zip(books, np.rint(rng.lognormal(math.log(8_000), 0.7, len(books))) * 100, strict=True))
    opening = np.maximum(0, -lowest) + np.array([cushion[b] for b in book_id], dtype=np.int64)
    lines["balance"] = opening + running
    lines["position"] = position
    group = [book_id, lines["month"].to_numpy()]
    lines["month_debit"] = lines["debit"].groupby(group).cumsum()
    lines["month_credit"] = lines["credit"].groupby(group).cumsum()
    lines["year_debit"] = lines["debit"].groupby(book_id).cumsum()
    lines["year_credit"] = lines["credit"].groupby(book_id).cumsum()
    next_book = np.r_[book_id[1:], -1]
    next_month = np.r_[lines["month"].to_numpy()[1:], -1]
    month_end = (next_book != book_id) | (next_month != lines["month"].to_numpy())
    book_end = next_book != book_id
    page_end = (position % PAGE_LINES == PAGE_LINES - 1) & ~month_end
    side = np.where(lines["debit"].to_numpy() > 0, "收", "付")
    prefix = np.where(lines["book"].to_numpy() == 0, "现", "银")
    counter_key = pd.Series(side).groupby([book_id, lines["month"].to_numpy(), side]).cumcount() + 1
    lines["voucher"] = pd.Series(prefix, dtype="str") + pd.Series(side, dtype="str") + counter_key.astype("str")
    lines["seq"] = position * 10
    lines["kind"] = "line"

    first = lines.loc[starts]
    last = lines.loc[book_end]
    repeated = [
        first.assign(
            kind="opening",
            seq=-10,
            month=1,
            day=1,
            debit=0,
            credit=0,
            balance=first["balance"] - first["debit"] + first["credit"],
            voucher=None,
        ),
        lines.loc[page_end].assign(
            kind="carried_out",
            seq=lambda f: f["seq"] + 1,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[page_end].assign(
            kind="carried_in",
            seq=lambda f: f["seq"] + 2,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[month_end].assign(
            kind="month_total",
            seq=lambda f: f["seq"] + 3,
            debit=lambda f: f["month_debit"],
            credit=lambda f: f["month_credit"],
            day=None,
            voucher=None,
        ),
        lines.loc[month_end].assign(
            kind="year_total",
            seq=lambda f: f["seq"] + 4,
            debit=lambda f: f["year_debit"],
            credit=lambda f: f["year_credit"],
            day=None,
            voucher=None,
        ),
        last.assign(kind="closing", seq=lambda f: f["seq"] + 9, month=12, day=31, debit=0, credit=0, voucher=None),
    ]
    for frame in repeated:
        frame["summary"] = REPEATED_SUMMARIES[frame["kind"].iloc[0]] if len(frame) else None
        frame["counter_account"] = None
        frame["item"] = None
    rows = pd.concat([lines, *repeated], ignore_index=True)
    rows = rows.sort_values(["book_id", "seq"], kind="stable").reset_index(drop=True)
    planted = plant_defects(rows, rng) if defects else pd.DataFrame(columns=DEFECT_COLUMNS)
    rows = rows.loc[~rows["lost"]] if "lost" in rows else rows
    book_of_row = rows["book_id"].to_numpy()
    rows = rows.assign(line=pd.Series(book_of_row).groupby(book_of_row).cumcount().to_numpy() + 1)
    village = rows["village"].to_numpy()
    rows = rows.assign(
        township=villages["township"].to_numpy()[village],
        village_name=villages["village"].to_numpy()[village],
        village_code=villages["village_code"].to_numpy()[village],
        book_name=np.where(rows["book"].to_numpy() == 0, CASH_BOOK, BANK_BOOK),
    )
    if defects:
        planted = locate_defects(planted, rows, villages)
    return rows, planted
