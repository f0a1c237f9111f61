"""Reading the secretary roster (花名册) into spells, and tenure per village-year."""

from __future__ import annotations

import datetime as dt
import logging

import openpyxl
import pandas as pd
import pytest

from villagecon import read_roster, tenure
from villagecon.errors import RosterError, UsageError
from villagecon.ingest.roster import ROSTER_COLUMNS, read_roster_with_rejects

HEADER = ["序号", "县市区", "乡镇", "村", "姓名", "职务", "任职起始", "任职结束", "来源", "导师", "培训天数", "荣誉"]

REGISTER = pd.DataFrame(
    {
        "county": ["汝城县", "北湖区", "北湖区"],
        "county_code": ["431026", "431002", "431002"],
        "township": ["濠头乡", "华塘镇", "华塘镇"],
        "village": ["上河村", "塔水村", "石冲村"],
        "village_code": ["431026100201", "431002100105", "431002100106"],
        "aliases": ["", "", "石冲"],
    }
)


def write_workbook(path, rows, *, title=None, sheet="花名册", merges=()):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if title:
        worksheet.append([title])
    for row in rows:
        worksheet.append(row)
    for cells in merges:
        worksheet.merge_cells(cells)
    workbook.save(path)
    return path


@pytest.fixture
def chenzhou_roster(tmp_path):
    """A roster laid out like the sample's: title, header, spells, a note."""
    rows = [
        HEADER,
        [
            1,
            "汝城县",
            "濠头乡",
            "上河村",
            "李  明",
            "党支部书记",
            dt.date(2011, 1, 1),
            dt.date(2017, 3, 31),
            "其他",
            None,
            2,
            None,
        ],
        [
            2,
            "汝城县",
            "濠头乡",
            "上河村",
            "张小雄",
            "书记",
            dt.date(2017, 4, 1),
            "至今",
            "养殖大户",
            "无",
            "5天",
            "担当作为好支书",
        ],
        [3, "北湖区", "华塘镇", "塔水村", "王五", "书记", "2014年3月", "2020年12月", "退伍军人", None, 1, None],
        [4, "北湖区", "华塘镇", "塔水村", "曹海欧", "书记兼主任", "2021.01", None, "经商返乡人员", "谭皓", 7.5, None],
        [],
        ["注：任职结束为空表示在任"],
    ]
    return write_workbook(
        tmp_path / "村党组织书记花名册.xlsx", rows, title="郴州市村党组织书记花名册", merges=["A1:L1"]
    )


def test_read_roster_reads_every_column_of_the_sample_layout(chenzhou_roster):
    spells = read_roster(chenzhou_roster)

    assert list(spells.columns) == list(ROSTER_COLUMNS)
    assert spells["name"].tolist() == ["王五", "曹海欧", "李明", "张小雄"]  # sorted by village, then start
    assert spells["village"].tolist() == ["塔水村", "塔水村", "上河村", "上河村"]
    assert spells["county"].tolist() == ["北湖区", "北湖区", "汝城县", "汝城县"]
    assert spells["role"].tolist() == ["书记", "书记兼主任", "书记", "书记"]  # 党支部书记 is 书记
    assert spells["start"].tolist() == [
        pd.Timestamp(d) for d in ("2014-03-01", "2021-01-01", "2011-01-01", "2017-04-01")
    ]
    assert spells["end"].iloc[0] == pd.Timestamp("2020-12-31")  # a month ends on its last day
    assert spells["end"].iloc[2] == pd.Timestamp("2017-03-31")
    assert spells["end"].isna().tolist() == [False, True, False, True]  # empty and 至今: in office
    assert spells["background"].tolist() == ["退役军人", "经商返乡人员", "其他", "致富能手"]  # synonyms mapped
    assert spells["mentor"].isna().tolist() == [True, False, True, True]  # 无 is no mentor
    assert spells["mentor"].iloc[1] == "谭皓"
    assert spells["training_days"].tolist() == [1.0, 7.5, 2.0, 5.0]  # "5天" read as 5
    assert spells["honours"].iloc[3] == "担当作为好支书"
    assert spells["source"].tolist() == [
        "村党组织书记花名册.xlsx!花名册!5",
        "村党组织书记花名册.xlsx!花名册!6",
        "村党组织书记花名册.xlsx!花名册!3",
        "村党组织书记花名册.xlsx!花名册!4",
    ]
    assert spells["village_code"].isna().all()  # no codes, no register


