"""What a sheet says about all the amounts of a table: year, unit and places, and where each came from.

The rows above a table's header (a title, a ``单位：万元`` line, an ``编制单位：XX村`` line, a date line
``2017年12月31日``), then the sheet's name, then the file's name. The more specific wins: a title's year beats
the sheet name's, which beats the file name's; a disagreement between them is kept as a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from villagecon.amounts import unit_from_text
from villagecon.ingest.cells import SheetCells
from villagecon.ingest.places import TOWNSHIP, VILLAGE, place_level, split_place_name
from villagecon.years import year_in_text

# An organisation line above a statement: 编制单位：汝城县濠头乡上河村股份经济合作社.
_ORGANISATION = re.compile(r"(?:编制单位|填报单位|填表单位|报送单位|报表单位|单位名称|核算单位)\s*[:：]\s*"
                           r"(?P<name>[^\s:：]+)")
_GENERIC_SHEET = re.compile(r"^(?:sheet|表|工作表)\s*\d*(?:\s*\(\d+\))?$", re.IGNORECASE)
# A title names its places first; what follows a year or the table's name is not a place.
_TITLE_TAIL = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年|村级|村集体|收益|资产负债|集体经济|统计|"
                         r"台账|明细|报表|汇总|[（(]")
_TITLE_PLACES_LENGTH = 200


@dataclass
class Context:
    """Year, unit and places a sheet gives all its amounts, each with where it was found."""

    year: int | None = None
    year_source: str | None = None
    year_problem: str | None = None
    unit: str | None = None
    unit_source: str | None = None
    county: str | None = None
    county_source: str | None = None
    township: str | None = None
    township_source: str | None = None
    village: str | None = None
    village_source: str | None = None
    notes: list[str] = field(default_factory=list)


def preamble_kinds(cells: SheetCells, rows: pd.Index) -> dict[int, str]:
    """Kind of each row above a table's header: unit (a 单位 or 编制单位 line), title, or blank."""
    kinds = {}
    for row in rows:
        texts = [t for t in cells.text.loc[row] if t]
        if not texts:
            kinds[row] = "blank"
        elif any(unit_from_text(t) or _ORGANISATION.search(t) for t in texts) or all(map(_is_date_line, texts)):
            kinds[row] = "unit"
        else:
            kinds[row] = "title"
    return kinds


def _is_date_line(text: str) -> bool:
    """A line that dates the statement: 2022年度, 2017年12月31日, 2022年1-12月."""
    return bool(re.fullmatch(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年(?:度|\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|"
                             r"\s*1\s*[-—~至]\s*12\s*月)?", unicodedata.normalize("NFKC", text).strip()))


def sheet_context(cells: SheetCells, preamble: pd.Index, *, file: str, sheet: str, unit: str | None) -> Context:
    """The context of a table: from its ``preamble`` rows, then the sheet's and file's names, then ``unit``."""
    texts = [t for row in preamble for t in cells.text.loc[row] if t]
    context = Context()
    file_stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    _year(context, [("the title", t) for t in texts if not _is_footer_date(t)]
          + [("the sheet name", sheet), ("the file name", file_stem)])
    for source, text in [*(("the 单位 line", t) for t in texts), ("the file name", file_stem)]:
        if found := unit_from_text(text):
            context.unit, context.unit_source = found, source
            break
    else:
        if unit is not None:
            context.unit, context.unit_source = unit, "unit="
    _places(context, texts, sheet)
    return context


def _is_footer_date(text: str) -> bool:
    return bool(re.match(r"^(?:报出|填报|填表|制表|报送)日期", text))


def _year(context: Context, candidates: list[tuple[str, str]]) -> None:
    found: list[tuple[str, int]] = []
    problem = None
    for source, text in candidates:
        year, why = year_in_text(text)
        if year is not None:
            found.append((source, year))
        problem = problem or why
    if found:
        (context.year_source, context.year), *others = found
        for source, year in others:
            if year != context.year and source != context.year_source:
                context.notes.append(f"{source} says {year}, {context.year_source} says {context.year}: "
                                     f"{context.year} is used")
                break
    else:
        context.year_problem = problem


def _places(context: Context, texts: list[str], sheet: str) -> None:
    """Places of the sheet: an 编制单位 line, else the sheet's name and the title (the sheet name's village
    first: a sheet copied for the next village often keeps the old title)."""
    for text in texts:
        if match := _ORGANISATION.search(unicodedata.normalize("NFKC", text)):
            county, township, village = split_place_name(match["name"])
            if village and place_level(match["name"]) != VILLAGE:
                village = None
            if village or township:
                _found(context, "the 编制单位 line", county=county, township=township, village=village)
                return
    if texts:
        county, township, village = title_places(texts[0])
        _found(context, "the title", county=county, township=township, village=village)
    name = re.sub(r"[（(].*?[)）]$", "", sheet.strip())
    if not name or _GENERIC_SHEET.match(name):
        return
    level = place_level(name)
    _, sheet_township, sheet_village = split_place_name(name)
    if level == VILLAGE and sheet_village:
        if context.village and context.village != sheet_village:
            context.notes.append(f"the sheet name says {sheet_village}, the title says {context.village}: "
                                 f"{sheet_village} is used")
        context.village = None
        _found(context, "the sheet name", township=sheet_township, village=sheet_village)
    elif level == TOWNSHIP and sheet_township:
        _found(context, "the sheet name", township=sheet_township)


def _found(context: Context, source: str, **places: str | None) -> None:
    """Set the places not yet known, each with where it was found."""
    for level, name in places.items():
        if name and getattr(context, level) is None:
            setattr(context, level, name)
            setattr(context, f"{level}_source", source)


def title_places(title: str) -> tuple[str | None, str | None, str | None]:
    """County, township and village a title names at its start (``汝城县濠头乡上河村收益分配表``)."""
    title = unicodedata.normalize("NFKC", title[:_TITLE_PLACES_LENGTH]).replace(" ", "").replace("\u3000", "")
    head = _TITLE_TAIL.split(title, maxsplit=1)[0]
    if not head:
        return None, None, None
    county, township, village = split_place_name(head)
    if village and place_level(village) != VILLAGE:
        village = None
    return county, township, village
