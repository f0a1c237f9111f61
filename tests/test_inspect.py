"""`villagecon inspect` and the layout files it writes: what it prints of each sheet, and that a layout written
by --write-layout reads back to the same ledger and, edited, fixes what inference got wrong (issue 12)."""

from __future__ import annotations

import tomllib

import forms_statements as fs
import forms_tables as ft
import openpyxl
import pandas as pd
import pytest

from villagecon import read_ledger
from villagecon.errors import UsageError, VillageconError
from villagecon.ingest.inspect import inspect_path, understand, write_layouts
from villagecon.ingest.layout_file import layout_path, read_layout
from villagecon.ingest.layout_writer import layout_text, toml_string, write_layout

import ledger_files as lf


def _section(text: str, start: str, end: str = "\n-- ") -> str:
    """The part of inspect's output from the line starting ``start`` to the next sheet (or the end)."""
    at = text.index(start)
    stop = text.find(end, at + len(start))
    return text[at:] if stop < 0 else text[at:stop]


# --- What inspect prints ----------------------------------------------------------------------------------------


def test_a_township_table_shows_header_rows_orientation_sources_columns_and_row_kinds(tmp_path):
    text = inspect_path(lf.wide_xlsx(tmp_path))
    sheet = _section(text, "-- sheet '2022年'")
    assert "table 1: header rows 3, 4, body rows 5-12" in sheet
    assert "orientation: villages down, items across" in sheet
    assert "village:  column B (村名), one per row" in sheet
    assert "places:   county: 汝城县 (from the title); township: column A (乡镇)" in sheet
    assert "year:     2022 (from the title)" in sheet
    assert "unit:     万元 (from the 单位 line)" in sheet
    lines = sheet.splitlines()
    assert any(line.split() == ["C", "本年收入/经营收入", "万元", "item", "operating_income"] for line in lines)
    assert any(line.split() == ["L", "本年支出/合计", "万元", "item", "total_expense"] for line in lines)
    assert "rows: 1 title, 1 unit, 2 header, 4 data, 3 subtotal, 1 note" in sheet
    assert "subtotal: 7, 10, 11" in sheet and "note: 12" in sheet
    assert text.rstrip().endswith("rejects: 0")


def test_items_down_with_periods_across_and_a_unit_column(tmp_path):
    text = inspect_path(fs.statistics_form_xlsx(tmp_path))
    sheet = _section(text, "-- sheet '上河村'")
    assert "table 1: header rows 4, body rows 6-21" in sheet
    assert "orientation: items down, periods across" in sheet
    assert "village:  上河村 (from the 编制单位 line)" in sheet
    assert "year:     periods: D 本年数 = 2022, E 上年数 = 2021; 2022 (from the date line)" in sheet
    assert "unit:     each row's column C (计量单位)" in sheet
    assert "items:    named in each row's column A (指标名称)" in sheet
    assert "numbering" in sheet and "other: 19, 20" in sheet and "note: 21" in sheet
    # The second village's sheet has the same columns: they are not listed twice.
    assert "columns: as in sheet '上河村'" in _section(text, "-- sheet '大坪村'")


def test_a_quarters_notice_board_and_a_budget_say_they_stay_out_of_the_accounts(tmp_path):
    board = lf.workbook(
        tmp_path,
        "公开榜.xlsx",
        [
            ["濠头乡上河村2023年第三季度财务收支公开榜"],
            ["单位：元"],
            ["项目", "本季发生数", "本年累计数"],
            ["经营收入", 30000, 90000],
        ],
    )
    text = inspect_path(board)
    assert (
        "kind:     months 7-9 (from '濠头乡上河村2023年第三季度财务收支公开榜'), 本年累计 from month 1; "
        "B 本季发生数: parts of a year and budgets are kept in entries, not in the accounts"
    ) in text
    assert "B    本季发生数  2023  元    part of the year: amounts" in text
    budget = lf.workbook(
        tmp_path, "预算.xlsx", [["黄家村2023年度财务收支预算表"], ["单位：元"], ["项目", "金额"], ["经营收入", 30000]]
    )
    assert (
        "kind:     a budget or plan ('黄家村2023年度财务收支预算表'): kept in entries, not in the accounts"
        in inspect_path(budget)
    )
    assert "kind:" not in inspect_path(fs.statistics_form_xlsx(tmp_path))


