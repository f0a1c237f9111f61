"""villagecon.sample.forms.statistics_form: the 收益分配统计表 (指标名称 | 代码 | 计量单位 | 本年数 | 上年数)."""

from __future__ import annotations

import pytest

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.documents import SYNTHETIC_NOTE, CellIndex, write_document, xlsx_bytes
from villagecon.sample.forms.statistics_form import STATISTICS_COUNTY, STATISTICS_LINES, statistics_form
from villagecon.sample.world import draw_world


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


def test_the_form_of_the_largest_township_for_the_last_year(world):
    document = statistics_form(world, 2022, CellIndex())
    assert document is not None and (document.unit, document.layout) == ("千元", "statement")
    assert document.path == f"{STATISTICS_COUNTY}/桂东县沙田镇2023年村集体经济组织收益分配统计表（合成样例）.xlsx"
    assert [s.name for s in document.sheets] == [v.name for v in world.villages if v.township == "沙田镇"]


def test_the_sheet_is_the_statistics_form(world):
    [sheet] = statistics_form(world, 2022, CellIndex()).sheets
    assert sheet.rows[:5] == [
        ["村集体经济组织收益分配统计表（合成样例数据）"],
        ["2023年度"],
        ["填报单位：桂东县沙田镇云门村股份经济合作社"],
        ["指标名称", "代码", "计量单位", "本年数", "上年数"],
        ["甲", "乙", "丙", 1, 2],
    ]
    assert [row[:3] for row in sheet.rows[5:-2]] == [[label, code, unit] for label, code, unit, _ in STATISTICS_LINES]
    assert sheet.rows[-2] == ["单位负责人：", None, "填表人：", "报出日期：2024年1月20日", None]
    assert sheet.rows[-1] == [SYNTHETIC_NOTE]


def test_both_years_are_the_truth_in_thousands_and_the_other_rows_not_money(world):
    index = CellIndex()
    [sheet] = statistics_form(world, 2022, index).sheets
    rows = {row[0].strip(): row for row in sheet.rows[5:-2]}
    code = next(v.code for v in world.villages if v.name == sheet.name)
    for label, _, unit, item in STATISTICS_LINES:
        if item is not None:
            _, _, _, this_year, last_year = rows[label.strip()]
            assert unit == "千元" and this_year * 1_000 == pytest.approx(world.accounts[(code, 2023)][item], abs=1e-6)
            assert last_year * 1_000 == pytest.approx(world.accounts[(code, 2022)][item], abs=1e-6)
    assert rows["1.汇入本表村数"][2:] == ["个", 1, 1]
    members, before = rows["2.集体经济组织成员数"][3:]
    assert rows["2.集体经济组织成员数"][2] == "人" and 600 <= members < 3_500 and 0 <= members - before < 40
    assert {(y, at.col) for (_, y, _), places in index.amounts.items() for at in places} == {(2023, 3), (2022, 4)}


def test_no_form_without_a_year_whose_year_before_is_in_the_sample():
    assert statistics_form(draw_world(2022, 40, [2023]), 2022, CellIndex()) is None


def test_the_same_seed_gives_the_same_bytes(world):
    assert xlsx_bytes(statistics_form(world, 2022, CellIndex())) == xlsx_bytes(
        statistics_form(world, 2022, CellIndex())
    )


def test_the_reader_reads_both_years_and_skips_the_rows_that_are_not_money(world, tmp_path):
    ledger = read_ledger(write_document(tmp_path, statistics_form(world, 2022, CellIndex())), register=world.register)
    assert ledger.rejects.empty
    accounts = ledger.accounts.set_index(["village_code", "year"])
    assert [year for _, year in accounts.index] == [2022, 2023]
    for (code, year), row in accounts.iterrows():
        for item in ("total_income", "subsidy_income", "net_income"):
            assert row[item] == pytest.approx(world.accounts[(code, year)][item], abs=0.005)
    kinds = ledger.rows.groupby("kind").size()
    assert kinds["other"] == 2 and kinds["numbering"] == 1  # 个 and 人; the 甲 乙 丙 row
