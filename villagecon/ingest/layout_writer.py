"""Write a layout file that says what inference decided, for an analyst to correct.

``villagecon inspect FILE --write-layout`` writes ``NAME.layout.toml`` beside ``NAME.xlsx``
(:func:`villagecon.ingest.layout_file.layout_path`) from what :func:`villagecon.ingest.ledger.read_ledger` found
(``Ledger.tables``, ``Ledger.columns``, ``Ledger.skipped``). Every key it writes is what the reader decided
anyway, so the file read back (:func:`villagecon.ingest.layout_file.read_layout`) gives the same ledger; the
analyst edits the one line inference got wrong. What a layout file cannot say safely (a line that would apply
to every table of a sheet holding several, a column of unknown header) is written as a comment to uncomment.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from villagecon.errors import UsageError
from villagecon.ingest.headers import LEFT_OUT, UNKNOWN, VALUE
from villagecon.ingest.layout_file import layout_path
from villagecon.ingest.ledger import HIDDEN, NOT_A_LEDGER, READ, UNREADABLE
from villagecon.ingest.words import DEFAULT_VOCABULARY, USER_ROLES
from villagecon.outputs import write_atomic
from villagecon.parse.amounts import UNIT_FACTORS

if TYPE_CHECKING:
    from villagecon.ingest.ledger import Ledger

_ROLE_WORDS = {role: word for word, role in USER_ROLES.items()}
_COMMENT_LENGTH = 64
_WHOLE = ("table", "year", "header_first", "header_last", "body_first", "body_last")


def records(frame: pd.DataFrame) -> list:
    """The rows of ``frame`` as named tuples: None where a value is missing, whole numbers as int (a column with
    a gap is float)."""
    frame = frame.astype(object).where(frame.notna(), None)
    for name in _WHOLE:
        if name in frame:
            frame[name] = pd.Series([None if v is None else int(v) for v in frame[name]], frame.index, dtype=object)
    return list(frame.itertuples(index=False))


def grouped(items: list, *keys: str) -> dict[tuple, list]:
    """``items`` (named tuples) by the values of their fields ``keys``, in order."""
    found: dict[tuple, list] = {}
    for item in items:
        found.setdefault(tuple(getattr(item, key) for key in keys), []).append(item)
    return found


def sheets_of(ledger: Ledger) -> pd.DataFrame:
    """Every sheet :func:`~villagecon.ingest.ledger.read_ledger` met, in reading order (``ledger.sheets``), with the
    reason a skipped one was skipped. A file that could not be opened has one row (sheet ``""``, UNREADABLE)
    and is not in ``ledger.files``."""
    reasons = ledger.skipped[["file", "sheet", "reason"]]
    return ledger.sheets.merge(reasons, on=["file", "sheet"], how="left")


def _of_file(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    return frame.loc[frame["file"].eq(file)]


def toml_string(text: str) -> str:
    r"""``text`` as a TOML basic string: quotes, backslashes and control characters escaped, Chinese as is.

    >>> print(toml_string('表"1"\\副本\n'))
    "表\"1\"\\副本\n"
    """
    escaped = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    return (
        '"'
        + "".join(escaped.get(c) or (f"\\u{ord(c):04X}" if unicodedata.category(c) == "Cc" else c) for c in text)
        + '"'
    )


def _comment(text: str, length: int = _COMMENT_LENGTH) -> str:
    """Text fit for a TOML comment: one line, no control characters, at most ``length`` characters."""
    text = re.sub(r"\s+", " ", "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(text))).strip()
    return text if len(text) <= length else text[: length - 1] + "…"


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or editor: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(assignment: str, comment: str | None = None, length: int = _COMMENT_LENGTH) -> str:
    if not comment:
        return assignment
    return f"{assignment}{' ' * max(1, 28 - display_width(assignment))} # {_comment(comment, length)}"


def states_year(header: str) -> bool:
    """Whether a column's header names its year (2021年, 2022年末数), not only a period (本年数) or nothing."""
    return any(DEFAULT_VOCABULARY.word(layer).year is not None for layer in header.split("/"))


