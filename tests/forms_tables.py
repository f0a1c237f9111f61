"""Township and county tables built the way offices make them, for the tests of the table reader (issue 12).

Every builder follows the structure of a real form (the statistics forms, the 2004 收益及收益分配表, township and
county summary tables with their merged headers, 小计/合计 rows and footers, 收支台账, old .xls files from WPS),
never villagecon's sample generator. Each writes one file into ``folder`` and returns its path. Amounts are
chosen so that the expected accounts can be checked by hand; the tests spell them out.
"""

from __future__ import annotations

import struct
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils import range_boundaries

from ledger_files import _cell_records, _record, _write_csv, compound_file

# Villages of two townships of 汝城县, in 万元: 经营收入, 补助收入.
HAOTOU = [("上河村", 20, 3), ("大坪村", 5.5, 4)]  # 濠头乡: 25.5, 7
TUQIAO = [("龙虎村", 8, 12), ("石门村", 2, 3)]  # 土桥镇: 10, 15
TOWNS = {"濠头乡": HAOTOU, "土桥镇": TUQIAO}  # 汝城县: 35.5, 22

FOOTER_ROWS = (
    ["填表人：", "张三", "联系电话：", 13807356789],
    ["审核人：李四", None, "制表：", "王五"],
    ["会计：", "赵六", "单位负责人：", "陈七"],
    ["报出日期：2023年1月5日"],
    ["联系电话：", "0735-8221234", "填报日期：", 20230105],
    ["说明：经营收入不含代管资金，补助收入含上级转移支付3万元。"],
)


