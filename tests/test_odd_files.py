"""Odd files and odd cells: every cell and every file under the folder read is accounted for.

Excel error cells (#DIV/0!, #REF!, #N/A) that readers turn into empty cells, control characters in names,
LibreOffice's .ods, files of other types, hidden files, Excel's lock files, links (dangling, leading out of the
folder, looping) and a file named with a newline.
"""

from __future__ import annotations

import json
import math
import os
import struct
import zipfile

import pandas as pd
import pytest

from villagecon import read_ledger
from villagecon.cli import EXIT_REJECTS, main

import ledger_files as lf

TITLE = "濠头乡2022年村级集体经济收入（单位：元）"


def csv_text(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def ods(path, rows):
    """A LibreOffice spreadsheet as LibreOffice writes one: mimetype, manifest, content.xml."""

    def cell(value):
        if isinstance(value, (int, float)):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
                "</table:table-cell>"
            )
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="收入">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_excel_error_cells_are_rejects_naming_the_error_not_empty_cells(tmp_path, capsys):
    path = lf.workbook(
        tmp_path,
        "濠头乡.xlsx",
        [
            [TITLE],
            ["村名", "经营收入", "补助收入", "本年收入合计"],
            ["上河村", "#DIV/0!", 5, 20],
            ["林源村", 10, "#REF!", 30],
            ["石门村", 8, 1, "#N/A"],
        ],
    )
    ledger = read_ledger(path)
    ledger.check_nothing_lost()
    found = dict(zip(ledger.rejects["cell"], ledger.rejects["reason"], strict=True))
    assert set(ledger.rejects["problem"]) == {"excel_error"}
    assert found == {
        "B3": "the cell shows the Excel error #DIV/0!: correct the formula in Excel (or type the amount), save, and "
        "read the file again",
        "C4": "the cell shows the Excel error #REF!: correct the formula in Excel (or type the amount), save, and "
        "read the file again",
        "D5": "the cell shows the Excel error #N/A: correct the formula in Excel (or type the amount), save, and "
        "read the file again",
    }
    shimen = ledger.accounts.set_index("village").loc["石门村"]
    assert math.isnan(shimen["total_income"])  # its written total was an error, and no part may stand in
    folder = tmp_path / "raw"
    folder.mkdir()
    path.rename(folder / path.name)
    assert main(["clean", str(folder), "--out", str(tmp_path / "out"), "--strict"]) == EXIT_REJECTS
    assert "3 excel_error" in capsys.readouterr().out


def test_a_control_character_in_a_village_name_is_a_reject_not_a_second_village(tmp_path):
    ledger = read_ledger(csv_text(tmp_path / "n.csv", f"{TITLE}\n村名,经营收入\n乙村,5\n乙\x00村,6\n"))
    assert ledger.accounts["village"].tolist() == ["乙村"]
    assert ledger.rejects[["cell", "problem"]].values.tolist() == [["B4", "village_unreadable"]]
    assert ledger.rejects.at[0, "reason"].startswith("the village name '乙\\x00村' holds a control character")


def test_a_libreoffice_ods_is_read_like_a_workbook(tmp_path):
    ledger = read_ledger(ods(tmp_path / "濠头乡.ods", [[TITLE], ["村名", "经营收入"], ["上河村", 5], ["林源村", 6]]))
    assert ledger.accounts.set_index("village")["operating_income"].to_dict() == {"上河村": 5, "林源村": 6}
    assert ledger.entries["source"].tolist() == ["濠头乡.ods!收入!3", "濠头乡.ods!收入!4"]


