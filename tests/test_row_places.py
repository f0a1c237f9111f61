"""The places of a table's rows where villages run down them (villagecon.ingest.row_places)."""

import numpy as np
import pandas as pd
import pytest

from villagecon.ingest.cells import sheet_cells
from villagecon.ingest.headers import find_tables
from villagecon.ingest.raw_sheet import RawSheet
from villagecon.ingest.row_places import read_places, township_in
from villagecon.ingest.words import DEFAULT_VOCABULARY
from villagecon.vocab import synonyms as syn


def places_of(rows: list[list]):
    """read_places of the sheet's one table, its labels the 村名 column and its amounts the second column."""
    width = max(len(row) for row in rows)
    grid = pd.DataFrame(
        [row + [None] * (width - len(row)) for row in rows], index=pd.RangeIndex(1, len(rows) + 1), dtype=object
    )
    cells = sheet_cells(RawSheet("汝城县.xlsx", "2022年", grid))
    table = find_tables(cells, DEFAULT_VOCABULARY)[0]
    at = cells.row_positions(table.body)
    roles = (syn.VILLAGE, syn.TOWNSHIP, syn.COUNTY, syn.VILLAGE_CODE)
    columns = {role: table.first(role) for role in roles}
    return table, read_places(cells, table, columns, cells.values[at, 0], cells.values[at, -1] != "")


# A county's form: villages down under section rows naming their townships, a 小计, an average row.
COUNTY_FORM = [
    ["汝城县2022年村级集体经济收入统计表"],
    ["单位：万元"],
    ["村名", "经营收入"],
    ["一、濠头乡", None],
    ["上河村", 20],
    ["大坪村", 5],
    ["小计", 25],
    ["二、土桥镇", None],
    ["汝城县土桥镇东村村民委员会", 7],
    ["村均", 10.67],
]


def plain(values: np.ndarray) -> list:
    return [None if not isinstance(v, str) and pd.isna(v) else v for v in values]


def test_section_rows_give_their_villages_a_township_and_a_subtotal_sums_them():
    table, places = places_of(COUNTY_FORM)
    assert list(table.body) == [4, 5, 6, 7, 8, 9, 10]
    assert places.kinds.tolist() == ["title", "data", "data", "subtotal", "title", "data", "other"]
    assert plain(places.village) == [None, "上河村", "大坪村", None, None, "东村", None]
    assert plain(places.township)[1:4] == ["濠头乡", "濠头乡", "濠头乡"]
    assert plain(places.township)[5] == "土桥镇"
    # The 小计 of row 7 sums rows 5 and 6.
    assert [pair.tolist() for pair in places.coverage] == [[7, 7], [5, 6]]


def test_a_full_organisation_name_gives_the_village_and_its_county():
    _, places = places_of(COUNTY_FORM)
    assert plain(places.county)[5] == "汝城县" and plain(places.village)[5] == "东村"


def test_an_average_row_is_no_village_and_says_why():
    _, places = places_of(COUNTY_FORM)
    assert places.kinds[-1] == "other"
    assert places.notes == {10: "村均 is an average, not a village: its row is not read"}


@pytest.mark.parametrize(
    ("text", "township"),
    [
        ("一、濠头乡（共4个村）", "濠头乡"),
        ("（二）土桥镇", "土桥镇"),
        ("濠头乡", "濠头乡"),
        ("上河村", None),
        ("合计", None),
    ],
)
def test_township_in_a_section_row(text, township):
    assert township_in(text) == township


def test_a_long_table_reads_its_villages_codes_and_averages_as_a_short_one():
    # 村名 | 区划代码 | 经营收入 over 6,000 villages (a long table, read by its distinct texts), then 村均.
    lines = [[f"上河{v}村", f"4310261002{v % 100:02d}", 1.0 + v] for v in range(6000)]
    short = [["村名", "区划代码", "经营收入"], *lines[:3], ["村均", None, 2.0]]
    long = [["村名", "区划代码", "经营收入"], *lines, ["村均", None, 2.0]]
    for rows, n in ((short, 4), (long, 6001)):
        _, places = places_of(rows)
        assert plain(places.village)[:2] == ["上河0村", "上河1村"] and len(places.village) == n
        assert plain(places.village_code)[:2] == ["431026100200", "431026100201"]
        assert places.kinds[-1] == "other" and plain(places.village)[-1] is None
