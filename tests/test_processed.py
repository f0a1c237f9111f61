"""data/processed stands in for data/raw while it is current, and never when it is not."""

from __future__ import annotations

import json
import os

import pandas as pd

from villagecon.cli import main
from villagecon.ingest.processed import current_ledger, fingerprint, load_ledger, write_cleaned
from villagecon.report.build import build_report

import ledger_files as lf


def _clean(raw, out, *extra):
    return main(["clean", str(raw), "--out", str(out), *extra])


def _generation(out):
    return os.readlink(out / ".current")


def test_a_second_clean_of_unchanged_files_keeps_the_set_and_shows_its_summary(raw, tmp_path, capsys):
    out = tmp_path / "processed"
    assert _clean(raw, out) == 0
    first = capsys.readouterr().out
    assert f"{out} holds no cleaned set yet: reading the ledgers" in first
    generation = _generation(out)
    assert _clean(raw, out) == 0
    second = capsys.readouterr().out
    assert f"{out} is current (3 files unchanged since it was cleaned): used, the ledgers are not read again" in second
    assert f"nothing written: {out} is current (--force cleans again)" in second
    assert _generation(out) == generation  # nothing was written
    summary = [line for line in first.splitlines() if line.startswith(("files read:", "entries:", "rejects:"))]
    assert summary and all(line in second.splitlines() for line in summary)
    assert _clean(raw, out, "--force") == 0
    assert "reading the ledgers in" in capsys.readouterr().out and _generation(out) != generation


def test_a_changed_file_an_added_file_or_other_options_make_the_set_out_of_date(raw, tmp_path, capsys):
    out = tmp_path / "processed"
    assert _clean(raw, out) == 0
    lf.long_csv(raw, encoding="gbk")  # the same ledger, saved again in GBK
    lf.long_xlsx(raw)
    assert _clean(raw, out) == 0
    said = capsys.readouterr().out
    assert f"{out} is out of date: raw files 1 changed (塔水村台账.csv); 1 new: reading the ledgers" in said
    assert _clean(raw, out, "--unit", "万元") == 0
    assert f"{out} is out of date: it was cleaned with other options: reading the ledgers" in capsys.readouterr().out


def test_a_set_edited_by_hand_or_without_a_fingerprint_is_never_used(raw, tmp_path):
    out = tmp_path / "processed"
    assert _clean(raw, out) == 0
    expected = fingerprint(raw, register=raw / "register.csv")
    ledger, why = current_ledger(out, expected)
    assert ledger is not None and why.endswith("is current (3 files unchanged since it was cleaned)")

    accounts = pd.read_parquet(out / "accounts.parquet")
    target = (out / "accounts.parquet").resolve()
    accounts.assign(total_income=accounts["total_income"] * 2).to_parquet(target, index=False)
    ledger, why = current_ledger(out, expected)
    assert ledger is None
    assert "cannot be used" in why and "accounts.parquet" in why

    assert _clean(raw, out, "--force") == 0
    manifest_path = (out / "manifest.json").resolve()
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["fingerprint"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    ledger, why = current_ledger(out, expected)
    assert ledger is None
    assert why.endswith("out of date: it was written without a fingerprint (by an older villagecon, or by hand)")


def test_the_ledger_read_back_has_the_tables_the_report_uses(raw, tmp_path):
    out = tmp_path / "processed"
    assert _clean(raw, out) == 0
    read, _ = load_ledger(raw, None, register=raw / "register.csv", say=lambda _: None)
    said = []
    back, _ = load_ledger(raw, out, register=raw / "register.csv", say=said.append)
    assert said == [f"{out} is current (3 files unchanged since it was cleaned): used, the ledgers are not read again"]
    pd.testing.assert_frame_equal(back.accounts, read.accounts)
    pd.testing.assert_frame_equal(back.entries, read.entries)
    assert back.rejects.astype(object).where(back.rejects.notna(), None).to_dict("records") == read.rejects.astype(
        object
    ).where(read.rejects.notna(), None).to_dict("records")
    assert back.files.to_dict("records") == read.files.to_dict("records")
    assert back.summary() == read.summary()


def test_a_report_from_a_current_set_is_the_report_from_the_raw_files(raw, tmp_path):
    out = tmp_path / "processed"
    assert _clean(raw, out) == 0
    from_set = build_report(2022, raw=raw, out=tmp_path / "a", processed=out, progress=False)
    from_raw = build_report(2022, raw=raw, out=tmp_path / "b", processed=None, progress=False)

    def files(folder):
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and p.name not in ("run.log", "manifest.json")
        }

    assert files(from_set) == files(from_raw) and len(files(from_set)) > 5
    log = (from_set / "run.log").read_text(encoding="utf-8")
    assert (
        f"ledgers: {out} is current (3 files unchanged since it was cleaned): used, the ledgers are not "
        "read again" in log
    )
    assert f"ledgers: reading the ledgers in {raw}" in (from_raw / "run.log").read_text(encoding="utf-8")


def test_each_raw_file_is_hashed_once_when_the_set_is_read_again(raw, tmp_path, monkeypatch):
    import hashlib

    import villagecon.ingest.ledger_reading
    import villagecon.ingest.processed as processed

    hashed = []
    real = processed._sha256
    monkeypatch.setattr(processed, "_sha256", lambda path: hashed.append(path.name) or real(path))
    monkeypatch.setattr(
        villagecon.ingest.ledger_reading.hashlib,
        "file_digest",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("a file hashed a second time")),
    )
    ledger, expected = load_ledger(raw, None, say=lambda text: None)
    assert sorted(hashed) == sorted(set(hashed))  # no file twice
    assert len(ledger.files) and set(ledger.files["file"]) <= set(expected["files"])
    for name, sha256 in zip(ledger.files["file"], ledger.files["sha256"], strict=True):
        assert sha256 == expected["files"][name] == hashlib.sha256((raw / name).read_bytes()).hexdigest()


def test_write_cleaned_lives_beside_the_processed_set(raw, tmp_path):
    ledger, expected = load_ledger(raw, None, say=lambda text: None)
    written = write_cleaned(ledger, tmp_path / "out", fingerprint=expected)
    assert [p.name for p in written] == [
        "entries.parquet",
        "accounts.parquet",
        "rejects.csv",
        "subtotals.csv",
        "duplicates.csv",
        "repeated_lines.csv",
        "manifest.json",
    ]
    assert current_ledger(tmp_path / "out", expected)[0] is not None
