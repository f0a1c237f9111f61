"""A township's 收支台账 of one year as a CSV: 日期 | 凭证号 | 村 | 摘要 | 项目 | 收入 | 支出.

Every income and expense item of every village with an amount is split into 2–4 dated lines adding up to its
figure to the fen, the dates written three ways (2023-03-05, 2023/3/5, 2023年3月5日).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np

from villagecon.sample.documents import SYNTHETIC, At, CellIndex, Document, Sheet
from villagecon.sample.habits import written_name
from villagecon.sample.process import expense_items, income_items, stream
from villagecon.sample.world import World, villages_of
from villagecon.vocab import chenzhou, labels

__all__ = ["CASH_BOOK_COUNTY", "CASH_BOOK_HEADER", "CASH_BOOK_SUMMARIES", "cash_book", "line_amounts"]

CASH_BOOK_COUNTY = "永兴县"

CASH_BOOK_HEADER = ("日期", "凭证号", "村", "摘要", "项目", "收入", "支出")
# 摘要 a clerk writes for a receipt or a payment of each item (the 项目 column names the item).
CASH_BOOK_SUMMARIES = {
    "operating_income": ("收光伏发电收入", "收农产品销售款", "收村集体门面租金", "收烘干服务费"),
    "contract_income": ("收山林承包费", "收鱼塘承包费", "收土地发包款", "收蔬菜大棚租金"),
    "investment_income": ("收合作社分红", "收入股企业分红", "收联营项目收益"),
    "subsidy_income": ("收到村级运转经费", "收到上级补助资金", "收到村级集体经济发展扶持资金", "收到党建工作经费"),
    "other_income": ("收存款利息", "收捐赠款", "收零星收入"),
    "operating_expense": ("付光伏电站维护费", "付农资款", "付经营用电费", "付务工人员工资"),
    "tax_and_surcharges": ("付增值税附加",),
    "admin_expense": ("付水电费", "付办公用品费", "付村干部误工补贴", "付报刊订阅费", "付差旅费"),
    "public_welfare_expense": ("付村道维修费", "付路灯维修费"),
    "other_expense": ("付防汛抢险费", "付困难户慰问金", "付零星支出"),
    "income_tax": ("付企业所得税",),
}


def _date_text(day: dt.date, how: int) -> str:
    """A date as clerks write it: 2023-03-05, 2023/3/5 or 2023年3月5日."""
    if how == 0:
        return day.isoformat()
    if how == 1:
        return f"{day.year}/{day.month}/{day.day}"
    return f"{day.year}年{day.month}月{day.day}日"


def _fen_text(fen: int) -> str:
    """An amount in fen as the CSV writes it: whole yuan without decimals (83817), else with two (1234.56)."""
    yuan, cents = divmod(fen, 100)
    return str(yuan) if cents == 0 else f"{yuan}.{cents:02d}"


def line_amounts(rng: np.random.Generator, yuan: float, item: str) -> list[int]:
    """The year's ``yuan`` of ``item`` split into 2–4 lines, in fen, adding up to it exactly.

    Subsidies come in whole thousands where the year's figure is one; an expense is paid to the fen now and
    then (水电费 1234.56); the rest are whole yuan. An amount too small to split is one line.

    Parameters
    ----------
    rng : numpy.random.Generator
    yuan : float
        The year's amount of the item.
    item : str

    Returns
    -------
    list of int
        The lines' amounts in fen.
    """
    whole = int(yuan)
    if item == "subsidy_income" and whole % 1_000 == 0:
        step = 100_000
    elif item in labels.EXPENSE_ITEMS and rng.random() < 0.4:
        step = 1
    else:
        step = 100
    units = whole * 100 // step
    parts = max(1, min(int(rng.integers(2, 5)), units))
    weights = rng.uniform(0.4, 1.6, parts)
    cuts = np.rint(np.cumsum(weights)[:-1] / weights.sum() * units).astype(int)
    bounds = [0, *sorted({int(c) for c in np.clip(cuts, 1, units - 1)}), units]
    return [(high - low) * step for low, high in itertools.pairwise(bounds)]


def cash_book(world: World, seed: int, index: CellIndex) -> Document | None:
    """The 收支台账 of the first township of :data:`CASH_BOOK_COUNTY` for the sample's last year (or None).

    Every village's income and expense items with an amount, each split into dated lines
    (:func:`line_amounts`) on different days of the year, in the order of their dates, with the village's
    vouchers numbered 记-001, 记-002, …; each village's clerk writes dates one way of three.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    seed : int
        The sample's seed (each form draws from its own stream).
    index : CellIndex
        Where each truth amount is written is noted here.

    Returns
    -------
    Document or None
    """
    county = CASH_BOOK_COUNTY
    township = next((t for t in chenzhou.TOWNSHIPS[county] if villages_of(world, county, t)), None)
    if township is None:
        return None
    year = world.years[-1]
    path = f"{county}/{county}{township}收支明细账（合成样例）.csv"
    document = Document(
        path,
        [],
        "long",
        "元",
        encoding="utf-8-sig",
        what=f"收支台账 of {year} (日期 written three ways, 凭证号, 村, 摘要, 项目, 收入, 支出): "
        "each item in 2–4 dated lines, some to the fen, adding up to the workbook's figure",
    )
    rng = stream(seed, path)
    sheet = Sheet("", widths={3: 24, 4: 14})
    sheet.append([f"{county}{township}村级收支明细账（{SYNTHETIC}）"])
    sheet.append(["单位：元"])
    sheet.append(list(CASH_BOOK_HEADER))
    days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    for v in villages_of(world, county, township):
        accounts = world.accounts[(v.code, year)]
        name = written_name(v, year, rng, 0.04)
        habit = int(rng.integers(0, 3))
        lines = []
        for item in (*income_items(year), *expense_items(year)):
            yuan = accounts[item]
            if math.isnan(yuan) or yuan == 0:
                continue  # the 台账 has lines only for money that moved
            amounts = line_amounts(rng, yuan, item)
            days = np.sort(rng.choice(days_in_year, size=len(amounts), replace=False))
            summaries = CASH_BOOK_SUMMARIES[item]
            for day, fen in zip(days, amounts, strict=True):
                lines.append(
                    (
                        dt.date(year, 1, 1) + dt.timedelta(days=int(day)),
                        item,
                        summaries[int(rng.integers(0, len(summaries)))],
                        fen,
                    )
                )
        lines.sort(key=lambda line: line[0])  # stable: items in their order on the same day
        for number, (day, item, summary, fen) in enumerate(lines, start=1):
            income = item in labels.INCOME_ITEMS
            row = sheet.append(
                [
                    _date_text(day, habit),
                    f"记-{number:03d}",
                    name,
                    summary,
                    labels.column(item),
                    _fen_text(fen) if income else None,
                    None if income else _fen_text(fen),
                ]
            )
            index.add((v.code, year, item), At(document, sheet, row, 5 if income else 6))
    document.sheets.append(sheet)
    return document
