"""pandera schemas of the tables one step hands to the next, and the column lists derived from them.

Each table a step hands over has one schema here, and its columns are named nowhere else: the cleaner, the
roster reader and the journal import :data:`ENTRY_COLUMNS`, :data:`REJECT_COLUMNS` … from this module. The
tables are checked where a step hands them over (:func:`villagecon.read_ledger`'s result,
:func:`villagecon.read_roster`'s, :func:`villagecon.tenure`'s, a journal's cleaned lines). A failure here is
a bug in villagecon, not in the ledger (bad cells become rejects before this point), so it raises with every
failing column, the check it broke and some of its values.

The checks run over whole columns (Arrow's RE2 for the patterns), never row by row in Python: the cleaner
pays for them on every run.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from villagecon.errors import VillageconError
from villagecon.vocab import labels
from villagecon.vocab.items import DERIVED_MEASURES
from villagecon.vocab.periods import KINDS

__all__ = [
    "ACCOUNTS",
    "ACCOUNT_COLUMNS",
    "ENTRIES",
    "ENTRY_COLUMNS",
    "JOURNAL_ENTRIES",
    "JOURNAL_ENTRY_COLUMNS",
    "JOURNAL_LINES",
    "JOURNAL_LINE_COLUMNS",
    "PLACE_COLUMNS",
    "REJECTS",
    "REJECT_COLUMNS",
    "ROSTER",
    "ROSTER_COLUMNS",
    "SKIPPED",
    "SKIPPED_COLUMNS",
    "TENURE",
    "TENURE_COLUMNS",
    "VILLAGE_YEAR_COLUMNS",
    "columns_of",
    "validate_accounts",
    "validate_entries",
    "validate_journal_lines",
    "validate_rejects",
    "validate_roster",
    "validate_skipped",
    "validate_tenure",
]

# What to do when a table breaks its schema: it is villagecon's bug, never the user's data.
_REPORT_IT = "a villagecon bug; please report it with the input files"
_SHOWN_FAILURES = 10
# pandera's checks of the table's shape, as the message says them.
_TABLE_CHECKS = {
    "column_in_dataframe": "missing column(s)",
    "column_in_schema": "column(s) the table should not have",
    "column_ordered": "column(s) out of order",
}


def _fully_matches(pattern: str) -> pa.Check:
    """A check that each value matches ``pattern`` whole (missing values do not): like ``Check.str_matches``, but
    run by Arrow's RE2 over the column, where pandas runs a pattern row by row in Python."""
    anchored = f"^(?:{pattern})$"

    def check(column: pd.Series) -> pd.Series:
        found = pc.match_substring_regex(pyarrow.array(column.astype("str").array), anchored)
        return pd.Series(np.asarray(pc.fill_null(found, False)), index=column.index)

    return pa.Check(check, name="fully_matches", error=f"fully matches {pattern}")


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, list(checks), nullable=nullable)


