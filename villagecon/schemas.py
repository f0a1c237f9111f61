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

from typing import Any, Final

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera import extensions
from pandera.typing import Series

from villagecon.errors import VillageconError
from villagecon.vocab import labels
from villagecon.vocab.items import DERIVED_MEASURES
from villagecon.vocab.periods import KINDS

__all__ = [
    "ACCOUNTS",
    "ACCOUNT_COLUMNS",
    "ENTRIES",
    "ENTRY_COLUMNS",
    "JOURNAL_ENTRY_COLUMNS",
    "JOURNAL_LINE_COLUMNS",
    "PLACE_COLUMNS",
    "REJECT_COLUMNS",
    "ROSTER_COLUMNS",
    "SKIPPED_COLUMNS",
    "TENURE_COLUMNS",
    "VILLAGE_YEAR_COLUMNS",
    "EntrySchema",
    "JournalEntrySchema",
    "JournalLineSchema",
    "PlaceSchema",
    "RejectSchema",
    "RosterSchema",
    "SkippedSchema",
    "TenureSchema",
    "VillageYearSchema",
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


@extensions.register_check_method(statistics=["pattern"], check_type="vectorized")  # type: ignore[untyped-decorator]
def fully_matches(column: pd.Series, *, pattern: str) -> pd.Series:
    """Whether each value matches ``pattern`` whole; missing values do not.

    Like ``Check.str_matches``, but run by Arrow's RE2 over the column (pandas runs a pattern row by row
    in Python). Registered with pandera, so that a field says ``Field(fully_matches=r"\\d+")``.

    Parameters
    ----------
    column : Series
        The values to check (any dtype; compared as text).
    pattern : str
        A regular expression (RE2 syntax) the whole value must match.

    Returns
    -------
    Series
        Boolean, aligned with ``column``.
    """
    found = pc.match_substring_regex(pyarrow.array(column.astype("str").array), f"^(?:{pattern})$")
    return pd.Series(np.asarray(pc.fill_null(found, False)), index=column.index)


# file!sheet!row; a file or sheet name may hold a "!" itself (Excel allows it), so only the row is fixed.
_SOURCE_PATTERN = r".+!.*!\d+"
_CELL_PATTERN = r"[A-Z]+\d+"
_CODE_PATTERN = r"\d+"
_PERIOD_PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2}|/\d{4}-\d{2})?)?"


class PlaceSchema(pa.DataFrameModel):
    """Where: the first columns of every village table.

    Attributes
    ----------
    county, township : str
        As the register (or the ledger) names them; missing where neither says.
    village : str
        The village's name.
    village_code : str
        Its 12-digit 统计用区划代码 where the register gives one, else missing.
    """

    county: Series[str] = pa.Field(nullable=True)
    township: Series[str] = pa.Field(nullable=True)
    village: Series[str]
    village_code: Series[str] = pa.Field(nullable=True, fully_matches=_CODE_PATTERN)


class VillageYearSchema(PlaceSchema):
    """Where and when: the place columns and the year.

    Attributes
    ----------
    year : int64
        The calendar year the figures are of (1949–2100).
    """

    year: Series[np.int64] = pa.Field(ge=1949, le=2100)


class EntrySchema(VillageYearSchema):
    """The long entries table (``Ledger.entries``): one row per amount read.

    Attributes
    ----------
    period : str
        ISO 8601: ``2022``, a line's date ``2022-03-05``, months ``2023-01/2023-09``.
    kind : str
        One of :data:`villagecon.vocab.periods.KINDS`.
    item : str
        One of :data:`villagecon.vocab.labels.ENTRY_ITEMS`.
    detail : str
        The 其中 part or sub-account, else missing.
    amount_yuan : float64
        The amount in yuan.
    approx : bool
        Written approximately (40余万元).
    written : str
        The cell's text where the amount was written as text, else missing.
    source : str
        ``file!sheet!row``.
    cell : str
        The cell (``C7``).
    """

    period: Series[str] = pa.Field(fully_matches=_PERIOD_PATTERN)
    kind: Series[str] = pa.Field(isin=list(KINDS))
    item: Series[str] = pa.Field(isin=list(labels.ENTRY_ITEMS))
    detail: Series[str] = pa.Field(nullable=True)
    amount_yuan: Series[np.float64]
    approx: Series[bool]
    written: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(fully_matches=_SOURCE_PATTERN)
    cell: Series[str] = pa.Field(fully_matches=_CELL_PATTERN)

    class Config:
        name = "entries"
        strict = True
        ordered = True
        coerce = True


class RejectSchema(pa.DataFrameModel):
    """Cells and rows that could not be used (``rejects.csv``), of ledgers, rosters and journals alike.

    Attributes
    ----------
    source : str
        ``file!sheet!row``.
    cell : str
        The cell (``G7``), missing for a whole row.
    column : str
        The column's header as written.
    value : any
        The cell as written.
    problem : str
        A short code, one of :data:`villagecon.vocab.labels.REJECT_PROBLEMS`.
    reason : str
        What is wrong and what to do, in English for developers.
    """

    # Built cell by cell, these tables hold Python objects (and an empty one has no type to check): their
    # columns are checked by name and content, not by dtype.
    source: Series[Any]
    cell: Series[Any] = pa.Field(nullable=True)
    column: Series[Any] = pa.Field(nullable=True)
    value: Series[Any] = pa.Field(nullable=True)
    problem: Series[Any]
    reason: Series[Any] = pa.Field(nullable=True)

    class Config:
        name = "rejects"
        strict = True
        ordered = True


