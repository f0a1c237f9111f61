"""The problems a reject can carry, in Chinese for the people who correct the ledgers: what each problem code
is called (问题类型), what went wrong at the row's own cell (问题) and what to do (处理办法).

``rejects.csv``, ``journal_rejects.csv`` and the report's list of rejects all read their Chinese from
:data:`REJECT_PROBLEMS`; the ``reason`` column keeps the developer's detail in English.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping

import pandas as pd

__all__ = ["PROBLEM_COLUMNS", "REJECT_PROBLEMS", "describe_rejects", "problem_label", "rejects_for_people"]

# The columns a reject's problem is told in, as the report's workbook and rejects.csv head them
# (villagecon.vocab.labels.REPORT_COLUMNS takes them from here).
PROBLEM_COLUMNS = {
    "problem": "问题代码",
    "problem_label": "问题类型",
    "problem_text": "问题",
    "problem_advice": "处理办法",
    "reason": "原因与处理（英文，供开发者）",
}

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
        columns={"problem_text": PROBLEM_COLUMNS["problem_text"], "problem_advice": PROBLEM_COLUMNS["problem_advice"]}
    )
