"""The session fixtures of conftest.py: the whole sample cleaned and reported once per worker, shared, and a test
that changes one is caught (at the end of the session, by the comparison these tests check)."""

from __future__ import annotations

import copy
import shutil

from conftest import SAMPLE_RAW, changed_files, changed_tables, file_hashes


def test_the_cleaned_sample_is_the_bundled_sample_with_its_register(cleaned_sample):
    assert len(cleaned_sample.files) == 63 and len(cleaned_sample.accounts) == 2400  # 300 villages, 2016-2023
    assert cleaned_sample.accounts["village_code"].notna().all()  # the register gave every village its code
    shanghe = cleaned_sample.accounts.set_index(["village", "year"]).loc[("上河村", 2017)]
    assert shanghe["liabilities"] == 42_000  # the article's 负债4.2万元


def test_a_changed_table_of_the_shared_sample_is_named(cleaned_sample):
    assert changed_tables(cleaned_sample, copy.deepcopy(cleaned_sample)) == []
    changed = copy.deepcopy(cleaned_sample)  # never the shared one itself
    changed.accounts.loc[changed.accounts.index[0], "year"] += 1
    changed.rejects = changed.rejects.iloc[1:]
    assert changed_tables(changed, cleaned_sample) == ["accounts", "rejects"]


def test_the_built_report_is_the_2022_report_of_the_bundled_sample(built_report):
    assert built_report.folder.name == "2022"
    assert sorted(p.name for p in built_report.folder.iterdir()) == [
        "figures",
        "manifest.json",
        "report.docx",
        "report.html",
        "run.log",
        "summary.xlsx",
    ]
    assert "register.csv" in (built_report.folder / "manifest.json").read_text(encoding="utf-8")
    assert SAMPLE_RAW.name == "raw"


def test_a_file_changed_in_a_copy_of_the_shared_report_is_seen(built_report, tmp_path):
    copied = shutil.copytree(built_report.folder, tmp_path / "2022")
    assert file_hashes(copied) == file_hashes(built_report.folder)
    (copied / "run.log").write_text("changed", encoding="utf-8")
    (copied / "figures" / "extra.png").write_bytes(b"")
    assert changed_files(file_hashes(built_report.folder), file_hashes(copied)) == [
        "figures/extra.png",
        "run.log",
    ]
