"""villagecon.errors: messages name the place and say what to do, and survive the trip between processes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from villagecon.errors import (
    AmountError,
    LedgerFileError,
    LocatedError,
    Location,
    UsageError,
    VillageconError,
)


def test_a_location_names_only_the_parts_it_knows() -> None:
    assert str(Location("台账.xlsx", "2022年", 9, "D9")) == "file 台账.xlsx, sheet '2022年', row 9, cell D9"
    assert str(Location("上河村.csv", None, 3)) == "file 上河村.csv, row 3"
    assert str(Location(Path("raw") / "a.xlsx", "")) == "file raw/a.xlsx"
    assert str(Location()) == ""


def test_a_located_error_reads_message_place_then_advice() -> None:
    error = LedgerFileError(
        "the file is encrypted", where=Location("汝城县.xlsx"), hint="Save it without a password, then run again"
    )
    assert str(error) == "the file is encrypted (file 汝城县.xlsx). Save it without a password, then run again"
    assert error.message == "the file is encrypted (file 汝城县.xlsx)"
    assert error.hint == "Save it without a password, then run again"
    assert isinstance(error, VillageconError)
    assert str(LocatedError("no header")) == "no header"  # nowhere in particular: no empty brackets


def test_an_amount_error_says_how_to_turn_it_into_a_reject() -> None:
    error = AmountError("12.3%", "a percentage is not an amount", where=Location("台账.xlsx", "2022年", 5, "C5"))
    assert str(error) == (
        "cannot read '12.3%' as an amount: a percentage is not an amount (file 台账.xlsx, sheet '2022年', row 5, "
        "cell C5). Correct the cell, or pass errors='coerce' to turn it into a reject"
    )
    assert (error.value, error.reason) == ("12.3%", "a percentage is not an amount")
    with pytest.raises(ValueError, match="cannot read"):  # also a ValueError, as pandas users expect
        raise error


@pytest.mark.parametrize(
    "error",
    [
        AmountError("4.2万/5万", "two amounts", where=Location("a.xlsx", "S", 2, "B2"), hint="Split the cell"),
        LedgerFileError("not a workbook", where=Location("b.xls")),
    ],
)
def test_an_error_crosses_processes_as_it_was(error: LocatedError) -> None:
    # read_ledger(jobs=) reads files in worker processes; their errors come back pickled.
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert (back.message, back.hint, str(back.where)) == (error.message, error.hint, str(error.where))


def test_a_usage_error_is_a_value_error_without_a_place() -> None:
    error = UsageError("measure must be one of total_income, …")
    assert isinstance(error, ValueError) and isinstance(error, VillageconError)
    assert not isinstance(error, LocatedError)
