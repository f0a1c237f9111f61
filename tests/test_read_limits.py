"""The sizes past which a ledger file is refused (ingest/read_limits.py)."""

from __future__ import annotations

import pytest

from villagecon.errors import LedgerFileError, Location, UsageError
from villagecon.ingest.read_limits import ReadLimits, megabytes, too_big


def test_limits_come_from_arguments_then_environment_then_defaults(monkeypatch):
    monkeypatch.setenv("VILLAGECON_MAX_CELLS", "5000")
    monkeypatch.setenv("VILLAGECON_MAX_FILE_MB", "12.5")
    limits = ReadLimits.from_environment(file_mb=3)
    assert (limits.file_mb, limits.uncompressed_mb, limits.cells) == (3, 1000, 5000)
    assert limits.file_bytes == 3 * 1024 * 1024


def test_a_bad_limit_is_a_usage_error(monkeypatch):
    with pytest.raises(UsageError, match="limit cells must be a positive number, not 0"):
        ReadLimits(cells=0)
    monkeypatch.setenv("VILLAGECON_MAX_CELLS", "many")
    with pytest.raises(UsageError, match="VILLAGECON_MAX_CELLS='many' is not a number"):
        ReadLimits.from_environment()


def test_the_refusal_names_the_limit_and_how_to_raise_it():
    error = too_big(
        "the file is 250.0 MB",
        200,
        "file size",
        Location("台账.xlsx"),
        option="--max-file-mb",
        variable="VILLAGECON_MAX_FILE_MB",
        field="file_mb",
    )
    assert isinstance(error, LedgerFileError)
    assert "the file is 250.0 MB, more than the file size limit of 200 MB: refused without reading it" in str(error)
    assert "--max-file-mb" in str(error) and "ReadLimits(file_mb=...)" in str(error)
    assert megabytes(3 * 1024 * 1024) == "3.0 MB"
    assert megabytes(2048) == "2.0 KB"
