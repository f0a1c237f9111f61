"""Files in the forms offices really send: statistics forms, 2004 statements, balance sheets and 三资 exports.

Built from the structure of the forms themselves (shared/FORMS.md, the 2004 村集体经济组织会计制度, the
rural-economy statistics forms), never from villagecon's sample generator. Each builder writes one file into a
folder and returns its path. The numbers are chosen so that every figure a test expects can be checked by hand;
the sums are written beside the data.

Two villages of 汝城县濠头乡 (上河村, 大坪村) tell one story across the statistics form, the 2004 statement and
the balance sheets, so that a folder holding several forms repeats figures exactly; two villages of 北湖区华塘镇
(塔水村, 石桥村) come from the 三资 platform exports.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

REGISTER_CSV = """county,county_code,township,village,village_code,aliases
汝城县,431026,濠头乡,上河村,431026100001,
汝城县,431026,濠头乡,大坪村,431026100002,
北湖区,431002,华塘镇,塔水村,431002100201,
北湖区,431002,华塘镇,石桥村,431002100202,
"""


def register(folder: Path) -> Path:
    """The register (county,county_code,township,village,village_code,aliases) as a UTF-8 CSV."""
    path = Path(folder) / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    return path


# --- 1. 村集体经济组织收益分配统计表 (rural-economy statistics form) -----------------------------------------
# 指标名称 | 代码 | 计量单位 | 本年数 | 上年数, a column-number row 甲 乙 丙 1 2, a 附报指标 part that is not money.

STATS_TITLE = "村集体经济组织收益分配统计表"
STATS_LINES = [  # 指标名称, 代码, 计量单位
    ("一、本年收入", 1, "万元"),
    ("  1.经营收入", 2, "万元"),
    ("  2.发包及上交收入", 3, "万元"),
    ("  3.投资收益", 4, "万元"),
    ("  4.补助收入", 5, "万元"),
    ("  5.其他收入", 6, "万元"),
    ("二、本年支出", 7, "万元"),
    ("  1.经营支出", 8, "万元"),
    ("  2.管理费用", 9, "万元"),
    ("    其中：干部报酬", 10, "万元"),
    ("  3.其他支出", 11, "万元"),
    ("三、本年收益", 12, "万元"),
    ("四、附报指标", None, None),
    ("  1.汇入本表村数", 13, "个"),
    ("  2.本年收入比上年增长", 14, "%"),
]
# (本年数, 上年数) in 万元, line by line.
# 上河村 2022: income 20 + 8.5 + 2 + 12 + 3.1 = 45.6; expense 10 + 11 + 1.3 = 22.3; 收益 23.3 (干部报酬 6 is
#        part of 管理费用 11, not added). 2021: 15 + 8 + 0 + 12 + 3 = 38; 9 + 10 + 1 = 20; 收益 18.
STATS_SHANGHE = [
    (45.6, 38),
    (20, 15),
    (8.5, 8),
    (2, 0),
    (12, 12),
    (3.1, 3),
    (22.3, 20),
    (10, 9),
    (11, 10),
    (6, 6),
    (1.3, 1),
    (23.3, 18),
    (None, None),
    (1, 1),
    (20, 5.6),
]
# 大坪村 2022: 5 + 2 + 0 + 5 + (其他收入 left empty) = 12; 3 + 4.8 + (其他支出 empty) = 7.8; 收益 4.2.
#        2021: 4 + 2 + 0 + 5 = 11; 3 + 4.5 = 7.5; 收益 3.5.
STATS_DAPING = [
    (12, 11),
    (5, 4),
    (2, 2),
    (0, 0),
    (5, 5),
    (None, None),
    (7.8, 7.5),
    (3, 3),
    (4.8, 4.5),
    (3.6, 3.6),
    (None, None),
    (4.2, 3.5),
    (None, None),
    (1, 1),
    (9.1, 4.8),
]
STATS_FOOTER = ["单位负责人：王立新", None, "填表人：李红", "报出日期：2023年1月16日", None]


def statistics_form_xlsx(folder: Path, *, name: str = "濠头乡收益分配统计表2022.xlsx") -> Path:
    """One village per sheet (上河村, 大坪村): title, a 2022年度 line, a 填报单位 line with 单位：万元、个 at its right,
    header, 甲乙丙12 row, the lines with both years, the 附报指标 (个, %), a signature footer.

    Rows: 1 title, 2 2022年度, 3 填报单位, 4 header, 5 甲乙丙, 6-17 money lines, 18 四、附报指标, 19 村数 (个),
    20 增长 (%), 21 footer. Columns: A 指标名称, B 代码, C 计量单位, D 本年数, E 上年数.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for village, organisation, values in (
        ("上河村", "濠头乡上河村股份经济合作社", STATS_SHANGHE),
        ("大坪村", "濠头乡大坪村村民委员会", STATS_DAPING),
    ):
        ws = book.create_sheet(village)
        ws.append([STATS_TITLE])
        ws.append(["2022年度"])
        ws.append([f"填报单位：{organisation}", None, None, None, "单位：万元、个"])
        ws.append(["指标名称", "代码", "计量单位", "本年数", "上年数"])
        ws.append(["甲", "乙", "丙", 1, 2])
        for (label, code, unit), (this_year, last_year) in zip(STATS_LINES, values, strict=True):
            ws.append([label, code, unit, this_year, last_year])
        ws.append(STATS_FOOTER)
        for merged in ("A1:E1", "A2:E2", "A3:C3"):
            ws.merge_cells(merged)
    path = Path(folder) / name
    book.save(path)
    return path


