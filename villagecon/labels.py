"""Canonical names and their Chinese labels: the one table charts, workbooks and the cleaner share.

Code and files use English snake_case; people read the Chinese. Nothing else in
villagecon types a Chinese column label inline.
"""

from __future__ import annotations

from villagecon.amounts import YUAN_PER_WAN

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

# Measures derived from the items (see DESIGN.md: offices define "collective income" differently). A ledger
# may also write them (经营性收入 in a county table, 经营收益 in the 2004 收益及收益分配表).
DERIVED_MEASURES = {
    "operational_income": "经营性收入",
    "operating_profit": "经营收益",
}

# Lines of the statements that entries keep and accounts do not carry: the 2004 收益及收益分配表 beyond the
# accounts' items, and the 资产负债表 (its 资产总计 and 负债合计 are the accounts' assets and liabilities).
STATEMENT_LINES = {
    # 收益及收益分配表. 农业税附加返还收入 is income: a total_income derived from parts counts it.
    "agricultural_tax_rebate": "农业税附加返还收入",
    "profit_before_tax": "收益总额",       # the 2023 system: 经营收益 + 补助收入 + 其他收入 − 公益支出 − 其他支出
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

# What each total adds up, under the accounting system of its year: the 2004 system, and 财会〔2023〕14号 from
# 2024 (发包及上交收入 gone; 税金及附加 and 公益支出 added). (parts added, parts subtracted)
NEW_SYSTEM_FROM = 2024
_PARTS = {
    "total_income": {2004: (("operating_income", "contract_income", "investment_income", "subsidy_income",
                             "other_income"), ()),
                     2024: (("operating_income", "investment_income", "subsidy_income", "other_income"), ())},
    "total_expense": {2004: (("operating_expense", "admin_expense", "other_expense"), ()),
                      2024: (("operating_expense", "tax_and_surcharges", "admin_expense", "public_welfare_expense",
                              "other_expense"), ())},
    "operational_income": {2004: (("operating_income", "contract_income", "investment_income"), ()),
                           2024: (("operating_income", "investment_income"), ())},
    "operating_profit": {2004: (("operating_income", "contract_income", "investment_income"),
                                ("operating_expense", "admin_expense")),
                         2024: (("operating_income", "investment_income"),
                                ("operating_expense", "tax_and_surcharges", "admin_expense"))},
    "net_income": {2004: (("total_income",), ("total_expense",)), 2024: (("total_income",), ("total_expense",))},
}
# Parts a total counts when a ledger writes them, but whose absence leaves the total complete.
OPTIONAL_PARTS = {"total_income": ("agricultural_tax_rebate",), "total_expense": ("income_tax",)}
TOTALS = tuple(_PARTS)


def total_parts(total: str, year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The parts ``total`` adds and subtracts in ``year`` (``total_parts("net_income", 2022)`` is
    ``(("total_income",), ("total_expense",))``)."""
    return _PARTS[total][2024 if year >= NEW_SYSTEM_FROM else 2004]


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
    "n_villages": "村数", "n_above": "达到门槛村数", "n_missing": "缺数村数", "share_above": "达到门槛占比",
    "median_yuan": "中位数", "mean_yuan": "平均数", "total_yuan": "合计", "above_threshold": "达到门槛",
    "first_year": "首个有数年度", "last_year": "最后有数年度", "first_year_above": "首次达到门槛年度",
    "above_from_start": "起始即达到", "stayed_above": "此后一直达到", "years_below_since": "此后未达年数",
    "above_in_last_year": "最后一年达到", "from_year": "净负债年度", "to_year": "对比年度",
    "income_from": "净负债年收入", "liabilities_from": "净负债年负债", "net_position_from": "净负债年净头寸",
    "income_to": "对比年收入", "liabilities_to": "对比年负债", "net_position_to": "对比年净头寸",
    "secretary": "书记", "secretary_start": "任职起始", "tenure_years": "任职年限", "new_secretary": "当年新任",
    "one_shoulder": "书记兼主任", "background": "来源", "mentor": "导师", "where": "来自",
    "cell": "单元格", "column": "列", "value": "原值", "problem": "问题代码", "problem_label": "问题类型",
    "problem_advice": "处理办法", "reason": "原因与处理（详细，英文）",
    # Change on the previous year (villagecon.year_over_year).
    "share_above_prev": "上年达到门槛占比", "share_change": "占比增减", "n_above_prev": "上年达到门槛村数",
    "n_above_change": "达到门槛村数增减", "median_prev_yuan": "上年中位数", "median_change_yuan": "中位数增减",
    "n_crossed_up": "新达到门槛村数", "n_crossed_down": "跌破门槛村数", "value_yuan": "本年数",
    "previous_yuan": "上年数",
    "change_yuan": "增减", "change_share": "增减率", "above_previous": "上年达到门槛", "crossing": "跨越门槛",
}

# Report columns that are amounts in yuan (the workbook shows them in 万元).
REPORT_AMOUNTS = ("median_yuan", "mean_yuan", "total_yuan", "income_from", "liabilities_from", "net_position_from",
                  "income_to", "liabilities_to", "net_position_to", "median_prev_yuan", "median_change_yuan",
                  "value_yuan", "previous_yuan", "change_yuan")

COLUMN_LABELS = {**IDENTITY_COLUMNS, **ENTRY_ITEMS, **REPORT_COLUMNS}


def column(name: str) -> str:
    """The Chinese label of a canonical column (``column("total_income") == "本年收入合计"``)."""
    try:
        return COLUMN_LABELS[name]
    except KeyError:
        raise KeyError(f"no Chinese label for column {name!r}; add it to villagecon.labels") from None

# The name of the rows that stand for the whole area (all counties together); one county's report says 全县
# (villagecon.scope).
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
    """100000 → "10万元"; amounts on charts and in headlines are read in 万元."""
    wan = threshold / YUAN_PER_WAN
    return f"{wan:g}万元" if threshold >= YUAN_PER_WAN else f"{threshold:g}元"

# What each reject's problem code means, for people (report page and workbook).
PROBLEM_LABELS = {
    "amount": "金额无法识别", "amount_ambiguous": "一行填了多个金额", "column_unknown": "未知的列",
    "conflict": "两处来源数字不同", "formula_uncached": "公式没有保存结果", "item_missing": "科目为空",
    "item_unknown": "未知科目", "negative_balance": "资产或负债为负", "subtotal_mismatch": "小计合计与明细不符",
    "total_mismatch": "合计与分项不符", "village_ambiguous": "村名对应多个村", "village_missing": "缺少村名",
    "prior_year_differs": "上年数与该年报表不符", "item_ambiguous": "科目编码与名称不符",
    "amount_merged": "金额合并跨越多行", "unit_missing": "缺少计量单位", "excel_error": "公式出错（如#DIV/0!）",
    "village_unreadable": "村名含控制字符",
    "village_unknown": "村名不在名册中", "year": "年度缺失或不明",
    # The roster's.
    "date": "日期无法识别", "end_year_only": "离任只写了年份", "end_before_start": "离任早于任职",
    "overlap": "任期重叠", "missing_name": "缺少姓名", "missing_start": "缺少任职起始", "missing_village": "缺少村名",
    "bad_county": "县市区无法识别", "bad_township": "乡镇无法识别", "bad_village": "村名无法识别",
    "bad_village_code": "村代码无法识别", "bad_name": "姓名无法识别", "bad_role": "职务无法识别",
    "bad_background": "来源无法识别", "bad_mentor": "导师无法识别", "bad_training_days": "培训天数无法识别",
    "bad_honours": "荣誉无法识别",
}


# What to do about each problem, for the people who correct the ledgers (the reason column says it in
# detail, in English, naming the cell).
PROBLEM_ADVICE = {
    "amount": "改正该单元格，写成数字或带单位的金额，如 4.2 或 4.2万元",
    "amount_ambiguous": "一个科目只填一个金额",
    "column_unknown": "把列名改为标准科目名，或在台账文件夹的 synonyms.csv 中加上这个写法",
    "conflict": "核对两处来源，改正填错的那一份（两处都未采用）",
    "formula_uncached": "用 Excel 打开该文件并保存，使公式的结果存入文件",
    "item_missing": "补上科目名称",
    "item_unknown": "把科目改为标准科目名，或在台账文件夹的 synonyms.csv 中加上这个写法",
    "negative_balance": "核对资产或负债的符号",
    "subtotal_mismatch": "核对小计或合计覆盖的各行（已保留各行，未采用小计）",
    "total_mismatch": "核对合计与各分项（已保留分项）",
    "prior_year_differs": "核对两份报表中该年度的数字（已采用该年自己报表的数字）",
    "item_ambiguous": "改正科目编码或科目名称，使两者一致",
    "amount_merged": "取消合并单元格，把金额分别填在各行",
    "unit_missing": "填写该行的计量单位（元、千元或万元）",
    "excel_error": "在Excel中改正出错的公式（或直接填写金额），保存后重新读取",
    "village_unreadable": "重新输入村名（删除其中看不见的控制字符）",
    "village_ambiguous": "写明乡镇或使用村代码",
    "village_missing": "补上村名",
    "village_unknown": "改正村名，或在 register.csv 中加上该村（或别名）",
    "year": "写明完整年度，如 2022年",
    "date": "写成完整日期，如 2017-04 或 2017年4月",
    "end_year_only": "写明离任的年月",
    "end_before_start": "核对任职和离任日期",
    "overlap": "核对两段任期的起止日期",
    "missing_name": "补上姓名",
    "missing_start": "补上任职起始日期",
    "missing_village": "补上村名",
    "bad_county": "改正县市区名称",
    "bad_township": "改正乡镇名称",
    "bad_village": "改正村名",
    "bad_village_code": "改正为12位村代码",
    "bad_name": "改正姓名",
    "bad_role": "改正职务",
    "bad_background": "改为花名册中的来源类别之一",
    "bad_mentor": "改正导师姓名",
    "bad_training_days": "写成天数",
    "bad_honours": "改正荣誉一栏",
}


def problem_label(problem: str) -> str:
    """A reject's problem code in Chinese (the code itself when it has no label yet)."""
    return PROBLEM_LABELS.get(problem, problem)


def problem_advice(problem: str) -> str:
    """What to do about a reject's problem, in Chinese ("" when there is no advice yet; see its reason)."""
    return PROBLEM_ADVICE.get(problem, "")
