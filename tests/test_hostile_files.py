"""Files built to hurt the reader: entity expansion, external entities, zip bombs, sheets too big to hold.

Each is refused with a LedgerFileError that names the file and says why, before any spreadsheet
reader parses it: the tests replace calamine with a stub that fails if it is ever called, so
"refused quickly" is shown by the work not done rather than by a clock.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import textwrap
import types
import zipfile
import zlib

import openpyxl
import pytest

from villagecon import ReadLimits, read_ledger
from villagecon.cli import EXIT_ERROR, main
from villagecon.errors import HeaderNotFoundError, LedgerFileError, UsageError
from villagecon.ingest import files as vio
from villagecon.ingest import workbooks
from villagecon.ingest.workbooks import _formulas_and_errors

import ledger_files as lf

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE ledger [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


@pytest.fixture
def no_reader(monkeypatch):
    """calamine replaced by a stub that fails the test if a workbook reaches it."""

    def refuse_to_read(*args, **kwargs):
        raise AssertionError("the workbook reached the spreadsheet reader")

    stub = types.SimpleNamespace(
        CalamineWorkbook=types.SimpleNamespace(from_filelike=refuse_to_read),
        PasswordError=type("PasswordError", (Exception,), {}),
    )
    monkeypatch.setattr(workbooks, "python_calamine", stub)


# --- XML entities ------------------------------------------------------------------------------------


def test_billion_laughs_in_a_sheet_is_refused_before_any_parser(tmp_path, no_reader):
    path = lf.raw_workbook(
        tmp_path,
        "laughs.xlsx",
        lf.sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=LAUGHS),
    )
    with pytest.raises(LedgerFileError) as refused:
        vio.read_sheets(path)
    message = str(refused.value)
    assert message.startswith("part xl/worksheets/sheet1.xml declares a DTD ('<!DOCTYPE lolz [<!ENTITY lol")
    assert "billion laughs" in message and "file laughs.xlsx" in message and "ask the sender for a new copy" in message


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "docProps/core.xml"]
)
def test_external_entities_in_any_part_are_refused(tmp_path, no_reader, part):
    # Parts Python parses (workbook.xml, the rels), parts calamine parses (sharedStrings), and parts nobody
    # needs: all refused the same way, so no reader can be the weak one.
    content = f'<?xml version="1.0" encoding="UTF-8"?>{XXE}<root>&secret;</root>'
    path = lf.raw_workbook(tmp_path, "xxe.xlsx", parts={part: content})
    with pytest.raises(LedgerFileError, match=rf"^part {part} declares a DTD \('<!DOCTYPE ledger \[<!ENTITY secret"):
        read_ledger(path)


def test_a_dtd_after_comments_or_in_utf16_is_still_found(tmp_path, no_reader):
    padded = lf.sheet_xml(prolog="<!-- " + "x" * 10_000 + " --><?pi data?>\n" + XXE)
    with pytest.raises(LedgerFileError, match="declares a DTD"):
        vio.read_sheets(lf.raw_workbook(tmp_path, "padded.xlsx", padded))
    utf16 = lf.sheet_xml(prolog=XXE).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    with pytest.raises(LedgerFileError, match="declares a DTD"):
        vio.read_sheets(lf.raw_workbook(tmp_path, "utf16.xlsx", utf16))


def test_pythons_own_xml_parsing_is_defused():
    # Defence in depth: the formula scan parses sheet XML with defusedxml, which refuses a DTD outright.
    sheet = lf.sheet_xml('<row r="1"><c r="A1"><f>SUM(B1)</f></c><c r="B1"><v>&lol9;</v></c></row>', prolog=LAUGHS)
    data = _zip_bytes(
        {
            "xl/workbook.xml": lf._WORKBOOK,
            "xl/_rels/workbook.xml.rels": lf._WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
        }
    )
    assert _formulas_and_errors(data) == ({}, {})
    # openpyxl (the tests' and notebooks' workbook reader) switches to defusedxml when it is installed.
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# --- zip bombs -----------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(tmp_path, no_reader):
    path = lf.declare_size(lf.raw_workbook(tmp_path, "bomb.xlsx"), "xl/worksheets/sheet1.xml", 4_000_000_000)
    with pytest.raises(LedgerFileError) as refused:
        read_ledger(path)
    message = str(refused.value)
    assert re.match(
        r"the workbook's parts say they unpack to 3,814\.7 MB from 1\.\d KB, more than the "
        r"uncompressed size limit of 1,000 MB: refused without reading it \(file bomb\.xlsx\)",
        message,
    )
    assert "--max-uncompressed-mb" in message and "VILLAGECON_MAX_UNCOMPRESSED_MB" in message


def test_the_uncompressed_limit_can_be_raised_by_argument_option_and_environment(tmp_path, monkeypatch, capsys):
    # 3 MB of padding that packs to a few kilobytes: over a 1 MB limit, under a 5 MB one.
    padding = lf.sheet_xml(lf.LONG_LEDGER_ROWS + "<!--" + " " * 3_000_000 + "-->")
    raw = tmp_path / "raw"
    raw.mkdir()
    path = lf.raw_workbook(raw, "padded.xlsx", padding)
    with pytest.raises(
        LedgerFileError,
        match=r"unpack to 2\.9 MB from 4\.\d KB, more than the uncompressed size "
        r"limit of 1 MB",
    ):
        read_ledger(path, unit="元", limits=ReadLimits(uncompressed_mb=1))
    assert read_ledger(path, limits=ReadLimits(uncompressed_mb=5)).entries["amount_yuan"].tolist() == [5000.0]

    monkeypatch.setenv("VILLAGECON_MAX_UNCOMPRESSED_MB", "1")
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == EXIT_ERROR
    assert "limit of 1 MB" in capsys.readouterr().err
    assert main(["clean", str(raw), "--out", str(tmp_path / "out"), "--max-uncompressed-mb", "5"]) == 0
    monkeypatch.setenv("VILLAGECON_MAX_UNCOMPRESSED_MB", "lots")
    with pytest.raises(UsageError, match="VILLAGECON_MAX_UNCOMPRESSED_MB='lots' is not a number"):
        read_ledger(path)


def test_a_part_that_unpacks_past_its_declared_size_stops_there(tmp_path):
    # The directory says 1,000 bytes, with the checksum of those 1,000; the data holds 2 MB. Python's zip
    # reader stops at 1,000 (and the checksum agrees); calamine's stops at 1,001 and says so.
    sheet = lf.sheet_xml(lf.LONG_LEDGER_ROWS + "<!--" + "x" * 2_000_000 + "-->").encode()
    path = lf.declare_size(
        lf.raw_workbook(tmp_path, "liar.xlsx", sheet), "xl/worksheets/sheet1.xml", 1_000, crc=zlib.crc32(sheet[:1_000])
    )
    with pytest.raises(LedgerFileError, match=r"^a part of the workbook unpacks to more than its zip entry declares"):
        read_ledger(path)
    # With the checksum of the whole part, the first reader to finish the part finds it damaged.
    lf.declare_size(path, "xl/worksheets/sheet1.xml", 1_000, crc=zlib.crc32(sheet))
    with pytest.raises(LedgerFileError, match=r"^the workbook is damaged or incomplete \(BadZipFile: Bad CRC-32"):
        read_ledger(path)


def test_a_zip_of_many_thousand_entries_is_refused_before_its_directory_is_loaded(tmp_path, no_reader):
    parts = {f"xl/media/empty{i}.bin": "" for i in range(vio.MAX_ZIP_ENTRIES + 1)}
    path = lf.raw_workbook(tmp_path, "entries.xlsx", parts=parts)
    with pytest.raises(LedgerFileError, match=r"^the workbook holds 10,006 zip entries; a real workbook has tens"):
        read_ledger(path)


# --- sheets too big to hold ------------------------------------------------------------------------------


def test_one_cell_at_the_far_corner_is_refused_before_the_reader_allocates_the_sheet(tmp_path, no_reader):
    far = lf.sheet_xml(lf.LONG_LEDGER_ROWS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    with pytest.raises(LedgerFileError) as refused:
        read_ledger(lf.raw_workbook(tmp_path, "corner.xlsx", far))
    assert str(refused.value).startswith(
        "the sheet spans 1,048,576 rows × 16,384 columns, more than the cells limit of 20,000,000 cells: "
        "refused without reading it (file corner.xlsx, sheet '台账')"
    )
    assert "--max-cells" in str(refused.value) and "VILLAGECON_MAX_CELLS" in str(refused.value)


@pytest.mark.parametrize(
    "rows, spans",
    [
        # Row 0 wraps a reader's row number round to 4 billion.
        (
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A0"><v>1</v></c></row>',
            "4,294,967,297 rows × 1 columns",
        ),
        ('<row r="3"><c r="a3"><v>1</v></c><c r="zzzz3"><v>1</v></c></row>', "3 rows × 475,254 columns"),
        ('<row r="900000"><c r="A900000"><v>1</v></c></row>', "900,000 rows × 1 columns"),
        # Cells without a reference follow each other: 30 of them after a row at 700,000.
        ('<row r="700000">' + "<c><v>1</v></c>" * 30 + "</row>", "700,000 rows × 30 columns"),
        ('<x:row r="900000"><x:c r="A900000"><x:v>1</x:v></x:c></x:row>', "900,000 rows × 1 columns"),
    ],
)
def test_unusual_references_are_placed_as_a_reader_would_and_counted(tmp_path, no_reader, rows, spans):
    path = lf.raw_workbook(tmp_path, "odd.xlsx", lf.sheet_xml(rows))
    with pytest.raises(LedgerFileError, match=f"^the sheet spans {spans}, more than the cells limit of 100,000"):
        vio.read_sheets(path, limits=ReadLimits(cells=100_000))


def test_a_sheet_within_the_limit_reads_whatever_its_reference_style(tmp_path):
    rows = (
        '<row><c t="inlineStr"><is><t>a</t></is></c><c s="0" r="C1"><v>2</v></c></row>'
        '<row r="5"><c r="b5"><v>3</v></c><c><v>4</v></c></row>'
    )
    [sheet] = vio.read_sheets(lf.raw_workbook(tmp_path, "plain.xlsx", lf.sheet_xml(rows)), limits=ReadLimits(cells=100))
    assert sheet.grid.shape == (5, 3)
    assert sheet.grid.loc[1].tolist() == ["a", "", 2.0] and sheet.grid.loc[5].tolist() == ["", 3.0, 4.0]


def test_an_oversized_sheet_cannot_kill_the_process_even_under_a_memory_cap(tmp_path):
    # Without the check calamine asks for 550 GB for this 1.5 KB file and the process aborts. Under a
    # 2 GB address-space cap the refusal still comes back as an ordinary error message.
    path = lf.raw_workbook(
        tmp_path,
        "corner.xlsx",
        lf.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    )
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from villagecon.ingest.files import read_sheets
        from villagecon.errors import LedgerFileError
        try:
            read_sheets({str(path)!r})
        except LedgerFileError as refused:
            print(refused)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("the sheet spans 1,048,576 rows × 16,384 columns")


XLS_ROWS = [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "经营收入", 5000]]


def test_an_old_xls_workbook_reads(tmp_path):
    ledger = read_ledger(lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS))
    assert ledger.entries[["village", "year", "item", "amount_yuan", "source", "cell"]].values.tolist() == [
        ["上河村", 2022, "operating_income", 5000.0, "台账.xls!台账!2", "D2"]
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # Each of these made calamine ask for tens of gigabytes and abort the process (5 KB files).
        ({"dimensions": (0, 0xFFFFFFFF, 0, 256)}, "a sheet declares 4,294,967,295 rows × 256 columns"),
        ({"dimensions": (9, 3, 0, 4)}, "a sheet declares 4,294,967,290 rows × 4 columns"),  # last row before first
        (
            {"extra": lf._record(0x0203, struct.pack("<HHHd", 65_535, 65_535, 0, 1.0))},
            "a sheet places cells over 65,536 rows × 65,536 columns",
        ),
        (
            {"extra": lf._record(0x00BD, struct.pack("<HH", 20_000, 0) + b"\0" * 6 * 1_001 + struct.pack("<H", 1_000))},
            "a sheet places cells over 20,001 rows × 1,001 columns",
        ),  # MULRK: a run of cells
        ({"shared_strings": 2**31 - 1}, "the shared-string table declares 2,147,483,647 strings"),
    ],
)
def test_an_xls_that_claims_a_huge_sheet_is_refused_before_the_reader_sizes_its_memory(
    tmp_path, no_reader, options, message
):
    path = lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS, **options)
    with pytest.raises(LedgerFileError) as refused:
        read_ledger(path)
    assert str(refused.value).startswith(
        f"{message}, more than the cells limit of 20,000,000 cells: refused without reading it (file 台账.xls)"
    )


def test_an_xls_with_a_broken_compound_file_is_damaged_not_a_crash(tmp_path, no_reader):
    whole = lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS).read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(whole[:1_500])  # the header promises sectors the file no longer has
    with pytest.raises(
        LedgerFileError,
        match=r"^the workbook is damaged: its compound-file structure is broken "
        r"\(sector \d+ is past the end of the file\)",
    ):
        read_ledger(cut)
    looping = bytearray(whole)
    struct.pack_into("<I", looping, 512 + 4 * 2, 2)  # the stream's first sector points at itself
    (tmp_path / "loop.xls").write_bytes(bytes(looping))
    with pytest.raises(LedgerFileError, match="a sector chain runs off its table or loops"):
        read_ledger(tmp_path / "loop.xls")


def test_a_csv_with_too_many_cells_is_refused_at_the_row_that_crosses_the_limit(tmp_path):
    tall = tmp_path / "tall.csv"
    tall.write_text("年度,村,科目,金额（元）\n" + "2022,上河村,经营收入,1\n" * 300, encoding="utf-8")
    with pytest.raises(
        LedgerFileError,
        match=r"^the CSV holds at least 251 rows × 4 columns, more than the cells "
        r"limit of 1,000 cells: .*\(file tall\.csv, row 251\)",
    ):
        read_ledger(tall, limits=ReadLimits(cells=1_000))
    wide = tmp_path / "wide.csv"
    wide.write_text("年度,村,科目,金额（元）\n2022,上河村,经营收入,1" + "," * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(LedgerFileError, match=r"at least 2 rows × 5,004 columns"):
        read_ledger(wide, limits=ReadLimits(cells=1_000))


def test_the_cells_limit_holds_for_the_sheets_of_a_workbook_together(tmp_path):
    # Each sheet within the limit, the two together past it: every sheet is held at once, so together they count.
    book = openpyxl.Workbook()
    for name in ("一月", "二月"):
        sheet = book.create_sheet(name)
        sheet.append(["年度", "村", "科目", "金额（元）"])
        sheet["D150"] = 1  # 150 rows × 4 columns = 600 cells
    del book["Sheet"]
    book.save(path := tmp_path / "months.xlsx")
    with pytest.raises(
        LedgerFileError,
        match=r"^the sheets up to this one span 1,200 cells together, more than "
        r"the cells limit of 1,000 cells: .*sheet '二月'",
    ):
        read_ledger(path, limits=ReadLimits(cells=1_000))
    assert len(read_ledger(path, limits=ReadLimits(cells=1_200)).rows) == 300


def test_a_sheet_of_blank_rows_and_one_far_number_is_refused_naming_that_cell(tmp_path):
    path = lf.raw_workbook(
        tmp_path,
        "far.xlsx",
        lf.sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>摘要</t></is>'
            '</c></row><row r="90000"><c r="S90000"><v>1</v></c>'
            "</row>"
        ),
    )
    with pytest.raises(
        HeaderNotFoundError,
        match=r"holds numbers \(file far\.xlsx, sheet '台账', row 90000, "
        r"cell S90000\)",
    ):
        read_ledger(path)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = lf.long_xlsx(tmp_path)
    with pytest.raises(LedgerFileError, match=r"^the file is \d\.\d KB, more than the file size limit of 0 MB"):
        read_ledger(path, limits=ReadLimits(file_mb=0.001))


def test_limits_must_be_positive_numbers():
    with pytest.raises(UsageError, match="limit cells must be a positive number, not 0"):
        ReadLimits(cells=0)
    with pytest.raises(UsageError, match="limit file_mb must be a positive number, not 'big'"):
        ReadLimits(file_mb="big")


def test_a_truncated_workbook_is_damaged_not_a_crash(tmp_path):
    whole = lf.long_xlsx(tmp_path).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LedgerFileError, match=r"^the workbook is damaged or incomplete \(BadZipFile"):
        read_ledger(cut)


def _zip_bytes(parts: dict[str, str]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()
