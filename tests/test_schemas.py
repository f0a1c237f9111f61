"""The pandera schemas of the canonical tables catch a malformed table and say where."""

from __future__ import annotations

import pytest

from villagecon import read_ledger, schemas
from villagecon.errors import VillageconError

import ledger_files as lf


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    return read_ledger(lf.long_xlsx(tmp_path_factory.mktemp("ledger"))).entries


def test_clean_entries_pass(entries):
    assert len(schemas.validate_entries(entries)) == len(entries)


@pytest.mark.parametrize(
    ("column", "bad"),
    [("cell", "a1"), ("source", "台账.xlsx!Sheet1"), ("village_code", "43102610000X"), ("year", 1800)],
)
def test_a_malformed_value_is_reported_with_its_column_and_value(entries, column, bad):
    broken = entries.copy()
    broken.loc[broken.index[0], column] = bad
    with pytest.raises(VillageconError, match="breaks its schema") as raised:
        schemas.validate_entries(broken)
    assert column in str(raised.value) and str(bad) in str(raised.value)