# The same form for a township, villages across the columns after a 合计 column. The income lines and 本年收益
# are in 万元, the expense lines in 元 (the row's 计量单位 says which).
STATS_ACROSS_UNITS = ["万元"] * 6 + ["元"] * 5 + ["万元", None, "个", "%"]
STATS_ACROSS = [  # 合计, 上河村, 大坪村
    (57.6, 45.6, 12),  # 一、本年收入 (万元): 45.6 + 12
    (25, 20, 5),
    (10.5, 8.5, 2),
    (2, 2, 0),
    (17, 12, 5),
    (3.1, 3.1, 0),
    (301000, 223000, 78000),  # 二、本年支出 (元): 100000 + 110000 + 13000; 30000 + 48000 + 0
    (130000, 100000, 30000),
    (158000, 110000, 48000),
    (96000, 60000, 36000),  # 其中：干部报酬
    (13000, 13000, 0),
    (27.5, 23.3, 4.2),  # 三、本年收益 (万元): 45.6 - 22.3; 12 - 7.8
    (None, None, None),  # 四、附报指标
    (2, 1, 1),  # 汇入本表村数 (个)
    (17.6, 20, 9.1),  # 增长 (%)
]


def statistics_form_across_xlsx(folder: Path, *, name: str = "濠头乡2022统计年报.xlsx") -> Path:
    """One township per sheet (濠头乡), villages across: 指标名称 | 代码 | 计量单位 | 合计 | 上河村 | 大坪村.

    Rows: 1 title (with the year), 2 填报单位, 3 header, 4 甲乙丙123, 5-16 money lines, 17 四、附报指标,
    18 村数 (个), 19 增长 (%), 20 footer.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "濠头乡"
    ws.append(["濠头乡2022年村集体经济组织收益分配统计表"])
    ws.append(["填报单位：濠头乡农村经营管理站"])
    ws.append(["指标名称", "代码", "计量单位", "合计", "上河村", "大坪村"])
    ws.append(["甲", "乙", "丙", 1, 2, 3])
    for (label, code, _), unit, values in zip(STATS_LINES, STATS_ACROSS_UNITS, STATS_ACROSS, strict=True):
        ws.append([label, code, unit, *values])
    ws.append(["单位负责人：张建国", None, "填表人：刘芳", None, "报出日期：2023年1月18日", None])
    for merged in ("A1:F1", "A2:C2"):
        ws.merge_cells(merged)
    path = Path(folder) / name
    book.save(path)
    return path


# --- 2. 收益及收益分配表 (2004 accounting statement) ---------------------------------------------------------
# 项目 | 行次 | 本年数 | 上年数, 元. Rows 4-25 below, in this order; the footer is row 26.

STATEMENT_LINES = [  # 项目, 行次, 本年数 (2022), 上年数 (2021)
    ("一、经营收入", 1, 200000, 150000),
    ("  加：发包及上交收入", 2, 85000, 80000),
    ("      投资收益", 3, 20000, 0),
    ("  减：经营支出", 6, 100000, 90000),
    ("      管理费用", 7, 110000, 100000),
    ("        其中：干部报酬", 8, 60000, 60000),
    ("二、经营收益", 10, 95000, 40000),  # 200000 + 85000 + 20000 - 100000 - 110000; 2021: 40000
    ("  加：农业税附加返还收入", 11, 0, 0),
    ("      补助收入", 12, 120000, 120000),
    ("      其他收入", 13, 31000, 30000),
    ("  减：其他支出", 16, 13000, 10000),
    ("三、本年收益", 20, 233000, 180000),  # 95000 + 0 + 120000 + 31000 - 13000; 2021: 180000
    ("四、本年收益", 21, 233000, 180000),  # the distribution part starts from the same figure
    ("  加：年初未分配收益", 22, 50000, 30000),
    ("      其他转入", 23, 0, 0),
    ("五、可分配收益", 26, 283000, 210000),  # 233000 + 50000 + 0; 2021: 180000 + 30000
    ("  减：提取公积公益金", 27, 70000, 54000),
    ("      提取应付福利费", 28, 20000, 16000),
    ("      外来投资分利", 29, 0, 0),
    ("      农户分配", 30, 100000, 90000),
    ("      其他", 31, 3000, 0),
    ("六、年末未分配收益", 35, 90000, 50000),  # 283000 - 70000 - 20000 - 0 - 100000 - 3000; 2021: 50000
]


def income_statement_xlsx(
    folder: Path, *, name: str = "上河村收益及收益分配表2022.xlsx", one_column: bool = False
) -> Path:
    """The 2004 收益及收益分配表: title, one line with 编制单位 (the village's organisation), 2022年度 and
    单位：元, the header, 22 lines (rows 4-25), a signature footer (row 26). ``one_column``: 项目 | 行次 | 金额
    (this year only) instead of 本年数 | 上年数, and row 2 is 编制单位 | 2022年度 | 单位：元 unmerged."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "收益及收益分配表"
    width = 3 if one_column else 4
    ws.append(["收益及收益分配表"])
    unit_line = ["编制单位：濠头乡上河村股份经济合作社", None, "2022年度", "单位：元"]
    ws.append([unit_line[0], *unit_line[2:]] if one_column else unit_line)
    ws.append(["项目", "行次", "金额"] if one_column else ["项目", "行次", "本年数", "上年数"])
    for label, line, this_year, last_year in STATEMENT_LINES:
        ws.append([label, line, this_year, *([] if one_column else [last_year])])
    ws.append(["单位负责人：王立新", "会计：李红", "制表：赵敏"] + ([] if one_column else [None]))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if not one_column:
        ws.merge_cells("A2:B2")
    path = Path(folder) / name
    book.save(path)
    return path


# --- 3. 资产负债表 (2004): two blocks side by side ----------------------------------------------------------
# A 资产 | B 行次 | C 年初数 | D 年末数 ‖ E 负债及所有者权益 | F 行次 | G 年初数 | H 年末数. Rows 4-23 below; the
# footer is row 24. 资产总计 is row 23 (C23, D23); 负债合计 is row 15 (G15, H15).

BALANCE_LAYOUT = [  # left label, 行次, right label, 行次
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
]
# Balances at the end of 2016, 2017 and 2018 (元), by line label (stripped).
# 2016: current 250000 + 0 + 60000 + 10000 = 320000; agricultural 40000; long-term investment 100000; fixed
#       900000 - 160000 = 740000 (+ 0 + 0); assets 320000 + 40000 + 100000 + 740000 = 1200000.
#       liabilities: current 100000 + 90000 + 15000 + 5000 = 210000; long-term 150000 + 30000 = 180000;
#       负债合计 390000; equity 600000 + 160000 + 50000 = 810000; total 1200000.
# 2017: current 300000 + 0 + 50000 + 10000 = 360000; agricultural 40000; 100000; fixed 1000000 - 200000 =
#       800000, + 0 + 150000 = 950000; assets 1450000. liabilities 210000 + 240000 = 450000; equity 1000000.
# 2018: current 370000; agricultural 45000; 100000; fixed 1150000 - 250000 = 900000; assets 1415000.
#       liabilities 155000 + 220000 = 375000; equity 1040000.
BALANCES = {
    2016: {
        "货币资金": 250000,
        "短期投资": 0,
        "应收款项": 60000,
        "存货": 10000,
        "流动资产合计": 320000,
        "牲畜（禽）资产": 0,
        "林木资产": 40000,
        "农业资产合计": 40000,
        "长期投资": 100000,
        "固定资产原值": 900000,
        "减：累计折旧": 160000,
        "固定资产净值": 740000,
        "固定资产清理": 0,
        "在建工程": 0,
        "固定资产合计": 740000,
        "资产总计": 1200000,
        "短期借款": 100000,
        "应付款项": 90000,
        "应付工资": 15000,
        "应付福利费": 5000,
        "流动负债合计": 210000,
        "长期借款及应付款": 150000,
        "一事一议资金": 30000,
        "长期负债合计": 180000,
        "负债合计": 390000,
        "资本": 600000,
        "公积公益金": 160000,
        "未分配收益": 50000,
        "所有者权益合计": 810000,
        "负债和所有者权益总计": 1200000,
    },
    2017: {
        "货币资金": 300000,
        "短期投资": 0,
        "应收款项": 50000,
        "存货": 10000,
        "流动资产合计": 360000,
        "牲畜（禽）资产": 0,
        "林木资产": 40000,
        "农业资产合计": 40000,
        "长期投资": 100000,
        "固定资产原值": 1000000,
        "减：累计折旧": 200000,
        "固定资产净值": 800000,
        "固定资产清理": 0,
        "在建工程": 150000,
        "固定资产合计": 950000,
        "资产总计": 1450000,
        "短期借款": 100000,
        "应付款项": 80000,
        "应付工资": 20000,
        "应付福利费": 10000,
        "流动负债合计": 210000,
        "长期借款及应付款": 200000,
        "一事一议资金": 40000,
        "长期负债合计": 240000,
        "负债合计": 450000,
        "资本": 600000,
        "公积公益金": 310000,
        "未分配收益": 90000,
        "所有者权益合计": 1000000,
        "负债和所有者权益总计": 1450000,
    },
    2018: {
        "货币资金": 320000,
        "短期投资": 0,
        "应收款项": 40000,
        "存货": 10000,
        "流动资产合计": 370000,
        "牲畜（禽）资产": 0,
        "林木资产": 45000,
        "农业资产合计": 45000,
        "长期投资": 100000,
        "固定资产原值": 1150000,
        "减：累计折旧": 250000,
        "固定资产净值": 900000,
        "固定资产清理": 0,
        "在建工程": 0,
        "固定资产合计": 900000,
        "资产总计": 1415000,
        "短期借款": 50000,
        "应付款项": 70000,
        "应付工资": 20000,
        "应付福利费": 15000,
        "流动负债合计": 155000,
        "长期借款及应付款": 180000,
        "一事一议资金": 40000,
        "长期负债合计": 220000,
        "负债合计": 375000,
        "资本": 600000,
        "公积公益金": 330000,
        "未分配收益": 110000,
        "所有者权益合计": 1040000,
        "负债和所有者权益总计": 1415000,
    },
}


def balance_sheet_xlsx(folder: Path, year: int, *, name: str | None = None, opening: dict | None = None) -> Path:
    """上河村's 资产负债表 at 31 December ``year``: 年初数 = the balances of ``year - 1`` (changed by ``opening``,
    label → amount), 年末数 = those of ``year``. Row 2 holds 编制单位, the date and 单位：元."""
    start = {**BALANCES[year - 1], **(opening or {})}
    end = BALANCES[year]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "资产负债表"
    ws.append(["资产负债表"])
    ws.append(["编制单位：濠头乡上河村股份经济合作社", None, None, f"{year}年12月31日", None, None, None, "单位：元"])
    ws.append(["资产", "行次", "年初数", "年末数", "负债及所有者权益", "行次", "年初数", "年末数"])
    for left, left_line, right, right_line in BALANCE_LAYOUT:
        row = []
        for label, line in ((left, left_line), (right, right_line)):
            key = (label or "").strip()
            amounts = [start[key], end[key]] if line is not None else [None, None]
            row += [label, line, *amounts]
        ws.append(row)
    ws.append(["单位负责人：王立新", None, None, "会计：李红", None, None, "制表：赵敏", None])
    for merged in ("A1:H1", "A2:C2", "D2:E2"):
        ws.merge_cells(merged)
    path = Path(folder) / (name or f"上河村资产负债表{year}.xlsx")
    book.save(path)
    return path


def balance_summary_xlsx(folder: Path, *, name: str = "濠头乡2017年末资产负债情况.xlsx") -> Path:
    """One row per village: 乡镇 | 村名 | 资产总额 | 负债总额 in 万元, and a 合计 row (row 6).
    上河村 145 / 45 (= its balance sheet's 1450000 / 450000 元); 大坪村 80 / 12.5; 合计 225 / 57.5."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2017年"
    ws.append(["濠头乡2017年末村集体经济组织资产负债情况表"])
    ws.append(["单位：万元"])
    ws.append(["乡镇", "村名", "资产总额", "负债总额"])
    ws.append(["濠头乡", "上河村", 145, 45])
    ws.append(["濠头乡", "大坪村", 80, 12.5])
    ws.append(["合计", None, 225, 57.5])
    ws.merge_cells("A1:D1")
    ws.merge_cells("A6:B6")
    path = Path(folder) / name
    book.save(path)
    return path


# --- 4. Exports of the rural collective asset (三资) management platforms -------------------------------------
# 区划代码 | 组织名称 | 会计年度 | 科目编码 | 科目名称 | 本年累计（元）, one line per account and organisation.

TASHUI = ("431002100201", "郴州市北湖区华塘镇塔水村股份经济合作社")
SHIQIAO = ("431002100202", "郴州市北湖区华塘镇石桥村股份经济合作社")
# 塔水村: the parent 501 is exported with its sub-accounts (80000 + 150000 = 230000).
#   income 230000 + 60000 (511) + 10000 (561) + 150000 (522) + 5000 (531) = 455000;
#   expense 70000 (502) + 90000 (541) + 2000 (551) = 162000; 收益 293000.
# 石桥村: only the sub-accounts of 501 (30000 + 45000 = 75000); income 75000 + 100000 = 175000;
#   expense 60000; 收益 115000.
SANZI_LINES = [  # organisation, 科目编码 (5-digit sub-accounts), 科目名称, 本年累计
    (TASHUI, "501", "经营收入", 230000.00),
    (TASHUI, "50101", "农产品销售收入", 80000.00),
    (TASHUI, "50102", "租赁收入", 150000.00),
    (TASHUI, "502", "经营支出", 70000.00),
    (TASHUI, "511", "发包及上交收入", 60000.00),
    (TASHUI, "522", "补助收入", 150000.00),
    (TASHUI, "531", "其他收入", 5000.00),
    (TASHUI, "541", "管理费用", 90000.00),
    (TASHUI, "551", "其他支出", 2000.00),
    (TASHUI, "561", "投资收益", 10000.00),
    (SHIQIAO, "50101", "农产品销售收入", 30000.00),
    (SHIQIAO, "50102", "租赁收入", 45000.00),
    (SHIQIAO, "522", "补助收入", 100000.00),
    (SHIQIAO, "541", "管理费用", 60000.00),
]


def sanzi_export_xlsx(
    folder: Path, *, name: str = "华塘镇三资导出2022.xlsx", lines=SANZI_LINES, amount_header: str = "本年累计（元）"
) -> Path:
    """The platform's export: header on row 1, one line per account (rows 2-15 for SANZI_LINES), codes as text
    the way the platform writes them. Columns: A 序号, B 区划代码, C 组织名称, D 会计年度, E 科目编码, F 科目名称,
    G the amount."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "导出数据"
    ws.append(["序号", "区划代码", "组织名称", "会计年度", "科目编码", "科目名称", amount_header])
    for number, ((code, organisation), account, account_name, amount) in enumerate(lines, start=1):
        ws.append([number, code, organisation, "2022", account, account_name, amount])
        ws.cell(ws.max_row, 7).number_format = "#,##0.00"
    path = Path(folder) / name
    book.save(path)
    return path


def sanzi_export_csv(folder: Path, *, name: str = "华塘镇三资导出2022.csv", encoding: str = "gbk") -> Path:
    """The same export as a GBK CSV: 组织编码 (the 12-digit code) instead of 区划代码, 6-digit sub-accounts
    (501001, 501003), 本年累计数（元）, and 石桥村's name written without 村 (石桥股份经济合作社): it matches the
    register by its code. Rows: 1 header, 2-15 the lines of SANZI_LINES."""
    rows = [["组织编码", "组织名称", "会计年度", "科目编码", "科目名称", "本年累计数（元）"]]
    six_digit = {"50101": "501001", "50102": "501003"}
    for (code, organisation), account, account_name, amount in SANZI_LINES:
        if code == SHIQIAO[0]:
            organisation = "郴州市北湖区华塘镇石桥股份经济合作社"
        rows.append([code, organisation, 2022, six_digit.get(account, account), account_name, f"{amount:.2f}"])
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = Path(folder) / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