def test_villages_across_and_a_subtotal_column(tmp_path):
    sheet = _section(inspect_path(fs.statistics_form_across_xlsx(tmp_path)), "-- sheet '濠头乡'")
    assert "orientation: items down, villages across" in sheet
    assert "village:  across the columns: E 上河村, F 大坪村" in sheet
    lines = sheet.splitlines()
    assert any(line.split() == ["D", "合计", "subtotal", "of", "the", "row's", "villages"] for line in lines)
    assert any(line.split() == ["E", "上河村", "amounts", "of", "上河村"] for line in lines)


def test_a_summary_sheet_says_its_rows_sum_townships_and_are_no_villages(tmp_path):
    text = inspect_path(ft.summary_sheet_xlsx(tmp_path))
    summary = _section(text, "-- sheet '汇总'")
    assert (
        "village:  none: its amounts sum the villages of township 濠头乡, township 土桥镇; they are checked "
        "against those villages as subtotals, never read as a village"
    ) in summary
    assert "rows: 1 title, 1 unit, 1 header, 3 subtotal" in summary and "subtotal: 4-6" in summary
    assert "village:  column C (村名), one per row" in _section(text, "-- sheet '土桥镇'")


def test_hidden_sheets_are_listed_as_skipped_and_read_with_include_hidden(tmp_path):
    path = ft.hidden_copy_xlsx(tmp_path)
    text = inspect_path(path)
    assert "== 濠头乡2022.xlsx  (3 sheets: 1 read, 2 hidden)" in text
    assert (
        "-- sheet 'Sheet1 (2)': skipped (hidden): the workbook hides this sheet (hidden); --include-hidden reads it"
    ) in text
    assert "-- sheet '村名列表': skipped (hidden): the workbook hides this sheet (very hidden)" in text
    assert "rejects: 0" in text

    shown = inspect_path(path, include_hidden=True)
    copy = _section(shown, "-- sheet 'Sheet1 (2)'")
    assert copy.startswith(
        "-- sheet 'Sheet1 (2)': 1 table (the workbook hides it (hidden); read because of --include-hidden)\n"
    )
    # Read, the stale copy disagrees with Sheet1: both figures are conflicts, shown under each sheet.
    assert "rejects: 2 (2 conflict)" in copy
    assert "B4 经营收入 = '18': conflict: 经营收入 2022 of 上河村 differs within 濠头乡2022.xlsx" in copy
    assert "-- sheet '村名列表': skipped (not a ledger): text only" in shown


def test_a_hidden_sheet_read_says_the_workbook_hides_it(tmp_path):
    shown = inspect_path(ft.hidden_copy_xlsx(tmp_path), include_hidden=True)
    assert "-- sheet 'Sheet1 (2)': 1 table (the workbook hides it (hidden); read because of --include-hidden)" in shown


def test_an_unreadable_sheet_shows_its_message_naming_the_cell_and_the_other_sheets_are_read(tmp_path):
    book = openpyxl.Workbook()
    good = book.active
    good.title = "濠头乡"
    for row in (["濠头乡2022年村级集体经济收入"], ["单位：万元"], ["村名", "经营收入"], ["上河村", 20]):
        good.append(row)
    bare = book.create_sheet("补报")
    for row in (["新村", 20, 3], ["岭秀村", 5.5, 4]):
        bare.append(row)
    notes = book.create_sheet("填表说明")
    notes.append(["本表金额以万元为单位，按村填报。"])
    path = tmp_path / "濠头乡2022.xlsx"
    book.save(path)

    text = inspect_path(path)
    assert "== 濠头乡2022.xlsx  (3 sheets: 1 read, 1 not a ledger, 1 unreadable)" in text
    unreadable = _section(text, "-- sheet '补报'")
    assert unreadable.startswith("-- sheet '补报': skipped (unreadable): no ledger header found")
    assert "sheet '补报', row 1, cell B1" in unreadable
    assert "-- sheet '填表说明': skipped (not a ledger): instructions (填表说明), not a table of amounts" in text
    assert "village:  column A (村名), one per row" in _section(text, "-- sheet '濠头乡'")


