"""Canonical names and their Chinese labels: the one table charts, workbooks and the cleaner share.

Code and files use English snake_case; people read the Chinese. Nothing else in
villagecon types a Chinese column label inline.
"""

from __future__ import annotations

import pandas as pd

from villagecon.parse.amounts import YUAN_PER_WAN

# The items, measures and formulas are villagecon.vocab.items'; re-exported here, where code has read them.
from villagecon.vocab.items import (
    DERIVED_MEASURES,
    EXPENSE_ITEMS,
    INCOME_ITEMS,
    NEW_SYSTEM_FROM,
    OPTIONAL_PARTS,
    TOTAL_ITEMS,
    total_parts,
)
from villagecon.vocab.items import MEASURES as TOTALS
from villagecon.vocab.problems import PROBLEM_COLUMNS, problem_label

__all__ = [
    "ACCOUNT_ITEMS",
    "ANALYSIS_AMOUNTS",
    "ANALYSIS_COLUMNS",
    "BALANCE_ITEMS",
    "CHART_TEXT",
    "COLUMN_LABELS",
    "DERIVED_MEASURES",
    "EACH_OF",
    "ENTRY_ITEMS",
    "EXPENSE_ITEMS",
    "IDENTITY_COLUMNS",
    "INCOME_ITEMS",
    "INCOME_MEASURES",
    "NEW_SYSTEM_FROM",
    "OPTIONAL_PARTS",
    "REPORT_AMOUNTS",
    "REPORT_COLUMNS",
    "SECRETARY_BACKGROUNDS",
    "SECRETARY_ROLES",
    "STATEMENT_LINES",
    "TOTALS",
    "TOTAL_ITEMS",
    "WHOLE_CITY",
    "chinese_table",
    "column",
    "header",
    "is_amount",
    "is_share",
    "threshold_text",
    "total_parts",
]

# The line items, totals and derived measures, and what each total is made of: villagecon.vocab.items.
BALANCE_ITEMS = {
    "assets": "资产",
    "liabilities": "负债",
}
ACCOUNT_ITEMS = {
    **INCOME_ITEMS,
    "total_income": TOTAL_ITEMS["total_income"],
    **EXPENSE_ITEMS,
    "total_expense": TOTAL_ITEMS["total_expense"],
    "net_income": TOTAL_ITEMS["net_income"],
    **BALANCE_ITEMS,
}

# The incomes a threshold or a model can apply to: every income column of the accounts, and the two derived
# measures. Named by their key, their Chinese label or a ledger's spelling (villagecon.vocab.synonyms.measure_name).
INCOME_MEASURES = (*INCOME_ITEMS, "total_income", "net_income", *DERIVED_MEASURES)

# Lines of the statements that entries keep and accounts do not carry: the 2004 收益及收益分配表 beyond the
# accounts' items, and the 资产负债表 (its 资产总计 and 负债合计 are the accounts' assets and liabilities).
STATEMENT_LINES = {
    # 收益及收益分配表. 农业税附加返还收入 is income: a total_income derived from parts counts it.
    "agricultural_tax_rebate": "农业税附加返还收入",
    "profit_before_tax": "收益总额",  # the 2023 system: 经营收益 + 补助收入 + 其他收入 − 公益支出 − 其他支出
    "undistributed_income_start": "年初未分配收益",
    "other_transfers_in": "其他转入",
    "distributable_income": "可分配收益",
    "reserve_appropriation": "提取公积公益金",
    "welfare_appropriation": "提取应付福利费",
    "investor_distribution": "外来投资分利",
    "household_distribution": "农户分配",
    "other_distribution": "其他（收益分配）",
    "undistributed_income_end": "年末未分配收益",
    # 资产负债表, assets side.
    "cash": "货币资金",
    "short_term_investments": "短期投资",
    "receivables": "应收款项",
    "inventories": "存货",
    "current_assets": "流动资产合计",
    "livestock_assets": "牲畜（禽）资产",
    "forest_assets": "林木资产",
    "agricultural_assets": "农业资产合计",
    "long_term_investments": "长期投资",
    "fixed_assets_cost": "固定资产原值",
    "accumulated_depreciation": "累计折旧",
    "fixed_assets_net": "固定资产净值",
    "fixed_assets_disposal": "固定资产清理",
    "construction_in_progress": "在建工程",
    "fixed_assets": "固定资产合计",
    # 资产负债表, liabilities and equity side.
    "short_term_borrowings": "短期借款",
    "payables": "应付款项",
    "wages_payable": "应付工资",
    "welfare_payable": "应付福利费",
    "current_liabilities": "流动负债合计",
    "long_term_payables": "长期借款及应付款",
    "one_project_funds": "一事一议资金",
    "long_term_liabilities": "长期负债合计",
    "capital": "资本",
    "reserve_funds": "公积公益金",
    "undistributed_income": "未分配收益",
    "equity": "所有者权益合计",
    "liabilities_and_equity": "负债和所有者权益总计",
}

