"""How the sample writes amounts, names and cells: habits, documents, defects' text (villagecon.sample)."""

from __future__ import annotations

import io
import math

import numpy as np
import openpyxl

from villagecon.sample.documents import Document, Sheet, csv_bytes, xlsx_bytes
from villagecon.sample.habits import Style, chinese_wan, written_name
from villagecon.sample.world import Village


def rng():
    return np.random.default_rng(0)


def test_chinese_wan():
    assert [chinese_wan(y) for y in (120_000, 80_000, 310_000)] == ["十二万", "八万", "三十一万"]


def test_styles_write_amounts_as_offices_do():
    assert Style("万元").amount(123_456.0, "operating_income", rng()) == 12.3456
    assert Style("万元", csv=True).amount(123_456.0, "operating_income", rng()) == "12.3456"
    assert Style("元", csv=True, thousands=True).amount(1_234_567.0, "other_income", rng()) == "1,234,567"
    assert Style("万元", csv=True, negative="paren").amount(-42_000.0, "net_income", rng()) == "(4.2)"
    assert Style("元", csv=True, negative="triangle").amount(-5_000.0, "net_income", rng()) == "△5000"
    assert Style("元").amount(math.nan, "assets", rng()) == "—"  # a balance not drawn up
    assert Style("元").amount(math.nan, "contract_income", rng()) is None  # an item the year lacks
    assert Style("元").amount(1.0, "total_income", rng(), approx="40余万元") == "40余万元"


def test_a_renamed_village_keeps_its_former_name_before_2017():
    v = Village("汝城县", "濠头乡", "石冲村", "431026201201", "老屋村", None)
    assert written_name(v, 2016, rng(), 0.0) == "老屋村"
    assert written_name(v, 2020, rng(), 0.0) == "石冲村"


def test_csv_bytes_as_excel_saves_them():
    data = csv_bytes([["a", None, 1], ["单位：元"], ['x,"y"']], "gbk")
    assert data == 'a,,1\r\n单位：元\r\n"x,""y"""\r\n'.encode("gbk")


def test_xlsx_bytes_are_repeatable_and_keep_merges():
    sheet = Sheet("2022年", widths={1: 12})
    sheet.merges.append((sheet.append(["标题"]), 0, 0, 2))
    sheet.append(["村名", "经营收入", "备注"])
    sheet.append(["石冲村", 1234, None])
    document = Document("x/测试.xlsx", [sheet], "wide", "元")
    data = xlsx_bytes(document)
    assert data == xlsx_bytes(document)  # fixed creation time: the same bytes every time
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["2022年"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert [c.value for c in ws[3]] == ["石冲村", 1234, None]