def test_a_damaged_file_in_a_folder_is_named_and_the_rest_inspected(tmp_path):
    ft.folder_with_bad_files(tmp_path)
    text = inspect_path(tmp_path)
    assert "== 濠头乡补报.xlsx\n   not read: the workbook is damaged or incomplete" in text
    no_unit = _section(text, "== 土桥镇2022.xlsx", "\n\n")
    assert "-- sheet 'Sheet1': skipped (unreadable): 80000.0 is a bare number and no unit is given anywhere" in no_unit
    assert "(file 土桥镇2022.xlsx, sheet 'Sheet1', row 3, cell B3)" in no_unit
    assert ("4 files, 3 sheets: 1 read, 0 not a ledger, 0 hidden, 2 unreadable; 1 file could not be opened") in text


def test_rejects_of_a_sheet_are_shown_under_it_with_cell_value_problem_and_reason(tmp_path):
    text = inspect_path(ft.written_total_xlsx(tmp_path))
    assert "rejects" not in _section(text, "-- sheet '濠头乡'")
    tuqiao = _section(text, "-- sheet '土桥镇'")
    assert "rejects: 1 (1 total_mismatch)" in tuqiao
    assert (
        "G5 本年收入合计 = '7': total_mismatch: 本年收入合计 is 70,000.00 元 but its parts in the same table add "
        "up to 60,000.00 元"
    ) in tuqiao


def test_many_rejects_are_cut_short_and_counted(tmp_path):
    rows = [["单位：元"], ["年度", "村", "科目", "金额"]] + [[2022, "上河村", "经营收入", f"{n}%"] for n in range(8)]
    text = inspect_path(lf._write_csv(tmp_path / "上河村台账.csv", rows, "utf-8"))
    assert "rejects: 8 (8 amount)" in text
    assert "D3 金额 = '0%': amount:" in text and "D7 金额 = '4%': amount:" in text and "D8 金额" not in text
    assert "… and 3 more (villagecon clean writes them all to rejects.csv)" in text


def test_inspect_is_deterministic_and_a_single_file_holding_no_ledger_is_an_error_saying_why(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    lf.wide_xlsx(folder)
    lf.long_csv(folder)
    assert inspect_path(folder) == inspect_path(folder)
    with pytest.raises(VillageconError, match="no ledger header found") as raised:
        inspect_path(ft.no_header_xlsx(tmp_path))
    assert "(file 新村岭秀村.xlsx, sheet 'Sheet1', row 1, cell B1)" in str(raised.value)


# --- Layout files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '表"1"',
        "C:\\ledgers\\表",
        "经营\n收入",
        "tab\there",
        "bell\x07",
        "del\x7f",
        "",
        "Sheet1 (2)",
        "汝城县「2022」年'报'",
    ],
)
def test_toml_strings_read_back_exactly(text):
    assert tomllib.loads(f"key = {toml_string(text)}\n")["key"] == text


