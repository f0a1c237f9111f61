"""`villagecon report` on the bundled sample: the files an analyst opens, their numbers, and reproducibility."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import warnings

import openpyxl
import pytest

from villagecon import metrics, read_ledger
from villagecon.cli import EXIT_ERROR, main
from villagecon.report import SHEETS, build_report

FIGURES = ["event_study", "income_by_tenure", "income_vs_threshold", "share_above", "trajectory"]


@pytest.fixture(scope="module")
def report_2022(tmp_path_factory, repo_root):
    out = tmp_path_factory.mktemp("reports")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        folder = build_report(2022, raw=repo_root / "data" / "raw", out=out, progress=False)
    return folder, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def accounts(repo_root):
    raw = repo_root / "data" / "raw"
    return read_ledger(raw, register=raw / "register.csv").accounts


def _hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_report_folder_has_every_output(report_2022):
    folder, _ = report_2022
    assert folder.name == "2022"
    assert sorted(p.name for p in (folder / "figures").iterdir()) == sorted(
        f"{name}.{ext}" for name in FIGURES for ext in ("png", "svg"))
    assert {p.name for p in folder.iterdir()} == {"figures", "summary.xlsx", "report.html", "run.log",
                                                  "manifest.json"}
    assert not list(folder.parent.glob(".2022.*"))          # no staging folder left behind


def test_chinese_renders_without_missing_glyphs(report_2022):
    _, messages = report_2022
    assert [m for m in messages if "missing from font" in m] == []


def test_the_page_states_the_headline_numbers_from_the_metrics(report_2022, accounts):
    folder, _ = report_2022
    page = (folder / "report.html").read_text(encoding="utf-8")
    city = metrics.share_above(accounts.loc[accounts["year"].eq(2022)], by=("county",)).iloc[-1]
    assert f'<span class="big">{city["n_above"]}</span>' in page
    assert f'<span class="big">{city["share"]:.1%}</span>' in page
    assert "上河村：从负债到收入" in page and "负债4.2万元" in page and "约40.0万元" in page
    assert "张小雄自2017年4月任职" in page
    assert "合成样例数据" in page                                   # synthetic data says so
    assert "共<b>17</b>处数字未能使用" in page and "村名不在名册中13处" in page
    # Self-contained: every figure embedded, nothing fetched from elsewhere.
    assert page.count('<img src="data:image/png;base64,') == len(FIGURES)
    assert not re.search(r'(src|href)="(?!data:)', page)


def test_the_workbook_has_its_six_sheets_in_wan_yuan(report_2022, accounts):
    folder, _ = report_2022
    book = openpyxl.load_workbook(folder / "summary.xlsx")
    assert book.sheetnames == list(SHEETS)
    counties = book["县市区汇总"]
    assert [c.value for c in counties[1]][:5] == ["县市区", "村数", "达到门槛村数", "缺数村数", "达到门槛占比"]
    assert counties["A2"].value == "北湖区" and counties.cell(counties.max_row, 1).value == "全市"
    assert counties.freeze_panes == "B2"
    detail = book["村级明细"]
    header = [c.value for c in detail[1]]
    column = header.index("本年收入合计（万元）") + 1
    shanghe = next(r for r in detail.iter_rows(min_row=2, values_only=True)
                   if r[header.index("村")] == "上河村" and r[header.index("年度")] == 2022)
    assert shanghe[column - 1] == 40.0
    assert detail.max_row - 1 == len(accounts)
    problems = book["数据问题"]
    assert problems.max_row - 1 == 17
    assert {problems.cell(r, 7).value for r in range(2, problems.max_row + 1)} == {
        "village_unknown", "conflict", "amount", "subtotal_mismatch"}


def test_log_and_manifest_link_outputs_to_inputs(report_2022, repo_root):
    folder, _ = report_2022
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    inputs = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    register = repo_root / "data" / "raw" / "register.csv"
    assert inputs["register.csv"] == hashlib.sha256(register.read_bytes()).hexdigest()
    assert any("花名册" in name for name in inputs)
    outputs = {o["file"]: o["sha256"] for o in manifest["outputs"]}
    assert outputs["summary.xlsx"] == hashlib.sha256((folder / "summary.xlsx").read_bytes()).hexdigest()
    assert (manifest["year"], manifest["measure"], manifest["threshold"]) == (2022, "total_income", 100_000)
    log = (folder / "run.log").read_text(encoding="utf-8")
    assert "rejects: 17" in log and "wrote summary.xlsx" in log


def test_running_twice_gives_identical_files(tmp_path, repo_root):
    raw = tmp_path / "raw"
    raw.mkdir()
    source = repo_root / "data" / "raw"
    for name in ("汝城县", "北湖区", "register.csv"):
        (shutil.copytree if (source / name).is_dir() else shutil.copy)(source / name, raw / name)
    shutil.copy(next(source.glob("*花名册*")), raw)
    first = _hashes(build_report(2022, raw=raw, out=tmp_path / "a", progress=False))
    second = _hashes(build_report(2022, raw=raw, out=tmp_path / "b", progress=False))
    assert first == second and len(first) == 14


def test_the_command_builds_the_latest_year_by_default_and_refuses_a_year_not_in_the_data(tmp_path, repo_root,
                                                                                        capsys):
    raw = tmp_path / "raw"
    shutil.copytree(repo_root / "data" / "raw" / "北湖区", raw)
    assert main(["report", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "2023" / "report.html").exists()
    assert "report.html" in capsys.readouterr().out
    assert main(["report", "--raw", str(raw), "--out", str(tmp_path / "out"), "--year", "2030"]) == EXIT_ERROR
    assert "the data have no year 2030; they cover 2016–2023" in capsys.readouterr().err


def test_threshold_and_measure_options(tmp_path, repo_root, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(repo_root / "data" / "raw" / "北湖区", raw)
    assert main(["report", "--raw", str(raw), "--out", str(tmp_path / "out"), "--year", "2022",
                 "--measure", "operational_income", "--threshold", "20万"]) == 0
    page = (tmp_path / "out" / "2022" / "report.html").read_text(encoding="utf-8")
    assert "口径：经营性收入；门槛：20万元" in page
    with pytest.raises(SystemExit):
        main(["report", "--measure", "happiness"])
    assert "invalid choice: 'happiness'" in capsys.readouterr().err
