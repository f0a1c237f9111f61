"""From the cleaned village-year table to numbers: threshold shares, crossings, turnarounds, debt ratios,
year-over-year changes and the panel models of income against the secretary's tenure.

Takes the tables :mod:`villagecon.ingest` hands over; draws nothing and writes nothing. The measures
(:mod:`~villagecon.analysis.metrics` gathers them) load at once; the models (:mod:`~villagecon.analysis.models`)
import statsmodels and linearmodels and load on first use of one of their names.
"""

from typing import Any

from villagecon.analysis.metrics import *  # noqa: F403  (the measures, named once in metrics.__all__)
from villagecon.analysis.metrics import __all__ as _MEASURES
from villagecon.analysis.year_over_year import area_changes, village_changes

_MODELS = (
    "BOOTSTRAP_DRAWS",
    "BOOTSTRAP_SEED",
    "EVENT_STUDY_METHODS",
    "FEW_CLUSTERS",
    "REFERENCE_BACKGROUND",
    "REGRESSION_COLUMNS",
    "TIDY_COLUMNS",
    "average_marginal_effects",
    "event_study",
    "regression_table",
    "tenure_effect",
    "threshold_logit",
    "wild_cluster_bootstrap",
)

__all__ = [*_MEASURES, "area_changes", "village_changes", *_MODELS]


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from villagecon.analysis import models  # about a second: only when a model is asked for

        return getattr(models, name)
    raise AttributeError(f"module 'villagecon.analysis' has no attribute {name!r}")
