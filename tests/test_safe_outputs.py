"""Outputs that cannot hurt: nothing runs when opened, names stay inside the folder, raw data stays as it was,
a killed run leaves the previous outputs whole, two runs into one folder cannot mix their files, a set that is
not whole is never read, and a folder that cannot be written is a message (status 2), not a traceback.

The kill tests here run villagecon in a subprocess with one writing function replaced by one that writes half
a file, says so through a marker file, and waits; the test then kills the process with SIGKILL at that
exact point, so nothing depends on timing. test_kill_at_every_rename.py kills at every rename.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from villagecon.cli import EXIT_ERROR, main
from villagecon.errors import UsageError, VillageconError
from villagecon.outputs import (
    OutputBusyError,
    OutputError,
    OutputMismatchError,
    escape_formulas,
    generations,
    load_processed,
    output_lock,
    path_inside,
    read_verified,
    replacing_files,
    runs_as_formula,
    safe_file_name,
    verified,
)

import ledger_files as lf

CLEANED = [
    "accounts.parquet",
    "duplicates.csv",
    "entries.parquet",
    "manifest.json",
    "rejects.csv",
    "repeated_lines.csv",
    "subtotals.csv",
]

# A ledger whose every text field is an attack on a spreadsheet, a chart or a file name.
HOSTILE_CSV = (
    "年度,县,乡镇,村,科目,金额（元）\n"
    '2022,$\\undefined$县,@SUM(1)镇,"=HYPERLINK(""http://x"",""点我"")",经营收入,120000\n'
    '2022,$\\undefined$县,@SUM(1)镇,"=HYPERLINK(""http://x"",""点我"")",管理费用,-1+1\n'
    "2022,+cmd|' /C calc'!A0,\tTab镇,-2+3村,补助收入,5000\n"
    "2022,+cmd|' /C calc'!A0,\tTab镇,-2+3村,经营收入,\"\r=1+2\"\n"
    "2022,+cmd|' /C calc'!A0,\tTab镇,-2+3村,其他收入,-4.2\n"
)


def as_excel_shows(value: object) -> object:
    """A cell value as Excel shows it: openpyxl leaves the _x000D_ escape (a carriage return) as written."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def shown(folder: Path) -> list[str]:
    """The names people see in ``folder`` (villagecon's own .current, .set-*, locks are hidden)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def snapshot(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every file under ``folder`` (but the ``skip`` subfolders): content hash, size and modification time."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(skip):
            stat = path.stat()
            files[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns)
    return files


# --- names built from data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../x", "_._.._x"),
        ("..", "_"),
        (".", "_"),
        ("", "_"),
        ("/etc/passwd", "_etc_passwd"),
        ("C:\\Windows\\win.ini", "C__Windows_win.ini"),
        ("CON", "_CON"),
        ("con.png", "_con.png"),
        ("COM1", "_COM1"),
        ("nul.txt", "_nul.txt"),
        ("LPT9.svg", "_LPT9.svg"),
        ("上河村. ", "上河村"),
        ("a\x00b\nc", "a_b_c"),
        ('汝城县<濠头乡>:"|?*', "汝城县_濠头乡______"),
        ("汝城县濠头乡上河村", "汝城县濠头乡上河村"),
        ("2022", "2022"),
    ],
)
def test_a_name_from_the_data_becomes_one_plain_file_name(name, safe):
    assert safe_file_name(name) == safe


def test_a_long_chinese_name_is_cut_to_fit_every_file_system():
    name = safe_file_name("上河村" * 100)
    assert name == "上河村" * 22 and len(name.encode("utf-8")) == 198


@pytest.mark.parametrize("name", ["../../x", "..", "/tmp/evil", "CON", "a/../../b", "~/.bashrc", "\\\\server\\share"])
def test_path_inside_never_leaves_the_folder_and_can_be_written(tmp_path, name):
    folder = tmp_path / "out"
    folder.mkdir()
    path = path_inside(folder, name)
    assert path.parent == folder
    path.write_text("x", encoding="utf-8")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [path.name]


# --- text that would run in a spreadsheet ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("=1+1", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3", True),
        ("@SUM(1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("-4.2万", True),
        ("-4.2", False),
        ("+3", False),
        ("-1e5", False),
        ("4.2", False),
        ("上河村", False),
        ("", False),
        (-4.2, False),
        (None, False),
    ],
)
def test_what_runs_as_a_formula(text, runs):
    assert runs_as_formula(text) is runs


def test_escaping_keeps_numbers_numbers_and_the_input_untouched():
    table = pd.DataFrame(
        {
            "value": ["=1+1", "-4.2", "abc", None],
            "amount": [-4.2, 1.0, 2.0, 3.0],
            "text": pd.array(["@x", "\tTab", "-1+1", "ok"], dtype="str"),
        }
    )
    escaped = escape_formulas(table)
    assert escaped["value"].tolist()[:3] == ["'=1+1", "-4.2", "abc"] and pd.isna(escaped["value"].iloc[3])
    assert escaped["text"].tolist() == ["'@x", "'\tTab", "'-1+1", "ok"]
    assert escaped["amount"].tolist() == [-4.2, 1.0, 2.0, 3.0] and escaped["amount"].dtype == "float64"
    assert table["value"].iloc[0] == "=1+1"


def test_every_csv_field_clean_writes_is_safe_to_open(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "=HYPERLINK台账2022.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    lf.long_xlsx(raw)
    out = tmp_path / "processed"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    fields = []
    for name in ("rejects.csv", "subtotals.csv", "duplicates.csv"):
        with (out / name).open(encoding="utf-8-sig", newline="") as handle:
            fields += [field for row in csv.reader(handle) for field in row]
    assert fields and not [field for field in fields if runs_as_formula(field)]
    rejects = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert sorted(rejects["value"]) == ["'\r=1+2", "'-1+1"]
    assert set(rejects["source"]) == {"'=HYPERLINK台账2022.csv!!3", "'=HYPERLINK台账2022.csv!!5"}
    # The parquet tables keep the text as written (they are data, not spreadsheets) and the numbers as numbers.
    accounts = pd.read_parquet(out / "accounts.parquet").set_index("village")
    assert accounts.loc["2+3村", "other_income"] == -4.2  # -2+3村, its separators dropped
    assert accounts.loc['=HYPERLINK("http:x","点我")', "county"] == "$\\undefined$县"


def test_every_cell_of_the_report_workbook_is_safe_to_open_and_numbers_stay_numbers(tmp_path, repo_root):
    raw = tmp_path / "raw"
    shutil.copytree(repo_root / "data" / "raw" / "北湖区", raw)
    (raw / "=HYPERLINK台账2022.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    # A county named "$\undefined$县" is drawn on the charts: matplotlib must show it, not parse it.
    assert main(["report", "--raw", str(raw), "--out", str(tmp_path / "reports"), "--year", "2022"]) == 0
    book = openpyxl.load_workbook(tmp_path / "reports" / "2022" / "summary.xlsx")
    cells = [
        (sheet.title, cell.coordinate, as_excel_shows(cell.value), cell.quotePrefix)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert [cell for cell in cells if runs_as_formula(cell[2]) and not cell[3]] == []
    quoted = {value for _, _, value, prefixed in cells if prefixed}
    # Village names arrive normalised (the cleaner drops the separators of 村 names: -2+3村 is 2+3村).
    assert {
        '=HYPERLINK("http:x","点我")',
        "@SUM(1)镇",
        "+cmd|' /C calc'!A0",
        "-1+1",
        "\r=1+2",
        "=HYPERLINK台账2022.csv!!3",
    } <= quoted
    detail = book["历年明细"]
    header = [c.value for c in detail[1]]
    hostile = next(row for row in detail.iter_rows(min_row=2, values_only=True) if row[header.index("村")] == "2+3村")
    assert hostile[header.index("其他收入（万元）")] == pytest.approx(-0.00042)  # -4.2 yuan: a number
    years = [row[header.index("年度")] for row in detail.iter_rows(min_row=2, values_only=True)]
    assert set(years) == {2016, 2017, 2018, 2019, 2020, 2021, 2022}  # the 2022 report: nothing later


# --- raw data and everything outside the output folders stay as they were ----------------------------------


@pytest.mark.slow
def test_a_full_clean_and_report_change_nothing_but_their_output_folders(tmp_path, repo_root):
    shutil.copytree(repo_root / "data" / "raw", tmp_path / "raw")
    (tmp_path / "neighbour").mkdir()
    (tmp_path / "neighbour" / "notes.txt").write_text("不要动我", encoding="utf-8")
    before = snapshot(tmp_path)
    raw = tmp_path / "raw"
    assert main(["clean", str(raw), "--out", str(tmp_path / "processed")]) == 0
    assert main(["report", "--raw", str(raw), "--out", str(tmp_path / "reports"), "--year", "2022"]) == 0
    assert snapshot(tmp_path, skip=("processed/", "reports/")) == before  # raw hashed and timed
    assert shown(tmp_path / "processed") == CLEANED
    assert_only_the_current_generation(tmp_path / "processed")  # no lock, no staging left
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2022"]


# --- killed mid-write --------------------------------------------------------------------------------------


def run_until(script: str, marker: Path) -> subprocess.Popen:
    """Start ``script`` in a subprocess and return once it has created ``marker`` (failing if it never does)."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    deadline = time.monotonic() + 300  # a bound on waiting, not a measure of speed
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, error = process.communicate()
            pytest.fail(f"the run never reached the point it should stop at: {error.decode()[-2000:]}")
        time.sleep(0.05)
    return process


