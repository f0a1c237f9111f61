"""More real forms in the synthetic sample: 资产负债表, a 三资 platform export, a 收益分配统计表, a dated 收支台账,
a 财务公开榜 and the secretary roster.

:mod:`villagecon.sample.ledgers` calls these writers while it lays out the sample's files; they use its world (the
truth) and its sheet and document records, and write amounts that repeat the truth to the fen, so that every
amount they hold is a duplicate of a figure another file gives (or, on a 财务公开榜, a part of the year that
no other file gives):

- :func:`balance_sheets`: a 资产负债表 workbook per township of :data:`BALANCE_SHEET_COUNTY` and year (the last
  two years of the 2004 system whose year before is in the sample), one sheet per village, the 资产 and
  负债及所有者权益 blocks side by side with 年初数 | 年末数. 资产总计 and 负债合计 are the truth's assets and
  liabilities; the other lines are invented so that every sub-total and total adds up in whole yuan, and the
  same for a village-year in every sheet (a 年末数 and the next year's 年初数 agree line by line).
- :func:`sanzi_export`: the 三资 platform's export for :data:`SANZI_PLACE`, a long table with the village's
  12-digit code and full organisation name, 会计年度 and the 2004 account codes (501 … 561); some 经营收入 lines
  split into sub-accounts (50101, 50102) under their parent, and for a few villages only the sub-accounts.
- :func:`statistics_form`: the rural-economy statistics form for the largest township of
  :data:`STATISTICS_COUNTY`, one village per sheet, 本年数 | 上年数 in 千元 (the row's 计量单位) and two rows that
  are not money (个, 人).
- :func:`cash_book`: a township's 收支台账 of one year as a CSV, 日期 | 凭证号 | 村 | 摘要 | 项目 | 收入 | 支出:
  every income and expense item of every village with an amount split into 2–4 dated lines adding up to its figure
  to the fen, the dates written three ways (2023-03-05, 2023/3/5, 2023年3月5日).
- :func:`disclosure_boards`: the 财务收支公开榜 a village posts each quarter, for :data:`DISCLOSURE_PLACE`, a
  workbook for the 第三季度 and one for the 第四季度, one sheet per village, 项目 | 本季发生数 | 本年累计数. The
  第四季度's 本年累计数 is the truth of the year; the quarters are invented (whole yuan) and agree with each other:
  第三季度's 本年累计数 is the year less the 第四季度's 本季发生数.
- :func:`roster_workbook`: the 村党组织书记花名册 as organisation departments keep it: the city's 花名册 (是否"一肩挑",
  新任/连任, 任职起止时间 in one cell, 来源 as written), and for one township a 历任书记 sheet (a term split at an
  election, 书记 then 书记兼主任) and a 两委班子 sheet (header over two rows, a section row, other posts). Every spell
  of the truth is in it and reads back exactly.

All but the 收支台账 (which follows the system of its year) keep to the years of the 2004 system (before
:data:`villagecon.sample.ledgers.NEW_SYSTEM_FROM`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from villagecon.sample import ledgers as base
from villagecon.vocab import chenzhou, labels

BALANCE_SHEET_COUNTY = "嘉禾县"
SANZI_PLACE = ("北湖区", "华塘镇")
STATISTICS_COUNTY = "桂东县"
CASH_BOOK_COUNTY = "永兴县"
DISCLOSURE_PLACE = ("汝城县", "濠头乡")

MONEY_FORMAT = "#,##0.00"


def _old_system_years(years: list[int]) -> list[int]:
    return [y for y in years if y < base.NEW_SYSTEM_FROM]


def _with_year_before(years: list[int]) -> list[int]:
    """Years of the 2004 system whose year before is in the sample too (a 年初数/上年数 needs a year of the truth)."""
    return [y for y in _old_system_years(years) if y - 1 in years]


def _name(v, year: int) -> str:
    """The village's name in a form of ``year`` (its former name before it was renamed)."""
    return v.former_name if v.former_name and year < base.RENAMED_IN else v.name


def _organisation(v, year: int, *, city: bool = False) -> str:
    """The full name of the village's collective economic organisation: 嘉禾县袁家镇桥冲村股份经济合作社."""
    return f"{'郴州市' if city else ''}{v.county}{v.township}{_name(v, year)}股份经济合作社"


def _members(world, county: str, township: str | None = None) -> list:
    return [v for v in world.villages if v.county == county and (township is None or v.township == township)]


# --- 资产负债表 ---------------------------------------------------------------------------------------------

# (left label, 行次, right label, 行次), row by row; None where the block has no line on that row.
BALANCE_LAYOUT = (
    ("流动资产：", None, "流动负债：", None),
    ("  货币资金", 1, "  短期借款", 35),
    ("  短期投资", 2, "  应付款项", 36),
    ("  应收款项", 5, "  应付工资", 37),
    ("  存货", 8, "  应付福利费", 38),
    ("    流动资产合计", 15, "    流动负债合计", 41),
    ("农业资产：", None, "长期负债：", None),
    ("  牲畜（禽）资产", 16, "  长期借款及应付款", 42),
    ("  林木资产", 17, "  一事一议资金", 43),
    ("    农业资产合计", 20, "    长期负债合计", 46),
    ("长期资产：", None, None, None),
    ("  长期投资", 21, "负债合计", 49),
    ("固定资产：", None, "所有者权益：", None),
    ("  固定资产原值", 24, "  资本", 50),
    ("  减：累计折旧", 25, "  公积公益金", 51),
    ("  固定资产净值", 26, "  未分配收益", 52),
    ("  固定资产清理", 27, "    所有者权益合计", 53),
    ("  在建工程", 28, None, None),
    ("    固定资产合计", 31, None, None),
    ("资产总计", 32, "负债和所有者权益总计", 56),
)


