"""Three more real forms in the synthetic sample: 资产负债表, a 三资 platform export and a 收益分配统计表.

:mod:`villagecon.sample` calls these writers while it lays out the sample's files; they use its world (the
truth) and its sheet and document records, and write amounts that repeat the truth to the fen, so that every
amount they hold is a duplicate of a figure another file gives:

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

All three keep to the years of the 2004 system (before :data:`villagecon.sample.NEW_SYSTEM_FROM`).
"""

from __future__ import annotations

import math

import numpy as np

from villagecon import chenzhou
from villagecon import sample as base

BALANCE_SHEET_COUNTY = "嘉禾县"
SANZI_PLACE = ("北湖区", "华塘镇")
STATISTICS_COUNTY = "桂东县"

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
    keeps = base._stream(seed, f"资产负债表 {village_code}")          # habits of the village, the same every year
    total_assets, total_liabilities = int(assets), int(liabilities)

    def share(low: float, high: float, *, of: int, present: float = 1.0) -> int:
        draw = rng.uniform(low, high)
        return round(of * draw) if rng.random() < present else 0

    lines = {"货币资金": share(0.08, 0.25, of=total_assets),
             "短期投资": share(0.01, 0.04, of=total_assets, present=0.2),
             "应收款项": share(0.02, 0.10, of=total_assets),
             "存货": share(0.0, 0.02, of=total_assets, present=0.5)}
    lines["流动资产合计"] = lines["货币资金"] + lines["短期投资"] + lines["应收款项"] + lines["存货"]
    lines |= {"牲畜（禽）资产": share(0.0, 0.02, of=total_assets, present=0.15),
              "林木资产": share(0.01, 0.06, of=total_assets, present=0.6)}
    lines["农业资产合计"] = lines["牲畜（禽）资产"] + lines["林木资产"]
    lines["长期投资"] = share(0.03, 0.12, of=total_assets, present=0.4)
    lines |= {"固定资产清理": 0, "在建工程": share(0.02, 0.10, of=total_assets, present=0.3)}
    net = (total_assets - lines["流动资产合计"] - lines["农业资产合计"] - lines["长期投资"] - lines["固定资产清理"]
           - lines["在建工程"])
    depreciation = round(net * rng.uniform(0.10, 0.30))
    lines |= {"固定资产原值": net + depreciation, "减：累计折旧": depreciation, "固定资产净值": net}
    lines["固定资产合计"] = net + lines["固定资产清理"] + lines["在建工程"]
    lines["资产总计"] = total_assets

    parts = {"短期借款": share(0.1, 0.3, of=total_liabilities, present=0.3),
             "应付工资": share(0.0, 0.1, of=total_liabilities), "应付福利费": share(0.0, 0.05, of=total_liabilities),
             "长期借款及应付款": share(0.1, 0.3, of=total_liabilities, present=0.5),
             "一事一议资金": share(0.0, 0.1, of=total_liabilities, present=0.4)}
    payables = total_liabilities - sum(parts.values())
    if payables < 0:                                  # rounding on a tiny debt: all of it is 应付款项
        parts, payables = dict.fromkeys(parts, 0), total_liabilities
    lines |= {"短期借款": parts["短期借款"], "应付款项": payables, "应付工资": parts["应付工资"],
              "应付福利费": parts["应付福利费"]}
    lines["流动负债合计"] = lines["短期借款"] + payables + lines["应付工资"] + lines["应付福利费"]
    lines |= {"长期借款及应付款": parts["长期借款及应付款"], "一事一议资金": parts["一事一议资金"]}
    lines["长期负债合计"] = lines["长期借款及应付款"] + lines["一事一议资金"]
    lines["负债合计"] = total_liabilities

    equity = total_assets - total_liabilities
    base_of_equity = equity if equity > 0 else round(total_assets * 0.3)
    lines["资本"] = round(base_of_equity * keeps.uniform(0.30, 0.55))
    lines["公积公益金"] = round(base_of_equity * rng.uniform(0.15, 0.35))
    lines["未分配收益"] = equity - lines["资本"] - lines["公积公益金"]      # negative after losses
    lines["所有者权益合计"] = equity
    lines["负债和所有者权益总计"] = total_liabilities + equity
    return lines


