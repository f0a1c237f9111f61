"""The README.md of the sample folder: what is real and invented, every file, the process, the bad cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from villagecon.sample.documents import REGISTER_FILE, ROSTER_FILE, SYNTHETIC, Document
from villagecon.sample.forms.balance_sheets import BALANCE_SHEET_COUNTY
from villagecon.sample.forms.cash_book import CASH_BOOK_COUNTY
from villagecon.sample.forms.disclosure_boards import DISCLOSURE_PLACE
from villagecon.sample.forms.roster import ROSTER_SHEET, RosterForms
from villagecon.sample.forms.sanzi_export import SANZI_PLACE
from villagecon.sample.forms.statistics_form import STATISTICS_COUNTY
from villagecon.sample.process import (
    COUNTY_SD,
    ELECTIONS,
    NEW_SYSTEM_FROM,
    NOISE_SD,
    RENAMED_IN,
    REPLACED_AT_ELECTION,
    REPLACED_PER_YEAR,
    TENURE_EFFECT,
    THRESHOLD,
    VILLAGE_SD,
)
from villagecon.sample.truth import Sample
from villagecon.vocab import chenzhou

__all__ = ["readme_text"]


def readme_text(
    sample: Sample,
    documents: list[Document],
    *,
    out: Path,
    seed: int,
    villages: int,
    years: list[int],
    roster: RosterForms,
) -> str:
    """The README.md of the sample folder: what is real and invented, the files, the process, the bad cells.

    Parameters
    ----------
    sample : Sample
    documents : list of Document
        The ledger files written (their sizes are read from ``out``).
    out : Path
    seed, villages : int
    years : list of int
    roster : RosterForms

    Returns
    -------
    str
        The Markdown text.
    """
    truth = sample.truth
    shares = truth.groupby("year")["total_income"].apply(lambda s: (s >= THRESHOLD).mean())
    modelled = truth.loc[~truth["from_article"]]
    board = max((y for y in years if y < NEW_SYSTEM_FROM), default=years[-1])  # the 公开榜's year
    lines = [
        f"# Synthetic sample data ({SYNTHETIC})",
        "",
        "Everything in this folder is **synthetic**: made by `villagecon sample` "
        f"(`villagecon sample --out data/raw --seed {seed} --villages {villages} --years {years[0]}-{years[-1]}`, "
        "code in `villagecon/sample/ledgers.py`). Do not edit these files by hand: change the generator and "
        "regenerate; "
        "`tests/test_sample.py` checks that regenerating gives exactly these bytes. The bytes depend on the "
        "locked versions of numpy (random streams) and xlsxwriter: after upgrading either, regenerate with the "
        "command above and commit the result.",
        "",
        "## What is real and what is invented",
        "",
        "Real: the 11 county-level units of 郴州市 and their 6-digit codes; the townships the article names "
        "(汝城县濠头乡, 北湖区华塘镇, 安仁县永乐江镇, 桂阳县欧阳海镇); the four villages and secretaries the article "
        "profiles (上河村/张小雄 from 2017-04, a 养殖大户; 塔水村/曹海欧, 书记兼主任 from 2021-01 with mentor 谭皓; "
        "排山村/刘鹏, 书记兼主任; 秧田村/段红锋, 书记兼主任), and the article's figures: 上河村's 负债4.2万元 in 2017 "
        "and 收入40余万元 in 2022 from 蔬菜大棚 and 光伏发电, more than 95% of villages above 10万元 in 2022, "
        "at least 3 days of training for every secretary, the 担当作为好支书 honour.",
        "",
        "Plausible but unchecked: the other township names. Invented: every other village name, all township and "
        "village codes (only the 6-digit county part is real), 秧田村's township (白鹭乡), every other person, the "
        "start dates of 刘鹏 and 段红锋, election dates, and every amount apart from the article's two figures.",
        "",
        "## Files",
        "",
        "| file | layout | unit | encoding | bytes | what |",
        "|---|---|---|---|---:|---|",
    ]
    for document in documents:
        size = (out / document.path).stat().st_size
        encoding = document.encoding.upper().replace("-SIG", " with BOM") if document.encoding else "xlsx"
        lines.append(
            f"| `{document.path}` | {document.layout} | {document.unit or '—'} | {encoding} | {size:,} | "
            f"{document.what} |"
        )
    register_size = (out / REGISTER_FILE).stat().st_size
    lines += [
        f"| `{REGISTER_FILE}` | register | — | UTF-8 | {register_size:,} | county, county_code, township, village, "
        "village_code (12 digits), aliases (former names, `|`-separated), note (合成样例数据) |",
        "",
        "Every ledger says it is synthetic in its title row or sheet name; the workbooks also in their document "
        "properties.",
        "",
        "Five of the forms follow the real forms offices send (`villagecon/sample/forms/`); their amounts repeat "
        "those the other files give (duplicates, never conflicts), or are parts of the year no other file gives:",
        "",
        f"- 资产负债表 ({BALANCE_SHEET_COUNTY}, a workbook per township and year, one sheet per "
        "village): 资产总计 and 负债合计 are the truth's assets and liabilities, 年末数 for the year and 年初数 for "
        "the year before. The other lines (货币资金 … 未分配收益) are invented, drawn per village and year so that "
        "every 合计 and 总计 adds up in whole yuan, 固定资产净值 = 原值 − 累计折旧 and 所有者权益合计 = 资产 − 负债, "
        "and a 年末数 is the next year's 年初数 line by line; they reach the entries, not the truth. Where a "
        "village-year has no balance sheet (drawn up only after 清产核资), no sheet is written and a 年初数 is left "
        "empty.",
        f"- the 三资 platform export ({''.join(SANZI_PLACE)}): the truth's income and expense items "
        "under the 2004 account codes (501 … 561), accounts without an amount left out; 经营收入 sometimes split "
        "into 50101 农产品销售收入 and 50102 租赁收入 under the parent (the split is invented), and for a few "
        "villages only the sub-accounts, which add up to the truth's 经营收入.",
        f"- the 收益分配统计表 ({STATISTICS_COUNTY}'s largest township): 本年数 the truth of the year "
        "and 上年数 the year before, in 千元 (three decimals: exact to the yuan); 汇入本表村数 (个) and "
        "集体经济组织成员数 (人, invented) are not money.",
        f"- the 收支台账 ({CASH_BOOK_COUNTY}'s first township, the last year): 日期 | 凭证号 | 村 | "
        "摘要 | 项目 | 收入 | 支出, every income and expense item of every village with an amount split into "
        "2–4 lines on different days (subsidies in whole thousands where the year's figure is, some expenses "
        "to the fen; the split, the dates and the 摘要 are invented) that add up to the truth's figure exactly; "
        "vouchers 记-001 … in date order per village, each village's dates written one way (`2023-03-05`, "
        "`2023/3/5`, `2023年3月5日`).",
        f"- the 财务收支公开榜 ({''.join(DISCLOSURE_PLACE)}, {board}, a workbook for the 第三季度 "
        "and one for the 第四季度, one sheet per village): 项目 | 本季发生数 | 本年累计数, with 收入合计, 支出合计 "
        "and 本年收益 lines, a `公开日期：` and a `监督小组签字：` line. The 第四季度's 本年累计数 is the truth of the "
        f"year; its 本季发生数 is an invented 20–35% of it (whole yuan), part of the year (`{board}-10/{board}-12`), "
        f"kept in the entries and never in the accounts; the 第三季度's 本年累计数 (`{board}-01/{board}-09`) is the "
        f"year less the 第四季度 and its 本季发生数 (`{board}-07/{board}-09`) an invented 25–40% of that.",
        "",
        f"All but the 收支台账 keep to the years of the 2004 accounting system (before {NEW_SYSTEM_FROM}).",
        "",
        *_roster_readme(sample, roster),
        "## The generating process",
        "",
        f"{truth['village_code'].nunique()} villages, {years[0]}–{years[-1]}. For the villages the article does not "
        "profile:",
        "",
        "    log(total_income) = year_effect[year] + village_effect + TENURE_EFFECT * tenure_years + noise",
        "",
        f"- `TENURE_EFFECT = {TENURE_EFFECT}` log points per completed year in office; `tenure_years` = the year minus "
        "the start year of the secretary in office on 31 December (0 in the first year);",
        f"- village effects N(0, {VILLAGE_SD}) with a county part N(0, {COUNTY_SD}); noise N(0, {NOISE_SD}) "
        "independent across years;",
        "- year effects set so that a fixed share of villages is at or above 10万元 each year;",
        f"- secretaries change at elections ({', '.join(e.strftime('%Y-%m') for e in ELECTIONS)}; "
        f"probability {REPLACED_AT_ELECTION}) and in between ({REPLACED_PER_YEAR} a year): "
        f"tenure runs from {int(modelled['tenure_years'].min())} to {int(modelled['tenure_years'].max())} years.",
        "",
        "Income items are shares of the total (本年收入合计 is their sum), expenses are drawn around it, 本年收益 = "
        "income − expenses; every amount is whole yuan. The article's villages follow the article instead; leave "
        "them out when estimating the tenure effect.",
        "",
        "Share of villages with total_income ≥ 100,000 yuan:",
        "",
        "| year | " + " | ".join(str(y) for y in shares.index) + " |",
        "|---|" + "---:|" * len(shares),
        "| share | " + " | ".join(f"{s:.1%}" for s in shares) + " |",
        "",
        "## Deliberately bad cells and the rejects they must produce",
        "",
        f"`villagecon clean data/raw` must reject exactly these {len(sample.bad_cells)} cells, and nothing else; every "
        "other amount must clean to the truth to the fen (`tests/test_sample.py` checks both). The truth stays in "
        "memory: `villagecon.sample.ledgers.write_sample(...).truth`, or `sample_truth()` without writing files.",
        "",
        "| source (file!sheet!row) | cells | values | reject (`problem`) × cells | why |",
        "|---|---|---|---|---|",
    ]
    for (source, problem, what), cells in sample.bad_cells.groupby(["source", "problem", "what"], sort=False):
        values = ", ".join(f"`{v}`" for v in cells["value"])
        lines.append(f"| `{source}` | {', '.join(cells['cell'])} | {values} | `{problem}` × {len(cells)} | {what} |")
    lines += [
        "",
        "Approximate amounts (read, not rejected; the cleaned value is the number written, flagged `approx`):",
        "",
        "| village | year | item | written | truth (yuan) | cleaned (yuan) |",
        "|---|---|---|---|---:|---:|",
    ]
    for cell in sample.approx_cells.itertuples(index=False):
        lines.append(
            f"| {cell.village} | {cell.year} | {cell.item} | `{cell.written}` | {cell.truth_yuan:,.0f} | "
            f"{cell.cleaned_yuan:,.0f} |"
        )
    lines += [
        "",
        "## Messiness that must be read without a reject",
        "",
        "- layouts: one row per village (two-level merged header or one-row header, title, 单位 row, 小计 and 合计 "
        "rows, a note), long 年度/村/科目/金额 ledgers, a dated 收支台账 (日期 | 凭证号 | 村 | 摘要 | 项目 | 收入 | "
        "支出, several lines per item that add up), 收益分配表 with one sheet per village and years across; a "
        "quarterly 财务收支公开榜 (项目 | 本季发生数 | 本年累计数); 资产负债表 with two blocks side by side "
        "(资产 | 行次 | 年初数 | 年末数 ‖ 负债及所有者权益 | 行次 | 年初数 | 年末数) and section rows "
        "(`流动资产：`, `所有者权益：`); a 三资 platform export (序号 | 区划代码 | 组织名称 | 会计年度 | "
        "科目编码 | 科目名称 | 本年累计（元）, header on the first row, sub-accounts 50101/50102 with and without "
        "their parent 501); a 收益分配统计表 (指标名称 | 代码 | 计量单位 | 本年数 | 上年数, a 甲 乙 丙 1 2 row, a "
        "`四、附报指标` section and rows in 个 and 人 that are not money);",
        "- units: 元, 千元 (three decimals) and 万元 (four decimals), from a 单位 row or an 编制单位 line's "
        "`单位：元`, a column label (`金额（万元）`, `本年累计（元）`), a row's 计量单位 cell (`千元`) or the cell "
        "(`4.2万`, `40余万元`, `十二万`);",
        "- text amounts: `（4.2）`, `(1.2345)`, `△5000`, `1,234,567`, `1234.00`, full-width digits, numbers stored "
        "as text;",
        "- years: `2019`, `2019年`, `2019年度`, `二〇一九年`, a line's date `2023-03-05`, `2023/3/5` or "
        "`2023年3月5日`, a date line `2023年12月31日` or a `2023年度` line above the table, 会计年度 written as text, "
        "年初数 and 上年数 columns (the year before), a `第三季度` or `第四季度` title over 本季发生数 and 本年累计数 "
        "columns (part of a year, except the 第四季度's 本年累计数);",
        "- village names: `上河村村委会`, `石冲　村` (full-width space), ` 石冲村 `, `…股份经济合作社`, full "
        "organisation names in a 组织名称 column (`郴州市北湖区华塘镇塔水村股份经济合作社`, beside the 12-digit "
        "区划代码) or an 编制单位/填报单位 line, and before "
        f"{RENAMED_IN} the former names listed as aliases in `{REGISTER_FILE}`;",
        "- footers under the amount columns: `单位负责人：`, `会计：`, `制表：`, `填表人：`, "
        "`报出日期：…`, `公开日期：…`, `监督小组签字：`;",
        "- CSV encodings: GBK and UTF-8 with BOM; line endings CRLF;",
        "- balance sheets not drawn up before 清产核资 written `—` (missing, not zero);",
        "- the same amounts in two files (county workbook and township ledgers, balance sheets, the 三资 export, "
        "the statistics form, the 收支台账's lines added up and the 第四季度 公开榜's 本年累计数): kept once, listed "
        "as duplicates; a 年初数 or 上年数 equal to the year's own figure is a duplicate too.",
        "",
    ]
    return "\n".join(lines)


def _roster_readme(sample: Sample, roster: RosterForms) -> list[str]:
    """The roster's section of README.md: its sheets, what is invented, and how it reads."""
    county, township = roster.township
    huanjie = f"{roster.huanjie:%Y-%m}" if roster.huanjie is not None else "the last election"
    invented = int((~sample.roster["name"].isin(chenzhou.ARTICLE_PEOPLE)).sum())
    if roster.split is not None:
        village, name, election = roster.split
        before = election - dt.timedelta(days=1)
        split = (
            f" {name} ({village}) is written in two rows, 书记 until {before:%Y.%m} and …书记、村委会主任 from "
            f"{election:%Y.%m} (the {election.year} 换届): the truth gives a spell one role, 书记兼主任; the "
            f"书记 years before {election.year} are invented and lie before the sample's first 31 December, so "
            "every year reads as the truth, and the rows join into one spell with a `roles` history."
        )
    else:
        split = ""
    roles = ", ".join(sorted(set(sample.committee["role"])))
    return [
        "## The roster",
        "",
        f"`{ROSTER_FILE}` holds every secretary spell of the truth, in three sheets of the forms organisation "
        "departments keep:",
        "",
        f"- `{ROSTER_SHEET}`, the city's 花名册: 序号 | 县市区 | 乡镇 | 村（社区） | 姓名 | 性别 | "
        '出生年月 | 学历 | 是否"一肩挑" (是/否) | 新任/连任 | 任职起止时间 (one cell) | 来源 | 导师 | 培训天数 | '
        "荣誉 | 备注, a title, a 填表说明 row, 县市区 merged over each county's rows and a 填表人 footer. One row "
        f"per spell; a spell across the {huanjie} 换届 is two rows, the term before it and the 连任 row from it "
        "(新任/连任 speaks of that 换届 and is empty before it). 任职起止时间 is written one way per county: "
        "`2011.01—2017.03` and `2017.04—至今`, `2011.01-2017.03` and `2017.04-至今`, `2011年1月—2017年3月` and "
        "`2017年4月至今`, or `2011.01—2017.03` and an open end `2017.04—`. 来源 is written in other words for "
        f"{roster.reworded} of the {invented} spells of invented secretaries (大学生村官, 种养大户, 退伍军人, "
        "返乡创业人员 …, and for 其他 what the person was: 外出务工返乡, 选派干部, 村医, 退休干部); each is read as "
        "the category the truth has. 导师, 培训天数 and 荣誉 are on a spell's last row. "
        f"{township}'s current terms are on its 两委班子 sheet instead (the same current spell on two sheets "
        "would overlap itself).",
        f"- `{township}历任书记（合成样例）`: {county}{township}'s rows that ended, 序号 | 村 | 姓名 | 职务 "
        "(党支部书记, 党总支书记, …、村委会主任) | 任职起止时间 | 来源 | 备注: the spells that ended (on the 花名册 "
        f"too, the same rows, which join) and the terms before the 换届 of its current secretaries.{split}",
        f"- `{township}两委班子（合成样例）`: the township's 村“两委” in office, a header over two rows (村（社区） "
        "and the others merged over both, 任职时间 over 起 | 止), a section row "
        f"`一、{township}（共{roster.villages}个村）` merged across the table and 村 merged over each village's "
        "rows: the secretary (起 the 换届 for a 连任 one, whose term before it is on the 历任书记 sheet), and "
        f"{len(sample.committee)} rows of other posts ({roles}), every one an invented person.",
        "",
        "Invented besides: 性别, 出生年月 and 学历 of every secretary (left empty for the article's four), the "
        "wording of 来源, whether a village has a 党支部 or a 党总支, the two-committee members and the 填表人. "
        f'`villagecon.ingest.roster.read_roster_tables("{ROSTER_FILE}", register="{REGISTER_FILE}")` gives every '
        "spell of the truth (start, end, role, background, mentor, training days, honours), no reject, and the "
        "other posts in `others`; `tenure` on it gives the truth's secretary and tenure for every village-year.",
        "",
    ]