def stalled_run(argv: list[str], *, target: str, marker: Path, after: int = 1) -> subprocess.Popen:
    """villagecon ``argv`` in a subprocess whose ``target`` (``package.module.Class.method``, a method taking a
    path) writes half a file on its ``after``-th call, creates ``marker`` and waits to be killed."""
    module, owner, method = target.rsplit(".", 2)
    return run_until(
        f"""
        import importlib, pathlib, sys, time
        cls = getattr(importlib.import_module({module!r}), {owner!r})
        original, calls = getattr(cls, {method!r}), []
        def stall(self, path, *args, **kwargs):
            calls.append(path)
            if len(calls) < {after}:
                return original(self, path, *args, **kwargs)
            pathlib.Path(path).write_bytes(b"half a file")
            pathlib.Path({str(marker)!r}).touch()
            time.sleep(600)
        setattr(cls, {method!r}, stall)
        from villagecon.cli import main
        sys.exit(main({argv!r}))
    """,
        marker,
    )


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    process.stdout.close()
    process.stderr.close()


def assert_only_the_current_generation(out: Path) -> None:
    """Nothing hidden in ``out`` but the link .current and the generation it names: no lock, staging, temp link."""
    names = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert len(names) == 2 and names[0] == ".current" and names[1].startswith(".set-"), names
    assert os.readlink(out / ".current") == names[1]
    assert all((out / name).is_symlink() for name in shown(out))


