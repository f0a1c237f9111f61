"""CSV ledgers: the encoding (UTF-8 with or without BOM, GBK/GB18030) and the delimiter found, never guessed into
mojibake."""

from __future__ import annotations

import codecs
import csv
import io as stdio
import re

import pandas as pd

from villagecon.errors import LedgerFileError, Location
from villagecon.ingest.raw_sheet import RawSheet
from villagecon.ingest.read_limits import ReadLimits, too_big

__all__ = ["csv_delimiter", "decode_csv", "read_csv"]

# Words a ledger contains; a decoding that yields none of them is a wrong guess, not a ledger.
_LEDGER_WORDS = re.compile(r"村|收入|支出|科目|项目|金额|合计|年|单位|资产|负债|收益")
# Unicode's private-use characters (category Co), all three planes of them: one search, not a test per character.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def decode_csv(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """Decode CSV bytes: the given encoding, else UTF-8 (BOM or not), else GB18030 (a superset of GBK).

    A decoding is accepted only if it is strict (no replacement characters) and
    reads like a Chinese ledger; otherwise the file is refused rather than turned
    into mojibake.
    """
    where = Location(name)
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise LedgerFileError(
                f"cannot decode as {encoding}: {exc}",
                where=where,
                hint="Pass the encoding the file was saved in, or save it as UTF-8",
            ) from None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise LedgerFileError(
                    f"starts with a {codec} byte-order mark but is not valid {codec} (byte {exc.start + len(bom)})",
                    where=where,
                    hint="The file is damaged or mixes encodings; export it again",
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise LedgerFileError(
            f"neither UTF-8 nor GBK/GB18030 (undecodable byte at {exc.start})",
            where=where,
            hint="Save the file as UTF-8 CSV, or pass encoding=",
        ) from None
    if _PRIVATE_USE.search(text) or not _LEDGER_WORDS.search(text):
        raise LedgerFileError(
            "the encoding could not be told: as GBK it does not read like a ledger",
            where=where,
            hint="Save the file as UTF-8 CSV, or pass encoding=",
        )
    return text


def read_csv(data: bytes, *, name: str, encoding: str | None, limits: ReadLimits) -> RawSheet:
    text = decode_csv(data, name=name, encoding=encoding)
    records, width = [], 0
    try:
        for record in csv.reader(stdio.StringIO(text, newline=""), delimiter=csv_delimiter(text)):
            records.append(record)
            width = max(width, len(record))
            # Checked row by row: a million commas in one line would otherwise pad every row to that width.
            if len(records) * width > limits.cells:
                raise too_big(
                    f"the CSV holds at least {len(records):,} rows × {width:,} columns",
                    limits.cells,
                    "cells",
                    Location(name, None, len(records)),
                    option="--max-cells",
                    variable="VILLAGECON_MAX_CELLS",
                    field="cells",
                )
    except csv.Error as exc:
        raise LedgerFileError(
            f"malformed CSV: {exc}", where=Location(name), hint="Open it in Excel and save as CSV again"
        ) from None
    grid = pd.DataFrame(
        [record + [""] * (width - len(record)) for record in records],
        index=pd.RangeIndex(1, len(records) + 1),
        columns=range(width),
        dtype=object,
    )
    return RawSheet(file=name, sheet="", grid=grid)


def csv_delimiter(text: str) -> str:
    """The character between a CSV's fields: a comma, or, where the first lines hold none, the tab (Excel's
    "Unicode text" saved as .csv) or the semicolon they hold on most lines."""
    lines = [line for line in text[:65_536].splitlines()[:20] if line.strip()]

    def on_lines(mark: str) -> int:
        return sum(mark in line for line in lines)

    if not lines or on_lines(",") * 2 >= len(lines):
        return ","
    return max(("\t", ";", "|", ","), key=on_lines)
