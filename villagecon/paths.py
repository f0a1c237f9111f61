"""Where villagecon reads and writes, in one place.

Every path can be overridden: by argument where a function takes one, else by an
environment variable (``VILLAGECON_ROOT`` for the project root, or
``VILLAGECON_DATA_RAW``, ``VILLAGECON_DATA_PROCESSED``, ``VILLAGECON_REPORTS`` for
one folder). Nothing is created or logged at import.

Attributes
----------
PROJECT_ROOT : pathlib.Path
    The project folder: ``VILLAGECON_ROOT``, else the checkout the package sits in (the folder with
    ``pyproject.toml`` above ``villagecon/``), else the working directory.
DATA_RAW : pathlib.Path
    The ledgers as received, only ever read: ``VILLAGECON_DATA_RAW``, else ``PROJECT_ROOT/data/raw``.
DATA_PROCESSED : pathlib.Path
    The cleaned tables: ``VILLAGECON_DATA_PROCESSED``, else ``PROJECT_ROOT/data/processed``.
REPORTS : pathlib.Path
    The annual reports, one folder per year: ``VILLAGECON_REPORTS``, else ``PROJECT_ROOT/reports``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_PROCESSED", "DATA_RAW", "PROJECT_ROOT", "REPORTS"]


def _project_root() -> Path:
    if env := os.environ.get("VILLAGECON_ROOT"):
        return Path(env).expanduser().resolve()
    # An editable checkout has pyproject.toml one level above the package; an
    # installed wheel does not, and then the working directory is the project.
    here = Path(__file__).resolve().parents[1]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def _folder(env_name: str, default: Path) -> Path:
    env = os.environ.get(env_name)
    return Path(env).expanduser().resolve() if env else default


PROJECT_ROOT = _project_root()
DATA_RAW = _folder("VILLAGECON_DATA_RAW", PROJECT_ROOT / "data" / "raw")
DATA_PROCESSED = _folder("VILLAGECON_DATA_PROCESSED", PROJECT_ROOT / "data" / "processed")
REPORTS = _folder("VILLAGECON_REPORTS", PROJECT_ROOT / "reports")
