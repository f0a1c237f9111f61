"""villagecon.ingest.ledger_totals: 小计/合计 rows and columns, summaries and written totals checked against what
they sum — compared where every part is there and readable, a mismatch rejected, never silently kept or dropped.

Each test types a small sheet as an office would, and hands its cells to the functions under test the way
read_ledger does (read_sheet, then parse_cells; match_cell_villages and resolve_repeats for the entries).
"""

from __future__ import annotations

import pandas as pd

from villagecon.ingest.ledger_columns import REJECT_COLUMNS, SUBTOTAL_COLUMNS
from villagecon.ingest.ledger_reading import match_cell_villages, parse_cells
from villagecon.ingest.ledger_repeats import resolve_repeats
from villagecon.ingest.ledger_totals import (
    RECONCILE_TOLERANCE,
    TOTAL_ENTRY_COLUMNS,
    mismatched_totals,
    reconcile_subtotals,
    reconcile_summaries,
    reconcile_totals,
    total_mismatches,
)
from villagecon.ingest.raw_sheet import RawSheet
from villagecon.ingest.sheet import read_sheet
from villagecon.vocab.periods import ACTUAL_KINDS


def sheet_of(rows: list[list], *, file: str = "濠头乡2022.xlsx", sheet: str = "2022年") -> RawSheet:
    """A RawSheet of ``rows`` as typed, row 1 first; None is an empty cell."""
    width = max(len(row) for row in rows)
    grid = pd.DataFrame(
        [["" if value is None else value for value in row] + [""] * (width - len(row)) for row in rows],
        index=range(1, len(rows) + 1),
        dtype=object,
    )
    return RawSheet(file=file, sheet=sheet, grid=grid)


def read(*sheets: RawSheet) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The parsed cells of ``sheets`` and what their subtotals cover, as read_ledger makes them."""
    cells, coverage = [], []
    for order, sheet in enumerate(sheets):
        reading = read_sheet(sheet)
        where = {"file": sheet.file, "sheet": sheet.sheet}
        cells.append(reading.cells.assign(**where, file_order=0, sheet_order=order))
        coverage.append(reading.coverage.assign(**where))
    return parse_cells(pd.concat(cells, ignore_index=True)), pd.concat(coverage, ignore_index=True)


def entries_of(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entries, the year's data cells) as read_ledger hands them to reconcile_totals."""
    data = match_cell_villages(cells.loc[cells["row_kind"].eq("data")], None)
    actual = data["kind"].isin(ACTUAL_KINDS)
    entries, _, _ = resolve_repeats(data.loc[actual & data["problem"].isna()])
    return entries, data.loc[actual]


