"""villagecon.sample.defects: the deliberately bad cells, planted where the list says, and the coverage check."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from villagecon.ingest.ledger import read_ledger
from villagecon.sample.article import SHANGHE
from villagecon.sample.defects import BAD_CELL_COLUMNS, check_coverage, put_bad_cells, unknown_village
from villagecon.sample.documents import CellIndex, Document, write_document
from villagecon.sample.habits import Style
from villagecon.sample.layouts import statement_sheet, wide_columns, wide_sheet
from villagecon.sample.world import draw_world
from villagecon.vocab import chenzhou, labels

YEARS = list(range(2019, 2024))


def year_at(position: int) -> int:
    return YEARS[min(position, len(YEARS) - 1)]


@pytest.fixture(scope="module")
def world():
    return draw_world(2022, 40, YEARS)


def wide_document(world, county, index, *, unit="元", csv=False, extra=None, years=YEARS):
    suffix = "csv" if csv else "xlsx"
    document = Document(f"{county}/{county}收支统计表.{suffix}", [], "wide", unit, encoding="gbk" if csv else None)
    for year in years:
        document.sheets.append(
            wide_sheet(
                world,
                document,
                county=county,
                year=year,
                style=Style(unit, csv=csv),
                rng=np.random.default_rng(year),
                index=index,
                sheet_name="" if csv else f"{year}年",
                extra=extra if extra and extra["year"] == year else None,
            )
        )
    return document


def planted(world):
    """The documents put_bad_cells needs, laid out as the sample lays them out, and the bad cells planted."""
    index = CellIndex()
    yizhang = [v for v in world.villages if v.county == "宜章县"]
    unknown = unknown_village(world, yizhang, year_at(5))
    documents = [
        wide_document(world, "苏仙区", index, years=[year_at(3)]),
        wide_document(world, "嘉禾县", index, unit="万元", years=[year_at(4)]),
        wide_document(world, "宜章县", index, csv=True, extra=unknown, years=[year_at(5)]),
        wide_document(world, "汝城县", index, unit="万元", years=[year_at(3)]),
    ]
    statements = Document("汝城县/汝城县濠头乡收益分配表.xlsx", [], "statement", "元")
    statements.sheets += [
        statement_sheet(world, statements, v, style=Style("元"), rng=np.random.default_rng(0), index=index)
        for v in world.villages
        if v.township == "濠头乡"
    ]
    documents.append(statements)
    return documents, put_bad_cells(world, index, unknown, year_at)


def test_the_unknown_village_is_its_template_scaled_with_its_own_totals(world):
    assert unknown_village(world, [], 2022) is None
    template = next(v for v in world.villages if v.county == "宜章县")
    row = unknown_village(world, [template], 2022)
    assert (row["village"], row["township"], row["year"]) == (chenzhou.UNKNOWN_VILLAGE, template.township, 2022)
    assert row["village"] == "青山坳村"
    truth, scaled = world.accounts[(template.code, 2022)], row["accounts"]
    assert scaled["operating_income"] == round(truth["operating_income"] * 0.8)
    parts = [item for item in labels.INCOME_ITEMS if not math.isnan(scaled[item])]
    assert scaled["total_income"] == sum(scaled[item] for item in parts)  # added up again, not scaled
    assert scaled["net_income"] == scaled["total_income"] - scaled["total_expense"]


def test_coverage_names_an_amount_no_file_holds(world):
    index = CellIndex()
    for county in chenzhou.COUNTY_CODES:
        wide_document(world, county, index)
    check_coverage(world, index)  # every county's workbook of every year: all written
    code = world.villages[0].code
    del index.amounts[(code, 2021, "admin_expense")]
    with pytest.raises(AssertionError, match=f"no file holds admin_expense 2021 of village {code}"):
        check_coverage(world, index)


def test_every_listed_bad_cell_is_in_its_file_sheet_and_cell(world):
    documents, bad = planted(world)
    assert list(bad.columns) == list(BAD_CELL_COLUMNS)
    assert bad["problem"].value_counts().to_dict() == {
        "village_unknown": len(wide_columns(2023)),
        "conflict": 2,
        "amount": 1,
        "subtotal_mismatch": 1,
    }
    by_path = {d.path: d for d in documents}
    for cell in bad.itertuples(index=False):
        [sheet] = [s for s in by_path[cell.file].sheets if s.name == cell.sheet]
        column, row = coordinate_from_string(cell.cell)
        assert row == cell.row and cell.source == f"{cell.file}!{cell.sheet}!{cell.row}"
        written = sheet.rows[row - 1][column_index_from_string(column) - 1]
        assert str(written).replace(",", "") == str(cell.value).replace(",", "").removesuffix(".0"), cell.cell
        assert cell.what


def test_each_defect_is_the_one_the_module_says(world):
    _, bad = planted(world)
    [amount] = bad.loc[bad["problem"].eq("amount")].itertuples(index=False)
    assert amount.file.startswith("苏仙区/") and amount.value == "12.3%" and amount.item == "liabilities"
    assert (amount.year, math.isnan(amount.cleaned_yuan)) == (2022, True)
    [subtotal] = bad.loc[bad["problem"].eq("subtotal_mismatch")].itertuples(index=False)
    assert subtotal.file.startswith("嘉禾县/") and subtotal.village_code == "" and subtotal.year == 2023
    unknown = bad.loc[bad["problem"].eq("village_unknown")]
    assert set(unknown["village"]) == {chenzhou.UNKNOWN_VILLAGE} and set(unknown["village_code"]) == {""}
    conflict = bad.loc[bad["problem"].eq("conflict")]
    assert conflict["village_code"].nunique() == 1 and conflict["file"].nunique() == 2
    [village] = set(conflict["village"])
    assert village != SHANGHE or all(v.name == SHANGHE for v in world.villages if v.township == "濠头乡")
    truth = int(conflict["truth_yuan"].iloc[0])
    written = int(conflict.loc[conflict["file"].str.contains("收益分配表"), "value"].iloc[0])
    assert written != truth and sorted(str(written)) == sorted(str(truth))  # two digits swapped


def test_the_same_world_plants_the_same_cells(world):
    pd.testing.assert_frame_equal(planted(world)[1], planted(world)[1])


def test_the_reader_rejects_exactly_the_listed_cells(world, tmp_path):
    documents, bad = planted(world)
    for document in documents:
        write_document(tmp_path, document)
    ledger = read_ledger(tmp_path, register=world.register)
    rejected = ledger.rejects[["source", "cell", "problem"]].sort_values(["source", "cell"]).reset_index(drop=True)
    listed = bad[["source", "cell", "problem"]].sort_values(["source", "cell"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(rejected, listed, check_dtype=False)
