"""The modules of villagecon.outputs one by one (test_safe_outputs.py tests them together, through the CLI)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from villagecon.errors import OutputError, OutputMismatchError, UsageError
from villagecon.outputs.atomic import current_umask, write_atomic
from villagecon.outputs.folders import exchange_works, replacing_folder
from villagecon.outputs.generations import current_generation, is_our_link, replacing_files
from villagecon.outputs.names import check_apart, path_inside, safe_file_name
from villagecon.outputs.spreadsheet_text import escape_formulas, runs_as_formula, write_csv
from villagecon.outputs.verified import file_record, read_verified
from villagecon.outputs.write_errors import output_errors


def test_write_atomic_keeps_the_previous_file_when_writing_fails(tmp_path):
    path = tmp_path / "a" / "t.txt"
    write_atomic(path, lambda p: p.write_text("old", encoding="utf-8"))
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())

    def half(p: Path) -> None:
        p.write_text("ne", encoding="utf-8")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        write_atomic(path, half)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in path.parent.iterdir()] == ["t.txt"]  # no temporary file left


def test_formulas_are_escaped_numbers_left_alone(tmp_path):
    assert runs_as_formula("=HYPERLINK(1)") and runs_as_formula("@SUM(1)") and not runs_as_formula("-4.2")
    table = pd.DataFrame({"村": ["=1+2", "石冲村"], "金额": [-4.2, 5.0]})
    escaped = escape_formulas(table)
    assert escaped["村"].tolist() == ["'=1+2", "石冲村"] and escaped["金额"].tolist() == [-4.2, 5.0]
    assert table["村"].tolist() == ["=1+2", "石冲村"]  # input untouched
    data = write_csv(table, tmp_path / "t.csv").read_bytes()
    assert data == "\ufeff村,金额\r\n'=1+2,-4.2\r\n石冲村,5.0\r\n".encode()


def test_names_stay_inside_the_folder(tmp_path):
    assert [safe_file_name(n) for n in ("../../x", "CON", "汝城县/濠头乡", "..", "a. ")] == [
        "_._.._x",
        "_CON",
        "汝城县_濠头乡",
        "_",
        "a",
    ]
    assert path_inside(tmp_path, "../x.png") == tmp_path / "_._x.png"  # a leading dot would hide it
    with pytest.raises(UsageError, match="inside the raw folder"):
        check_apart(tmp_path, tmp_path / "out")
    check_apart(tmp_path / "raw", tmp_path / "out")


def test_a_set_is_switched_in_by_one_link(tmp_path):
    out = tmp_path / "out"
    with replacing_files(out) as staging:
        (staging / "a.csv").write_text("1", encoding="utf-8")
    first = current_generation(out)
    assert first is not None and first.name.startswith(".set-")
    assert is_our_link(out, "a.csv") and (out / "a.csv").read_text(encoding="utf-8") == "1"
    with replacing_files(out) as staging:
        (staging / "b.csv").write_text("2", encoding="utf-8")
    assert current_generation(out) != first and not first.exists()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["a.csv", "b.csv"]


def test_read_verified_checks_every_hash(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "a.csv").write_text("1", encoding="utf-8")
    record = file_record(folder / "a.csv", folder)
    assert record == {
        "file": "a.csv",
        "sha256": "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
        "bytes": 1,
    }
    (folder / "manifest.json").write_text(json.dumps({"outputs": [record]}), encoding="utf-8")
    assert read_verified(folder)[1] == {"a.csv": b"1"}
    (folder / "a.csv").write_text("2", encoding="utf-8")
    with pytest.raises(OutputMismatchError, match=r"a\.csv differs from the file that run wrote"):
        read_verified(folder)


def test_a_report_folder_is_replaced_whole(tmp_path):
    final = tmp_path / "2022"
    for text in ("old", "new"):
        with replacing_folder(final) as staging:
            (staging / "report.html").write_text(text, encoding="utf-8")
    assert (final / "report.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]
    assert isinstance(exchange_works(tmp_path), bool)


def test_a_full_disk_is_a_message(tmp_path):
    with (
        pytest.raises(OutputError, match=r"cannot write to .*: the disk is full \(") as raised,
        output_errors(tmp_path),
    ):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert raised.value.errno == errno.ENOSPC and raised.value.folder == tmp_path
    with pytest.raises(OutputError, match="read-only file system"), output_errors(tmp_path):
        raise OSError(f"[Errno {errno.EROFS}] pyarrow says so")  # errno only in the message
    with pytest.raises(FileNotFoundError), output_errors(tmp_path):
        raise FileNotFoundError(errno.ENOENT, "not a write error")
