"""The secretary roster (村党组织书记花名册): spells in office, and tenure per village-year.

A roster has one row per secretary spell: who (姓名), where (村, and optionally 县市区,
乡镇 and the village code), from when to when (任职起始; 任职结束 empty or 至今 while in
office), 职务 (书记, or 书记兼主任 when one person holds both posts: 一肩挑), 来源, 导师,
培训天数 and 荣誉. Headers are matched through :data:`COLUMN_SYNONYMS` (村名, 任职时间,
离任时间, …), as the ledger cleaner does.

:func:`read_roster` reads a workbook or CSV into spells; every row it cannot use
(an unreadable date, an end before the start, two spells at once in one village, a
village missing from the register) is refused with its file, sheet, row and cell.
:func:`tenure` gives every village-year of the accounts the secretary in office on
31 December.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from villagecon import schemas
from villagecon.errors import Location, RosterError, UsageError
from villagecon.ingest import files as io
from villagecon.ingest.cells import filled_across_and_down, merged_down, sheet_cells
from villagecon.ingest.headers import NotALedger, find_tables, header_layers
from villagecon.ingest.register import match_villages, read_register
from villagecon.ingest.rows import township_in
from villagecon.ingest.words import FOOTER_PATTERN, Vocabulary
from villagecon.schemas import REJECT_COLUMNS, ROSTER_COLUMNS, TENURE_COLUMNS
from villagecon.vocab import labels, synonyms
from villagecon.vocab.synonyms import header_key, village_key

log = logging.getLogger("villagecon")

OTHER_ROLE_COLUMNS = ("county", "township", "village", "name", "role", "start", "end", "source")
ROLES = labels.SECRETARY_ROLES
ONE_SHOULDER = "书记兼主任"  # 一肩挑: the secretary is also 村委会主任
BACKGROUNDS = labels.SECRETARY_BACKGROUNDS

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
_REQUIRED = ("name", "start")
_WHERE = ("village", "village_code")  # at least one of these

# A spouse of the synonyms table: ledger words map to different columns here, so the roster has its own index.
_BY_KEY: dict[str, str] = {}
for _column, _spellings in COLUMN_SYNONYMS.items():
    for _spelling in (*_spellings, _column):
        if _BY_KEY.setdefault(header_key(_spelling), _column) != _column:
            raise AssertionError(
                f"roster synonym {_spelling!r} maps to both {_BY_KEY[header_key(_spelling)]} and {_column}"
            )

BACKGROUND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "返乡大学生": ("大学生", "返乡大学毕业生", "大学毕业生", "高校毕业生", "返乡高校毕业生", "大学生村官"),
    "退役军人": ("退伍军人", "复员军人", "转业军人", "退役士兵", "退伍士兵"),
    "致富能手": ("致富带头人", "农村致富带头人", "种养大户", "养殖大户", "种植大户", "能人", "乡村能人"),
    "经商返乡人员": ("经商返乡", "返乡经商人员", "返乡创业人员", "外出经商返乡人员"),
    "其他": ("其它", "其他人员"),
}
_BACKGROUND_BY_KEY = {
    header_key(s): canonical for canonical, spellings in BACKGROUND_SYNONYMS.items() for s in (canonical, *spellings)
}
# What an empty cell is written as; and what an end cell says while the secretary is still in office.
_NOTHING = frozenset({"", "—", "–", "-", "--", "——", "/", "无", "暂无", "空"})
_IN_OFFICE = frozenset({"至今", "今", "现在", "现任", "在任", "在职", "目前"})

_CHINESE_DIGITS = dict(zip("〇○零一二三四五六七八九", (0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CHINESE_NUMBER = re.compile(r"[〇○零一二三四五六七八九十]+")
_YEAR_MONTH_DAY = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月)?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_YEAR_ONLY = re.compile(r"(\d{4})\s*(?:年度?)?")
_RANGE_SEPARATORS = ("至", "到", "—", "–", "~", "～", "-")
_SERIAL_RANGE = (20_000, 80_000)  # Excel day numbers of 1954-10-03 .. 2119-01-22
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1949, 2100


# --- dates ----------------------------------------------------------------------------------------------


def parse_date(value, *, dotted_tens: bool = False) -> tuple[dt.date | None, dt.date | None, str | None]:
    """Read one roster date cell as the period it names: ``(first_day, last_day, None)``.

    A day gives ``first_day == last_day``; a month (``2017-04``, ``2017年4月``,
    ``2017.04``, the number 2017.04) gives its first and last day; a year (``2017``,
    ``2017年``) gives 1 January and 31 December. Excel dates and serial day numbers
    are days. An empty cell gives ``(None, None, None)``; anything else
    ``(None, None, reason)``. 2017.1 (the number, or the text a CSV export writes for it) is refused: Excel
    stores 2017.10 (October) the same way; with ``dotted_tens`` (the column writes its other months with two
    digits) it is October.

    Examples
    --------
    >>> parse_date("2017年4月")
    (datetime.date(2017, 4, 1), datetime.date(2017, 4, 30), None)
    >>> parse_date("二〇二一年一月五日")[0]
    datetime.date(2021, 1, 5)
    >>> parse_date(2017.1)[2]
    'the number 2017.1 may be 2017年1月 or 2017年10月 (Excel drops the 0 of 2017.10): write 2017年1月 or 2017年10月'
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None, None, None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        value = pd.Timestamp(value).date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _checked_day(value.year, value.month, value.day, value)
    if isinstance(value, bool):
        return None, None, f"{value!r} is not a date"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _date_of_number(float(value), dotted_tens=dotted_tens)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{4}\.1", text):
        return _date_of_number(float(text), dotted_tens=dotted_tens)
    if text in _NOTHING:
        return None, None, None
    text = _CHINESE_NUMBER.sub(lambda m: str(_chinese_number(m.group())), text)
    if match := _YEAR_MONTH_DAY.fullmatch(text) or _COMPACT.fullmatch(text):
        year, month, day = match.groups()
        if day is None:
            return _checked_month(int(year), int(month), value)
        return _checked_day(int(year), int(month), int(day), value)
    if match := _YEAR_ONLY.fullmatch(text):
        year = int(match.group(1))
        if _FIRST_YEAR <= year <= _LAST_YEAR:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), None
    return None, None, f"{value!r} is not a date: write it as 2017-04, 2017年4月 or 2017-04-01"


