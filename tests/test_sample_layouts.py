"""villagecon.sample.layouts: the one-row-per-village sheet, the 收益分配表 and the long ledger of the sample."""

from __future__ import annotations

import math

import numpy as np
import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.article import SHANGHE, SHANGHE_2022_WRITTEN
from villagecon.sample.documents import SYNTHETIC, SYNTHETIC_NOTE, CellIndex, Document, write_document
from villagecon.sample.habits import Style
from villagecon.sample.layouts import long_sheet, statement_sheet, wide_columns, wide_sheet
from villagecon.sample.world import draw_world
from villagecon.vocab import chenzhou

YEARS = list(range(2016, 2024))


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, YEARS)


def wide(world, county="汝城县", year=2022, *, index=None, seed=1, unit="万元", **options):
    document = Document(f"{county}/{county}.xlsx", [], "wide", unit)
    sheet = wide_sheet(
        world,
        document,
        county=county,
        year=year,
        style=Style(unit),
        rng=np.random.default_rng(seed),
        index=index if index is not None else CellIndex(),
        sheet_name=f"{year}年",
        **options,
    )
    document.sheets.append(sheet)
    return document, sheet


def table_rows(sheet) -> list[list]:
    """The rows of a sheet's table (header, villages, 小计, 合计): those wider than a title or note."""
    return [row for row in sheet.rows if len(row) > 3]


def shanghe(world):
    return next(v for v in world.villages if v.name == SHANGHE)


def test_wide_columns_follow_the_accounting_system_of_the_year():
    assert wide_columns(2023) == [
        "operating_income",
        "contract_income",
        "investment_income",
        "subsidy_income",
        "other_income",
        "total_income",
        "operating_expense",
        "admin_expense",
        "other_expense",
        "total_expense",
        "net_income",
        "assets",
        "liabilities",
    ]
    columns = wide_columns(2024)
    assert "contract_income" not in columns and {"tax_and_surcharges", "public_welfare_expense"} <= set(columns)
    assert columns.index("income_tax") < columns.index("total_expense") < columns.index("net_income")


def test_a_wide_sheet_has_title_unit_two_level_header_subtotals_and_total(world):
    _, sheet = wide(world)
    width = 3 + len(wide_columns(2022))
    assert (
        sheet.rows[0] == [f"汝城县2022年村级集体经济收支情况统计表（{SYNTHETIC}）"]
        and (0, 0, 0, width - 1) in sheet.merges
    )
    assert sheet.rows[1] == ["单位：万元"]
    top, sub = sheet.rows[2], sheet.rows[3]
    assert top[:4] == ["序号", "乡镇", "村名", "本年收入"] and top[-3:] == ["本年收益", "资产总额", "负债总额"]
    assert sub[3:9] == ["经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入", "合计"]
    assert (2, 3, 2, 8) in sheet.merges and (2, 9, 2, 12) in sheet.merges  # 本年收入, 本年支出 over their parts
    assert (2, 0, 3, 0) in sheet.merges and (2, 15, 3, 15) in sheet.merges  # the others over both rows
    labels = [row[1] for row in sheet.rows[4:-1]]
    townships = [t for t in chenzhou.TOWNSHIPS["汝城县"] if any(v.township == t for v in world.villages)]
    assert [label for label in labels if label.endswith("小计")] == [f"{t}小计" for t in townships]
    assert sheet.rows[-2][1] == "合\u3000计" and sheet.rows[-1] == [SYNTHETIC_NOTE]


def test_the_rows_hold_the_truth_and_the_subtotals_and_total_add_up(world):
    index = CellIndex()
    _, sheet = wide(world, index=index)
    for (code, year, item), [at] in index.amounts.items():
        written, truth = at.sheet.rows[at.row][at.col], world.accounts[(code, year)][item]
        if (code, year, item) in world.approx_written:
            assert written == world.approx_written[(code, year, item)]
        else:
            assert written == round(truth / 10_000, 4), (code, item)
    columns = wide_columns(2022)
    members = [v for v in world.villages if v.county == "汝城县"]
    for col, item in enumerate(columns, start=3):
        for row in table_rows(sheet):
            if row[1] and row[1].endswith("小计"):
                block = [world.accounts[(v.code, 2022)][item] for v in members if f"{v.township}小计" == row[1]]
                assert row[col] == round(sum(block) / 10_000, 4), (row[1], item)
        total = sum(world.accounts[(v.code, 2022)][item] for v in members)  # the truth, 40余万元 or not
        assert sheet.rows[-2][col] == round(total / 10_000, 4), item


def test_shanghe_is_written_as_the_article_says(world):
    _, sheet = wide(world, name_override={SHANGHE: "上河村村委会"})
    [row] = [row for row in table_rows(sheet) if row[2] == "上河村村委会"]
    assert row[3 + wide_columns(2022).index("total_income")] == SHANGHE_2022_WRITTEN  # 40余万元
    _, sheet = wide(world, year=2017)
    [row] = [row for row in table_rows(sheet) if row[2] == SHANGHE]
    assert row[3 + wide_columns(2017).index("liabilities")] == 4.2  # 负债4.2万元
    assert row[3 + wide_columns(2017).index("net_income")] == -4.2


