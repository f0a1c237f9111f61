"""The type check of `make lint` (mypy, configured in pyproject.toml) passes on the whole package.

It runs here too, so that `make test` checks types while the other tests use the second core.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_finds_no_error_in_the_package():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"mypy found type errors (run `make lint`):\n{done.stdout}{done.stderr}"
    assert done.stdout == "", done.stdout