class SkippedSchema(pa.DataFrameModel):
    """Sheets the cleaner did not read (``Ledger.skipped``).

    Attributes
    ----------
    file, sheet : str
        Which sheet.
    status : str
        ``hidden``, ``not_a_ledger`` or ``unreadable``.
    reason, advice : str
        Why, and what to do.
    """

    # Object columns, as the rejects' (see there).
    file: Series[Any]
    sheet: Series[Any] = pa.Field(nullable=True)
    status: Series[Any] = pa.Field(isin=["hidden", "not_a_ledger", "unreadable"])
    reason: Series[Any] = pa.Field(nullable=True)
    advice: Series[Any] = pa.Field(nullable=True)

    class Config:
        name = "skipped sheets"
        strict = True
        ordered = True


class RosterSchema(PlaceSchema):
    """Secretaries' spells in office, as :func:`villagecon.read_roster` returns them: one row per spell.

    Attributes
    ----------
    name : str
        The secretary, inner spaces removed.
    role : str
        书记 or 书记兼主任 (一肩挑); missing when the roster does not say.
    start, end : datetime64[ns]
        First and last day in office; ``end`` is missing while in office.
    background, background_written : str
        One of :data:`villagecon.vocab.labels.SECRETARY_BACKGROUNDS`, and as written.
    term : str
        新任, 连任 … as written.
    began_before : bool
        The roster says 连任 but not when the spell began.
    roles : str
        The history of roles of a spell joined from several rows (``书记 from 2017-04-01; …``).
    mentor, honours : str
        As written; missing when empty or 无.
    training_days : float64
        Days of training (half days exist).
    source : str
        ``file!sheet!row``.
    """

    village: Series[str] = pa.Field(nullable=True)  # a roster may name villages by their codes only
    name: Series[str]
    role: Series[str] = pa.Field(nullable=True, isin=list(labels.SECRETARY_ROLES))
    start: Series[pd.Timestamp]
    end: Series[pd.Timestamp] = pa.Field(nullable=True)
    background: Series[str] = pa.Field(nullable=True)
    background_written: Series[str] = pa.Field(nullable=True)
    term: Series[str] = pa.Field(nullable=True)
    began_before: Series[bool]
    roles: Series[str] = pa.Field(nullable=True)
    mentor: Series[str] = pa.Field(nullable=True)
    training_days: Series[np.float64] = pa.Field(nullable=True, ge=0)
    honours: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(fully_matches=_SOURCE_PATTERN)

    class Config:
        name = "roster"
        strict = True
        ordered = True


class TenureSchema(pa.DataFrameModel):
    """The columns :func:`villagecon.tenure` adds to the accounts: the secretary in office on 31 December.

    The rest of the table is the accounts as given, so only these columns are checked.

    Attributes
    ----------
    secretary : str
        The secretary's name.
    secretary_start : datetime64[ns]
        The first day of the spell.
    tenure_years : Int64
        Completed years in office on 31 December (0 in the year of taking office).
    tenure_at_least : boolean
        ``tenure_years`` is a lower bound (连任 without the spell's start).
    new_secretary : boolean
        Another person took office in that year.
    one_shoulder : boolean
        The secretary is also 村委会主任.
    background, mentor : str
        From the roster.
    """

    secretary: Series[str] = pa.Field(nullable=True)
    secretary_start: Series[pd.Timestamp] = pa.Field(nullable=True)
    tenure_years: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    tenure_at_least: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    new_secretary: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    one_shoulder: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    background: Series[str] = pa.Field(nullable=True)
    mentor: Series[str] = pa.Field(nullable=True)

    class Config:
        name = "tenure"