def test_a_layout_names_sheets_with_quotes_and_headers_with_line_breaks_and_reads_back(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = '他说"好"的村'
    for row in (
        ["濠头乡2022年村级集体经济收入"],
        ["单位：万元"],
        ["村名", "经营\n收入", "补助收入"],
        ["上河村", 20, 3],
    ):
        ws.append(row)
    path = tmp_path / "濠头乡2022.xlsx"
    book.save(path)
    written = write_layout(path, read_ledger(path))
    assert written == layout_path(path) == tmp_path / "濠头乡2022.layout.toml"
    text = written.read_text(encoding="utf-8")
    assert '[sheets."他说\\"好\\"的村"]' in text
    assert 'B = "operating_income"       # 经营 收入' in text
    assert text.startswith("# Layout of 濠头乡2022.xlsx: how villagecon understood it")
    assert "delete a line to let\n# villagecon infer it again" in text
    sheet = read_layout(written).sheets['他说"好"的村']
    assert sheet.header_rows == (3,) and sheet.village_column == "A" and sheet.unit == "万元" and sheet.year == 2022
    assert dict(sheet.columns) == {"B": "operating_income", "C": "subsidy_income"}


def test_layout_text_of_skipped_sheets_is_comments_only(tmp_path):
    path = ft.hidden_copy_xlsx(tmp_path)
    text = layout_text(read_ledger(path), path.name)
    assert '# [sheets."Sheet1 (2)"]' in text and '# [sheets."村名列表"]' in text
    assert set(tomllib.loads(text)["sheets"]) == {"Sheet1"}


def _frames_equal(a, b) -> None:
    for name in ("entries", "accounts", "rejects", "subtotals", "rows", "duplicates", "skipped"):
        pd.testing.assert_frame_equal(
            getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True), obj=name
        )
    # A column the layout names keeps its meaning; only the reason it was left out (or chosen) now cites the file.
    columns = ["file", "sheet", "table", "column", "header", "year", "unit"]
    pd.testing.assert_frame_equal(a.columns[columns], b.columns[columns], obj="columns")
    changed = a.columns["meaning"].ne(b.columns["meaning"])
    assert b.columns.loc[changed, "meaning"].str.contains("the layout file").all()


@pytest.mark.parametrize(
    "build",
    [
        lf.wide_xlsx,
        lf.statement_xlsx,
        lf.long_csv,
        lf.long_xlsx,
        ft.comparison_xlsx,
        ft.signature_footer_xlsx,
        ft.summary_sheet_xlsx,
        ft.hidden_copy_xlsx,
        ft.written_total_xlsx,
        ft.header_spellings_xlsx,
        fs.statistics_form_xlsx,
        fs.statistics_form_across_xlsx,
        fs.income_statement_xlsx,
        fs.sanzi_export_xlsx,
        lambda folder: fs.balance_sheet_xlsx(folder, 2017),
    ],
    ids=lambda build: getattr(build, "__name__", "balance_sheet_xlsx").replace("<lambda>", "balance_sheet_xlsx"),
)
def test_a_written_layout_reads_back_to_the_same_ledger(tmp_path, build):
    path = build(tmp_path)
    before = read_ledger(path)
    written, kept = write_layouts(understand(path))
    assert written == [layout_path(path)] and kept == []
    layout = read_layout(written[0])
    assert layout.sheets and all(s.header_rows for s in layout.sheets.values())
    after = read_ledger(path)
    assert after.files["layouts"].tolist() == before.files["layouts"].tolist()
    _frames_equal(before, after)


def _unknown_village_column(folder):
    """A table whose village column has a header the reader does not know and names without 村 (and no place in
    its title: a township's name there would make it the township's statement)."""
    return lf.workbook(
        folder,
        "濠头乡2022.xlsx",
        [
            ["2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["核算主体", "经营收入", "补助收入"],
            ["上河", 20, 3],
            ["大坪", 5.5, 4],
        ],
    )


def test_a_written_layout_edited_fixes_a_village_column_inference_missed(tmp_path):
    path = _unknown_village_column(tmp_path)
    text = inspect_path(path)
    assert "village:  none found: every amount is rejected (village_missing)" in text
    assert "A    核算主体              unknown: its amounts are rejected" in text
    assert read_ledger(path).rejects["problem"].value_counts().to_dict() == {"village_missing": 4, "column_unknown": 2}

    (layout,), _ = write_layouts(understand(path))
    written = layout.read_text(encoding="utf-8")
    assert '# village_column = "A"       # no village found: is this the column of village names?' in written
    assert '# A = ""                     # 核算主体: unknown, its amounts are rejected; write its item' in written
    layout.write_text(written.replace('# village_column = "A"', 'village_column = "A"'), encoding="utf-8")

    ledger = read_ledger(path)
    assert ledger.rejects.empty
    accounts = ledger.accounts.set_index("village")
    assert accounts.loc["上河", "operating_income"] == 200_000 and accounts.loc["大坪", "subsidy_income"] == 40_000
    assert (accounts["year"] == 2022).all()
    fixed = inspect_path(path)
    assert "layout file: 濠头乡2022.layout.toml (what it says overrides inference)" in fixed
    assert "village:  column A (核算主体), one per row (the layout file)" in fixed
    assert "year:     2022 (from the layout file)" in fixed


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('[sheets."Sheet1"]\nvillage_column = 3\n', "village_column must be a column letter"),
        ('[sheets."Sheet1"]\nheader_row = [3]\n', "header_row is not a layout key"),
        ('[sheets."Sheet1".columns]\nB = "经营收入"\n', "columns.B = '经营收入' is neither a line item"),
        ('[sheets."Sheet1"\nvillage_column = "A"\n', "not a valid layout file"),
    ],
)
def test_a_malformed_layout_is_an_error_naming_the_file_and_the_key(tmp_path, content, key):
    path = _unknown_village_column(tmp_path)
    layout_path(path).write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        inspect_path(path)
    assert "濠头乡2022.layout.toml" in str(raised.value) and key in str(raised.value)