def test_synonym_headers_and_a_range_in_one_cell(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["村名", "书记姓名", "任职时间", "现任职务", "人员来源"],
            ["上河村", "李明", "2011.01-2017.03", "支部书记", "其它"],
            ["上河村", "张小雄", "2017年4月至今", "党支部书记、村委会主任", "致富带头人"],
        ],
    )
    spells = read_roster(path)
    assert spells["start"].tolist() == [pd.Timestamp("2011-01-01"), pd.Timestamp("2017-04-01")]
    assert spells["end"].iloc[0] == pd.Timestamp("2017-03-31")
    assert pd.isna(spells["end"].iloc[1])
    assert spells["role"].tolist() == ["书记", "书记兼主任"]
    assert spells["background"].tolist() == ["其他", "致富能手"]


def test_overlapping_spells_are_refused_naming_both_rows(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["村", "姓名", "任职起始", "任职结束"],
            ["上河村", "李明", "2011-01", "2017-06"],
            ["上河村", "张小雄", "2017-04", None],
            ["塔水村", "曹海欧", "2021-01", None],
        ],
    )
    with pytest.raises(RosterError) as raised:
        read_roster(path)
    message = str(raised.value)
    assert message.startswith("2 roster cell(s) cannot be used: roster.xlsx!花名册!2 C2: 李明's spell")
    assert "overlaps row 3 (张小雄, from 2017-04-01)" in message
    assert "roster.xlsx!花名册!3 C3: 张小雄's spell (2017-04-01 to now) overlaps row 2" in message
    assert "(file roster.xlsx, sheet '花名册', row 2, cell C2)" in message
    assert "pass errors='coerce'" in message

    spells, rejects = read_roster_with_rejects(path)
    assert spells["name"].tolist() == ["曹海欧"]  # neither overlapping spell is kept
    assert rejects["problem"].tolist() == ["overlap", "overlap"]
    assert rejects["cell"].tolist() == ["C2", "C3"]
    assert rejects["column"].tolist() == ["任职起始", "任职起始"]


def test_handover_within_the_month_is_not_an_overlap(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["村", "姓名", "任职起始", "任职结束"],
            ["上河村", "李明", "2011-01", "2017-04"],  # left some day in April 2017
            ["上河村", "张小雄", "2017-04", None],  # took over that April
        ],
    )
    assert read_roster(path)["name"].tolist() == ["李明", "张小雄"]


def test_unusable_cells_become_rejects_with_cell_and_reason(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["村", "姓名", "任职起始", "任职结束", "职务", "来源", "培训天数"],
            ["上河村", "李明", "2018-04", "2016-01", "书记", "其他", 3],
            ["塔水村", "王五", "2018-04", "2019", "书记", "其他", 3],
            ["石冲村", "赵六", "2018-04", None, "书记", "农民", "三天"],
            ["排山村", None, "2018-04", None, "书记", "其他", 3],
            ["秧田村", "段红锋", 2018.1, None, "书记", "其他", 3],
            ["东村", "陈七", "2018-04", None, "书记", "其他", 3],
        ],
    )
    spells, rejects = read_roster_with_rejects(path)
    assert spells["name"].tolist() == ["陈七"]
    assert rejects[["cell", "problem"]].values.tolist() == [
        ["D2", "end_before_start"],
        ["D3", "end_year_only"],
        ["G4", "bad_training_days"],
        ["B5", "missing_name"],
        ["C6", "date"],
    ]
    reasons = rejects.set_index("cell")["reason"]
    assert reasons["D2"] == "the spell ends (2016-01) before it starts (2018-04): correct 任职起始 or 任职结束"
    assert "in office on 31 December 2019 is unknown" in reasons["D3"]
    assert reasons["G4"] == "'三天' is not a number of days: write e.g. 5"
    assert reasons["C6"].startswith("start: the number 2018.1 may be 2018年1月 or 2018年10月")
    assert rejects["source"].iloc[0] == "roster.xlsx!花名册!2"
    assert rejects["value"].tolist()[:2] == ["2016-01", "2019"]


