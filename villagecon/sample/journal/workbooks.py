"""The journal sample's books as printed spreadsheets: one workbook per village and year, and one GBK CSV."""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from villagecon.journal import BANK_BOOK, CASH_BOOK
from villagecon.outputs import write_atomic
from villagecon.sample.journal.defects import DEFECT_COLUMNS
from villagecon.sample.journal.parquet_set import DEFAULT_LINES, JournalSample, journal_partitions
from villagecon.sample.process import DEFAULT_SEED, DEFAULT_VILLAGES, DEFAULT_YEARS
from villagecon.sample.truth import sample_truth

__all__ = ["CSV_HEADER", "HEADER_ROWS", "WORKBOOK_HEADER", "write_journal_workbooks"]

WORKBOOK_HEADER = ("月", "日", "凭证号", "摘要", "对方科目", "借方", "贷方", "借或贷", "余额")
CSV_HEADER = ("日期", "凭证号", "摘要", "对方科目", "收入", "支出", "余额")
HEADER_ROWS = 3  # title, 核算单位 line, header: line n of a book is row n + 3 of its sheet


def write_journal_workbooks(
    out: Path | str,
    *,
    seed: int = DEFAULT_SEED,
    villages: int = DEFAULT_VILLAGES,
    years: Iterable[int] = DEFAULT_YEARS,
    lines_per_village_year: int = DEFAULT_LINES,
    defects: bool = True,
) -> JournalSample:
    """Write the books of :func:`write_journal_sample` as printed journals, one workbook per village and year.

    Each workbook (``county/township/村名2022年日记账.xlsx``) has a 现金日记账 and a 银行存款日记账 sheet:
    a title, ``核算单位：县乡村股份经济合作社  2022年  单位：元``, the header 月 | 日 | 凭证号 | 摘要 |
    对方科目 | 借方 | 贷方 | 借或贷 | 余额, and the rows (line n is row n + 3). The first village's first
    cash book is a GBK CSV instead (日期 | 收入 | 支出 columns), as some offices export it. Same seed and
    arguments, same books as the parquet set: their accounts are equal.

    Parameters
    ----------
    out : path-like
        Folder to write into.
    seed, villages, years, lines_per_village_year, defects :
        As for :func:`~villagecon.sample.write_journal_sample`.

    Returns
    -------
    JournalSample
    """
    out = Path(out)
    truth = sample_truth(seed=seed, villages=villages, years=years)
    files, rows, planted = [], 0, []
    first = True
    partitions = journal_partitions(truth, seed=seed, lines_per_village_year=lines_per_village_year, defects=defects)
    for county, year, table, found in partitions:
        frame = table.to_pandas()
        rows += len(frame)
        planted.append(found)
        for (township, village), books in frame.groupby(["township", "village"], sort=False):
            folder = out / county / township
            path = folder / f"{village}{year}年日记账.xlsx"
            unit_line = f"核算单位：{county}{township}{village}股份经济合作社　　{year}年　　单位：元"
            sheets = dict(tuple(books.groupby("book", sort=False)))
            if first:
                cash = sheets.pop(CASH_BOOK)
                csv_path = folder / f"{village}{year}年现金日记账.csv"
                text = _journal_csv(cash, unit_line, year)
                files.append(write_atomic(csv_path, functools.partial(_write_bytes, text.encode("gb18030"))))
                first = False

            def write(p: Path, sheets: dict[str, pd.DataFrame] = sheets, unit_line: str = unit_line) -> None:
                workbook = xlsxwriter.Workbook(str(p), {"in_memory": True})
                workbook.set_properties(
                    {
                        "created": pd.Timestamp("2024-01-01").to_pydatetime(),
                        "comments": "合成样例数据 (synthetic sample data)",
                    }
                )
                for name in (CASH_BOOK, BANK_BOOK):
                    if name in sheets:
                        _journal_sheet(workbook.add_worksheet(name), sheets[name], name, unit_line)
                workbook.close()

            files.append(write_atomic(path, write))
    defects_table = pd.concat(planted, ignore_index=True) if planted else pd.DataFrame(columns=DEFECT_COLUMNS)
    return JournalSample(path=out, files=files, rows=rows, truth=truth, defects=defects_table)


def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)


def _cell_values(texts: pd.Series) -> list[object]:
    """Amount texts as spreadsheet cells: numbers where they are plain numbers, the text otherwise (a defect)."""
    numbers = pd.to_numeric(texts.str.replace(",", "", regex=False), errors="coerce")
    return [
        None if pd.isna(t) else (float(v) if not pd.isna(v) else t)
        for t, v in zip(texts.astype(object), numbers, strict=True)
    ]


def _journal_sheet(sheet: Worksheet, book: pd.DataFrame, name: str, unit_line: str) -> None:
    sheet.write_row(0, 0, [name])
    sheet.write_row(1, 0, [unit_line])
    sheet.write_row(2, 0, list(WORKBOOK_HEADER))
    columns = [
        book["month"].astype(object),
        book["day"].astype(object),
        book["voucher"],
        book["summary"],
        book["counter_account"],
        pd.Series(_cell_values(book["debit"])),
        pd.Series(_cell_values(book["credit"])),
        pd.Series(["借"] * len(book)),
        pd.Series(_cell_values(book["balance"])),
    ]
    values = list(zip(*(c.tolist() for c in columns), strict=True))
    for offset, (line, row) in enumerate(zip(book["line"], values, strict=True)):
        assert line == offset + 1, "books are written line by line"
        sheet.write_row(HEADER_ROWS + offset, 0, [None if pd.isna(v) else v for v in row])


def _journal_csv(book: pd.DataFrame, unit_line: str, year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([CASH_BOOK])
    writer.writerow([unit_line])
    writer.writerow(list(CSV_HEADER))
    row: Any  # pandas-stubs types each field as every scalar type at once
    for row in book.itertuples(index=False):
        date = f"{year}-{int(row.month):02d}-{int(row.day):02d}" if not pd.isna(row.day) else ""
        writer.writerow(
            [
                date,
                *(
                    _text_or_empty(v)
                    for v in (row.voucher, row.summary, row.counter_account, row.debit, row.credit, row.balance)
                ),
            ]
        )
    return buffer.getvalue()


def _text_or_empty(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
