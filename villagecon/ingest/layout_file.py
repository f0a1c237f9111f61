"""A small layout file beside a ledger that fixes what inference got wrong.

``汝城县2022.xlsx`` may have ``汝城县2022.layout.toml`` beside it::

    # What villagecon cannot infer from 汝城县2022.xlsx. Delete a line to let it infer that again.
    [sheets."2022年"]
    header_rows = [3, 4]          # the header's rows (1-based, as Excel numbers them)
    village_column = "B"          # the column of village names
    unit = "万元"                 # unit of bare numbers (a unit written in a cell still wins)
    year = 2022                   # year of every amount that no column or row dates
    skip = false                  # true: do not read this sheet

    [sheets."2022年".columns]     # column letter = a line item, a role, or "ignore"
    C = "operating_income"
    K = "ignore"

``[sheets."*"]`` applies to every sheet without a section of its own; a CSV's one sheet is ``[sheets.""]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from villagecon.errors import Location, UsageError
from villagecon.ingest.words import USER_ROLES
from villagecon.parse.amounts import UNIT_FACTORS
from villagecon.vocab import labels

__all__ = ["LAYOUT_SUFFIX", "Layout", "SheetLayout", "find_layout", "layout_path", "read_layout"]

LAYOUT_SUFFIX = ".layout.toml"
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_KEYS = {"header_rows", "village_column", "unit", "year", "skip", "columns"}


@dataclass(frozen=True)
class SheetLayout:
    """What a layout file says of one sheet; None (or empty) where inference decides."""

    header_rows: tuple[int, ...] | None = None
    village_column: str | None = None
    unit: str | None = None
    year: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    skip: bool = False
    # Where it was said, for messages: the layout file's name and section (濠头乡2022.layout.toml [sheets."汇总"]).
    said_in: str = field(default="", compare=False)


@dataclass(frozen=True)
class Layout:
    """A ledger file's layout file: a :class:`SheetLayout` per sheet name (``"*"``: every other sheet)."""

    path: Path
    sheets: Mapping[str, SheetLayout]

    def for_sheet(self, sheet: str) -> SheetLayout | None:
        return self.sheets.get(sheet) or self.sheets.get("*")


def layout_path(ledger: Path) -> Path:
    """Where the layout file of a ledger lies: ``NAME.layout.toml`` beside ``NAME.xlsx``."""
    ledger = Path(ledger)
    return ledger.with_name(ledger.name.rsplit(".", 1)[0] + LAYOUT_SUFFIX)


def find_layout(ledger: Path) -> Layout | None:
    """The layout file beside ``ledger``, read, or None when there is none."""
    path = layout_path(ledger)
    return read_layout(path) if path.is_file() else None


def read_layout(path: Path | str) -> Layout:
    """Read a layout file.

    Raises
    ------
    UsageError
        The file is not TOML, or a value is not what its key takes; the message names the file and the key.
    """
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the layout file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"{Location(path.name)}: not a valid layout file ({exc}); see the example in "
            "`villagecon inspect FILE --write-layout`"
        ) from None
    sheets = document.get("sheets", {})
    if set(document) - {"sheets"} or not isinstance(sheets, dict):
        raise UsageError(
            f'{Location(path.name)}: a layout file holds [sheets."NAME"] sections only, not '
            f"{sorted(set(document) - {'sheets'})}"
        )
    if loose := {name: spec for name, spec in sheets.items() if not isinstance(spec, dict)}:
        name, spec = next(iter(loose.items()))
        raise UsageError(
            f"{Location(path.name)}: {name} = {spec!r} is written under [sheets] itself; a key goes under the "
            f'section of the sheet it is about: [sheets."NAME"] for the sheet NAME, [sheets."*"] for every sheet'
        )
    return Layout(path=path, sheets={name: _sheet(path, name, spec) for name, spec in sheets.items()})


def _sheet(path: Path, name: str, spec) -> SheetLayout:
    def bad(key: str, what: str) -> UsageError:
        return UsageError(f"{Location(path.name, name or None)}: {key} {what}")

    if not isinstance(spec, dict):
        raise bad("the section", "must be a table of keys")
    if unknown := set(spec) - _KEYS:
        raise bad(", ".join(sorted(unknown)), f"is not a layout key (the keys: {', '.join(sorted(_KEYS))})")
    rows = spec.get("header_rows")
    if rows is not None and (
        not isinstance(rows, list)
        or not rows
        or not all(isinstance(r, int) and r >= 1 for r in rows)
        or rows != list(range(rows[0], rows[0] + len(rows)))
    ):
        raise bad("header_rows", f"must list consecutive row numbers such as [3, 4], not {rows!r}")
    village = spec.get("village_column")
    if village is not None and not (isinstance(village, str) and _LETTERS.match(village)):
        raise bad("village_column", f'must be a column letter such as "B", not {village!r}')
    unit = spec.get("unit")
    if unit is not None and unit not in UNIT_FACTORS:
        raise bad("unit", f"must be one of {', '.join(UNIT_FACTORS)}, not {unit!r}")
    year = spec.get("year")
    if year is not None and not (isinstance(year, int) and 1949 <= year <= 2100):
        raise bad("year", f"must be a year such as 2022, not {year!r}")
    skip = spec.get("skip", False)
    if not isinstance(skip, bool):
        raise bad("skip", f"must be true or false, not {skip!r}")
    columns = spec.get("columns", {})
    if not isinstance(columns, dict):
        raise bad("columns", "must be a table of column letter = meaning")
    for letter, meaning in columns.items():
        if not _LETTERS.match(str(letter)):
            raise bad(f"columns.{letter}", "is not a column letter such as C")
        if meaning not in labels.ENTRY_ITEMS and meaning not in USER_ROLES:
            raise bad(
                f"columns.{letter}",
                f"= {meaning!r} is neither a line item ({', '.join(labels.ACCOUNT_ITEMS)}, "
                f"…) nor a role ({', '.join(USER_ROLES)})",
            )
    return SheetLayout(
        header_rows=tuple(rows) if rows else None,
        village_column=village,
        unit=unit,
        year=year,
        columns=dict(columns),
        skip=skip,
        said_in=f'{path.name} [sheets."{name}"]',
    )
