"""The village register: official names and codes, and matching ledger names to them.

A register is a CSV (or xlsx) with columns county, county_code, township,
village, village_code, aliases (``|``-separated other names). Matching is exact
on the normalised name (:func:`villagecon.vocab.names.village_key`) or an alias,
within the county and township the ledger names (where the register knows them).
A name that does not match, or matches only in another county or township, is
rejected with the closest register names as a suggestion — never matched by
guesswork.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from villagecon.errors import Location, RegisterError
from villagecon.ingest import files as io
from villagecon.vocab.names import village_key

__all__ = [
    "REGISTER_COLUMNS",
    "REGISTER_FILE",
    "find_register",
    "match_villages",
    "place_key",
    "read_register",
    "register_table",
]

REGISTER_COLUMNS = ("county", "county_code", "township", "village", "village_code", "aliases")
# The register's name in a folder of raw data, where clean, inspect and report look for it.
REGISTER_FILE = "register.csv"
_REQUIRED = ("county", "township", "village", "village_code")


def find_register(raw: Path | str, register: Path | str | None = None) -> Path | None:
    """The village register to use with the ledgers at ``raw``: ``register`` when given, else
    :data:`REGISTER_FILE` in ``raw`` when ``raw`` is a folder holding one.

    Parameters
    ----------
    raw : path-like
        A ledger file or a folder of them.
    register : path-like, optional
        The register the user named (``--register``); it is used as given.

    Returns
    -------
    Path or None
        None when no register is named and the folder holds none.
    """
    if register is not None:
        return Path(register)
    beside = Path(raw) / REGISTER_FILE
    return beside if Path(raw).is_dir() and beside.is_file() else None


def register_table(register: Path | str | pd.DataFrame | None) -> pd.DataFrame | None:
    """A register as :func:`read_register` gives it, from a path or a table already read (None stays None).

    Parameters
    ----------
    register : path-like, DataFrame or None
        A register file, or a table with at least county, township, village and village_code.

    Returns
    -------
    DataFrame or None
        Codes as text; ``aliases`` empty where the table has none.
    """
    if register is None:
        return None
    if isinstance(register, pd.DataFrame):
        table = register.astype({"village_code": "str"})
        return table if "aliases" in table else table.assign(aliases="")
    return read_register(register)


def read_register(path: Path | str) -> pd.DataFrame:
    """Read a village register into a DataFrame of :data:`REGISTER_COLUMNS` (codes as strings).

    Parameters
    ----------
    path : path-like
        A CSV (UTF-8 or GBK, as ledgers) or a workbook whose first sheet is the register.

    Returns
    -------
    DataFrame
        One row per village, columns :data:`REGISTER_COLUMNS`, all text.

    Raises
    ------
    RegisterError
        When the register is empty, a required column is missing, a code is not made of digits, or a code
        repeats; the message names the file and row.
    """
    path = Path(path)
    sheets = io.read_sheets(path)
    sheet = sheets[0] if sheets else None
    if sheet is None or sheet.grid.empty:
        raise RegisterError(
            "the register is empty",
            where=Location(path.name),
            hint="It needs columns county, township, village, village_code",
        )
    grid = sheet.grid.fillna("").astype(str).apply(lambda column: column.str.strip())
    header = [str(value).strip().lower() for value in grid.iloc[0]]
    if missing := [name for name in _REQUIRED if name not in header]:
        raise RegisterError(
            f"the register lacks column(s) {', '.join(missing)}; it has {header}",
            where=Location(path.name, sheet.sheet or None, 1),
            hint="The first row must name the columns " + ", ".join(REGISTER_COLUMNS),
        )
    table = grid.iloc[1:].set_axis(header, axis=1)
    table = table.loc[:, [c for c in REGISTER_COLUMNS if c in table.columns]]
    for column in REGISTER_COLUMNS:
        if column not in table:
            table[column] = ""
    table = table.loc[table["village"].ne("")].reset_index(names="row")
    for column in ("village_code", "county_code"):
        bad = table.loc[table[column].ne("") & ~table[column].str.fullmatch(r"\d+")]
        if not bad.empty:
            first = bad.iloc[0]
            raise RegisterError(
                f"{column} {first[column]!r} is not made of digits",
                where=Location(path.name, sheet.sheet or None, int(first["row"])),
                hint="Codes are digits only (统计用区划代码); keep leading zeros",
            )
    repeated = table.loc[table["village_code"].duplicated(keep=False)]
    if not repeated.empty:
        code = repeated["village_code"].iloc[0]
        rows = repeated.loc[repeated["village_code"].eq(code), "row"]
        raise RegisterError(
            f"village_code {code} appears on rows {', '.join(str(r) for r in rows)}",
            where=Location(path.name, sheet.sheet or None, int(rows.iloc[1])),
            hint="Each village has one code: remove the duplicate rows",
        )
    return table.loc[:, list(REGISTER_COLUMNS)].astype("str").reset_index(drop=True)


def match_villages(names: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Match ledger village names to register codes.

    Parameters
    ----------
    names : DataFrame
        Columns village, township, county as written in the ledgers (township and
        county may be empty), and optionally village_code (a 12-digit code the ledger
        wrote: it matches first); one row per distinct combination.
    register : DataFrame
        From :func:`read_register`.

    Returns
    -------
    DataFrame
        Aligned with ``names``: county, township, village and village_code from
        the register where matched, and ``problem``/``reason`` where not
        (``village_unknown`` with suggestions, ``village_ambiguous``).
    """
    lookup: dict[str, list[int]] = {}
    for position, (official, aliases) in enumerate(zip(register["village"], register["aliases"], strict=True)):
        for name in {official, *filter(None, str(aliases).split("|"))}:
            key = village_key(name)
            if position not in lookup.setdefault(key, []):
                lookup[key].append(position)
    official_names = sorted(register["village"].unique())
    # The register's columns as lists, and each place's key once: the loop below runs once per name written.
    counties, townships = register["county"].tolist(), register["township"].tolist()
    villages, village_codes = register["village"].tolist(), register["village_code"].tolist()
    place_keys = {"county_key": [place_key(c) for c in counties], "township_key": [place_key(t) for t in townships]}
    known_places = {column: set(keys) for column, keys in place_keys.items()}
    hint_keys: dict[str, str] = {}

    def register_row(position: int) -> tuple[object, object, object, object, None, None]:
        return (counties[position], townships[position], villages[position], village_codes[position], None, None)

    by_code = {code: position for position, code in enumerate(village_codes)}
    codes = names["village_code"] if "village_code" in names else pd.Series(None, index=names.index)
    # (county, township, village, village_code) as written or as the register has them, then (problem, reason).
    matched: list[tuple[object, object, object, object, str | None, str | None]] = []
    for village, township, county, code in zip(
        names["village"], names["township"], names["county"], codes, strict=True
    ):
        if isinstance(code, str) and code in by_code:
            # A 区划代码 in the ledger (a 三资 export) names the village whatever its name is spelled like, unless
            # the name is another village's: then neither is trusted.
            written = village_key(village) if village else ""
            others = [p for p in lookup.get(written, []) if p != by_code[code]]
            if written and others and by_code[code] not in lookup.get(written, []):
                matched.append(
                    (
                        county,
                        township,
                        village,
                        None,
                        "village_unknown",
                        f"the row's code {code} is {villages[by_code[code]]} in the register but it names "
                        f"{village!r}, "
                        "another village: correct the code or the name",
                    )
                )
                continue
            matched.append(register_row(by_code[code]))
            continue
        named = candidates = lookup.get(village_key(village), [])
        for column, hint in (("county_key", county), ("township_key", township)):
            # A place the register knows narrows the match; one it does not know (郴州市, a former 乡) is no hint.
            if candidates and hint:
                if (hint_key := hint_keys.get(hint)) is None:
                    hint_key = hint_keys[hint] = place_key(hint)
                if hint_key in known_places[column]:
                    candidates = [p for p in candidates if place_keys[column][p] == hint_key]
        if named and not candidates:
            places = "、".join(f"{counties[p]}{townships[p]}" for p in named)
            written = f"{county or ''}{township or ''}"
            matched.append(
                (
                    county,
                    township,
                    village,
                    None,
                    "village_unknown",
                    f"village {village!r} of {written} is not in the register, which has {village!r} only "
                    f"in {places}. Correct the county or township (or the name), or add the village "
                    "to the register",
                )
            )
        elif len(candidates) == 1:
            matched.append(register_row(candidates[0]))
        elif candidates:
            places = "、".join(f"{counties[p]}{townships[p]}" for p in candidates)
            matched.append(
                (
                    county,
                    township,
                    village,
                    None,
                    "village_ambiguous",
                    f"{village!r} is in the register more than once ({places}): "
                    "add the township (乡镇) to the ledger row",
                )
            )
        else:
            close = difflib.get_close_matches(village_key(village), official_names, n=3, cutoff=0.5)
            suggestion = f"; closest in the register: {'、'.join(close)}" if close else ""
            matched.append(
                (
                    county,
                    township,
                    village,
                    None,
                    "village_unknown",
                    f"village {village!r} is not in the register{suggestion}. "
                    "Correct the name, or add it (or an alias) to the register",
                )
            )
    return pd.DataFrame(
        matched, columns=["county", "township", "village", "village_code", "problem", "reason"], index=names.index
    )


def place_key(name) -> str:
    """Township or county name without its 乡/镇/街道/县/区/市 suffix, for loose comparison."""
    key = village_key(name)
    for suffix in ("街道办事处", "街道", "乡", "镇", "县", "区", "市"):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key