def checked(rows: list[list], **where) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(entries before, entries after, rejects) of reconcile_totals on one sheet."""
    entries, data = entries_of(read(sheet_of(rows, **where))[0])
    kept, rejects = reconcile_totals(entries, data)
    return entries, kept, rejects


# --- 小计 and 合计 rows ------------------------------------------------------------------------------------


def test_a_total_row_is_checked_item_by_item_against_the_rows_it_covers():
    cells, coverage = read(
        sheet_of(
            [
                ["汝城县濠头乡2022年村级集体经济收入统计表"],
                ["单位：万元"],
                ["村名", "经营收入", "补助收入", "本年收入合计"],
                ["上河村", 20, 5, 25],
                ["大坪村", 5.5, "4", 9.5],
                ["合计", 25.5, 9.5, 35],
            ]
        )
    )
    subtotals, rejects = reconcile_subtotals(cells, coverage)
    assert list(subtotals.columns) == list(SUBTOTAL_COLUMNS)
    assert subtotals[["cell", "item", "amount_yuan", "parts", "parts_sum", "difference", "status"]].values.tolist() == [
        ["B6", "operating_income", 255_000.0, 2, 255_000.0, 0.0, "ok"],
        ["C6", "subsidy_income", 95_000.0, 2, 90_000.0, 5_000.0, "mismatch"],
        ["D6", "total_income", 350_000.0, 2, 345_000.0, 5_000.0, "mismatch"],
    ]
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    assert rejects[["source", "cell", "column", "value", "problem"]].values.tolist() == [
        ["濠头乡2022.xlsx!2022年!6", "C6", "补助收入", "9.5", "subtotal_mismatch"],
        ["濠头乡2022.xlsx!2022年!6", "D6", "本年收入合计", "35", "subtotal_mismatch"],
    ]
    assert rejects["reason"].iloc[0] == (
        "this subtotal is 95,000.00 元 but the 2 rows it covers add up to 90,000.00 元 (difference 5,000.00 元): "
        "the rows were kept; check them or correct the subtotal"
    )


def test_a_subtotal_is_checked_only_where_every_part_was_read_exactly():
    cells, coverage = read(
        sheet_of(
            [
                ["2022年收入表"],
                ["单位：元"],
                ["村名", "经营收入", "补助收入", "其他收入", "投资收益", "发包及上交收入"],
                ["上河村", 100, "abc", 100, "40余万元", 100],
                ["大坪村", 200, 5, 200, 5, 200],
                ["合计", 301, 5, "约", 5, 301.5],
            ]
        )
    )
    subtotals, rejects = reconcile_subtotals(cells, coverage)
    assert RECONCILE_TOLERANCE == 1.0
    assert dict(zip(subtotals["item"], subtotals["status"], strict=True)) == {
        "operating_income": "ok",  # 301 against 300: a yuan of rounding
        "subsidy_income": "unchecked",  # a part unreadable
        "other_income": "unchecked",  # the subtotal itself unreadable
        "investment_income": "unchecked",  # a part approximate (40余万元)
        "contract_income": "mismatch",  # 301.5 against 300
    }
    # The unreadable subtotal is a reject of its own, as read; the mismatch says by how much.
    assert rejects[["cell", "value", "problem"]].values.tolist() == [
        ["F6", "301.5", "subtotal_mismatch"],
        ["D6", "约", "amount"],
    ]
    assert "(difference 1.50 元)" in rejects["reason"].iloc[0]


def test_a_total_naming_no_item_sums_its_column():
    cells, coverage = read(
        sheet_of(
            [
                ["上河村2022年村集体收入明细"],
                ["单位：元"],
                ["村名", "科目", "金额"],
                ["上河村", "经营收入", 60_000],
                ["上河村", "补助收入", 40_000],
                ["合计", None, 100_500],
            ],
            sheet="明细",
        )
    )
    subtotals, rejects = reconcile_subtotals(cells, coverage)
    assert subtotals[["cell", "parts", "parts_sum", "status"]].values.tolist() == [["C6", 2, 100_000.0, "mismatch"]]
    assert subtotals["item"].isna().all()
    assert rejects["reason"].tolist() == [
        "this subtotal is 100,500.00 元 but the 2 rows it covers add up to 100,000.00 元 (difference 500.00 元): "
        "the rows were kept; check them or correct the subtotal"
    ]


def test_a_subtotal_column_is_checked_against_its_own_row():
    cells, coverage = read(
        sheet_of(
            [
                ["2022年各村收入情况"],
                ["单位：万元"],
                ["项目", "上河村", "大坪村", "合计"],
                ["经营收入", 20, 5, 25],
                ["补助收入", 3, 4, 8],
            ],
            sheet="濠头乡",
        )
    )
    subtotals, rejects = reconcile_subtotals(cells, coverage)
    assert subtotals[["cell", "parts", "parts_sum", "status"]].values.tolist() == [
        ["D4", 2, 250_000.0, "ok"],
        ["D5", 2, 70_000.0, "mismatch"],
    ]
    assert rejects["cell"].tolist() == ["D5"]


def test_a_sheet_without_subtotals_has_none_to_check():
    cells, coverage = read(sheet_of([["2022年收入表"], ["单位：元"], ["村名", "经营收入"], ["上河村", 100]]))
    subtotals, rejects = reconcile_subtotals(cells, coverage)
    assert subtotals.empty and list(subtotals.columns) == list(SUBTOTAL_COLUMNS)
    assert rejects.empty and list(rejects.columns) == list(REJECT_COLUMNS)


# --- a township's figures against its villages' ------------------------------------------------------------


VILLAGES = [
    ["汝城县濠头乡2022年村级集体经济收入统计表"],
    ["单位：万元"],
    ["村名", "经营收入", "补助收入"],
    ["上河村", 20, 5],
    ["大坪村", 5.5, 4],
]


def summaries_of(*sheets: RawSheet) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells, _ = read(*sheets)
    entries, _ = entries_of(cells)
    return reconcile_summaries(cells, entries, None)


def test_a_townships_row_in_the_county_summary_is_checked_against_its_villages_in_another_file():
    county = sheet_of(
        [
            ["汝城县2022年村级集体经济收入汇总表"],
            ["单位：万元"],
            ["乡镇", "经营收入", "补助收入"],
            ["濠头乡", 25.5, 9.5],
        ],
        file="汝城县2022.xlsx",
        sheet="汇总",
    )
    summaries, rejects = summaries_of(sheet_of(VILLAGES, sheet="各村"), county)
    assert summaries[["source", "cell", "item", "parts", "parts_sum", "difference", "status"]].values.tolist() == [
        ["汝城县2022.xlsx!汇总!4", "B4", "operating_income", 2, 255_000.0, 0.0, "ok"],
        ["汝城县2022.xlsx!汇总!4", "C4", "subsidy_income", 2, 90_000.0, 5_000.0, "mismatch"],
    ]
    assert rejects[["cell", "problem", "reason"]].values.tolist() == [
        [
            "C4",
            "subtotal_mismatch",
            "this subtotal is 95,000.00 元 but the 2 villages it covers add up to 90,000.00 元 "
            "(difference 5,000.00 元): the villages were kept; check them or correct the subtotal",
        ]
    ]


def test_a_township_whose_villages_were_not_read_is_unchecked():
    county = sheet_of(
        [["汝城县2022年村级集体经济收入汇总表"], ["单位：万元"], ["乡镇", "经营收入"], ["土桥镇", 30]],
        file="汝城县2022.xlsx",
        sheet="汇总",
    )
    summaries, rejects = summaries_of(sheet_of(VILLAGES, sheet="各村"), county)
    assert summaries[["item", "parts", "status"]].values.tolist() == [["operating_income", 0, "unchecked"]]
    assert rejects.empty


def test_sheets_of_villages_only_have_no_summaries():
    summaries, rejects = summaries_of(sheet_of(VILLAGES))
    assert summaries.empty and list(summaries.columns) == list(SUBTOTAL_COLUMNS) and rejects.empty


# --- written totals against their parts --------------------------------------------------------------------

INCOME_HEADER = ["村名", "经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入", "本年收入合计"]


def test_a_total_whose_parts_are_all_there_is_checked_and_a_wrong_one_rejected():
    before, kept, rejects = checked(
        [
            ["汝城县濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            INCOME_HEADER,
            ["上河村", 20, 2, 1, 5, 0, 28],  # adds up
            ["大坪村", 5, 1, 0, 4, 0, 12],  # 10 written as 12
        ]
    )
    assert len(kept) == len(before) - 1
    totals = kept.loc[kept["item"].eq("total_income")]
    assert totals[["village", "amount_yuan"]].values.tolist() == [["上河村", 280_000.0]]
    assert rejects[["source", "cell", "column", "value", "problem"]].values.tolist() == [
        ["濠头乡2022.xlsx!2022年!5", "G5", "本年收入合计", "12", "total_mismatch"]
    ]
    assert rejects["reason"].tolist() == [
        "本年收入合计 is 120,000.00 元 but its parts in the same table add up to 100,000.00 元 "
        "(difference 20,000.00 元): the parts were kept; correct the total or the parts"
    ]


def test_mismatched_totals_name_the_table_village_year_and_total_and_total_mismatches_the_entry():
    entries, data = entries_of(
        read(
            sheet_of(
                [
                    ["汝城县濠头乡2022年村级集体经济收入统计表"],
                    ["单位：万元"],
                    INCOME_HEADER,
                    ["上河村", 20, 2, 1, 5, 0, 28],  # adds up
                    ["大坪村", 5, 1, 0, 4, 0, 12],  # 10 written as 12
                ]
            )
        )[0]
    )
    mismatched = mismatched_totals(data)
    assert mismatched[["file", "sheet", "village_key", "year", "item"]].values.tolist() == [
        ["濠头乡2022.xlsx", "2022年", "大坪村", 2022, "total_income"]
    ]
    assert mismatched[["should_be", "difference"]].values.tolist() == [[100_000.0, 20_000.0]]
    # The same cells, only those a mask keeps: the 大坪村 row left out, nothing is mismatched.
    assert mismatched_totals(data, data["village_key"].eq("上河村").to_numpy()).empty
    flagged, rejects = total_mismatches(entries.loc[:, list(TOTAL_ENTRY_COLUMNS)], mismatched)
    assert entries.loc[flagged, ["source", "cell", "amount_yuan"]].values.tolist() == [
        ["濠头乡2022.xlsx!2022年!5", "G5", 120_000.0]
    ]
    assert rejects["problem"].tolist() == ["total_mismatch"]
    assert rejects["reason"].tolist() == reconcile_totals(entries, data)[1]["reason"].tolist()


def test_a_total_covering_parts_the_table_lacks_or_cannot_read_is_kept_as_written():
    _, kept, rejects = checked(
        [
            ["2022年收入表"],
            ["单位：万元"],
            INCOME_HEADER,
            ["上河村", 20, 2, 1, 5, None, 99],  # 其他收入 left empty
            ["大坪村", 5, 1, 0, "四十余万", 0, 99],  # an approximate part
            ["石门村", 5, 1, 0, "见附表", 0, 99],  # an unreadable part
        ]
    )
    assert rejects.empty
    assert kept.loc[kept["item"].eq("total_income"), "amount_yuan"].tolist() == [990_000.0] * 3
    # A table without the 发包及上交收入 column cannot check its total either.
    _, _, rejects = checked(
        [["2022年收入表"], ["单位：万元"], ["村名", "经营收入", "补助收入", "本年收入合计"], ["上河村", 20, 5, 99]]
    )
    assert rejects.empty


def test_a_difference_of_a_yuan_is_rounding():
    header = ["村名", "经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入", "本年收入合计"]
    _, _, rejects = checked([["2022年收入表"], ["单位：元"], header, ["上河村", 100, 0, 0, 50, 0, 151]])
    assert rejects.empty
    _, _, rejects = checked([["2022年收入表"], ["单位：元"], header, ["上河村", 100, 0, 0, 50, 0, 151.5]])
    assert rejects["value"].tolist() == ["151.5"]


def test_a_ledgers_lines_of_one_item_add_up_before_the_check():
    rows = [
        ["2022年台账"],
        ["村名", "科目", "金额（元）"],
        ["上河村", "经营收入", 60],
        ["上河村", "经营收入", 40],
        ["上河村", "发包及上交收入", 0],
        ["上河村", "投资收益", 0],
        ["上河村", "补助收入", 50],
        ["上河村", "其他收入", 0],
        ["上河村", "本年收入合计", 150],
    ]
    _, _, rejects = checked(rows, sheet="台账")
    assert rejects.empty
    _, _, rejects = checked([*rows[:-1], ["上河村", "本年收入合计", 160]], sheet="台账")
    assert rejects[["cell", "problem"]].values.tolist() == [["C9", "total_mismatch"]]
    assert "is 160.00 元 but its parts in the same table add up to 150.00 元 (difference 10.00 元)" in (
        rejects["reason"].item()
    )


def test_a_total_made_of_totals_takes_them_from_their_parts_where_unwritten():
    # 本年收益 = 本年收入 − 本年支出, neither written: each is worked out from its own parts.
    header = [
        "村名",
        "经营收入",
        "发包及上交收入",
        "投资收益",
        "补助收入",
        "其他收入",
        "经营支出",
        "管理费用",
        "其他支出",
    ]
    rows = [["2022年收支表"], ["单位：元"], [*header, "本年收益"], ["上河村", 100, 0, 0, 50, 0, 30, 20, 0, 90]]
    before, kept, rejects = checked(rows)
    assert len(kept) == len(before) - 1 and "net_income" not in set(kept["item"])
    assert rejects["reason"].tolist() == [
        "本年收益 is 90.00 元 but its parts in the same table add up to 100.00 元 (difference -10.00 元): "
        "the parts were kept; correct the total or the parts"
    ]


def test_each_year_is_checked_by_its_own_accounting_system():
    # From 2024 发包及上交收入 is no part of 本年收入: the same table is complete then, and its total wrong.
    header = ["村名", "经营收入", "投资收益", "补助收入", "其他收入", "本年收入合计"]
    _, _, rejects = checked([["2024年收入表"], ["单位：万元"], header, ["上河村", 20, 1, 5, 0, 27]], sheet="2024年")
    assert rejects["reason"].tolist() == [
        "本年收入合计 is 270,000.00 元 but its parts in the same table add up to 260,000.00 元 "
        "(difference 10,000.00 元): the parts were kept; correct the total or the parts"
    ]
    _, _, rejects = checked([["2022年收入表"], ["单位：万元"], header, ["上河村", 20, 1, 5, 0, 27]])
    assert rejects.empty  # in 2022 the table lacks a part of the total: it is kept as written


def test_a_sheet_without_totals_passes_its_entries_through():
    entries, kept, rejects = checked([["2022年收入表"], ["单位：元"], ["村名", "经营收入"], ["上河村", 100]])
    assert kept is entries
    assert rejects.empty and list(rejects.columns) == list(REJECT_COLUMNS)