def _any(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """A column built cell by cell: it holds Python objects (and an empty one has no type to check), so it is
    checked by its values, not its dtype."""
    return pa.Column(None, list(checks), nullable=nullable)


# file!sheet!row; a file or sheet name may hold a "!" itself (Excel allows it), so only the row is fixed.
_SOURCE = _fully_matches(r".+!.*!\d+")
_CELL = _fully_matches(r"[A-Z]+\d+")
_PERIOD = _fully_matches(r"\d{4}(?:-\d{2}(?:-\d{2}|/\d{4}-\d{2})?)?")
_AMOUNT = pa.Column("float64", nullable=True)
_DATE = pa.Column("datetime64[ns]", nullable=True)
_FLAG = pa.Column("boolean", nullable=True)

# The schemas are pandera's object API rather than DataFrameModel classes: building a model imports dask, scipy
# and hypothesis (pandera looks for every backend's types), half a second on every start of the command line.

# Where: the first columns of every village table. county and township as the register (or the ledger) names
# them, missing where neither says; village_code the 12-digit 统计用区划代码 where the register gives one.
_PLACE = {
    "county": _text(nullable=True),
    "township": _text(nullable=True),
    "village": _text(),
    "village_code": _text(_fully_matches(r"\d+"), nullable=True),
}
# Where and when: the year the figures are of.
_VILLAGE_YEAR = {**_PLACE, "year": pa.Column("int64", pa.Check.in_range(1949, 2100))}

# The long entries table (Ledger.entries): one row per amount read. period is ISO 8601 (2022, a line's date
# 2022-03-05, months 2023-01/2023-09); detail the 其中 part or sub-account; written the cell's text where the
# amount was written as text; source file!sheet!row; cell C7.
ENTRIES: Final = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        "period": _text(_PERIOD),
        "kind": _text(pa.Check.isin(list(KINDS))),
        "item": _text(pa.Check.isin(list(labels.ENTRY_ITEMS))),
        "detail": _text(nullable=True),
        "amount_yuan": pa.Column("float64"),
        "approx": pa.Column(bool),
        "written": _text(nullable=True),
        "source": _text(_SOURCE),
        "cell": _text(_CELL),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="entries",
)

# The village-year accounts (Ledger.accounts): the items and measures of villagecon.vocab.items, in yuan.
ACCOUNTS: Final = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        **{item: _AMOUNT for item in labels.ACCOUNT_ITEMS},
        **{measure: _AMOUNT for measure in DERIVED_MEASURES},
        "assets": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "liabilities": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "approx": pa.Column(bool),
        "written_totals": _text(),
    },
    # Without a register, villages of one name in different places are told apart by their places.
    checks=pa.Check(
        lambda df: ~df.duplicated(["county", "township", "village_code", "village", "year"]),
        error="one row per village and year",
    ),
    strict=True,
    ordered=True,
    coerce=True,
    name="accounts",
)

# Cells and rows that could not be used (rejects.csv), of ledgers, rosters and journals alike: source
# file!sheet!row, cell (missing for a whole row), column (its header as written), value (as written), problem
# (a code of villagecon.vocab.problems.REJECT_PROBLEMS) and reason (what is wrong and what to do, in English).
REJECTS: Final = pa.DataFrameSchema(
    {
        "source": _any(),
        "cell": _any(nullable=True),
        "column": _any(nullable=True),
        "value": _any(nullable=True),
        "problem": _any(),
        "reason": _any(nullable=True),
    },
    strict=True,
    ordered=True,
    name="rejects",
)

# Sheets the cleaner did not read (Ledger.skipped): why (status hidden, not_a_ledger or unreadable; reason)
# and what to do (advice).
SKIPPED: Final = pa.DataFrameSchema(
    {
        "file": _any(),
        "sheet": _any(nullable=True),
        "status": _any(pa.Check.isin(["hidden", "not_a_ledger", "unreadable"])),
        "reason": _any(nullable=True),
        "advice": _any(nullable=True),
    },
    strict=True,
    ordered=True,
    name="skipped sheets",
)

# Secretaries' spells in office as villagecon.read_roster returns them, one row per spell: role 书记 or
# 书记兼主任 (一肩挑; missing when the roster does not say), start and end the first and last day in office
# (end missing while in office), background one of villagecon.vocab.labels.SECRETARY_BACKGROUNDS (and as
# written), began_before where the roster says 连任 but not when the spell began, roles the history of a spell
# joined from several rows, training_days (half days exist).
ROSTER: Final = pa.DataFrameSchema(
    {
        **_PLACE,
        "village": _text(nullable=True),  # a roster may name villages by their codes only
        "name": _text(),
        "role": _text(pa.Check.isin(list(labels.SECRETARY_ROLES)), nullable=True),
        "start": pa.Column("datetime64[ns]"),
        "end": _DATE,
        "background": _text(nullable=True),
        "background_written": _text(nullable=True),
        "term": _text(nullable=True),
        "began_before": pa.Column(bool),
        "roles": _text(nullable=True),
        "mentor": _text(nullable=True),
        "training_days": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "honours": _text(nullable=True),
        "source": _text(_SOURCE),
    },
    strict=True,
    ordered=True,
    name="roster",
)