def _workbook(path: Path, sheets: list[dict]) -> Path:
    """Save sheets given as dicts: title, rows, merges (A1 ranges), state (visible/hidden/veryHidden), wrap."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec["title"])
        for row in spec["rows"]:
            ws.append(row)
        for merged in spec.get("merges", ()):
            ws.merge_cells(merged)
        for ref in spec.get("wrap", ()):
            ws[ref].alignment = Alignment(wrap_text=True)
        ws.sheet_state = spec.get("state", "visible")
    book.save(path)
    return path


# --- A. the five silently-wrong readings of issue 12 -------------------------------------------------------


def written_total_xlsx(folder: Path, *, name: str = "汝城县2022年村级收入.xlsx") -> Path:
    """Two township sheets in 万元. 濠头乡 lists only 经营收入 and 补助收入 beside 本年收入合计, so its total (上河村
    44.2 over 10 + 8.2) covers items the sheet does not list. 土桥镇 has a column for every part of the 2004
    total: 龙虎村 adds up (8+2+0+12+0 = 22), 石门村 does not (2+1+0+3+0 = 6, written 7)."""
    haotou = [
        ["濠头乡2022年村级集体经济收入统计表"],
        ["单位：万元"],
        ["村名", "经营收入", "补助收入", "本年收入合计"],
        ["上河村", 10, 8.2, 44.2],
        ["大坪村", 5, 4, 9],
    ]
    tuqiao = [
        ["土桥镇2022年村级集体经济收入统计表"],
        ["单位：万元"],
        ["村名", "经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入", "本年收入合计"],
        ["龙虎村", 8, 2, 0, 12, 0, 22],
        ["石门村", 2, 1, 0, 3, 0, 7],
    ]
    return _workbook(
        Path(folder) / name,
        [
            {"title": "濠头乡", "rows": haotou, "merges": ["A1:D1"]},
            {"title": "土桥镇", "rows": tuqiao, "merges": ["A1:G1"]},
        ],
    )


def summary_sheet_xlsx(
    folder: Path, *, name: str = "汝城县2022年村级集体经济收入.xlsx", tuqiao_operating: float = 10
) -> Path:
    """汇总 (rows are townships, then 合计) before one sheet per township (序号 | 乡镇 | 村名 | 经营收入 | 补助收入).
    ``tuqiao_operating`` is 土桥镇's 经营收入 on 汇总 (its villages give 10); 合计 is the sum of 汇总's own rows."""
    summary = [
        ["汝城县2022年村级集体经济收入汇总表"],
        [None, None, "单位：万元"],
        ["乡镇", "经营收入", "补助收入"],
        ["濠头乡", 25.5, 7],
        ["土桥镇", tuqiao_operating, 15],
        ["合计", 25.5 + tuqiao_operating, 22],
    ]
    sheets = [{"title": "汇总", "rows": summary, "merges": ["A1:C1"]}]
    for town, villages in TOWNS.items():
        rows = [
            [f"汝城县{town}2022年村级集体经济收入统计表"],
            [None, None, None, None, "单位：万元"],
            ["序号", "乡镇", "村名", "经营收入", "补助收入"],
        ]
        rows += [
            [number, town, village, operating, subsidy]
            for number, (village, operating, subsidy) in enumerate(villages, start=1)
        ]
        sheets.append({"title": town, "rows": rows, "merges": ["A1:E1"]})
    return _workbook(Path(folder) / name, sheets)


def comparison_xlsx(folder: Path, *, name: str = "汝城县村集体经济收入对比表.xlsx") -> Path:
    """A comparison table: 村集体经济收入 merged over 2021年 | 2022年 | 增减额 | 增长%, the title says 2022."""
    rows = [
        ["汝城县2022年村集体经济收入对比表"],
        [None, None, None, None, None, None, "单位：万元"],
        ["序号", "乡镇", "村名", "村集体经济收入", None, None, None],
        [None, None, None, "2021年", "2022年", "增减额", "增长%"],
        [1, "濠头乡", "上河村", 36, 44.2, 8.2, 22.78],
        [2, "濠头乡", "大坪村", 10, 9, -1, -10],
        ["合计", None, None, 46, 53.2, 7.2, 15.65],
    ]
    return _workbook(
        Path(folder) / name,
        [{"title": "Sheet1", "rows": rows, "merges": ["A1:G1", "A3:A4", "B3:B4", "C3:C4", "D3:G3", "A7:B7"]}],
    )


def signature_footer_xlsx(
    folder: Path, *, footer: tuple[list, ...] | list[list] = FOOTER_ROWS, name: str = "濠头乡2022年收入统计.xlsx"
) -> Path:
    """A township table with its 合计 (row 6) and footer rows from row 7 under the amount columns: by default
    all six of FOOTER_ROWS (填表人 张三 and a phone number, 审核人, 制表, 会计, 单位负责人, 报出日期/填报日期, 说明)."""
    rows = [
        ["濠头乡2022年村级集体经济收入统计表"],
        ["单位：万元"],
        ["序号", "村名", "经营收入", "补助收入", "其他收入"],
        [1, "上河村", 20, 3, 2],
        [2, "大坪村", 5.5, 4, 0.5],
        ["合计", None, 25.5, 7, 2.5],
        *footer,
    ]
    return _workbook(Path(folder) / name, [{"title": "濠头乡", "rows": rows, "merges": ["A1:E1", "A6:B6"]}])


def hidden_copy_xlsx(folder: Path, *, name: str = "濠头乡2022.xlsx") -> Path:
    """Sheet1, a hidden stale copy "Sheet1 (2)" with other numbers (上河村 经营收入 18 not 20, 大坪村 补助收入 3.5
    not 4, the rest equal), and a very hidden list of village names (a WPS drop-down source)."""

    def table(shanghe_operating, dapin_subsidy):
        return [
            ["濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["村名", "经营收入", "补助收入"],
            ["上河村", shanghe_operating, 3],
            ["大坪村", 5.5, dapin_subsidy],
        ]

    return _workbook(
        Path(folder) / name,
        [
            {"title": "Sheet1", "rows": table(20, 4), "merges": ["A1:C1"]},
            {"title": "Sheet1 (2)", "rows": table(18, 3.5), "merges": ["A1:C1"], "state": "hidden"},
            {"title": "村名列表", "rows": [["上河村"], ["大坪村"], ["龙虎村"]], "state": "veryHidden"},
        ],
    )


# --- B. plain things that must read without a reject -------------------------------------------------------


def _county_rows(*, subtotal: str | None = None, total: str = "合计", label_at: str = "A:C") -> tuple[list, list]:
    """序号 | 乡镇 | 村名 | 经营收入 | 补助收入 rows of both townships; ``subtotal`` (a template such as "{}小计")
    adds a row after each township; labels go to column A merged over A:C, or to column A, B or C alone."""
    rows = [
        ["汝城县2022年村级集体经济收入统计表"],
        [None, None, None, None, "单位：万元"],
        ["序号", "乡镇", "村名", "经营收入", "补助收入"],
    ]
    merges = ["A1:E1"]
    number = 0

    def label_row(label, operating, subsidy):
        cells = [None, None, None, operating, subsidy]
        cells["ABC".index(label_at[0])] = label
        if label_at == "A:C":
            merges.append(f"A{len(rows) + 1}:C{len(rows) + 1}")
        rows.append(cells)

    for town, villages in TOWNS.items():
        for village, operating, subsidy in villages:
            number += 1
            rows.append([number, town, village, operating, subsidy])
        if subtotal:
            label_row(subtotal.format(town), sum(v[1] for v in villages), sum(v[2] for v in villages))
    label_row(total, 35.5, 22)
    return rows, merges


def total_in_number_column_xlsx(folder: Path, *, name: str = "汝城县2022.xlsx") -> Path:
    """Four villages, then 合计 written in the 序号 column and merged across 序号/乡镇/村名 (A8:C8)."""
    rows, merges = _county_rows()
    return _workbook(Path(folder) / name, [{"title": "Sheet1", "rows": rows, "merges": merges}])


def subtotal_rows_xlsx(
    folder: Path,
    *,
    subtotal: str = "{}小计",
    total: str = "全县合计",
    label_at: str = "A:C",
    name: str = "汝城县2022年小计.xlsx",
) -> Path:
    """A county table with a subtotal row after each township (rows 6 and 9) and a total (row 10)."""
    rows, merges = _county_rows(subtotal=subtotal, total=total, label_at=label_at)
    return _workbook(Path(folder) / name, [{"title": "汝城县", "rows": rows, "merges": merges}])


def town_total_xlsx(folder: Path, *, name: str = "濠头乡2022.xlsx") -> Path:
    """One township's table ending in 全镇合计 (row 6), label in 序号 merged over A:C."""
    rows = [
        ["濠头乡2022年村级集体经济收入统计表"],
        [None, None, None, None, "单位：万元"],
        ["序号", "乡镇", "村名", "经营收入", "补助收入"],
        [1, "濠头乡", "上河村", 20, 3],
        [2, "濠头乡", "大坪村", 5.5, 4],
        ["全镇合计", None, None, 25.5, 7],
    ]
    return _workbook(Path(folder) / name, [{"title": "濠头乡", "rows": rows, "merges": ["A1:E1", "A6:C6"]}])


