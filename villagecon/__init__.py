"""villagecon: village collective-economy ledgers in, one traceable village-year table out.

The names an analyst imports in a script or notebook::

    from villagecon import read_ledger, to_yuan

    ledger = read_ledger("data/raw", register="data/raw/register.csv")
    ledger.accounts          # one row per village and year, in yuan
    ledger.rejects           # every cell that could not be used, with file, sheet, row and why
    to_yuan("40余万元")       # 400000.0

The package follows the data, and imports run one way, down this list:

- :mod:`villagecon.parse` reads written values (amounts, years);
- :mod:`villagecon.vocab` says what words and items mean (labels, synonyms, item tables);
- :mod:`villagecon.schemas` fixes the tables handed from one step to the next;
- :mod:`villagecon.ingest` reads ledgers and rosters into the cleaned tables and writes the processed set;
  :mod:`villagecon.journal` does the same for cash journals;
- :mod:`villagecon.analysis` turns the cleaned tables into numbers and models;
- :mod:`villagecon.report` draws and writes the annual report;
- :mod:`villagecon.sample` generates the synthetic sample; :mod:`villagecon.cli` is the command line.

:mod:`villagecon.errors`, :mod:`villagecon.paths` and :mod:`villagecon.outputs` (safe writing) serve them all.

Attributes
----------
__version__ : str
    The installed version, from the package metadata (``"unknown"`` when villagecon is not installed).

Notes
-----
``event_study``, ``tenure_effect`` and ``threshold_logit`` load with their module
(:mod:`villagecon.analysis.models`) on first use, so that reading ledgers does not wait for statsmodels and
linearmodels. The modules that sat at the top before the move into subpackages (``metrics``, ``models``,
``amounts``, ``labels``, ``synonyms``, ``plots``, ``style``, ``roster``, ``processed``) are still reachable as
``from villagecon import metrics``.
"""

from typing import TYPE_CHECKING, Any

from villagecon.analysis.metrics import (
    crossing_year,
    debt_to_revenue,
    income_by_tenure,
    share_above,
    threshold_status,
    trajectory,
    turnarounds,
)
from villagecon.analysis.tenure import tenure
from villagecon.ingest.files import ReadLimits
from villagecon.ingest.ledger import Ledger, read_ledger
from villagecon.ingest.roster import read_roster, read_roster_tables
from villagecon.parse.amounts import parse_amounts, to_yuan
from villagecon.version import __version__ as __version__

if TYPE_CHECKING:  # loaded by __getattr__ at run time; imported here for type checkers and the API reference
    from villagecon.analysis.models import event_study, tenure_effect, threshold_logit

__all__ = [
    "Ledger",
    "ReadLimits",
    "crossing_year",
    "debt_to_revenue",
    "event_study",
    "income_by_tenure",
    "parse_amounts",
    "read_ledger",
    "read_roster",
    "read_roster_tables",
    "share_above",
    "tenure",
    "tenure_effect",
    "threshold_logit",
    "threshold_status",
    "to_yuan",
    "trajectory",
    "turnarounds",
]

# The models import statsmodels and linearmodels (about a second); they load on first use, so that
# `villagecon clean` and scripts that only read ledgers do not wait for them.
_MODELS = ("event_study", "tenure_effect", "threshold_logit")

# Modules that sat at the top before the move into subpackages: `from villagecon import metrics` keeps working.
_MOVED_MODULES = {
    "labels": "villagecon.vocab.labels",
    "synonyms": "villagecon.vocab.synonyms",
    "amounts": "villagecon.parse.amounts",
    "metrics": "villagecon.analysis.metrics",
    "models": "villagecon.analysis.models",
    "plots": "villagecon.report.plots",
    "style": "villagecon.report.style",
    "roster": "villagecon.ingest.roster",
    "processed": "villagecon.ingest.processed",
}


def __getattr__(name: str) -> Any:
    # The models and the modules moved into subpackages, imported on first use (see the module docstring).
    if name in _MODELS:
        from villagecon.analysis import models

        return getattr(models, name)
    if name in _MOVED_MODULES:
        import importlib

        return importlib.import_module(_MOVED_MODULES[name])
    raise AttributeError(f"module 'villagecon' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODELS])
