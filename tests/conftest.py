"""Shared pytest set-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# `make test` exports MPLBACKEND=Agg; the same when pytest is run by hand or from an editor.
os.environ.setdefault("MPLBACKEND", "Agg")

# The checkout these tests belong to. Not villagecon.paths.PROJECT_ROOT: VILLAGECON_ROOT may point
# that at a data folder elsewhere, while pyproject.toml, the Makefile and the lock live here.
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where pyproject.toml is)."""
    return REPO_ROOT
