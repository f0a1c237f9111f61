"""Rosters laid out the way county organisation departments keep them, each built from its real structure.

The standard 花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell), a 历任书记 list, a 换届 table with a
term split at the election, a roster with two header rows, section rows and a 填表说明 line merged across the
table, a whole 两委班子 roster, a GBK CSV export. Each reads to the right spells, and ``tenure`` on them gives
the true secretary and tenure of every village-year.
"""

from __future__ import annotations

import datetime as dt
import logging

import openpyxl
import pandas as pd

from villagecon.analysis.tenure import tenure
from villagecon.ingest.roster import read_roster, read_roster_tables, read_roster_with_rejects

import ledger_files as lf


def spells_of(spells):
    return [
        [
            row.village,
            row.name,
            None if pd.isna(row.role) else row.role,
            str(row.start.date()),
            None if pd.isna(row.end) else str(row.end.date()),
        ]
        for row in spells.itertuples()
    ]


def test_the_standard_huamingce_with_yijiantiao_xinren_lianren_and_a_term_in_one_cell(tmp_path):
    path = lf.workbook(
        tmp_path,
        "花名册.xlsx",
        [
            ["汝城县村党组织书记花名册"],
            ["填报单位：中共汝城县委组织部", None, None, None, None, None, None, None, None, "填报时间：2023年3月"],
            [
                "序号",
                "乡镇",
                "村（社区）",
                "姓名",
                "性别",
                "出生年月",
                "学历",
                '是否"一肩挑"',
                "新任/连任",
                "任职起止时间",
                "来源",
                "联系电话",
                "身份证号",
                "备注",
            ],
            [
                1,
                "濠头乡",
                "上河村",
                "张小雄",
                "男",
                "1982.05",
                "大专",
                "是",
                "连任",
                "2017.04-至今",
                "致富能手",
                13807350001,
                "431026198205010011",
                None,
            ],
            [
                2,
                "濠头乡",
                "林源村",
                "李明",
                "男",
                "1975.11",
                "高中",
                "否",
                "新任",
                "2021年1月至今",
                "外出务工返乡",
                13807350002,
                "431026197511020012",
                None,
            ],
            [
                3,
                "濠头乡",
                "石门村",
                "王芳",
                "女",
                "1990.02",
                "本科",
                "是",
                "新任",
                "2021.01—",
                "大学生村官",
                None,
                None,
                None,
            ],
            [
                4,
                "濠头乡",
                "大坪村",
                "赵六",
                "男",
                "1968.03",
                "初中",
                "否",
                "连任",
                "2011.01—2017.03",
                "选派干部",
                None,
                None,
                "已离任",
            ],
            ["填表人：刘", None, "审核人：陈", None, None, None, None, None, None, "联系电话：0735-8221234"],
        ],
    )
    spells, others, rejects = read_roster_tables(path)
    assert rejects.empty and others.empty
    assert spells_of(spells) == [
        ["上河村", "张小雄", "书记兼主任", "2017-04-01", None],
        ["大坪村", "赵六", "书记", "2011-01-01", "2017-03-31"],
        ["林源村", "李明", "书记", "2021-01-01", None],
        ["石门村", "王芳", "书记兼主任", "2021-01-01", None],
    ]
    assert spells.set_index("name")["background"].to_dict() == {
        "张小雄": "致富能手",
        "赵六": "其他",
        "李明": "其他",
        "王芳": "返乡大学生",
    }
    assert spells.set_index("name")["background_written"].to_dict() == {
        "张小雄": "致富能手",
        "赵六": "选派干部",
        "李明": "外出务工返乡",
        "王芳": "大学生村官",
    }
    assert spells.set_index("name")["term"].to_dict() == {
        "张小雄": "连任",
        "赵六": "连任",
        "李明": "新任",
        "王芳": "新任",
    }
    assert set(spells["township"]) == {"濠头乡"}


def test_a_term_split_at_the_election_is_one_spell_with_its_role_history(tmp_path):
    path = lf.workbook(
        tmp_path,
        "换届.xlsx",
        [
            ["乡镇", "村", "姓名", "职务", "任职时间", "离任时间"],
            ["华塘镇", "塔水村", "王五", "书记", "2014.03", "2020.12"],
            ["华塘镇", "塔水村", "曹海欧", "书记", "2020.12", "2021.01"],
            ["华塘镇", "塔水村", "曹海欧", "书记兼主任", "2021.01", None],
        ],
    )
    spells, rejects = read_roster_with_rejects(path)
    assert rejects.empty
    assert spells_of(spells) == [
        ["塔水村", "王五", "书记", "2014-03-01", "2020-12-31"],
        ["塔水村", "曹海欧", "书记兼主任", "2020-12-01", None],
    ]
    assert spells.set_index("name").at["曹海欧", "roles"] == "书记 from 2020-12-01; 书记兼主任 from 2021-01-01"
    accounts = pd.DataFrame({"village": "塔水村", "year": [2020, 2021, 2022]})
    served = tenure(accounts, spells)
    assert served["secretary"].tolist() == ["曹海欧", "曹海欧", "曹海欧"]
    assert served["tenure_years"].tolist() == [0, 1, 2]
    assert served["new_secretary"].tolist() == [True, False, False]
    assert served["one_shoulder"].tolist() == [False, True, True]


