"""report.html: one self-contained page with the annual report's headline numbers and figures.

Rendered from :class:`villagecon.report.tables.ReportTables`; every number on the page comes from those tables,
every figure is embedded as a PNG data URI, so the page can be mailed as one file. Its words are the area's
(全市/各县市区, 全县/各乡镇, 全镇/各村: :mod:`villagecon.report.scope`); headings are numbered 一、二、, figures 图1,
tables 表1. It prints on A4 with no figure parted from its caption, and :mod:`villagecon.report.docx` turns the
same HTML into report.docx, so the page and the Word document say the same.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from villagecon.analysis.accounts import INCOME_MEASURES
from villagecon.report.featured import FeaturedVillage
from villagecon.report.tables import ReportTables, trajectory_names
from villagecon.report.wording import escape, percent, signed_points, signed_text, signed_wan, wan
from villagecon.vocab import labels, problems
from villagecon.vocab.labels import EACH_OF, threshold_text

__all__ = ["FIGURE_CAPTIONS", "render_page", "report_title", "threshold_rule"]

FIGURE_CAPTIONS = {
    "income_vs_threshold": "{parts}的收入与门槛线（每点一个村，对数刻度）",
    "share_above": "达到门槛的村占比，逐年",
    "trajectory": "{title}（书记任期以底色标出，每任一种颜色）",
    "income_by_tenure": "书记任职年限与村集体收入",
    "event_study": "新书记上任前后的收入变化（相对上任前一年的百分比，95%置信区间）",
}
_LISTED = 30  # names listed inline; the workbook has them all
_RISES = 5  # villages named among the largest rises and falls
_VILLAGE_ROWS = 40  # rows of one township's table of villages on the page; the workbook has them all
_CHINESE_NUMBERS = "一二三四五六七八九十"

_STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;
margin-top:1.6em}.note{background:#fff6d6;border:1px solid #e6c200;padding:.5em 1em;border-radius:4px}
.headline{font-size:1.15em}.big{font-size:1.6em;font-weight:bold;color:#2b7a4b}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#e8eef4}td:first-child,th:first-child{text-align:left}tr.city td{font-weight:bold}
figure{margin:1.2em 0;break-inside:avoid;page-break-inside:avoid}figure img{max-width:100%}
figcaption{color:#555;font-size:.9em;text-align:center}
caption{font-weight:bold;text-align:left;padding:.3em 0;white-space:nowrap}
.muted{color:#777;font-size:.9em}.office{text-align:center;font-size:1.1em;margin-top:0}
@page{size:A4;margin:2cm 1.8cm 2cm 1.8cm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt;line-height:1.5}
h1,h2,caption{break-after:avoid;page-break-after:avoid}h2{margin-top:1.2em}
figure img{max-height:11cm;max-width:100%;object-fit:contain;display:block;margin:0 auto}
table{font-size:9.5pt}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
.note{border:1px solid #999}}
"""


def report_title(tables: ReportTables) -> str:
    """郴州市2022年村级集体经济年度报告 (no name when neither the data nor --area give the area's).

    Parameters
    ----------
    tables : ReportTables
        The report's tables (scope and year).

    Returns
    -------
    str
        The title of the page, the Word document and the workbook.
    """
    return f"{tables.scope.area}{tables.year}年村级集体经济年度报告"


