"""`villagecon report` on the bundled sample: the files an analyst opens, their numbers, and reproducibility."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from villagecon.analysis import metrics
from villagecon.cli import EXIT_ERROR, main
from villagecon.ingest.roster import read_roster_with_rejects
from villagecon.report.build import build_report, find_roster
from villagecon.report.featured import FeaturedVillage, showcase_rows
from villagecon.report.page import render_page
from villagecon.report.tables import SHEETS, compute_tables

FIGURES = ["event_study", "income_by_tenure", "income_vs_threshold", "share_above", "trajectory"]


@pytest.fixture(scope="module")
def report_2022(built_report):
    """The whole sample's 2022 report, built once per worker (conftest.py): do not write into it."""
    return built_report.folder, list(built_report.warnings)


@pytest.fixture(scope="module")
def ledger(cleaned_sample):
    """The whole sample cleaned, once per worker (conftest.py): shared, do not change it."""
    return cleaned_sample


@pytest.fixture(scope="module")
def accounts(ledger):
    return ledger.accounts


@pytest.fixture(scope="module")
def roster_and_rejects(repo_root):
    raw = repo_root / "data" / "raw"
    return read_roster_with_rejects(find_roster(raw), register=raw / "register.csv")


def _small_raw(tmp_path, repo_root):
    """汝城县's ledgers (上河村 among them), the register and the roster: a report with models, quicker than the
    whole city."""
    raw = tmp_path / "raw"
    source = repo_root / "data" / "raw"
    shutil.copytree(source / "汝城县", raw / "汝城县")
    shutil.copy(source / "register.csv", raw)
    shutil.copy(next(source.glob("*花名册*")), raw)
    return raw


def _text(html):
    return re.sub(r"<[^>]+>", "", html)


def _section(page, heading):
    """The HTML after the numbered heading (<h2>五、上河村：从负债到收入</h2>)."""
    return re.split(rf"<h2>[一二三四五六七八九十]+、{re.escape(heading)}</h2>", page, maxsplit=1)[1]


