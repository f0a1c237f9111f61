"""Canonical names and their Chinese labels: the one table charts, workbooks and the cleaner share.

Code and files use English snake_case; people read the Chinese. Nothing else in
villagecon types a Chinese column label inline.
"""

from __future__ import annotations

# Line items of the annual 收益分配表, in statement order. The 2004 system has
# contract_income; 财会〔2023〕14号 (from 2024) drops it and adds
# tax_and_surcharges, public_welfare_expense and income_tax.
INCOME_ITEMS = {
    "operating_income": "经营收入",
    "contract_income": "发包及上交收入",
    "investment_income": "投资收益",
    "subsidy_income": "补助收入",
    "other_income": "其他收入",
}
EXPENSE_ITEMS = {
    "operating_expense": "经营支出",
    "tax_and_surcharges": "税金及附加",
    "admin_expense": "管理费用",
    "public_welfare_expense": "公益支出",
    "other_expense": "其他支出",
    "income_tax": "所得税费用",
}
TOTAL_ITEMS = {
    "total_income": "本年收入合计",
    "total_expense": "本年支出合计",
    "net_income": "本年收益",
}
BALANCE_ITEMS = {
    "assets": "资产",
    "liabilities": "负债",
}
ACCOUNT_ITEMS = {**INCOME_ITEMS, "total_income": TOTAL_ITEMS["total_income"], **EXPENSE_ITEMS,
                 "total_expense": TOTAL_ITEMS["total_expense"], "net_income": TOTAL_ITEMS["net_income"],
                 **BALANCE_ITEMS}

# Measures derived from the items (see DESIGN.md: offices define "collective income" differently).
DERIVED_MEASURES = {
    "operational_income": "经营性收入",
    "operating_profit": "经营收益",
}

IDENTITY_COLUMNS = {
    "county": "县市区",
    "county_code": "县市区代码",
    "township": "乡镇",
    "village": "村",
    "village_code": "村代码",
    "year": "年度",
    "item": "科目",
    "detail": "明细",
    "amount_yuan": "金额（元）",
    "approx": "约数",
    "source": "来源",
}

COLUMN_LABELS = {**IDENTITY_COLUMNS, **ACCOUNT_ITEMS, **DERIVED_MEASURES}


def column(name: str) -> str:
    """The Chinese label of a canonical column (``column("total_income") == "本年收入合计"``)."""
    try:
        return COLUMN_LABELS[name]
    except KeyError:
        raise KeyError(f"no Chinese label for column {name!r}; add it to villagecon.labels") from None

# Words on charts and in the report, in one place (DESIGN.md: one mapping for every Chinese label).
CHART_TEXT = {
    "wan_yuan": "万元",
    "year": "年度",
    "share_above": "达到{threshold}的村占比",
    "threshold_line": "{threshold}线",
    "income_vs_threshold": "{year}年各县市区村集体{measure}",
    "share_above_title": "{measure}达到{threshold}的村占比",
    "whole_city": "全市",
    "trajectory_title": "{village}：{measure}与负债",
    "income": "{measure}",
    "liabilities": "负债（向下）",
    "net_position": "净头寸（收入−负债）",
    "tenure_span": "{name} {start}起",
    "income_by_tenure_title": "书记任职年限与村集体{measure}",
    "tenure_years": "书记任职年限（年，截至12月31日）",
    "mean": "均值（95%置信区间）",
    "median": "中位数",
    "event_study_title": "新书记上任前后的村集体{measure}",
    "event_time": "相对上任年份（年）",
    "event_effect": "对数收入差（相对上任前一年）",
    "reference_year": "基准年（上任前一年）",
    "n_villages": "村数",
}


def threshold_text(threshold: float) -> str:
    """100000 → "10万元"; amounts on charts and in headlines are read in 万元."""
    wan = threshold / 10_000
    return f"{wan:g}万元" if threshold >= 10_000 else f"{threshold:g}元"
