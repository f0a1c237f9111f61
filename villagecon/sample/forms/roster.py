"""The 村党组织书记花名册 workbook, as organisation departments keep it.

The city's 花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell, 来源 as written), and for one township a
历任书记 sheet (a term split at an election, 书记 then 书记兼主任) and a 两委班子 sheet (header over two rows, a
section row, other posts). Every spell of the truth is in it and reads back exactly.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from villagecon.sample.documents import ROSTER_FILE, SYNTHETIC, SYNTHETIC_NOTE, Document, Sheet
from villagecon.sample.process import ELECTIONS, stream
from villagecon.sample.world import World, is_missing, villages_of
from villagecon.vocab import chenzhou

__all__ = [
    "BACKGROUND_REWORDED",
    "BACKGROUND_WRITTEN",
    "EDUCATION",
    "RANGE_STYLES",
    "ROSTER_COMMITTEE_HEADER",
    "ROSTER_HISTORY_HEADER",
    "ROSTER_MAIN_HEADER",
    "ROSTER_SHEET",
    "RosterForms",
    "roster_workbook",
]

ROSTER_SHEET = "花名册（合成样例）"
ROSTER_MAIN_HEADER = (
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
)
ROSTER_HISTORY_HEADER = ("序号", "村", "姓名", "职务", "任职起止时间", "来源", "备注")
ROSTER_COMMITTEE_HEADER = (
    "序号",
    "村（社区）",
    "姓名",
    "职务",
    "性别",
    "出生年月",
    "学历",
    "新任/连任",
    "任职时间",
    None,
    "来源",
    "导师",
    "培训天数",
    "荣誉",
    "备注",
)
# 来源 as clerks write it: other words for the article's five categories, and for 其他 what the person was
# (every one of them is read as the category the truth has).
BACKGROUND_WRITTEN = {
    "返乡大学生": ("大学生村官", "高校毕业生"),
    "退役军人": ("退伍军人", "退役士兵"),
    "致富能手": ("种养大户", "致富带头人"),
    "经商返乡人员": ("返乡创业人员", "外出经商返乡人员"),
    "其他": ("外出务工返乡", "选派干部", "村医", "退休干部"),
}
BACKGROUND_REWORDED = 0.4  # share of invented secretaries whose 来源 is written in other words
# How a county writes 任职起止时间 (by the county's position in chenzhou.COUNTY_CODES): (range, in office).
RANGE_STYLES = (("{a}—{b}", "{a}—至今"), ("{a}-{b}", "{a}-至今"), ("{a}—{b}", "{a}至今"), ("{a}—{b}", "{a}—"))
EDUCATION = ("初中", "高中", "中专", "大专", "本科")


@dataclass
class RosterForms:
    """The roster workbook and what it holds besides the truth's spells.

    ``township`` is (county, township) of the 历任书记 and 两委班子 sheets, ``villages`` how many villages its
    两委班子 sheet lists; ``split`` the secretary whose term is
    written in two rows at an election (书记, then 书记兼主任) with the election's date, or None; ``committee`` the
    two-committee rows of other posts (village, name, role, start); ``reworded`` how many spells have a 来源
    written in other words.
    """

    document: Document
    township: tuple[str, str]
    villages: int
    split: tuple[str, str, dt.date] | None
    committee: pd.DataFrame
    reworded: int
    huanjie: dt.date | None


def roster_workbook(world: World, seed: int) -> RosterForms:
    """The 村党组织书记花名册 workbook: the city's 花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell, 来源 as
    written), and for one township a 历任书记 sheet and a 两委班子 sheet (section row, header over two rows).

    Every spell of the truth is in it, read back exactly: a spell across the last 换届 is two rows, the term before
    it and the 连任 row from it; the township's current terms are on its 两委班子 sheet only (the same current
    spell twice would overlap itself), its earlier rows on its 历任书记 sheet (and, for the spells that ended, on
    the 花名册 too: the same rows, which join).

    Parameters
    ----------
    world : World
        The drawn world (:func:`~villagecon.sample.world.draw_world`).
    seed : int
        The sample's seed (each form draws from its own stream).

    Returns
    -------
    RosterForms
    """
    roster = world.roster.reset_index(drop=True)
    years = world.years
    elections = [e for e in ELECTIONS if e.year <= years[-1]]
    huanjie = elections[-1] if elections else None
    township, split = _roster_township(world, roster, years)
    rng = stream(seed, ROSTER_FILE)
    people = _roster_people(rng, roster)
    order = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    rows = []
    for index, (_, spell) in enumerate(roster.iterrows()):
        split_at = (
            split[2] if split is not None and spell["name"] == split[1] and spell["village"] == split[0] else None
        )
        rows += _term_rows(spell, people[index], huanjie=huanjie, split_at=split_at)
    terms = pd.DataFrame(rows)
    terms["county_order"] = terms["county"].map(order)
    terms = terms.sort_values(["county_order", "village_code", "start"], kind="stable").reset_index(drop=True)
    here = terms["county"].eq(township[0]) & terms["township"].eq(township[1])
    ended_spell = terms["spell_end"].notna()
    main = terms.loc[~here | ended_spell]
    history = terms.loc[here & terms["end"].notna()]
    current = terms.loc[here & terms["end"].isna()]
    committee_rng = stream(seed, f"{ROSTER_FILE} 两委班子")
    committee_sheet, committee = _committee_sheet(world, committee_rng, current, township, roster, huanjie)
    document = Document(
        ROSTER_FILE,
        [_main_sheet(main, township, huanjie), _history_sheet(history, township), committee_sheet],
        "roster",
        "",
        what=f'村党组织书记花名册 (是否"一肩挑", 新任/连任, 任职起止时间 in one cell, 来源 as written), '
        f"{township[1]}'s 历任书记 and 两委班子 sheets (not a ledger)",
    )
    reworded = int(sum(p["background_written"] != s for p, s in zip(people, roster["background"], strict=True)))
    return RosterForms(document, township, current["village_code"].nunique(), split, committee, reworded, huanjie)


def _roster_township(
    world: World, roster: pd.DataFrame, years: list[int]
) -> tuple[tuple[str, str], tuple[str, str, dt.date] | None]:
    """The township of the 历任书记 and 两委班子 sheets, and the secretary whose term is split there.

    The split is a secretary in office at the end, 书记兼主任 in the truth, who took office before an election
    that comes before the first 31 December of the sample: written 书记 until that election and 书记兼主任 from
    it, the role the truth gives is the one held on every 31 December of the sample. The township: the one with
    the most villages among those with such a secretary (the largest one when none has).
    """
    first_year_end = dt.date(years[0], 12, 31)
    candidates: dict[tuple[str, str], tuple[str, str, str, dt.date]] = {}
    for spell in _records(roster):
        if not is_missing(spell.end) or spell.role != "书记兼主任" or spell.name in chenzhou.ARTICLE_PEOPLE:
            continue
        before = [e for e in ELECTIONS if spell.start < e <= first_year_end]
        if before:
            candidates.setdefault(
                (spell.county, spell.township), (spell.village_code, spell.village, spell.name, before[-1])
            )
    sizes = {
        (county, township): len(villages_of(world, county, township))
        for county, townships in chenzhou.TOWNSHIPS.items()
        for township in townships
    }
    pool = candidates or sizes
    place = max(pool, key=lambda p: (sizes[p], -list(sizes).index(p)))
    if place not in candidates:
        return place, None
    _, village, name, election = candidates[place]
    return place, (village, name, election)


def _roster_people(rng: np.random.Generator, roster: pd.DataFrame) -> list[dict[str, Any]]:
    """性别, 出生年月, 学历 and 来源 as written, per spell (invented; left empty for the article's people)."""
    people = []
    for spell in _records(roster):
        gender = "男" if rng.random() < 0.85 else "女"
        born = dt.date(spell.start.year - int(rng.integers(27, 51)), int(rng.integers(1, 13)), 1)
        schooling = str(
            rng.choice(
                EDUCATION[3:] if spell.background == "返乡大学生" else EDUCATION,
                p=None if spell.background == "返乡大学生" else [0.15, 0.3, 0.15, 0.25, 0.15],
            )
        )
        reword, wording = rng.random() < BACKGROUND_REWORDED, rng.choice(BACKGROUND_WRITTEN[spell.background])
        if spell.name in chenzhou.ARTICLE_PEOPLE:
            people.append({"gender": None, "born": None, "schooling": None, "background_written": spell.background})
            continue
        people.append(
            {
                "gender": gender,
                "born": f"{born.year}.{born.month:02d}",
                "schooling": schooling,
                "background_written": str(wording) if reword else spell.background,
            }
        )
    return people


def _term_rows(
    spell: pd.Series, person: dict[str, Any], *, huanjie: dt.date | None, split_at: dt.date | None
) -> list[dict[str, Any]]:
    """A spell as the roster's rows: one, or the term before the 换届 and the 连任 one from it; and for the split
    secretary also 书记 until ``split_at``. 导师, 培训天数 and 荣誉 (of the spell) are on its last row."""
    start, end = spell["start"], None if is_missing(spell["end"]) else spell["end"]
    cuts = sorted({d for d in (split_at, huanjie) if d is not None and start < d and (end is None or d <= end)})
    bounds = [start, *cuts]
    rows = []
    for number, begin in enumerate(bounds):
        last = number == len(bounds) - 1
        finish = end if last else bounds[number + 1] - dt.timedelta(days=1)
        role = "书记" if split_at is not None and begin < split_at else spell["role"]
        term = None
        if huanjie is not None and begin >= huanjie:
            term = "连任" if number > 0 else "新任"
        rows.append(
            {
                "county": spell["county"],
                "township": spell["township"],
                "village": spell["village"],
                "village_code": spell["village_code"],
                "name": spell["name"],
                "role": role,
                "start": begin,
                "end": finish,
                "spell_end": end,
                "term": term,
                **person,
                "mentor": spell["mentor"] if last else None,
                "training_days": spell["training_days"] if last else None,
                "honours": spell["honours"] if last else None,
                "continues": not last,
                "changes_role": not last and role != spell["role"],
            }
        )
    return rows


def _records(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``frame`` as named tuples (pandas-stubs types each field as any scalar, so they are Any here)."""
    return frame.itertuples(index=False)


def _month(day: dt.date) -> str:
    return f"{day.year}.{day.month:02d}"


def _range_text(start: dt.date, end: dt.date | None, style: int) -> str:
    closed, open_ = RANGE_STYLES[style % len(RANGE_STYLES)]
    if style % len(RANGE_STYLES) == 2:  # 2017年4月至今, 2011年1月—2017年3月
        a = f"{start.year}年{start.month}月"
        b = None if end is None else f"{end.year}年{end.month}月"
    else:
        a, b = _month(start), None if end is None else _month(end)
    return open_.format(a=a) if end is None else closed.format(a=a, b=b)


def _main_sheet(terms: pd.DataFrame, township: tuple[str, str], huanjie: dt.date | None) -> Sheet:
    header = ROSTER_MAIN_HEADER
    sheet = Sheet(
        ROSTER_SHEET, widths={1: 8, 2: 12, 3: 12, 4: 8, 6: 9, 8: 10, 9: 9, 10: 18, 11: 14, 12: 8, 14: 16, 15: 10}
    )
    last = len(header) - 1
    title = f"郴州市村（社区）党组织书记花名册（{SYNTHETIC}，文中人物以外人名均为虚构）"
    sheet.merges.append((sheet.append([title]), 0, 0, last))
    when = f"{huanjie.year}年{huanjie.month}月" if huanjie is not None else "最近一次"
    name = township[1]
    row = sheet.append(
        [
            f"填表说明：任职起止时间填写到月，在任的填写至今；新任/连任按{when}村“两委”换届填写，"
            f"连任的换届前任期另列一行；{name}现任书记见《{name}两委班子》表，换届前任期见"
            f"《{name}历任书记》表。"
        ]
    )
    sheet.merges.append((row, 0, row, last))
    sheet.append(list(header))
    styles = {county: i for i, county in enumerate(chenzhou.COUNTY_CODES)}
    blocks: list[int] = []  # first row of each county: 县市区 is merged over the county's rows
    for number, term in enumerate(_records(terms), start=1):
        first = not blocks or sheet.rows[blocks[-1]][1] != term.county
        row = sheet.append(
            [
                number,
                term.county,
                term.township,
                term.village,
                term.name,
                term.gender,
                term.born,
                term.schooling,
                "是" if term.role == "书记兼主任" else "否",
                term.term,
                _range_text(term.start, None if is_missing(term.end) else term.end, styles[term.county]),
                term.background_written,
                term.mentor,
                None if is_missing(term.training_days) else int(term.training_days),
                term.honours,
                "已离任" if not term.continues and not is_missing(term.end) else None,
            ]
        )
        if first:
            blocks.append(row)
    ends = [*blocks[1:], len(sheet.rows)]
    for begin, end in zip(blocks, ends, strict=True):
        for r in range(begin + 1, end):
            sheet.rows[r][1] = None
        if end - 1 > begin:
            sheet.merges.append((begin, 1, end - 1, 1))
    _roster_footer(sheet, last)
    return sheet


def _post(role: str, general: bool) -> str:
    """职务 as written: 党支部书记 or 党总支书记, 、村委会主任 for 一肩挑 (never plain 书记)."""
    branch = "党总支书记" if general else "党支部书记"
    return f"{branch}、村委会主任" if role == "书记兼主任" else branch


def _general_branch(village_code: str) -> bool:
    """Whether the village's Party organisation is a 党总支 (a steady habit of the village, invented)."""
    return zlib.crc32(village_code.encode()) % 3 == 0


def _history_sheet(terms: pd.DataFrame, township: tuple[str, str]) -> Sheet:
    county, name = township
    sheet = Sheet(f"{name}历任书记（合成样例）", widths={1: 12, 3: 22, 4: 18, 5: 14, 6: 22})
    last = len(ROSTER_HISTORY_HEADER) - 1
    sheet.merges.append(
        (sheet.append([f"{county}{name}历任村党组织书记名录（{SYNTHETIC}，人名均为虚构）"]), 0, 0, last)
    )
    sheet.append(list(ROSTER_HISTORY_HEADER))
    for number, term in enumerate(_records(terms), start=1):
        if term.changes_role:
            note = f"{term.end.year + 1}年1月换届后兼任村委会主任"
        elif term.continues:
            note = f"{term.end.year + 1}年1月换届连任"
        else:
            note = "离任"
        sheet.append(
            [
                number,
                term.village,
                term.name,
                _post(term.role, _general_branch(term.village_code)),
                _range_text(term.start, term.end, 0),
                term.background_written,
                note,
            ]
        )
    _roster_footer(sheet, last)
    return sheet


def _committee_sheet(
    world: World,
    rng: np.random.Generator,
    current: pd.DataFrame,
    township: tuple[str, str],
    roster: pd.DataFrame,
    huanjie: dt.date | None,
) -> tuple[Sheet, pd.DataFrame]:
    """The township's 两委班子 in office at the end: the secretary, 驻村第一书记 (some villages), 党支部副书记,
    村委会主任 (where the secretary is not 一肩挑) and 委员, every one but the secretary invented."""
    county, name = township
    header = ROSTER_COMMITTEE_HEADER
    last = len(header) - 1
    sheet = Sheet(f"{name}两委班子（合成样例）", widths={1: 12, 3: 22, 8: 9, 9: 9, 10: 14, 13: 16})
    sheet.merges.append(
        (sheet.append([f"{county}{name}村（社区）“两委”班子成员花名册（{SYNTHETIC}，人名均为虚构）"]), 0, 0, last)
    )
    top = sheet.append(list(header))
    sheet.append([None] * 8 + ["起", "止"] + [None] * 5)
    sheet.merges += [(top, col, top + 1, col) for col in range(len(header)) if col not in (8, 9)]
    sheet.merges.append((top, 8, top, 9))
    villages = current.drop_duplicates("village_code")
    row = sheet.append([f"一、{name}（共{len(villages)}个村）"])
    sheet.merges.append((row, 0, row, last))
    used = set(roster["name"]) | set(chenzhou.ARTICLE_PEOPLE)
    names = iter([n for n in chenzhou.person_name_pool(rng, size=len(used) + 12 * len(villages) + 64) if n not in used])
    elected = _month(huanjie) if huanjie is not None else None
    members = []
    number = 0
    for secretary in _records(current):
        posts = [(secretary.name, _post(secretary.role, _general_branch(secretary.village_code)), secretary)]
        if rng.random() < 0.4:
            posts.append((next(names), "驻村第一书记", None))
        posts.append((next(names), "党支部副书记", None))
        if secretary.role != "书记兼主任":
            posts.append((next(names), "村委会主任", None))
        posts += [
            (next(names), str(rng.choice(("支部委员", "村委会委员"))), None) for _ in range(int(rng.integers(1, 4)))
        ]
        first = None
        for person, post, spell in posts:
            number += 1
            if spell is not None:
                cells = [
                    spell.gender,
                    spell.born,
                    spell.schooling,
                    spell.term,
                    _month(spell.start),
                    None,
                    spell.background_written,
                    spell.mentor,
                    None if is_missing(spell.training_days) else int(spell.training_days),
                    spell.honours,
                ]
            else:
                since = huanjie.year if huanjie is not None else world.years[0]
                start = (
                    _month(
                        dt.date(
                            int(rng.integers(since, max(since, world.years[-1]) + 1)), int(rng.choice((3, 6, 9))), 1
                        )
                    )
                    if post == "驻村第一书记" or elected is None
                    else elected
                )
                gender = "男" if rng.random() < 0.7 else "女"
                born = f"{int(rng.integers(1965, 1998))}.{int(rng.integers(1, 13)):02d}"
                schooling = str(rng.choice(EDUCATION))
                term = str(rng.choice(("新任", "连任"))) if post != "驻村第一书记" else "新任"
                cells = [
                    gender,
                    born,
                    schooling,
                    term,
                    start,
                    None,
                    "选派干部" if post == "驻村第一书记" else None,
                    None,
                    None,
                    None,
                ]
                members.append({"village": secretary.village, "name": person, "role": post, "start": start})
            row = sheet.append([number, secretary.village if first is None else None, person, post, *cells, None])
            first = row if first is None else first
        if first is not None and row > first:
            sheet.merges.append((first, 1, row, 1))  # 村 merged over the village's rows
    _roster_footer(sheet, last)
    return sheet, pd.DataFrame(members, columns=["village", "name", "role", "start"])


def _roster_footer(sheet: Sheet, last: int) -> None:
    sheet.append(["填表人：李娟", None, None, "审核人：周平", None, None, "填报日期：2024年1月"][: last + 1])
    sheet.append([SYNTHETIC_NOTE])
