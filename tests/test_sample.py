"""The synthetic 郴州市 sample: byte-for-byte reproducible, calibrated to the article, read back exactly."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from villagecon import read_ledger
from villagecon import sample as vs
from villagecon.analysis.tenure import tenure
from villagecon.errors import UsageError
from villagecon.ingest.files import read_sheets
from villagecon.ingest.roster import read_roster_tables
from villagecon.vocab import labels
from villagecon.vocab.chenzhou import BACKGROUNDS, COUNTY_CODES, UNKNOWN_VILLAGE

ITEMS = list(labels.ACCOUNT_ITEMS)


@pytest.fixture(scope="module")
def bundled(repo_root) -> Path:
    return repo_root / "data" / "raw"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> tuple[vs.Sample, Path]:
    """The default sample written afresh (the same arguments as the bundled one)."""
    out = tmp_path_factory.mktemp("sample")
    return vs.write_sample(out), out


@pytest.fixture(scope="module")
def sample(regenerated) -> vs.Sample:
    return regenerated[0]


@pytest.fixture(scope="module")
def truth(sample) -> pd.DataFrame:
    return sample.truth


@pytest.fixture(scope="module")
def ledger(cleaned_sample):
    """The bundled files cleaned, once per worker (conftest.py): shared, do not change it."""
    return cleaned_sample


@pytest.fixture(scope="module")
def texts(bundled) -> dict[str, list[str]]:
    """Every text cell of every ledger file, by file (read as the cleaner reads them)."""
    found = {}
    for path in sorted(bundled.rglob("*")):
        if path.suffix in (".xlsx", ".csv") and path.name != "register.csv":
            sheets = read_sheets(path, name=path.relative_to(bundled).as_posix())
            found[sheets[0].file] = [v for s in sheets for v in s.grid.to_numpy().ravel() if isinstance(v, str) and v]
    return found


def village_year(truth, village, year):
    rows = truth.loc[truth["village"].eq(village) & truth["year"].eq(year)]
    assert len(rows) == 1
    return rows.iloc[0]


def files_under(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".gitkeep"
    }


# --- reproducible -----------------------------------------------------------------------------------


def test_regenerating_gives_the_bundled_files_byte_for_byte(regenerated, bundled):
    sample, out = regenerated
    written = files_under(out)
    assert written == files_under(bundled)
    assert sorted(p.relative_to(out).as_posix() for p in sample.files) == sorted(written)
    assert len(written) == 65


def test_bundled_files_are_small_enough_to_commit(bundled):
    assert sum(p.stat().st_size for p in bundled.rglob("*") if p.is_file()) < 5_000_000


def test_another_seed_gives_other_numbers_but_the_same_calibration():
    one, two = vs.sample_truth(seed=1, villages=40), vs.sample_truth(seed=2, villages=40)
    assert not np.allclose(one["total_income"], two["total_income"])
    for truth in (one, two):
        shanghe = truth.loc[truth["village"].eq("上河村")].set_index("year")
        assert shanghe.loc[2017, "liabilities"] == 42_000
        assert shanghe.loc[2022, "total_income"] == 419_600


def test_writing_into_a_folder_of_other_ledgers_is_refused(tmp_path):
    (tmp_path / "mine.xlsx").write_bytes(b"not the sample's")
    with pytest.raises(UsageError, match=r"mine\.xlsx"):
        vs.write_sample(tmp_path, villages=11)


@pytest.mark.parametrize("arguments", [{"villages": 10}, {"villages": 2_601}, {"years": []}, {"seed": -1}])
def test_impossible_arguments_are_refused(arguments):
    with pytest.raises(UsageError):
        vs.sample_truth(**arguments)


def test_a_city_sized_sample_has_2400_distinct_villages():
    truth = vs.sample_truth(villages=2_400, years=[2022])
    assert truth["village_code"].nunique() == truth["village"].nunique() == 2_400
    assert truth.groupby("county").size().min() >= 140
    assert (truth["total_income"] >= vs.THRESHOLD).mean() >= 0.95


# --- what the files say -------------------------------------------------------------------------------


def test_every_file_says_it_is_synthetic(bundled):
    for path in bundled.rglob("*"):
        if path.suffix in (".xlsx", ".csv") and path.name != "register.csv":
            for sheet in read_sheets(path):
                first_row = " ".join(str(v) for v in sheet.grid.iloc[0])
                assert "合成样例" in first_row or "合成样例" in sheet.sheet, (path.name, sheet.sheet)
            assert "合成样例" in path.name
    register = pd.read_csv(bundled / "register.csv", dtype=str)
    assert set(register["note"]) == {"合成样例数据 (synthetic sample)"}
    assert "synthetic" in (bundled / "README.md").read_text(encoding="utf-8")


def test_register_has_every_county_and_12_digit_codes(bundled, truth):
    register = pd.read_csv(bundled / "register.csv", dtype=str, keep_default_na=False)
    assert list(register.columns) == ["county", "county_code", "township", "village", "village_code", "aliases", "note"]
    assert len(register) == 300 and register["village_code"].is_unique and register["village"].is_unique
    assert register["village_code"].str.fullmatch(r"\d{12}").all()
    assert (register["county_code"] == register["county"].map(COUNTY_CODES)).all()
    assert (register["village_code"].str[:6] == register["county_code"]).all()
    assert set(register["county"]) == set(COUNTY_CODES)
    places = register.set_index("village")[["county", "township"]]
    assert places.loc["上河村"].tolist() == ["汝城县", "濠头乡"]
    assert places.loc["塔水村"].tolist() == ["北湖区", "华塘镇"]
    assert places.loc["排山村"].tolist() == ["安仁县", "永乐江镇"]
    assert places.loc["秧田村", "county"] == "资兴市"
    assert (register["township"].eq("欧阳海镇") & register["county"].eq("桂阳县")).any()
    aliases = register.loc[register["aliases"].ne(""), "aliases"]
    assert len(aliases) == 8 and not set(aliases) & set(register["village"])
    assert UNKNOWN_VILLAGE not in set(register["village"]) | set(aliases)
    assert set(register["village_code"]) == set(truth["village_code"])


ROSTER = "村党组织书记花名册（合成样例）.xlsx"
OTHER_WORDS = {"外出务工返乡", "选派干部", "村医", "退休干部"}  # 来源 outside the five categories


@pytest.fixture(scope="module")
def roster_sheets(bundled) -> dict[str, object]:
    """The roster workbook's sheets as read (grid and merged ranges), by sheet name."""
    return {sheet.sheet: sheet for sheet in read_sheets(bundled / ROSTER)}


