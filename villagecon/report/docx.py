"""report.docx: the report page as a Word document an office can circulate (Word and WPS open it).

Made from report.html itself (:func:`villagecon.report.page.render_page`), so the page and the document say the
same words and numbers: headings, paragraphs, tables and figures in the page's order. The look follows the
公文 conventions (GB/T 9704) where a report can: A4, margins 37/35/28/26 mm, the title in 方正小标宋简体 (黑体
where it is missing) at 22 pt, headings in 黑体, the body in 仿宋 (FangSong; 仿宋_GB2312 where that is what a
machine has) at 16 pt on a fixed 28 pt line, page numbers "— 1 —" at the foot. Figures are the page's PNGs
(200 dpi) at the text width, each kept on one page with its caption; tables repeat their header row on every
page.

The file is the same bytes for the same page: fixed document dates and zip entry times.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.table import _Row

__all__ = [
    "BODY_FALLBACK",
    "BODY_FONT",
    "HEADING_FONT",
    "LATIN_FONT",
    "PAGE_NUMBER_FONT",
    "TITLE_FALLBACK",
    "TITLE_FONT",
    "Block",
    "Run",
    "page_blocks",
    "write_docx",
]

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "黑体"
HEADING_FONT = "黑体"
BODY_FONT, BODY_FALLBACK = "仿宋", "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
_TEXT_WIDTH = Mm(210 - 28 - 26)
_FIGURE_HEIGHT = Cm(11)  # at most: a figure and its caption fit on a page with room for text


@dataclass
class Run:
    text: str
    bold: bool = False
    superscript: bool = False


@dataclass
class Block:
    """One block of the page: title, heading, paragraph, table or figure."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    css: str = ""
    rows: list[tuple[list[tuple[str, bool]], str]] = field(default_factory=list)  # ([(text, is_header)], css)
    caption: str = ""
    image: bytes = b""