def balance_lines(seed: int, village_code: str, year: int, assets: float, liabilities: float) -> dict[str, int]:
    """Every line of a village's 资产负债表 at the end of ``year`` (yuan, by label without its indent).

    资产总计 = ``assets`` and 负债合计 = ``liabilities``; the other lines are drawn (from a stream of the village
    and year, so the same in every sheet that shows them) so that each 合计 is the sum of its lines, 固定资产净值 =
    原值 − 累计折旧, 所有者权益合计 = 资产 − 负债 and 负债和所有者权益总计 = 资产总计.
    """
    rng = base._stream(seed, f"资产负债表 {village_code} {year}")
    keeps = base._stream(seed, f"资产负债表 {village_code}")  # habits of the village, the same every year
    total_assets, total_liabilities = int(assets), int(liabilities)

    def share(low: float, high: float, *, of: int, present: float = 1.0) -> int:
        draw = rng.uniform(low, high)
        return round(of * draw) if rng.random() < present else 0

    lines = {
        "货币资金": share(0.08, 0.25, of=total_assets),
        "短期投资": share(0.01, 0.04, of=total_assets, present=0.2),
        "应收款项": share(0.02, 0.10, of=total_assets),
        "存货": share(0.0, 0.02, of=total_assets, present=0.5),
    }
    lines["流动资产合计"] = lines["货币资金"] + lines["短期投资"] + lines["应收款项"] + lines["存货"]
    lines |= {
        "牲畜（禽）资产": share(0.0, 0.02, of=total_assets, present=0.15),
        "林木资产": share(0.01, 0.06, of=total_assets, present=0.6),
    }
    lines["农业资产合计"] = lines["牲畜（禽）资产"] + lines["林木资产"]
    lines["长期投资"] = share(0.03, 0.12, of=total_assets, present=0.4)
    lines |= {"固定资产清理": 0, "在建工程": share(0.02, 0.10, of=total_assets, present=0.3)}
    net = (
        total_assets
        - lines["流动资产合计"]
        - lines["农业资产合计"]
        - lines["长期投资"]
        - lines["固定资产清理"]
        - lines["在建工程"]
    )
    depreciation = round(net * rng.uniform(0.10, 0.30))
    lines |= {"固定资产原值": net + depreciation, "减：累计折旧": depreciation, "固定资产净值": net}
    lines["固定资产合计"] = net + lines["固定资产清理"] + lines["在建工程"]
    lines["资产总计"] = total_assets

    parts = {
        "短期借款": share(0.1, 0.3, of=total_liabilities, present=0.3),
        "应付工资": share(0.0, 0.1, of=total_liabilities),
        "应付福利费": share(0.0, 0.05, of=total_liabilities),
        "长期借款及应付款": share(0.1, 0.3, of=total_liabilities, present=0.5),
        "一事一议资金": share(0.0, 0.1, of=total_liabilities, present=0.4),
    }
    payables = total_liabilities - sum(parts.values())
    if payables < 0:  # rounding on a tiny debt: all of it is 应付款项
        parts, payables = dict.fromkeys(parts, 0), total_liabilities
    lines |= {
        "短期借款": parts["短期借款"],
        "应付款项": payables,
        "应付工资": parts["应付工资"],
        "应付福利费": parts["应付福利费"],
    }
    lines["流动负债合计"] = lines["短期借款"] + payables + lines["应付工资"] + lines["应付福利费"]
    lines |= {"长期借款及应付款": parts["长期借款及应付款"], "一事一议资金": parts["一事一议资金"]}
    lines["长期负债合计"] = lines["长期借款及应付款"] + lines["一事一议资金"]
    lines["负债合计"] = total_liabilities

    equity = total_assets - total_liabilities
    base_of_equity = equity if equity > 0 else round(total_assets * 0.3)
    lines["资本"] = round(base_of_equity * keeps.uniform(0.30, 0.55))
    lines["公积公益金"] = round(base_of_equity * rng.uniform(0.15, 0.35))
    lines["未分配收益"] = equity - lines["资本"] - lines["公积公益金"]  # negative after losses
    lines["所有者权益合计"] = equity
    lines["负债和所有者权益总计"] = total_liabilities + equity
    return lines


