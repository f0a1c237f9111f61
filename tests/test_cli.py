"""`villagecon clean`, `report`, `verify`: the files they write, their exit codes and their messages."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import forms_tables as ft
import pandas as pd
import pytest

from villagecon.cli import EXIT_BUG, EXIT_ERROR, EXIT_OK, EXIT_REJECTS, main
from villagecon.outputs import load_processed
from villagecon.version import __version__

import ledger_files as lf


def test_clean_writes_every_table_and_a_manifest_with_input_hashes(raw, tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "accounts.parquet",
        "duplicates.csv",
        "entries.parquet",
        "manifest.json",
        "rejects.csv",
        "repeated_lines.csv",
        "subtotals.csv",
    ]
    accounts = pd.read_parquet(out / "accounts.parquet")
    tashui = accounts.set_index(["village", "year"]).loc[("塔水村", 2020)]
    assert tashui["operating_income"] == 120_000 and tashui["admin_expense"] == 35_000
    assert tashui["village_code"] == "431002100001"  # register.csv in RAW was found and used

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = {record["file"]: record["sha256"] for record in manifest["inputs"]}
    assert inputs["塔水村台账.csv"] == hashlib.sha256((raw / "塔水村台账.csv").read_bytes()).hexdigest()
    assert manifest["register"]["file"] == "register.csv"
    assert manifest["counts"]["entries"] == len(pd.read_parquet(out / "entries.parquet"))
    assert set(manifest["rows_by_kind"]) <= {"title", "unit", "header", "blank", "data", "subtotal", "note"}
    assert (out / "rejects.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese

    printed = capsys.readouterr().out
    assert "entries:" in printed and str(out) in printed


def test_strict_exits_1_when_a_cell_was_rejected_and_rejects_csv_is_formula_safe(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    # A CSV: openpyxl would store the = text as a formula.
    (raw / "台账2022.csv").write_text(
        "年度,村,科目,金额（元）\n2022,上河村,经营收入,12.3%\n"
        "2022,上河村,管理费用,=1+1 (typed as text)\n2022,上河村,补助收入,5000\n",
        encoding="utf-8",
    )
    out = tmp_path / "processed"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert main(["clean", str(raw), "--out", str(out), "--strict"]) == EXIT_REJECTS
    rejects = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(rejects["value"]) == ["'=1+1 (typed as text)", "12.3%"]
    assert rejects["source"].tolist() == ["台账2022.csv!!2", "台账2022.csv!!3"]
    assert "rejects.csv" in capsys.readouterr().out


def test_a_damaged_file_is_exit_2_with_a_message_naming_it_and_no_traceback(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "坏文件.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == EXIT_ERROR
    error = capsys.readouterr().err
    assert error.startswith("villagecon: error:") and "坏文件.xlsx" in error and "Traceback" not in error
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_an_unknown_unit_is_refused_by_argparse(raw, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["clean", str(raw), "--unit", "千克"])
    assert exited.value.code == 2
    assert "invalid choice: '千克'" in capsys.readouterr().err


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["clean", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for option in ("--out", "--register", "--unit", "--encoding", "--strict", "rejects.csv", "manifest.json"):
        assert option in text


def test_the_installed_command_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "villagecon", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: villagecon [-h] [--version] [-v] COMMAND ...\n")
    assert "clean" in done.stdout and "sample" in done.stdout and "Exit status:" in done.stdout


def test_main_module_exits_with_the_status_of_main(monkeypatch, capsys):
    # villagecon.__main__ runs the command line when imported; here on `--version`, in this process.
    monkeypatch.setattr(sys, "argv", ["villagecon", "--version"])
    monkeypatch.delitem(sys.modules, "villagecon.__main__", raising=False)
    with pytest.raises(SystemExit) as exited:
        import villagecon.__main__  # noqa: F401
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"villagecon {__version__}\n"


@pytest.mark.parametrize(("threshold", "why"), [("abc", "not an amount of money"), ("12.3%", "a percentage")])
def test_a_threshold_that_is_no_amount_is_refused_with_what_to_write(threshold, why, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["report", "--threshold", threshold])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --threshold: '{threshold}' cannot be read as a threshold ({why}" in error
    assert error.rstrip().endswith("write the threshold as 100000 or 10万")
    assert "errors='coerce'" not in error and "Traceback" not in error


# --- inspect, --include-hidden, --synonyms ---------------------------------------------------------------------


def test_help_of_clean_report_and_inspect_explains_hidden_sheets_and_synonyms(capsys):
    for command in ("clean", "report", "inspect"):
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])
        assert exited.value.code == 0
        text = " ".join(capsys.readouterr().out.split())
        assert "--include-hidden also read the sheets a workbook hides" in text
        assert "--synonyms FILE a CSV with columns spelling,meaning" in text
        assert "Default: synonyms.csv in the folder read" in text
    assert "--write-layout also write NAME.layout.toml beside each ledger file read" in text
    assert "--force with --write-layout: replace existing layout files" in text


def test_inspect_prints_every_sheet_and_uses_the_register_in_the_folder(raw, capsys):
    assert main(["inspect", str(raw)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"villagecon inspect {raw}\nregister: {raw / 'register.csv'}\n")
    assert "== 汝城县2022.xlsx  (1 sheet: 1 read)" in printed and "== 塔水村台账.csv  (1 sheet: 1 read)" in printed
    assert "== register.csv" not in printed
    assert "orientation: villages and items and years down" in printed
    assert "2 files, 2 sheets: 2 read, 0 not a ledger, 0 hidden, 0 unreadable" in printed
    assert not list(raw.glob("*.layout.toml"))


def test_inspect_write_layout_writes_once_and_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = lf.wide_xlsx(tmp_path)
    layout = tmp_path / "汝城县2022.layout.toml"
    assert main(["inspect", str(path), "--write-layout"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"wrote {layout}")
    edited = layout.read_text(encoding="utf-8").replace("year = 2022", "year = 2021")
    layout.write_text(edited, encoding="utf-8")

    assert main(["inspect", str(path), "--write-layout"]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "year:     2021 (from the layout file)" in captured.out  # the edited layout is applied
    assert captured.err == (
        f"villagecon: error: {layout} already exists and was not overwritten: edit it, delete "
        "it, or pass --force to replace it\n"
    )
    assert layout.read_text(encoding="utf-8") == edited

    assert main(["inspect", str(path), "--write-layout", "--force"]) == 0
    assert f"wrote {layout}" in capsys.readouterr().out
    assert "year = 2021                  # from the layout file" in layout.read_text(encoding="utf-8")


def test_inspect_of_a_single_file_that_cannot_be_read_prints_the_error(tmp_path, capsys):
    no_header = ft.no_header_xlsx(tmp_path)
    assert main(["inspect", str(no_header)]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert captured.err.startswith("villagecon: error: no ledger header found")
    assert "(file 新村岭秀村.xlsx, sheet 'Sheet1', row 1, cell B1)" in captured.err and "Traceback" not in captured.err
    assert main(["inspect", str(ft.damaged_xlsx(tmp_path))]) == EXIT_ERROR
    assert "the workbook is damaged or incomplete" in capsys.readouterr().err


def test_a_malformed_layout_file_stops_inspect_and_clean_with_a_message_naming_file_and_key(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.wide_xlsx(raw)
    (raw / "汝城县2022.layout.toml").write_text('[sheets."2022年"]\nunit = "万"\n', encoding="utf-8")
    for argv in (["inspect", str(raw)], ["clean", str(raw), "--out", str(tmp_path / "out")]):
        assert main(argv) == EXIT_ERROR
        error = capsys.readouterr().err
        assert error.startswith("villagecon: error: file 汝城县2022.layout.toml, sheet '2022年': unit must be one of")
        assert "not '万'" in error and "Traceback" not in error


def test_clean_synonyms_adds_a_spelling(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.workbook(
        raw,
        "濠头乡2022.xlsx",
        [
            ["濠头乡2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["村名", "光伏电站收益", "补助收入"],
            ["上河村", 12, 3],
        ],
    )
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out), "--strict"]) == EXIT_REJECTS
    rejects = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig")
    assert rejects[["cell", "problem"]].values.tolist() == [["B4", "column_unknown"]]
    assert "add its spelling and meaning to synonyms.csv" in rejects["reason"][0]

    synonyms = tmp_path / "synonyms.csv"
    synonyms.write_text("spelling,meaning\n光伏电站收益,operating_income\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["clean", str(raw), "--out", str(out), "--strict", "--synonyms", str(synonyms)]) == 0
    accounts = pd.read_parquet(out / "accounts.parquet").set_index("village")
    assert accounts.loc["上河村", "operating_income"] == 120_000
    assert "rejects: 0" in capsys.readouterr().out


def test_clean_include_hidden_reads_the_hidden_sheets(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    ft.hidden_copy_xlsx(raw)
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "sheets and files skipped: 2 (0 unreadable, 0 not ledgers, 2 hidden)" in printed
    assert "skipped (hidden): 濠头乡2022.xlsx!Sheet1 (2): the workbook hides this sheet (hidden)" in printed
    assert pd.read_parquet(out / "accounts.parquet").set_index("village").loc["上河村", "operating_income"] == 200_000

    assert main(["clean", str(raw), "--out", str(out), "--include-hidden"]) == 0
    printed = capsys.readouterr().out
    assert "sheets and files skipped: 1 (0 unreadable, 1 not ledgers, 0 hidden)" in printed
    # The stale copy, read, disagrees: 上河村's 经营收入 (20 vs 18) and 大坪村's 补助收入 are conflicts.
    rejects = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig")
    assert sorted(rejects["problem"]) == ["conflict"] * 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["sheet"] for s in manifest["skipped_sheets"]] == ["村名列表"]


def test_report_passes_include_hidden_and_synonyms_to_build_report(tmp_path, monkeypatch, capsys):
    import villagecon.report.build

    received = {}

    def build_report(
        year=None,
        *,
        raw,
        out,
        measure,
        threshold,
        progress,
        limits,
        include_hidden=False,
        synonyms=None,
        outside_links=False,
        area=None,
        office="",
        inclusive=True,
        processed=None,
        jobs=None,
    ):
        received.update(
            year=year,
            raw=raw,
            include_hidden=include_hidden,
            synonyms=synonyms,
            outside_links=outside_links,
            area=area,
            office=office,
            inclusive=inclusive,
            processed=processed,
            jobs=jobs,
        )
        return out / "2022"

    monkeypatch.setattr(villagecon.report.build, "build_report", build_report)
    synonyms = tmp_path / "synonyms.csv"
    assert (
        main(
            [
                "report",
                "--year",
                "2022",
                "--raw",
                str(tmp_path),
                "--out",
                str(tmp_path / "reports"),
                "--include-hidden",
                "--synonyms",
                str(synonyms),
                "--follow-outside-links",
                "--area",
                "郴州市",
                "--office",
                "郴州市农业农村局",
                "--processed",
                str(tmp_path / "cleaned"),
                "--jobs",
                "3",
                "--exceeding",
            ]
        )
        == 0
    )
    assert received == {
        "year": 2022,
        "raw": tmp_path,
        "include_hidden": True,
        "synonyms": synonyms,
        "outside_links": True,
        "area": "郴州市",
        "office": "郴州市农业农村局",
        "inclusive": False,
        "processed": tmp_path / "cleaned",
        "jobs": 3,
    }
    assert f"report: {tmp_path / 'reports' / '2022' / 'report.html'}" in capsys.readouterr().out


def test_strict_counts_a_hidden_sheet_but_not_a_roster(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.long_xlsx(raw)
    lf.workbook(raw, "花名册.xlsx", [["姓名", "村", "任职起始"], ["张小雄", "上河村", "2017-04"]])
    assert main(["clean", str(raw), "--out", str(tmp_path / "out"), "--strict"]) == 0  # a roster holds no amounts
    ft.hidden_copy_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(tmp_path / "out"), "--strict"]) == EXIT_REJECTS
    out = capsys.readouterr().out
    assert "skipped (hidden): 濠头乡2022.xlsx!Sheet1 (2)" in out and "2 sheet(s) that may hold amounts" in out


# --- exit statuses -----------------------------------------------------------------------------------------------


def test_the_exit_statuses_are_documented_in_help(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "Exit status:\n  0  done\n  1  --strict found rejected cells or skipped sheets" in text
    assert "\n  2  an input or environment error: a damaged ledger, a bad option, RAW and OUT overlapping," in text
    assert "\n  3  villagecon itself failed (a bug)" in text
    for command in ("clean", "report", "inspect", "verify"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert (
            "exit status: 0 done; 1 --strict found rejected cells or skipped sheets (the outputs are written all "
            "the same); 2 an input or environment error"
        ) in text
        assert "3 villagecon itself failed (a bug)" in text
    assert (EXIT_OK, EXIT_REJECTS, EXIT_ERROR, EXIT_BUG) == (0, 1, 2, 3)


def test_each_outcome_has_its_own_exit_status(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "台账2022.csv").write_text(
        "年度,村,科目,金额（元）\n2022,上河村,经营收入,12.3%\n2022,上河村,补助收入,5000\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out)]) == 0  # rejects, not --strict
    assert main(["clean", str(raw), "--out", str(out), "--strict"]) == 1
    assert main(["clean", str(tmp_path / "nowhere"), "--out", str(out)]) == 2  # an input error
    assert main(["clean", str(raw), "--out", str(raw)]) == 2  # RAW and OUT overlap
    with pytest.raises(SystemExit) as exited:
        main(["clean", str(raw), "--unit", "斤"])  # a bad option
    assert exited.value.code == 2
    capsys.readouterr()

    import villagecon.ingest.processed

    def bug(*args, **kwargs):
        raise KeyError("a villagecon bug")

    monkeypatch.setattr(villagecon.ingest.processed, "write_cleaned", bug)
    assert main(["clean", str(raw), "--out", str(out), "--force"]) == 3
    error = capsys.readouterr().err
    assert "Traceback" in error and "KeyError: 'a villagecon bug'" in error
    assert error.rstrip().endswith(
        "villagecon: internal error (a bug in villagecon, not a problem of your data): "
        "please report it with the traceback above; exit status 3"
    )


def test_an_oserror_outside_writing_is_a_message_with_status_2(tmp_path, monkeypatch, capsys):
    import villagecon.ingest.processed

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "raw" / "台账.xlsx"))

    (tmp_path / "raw").mkdir()
    monkeypatch.setattr(villagecon.ingest.processed, "read_ledger", unreadable)
    assert main(["clean", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == EXIT_ERROR
    assert capsys.readouterr().err == (
        f"villagecon: error: [Errno 13] Permission denied: '{tmp_path / 'raw' / '台账.xlsx'}'\n"
    )


# --- RAW and OUT apart ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "problem"),
    [
        ("raw", "the output folder {out} is the raw folder itself"),
        ("raw/processed", "the output folder {out} is inside the raw folder {raw}"),
        ("raw/汝城县/../out", "the output folder {out} is inside the raw folder {raw}"),
        (".", "the raw data {raw} are inside the output folder {out}"),
    ],
)
@pytest.mark.parametrize("command", ["clean", "report"])
def test_raw_and_out_overlapping_is_refused_before_anything_is_read_or_written(tmp_path, capsys, command, out, problem):
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.wide_xlsx(raw)
    out = tmp_path / out
    argv = (
        ["clean", str(raw), "--out", str(out)]
        if command == "clean"
        else ["report", "--raw", str(raw), "--out", str(out)]
    )
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert main(argv) == EXIT_ERROR
    error = capsys.readouterr().err
    assert error.startswith(
        "villagecon: error: " + problem.format(out=out, raw=raw) + ": outputs would land among "
        "the raw ledgers and be read back as ledgers by the next run. Choose an output folder "
        "apart from the raw data (--out)"
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


# --- verify, and the journal beside the cleaned tables -------------------------------------------------------------


def test_the_journal_and_the_cleaned_tables_share_a_folder_and_each_stays_whole(raw, tmp_path, capsys):
    from test_cli_journal import journal_workbook

    out, journal = tmp_path / "processed", tmp_path / "journal"
    journal_workbook(journal)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert main(["clean", str(journal), "--journal", "--out", str(out)]) == 0  # reconciled with the set
    assert "reconciliation with the annual statements:" in capsys.readouterr().out
    assert main(["clean", str(raw), "--out", str(out)]) == 0  # the journal's files stay
    names = {p.name for p in out.iterdir()}
    assert {"accounts.parquet", "manifest.json", "journal_accounts.parquet", "journal_manifest.json"} <= names
    assert len(load_processed(out).accounts) == 5
    assert main(["verify", str(out)]) == 0
    # A cleaned set changed by hand is not reconciled against: the journal run names it and stops.
    pd.read_parquet(out / "accounts.parquet").head(1).to_parquet(out / "accounts.parquet")
    capsys.readouterr()
    assert main(["clean", str(journal), "--journal", "--out", str(out)]) == EXIT_ERROR
    assert capsys.readouterr().err.startswith(
        f"villagecon: error: the outputs in {out} are not one whole set: "
        "accounts.parquet differs from the file that run wrote"
    )


# --- the featured village --------------------------------------------------------------------------------------------


@pytest.fixture
def two_new_villages(tmp_path):
    """Two villages named 新村, in 汝城县土桥镇 and 宜章县梅田镇, with the register telling them apart."""
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.register(raw)
    (raw / "新村台账.csv").write_text(
        "年度,县,乡镇,村,科目,金额（元）\n2022,汝城县,土桥镇,新村,经营收入,120000\n"
        "2022,宜章县,梅田镇,新村,经营收入,30000\n",
        encoding="utf-8",
    )
    return raw


@pytest.mark.parametrize(
    ("village", "message"),
    [
        (
            "新村",
            "--village '新村' names 2 villages: 宜章县/梅田镇/新村 (431022100001), 汝城县/土桥镇/新村 (431026101003). "
            "Pass one of them (县/乡镇/村, or the village_code in brackets)",
        ),
        (
            "汝城县/濠头乡/新村",
            "--village '汝城县/濠头乡/新村': no such village in the data up to the report year; "
            "closest: 汝城县/土桥镇/新村 (431026101003). Write its village_code or 县/乡镇/村 as the "
            "register writes them",
        ),
        ("新村/新村", "--village '新村/新村': write a village_code or 县/乡镇/村, e.g. 汝城县/濠头乡/上河村"),
    ],
)
def test_an_unknown_or_ambiguous_village_is_refused_naming_the_candidates(
    two_new_villages, tmp_path, capsys, village, message
):
    argv = ["report", "--raw", str(two_new_villages), "--out", str(tmp_path / "reports"), "--village", village]
    assert main(argv) == EXIT_ERROR
    assert capsys.readouterr().err.splitlines()[-1] == f"villagecon: error: {message}"
    assert not (tmp_path / "reports" / "2022").exists()


@pytest.mark.parametrize("village", ["宜章县/梅田镇/新村", "431022100001"])
def test_village_chooses_the_story_by_code_or_county_township_village(two_new_villages, tmp_path, village):
    reports = tmp_path / "reports"
    assert main(["report", "--raw", str(two_new_villages), "--out", str(reports), "--village", village]) == 0
    page = (reports / "2022" / "report.html").read_text(encoding="utf-8")
    assert re.search("<h2>[一二三四五六七八九十]+、新村：收入与负债</h2>", page)
    assert "2022年本年收入合计3.0万元" in page  # 宜章县's, not 汝城县's 12万
    manifest = json.loads((reports / "2022" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["village"] == [village]  # --village may be repeated
