"""The secretary roster (村党组织书记花名册): spells in office, and tenure per village-year.

A roster has one row per secretary spell: who (姓名), where (村, and optionally 县市区,
乡镇 and the village code), from when to when (任职起始; 任职结束 empty or 至今 while in
office), 职务 (书记, or 书记兼主任 when one person holds both posts: 一肩挑), 来源, 导师,
培训天数 and 荣誉. Headers are matched through :data:`COLUMN_SYNONYMS` (村名, 任职时间,
离任时间, …), as the ledger cleaner does.

:func:`read_roster` reads a workbook or CSV into spells; every row it cannot use
(an unreadable date, an end before the start, two spells at once in one village, a
village missing from the register) is refused with its file, sheet, row and cell.
:func:`villagecon.analysis.tenure.tenure` gives every village-year of the accounts the secretary in office
on 31 December.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from villagecon import schemas
from villagecon.errors import Location, RosterError, UsageError
from villagecon.ingest import files as io
from villagecon.ingest.cells import filled_across_and_down, merged_down, sheet_cells
from villagecon.ingest.headers import NotALedger, find_tables, header_layers
from villagecon.ingest.register import register_table
from villagecon.ingest.roster_cells import (
    BACKGROUND_SYNONYMS,
    BACKGROUNDS,
    ONE_SHOULDER,
    OTHER_ROLE_COLUMNS,
    ROLES,
    parse_date,
    read_cells,
)
from villagecon.ingest.roster_spells import (
    SAME_SPELL_GAP_DAYS,
    join_spells_of_one_person,
    place_spells,
    refuse_overlaps,
)
from villagecon.ingest.rows import township_in
from villagecon.ingest.words import FOOTER_PATTERN, Vocabulary
from villagecon.schemas import REJECT_COLUMNS, ROSTER_COLUMNS
from villagecon.vocab import synonyms
from villagecon.vocab.synonyms import header_key

# The roster's words, its reject columns (the ledger's) and parse_date are also named here, where callers found
# them before the roster was split.
__all__ = [
    "BACKGROUNDS",
    "BACKGROUND_SYNONYMS",
    "COLUMN_SYNONYMS",
    "ONE_SHOULDER",
    "OTHER_ROLE_COLUMNS",
    "REJECT_COLUMNS",
    "ROLES",
    "ROSTER_COLUMNS",
    "ROSTER_VOCABULARY",
    "SAME_SPELL_GAP_DAYS",
    "parse_date",
    "read_roster",
    "read_roster_tables",
    "read_roster_with_rejects",
]

log = logging.getLogger(__name__)


_IGNORED = "ignored"
# Roster header -> spellings seen in 花名册 (compared through synonyms.header_key).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "county": synonyms.ROLE_SYNONYMS[synonyms.COUNTY],
    "township": synonyms.ROLE_SYNONYMS[synonyms.TOWNSHIP],
    "village": (*synonyms.ROLE_SYNONYMS[synonyms.VILLAGE], "所在村", "村名(社区)", "村(社区)名"),
    "village_code": synonyms.ROLE_SYNONYMS[synonyms.VILLAGE_CODE],
    "name": ("姓名", "书记姓名", "党组织书记姓名", "村党组织书记", "党组织书记", "书记", "name", "secretary"),
    "role": ("职务", "现任职务", "担任职务", "任职职务", "职位", "党内职务", "现任党内职务", "role", "position"),
    "one_shoulder": (
        "是否一肩挑",
        "一肩挑",
        "是否书记主任一肩挑",
        "是否书记、主任一肩挑",
        "是否兼任村委会主任",
        "是否兼任主任",
        "书记主任是否一肩挑",
    ),
    "term": ("新任/连任", "新任或连任", "新任连任", "是否连任", "新任/留任", "换届情况", "任职类型"),
    "range": ("任职起止时间", "任职起止", "任职起止年月", "起止时间", "任职期间", "任期"),
    "start": (
        "任职起始",
        "任职起始时间",
        "任职起始日期",
        "任职时间",
        "开始任职时间",
        "任职开始时间",
        "任职开始",
        "起始时间",
        "上任时间",
        "到任时间",
        "任现职时间",
        "任职日期",
        "start",
        "start_date",
    ),
    "end": (
        "任职结束",
        "任职结束时间",
        "任职结束日期",
        "离任时间",
        "离任日期",
        "卸任时间",
        "离任",
        "结束时间",
        "end",
        "end_date",
    ),
    "background": ("来源", "人员来源", "书记来源", "类别", "人员类别", "身份", "来源类别", "人员身份", "background"),
    "mentor": ("导师", "帮带导师", "联系导师", "mentor"),
    "training_days": ("培训天数", "参训天数", "培训时长", "training_days"),
    "honours": ("荣誉", "荣誉称号", "获得荣誉", "表彰", "表彰情况", "获奖情况", "honours", "honors"),
    _IGNORED: (
        *synonyms.ROLE_SYNONYMS[synonyms.IGNORED],
        "性别",
        "民族",
        "出生年月",
        "出生日期",
        "年龄",
        "学历",
        "文化程度",
        "政治面貌",
        "入党时间",
        "联系电话",
        "手机号码",
        "身份证号",
        "身份证号码",
        "籍贯",
        "全日制学历",
        "在职学历",
        "参加工作时间",
        "任职年限",
        "工作简历",
        "学位",
        "职称",
        "毕业院校",
        "专业",
    ),
}
_WHERE = ("village", "village_code")  # at least one of these

# A spouse of the synonyms table: ledger words map to different columns here, so the roster has its own index.
_BY_KEY: dict[str, str] = {}
for _column, _spellings in COLUMN_SYNONYMS.items():
    for _spelling in (*_spellings, _column):
        if _BY_KEY.setdefault(header_key(_spelling), _column) != _column:
            raise AssertionError(
                f"roster synonym {_spelling!r} maps to both {_BY_KEY[header_key(_spelling)]} and {_column}"
            )


# --- reading ----------------------------------------------------------------------------------------------


def read_roster(
    path: Path | str, *, register: Path | str | pd.DataFrame | None = None, errors: str = "raise"
) -> pd.DataFrame:
    """Read a secretary roster (花名册) workbook or CSV into one row per spell in office.

    Parameters
    ----------
    path : path-like
        An .xlsx/.xls/.csv file. Every sheet with a roster header (姓名, 村 or a village
        code, 任职起始 or a synonym of :data:`COLUMN_SYNONYMS`) is read; the others are
        skipped. Titles above the header, blank rows, repeated headers and notes
        (注：…, 填表人) are skipped; merged cells count for every row they cover.
    register : path-like or DataFrame, optional
        The village register. With it every spell gets the register's county,
        township, village and village_code, and a village it lacks is refused.
        Without it the village name is normalised (:func:`villagecon.vocab.names.village_key`),
        as the ledger cleaner does without a register.
    errors : {"raise", "coerce"}
        ``"raise"``: any row that cannot be used raises :class:`RosterError` listing
        every such row. ``"coerce"``: those rows are left out and logged as warnings;
        :func:`read_roster_with_rejects` returns them as a table instead.

    Returns
    -------
    DataFrame
        One row per spell, columns :data:`ROSTER_COLUMNS`:

        - county, township, village, village_code: where (village_code missing
          without a register unless the roster has codes);
        - name: the secretary, inner spaces removed;
        - role: 书记, or 书记兼主任 (also village committee director, 一肩挑);
          missing when the roster does not say;
        - start: the first day of the spell (the 1st of the month when only a month is
          given, 1 January when only a year is given);
        - end: the last day in office (the last day of the month when only a month
          is given); NaT while in office (empty, 至今);
        - background: one of :data:`BACKGROUNDS`;
        - mentor, honours: text, missing when empty or 无;
        - training_days: float (half days exist);
        - source: ``file!sheet!row``.

        Sorted by village and start. The input file is never changed.

    Raises
    ------
    RosterError
        No sheet has a roster header, a header cell is unknown, or (with
        ``errors="raise"``) a row cannot be used: the message names file, sheet,
        row and cell of each.

    Notes
    -----
    Two spells of one village overlap when one certainly starts before the
    other ends: a handover within the same day, or within the same month when a
    date gives only the month, is not an overlap. Both overlapping rows are refused,
    never one chosen. An end given only as a year is refused (it cannot tell
    whether the secretary was in office on 31 December); a start given only as a
    year is kept (completed years in office do not depend on the month).
    """
    if errors not in ("raise", "coerce"):
        raise UsageError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    spells, rejects = read_roster_with_rejects(path, register=register)
    if rejects.empty:
        return spells
    if errors == "raise":
        first = rejects.iloc[0]
        file, sheet, row = first["source"].rsplit("!", 2)
        listed = "; ".join(f"{r.source} {r.cell}: {r.reason}" for r in rejects.head(10).itertuples())
        more = f" (and {len(rejects) - 10} more)" if len(rejects) > 10 else ""
        raise RosterError(
            f"{len(rejects)} roster cell(s) cannot be used: {listed}{more}",
            where=Location(file, sheet or None, int(row), first["cell"]),
            hint="Correct the roster, or pass errors='coerce' to leave these rows out",
        )
    for reject in rejects.itertuples():
        log.warning("roster %s %s left out: %s", reject.source, reject.cell, reject.reason)
    log.warning(
        "roster %s: %d row(s) left out, %d spell(s) kept", Path(path).name, rejects["source"].nunique(), len(spells)
    )
    return spells


def read_roster_with_rejects(
    path: Path | str, *, register: Path | str | pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Like :func:`read_roster_tables`, without the other posts.

    Returns
    -------
    spells, rejects : DataFrame
        As :func:`read_roster_tables` returns them.
    """
    spells, _, rejects = read_roster_tables(path, register=register)
    return spells, rejects