# Every item an entry may carry: the accounts' items, the measures a ledger may write, the statement lines.
ENTRY_ITEMS = {**ACCOUNT_ITEMS, **DERIVED_MEASURES, **STATEMENT_LINES}

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
    "source": "出处（文件!表!行）",
}

# Columns the metrics, the roster and the rejects add, as the report's workbook heads them.
REPORT_COLUMNS = {
    "n_villages": "村数",
    "n_above": "达到门槛村数",
    "n_missing": "缺数村数",
    "share_above": "达到门槛占比",
    "median_yuan": "中位数",
    "mean_yuan": "平均数",
    "total_yuan": "合计",
    "above_threshold": "达到门槛",
    "first_year": "首个有数年度",
    "last_year": "最后有数年度",
    "first_year_above": "首次达到门槛年度",
    "above_from_start": "起始即达到",
    "stayed_above": "此后一直达到",
    "years_below_since": "此后未达年数",
    "above_in_last_year": "最后一年达到",
    "from_year": "净负债年度",
    "to_year": "对比年度",
    "income_from": "净负债年收入",
    "liabilities_from": "净负债年负债",
    "net_position_from": "净负债年净头寸",
    "income_to": "对比年收入",
    "liabilities_to": "对比年负债",
    "net_position_to": "对比年净头寸",
    "secretary": "书记",
    "secretary_start": "任职起始",
    "tenure_years": "任职年限",
    "new_secretary": "当年新任",
    "one_shoulder": "书记兼主任",
    "background": "来源",
    "mentor": "导师",
    "where": "来自",
    "cell": "单元格",
    "column": "列",
    "value": "原值",
    **PROBLEM_COLUMNS,
    # Change on the previous year (villagecon.analysis.year_over_year).
    "share_above_prev": "上年达到门槛占比",
    "share_change": "占比增减",
    "n_above_prev": "上年达到门槛村数",
    "n_above_change": "达到门槛村数增减",
    "median_prev_yuan": "上年中位数",
    "median_change_yuan": "中位数增减",
    "n_crossed_up": "新达到门槛村数",
    "n_crossed_down": "跌破门槛村数",
    "value_yuan": "本年数",
    "previous_yuan": "上年数",
    "change_yuan": "增减",
    "change_share": "增减率",
    "above_previous": "上年达到门槛",
    "crossing": "跨越门槛",
}

# Report columns that are amounts in yuan (the workbook shows them in 万元).
REPORT_AMOUNTS = (
    "median_yuan",
    "mean_yuan",
    "total_yuan",
    "income_from",
    "liabilities_from",
    "net_position_from",
    "income_to",
    "liabilities_to",
    "net_position_to",
    "median_prev_yuan",
    "median_change_yuan",
    "value_yuan",
    "previous_yuan",
    "change_yuan",
)

# Columns of the other tables villagecon hands out (metrics, tenure, entries), as the notebooks show them.
ANALYSIS_COLUMNS = {
    "share": "达到门槛占比",
    "whole_city": "全市合计行",
    "written_totals": "台账写明的合计",
    "period": "期间",
    "kind": "数字类型",
    "written": "原文",
    "tenure_at_least": "任职年限（至少）",
    "n_village_years": "村年数",
    "parts": "分项数",
    "parts_sum": "分项之和",
}
ANALYSIS_AMOUNTS = ("parts_sum",)

COLUMN_LABELS = {**IDENTITY_COLUMNS, **ENTRY_ITEMS, **REPORT_COLUMNS, **ANALYSIS_COLUMNS}


def is_amount(name: str) -> bool:
    """Whether a canonical column holds an amount in yuan (a line item, a measure, ``*_yuan``).

    Parameters
    ----------
    name : str
        A canonical column name.

    Returns
    -------
    bool
        True for an amount.
    """
    return (
        name in ACCOUNT_ITEMS
        or name in DERIVED_MEASURES
        or name in REPORT_AMOUNTS
        or name in ANALYSIS_AMOUNTS
        or name.endswith("_yuan")
    )


def is_share(name: str) -> bool:
    """Whether a canonical column holds a share (0.25 is 25%).

    Parameters
    ----------
    name : str
        A canonical column name.

    Returns
    -------
    bool
        True for a share.
    """
    return name.startswith("share") or name.endswith("_share")


