"""Spreadsheet journals: one book per sheet (or CSV file), its place and year from the title."""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from villagecon.errors import VillageconError
from villagecon.ingest.files import RawSheet, ReadLimits, cell_ref, iter_ledger_files, read_sheets
from villagecon.ingest.register import match_villages, read_register
from villagecon.journal.clean_rows import clean_journal_frame
from villagecon.journal.columns import BANK_BOOK, CASH_BOOK, JournalLayoutError, as_raw
from villagecon.journal.combine import Journal, combine_partitions
from villagecon.journal.partition_tables import partition_results
from villagecon.journal.progress import progress_bar
from villagecon.parse.amounts import unit_from_text
from villagecon.parse.cell_text import as_text
from villagecon.vocab.journal_items import (
    BALANCE,
    COUNTER,
    CREDIT,
    DATE,
    DAY,
    DEBIT,
    DIRECTION,
    JOURNAL_ROLE_BY_KEY,
    MONTH,
    SUMMARY,
    VOUCHER,
    VOUCHER_NUMBER,
    VOUCHER_WORD,
    YEAR,
)
from villagecon.vocab.names import village_key
from villagecon.vocab.synonyms import NOTE_PATTERN, header_key

__all__ = ["book_of", "journal_layout", "read_journal_sheet", "read_spreadsheets", "split_place"]

log = logging.getLogger(__name__)

_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
_PLACE_LABEL = re.compile(r"(?:核算单位|单位名称|单位)\s*[:：]\s*(?P<name>[^\s:：,，;；]+)")
_BOOK_WORDS = re.compile(
    r"现金日记账|银行存款日记账|银行日记账|日记账|现金|银行存款|(?:19|20)\d{2}\s*年度?|"
    r"[(（][^)）]*[)）]|[\s　]+"
)
# 汝城县濠头乡上河村 → county, township, village (chenzhou's names keep 县/乡/村 out of the middle of names).
_PLACE = re.compile(
    r"^(?:(?P<city>\S{1,6}?市)(?=\S{2,}))?(?P<county>\S{1,6}?(?:县|区|市))?"
    r"(?P<township>\S{1,8}?(?:乡|镇|街道))?(?P<village>\S+?)$"
)
_DATE_PARTS = r"(?:(?P<year>(?:19|20)\d{2})\D{1,3})?(?P<month>\d{1,2})\D{1,3}(?P<day>\d{1,2})"


def split_place(text: str) -> dict[str, str | None]:
    """County, township and village of a name like ``汝城县濠头乡上河村股份经济合作社``.

    Parameters
    ----------
    text : str

    Returns
    -------
    dict
        county, township, village; None for a part not written (a 市 of 资兴市白鹭乡 is the county).

    Examples
    --------
    >>> split_place("汝城县濠头乡上河村")
    {'county': '汝城县', 'township': '濠头乡', 'village': '上河村'}
    """
    match = _PLACE.match(text.strip())
    if match is None:
        return {"county": None, "township": None, "village": None}
    county = match["county"] or match["city"]  # 资兴市白鹭乡: the 市 is the county
    return {"county": county, "township": match["township"], "village": match["village"]}


def book_of(text: str) -> str | None:
    """Which book a title, sheet or file name speaks of.

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None
        银行存款日记账, 现金日记账, or None.
    """
    if "银行" in text:
        return BANK_BOOK
    if "现金" in text:
        return CASH_BOOK
    return None


def _header_roles(values: Iterable[object]) -> dict[int, str]:
    roles = {}
    for col, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            role = JOURNAL_ROLE_BY_KEY.get(header_key(value))
            if role:
                roles[col] = role
    return roles


def journal_layout(sheet: RawSheet) -> tuple[int, int, dict[str, int]] | None:
    """Where a journal sheet's header and rows are, or None when it is not a journal.

    The header is the first row (of 20) naming 摘要, 借方 (or 收入) and 余额 (or 贷方); a second header row
    under it (月 | 日 | 字 | 号 under ``2022年`` and ``凭证``) is read into the same roles.

    Parameters
    ----------
    sheet : RawSheet

    Returns
    -------
    (header row, first data row, {role: column}) or None
    """
    grid = sheet.grid
    for row in grid.index[:20]:
        roles = _header_roles(grid.loc[row])
        found = set(roles.values())
        if SUMMARY in found and DEBIT in found and (BALANCE in found or CREDIT in found):
            first_data = row + 1
            if row + 1 in grid.index:
                below = _header_roles(grid.loc[row + 1])
                if set(below.values()) & {MONTH, DAY, VOUCHER_WORD, VOUCHER_NUMBER}:
                    roles |= below
                    first_data = row + 2
            by_role: dict[str, int] = {}
            for col, role in sorted(roles.items()):
                by_role.setdefault(role, col)
            return row, first_data, by_role
    return None