def render_page(tables: ReportTables, figures: dict[str, Path]) -> str:
    """The HTML of report.html.

    Parameters
    ----------
    tables : ReportTables
        Every number the page shows (:func:`villagecon.report.tables.compute_tables`).
    figures : dict of str to Path
        The PNG of each figure drawn, by name; a figure not drawn is left out with its caption.

    Returns
    -------
    str
        One self-contained HTML page (figures embedded as data URIs).
    """
    measure_text, threshold_words = labels.column(tables.measure), threshold_text(tables.threshold)
    title = report_title(tables)
    stories = []
    for name, story in zip(trajectory_names(tables), tables.featured, strict=True):
        stories.append(_featured_section(tables, story, measure_text))
        if name in figures:
            stories.append(_figure(figures, name, "trajectory", title=_featured_title(story)))
    sections = [
        _synthetic_note(tables),
        f"<h1>{escape(title)}</h1>",
        f'<p class="office">{escape(tables.office)}</p>' if tables.office else "",
        f'<p class="muted">口径：{escape(measure_text)}；门槛：{escape(threshold_words)}'
        f"（{threshold_rule(tables.inclusive)}）。金额单位：万元。</p>",
        _headline(tables, measure_text, threshold_words),
        _areas_section(tables, threshold_words),
        _figure(
            figures,
            "income_vs_threshold",
            parts=EACH_OF[tables.scope.by] + ("" if tables.scope.by == "village" else "每个村"),
        ),
        _figure(figures, "share_above"),
        _changes_section(tables, threshold_words),
        _crossings_section(tables, threshold_words),
        _turnaround_section(tables, threshold_words),
        *stories,
        _tenure_section(tables),
        _figure(figures, "income_by_tenure"),
        _identification_section(tables),
        _pretrend_sentence(tables),
        _figure(figures, "event_study"),
        _event_study_sentence(tables) if "event_study" in figures else "",
        _problems_section(tables),
        '<p class="muted">由 villagecon 生成；每个数字可在 summary.xlsx 中追溯到台账的文件、表和行'
        "（manifest.json 记录了输入文件的校验值）。</p>",
    ]
    body = _numbered("\n".join(s for s in sections if s))
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"</body>\n</html>\n"
    )


def _numbered(body: str) -> str:
    """Headings numbered 一、二、…, figures 图1 …, tables 表1 …, in the order they come."""
    counters = {"h2": 0, "figcaption": 0, "caption": 0}

    def number(match: re.Match[str]) -> str:
        tag = match.group(1)
        counters[tag] += 1
        n = counters[tag]
        prefix = {"h2": f"{_chinese_number(n)}、", "figcaption": f"图{n}　", "caption": f"表{n}　"}[tag]
        return f"<{tag}>{prefix}"

    return re.sub(r"<(h2|figcaption|caption)>", number, body)


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (headings are fewer than a hundred)."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_NUMBERS[tens - 1] + "十")
    return head + (_CHINESE_NUMBERS[units - 1] if units else "")


def _synthetic_note(tables: ReportTables) -> str:
    if not tables.synthetic:
        return ""
    return (
        '<p class="note">本报告使用的是合成样例数据：地名和新闻报道中的事实为真，其余村名、人名和金额均为虚构，'
        "仅供演示。</p>"
    )


def _whole_row(tables: ReportTables) -> pd.Series:
    """The whole area's row of the area table (it comes last)."""
    return tables.area_table.iloc[-1]


def _headline(tables: ReportTables, measure_text: str, threshold_words: str) -> str:
    reach = _reach(tables)
    whole, row = tables.scope.whole, _whole_row(tables)
    if not row["n_villages"]:
        return (
            f'<p class="headline">{tables.year}年，{whole}{int(row["n_missing"])}个村都没有填报'
            f"{escape(measure_text)}，无法计算{reach}{escape(threshold_words)}的村数。{_measures_available(tables)}</p>"
        )
    change = ""
    if pd.notna(row["share_above_prev"]):
        change = (
            f"，上年为{row['share_above_prev']:.1%}（{int(row['n_above_prev'])}个村），{_points(row['share_change'])}"
        )
    missing = f"；另有{int(row['n_missing'])}个村缺少该项数字，未计入" if row["n_missing"] else ""
    return (
        f'<p class="headline">{tables.year}年，{whole}{int(row["n_villages"])}个村中有'
        f'<span class="big">{int(row["n_above"])}</span>个村的{escape(measure_text)}{reach}{escape(threshold_words)}，'
        f'占<span class="big">{row["share_above"]:.1%}</span>{change}{missing}。</p>'
    )