def read_roster_tables(
    path: Path | str, *, register: Path | str | pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Like :func:`read_roster`, but return the rows that cannot be used instead of raising.

    Returns
    -------
    spells : DataFrame
        As :func:`read_roster` returns.
    others : DataFrame
        The rows of other posts of a 两委班子 roster — 第一书记, 副书记, 村委会主任, 委员 — as
        :data:`OTHER_ROLE_COLUMNS`: never a secretary's spell, never overlapping one.
    rejects : DataFrame
        One row per cell that cannot be used, columns :data:`REJECT_COLUMNS` (those
        of the ledger's rejects.csv): source (``file!sheet!row``), cell (``G7``),
        column (the header as written), value, problem (a short code: ``date``,
        ``end_year_only``, ``end_before_start``, ``overlap``, ``village_unknown``,
        ``missing_name``, …) and reason (what is wrong and what to do). A row
        with a reject is not among the spells.
    """
    path = Path(path)
    places = register_table(register)
    cells = [rows for sheet in io.read_sheets(path) if (rows := _sheet_rows(sheet)) is not None]
    if not cells:
        raise RosterError(
            "no sheet has a roster header (姓名, 村, 任职起始)",
            where=Location(path.name),
            hint="The header row must name at least 姓名, 村 (or 村代码) and 任职起始 (or 任职时间)",
        )
    rows = pd.concat(cells, ignore_index=True)
    spells, others, rejects = read_cells(rows)
    spells, place_rejects = place_spells(spells, places)
    spells = join_spells_of_one_person(spells)
    spells, overlap_rejects = refuse_overlaps(spells)
    rejects = pd.concat([rejects, place_rejects, overlap_rejects], ignore_index=True)
    spells = spells.sort_values(["_key", "start", "source"], kind="stable")
    spells = spells.loc[:, list(ROSTER_COLUMNS)].reset_index(drop=True)
    text = [c for c in ROSTER_COLUMNS if c not in ("start", "end", "training_days", "began_before")]
    spells = spells.astype(
        {
            **dict.fromkeys(text, "str"),
            "start": "datetime64[ns]",
            "end": "datetime64[ns]",
            "training_days": "float64",
            "began_before": "bool",
        }
    )
    if not rejects.empty:  # in the order of the file, so that a list of problems reads top to bottom
        where = rejects["source"].str.rsplit("!", n=1)
        rejects = rejects.assign(_sheet=where.str[0], _row=where.str[-1].astype("int64")).sort_values(
            ["_sheet", "_row", "cell"], kind="stable"
        )
    others = others.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"}).reset_index(drop=True)
    return (
        schemas.validate_roster(spells),
        others,
        schemas.validate_rejects(rejects.loc[:, list(REJECT_COLUMNS)].reset_index(drop=True)),
    )


def _column_of(text) -> str | None:
    key = header_key(re.sub(r"[\"“”'‘’「」]", "", str(text)))
    if key in _BY_KEY:
        return _BY_KEY[key]
    # 培训时长（天）: a bracketed unit other than money stays in header_key's result.
    return _BY_KEY.get(re.sub(r"\([^()]*\)$", "", key)) if key else None


# 任职时间 merged over 起 | 止: the sub-header says which end of the spell the column holds.
_START_WORDS = frozenset({"起", "起始", "开始", "始", "自", "从", "起任"})
_END_WORDS = frozenset({"止", "结束", "至", "终", "到", "离任"})


def _column_of_layers(layers: tuple[str, ...]) -> str | None:
    """The roster column of a header written over one or more rows (its lowest layer, then the whole)."""
    lowest = header_key(layers[-1])
    if len(layers) > 1 and (lowest in _START_WORDS or lowest in _END_WORDS):
        return "start" if lowest in _START_WORDS else "end"
    for text in (layers[-1], "".join(layers), *reversed(layers[:-1])):
        if (column := _column_of(text)) is not None:
            return column
    return None


ROSTER_VOCABULARY = Vocabulary(roles=dict(_BY_KEY))


def _sheet_rows(sheet: io.RawSheet) -> pd.DataFrame | None:
    """Every data row of a roster sheet's tables as raw values, one column per roster column, with where each came
    from; None when the sheet has no roster header. The header is found by the ledgers' table reader (several
    header rows, merged group labels); merged 乡镇/村 cells count for every row they cover; a section row
    (一、濠头乡（共4个村）) gives its township to the rows under it; notes, footers and repeated headers are no rows."""
    cells = sheet_cells(sheet)
    found = find_tables(cells, ROSTER_VOCABULARY, roster=True)
    if isinstance(found, NotALedger):
        return None
    frames = []
    for table in found:
        columns: dict[int, str] = {}  # sheet column -> roster column
        headers: dict[str, str] = {}  # roster column -> its header as written
        unknown: list[str] = []
        for col, layer in header_layers(cells, table.header_rows).items():
            column = _column_of_layers(layer) if layer else _IGNORED
            if column is None:
                unknown.append(f"{'/'.join(layer)!r} ({io.cell_ref(table.header_rows[0], col)})")
            elif column != _IGNORED and column not in columns.values():
                columns[col], headers[column] = column, "/".join(layer)
        named = set(columns.values())
        missing = [c for c in ("name", "start") if c not in named and not (c == "start" and "range" in named)]
        missing += [] if named & set(_WHERE) else ["village"]
        if missing:
            raise RosterError(
                f"the roster header lacks column(s) {', '.join(missing)}",
                where=sheet.where(table.header_rows[0]),
                hint="The header needs 姓名, 村 (or 村代码) and 任职起始 (or 任职时间, 任职起止时间)",
            )
        if unknown:
            log.warning(
                "roster %s!%s: column(s) %s not read (no roster column); add the spelling to "
                "villagecon.ingest.roster.COLUMN_SYNONYMS if one matters",
                sheet.file,
                sheet.sheet,
                ", ".join(unknown),
            )
        # 任职起止时间 (2011.01—2017.03) in one cell is read where the start is, unless 任职起始 has a column.
        columns = {
            col: ("start" if column == "range" and "start" not in named else column)
            for col, column in columns.items()
            if not (column == "range" and "start" in named)
        }
        if "start" not in headers:  # then the range's column is there (checked above)
            headers["start"] = headers["range"]
        frames.append(_table_rows(cells, table, columns, headers))
    return pd.concat(frames, ignore_index=True)


_PLACE_AND_NAME = ("county", "township", "village", "village_code", "name")


def _table_rows(cells, table, columns: dict[int, str], headers: dict[str, str]) -> pd.DataFrame:
    body = table.body
    text = cells.text.loc[body]
    values = {
        column: (
            merged_down(cells, body, col).replace("", None)
            if column in _PLACE_AND_NAME
            else cells.sheet.grid.loc[body, col].where(text[col].ne(""), None)
        )
        for col, column in columns.items()
    }
    frame = pd.DataFrame(values, index=body)
    lines = [[t for t in row if t] for row in filled_across_and_down(cells, body).itertuples(index=False)]
    blank = pd.Series([not texts for texts in lines], index=body, dtype=bool)
    note = pd.Series(
        [any(re.search(FOOTER_PATTERN, t) or synonyms.NOTE_PATTERN.search(t) for t in texts) for texts in lines],
        index=body,
        dtype=bool,
    )
    # One text across the row (merged over the table, or alone): a section (一、濠头乡) or an instruction.
    section = pd.Series([len(set(texts)) == 1 for texts in lines], index=body, dtype=bool) & ~note & ~blank
    repeated_header = pd.Series(
        [sum(_column_of(t) is not None for t in texts) >= max(2, len(columns) - 1) for texts in lines],
        index=body,
        dtype=bool,
    )
    township = pd.Series(
        [township_in(texts[0]) if is_section else None for texts, is_section in zip(lines, section, strict=True)],
        index=body,
        dtype=object,
    ).ffill()
    if township.notna().any():
        if "township" not in frame:
            frame["township"], headers = None, {**headers, "township": "(the section row above)"}
        frame["township"] = frame["township"].where(frame["township"].notna(), township)
    keep = ~(blank | note | section | repeated_header)
    if (skipped := int((note | section | repeated_header).sum())) > 0:
        log.info(
            "roster %s!%s: %d note, section or repeated-header row(s) are no spells",
            cells.sheet.file,
            cells.sheet.sheet,
            skipped,
        )
    frame = frame.loc[keep]
    letters = {column: io.cell_ref(None, col) for col, column in columns.items()}
    letters.setdefault("township", letters.get("village", next(iter(letters.values()))))
    where = pd.DataFrame(
        {"file": cells.sheet.file, "sheet": cells.sheet.sheet, "row": frame.index.astype("int64")}, index=frame.index
    )
    out = pd.concat([where, frame], axis=1).reset_index(drop=True)
    # One dict per row, in object Series (pandas-stubs' assign takes lists of scalars only).
    return out.assign(
        _letters=pd.Series([letters] * len(out), index=out.index, dtype=object),
        _headers=pd.Series([headers] * len(out), index=out.index, dtype=object),
    )