def _hashes(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_report_folder_has_every_output(report_2022):
    folder, _ = report_2022
    assert folder.name == "2022"
    assert sorted(p.name for p in (folder / "figures").iterdir()) == sorted(
        f"{name}.{ext}" for name in FIGURES for ext in ("png", "svg")
    )
    assert {p.name for p in folder.iterdir()} == {
        "figures",
        "summary.xlsx",
        "report.html",
        "report.docx",
        "run.log",
        "manifest.json",
    }
    assert not list(folder.parent.glob(".2022.*"))  # no staging folder left behind


def test_chinese_renders_without_missing_glyphs(report_2022):
    _, messages = report_2022
    assert [m for m in messages if "missing from font" in m] == []


def test_the_page_states_the_headline_numbers_from_the_metrics(report_2022, accounts):
    folder, _ = report_2022
    page = (folder / "report.html").read_text(encoding="utf-8")
    city = metrics.share_above(accounts.loc[accounts["year"].eq(2022)], by=("county",)).iloc[-1]
    assert f'<span class="big">{city["n_above"]}</span>' in page
    assert f'<span class="big">{city["share"]:.1%}</span>' in page
    story = _text(_section(page, "上河村：从负债到收入")).partition("\n")[0]
    # The approximate 40余万元 as the ledger wrote it, and no "负债0.0万元".
    assert story == (
        "2017年，上河村负债4.2万元，本年收入合计仅0.4万元；"
        "2022年本年收入合计40余万元（台账原文），无负债。现任书记张小雄自2017年4月任职。"
    )
    assert "合成样例数据" in page  # synthetic data says so
    assert "共<b>17</b>处数字未能使用" in page and "村名不在名册中13处" in page
    # The report writes no rejects.csv; the page says where the problems are, and what writes that file.
    problems = _text(_section(page, "数据问题"))
    assert "summary.xlsx 的「数据问题」表" in problems
    assert "villagecon clean 命令另把台账的问题写入 rejects.csv" in problems
    assert "data/processed/rejects.csv" not in page
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
    assert detail.freeze_panes == "D2"  # 县市区, 乡镇, 村 stay in view
    header = [c.value for c in detail[1]]
    column = header.index("本年收入合计（万元）") + 1
    shanghe = next(
        r
        for r in detail.iter_rows(min_row=2, values_only=True)
        if r[header.index("村")] == "上河村" and r[header.index("年度")] == 2022
    )
    assert shanghe[column - 1] == 40.0
    assert detail.max_row - 1 == accounts["year"].eq(2022).sum()  # the report year only
    assert book["历年明细"].max_row - 1 == accounts["year"].le(2022).sum()  # the panel up to it
    tenure = book["书记任期"]
    assert [c.value for c in tenure[1]][:8] == [
        "县市区",
        "乡镇",
        "村",
        "村代码",
        "书记",
        "任职起始",
        "任职年限",
        "当年新任",
    ]
    problems = book["数据问题"]
    assert problems.max_row - 1 == 17
    header = [c.value for c in problems[1]]
    assert header == [
        "来自",
        "出处（文件!表!行）",
        "单元格",
        "列",
        "原值",
        "问题",
        "处理办法",
        "问题代码",
        "原因与处理（英文，供开发者）",
    ]
    rows = list(problems.iter_rows(min_row=2, values_only=True))
    assert {r[7] for r in rows} == {"village_unknown", "conflict", "amount", "subtotal_mismatch"}
    unknown = next(r for r in rows if r[7] == "village_unknown")
    file, sheet, _ = unknown[1].rsplit("!", 2)
    at = f"「{file}」" + (f"的「{sheet}」表" if sheet else "")  # a CSV has no sheet
    assert unknown[5].startswith(
        f"村名不在名册中：{at}{unknown[2]}单元格所在行的村不在村名册（register.csv）中（最接近的："
    )
    assert unknown[6] == "改正村名（或县市区、乡镇），或在 register.csv 中加上该村（或它的别名）"
    assert "is not in the register" in unknown[8]  # the detailed reason stays


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
    assert re.search(r"^roster: \d+ spells; rows rejected: 0$", log, re.M)
    assert "years used: 2016-2022" in log
    assert re.search(
        r"^model tenure_effect \(log\(total_income\)\): 2100 village-years used; left out: 0 with "
        r"total_income of 0 or less \(no log\), 0 with a missing value$",
        log,
        re.M,
    )


@pytest.mark.slow
def test_running_twice_gives_identical_files(tmp_path, repo_root):
    raw = tmp_path / "raw"
    raw.mkdir()
    source = repo_root / "data" / "raw"
    for name in ("汝城县", "北湖区", "register.csv"):
        (shutil.copytree if (source / name).is_dir() else shutil.copy)(source / name, raw / name)
    shutil.copy(next(source.glob("*花名册*")), raw)
    first = _hashes(build_report(2022, raw=raw, out=tmp_path / "a", progress=False))
    second = _hashes(build_report(2022, raw=raw, out=tmp_path / "b", progress=False))
    assert first == second and len(first) == 15


def test_the_command_builds_the_latest_year_by_default_and_refuses_a_year_not_in_the_data(tmp_path, repo_root, capsys):
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
    assert (
        main(
            [
                "report",
                "--raw",
                str(raw),
                "--out",
                str(tmp_path / "out"),
                "--year",
                "2022",
                "--measure",
                "经营性收入",
                "--threshold",
                "20万",
            ]
        )
        == 0
    )  # the Chinese name of operational_income
    page = (tmp_path / "out" / "2022" / "report.html").read_text(encoding="utf-8")
    assert "口径：经营性收入；门槛：20万元" in page
    # The crossings sheet and the page's pointer to it carry the threshold, not 10万元.
    book = openpyxl.load_workbook(tmp_path / "out" / "2022" / "summary.xlsx")
    # One county: its sheet of areas is by township.
    assert book.sheetnames == [
        "乡镇汇总",
        "村级明细",
        "同比变化",
        "历年明细",
        "跨越20万元",
        "负债转收入",
        "书记任期",
        "数据问题",
        "回归结果",
        "空壳村薄弱村",
    ]
    assert "「跨越20万元」表" in page and "10万元" not in _text(page)
    with pytest.raises(SystemExit):
        main(["report", "--measure", "happiness"])
    assert (
        "argument --measure: 'happiness' is not an income measure villagecon knows; name one of: "
        "经营收入 (operating_income)、"
    ) in capsys.readouterr().err


def test_shanghe_is_among_the_2022_turnarounds_with_its_2017_debt(report_2022, accounts):
    # 上河村 owed nothing in 2016, the first year of the sample, and 4.2万元 in 2017.
    up_to_2022 = accounts.loc[accounts["year"].le(2022)]
    turned = metrics.turnarounds(up_to_2022, from_year=range(2016, 2022), to_year=2022).set_index("village")
    assert turned.loc["上河村", ["from_year", "liabilities_from", "income_to"]].tolist() == [2017, 42_000.0, 400_000.0]
    folder, _ = report_2022
    sheet = openpyxl.load_workbook(folder / "summary.xlsx")["负债转收入"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("村")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["上河村"][header.index("净负债年度")] == 2017
    assert rows["上河村"][header.index("净负债年负债（万元）")] == 4.2
    assert len(rows) == len(turned)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "2016年至2021年间曾经净负债" in page and f"2022年不再净负债且达到10万元的村共{len(turned)}个" in page


def test_the_2022_report_uses_no_2023_data(report_2022):
    folder, _ = report_2022
    book = openpyxl.load_workbook(folder / "summary.xlsx")
    detail = book["村级明细"]
    year = [c.value for c in detail[1]].index("年度")
    assert max(r[year] for r in detail.iter_rows(min_row=2, values_only=True)) == 2022
    crossings = book["跨越10万元"]
    header = [c.value for c in crossings[1]]
    laoyuan = next(r for r in crossings.iter_rows(min_row=2, values_only=True) if r[header.index("村")] == "老源村")
    # 13.9万元 in 2021, 8.7万元 in 2022 (10.0万元 in 2023 is not the 2022 report's business).
    assert [laoyuan[header.index(c)] for c in ("首次达到门槛年度", "最后有数年度", "最后一年达到", "此后未达年数")] == [
        2021,
        2022,
        "否",
        1,
    ]  # 是/否, not FALSE


def test_a_derived_measure_is_not_marked_approximate_by_the_total(ledger, roster_and_rejects):
    tables = compute_tables(ledger, *roster_and_rejects, year=2022, measure="operating_profit", threshold=100_000)
    story = _text(_section(render_page(tables, {}), "上河村：从负债到收入"))
    # 2016 was a loss with nothing owed: not net debt. The 2017 debt and the 2022 经营收益 are exact.
    assert story.startswith("2017年，上河村负债4.2万元，经营收益为-2.4万元；2022年经营收益28.0万元，无负债。")


@pytest.mark.slow
@pytest.mark.parametrize(("year", "left_out"), [(2017, ["event_study"]), (2016, ["tenure_effect", "event_study"])])
def test_an_early_year_writes_the_report_and_says_which_model_it_left_out(tmp_path, repo_root, capsys, year, left_out):
    raw = _small_raw(tmp_path, repo_root)
    assert main(["report", "--year", str(year), "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert "Traceback" not in capsys.readouterr().err
    folder = tmp_path / "out" / str(year)
    assert {p.name for p in folder.iterdir()} == {
        "figures",
        "summary.xlsx",
        "report.html",
        "report.docx",
        "run.log",
        "manifest.json",
    }
    drawn = sorted(p.stem for p in (folder / "figures").glob("*.png"))
    # No figure of a model not estimated; no line of shares over a single year.
    assert drawn == sorted(set(FIGURES) - {"event_study"} - ({"share_above"} if year == 2016 else set()))
    page = _text((folder / "report.html").read_text(encoding="utf-8"))
    log = (folder / "run.log").read_text(encoding="utf-8")
    names = {"tenure_effect": "书记任期模型", "event_study": "新书记上任前后的事件研究"}
    for model in left_out:
        assert f"本报告未列出{names[model]}：" in page
        assert re.search(
            rf"^model {model}: left out: .*(collinear with the village and year effects|no arrival "
            r"has both years before it)",
            log,
            re.M,
        )
    if "tenure_effect" not in left_out:
        assert "书记每多任职一年" in page
    # Before it turned around, 上河村's section does not claim it did.
    assert "上河村：收入与负债" in page and "上河村：从负债到收入" not in page
    assert f"{year}年村级集体经济年度报告" in page and f"years used: 2016-{year}" in log


def _two_shanghe(county_township):
    """Two villages called 上河村 over 2017 and 2022; the first in 汝城县濠头乡 unless told otherwise."""
    rows = []
    for (county, township), owed in zip(county_township, (42_000.0, 0.0), strict=True):
        for year, income in ((2017, 0.0), (2022, 400_000.0 if owed else 50_000.0)):
            rows.append(
                {
                    "county": county,
                    "township": township,
                    "village": "上河村",
                    "village_code": pd.NA,
                    "year": year,
                    "total_income": income,
                    "liabilities": owed if year == 2017 else 0.0,
                    "assets": 0.0,
                }
            )
    return pd.DataFrame(rows)


def test_the_story_is_the_article_s_shanghe_when_the_data_have_two():
    accounts = _two_shanghe([("汝城县", "濠头乡"), ("汝城县", "土桥镇")])
    rows, left_out = showcase_rows(accounts)
    assert left_out == ""
    assert rows[["township", "year", "total_income"]].values.tolist() == [
        ["濠头乡", 2017, 0.0],
        ["濠头乡", 2022, 400_000.0],
    ]


def test_the_story_is_left_out_with_the_reason_when_no_shanghe_is_the_article_s(ledger, roster_and_rejects):
    accounts = _two_shanghe([("宜章县", "梅田镇"), ("宜章县", "黄沙镇")])
    rows, left_out = showcase_rows(accounts)
    assert rows.empty
    assert left_out.startswith("'上河村' names 2 villages (宜章县 梅田镇; 宜章县 黄沙镇)")
    tables = compute_tables(ledger, *roster_and_rejects, year=2022, measure="total_income", threshold=100_000)
    tables = dataclasses.replace(tables, featured=[FeaturedVillage("上河村", rows, left_out=left_out)])
    page = _text(render_page(tables, {}))
    assert "本报告未讲述上河村的故事：数据中无法确定哪一个是文章中的上河村，请在登记表（register.csv）中写明" in page
    assert "从负债到收入" not in page


def test_page_states_identification_pretrend_and_the_threshold_rule(ledger, roster_and_rejects):
    tables = compute_tables(ledger, *roster_and_rejects, year=2022, measure="total_income", threshold=100_000)
    page = _text(render_page(tables, {}))
    row = tables.regression.set_index("model").loc["tenure_effect"]
    assert row[["n_obs", "n_villages", "n_clusters"]].tolist() == [
        tables.tenure_model.iloc[0]["n_obs"],
        tables.tenure_model.iloc[0]["n_villages"],
        300,
    ]
    assert 0 < row["n_villages_changed"] < row["n_villages"] and 0 < row["r2_within"] < 1
    assert f"{int(row['n_villages'])}个村中有{int(row['n_villages_changed'])}个村在数据期间更换过书记" in page
    assert "描述的是相关关系，不是任职年限的因果效应" in page
    pretrend = tables.events.attrs["pretrend"]
    assert f"联合检验F={pretrend['stat']:.2f}，p={pretrend['p_value']:.3f}" in page
    assert "（达到即计入，恰好等于门槛的村计入）" in page and "个村的本年收入合计达到10万元" in page
    exceeding = compute_tables(
        ledger, *roster_and_rejects, year=2022, measure="total_income", threshold=100_000, inclusive=False
    )
    page = _text(render_page(exceeding, {}))
    assert "（超过才计入，恰好等于门槛的村不计入）" in page and "个村的本年收入合计超过10万元" in page
    assert "达到10万元" not in page
    # The event-study rows of the regression table carry the pre-trend p-value.
    events = tables.regression.loc[tables.regression["model"].eq("event_study (stacked)")]
    assert len(events) == 6 and events["pretrend_p_value"].eq(pretrend["p_value"]).all()
