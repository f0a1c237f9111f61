"""The rural-economy 收益分配统计表 of :data:`STATISTICS_COUNTY`'s largest township, one village per sheet.

本年数 | 上年数 in 千元 (the row's 计量单位), a 甲 乙 丙 1 2 row, and two rows that are not money (个, 人).
"""

from __future__ import annotations

import math

from villagecon.sample.documents import SYNTHETIC, SYNTHETIC_NOTE, At, CellIndex, Document, Sheet
from villagecon.sample.process import stream, years_with_year_before
from villagecon.sample.world import Village, World, name_in, organisation_name, villages_of
from villagecon.vocab import chenzhou

__all__ = ["STATISTICS_COUNTY", "STATISTICS_LINES", "statistics_form"]

STATISTICS_COUNTY = "桂东县"

# 指标名称, 代码, 计量单位, item (None: not an amount of the truth).
STATISTICS_LINES = (
    ("一、本年收入", 1, "千元", "total_income"),
    ("  1.经营收入", 2, "千元", "operating_income"),
    ("  2.发包及上交收入", 3, "千元", "contract_income"),
    ("  3.投资收益", 4, "千元", "investment_income"),
    ("  4.补助收入", 5, "千元", "subsidy_income"),
    ("  5.其他收入", 6, "千元", "other_income"),
    ("二、本年支出", 7, "千元", "total_expense"),
    ("  1.经营支出", 8, "千元", "operating_expense"),
    ("  2.管理费用", 9, "千元", "admin_expense"),
    ("  3.其他支出", 10, "千元", "other_expense"),
    ("三、本年收益", 11, "千元", "net_income"),
    ("四、附报指标", None, None, None),
    ("  1.汇入本表村数", 12, "个", None),
    ("  2.集体经济组织成员数", 13, "人", None),
)


def statistics_form(world: World, seed: int, index: CellIndex) -> Document | None:
    """The 收益分配统计表 of :data:`STATISTICS_COUNTY`'s largest township for the last year of the 2004 system
    whose year before is in the sample (本年数 | 上年数), one sheet per village; None when there is no such year.

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
    county = STATISTICS_COUNTY
    years = years_with_year_before(world.years)
    counts = {t: len(villages_of(world, county, t)) for t in chenzhou.TOWNSHIPS[county]}
    township = max(counts, key=lambda t: counts[t])
    if not years or not counts[township]:
        return None
    year = years[-1]
    path = f"{county}/{county}{township}{year}年村集体经济组织收益分配统计表（合成样例）.xlsx"
    document = Document(
        path,
        [],
        "statement",
        "千元",
        what="收益分配统计表, one sheet per village, 本年数 and 上年数, 计量单位 千元/个/人, 甲乙丙 row",
    )
    rng = stream(seed, path)
    for v in villages_of(world, county, township):
        members = int(rng.integers(600, 3_500))
        document.sheets.append(
            _statistics_sheet(
                world,
                document,
                v,
                year,
                members=members,
                members_before=members - int(rng.integers(0, 40)),
                index=index,
            )
        )
    return document


def _thousands(yuan: float) -> float | None:
    return None if math.isnan(yuan) else round(yuan / 1_000, 3)


def _statistics_sheet(
    world: World, document: Document, v: Village, year: int, *, members: int, members_before: int, index: CellIndex
) -> Sheet:
    sheet = Sheet(name_in(v, year), widths={0: 24, 1: 6, 2: 9, 3: 12, 4: 12})
    title = f"村集体经济组织收益分配统计表（{SYNTHETIC}）"
    for text in (title, f"{year}年度", f"填报单位：{organisation_name(v, year)}"):
        row = sheet.append([text])
        sheet.merges.append((row, 0, row, 4))
    sheet.append(["指标名称", "代码", "计量单位", "本年数", "上年数"])
    sheet.append(["甲", "乙", "丙", 1, 2])
    this, before = world.accounts[(v.code, year)], world.accounts[(v.code, year - 1)]
    others = {"  1.汇入本表村数": (1, 1), "  2.集体经济组织成员数": (members, members_before)}
    for label, code, unit, item in STATISTICS_LINES:
        if item is not None:
            row = sheet.append([label, code, unit, _thousands(this[item]), _thousands(before[item])])
            index.add((v.code, year, item), At(document, sheet, row, 3))
            index.add((v.code, year - 1, item), At(document, sheet, row, 4))
        else:
            sheet.append([label, code, unit, *others.get(label, (None, None))])
    sheet.append(["单位负责人：", None, "填表人：", f"报出日期：{year + 1}年1月20日", None])
    sheet.append([SYNTHETIC_NOTE])
    return sheet