class _PageReader(HTMLParser):
    """Blocks of report.html, in order. Knows the page's tags; any other block tag becomes a paragraph."""

    _BOLD = frozenset({"b", "strong", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.bold = 0
        self.superscript = False
        self.skip = 0  # inside <head>, <style>, <script>
        self.table: Block | None = None
        self.row: list[tuple[str, bool]] | None = None
        self.row_css = ""
        self.cell: list[str] | None = None
        self.cell_header = False
        self.figure: Block | None = None
        self.in_caption = False
        self.spans: list[bool] = []  # for each open <span>, whether it is bold ("big")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        css = attributes.get("class") or ""
        if tag in ("head", "style", "script"):
            self.skip += 1
        elif tag == "table":
            self.table = Block("table")
        elif tag == "caption" and self.table is not None:
            self.in_caption = True
        elif tag == "tr" and self.table is not None:
            self.row, self.row_css = [], css
        elif tag in ("td", "th") and self.row is not None:
            self.cell, self.cell_header = [], tag == "th"
        elif tag == "figure":
            self.figure = Block("figure")
        elif tag == "img" and self.figure is not None:
            source = attributes.get("src") or ""
            if source.startswith("data:image/png;base64,"):
                self.figure.image = base64.b64decode(source.partition(",")[2])
        elif tag == "figcaption" and self.figure is not None:
            self.in_caption = True
        elif tag in ("h1", "h2", "h3", "p", "li", "div") and self.table is None and self.figure is None:
            kind = {"h1": "title", "h2": "heading", "h3": "heading"}.get(tag, "paragraph")
            self.current = Block(kind, css=css)
        elif tag == "br" and self.current is not None:
            self.current.runs.append(Run("\n"))
        if tag == "span":
            self.spans.append("big" in css.split())
        if tag in self._BOLD or (tag == "span" and self.spans[-1]):
            self.bold += 1
        if tag == "sup":
            self.superscript = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.table is not None:
            self.blocks.append(self.table)
            self.table = None
        elif tag == "caption":
            self.in_caption = False
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.rows.append((self.row, self.row_css))
            self.row = None
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(("".join(self.cell).strip(), self.cell_header))
            self.cell = None
        elif tag == "figure" and self.figure is not None:
            self.blocks.append(self.figure)
            self.figure = None
        elif tag == "figcaption":
            self.in_caption = False
        elif tag in ("h1", "h2", "h3", "p", "li", "div") and self.current is not None:
            if "".join(run.text for run in self.current.runs).strip():
                self.blocks.append(self.current)
            self.current = None
        if tag in self._BOLD or (tag == "span" and self.spans and self.spans.pop()):
            self.bold = max(0, self.bold - 1)
        if tag == "sup":
            self.superscript = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_caption:
            target = self.table if self.table is not None else self.figure
            if target is not None:  # in_caption is set only inside a table or a figure
                target.caption += data
        elif self.cell is not None:
            self.cell.append(data)
        elif self.current is not None:
            text = " ".join(data.split("\n"))
            if text:
                self.current.runs.append(Run(text, bold=self.bold > 0, superscript=self.superscript))


def page_blocks(page: str) -> list[Block]:
    """The blocks of a report page's HTML, in order.

    Parameters
    ----------
    page : str
        The HTML of report.html (:func:`villagecon.report.page.render_page`).

    Returns
    -------
    list of Block
        Headings, paragraphs, tables and figures with their captions.
    """
    reader = _PageReader()
    reader.feed(page)
    reader.close()
    return reader.blocks


def write_docx(page: str, path: Path | str, *, created: dt.datetime) -> Path:
    """Write the report page ``page`` (HTML) as a Word document to ``path``; returns ``path``.

    Parameters
    ----------
    page : str
        The HTML of report.html.
    path : Path or str
        The .docx to write.
    created : datetime
        The document's date: fixed, so the same page gives the same bytes.

    Returns
    -------
    Path
        ``path``.
    """
    document = _new_document()
    body_blocks = page_blocks(page)
    title = next((b for b in body_blocks if b.kind == "title"), None)
    for block in body_blocks:
        _add_block(document, block)
    properties = document.core_properties
    properties.title = "".join(r.text for r in title.runs) if title else "村级集体经济年度报告"
    properties.author = properties.last_modified_by = "villagecon"
    properties.created = properties.modified = created
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)  # written straight into the report's staging folder, like the workbook
    path.write_bytes(_fixed_zip(buffer.getvalue(), created))
    return path


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated ``when``: a docx of the same page is the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


# --- the document -----------------------------------------------------------------------------------


def _new_document() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    styles = document.styles
    normal = styles["Normal"]
    _set_font(normal, BODY_FONT, Pt(16))
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True
    title = styles["Title"]
    _set_font(title, TITLE_FONT, Pt(22), colour=RGBColor(0, 0, 0))
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)
    _no_border(title)
    heading = styles["Heading 1"]
    _set_font(heading, HEADING_FONT, Pt(16), bold=False, colour=RGBColor(0, 0, 0))
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(0)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    heading.paragraph_format.line_spacing = Pt(28)
    caption = styles["Caption"]
    _set_font(caption, HEADING_FONT, Pt(12), bold=False, italic=False, colour=RGBColor(0, 0, 0))
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    caption.paragraph_format.line_spacing = Pt(20)
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(4), Pt(8)
    _fallback_fonts(document)
    _page_numbers(section)
    return document


def _set_font(
    style: Any,
    family: str,
    size: Length,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: RGBColor | None = None,
) -> None:
    font = style.font
    font.name, font.size = LATIN_FONT, size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = colour
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), family)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _no_border(style: Any) -> None:
    """The template's Title has a rule under it; a 公文 title has none."""
    properties = style.element.get_or_add_pPr()
    for border in properties.findall(qn("w:pBdr")):
        properties.remove(border)