def test_an_existing_layout_is_kept_unless_forced(tmp_path):
    path = _unknown_village_column(tmp_path)
    layout_path(path).write_text('[sheets."Sheet1"]\nvillage_column = "A"\n', encoding="utf-8")
    assert write_layouts(understand(path)) == ([], [layout_path(path)])
    assert layout_path(path).read_text(encoding="utf-8") == '[sheets."Sheet1"]\nvillage_column = "A"\n'
    with pytest.raises(UsageError, match="already exists: it was not overwritten"):
        write_layout(path, read_ledger(path))
    # Forced, the new file says what is inferred with the old one applied: the village column it named.
    assert write_layouts(understand(path), force=True) == ([layout_path(path)], [])
    assert read_layout(layout_path(path)).sheets["Sheet1"].village_column == "A"


# --- Synonyms ---------------------------------------------------------------------------------------------------


def _solar_income(folder):
    return lf.workbook(
        folder,
        "濠头乡2022.xlsx",
        [
            ["濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["村名", "光伏电站收益", "补助收入"],
            ["上河村", 12, 3],
        ],
    )


def test_synonyms_add_a_spelling_inspect_shows(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    path = _solar_income(folder)
    unknown = inspect_path(path)
    assert "B    光伏电站收益              unknown: its amounts are rejected" in unknown
    assert "B4 光伏电站收益 = '12': column_unknown" in unknown

    synonyms = tmp_path / "my_synonyms.csv"
    synonyms.write_text("spelling,meaning\n光伏电站收益,operating_income\n", encoding="utf-8")
    known = inspect_path(path, synonyms=synonyms)
    assert "synonyms: my_synonyms.csv (1 item and 0 role spellings added)" in known
    assert "B    光伏电站收益        万元  item operating_income" in known
    assert known.rstrip().endswith("rejects: 0")
    # synonyms.csv in the folder read is used without being named, and is not read as a ledger.
    (folder / "synonyms.csv").write_text(synonyms.read_text(encoding="utf-8"), encoding="utf-8")
    beside = inspect_path(folder)
    assert "item operating_income" in beside and "== synonyms.csv" not in beside


# --- One reading -----------------------------------------------------------------------------------------------


def test_inspect_reads_each_file_once_with_one_read_ledger(tmp_path, monkeypatch):
    import villagecon.ingest.inspect as inspecting
    import villagecon.ingest.ledger_reading

    folder = tmp_path / "raw"
    folder.mkdir()
    for build in (lf.wide_xlsx, lf.long_csv, lf.statement_xlsx, ft.written_total_xlsx):
        build(folder)
    calls, opened = [], []
    read_ledger, read_sheets = inspecting.read_ledger, villagecon.ingest.ledger_reading.read_sheets
    monkeypatch.setattr(inspecting, "read_ledger", lambda *a, **k: calls.append(a) or read_ledger(*a, **k))
    monkeypatch.setattr(
        villagecon.ingest.ledger_reading,
        "read_sheets",
        lambda path, **k: opened.append(path.name) or read_sheets(path, **k),
    )
    text = inspect_path(folder)
    assert len(calls) == 1 and sorted(opened) == sorted(p.name for p in folder.iterdir())
    assert text.rstrip().endswith("rejects: 12 (12 conflict)")