def _date_of_number(number: float, *, dotted_tens: bool = False) -> tuple[dt.date | None, dt.date | None, str | None]:
    if number.is_integer() and _FIRST_YEAR <= number <= _LAST_YEAR:
        return dt.date(int(number), 1, 1), dt.date(int(number), 12, 31), None
    if _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
        return day, day, None
    if number.is_integer() and 190_000 <= number <= 21_001_231:  # 201704 or 20170401 typed as a number
        return parse_date(str(int(number)))
    if _FIRST_YEAR <= number < _LAST_YEAR + 1:
        year, _, decimals = repr(number).partition(".")
        if decimals == "1" and dotted_tens:
            return _checked_month(int(year), 10, number)
        if decimals == "1":
            return (
                None,
                None,
                (
                    f"the number {number!r} may be {year}年1月 or {year}年10月 (Excel drops the 0 of "
                    f"{year}.10): write {year}年1月 or {year}年10月"
                ),
            )
        if len(decimals) <= 2:
            return _checked_month(int(year), int(decimals), number)
    return None, None, f"{number!r} is not a date: write it as 2017-04, 2017年4月 or 2017-04-01"


def _chinese_number(text: str) -> int:
    """二〇一七 → 2017 (digit by digit), 十二 → 12, 二十一 → 21."""
    if "十" not in text:
        return int("".join(str(_CHINESE_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return 10 * (_CHINESE_DIGITS[tens] if tens else 1) + (_CHINESE_DIGITS[units] if units else 0)


def _checked_month(year: int, month: int, value) -> tuple[dt.date | None, dt.date | None, str | None]:
    if not (_FIRST_YEAR <= year <= _LAST_YEAR and 1 <= month <= 12):
        return None, None, f"{value!r} is not a date (month {month} of {year})"
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return first, last, None


def _checked_day(year: int, month: int, day: int, value) -> tuple[dt.date | None, dt.date | None, str | None]:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, None, f"{value!r} is not a date"
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None, None, f"{value!r} is outside {_FIRST_YEAR}–{_LAST_YEAR}"
    return date, date, None


def _split_range(value) -> tuple[str, str] | None:
    """``2017.04-至今`` or ``2017年4月—2020年12月`` in one cell → (start text, end text)."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    for separator in _RANGE_SEPARATORS:
        position = text.find(separator)
        while position > 0:
            left, right = text[:position].strip(), text[position + len(separator) :].strip()
            if parse_date(left)[0] is not None and (
                right in _IN_OFFICE or right == "" or parse_date(right)[0] is not None
            ):
                return left, right
            position = text.find(separator, position + 1)
    return None


# --- cell readers: (value, reason) ------------------------------------------------------------------------


def _text(value) -> tuple[str | None, str | None]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return (None if text in _NOTHING else text), None


def _person(value) -> tuple[str | None, str | None]:
    # Two-character names are padded with spaces to line up with three-character ones (刘  鹏).
    text, _ = _text(value)
    if text is None:
        return None, None
    return re.sub(r"\s+", "", text), None


def _role(value) -> tuple[str | None, str | None]:
    """书记 or 书记兼主任 for the Party secretary's post (党总支书记, 党委书记, 党总支书记、村委会主任); another post
    (第一书记, 副书记, 委员, 村委会主任) as written: it is kept apart, never a spell of the secretary."""
    text, _ = _text(value)
    if text is None:
        return None, None
    key = re.sub(r"\s+", "", text)
    if "书记" not in key or "副书记" in key or "第一书记" in key:
        return key, None
    if "一肩挑" in key or "主任" in key:
        return ONE_SHOULDER, None
    return "书记", None


def _yes_no(value) -> tuple[bool | None, str | None]:
    text, _ = _text(value)
    if text is None:
        return None, None
    if text in ("是", "√", "✓", "✔", "Y", "y", "yes", "Yes", "1", "兼任", "一肩挑"):
        return True, None
    if text in ("否", "×", "✗", "N", "n", "no", "No", "0", "不是", "未兼任"):
        return False, None
    return None, f"{text!r} is neither 是 nor 否: write 是 (一肩挑) or 否"


def _background(value) -> tuple[str | None, str | None]:
    """One of the article's five categories where the written value fits one, else 其他 (the written value is kept
    in its own column): a background is never a reason to drop a spell."""
    text, _ = _text(value)
    if text is None:
        return None, None
    return _BACKGROUND_BY_KEY.get(header_key(text), "其他"), None


def _days(value) -> tuple[float | None, str | None]:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    else:
        text, _ = _text(value)
        if text is None:
            return None, None
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*天?", text)
        if not match:
            return None, f"{text!r} is not a number of days: write e.g. 5"
        number = float(match.group(1))
    if np.isnan(number):
        return None, None
    if number < 0:
        return None, f"{number:g} days of training cannot be negative"
    return number, None


def _code(value) -> tuple[str | None, str | None]:
    text, _ = _text(value)
    if text is None:
        return None, None
    if not text.isdigit():
        return None, f"village code {text!r} is not made of digits (统计用区划代码): keep only the digits"
    return text, None


_READERS = {
    "county": _text,
    "township": _text,
    "village": _text,
    "village_code": _code,
    "name": _person,
    "role": _role,
    "one_shoulder": _yes_no,
    "background": _background,
    "term": _text,
    "mentor": _person,
    "training_days": _days,
    "honours": _text,
}


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
        Without it the village name is normalised (:func:`villagecon.vocab.synonyms.village_key`),
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
    rejects : DataFrame
        One row per cell that cannot be used, columns :data:`REJECT_COLUMNS` (those
        of the ledger's rejects.csv): source (``file!sheet!row``), cell (``G7``),
        column (the header as written), value, problem (a short code: ``date``,
        ``end_year_only``, ``end_before_start``, ``overlap``, ``village_unknown``,
        ``missing_name``, …) and reason (what is wrong and what to do). A row
        with a reject is not among the spells.
    others : DataFrame
        (:func:`read_roster_tables` only) the rows of other posts of a 两委班子 roster — 第一书记, 副书记,
        村委会主任, 委员 — as :data:`OTHER_ROLE_COLUMNS`: never a secretary's spell, never overlapping one.
    """
    path = Path(path)
    register_table = _register_table(register)
    cells = [rows for sheet in io.read_sheets(path) if (rows := _sheet_rows(sheet)) is not None]
    if not cells:
        raise RosterError(
            "no sheet has a roster header (姓名, 村, 任职起始)",
            where=Location(path.name),
            hint="The header row must name at least 姓名, 村 (or 村代码) and 任职起始 (or 任职时间)",
        )
    rows = pd.concat(cells, ignore_index=True)
    spells, others, rejects = _read_cells(rows)
    spells, place_rejects = _place(spells, register_table)
    spells = _join_spells_of_one_person(spells)
    spells, overlap_rejects = _refuse_overlaps(spells)
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


def _register_table(register) -> pd.DataFrame | None:
    if register is None:
        return None
    if isinstance(register, pd.DataFrame):
        table = register.astype({"village_code": "str"})
        return table if "aliases" in table else table.assign(aliases="")
    return read_register(register)


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
        columns, headers, unknown = {}, {}, []
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
        headers["start"] = headers.get("start", headers.get("range"))
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
    return out.assign(_letters=[letters] * len(out), _headers=[headers] * len(out))


def _read_cells(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Parse every cell; a row with any unreadable cell or missing essential becomes rejects. Rows of another
    post than the Party secretary's (第一书记, 村委会主任, 委员) are kept apart: spells, others, rejects."""
    rows = rows.assign(source=rows["file"] + "!" + rows["sheet"] + "!" + rows["row"].astype("str"))
    problems: list[dict] = []
    # A roster writes its months one way: 2011.04 and 2017.11 in either column make its 2017.1 October.
    tens = _months_written_with_two_digits(pd.concat([rows[c] for c in ("start", "end") if c in rows]))

    def refuse(index, column, value, problem, reason):
        letters, headers = rows.at[index, "_letters"], rows.at[index, "_headers"]
        shown = column if column in letters else next(c for c in ("village", "village_code", "name") if c in letters)
        problems.append(
            {
                "_index": index,
                "source": rows.at[index, "source"],
                "cell": f"{letters[shown]}{rows.at[index, 'row']}",
                "column": headers[shown],
                "value": "" if value is None else str(value),
                "problem": problem,
                "reason": reason,
            }
        )

    parsed = pd.DataFrame(index=rows.index)
    for column, reader in _READERS.items():
        if column not in rows:
            parsed[column] = None
            continue
        cache = {}
        values, reasons = [], []
        for value in rows[column]:
            key = (type(value), value)
            if key not in cache:
                cache[key] = reader(value)
            values.append(cache[key][0])
            reasons.append(cache[key][1])
        parsed[column] = pd.Series(values, index=rows.index, dtype=object)
        for index in rows.index[[r is not None for r in reasons]]:
            refuse(index, column, rows.at[index, column], f"bad_{column}", reasons[index])
    parsed["background_written"] = rows["background"].map(lambda v: _text(v)[0]) if "background" in rows else None
    # 是否一肩挑: 是 makes the secretary 书记兼主任, 否 书记; a 职务 of another post stays that post.
    secretary = parsed["role"].isna() | parsed["role"].isin(ROLES)
    shoulder = parsed["one_shoulder"]
    parsed["role"] = (
        parsed["role"]
        .mask(secretary & shoulder.eq(True), ONE_SHOULDER)
        .mask(secretary & shoulder.eq(False) & parsed["role"].isna(), "书记")
    )

    starts, ends = [], []
    for index in rows.index:
        start_value = rows.at[index, "start"]
        end_value = rows.at[index, "end"] if "end" in rows else None
        if (pair := _split_range(start_value)) is not None and parse_date(start_value)[0] is None:
            if _text(end_value)[0] is not None:
                refuse(
                    index,
                    "start",
                    start_value,
                    "date",
                    f"{start_value!r} is a range but the end column says {end_value!r} too: keep one",
                )
                starts.append((None, None))
                ends.append((None, None))
                continue
            start_value, end_value = pair
        first, last, reason = parse_date(start_value, dotted_tens=tens)
        if reason:
            refuse(index, "start", start_value, "date", f"start: {reason}")
        elif first is None:
            refuse(
                index,
                "start",
                start_value,
                "missing_start",
                "the start of the spell is empty: write when the secretary took office, e.g. 2017年4月",
            )
        starts.append((first, last))
        end_text = _text(end_value)[0]
        if end_text in _IN_OFFICE:
            ends.append((None, None))
            continue
        end_first, end_last, reason = parse_date(end_value, dotted_tens=tens)
        if reason:
            refuse(index, "end", end_value, "date", f"end: {reason}")
        elif (
            end_first is not None
            and end_first.month == 1
            and end_first.day == 1
            and end_last == dt.date(end_first.year, 12, 31)
        ):
            refuse(
                index,
                "end",
                end_value,
                "end_year_only",
                f"the end {end_value!r} gives only a year, so whether the secretary was in office on 31 "
                f"December {end_first.year} is unknown: write the month, e.g. {end_first.year}年6月",
            )
        elif end_last is not None and first is not None and end_last < first:
            refuse(
                index,
                "end",
                end_value,
                "end_before_start",
                f"the spell ends ({end_value}) before it starts ({start_value}): correct 任职起始 or 任职结束",
            )
        ends.append((end_first, end_last))

    parsed["start_first"], parsed["start_last"] = zip(*starts, strict=True) if starts else ((), ())
    parsed["end_first"], parsed["end_last"] = zip(*ends, strict=True) if ends else ((), ())
    for index in rows.index[parsed["name"].isna()]:
        refuse(index, "name", None, "missing_name", "the secretary's name (姓名) is empty: fill it in")
    no_place = parsed["village"].isna() & parsed["village_code"].isna()
    for index in rows.index[no_place]:
        refuse(index, "village", None, "missing_village", "the village (村) is empty: fill it in")

    rejects = pd.DataFrame(problems, columns=["_index", *REJECT_COLUMNS])
    other_post = ~(parsed["role"].isna() | parsed["role"].isin(ROLES))
    good = ~rows.index.isin(rejects["_index"]) & ~other_post
    spells = parsed.loc[good].assign(
        source=rows.loc[good, "source"],
        _letters=rows.loc[good, "_letters"],
        _headers=rows.loc[good, "_headers"],
        _row=rows.loc[good, "row"],
    )
    spells = spells.assign(start=spells["start_first"], end=spells["end_last"])
    others = parsed.loc[other_post].assign(
        source=rows.loc[other_post, "source"],
        start=parsed.loc[other_post, "start_first"],
        end=parsed.loc[other_post, "end_last"],
    )
    rejects = rejects.loc[~rejects["_index"].isin(rows.index[other_post])]
    return spells, others.reindex(columns=list(OTHER_ROLE_COLUMNS)), rejects.drop(columns="_index")


def _months_written_with_two_digits(values: pd.Series) -> bool:
    """Whether a column writes its dotted months with two digits (2017.04, 2018.11): then its 2017.1 is 2017.10,
    whose 0 Excel dropped, and not January."""
    dotted = values.map(lambda v: unicodedata.normalize("NFKC", str(v)).strip() if v is not None else "")
    months = dotted.str.extract(r"^\d{4}\.(\d{1,2})$")[0].dropna()
    return bool(len(months)) and months.str.len().eq(2).any() and not months.str.fullmatch(r"[2-9]").any()


def _place(spells: pd.DataFrame, register: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Village names (and codes) to register places; spells of villages the register lacks become rejects.

    Every spell gets ``_key``, the village identity used to find overlapping spells.
    """
    spells = spells.copy()
    if spells.empty:
        return spells.assign(_key=pd.Series(dtype=object)), pd.DataFrame(columns=list(REJECT_COLUMNS))
    if register is None:
        spells["village"] = spells["village"].map(lambda v: village_key(v) if v is not None else None)
        by_name = "name:" + spells[["county", "township", "village"]].fillna("").astype(str).agg("|".join, axis=1)
        spells["_key"] = by_name.where(spells["village_code"].isna(), "code:" + spells["village_code"].astype(str))
        return spells, pd.DataFrame(columns=list(REJECT_COLUMNS))

    by_code = register.set_index("village_code")
    refused: dict[int, tuple[str, str, str]] = {}  # index -> (column shown, problem, reason)
    coded = spells["village_code"].notna()
    for index in spells.index[coded]:
        code, name = spells.at[index, "village_code"], spells.at[index, "village"]
        if code not in by_code.index:
            refused[index] = (
                "village_code",
                "village_unknown",
                f"village code {code} is not in the register: correct the code, or add the village to the register",
            )
            continue
        official = by_code.loc[code]
        known = {village_key(official["village"]), *(village_key(a) for a in str(official["aliases"]).split("|") if a)}
        if name is not None and village_key(name) not in known:
            refused[index] = (
                "village_code",
                "village_code_mismatch",
                f"village code {code} is {official['village']} in the register, not {name}: "
                "correct the code or the name",
            )
            continue
        for column in ("county", "township", "village"):
            spells.at[index, column] = official[column]
    named = spells.loc[~coded, ["village", "township", "county"]]
    if len(named):
        matched = match_villages(named.astype(object).where(named.notna(), None), register)
        for index, row in matched.iterrows():
            if row["problem"] is None or pd.isna(row["problem"]):
                for column in ("county", "township", "village", "village_code"):
                    spells.at[index, column] = row[column]
            else:
                refused[index] = ("village", row["problem"], row["reason"])

    rejects = []
    for index, (column, problem, reason) in refused.items():
        letters, headers = spells.at[index, "_letters"], spells.at[index, "_headers"]
        column = column if column in letters else _place_column(letters)
        rejects.append(
            {
                "source": spells.at[index, "source"],
                "cell": f"{letters[column]}{spells.at[index, '_row']}",
                "column": headers[column],
                "value": str(spells.at[index, column]),
                "problem": problem,
                "reason": reason,
            }
        )
    spells = spells.drop(index=list(refused))
    return spells.assign(_key="code:" + spells["village_code"].astype(str)), pd.DataFrame(
        rejects, columns=list(REJECT_COLUMNS)
    )


# Rows of one person in one village at most this many days apart are one spell (a term split at an election,
# 书记 then 书记兼主任); read_roster joins them, and tenure counts a spell from its first row.
SAME_SPELL_GAP_DAYS = 90
_SAME_SPELL_GAP = dt.timedelta(days=SAME_SPELL_GAP_DAYS)


def _join_spells_of_one_person(spells: pd.DataFrame) -> pd.DataFrame:
    """Rows of the same person in the same village that overlap, touch or nearly touch (书记 until 2021.01, then
    书记兼主任 from 2021.01; a 连任 row after the term before; the same spell on two sheets) are one spell: the
    first start, the latest end, the last role, and ``roles`` the history when the role changed (``书记 from
    2017-04-01; 书记兼主任 from 2021-01-01``)."""
    # A 连任 row starting at a 换届 (the start of a 新任 row) began before it: the start of its spell is unknown
    # unless an earlier row of the person gives it.
    term = spells["term"].fillna("").astype(str)
    elections = set(spells.loc[term.str.contains("新任"), "start_first"])
    spells = spells.assign(roles=None, began_before=term.str.contains("连任") & spells["start_first"].isin(elections))
    if spells.empty:
        return spells
    ordered = spells.sort_values(["_key", "name", "start_first", "_row"], kind="stable")
    drop, spell = [], None
    for index in ordered.index:
        row = ordered.loc[index]
        same_person = spell is not None and (spells.at[spell, "_key"], spells.at[spell, "name"]) == (
            row["_key"],
            row["name"],
        )
        end = spells.at[spell, "end_last"] if same_person else None
        if not (same_person and (end is None or row["start_first"] <= end + _SAME_SPELL_GAP)):
            spell = index
            continue
        if end is not None and (row["end_last"] is None or row["end_last"] > end):
            for column in ("end", "end_first", "end_last"):
                spells.at[spell, column] = row[column]
        role = spells.at[spell, "role"]
        if not pd.isna(row["role"]) and row["role"] != role:
            history = spells.at[spell, "roles"] or f"{role} from {spells.at[spell, 'start']}"
            spells.at[spell, "roles"] = f"{history}; {row['role']} from {row['start']}"
        for column in ("role", "background", "background_written", "mentor", "training_days", "honours"):
            if not pd.isna(row[column]):
                spells.at[spell, column] = row[column]
        drop.append(index)
    return spells.drop(index=drop)


def _place_column(letters: dict[str, str]) -> str:
    return "village" if "village" in letters else "village_code"


_FAR_FUTURE = dt.date(9999, 12, 31)


def _refuse_overlaps(spells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two spells of one village at the same time: both refused, naming each other's row."""
    if spells.empty:
        return spells, pd.DataFrame(columns=list(REJECT_COLUMNS))
    ordered = spells.sort_values(["_key", "start_first", "_row"], kind="stable")
    ends = ordered["end_first"].map(lambda d: _FAR_FUTURE if d is None else d)
    overlapping: dict[int, set[int]] = {}
    # Spells are few per village: compare each with the ones that started before it.
    for _, group in ordered.groupby("_key", sort=False):
        if len(group) < 2:
            continue
        seen: list[int] = []
        for index in group.index:
            for earlier in seen:
                # Certainly overlapping: this one's latest possible start is before the earlier one's earliest
                # possible end (a handover in the same day, or month when only the month is known, is not).
                if ordered.at[index, "start_last"] < ends[earlier]:
                    overlapping.setdefault(index, set()).add(earlier)
                    overlapping.setdefault(earlier, set()).add(index)
            seen.append(index)
    rows = []
    for index, others in overlapping.items():
        letters = spells.at[index, "_letters"]
        other_text = ", ".join(
            f"row {spells.at[o, '_row']} ({spells.at[o, 'name']}, from {spells.at[o, 'start']})"
            for o in sorted(others, key=lambda o: spells.at[o, "_row"])
        )
        end = spells.at[index, "end"]
        rows.append(
            {
                "source": spells.at[index, "source"],
                "cell": f"{letters['start']}{spells.at[index, '_row']}",
                "column": spells.at[index, "_headers"]["start"],
                "value": str(spells.at[index, "start"]),
                "problem": "overlap",
                "reason": f"{spells.at[index, 'name']}'s spell ({spells.at[index, 'start']} to "
                f"{'now' if end is None else end}) overlaps {other_text} in the same village: "
                "correct 任职起始/任职结束 so that one spell ends before the next starts; "
                "neither was kept",
            }
        )
    return spells.drop(index=list(overlapping)), pd.DataFrame(rows, columns=list(REJECT_COLUMNS))


# --- tenure ------------------------------------------------------------------------------------------------


def tenure(
    accounts: pd.DataFrame, roster: pd.DataFrame, *, same_spell_gap_days: int = SAME_SPELL_GAP_DAYS
) -> pd.DataFrame:
    """Add the secretary in office on 31 December to every village-year of ``accounts``.

    Tenure is counted by *spell*: one person's continuous time in office in one village,
    whatever role changes or roster row splits. Rows of the same person in the same village
    that overlap, touch or leave a gap of at most ``same_spell_gap_days`` days (default 90)
    continue one spell (书记 until 2020-12, 书记兼主任 from 2021-01 is one spell); a new
    secretary means a new person.

    Parameters
    ----------
    accounts : DataFrame
        One row per village and year (at least village, year; village_code
        joins by code when it is complete here and in ``roster``).
    roster : DataFrame
        Spells from :func:`read_roster` (village, village_code, name, role, start,
        end, background, mentor), or any table of roster rows with those columns.
    same_spell_gap_days : int
        The longest gap between two rows of one person that still continues the spell.

    Returns
    -------
    DataFrame
        A copy of ``accounts`` (same rows, order and index) with :data:`TENURE_COLUMNS`:

        - secretary: name of the secretary in office on 31 December of the year
          (when a handover in December leaves two spells covering that day, the one
          that started later);
        - secretary_start: the first day of that spell (datetime);
        - tenure_years: completed years in office on 31 December, i.e. ``year`` minus
          the year of ``secretary_start`` (0 in the year of taking office); Int64;
          ``secretary_start`` is the start of the person's spell, not of the row;
        - tenure_at_least: the roster says 连任 but not when the spell began, so tenure_years counts from
          the written start and is a lower bound (boolean);
        - new_secretary: another person took office in that year (boolean): False for a
          role change or a new roster row of the same person, and for a person returning
          to office after a gap with nobody in between;
        - one_shoulder: the secretary is also 村委会主任 (role 书记兼主任; boolean, NA when
          the roster gives no role);
        - background, mentor: from the roster.

        Village-years with no secretary in office on 31 December get missing values
        in all these columns (never filled from a neighbouring year); their count is
        logged as a warning. ``accounts`` is not changed.

    Raises
    ------
    UsageError
        ``accounts`` already has tenure columns, or village names repeat across
        counties so that joining by name would be ambiguous (read both with a
        register to join by code).
    """
    if clash := [c for c in TENURE_COLUMNS if c in accounts.columns]:
        raise UsageError(f"accounts already has column(s) {', '.join(clash)}: drop them before adding tenure again")
    for table, name, needed in (
        (accounts, "accounts", ("village", "year")),
        (roster, "roster", ("village", "name", "role", "start", "end", "background", "mentor")),
    ):
        if missing := [c for c in needed if c not in table.columns]:
            raise UsageError(f"{name} lacks column(s) {', '.join(missing)}")
    keys = _join_keys(accounts, roster)
    left = pd.DataFrame({k: _join_values(accounts, k) for k in keys})
    left["year"] = accounts["year"].to_numpy()
    left["_position"] = np.arange(len(accounts))
    right = pd.DataFrame({k: _join_values(roster, k) for k in keys})
    history = roster["roles"] if "roles" in roster else pd.Series(None, index=roster.index, dtype=object)
    began_before = roster["began_before"] if "began_before" in roster else pd.Series(False, index=roster.index)
    right = right.assign(
        **{c: roster[c].to_numpy() for c in ("name", "role", "background", "mentor")},
        roles=history.to_numpy(),
        began_before=began_before.fillna(False).to_numpy(dtype=bool),
        start=pd.to_datetime(roster["start"]).to_numpy(),
        end=pd.to_datetime(roster["end"]).to_numpy(),
    )
    right = _spells_by_person(right, keys, gap=pd.Timedelta(days=same_spell_gap_days))
    pairs = left.merge(right, on=keys, how="inner")
    year_end = pd.to_datetime(pairs["year"].astype("int64").astype("str") + "-12-31")
    in_office = pairs["start"].le(year_end) & (pairs["end"].isna() | pairs["end"].ge(year_end))
    serving = (
        pairs.loc[in_office]
        .sort_values(["_position", "start"], kind="stable")
        .drop_duplicates("_position", keep="last")
        .set_index("_position")
        .reindex(range(len(accounts)))
    )

    start = pd.to_datetime(serving["spell_start"])
    tenure_years = pd.array(accounts["year"].to_numpy() - start.dt.year.to_numpy(), dtype="Int64")
    tenure_years[start.isna().to_numpy()] = pd.NA
    # A spell's role on 31 December of the year: its history (书记, then 书记兼主任 from 2021) says which.
    role = pd.Series(
        [_role_on(r, h, y) for r, h, y in zip(serving["role"], serving["roles"], accounts["year"], strict=True)],
        index=serving.index,
        dtype=object,
    )
    added = {
        "secretary": serving["name"].astype("str").to_numpy(),
        "secretary_start": start.to_numpy(),
        "tenure_years": tenure_years,
        "tenure_at_least": pd.array(
            np.where(start.isna(), None, serving["spell_began_before"].eq(True)), dtype="boolean"
        ),
        "new_secretary": pd.array(tenure_years == 0, dtype="boolean")
        & ~pd.array(
            (serving["spell_began_before"].eq(True) | serving["same_person_before"].eq(True)).to_numpy(),
            dtype="boolean",
        ),
        "one_shoulder": pd.array(np.where(role.isna(), None, role.eq(ONE_SHOULDER)), dtype="boolean"),
        "background": serving["background"].astype("str").to_numpy(),
        "mentor": serving["mentor"].astype("str").to_numpy(),
    }
    if (missing := int(start.isna().sum())) > 0:
        log.warning(
            "tenure: %d of %d village-years have no secretary in office on 31 December in the roster; "
            "their tenure columns are left missing",
            missing,
            len(accounts),
        )
    return schemas.validate_tenure(
        accounts.assign(**{name: pd.Series(values, index=accounts.index) for name, values in added.items()})
    )


def _spells_by_person(rows: pd.DataFrame, keys: list[str], *, gap: pd.Timedelta) -> pd.DataFrame:
    """Each roster row with the start of its person's spell (``spell_start``), whether that spell's first row
    began before its written start (``spell_began_before``), and whether the village's secretary just
    before the spell was the same person (``same_person_before``: a return after a longer gap)."""
    rows = rows.sort_values([*keys, "name", "start"], kind="stable")
    person = rows.groupby([*keys, "name"], sort=False, dropna=False)
    open_ended = rows["end"].astype("datetime64[ns]").fillna(pd.Timestamp("2200-01-01"))  # still in office
    latest_end = open_ended.groupby(person.ngroup()).cummax()
    previous_end = latest_end.groupby(person.ngroup()).shift()
    continues = previous_end.notna() & (rows["start"] <= previous_end + gap)
    spell = (~continues).cumsum()
    first = rows.groupby(spell)
    rows = rows.assign(
        spell_start=first["start"].transform("min"), spell_began_before=first["began_before"].transform("first")
    )
    by_start = rows.sort_values([*keys, "start"], kind="stable")
    before = by_start.groupby(keys, sort=False, dropna=False)["name"].shift()
    same = before.eq(by_start["name"]) & by_start["start"].eq(by_start["spell_start"])
    return rows.assign(same_person_before=same.reindex(rows.index).fillna(False).astype(bool))


def _role_on(role, history, year) -> str | None:
    """The role held on 31 December of ``year``, from a spell's ``roles`` history where it has one."""
    if not isinstance(history, str) or not history:
        return None if pd.isna(role) else role
    held = None
    for change in history.split("; "):
        name, _, since = change.rpartition(" from ")
        if since <= f"{int(year)}-12-31":
            held = name
    return held


def _join_keys(accounts: pd.DataFrame, roster: pd.DataFrame) -> list[str]:
    """village_code when both tables have complete codes; else the village name, with the county if needed."""
    if all("village_code" in t and t["village_code"].notna().all() and len(t) for t in (accounts, roster)):
        return ["village_code"]
    for keys in (["village"], ["county", "village"], ["county", "township", "village"]):
        if not all(k in t for k in keys for t in (accounts, roster)):
            continue
        unique = True
        for table in (accounts, roster):
            places = pd.DataFrame(
                {k: _join_values(table, k) for k in ("county", "township", "village") if k in table}
            ).drop_duplicates()
            if places.duplicated(keys).any():
                unique = False
        if unique:
            return keys
    raise UsageError(
        "village names repeat across places in the accounts or the roster, so a village cannot be "
        "told by its name: read both with the village register (register=) to join them by code"
    )


def _join_values(table: pd.DataFrame, key: str) -> np.ndarray:
    values = table[key].astype(object)
    if key == "village_code":
        return values.where(values.notna(), None).map(lambda v: None if v is None else str(v)).to_numpy()
    return values.map(lambda v: village_key(v) if isinstance(v, str) else None).to_numpy()