def township_row_xlsx(folder: Path, *, name: str = "汝城县2022年分乡镇.xlsx") -> Path:
    """乡镇 | 村名 | 经营收入 | 补助收入: each township's own row (no village, its amounts) above its villages,
    the 乡镇 name merged down over the township's rows (A4:A6, A7:A9)."""
    rows = [
        ["汝城县2022年村级集体经济收入统计表"],
        [None, None, None, "单位：万元"],
        ["乡镇", "村名", "经营收入", "补助收入"],
        ["濠头乡", None, 25.5, 7],
        [None, "上河村", 20, 3],
        [None, "大坪村", 5.5, 4],
        ["土桥镇", None, 10, 15],
        [None, "龙虎村", 8, 12],
        [None, "石门村", 2, 3],
    ]
    return _workbook(Path(folder) / name, [{"title": "Sheet1", "rows": rows, "merges": ["A1:D1", "A4:A6", "A7:A9"]}])


def income_expense_csv(folder: Path, *, name: str = "上河村2022年收支台账.csv") -> Path:
    """A 收支台账 in GBK: 日期 | 村 | 科目 | 收入 | 支出, the unused column holding —, -, / or 无."""
    rows = [
        ["单位：元"],
        ["日期", "村", "科目", "收入", "支出"],
        ["2022-03-31", "上河村", "经营收入", "120000", "—"],
        ["2022-06-30", "上河村", "管理费用", "—", "35000"],
        ["2022-09-30", "上河村", "补助收入", "80000", "-"],
        ["2022-12-31", "上河村", "其他支出", "/", "2000"],
        ["2022-12-31", "上河村", "发包及上交收入", "50000", "无"],
    ]
    return _write_csv(Path(folder) / name, rows, "gbk")


