"""villagecon.ingest.workbook_guards: a workbook's bytes checked before any reader parses them.

The guards are called here directly, on bytes, with the file named as the message should name it. Files that
reach the guards through read_sheets and read_ledger (billion laughs, external entities, zip bombs, far corners,
huge .xls claims) are in test_hostile_files.py; these are the cases it does not build.
"""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl
import pytest

from villagecon.errors import LedgerFileError
from villagecon.ingest.read_limits import ReadLimits
from villagecon.ingest.workbook_guards import (
    BIFF_BOF,
    MAX_ZIP_ENTRIES,
    OLE_MAGIC,
    check_old_workbook,
    check_workbook_archive,
    compound_stream,
    sheet_parts,
)

import ledger_files as lf

NAME = "濠头乡/台账.xlsx"  # as the message names the file: relative to the folder being read
DAMAGED_HINT = "Ask the sender for a new copy, or open and re-save it in Excel"
XLS_ROWS = [["年度", "村", "科目", "金额（元）"], [2022, "上河村", "经营收入", 5000]]


def archive_bytes(parts: dict[str, str | bytes] | None = None, *, sheet: str | None = None) -> bytes:
    """ledger_files' one-sheet workbook (台账), as bytes, with ``parts`` added or replaced."""
    contents: dict[str, str | bytes] = {
        "[Content_Types].xml": lf._CONTENT_TYPES,
        "_rels/.rels": lf._ROOT_RELS,
        "xl/workbook.xml": lf._WORKBOOK,
        "xl/_rels/workbook.xml.rels": lf._WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet or lf.sheet_xml(),
        **(parts or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in contents.items():
            archive.writestr(part, content)
    return buffer.getvalue()


def refusal(data: bytes, **options) -> LedgerFileError:
    with pytest.raises(LedgerFileError) as refused:
        check_workbook_archive(data, name=NAME, **options)
    return refused.value


def test_a_workbook_as_excel_saves_it_passes():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2022年"
    sheet.append(["汝城县2022年村级集体经济收入统计表"])
    sheet.append(["单位：万元"])
    sheet.append(["村名", "经营收入", "本年收入合计"])
    sheet.append(["上河村", 20, 25])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert check_workbook_archive(data, name=NAME) is None
    # 4 rows × 3 columns: exactly at a limit of 12 cells is within it.
    assert check_workbook_archive(data, name=NAME, limits=ReadLimits(cells=12)) is None
    assert check_old_workbook(data, name=NAME) is None  # not an old .xls: left alone
    assert sheet_parts(zipfile.ZipFile(io.BytesIO(data))) == {"2022年": "xl/worksheets/sheet1.xml"}


def test_what_is_not_a_zip_is_damaged_naming_the_file():
    error = refusal(b"PK\x03\x04 half a workbook")
    assert error.message == f"the workbook is damaged or incomplete (BadZipFile: File is not a zip file) (file {NAME})"
    assert error.hint == DAMAGED_HINT


@pytest.mark.parametrize(
    ("part", "content", "problem"),
    [
        (
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook><sheets>',
            "ParseError: no element found: line 1, column 39",
        ),
        ("xl/_rels/workbook.xml.rels", "not xml at all", "ParseError: syntax error: line 1, column 0"),
    ],
)
def test_a_damaged_workbook_part_is_damaged_not_a_crash(part, content, problem):
    # These escaped as a bare xml ParseError, which the command line reports as a bug of villagecon.
    error = refusal(archive_bytes({part: content}))
    assert error.message == f"the workbook is damaged or incomplete ({problem}) (file {NAME})"
    assert error.hint == DAMAGED_HINT


def test_a_part_compressed_in_a_way_no_reader_knows_is_damaged():
    data = bytearray(archive_bytes())
    header = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml").header_offset
    struct.pack_into("<H", data, header + 8, 99)  # the local header's compression method: 99 is AES
    directory = data.find(b"PK\x01\x02")
    while directory >= 0:
        length = struct.unpack_from("<H", data, directory + 28)[0]
        if data[directory + 46 : directory + 46 + length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<H", data, directory + 10, 99)
        directory = data.find(b"PK\x01\x02", directory + 4)
    error = refusal(bytes(data))
    assert error.message == (
        "the workbook is damaged or incomplete (NotImplementedError: That compression method is not supported) "
        f"(file {NAME})"
    )


def test_the_entries_a_zip_declares_are_refused_from_its_last_record():
    data = bytearray(archive_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60_000, 60_000)  # entries on this disk, and in all
    error = refusal(bytes(data))
    assert MAX_ZIP_ENTRIES == 10_000
    assert error.message == f"the workbook holds 60,000 zip entries; a real workbook has tens (file {NAME})"
    assert error.hint == "The file is damaged or is not a workbook; ask the sender for a new copy"


# --- what comes before a part's first element -----------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("xl/drawings/vmlDrawing1.VML", '<!DOCTYPE v [<!ENTITY a "b">]><xml/>'),  # any .xml, .rels or .vml part
        ("xl/sharedStrings.xml", '\ufeff<?xml version="1.0"?><!DOCTYPE sst SYSTEM "http://x.cn/s.dtd"><sst/>'),
        ("xl/sharedStrings.xml", '<!DOCTYPE sst SYSTEM "http://x.cn/s.dtd"><sst/>'.encode("utf-16-be")),  # no BOM
    ],
)
def test_a_dtd_is_refused_in_any_part_and_any_encoding(part, content):
    error = refusal(archive_bytes({part: content}))
    assert error.message.startswith(f"part {part} declares a DTD ('<!DOCTYPE ")
    assert error.message.endswith(f"refused without parsing it (file {NAME})")
    assert error.hint == "Excel never writes this; do not use the file, and ask the sender for a new copy"


def test_a_dtd_spelled_inside_an_element_is_text_not_a_dtd():
    data = archive_bytes({"xl/sharedStrings.xml": '<?xml version="1.0"?><sst><!-- <!DOCTYPE x> --></sst>'})
    assert check_workbook_archive(data, name=NAME) is None


@pytest.mark.parametrize(
    "prolog",
    [
        " " * 70_000,
        '<?xml version="1.0"?><!--' + "注" * 30_000 + "-->",  # a comment that does not end in the first 64 KiB
        '<?xml version="1.0"?><?mso-application ' + "x" * 70_000 + "?>",
    ],
)
def test_a_part_whose_first_element_is_not_in_its_first_64_kib_is_refused(prolog):
    # A long comment was reported as "declares a DTD", which it does not.
    error = refusal(archive_bytes(sheet=prolog + lf.sheet_xml()[len('<?xml version="1.0" encoding="UTF-8"?>') :]))
    assert error.message == f"part xl/worksheets/sheet1.xml has no XML element in its first 64 KiB (file {NAME})"
    assert error.hint == "The file is damaged or is not a workbook; ask for a new copy"


def test_an_empty_part_has_nothing_to_refuse():
    assert check_workbook_archive(archive_bytes({"docProps/app.xml": ""}), name=NAME) is None


# --- a sheet's extent -----------------------------------------------------------------------------------


def test_a_sheet_past_the_cells_limit_is_refused_naming_the_sheet_and_the_way_to_raise_it():
    sheet = lf.sheet_xml('<row r="30"><c r="D30"><v>1</v></c></row>')  # A1:D30, 120 cells
    assert check_workbook_archive(archive_bytes(sheet=sheet), name=NAME, limits=ReadLimits(cells=120)) is None
    error = refusal(archive_bytes(sheet=sheet), limits=ReadLimits(cells=100))
    assert error.message == (
        "the sheet spans 30 rows × 4 columns, more than the cells limit of 100 cells: refused without reading it "
        f"(file {NAME}, sheet '台账')"
    )
    assert "--max-cells" in error.hint and "VILLAGECON_MAX_CELLS" in error.hint


def test_a_sheet_named_by_an_absolute_target_is_checked_too():
    rels = lf._WORKBOOK_RELS.replace('Target="worksheets/sheet1.xml"', 'Target="/xl/worksheets/sheet1.xml"')
    data = archive_bytes(
        {"xl/_rels/workbook.xml.rels": rels}, sheet=lf.sheet_xml('<row r="30"><c r="D30"><v>1</v></c></row>')
    )
    assert sheet_parts(zipfile.ZipFile(io.BytesIO(data))) == {"台账": "xl/worksheets/sheet1.xml"}
    assert refusal(data, limits=ReadLimits(cells=100)).message.startswith("the sheet spans 30 rows × 4 columns")


def test_the_uncompressed_limit_counts_what_every_part_declares():
    data = archive_bytes()
    declared = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    error = refusal(data, limits=ReadLimits(uncompressed_mb=declared / 2 / 1024**2))
    assert error.message.startswith(f"the workbook's parts say they unpack to {declared / 1024:.1f} KB from ")
    assert "--max-uncompressed-mb" in error.hint
    assert check_workbook_archive(data, name=NAME, limits=ReadLimits(uncompressed_mb=declared / 1024**2)) is None


# --- old .xls workbooks ---------------------------------------------------------------------------------


def test_an_old_workbook_within_the_limit_passes_and_one_past_it_is_refused(tmp_path):
    data = lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS).read_bytes()
    assert data.startswith(OLE_MAGIC)
    assert check_old_workbook(data, name="濠头乡/台账.xls", limits=ReadLimits(cells=8)) is None
    with pytest.raises(LedgerFileError) as refused:
        check_old_workbook(data, name="濠头乡/台账.xls", limits=ReadLimits(cells=4))
    assert refused.value.message == (
        "a sheet declares 2 rows × 4 columns, more than the cells limit of 4 cells: refused without reading it "
        "(file 濠头乡/台账.xls)"
    )


