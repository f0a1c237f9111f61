"""The 财务收支公开榜 a village posts each quarter, for :data:`DISCLOSURE_PLACE`.

A workbook for the 第三季度 and one for the 第四季度, one sheet per village, 项目 | 本季发生数 | 本年累计数. The
第四季度's 本年累计数 is the truth of the year; the quarters are invented (whole yuan) and agree with each other:
第三季度's 本年累计数 is the year less the 第四季度's 本季发生数.
"""

from __future__ import annotations

from villagecon.sample.documents import MONEY_FORMAT, SYNTHETIC, SYNTHETIC_NOTE, At, CellIndex, Document, Sheet
from villagecon.sample.process import EXPENSE_ITEMS_2004, INCOME_ITEMS_2004, old_system_years, stream
from villagecon.sample.world import Village, World, name_in, villages_of
from villagecon.vocab import labels

__all__ = [
    "DISCLOSURE_HEADER",
    "DISCLOSURE_LINES",
    "DISCLOSURE_PLACE",
    "QUARTERS",
    "disclosure_boards",
    "quarter_figures",
]

DISCLOSURE_PLACE = ("汝城县", "濠头乡")

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


def quarter_figures(
    seed: int, village_code: str, year: int, accounts: dict[str, float]
) -> dict[int, dict[str, dict[str, int]]]:
    """A village's quarters on its 公开榜: {quarter: {item: (本季发生数, 本年累计数)}} for 第三 and 第四季度.

    The 第四季度's 本年累计数 is the year (``accounts``); its 本季发生数 is 20–35% of it, whole yuan; the
    第三季度's 本年累计数 is the year less the 第四季度, and its 本季发生数 25–40% of that. Totals are the sums
    of their items and 本年收益 income less expenses, in every column.

    Parameters
    ----------
    seed : int
        The sample's seed (each form draws from its own stream).
    village_code : str
    year : int
    accounts : dict of str to float
        The village-year's truth (yuan).

    Returns
    -------
    dict
        ``{3: {"quarter": {item: yuan}, "so_far": {item: yuan}}, 4: …}``.
    """
    rng = stream(seed, f"财务公开榜 {village_code} {year}")
    parts = [item for _, item in DISCLOSURE_LINES if item not in labels.TOTAL_ITEMS]
    year_of = {item: int(accounts[item]) for item in parts}
    q4 = {item: round(year_of[item] * rng.uniform(0.20, 0.35)) for item in parts}
    to_september = {item: year_of[item] - q4[item] for item in parts}
    q3 = {item: round(to_september[item] * rng.uniform(0.25, 0.40)) for item in parts}

    def with_totals(figures: dict[str, int]) -> dict[str, int]:
        income = sum(figures[i] for i in INCOME_ITEMS_2004)
        expense = sum(figures[i] for i in EXPENSE_ITEMS_2004)
        return {**figures, "total_income": income, "total_expense": expense, "net_income": income - expense}

    return {
        3: {"quarter": with_totals(q3), "so_far": with_totals(to_september)},
        4: {"quarter": with_totals(q4), "so_far": with_totals(year_of)},
    }


def disclosure_boards(world: World, seed: int, index: CellIndex) -> list[Document]:
    """The 第三季度 and 第四季度 财务收支公开榜 of :data:`DISCLOSURE_PLACE` for the last year of the 2004 system,
    one workbook per quarter and one sheet per village (none when the place has no village or no such year).

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
    county, township = DISCLOSURE_PLACE
    villages = villages_of(world, county, township)
    years = old_system_years(world.years)
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
        document = Document(path, [], "statement", "元", what=what)
        for v in villages:
            document.sheets.append(
                _disclosure_sheet(
                    document, v, year, quarter, figures[v.code][quarter], index=index if quarter == 4 else None
                )
            )
        documents.append(document)
    return documents


def _disclosure_sheet(
    document: Document,
    v: Village,
    year: int,
    quarter: int,
    figures: dict[str, dict[str, int]],
    *,
    index: CellIndex | None,
) -> Sheet:
    sheet = Sheet(name_in(v, year), widths={0: 22, 1: 14, 2: 14}, number_format=MONEY_FORMAT)
    title = f"{v.township}{name_in(v, year)}{year}年{QUARTERS[quarter]}财务收支公开榜（{SYNTHETIC}）"
    sheet.merges.append((sheet.append([title]), 0, 0, 2))
    sheet.append([None, None, "单位：元"])
    sheet.append(list(DISCLOSURE_HEADER))
    for label, item in DISCLOSURE_LINES:
        row = sheet.append([label, figures["quarter"][item], figures["so_far"][item]])
        if index is not None:  # the 第四季度's 本年累计数: the year's figure
            index.add((v.code, year, item), At(document, sheet, row, 2))
    published = f"{year + 1}年1月10日" if quarter == 4 else f"{year}年{3 * quarter + 1}月10日"
    sheet.append([f"公开日期：{published}", None, "监督小组签字："])
    sheet.append([SYNTHETIC_NOTE])
    return sheet
