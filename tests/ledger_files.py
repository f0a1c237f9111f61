"""Small ledger files in every layout villagecon reads, with numbers checkable by hand.

Each builder writes one file into a folder and returns its path. The expected
values are spelled out in the tests that use them.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from pathlib import Path

import openpyxl

REGISTER_CSV = """county,county_code,township,village,village_code,aliases
汝城县,431026,濠头乡,上河村,431026100001,上河村村委会
汝城县,431026,濠头乡,大坪村,431026100002,
汝城县,431026,土桥镇,龙虎村,431026101001,
汝城县,431026,土桥镇,石门村,431026101002,
北湖区,431002,华塘镇,塔水村,431002100001,
汝城县,431026,土桥镇,新村,431026101003,
宜章县,431022,梅田镇,新村,431022100001,
"""

WIDE_HEADER_TOP = [
    "乡镇",
    "村名",
    "本年收入",
    None,
    None,
    None,
    None,
    None,
    "本年支出",
    None,
    None,
    None,
    "本年收益",
    "资产",
    "负债",
]
WIDE_HEADER_SUB = [
    None,
    None,
    "经营收入",
    "发包及上交收入",
    "投资收益",
    "补助收入",
    "其他收入",
    "合计",
    "经营支出",
    "管理费用",
    "其他支出",
    "合计",
    None,
    None,
    None,
]
# 万元. Row 5 onwards; 上河村's total is approximate, 石门村's 本年收益 is negative in parentheses.
WIDE_ROWS = [
    ["濠头乡", "上河村村委会", 20, 5, 10, 3, "2", "40余万元", 8, 6, 1, 15, 25, 300, 0],
    ["濠头乡", "大坪村", 5.5, 1, 0, 4, 0.5, 11, 3, 2.5, 0.5, 6, 5, 120, 10],
    ["濠头乡小计", None, 25.5, 6, 10, 7, 2.5, 51, 11, 8.5, 1.5, 21, 30, 420, 10],
    ["土桥镇", "龙虎村", 8, 2, 0, "十二万", 0, 22, 3, 4, 0, 7, 15, 200, "—"],
    ["土桥镇", "石门　村", 2, 1, 0, 3, 0, 6, 4, 3.2, 0, 7.2, "（1.2）", 50, 8],
    ["土桥镇小计", None, 10, 3, 0, 15, 0, 28, 7, 7.2, 0, 14.2, 13.8, 250, 8],
    ["合　计", None, 35.5, 9, 10, 22, 2.5, 79, 18, 15.7, 1.5, 35.2, 43.8, 670, 18],
]
WIDE_TITLE = "汝城县2022年村级集体经济收入统计表"
WIDE_NOTE = "注：本表为测试数据"


def register(folder: Path) -> Path:
    path = Path(folder) / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    return path


def wide_xlsx(
    folder: Path,
    *,
    name: str = "汝城县2022.xlsx",
    rows=WIDE_ROWS,
    title: str = WIDE_TITLE,
    unit_row: str | None = "单位：万元",
    sheet: str = "2022年",
) -> Path:
    """Layout 1: title, unit row, two-level merged header, 小计 and 合计 rows, a note."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells("A1:O1")
    ws.append([unit_row])
    ws.append(WIDE_HEADER_TOP)
    ws.append(WIDE_HEADER_SUB)
    for merged in ("A3:A4", "B3:B4", "C3:H3", "I3:L3", "M3:M4", "N3:N4", "O3:O4"):
        ws.merge_cells(merged)
    for row in rows:
        ws.append(row)
    ws.append([WIDE_NOTE])
    path = Path(folder) / name
    book.save(path)
    return path


def wide_csv(folder: Path, *, name: str = "汝城县2022.csv", encoding: str = "gbk", unit_row: str = "单位：元") -> Path:
    """Layout 1 as CSV (no merges: the group label stands over its first sub-column), amounts in 元."""

    def in_yuan(value):
        return value * 10_000 if isinstance(value, (int, float)) else value

    rows = [[WIDE_TITLE], [unit_row], WIDE_HEADER_TOP, WIDE_HEADER_SUB]
    rows += [[in_yuan(v) for v in row] for row in WIDE_ROWS]
    # Text amounts carry their own unit or none; in a 元 sheet bare text numbers are 元.
    rows[4][6] = "20000"
    rows[8][12] = "（12000）"
    rows += [[WIDE_NOTE]]
    return _write_csv(Path(folder) / name, rows, encoding)