def read_journal_sheet(
    sheet: RawSheet,
    *,
    county: str | None = None,
    township: str | None = None,
    village: str | None = None,
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw journal rows of one sheet, and where its fields are.

    The village and year come from the arguments, else the rows above the header (``核算单位：汝城县濠头乡
    上河村``, ``2022年``), else the sheet and file names; 月 and 日 written once for several lines are
    carried down, as a reader of the book would.

    Parameters
    ----------
    sheet : RawSheet
        One sheet (or CSV file) of a journal.
    county, township, village : str, optional
        For a sheet whose title does not say them.
    year : int, optional
        For a sheet whose title and columns do not say it.

    Returns
    -------
    (raw, cells) : tuple of DataFrame
        :data:`~villagecon.journal.columns.RAW_COLUMNS` (``attrs["unit"]``: a 单位 written above the
        header, or None), and file, sheet, field, letters of the fields found.

    Raises
    ------
    JournalLayoutError
        No header, no year, or no village: the message names the file and sheet.
    """
    layout = journal_layout(sheet)
    if layout is None:
        raise JournalLayoutError(
            "no journal header (摘要, 借方/收入, 余额) in the first 20 rows",
            where=sheet.where(),
            hint="Check this is a 现金日记账 or 银行存款日记账",
        )
    header, first_data, roles = layout
    grid = sheet.grid
    above = [str(v) for v in grid.loc[:header].to_numpy().ravel() if isinstance(v, str) and v.strip()]
    names = [*above, sheet.sheet, Path(sheet.file).stem]
    body = grid.loc[first_data:]
    n = len(body)

    def column(role: str) -> pd.Series:
        if role not in roles:
            return pd.Series([None] * n, index=body.index, dtype=object)
        return body[roles[role]].where(body[roles[role]].map(lambda v: not (isinstance(v, str) and not v.strip())))

    month = _small_number(column(MONTH))
    day = _small_number(column(DAY))
    years = pd.to_numeric(column(YEAR).astype("str").str.extract(r"(\d{4})")[0], errors="coerce")
    if DATE in roles:
        dates = column(DATE).astype("str").str.extract(_DATE_PARTS)
        years = years.fillna(pd.to_numeric(dates["year"], errors="coerce"))
        month = month.fillna(pd.to_numeric(dates["month"], errors="coerce"))
        day = day.fillna(pd.to_numeric(dates["day"], errors="coerce"))
    stated_year = year or next((int(m[1]) for text in names if (m := _YEAR_IN_TEXT.search(text))), None)
    years = years.ffill().fillna(stated_year)
    if years.isna().any():
        raise JournalLayoutError(
            "no year: not in a 年 or 日期 column, the title, the sheet or the file name",
            where=sheet.where(header),
            hint="Write the year in the title (2022年) or pass year=",
        )
    voucher = column(VOUCHER)
    if VOUCHER_WORD in roles or VOUCHER_NUMBER in roles:
        voucher = (
            column(VOUCHER_WORD).astype("str").fillna("") + column(VOUCHER_NUMBER).map(as_text).astype("str").fillna("")
        ).replace("", None)

    place = {"county": county, "township": township, "village": village}
    if not village:
        label = next((m["name"] for text in above if (m := _PLACE_LABEL.search(text))), None)
        candidates = [label] if label else []
        candidates += [_BOOK_WORDS.sub("", text) for text in names]
        for text in filter(None, candidates):
            found = split_place(text)
            if found["village"] and re.search(r"村|社区|居委会", found["village"]):
                place = {k: place[k] or found[k] for k in place}
                break
    if not place["village"]:
        raise JournalLayoutError(
            "no village: write it in the title (核算单位：汝城县濠头乡上河村) or pass village=",
            where=sheet.where(header),
            hint="The sheet or file name may also name it",
        )
    book = next(filter(None, (book_of(text) for text in names)), "日记账")
    unit = next(filter(None, (unit_from_text(text) for text in above)), None)
    unit = unit or next((unit_from_text(v) for v in grid.loc[header] if unit_from_text(v)), None)

    summary = column(SUMMARY).map(as_text).replace("", None)
    # A note under the table (审核人：…, 注：…) may stand in any column: read it as the row's 摘要.
    text_cells = body.map(lambda v: isinstance(v, str) and bool(v.strip()))
    first_text = body.where(text_cells).bfill(axis=1).iloc[:, 0] if n else summary
    is_note = first_text.astype("str").str.contains(NOTE_PATTERN.pattern, regex=True).fillna(False).astype(bool)
    summary = summary.where(~(is_note & summary.isna()), first_text)
    # 月 and 日 written once for several lines apply to the lines below, as in the printed book.
    month = month.ffill()
    day = day.where(month.eq(month.shift()) | day.notna()).ffill()

    raw = pd.DataFrame(
        {
            "county": place["county"],
            "township": place["township"],
            "village": place["village"],
            "village_code": None,
            "book": book,
            "year": years.astype("int64"),
            "month": month,
            "day": day,
            "voucher": voucher.map(lambda v: None if v is None or v != v else as_text(v)),
            "summary": summary,
            "counter_account": column(COUNTER).map(lambda v: None if v is None or v != v else as_text(v)),
            "debit": column(DEBIT),
            "credit": column(CREDIT),
            "direction": column(DIRECTION),
            "balance": column(BALANCE),
            "file": sheet.file,
            "sheet": sheet.sheet,
            "row": body.index.to_numpy(),
        },
        index=body.index,
    )
    raw.attrs["unit"] = unit
    role_of_field = {
        "debit": DEBIT,
        "credit": CREDIT,
        "balance": BALANCE,
        "summary": SUMMARY,
        "counter_account": COUNTER,
        "month": MONTH,
    }
    cells = pd.DataFrame(
        [
            {"file": sheet.file, "sheet": sheet.sheet, "field": name, "letters": cell_ref(None, roles[role])}
            for name, role in role_of_field.items()
            if role in roles
        ],
        columns=["file", "sheet", "field", "letters"],
    ).astype("str")
    return as_raw(raw), cells


def _small_number(values: pd.Series) -> pd.Series:
    """月 or 日 as written (3, "03", "3月") → a float with NaN where none."""
    return pd.to_numeric(values.map(as_text).astype("str").str.extract(r"^\s*(\d{1,2})")[0], errors="coerce")


def read_spreadsheets(
    root: Path,
    *,
    register: Path | str | pd.DataFrame | None,
    unit: str | None,
    encoding: str | None,
    keep_lines: bool,
    progress: bool | None,
    place: dict[str, Any],
    limits: ReadLimits | None,
) -> Journal:
    """Clean every journal sheet of the spreadsheets at ``root``, sheet by sheet.

    Parameters
    ----------
    root : Path
        A spreadsheet or a folder of them.
    register : path-like or DataFrame, optional
        Village register, for codes and official names.
    unit : str or None
        Unit of bare numbers (default: a 单位 written above the header, else 元).
    encoding : str or None
        Encoding of CSV files.
    keep_lines : bool
        Keep every cleaned row.
    progress : bool, optional
        A progress bar over files.
    place : dict
        county, township, village, year for :func:`read_journal_sheet`.
    limits : ReadLimits, optional
        Sizes past which a file is refused.

    Returns
    -------
    Journal
        Sheets without a journal header are listed in ``skipped``.

    Raises
    ------
    VillageconError
        No spreadsheet at ``root``, or none with a journal header.
    """
    start = time.perf_counter()
    register_table = read_register(register) if isinstance(register, (str, Path)) else register
    register_path = Path(register).resolve() if isinstance(register, (str, Path)) else None
    files = [f for f in iter_ledger_files(root) if f.resolve() != register_path]
    if not files:
        raise VillageconError(f"no journal files (.xlsx, .xls, .csv) in {root}")
    parts: list[dict[str, pd.DataFrame]] = []
    kept: list[pd.DataFrame] = []
    skipped: list[dict[str, str]] = []
    matched: dict[tuple[object, ...], pd.Series] = {}
    show = progress if progress is not None else len(files) > 20 and sys.stderr.isatty()
    with progress_bar(len(files), show=show, description="journal files") as advance:
        for file in files:
            name = file.name if root.is_file() else file.relative_to(root).as_posix()
            for sheet in read_sheets(file, name=name, encoding=encoding, limits=limits):
                if journal_layout(sheet) is None:
                    skipped.append({"file": name, "sheet": sheet.sheet, "reason": "no journal header"})
                    continue
                raw, cells = read_journal_sheet(sheet, **place)
                raw = _with_register(raw, register_table, matched)
                lines = clean_journal_frame(raw, unit=unit or raw.attrs.get("unit") or "元")
                parts.append(partition_results(lines, cells=cells))
                if keep_lines:
                    kept.append(lines)
            advance(1)
    if not parts:
        raise VillageconError(f"no journal sheets in {root}: none has a header with 摘要, 借方/收入 and 余额")
    return combine_partitions(
        parts,
        start=start,
        lines=pd.concat(kept, ignore_index=True) if keep_lines else None,
        skipped=pd.DataFrame(skipped, columns=["file", "sheet", "reason"]),
    )


def _with_register(
    raw: pd.DataFrame, register: pd.DataFrame | None, matched: dict[tuple[object, ...], pd.Series]
) -> pd.DataFrame:
    """The book's village from the register (code and official names); an unknown one rejects its lines."""
    if raw.empty:
        return raw
    written = tuple(None if pd.isna(v) else v for v in raw[["village", "township", "county"]].iloc[0])
    if register is None:
        return raw.assign(village=village_key(written[0]))
    if written not in matched:
        names = pd.DataFrame([written], columns=["village", "township", "county"])
        matched[written] = match_villages(names, register).iloc[0]
    found = matched[written]
    if pd.notna(found["problem"]):
        return raw.assign(problem=found["problem"], reason=found["reason"])
    return raw.assign(
        county=found["county"], township=found["township"], village=found["village"], village_code=found["village_code"]
    )
