"""Canonical names and their Chinese labels: the one table charts, workbooks and the cleaner share.

Code and files use English snake_case; people read the Chinese. Nothing else in
villagecon types a Chinese column label inline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping

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
    "REJECT_PROBLEMS",
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
    "describe_rejects",
    "header",
    "is_amount",
    "is_share",
    "problem_label",
    "rejects_for_people",
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
    "problem": "问题代码",
    "problem_label": "问题类型",
    "problem_text": "问题",
    "problem_advice": "处理办法",
    "reason": "原因与处理（英文，供开发者）",
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


# Every problem a reject can carry, for the people who correct the ledgers: (问题类型, 问题, 处理办法). 问题 and
# 处理办法 are templates over the reject's row: {at} (file, sheet and cell, as a person says it), {value} (the cell
# as written), {column} (its column's header), {closest} (the nearest known names, when the reason gives some).
# The reason column keeps the developer's detail in English. tests/test_rejects_chinese.py finds every code the
# code base can set and checks it is here.
REJECT_PROBLEMS = {
    # Ledgers (villagecon clean).
    "amount": (
        "金额无法识别",
        "{at}的“{value}”不是可以读出的金额",
        "把{at}改为数字或带单位的金额（如 4.2 或 4.2万元）；百分比、重量、几个数写在一格都不是金额",
    ),
    "amount_ambiguous": (
        "一行填了多个金额",
        "{at}所在行的同一科目填了不止一个金额",
        "每个科目只填一个金额，删去多余的",
    ),
    "amount_merged": (
        "金额合并跨越多行",
        "{at}的金额“{value}”是跨越多行的合并单元格，不知道属于哪一行",
        "取消合并单元格，把各行的金额分别填在各行",
    ),
    "column_unknown": (
        "未知的列",
        "{at}所在的列“{column}”说不出是哪个科目，这一格的数字没有采用",
        "把列名改为标准科目名（如 经营收入），或在台账文件夹的 synonyms.csv 中加一行“写法,含义”"
        "（如 光伏电站收益,operating_income）",
    ),
    "conflict": (
        "两处来源数字不同",
        "{at}的“{value}”与另一处来源中同一村、同一年度、同一科目的数字不同，两处都没有采用",
        "核对两处来源（另一处见英文说明），改正填错的那一份，再运行 villagecon clean",
    ),
    "excel_error": (
        "公式出错",
        "{at}显示 Excel 错误“{value}”，不是金额",
        "在 Excel 或 WPS 中改正该格的公式（或直接填写金额），保存后再运行 villagecon clean",
    ),
    "formula_uncached": (
        "公式没有保存结果",
        "{at}是公式，文件中没有保存它算出的结果",
        "用 Excel 或 WPS 打开该文件并保存（公式的结果随之存入文件），再运行 villagecon clean",
    ),
    "item_ambiguous": (
        "科目编码与名称不符",
        "{at}所在行的科目编码与科目名称指的不是同一科目",
        "改正科目编码或科目名称，使两者一致",
    ),
    "item_missing": ("科目为空", "{at}所在行有金额，但科目（项目）一栏是空的", "在该行填上科目名称"),
    "item_unknown": (
        "未知科目",
        "{at}所在行的科目不是已知科目{closest}",
        "把科目改为收益分配表的科目名（经营收入、投资收益……），或在台账文件夹的 synonyms.csv 中加上这个写法",
    ),
    "negative_balance": ("资产或负债为负", "{at}的“{value}”是负数，资产、负债不能为负", "核对该数的符号，写成正数"),
    "prior_year_differs": (
        "上年数与该年报表不符",
        "{at}的上年数（年初数）“{value}”与该年度自己报表的数字不同（已采用该年报表的数字）",
        "核对两份报表中该年度的数字，改正填错的一份",
    ),
    "subtotal_mismatch": (
        "小计合计与明细不符",
        "{at}的小计或合计“{value}”与它所覆盖各行之和不符（已采用各行，未采用小计）",
        "核对小计、合计和各行，改正填错的一处",
    ),
    "total_mismatch": (
        "合计与分项不符",
        "{at}的合计“{value}”与同表各分项之和不符（已采用分项）",
        "核对合计与各分项，改正填错的一处",
    ),
    "unit_missing": (
        "缺少计量单位",
        "{at}所在行的计量单位是空的，数字“{value}”不知以元还是万元计",
        "填写该行的计量单位（元、千元或万元）",
    ),
    "village_ambiguous": (
        "村名对应多个村",
        "{at}所在行的村名对应不止一个村（不同乡镇或县市区有同名村）",
        "在该行写明乡镇（或县市区），或填写村代码",
    ),
    "village_missing": ("缺少村名", "{at}所在行有金额，但没有村名", "在该行填上村名"),
    "village_unknown": (
        "村名不在名册中",
        "{at}所在行的村不在村名册（register.csv）中{closest}",
        "改正村名（或县市区、乡镇），或在 register.csv 中加上该村（或它的别名）",
    ),
    "village_unreadable": ("村名含控制字符", "{at}所在行的村名含有看不见的控制字符", "删去该村名，重新输入"),
    "year": (
        "年度缺失或不明",
        "{at}的数字看不出属于哪一年",
        "在表头、标题、年度列或表名中写明完整年度，如 2022年（“22年”不算）",
    ),
    # Cash journals (villagecon clean --journal): journal_rejects.csv and journal_breaks.csv.
    "no_amount": (
        "没有金额",
        "{at}所在行借方、贷方都没有金额",
        "补上金额；只结转余额的行在摘要中写明 承前页、上年结转 或 结转下年",
    ),
    "total_unreadable": ("合计金额无法识别", "{at}合计行的“{value}”不是可以读出的金额", "改为数字，如 1234.50"),
    "balance_unreadable": (
        "余额无法识别",
        "{at}的余额“{value}”不是可以读出的金额（该行已采用，只是没有核对余额）",
        "改为数字，如 1234.50",
    ),
    "balance_break": ("余额接不上", "{at}的余额与上一余额加借方减贷方不符", "查找漏记的行或记错的金额"),
    "balance_typo": ("余额笔误", "{at}的余额写错了：下一行接着的是推算出的余额", "改正该行的余额"),
    # Rosters (花名册).
    "date": ("日期无法识别", "{at}（{column}）的“{value}”不是可以读出的日期", "写成完整日期，如 2017-04 或 2017年4月"),
    "end_before_start": ("离任早于任职", "{at}的离任日期“{value}”早于任职起始", "核对任职起始和离任日期"),
    "end_year_only": (
        "离任只写了年份",
        "{at}的离任日期“{value}”只有年份，不知道当年12月31日是否在任",
        "写明离任的年月，如 2021年6月",
    ),
    "missing_name": ("缺少姓名", "{at}所在行没有书记姓名", "补上姓名"),
    "missing_start": ("缺少任职起始", "{at}所在行没有任职起始日期", "补上任职起始日期，如 2017年4月"),
    "missing_village": ("缺少村名", "{at}所在行没有村名", "补上村名"),
    "overlap": ("任期重叠", "{at}的任期与同村另一位书记的任期重叠", "核对两段任期的起止日期"),
    "bad_county": ("县市区无法识别", "{at}的县市区“{value}”无法识别", "改正县市区名称"),
    "bad_township": ("乡镇无法识别", "{at}的乡镇“{value}”无法识别", "改正乡镇名称"),
    "bad_village": ("村名无法识别", "{at}的村名“{value}”无法识别", "改正村名"),
    "bad_village_code": ("村代码无法识别", "{at}的村代码“{value}”无法识别", "改为12位村代码"),
    "bad_name": ("姓名无法识别", "{at}的姓名“{value}”无法识别", "改正姓名"),
    "bad_role": ("职务无法识别", "{at}的职务“{value}”无法识别", "改为 书记、书记兼主任 等职务"),
    "bad_one_shoulder": ("一肩挑无法识别", "{at}的是否一肩挑“{value}”无法识别", "填写 是 或 否"),
    "bad_background": (
        "来源无法识别",
        "{at}的来源“{value}”无法识别",
        "改为 返乡大学生、退役军人、致富能手、经商返乡人员 或 其他",
    ),
    "bad_term": ("届次无法识别", "{at}的届次“{value}”无法识别", "改正届次一栏"),
    "bad_mentor": ("导师无法识别", "{at}的导师“{value}”无法识别", "改正导师姓名"),
    "bad_training_days": ("培训天数无法识别", "{at}的培训天数“{value}”无法识别", "写成天数，如 15"),
    "bad_honours": ("荣誉无法识别", "{at}的荣誉“{value}”无法识别", "改正荣誉一栏"),
}
# A code with no entry yet still reads as Chinese; the English reason then says the rest.
_UNKNOWN_PROBLEM = ("{problem}", "{at}：见英文说明", "见英文说明（reason 列）")
_SHOWN_VALUE = 40  # characters of a cell's text quoted in 问题: a long text is cut, the value column has it all
_CLOSEST = re.compile(r"closest (?:in the register|known): ([^.;)]+)")


def problem_label(problem: str) -> str:
    """A reject's problem code in Chinese (``problem_label("amount") == "金额无法识别"``).

    Parameters
    ----------
    problem : str
        A code of :data:`REJECT_PROBLEMS`.

    Returns
    -------
    str
        Its 问题类型; an unknown code as it is.
    """
    return REJECT_PROBLEMS.get(problem, _UNKNOWN_PROBLEM)[0].format(problem=problem)


def describe_rejects(rejects: pd.DataFrame) -> pd.DataFrame:
    """``rejects`` with ``problem_text`` (问题) and ``problem_advice`` (处理办法) added, in Chinese, from
    :data:`REJECT_PROBLEMS` and the row's own file, sheet, cell and value.

    Parameters
    ----------
    rejects : DataFrame
        Rejects (:data:`villagecon.schemas.REJECT_COLUMNS`).

    Returns
    -------
    DataFrame
        A copy with the two columns added.

    Examples
    --------
    >>> row = pd.DataFrame({"source": ["台账.xlsx!2022年!5"], "cell": ["C5"], "column": ["经营收入"],
    ...                     "value": ["12.3%"], "problem": ["amount"], "reason": ["..."]})
    >>> describe_rejects(row)["problem_text"][0]
    '金额无法识别：「台账.xlsx」的「2022年」表C5单元格的“12.3%”不是可以读出的金额'
    """
    texts, advice = [], []
    for row in rejects.to_dict(orient="records"):
        label, what, todo = REJECT_PROBLEMS.get(row["problem"], _UNKNOWN_PROBLEM)
        fields = _reject_fields(row)
        texts.append(f"{label.format(**fields)}：{what.format(**fields)}")
        advice.append(todo.format(**fields))
    return rejects.assign(
        problem_text=pd.Series(texts, index=rejects.index, dtype=object),
        problem_advice=pd.Series(advice, index=rejects.index, dtype=object),
    )


def _reject_fields(row: Mapping[Hashable, object]) -> dict[str, str]:
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)

    file, sheet, line = [*text("source").rsplit("!", 2), "", ""][:3]  # a file name may hold a "!"
    cell = text("cell") or (f"第{line}行" if line else "")
    at = f"「{file}」" + (f"的「{sheet}」表" if sheet else "") + (f"{cell}单元格" if text("cell") else cell)
    value = text("value")
    closest = _CLOSEST.search(text("reason"))
    return {
        "at": at,
        "file": file,
        "sheet": sheet,
        "row": line,
        "cell": text("cell"),
        "column": text("column"),
        "value": value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "…",
        "closest": f"（最接近的：{closest.group(1).strip()}）" if closest else "",
        "problem": text("problem"),
    }


def rejects_for_people(rejects: pd.DataFrame) -> pd.DataFrame:
    """The rejects as ``rejects.csv`` writes them: its columns (source, cell, column, value …) with 问题 and
    处理办法 in Chinese before the problem code and the English reason, which stay for developers.

    Parameters
    ----------
    rejects : DataFrame
        Rejects (:data:`villagecon.schemas.REJECT_COLUMNS`).

    Returns
    -------
    DataFrame
        The table to write, with Chinese headers for 问题 and 处理办法.
    """
    described = describe_rejects(rejects)
    columns = list(rejects.columns)
    at = columns.index("problem")
    order = [*columns[:at], "problem_text", "problem_advice", *columns[at:]]
    return described.loc[:, order].rename(
        columns={"problem_text": column("problem_text"), "problem_advice": column("problem_advice")}
    )
