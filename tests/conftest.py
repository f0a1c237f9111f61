"""Shared pytest set-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ledger_files as lf

# `make test` exports MPLBACKEND=Agg; the same when pytest is run by hand or from an editor.
os.environ.setdefault("MPLBACKEND", "Agg")

# The checkout these tests belong to. Not villagecon.paths.PROJECT_ROOT: VILLAGECON_ROOT may point
# that at a data folder elsewhere, while pyproject.toml, the Makefile and the lock live here.
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder as an office keeps it: the register, a county's wide workbook and a village's CSV ledger."""
    folder = tmp_path / "raw"
    folder.mkdir()
    lf.register(folder)
    lf.wide_xlsx(folder)
    lf.long_csv(folder)
    return folder
