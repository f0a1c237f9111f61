"""资产负债表 of the sample: a workbook per township of :data:`BALANCE_SHEET_COUNTY` and year, one sheet per village.

The last two years of the 2004 system whose year before is in the sample; the 资产 and 负债及所有者权益 blocks side
by side with 年初数 | 年末数. 资产总计 and 负债合计 are the truth's assets and liabilities; the other lines are
invented so that every sub-total and total adds up in whole yuan, and the same for a village-year in every sheet
(a 年末数 and the next year's 年初数 agree line by line).
"""

from __future__ import annotations

import math

from villagecon.sample.documents import MONEY_FORMAT, SYNTHETIC, SYNTHETIC_NOTE, At, Cell, CellIndex, Document, Sheet
from villagecon.sample.process import stream, years_with_year_before
from villagecon.sample.world import Village, World, name_in, organisation_name, villages_of
from villagecon.vocab import chenzhou

__all__ = ["BALANCE_LAYOUT", "BALANCE_SHEET_COUNTY", "balance_lines", "balance_sheets"]

BALANCE_SHEET_COUNTY = "嘉禾县"

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

    Parameters
    ----------
    seed : int
        The sample's seed (each form draws from its own stream).
    village_code : str
    year : int
    assets, liabilities : float
        The truth's 资产 and 负债 (yuan).

    Returns
    -------
    dict of str to int
    """
    rng = stream(seed, f"资产负债表 {village_code} {year}")
    keeps = stream(seed, f"资产负债表 {village_code}")  # habits of the village, the same every year
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


def balance_sheets(world: World, seed: int, index: CellIndex) -> list[Document]:
    """资产负债表 workbooks of :data:`BALANCE_SHEET_COUNTY`: one per township and year, one sheet per village.

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
    list of Document
    """
    documents = []
    county = BALANCE_SHEET_COUNTY
    for year in years_with_year_before(world.years)[-2:]:
        for township in chenzhou.TOWNSHIPS[county]:
            villages = [
                v
                for v in villages_of(world, county, township)
                if not math.isnan(world.accounts[(v.code, year)]["assets"])
            ]
            if not villages:
                continue
            path = f"{county}/{county}{township}{year}年村级资产负债表（合成样例）.xlsx"
            document = Document(
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


def _balance_sheet(world: World, document: Document, v: Village, year: int, *, seed: int, index: CellIndex) -> Sheet:
    def balances(y: int) -> dict[str, int] | None:
        accounts = world.accounts.get((v.code, y))
        if accounts is None or math.isnan(accounts["assets"]):
            return None  # no balance sheet drawn up that year: 年初数 left empty
        return balance_lines(seed, v.code, y, accounts["assets"], accounts["liabilities"])

    start, end = balances(year - 1), balances(year)
    assert end is not None, "balance_sheets writes only village-years with a balance sheet"
    sheet = Sheet(name_in(v, year), widths={0: 18, 4: 20}, number_format=MONEY_FORMAT)
    sheet.merges.append((sheet.append([f"资产负债表（{SYNTHETIC}）"]), 0, 0, 7))
    row = sheet.append(
        [f"编制单位：{organisation_name(v, year)}", None, None, f"{year}年12月31日", None, None, None, "单位：元"]
    )
    sheet.merges += [(row, 0, row, 2), (row, 3, row, 4)]
    sheet.append(["资产", "行次", "年初数", "年末数", "负债及所有者权益", "行次", "年初数", "年末数"])
    items = {"资产总计": "assets", "负债合计": "liabilities"}
    for left, left_line, right, right_line in BALANCE_LAYOUT:
        cells: list[Cell] = []
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
                index.add((v.code, year, item), At(document, sheet, row, col + 3))
                if start is not None:
                    index.add((v.code, year - 1, item), At(document, sheet, row, col + 2))
    sheet.append(["单位负责人：", None, None, "会计：", None, None, "制表：", None])
    sheet.append([SYNTHETIC_NOTE])
    return sheet