# The columns villagecon.tenure adds to the accounts, the secretary in office on 31 December: secretary_start
# the first day of the spell, tenure_years the completed years in office (0 in the year of taking office),
# tenure_at_least where that is a lower bound, new_secretary where another person took office that year,
# one_shoulder where the secretary is also 村委会主任. The rest of the table is the accounts as given.
TENURE: Final = pa.DataFrameSchema(
    {
        "secretary": _text(nullable=True),
        "secretary_start": _DATE,
        "tenure_years": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "tenure_at_least": _FLAG,
        "new_secretary": _FLAG,
        "one_shoulder": _FLAG,
        "background": _text(nullable=True),
        "mentor": _text(nullable=True),
    },
    name="tenure",
)

# A cash journal's cleaned lines (villagecon.journal.clean_journal_frame), one row per row read. Only names and
# dtypes are checked: they are the journal's largest table, checked per partition.
JOURNAL_LINES: Final = pa.DataFrameSchema(
    {
        **{name: _text(nullable=True) for name in _PLACE},
        "book": _text(nullable=True),
        "year": pa.Column("int64"),
        "month": pa.Column("Int64", nullable=True),
        "day": pa.Column("Int64", nullable=True),
        **{name: _text(nullable=True) for name in ("voucher", "summary", "counter_account", "file", "sheet")},
        "row": pa.Column("int64"),
        **{name: _AMOUNT for name in ("debit_yuan", "credit_yuan", "balance_yuan")},
        "approx": pa.Column(bool),
        **{
            name: _text(nullable=True)
            for name in ("kind", "item", "counter_kind", "item_from", "problem", "reason", "field", "written")
        },
        "expected_balance": _AMOUNT,
        **{name: _text(nullable=True) for name in ("balance_problem", "subtotal_status", "subtotal_field")},
        "lines_sum": _AMOUNT,
    },
    strict=True,
    ordered=True,
    name="journal lines",
)

# A journal's lines added up by village, year and item (Journal.entries): lines is how many lines a sum adds.
JOURNAL_ENTRIES: Final = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        "item": _text(),
        "detail": _text(nullable=True),
        "amount_yuan": pa.Column("float64"),
        "approx": pa.Column(bool),
        "lines": pa.Column("int64"),
    },
    strict=True,
    ordered=True,
    name="journal entries",
)


def columns_of(schema: pa.DataFrameSchema) -> tuple[str, ...]:
    """The column names of a schema, in order.

    Parameters
    ----------
    schema : pandera.DataFrameSchema
        One of the schemas of this module.

    Returns
    -------
    tuple of str
        Its columns, in the order the table has them.

    Examples
    --------
    >>> columns_of(REJECTS)
    ('source', 'cell', 'column', 'value', 'problem', 'reason')
    """
    return tuple(str(name) for name in schema.columns)


PLACE_COLUMNS: Final = tuple(_PLACE)
VILLAGE_YEAR_COLUMNS: Final = tuple(_VILLAGE_YEAR)
ENTRY_COLUMNS: Final = columns_of(ENTRIES)
ACCOUNT_COLUMNS: Final = columns_of(ACCOUNTS)
REJECT_COLUMNS: Final = columns_of(REJECTS)
SKIPPED_COLUMNS: Final = columns_of(SKIPPED)
ROSTER_COLUMNS: Final = columns_of(ROSTER)
TENURE_COLUMNS: Final = columns_of(TENURE)
JOURNAL_LINE_COLUMNS: Final = columns_of(JOURNAL_LINES)
JOURNAL_ENTRY_COLUMNS: Final = columns_of(JOURNAL_ENTRIES)