def _measures_available(tables: ReportTables) -> str:
    """Which incomes the data do hold, and the option that reports on one of them."""
    this_year = tables.accounts.loc[tables.accounts["year"].eq(tables.year)]
    held = [m for m in INCOME_MEASURES if m in this_year and this_year[m].notna().any()]
    if not held:
        return "数据中没有任何收入数字。"
    listed = "、".join(f"{labels.column(m)}（<code>--measure {m}</code>）" for m in held)
    return f"数据中有{listed}，可选其一作为口径重新生成报告。"


def _points(change: float) -> str:
    """A change of share in percentage points: 提高3.2个百分点, 下降1.0个百分点, 持平."""
    if pd.isna(change):
        return ""
    points = round(change * 100, 1)
    if points == 0:
        return "持平"
    return f"{'提高' if points > 0 else '下降'}{abs(points):.1f}个百分点"


def _areas_section(tables: ReportTables, threshold_words: str) -> str:
    reach = _reach(tables)
    scope = tables.scope
    if scope.level == "township":
        return _villages_table(tables, threshold_words)
    previous = tables.has_previous_year
    head = "".join(
        f"<th>{h}</th>"
        for h in (scope.part, "村数", reach, "占比", *(("上年占比", "增减") if previous else ()), "收入中位数")
    )
    rows = []
    areas: Iterable[Any] = tables.area_table.itertuples(index=False)  # a row's fields: one type per column
    for row in areas:
        name = getattr(row, scope.by)
        css = ' class="city"' if name == scope.whole else ""
        extra = (
            f"<td>{percent(row.share_above_prev)}</td><td>{signed_points(row.share_change)}</td>" if previous else ""
        )
        rows.append(
            f"<tr{css}><td>{escape(name)}</td><td>{row.n_villages}</td><td>{row.n_above}</td>"
            f"<td>{percent(row.share_above)}</td>{extra}<td>{wan(row.median_yuan)}</td></tr>"
        )
    return (
        f"<h2>{scope.parts}{reach}{escape(threshold_words)}的村</h2>\n<table><caption>{tables.year}年{scope.parts}"
        f"{reach}{escape(threshold_words)}的村（金额单位：万元{'；增减为百分点' if previous else ''}）</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def _villages_table(tables: ReportTables, threshold_words: str) -> str:
    """One township: each village's income, last year's and the change, the highest first."""
    reach = _reach(tables)
    changes = tables.village_changes.sort_values("value_yuan", ascending=False, kind="stable")
    previous = tables.has_previous_year
    head = "".join(f"<th>{h}</th>" for h in ("村", "本年", *(("上年", "增减") if previous else ()), f"{reach}门槛"))
    rows = []
    villages: Iterable[Any] = changes.head(_VILLAGE_ROWS).itertuples(index=False)
    for row in villages:
        extra = f"<td>{wan(row.previous_yuan)}</td><td>{signed_wan(row.change_yuan)}</td>" if previous else ""
        above = "—" if pd.isna(row.above_threshold) else ("是" if row.above_threshold else "否")
        rows.append(f"<tr><td>{escape(row.village)}</td><td>{wan(row.value_yuan)}</td>{extra}<td>{above}</td></tr>")
    return (
        f"<h2>{tables.scope.parts}{escape(labels.column(tables.measure))}</h2>\n<table><caption>{tables.year}年"
        f"{tables.scope.parts}{escape(labels.column(tables.measure))}与{escape(threshold_words)}门槛（金额单位：万元）"
        f"</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
        + (
            f"<p>共{len(changes)}个村，上表列出收入最高的{_VILLAGE_ROWS}个；各村的数字见 summary.xlsx 的"
            f"「{escape(tables.sheets['changes'])}」表。</p>"
            if len(changes) > _VILLAGE_ROWS
            else ""
        )
    )


def _changes_section(tables: ReportTables, threshold_words: str) -> str:
    """Change on the previous year: the whole area, the areas that moved most, the villages that rose and fell."""
    reach = _reach(tables)
    heading = "<h2>与上年相比</h2>\n"
    if not tables.has_previous_year:
        return (
            f"{heading}<p>数据中没有{tables.year - 1}年的数字（只有{_years_text(tables)}），本报告不作同比比较，"
            f"也无法判断哪些村是今年首次{reach}门槛。</p>"
        )
    row, whole = _whole_row(tables), tables.scope.whole
    parts = [f"<p>{whole}{reach}{escape(threshold_words)}的村"]
    if pd.notna(row["n_above_change"]):
        parts.append(f"比上年{_more_or_fewer(row['n_above_change'])}，占比{_points(row['share_change']) or '持平'}")
    parts.append(
        f"：{int(row['n_crossed_up'])}个村由未{reach}变为{reach}，{int(row['n_crossed_down'])}个村由{reach}跌到门槛以下"
    )
    if pd.notna(row["median_change_yuan"]):
        parts.append(f"；收入中位数{wan(row['median_yuan'])}万元，比上年{signed_text(row['median_change_yuan'])}")
    parts.append("。")
    if tables.scope.level != "township":
        moved = tables.area_table.iloc[:-1].dropna(subset=["share_change"]).sort_values("share_change", kind="stable")
        if len(moved) > 1:
            up, down = moved.iloc[-1], moved.iloc[0]
            parts.append(
                f"{tables.scope.part}中占比提高最多的是{escape(up[tables.scope.by])}（{_points(up['share_change'])}），"
                f"{'下降' if down['share_change'] < 0 else '提高'}最少的是"
                f"{escape(down[tables.scope.by])}（{_points(down['share_change'])}）。"
            )
    parts.append("</p>")
    known = tables.village_changes.dropna(subset=["change_yuan"]).sort_values("change_yuan", kind="stable")
    rises, falls = (
        known.loc[known["change_yuan"].gt(0)].iloc[::-1].head(_RISES),
        known.loc[known["change_yuan"].lt(0)].head(_RISES),
    )
    for words, rows in (("增加最多", rises), ("减少最多", falls)):
        if len(rows):
            notes = [f"{signed_wan(v)}万元" for v in rows["change_yuan"]]
            parts.append(f"<p>{escape(labels.column(tables.measure))}比上年{words}的村：{_names(rows, notes)}。</p>")
    parts.append(f"<p>各村的本年数、上年数和增减见 summary.xlsx 的「{escape(tables.sheets['changes'])}」表。</p>")
    return heading + "".join(parts)


def _years_text(tables: ReportTables) -> str:
    years = sorted(tables.accounts["year"].unique().tolist())
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}年至{years[-1]}年"