def test_an_excel_95_book_stream_is_checked_and_a_file_without_one_is_left_to_the_reader(tmp_path):
    stream = compound_stream(lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS).read_bytes(), ("Workbook",))
    assert stream is not None
    with pytest.raises(LedgerFileError, match=r"^a sheet declares 2 rows × 4 columns"):
        check_old_workbook(lf.compound_file({"Book": stream}), name="台账.xls", limits=ReadLimits(cells=4))
    assert check_old_workbook(lf.compound_file({"Other": stream}), name="台账.xls", limits=ReadLimits(cells=4)) is None


def test_compound_stream_finds_a_stream_by_name_and_refuses_a_broken_header(tmp_path):
    data = lf.xls_workbook(tmp_path, "台账.xls", XLS_ROWS).read_bytes()
    stream = compound_stream(data, ("Book", "Workbook"))
    assert stream is not None and len(stream) == 4096
    assert struct.unpack_from("<H", stream)[0] == BIFF_BOF  # a BIFF stream starts with its BOF record
    assert compound_stream(data, ("Nothing",)) is None
    with pytest.raises(ValueError, match=r"^shorter than its header$"):
        compound_stream(data[:100], ("Workbook",))
    odd = bytearray(data)
    struct.pack_into("<H", odd, 30, 10)  # 1,024-byte sectors: no such version
    with pytest.raises(ValueError, match=r"^sector sizes 2\*\*10 and 2\*\*6$"):
        compound_stream(bytes(odd), ("Workbook",))
    with pytest.raises(LedgerFileError, match=r"^the workbook is damaged: its compound-file structure is broken"):
        check_old_workbook(bytes(odd), name="台账.xls")
