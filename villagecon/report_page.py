"""report.html: one self-contained page with the annual report's headline numbers and figures.

Rendered from :class:`villagecon.report.ReportTables`; every number on the page comes from those tables,
every figure is embedded as a PNG data URI, so the page can be mailed as one file.
"""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from villagecon import labels, metrics
from villagecon.amounts import YUAN_PER_WAN
from villagecon.labels import threshold_text

if TYPE_CHECKING:
    from villagecon.report import ReportTables

FIGURE_CAPTIONS = {
    "income_vs_threshold": "各县市区每个村的收入与门槛线（每点一个村，对数刻度）",
    "share_above": "达到门槛的村占比，逐年",
    "trajectory": "{title}（书记任期以底色标出）",
    "income_by_tenure": "书记任职年限与村集体收入",
    "event_study": "新书记上任前后的收入变化（相对上任前一年，95%置信区间）",
}
_LISTED = 30   # names listed inline; the workbook has them all

_STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;
margin-top:1.6em}.note{background:#fff6d6;border:1px solid #e6c200;padding:.5em 1em;border-radius:4px}
.headline{font-size:1.15em}.big{font-size:1.6em;font-weight:bold;color:#2b7a4b}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#e8eef4}td:first-child,th:first-child{text-align:left}tr.city td{font-weight:bold}
figure{margin:1.2em 0}figure img{max-width:100%}figcaption{color:#555;font-size:.9em}
.muted{color:#777;font-size:.9em}
"""


def render_page(tables: ReportTables, figures: dict[str, Path], *, showcase: str) -> str:
    """The HTML of report.html."""
    year, measure, threshold = tables.year, tables.measure, tables.threshold
    measure_text, threshold_words = labels.column(measure), threshold_text(threshold)
    sections = [
        _synthetic_note(tables),
        f"<h1>{year}年村级集体经济年度报告</h1>",
        f'<p class="muted">口径：{_e(measure_text)}；门槛：{_e(threshold_words)}（达到即计入）。'
        f"金额单位：万元。</p>",
        _headline(tables, measure_text, threshold_words),
        _county_section(tables, threshold_words),
        _figure(figures, "income_vs_threshold"),
        _figure(figures, "share_above"),
        _crossings_section(tables, threshold_words),
        _turnaround_section(tables, threshold_words),
        _showcase_section(tables, showcase, measure_text),
        _figure(figures, "trajectory", title=_showcase_title(tables, showcase)) if "trajectory" in figures else "",
        _tenure_section(tables),
        _figure(figures, "income_by_tenure"),
        _figure(figures, "event_study"),
        _problems_section(tables),
        '<p class="muted">由 villagecon 生成；每个数字可在 summary.xlsx 中追溯到台账的文件、表和行'
        "（manifest.json 记录了输入文件的校验值）。</p>",
    ]
    body = "\n".join(s for s in sections if s)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{year}年村级集体经济年度报告</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n"
            f"</body>\n</html>\n")


def _synthetic_note(tables: ReportTables) -> str:
    if not tables.synthetic:
        return ""
    return ('<p class="note">本报告使用的是合成样例数据：地名和新闻报道中的事实为真，其余村名、人名和金额均为虚构，'
            "仅供演示。</p>")


def _headline(tables: ReportTables, measure_text: str, threshold_words: str) -> str:
    city = tables.county_table.loc[tables.county_table["county"].eq(metrics.WHOLE_CITY)].iloc[0]
    previous = tables.shares.loc[tables.shares["whole_city"] & tables.shares["year"].eq(tables.year - 1), "share"]
    change = ""
    if len(previous) and not math.isnan(previous.iloc[0]):
        change = f"（上年为{previous.iloc[0]:.1%}）"
    missing = f"；另有{int(city['n_missing'])}个村缺少该项数字，未计入" if city["n_missing"] else ""
    return (f'<p class="headline">{tables.year}年，全市{int(city["n_villages"])}个村中有'
            f'<span class="big">{int(city["n_above"])}</span>个村的{_e(measure_text)}达到{_e(threshold_words)}，'
            f'占<span class="big">{city["share_above"]:.1%}</span>{change}{missing}。</p>')


def _county_section(tables: ReportTables, threshold_words: str) -> str:
    rows = []
    for row in tables.county_table.itertuples(index=False):
        css = ' class="city"' if row.county == metrics.WHOLE_CITY else ""
        rows.append(f"<tr{css}><td>{_e(row.county)}</td><td>{row.n_villages}</td><td>{row.n_above}</td>"
                    f"<td>{_percent(row.share_above)}</td><td>{_wan(row.median_yuan)}</td></tr>")
    return (f"<h2>各县市区达到{_e(threshold_words)}的村</h2>\n<table><tr><th>县市区</th><th>村数</th><th>达到</th>"
            f"<th>占比</th><th>收入中位数（万元）</th></tr>\n" + "\n".join(rows) + "\n</table>")


def _crossings_section(tables: ReportTables, threshold_words: str) -> str:
    crossings = tables.crossings
    new = crossings.loc[crossings["first_year_above"].eq(tables.year) & ~crossings["above_from_start"].fillna(True)
                        .astype(bool)]
    names = _names(new)
    return (f"<h2>{tables.year}年首次达到{_e(threshold_words)}的村</h2>\n"
            f"<p>{len(new)}个村在{tables.year}年首次达到{_e(threshold_words)}{'：' + names if names else ''}。"
            f"各村首次达到的年份见 summary.xlsx 的「{_e(tables.sheets[2])}」表。</p>")


def _turnaround_section(tables: ReportTables, threshold_words: str) -> str:
    turned = tables.turnarounds
    if turned.empty:
        return ""
    first, last = int(tables.accounts["year"].min()), tables.year - 1
    debt_years = [f"{int(y)}年" for y in turned["from_year"]]
    span = f"{first}年" if first == last else f"{first}年至{last}年间"
    return (f"<h2>由负债转为收入的村</h2>\n<p>{span}曾经净负债（负债大于当年的"
            f"{_e(labels.column(tables.measure))}，括号内为最近一次净负债的年份）、{tables.year}年达到"
            f"{_e(threshold_words)}的村共{len(turned)}个：{_names(turned, debt_years)}。"
            f"明细见「{_e(tables.sheets[3])}」表。</p>")


def _showcase_section(tables: ReportTables, village: str, measure_text: str) -> str:
    accounts = tables.showcase
    if tables.showcase_left_out:
        return (f"<h2>{_e(village)}</h2><p>本报告未讲述{_e(village)}的故事：数据中无法确定哪一个是文章中的"
                f"{_e(village)}，请在登记表（register.csv）中写明各村的县、乡镇和村代码。"
                f"<span class=\"muted\">（{_e(tables.showcase_left_out)}）</span></p>")
    if accounts.empty:
        return ""
    measure = tables.measure
    path = metrics.trajectory(accounts, village, income=measure)
    debt_years = path.loc[path["in_net_debt"].fillna(False).astype(bool) & path["year"].lt(tables.year)]
    rows = accounts.set_index("year")
    end = path.iloc[-1]
    parts = [f"<h2>{_e(_showcase_title(tables, village))}</h2>", "<p>"]
    if len(debt_years):
        start = debt_years.iloc[0]
        income = start[measure]
        parts.append(f"{int(start['year'])}年，{_e(village)}负债{_wan(start['liabilities'])}万元，"
                     f"{_e(measure_text)}{'仅' if income >= 0 else '为'}{_wan(income)}万元；")
    year = int(end["year"])
    approx = bool(rows.loc[year, f"{measure}_approx"]) if f"{measure}_approx" in rows else False
    parts.append(f"{year}年{_e(measure_text)}"
                 f"{_amount_as_written(end[measure], approx, tables.written.get((year, measure)))}，"
                 f"{_debt_text(end['liabilities'])}。")
    if tables.roster is not None and "secretary" in rows:
        secretary, start_date = rows.loc[int(end["year"]), "secretary"], rows.loc[int(end["year"]), "secretary_start"]
        if isinstance(secretary, str):
            parts.append(f"现任书记{_e(secretary)}自{pd.Timestamp(start_date):%Y年%-m月}任职。")
    parts.append("</p>")
    return "".join(parts)


def _showcase_title(tables: ReportTables, village: str) -> str:
    """"上河村：从负债到收入" once the village has turned around by the report year, else "上河村：收入与负债"."""
    path = metrics.trajectory(tables.showcase, village, income=tables.measure)
    in_debt = path["in_net_debt"].fillna(False).astype(bool)
    turned = in_debt.iloc[:-1].any() and not in_debt.iloc[-1]
    return f"{village}：{'从负债到收入' if turned else '收入与负债'}"


def _amount_as_written(yuan: float, approx: bool, written: str | None) -> str:
    """An amount for the page: as the ledger wrote it when approximate (40余万元), else in 万元."""
    if not approx:
        return f"{_wan(yuan)}万元"
    if written and any(unit in written for unit in ("元", "万", "亿")):
        return f"{_e(written)}（台账原文）"
    if written:   # the unit was in the header or a 单位 row
        return f"约{_wan(yuan)}万元（台账原文为“{_e(written)}”）"
    return f"约{_wan(yuan)}万元（据台账中的约数）"


def _debt_text(liabilities: float) -> str:
    if pd.isna(liabilities):
        return "负债未填报"
    return "无负债" if liabilities == 0 else f"负债{_wan(liabilities)}万元"


# Why each model needs more than the report's data gave, for the sentence that says it was left out.
_MODEL_NEEDS = {
    "tenure_effect": ("书记任期模型", "需要至少两个年度，且有村在这期间更换了书记"),
    "event_study": ("新书记上任前后的事件研究", "需要新书记上任前后各有足够的年度（上任前3年至上任后5年）"),
}


def _left_out_section(tables: ReportTables) -> str:
    if not tables.left_out:
        return ""
    years = tables.accounts["year"]
    n_years = years.nunique()
    changes = int(tables.accounts["new_secretary"].fillna(False).astype(bool).sum()) \
        if "new_secretary" in tables.accounts else 0
    sentences = []
    for name, reason in tables.left_out.items():
        model, needs = _MODEL_NEEDS[name]
        sentences.append(f"<p>本报告未列出{model}：它{needs}，而{int(years.min())}年至{tables.year}年的数据只有"
                         f"{n_years}个年度、{changes}次书记上任，无法在控制村和年份固定效应后估计。"
                         f'<span class="muted">（{_e(reason)}）</span></p>')
    return "\n".join(sentences)


def _tenure_section(tables: ReportTables) -> str:
    model = tables.tenure_model
    left_out = _left_out_section(tables)
    heading = "<h2>书记任期与村集体收入</h2>\n"
    if model is None or model.empty:
        return heading + left_out if left_out else ""
    row = model.loc[model["term"].eq("tenure_years")].iloc[0]
    effect, low, high = (np.expm1(row[c]) for c in ("coef", "ci_low", "ci_high"))
    details = [f"95%置信区间{low:.1%}至{high:.1%}", f"{int(row['n_villages'])}个村、{int(row['n_obs'])}个村年",
               "标准误按村聚类"]
    if dropped := int(row["n_dropped_nonpositive"]):
        details.append(f"{_e(labels.column(tables.measure))}为0或负数的{dropped}个村年取不了对数，未计入")
    return (f"{heading}<p>控制村和年份固定效应后，书记每多任职一年，村集体收入平均高约"
            f"<b>{effect:.1%}</b>（{'；'.join(details)}）。"
            f"这是相关而非因果：任期长的书记也可能正是因为村里经济好才连任。</p>"
            + (f"\n{left_out}" if left_out else ""))


def _problems_section(tables: ReportTables) -> str:
    rejects = tables.rejects
    if rejects.empty:
        return "<h2>数据问题</h2>\n<p>台账中没有发现无法使用的数字。</p>"
    counts = rejects["problem"].value_counts().sort_index()
    listed = "、".join(f"{_e(labels.problem_label(problem))}{n}处" for problem, n in counts.items())
    files = rejects["source"].str.rsplit("!", n=2).str[0].nunique()   # file!sheet!row; a file name may hold a "!"
    return (f"<h2>数据问题</h2>\n<p>共<b>{len(rejects)}</b>处数字未能使用（{listed}），分布在{files}个文件中；"
            f"每处的文件、表、行、单元格、问题和处理办法见 summary.xlsx 的「{_e(tables.sheets[5])}」表。"
            f"（<code>villagecon clean</code> 命令另把台账的问题写入 rejects.csv。）</p>")


def _figure(figures: dict[str, Path], name: str, **words: str) -> str:
    if name not in figures:
        return ""
    uri = "data:image/png;base64," + base64.b64encode(Path(figures[name]).read_bytes()).decode("ascii")
    caption = FIGURE_CAPTIONS[name].format(**words)
    return f'<figure><img src="{uri}" alt="{_e(caption)}"><figcaption>{_e(caption)}</figcaption></figure>'


def _names(table: pd.DataFrame, notes: list[str] | None = None) -> str:
    """The villages' full names (county, township, village), each followed by its note in brackets if given."""
    names = [f"{c}{t}{v}" for c, t, v in zip(table.get("county", ""), table.get("township", ""), table["village"],
                                              strict=False)]
    if notes is not None:
        names = [f"{name}（{note}）" for name, note in zip(names, notes, strict=True)]
    shown = "、".join(_e(n) for n in names[:_LISTED])
    return shown + (f"等{len(names)}个" if len(names) > _LISTED else "")


def _wan(yuan: float) -> str:
    return "—" if yuan is None or pd.isna(yuan) else f"{yuan / YUAN_PER_WAN:,.1f}"


def _percent(share: float) -> str:
    return "—" if pd.isna(share) else f"{share:.1%}"


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))
