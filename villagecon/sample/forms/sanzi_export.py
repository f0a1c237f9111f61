"""The 三资 platform's export for :data:`SANZI_PLACE`: a long table of the 2004 account codes.

The village's 12-digit code and full organisation name, 会计年度 and the account codes 501 … 561; some 经营收入
lines split into sub-accounts (50101, 50102) under their parent, and for a few villages only the sub-accounts.
"""

from __future__ import annotations

import math

import numpy as np

from villagecon.sample.documents import MONEY_FORMAT, SYNTHETIC, At, CellIndex, Document, Sheet
from villagecon.sample.process import old_system_years, stream
from villagecon.sample.world import Village, World, organisation_name, villages_of

__all__ = ["SANZI_ACCOUNTS", "SANZI_HEADER", "SANZI_NAMES", "SANZI_PLACE", "SANZI_SUB_ACCOUNTS", "sanzi_export"]

SANZI_PLACE = ("北湖区", "华塘镇")

# The 2004 system's top-level income and expense accounts, in the platform's code order.
SANZI_ACCOUNTS = (
    ("501", "operating_income"),
    ("502", "operating_expense"),
    ("511", "contract_income"),
    ("522", "subsidy_income"),
    ("531", "other_income"),
    ("541", "admin_expense"),
    ("551", "other_expense"),
    ("561", "investment_income"),
)
SANZI_NAMES = {
    "501": "经营收入",
    "502": "经营支出",
    "511": "发包及上交收入",
    "522": "补助收入",
    "531": "其他收入",
    "541": "管理费用",
    "551": "其他支出",
    "561": "投资收益",
}
SANZI_SUB_ACCOUNTS = (("50101", "农产品销售收入"), ("50102", "租赁收入"))
SANZI_HEADER = ("序号", "区划代码", "组织名称", "会计年度", "科目编码", "科目名称", "本年累计（元）")


def sanzi_export(world: World, seed: int, index: CellIndex) -> Document | None:
    """The 三资 platform's export for :data:`SANZI_PLACE` over the last three years of the 2004 system (or None).

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
    county, township = SANZI_PLACE
    villages = sorted(villages_of(world, county, township), key=lambda v: v.code)
    years = old_system_years(world.years)[-3:]
    if not villages or not years:
        return None
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}"
    path = f"{county}/{county}{township}三资平台科目发生额导出{span}（合成样例）.xlsx"
    document = Document(
        path,
        [],
        "long",
        "元",
        what="三资 platform export: 区划代码, 组织名称 (full name), 会计年度, 科目编码 "
        "501…561 with sub-accounts 50101/50102, 本年累计（元）",
    )
    rng = stream(seed, path)
    # A few villages book 经营收入 on its sub-accounts only; the others export the parent, some with its
    # sub-accounts under it.
    only_subs = {villages[i].code for i in rng.permutation(len(villages))[: max(1, len(villages) // 4)]}
    sheet = Sheet(f"导出数据（{SYNTHETIC}）", widths={1: 15, 2: 44, 5: 16, 6: 16}, number_format=MONEY_FORMAT)
    sheet.append(list(SANZI_HEADER))
    number = 0

    def line(v: Village, year: int, code: str, name: str, yuan: float) -> int:
        nonlocal number
        number += 1
        return sheet.append([number, v.code, organisation_name(v, year, city=True), str(year), code, name, float(yuan)])

    for v in villages:
        for year in years:
            accounts = world.accounts[(v.code, year)]
            for code, item in SANZI_ACCOUNTS:
                yuan = accounts[item]
                if math.isnan(yuan) or yuan == 0:
                    continue  # the export lists the accounts that moved
                subs = (
                    _sub_accounts(rng, yuan) if code == "501" and (v.code in only_subs or rng.random() < 0.35) else []
                )
                if not subs or v.code not in only_subs:
                    row = line(v, year, code, SANZI_NAMES[code], yuan)
                    index.add((v.code, year, item), At(document, sheet, row, 6))
                for (sub_code, sub_name), amount in zip(SANZI_SUB_ACCOUNTS, subs, strict=False):
                    if amount:
                        line(v, year, sub_code, sub_name, amount)
    document.sheets.append(sheet)
    return document


def _sub_accounts(rng: np.random.Generator, yuan: float) -> list[int]:
    """经营收入 split into 农产品销售收入 and 租赁收入 (whole yuan, adding up to it)."""
    whole = int(yuan)
    first = round(whole * rng.uniform(0.25, 0.75))
    return [first, whole - first]