def balance_sheets(world, seed: int, index) -> list:
    """资产负债表 workbooks of :data:`BALANCE_SHEET_COUNTY`: one per township and year, one sheet per village."""
    documents = []
    county = BALANCE_SHEET_COUNTY
    for year in _with_year_before(world.years)[-2:]:
        for township in chenzhou.TOWNSHIPS[county]:
            villages = [
                v for v in _members(world, county, township) if not math.isnan(world.accounts[(v.code, year)]["assets"])
            ]
            if not villages:
                continue
            path = f"{county}/{county}{township}{year}年村级资产负债表（合成样例）.xlsx"
            document = base._Document(
                path,
                [],
                "balance sheet",
                "元",
                what="资产负债表, one sheet per village, 资产 ‖ 负债及所有者权益 side by side, "
                "年初数 and 年末数, 编制单位 and date lines",
            )
            document.sheets += [_balance_sheet(world, document, v, year, seed=seed, index=index) for v in villages]
            documents.append(document)
    return documents


def _balance_sheet(world, document, v, year: int, *, seed: int, index):
    def balances(y):
        accounts = world.accounts.get((v.code, y))
        if accounts is None or math.isnan(accounts["assets"]):
            return None  # no balance sheet drawn up that year: 年初数 left empty
        return balance_lines(seed, v.code, y, accounts["assets"], accounts["liabilities"])

    start, end = balances(year - 1), balances(year)
    sheet = base._Sheet(_name(v, year), widths={0: 18, 4: 20}, number_format=MONEY_FORMAT)
    sheet.merges.append((sheet.append([f"资产负债表（{base.SYNTHETIC}）"]), 0, 0, 7))
    row = sheet.append(
        [f"编制单位：{_organisation(v, year)}", None, None, f"{year}年12月31日", None, None, None, "单位：元"]
    )
    sheet.merges += [(row, 0, row, 2), (row, 3, row, 4)]
    sheet.append(["资产", "行次", "年初数", "年末数", "负债及所有者权益", "行次", "年初数", "年末数"])
    items = {"资产总计": "assets", "负债合计": "liabilities"}
    for left, left_line, right, right_line in BALANCE_LAYOUT:
        cells = []
        for label, line in ((left, left_line), (right, right_line)):
            key = (label or "").strip()
            if line is None:
                cells += [label, None, None, None]
            else:
                cells += [label, line, None if start is None else start[key], end[key]]
        row = sheet.append(cells)
        for col, label in ((0, left), (4, right)):
            item = items.get((label or "").strip())
            if item is not None:
                index.add((v.code, year, item), base._At(document, sheet, row, col + 3))
                if start is not None:
                    index.add((v.code, year - 1, item), base._At(document, sheet, row, col + 2))
    sheet.append(["单位负责人：", None, None, "会计：", None, None, "制表：", None])
    sheet.append([base.SYNTHETIC_NOTE])
    return sheet


# --- 三资 platform export --------------------------------------------------------------------------------

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