def test_errors_coerce_keeps_the_good_rows_and_logs_the_rest(tmp_path, caplog):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["村", "姓名", "任职起始"],
            ["上河村", "张小雄", "2017年4月"],
            ["塔水村", "曹海欧", "去年"],
        ],
    )
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        spells = read_roster(path, errors="coerce")
    assert spells["name"].tolist() == ["张小雄"]
    assert "roster roster.xlsx!花名册!3 C3 left out: start: '去年' is not a date" in caplog.text
    assert "roster roster.xlsx: 1 row(s) left out, 1 spell(s) kept" in caplog.text
    with pytest.raises(UsageError, match="errors must be 'raise' or 'coerce'"):
        read_roster(path, errors="ignore")


def test_register_gives_codes_and_refuses_unknown_villages(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["乡镇", "村", "村代码", "姓名", "任职起始"],
            ["濠头乡", "上河村村委会", None, "张小雄", "2017-04"],  # matched by the normalised name
            ["华塘镇", "石冲", None, "赵六", "2016-01"],  # matched by an alias
            [None, "塔水村", "431002100105", "曹海欧", "2021-01"],  # matched by the code
            ["华塘镇", "上和村", None, "王五", "2016-01"],  # a typo
            [None, "塔水村", "431002100106", "钱八", "2016-01"],  # code of another village
            [None, None, "431002199999", "孙九", "2016-01"],  # code not in the register
        ],
    )
    spells, rejects = read_roster_with_rejects(path, register=REGISTER)
    assert spells[["village", "village_code", "county", "township"]].values.tolist() == [
        ["塔水村", "431002100105", "北湖区", "华塘镇"],
        ["石冲村", "431002100106", "北湖区", "华塘镇"],
        ["上河村", "431026100201", "汝城县", "濠头乡"],
    ]
    assert rejects[["cell", "problem"]].values.tolist() == [
        ["B5", "village_unknown"],
        ["C6", "village_code_mismatch"],
        ["C7", "village_unknown"],
    ]
    assert "village '上和村' is not in the register; closest in the register: 上河村" in rejects["reason"].iloc[0]
    assert rejects["reason"].iloc[1].startswith("village code 431002100106 is 石冲村 in the register, not 塔水村")


def test_merged_township_cells_count_for_every_row(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx",
        [
            ["乡镇", "村", "姓名", "任职起始"],
            ["华塘镇", "塔水村", "曹海欧", "2021-01"],
            [None, "石冲村", "赵六", "2016-01"],
        ],
        merges=["A2:A3"],
    )
    assert read_roster(path)["township"].tolist() == ["华塘镇", "华塘镇"]


def test_gbk_csv_roster(tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes("村名,姓名,开始任职时间,离任时间\n上河村,张小雄,2017年4月,\n".encode("gbk"))
    spells = read_roster(path)
    assert spells[["village", "name"]].values.tolist() == [["上河村", "张小雄"]]
    assert spells["source"].tolist() == ["花名册.csv!!2"]


def test_an_unknown_column_is_named_and_left_out_not_a_reason_to_refuse_the_file(tmp_path, caplog):
    path = write_workbook(
        tmp_path / "roster.xlsx", [["村", "姓名", "任职起始", "爱好"], ["上河村", "张小雄", "2017-04", "钓鱼"]]
    )
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        spells = read_roster(path)
    assert spells[["village", "name"]].values.tolist() == [["上河村", "张小雄"]]
    assert "roster roster.xlsx!花名册: column(s) '爱好' (D1) not read" in caplog.text


def test_a_workbook_without_a_roster_header_is_an_error(tmp_path):
    path = write_workbook(tmp_path / "notes.xlsx", [["说明"], ["本表为空"]])
    with pytest.raises(RosterError, match=r"no sheet has a roster header .* \(file notes.xlsx\)"):
        read_roster(path)


def test_a_header_without_start_is_an_error(tmp_path):
    path = write_workbook(
        tmp_path / "roster.xlsx", [["县市区", "村", "姓名", "职务"], ["汝城县", "上河村", "张小雄", "书记"]]
    )
    with pytest.raises(RosterError, match=r"lacks column\(s\) start .*row 1"):
        read_roster(path)


def test_read_roster_then_tenure_end_to_end(chenzhou_roster):
    accounts = pd.DataFrame(
        {"village": ["上河村村委会", "上河村", "塔水村", "塔水村"], "year": [2016, 2017, 2020, 2021]}
    )
    result = tenure(accounts, read_roster(chenzhou_roster))
    assert result["secretary"].tolist() == ["李明", "张小雄", "王五", "曹海欧"]
    assert result["tenure_years"].tolist() == [5, 0, 6, 0]
    assert result["mentor"].tolist()[3] == "谭皓"