class JournalLineSchema(PlaceSchema):
    """A cash journal's cleaned lines (:func:`villagecon.journal.clean_journal_frame`): one row per row read.

    Only names and dtypes are checked: the journal's lines are its largest table, checked per partition.

    Attributes
    ----------
    book : str
        现金日记账 or 银行存款日记账.
    year, month, day : int64, Int64, Int64
        The line's date (month and day missing on a carried-forward row).
    voucher, summary, counter_account : str
        凭证号, 摘要, 对方科目 as written.
    file, sheet : str
        Where the line was read.
    row : int64
        The sheet's row.
    debit_yuan, credit_yuan, balance_yuan : float64
        借方, 贷方, 余额 in yuan.
    approx : bool
        An amount was written approximately.
    kind, item, counter_kind, item_from : str
        What the row is (data, a subtotal …), its line item, what its 对方科目 is, and what told the item.
    problem, reason, field, written : str
        Why a line was refused, and the cell as written.
    expected_balance : float64
        The balance the lines before it give.
    balance_problem, subtotal_status, subtotal_field : str
        The balance and subtotal checks.
    lines_sum : float64
        The sum of the lines a subtotal covers.
    """

    village: Series[str] = pa.Field(nullable=True)
    village_code: Series[str] = pa.Field(nullable=True)
    book: Series[str] = pa.Field(nullable=True)
    year: Series[np.int64]
    month: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    day: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    voucher: Series[str] = pa.Field(nullable=True)
    summary: Series[str] = pa.Field(nullable=True)
    counter_account: Series[str] = pa.Field(nullable=True)
    file: Series[str] = pa.Field(nullable=True)
    sheet: Series[str] = pa.Field(nullable=True)
    row: Series[np.int64]
    debit_yuan: Series[np.float64] = pa.Field(nullable=True)
    credit_yuan: Series[np.float64] = pa.Field(nullable=True)
    balance_yuan: Series[np.float64] = pa.Field(nullable=True)
    approx: Series[bool]
    kind: Series[str] = pa.Field(nullable=True)
    item: Series[str] = pa.Field(nullable=True)
    counter_kind: Series[str] = pa.Field(nullable=True)
    item_from: Series[str] = pa.Field(nullable=True)
    problem: Series[str] = pa.Field(nullable=True)
    reason: Series[str] = pa.Field(nullable=True)
    field: Series[str] = pa.Field(nullable=True)
    written: Series[str] = pa.Field(nullable=True)
    expected_balance: Series[np.float64] = pa.Field(nullable=True)
    balance_problem: Series[str] = pa.Field(nullable=True)
    subtotal_status: Series[str] = pa.Field(nullable=True)
    subtotal_field: Series[str] = pa.Field(nullable=True)
    lines_sum: Series[np.float64] = pa.Field(nullable=True)

    class Config:
        name = "journal lines"
        strict = True
        ordered = True


class JournalEntrySchema(VillageYearSchema):
    """A journal's lines added up by village, year and item (``Journal.entries``).

    Attributes
    ----------
    item : str
        One of the income and expense items (:data:`villagecon.vocab.items.INCOME_ITEMS`, …).
    detail : str
        Always missing: a journal has no 其中 lines.
    amount_yuan : float64
        The sum of the lines.
    approx : bool
        One of the lines was approximate.
    lines : int64
        How many lines the sum adds up.
    """

    item: Series[str]
    detail: Series[str] = pa.Field(nullable=True)
    amount_yuan: Series[np.float64]
    approx: Series[bool]
    lines: Series[np.int64]

    class Config:
        name = "journal entries"
        strict = True
        ordered = True


def columns_of(schema: type[pa.DataFrameModel]) -> tuple[str, ...]:
    """The column names of a schema, in order.

    Parameters
    ----------
    schema : DataFrameModel subclass
        One of the schemas of this module.

    Returns
    -------
    tuple of str
        Its columns, in the order the table has them.

    Examples
    --------
    >>> columns_of(RejectSchema)
    ('source', 'cell', 'column', 'value', 'problem', 'reason')
    """
    return tuple(str(name) for name in schema.to_schema().columns)


PLACE_COLUMNS: Final = columns_of(PlaceSchema)
VILLAGE_YEAR_COLUMNS: Final = columns_of(VillageYearSchema)
ENTRY_COLUMNS: Final = columns_of(EntrySchema)
REJECT_COLUMNS: Final = columns_of(RejectSchema)
SKIPPED_COLUMNS: Final = columns_of(SkippedSchema)
ROSTER_COLUMNS: Final = columns_of(RosterSchema)
TENURE_COLUMNS: Final = columns_of(TenureSchema)
JOURNAL_LINE_COLUMNS: Final = columns_of(JournalLineSchema)
JOURNAL_ENTRY_COLUMNS: Final = columns_of(JournalEntrySchema)

_AMOUNT = pa.Column("float64", nullable=True)
_VILLAGE_YEAR = VillageYearSchema.to_schema().columns

ENTRIES: Final = EntrySchema.to_schema()
# The accounts' amount columns are the items and measures of villagecon.vocab.items, so this schema is built
# from that table rather than spelled out as a model.
ACCOUNTS: Final = pa.DataFrameSchema(
    {
        **_VILLAGE_YEAR,
        **{item: _AMOUNT for item in labels.ACCOUNT_ITEMS},
        **{measure: _AMOUNT for measure in DERIVED_MEASURES},
        "assets": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "liabilities": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "approx": pa.Column(bool),
        "written_totals": pa.Column(str),
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
ACCOUNT_COLUMNS: Final = tuple(str(name) for name in ACCOUNTS.columns)


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
    return _validate(RejectSchema.to_schema(), rejects)


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
    return _validate(SkippedSchema.to_schema(), skipped)


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
    return _validate(RosterSchema.to_schema(), roster)


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
    return _validate(TenureSchema.to_schema(), panel)


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
    return _validate(JournalLineSchema.to_schema(), lines)
