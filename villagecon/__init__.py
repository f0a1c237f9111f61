"""villagecon: village collective-economy ledgers in, one traceable village-year table out.

The helpers an analyst imports in a script or notebook::

    from villagecon import read_ledger, to_yuan

    ledger = read_ledger("data/raw", register="data/raw/register.csv")
    ledger.accounts          # one row per village and year, in yuan
    ledger.rejects           # every cell that could not be used, with file, sheet, row and why
    to_yuan("40余万元")       # 400000.0
"""

from importlib import metadata as _metadata

from villagecon.amounts import parse_amounts, to_yuan
from villagecon.clean import Ledger, read_ledger
from villagecon.io import ReadLimits
from villagecon.metrics import (
    crossing_year,
    debt_to_revenue,
    income_by_tenure,
    share_above,
    threshold_status,
    trajectory,
    turnarounds,
)
from villagecon.roster import read_roster, read_roster_tables, tenure

__all__ = ["Ledger", "ReadLimits", "crossing_year", "debt_to_revenue", "event_study", "income_by_tenure",
           "parse_amounts", "read_ledger", "read_roster", "read_roster_tables", "share_above", "tenure",
           "tenure_effect", "threshold_logit", "threshold_status", "to_yuan", "trajectory", "turnarounds"]
try:
    __version__ = _metadata.version("villagecon")   # one source: pyproject.toml
except _metadata.PackageNotFoundError:
    __version__ = "unknown"

# The models import statsmodels and linearmodels (about a second); they load on first use, so that
# `villagecon clean` and scripts that only read ledgers do not wait for them.
_MODELS = ("event_study", "tenure_effect", "threshold_logit")


def __getattr__(name: str):
    if name in _MODELS:
        from villagecon import models
        return getattr(models, name)
    raise AttributeError(f"module 'villagecon' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODELS])
