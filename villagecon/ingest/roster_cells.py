"""Reading the cells of a roster row: names, posts, 是/否, backgrounds, days of training, village codes and the
dates of a spell (one cell each, or a range 2017.04—至今 in one). Each reader gives ``(value, reason)``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from villagecon.parse.cell_text import is_blank
from villagecon.parse.dates import Period, read_date
from villagecon.schemas import REJECT_COLUMNS
from villagecon.vocab import labels
from villagecon.vocab.synonyms import header_key

__all__ = [
    "BACKGROUNDS",
    "BACKGROUND_SYNONYMS",
    "IN_OFFICE",
    "ONE_SHOULDER",
    "OTHER_ROLE_COLUMNS",
    "ROLES",
    "parse_date",
    "read_cells",
]

OTHER_ROLE_COLUMNS = ("county", "township", "village", "name", "role", "start", "end", "source")
ROLES = labels.SECRETARY_ROLES
ONE_SHOULDER = "书记兼主任"  # 一肩挑: the secretary is also 村委会主任
BACKGROUNDS = labels.SECRETARY_BACKGROUNDS

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
# What an end cell says while the secretary is still in office.
IN_OFFICE = frozenset({"至今", "今", "现在", "现任", "在任", "在职", "目前"})
_RANGE_SEPARATORS = ("至", "到", "—", "–", "~", "～", "-")


def parse_date(value: object, *, dotted_tens: bool = False) -> Period:
    """Read one roster date cell as the period it names: ``(first_day, last_day, None)``.

    Parameters
    ----------
    value : object
        The cell as stored.
    dotted_tens : bool
        The column writes its other months with two digits (2017.04, 2018.11), so its 2017.1 is October (Excel
        dropped the 0 of 2017.10); else 2017.1 is refused, as it may be January as well.

    Returns
    -------
    tuple
        As :func:`villagecon.parse.dates.read_date`: ``(first_day, last_day, None)``, ``(None, None, None)`` for
        an empty cell, ``(None, None, reason)`` for one that is no date.

    Examples
    --------
    >>> parse_date(2017.1)[2]
    'the number 2017.1 may be 2017年1月 or 2017年10月 (Excel drops the 0 of 2017.10): write 2017年1月 or 2017年10月'
    >>> parse_date(2017.1, dotted_tens=True)[0]
    datetime.date(2017, 10, 1)
    """
    return read_date(value, dotted_one="october" if dotted_tens else "refuse")


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
                right in IN_OFFICE or right == "" or parse_date(right)[0] is not None
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
    return (None if is_blank(text) else text), None


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


def read_cells(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
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

    starts: list[tuple[dt.date | None, dt.date | None]] = []
    ends: list[tuple[dt.date | None, dt.date | None]] = []
    for index in rows.index:
        # Cells as the sheet stored them: text, a date, a number, or None.
        start_value: object = rows.at[index, "start"]
        end_value: object = rows.at[index, "end"] if "end" in rows else None
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
        if end_text in IN_OFFICE:
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
    return bool(len(months) and months.str.len().eq(2).any() and not months.str.fullmatch(r"[2-9]").any())