def header_spellings_xlsx(
    folder: Path,
    *,
    village_header: str = "村（社区）",
    total_header: str = "合计",
    name: str = "濠头乡2022年村（社区）收入.xlsx",
) -> Path:
    """乡镇 | {village_header} | 本年收入 (merged over 经营\\n收入 | 发包及上交收入 | 补助收入 | {total_header}) |
    经营性收入. Names as the committees sign: 上河村民委员会, 立欣洲社区居委会, 大坪村村民委员会. The 本年收入 parts
    are incomplete (no 投资收益, 其他收入), so the written totals stand: 上河村 30 over 20+5+3."""
    rows = [
        ["濠头乡2022年村级集体经济收入统计表"],
        [None] * 6 + ["单位：万元"],
        ["乡镇", village_header, "本年收入", None, None, None, "经营性收入"],
        [None, None, "经营\n收入", "发包及上交收入", "补助收入", total_header, None],
        ["濠头乡", "上河村民委员会", 20, 5, 3, 30, 25],
        ["濠头乡", "立欣洲社区居委会", 6, 0, 4, 10, 6],
        ["濠头乡", "大坪村村民委员会", 5.5, 1, 4, 11, 6.5],
    ]
    return _workbook(
        Path(folder) / name,
        [{"title": "濠头乡", "rows": rows, "wrap": ["C4"], "merges": ["A1:G1", "A3:A4", "B3:B4", "C3:F3", "G3:G4"]}],
    )


STATISTICS_ROWS = [
    # 指标名称, 代码, 计量单位, 本年数, 上年数
    ("一、本年收入", 1, "万元", 30, 25),
    ("1.经营收入", 2, "万元", 20, 15),
    ("2.发包及上交收入", 3, "万元", 5, 5),
    ("3.投资收益", 4, "万元", 0, 0),
    ("4.补助收入", 5, "万元", 3, 4),
    ("5.其他收入", 6, "万元", 2, 1),
    ("二、本年支出", 7, "万元", 15, 12),
    ("1.经营支出", 8, "万元", 8, 6),
    ("2.管理费用", 9, "万元", 6, 5),
    ("其中：干部报酬", 10, "万元", 4, 4),
    ("3.其他支出", 11, "万元", 1, 1),
    ("三、本年收益", 12, "万元", 15, 13),
    ("四、资产总额", 13, "元", 3_000_000, 2_800_000),
    ("五、负债总额", 14, "元", 420_000, 500_000),
    ("六、集体经济组织成员", 15, "人", 1200, 1180),
]


def statistics_form_xlsx(folder: Path, *, name: str = "濠头乡收益分配统计表2022.xlsx") -> Path:
    """The statistics form, one village per sheet: 指标名称 | 代码 | 计量单位 | 本年数 | 上年数, a 甲 乙 丙 1 2 row,
    the unit of each row in its 计量单位 cell (万元, 元 for the balances, 人 for members), no 单位 line."""
    rows = [
        ["农村集体经济组织收益分配统计表"],
        ["填报单位：汝城县濠头乡上河村股份经济合作社", None, None, None, "2022年度"],
        ["指标名称", "代码", "计量单位", "本年数", "上年数"],
        ["甲", "乙", "丙", 1, 2],
        *[list(row) for row in STATISTICS_ROWS],
    ]
    return _workbook(Path(folder) / name, [{"title": "上河村", "rows": rows, "merges": ["A1:E1", "A2:C2"]}])


DISTRIBUTION_ROWS = [
    # 项目, 行次, 金额 (元)
    ("一、经营收入", 1, 200_000),
    ("  加：发包及上交收入", 2, 50_000),
    ("      投资收益", 3, 0),
    ("  减：经营支出", 4, 80_000),
    ("      管理费用", 5, 60_000),
    ("二、经营收益", 6, 110_000),
    ("  加：农业税附加返还收入", 7, 0),
    ("      补助收入", 8, 30_000),
    ("      其他收入", 9, 20_000),
    ("  减：其他支出", 10, 10_000),
    ("三、本年收益", 11, 150_000),
    ("四、本年收益", 12, 150_000),
    ("  加：年初未分配收益", 13, 20_000),
    ("      其他转入", 14, 0),
    ("五、可分配收益", 15, 170_000),
    ("  减：提取公积公益金", 16, 30_000),
    ("      提取应付福利费", 17, 10_000),
    ("      外来投资分利", 18, 0),
    ("      农户分配", 19, 100_000),
    ("      其他", 20, 0),
    ("六、年末未分配收益", 21, 30_000),
]