def long_xlsx(folder: Path, *, name: str = "台账2021.xlsx") -> Path:
    """Layout 2: 年度 | 村名 | 科目 | 金额（万元）, years written three ways."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["2021年村级集体经济收支台账"])
    ws.append(["年度", "村名", "科目", "金额（万元）"])
    ws.append([2021, "上河村", "经营收入", 12])
    ws.append(["2021年", "上河村", "发包及上缴收入", 3.5])
    ws.append(["二〇二一年", "上河村", "本年收入合计", 15.5])
    ws.append([2021, "大坪村", "经营收入", "4.2万"])
    ws.append([2021, "大坪村", "管理费用", "1,234.5元"])
    path = Path(folder) / name
    book.save(path)
    return path


def long_csv(folder: Path, *, name: str = "塔水村台账.csv", encoding: str = "utf-8-sig") -> Path:
    """Layout 2 with 收入/支出 columns instead of 金额, a 日期 column, 单位：元."""
    rows = [
        ["单位：元"],
        ["日期", "村", "项目", "收入", "支出"],
        ["2020-12-31", "塔水村", "经营收入", "120,000.00", ""],
        ["2020/12/31", "塔水村", "管理费用", "", "35000"],
        ["2020年12月", "塔水村", "补助收入", "80000", ""],
        ["2020-12-31", "塔水村", "投资收益", "△5000", ""],
    ]
    return _write_csv(Path(folder) / name, rows, encoding)


STATEMENT_ROWS = [
    ("一、本年收入", 0, 150000, 260000),
    ("  1.经营收入", 0, 100000, 180000),
    ("    其中：光伏发电收入", None, 60000, 90000),
    ("  2.发包及上交收入", 0, 20000, 30000),
    ("  3.投资收益", None, None, None),
    ("  4.补助收入", 0, 30000, 50000),
    ("  5.其他收入", None, None, None),
    ("二、本年支出", 42000, 90000, 120000),
    ("  1.经营支出", 30000, 60000, 80000),
    ("  2.管理费用", 12000, 30000, 40000),
    ("三、本年收益", "负债4.2万元", 60000, 140000),
    ("四、资产总额", 500000, 650000, 800000),
    ("五、负债总额", 42000, 20000, 0),
]


def statement_xlsx(folder: Path, *, name: str = "濠头乡收益分配表.xlsx") -> Path:
    """Layout 3: one sheet per village, items down, years across (written three ways)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "上河村"
    ws.append(["汝城县濠头乡上河村收益分配表"])
    ws.append(["单位：元"])
    ws.append(["项目", "2017年", 2018, "二〇一九年"])
    for row in STATEMENT_ROWS:
        ws.append(list(row))
    other = book.create_sheet("大坪村")
    other.append(["汝城县濠头乡大坪村收益分配表"])
    other.append(["单位：万元"])
    other.append(["项目", "2019年"])
    other.append(["一、本年收入", 8])
    other.append(["  1.经营收入", 8])
    other.append(["二、本年支出", 2])
    other.append(["三、本年收益", 6])
    path = Path(folder) / name
    book.save(path)
    return path


def workbook(
    folder: Path, name: str, rows: list[list], *, sheet: str = "Sheet1", formulas: dict | None = None, merges=()
) -> Path:
    """Any small workbook: rows as given, optional formulas written without saved values."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref, formula in (formulas or {}).items():
        ws[ref] = formula
    for merged in merges:
        ws.merge_cells(merged)
    path = Path(folder) / name
    book.save(path)
    return path


def _write_csv(path: Path, rows: list[list], encoding: str) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- Workbooks written part by part, for files no spreadsheet program would save ---------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
LONG_LEDGER_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>年度</t></is></c><c r="B1" t="inlineStr"><is><t>村'
    '</t></is></c><c r="C1" t="inlineStr"><is><t>科目</t></is></c><c r="D1" t="inlineStr"><is><t>'
    '金额（元）</t></is></c></row><row r="2"><c r="A2"><v>2022</v></c><c r="B2" t="inlineStr"><is>'
    '<t>上河村</t></is></c><c r="C2" t="inlineStr"><is><t>经营收入</t></is></c><c r="D2"><v>5000'
    "</v></c></row>"
)


def sheet_xml(rows: str = LONG_LEDGER_ROWS, *, prolog: str = "") -> str:
    """A worksheet part: ``prolog`` (e.g. a DOCTYPE) before its root element, ``rows`` in sheetData."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f"<sheetData>{rows}</sheetData></worksheet>"
    )


