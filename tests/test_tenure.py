"""The village-year panel of secretary tenure (analysis/tenure.py): who was in office on 31 December, since when,
counted by spell."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from villagecon.analysis.tenure import TENURE_COLUMNS, tenure
from villagecon.errors import UsageError


def roster_frame(*spells):
    """Spells as read_roster returns them: (village, name, role, start, end, background, mentor)."""
    frame = pd.DataFrame(spells, columns=["village", "name", "role", "start", "end", "background", "mentor"])
    return frame.assign(start=pd.to_datetime(frame["start"]), end=pd.to_datetime(frame["end"]))


def test_tenure_counts_completed_years_at_31_december():
    roster = roster_frame(
        ("上河村", "李明", "书记", "2011-01-01", "2017-03-31", "其他", None),
        ("上河村", "张小雄", "书记", "2017-04-01", None, "致富能手", None),
        ("塔水村", "曹海欧", "书记兼主任", "2021-01-01", None, "经商返乡人员", "谭皓"),
    )
    accounts = pd.DataFrame(
        {
            "village": ["上河村", "上河村", "上河村", "上河村", "塔水村"],
            "year": [2016, 2017, 2018, 2022, 2021],
            "total_income": [1.0, 2.0, 3.0, 4.0, 5.0],
        },
        index=[10, 11, 12, 13, 14],
    )
    before = accounts.copy()

    result = tenure(accounts, roster)

    pd.testing.assert_frame_equal(accounts, before)  # the input is not changed
    assert list(result.columns) == ["village", "year", "total_income", *TENURE_COLUMNS]
    assert result.index.tolist() == [10, 11, 12, 13, 14]
    assert result["secretary"].tolist() == ["李明", "张小雄", "张小雄", "张小雄", "曹海欧"]
    assert result["tenure_years"].tolist() == [5, 0, 1, 5, 0]
    assert result["new_secretary"].tolist() == [False, True, False, False, True]
    assert result["one_shoulder"].tolist() == [False, False, False, False, True]
    assert result["secretary_start"].tolist() == [pd.Timestamp("2011-01-01")] + [pd.Timestamp("2017-04-01")] * 3 + [
        pd.Timestamp("2021-01-01")
    ]
    assert result["background"].tolist() == ["其他", "致富能手", "致富能手", "致富能手", "经商返乡人员"]
    assert result["mentor"].isna().tolist() == [True, True, True, True, False]
    assert result["tenure_years"].dtype == "Int64" and result["new_secretary"].dtype == "boolean"


def test_tenure_takes_the_later_secretary_after_a_december_handover():
    roster = roster_frame(
        ("上河村", "李明", "书记", "2011-01-01", "2020-12-31", "其他", None),
        ("上河村", "张小雄", "书记", "2020-12-01", None, "其他", None),
    )
    result = tenure(pd.DataFrame({"village": ["上河村"], "year": [2020]}), roster)
    assert result["secretary"].tolist() == ["张小雄"]
    assert result["new_secretary"].tolist() == [True]


def test_tenure_leaves_years_without_a_secretary_missing_and_counts_them(caplog):
    roster = roster_frame(
        ("上河村", "李明", None, "2011-01-01", "2018-06-30", "其他", None),
        ("上河村", "张小雄", "书记", "2019-03-01", None, "其他", None),
    )
    accounts = pd.DataFrame({"village": ["上河村"] * 3 + ["无名村"], "year": [2017, 2018, 2019, 2019]})
    with caplog.at_level(logging.WARNING, logger="villagecon"):
        result = tenure(accounts, roster)
    assert result["secretary"].isna().tolist() == [False, True, False, True]
    assert result["tenure_years"].tolist() == [6, pd.NA, 0, pd.NA]
    assert result["one_shoulder"].tolist() == [pd.NA, pd.NA, False, pd.NA]  # the roster gives no role
    assert "tenure: 2 of 4 village-years have no secretary in office on 31 December" in caplog.text


def test_tenure_joins_by_code_so_that_namesakes_stay_apart():
    roster = roster_frame(
        ("新村", "甲", "书记", "2015-01-01", None, "其他", None),
        ("新村", "乙", "书记", "2019-01-01", None, "其他", None),
    )
    roster["village_code"] = ["431026100001", "431002100001"]
    accounts = pd.DataFrame(
        {
            "village": ["新村", "新村"],
            "village_code": ["431002100001", "431026100001"],
            "county": ["北湖区", "汝城县"],
            "year": [2020, 2020],
        }
    )
    assert tenure(accounts, roster)["secretary"].tolist() == ["乙", "甲"]

    by_name = roster.drop(columns="village_code").assign(county=["汝城县", "北湖区"])
    with pytest.raises(UsageError, match="village names repeat"):
        tenure(accounts.drop(columns=["village_code", "county"]), by_name)
    # With the county in both tables the name is enough again.
    assert tenure(accounts.drop(columns="village_code"), by_name)["secretary"].tolist() == ["乙", "甲"]


def test_tenure_refuses_accounts_that_already_have_tenure():
    roster = roster_frame(("上河村", "张小雄", "书记", "2017-04-01", None, "其他", None))
    once = tenure(pd.DataFrame({"village": ["上河村"], "year": [2018]}), roster)
    with pytest.raises(UsageError, match="already has column"):
        tenure(once, roster)


def test_tenure_counts_one_persons_spell_across_role_changes_and_split_rows():
    """书记 until 2020-12, 书记兼主任 from 2021-03 after the 换届 (a gap of 73 days), as rosters write it: one spell,
    no new secretary; a new person is one; a row 120 days after the last one starts a new spell."""
    accounts = pd.DataFrame(
        {"village": ["石村"] * 6 + ["田村"] * 3, "year": [2018, 2019, 2020, 2021, 2022, 2023, 2021, 2022, 2023]}
    )
    roster = pd.DataFrame(
        {
            "village": ["石村", "石村", "石村", "田村", "田村"],
            "name": ["李明", "李明", "王强", "赵红", "赵红"],
            "role": ["书记", "书记兼主任", "书记", "书记", "书记"],
            "start": pd.to_datetime(["2017-04-01", "2021-03-15", "2023-06-01", "2020-01-01", "2022-06-01"]),
            "end": pd.to_datetime(["2020-12-31", "2023-05-31", None, "2022-01-31", None]),
            "background": ["其他", "其他", "退役军人", "其他", "其他"],
            "mentor": [None] * 5,
        }
    )
    result = tenure(accounts, roster)
    shi = result.loc[result["village"].eq("石村")]
    assert shi["tenure_years"].tolist() == [1, 2, 3, 4, 5, 0]
    assert shi["new_secretary"].tolist() == [False, False, False, False, False, True]
    assert shi["one_shoulder"].tolist() == [False, False, False, True, True, False]  # the role of the year's row
    assert shi["secretary_start"].dt.year.tolist() == [2017] * 5 + [2023]
    tian = result.loc[result["village"].eq("田村")]
    # 赵红 left in 2022-01 and came back 121 days later with nobody in between: a new spell, not a new person.
    assert tian["tenure_years"].tolist() == [1, 0, 1]
    assert tian["new_secretary"].tolist() == [False, False, False]
    # With a longer gap allowed it is one spell.
    assert tenure(accounts, roster, same_spell_gap_days=150).loc[
        lambda d: d["village"].eq("田村"), "tenure_years"
    ].tolist() == [1, 2, 3]