def income_distribution_xlsx(folder: Path, *, name: str = "大坪村2022年会计报表.xlsx") -> Path:
    """The 2004 收益及收益分配表 (会村02表) of 大坪村, in 元: 项目 | 行次 | 金额 with 加：/减： prefixes and the
    distribution part, an 编制单位 line, a year line, a footer."""
    rows = [
        ["收益及收益分配表", None, "会村02表"],
        ["编制单位：汝城县濠头乡大坪村股份经济合作社", "2022年度", "单位：元"],
        ["项目", "行次", "金额"],
        *[list(row) for row in DISTRIBUTION_ROWS],
        ["单位负责人：陈七", "会计：赵六", "制表：王五"],
    ]
    return _workbook(Path(folder) / name, [{"title": "收益及收益分配表", "rows": rows, "merges": ["A1:B1"]}])


def merged_village_rows_xlsx(
    folder: Path,
    *,
    year_header: str = "年度",
    this_year: str = "本年",
    last_year: str = "上年",
    name: str = "濠头乡2022年收支情况.xlsx",
) -> Path:
    """Each village on two rows (this year, last year), its 序号 and 村名 merged down over both (A4:A5, B4:B5...)."""
    rows = [
        ["濠头乡2022年村级集体经济收支情况表"],
        [None] * 5 + ["单位：万元"],
        ["序号", "村名", year_header, "经营收入", "补助收入", "管理费用"],
        [1, "上河村", this_year, 20, 3, 6],
        [None, None, last_year, 15, 4, 5],
        [2, "大坪村", this_year, 5.5, 4, 2.5],
        [None, None, last_year, 5, 3.5, 2],
    ]
    return _workbook(
        Path(folder) / name,
        [{"title": "濠头乡", "rows": rows, "merges": ["A1:F1", "A4:A5", "B4:B5", "A6:A7", "B6:B7"]}],
    )


def section_rows_xlsx(folder: Path, *, name: str = "汝城县2022年分片.xlsx") -> Path:
    """序号 | 村名 | 经营收入 | 补助收入 with section rows "一、濠头乡（共2个村）" (row 4) and "二、土桥镇（共2个村）"
    (row 7) naming the township of the rows below, numbering restarting in each, 石门村 written 石门村村委会,
    合计 in A10:B10."""
    rows = [
        ["汝城县2022年村级集体经济收入统计表"],
        [None, None, None, "单位：万元"],
        ["序号", "村名", "经营收入", "补助收入"],
    ]
    merges = ["A1:D1"]
    signed = {"石门村": "石门村村委会"}  # as the committee signs it
    for section, (town, villages) in zip(("一", "二"), TOWNS.items(), strict=True):
        rows.append([f"{section}、{town}（共{len(villages)}个村）"])
        merges.append(f"A{len(rows)}:D{len(rows)}")
        rows += [
            [number, signed.get(village, village), operating, subsidy]
            for number, (village, operating, subsidy) in enumerate(villages, start=1)
        ]
    rows.append(["合计", None, 35.5, 22])
    merges.append(f"A{len(rows)}:B{len(rows)}")
    return _workbook(Path(folder) / name, [{"title": "Sheet1", "rows": rows, "merges": merges}])


# --- C. workbooks from WPS and older tools: BIFF8 .xls with several sheets ------------------------------

_VISIBILITY = {"visible": 0, "hidden": 1, "veryHidden": 2}


