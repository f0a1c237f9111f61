"""The report on the data offices actually send, and the files an office circulates: report.docx and the page
printed on A4.

Minimal inputs are written here by hand, as an analyst would type them: one township's CSV without 县 or 乡镇
columns, one county's workbook by township, a city's CSV over two years; one year, no roster, no liabilities.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document
from docx.shared import Mm

from villagecon.cli import main
from villagecon.report.build import build_report
from villagecon.report.docx import BODY_FONT, page_blocks


def _text(html):
    return re.sub(r"<[^>]+>", "", html)


def _report(tmp_path, capsys, *options):
    """Run `villagecon report` on tmp_path/raw; returns (folder, page text). It must end well, with no traceback."""
    status = main(["report", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), *options])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "Traceback" not in err
    folder = next((tmp_path / "out").iterdir())
    return folder, _text((folder / "report.html").read_text(encoding="utf-8"))


def _township_csv(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "濠头乡2023年村集体经济收入.csv").write_text(
        "村名,年度,经营收入（万元）\n上河村,2023,12.5\n下村,2023,3.2\n中村,2023,8\n", encoding="utf-8"
    )


def _sheet_values(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_one_township_csv_without_county_or_township_columns(tmp_path, capsys):
    _township_csv(tmp_path)
    folder, page = _report(tmp_path, capsys, "--measure", "operating_income", "--area", "濠头乡")
    assert folder.name == "2023"
    assert page.startswith("濠头乡2023年村级集体经济年度报告") or "濠头乡2023年村级集体经济年度报告" in page
    # The township's own words: 全乡 (濠头乡 is a 乡) and 各村, never the city's.
    assert "2023年，全乡3个村中有1个村的经营收入达到10万元，占33.3%。" in page
    assert "各村经营收入" in page and "全市" not in page and "各县市区" not in page
    # One year: no "0个村在2023年首次达到" but a sentence that there is no previous year.
    assert "首次达到10万元的村" not in page
    assert "数据中没有2022年的数字（只有2023年），本报告不作同比比较" in page
    header, rows = _sheet_values(folder / "summary.xlsx", "全乡汇总")
    assert header[:5] == ("乡镇", "村数", "达到门槛村数", "缺数村数", "达到门槛占比")
    assert rows == [
        (
            "全乡",
            3,
            1,
            0,
            pytest.approx(1 / 3),
            8.0,
            pytest.approx(23.7 / 3),
            23.7,
            None,
            None,
            None,
            None,
            None,
            None,
            0,
            0,
        )
    ]
    book = openpyxl.load_workbook(folder / "summary.xlsx")
    assert book.sheetnames[:4] == ["全乡汇总", "村级明细", "同比变化", "历年明细"]
    assert book["村级明细"].max_row == 4
    assert (folder / "report.docx").exists()
    drawn = sorted(p.name for p in (folder / "figures").glob("*.png"))
    # One village per dot; no line of shares over a single year; 上河村, the article's village, is featured.
    assert drawn == ["income_vs_threshold.png", "trajectory.png"]
    assert "上河村：收入与负债2023年经营收入12.5万元，负债未填报。" in page


def test_one_township_over_two_years_names_its_villages_without_a_county(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "濠头乡.csv").write_bytes(
        "村名,年度,经营收入（万元）\n上河村,2022,38.5\n上河村,2023,40余万\n大坪村,2022,8\n"
        "大坪村,2023,12.3\n枫泉村,2022,4\n枫泉村,2023,（2.1）\n".encode("gbk")
    )
    _, page = _report(tmp_path, capsys, "--measure", "经营收入")
    assert "nan" not in page
    assert "经营收入比上年增加最多的村：大坪村（+4.3万元）、上河村（+1.5万元）。" in page
    assert "经营收入比上年减少最多的村：枫泉村（-6.1万元）。" in page
    assert "1个村在2023年首次达到10万元：大坪村。" in page
    assert "图1\u3000各村的收入与门槛线（每点一个村，对数刻度）" in page


def test_the_default_measure_missing_everywhere_is_said_not_a_crash(tmp_path, capsys):
    _township_csv(tmp_path)
    _, page = _report(tmp_path, capsys)
    # 本年收入合计 is not in the file: the page says so and names the income it does hold and the option.
    assert "2023年，全镇3个村都没有填报本年收入合计，无法计算达到10万元的村数。" in page
    assert "数据中有经营收入（--measure operating_income）" in page


def test_one_county_workbook_by_township(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2022年"
    sheet.append(["北湖区2022年村级集体经济收入统计表"])
    sheet.append(["单位：万元"])
    sheet.append(["乡镇", "村", "年度", "本年收入合计"])
    for row in (
        ("华塘镇", "塔水村", 2022, 25),
        ("华塘镇", "谭家桥村", 2022, 6),
        ("鲁塘镇", "鲁塘村", 2022, 11),
        ("鲁塘镇", "水口村", 2022, 14),
        ("鲁塘镇", "石门村", 2022, 4.5),
    ):
        sheet.append(row)
    book.save(raw / "北湖区村集体经济.xlsx")
    folder, page = _report(tmp_path, capsys, "--area", "北湖区", "--office", "北湖区农业农村局")
    assert "北湖区2022年村级集体经济年度报告" in page and "北湖区农业农村局" in page
    assert "2022年，全区5个村中有3个村的本年收入合计达到10万元，占60.0%。" in page
    assert "各乡镇达到10万元的村" in page and "各县市区" not in page and "全市" not in page
    _, rows = _sheet_values(folder / "summary.xlsx", "乡镇汇总")
    assert [r[:5] for r in rows] == [
        ("华塘镇", 2, 1, 0, 0.5),
        ("鲁塘镇", 3, 2, 0, pytest.approx(2 / 3)),
        ("全区", 5, 3, 0, 0.6),
    ]


def _city_two_years(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = ["县市区,乡镇,村名,年度,本年收入合计（万元）"]
    # 甲村 crosses up (8 → 12), 乙村 falls below (15 → 9), 丙村 rises (20 → 31), 丁村 falls (30 → 22).
    for county, township, village, before, now in (
        ("汝城县", "濠头乡", "甲村", 8, 12),
        ("汝城县", "濠头乡", "乙村", 15, 9),
        ("北湖区", "华塘镇", "丙村", 20, 31),
        ("北湖区", "华塘镇", "丁村", 30, 22),
    ):
        lines += [f"{county},{township},{village},2022,{before}", f"{county},{township},{village},2023,{now}"]
    (raw / "全市汇总.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_change_on_the_previous_year_per_area_and_village(tmp_path, capsys):
    _city_two_years(tmp_path)
    folder, page = _report(tmp_path, capsys, "--office", "郴州市农业农村局")
    assert "郴州市2023年村级集体经济年度报告" in page  # both counties are 郴州市's
    assert "2023年，全市4个村中有3个村的本年收入合计达到10万元，占75.0%，上年为75.0%（3个村），持平。" in page
    assert "1个村由未达到变为达到，1个村由达到跌到门槛以下" in page
    assert "比上年增加最多的村：北湖区华塘镇丙村（+11.0万元）、汝城县濠头乡甲村（+4.0万元）。" in page
    assert "比上年减少最多的村：北湖区华塘镇丁村（-8.0万元）、汝城县濠头乡乙村（-6.0万元）。" in page
    header, rows = _sheet_values(folder / "summary.xlsx", "县市区汇总")
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_name["汝城县"]["新达到门槛村数"] == 1 and by_name["汝城县"]["跌破门槛村数"] == 1
    assert by_name["北湖区"]["中位数增减（万元）"] == pytest.approx(1.5)  # 25 → 26.5
    assert by_name["全市"]["占比增减"] == 0
    header, rows = _sheet_values(folder / "summary.xlsx", "同比变化")
    changes = {r[header.index("村")]: r for r in rows}
    assert changes["甲村"][header.index("增减（万元）")] == 4.0
    assert changes["甲村"][header.index("跨越门槛")] == "新达到"
    assert changes["乙村"][header.index("跨越门槛")] == "跌破"
    assert changes["丙村"][header.index("增减率")] == pytest.approx(0.55)
    # 村级明细 is the report year; 历年明细 keeps both.
    assert openpyxl.load_workbook(folder / "summary.xlsx")["村级明细"].max_row == 5
    assert openpyxl.load_workbook(folder / "summary.xlsx")["历年明细"].max_row == 9


def test_villages_featured_by_name_and_by_default_the_largest_turnaround(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = ["乡镇,村名,年度,本年收入合计（万元）,负债（万元）"]
    for village, rows in (
        ("甲村", ((2021, 1, 5), (2022, 12, 0))),
        ("乙村", ((2021, 0.5, 20), (2022, 30, 0))),
        ("丙村", ((2021, 15, 0), (2022, 16, 0))),
    ):
        lines += [f"濠头乡,{village},{year},{income},{debt}" for year, income, debt in rows]
    (raw / "台账.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, page = _report(tmp_path, capsys)
    assert "乙村：从负债到收入" in page and "甲村：从负债到收入" not in page  # 乙村's net position rose most
    shutil.rmtree(tmp_path / "out")
    folder, page = _report(tmp_path, capsys, "--village", "甲村", "--village", "丙村")
    assert "甲村：从负债到收入" in page and "丙村：收入与负债" in page and "乙村：从负债到收入" not in page
    assert sorted(p.name for p in (folder / "figures").glob("trajectory*.png")) == [
        "trajectory.png",
        "trajectory_2.png",
    ]


# --- report.docx and the printed page, on one county with a roster (every figure) ---------------------------


@pytest.fixture(scope="module")
def county_report(tmp_path_factory, repo_root):
    raw = tmp_path_factory.mktemp("raw")
    source = repo_root / "data" / "raw"
    shutil.copytree(source / "汝城县", raw / "汝城县")
    shutil.copy(source / "register.csv", raw)
    shutil.copy(next(source.glob("*花名册*")), raw)
    return build_report(2022, raw=raw, out=tmp_path_factory.mktemp("out"), progress=False, office="汝城县农业农村局")


def test_the_docx_has_the_page_s_headings_tables_and_figures(county_report):
    folder = county_report
    page = (folder / "report.html").read_text(encoding="utf-8")
    document = Document(str(folder / "report.docx"))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)  # A4
    assert abs(section.left_margin - Mm(28)) < Mm(0.1) and abs(section.top_margin - Mm(37)) < Mm(0.1)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == BODY_FONT
    fonts = next(p for p in document.part.package.parts if p.partname.endswith("fontTable.xml")).blob.decode()
    assert f'<w:font w:name="{BODY_FONT}"><w:altName w:val="仿宋_GB2312"/>' in fonts  # where 仿宋 is missing
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs if p.style.name == "Title"] == ["汝城县2022年村级集体经济年度报告"]
    assert "汝城县农业农村局" in [p.text for p in paragraphs]
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:4] == [
        "一、各乡镇达到10万元的村",
        "二、与上年相比",
        "三、2022年首次达到10万元的村",
        "四、由负债转为收入的村",
    ]
    # The township table: the same numbers as summary.xlsx.
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["乡镇", "村数", "达到", "占比", "上年占比", "增减", "收入中位数"]
    header, rows = _sheet_values(folder / "summary.xlsx", "乡镇汇总")
    expected = [[r[0], str(r[1]), str(r[2]), f"{r[4]:.1%}", f"{r[header.index('中位数（万元）')]:,.1f}"] for r in rows]
    assert [[row[0], row[1], row[2], row[3], row[6]] for row in cells[1:]] == expected
    assert cells[-1][0] == "全县"
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # repeated on every page
    # Every figure, each kept with its caption just below it.
    pictures = [i for i, p in enumerate(paragraphs) if p._element.xpath(".//pic:pic")]
    figures = sorted((folder / "figures").glob("*.png"))
    assert len(pictures) == len(figures) == 5
    for number, index in enumerate(pictures, start=1):
        assert paragraphs[index].paragraph_format.keep_with_next
        assert paragraphs[index + 1].text.startswith(f"图{number}　")
    captions = [p.text for p in paragraphs if p.style.name == "Caption" and p.text.startswith("图")]
    assert captions == [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page)]
    # The embedded images are the figures' PNGs at print resolution (200 dpi).
    images = {part.blob for part in document.part.package.parts if part.content_type == "image/png"}
    assert images == {p.read_bytes() for p in figures}
    footer = document.sections[0].footer.paragraphs[0]._element.xml
    assert "PAGE" in footer and "— " in footer


def test_the_page_reads_into_the_same_blocks_as_the_docx(county_report):
    blocks = page_blocks((county_report / "report.html").read_text(encoding="utf-8"))
    assert [b.kind for b in blocks].count("figure") == 5
    headline = next(b for b in blocks if b.kind == "paragraph" and any(r.bold for r in b.runs))
    assert [r.text for r in headline.runs if r.bold] == ["24", "100.0%"]


def test_the_page_prints_on_a4_with_every_figure_beside_its_caption(county_report, tmp_path):
    """Headless Chromium prints report.html; each figure's image is on the page of its caption."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("headless Chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
    from pypdf import PdfReader

    pdf = tmp_path / "page.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (county_report / "report.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(pdf)
    assert 4 <= len(reader.pages) <= 8
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    image_pages, caption_pages = [], {}
    for number, page in enumerate(reader.pages):
        image_pages += [number] * len(page.images)
        for caption in re.findall(r"图(\d+)\s", page.extract_text()):
            caption_pages.setdefault(int(caption), number)
    assert len(image_pages) == 5 and sorted(caption_pages) == [1, 2, 3, 4, 5]
    assert [caption_pages[n] for n in range(1, 6)] == image_pages


def test_a_sheet_of_many_villages_without_townships_stays_readable(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = ["村名,年度,本年收入合计（元）"] + [f"{n}号村,2023,{50_000 + 2_000 * n}" for n in range(1, 46)]
    (raw / "村集体收入.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder, page = _report(tmp_path, capsys)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "2023年，全镇45个村中有21个村的本年收入合计达到10万元，占46.7%。" in page  # 25号村 (10万元) and up
    assert "共45个村，上表列出收入最高的40个；各村的数字见 summary.xlsx 的「同比变化」表。" in page
    listed = re.findall(r"<tr><td>(\d+)号村</td>", html)
    assert listed == [str(n) for n in range(45, 5, -1)]  # the highest 40, first first
    assert openpyxl.load_workbook(folder / "summary.xlsx")["同比变化"].max_row == 46