def header(name: str, *, amounts_in_wan: bool = True) -> str:
    """The Chinese header of a column as people read it: its label, and （万元） for an amount shown in 万元
    (``header("total_income") == "本年收入合计（万元）"``).

    Parameters
    ----------
    name : str
        A canonical column name.
    amounts_in_wan : bool
        Whether amounts are shown in 万元.

    Returns
    -------
    str
        The header; a name without a label stays as it is.
    """
    label = str(COLUMN_LABELS.get(name, name))
    if amounts_in_wan and is_amount(name):
        return f"{label.removesuffix('（元）')}（万元）"
    return label


def chinese_table(table: pd.DataFrame, *, decimals: int = 2) -> pd.DataFrame:
    """A table to show people (a notebook, a quick look): Chinese headers, amounts in 万元 to ``decimals``
    places, shares in percent, true/false as 是/否, line items and reject problems by their Chinese names;
    the index keeps its rows and gets its label too.

    Parameters
    ----------
    table : DataFrame
        Any table with canonical column names.
    decimals : int
        Decimal places of amounts in 万元.

    Returns
    -------
    DataFrame
        A new table; ``table`` is not changed.

    Examples
    --------
    >>> chinese_table(pd.DataFrame({"village": ["上河村"], "total_income": [94684.178723], "approx": [True]}))
         村  本年收入合计（万元） 约数
    0  上河村        9.47  是
    """
    shown = {}
    for name in table.columns:
        values = table[name]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        title = header(str(name))
        if numeric and is_amount(str(name)):
            values = (values.astype("float64") / YUAN_PER_WAN).round(decimals)
        elif numeric and is_share(str(name)):
            values, title = (values.astype("float64") * 100).round(1), f"{title}（%）"
        elif pd.api.types.is_bool_dtype(values):
            values = values.astype("object").map({True: "是", False: "否"})
        elif name == "item":
            values = values.map(lambda item: ENTRY_ITEMS.get(item, item))
        elif name == "problem":
            values = values.map(problem_label)
        shown[title] = values
    result = pd.DataFrame(shown, index=table.index)
    result.index.names = [COLUMN_LABELS.get(n, n) if isinstance(n, str) else n for n in table.index.names]
    return result


def column(name: str) -> str:
    """The Chinese label of a canonical column (``column("total_income") == "本年收入合计"``).

    Parameters
    ----------
    name : str
        A canonical column name.

    Returns
    -------
    str
        Its label in :data:`COLUMN_LABELS`.

    Raises
    ------
    KeyError
        The column has no label (add it here).
    """
    try:
        return COLUMN_LABELS[name]
    except KeyError:
        raise KeyError(f"no Chinese label for column {name!r}; add it to villagecon.vocab.labels") from None


# What a roster says of a secretary: the roles (书记兼主任 is 一肩挑, also 村委会主任) and where they came from.
SECRETARY_ROLES = ("书记", "书记兼主任")
SECRETARY_BACKGROUNDS = ("返乡大学生", "退役军人", "致富能手", "经商返乡人员", "其他")

# The name of the rows that stand for the whole area (all counties together); one county's report says 全县
# (villagecon.report.scope).
WHOLE_CITY = "全市"
# The areas one level down, each of them, as charts and tables say it.
EACH_OF = {"county": "各县市区", "township": "各乡镇", "village": "各村"}

# Words on charts and in the report, in one place (DESIGN.md: one mapping for every Chinese label).
CHART_TEXT = {
    "wan_yuan": "万元",
    "year": "年度",
    "share_above": "达到{threshold}的村占比",
    "threshold_line": "{threshold}线",
    "income_vs_threshold": "{year}年{parts}村集体{measure}",
    "income_vs_threshold_villages": "{year}年{area}各村集体{measure}",
    "share_above_title": "{measure}达到{threshold}的村占比",
    "whole_city": WHOLE_CITY,
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
    "event_effect": "收入变化（相对上任前一年，%）",
    "event_estimate": "估计值及95%置信区间",
    "reference_year": "基准期：上任前一年（定为0）",
    "arrival": "新书记上任",
    "n_villages": "村数",
    "log_scale": "对数刻度",
    "share_of_parts": "{parts}达到{threshold}的村占比",
    "city_share": "；{whole}{share}达到{threshold}",
    "not_shown_on_log_axis": "另有{count}个村的{measure}为0或负数，对数刻度上无法画出（未达门槛）",
    "above": "达到{threshold}",
    "below": "未达{threshold}",
}


def threshold_text(threshold: float) -> str:
    """100000 → "10万元"; amounts on charts and in headlines are read in 万元.

    Parameters
    ----------
    threshold : float
        An amount in yuan.

    Returns
    -------
    str
        In 万元 from 1万元 on, else in 元.
    """
    wan = threshold / YUAN_PER_WAN
    return f"{wan:g}万元" if threshold >= YUAN_PER_WAN else f"{threshold:g}元"