def xls_sheets(folder: Path, name: str, sheets: list[dict]) -> Path:
    """A BIFF8 .xls with several sheets, given as dicts: title, rows, merges (A1 ranges), state. The globals
    (BOF, CODEPAGE 1200, one BOUNDSHEET per sheet with its visibility, EOF), then per sheet BOF, DIMENSIONS,
    the cells (NUMBER/LABEL from ledger_files), MERGEDCELLS and EOF, in a compound file."""

    def sheet_stream(spec):
        rows = spec["rows"]
        width = max((len(row) for row in rows), default=0)
        merges = [range_boundaries(ref) for ref in spec.get("merges", ())]
        merged = (
            _record(
                0x00E5,
                struct.pack("<H", len(merges))
                + b"".join(
                    struct.pack("<HHHH", min_row - 1, max_row - 1, min_col - 1, max_col - 1)
                    for min_col, min_row, max_col, max_row in merges
                ),
            )
            if merges
            else b""
        )
        return (
            _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
            + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
            + _cell_records(rows)
            + merged
            + _record(0x000A, b"")
        )

    head = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)) + _record(
        0x0042, struct.pack("<H", 1200)
    )
    names = [spec["title"].encode("utf-16-le") for spec in sheets]
    offset = len(head) + sum(4 + 8 + len(encoded) for encoded in names) + 4
    boundsheets, streams = b"", b""
    for spec, encoded in zip(sheets, names, strict=True):
        state = _VISIBILITY[spec.get("state", "visible")]
        boundsheets += _record(
            0x0085, struct.pack("<IBBBB", offset + len(streams), state, 0, len(encoded) // 2, 1) + encoded
        )
        streams += sheet_stream(spec)
    stream = head + boundsheets + _record(0x000A, b"") + streams
    stream += b"\0" * max(0, 4096 - len(stream))
    path = Path(folder) / name
    path.write_bytes(compound_file({"Workbook": stream}))
    return path


def wps_xls(folder: Path, *, name: str = "汝城县2022年村级集体经济.xls") -> Path:
    """An .xls as WPS saves a county's workbook: Sheet1 (villages, 合计 in the 序号 column merged over A:C),
    汇总 (rows are townships), 填表说明 (instructions), and a hidden stale copy "Sheet1 (2)"."""
    villages, merges = _county_rows()
    stale = [list(row) for row in villages]
    stale[3][3] = 18  # 上河村 经营收入 18 in the stale copy, 20 in Sheet1
    stale[-1][3] = 33.5
    summary = [
        ["汝城县2022年村级集体经济收入汇总表"],
        [None, None, "单位：万元"],
        ["乡镇", "经营收入", "补助收入"],
        ["濠头乡", 25.5, 7],
        ["土桥镇", 10, 15],
        ["合计", 35.5, 22],
    ]
    instructions = [
        ["填表说明"],
        ["一、本表由乡镇农经站汇总各村（社区）数据后填报，金额单位为万元，保留两位小数。"],
        ["二、经营收入指村集体经济组织从事生产、服务、销售、出租和劳务取得的收入。"],
        ["三、请于次年1月10日前报县农业农村局。"],
    ]
    return xls_sheets(
        folder,
        name,
        [
            {"title": "Sheet1", "rows": villages, "merges": merges},
            {"title": "汇总", "rows": summary, "merges": ["A1:C1"]},
            {"title": "填表说明", "rows": instructions},
            {"title": "Sheet1 (2)", "rows": stale, "merges": merges, "state": "hidden"},
        ],
    )


# --- D. files that cannot be understood ---------------------------------------------------------------


def no_header_xlsx(folder: Path, *, name: str = "新村岭秀村.xlsx") -> Path:
    """Village names and numbers, no header row, no title, no unit (first number at B1)."""
    return _workbook(Path(folder) / name, [{"title": "Sheet1", "rows": [["新村", 20, 3], ["岭秀村", 5.5, 4]]}])


def no_unit_xlsx(folder: Path, *, name: str = "土桥镇2022.xlsx") -> Path:
    """A good header and bare numbers, no unit in any cell, header, line, title or the file name (first at B3)."""
    rows = [
        ["土桥镇2022年村级集体经济收入统计表"],
        ["村名", "经营收入", "补助收入"],
        ["新村", 80_000, 120_000],
        ["岭秀村", 20_000, 30_000],
    ]
    return _workbook(Path(folder) / name, [{"title": "Sheet1", "rows": rows, "merges": ["A1:C1"]}])


def damaged_xlsx(folder: Path, *, name: str = "濠头乡补报.xlsx") -> Path:
    """The start of a zip archive and nothing else: a download cut short."""
    path = Path(folder) / name
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00 cut short")
    return path


def empty_xlsx(folder: Path, *, name: str = "空表.xlsx") -> Path:
    """A workbook with one sheet and no cell."""
    book = openpyxl.Workbook()
    path = Path(folder) / name
    book.save(path)
    return path


def folder_with_bad_files(folder: Path) -> Path:
    """One good workbook (total_in_number_column_xlsx) beside a sheet with no header, a damaged .xlsx and a
    sheet of bare numbers with no unit anywhere."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total_in_number_column_xlsx(folder)
    no_header_xlsx(folder)
    damaged_xlsx(folder)
    no_unit_xlsx(folder)
    return folder