@pytest.fixture(scope="module")
def roster_tables(bundled):
    return read_roster_tables(bundled / ROSTER, register=bundled / "register.csv")


def text_or_none(value):
    """A text cell of a table, None where it is missing (None, NaN, or the text 'None' of a str column)."""
    return (
        None if value is None or value in ("None", "nan") or (isinstance(value, float) and np.isnan(value)) else value
    )


def rows_under_header(sheet, header_row: int) -> pd.DataFrame:
    """A sheet's rows under its header (1-based row), as text, with the header's cells as column names."""
    grid = sheet.grid.astype(object).where(sheet.grid.notna(), "")
    table = grid.loc[header_row + 1 :]
    table.columns = [str(v) for v in grid.loc[header_row]]
    return table


def test_the_roster_is_a_huamingce_a_liren_sheet_and_a_liangwei_sheet(roster_sheets, sample):
    assert list(roster_sheets) == ["花名册（合成样例）", "鲤鱼塘镇历任书记（合成样例）", "鲤鱼塘镇两委班子（合成样例）"]
    main, history, committee = roster_sheets.values()
    # The city's 花名册: title, 填表说明, one header row of the current-office form, 填表人 footer.
    assert "合成样例" in main.grid.at[1, 0] and main.grid.at[2, 0].startswith("填表说明：")
    assert main.grid.loc[3].tolist() == [
        "序号",
        "县市区",
        "乡镇",
        "村（社区）",
        "姓名",
        "性别",
        "出生年月",
        "学历",
        '是否"一肩挑"',
        "新任/连任",
        "任职起止时间",
        "来源",
        "导师",
        "培训天数",
        "荣誉",
        "备注",
    ]
    body = rows_under_header(main, 3)
    footer = body["序号"].astype(str).str.startswith(("填表人", "注："))
    assert body.loc[footer, "序号"].str.startswith("填表人：").sum() == 1
    body = body.loc[~footer]
    assert set(body['是否"一肩挑"']) == {"是", "否"} and set(body["新任/连任"]) == {"新任", "连任", ""}
    ranges = body["任职起止时间"]
    for spelling in (
        r"\d{4}\.\d\d—\d{4}\.\d\d",
        r"\d{4}\.\d\d-至今",
        r"\d{4}年\d{1,2}月至今",
        r"\d{4}年\d{1,2}月—\d{4}年\d{1,2}月",
        r"\d{4}\.\d\d—至今",
        r"\d{4}\.\d\d—",
    ):
        assert ranges.str.fullmatch(spelling).any(), spelling
    written = set(body["来源"])
    assert OTHER_WORDS.issubset(written)
    assert {"大学生村官", "种养大户", "退伍军人", "返乡创业人员"} <= written
    assert set(BACKGROUNDS) <= written
    assert (4, 1, 47, 1) in main.merged  # 县市区 merged over 北湖区's rows
    # 鲤鱼塘镇's 历任书记: 任职起止时间 in one cell, 朱刚's term written in two rows at the 2014 换届.
    assert history.grid.loc[2].tolist() == ["序号", "村", "姓名", "职务", "任职起止时间", "来源", "备注"]
    zhu = rows_under_header(history, 2).query("姓名 == '朱刚'")
    assert zhu[["村", "职务", "任职起止时间"]].values.tolist() == [
        ["何家坊村", "党总支书记", "2007.10—2013.12"],
        ["何家坊村", "党总支书记、村委会主任", "2014.01—2020.12"],
    ]
    # 鲤鱼塘镇's 两委班子: a header over two rows, a section row merged across, the village merged down.
    assert committee.grid.at[2, 8] == "任职时间" and committee.grid.loc[3, [8, 9]].tolist() == ["起", "止"]
    assert (2, 1, 3, 1) in committee.merged and (2, 8, 2, 9) in committee.merged  # 村 over both rows
    assert committee.grid.at[4, 0] == "一、鲤鱼塘镇（共13个村）" and (4, 0, 4, 14) in committee.merged
    posts = set(committee.grid.loc[5:, 3]) - {""}
    assert {"驻村第一书记", "党支部副书记", "村委会主任", "支部委员", "村委会委员"} <= posts
    assert len(sample.committee) == 54


