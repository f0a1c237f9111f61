"""villagecon.sample.forms.roster: the 村党组织书记花名册 with a township's 历任书记 and 两委班子 sheets."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.ingest.roster import read_roster_tables
from villagecon.sample.documents import ROSTER_FILE, SYNTHETIC, SYNTHETIC_NOTE, write_document, xlsx_bytes
from villagecon.sample.forms.roster import (
    BACKGROUND_WRITTEN,
    ROSTER_COMMITTEE_HEADER,
    ROSTER_HISTORY_HEADER,
    ROSTER_MAIN_HEADER,
    ROSTER_SHEET,
    roster_workbook,
)
from villagecon.sample.world import draw_world
from villagecon.vocab.chenzhou import ARTICLE_PEOPLE, COUNTY_CODES

FOOTER = ["填表人：李娟", None, None, "审核人：周平", None, None, "填报日期：2024年1月"]


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, list(range(2019, 2024)))


@pytest.fixture(scope="module")
def forms(world):
    return roster_workbook(world, 2022)


def body(sheet, header_rows: int) -> list[list]:
    return sheet.rows[header_rows:-2]


def test_the_workbook_has_the_three_sheets_of_one_township(forms):
    county, township = forms.township
    assert (county, township) == ("宜章县", "梅田镇")  # the township of the secretary whose term is split
    assert forms.document.path == ROSTER_FILE and forms.document.layout == "roster"
    assert [s.name for s in forms.document.sheets] == [
        ROSTER_SHEET,
        f"{township}历任书记（合成样例）",
        f"{township}两委班子（合成样例）",
    ]
    headers = (ROSTER_MAIN_HEADER, ROSTER_HISTORY_HEADER, ROSTER_COMMITTEE_HEADER)
    for sheet, header in zip(forms.document.sheets, headers, strict=True):
        assert SYNTHETIC in sheet.rows[0][0] and (0, 0, 0, len(header) - 1) in sheet.merges  # the title
        assert sheet.rows[-2] == FOOTER[: len(sheet.rows[-2])] and sheet.rows[-1] == [SYNTHETIC_NOTE]


def test_the_huamingce_has_the_header_and_habits_of_the_form(forms):
    sheet = forms.document.sheets[0]
    assert sheet.rows[1][0].startswith("填表说明：任职起止时间填写到月") and "2021年1月" in sheet.rows[1][0]
    assert sheet.rows[2] == list(ROSTER_MAIN_HEADER)
    for word in (
        "序号",
        "乡镇",
        "村（社区）",
        "姓名",
        "性别",
        "出生年月",
        "学历",
        '是否"一肩挑"',
        "任职起止时间",
        "来源",
    ):
        assert word in sheet.rows[2], word  # FORMS.md's columns
    rows = body(sheet, 3)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert {row[8] for row in rows} == {"是", "否"}
    counties = [row[1] for row in rows if row[1] is not None]  # 县市区 once, merged over the county's rows
    assert counties == list(COUNTY_CODES)
    ranges = {row[10] for row in rows}
    assert "2021.01—至今" in ranges  # 北湖区's way
    assert any(r.endswith("-至今") for r in ranges) and any("年" in r and r.endswith("至今") for r in ranges)
    assert any(r.endswith("—") for r in ranges)  # an open end


def test_the_article_people_have_no_invented_particulars(forms):
    rows = [row for row in body(forms.document.sheets[0], 3) if row[4] in ARTICLE_PEOPLE]
    assert {row[4] for row in rows} >= {"曹海欧", "张小雄"}
    assert all(pd.isna(row[5]) and pd.isna(row[6]) and pd.isna(row[7]) for row in rows)  # 性别, 出生年月, 学历


def test_backgrounds_are_written_in_other_words_for_invented_secretaries(world, forms):
    written = [row[11] for row in body(forms.document.sheets[0], 3)]
    other_words = {word for words in BACKGROUND_WRITTEN.values() for word in words}
    assert set(written) <= set(BACKGROUND_WRITTEN) | other_words
    assert forms.reworded > 0 and any(w in other_words for w in written)
    invented = int((~world.roster["name"].isin(ARTICLE_PEOPLE)).sum())
    assert forms.reworded < invented  # a share of them


def test_the_split_term_is_two_rows_on_the_history_sheet(forms):
    village, name, election = forms.split
    history = forms.document.sheets[1]
    assert history.rows[1] == list(ROSTER_HISTORY_HEADER)
    rows = [row for row in body(history, 2) if row[2] == name]
    assert [row[1] for row in rows] == [village, village]
    assert rows[0][3].endswith("书记") and rows[1][3].endswith("书记、村委会主任")
    assert rows[0][4].endswith(f"{election.year - 1}.12") and rows[1][4].startswith(f"{election.year}.01")
    assert rows[0][6] == f"{election.year}年1月换届后兼任村委会主任"
    assert all(row[3] != "书记" for row in body(history, 2))  # 党支部书记 or 党总支书记, never plain 书记


def test_the_liangwei_sheet_lists_other_posts_of_invented_people(world, forms):
    sheet = forms.document.sheets[2]
    assert sheet.rows[1] == list(ROSTER_COMMITTEE_HEADER) and sheet.rows[2][8:10] == ["起", "止"]
    assert (1, 8, 1, 9) in sheet.merges  # 任职时间 over 起 | 止
    assert sheet.rows[3] == [f"一、{forms.township[1]}（共{forms.villages}个村）"]
    assert set(forms.committee.columns) == {"village", "name", "role", "start"}
    assert not set(forms.committee["name"]) & set(world.roster["name"])  # other posts are other people
    assert set(forms.committee["role"]) <= {"驻村第一书记", "党支部副书记", "村委会主任", "支部委员", "村委会委员"}
    assert len(body(sheet, 4)) == forms.villages + len(forms.committee)


def test_the_same_seed_gives_the_same_bytes(world, forms):
    assert xlsx_bytes(forms.document) == xlsx_bytes(roster_workbook(world, 2022).document)
    assert xlsx_bytes(forms.document) != xlsx_bytes(roster_workbook(world, 3).document)


def test_the_reader_reads_every_spell_of_the_truth_and_the_other_posts(world, forms, tmp_path):
    spells, others, rejects = read_roster_tables(write_document(tmp_path, forms.document), register=world.register)
    assert rejects.empty
    columns = ["village_code", "name", "role", "start", "background"]
    truth = world.roster.assign(start=pd.to_datetime(world.roster["start"]))[columns]
    read = spells[columns]
    pd.testing.assert_frame_equal(
        read.sort_values(["village_code", "name", "start"]).reset_index(drop=True),
        truth.sort_values(["village_code", "name", "start"]).reset_index(drop=True),
        check_dtype=False,
    )
    assert sorted(others["name"]) == sorted(forms.committee["name"])