def _more_or_fewer(change: float) -> str:
    change = int(change)
    return "持平" if change == 0 else f"{'增加' if change > 0 else '减少'}{abs(change)}个"


def _crossings_section(tables: ReportTables, threshold_words: str) -> str:
    reach = _reach(tables)
    if not tables.has_previous_year:
        return ""  # the changes section says why
    crossings = tables.crossings
    new = crossings.loc[
        crossings["first_year_above"].eq(tables.year) & ~crossings["above_from_start"].fillna(True).astype(bool)
    ]
    names = _names(new)
    return (
        f"<h2>{tables.year}年首次{reach}{escape(threshold_words)}的村</h2>\n"
        f"<p>{len(new)}个村在{tables.year}年首次{reach}{escape(threshold_words)}{'：' + names if names else ''}。"
        f"各村首次{reach}的年份见 summary.xlsx 的「{escape(tables.sheets['crossings'])}」表。</p>"
    )


def _turnaround_section(tables: ReportTables, threshold_words: str) -> str:
    reach = _reach(tables)
    turned = tables.turnarounds
    if turned.empty:
        return ""
    first, last = int(tables.accounts["year"].min()), tables.year - 1
    debt_years = [f"{int(y)}年" for y in turned["from_year"]]
    span = f"{first}年" if first == last else f"{first}年至{last}年间"
    return (
        f"<h2>由负债转为收入的村</h2>\n<p>{span}曾经净负债（负债大于当年的"
        f"{escape(labels.column(tables.measure))}，括号内为最近一次净负债的年份）、{tables.year}年不再净负债且{reach}"
        f"{escape(threshold_words)}的村共{len(turned)}个：{_names(turned, debt_years)}。"
        f"明细见「{escape(tables.sheets['turnarounds'])}」表。</p>"
    )


