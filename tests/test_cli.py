"""`villagecon clean`: the files it writes, its exit codes and its messages."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest

from villagecon.cli import EXIT_ERROR, EXIT_REJECTS, main

import ledger_files as lf


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    lf.register(folder)
    lf.wide_xlsx(folder)
    lf.long_csv(folder)
    return folder


def test_clean_writes_every_table_and_a_manifest_with_input_hashes(raw, tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["accounts.parquet", "duplicates.csv", "entries.parquet",
                                                     "manifest.json", "rejects.csv", "subtotals.csv"]
    accounts = pd.read_parquet(out / "accounts.parquet")
    tashui = accounts.set_index(["village", "year"]).loc[("塔水村", 2020)]
    assert tashui["operating_income"] == 120_000 and tashui["admin_expense"] == 35_000
    assert tashui["village_code"] == "431002100001"     # register.csv in RAW was found and used

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = {record["file"]: record["sha256"] for record in manifest["inputs"]}
    assert inputs["塔水村台账.csv"] == hashlib.sha256((raw / "塔水村台账.csv").read_bytes()).hexdigest()
    assert manifest["register"]["file"] == "register.csv"
    assert manifest["counts"]["entries"] == len(pd.read_parquet(out / "entries.parquet"))
    assert set(manifest["rows_by_kind"]) <= {"title", "unit", "header", "blank", "data", "subtotal", "note"}
    assert (out / "rejects.csv").read_bytes().startswith(b"\xef\xbb\xbf")   # BOM: Excel shows the Chinese

    printed = capsys.readouterr().out
    assert "entries:" in printed and str(out) in printed


def test_strict_exits_1_when_a_cell_was_rejected_and_rejects_csv_is_formula_safe(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    # A CSV: openpyxl would store the = text as a formula.
    (raw / "台账2022.csv").write_text("年度,村,科目,金额（元）\n2022,上河村,经营收入,12.3%\n"
                                     "2022,上河村,管理费用,=1+1 (typed as text)\n2022,上河村,补助收入,5000\n",
                                     encoding="utf-8")
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
    done = subprocess.run([sys.executable, "-m", "villagecon", "--help"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0
    assert "clean" in done.stdout and "sample" in done.stdout


@pytest.mark.parametrize(("threshold", "why"), [("abc", "not an amount of money"), ("12.3%", "a percentage")])
def test_a_threshold_that_is_no_amount_is_refused_with_what_to_write(threshold, why, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["report", "--threshold", threshold])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --threshold: '{threshold}' cannot be read as a threshold ({why}" in error
    assert error.rstrip().endswith("write the threshold as 100000 or 10万")
    assert "errors='coerce'" not in error and "Traceback" not in error