def assert_complete_cleaned_set(out: Path) -> dict:
    assert shown(out) == CLEANED
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for record in manifest["outputs"]:
        assert hashlib.sha256((out / record["file"]).read_bytes()).hexdigest() == record["sha256"], record["file"]
    assert len(pd.read_parquet(out / "entries.parquet")) == manifest["counts"]["entries"]
    assert len(pd.read_csv(out / "rejects.csv", encoding="utf-8-sig")) == manifest["counts"]["rejects"]
    return manifest


def test_clean_killed_mid_write_leaves_the_previous_tables_whole(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    first = hashes(out)  # the files shown and the generation behind them
    lf.long_csv(raw)  # the next run would write different tables
    # Killed while writing rejects.csv, after both parquet files of the new set were written.
    kill(
        stalled_run(
            ["clean", str(raw), "--out", str(out)], target="pandas.DataFrame.to_csv", marker=tmp_path / "stalled"
        )
    )
    assert {name: digest for name, digest in hashes(out).items() if name in first} == first
    manifest = assert_complete_cleaned_set(out)
    assert [record["file"] for record in manifest["inputs"]] == ["汝城县2022.xlsx"]
    assert len(list(out.glob(".set-*"))) == 2  # the current one and the abandoned attempt
    # The next run writes the new set and clears what the killed one left.
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert_only_the_current_generation(out)
    assert len(assert_complete_cleaned_set(out)["inputs"]) == 2


def test_a_set_mixed_by_an_older_villagecon_is_refused_by_readers_and_replaced_whole(tmp_path, monkeypatch, capsys):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    # The plain files an older villagecon wrote, then killed while moving the next set's files one by one:
    # accounts.parquet new beside the rest old.
    monkeypatch.setattr(generations, "_links_work", lambda folder: False)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    lf.long_csv(raw)
    assert main(["clean", str(raw), "--out", str(tmp_path / "newer")]) == 0
    monkeypatch.undo()
    shutil.copy(tmp_path / "newer" / "accounts.parquet", out / "accounts.parquet")
    capsys.readouterr()
    # Readers check the hashes and refuse the set, saying which file and what to do.
    with pytest.raises(
        OutputMismatchError,
        match=r"not one whole set: accounts\.parquet differs from the file that "
        r"run wrote .* run `villagecon clean` again",
    ):
        load_processed(out)
    assert main(["verify", str(out)]) == EXIT_ERROR
    assert "accounts.parquet differs" in capsys.readouterr().err

    # The next run that fails while writing (a full disk) changes nothing, and says so (status 2).
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    before = hashes(out)
    assert main(["clean", str(raw), "--out", str(out)]) == EXIT_ERROR
    assert f"villagecon: error: cannot write to {out}: the disk is full" in capsys.readouterr().err
    assert hashes(out) == before
    monkeypatch.undo()
    # A run that completes replaces the plain files with the new set, whole.
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert len(assert_complete_cleaned_set(out)["inputs"]) == 2
    assert_only_the_current_generation(out)
    processed = load_processed(out)
    assert len(processed.entries) == processed.manifest["counts"]["entries"]
    assert main(["verify", str(out)]) == 0
    assert f"{out}: whole; 6 files match" in capsys.readouterr().out


@pytest.mark.slow
def test_report_killed_mid_write_leaves_the_previous_report_whole(tmp_path, repo_root):
    raw, reports = tmp_path / "raw", tmp_path / "reports"
    shutil.copytree(repo_root / "data" / "raw" / "北湖区", raw)
    argv = ["report", "--raw", str(raw), "--out", str(reports), "--year", "2022"]
    assert main(argv) == 0
    first = hashes(reports / "2022")
    manifest = json.loads((reports / "2022" / "manifest.json").read_text(encoding="utf-8"))
    assert {o["file"]: o["sha256"] for o in manifest["outputs"]}.items() <= first.items()
    # Killed while saving its third figure.
    kill(
        stalled_run(
            [*argv, "--threshold", "5万"],
            target="matplotlib.figure.Figure.savefig",
            after=3,
            marker=tmp_path / "stalled",
        )
    )
    assert hashes(reports / "2022") == first
    assert [p.name for p in reports.iterdir() if p.name.startswith(".2022.building-")]
    assert main([*argv, "--threshold", "5万"]) == 0
    assert sorted(p.name for p in reports.iterdir()) == ["2022"]
    assert "门槛：5万元" in (reports / "2022" / "report.html").read_text(encoding="utf-8")


# --- two runs at once --------------------------------------------------------------------------------------


def test_a_second_clean_into_the_same_folder_is_refused_while_the_first_writes(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    first = stalled_run(
        ["clean", str(raw), "--out", str(out)], target="pandas.DataFrame.to_csv", marker=tmp_path / "stalled"
    )
    try:
        assert main(["clean", str(raw), "--out", str(out)]) == EXIT_ERROR
        assert capsys.readouterr().err == (
            f"villagecon: error: another villagecon run (process {first.pid}) is "
            f"writing to {out}: wait for it to finish, then run again (two runs "
            f"would mix their files)\n"
        )
        assert not (out / "manifest.json").exists()
    finally:
        kill(first)
    assert main(["clean", str(raw), "--out", str(out)]) == 0  # the lock died with its process
    assert_complete_cleaned_set(out)


@pytest.mark.slow
def test_a_second_report_for_the_same_year_is_refused_while_the_first_writes(tmp_path, repo_root, capsys):
    raw, reports = tmp_path / "raw", tmp_path / "reports"
    shutil.copytree(repo_root / "data" / "raw" / "北湖区", raw)
    argv = ["report", "--raw", str(raw), "--out", str(reports), "--year", "2022"]
    first = stalled_run(argv, target="matplotlib.figure.Figure.savefig", marker=tmp_path / "stalled")
    try:
        assert main(argv) == EXIT_ERROR
        assert f"another villagecon run (process {first.pid}) is writing to {reports}" in capsys.readouterr().err
        assert main([*argv[:-1], "2021"]) == 0  # another year is another folder: not blocked
    finally:
        kill(first)
    assert main(argv) == 0
    assert sorted(p.name for p in reports.iterdir()) == ["2021", "2022"]


def test_the_lock_is_released_on_error_and_is_not_reentrant_across_holders(tmp_path):
    with pytest.raises(RuntimeError), replacing_files(tmp_path / "out") as staging:
        (staging / "half.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("the run failed")
    assert list((tmp_path / "out").iterdir()) == []  # nothing moved, staging and lock removed
    with output_lock(tmp_path / "out"):
        script = f"from villagecon.outputs import output_lock\nwith output_lock({str(tmp_path / 'out')!r}): pass\n"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
        assert "OutputBusyError: another villagecon run (process" in done.stderr
    with output_lock(tmp_path / "out"):
        pass  # free again once released


def test_a_link_planted_in_the_output_folder_is_not_followed(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "share_above.png").symlink_to(elsewhere / "victim.png")
    assert path_inside(out, "ok.png") == out / "ok.png"
    with pytest.raises(UsageError, match=r"'share_above\.png' would be written outside"):
        path_inside(out, "share_above.png")


def test_output_errors_are_villagecon_errors():
    for error in (OutputBusyError, OutputError, OutputMismatchError):
        assert issubclass(error, VillageconError)


def test_cleaned_files_get_the_mode_of_any_new_file_not_a_private_one(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    previous = os.umask(0o022)
    try:
        assert main(["clean", str(raw), "--out", str(out)]) == 0
    finally:
        os.umask(previous)
    assert {name: oct((out / name).stat().st_mode & 0o777) for name in CLEANED} == {name: "0o644" for name in CLEANED}


# --- a reader never uses a set that is not whole -------------------------------------------------------------


def test_a_reader_whose_generation_is_replaced_while_it_reads_reads_the_new_one(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    lf.long_csv(raw)
    original, calls = verified._read_checked, []

    def replaced_meanwhile(folder, generation, *args):
        calls.append(generation)
        if len(calls) == 1:  # a run switches to a new set and removes the generation this reader resolved
            assert main(["clean", str(raw), "--out", str(out), "--force"]) == 0
        return original(folder, generation, *args)

    monkeypatch.setattr(verified, "_read_checked", replaced_meanwhile)
    processed = load_processed(out)
    assert len(calls) == 2 and calls[0] != calls[1] and not calls[0].exists()
    assert len(processed.manifest["inputs"]) == 2


def test_a_file_changed_by_hand_is_named_by_the_reader(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    with (out / "rejects.csv").open("a", encoding="utf-8-sig") as handle:  # edited through the link
        handle.write("x,y\r\n")
    (out / "duplicates.csv").unlink()
    with pytest.raises(OutputMismatchError) as raised:
        read_verified(out)
    assert "rejects.csv differs from the file that run wrote" in str(raised.value)
    # A link removed is no loss: the reader goes to the current generation, and the next run puts it back.
    assert "duplicates.csv" not in str(raised.value)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert_complete_cleaned_set(out)


def test_where_links_cannot_be_made_the_files_are_plain_and_checked_the_same(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    monkeypatch.setattr(os, "symlink", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(errno.EPERM, "no")))
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == CLEANED and not any(p.is_symlink() for p in out.iterdir())
    assert len(load_processed(out).accounts) == 4


# --- OSError from writing: a message naming the folder and what to do, status 2, nothing left behind ------------


def read_only(folder: Path, monkeypatch) -> None:
    """Make ``folder`` read-only; as root, where chmod stops no write, creating a file in it fails instead."""
    folder.chmod(0o555)
    try:
        (folder / ".probe").touch()
    except PermissionError:
        return
    (folder / ".probe").unlink()
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).parent == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def refuse_lock(name: str, code: int, monkeypatch) -> None:
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if Path(path).name == name:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def test_a_read_only_output_folder_is_a_message_with_status_2(tmp_path, monkeypatch, capsys):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    before = snapshot(out)
    capsys.readouterr()
    read_only(out, monkeypatch)
    try:
        assert main(["clean", str(raw), "--out", str(out), "--force"]) == EXIT_ERROR
    finally:
        out.chmod(0o755)
        monkeypatch.undo()
    error = capsys.readouterr().err
    assert error.startswith(
        f"villagecon: error: cannot write to {out}: permission denied (Permission denied). "
        "Choose an output folder you may write to (--out), or have write permission given on "
        "this one, then run again. Nothing of this run was kept"
    )
    assert "Traceback" not in error
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("code", "words"), [(errno.EROFS, "it is on a read-only file system"), (errno.EACCES, "permission denied")]
)
def test_a_lock_file_that_cannot_be_made_is_a_message_with_status_2(tmp_path, monkeypatch, capsys, code, words):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lf.wide_xlsx(raw)
    refuse_lock(".villagecon.lock", code, monkeypatch)
    assert main(["clean", str(raw), "--out", str(out)]) == EXIT_ERROR
    assert capsys.readouterr().err.startswith(f"villagecon: error: cannot write to {out}: {words}")
    monkeypatch.undo()
    assert list(out.iterdir()) == []
    reports = tmp_path / "reports"
    refuse_lock(".2022.lock", code, monkeypatch)
    assert main(["report", "--raw", str(raw), "--out", str(reports)]) == EXIT_ERROR
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"villagecon: error: cannot write to {reports}: {words}")
    monkeypatch.undo()
    assert list(reports.iterdir()) == []


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        # pyarrow's: the errno only in the message
        OSError("[Errno 28] Error writing bytes to file. Detail: [errno 28] No space left on device"),
    ],
)
def test_a_full_disk_while_writing_is_a_message_and_leaves_the_previous_outputs(tmp_path, monkeypatch, capsys, error):
    raw, out, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    raw.mkdir()
    lf.wide_xlsx(raw)
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    assert main(["report", "--raw", str(raw), "--out", str(reports)]) == 0
    before = snapshot(tmp_path, skip=("raw/",))
    capsys.readouterr()

    def full_disk(*args, **kwargs):
        raise error

    lf.long_csv(raw)
    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    monkeypatch.setattr("matplotlib.figure.Figure.savefig", full_disk)
    assert main(["clean", str(raw), "--out", str(out)]) == EXIT_ERROR
    assert main(["report", "--raw", str(raw), "--out", str(reports)]) == EXIT_ERROR
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("villagecon: error")]
    assert [line.partition(": the disk is full")[0] for line in errors] == [
        f"villagecon: error: cannot write to {out}",
        f"villagecon: error: cannot write to {reports}",
    ]
    assert all(
        "Free some space on it, or choose an output folder on another disk (--out), then run again" in line
        for line in errors
    )
    assert snapshot(tmp_path, skip=("raw/",)) == before  # as they were; nothing left over


def test_an_oserror_that_is_not_about_writing_stays_itself(tmp_path):
    with pytest.raises(FileNotFoundError), replacing_files(tmp_path / "out"):
        raise FileNotFoundError(errno.ENOENT, "No such file", "elsewhere.xlsx")
    assert list((tmp_path / "out").iterdir()) == []