def _featured_section(tables: ReportTables, story: FeaturedVillage, measure_text: str) -> str:
    accounts, village = story.rows, story.name
    if story.left_out:
        return (
            f"<h2>{escape(village)}</h2><p>本报告未讲述{escape(village)}的故事：数据中无法确定哪一个是文章中的"
            f"{escape(village)}，请在登记表（register.csv）中写明各村的县、乡镇和村代码。"
            f'<span class="muted">（{escape(story.left_out)}）</span></p>'
        )
    if accounts.empty:
        return ""
    measure = tables.measure
    path = story.path
    debt_years = path.loc[path["in_net_debt"].fillna(False).astype(bool) & path["year"].lt(tables.year)]
    rows = accounts.set_index("year")
    end = path.iloc[-1]
    parts = [f"<h2>{escape(_featured_title(story))}</h2>", "<p>"]
    if len(debt_years):
        start = debt_years.iloc[0]
        income = start[measure]
        parts.append(
            f"{int(start['year'])}年，{escape(village)}负债{wan(start['liabilities'])}万元，"
            f"{escape(measure_text)}{'仅' if income >= 0 else '为'}{wan(income)}万元；"
        )
    year = int(end["year"])
    approx = bool(rows.loc[year, f"{measure}_approx"]) if f"{measure}_approx" in rows else False
    parts.append(
        f"{year}年{escape(measure_text)}"
        f"{_amount_as_written(end[measure], approx, story.written.get((year, measure)))}，"
        f"{_debt_text(end['liabilities'])}。"
    )
    if tables.roster is not None and "secretary" in rows:
        secretary = rows.loc[int(end["year"]), "secretary"]
        start_date = cast(dt.date, rows.loc[int(end["year"]), "secretary_start"])  # a secretary has a start date
        if isinstance(secretary, str):
            parts.append(f"现任书记{escape(secretary)}自{pd.Timestamp(start_date):%Y年%-m月}任职。")
    parts.append("</p>")
    return "".join(parts)


def _featured_title(story: FeaturedVillage) -> str:
    """ "上河村：从负债到收入" once the village has turned around by the report year, else "上河村：收入与负债"."""
    in_debt = story.path["in_net_debt"].fillna(False).astype(bool)
    turned = in_debt.iloc[:-1].any() and not in_debt.iloc[-1]
    return f"{story.name}：{'从负债到收入' if turned else '收入与负债'}"


def _amount_as_written(yuan: float, approx: bool, written: str | None) -> str:
    """An amount for the page: as the ledger wrote it when approximate (40余万元), else in 万元."""
    if not approx:
        return f"{wan(yuan)}万元"
    if written and any(unit in written for unit in ("元", "万", "亿")):
        return f"{escape(written)}（台账原文）"
    if written:  # the unit was in the header or a 单位 row
        return f"约{wan(yuan)}万元（台账原文为“{escape(written)}”）"
    return f"约{wan(yuan)}万元（据台账中的约数）"


def _debt_text(liabilities: float) -> str:
    if pd.isna(liabilities):
        return "负债未填报"
    return "无负债" if liabilities == 0 else f"负债{wan(liabilities)}万元"


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
    changes = (
        int(tables.accounts["new_secretary"].fillna(False).astype(bool).sum())
        if "new_secretary" in tables.accounts
        else 0
    )
    sentences = []
    for name, reason in tables.left_out.items():
        model, needs = _MODEL_NEEDS[name]
        sentences.append(
            f"<p>本报告未列出{model}：它{needs}，而{int(years.min())}年至{tables.year}年的数据只有"
            f"{n_years}个年度、{changes}次书记上任，无法在控制村和年份固定效应后估计。"
            f'<span class="muted">（{escape(reason)}）</span></p>'
        )
    return "\n".join(sentences)


