"""The synthetic 郴州市 sample: village ledgers in every layout villagecon reads, with known answers.

:func:`write_sample` writes ledgers for the 11 county-level units of 郴州市 (one-row-per-village
workbooks in 万元 and 元, long 科目/金额 ledgers, one-sheet-per-village 收益分配表, GBK and
UTF-8-BOM CSVs, and in the real forms of :mod:`villagecon.sample.forms`: 资产负债表, a 三资
platform export, a 收益分配统计表, a dated 收支台账 and quarterly 财务收支公开榜), the village register and
the secretary roster, and returns the ground truth it drew them from. The same seed gives byte-identical
files.

The world and its generating process are in :mod:`villagecon.sample.world` and :mod:`villagecon.sample.process`,
how offices write amounts in :mod:`~villagecon.sample.habits`, the sheet layouts in
:mod:`~villagecon.sample.layouts`, the bad cells in :mod:`~villagecon.sample.defects`; this module says which
files each county sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from villagecon.errors import UsageError
from villagecon.ingest.files import LEDGER_SUFFIXES
from villagecon.outputs import write_atomic
from villagecon.sample.article import SHANGHE
from villagecon.sample.defects import check_coverage, put_bad_cells, unknown_village
from villagecon.sample.documents import (
    README_FILE,
    REGISTER_FILE,
    ROSTER_FILE,
    SYNTHETIC,
    Cell,
    CellIndex,
    Document,
    csv_bytes,
    write_document,
)
from villagecon.sample.forms import (
    balance_sheets,
    cash_book,
    disclosure_boards,
    roster_workbook,
    sanzi_export,
    statistics_form,
)
from villagecon.sample.habits import Style
from villagecon.sample.layouts import long_sheet, statement_sheet, wide_sheet
from villagecon.sample.process import DEFAULT_SEED, DEFAULT_VILLAGES, DEFAULT_YEARS, stream
from villagecon.sample.readme import readme_text
from villagecon.sample.truth import Sample, checked_arguments
from villagecon.sample.world import Village, World, draw_world
from villagecon.vocab import chenzhou

__all__ = ["write_sample"]


def write_sample(
    out: Path | str, *, seed: int = DEFAULT_SEED, villages: int = DEFAULT_VILLAGES, years: Iterable[int] = DEFAULT_YEARS
) -> Sample:
    """Write the synthetic 郴州市 sample data set into ``out`` and return its truth.

    Parameters
    ----------
    out : path-like
        Folder to write into (created if needed). Ledger files in it that this sample
        would not write are an error: they would mix with the sample when cleaned.
    seed : int
        Random seed; the same seed, villages and years give byte-identical files.
    villages : int
        Number of villages, at least 11 (one per county) and at most 2,600.
    years : iterable of int
        Years of the ledgers (default 2016–2023). Years from 2024 follow 财会〔2023〕14号.

    Returns
    -------
    Sample

    Examples
    --------
    ``write_sample("data/raw").truth.query("village == '上河村'")`` is 上河村 by year, as the
    bundled files hold it; :func:`sample_truth` gives the same table without writing.
    """
    years = checked_arguments(seed, villages, years)
    out = Path(out)
    world = draw_world(seed, villages, years)
    documents, bad_cells = _documents(world, seed)
    planned = {d.path for d in documents} | {ROSTER_FILE}
    if out.exists():
        foreign = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file()
            and p.suffix.lower() in LEDGER_SUFFIXES
            and not p.name.startswith(".")
            and p.relative_to(out).as_posix() not in planned | {REGISTER_FILE}
        )
        if foreign:
            raise UsageError(
                f"{out} holds ledger files the sample does not write ({', '.join(foreign[:3])}"
                f"{', …' if len(foreign) > 3 else ''}): write the sample to an empty folder"
            )
    roster_forms = roster_workbook(world, seed)
    documents.append(roster_forms.document)
    files = [write_document(out, document) for document in documents]
    files.append(
        write_atomic(out / REGISTER_FILE, lambda p: p.write_bytes(csv_bytes(_register_rows(world.register), "utf-8")))
    )
    sample = Sample(
        files=files,
        truth=world.truth,
        details=world.details,
        roster=world.roster,
        register=world.register,
        bad_cells=bad_cells,
        approx_cells=world.approx_cells,
        committee=roster_forms.committee,
    )
    readme = readme_text(sample, documents, out=out, seed=seed, villages=villages, years=years, roster=roster_forms)
    files.append(write_atomic(out / README_FILE, lambda p: p.write_bytes(readme.encode("utf-8"))))
    return sample


# --- the files of each county ---------------------------------------------------------------------------


def _documents(world: World, seed: int) -> tuple[list[Document], pd.DataFrame]:
    """Every ledger file of the sample, with the deliberately bad cells put in."""
    index = CellIndex()
    years = world.years
    docs: list[Document] = []
    by_county = {county: [v for v in world.villages if v.county == county] for county in chenzhou.COUNTY_CODES}

    def townships_of(county: str) -> list[str]:
        return [t for t in chenzhou.TOWNSHIPS[county] if any(v.township == t for v in by_county[county])]

    def in_township(county: str, township: str) -> list[Village]:
        return [v for v in by_county[county] if v.township == township]

    def rng_for(path: str) -> np.random.Generator:
        return stream(seed, path)

    def year_at(position: int) -> int:
        return years[min(position, len(years) - 1)]

    unknown = unknown_village(world, by_county["宜章县"], year_at(5))

    # 北湖区: a long ledger per township (年度 | 村名 | 科目 | 金额（元）), some amounts written 4.2万.
    for township in townships_of("北湖区"):
        path = f"北湖区/北湖区{township}村级集体经济收支台账（合成样例）.xlsx"
        doc = Document(path, [], "long", "元", what="long ledger per township, years written 2019/2019年/二〇一九年")
        doc.sheets.append(
            long_sheet(
                world,
                doc,
                in_township("北湖区", township),
                years,
                style=Style("元", wan_text=0.15),
                rng=rng_for(path),
                index=index,
                title=f"北湖区{township}村级集体经济收支台账（{SYNTHETIC}）",
                sheet_name="台账",
                columns={"year": "年度", "village": "村名", "item": "科目", "amount": "金额（元）"},
                year_cells="mixed",
                item_labels={"contract_income": "发包及上缴收入"},
            )
        )
        docs.append(doc)
    # 北湖区华塘镇: the 三资 platform's export (科目编码, full organisation names, 12-digit codes); duplicates.
    if (form := sanzi_export(world, seed, index)) is not None:
        docs.append(form)

    # 苏仙区: a workbook per year in 元 with a two-level header; some numbers stored as text.
    for year in years:
        path = f"苏仙区/苏仙区{year}年村级集体经济收支统计表（合成样例）.xlsx"
        doc = Document(path, [], "wide", "元", what="one row per village, two-level merged header, 小计/合计")
        doc.sheets.append(
            wide_sheet(
                world,
                doc,
                county="苏仙区",
                year=year,
                style=Style("元", number_as_text=0.03),
                rng=rng_for(path),
                index=index,
                sheet_name=f"{year}年",
            )
        )
        docs.append(doc)

    # 桂阳县: 收益分配表 per township in 万元, one sheet per village.
    for township in townships_of("桂阳县"):
        path = f"桂阳县/桂阳县{township}村级集体经济组织收益分配表（合成样例）.xlsx"
        doc = Document(path, [], "statement", "万元", what="收益分配表, one sheet per village, years across")
        rng = rng_for(path)
        doc.sheets += [
            statement_sheet(world, doc, v, style=Style("万元", negative="paren"), rng=rng, index=index)
            for v in in_township("桂阳县", township)
        ]
        docs.append(doc)

    # 宜章县: a GBK CSV per year in 元 (Excel's "CSV" export), 1,234,567 separators; the unknown village.
    for year in years:
        path = f"宜章县/宜章县{year}年村级集体经济收支统计表（合成样例）.csv"
        doc = Document(
            path,
            [],
            "wide",
            "元",
            encoding="gbk",
            what="one row per village as CSV (GBK), header over two rows, 小计/合计",
        )
        doc.sheets.append(
            wide_sheet(
                world,
                doc,
                county="宜章县",
                year=year,
                style=Style("元", csv=True, thousands=True),
                rng=rng_for(path),
                index=index,
                sheet_name="",
                extra=unknown if unknown and unknown["year"] == year else None,
            )
        )
        docs.append(doc)

    # 永兴县: one workbook with a sheet per year in 万元, and again from the middle year on as UTF-8-BOM
    # long CSVs per township (the same amounts: duplicates).
    path = "永兴县/永兴县村级集体经济收支统计表（合成样例）.xlsx"
    doc = Document(path, [], "wide", "万元", what="one sheet per year, two-level merged header, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        wide_sheet(
            world, doc, county="永兴县", year=year, style=Style("万元"), rng=rng, index=index, sheet_name=f"{year}年"
        )
        for year in years
    ]
    docs.append(doc)
    late = years[len(years) // 2 :]
    for township in townships_of("永兴县"):
        path = f"永兴县/永兴县{township}村级收支台账（合成样例）.csv"
        doc = Document(
            path,
            [],
            "long",
            "元",
            encoding="utf-8-sig",
            what=f"long ledger (UTF-8 with BOM), {late[0]}–{late[-1]}, repeats the workbook",
        )
        doc.sheets.append(
            long_sheet(
                world,
                doc,
                in_township("永兴县", township),
                late,
                style=Style("元", csv=True, decimals=True),
                rng=rng_for(path),
                index=index,
                title=f"永兴县{township}村级集体经济收支台账（{SYNTHETIC}）",
                sheet_name="",
                columns={"year": "年度", "township": "乡镇", "village": "村", "item": "科目", "amount": "金额"},
                year_cells="年度",
            )
        )
        docs.append(doc)
    # and 马田镇's 收支台账 of the last year: every item in dated lines that add up to the workbook's figure.
    if (form := cash_book(world, seed, index)) is not None:
        docs.append(form)

    # 嘉禾县: one workbook in 万元, one-row header with the unit in every column label.
    path = "嘉禾县/嘉禾县村级集体经济收支统计表（合成样例）.xlsx"
    doc = Document(path, [], "wide", "万元", what="one sheet per year, one-row header 经营收入（万元）…, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        wide_sheet(
            world,
            doc,
            county="嘉禾县",
            year=year,
            style=Style("万元", negative="minus"),
            rng=rng,
            index=index,
            sheet_name=f"{year}年",
            two_level=False,
            unit_row=False,
        )
        for year in years
    ]
    docs.append(doc)
    # and a 资产负债表 per township for the last two years (资产总计 and 负债合计 repeat the workbook's).
    docs += balance_sheets(world, seed, index)

    # 临武县: 收益分配表 per township in 元, years written 2016年 / 2017 / 二〇一八年 / 2019年度.
    for township in townships_of("临武县"):
        path = f"临武县/临武县{township}收益分配表（合成样例）.xlsx"
        doc = Document(path, [], "statement", "元", what="收益分配表, years written four ways, full-width digits")
        rng = rng_for(path)
        style = Style("元", number_as_text=0.1, fullwidth=0.3, negative="fullwidth_paren")
        doc.sheets += [
            statement_sheet(world, doc, v, style=style, rng=rng, index=index, year_headers="mixed")
            for v in in_township("临武县", township)
        ]
        docs.append(doc)

    # 汝城县: one workbook in 万元 (上河村 written 上河村村委会), and 濠头乡's 收益分配表 in 元 with
    # 上河村's 其中 lines (光伏, 蔬菜大棚): the same amounts twice, except the one conflict.
    path = "汝城县/汝城县村级集体经济收支统计表（合成样例）.xlsx"
    doc = Document(path, [], "wide", "万元", what="one sheet per year, two-level merged header, 小计/合计")
    rng = rng_for(path)
    doc.sheets += [
        wide_sheet(
            world,
            doc,
            county="汝城县",
            year=year,
            style=Style("万元", negative="fullwidth_paren"),
            rng=rng,
            index=index,
            sheet_name=f"{year}年",
            name_override={SHANGHE: "上河村村委会"},
        )
        for year in years
    ]
    docs.append(doc)
    if in_township("汝城县", "濠头乡"):
        path = "汝城县/汝城县濠头乡收益分配表（合成样例）.xlsx"
        doc = Document(path, [], "statement", "元", what="收益分配表 with 其中 lines, repeats the county workbook")
        rng = rng_for(path)
        doc.sheets += [
            statement_sheet(world, doc, v, style=Style("元", negative="paren"), rng=rng, index=index)
            for v in in_township("汝城县", "濠头乡")
        ]
        docs.append(doc)
    # and 濠头乡's 财务收支公开榜 of the 第三 and 第四季度: the year's figures again (本年累计数) and quarters.
    docs += disclosure_boards(world, seed, index)

    # 桂东县: one long workbook for the county with a 乡镇 column; subsidies sometimes in Chinese numerals.
    path = "桂东县/桂东县村级集体经济收支台账（合成样例）.xlsx"
    doc = Document(path, [], "long", "元", what="long ledger with 乡镇 column, years 2019年度, 十二万")
    doc.sheets.append(
        long_sheet(
            world,
            doc,
            by_county["桂东县"],
            years,
            style=Style("元", chinese_subsidy=0.3),
            rng=rng_for(path),
            index=index,
            title=f"桂东县村级集体经济收支台账（{SYNTHETIC}）",
            sheet_name="台账（样例）",
            columns={"township": "乡镇", "village": "村名", "year": "年度", "item": "科目", "amount": "金额（元）"},
            year_cells="年度",
            item_labels={
                "subsidy_income": "上级补助收入",
                "total_income": "本年收入合计",
                "total_expense": "本年支出合计",
            },
        )
    )
    docs.append(doc)
    # and its largest township's 收益分配统计表 (本年数 | 上年数 in 千元): duplicates of the long workbook.
    if (form := statistics_form(world, seed, index)) is not None:
        docs.append(form)

    # 安仁县: 收益分配表 per township in 元, and the year before last again as a UTF-8-BOM CSV (duplicates).
    for township in townships_of("安仁县"):
        path = f"安仁县/安仁县{township}收益分配表（合成样例）.xlsx"
        doc = Document(path, [], "statement", "元", what="收益分配表, one sheet per village")
        rng = rng_for(path)
        doc.sheets += [
            statement_sheet(world, doc, v, style=Style("元", negative="triangle"), rng=rng, index=index)
            for v in in_township("安仁县", township)
        ]
        docs.append(doc)
    report_year = year_at(len(years) - 2)
    path = f"安仁县/安仁县{report_year}年村级集体经济年报（合成样例）.csv"
    doc = Document(
        path,
        [],
        "wide",
        "元",
        encoding="utf-8-sig",
        what="one row per village as CSV (UTF-8 with BOM), repeats the 收益分配表",
    )
    doc.sheets.append(
        wide_sheet(
            world,
            doc,
            county="安仁县",
            year=report_year,
            style=Style("元", csv=True, negative="triangle"),
            rng=rng_for(path),
            index=index,
            sheet_name="",
        )
    )
    docs.append(doc)

    # 资兴市: one long GBK CSV for the city in 万元.
    path = "资兴市/资兴市村级集体经济收支台账（合成样例）.csv"
    doc = Document(path, [], "long", "万元", encoding="gbk", what="long ledger as CSV (GBK), 金额（万元）")
    doc.sheets.append(
        long_sheet(
            world,
            doc,
            by_county["资兴市"],
            years,
            style=Style("万元", csv=True, negative="paren"),
            rng=rng_for(path),
            index=index,
            title=f"资兴市村级集体经济收支台账（{SYNTHETIC}）",
            sheet_name="",
            columns={"year": "年度", "township": "乡镇", "village": "村名", "item": "科目", "amount": "金额（万元）"},
        )
    )
    docs.append(doc)

    check_coverage(world, index)
    bad_cells = put_bad_cells(world, index, unknown, year_at)
    return docs, bad_cells


def _register_rows(register: pd.DataFrame) -> list[list[Cell]]:
    # The header must be the first row (read_register), so the synthetic mark is a column of its own.
    marked = register.astype(str).assign(note=f"{SYNTHETIC} (synthetic sample)")
    return [list(marked.columns), *marked.to_numpy().tolist()]