def layout_text(ledger: Ledger, file: str) -> str:
    """The layout file of the ledger file ``file`` (named as in ``ledger.files``) as ``ledger`` read it."""
    lines = [
        f"# Layout of {_comment(PurePosixPath(file).name, 200)}: how villagecon understood it, written by",
        "# `villagecon inspect --write-layout`. villagecon reads this file with the ledger beside it and takes",
        "# what it says over its own inference. Correct a value that inference got wrong; delete a line to let",
        "# villagecon infer it again (delete this file to infer everything again). Keys of a sheet's section:",
        "#   header_rows = [3, 4]     the header's rows, as Excel numbers them",
        '#   village_column = "B"     the column of village names',
        '#   unit = "万元"            unit of bare numbers (元, 千元, 万元, 亿元; a unit in a cell or header wins)',
        "#   year = 2022              year of every amount no column or row dates",
        "#   skip = true              do not read this sheet",
        '# and under [sheets."NAME".columns], column letter = a line item (operating_income, …), "ignore",',
        *textwrap.wrap(
            f"or a role: {', '.join(r for r in USER_ROLES if r != 'ignore')}.",
            100,
            initial_indent="# ",
            subsequent_indent="#   ",
        ),
    ]
    tables, columns = (grouped(records(_of_file(frame, file)), "sheet") for frame in (ledger.tables, ledger.columns))
    for sheet in _of_file(sheets_of(ledger), file).itertuples(index=False):
        lines += ["", *_sheet_lines(sheet, tables.get((sheet.sheet,), []), columns.get((sheet.sheet,), []))]
    return "\n".join(lines) + "\n"


def _sheet_lines(sheet, tables: list, columns: list) -> list[str]:
    name = f"sheets.{toml_string(sheet.sheet)}"
    section = f"[{name}]"
    shown = _comment(sheet.sheet or "(the CSV file)", 80)
    if sheet.status == HIDDEN:
        return [
            f"# Sheet {shown} is hidden by the workbook and was not read (--include-hidden reads it).",
            f"# {section}",
        ]
    if sheet.status == NOT_A_LEDGER:
        return [
            f"# Sheet {shown} is not read: {_comment(sheet.reason or '', 120)}.",
            "# If it does, uncomment the section and say where its header is:",
            f"# {section}",
            "# header_rows = [3]",
        ]
    if sheet.status == UNREADABLE:
        return [
            f"# Sheet {shown} could not be read: {_comment(sheet.reason or '', 300)}",
            "# Say what inference could not find (uncomment the lines you need):",
            section,
            "# header_rows = [3]",
            '# village_column = "A"',
            '# unit = "万元"',
            "# year = 2022",
        ]
    if not tables:
        return [f"# Sheet {shown}: no table.", section]
    first = tables[0]
    lines = [f"# Sheet {shown}: " + "; ".join(f"table {t.table} ({t.orientation})" for t in tables), section]
    bands = sorted({(t.header_first, t.header_last) for t in tables})
    header_rows = f"header_rows = [{', '.join(map(str, range(first.header_first, first.header_last + 1)))}]"
    if len(bands) == 1:
        body = f", body rows {first.body_first}-{first.body_last}" if first.body_first is not None else ""
        lines.append(_line(header_rows, f"header {_span(*bands[0])}{body}"))
    else:
        lines.append(
            _line(
                f"# {header_rows}",
                f"not written: {len(tables)} tables one under the other (header rows "
                f"{' and '.join(_span(*b) for b in bands)}); it can name one table's "
                "header only",
                160,
            )
        )

    villages: dict[int, Any] = {}  # each table's first village column (a row of `records`: a named tuple)
    for column in columns:
        if column.role == "village":
            villages.setdefault(column.table, column)
    village: Any = next(iter(villages.values()), None)  # read below only when there is one
    if len(villages) == len(tables) and len({v.column for v in villages.values()}) == 1:
        lines.append(_line(f"village_column = {toml_string(village.column)}", village.header))
    elif villages:
        found = ", ".join(f"{v.column} in table {v.table}" for v in villages.values())
        lines.append(
            _line(
                f"# village_column = {toml_string(village.column)}",
                f"not written: the tables differ ({found}); it would apply to every table",
                160,
            )
        )
    elif not any(c.village for c in columns) and not any(t.village for t in tables):
        unknown = next((c.column for c in columns if c.role == UNKNOWN), "")
        lines.append(
            _line(
                f"# village_column = {toml_string(unknown)}", "no village found: is this the column of village names?"
            )
        )

    values = [c for c in columns if c.role == VALUE]
    if any(c.role == "unit_column" for c in columns) and first.unit is None:
        lines.append(_line('# unit = "万元"', "not written: each row's 计量单位 gives the unit"))
    elif values and all(c.unit for c in values) and first.unit is None:
        lines.append(_line('# unit = "万元"', "not written: every amount column's header gives the unit"))
    else:
        lines += _context_line("unit", [t.unit for t in tables], first.unit_source, valid=lambda u: u in UNIT_FACTORS)
    if values and all(states_year(c.header or "") for c in values) and first.year is not None:
        lines.append(
            _line(
                f"# year = {first.year}",
                f"not written: every amount column's header gives its year ({first.year_source} says {first.year})",
                160,
            )
        )
    else:
        lines += _context_line("year", [t.year for t in tables], first.year_source, valid=lambda y: isinstance(y, int))
    return [*lines, "", f"[{name}.columns]", *_column_lines(columns, len(tables))]