def _tenure_section(tables: ReportTables) -> str:
    model = tables.tenure_model
    left_out = _left_out_section(tables)
    heading = "<h2>书记任期与村集体收入</h2>\n"
    if model is None or model.empty:
        return heading + left_out if left_out else ""
    row = model.loc[model["term"].eq("tenure_years")].iloc[0]
    effect, low, high = (np.expm1(row[c]) for c in ("coef", "ci_low", "ci_high"))
    details = [
        f"95%置信区间{low:.1%}至{high:.1%}",
        f"{int(row['n_villages'])}个村、{int(row['n_obs'])}个村年",
        "标准误按村聚类",
    ]
    if dropped := int(row["n_dropped_nonpositive"]):
        details.append(f"{escape(labels.column(tables.measure))}为0或负数的{dropped}个村年取不了对数，未计入")
    return (
        f"{heading}<p>控制村和年份固定效应后，书记每多任职一年，村集体收入平均高约"
        f"<b>{effect:.1%}</b>（{'；'.join(details)}）。"
        f"这是相关而非因果：任期长的书记也可能正是因为村里经济好才连任。</p>" + (f"\n{left_out}" if left_out else "")
    )


def threshold_rule(inclusive: bool) -> str:
    """What the page counts: 达到 (≥, a village at exactly the threshold counts) or 超过 (>).

    Parameters
    ----------
    inclusive : bool
        :attr:`ReportTables.inclusive`.

    Returns
    -------
    str
        The words the page uses for the rule.
    """
    return "达到即计入，恰好等于门槛的村计入" if inclusive else "超过才计入，恰好等于门槛的村不计入"


def _reach(tables: ReportTables) -> str:
    return "达到" if tables.inclusive else "超过"


def _identification_section(tables: ReportTables) -> str:
    """The regression table, where its identification comes from, and that it shows associations."""
    table = tables.regression
    if table is None or table.empty or not table["model"].eq("tenure_effect").any():
        return ""
    row = table.loc[table["model"].eq("tenure_effect")].iloc[0]
    cells = [
        f"{row['coef']:.3f}",
        f"{row['std_err']:.3f}",
        f"{row['ci_low']:.3f}至{row['ci_high']:.3f}",
        str(int(row["n_obs"])),
        str(int(row["n_villages"])),
        str(int(row["n_villages_changed"])),
        str(int(row["n_clusters"])) if pd.notna(row["n_clusters"]) else "—",
        f"{row['r2_within']:.3f}",
    ]
    header = ["系数", "标准误", "95%置信区间", "村年数", "村数", "更换过书记的村", "聚类数", "组内R²"]
    few = (
        "聚类数少于30，p值和区间用野聚类自助法（wild cluster bootstrap）计算。"
        if str(row["inference"]).startswith("wild")
        else ""
    )
    return (
        "<table><caption>回归结果（对数收入对任职年限，控制村和年份固定效应）</caption>\n<thead><tr>"
        + "".join(f"<th>{h}</th>" for h in header)
        + "</tr></thead>\n<tbody><tr>"
        + "".join(f"<td>{c}</td>" for c in cells)
        + "</tr></tbody></table>\n"
        f"<p>控制村和年份固定效应后，任职年限的系数只由任期内更换过书记的村识别："
        f"{int(row['n_villages'])}个村中有{int(row['n_villages_changed'])}个村在数据期间更换过书记，"
        f"其余村的任职年限与年份同步增长，被年份效应吸收，对系数没有贡献。"
        f"若收入在换人时一次性下降而与任职年限本身无关，这一系数同样会显著为正，"
        f"因此它描述的是相关关系，不是任职年限的因果效应。{few}</p>"
    )


def _problems_section(tables: ReportTables) -> str:
    rejects = tables.rejects
    if rejects.empty:
        return "<h2>数据问题</h2>\n<p>台账中没有发现无法使用的数字。</p>"
    counts = rejects["problem"].value_counts().sort_index()
    listed = "、".join(f"{escape(problems.problem_label(str(problem)))}{n}处" for problem, n in counts.items())
    files = rejects["source"].str.rsplit("!", n=2).str[0].nunique()  # file!sheet!row; a file name may hold a "!"
    return (
        f"<h2>数据问题</h2>\n<p>共<b>{len(rejects)}</b>处数字未能使用（{listed}），分布在{files}个文件中；"
        f"每处的文件、表、行、单元格、问题和处理办法见 summary.xlsx 的「{escape(tables.sheets['problems'])}」表。"
        f"（<code>villagecon clean</code> 命令另把台账的问题写入 rejects.csv。）</p>"
    )