@pytest.fixture
def odd_folder(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    csv_text(raw / "上河村.csv", f"{TITLE}\n村名,经营收入\n上河村,5\n")
    (raw / "说明.docx").write_bytes(b"PK not really")
    (raw / ".DS_Store").write_bytes(b"\0")
    (raw / "~$濠头乡.xlsx").write_bytes(b"lock")
    os.symlink(tmp_path / "gone.xlsx", raw / "dangling.xlsx")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    csv_text(outside / "外村.csv", f"{TITLE}\n村名,经营收入\n外村,9\n")
    os.symlink(outside, raw / "linked")
    os.symlink(outside / "外村.csv", raw / "外村链接.csv")
    os.symlink(raw, raw / "sub" / "loop")
    csv_text(raw / "sub" / "林源村.csv", f"{TITLE}\n村名,经营收入\n林源村,6\n")
    os.symlink(raw / "sub" / "林源村.csv", raw / "林源村链接.csv")
    return raw


def test_every_file_under_the_folder_is_read_or_named_with_the_reason(odd_folder, tmp_path):
    ledger = read_ledger(odd_folder)
    # A link inside the folder is followed (the same 林源村 twice is one figure and a duplicate).
    assert sorted(ledger.accounts["village"]) == ["上河村", "林源村"]
    skipped = {file: (status, reason) for file, _, status, reason, _ in ledger.skipped.itertuples(index=False)}
    assert skipped[".DS_Store"] == ("not_a_ledger", "a hidden file (or in a hidden folder), not read")
    assert skipped["~$濠头乡.xlsx"] == ("not_a_ledger", "Excel's lock file of a workbook open in Excel, not a ledger")
    assert skipped["说明.docx"][0] == "not_a_ledger" and "not a ledger file type (.docx)" in skipped["说明.docx"][1]
    assert skipped["dangling.xlsx"] == ("unreadable", f"a link to {tmp_path / 'gone.xlsx'}, which does not exist")
    assert skipped["linked"][0] == "unreadable" and "outside" in skipped["linked"][1]
    assert skipped["外村链接.csv"][0] == "unreadable" and "--follow-outside-links" in skipped["外村链接.csv"][1]
    assert skipped["sub/loop"][0] == "unreadable" and "a loop of folder links" in skipped["sub/loop"][1]
    assert len(skipped) == 7
    assert sorted(read_ledger(odd_folder, outside_links=True).accounts["village"]) == ["上河村", "外村", "林源村"]


def test_the_files_not_read_are_in_the_manifest_and_make_strict_fail(odd_folder, tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(odd_folder), "--out", str(out), "--strict"]) == EXIT_REJECTS
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {s["file"] for s in manifest["skipped_sheets"]} == {
        ".DS_Store",
        "~$濠头乡.xlsx",
        "说明.docx",
        "dangling.xlsx",
        "linked",
        "外村链接.csv",
        "sub/loop",
    }


def test_a_file_named_with_a_newline_is_read_and_its_source_says_so(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    csv_text(raw / "上河\n村.csv", f"{TITLE}\n村名,经营收入\n上河村,5\n")
    ledger = read_ledger(raw)
    assert ledger.entries["source"].tolist() == ["上河\\n村.csv!!3"]
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == 0


def test_an_old_xls_error_cell_is_a_reject_too(tmp_path):
    div0 = lf._record(0x0205, struct.pack("<HHHBB", 2, 1, 0, 0x07, 1))  # BOOLERR: #DIV/0! in B3
    path = lf.xls_workbook(
        tmp_path, "濠头乡.xls", [[TITLE], ["村名", "经营收入", "补助收入"], ["上河村", None, 5]], extra=div0
    )
    ledger = read_ledger(path)
    assert ledger.rejects[["cell", "problem"]].values.tolist() == [["B3", "excel_error"]]
    assert "#DIV/0!" in ledger.rejects.at[0, "reason"]


@pytest.mark.parametrize("digits", [307, 308, 309, 400])
def test_a_number_of_hundreds_of_digits_is_too_large_never_missing(tmp_path, digits):
    ledger = read_ledger(csv_text(tmp_path / "n.csv", f"{TITLE}\n村名,经营收入\n上河村,{'1' * digits}\n"))
    assert ledger.rejects[["cell", "problem"]].values.tolist() == [["B3", "amount"]]
    assert ledger.rejects.at[0, "reason"].startswith("larger than 10,000,000,000,000 yuan")


def test_numerals_the_amount_reader_reads_are_amounts_in_a_ledger_too(tmp_path):
    ledger = read_ledger(
        csv_text(
            tmp_path / "n.csv",
            "濠头乡2022年村级集体经济收入\n村名,经营收入\n"
            "上河村,一点二万元\n林源村,兩千六元\n石门村,壹萬貳仟圓整\n"
            "大坪村,廿二元\n黄家村,1万600元\n",
        )
    )
    assert ledger.accounts.set_index("village")["operating_income"].to_dict() == {
        "上河村": 12000,
        "林源村": 2600,
        "石门村": 12000,
        "大坪村": 22,
        "黄家村": 10600,
    }
    assert ledger.rejects.empty


def test_clean_follows_links_out_of_the_folder_only_when_asked(odd_folder, tmp_path):
    assert main(["clean", str(odd_folder), "--out", str(tmp_path / "out")]) == 0
    assert "外村" not in set(pd.read_parquet(tmp_path / "out" / "accounts.parquet")["village"])
    assert main(["clean", str(odd_folder), "--out", str(tmp_path / "all"), "--follow-outside-links"]) == 0
    assert "外村" in set(pd.read_parquet(tmp_path / "all" / "accounts.parquet")["village"])
    assert main(["inspect", str(odd_folder), "--follow-outside-links"]) == 0