def _context_line(key: str, values: list, source: str | None, *, valid) -> list[str]:
    known = [v for v in values if v is not None]
    if not known:
        example = '"万元"' if key == "unit" else "2022"
        return [
            _line(
                f"# {key} = {example}", "none found in the sheet: uncomment and correct it if its amounts need one", 160
            )
        ]
    value = known[0]
    written = toml_string(value) if isinstance(value, str) else str(value)
    if len(set(values)) > 1:
        listed = ", ".join(str(v) for v in dict.fromkeys(values))
        return [
            _line(
                f"# {key} = {written}", f"not written: the tables differ ({listed}); it would apply to every table", 160
            )
        ]
    if not valid(value):
        return [f"# {key}: {_comment(written)} cannot be said in a layout file"]
    return [_line(f"{key} = {written}", f"from {source}" if source else None)]


def _column_lines(columns: list, tables: int) -> list[str]:
    """``letter = meaning`` for the columns a layout line can say for every table of the sheet; comments for
    the others (roles, unknown headers, columns of one table among several)."""
    lines = []
    if tables > 1:
        lines += [
            f"# The sheet holds {tables} tables and a line here applies to each of them: only a column",
            "# that means the same in all of them is written.",
        ]
    by_letter = grouped(columns, "column")
    for (letter,) in sorted(by_letter, key=lambda key: (len(key[0]), key[0])):
        found = by_letter[(letter,)]
        said = {_written(c) for c in found}
        column = found[0]
        header = column.header or "(no header)"
        if len(found) == tables and len(said) == 1 and None not in said:
            lines.append(_line(f"{letter} = {toml_string(cast('str', said.pop()))}", header))  # None not in said
        elif len(found) < tables or len(said) > 1:
            where = "; ".join(f"table {c.table}: {_comment(c.header or '(no header)', 30)}, {c.meaning}" for c in found)
            lines.append(f"# {letter}: {_comment(where, 160)}")
        elif column.role == UNKNOWN:
            lines.append(_line(f'# {letter} = ""', f"{header}: unknown, its amounts are rejected; write its item"))
        elif column.role in _ROLE_WORDS and column.role != "village":  # village_column says the village
            lines.append(_line(f"# {letter} = {toml_string(_ROLE_WORDS[column.role])}", header))
        elif column.role != "village":
            lines.append(f"# {letter}: {_comment(header, 40)} ({_comment(column.meaning, 80)})")
    return lines


def _written(column) -> str | None:
    """What a layout line says of a column for the reader to decide the same, or None when it cannot."""
    if column.role == VALUE and column.item:
        return column.item
    return "ignore" if column.role == LEFT_OUT else None


def _span(first: int, last: int) -> str:
    return f"{first}-{last}" if last > first else str(first)


def write_layout(path: Path | str, ledger: Ledger, *, file: str | None = None, force: bool = False) -> Path:
    """Write ``NAME.layout.toml`` beside the ledger file ``path`` (``NAME.xlsx``), saying what ``ledger`` (read
    from it, or from the folder holding it: ``file`` names it as ``ledger.files`` does) found in it.

    Raises
    ------
    UsageError
        The layout file exists and ``force`` is false: it is never overwritten silently.
    """
    target = layout_path(Path(path))
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists: it was not overwritten. Edit it, delete it, or pass --force to "
            "replace it with what villagecon infers now (with that file applied)"
        )
    text = layout_text(ledger, file or Path(path).name)
    return write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))


__all__ = [
    "READ",
    "display_width",
    "grouped",
    "layout_text",
    "records",
    "sheets_of",
    "states_year",
    "toml_string",
    "write_layout",
]
