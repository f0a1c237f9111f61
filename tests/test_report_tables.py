"""The report's tables: computed once, purely (nothing drawn, no file), frozen, the featured villages' trajectories in
them. A hand-built ledger of 汝城县 (上河村 from the seed article: 负债4.2万元 in 2017, 40余万元 in 2022)."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from villagecon.analysis.debt import trajectory
from villagecon.ingest.ledger import Ledger
from villagecon.report.featured import featured_stories
from villagecon.report.tables import ReportTables, compute_tables, trajectory_names

_PLACES = {"上河村": "431026100001", "大坪村": "431026100002", "热水村": "431026100003"}
_INCOMES = {  # (total_income, liabilities) by year
    "上河村": {2017: (3_800.0, 42_000.0), 2022: (400_000.0, 0.0)},
    "大坪村": {2017: (50_000.0, 0.0), 2022: (90_000.0, 0.0)},
    "热水村": {2017: (150_000.0, 0.0), 2022: (160_000.0, 0.0)},
}


def _ledger(file: str = "汝城县2022年村级台账.xlsx") -> Ledger:
    accounts = pd.DataFrame(
        [
            {
                "county": "汝城县",
                "township": "濠头乡",
                "village": village,
                "village_code": _PLACES[village],
                "year": year,
                "total_income": income,
                "operational_income": income,
                "liabilities": owed,
                "approx": village == "上河村" and year == 2022,
            }
            for village, years in _INCOMES.items()
            for year, (income, owed) in years.items()
        ]
    )
    entries = accounts.loc[:, ["county", "township", "village", "village_code", "year", "total_income"]].rename(
        columns={"total_income": "amount_yuan"}
    )
    entries = entries.assign(
        item="total_income",
        detail=None,
        kind="annual",
        approx=accounts["approx"],
        written=[("40余万元" if approx else None) for approx in accounts["approx"]],
        source=f"{file}!收益分配表!7",
        cell="C7",
    )
    empty = pd.DataFrame()
    rejects = pd.DataFrame(columns=["source", "cell", "column", "value", "problem", "reason"])
    return Ledger(
        entries=entries,
        accounts=accounts,
        rejects=rejects,
        subtotals=empty,
        rows=empty,
        duplicates=empty,
        files=pd.DataFrame({"file": [file]}),
    )


def _tables(ledger: Ledger | None = None, **options: object) -> ReportTables:
    return compute_tables(
        ledger or _ledger(),
        None,
        pd.DataFrame(),
        year=2022,
        measure="total_income",
        threshold=100_000,
        **options,  # type: ignore[arg-type]
    )


def test_compute_tables_draws_nothing():
    plt.close("all")
    tables = _tables()
    assert plt.get_fignums() == []
    assert tables.scope.level == "township" and tables.area_order == []  # one township: its villages
    assert tables.shares[["year", "n_villages", "n_above"]].values.tolist() == [[2017, 3, 1], [2022, 3, 2]]


def test_the_tables_are_built_once_and_cannot_be_changed_after():
    tables = _tables()
    with pytest.raises(dataclasses.FrozenInstanceError):
        tables.synthetic = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tables.featured[0].written = {}  # type: ignore[misc]


def test_synthetic_inputs_are_said_from_the_file_names():
    assert not _tables().synthetic
    assert _tables(_ledger("汝城县2022年村级台账（合成样例）.xlsx")).synthetic


def test_the_featured_village_carries_its_trajectory_and_its_amounts_as_written():
    tables = _tables()
    (story,) = tables.featured
    assert story.name == "上河村" and story.left_out == ""
    expected = trajectory(tables.accounts, "上河村", income="total_income")
    pd.testing.assert_frame_equal(story.path, expected)
    assert story.path[["year", "net_position", "in_net_debt"]].values.tolist() == [
        [2017, -38_200.0, True],
        [2022, 400_000.0, False],
    ]
    assert story.written == {(2022, "total_income"): "40余万元"}
    assert trajectory_names(tables) == ["trajectory"]


def test_several_chosen_villages_each_get_a_story_and_a_figure_name():
    tables = _tables(village=["431026100002", "汝城县/濠头乡/热水村"])
    assert [story.name for story in tables.featured] == ["大坪村", "热水村"]
    assert tables.featured[1].path["total_income"].tolist() == [150_000.0, 160_000.0]
    assert tables.featured[0].written == {}  # no approximate amount
    assert trajectory_names(tables) == ["trajectory", "trajectory_2"]


def test_a_story_left_out_has_the_reason_and_no_trajectory():
    # Two 上河村 in 宜章县, neither in the article's 汝城县濠头乡: which one is the article's cannot be told.
    accounts = pd.concat(
        [
            _ledger()
            .accounts.loc[lambda a: a["village"].eq("上河村")]
            .assign(county="宜章县", township=township, village_code=code)
            for township, code in (("梅田镇", "431022100001"), ("黄沙镇", "431022100002"))
        ],
        ignore_index=True,
    )
    (story,) = featured_stories(
        accounts, _ledger().entries, villages=None, turned=None, year=2022, measure="total_income"
    )
    assert story.left_out.startswith("'上河村' names 2 villages")
    assert story.rows.empty and story.path.empty
