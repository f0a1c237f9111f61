"""read_ledger on mutated ledgers: whatever arrives, a villagecon error or a ledger that lost nothing.

The mutations are what e-mail and USB sticks do to files, and what people do to sheets: cells of any
value and type, header cells shuffled or deleted, rows dropped or repeated, files cut short, bytes
flipped inside the zip, CSVs saved in the wrong encoding. For each, read_ledger either raises a
:class:`~villagecon.errors.VillageconError` (one that is not a schema failure, which would be a bug of
ours) or returns a Ledger whose every data cell ended in exactly one place (check_nothing_lost).

Examples are derandomised and few (this file runs in well under a minute on two cores); each has a
deadline, so a mutation that made the reader hang would fail the test rather than stall it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import tempfile
from datetime import timedelta
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from villagecon import read_ledger
from villagecon.errors import VillageconError

import ledger_files as lf

FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LONG_ROWS = [
    ["年度", "村名", "科目", "金额（万元）"],
    [2021, "上河村", "经营收入", 12],
    ["2021年", "上河村", "发包及上缴收入", 3.5],
    ["二〇二一年", "上河村", "本年收入合计", 15.5],
    [2021, "大坪村", "经营收入", "4.2万"],
    [2021, "大坪村", "管理费用", "1,234.5元"],
    [2021, "大坪村", "小计", 5.4],
]
STATEMENT_ROWS = [
    ["汝城县濠头乡上河村收益分配表"],
    ["单位：元"],
    ["项目", "2017年", 2018, "二〇一九年"],
    *[list(row) for row in lf.STATEMENT_ROWS],
]
WIDE_ROWS = [[lf.WIDE_TITLE], ["单位：万元"], lf.WIDE_HEADER_TOP, lf.WIDE_HEADER_SUB, *[list(r) for r in lf.WIDE_ROWS]]
LAYOUTS = {"long": LONG_ROWS, "statement": STATEMENT_ROWS, "wide": WIDE_ROWS}

# Text a person or a program might type into a ledger cell, and text no one should.
LEDGER_WORDS = [
    "村名",
    "村",
    "科目",
    "金额",
    "金额（万元）",
    "年度",
    "经营收入",
    "本年收入合计",
    "小计",
    "合计",
    "总计",
    "单位：万元",
    "单位：元",
    "2022年",
    "22年",
    "二〇二二年",
    "—",
    "40余万元",
    "十二万",
    "（4.2）",
    "12.3%",
    "=SUM(A1:A3)",
    "+1",
    "-4.2",
    "@cmd",
    "上河村",
    "上河村村委会",
    "注：",
    "项目",
    "2017年",
    "姓名",
    "职务",
    "village_code",
    "county_code",
    "　",
    "\n",
    "1,234.56",
    "1 234,56",
    "△5000",
    "负债4.2万元",
    "NaN",
]
SAFE_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
CELL = (
    st.none()
    | st.sampled_from(LEDGER_WORDS)
    | SAFE_TEXT
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False, width=64)
    | st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1))
    | st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1))
    | st.times()
)


@st.composite
def mutated_table(draw) -> list[list]:
    """A ledger table in one of the three layouts, mutated as people and programs mutate them."""
    rows = [list(row) for row in LAYOUTS[draw(st.sampled_from(sorted(LAYOUTS)))]]
    header = next(i for i, row in enumerate(rows) if len(row) > 2)
    for _ in range(draw(st.integers(0, 3))):
        mutation = draw(
            st.sampled_from(
                ["cells", "shuffle_header", "delete_header", "drop_row", "repeat_row", "insert_row", "widen"]
            )
        )
        if mutation == "cells":
            for _ in range(draw(st.integers(1, 6))):
                row = draw(st.integers(0, len(rows) - 1))
                column = draw(st.integers(0, max(len(rows[row]), 1) + 1))
                rows[row] += [None] * (column + 1 - len(rows[row]))
                rows[row][column] = draw(CELL)
        elif mutation == "shuffle_header":
            rows[header] = draw(st.permutations(rows[header]))
        elif mutation == "delete_header":
            rows[header][draw(st.integers(0, len(rows[header]) - 1))] = None
        elif mutation == "drop_row" and len(rows) > 1:
            del rows[draw(st.integers(0, len(rows) - 1))]
        elif mutation == "repeat_row":
            rows.insert(draw(st.integers(0, len(rows))), list(rows[draw(st.integers(0, len(rows) - 1))]))
        elif mutation == "insert_row":
            rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(CELL, max_size=6)))
        elif mutation == "widen":
            rows[draw(st.integers(0, len(rows) - 1))] += draw(st.lists(CELL, min_size=1, max_size=4))
    return rows


def read_or_refuse(path: Path, **options) -> None:
    """The property: a villagecon error (not a schema failure), or a ledger that lost nothing."""
    try:
        ledger = read_ledger(path, **options)
    except VillageconError as refused:
        assert "a villagecon bug" not in str(refused), refused
        return
    ledger.check_nothing_lost()
    assert ledger.entries["source"].str.startswith(path.name + "!").all()


def write_workbook(path: Path, rows: list[list], *, sheet: str = "2021年") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@FUZZ
@given(mutated_table(), st.sampled_from([None, "元", "万元"]), st.booleans())
@example([["村名", dt.datetime(2022, 1, 1), "经营收入"], ["上河村", True, dt.time(1, 2)]], None, False)
@example(
    [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "经营收入", "=1+1"], [2022, None, "小计", 10**15]],
    "元",
    True,
)
@example([["年度", "村名", "科目", "金额（元）"], [2022, "小计", "经营收入", 5]], None, False)  # once a KeyError
def test_mutated_workbooks_give_a_ledger_or_a_villagecon_error(rows, unit, with_register):
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "台账.xlsx", rows)
        register = lf.register(Path(folder)) if with_register else None
        read_or_refuse(path, unit=unit, register=register)


@FUZZ
@given(
    mutated_table(),
    st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5", "shift_jis", "latin-1", "cp1252"]),
    st.sampled_from([None, "万元"]),
)
def test_mutated_csvs_in_any_encoding_give_a_ledger_or_a_villagecon_error(rows, encoding, unit):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["" if value is None else value for value in row] for row in rows])
    data = buffer.getvalue().encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "台账.csv"
        path.write_bytes(data)
        read_or_refuse(path, unit=unit)


@cache
def sound_workbook(suffix: str = ".xlsx") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        if suffix == ".xls":
            rows = [["汝城县2021年村级台账"], ["单位：万元"], *LONG_ROWS]
            return lf.xls_workbook(Path(folder), "台账.xls", rows).read_bytes()
        return lf.wide_xlsx(Path(folder)).read_bytes()


@FUZZ
@given(st.data(), st.sampled_from([".xlsx", ".xls"]))
def test_flipped_bytes_inside_the_file_give_a_ledger_or_a_villagecon_error(data, suffix):
    # For an .xlsx the bytes are inside the zip (names, sizes, compressed data); for an .xls inside the
    # compound file's tables and the BIFF records (sector chains, record lengths, sheet dimensions).
    original = sound_workbook(suffix)
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        position = data.draw(st.integers(0, len(damaged) - 1), label="position")
        damaged[position] = data.draw(st.integers(0, 255).filter(lambda b, p=position: b != damaged[p]), label="byte")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"汝城县2022{suffix}"
        path.write_bytes(bytes(damaged))
        read_or_refuse(path)


@FUZZ
@given(st.integers(min_value=0, max_value=len(sound_workbook()) - 1), st.sampled_from(["xlsx", "csv"]))
@example(0, "xlsx")
@example(30, "csv")
def test_files_cut_short_give_a_ledger_or_a_villagecon_error(length, kind):
    with tempfile.TemporaryDirectory() as folder:
        whole = (lf.wide_xlsx if kind == "xlsx" else lf.wide_csv)(Path(folder))
        data = whole.read_bytes()
        whole.write_bytes(data[: length % max(len(data), 1)])
        read_or_refuse(whole)


@FUZZ
@given(
    st.binary(max_size=400),
    st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"PK\x03\x04"]),
    st.sampled_from([".csv", ".xlsx", ".xls", ".xlsm"]),
)
def test_arbitrary_bytes_under_any_ledger_name_give_a_villagecon_error_or_a_ledger(data, prefix, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"来历不明{suffix}"
        path.write_bytes(prefix + data)
        read_or_refuse(path)


def test_the_mutations_reach_every_layout_and_both_outcomes():
    # The properties above would pass vacuously if every mutated file were refused: check that the
    # unmutated tables read, in every layout, and that a typical mutation still yields entries.
    with tempfile.TemporaryDirectory() as folder:
        for name, rows in LAYOUTS.items():
            ledger = read_ledger(write_workbook(Path(folder) / f"{name}.xlsx", rows))
            ledger.check_nothing_lost()
            assert len(ledger.entries) > 3, name
        shuffled = [list(row) for row in LONG_ROWS]
        shuffled[0] = ["金额（万元）", "科目", "村名", "年度"]
        shuffled[1:] = [row[::-1] for row in shuffled[1:]]
        ledger = read_ledger(write_workbook(Path(folder) / "shuffled.xlsx", shuffled))
        assert sorted(ledger.entries["amount_yuan"]) == sorted([120_000.0, 35_000.0, 155_000.0, 42_000.0, 1_234.5])


pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


# Cells of 100,000 characters built to make a regular expression backtrack: before the fixes, a title
# of 30,000 characters took 8 s (the place-name search was quadratic) and a header of 30,000 "(" 4 s
# (the bracketed-unit search), so 100,000 took minutes. The deadline turns such a slowdown into a failure.
HUGE = 100_000
HUGE_CELLS = {
    "digits": "1" * HUGE + "x",
    "brackets": "(" * HUGE,
    "full_width_brackets": "（" * HUGE + "万元",
    "han": "汝" * HUGE,
    "places": "县乡" * (HUGE // 2),
    "spaces": "单位" + " " * HUGE + "x",
    "subtotals": "小计" * (HUGE // 2),
    "numbers": "1 2 " * (HUGE // 4),
    "years": "2022年" * (HUGE // 5),
}
PLACES = {
    "title": (0, 0),
    "unit_row": (1, 0),
    "header": (2, 3),
    "village_header": (2, 1),
    "year": (3, 0),
    "village": (3, 1),
    "item": (3, 2),
    "amount": (3, 3),
}


@settings(FUZZ, max_examples=25, deadline=timedelta(seconds=5))
@given(st.sampled_from(sorted(HUGE_CELLS)), st.sampled_from(sorted(PLACES)))
@example("places", "title")
@example("brackets", "village_header")
def test_a_huge_cell_anywhere_is_read_without_backtracking(cell, place):
    rows = [
        ["2022年村级集体经济台账"],
        ["单位：元"],
        ["年度", "村名", "科目", "金额"],
        ["2022", "上河村", "经营收入", "5"],
    ]
    row, column = PLACES[place]
    rows[row][column] = HUGE_CELLS[cell]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "台账.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        read_or_refuse(path)