def raw_workbook(folder: Path, name: str, sheet: str | bytes | None = None, *, parts: dict | None = None) -> Path:
    """An .xlsx assembled part by part (one sheet, 台账); ``parts`` adds or replaces parts by name."""
    contents = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(),
    }
    contents.update(parts or {})
    path = Path(folder) / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in contents.items():
            archive.writestr(part, content)
    return path


def declare_size(path: Path, part: str, size: int, *, crc: int | None = None) -> Path:
    """Rewrite the size (and checksum) a zip entry declares in both of its headers, leaving its data alone."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    if crc is not None:
        struct.pack_into("<I", data, info.header_offset + 14, crc)
    directory = data.find(b"PK\x01\x02")
    while directory >= 0:
        name_length = struct.unpack_from("<H", data, directory + 28)[0]
        if bytes(data[directory + 46 : directory + 46 + name_length]) == part.encode():
            struct.pack_into("<I", data, directory + 24, size)
            if crc is not None:
                struct.pack_into("<I", data, directory + 16, crc)
        directory = data.find(b"PK\x01\x02", directory + 4)
    path.write_bytes(bytes(data))
    return path


# --- Old .xls workbooks (BIFF8 in a compound file), written record by record ---------------------------

_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _cell_records(rows: list[list]) -> bytes:
    records = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int | float):
                records += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))  # NUMBER
            else:
                text = str(value).encode("utf-16-le")
                records += _record(0x0204, struct.pack("<HHHHB", r, c, 0, len(text) // 2, 1) + text)  # LABEL
    return records


def xls_workbook(
    folder: Path,
    name: str,
    rows: list[list],
    *,
    sheet: str = "台账",
    extra: bytes = b"",
    dimensions: tuple[int, int, int, int] | None = None,
    shared_strings: int | None = None,
) -> Path:
    """A one-sheet .xls: BIFF8 records (BOF, CODEPAGE, BOUNDSHEET, EOF; BOF, DIMENSIONS, cells, EOF) in a
    compound file. ``extra`` records go after the cells; ``dimensions`` (first row, last row + 1, first
    column, last column + 1) and an SST record declaring ``shared_strings`` strings let tests lie."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    name_bytes = sheet.encode("utf-16-le")
    globals_before_sheet = _record(0x0809, bof) + _record(0x0042, struct.pack("<H", 1200))
    if shared_strings is not None:
        globals_before_sheet += _record(0x00FC, struct.pack("<ii", shared_strings, shared_strings))
    boundsheet_length = 4 + 8 + len(name_bytes)
    sheet_offset = len(globals_before_sheet) + boundsheet_length + 4  # + EOF
    globals_part = (
        globals_before_sheet
        + _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(sheet), 1) + name_bytes)
        + _record(0x000A, b"")
    )
    width = max((len(row) for row in rows), default=0)
    first_row, last_row, first_col, last_col = dimensions or (0, len(rows), 0, width)
    sheet_part = (
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
        + _record(0x0200, struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0))
        + _cell_records(rows)
        + extra
        + _record(0x000A, b"")
    )
    stream = globals_part + sheet_part
    stream += b"\0" * max(0, 4096 - len(stream))  # a normal stream, not the mini stream of small ones
    path = Path(folder) / name
    path.write_bytes(compound_file({"Workbook": stream}))
    return path


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file (512-byte sectors) holding ``streams`` of at least 4,096 bytes each."""
    sectors, fat = [], [_FAT_SECTOR, _END]  # sector 0: the FAT; sector 1: the directory
    entries = [("Root Entry", 5, _END, 0, 1 if streams else _NO_STREAM)]
    for number, (stream_name, data) in enumerate(streams.items()):
        count = -(-len(data) // 512)
        start = 2 + len(sectors)
        fat += [start + i + 1 for i in range(count - 1)] + [_END]
        sectors += [data[i * 512 : (i + 1) * 512].ljust(512, b"\0") for i in range(count)]
        entries.append(
            (stream_name, 2, start, len(data), _NO_STREAM, number + 2 if number + 1 < len(streams) else _NO_STREAM)
        )
    directory = b""
    for entry in entries[:4]:
        entry_name, kind, start, size, child = entry[:5]
        right = entry[5] if len(entry) > 5 else _NO_STREAM
        encoded = (entry_name + "\0").encode("utf-16-le")
        directory += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NO_STREAM, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )
    directory = directory.ljust(512, b"\0")
    fat_sector = b"".join(struct.pack("<I", value) for value in fat).ljust(512, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + b"\xff" * (4 * 108)
    )
    return header + fat_sector + directory + b"".join(sectors)