def sanzi_export(world, seed: int, index):
    """The 三资 platform's export for :data:`SANZI_PLACE` over the last three years of the 2004 system (or None)."""
    county, township = SANZI_PLACE
    villages = sorted(_members(world, county, township), key=lambda v: v.code)
    years = _old_system_years(world.years)[-3:]
    if not villages or not years:
        return None
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}"
    path = f"{county}/{county}{township}三资平台科目发生额导出{span}（合成样例）.xlsx"
    document = base._Document(
        path,
        [],
        "long",
        "元",
        what="三资 platform export: 区划代码, 组织名称 (full name), 会计年度, 科目编码 "
        "501…561 with sub-accounts 50101/50102, 本年累计（元）",
    )
    rng = base._stream(seed, path)
    # A few villages book 经营收入 on its sub-accounts only; the others export the parent, some with its
    # sub-accounts under it.
    only_subs = {villages[i].code for i in rng.permutation(len(villages))[: max(1, len(villages) // 4)]}
    sheet = base._Sheet(
        f"导出数据（{base.SYNTHETIC}）", widths={1: 15, 2: 44, 5: 16, 6: 16}, number_format=MONEY_FORMAT
    )
    sheet.append(list(SANZI_HEADER))
    number = 0

    def line(v, year, code, name, yuan):
        nonlocal number
        number += 1
        return sheet.append([number, v.code, _organisation(v, year, city=True), str(year), code, name, float(yuan)])

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
                    index.add((v.code, year, item), base._At(document, sheet, row, 6))
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


# --- 收益分配统计表 -------------------------------------------------------------------------------------------

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


def statistics_form(world, seed: int, index):
    """The 收益分配统计表 of :data:`STATISTICS_COUNTY`'s largest township for the last year of the 2004 system
    whose year before is in the sample (本年数 | 上年数), one sheet per village; None when there is no such year."""
    county = STATISTICS_COUNTY
    years = _with_year_before(world.years)
    counts = {t: len(_members(world, county, t)) for t in chenzhou.TOWNSHIPS[county]}
    township = max(counts, key=counts.get)
    if not years or not counts[township]:
        return None
    year = years[-1]
    path = f"{county}/{county}{township}{year}年村集体经济组织收益分配统计表（合成样例）.xlsx"
    document = base._Document(
        path,
        [],
        "statement",
        "千元",
        what="收益分配统计表, one sheet per village, 本年数 and 上年数, 计量单位 千元/个/人, 甲乙丙 row",
    )
    rng = base._stream(seed, path)
    for v in _members(world, county, township):
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


def _thousands(yuan: float):
    return None if math.isnan(yuan) else round(yuan / 1_000, 3)


def _statistics_sheet(world, document, v, year: int, *, members: int, members_before: int, index):
    sheet = base._Sheet(_name(v, year), widths={0: 24, 1: 6, 2: 9, 3: 12, 4: 12})
    title = f"村集体经济组织收益分配统计表（{base.SYNTHETIC}）"
    for text in (title, f"{year}年度", f"填报单位：{_organisation(v, year)}"):
        row = sheet.append([text])
        sheet.merges.append((row, 0, row, 4))
    sheet.append(["指标名称", "代码", "计量单位", "本年数", "上年数"])
    sheet.append(["甲", "乙", "丙", 1, 2])
    this, before = world.accounts[(v.code, year)], world.accounts[(v.code, year - 1)]
    others = {"  1.汇入本表村数": (1, 1), "  2.集体经济组织成员数": (members, members_before)}
    for label, code, unit, item in STATISTICS_LINES:
        if item is not None:
            row = sheet.append([label, code, unit, _thousands(this[item]), _thousands(before[item])])
            index.add((v.code, year, item), base._At(document, sheet, row, 3))
            index.add((v.code, year - 1, item), base._At(document, sheet, row, 4))
        else:
            sheet.append([label, code, unit, *others.get(label, (None, None))])
    sheet.append(["单位负责人：", None, "填表人：", f"报出日期：{year + 1}年1月20日", None])
    sheet.append([base.SYNTHETIC_NOTE])
    return sheet


# --- 收支台账 -----------------------------------------------------------------------------------------------

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


def cash_book(world, seed: int, index):
    """The 收支台账 of the first township of :data:`CASH_BOOK_COUNTY` for the sample's last year (or None).

    Every village's income and expense items with an amount, each split into dated lines
    (:func:`line_amounts`) on different days of the year, in the order of their dates, with the village's
    vouchers numbered 记-001, 记-002, …; each village's clerk writes dates one way of three.
    """
    county = CASH_BOOK_COUNTY
    township = next((t for t in chenzhou.TOWNSHIPS[county] if _members(world, county, t)), None)
    if township is None:
        return None
    year = world.years[-1]
    path = f"{county}/{county}{township}收支明细账（合成样例）.csv"
    document = base._Document(
        path,
        [],
        "long",
        "元",
        encoding="utf-8-sig",
        what=f"收支台账 of {year} (日期 written three ways, 凭证号, 村, 摘要, 项目, 收入, 支出): "
        "each item in 2–4 dated lines, some to the fen, adding up to the workbook's figure",
    )
    rng = base._stream(seed, path)
    sheet = base._Sheet("", widths={3: 24, 4: 14})
    sheet.append([f"{county}{township}村级收支明细账（{base.SYNTHETIC}）"])
    sheet.append(["单位：元"])
    sheet.append(list(CASH_BOOK_HEADER))
    days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    for v in _members(world, county, township):
        accounts = world.accounts[(v.code, year)]
        name = base._written_name(v, year, rng, 0.04)
        habit = int(rng.integers(0, 3))
        lines = []
        for item in (*base.income_items(year), *base.expense_items(year)):
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
            index.add((v.code, year, item), base._At(document, sheet, row, 5 if income else 6))
    document.sheets.append(sheet)
    return document


# --- 财务公开榜 ---------------------------------------------------------------------------------------------

# 项目 and item of each line of the board, as villages post it.
DISCLOSURE_LINES = (
    ("一、收入合计", "total_income"),
    ("  1.经营收入", "operating_income"),
    ("  2.发包及上交收入", "contract_income"),
    ("  3.投资收益", "investment_income"),
    ("  4.补助收入", "subsidy_income"),
    ("  5.其他收入", "other_income"),
    ("二、支出合计", "total_expense"),
    ("  1.经营支出", "operating_expense"),
    ("  2.管理费用", "admin_expense"),
    ("  3.其他支出", "other_expense"),
    ("三、本年收益", "net_income"),
)
DISCLOSURE_HEADER = ("项目", "本季发生数", "本年累计数")
QUARTERS = {3: "第三季度", 4: "第四季度"}


def quarter_figures(seed: int, village_code: str, year: int, accounts: dict[str, float]) -> dict[int, dict]:
    """A village's quarters on its 公开榜: {quarter: {item: (本季发生数, 本年累计数)}} for 第三 and 第四季度.

    The 第四季度's 本年累计数 is the year (``accounts``); its 本季发生数 is 20–35% of it, whole yuan; the
    第三季度's 本年累计数 is the year less the 第四季度, and its 本季发生数 25–40% of that. Totals are the sums
    of their items and 本年收益 income less expenses, in every column.
    """
    rng = base._stream(seed, f"财务公开榜 {village_code} {year}")
    parts = [item for _, item in DISCLOSURE_LINES if item not in labels.TOTAL_ITEMS]
    year_of = {item: int(accounts[item]) for item in parts}
    q4 = {item: round(year_of[item] * rng.uniform(0.20, 0.35)) for item in parts}
    to_september = {item: year_of[item] - q4[item] for item in parts}
    q3 = {item: round(to_september[item] * rng.uniform(0.25, 0.40)) for item in parts}

    def with_totals(figures: dict[str, int]) -> dict[str, int]:
        income = sum(figures[i] for i in base.INCOME_ITEMS_2004)
        expense = sum(figures[i] for i in base.EXPENSE_ITEMS_2004)
        return {**figures, "total_income": income, "total_expense": expense, "net_income": income - expense}

    return {
        3: {"quarter": with_totals(q3), "so_far": with_totals(to_september)},
        4: {"quarter": with_totals(q4), "so_far": with_totals(year_of)},
    }


def disclosure_boards(world, seed: int, index) -> list:
    """The 第三季度 and 第四季度 财务收支公开榜 of :data:`DISCLOSURE_PLACE` for the last year of the 2004 system,
    one workbook per quarter and one sheet per village (none when the place has no village or no such year)."""
    county, township = DISCLOSURE_PLACE
    villages = _members(world, county, township)
    years = _old_system_years(world.years)
    if not villages or not years:
        return []
    year = years[-1]
    figures = {v.code: quarter_figures(seed, v.code, year, world.accounts[(v.code, year)]) for v in villages}
    documents = []
    for quarter, words in QUARTERS.items():
        path = f"{county}/{county}{township}{year}年{words}村级财务收支公开榜（合成样例）.xlsx"
        what = (
            "财务收支公开榜, one sheet per village: 本季发生数 (Oct–Dec, invented) and 本年累计数 (the year, "
            "repeats the county workbook), 公开日期 and 监督小组签字 lines"
            if quarter == 4
            else "财务收支公开榜, one sheet per village: 本季发生数 (Jul–Sep) and 本年累计数 (Jan–Sep), both invented, "
            "agreeing with the 第四季度 board"
        )
        document = base._Document(path, [], "statement", "元", what=what)
        for v in villages:
            document.sheets.append(
                _disclosure_sheet(
                    document, v, year, quarter, figures[v.code][quarter], index=index if quarter == 4 else None
                )
            )
        documents.append(document)
    return documents


def _disclosure_sheet(document, v, year: int, quarter: int, figures: dict, *, index):
    sheet = base._Sheet(_name(v, year), widths={0: 22, 1: 14, 2: 14}, number_format=MONEY_FORMAT)
    title = f"{v.township}{_name(v, year)}{year}年{QUARTERS[quarter]}财务收支公开榜（{base.SYNTHETIC}）"
    sheet.merges.append((sheet.append([title]), 0, 0, 2))
    sheet.append([None, None, "单位：元"])
    sheet.append(list(DISCLOSURE_HEADER))
    for label, item in DISCLOSURE_LINES:
        row = sheet.append([label, figures["quarter"][item], figures["so_far"][item]])
        if index is not None:  # the 第四季度's 本年累计数: the year's figure
            index.add((v.code, year, item), base._At(document, sheet, row, 2))
    published = f"{year + 1}年1月10日" if quarter == 4 else f"{year}年{3 * quarter + 1}月10日"
    sheet.append([f"公开日期：{published}", None, "监督小组签字："])
    sheet.append([base.SYNTHETIC_NOTE])
    return sheet


# --- 村党组织书记花名册: the forms organisation departments keep ------------------------------------------------

ROSTER_SHEET = "花名册（合成样例）"
ROSTER_MAIN_HEADER = (
    "序号",
    "县市区",
    "乡镇",
    "村（社区）",
    "姓名",
    "性别",
    "出生年月",
    "学历",
    '是否"一肩挑"',
    "新任/连任",
    "任职起止时间",
    "来源",
    "导师",
    "培训天数",
    "荣誉",
    "备注",
)
ROSTER_HISTORY_HEADER = ("序号", "村", "姓名", "职务", "任职起止时间", "来源", "备注")
ROSTER_COMMITTEE_HEADER = (
    "序号",
    "村（社区）",
    "姓名",
    "职务",
    "性别",
    "出生年月",
    "学历",
    "新任/连任",
    "任职时间",
    None,
    "来源",
    "导师",
    "培训天数",
    "荣誉",
    "备注",
)
# 来源 as clerks write it: other words for the article's five categories, and for 其他 what the person was
# (every one of them is read as the category the truth has).
BACKGROUND_WRITTEN = {
    "返乡大学生": ("大学生村官", "高校毕业生"),
    "退役军人": ("退伍军人", "退役士兵"),
    "致富能手": ("种养大户", "致富带头人"),
    "经商返乡人员": ("返乡创业人员", "外出经商返乡人员"),
    "其他": ("外出务工返乡", "选派干部", "村医", "退休干部"),
}
BACKGROUND_REWORDED = 0.4  # share of invented secretaries whose 来源 is written in other words
# How a county writes 任职起止时间 (by the county's position in chenzhou.COUNTY_CODES): (range, in office).
RANGE_STYLES = (("{a}—{b}", "{a}—至今"), ("{a}-{b}", "{a}-至今"), ("{a}—{b}", "{a}至今"), ("{a}—{b}", "{a}—"))
EDUCATION = ("初中", "高中", "中专", "大专", "本科")


@dataclass
class RosterForms:
    """The roster workbook and what it holds besides the truth's spells.

    ``township`` is (county, township) of the 历任书记 and 两委班子 sheets, ``villages`` how many villages its
    两委班子 sheet lists; ``split`` the secretary whose term is
    written in two rows at an election (书记, then 书记兼主任) with the election's date, or None; ``committee`` the
    two-committee rows of other posts (village, name, role, start); ``reworded`` how many spells have a 来源
    written in other words.
    """

    document: object
    township: tuple[str, str]
    villages: int
    split: tuple[str, str, dt.date] | None
    committee: pd.DataFrame
    reworded: int
    huanjie: dt.date | None


def roster_workbook(world, seed: int) -> RosterForms:
    """The 村党组织书记花名册 workbook: the city's 花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell, 来源 as
    written), and for one township a 历任书记 sheet and a 两委班子 sheet (section row, header over two rows).

    Every spell of the truth is in it, read back exactly: a spell across the last 换届 is two rows, the term before
    it and the 连任 row from it; the township's current terms are on its 两委班子 sheet only (the same current
    spell twice would overlap itself), its earlier rows on its 历任书记 sheet (and, for the spells that ended, on
    the 花名册 too: the same rows, which join).
    """
    roster = world.roster.reset_index(drop=True)
    years = world.years
    elections = [e for e in base.ELECTIONS if e.year <= years[-1]]
    huanjie = elections[-1] if elections else None
    township, split = _roster_township(world, roster, years)
    rng = base._stream(seed, base.ROSTER_FILE)
    people = _roster_people(rng, roster)
    order = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    rows = []
    for index, spell in roster.iterrows():
        split_at = (
            split[2] if split is not None and spell["name"] == split[1] and spell["village"] == split[0] else None
        )
        rows += _term_rows(spell, people[index], huanjie=huanjie, split_at=split_at)
    terms = pd.DataFrame(rows)
    terms["county_order"] = terms["county"].map(order)
    terms = terms.sort_values(["county_order", "village_code", "start"], kind="stable").reset_index(drop=True)
    here = terms["county"].eq(township[0]) & terms["township"].eq(township[1])
    ended_spell = terms["spell_end"].notna()
    main = terms.loc[~here | ended_spell]
    history = terms.loc[here & terms["end"].notna()]
    current = terms.loc[here & terms["end"].isna()]
    committee_rng = base._stream(seed, f"{base.ROSTER_FILE} 两委班子")
    committee_sheet, committee = _committee_sheet(world, committee_rng, current, township, roster, huanjie)
    document = base._Document(
        base.ROSTER_FILE,
        [_main_sheet(main, township, huanjie), _history_sheet(history, township), committee_sheet],
        "roster",
        "",
        what=f'村党组织书记花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell, 来源 as written), '
        f"{township[1]}'s 历任书记 and 两委班子 sheets (not a ledger)",
    )
    reworded = int(sum(p["background_written"] != s for p, s in zip(people, roster["background"], strict=True)))
    return RosterForms(document, township, current["village_code"].nunique(), split, committee, reworded, huanjie)


def _roster_township(world, roster, years):
    """The township of the 历任书记 and 两委班子 sheets, and the secretary whose term is split there.

    The split is a secretary in office at the end, 书记兼主任 in the truth, who took office before an election
    that comes before the first 31 December of the sample: written 书记 until that election and 书记兼主任 from
    it, the role the truth gives is the one held on every 31 December of the sample. The township: the one with
    the most villages among those with such a secretary (the largest one when none has).
    """
    first_year_end = dt.date(years[0], 12, 31)
    candidates = {}
    for spell in roster.itertuples(index=False):
        if not base._missing(spell.end) or spell.role != "书记兼主任" or spell.name in chenzhou.ARTICLE_PEOPLE:
            continue
        before = [e for e in base.ELECTIONS if spell.start < e <= first_year_end]
        if before:
            candidates.setdefault(
                (spell.county, spell.township), (spell.village_code, spell.village, spell.name, before[-1])
            )
    sizes = {
        (county, township): len(_members(world, county, township))
        for county, townships in chenzhou.TOWNSHIPS.items()
        for township in townships
    }
    pool = candidates or sizes
    place = max(pool, key=lambda p: (sizes[p], -list(sizes).index(p)))
    if place not in candidates:
        return place, None
    _, village, name, election = candidates[place]
    return place, (village, name, election)


def _roster_people(rng: np.random.Generator, roster) -> list[dict]:
    """性别, 出生年月, 学历 and 来源 as written, per spell (invented; left empty for the article's people)."""
    people = []
    for spell in roster.itertuples(index=False):
        gender = "男" if rng.random() < 0.85 else "女"
        born = dt.date(spell.start.year - int(rng.integers(27, 51)), int(rng.integers(1, 13)), 1)
        schooling = str(
            rng.choice(
                EDUCATION[3:] if spell.background == "返乡大学生" else EDUCATION,
                p=None if spell.background == "返乡大学生" else [0.15, 0.3, 0.15, 0.25, 0.15],
            )
        )
        reword, wording = rng.random() < BACKGROUND_REWORDED, rng.choice(BACKGROUND_WRITTEN[spell.background])
        if spell.name in chenzhou.ARTICLE_PEOPLE:
            people.append({"gender": None, "born": None, "schooling": None, "background_written": spell.background})
            continue
        people.append(
            {
                "gender": gender,
                "born": f"{born.year}.{born.month:02d}",
                "schooling": schooling,
                "background_written": str(wording) if reword else spell.background,
            }
        )
    return people


def _term_rows(spell, person: dict, *, huanjie: dt.date | None, split_at: dt.date | None) -> list[dict]:
    """A spell as the roster's rows: one, or the term before the 换届 and the 连任 one from it; and for the split
    secretary also 书记 until ``split_at``. 导师, 培训天数 and 荣誉 (of the spell) are on its last row."""
    start, end = spell["start"], None if base._missing(spell["end"]) else spell["end"]
    cuts = sorted({d for d in (split_at, huanjie) if d is not None and start < d and (end is None or d <= end)})
    bounds = [start, *cuts]
    rows = []
    for number, begin in enumerate(bounds):
        last = number == len(bounds) - 1
        finish = end if last else bounds[number + 1] - dt.timedelta(days=1)
        role = "书记" if split_at is not None and begin < split_at else spell["role"]
        term = None
        if huanjie is not None and begin >= huanjie:
            term = "连任" if number > 0 else "新任"
        rows.append(
            {
                "county": spell["county"],
                "township": spell["township"],
                "village": spell["village"],
                "village_code": spell["village_code"],
                "name": spell["name"],
                "role": role,
                "start": begin,
                "end": finish,
                "spell_end": end,
                "term": term,
                **person,
                "mentor": spell["mentor"] if last else None,
                "training_days": spell["training_days"] if last else None,
                "honours": spell["honours"] if last else None,
                "continues": not last,
                "changes_role": not last and role != spell["role"],
            }
        )
    return rows


def _month(day: dt.date) -> str:
    return f"{day.year}.{day.month:02d}"


def _range_text(start: dt.date, end: dt.date | None, style: int) -> str:
    closed, open_ = RANGE_STYLES[style % len(RANGE_STYLES)]
    if style % len(RANGE_STYLES) == 2:  # 2017年4月至今, 2011年1月—2017年3月
        a = f"{start.year}年{start.month}月"
        b = None if end is None else f"{end.year}年{end.month}月"
    else:
        a, b = _month(start), None if end is None else _month(end)
    return open_.format(a=a) if end is None else closed.format(a=a, b=b)


def _main_sheet(terms, township: tuple[str, str], huanjie: dt.date | None):
    header = ROSTER_MAIN_HEADER
    sheet = base._Sheet(
        ROSTER_SHEET, widths={1: 8, 2: 12, 3: 12, 4: 8, 6: 9, 8: 10, 9: 9, 10: 18, 11: 14, 12: 8, 14: 16, 15: 10}
    )
    last = len(header) - 1
    title = f"郴州市村（社区）党组织书记花名册（{base.SYNTHETIC}，文中人物以外人名均为虚构）"
    sheet.merges.append((sheet.append([title]), 0, 0, last))
    when = f"{huanjie.year}年{huanjie.month}月" if huanjie is not None else "最近一次"
    name = township[1]
    row = sheet.append(
        [
            f"填表说明：任职起止时间填写到月，在任的填写至今；新任/连任按{when}村“两委”换届填写，"
            f"连任的换届前任期另列一行；{name}现任书记见《{name}两委班子》表，换届前任期见"
            f"《{name}历任书记》表。"
        ]
    )
    sheet.merges.append((row, 0, row, last))
    sheet.append(list(header))
    styles = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    blocks: list[int] = []  # first row of each county: 县市区 is merged over the county's rows
    for number, term in enumerate(terms.itertuples(index=False), start=1):
        first = not blocks or sheet.rows[blocks[-1]][1] != term.county
        row = sheet.append(
            [
                number,
                term.county,
                term.township,
                term.village,
                term.name,
                term.gender,
                term.born,
                term.schooling,
                "是" if term.role == "书记兼主任" else "否",
                term.term,
                _range_text(term.start, None if base._missing(term.end) else term.end, styles[term.county]),
                term.background_written,
                term.mentor,
                None if base._missing(term.training_days) else int(term.training_days),
                term.honours,
                "已离任" if not term.continues and not base._missing(term.end) else None,
            ]
        )
        if first:
            blocks.append(row)
    ends = [*blocks[1:], len(sheet.rows)]
    for begin, end in zip(blocks, ends, strict=True):
        for r in range(begin + 1, end):
            sheet.rows[r][1] = None
        if end - 1 > begin:
            sheet.merges.append((begin, 1, end - 1, 1))
    _roster_footer(sheet, last)
    return sheet


def _post(role: str, general: bool) -> str:
    """职务 as written: 党支部书记 or 党总支书记, 、村委会主任 for 一肩挑 (never plain 书记)."""
    branch = "党总支书记" if general else "党支部书记"
    return f"{branch}、村委会主任" if role == "书记兼主任" else branch


def _general_branch(village_code: str) -> bool:
    """Whether the village's Party organisation is a 党总支 (a steady habit of the village, invented)."""
    return zlib.crc32(village_code.encode()) % 3 == 0


def _history_sheet(terms, township: tuple[str, str]):
    county, name = township
    sheet = base._Sheet(f"{name}历任书记（合成样例）", widths={1: 12, 3: 22, 4: 18, 5: 14, 6: 22})
    last = len(ROSTER_HISTORY_HEADER) - 1
    sheet.merges.append(
        (sheet.append([f"{county}{name}历任村党组织书记名录（{base.SYNTHETIC}，人名均为虚构）"]), 0, 0, last)
    )
    sheet.append(list(ROSTER_HISTORY_HEADER))
    for number, term in enumerate(terms.itertuples(index=False), start=1):
        if term.changes_role:
            note = f"{term.end.year + 1}年1月换届后兼任村委会主任"
        elif term.continues:
            note = f"{term.end.year + 1}年1月换届连任"
        else:
            note = "离任"
        sheet.append(
            [
                number,
                term.village,
                term.name,
                _post(term.role, _general_branch(term.village_code)),
                _range_text(term.start, term.end, 0),
                term.background_written,
                note,
            ]
        )
    _roster_footer(sheet, last)
    return sheet


def _committee_sheet(
    world, rng: np.random.Generator, current, township: tuple[str, str], roster, huanjie: dt.date | None
):
    """The township's 两委班子 in office at the end: the secretary, 驻村第一书记 (some villages), 党支部副书记,
    村委会主任 (where the secretary is not 一肩挑) and 委员, every one but the secretary invented."""
    county, name = township
    header = ROSTER_COMMITTEE_HEADER
    last = len(header) - 1
    sheet = base._Sheet(f"{name}两委班子（合成样例）", widths={1: 12, 3: 22, 8: 9, 9: 9, 10: 14, 13: 16})
    sheet.merges.append(
        (sheet.append([f"{county}{name}村（社区）“两委”班子成员花名册（{base.SYNTHETIC}，人名均为虚构）"]), 0, 0, last)
    )
    top = sheet.append(list(header))
    sheet.append([None] * 8 + ["起", "止"] + [None] * 5)
    sheet.merges += [(top, col, top + 1, col) for col in range(len(header)) if col not in (8, 9)]
    sheet.merges.append((top, 8, top, 9))
    villages = current.drop_duplicates("village_code")
    row = sheet.append([f"一、{name}（共{len(villages)}个村）"])
    sheet.merges.append((row, 0, row, last))
    used = set(roster["name"]) | set(chenzhou.ARTICLE_PEOPLE)
    names = iter([n for n in chenzhou.person_name_pool(rng, size=len(used) + 12 * len(villages) + 64) if n not in used])
    elected = _month(huanjie) if huanjie is not None else None
    members = []
    number = 0
    for secretary in current.itertuples(index=False):
        posts = [(secretary.name, _post(secretary.role, _general_branch(secretary.village_code)), secretary)]
        if rng.random() < 0.4:
            posts.append((next(names), "驻村第一书记", None))
        posts.append((next(names), "党支部副书记", None))
        if secretary.role != "书记兼主任":
            posts.append((next(names), "村委会主任", None))
        posts += [
            (next(names), str(rng.choice(("支部委员", "村委会委员"))), None) for _ in range(int(rng.integers(1, 4)))
        ]
        first = None
        for person, post, spell in posts:
            number += 1
            if spell is not None:
                cells = [
                    spell.gender,
                    spell.born,
                    spell.schooling,
                    spell.term,
                    _month(spell.start),
                    None,
                    spell.background_written,
                    spell.mentor,
                    None if base._missing(spell.training_days) else int(spell.training_days),
                    spell.honours,
                ]
            else:
                since = huanjie.year if huanjie is not None else world.years[0]
                start = (
                    _month(
                        dt.date(
                            int(rng.integers(since, max(since, world.years[-1]) + 1)), int(rng.choice((3, 6, 9))), 1
                        )
                    )
                    if post == "驻村第一书记" or elected is None
                    else elected
                )
                gender = "男" if rng.random() < 0.7 else "女"
                born = f"{int(rng.integers(1965, 1998))}.{int(rng.integers(1, 13)):02d}"
                schooling = str(rng.choice(EDUCATION))
                term = str(rng.choice(("新任", "连任"))) if post != "驻村第一书记" else "新任"
                cells = [
                    gender,
                    born,
                    schooling,
                    term,
                    start,
                    None,
                    "选派干部" if post == "驻村第一书记" else None,
                    None,
                    None,
                    None,
                ]
                members.append({"village": secretary.village, "name": person, "role": post, "start": start})
            row = sheet.append([number, secretary.village if first is None else None, person, post, *cells, None])
            first = row if first is None else first
        if row > first:
            sheet.merges.append((first, 1, row, 1))  # 村 merged over the village's rows
    _roster_footer(sheet, last)
    return sheet, pd.DataFrame(members, columns=["village", "name", "role", "start"])


def _roster_footer(sheet, last: int) -> None:
    sheet.append(["填表人：李娟", None, None, "审核人：周平", None, None, "填报日期：2024年1月"][: last + 1])
    sheet.append([base.SYNTHETIC_NOTE])
