"""The layouts of the ledger workbooks: one row per village (wide), 收益分配表 (items down, years across), long.

Each function fills a :class:`~villagecon.sample.documents.Sheet` from the world and notes every amount's cell in
the :class:`~villagecon.sample.documents.CellIndex`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from villagecon.sample.documents import SYNTHETIC, SYNTHETIC_NOTE, At, Cell, CellIndex, Document, Sheet
from villagecon.sample.habits import Style, written_name
from villagecon.sample.process import expense_items, income_items
from villagecon.sample.world import Village, World
from villagecon.vocab import chenzhou, labels

__all__ = ["long_sheet", "statement_sheet", "wide_columns", "wide_sheet"]

_ITEM_HEADERS = {  # the two-level header: (group, sub-label) of each item column
    **{item: ("本年收入", labels.INCOME_ITEMS[item]) for item in labels.INCOME_ITEMS},
    "total_income": ("本年收入", "合计"),
    **{item: ("本年支出", labels.EXPENSE_ITEMS[item]) for item in labels.EXPENSE_ITEMS},
    "total_expense": ("本年支出", "合计"),
}
_FLAT_HEADERS = {**labels.ACCOUNT_ITEMS, "assets": "资产总额", "liabilities": "负债总额"}


def wide_columns(year: int) -> list[str]:
    """The item columns of a one-row-per-village sheet of ``year``.

    Parameters
    ----------
    year : int

    Returns
    -------
    list of str
        The items of the year's system, totals after their parts, then net_income, assets, liabilities.
    """
    return [
        *income_items(year),
        "total_income",
        *expense_items(year),
        "total_expense",
        "net_income",
        "assets",
        "liabilities",
    ]


def wide_sheet(
    world: World,
    document: Document,
    *,
    county: str,
    year: int,
    style: Style,
    rng: np.random.Generator,
    index: CellIndex,
    sheet_name: str,
    two_level: bool = True,
    unit_row: bool = True,
    variants: float = 0.06,
    extra: dict[str, Any] | None = None,
    name_override: dict[str, str] | None = None,
) -> Sheet:
    """One row per village, township 小计 rows and a 合计 row, as a county office reports a year.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    document : Document
        The file the sheet belongs to.
    county, year : str, int
    style : Style
        How the office writes amounts.
    rng : numpy.random.Generator
    index : CellIndex
        Where each truth amount is written is noted here.
    sheet_name : str
    two_level, unit_row : bool
        A two-level merged header; a 单位 row (else the unit in each column label).
    variants : float
        Share of village names written another way.
    extra : dict, optional
        A row for a village not in the register (:func:`~villagecon.sample.defects.unknown_village`).
    name_override : dict, optional
        Names written as given (上河村 → 上河村村委会).

    Returns
    -------
    Sheet
    """
    sheet = Sheet(sheet_name)
    items = wide_columns(year)
    first_amount = 3
    width = first_amount + len(items)
    title = f"{county}{year}年村级集体经济收支情况统计表（{SYNTHETIC}）"
    sheet.merges.append((sheet.append([title]), 0, 0, width - 1))
    if unit_row:
        sheet.append([f"单位：{style.unit}"])
    if two_level:
        top: list[str | None] = ["序号", "乡镇", "村名"]
        sub: list[str | None] = [None, None, None]
        group_before: str | None = None
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
        rows: list[tuple[Village | None, dict[str, float]]] = [(v, world.accounts[(v.code, year)]) for v in members]
        if extra and extra["township"] == township:
            rows.insert(min(1, len(rows)), (None, extra["accounts"]))
        if not rows:
            continue
        block: dict[str, list[float]] = {item: [] for item in items}
        for v, accounts in rows:
            number += 1
            name = (
                (extra or {})["village"]
                if v is None
                else (name_override or {}).get(v.name) or written_name(v, year, rng, variants)
            )
            row = sheet.append([number, township, name])
            for col, item in enumerate(items, start=first_amount):
                approx = _approx_text(world, v, year, item)
                sheet.rows[row].append(style.amount(accounts[item], item, rng, approx=approx))
                block[item].append(accounts[item])
                index.add((v.code if v else "UNKNOWN", year, item), At(document, sheet, row, col))
        subtotal = sheet.append([None, f"{township}小计", None])
        for col, item in enumerate(items, start=first_amount):
            sheet.rows[subtotal].append(_sum_cell(block[item], item, style, rng))
            index.subtotals[(document.path, sheet.name, year, f"{township}小计", item)] = At(
                document, sheet, subtotal, col
            )
            grand[item] += block[item]
    total = sheet.append([None, "合\u3000计", None])
    for item in items:
        sheet.rows[total].append(_sum_cell(grand[item], item, style, rng))
    sheet.append([SYNTHETIC_NOTE])
    return sheet


def _sum_cell(values: list[float], item: str, style: Style, rng: np.random.Generator) -> Cell:
    present = [v for v in values if not math.isnan(v)]
    if not present:
        return None
    return style.amount(float(sum(present)), item, rng)


def _approx_text(world: World, v: Village | None, year: int, item: str) -> str | None:
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

    def present(group: Iterable[str]) -> list[str]:
        return [item for item in group if any(item in (*income_items(y), *expense_items(y)) for y in years)]

    lines: list[tuple[str, str, str | None]] = []
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


def _year_header(year: int, how: str, position: int) -> int | str:
    if how == "mixed":
        how = ("年", "number", "chinese", "年度")[position % 4]
    if how == "number":
        return year
    if how == "chinese":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(year)) + "年"
    if how == "年度":
        return f"{year}年度"
    return f"{year}年"


def statement_sheet(
    world: World,
    document: Document,
    v: Village,
    *,
    style: Style,
    rng: np.random.Generator,
    index: CellIndex,
    year_headers: str = "年",
    variants: float = 0.1,
) -> Sheet:
    """One village's 收益分配表: items down, years across.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    document : Document
    v : Village
    style : Style
    rng : numpy.random.Generator
    index : CellIndex
        Where each truth amount is written is noted here.
    year_headers : str
        How years are written: 年, number, chinese, 年度 or mixed.
    variants : float

    Returns
    -------
    Sheet
    """
    years = world.years
    details = world.details.loc[world.details["village_code"].eq(v.code)]
    sheet_name = v.name + "村委会" if rng.random() < variants * 0.3 else v.name
    sheet = Sheet(sheet_name, widths={0: 26})
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
                index.add((v.code, year, item), At(document, sheet, row, col))
            else:
                found = details.loc[
                    details["year"].eq(year) & details["item"].eq(item) & details["detail"].eq(detail), "amount_yuan"
                ]
                value = None if found.empty else style.amount(float(found.iloc[0]), item, rng)
            sheet.rows[row].append(value)
    sheet.append([SYNTHETIC_NOTE])
    return sheet


_LONG_ITEM_LABELS = {**labels.ACCOUNT_ITEMS, "assets": "资产总额", "liabilities": "负债总额"}


def long_sheet(
    world: World,
    document: Document,
    villages: list[Village],
    years: list[int],
    *,
    columns: dict[str, str],
    style: Style,
    rng: np.random.Generator,
    index: CellIndex,
    title: str | None,
    sheet_name: str,
    year_cells: str = "number",
    item_labels: dict[str, str] | None = None,
    variants: float = 0.04,
) -> Sheet:
    """One row per amount. ``columns`` maps roles (year, township, village, item, amount) to header labels,
    in column order.

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    document : Document
    villages : list of Village
    years : list of int
    columns : dict of str to str
    style : Style
    rng : numpy.random.Generator
    index : CellIndex
        Where each truth amount is written is noted here.
    title : str or None
    sheet_name : str
    year_cells : str
        number, 年度 or mixed.
    item_labels : dict, optional
        Item labels other than :data:`villagecon.vocab.labels.ACCOUNT_ITEMS`.
    variants : float

    Returns
    -------
    Sheet
    """
    sheet = Sheet(sheet_name, widths={list(columns).index("item"): 16})
    if title:
        sheet.merges.append((sheet.append([title]), 0, 0, len(columns) - 1))
    if not any(u in columns["amount"] for u in ("元", "万元")):
        sheet.append([f"单位：{style.unit}"])
    sheet.append(list(columns.values()))
    item_labels = {**_LONG_ITEM_LABELS, **(item_labels or {})}
    for v in villages:
        for j, year in enumerate(years):
            accounts = world.accounts[(v.code, year)]
            name = written_name(v, year, rng, variants)
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
                index.add((v.code, year, item), At(document, sheet, row, list(columns).index("amount")))
    return sheet


def _year_cell(year: int, how: str, position: int) -> int | str:
    if how == "mixed":
        return (year, f"{year}年", year, _year_header(year, "chinese", 0))[position % 4]
    if how == "年度":
        return f"{year}年度"
    return year
