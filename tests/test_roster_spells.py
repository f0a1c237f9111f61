"""villagecon.ingest.roster_spells: a roster's rows placed in the register's villages, one person's rows joined
into one spell, and two spells of one village at the same time refused.

The spells are built by hand the way the roster reader hands them over: one row per roster row, each date known
to a month (the first and last day it can be), the column letters and headers of its sheet for messages.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest

from villagecon.ingest.ledger_columns import REJECT_COLUMNS
from villagecon.ingest.register import read_register
from villagecon.ingest.roster_spells import (
    SAME_SPELL_GAP_DAYS,
    join_spells_of_one_person,
    place_spells,
    refuse_overlaps,
)

import ledger_files as lf

# The roster's sheet: 县 | 乡镇 | 村 | 姓名 | 职务 | 任职起始时间 | 任职结束时间 | 村代码
LETTERS = {"county": "A", "township": "B", "village": "C", "name": "D", "role": "E", "start": "F", "end": "G"}
HEADERS = {"county": "县", "township": "乡镇", "village": "村", "name": "姓名", "role": "职务", "start": "任职起始时间"}
HEADERS |= {"end": "任职结束时间", "village_code": "村代码"}
LETTERS |= {"village_code": "H"}


def first_day(month: str) -> dt.date:
    year, number = map(int, month.split("-"))
    return dt.date(year, number, 1)


def last_day(month: str) -> dt.date:
    year, number = map(int, month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def spell(
    row: int,
    name: str,
    start: str,
    end: str | None = None,
    *,
    village: str | None = "上河村",
    township: str | None = "濠头乡",
    county: str | None = "汝城县",
    code: str | None = None,
    role: str = "书记",
    term: str | None = None,
    **exact,
) -> dict:
    """Roster row ``row``: ``name`` in office from the month ``start`` (``"2017-04"``) to ``end`` (None: now)."""
    return {
        "county": county,
        "township": township,
        "village": village,
        "village_code": code,
        "name": name,
        "role": role,
        "one_shoulder": None,
        "background": None,
        "term": term,
        "mentor": None,
        "training_days": None,
        "honours": None,
        "background_written": None,
        "start_first": first_day(start),
        "start_last": last_day(start),
        "end_first": first_day(end) if end else None,
        "end_last": last_day(end) if end else None,
        "source": f"书记名册.xlsx!书记!{row}",
        "_letters": LETTERS,
        "_headers": HEADERS,
        "_row": row,
        "start": first_day(start),
        "end": last_day(end) if end else None,
        **exact,
    }


def spells(*rows: dict) -> pd.DataFrame:
    # Object columns, None where empty, as the roster reader makes them.
    return pd.DataFrame(list(rows), dtype=object).astype({"_row": "int64"})


def placed(*rows: dict) -> pd.DataFrame:
    """Spells with their village identity (``_key``), as join_spells_of_one_person and refuse_overlaps take them."""
    found, rejects = place_spells(spells(*rows), None)
    assert rejects.empty
    return found


@pytest.fixture
def register(tmp_path) -> pd.DataFrame:
    return read_register(lf.register(tmp_path))


# --- placing spells -------------------------------------------------------------------------------------


def test_without_a_register_a_village_is_its_code_or_its_written_place():
    found, rejects = place_spells(
        spells(
            spell(3, "李建国", "2017-04", village="上河村村委会"),
            spell(4, "王芳", "2017-04", village="大坪村", code="431026100002"),
            spell(5, "赵六", "2018-01", village="石门　村", township="土桥镇"),
        ),
        None,
    )
    assert found["village"].tolist() == ["上河村", "大坪村", "石门村"]
    assert found["_key"].tolist() == ["name:汝城县|濠头乡|上河村", "code:431026100002", "name:汝城县|土桥镇|石门村"]
    assert rejects.empty and list(rejects.columns) == list(REJECT_COLUMNS)


def test_a_name_missing_as_nan_is_missing_not_the_village_nan(register):
    # A roster frame read from a CSV holds NaN where the 村名 cell is empty; the 区划代码 places the spell.
    rows = spells(
        spell(3, "吴十", "2019-01", village=None, township=None, county=None, code="431026101001"),
        spell(4, "郑七", "2019-01", village=None, township="土桥镇", county=None, code=None),
    )
    rows["village"] = pd.Series([float("nan"), float("nan")], dtype=object)
    found, rejects = place_spells(rows, None)
    assert found["village"].isna().all()
    assert found["_key"].tolist() == ["code:431026101001", "name:|土桥镇|"]
    found, rejects = place_spells(rows.iloc[:1], register)
    assert rejects.empty
    assert found[["township", "village", "village_code"]].values.tolist() == [["土桥镇", "龙虎村", "431026101001"]]


def test_the_register_gives_names_and_codes_their_place(register):
    found, rejects = place_spells(
        spells(
            spell(3, "李建国", "2017-04", village="上河村村委会"),  # an alias in the register
            spell(4, "王芳", "2017-04", village="大坪村", code="431026100002"),
            spell(5, "吴十", "2019-01", village=None, township=None, county=None, code="431026101001"),
            spell(6, "周九", "2019-01", village="新村", township="土桥镇", county=None),
        ),
        register,
    )
    assert rejects.empty
    assert found[["county", "township", "village", "village_code", "name"]].values.tolist() == [
        ["汝城县", "濠头乡", "上河村", "431026100001", "李建国"],
        ["汝城县", "濠头乡", "大坪村", "431026100002", "王芳"],
        ["汝城县", "土桥镇", "龙虎村", "431026101001", "吴十"],
        ["汝城县", "土桥镇", "新村", "431026101003", "周九"],
    ]
    assert found["_key"].tolist() == [f"code:{code}" for code in found["village_code"]]


def test_villages_the_register_cannot_place_are_rejects_naming_the_cell(register):
    found, rejects = place_spells(
        spells(
            spell(3, "李建国", "2017-04"),
            spell(5, "赵六", "2018-01", village="石门村", code="431026199999"),
            spell(6, "钱七", "2018-01", village="上河村", code="431026100002"),
            spell(7, "孙八", "2018-01", village="下坪村"),
            spell(8, "周九", "2018-01", village="新村", township=None, county=None),
        ),
        register,
    )
    assert found["name"].tolist() == ["李建国"]
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    assert rejects[["source", "cell", "column", "value", "problem"]].values.tolist() == [
        ["书记名册.xlsx!书记!5", "H5", "村代码", "431026199999", "village_unknown"],
        ["书记名册.xlsx!书记!6", "H6", "村代码", "431026100002", "village_code_mismatch"],
        ["书记名册.xlsx!书记!7", "C7", "村", "下坪村", "village_unknown"],
        ["书记名册.xlsx!书记!8", "C8", "村", "新村", "village_ambiguous"],
    ]
    assert rejects["reason"].tolist() == [
        "village code 431026199999 is not in the register: correct the code, or add the village to the register",
        "village code 431026100002 is 大坪村 in the register, not 上河村: correct the code or the name",
        "village '下坪村' is not in the register; closest in the register: 大坪村. Correct the name, or add it "
        "(or an alias) to the register",
        "'新村' is in the register more than once (汝城县土桥镇、宜章县梅田镇): "
        "add the township (乡镇) to the ledger row",
    ]


def test_a_roster_without_a_village_column_names_the_code_column(register):
    letters = {key: letter for key, letter in LETTERS.items() if key != "village"}
    _, rejects = place_spells(spells(spell(4, "王芳", "2017-04", village=None, code="1", _letters=letters)), register)
    assert rejects[["cell", "column", "problem"]].values.tolist() == [["H4", "村代码", "village_unknown"]]


def test_no_spells_are_no_rejects(register):
    found, rejects = place_spells(spells(spell(3, "李建国", "2017-04")).iloc[:0], register)
    assert found.empty and "_key" in found and rejects.empty


# --- one person's rows -----------------------------------------------------------------------------------


def test_a_term_split_at_an_election_is_one_spell_with_its_roles():
    joined = join_spells_of_one_person(
        placed(
            spell(3, "李建国", "2017-04", "2021-01", term="新任"),
            spell(4, "李建国", "2021-01", role="书记兼主任", term="连任", background="致富能手"),
            spell(5, "王芳", "2017-04", village="大坪村"),
        )
    )
    assert joined["_row"].tolist() == [3, 5]
    shanghe = joined.iloc[0]
    assert (shanghe["start"], shanghe["end"], shanghe["end_last"]) == (dt.date(2017, 4, 1), None, None)
    assert shanghe["role"] == "书记兼主任" and shanghe["background"] == "致富能手"
    assert shanghe["roles"] == "书记 from 2017-04-01; 书记兼主任 from 2021-01-01"
    assert joined.iloc[1]["roles"] is None


def test_rows_at_most_the_gap_apart_are_one_spell_and_further_apart_two():
    assert SAME_SPELL_GAP_DAYS == 90
    joined = join_spells_of_one_person(
        placed(
            spell(3, "李建国", "2014-01", "2016-12"),  # to 2016-12-31
            spell(4, "李建国", "2017-03", "2020-12", start_first=dt.date(2017, 3, 31)),  # 90 days on: the same spell
            spell(5, "李建国", "2021-04"),  # 2021-04-01 is 91 days after 2020-12-31: a new spell
        )
    )
    assert joined[["_row", "start", "end"]].values.tolist() == [
        [3, dt.date(2014, 1, 1), dt.date(2020, 12, 31)],
        [5, dt.date(2021, 4, 1), None],
    ]


def test_the_same_name_in_another_village_is_another_spell():
    joined = join_spells_of_one_person(
        placed(spell(3, "李建国", "2017-04", "2020-12"), spell(4, "李建国", "2021-01", village="大坪村"))
    )
    assert joined["_row"].tolist() == [3, 4] and joined["roles"].isna().all()


def test_a_continuing_term_from_an_election_began_before_it():
    joined = join_spells_of_one_person(
        placed(
            spell(3, "王芳", "2021-01", village="大坪村", term="新任"),  # the 换届 of 2021-01
            spell(4, "李建国", "2021-01", term="连任"),  # re-elected then: in office since earlier
            spell(5, "赵六", "2018-01", village="石门村", term="连任"),  # no election starts then
        )
    )
    assert joined[["name", "began_before"]].values.tolist() == [["王芳", False], ["李建国", True], ["赵六", False]]


# --- spells at the same time -------------------------------------------------------------------------------


def test_spells_of_one_village_at_the_same_time_are_both_refused_naming_each_other():
    kept, rejects = refuse_overlaps(
        placed(
            spell(3, "李明", "2011-01", "2017-06"),
            spell(4, "张小雄", "2017-04"),
            spell(5, "曹海欧", "2021-01", village="塔水村"),
        )
    )
    assert kept["name"].tolist() == ["曹海欧"]
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    rejects = rejects.sort_values("cell")
    assert rejects[["source", "cell", "column", "value", "problem"]].values.tolist() == [
        ["书记名册.xlsx!书记!3", "F3", "任职起始时间", "2011-01-01", "overlap"],
        ["书记名册.xlsx!书记!4", "F4", "任职起始时间", "2017-04-01", "overlap"],
    ]
    assert rejects["reason"].tolist() == [
        "李明's spell (2011-01-01 to 2017-06-30) overlaps row 4 (张小雄, from 2017-04-01) in the same village: "
        "correct 任职起始/任职结束 so that one spell ends before the next starts; neither was kept",
        "张小雄's spell (2017-04-01 to now) overlaps row 3 (李明, from 2011-01-01) in the same village: "
        "correct 任职起始/任职结束 so that one spell ends before the next starts; neither was kept",
    ]


def test_a_spell_overlapping_two_names_both_in_row_order():
    _, rejects = refuse_overlaps(
        placed(
            spell(3, "李明", "2011-01", "2017-06"),
            spell(4, "张小雄", "2017-04"),
            spell(6, "王五", "2016-01", "2016-12"),
        )
    )
    li_ming = rejects.loc[rejects["source"].eq("书记名册.xlsx!书记!3"), "reason"].item()
    assert "overlaps row 4 (张小雄, from 2017-04-01), row 6 (王五, from 2016-01-01) in the same village" in li_ming
    assert sorted(rejects["cell"]) == ["F3", "F4", "F6"]


def test_a_handover_within_the_month_is_not_an_overlap():
    # 李明 left some day in April 2017, 张小雄 came some day that April: they need not have overlapped.
    kept, rejects = refuse_overlaps(placed(spell(3, "李明", "2011-01", "2017-04"), spell(4, "张小雄", "2017-04")))
    assert kept["name"].tolist() == ["李明", "张小雄"] and rejects.empty
    # A month later they certainly did.
    _, rejects = refuse_overlaps(placed(spell(3, "李明", "2011-01", "2017-05"), spell(4, "张小雄", "2017-04")))
    assert sorted(rejects["cell"]) == ["F3", "F4"]