def test_the_roster_reads_to_every_spell_of_the_truth_with_no_reject(roster_tables, sample):
    spells, _, rejects = roster_tables
    assert rejects.empty
    truth = sample.roster.assign(
        start=pd.to_datetime(sample.roster["start"]).astype("datetime64[ns]"),
        end=pd.to_datetime(sample.roster["end"]).astype("datetime64[ns]"),
    )
    columns = ["village_code", "name", "role", "start", "end", "background", "training_days"]
    read = spells[columns].sort_values(["village_code", "start"]).reset_index(drop=True)
    expected = truth[columns].sort_values(["village_code", "start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(read, expected, check_dtype=False)
    for column in ("mentor", "honours"):
        got = spells.set_index(["village_code", "name"])[column].map(text_or_none)
        want = truth.set_index(["village_code", "name"])[column].map(text_or_none)
        assert got.to_dict() == want.to_dict(), column
    # 来源 written in other words is kept as written and read as the truth's category.
    reworded = spells.loc[spells["background_written"].ne(spells["background"])]
    assert len(reworded) > 100 and set(reworded["background_written"]) & OTHER_WORDS
    assert set(spells.loc[spells["background_written"].isin(OTHER_WORDS), "background"]) == {"其他"}
    assert not spells["began_before"].any()  # every 连任 row joins the term before it


def test_the_article_secretaries_read_as_the_article_says(roster_tables):
    spells = roster_tables[0].set_index("name")
    read = {
        name: (row.village, row.role, str(row.start.date()), pd.isna(row.end), row.background, text_or_none(row.mentor))
        for name, row in spells.loc[["张小雄", "曹海欧", "刘鹏", "段红锋"]].iterrows()
    }
    assert read == {
        "张小雄": ("上河村", "书记", "2017-04-01", True, "致富能手", None),
        "曹海欧": ("塔水村", "书记兼主任", "2021-01-01", True, "经商返乡人员", "谭皓"),
        "刘鹏": ("排山村", "书记兼主任", "2018-01-01", True, "其他", None),
        "段红锋": ("秧田村", "书记兼主任", "2018-01-01", True, "经商返乡人员", None),
    }
    assert spells.loc[["张小雄", "曹海欧", "刘鹏", "段红锋"], "training_days"].ge(3).all()
    assert spells.loc["张小雄", "township"] == "濠头乡" and spells.loc["曹海欧", "township"] == "华塘镇"


def test_the_liangwei_rows_are_other_posts_never_spells(roster_tables, sample):
    spells, others, _ = roster_tables
    assert (
        others[["village", "name", "role"]].values.tolist()
        == sample.committee[["village", "name", "role"]].values.tolist()
    )
    assert others["start"].dt.strftime("%Y.%m").tolist() == sample.committee["start"].tolist()
    assert set(others["township"]) == {"鲤鱼塘镇"}  # from the section row
    assert not set(others["name"]) & set(spells["name"])
    assert others["end"].isna().all()


def test_the_term_split_at_the_election_is_one_spell_with_its_role_history(roster_tables, ledger, truth):
    spells = roster_tables[0]
    split = spells.loc[spells["roles"].map(text_or_none).notna()]
    assert split["name"].tolist() == ["朱刚"]
    zhu = split.iloc[0]
    assert (zhu["village"], zhu["role"], str(zhu["start"].date()), pd.isna(zhu["end"])) == (
        "何家坊村",
        "书记兼主任",
        "2007-10-01",
        True,
    )
    assert zhu["roles"].split("; ")[:2] == ["书记 from 2007-10-01", "书记兼主任 from 2014-01-01"]
    served = tenure(truth.loc[truth["village"].eq("何家坊村"), ["village_code", "village", "year"]], spells)
    assert served["secretary"].eq("朱刚").all() and served["one_shoulder"].all()
    assert served["tenure_years"].tolist() == [year - 2007 for year in range(2016, 2024)]


def test_tenure_on_the_roster_gives_the_truth_for_every_village_year(roster_tables, ledger, truth):
    served = tenure(ledger.accounts, roster_tables[0]).merge(
        truth[
            [
                "village_code",
                "year",
                "secretary",
                "secretary_role",
                "secretary_background",
                "secretary_start",
                "tenure_years",
            ]
        ],
        on=["village_code", "year"],
        suffixes=("", "_truth"),
    )
    assert len(served) == len(truth) == 2400
    assert served["secretary"].eq(served["secretary_truth"]).all()
    assert (served["secretary_start"] == pd.to_datetime(served["secretary_start_truth"])).all()
    assert served["tenure_years"].astype(int).eq(served["tenure_years_truth"]).all()
    assert served["one_shoulder"].astype(bool).eq(served["secretary_role"].eq("书记兼主任")).all()
    assert served["background"].eq(served["secretary_background"]).all()
    assert served["new_secretary"].astype(bool).eq(served["tenure_years_truth"].eq(0)).all()
    assert not served["tenure_at_least"].any()


# --- calibration to the article -------------------------------------------------------------------------


def test_shanghe_from_debt_to_more_than_400000(truth, sample):
    y2017, y2022 = village_year(truth, "上河村", 2017), village_year(truth, "上河村", 2022)
    assert y2017["liabilities"] == 42_000  # 负债4.2万元
    assert y2017["total_income"] == 3_800  # next to nothing
    assert y2017["net_income"] == -42_000
    assert 400_000 <= y2022["total_income"] < 500_000  # 40余万元
    assert (y2022["secretary"], y2022["secretary_background"], y2022["tenure_years"]) == ("张小雄", "致富能手", 5)
    assert village_year(truth, "上河村", 2016)["secretary"] != "张小雄"
    details = sample.details.pivot(index="year", columns="detail", values="amount_yuan")
    assert details.index.tolist() == list(range(2018, 2024))  # 光伏 and 大棚 from 2018
    assert details.loc[2022].tolist() == [150_000, 88_000]  # 光伏发电收入, 蔬菜大棚租金收入
    approx = sample.approx_cells.iloc[0]
    assert (approx["written"], approx["truth_yuan"], approx["cleaned_yuan"]) == ("40余万元", 419_600, 400_000)


def test_shanghe_is_written_as_the_article_and_offices_write_it(bundled):
    wide = {s.sheet: s.grid for s in read_sheets(bundled / "汝城县/汝城县村级集体经济收支统计表（合成样例）.xlsx")}
    row_2017 = wide["2017年"].loc[wide["2017年"][2].eq("上河村村委会")].iloc[0]
    assert row_2017[13] == "（4.2）" and row_2017[15] == 4.2  # 本年收益 and 负债, 万元
    row_2022 = wide["2022年"].loc[wide["2022年"][2].eq("上河村村委会")].iloc[0]
    assert row_2022[8] == "40余万元"  # 本年收入合计
    [statement] = [
        s.grid
        for s in read_sheets(bundled / "汝城县/汝城县濠头乡收益分配表（合成样例）.xlsx")
        if s.sheet.startswith("上河村")
    ]
    lines = statement.set_index(0)
    assert lines.loc["一、本年收入", 7] == "40余万元"  # the 2022年 column
    assert lines.loc["    其中：光伏发电收入", 7] == 150_000
    assert lines.loc["    其中：蔬菜大棚租金收入", [1, 2, 3]].tolist() == ["", "", 20_000]  # from 2018


def test_other_article_villages(truth):
    tashui = truth.loc[truth["village"].eq("塔水村")].set_index("year")
    assert tashui.loc[2021, "secretary"] == "曹海欧" and tashui.loc[2020, "secretary"] != "曹海欧"
    assert tashui.loc[2021, "secretary_role"] == "书记兼主任" and tashui.loc[2023, "tenure_years"] == 2
    yangtian = truth.loc[truth["village"].eq("秧田村")].set_index("year")
    assert yangtian["liabilities"].is_monotonic_decreasing
    assert yangtian.loc[2016, "liabilities"] == 1_280_000 and yangtian.loc[2022, "liabilities"] == 0
    assert yangtian["total_income"].diff().dropna().gt(0).all()  # 逐年增收
    assert (yangtian.loc[2019:, "secretary"] == "段红锋").all()
    assert truth.loc[truth["village"].eq("排山村") & truth["year"].ge(2018), "secretary"].eq("刘鹏").all()
    assert truth["from_article"].sum() == 4 * 8


def test_more_than_95_percent_above_100000_in_2022_and_far_fewer_before(truth):
    share = truth.groupby("year")["total_income"].apply(lambda income: (income >= 100_000).mean())
    assert share[2022] >= 0.95
    assert share[2016] < 0.3 and share[2019] < 0.7
    assert share.is_monotonic_increasing
    assert share.round(3).to_dict() == {
        2016: 0.217,
        2017: 0.297,
        2018: 0.443,
        2019: 0.6,
        2020: 0.74,
        2021: 0.86,
        2022: 0.97,
        2023: 0.98,
    }


def test_secretaries_change_so_tenure_varies(truth):
    assert truth["tenure_years"].min() == 0 and truth["tenure_years"].max() >= 10
    changed = truth.groupby("village_code")["secretary"].nunique().gt(1)
    assert 0.4 <= changed.mean() <= 0.7
    new_in_2021 = truth.loc[truth["year"].eq(2021) & truth["tenure_years"].eq(0)]
    assert len(new_in_2021) >= 60  # the 2021 election
    assert (new_in_2021["secretary_start"] >= "2021-01-01").all()
    assert (truth["tenure_years"] == truth["year"] - truth["secretary_start"].dt.year).all()


def test_two_way_fixed_effects_recover_the_tenure_effect(truth):
    panel = truth.loc[~truth["from_article"]]
    log_income = np.log(panel.pivot(index="village_code", columns="year", values="total_income").to_numpy())
    tenure = panel.pivot(index="village_code", columns="year", values="tenure_years").to_numpy(dtype=float)

    def within(a):  # balanced panel: remove village and year means
        return a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean()

    estimate = (within(tenure) * within(log_income)).sum() / (within(tenure) ** 2).sum()
    assert estimate == pytest.approx(vs.TENURE_EFFECT, abs=0.005)


def test_truth_accounts_add_up_in_whole_yuan(truth):
    income = truth[list(labels.INCOME_ITEMS)].sum(axis=1)
    expense = truth[list(labels.EXPENSE_ITEMS)].sum(axis=1)
    assert (truth["total_income"] == income).all() and (truth["total_expense"] == expense).all()
    assert (truth["net_income"] == truth["total_income"] - truth["total_expense"]).all()
    amounts = truth[ITEMS].to_numpy()
    present = amounts[~np.isnan(amounts)]
    assert (present == np.round(present)).all()
    assert truth[[*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS]].fillna(0).ge(0).all().all()
    assert truth["net_income"].lt(0).any()  # some villages spend more
    assert truth[["tax_and_surcharges", "public_welfare_expense", "income_tax"]].isna().all().all()
    no_balance = truth["assets"].isna()
    assert no_balance.equals(truth["liabilities"].isna()) and set(truth.loc[no_balance, "year"]) == {2016}
    assert 10 <= no_balance.sum() <= 40
    assert (truth[["assets", "liabilities"]].dropna() >= 0).all().all()


def test_the_files_hold_every_messiness_the_reader_must_handle(bundled, texts):
    every = [text for cells in texts.values() for text in cells]
    for written in (
        "40余万元",
        "（4.2）",
        "十二万",
        "上河村村委会",
        "二〇一九年",
        "2019年度",
        "单位：万元",
        "单位：元",
        "合\u3000计",
    ):
        assert written in every, written
    for date in (r"2023-\d\d-\d\d", r"2023/\d{1,2}/\d{1,2}", r"2023年\d{1,2}月\d{1,2}日"):  # a line's date, 3 ways
        assert any(re.fullmatch(date, t) for t in every), date
    assert any("\u3000" in t and t.endswith("村") for t in every)  # 石冲　村
    assert any(t.endswith("股份经济合作社") for t in every)
    assert any(t.startswith("△") for t in every) and any(t.startswith("(") for t in every)
    assert any("," in t and t.replace(",", "").isdigit() for t in every)  # 1,234,567
    assert any(t.endswith("万") and t[:-1].replace(".", "").isdigit() for t in every)  # 4.2万
    assert any(c in t for t in every for c in "０１２３４５６７８９")
    for written in (
        "流动资产：",
        "所有者权益：",
        "年初数",
        "年末数",
        "2023年12月31日",
        "2023年度",
        "甲",
        "千元",
        "个",
        "人",
        "四、附报指标",
        "本年累计（元）",
        "区划代码",
        "组织名称",
        "会计年度",
        "50101",
        "单位负责人：",
        "填表人：",
        "凭证号",
        "摘要",
        "本季发生数",
        "本年累计数",
        "监督小组签字：",
    ):
        assert written in every, written
    assert any(t.startswith("编制单位：") and t.endswith("股份经济合作社") for t in every)
    assert any(t.startswith("填报单位：") and t.endswith("股份经济合作社") for t in every)
    assert any(len(t) == 12 and t.isdigit() for t in every)  # 区划代码 as text
    assert any(t.startswith("郴州市北湖区华塘镇") and t.endswith("村股份经济合作社") for t in every)
    assert {path.parent.name for path in bundled.glob("*/*.csv")} == {"宜章县", "永兴县", "安仁县", "资兴市"}
    for path in bundled.rglob("*.csv"):
        data = path.read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n") > 3
        if path.parts[-2] in ("宜章县", "资兴市"):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert "合成样例" in data.decode("gbk")
        elif path.name != "register.csv":
            assert data.startswith(b"\xef\xbb\xbf")


def test_bad_cells_are_where_the_readme_says(sample, bundled):
    bad = sample.bad_cells
    assert bad["problem"].value_counts().to_dict() == {
        "village_unknown": 13,
        "conflict": 2,
        "amount": 1,
        "subtotal_mismatch": 1,
    }
    assert bad.loc[bad["problem"].eq("amount"), "value"].tolist() == ["12.3%"]
    assert set(bad.loc[bad["problem"].eq("village_unknown"), "village"]) == {UNKNOWN_VILLAGE}
    conflict = bad.loc[bad["problem"].eq("conflict")]
    assert conflict["village_code"].nunique() == 1 and conflict["file"].nunique() == 2
    readme = (bundled / "README.md").read_text(encoding="utf-8")
    for source, cell in zip(bad["source"], bad["cell"], strict=True):
        assert f"`{source}`" in readme and cell in readme


# --- the real forms: balance sheets, the 三资 export, the statistics form -------------------------------------


def _grids(bundled, pattern):
    return [(path, sheet) for path in sorted(bundled.glob(pattern)) for sheet in read_sheets(path)]


def test_the_balance_sheets_add_up_and_repeat_the_truth(bundled, truth):
    figures = truth.set_index(["county", "village", "year"])
    ends: dict[tuple[str, int], dict[str, float]] = {}
    starts: dict[tuple[str, int], dict[str, float]] = {}
    sheets = _grids(bundled, "嘉禾县/*资产负债表*.xlsx")
    assert len(sheets) == 2 * (truth["county"].eq("嘉禾县").sum() // 8)  # every village, 2022 and 2023
    for path, sheet in sheets:
        grid = sheet.grid
        year = int(grid.iloc[1, 3][:4])
        assert f"{year}年" in path.name and grid.iloc[1, 3] == f"{year}年12月31日" and grid.iloc[1, 7] == "单位：元"
        township = path.name.removeprefix("嘉禾县")[:3]
        assert grid.iloc[1, 0] == f"编制单位：嘉禾县{township}{sheet.sheet}股份经济合作社"
        assert grid.iloc[2].tolist() == [
            "资产",
            "行次",
            "年初数",
            "年末数",
            "负债及所有者权益",
            "行次",
            "年初数",
            "年末数",
        ]
        lines = {}
        for label_col in (0, 4):
            for row in grid.iloc[3:].itertuples(index=False):
                if row[label_col + 1] != "":
                    lines[row[label_col].strip()] = (row[label_col + 2], row[label_col + 3])
        for at, column in ((year - 1, 0), (year, 1)):
            b = {label: amounts[column] for label, amounts in lines.items()}
            assert b["流动资产合计"] == b["货币资金"] + b["短期投资"] + b["应收款项"] + b["存货"]
            assert b["农业资产合计"] == b["牲畜（禽）资产"] + b["林木资产"]
            assert b["固定资产净值"] == b["固定资产原值"] - b["减：累计折旧"]
            assert b["固定资产合计"] == b["固定资产净值"] + b["固定资产清理"] + b["在建工程"]
            assert b["资产总计"] == b["流动资产合计"] + b["农业资产合计"] + b["长期投资"] + b["固定资产合计"]
            assert b["流动负债合计"] == b["短期借款"] + b["应付款项"] + b["应付工资"] + b["应付福利费"]
            assert b["长期负债合计"] == b["长期借款及应付款"] + b["一事一议资金"]
            assert b["负债合计"] == b["流动负债合计"] + b["长期负债合计"]
            assert b["所有者权益合计"] == b["资本"] + b["公积公益金"] + b["未分配收益"] == b["资产总计"] - b["负债合计"]
            assert b["负债和所有者权益总计"] == b["负债合计"] + b["所有者权益合计"] == b["资产总计"]
            assert all(v == round(v) for v in b.values())  # whole yuan
            assert b["资产总计"] == figures.at[("嘉禾县", sheet.sheet, at), "assets"]
            assert b["负债合计"] == figures.at[("嘉禾县", sheet.sheet, at), "liabilities"]
            (starts if column == 0 else ends)[(sheet.sheet, at)] = b
    assert starts.keys() & ends.keys()
    for key in starts.keys() & ends.keys():  # 2023's 年初数 is 2022's 年末数, line by line
        assert starts[key] == ends[key], key


def test_the_sanzi_export_repeats_the_truth_with_sub_accounts(bundled, truth):
    [(_, sheet)] = _grids(bundled, "北湖区/*三资*.xlsx")
    assert "合成样例" in sheet.sheet
    grid = sheet.grid
    assert grid.iloc[0].tolist() == [
        "序号",
        "区划代码",
        "组织名称",
        "会计年度",
        "科目编码",
        "科目名称",
        "本年累计（元）",
    ]
    lines = grid.iloc[1:].set_axis(grid.iloc[0].tolist(), axis=1)
    figures = truth.set_index(["village_code", "year"])
    items = {
        "501": "operating_income",
        "502": "operating_expense",
        "511": "contract_income",
        "522": "subsidy_income",
        "531": "other_income",
        "541": "admin_expense",
        "551": "other_expense",
        "561": "investment_income",
    }
    assert set(lines["会计年度"]) == {"2021", "2022", "2023"}
    assert set(lines["区划代码"].str[:9]) == {"431002101"}  # 北湖区华塘镇
    only_subs = split = 0
    for (code, year), own in lines.groupby(["区划代码", "会计年度"]):
        village = figures.loc[(code, int(year))]
        assert set(own["组织名称"]) == {f"郴州市北湖区华塘镇{village['village']}股份经济合作社"}
        amounts = own.set_index("科目编码")["本年累计（元）"]
        subs = amounts[amounts.index.str.fullmatch(r"501\d\d")]
        for account, item in items.items():
            expected = village[item]
            written = amounts.get(account, subs.sum() if account == "501" and len(subs) else 0.0)
            assert written == expected, (code, year, account)
        if len(subs):
            assert subs.sum() == village["operating_income"]
            only_subs += "501" not in amounts.index
            split += "501" in amounts.index
    assert only_subs >= 1 and split >= 1


def test_the_statistics_form_gives_both_years_in_thousands(bundled, truth):
    sheets = _grids(bundled, "桂东县/*收益分配统计表*.xlsx")
    figures = truth.set_index(["county", "village", "year"])
    lines = {
        "一、本年收入": "total_income",
        "1.经营收入": "operating_income",
        "2.发包及上交收入": "contract_income",
        "3.投资收益": "investment_income",
        "4.补助收入": "subsidy_income",
        "5.其他收入": "other_income",
        "二、本年支出": "total_expense",
        "1.经营支出": "operating_expense",
        "2.管理费用": "admin_expense",
        "3.其他支出": "other_expense",
        "三、本年收益": "net_income",
    }
    assert len(sheets) >= 5
    for _, sheet in sheets:
        grid = sheet.grid
        assert grid.iloc[1, 0] == "2023年度" and grid.iloc[2, 0].startswith("填报单位：桂东县")
        assert grid.iloc[3].tolist() == ["指标名称", "代码", "计量单位", "本年数", "上年数"]
        assert grid.iloc[4].tolist() == ["甲", "乙", "丙", 1, 2]
        body = grid.iloc[5:]
        checked = 0
        for label, _, unit, this_year, last_year in body.itertuples(index=False):
            item = lines.get(label.strip())
            if item is None:
                continue
            checked += 1
            assert unit == "千元"
            assert round(this_year * 1_000, 2) == figures.at[("桂东县", sheet.sheet, 2023), item]
            assert round(last_year * 1_000, 2) == figures.at[("桂东县", sheet.sheet, 2022), item]
        assert checked == len(lines)
        others = body.loc[body[2].isin(["个", "人"])]
        assert others[0].str.strip().tolist() == ["1.汇入本表村数", "2.集体经济组织成员数"]


CASH_BOOK = "永兴县/永兴县马田镇收支明细账（合成样例）.csv"
BOARDS = {
    quarter: f"汝城县/汝城县濠头乡2023年{quarter}村级财务收支公开榜（合成样例）.xlsx"
    for quarter in ("第三季度", "第四季度")
}
BOARD_LINES = {
    "一、收入合计": "total_income",
    "1.经营收入": "operating_income",
    "2.发包及上交收入": "contract_income",
    "3.投资收益": "investment_income",
    "4.补助收入": "subsidy_income",
    "5.其他收入": "other_income",
    "二、支出合计": "total_expense",
    "1.经营支出": "operating_expense",
    "2.管理费用": "admin_expense",
    "3.其他支出": "other_expense",
    "三、本年收益": "net_income",
}


def _iso_date(written: str) -> str:
    """2023-03-05, 2023/3/5 or 2023年3月5日 as 2023-03-05."""
    year, month, day = (int(part) for part in re.findall(r"\d+", written))
    return f"{year}-{month:02d}-{day:02d}"


def _fen(written: str) -> int:
    yuan, _, cents = written.partition(".")
    return int(yuan) * 100 + int(cents.ljust(2, "0"))


def test_the_cash_book_splits_every_item_into_dated_lines_that_add_up(bundled, truth):
    raw = (bundled / CASH_BOOK).read_bytes().decode("utf-8-sig")
    assert raw.splitlines()[0] == "永兴县马田镇村级收支明细账（合成样例数据）" and raw.splitlines()[1] == "单位：元"
    book = pd.read_csv(bundled / CASH_BOOK, skiprows=2, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(book.columns) == ["日期", "凭证号", "村", "摘要", "项目", "收入", "支出"]
    assert book["收入"].ne("").ne(book["支出"].ne("")).all()  # a receipt or a payment
    book["date"] = book["日期"].map(_iso_date)
    assert book["date"].str.startswith("2023-").all()
    assert book["凭证号"].str.fullmatch(r"记-\d{3}").all()
    assert book["摘要"].str.match(r"^(?:收|付)").all()
    assert book.loc[book["收入"].ne(""), "摘要"].str.startswith("收").all()
    assert not book["摘要"].str.contains("合计|小计|累计").any()
    book["village"] = book["村"].str.replace(r"[\s\u3000]|村委会$|股份经济合作社$", "", regex=True)
    book["item"] = book["项目"].map({label: item for item, label in labels.ACCOUNT_ITEMS.items()})
    book["fen"] = (book["收入"] + book["支出"]).map(_fen)
    assert book["item"].notna().all()
    assert (book["fen"] > 0).all() and (book["fen"] % 100).ne(0).any()  # some lines to the fen
    figures = truth.loc[truth["year"].eq(2023)].set_index("village")
    for village, lines in book.groupby("village", sort=False):
        assert lines["凭证号"].tolist() == [f"记-{n:03d}" for n in range(1, len(lines) + 1)]
        assert lines["date"].is_monotonic_increasing  # vouchers in date order
        assert lines["日期"].map(lambda d: "年" if "年" in d else "/" if "/" in d else "-").nunique() == 1
        for item, of_item in lines.groupby("item"):
            assert 1 <= len(of_item) <= 4 and of_item["date"].is_unique
            assert of_item["fen"].sum() == round(figures.at[village, item] * 100), (village, item)
        items = [i for i in (*labels.INCOME_ITEMS, *labels.EXPENSE_ITEMS) if figures.at[village, i] > 0]
        assert sorted(lines["item"].unique()) == sorted(items)  # every item that moved
    per_item = book.groupby(["village", "item"]).size()
    assert per_item.ge(2).mean() > 0.9 and per_item.max() == 4
    assert book["village"].nunique() == truth.loc[truth["township"].eq("马田镇") & truth["year"].eq(2023)].shape[0]


def test_the_cash_book_is_read_as_dated_lines_adding_up_to_the_accounts(bundled, sample, ledger):
    alone = read_ledger(bundled / CASH_BOOK, register=bundled / "register.csv")
    assert alone.rejects.empty and alone.part_years.empty and alone.repeated_lines.empty
    entries = alone.entries
    assert set(entries["kind"]) == {"line"} and entries["detail"].isna().all()
    book = pd.read_csv(bundled / CASH_BOOK, skiprows=2, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    written = {
        f"{'F' if income else 'G'}{row}": _iso_date(date)
        for row, (date, income) in enumerate(zip(book["日期"], book["收入"].ne(""), strict=True), start=4)
    }
    assert entries["period"].tolist() == entries["cell"].map(written).tolist()  # each line on its date
    several = entries.groupby(["village_code", "item"]).size()
    assert several.ge(2).any()
    expected = sample.expected_accounts().set_index(["village_code", "year"])
    accounts = alone.accounts.set_index(["village_code", "year"])
    assert accounts.index.isin(expected.index).all() and len(accounts) == several.index.get_level_values(0).nunique()
    sums = entries.groupby(["village_code", "item"])["amount_yuan"].sum().unstack()
    for code, row in accounts.iterrows():
        # An item with lines is their sum, the truth's figure; one without (0 in the truth) is not in the
        # accounts of this file alone, but counts as 0 in the totals.
        for item, total in sums.loc[code[0]].dropna().items():
            assert total == pytest.approx(row[item], abs=0.005) and row[item] == pytest.approx(
                expected.at[code, item], abs=0.005
            ), (code, item)
        for item in ("total_income", "total_expense", "net_income"):
            assert row[item] == pytest.approx(expected.at[code, item], abs=0.005), (code, item)
    # With the other files, every line is part of a figure the county workbook repeats: no reject, no conflict.
    from_book = ledger.duplicates.loc[ledger.duplicates["source"].str.startswith(CASH_BOOK)]
    assert len(from_book) == len(entries) and from_book["duplicate_of"].str.startswith("永兴县/永兴县村级").all()
    assert not ledger.rejects["source"].str.startswith(CASH_BOOK).any()


def test_the_disclosure_boards_give_the_year_and_quarters_that_agree(bundled, truth):
    figures = truth.loc[truth["year"].eq(2023)].set_index("village")
    boards = {}
    for quarter, path in BOARDS.items():
        sheets = read_sheets(bundled / path)
        assert [s.sheet for s in sheets] == truth.loc[
            truth["township"].eq("濠头乡") & truth["year"].eq(2023), "village"
        ].tolist()
        for sheet in sheets:
            grid = sheet.grid
            assert grid.iloc[0, 0] == f"濠头乡{sheet.sheet}2023年{quarter}财务收支公开榜（合成样例数据）"
            assert grid.iloc[1, 2] == "单位：元" and grid.iloc[2].tolist() == ["项目", "本季发生数", "本年累计数"]
            body = grid.iloc[3 : 3 + len(BOARD_LINES)]
            assert [label.strip() for label in body[0]] == list(BOARD_LINES)
            assert grid.iloc[3 + len(BOARD_LINES), 0].startswith("公开日期：")
            assert grid.iloc[3 + len(BOARD_LINES), 2] == "监督小组签字："
            lines = {BOARD_LINES[label.strip()]: (this, so_far) for label, this, so_far in body.itertuples(index=False)}
            for column in (0, 1):
                b = {item: amounts[column] for item, amounts in lines.items()}
                assert all(v == round(v) for v in b.values())  # whole yuan
                assert b["total_income"] == sum(b[i] for i in vs.INCOME_ITEMS_2004)
                assert b["total_expense"] == sum(b[i] for i in vs.EXPENSE_ITEMS_2004)
                assert b["net_income"] == b["total_income"] - b["total_expense"]
            boards[(quarter, sheet.sheet)] = lines
    for (quarter, village), lines in boards.items():
        if quarter != "第四季度":
            continue
        third = boards[("第三季度", village)]
        for item, (this_quarter, year) in lines.items():
            assert year == figures.at[village, item]  # 本年累计数: the truth
            assert third[item][1] + this_quarter == year  # Jan–Sep + Oct–Dec
            assert 0 <= third[item][0] <= third[item][1]
            if item in vs.INCOME_ITEMS_2004 and year >= 1_000:
                assert 0.19 <= this_quarter / year <= 0.36


def test_the_disclosure_boards_are_read_as_part_of_the_year_and_the_years_figure(bundled, sample, ledger):
    expected = sample.expected_accounts().set_index(["village_code", "year"])
    fourth = read_ledger(bundled / BOARDS["第四季度"], register=bundled / "register.csv")
    assert fourth.rejects.empty and fourth.part_years.empty
    entries = fourth.entries
    assert entries.groupby(["kind", "period"]).size().to_dict() == {
        ("annual", "2023"): 66,
        ("part_year", "2023-10/2023-12"): 66,
    }
    assert set(entries.loc[entries["kind"].eq("annual"), "cell"].str[0]) == {"C"}
    assert set(entries.loc[entries["kind"].eq("part_year"), "cell"].str[0]) == {"B"}
    annual = entries.loc[entries["kind"].eq("annual")]
    accounts = fourth.accounts.set_index(["village_code", "year"])
    assert len(accounts) == 6
    for code, year, item, amount in annual[["village_code", "year", "item", "amount_yuan"]].itertuples(index=False):
        assert amount == accounts.at[(code, year), item] == expected.at[(code, year), item]
    third = read_ledger(bundled / BOARDS["第三季度"], register=bundled / "register.csv")
    assert third.rejects.empty and third.accounts.empty
    assert third.entries.groupby(["kind", "period"]).size().to_dict() == {
        ("part_year", "2023-01/2023-09"): 66,
        ("part_year", "2023-07/2023-09"): 66,
    }
    assert set(third.part_years["periods"]) == {"2023-01/2023-09, 2023-07/2023-09"}
    # With the other files: the quarters are kept in the entries, the 本年累计数 repeats the county workbook, and
    # 濠头乡 2023 still has its accounts (no part-year village-years, no rejects, no conflicts).
    kept = ledger.entries.loc[ledger.entries["source"].str.contains("公开榜")]
    assert set(kept["kind"]) == {"part_year"} and len(kept) == 3 * 66
    repeated = ledger.duplicates.loc[ledger.duplicates["source"].str.startswith(BOARDS["第四季度"])]
    assert len(repeated) == 66 and set(repeated["cell"].str[0]) == {"C"}
    assert ledger.part_years.empty
    assert not ledger.rejects["source"].str.contains("公开榜").any()


def test_the_real_forms_are_read_line_by_line(ledger):
    rows = ledger.rows
    statistics = rows.loc[rows["file"].str.contains("收益分配统计表")]
    per_sheet = statistics.groupby("sheet")["kind"].value_counts().unstack(fill_value=0)
    assert (per_sheet["numbering"] == 1).all() and (per_sheet["other"] == 2).all()
    entries = ledger.entries
    balance = entries.loc[entries["source"].str.contains("资产负债表")]
    assert {
        "cash",
        "current_assets",
        "accumulated_depreciation",
        "fixed_assets_net",
        "equity",
        "liabilities_and_equity",
    } <= set(balance["item"])
    assert set(balance["year"]) == {2021, 2022, 2023}  # 2022's 年初数 is the end of 2021
    subs = entries.loc[entries["source"].str.contains("三资") & entries["detail"].notna()]
    assert set(subs["item"]) == {"operating_income"} and set(subs["detail"]) == {"农产品销售收入", "租赁收入"}


# --- the round trip --------------------------------------------------------------------------------------


def test_cleaning_the_bundled_files_gives_the_truth_to_the_fen(ledger, sample):
    ledger.check_nothing_lost()
    expected = sample.expected_accounts().set_index(["village_code", "year"]).sort_index()
    cleaned = ledger.accounts.set_index(["village_code", "year"]).sort_index()
    assert cleaned.index.equals(expected.index)
    pd.testing.assert_frame_equal(cleaned[ITEMS], expected[ITEMS], check_exact=False, atol=0.005, rtol=0)
    assert cleaned.loc[cleaned["approx"]].index.tolist() == [(sample.approx_cells["village_code"].iloc[0], 2022)]
    # What the bad cells cost: 资产 and 负债 of one village-year each missing, 上河村 2022 read as 400,000.
    truth = sample.truth.set_index(["village_code", "year"]).sort_index()[ITEMS]
    differs = ~(np.isclose(cleaned[ITEMS], truth, atol=0.005, rtol=0) | (cleaned[ITEMS].isna() & truth.isna()))
    assert int(differs.to_numpy().sum()) == 3
    places = ["county", "township", "village"]
    pd.testing.assert_frame_equal(
        cleaned[places], sample.truth.set_index(["village_code", "year"]).sort_index()[places], check_dtype=False
    )


def test_cleaning_rejects_exactly_the_listed_bad_cells(ledger, sample):
    rejected = ledger.rejects[["source", "cell", "problem"]].sort_values(["source", "cell"]).reset_index(drop=True)
    listed = sample.bad_cells[["source", "cell", "problem"]].sort_values(["source", "cell"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(rejected, listed, check_dtype=False)
    values = ledger.rejects.set_index(["source", "cell"])["value"]
    assert values.to_dict() == sample.bad_cells.set_index(["source", "cell"])["value"].to_dict()
    assert ledger.subtotals["status"].value_counts().to_dict() == {"ok": 3087, "unchecked": 4, "mismatch": 1}
    assert len(ledger.duplicates) > 2_000  # county books and township ledgers
    solar = ledger.entries.loc[ledger.entries["detail"].eq("光伏发电收入")]
    assert solar.set_index("year")["amount_yuan"].to_dict() == {
        2018: 36_000,
        2019: 68_000,
        2020: 90_000,
        2021: 118_000,
        2022: 150_000,
        2023: 160_000,
    }


def test_years_across_the_2024_accounting_system_round_trip(tmp_path):
    small = vs.write_sample(tmp_path, seed=5, villages=15, years=range(2023, 2026))
    truth = small.truth.set_index(["village_code", "year"]).sort_index()
    assert truth.loc[(slice(None), 2023), "contract_income"].notna().all()
    assert truth.loc[(slice(None), [2024, 2025]), "contract_income"].isna().all()
    assert truth.loc[(slice(None), 2025), "public_welfare_expense"].gt(0).all()
    ledger = read_ledger(tmp_path, register=tmp_path / "register.csv")
    ledger.check_nothing_lost()
    cleaned = ledger.accounts.set_index(["village_code", "year"]).sort_index()[ITEMS]
    expected = small.expected_accounts().set_index(["village_code", "year"]).sort_index()[ITEMS]
    pd.testing.assert_frame_equal(cleaned, expected, check_exact=False, atol=0.005, rtol=0)
    assert sorted(zip(ledger.rejects["source"], ledger.rejects["cell"], strict=True)) == sorted(
        zip(small.bad_cells["source"], small.bad_cells["cell"], strict=True)
    )


def test_the_command_line_writes_a_sample(tmp_path, capsys):
    from villagecon.cli import main

    assert main(["sample", "--out", str(tmp_path), "--villages", "11", "--years", "2021-2022", "--seed", "3"]) == 0
    # One township per county: 17 ledgers (two years of 苏仙区 and 宜章县), 嘉禾县's 2022 资产负债表, 华塘镇's 三资
    # export, 桂东县's 收益分配统计表, 濠头乡's two 公开榜 of 2022, roster, register, README.
    assert capsys.readouterr().out == f"wrote 25 synthetic sample files to {tmp_path} (11 villages, 2021–2022)\n"
    register = pd.read_csv(tmp_path / "register.csv", dtype=str)
    assert len(register) == 11 and set(register["county"]) == set(COUNTY_CODES)