def balance_sheets(world, seed: int, index) -> list:
    """资产负债表 workbooks of :data:`BALANCE_SHEET_COUNTY`: one per township and year, one sheet per village."""
    documents = []
    county = BALANCE_SHEET_COUNTY
    for year in _with_year_before(world.years)[-2:]:
        for township in chenzhou.TOWNSHIPS[county]:
            villages = [v for v in _members(world, county, township)
                        if not math.isnan(world.accounts[(v.code, year)]["assets"])]
            if not villages:
                continue
            path = f"{county}/{county}{township}{year}年村级资产负债表（合成样例）.xlsx"
            document = base._Document(path, [], "balance sheet", "元",
                                      what="资产负债表, one sheet per village, 资产 ‖ 负债及所有者权益 side by side, "
                                           "年初数 and 年末数, 编制单位 and date lines")
            document.sheets += [_balance_sheet(world, document, v, year, seed=seed, index=index) for v in villages]
            documents.append(document)
    return documents


def _balance_sheet(world, document, v, year: int, *, seed: int, index):
    def balances(y):
        accounts = world.accounts.get((v.code, y))
        if accounts is None or math.isnan(accounts["assets"]):
            return None                               # no balance sheet drawn up that year: 年初数 left empty
        return balance_lines(seed, v.code, y, accounts["assets"], accounts["liabilities"])

    start, end = balances(year - 1), balances(year)
    sheet = base._Sheet(_name(v, year), widths={0: 18, 4: 20}, number_format=MONEY_FORMAT)
    sheet.merges.append((sheet.append([f"资产负债表（{base.SYNTHETIC}）"]), 0, 0, 7))
    row = sheet.append([f"编制单位：{_organisation(v, year)}", None, None, f"{year}年12月31日", None, None, None,
                        "单位：元"])
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
SANZI_ACCOUNTS = (("501", "operating_income"), ("502", "operating_expense"), ("511", "contract_income"),
                  ("522", "subsidy_income"), ("531", "other_income"), ("541", "admin_expense"),
                  ("551", "other_expense"), ("561", "investment_income"))
SANZI_NAMES = {"501": "经营收入", "502": "经营支出", "511": "发包及上交收入", "522": "补助收入", "531": "其他收入",
               "541": "管理费用", "551": "其他支出", "561": "投资收益"}
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
    document = base._Document(path, [], "long", "元",
                              what="三资 platform export: 区划代码, 组织名称 (full name), 会计年度, 科目编码 "
                                   "501…561 with sub-accounts 50101/50102, 本年累计（元）")
    rng = base._stream(seed, path)
    # A few villages book 经营收入 on its sub-accounts only; the others export the parent, some with its
    # sub-accounts under it.
    only_subs = {villages[i].code for i in rng.permutation(len(villages))[:max(1, len(villages) // 4)]}
    sheet = base._Sheet(f"导出数据（{base.SYNTHETIC}）", widths={1: 15, 2: 44, 5: 16, 6: 16},
                        number_format=MONEY_FORMAT)
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
                    continue                          # the export lists the accounts that moved
                subs = _sub_accounts(rng, yuan) if code == "501" and (
                    v.code in only_subs or rng.random() < 0.35) else []
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
    document = base._Document(path, [], "statement", "千元",
                              what="收益分配统计表, one sheet per village, 本年数 and 上年数, 计量单位 千元/个/人, "
                                   "甲乙丙 row")
    rng = base._stream(seed, path)
    for v in _members(world, county, township):
        members = int(rng.integers(600, 3_500))
        document.sheets.append(_statistics_sheet(world, document, v, year, members=members,
                                                 members_before=members - int(rng.integers(0, 40)), index=index))
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