def test_a_one_row_header_puts_the_unit_in_every_label(world):
    _, sheet = wide(world, county="嘉禾县", two_level=False, unit_row=False)
    header = sheet.rows[1]
    assert header[:3] == ["序号", "乡镇", "村名称"]
    assert all(label.endswith("（万元）") for label in header[3:])
    assert "本年收入合计（万元）" in header and "资产总额（万元）" in header and "负债总额（万元）" in header
    assert not any(str(row[0]).startswith("单位") for row in sheet.rows)


def test_a_village_not_in_the_register_counts_in_its_townships_subtotal(world):
    index = CellIndex()
    template = next(v for v in world.villages if v.county == "宜章县")
    accounts = {item: 1_000.0 for item in wide_columns(2022)}
    extra = {"village": chenzhou.UNKNOWN_VILLAGE, "township": template.township, "year": 2022, "accounts": accounts}
    _, sheet = wide(world, county="宜章县", index=index, unit="元", extra=extra)
    [row] = [row for row in table_rows(sheet) if row[2] == chenzhou.UNKNOWN_VILLAGE]
    assert row[1] == template.township and row[3:] == [1_000] * len(wide_columns(2022))
    subtotal = next(r for r in table_rows(sheet) if r[1] == f"{template.township}小计")
    own = world.accounts[(template.code, 2022)]["operating_income"]
    assert subtotal[3] == own + 1_000
    assert {key[0] for key in index.amounts if key[0] == "UNKNOWN"} == {"UNKNOWN"}


def test_a_statement_has_items_down_years_across_and_the_detail_lines(world):
    index = CellIndex()
    document = Document("汝城县/濠头乡.xlsx", [], "statement", "元")
    sheet = statement_sheet(
        world,
        document,
        shanghe(world),
        style=Style("元"),
        rng=np.random.default_rng(1),
        index=index,
        year_headers="mixed",
    )
    assert sheet.rows[0] == [f"汝城县濠头乡上河村收益分配表（{SYNTHETIC}）"] and sheet.rows[1] == ["单位：元"]
    assert sheet.rows[2] == ["项目", "2016年", 2017, "二〇一八年", "2019年度", "2020年", 2021, "二〇二二年", "2023年度"]
    lines = {row[0]: row[1:] for row in sheet.rows[3:-1]}
    assert next(iter(lines)) == "一、本年收入" and list(lines)[-3:] == ["三、本年收益", "四、资产总额", "五、负债总额"]
    assert lines["    其中：光伏发电收入"] == [None, None, 36_000, 68_000, 90_000, 118_000, 150_000, 160_000]
    assert lines["一、本年收入"][6] == SHANGHE_2022_WRITTEN and lines["五、负债总额"][1] == 42_000
    assert sheet.rows[-1] == [SYNTHETIC_NOTE]
    assert {year for (_, year, _) in index.amounts} == set(YEARS)  # the 其中 lines are not truth items


def test_a_long_sheet_leaves_out_what_it_has_no_amount_for(world):
    missing = next(v for v in world.villages if math.isnan(world.accounts[(v.code, 2016)]["assets"]))
    document = Document(f"{missing.county}/long.csv", [], "long", "元", encoding="utf-8-sig")
    columns = {"year": "年度", "township": "乡镇", "village": "村名", "item": "科目", "amount": "金额（元）"}
    sheet = long_sheet(
        world,
        document,
        [missing],
        [2016, 2017],
        columns=columns,
        style=Style("元", csv=True),
        rng=np.random.default_rng(1),
        index=CellIndex(),
        title=None,
        sheet_name="",
        year_cells="年度",
        variants=0.0,
    )
    assert sheet.rows[0] == list(columns.values())  # no title; the unit is in the amount's label: no 单位 row
    items = {(row[0], row[3]) for row in sheet.rows[1:]}
    assert ("2017年度", "资产总额") in items and ("2016年度", "资产总额") not in items
    assert {row[1] for row in sheet.rows[1:]} == {missing.township}
    assert {row[2] for row in sheet.rows[1:] if row[0] == "2017年度"} == {missing.name}  # no variants asked for


def test_the_same_stream_gives_the_same_cells_and_another_other_habits(world):
    def rows(seed):
        _, sheet = wide(world, county="苏仙区", unit="元", seed=seed, variants=0.5)
        return table_rows(sheet)

    assert rows(1) == rows(1)
    assert [row[2] for row in rows(1)] != [row[2] for row in rows(2)]  # names written other ways


def test_the_reader_reads_a_wide_sheet_back_to_the_truth(world, tmp_path):
    document, _ = wide(world, county="汝城县", year=2021)
    ledger = read_ledger(write_document(tmp_path, document), register=world.register)
    assert ledger.rejects.empty and set(ledger.subtotals["status"]) == {"ok"}
    accounts = ledger.accounts.set_index("village_code")
    assert sorted(accounts.index) == sorted(v.code for v in world.villages if v.county == "汝城县")
    for code, row in accounts.iterrows():
        for item in wide_columns(2021):
            assert row[item] == pytest.approx(world.accounts[(code, 2021)][item], abs=0.005), (code, item)