def _figure(figures: dict[str, Path], name: str, caption: str | None = None, **words: str) -> str:
    """A figure with its caption (``caption``: the caption's key in FIGURE_CAPTIONS, default ``name``)."""
    if name not in figures:
        return ""
    uri = "data:image/png;base64," + base64.b64encode(Path(figures[name]).read_bytes()).decode("ascii")
    text = FIGURE_CAPTIONS[caption or name].format(**words)
    return f'<figure><img src="{uri}" alt="{escape(text)}"><figcaption>{escape(text)}</figcaption></figure>'


def _pretrend_sentence(tables: ReportTables) -> str:
    """The event study's joint test that income did not differ before a new secretary took office."""
    events = tables.events
    pretrend = {} if events is None else events.attrs.get("pretrend", {})
    p_value = pretrend.get("p_value", float("nan"))
    if np.isnan(p_value):
        return ""
    verdict = (
        "新书记上任前各年的收入与上任前一年没有显著差异，平行趋势的检验未被拒绝"
        if p_value >= 0.05
        else "新书记上任前各年的收入已与上任前一年显著不同，存在事前趋势，上任后的估计需谨慎解读"
    )
    return f"<p>{verdict}（联合检验F={pretrend['stat']:.2f}，p={p_value:.3f}）。</p>"


def _event_study_sentence(tables: ReportTables) -> str:
    """How to read the event-study figure, its pre-trend test, and its estimates for the arrival year and the
    last one, in words."""
    events = tables.events
    if events is None or events.empty:
        return ""
    events = events.sort_values("event_time")
    method = (
        "每次换人与同期未换书记的村逐一比较（堆叠的双重差分，每次换人权重相同）"
        if events["method"].iloc[0] == "stacked"
        else "双向固定效应分布滞后模型，已控制村和年份固定效应"
    )
    sentence = (
        "<p>图的读法：横轴为相对新书记上任年份的年数（0为上任当年，虚线为上任时点）；"
        "纵轴为村集体收入比上任前一年（基准期，定为0，图中空心圆）高或低的百分比，由对数收入差b换算"
        f"（e<sup>b</sup>−1），{method}；竖线为95%置信区间，跨过0的估计与“没有变化”无法区分。"
    )
    said = []
    for words, rows in (("上任当年", events.loc[events["event_time"].eq(0)]), (None, events.tail(1))):
        if len(rows) and (words or int(rows["event_time"].iloc[0]) > 0):
            row = rows.iloc[0]
            words = words or f"上任后第{int(row['event_time'])}年{'及以后' if row.get('binned', False) else ''}"
            said.append(
                f"{words}为{np.expm1(row['coef']):+.1%}（95%置信区间{np.expm1(row['ci_low']):+.1%}至"
                f"{np.expm1(row['ci_high']):+.1%}）"
            )
    if said:
        sentence += "估计值：" + "，".join(said) + "。"
    return sentence + "这同样是相关关系：换人的时机可能与村里的情况有关。</p>"


def _names(table: pd.DataFrame, notes: list[str] | None = None) -> str:
    """The villages' full names (county, township, village), each followed by its note in brackets if given."""
    # A place the table does not name (no 县 or 乡镇 column, or an empty cell) is left out of the name.
    parts = [table[c] if c in table else pd.Series(None, index=table.index) for c in ("county", "township", "village")]
    names = ["".join(p for p in place if isinstance(p, str)) for place in zip(*parts, strict=True)]
    if notes is not None:
        names = [f"{name}（{note}）" for name, note in zip(names, notes, strict=True)]
    shown = "、".join(escape(n) for n in names[:_LISTED])
    return shown + (f"等{len(names)}个" if len(names) > _LISTED else "")
