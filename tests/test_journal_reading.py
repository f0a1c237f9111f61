"""villagecon.journal.reading: read_journal refuses what it cannot read, saying why."""

from __future__ import annotations

import pytest

from villagecon.errors import UsageError, VillageconError
from villagecon.journal.reading import read_journal


def test_read_journal_refuses_a_missing_path_a_bad_unit_and_lines_out_for_spreadsheets(tmp_path):
    with pytest.raises(VillageconError, match=r"^no such file or folder: "):
        read_journal(tmp_path / "nothing")
    with pytest.raises(UsageError, match=r"^unit must be one of 元, 千元, 万元, 亿元"):
        read_journal(tmp_path, unit="斤")
    (tmp_path / "books").mkdir()
    with pytest.raises(UsageError, match=r"^lines_out is for parquet journal sets"):
        read_journal(tmp_path / "books", lines_out=tmp_path / "lines")
    with pytest.raises(VillageconError, match=r"^no journal files \(\.xlsx, \.xls, \.csv\) in "):
        read_journal(tmp_path / "books")