def test_two_header_rows_with_the_village_merged_over_both_and_the_term_over_start_and_end(tmp_path):
    path = lf.workbook(
        tmp_path,
        "两行表头.xlsx",
        [
            ["永兴县村（社区）党组织书记名册"],
            ["乡镇", "村", "姓名", "任职时间", None, "来源"],
            [None, None, None, "起", "止", None],
            ["马田镇", "石湖村", "钱八", "2016.05", "2021.01", "退役军人"],
            [None, "松溪村", "孙九", "2018.03", None, "致富能手"],
        ],
        merges=["A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "A4:A5"],
    )
    spells, rejects = read_roster_with_rejects(path)
    assert rejects.empty
    assert spells_of(spells) == [
        ["松溪村", "孙九", None, "2018-03-01", None],
        ["石湖村", "钱八", None, "2016-05-01", "2021-01-31"],
    ]
    assert set(spells["township"]) == {"马田镇"}


def test_section_rows_and_instructions_merged_across_the_table_are_no_spells(tmp_path):
    path = lf.workbook(
        tmp_path,
        "分乡镇.xlsx",
        [
            ["村党组织书记花名册"],
            ["填表说明：任职时间填写到月，在任的任职结束不填。"],
            ["村", "姓名", "任职起始", "任职结束"],
            ["一、濠头乡（共2个村）"],
            ["新村", "甲", "2017.04", None],
            ["上河村", "张小雄", "2017.04", None],
            ["二、土桥镇（共1个村）"],
            ["新村", "乙", "2018.06", None],
        ],
        merges=["A1:D1", "A2:D2", "A4:D4", "A7:D7"],
    )
    spells, rejects = read_roster_with_rejects(path)
    assert rejects.empty
    assert sorted(spells[["township", "village", "name"]].values.tolist()) == [
        ["土桥镇", "新村", "乙"],
        ["濠头乡", "上河村", "张小雄"],
        ["濠头乡", "新村", "甲"],
    ]


def test_a_whole_liangwei_roster_gives_the_secretary_and_keeps_the_other_posts_apart(tmp_path):
    path = lf.workbook(
        tmp_path,
        "两委班子.xlsx",
        [
            ["乡镇", "村", "姓名", "职务", "任现职时间"],
            ["濠头乡", "上河村", "张小雄", "党总支书记、村委会主任", "2017.04"],
            ["濠头乡", "上河村", "周七", "驻村第一书记", "2021.06"],
            ["濠头乡", "上河村", "吴八", "副书记", "2021.01"],
            ["濠头乡", "上河村", "郑九", "委员", "2021.01"],
            ["濠头乡", "林源村", "李明", "党支部书记", "2021.01"],
            ["濠头乡", "林源村", "冯十", "村委会主任", "2021.01"],
        ],
    )
    spells, others, rejects = read_roster_tables(path)
    assert rejects.empty
    assert spells_of(spells) == [
        ["上河村", "张小雄", "书记兼主任", "2017-04-01", None],
        ["林源村", "李明", "书记", "2021-01-01", None],
    ]
    assert others[["village", "name", "role"]].values.tolist() == [
        ["上河村", "周七", "驻村第一书记"],
        ["上河村", "吴八", "副书记"],
        ["上河村", "郑九", "委员"],
        ["林源村", "冯十", "村委会主任"],
    ]


def test_a_gbk_csv_export_with_dotted_months_reads_its_2017_1_as_october(tmp_path):
    path = tmp_path / "花名册导出.csv"
    path.write_bytes(
        ("乡镇,村,姓名,任职起始,任职结束\n濠头乡,上河村,李明,2011.04,2017.1\n濠头乡,上河村,张小雄,2017.11,\n").encode(
            "gbk"
        )
    )
    spells = read_roster(path)
    assert spells_of(spells) == [
        ["上河村", "李明", None, "2011-04-01", "2017-10-31"],
        ["上河村", "张小雄", None, "2017-11-01", None],
    ]


def test_a_lone_2017_1_written_as_text_is_as_ambiguous_as_the_number(tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes("村,姓名,任职起始\n上河村,张小雄,2017.1\n塔水村,曹海欧,2021.3\n".encode("gbk"))
    spells, rejects = read_roster_with_rejects(path)
    assert spells["name"].tolist() == ["曹海欧"]
    assert rejects[["cell", "problem"]].values.tolist() == [["C2", "date"]]
    assert "may be 2017年1月 or 2017年10月" in rejects.at[0, "reason"]


def test_rows_that_all_fail_and_merges_outside_the_table_give_rejects_not_crashes(tmp_path, caplog):
    path = lf.workbook(
        tmp_path,
        "坏.xlsx",
        [
            ["村", "姓名", "任职起始", None, None],
            ["上河村", "张小雄", "去年", None, None],
            ["塔水村", None, "2021.01", None, None],
            [None, None, None, None, None],
        ],
        merges=["A6:C7", "E1:E3"],
    )
    spells, rejects = read_roster_with_rejects(path)
    assert spells.empty
    assert rejects[["cell", "problem"]].values.tolist() == [["C2", "date"], ["B3", "missing_name"]]
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        assert read_roster(path, errors="coerce").empty


def test_tenure_on_an_office_roster_gives_the_true_secretary_of_every_village_year(tmp_path):
    path = lf.workbook(
        tmp_path,
        "历任书记.xlsx",
        [
            ["濠头乡上河村历任党支部书记名录"],
            ["姓名", "村", "职务", "任职起止时间", "来源"],
            ["李明", "上河村", "党支部书记", "2011.01—2017.03", "其他"],
            ["张小雄", "上河村", "党支部书记", "2017.04—2021.01", "养殖大户"],
            ["张小雄", "上河村", "书记兼主任", "2021.01—至今", "养殖大户"],
        ],
    )
    spells = read_roster(path)
    accounts = pd.DataFrame({"village": "上河村", "year": range(2016, 2024)})
    served = tenure(accounts, spells)
    assert served["secretary"].tolist() == ["李明", *["张小雄"] * 7]
    assert served["tenure_years"].tolist() == [5, 0, 1, 2, 3, 4, 5, 6]
    assert served["one_shoulder"].tolist() == [False, False, False, False, False, True, True, True]
    assert served["background"].tolist() == ["其他", *["致富能手"] * 7]
    assert dt.date(2017, 4, 1) == served["secretary_start"].iloc[1].date()


def test_a_lianren_secretary_whose_earlier_term_is_not_listed_has_a_tenure_that_is_a_lower_bound(tmp_path):
    path = lf.workbook(
        tmp_path,
        "花名册.xlsx",
        [
            ["村", "姓名", "新任/连任", "任现职时间"],
            ["上河村", "张小雄", "连任", "2021.01"],
            ["林源村", "李明", "新任", "2021.01"],
        ],
    )
    spells = read_roster(path)
    assert spells.set_index("name")["began_before"].to_dict() == {"张小雄": True, "李明": False}
    served = tenure(pd.DataFrame({"village": ["上河村", "林源村"], "year": 2021}), spells)
    assert served["tenure_years"].tolist() == [0, 0]
    assert served["tenure_at_least"].tolist() == [True, False]
    assert served["new_secretary"].tolist() == [False, True]


def test_the_same_spell_on_two_sheets_is_one_spell_and_a_shorter_copy_never_shortens_it(tmp_path):
    book = openpyxl.Workbook()
    header = ["乡镇", "村", "姓名", "职务", "任职起止时间"]
    sheets = {
        "花名册": [
            ["濠头乡", "上河村", "张三", "书记", "2017.04-至今"],
            ["濠头乡", "林源村", "李四", "书记", "2011.01—2020.12"],
        ],
        "历任书记": [
            ["濠头乡", "上河村", "张三", "书记", "2017.04-至今"],
            ["濠头乡", "林源村", "李四", "书记", "2011.01—2013.12"],
        ],
    }
    for number, (title, rows) in enumerate(sheets.items()):
        page = book.active if number == 0 else book.create_sheet()
        page.title = title
        for row in [header, *rows]:
            page.append(row)
    book.save(tmp_path / "两张表.xlsx")
    spells, rejects = read_roster_with_rejects(tmp_path / "两张表.xlsx")
    assert rejects.empty
    assert spells_of(spells) == [
        ["上河村", "张三", "书记", "2017-04-01", None],
        ["林源村", "李四", "书记", "2011-01-01", "2020-12-31"],
    ]
    assert spells["roles"].isna().all()


def test_a_role_history_names_changes_only_and_a_lianren_row_with_its_own_start_is_no_lower_bound(tmp_path):
    path = lf.workbook(
        tmp_path,
        "历任.xlsx",
        [
            ["村", "姓名", "职务", "新任/连任", "任职起止时间"],
            ["何家坊村", "朱刚", "党总支书记", None, "2007.10—2013.12"],
            ["何家坊村", "朱刚", "党总支书记、村委会主任", None, "2014.01—2020.12"],
            ["何家坊村", "朱刚", "党总支书记、村委会主任", "连任", "2021.01-至今"],
            ["上河村", "张三", "书记", "连任", "2017.04-至今"],
        ],
    )
    spells = read_roster(path).set_index("name")
    assert spells.at["朱刚", "roles"] == "书记 from 2007-10-01; 书记兼主任 from 2014-01-01"
    assert str(spells.at["朱刚", "start"].date()) == "2007-10-01" and pd.isna(spells.at["朱刚", "end"])
    assert spells["began_before"].to_dict() == {"张三": False, "朱刚": False}