def _validate(schema: pa.DataFrameSchema, table: pd.DataFrame, *, advice: str = _REPORT_IT) -> pd.DataFrame:
    """``table`` checked (and coerced where the schema says so), or a :class:`VillageconError` listing each
    failing column, the check it broke and some of its values."""
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        lines = []
        for (column, check), found in failures.groupby(["column", "check"], dropna=False, sort=False):
            values = [repr(value) for value in found["failure_case"]]
            if check in _TABLE_CHECKS:  # the failure case is a column's name, the "column" the table's
                lines.append(f"- {_TABLE_CHECKS[check]}: {', '.join(values)}")
                continue
            more = f" (and {len(values) - 3} more)" if len(values) > 3 else ""
            lines.append(f"- column {column!r}: {check}: {', '.join(values[:3])}{more}")
        shown = "\n".join(lines[:_SHOWN_FAILURES])
        raise VillageconError(f"the {schema.name} table breaks its schema ({advice}):\n{shown}") from None


def validate_entries(entries: pd.DataFrame) -> pd.DataFrame:
    """Check (and coerce) the long entries table.

    Parameters
    ----------
    entries : DataFrame
        ``Ledger.entries``, columns :data:`ENTRY_COLUMNS`.

    Returns
    -------
    DataFrame
        ``entries`` with the schema's dtypes.

    Raises
    ------
    VillageconError
        A column is missing, extra, out of order, of the wrong type or holds a value its check refuses;
        the message names each column and value.
    """
    return _validate(ENTRIES, entries)


def validate_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Check (and coerce) the village-year accounts table.

    Parameters
    ----------
    accounts : DataFrame
        ``Ledger.accounts``, columns :data:`ACCOUNT_COLUMNS`.

    Returns
    -------
    DataFrame
        ``accounts`` with the schema's dtypes.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`, or a village-year has two rows.
    """
    return _validate(ACCOUNTS, accounts)


def validate_rejects(rejects: pd.DataFrame) -> pd.DataFrame:
    """Check the rejects table (of a ledger, a roster or a journal).

    Parameters
    ----------
    rejects : DataFrame
        Columns :data:`REJECT_COLUMNS`.

    Returns
    -------
    DataFrame
        ``rejects`` unchanged.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`.
    """
    return _validate(REJECTS, rejects)


def validate_skipped(skipped: pd.DataFrame) -> pd.DataFrame:
    """Check the table of sheets the cleaner did not read.

    Parameters
    ----------
    skipped : DataFrame
        ``Ledger.skipped``, columns :data:`SKIPPED_COLUMNS`.

    Returns
    -------
    DataFrame
        ``skipped`` unchanged.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`.
    """
    return _validate(SKIPPED, skipped)


def validate_roster(roster: pd.DataFrame) -> pd.DataFrame:
    """Check the spells :func:`villagecon.read_roster` returns.

    Parameters
    ----------
    roster : DataFrame
        Columns :data:`ROSTER_COLUMNS`.

    Returns
    -------
    DataFrame
        ``roster`` unchanged.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`.
    """
    return _validate(ROSTER, roster)


def validate_tenure(panel: pd.DataFrame) -> pd.DataFrame:
    """Check the columns :func:`villagecon.tenure` adds (:data:`TENURE_COLUMNS`); the others are left as they are.

    Parameters
    ----------
    panel : DataFrame
        The accounts with the tenure columns.

    Returns
    -------
    DataFrame
        ``panel`` unchanged.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`.
    """
    return _validate(TENURE, panel)


def validate_journal_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """Check a journal's cleaned lines: their columns, order and dtypes.

    Parameters
    ----------
    lines : DataFrame
        Columns :data:`JOURNAL_LINE_COLUMNS`.

    Returns
    -------
    DataFrame
        ``lines`` unchanged.

    Raises
    ------
    VillageconError
        As :func:`validate_entries`.
    """
    return _validate(JOURNAL_LINES, lines)