def _fallback_fonts(document: DocumentObject) -> None:
    """Name each Chinese font's stand-in in the font table (w:altName), for Word on a machine without it."""
    fonts_part = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None
    )
    if fonts_part is None:
        return
    from lxml import etree

    table = etree.fromstring(fonts_part.blob)
    for name, stand_in in (
        (TITLE_FONT, TITLE_FALLBACK),
        (BODY_FONT, BODY_FALLBACK),
        (HEADING_FONT, "SimHei"),
        (PAGE_NUMBER_FONT, "SimSun"),
    ):
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        alternative = etree.SubElement(font, qn("w:altName"))
        alternative.set(qn("w:val"), stand_in)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    fonts_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(section: Section) -> None:
    """ "— 1 —" centred at the foot of every page."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field_code in (("— ", None), (None, "PAGE"), (" —", None)):
        run = paragraph.add_run()
        run.font.size = Pt(14)
        run.font.name = LATIN_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
        if text is not None:
            run.text = text
            continue
        for kind, instruction in (("begin", None), (None, field_code), ("separate", None), (None, "1"), ("end", None)):
            if kind is not None:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif instruction == field_code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {field_code} "
            else:
                element = OxmlElement("w:t")
                element.text = instruction
            run._element.append(element)


def _add_block(document: DocumentObject, block: Block) -> None:
    if block.kind == "title":
        document.add_paragraph(_plain(block), style="Title")
    elif block.kind == "heading":
        document.add_paragraph(_plain(block), style="Heading 1")
    elif block.kind == "paragraph":
        _add_paragraph(document, block)
    elif block.kind == "table":
        _add_table(document, block)
    elif block.kind == "figure":
        _add_figure(document, block)


def _plain(block: Block) -> str:
    return "".join(run.text for run in block.runs).strip()


def _add_paragraph(document: DocumentObject, block: Block) -> None:
    paragraph = document.add_paragraph()
    classes = block.css.split()
    if "office" in classes:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(16)
    elif "muted" in classes or "note" in classes:
        paragraph.paragraph_format.line_spacing = Pt(22)
    else:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of the 16 pt body
    text_runs = block.runs
    for number, piece in enumerate(text_runs):
        text = piece.text.lstrip() if number == 0 else piece.text
        if number == len(text_runs) - 1:
            text = text.rstrip()
        run = paragraph.add_run(text)
        run.bold = piece.bold or None
        if piece.superscript:
            run.font.superscript = True
        if "muted" in classes or "note" in classes:
            run.font.size = Pt(12)
            if "muted" in classes:
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _add_table(document: DocumentObject, block: Block) -> None:
    if block.caption:
        caption = document.add_paragraph(block.caption.strip(), style="Caption")
        caption.paragraph_format.keep_with_next = True
    width = max((len(cells) for cells, _ in block.rows), default=0)
    if not width:
        return
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, css in block.rows:
        row = table.add_row()
        header = all(is_header for _, is_header in cells)
        if header:
            _repeat_as_header(row)
        for column, (text, is_header) in enumerate(cells):
            paragraph = row.cells[column].paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing = Pt(18)
            paragraph.paragraph_format.keep_with_next = header
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER
                if header
                else WD_ALIGN_PARAGRAPH.LEFT
                if column == 0
                else WD_ALIGN_PARAGRAPH.RIGHT
            )
            run = paragraph.add_run(text)
            run.font.size = Pt(12)
            run.bold = (is_header or "city" in css.split()) or None


def _repeat_as_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    properties.append(no_split)


def _add_figure(document: DocumentObject, block: Block) -> None:
    if not block.image:
        return
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Pt(0)
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact 28 pt would crop it
    picture.paragraph_format.keep_with_next = True  # the caption stays with it
    picture.paragraph_format.keep_together = True
    picture.paragraph_format.space_before = Pt(6)
    width, height = _figure_size(block.image)
    picture.add_run().add_picture(io.BytesIO(block.image), width=width, height=height)
    if block.caption:
        document.add_paragraph(block.caption.strip(), style="Caption")


def _figure_size(png: bytes) -> tuple[int, int]:
    """The text width, or less where the figure would be taller than :data:`_FIGURE_HEIGHT` (EMU)."""
    pixel_width = int.from_bytes(png[16:20], "big")  # the IHDR chunk
    pixel_height = int.from_bytes(png[20:24], "big")
    width = int(_TEXT_WIDTH)
    height = width * pixel_height // max(pixel_width, 1)
    if height > _FIGURE_HEIGHT:
        width = int(width * _FIGURE_HEIGHT / height)
        height = int(_FIGURE_HEIGHT)
    return width, height
