"""Layout files written by hand, as an analyst writes one beside a ledger inference got wrong
(villagecon/ingest/layout_file.py): each key changes how the ledger is read, and a malformed file stops the
reading with a message naming the file, the section and the key, and saying what to write instead.

tests/test_inspect.py covers the layout files `villagecon inspect --write-layout` writes; these are typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from villagecon import read_ledger
from villagecon.errors import HeaderNotFoundError, UsageError, VillageconError
from villagecon.ingest.layout_file import Layout, SheetLayout, find_layout, layout_path, read_layout

import ledger_files as lf

# A township's table whose headers no vocabulary knows (甲项, 乙项, 丙项): inference finds no header at all.
UNKNOWN_HEADERS = [
    ["濠头乡各村2022年情况"],
    ["单位：元"],
    ["单位名称", "甲项", "乙项", "丙项"],
    ["上河村", 200_000, 30_000, 5],
    ["大坪村", 55_000, 40_000, 6],
]
# Known headers, but 备注金额 is not an item villagecon knows: its amounts are rejected.
ONE_UNKNOWN_COLUMN = [
    ["2022年村级集体经济收入统计表"],
    ["单位：万元"],
    ["村", "经营收入", "补助收入", "备注金额"],
    ["上河村", 20, 3, 7],
    ["大坪村", 5.5, 4, 1],
]


def township_book(folder: Path, rows: list[list], *, sheet: str = "汇总") -> Path:
    return lf.workbook(folder, "濠头乡2022.xlsx", rows, sheet=sheet)


def write_layout_file(ledger: Path, text: str) -> Path:
    path = layout_path(ledger)
    path.write_text(text, encoding="utf-8")
    return path


def by_village(ledger, *columns: str) -> dict[str, list]:
    accounts = ledger.accounts.set_index("village")
    return {village: accounts.loc[village, list(columns)].tolist() for village in accounts.index}


# --- where the file lies, and what it reads to ------------------------------------------------------------------


def test_the_layout_file_lies_beside_the_ledger_named_after_it(tmp_path):
    assert layout_path(tmp_path / "汝城县2022.xlsx") == tmp_path / "汝城县2022.layout.toml"
    assert layout_path(tmp_path / "塔水村台账.csv") == tmp_path / "塔水村台账.layout.toml"
    assert layout_path(tmp_path / "v1.2.xls") == tmp_path / "v1.2.layout.toml"  # only the suffix goes
    assert find_layout(tmp_path / "汝城县2022.xlsx") is None


def test_a_hand_written_layout_reads_to_what_it_says(tmp_path):
    book = township_book(tmp_path, UNKNOWN_HEADERS)
    path = write_layout_file(
        book,
        "# 濠头乡2022.xlsx: the headers are the office's own words.\n"
        '[sheets."汇总"]\n'
        "header_rows = [3]\n"
        'village_column = "A"\n'
        'unit = "元"\n'
        "year = 2022\n"
        "\n"
        '[sheets."汇总".columns]\n'
        'B = "operating_income"\n'
        'C = "subsidy_income"\n'
        'D = "ignore"\n'
        "\n"
        '[sheets."*"]\n'
        "skip = true\n",
    )
    assert (
        find_layout(book)
        == read_layout(path)
        == Layout(
            path=path,
            sheets={
                "汇总": SheetLayout(
                    header_rows=(3,),
                    village_column="A",
                    unit="元",
                    year=2022,
                    columns={"B": "operating_income", "C": "subsidy_income", "D": "ignore"},
                ),
                "*": SheetLayout(skip=True),
            },
        )
    )
    layout = read_layout(path)
    assert layout.for_sheet("汇总").village_column == "A" and layout.for_sheet("其他").skip  # "*": every other sheet


# --- each key changes the reading -------------------------------------------------------------------------------


def test_header_rows_village_column_and_columns_read_a_table_inference_cannot(tmp_path):
    book = township_book(tmp_path, UNKNOWN_HEADERS)
    with pytest.raises(HeaderNotFoundError, match="write a layout file beside the ledger"):
        read_ledger(book)
    write_layout_file(
        book,
        '[sheets."汇总"]\nheader_rows = [3]\nvillage_column = "A"\n'
        '[sheets."汇总".columns]\nB = "operating_income"\nC = "subsidy_income"\nD = "ignore"\n',
    )
    ledger = read_ledger(book)
    assert by_village(ledger, "township", "year", "operating_income", "subsidy_income") == {
        "上河村": ["濠头乡", 2022, 200_000.0, 30_000.0],  # 濠头乡 and 2022 from the title, 元 from 单位：元
        "大坪村": ["濠头乡", 2022, 55_000.0, 40_000.0],
    }
    assert ledger.rejects.empty  # 丙项 ignored, not rejected
    assert ledger.rows[["row", "kind"]].values.tolist() == [
        [1, "title"],
        [2, "unit"],
        [3, "header"],
        [4, "data"],
        [5, "data"],
    ]
    assert ledger.columns[["column", "header", "meaning"]].values.tolist() == [
        ["A", "单位名称", "village (the layout file)"],
        ["B", "甲项", "item operating_income"],
        ["C", "乙项", "item subsidy_income"],
        ["D", "丙项", "left out: the layout file says to ignore it"],
    ]


def test_header_rows_one_row_down_reads_the_first_village_as_the_header(tmp_path):
    book = township_book(tmp_path, UNKNOWN_HEADERS)
    write_layout_file(
        book,
        '[sheets."汇总"]\nheader_rows = [4]\nvillage_column = "A"\n'
        '[sheets."汇总".columns]\nB = "operating_income"\nC = "subsidy_income"\nD = "ignore"\n',
    )
    ledger = read_ledger(book)
    # The layout wins over inference, wrong or right: 上河村's row is taken for the header.
    assert by_village(ledger, "operating_income", "subsidy_income") == {"大坪村": [55_000.0, 40_000.0]}
    assert ledger.rows[["row", "kind"]].values.tolist() == [
        [1, "title"],
        [2, "unit"],
        [3, "title"],
        [4, "header"],
        [5, "data"],
    ]


def test_unit_and_year_override_the_unit_row_and_the_title(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    before = read_ledger(book)
    assert by_village(before, "year", "operating_income", "subsidy_income") == {
        "上河村": [2022, 200_000.0, 30_000.0],
        "大坪村": [2022, 55_000.0, 40_000.0],
    }
    write_layout_file(book, '[sheets."汇总"]\nunit = "元"\nyear = 2021\n')
    after = read_ledger(book)
    assert by_village(after, "year", "operating_income", "subsidy_income") == {
        "上河村": [2021, 20.0, 3.0],
        "大坪村": [2021, 5.5, 4.0],
    }


def test_a_column_named_in_the_layout_is_read_as_that_item(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    before = read_ledger(book)
    assert before.rejects[["cell", "value", "problem"]].values.tolist() == [
        ["D4", "7", "column_unknown"],
        ["D5", "1", "column_unknown"],
    ]
    write_layout_file(book, '[sheets."汇总".columns]\nD = "other_income"\n')
    after = read_ledger(book)
    assert after.rejects.empty
    assert by_village(after, "operating_income", "other_income") == {
        "上河村": [200_000.0, 70_000.0],
        "大坪村": [55_000.0, 10_000.0],
    }


def test_two_columns_named_the_same_item_are_a_conflict_not_a_sum(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, '[sheets."汇总".columns]\nC = "operating_income"\nD = "ignore"\n')
    ledger = read_ledger(book)
    assert ledger.rejects[["cell", "problem"]].values.tolist() == [
        ["B4", "conflict"],
        ["C4", "conflict"],
        ["B5", "conflict"],
        ["C5", "conflict"],
    ]
    assert ledger.accounts.empty


def test_the_star_section_applies_to_every_sheet_without_its_own(tmp_path):
    book = township_book(tmp_path, UNKNOWN_HEADERS)
    write_layout_file(
        book,
        '[sheets."*"]\nheader_rows = [3]\nvillage_column = "A"\nyear = 2021\n'
        '[sheets."*".columns]\nB = "operating_income"\nC = "subsidy_income"\nD = "ignore"\n',
    )
    assert by_village(read_ledger(book), "year", "operating_income") == {
        "上河村": [2021, 200_000.0],
        "大坪村": [2021, 55_000.0],
    }


def test_skip_leaves_a_sheet_unread_and_says_the_layout_file_did(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, '[sheets."汇总"]\nskip = true\n')
    with pytest.raises(VillageconError, match="the layout file says to skip this sheet"):
        read_ledger(book)  # its only sheet: nothing is left to read


def test_a_csv_s_one_sheet_is_the_empty_section(tmp_path):
    ledger_csv = tmp_path / "塔水村台账.csv"
    ledger_csv.write_text(
        "乡镇,村名,年度,经营收入,杂项\n华塘镇,塔水村,2020,12,3\n华塘镇,塔水村,2021,15,4\n", encoding="utf-8-sig"
    )
    with pytest.raises(VillageconError, match="no unit is given anywhere"):
        read_ledger(ledger_csv)
    write_layout_file(ledger_csv, '[sheets.""]\nunit = "万元"\n[sheets."".columns]\nE = "other_income"\n')
    accounts = read_ledger(ledger_csv).accounts.set_index("year")
    assert accounts[["village", "operating_income", "other_income"]].values.tolist() == [
        ["塔水村", 120_000.0, 30_000.0],
        ["塔水村", 150_000.0, 40_000.0],
    ]
    assert accounts.index.tolist() == [2020, 2021]


# --- a malformed file: which file, which section, which key, and what to write ----------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[sheets."汇总"]\nheader_rows = [4, 3]\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': header_rows must list consecutive row numbers such as [3, 4],"
            " not [4, 3]",
        ),
        (
            '[sheets."汇总"]\nheader_rows = 3\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': header_rows must list consecutive row numbers such as [3, 4],"
            " not 3",
        ),
        (
            '[sheets."汇总"]\nvillage_column = "村名"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': village_column must be a column letter such as \"B\", "
            "not '村名'",
        ),
        (
            '[sheets."汇总"]\nunit = "万"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': unit must be one of 元, 千元, 万元, 亿元, not '万'",
        ),
        (
            '[sheets."汇总"]\nyear = "2022年"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': year must be a year such as 2022, not '2022年'",
        ),
        (
            '[sheets."汇总"]\nskip = "yes"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': skip must be true or false, not 'yes'",
        ),
        (
            '[sheets."汇总"]\nheader = [3]\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': header is not a layout key (the keys: columns, header_rows, "
            "skip, unit, village_column, year)",
        ),
        (
            '[sheets."汇总".columns]\nd = "other_income"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': columns.d is not a column letter such as C",
        ),
        (
            '[sheets."汇总".columns]\nD = "收入"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': columns.D = '收入' is neither a line item (operating_income, ",
        ),
        (
            '[sheets."汇总"]\ncolumns = "D"\n',
            "file 濠头乡2022.layout.toml, sheet '汇总': columns must be a table of column letter = meaning",
        ),
        (
            '[sheets."汇总"\nunit = "元"\n',
            "file 濠头乡2022.layout.toml: not a valid layout file (",
        ),
        (
            'unit = "元"\n',
            "file 濠头乡2022.layout.toml: a layout file holds [sheets.\"NAME\"] sections only, not ['unit']",
        ),
    ],
    ids=[
        "header_rows_order",
        "header_rows_number",
        "village_column",
        "unit",
        "year",
        "skip",
        "unknown_key",
        "column_letter",
        "column_meaning",
        "columns_not_a_table",
        "not_toml",
        "key_outside_sheets",
    ],
)
def test_a_malformed_layout_names_file_section_and_key_and_what_to_write(tmp_path, text, message):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, text)
    with pytest.raises(UsageError) as raised:
        read_ledger(book)
    assert str(raised.value).startswith(message)


def test_a_malformed_toml_points_to_the_example_inspect_writes(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, '[sheets."汇总"]\nunit = 元\n')
    with pytest.raises(UsageError, match=r"see the example in `villagecon inspect FILE --write-layout`$"):
        read_ledger(book)


def test_a_section_for_a_sheet_the_ledger_lacks_names_the_sheets_it_has(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, '[sheets."汇总表"]\nunit = "元"\n')
    with pytest.raises(UsageError) as raised:
        read_ledger(book)
    assert str(raised.value) == (
        "濠头乡2022.layout.toml has a section for sheet '汇总表', which 濠头乡2022.xlsx does not have "
        "(its sheets: '汇总'); correct the name in [sheets.\"…\"]"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[sheets."汇总"]\nheader_rows = [30]\n',
            'the layout file 濠头乡2022.layout.toml [sheets."汇总"] says header_rows = [30], but the sheet has no '
            "row 30 (its last row is 5) "
            "(file 濠头乡2022.xlsx, sheet '汇总'). Correct header_rows in the layout file",
        ),
        (
            '[sheets."汇总".columns]\nZ = "other_income"\n',
            'the layout file 濠头乡2022.layout.toml [sheets."汇总"] names column Z (columns.Z), but the sheet\'s '
            "last column is D (file 濠头乡2022.xlsx, sheet '汇总'). Correct columns.Z in the layout file",
        ),
    ],
    ids=["header_rows", "columns"],
)
def test_a_row_or_column_outside_the_sheet_names_the_key_and_the_sheet(tmp_path, text, message):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, text)
    with pytest.raises(HeaderNotFoundError) as raised:
        read_ledger(book)
    assert str(raised.value) == message


# The layout file and the key it got wrong are named, whichever key it is.
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[sheets."汇总".columns]\nZ = "other_income"\n', "columns.Z"),
        ('[sheets."汇总"]\nvillage_column = "Q"\n', "village_column"),
    ],
    ids=["columns", "village_column"],
)
def test_a_column_outside_the_sheet_names_the_layout_file_and_the_key(tmp_path, text, key):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, text)
    with pytest.raises(HeaderNotFoundError) as raised:
        read_ledger(book)
    assert "濠头乡2022.layout.toml" in str(raised.value) and key in str(raised.value)


def test_keys_written_under_sheets_itself_are_told_to_go_under_a_sheet_s_section(tmp_path):
    book = township_book(tmp_path, ONE_UNKNOWN_COLUMN)
    write_layout_file(book, '[sheets]\nunit = "元"\n')
    with pytest.raises(UsageError) as raised:
        read_ledger(book)
    assert "sheet 'unit'" not in str(raised.value) and '[sheets."NAME"]' in str(raised.value)
