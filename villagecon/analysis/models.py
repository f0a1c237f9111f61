"""Panel models of village income and the Party secretary, gathered in one place: does income grow with tenure,
or jump at a change?

- :func:`tenure_effect` (:mod:`villagecon.analysis.panel`): two-way fixed effects (village and year) of income on
  completed years in office, with standard errors clustered by village (``linearmodels.PanelOLS``).
- :func:`event_study` (:mod:`villagecon.analysis.event_studies`): income in the years around a new secretary's
  arrival, relative to the year before (−1); :func:`regression_table` puts both in the report's table.
- :func:`threshold_logit` (:mod:`villagecon.analysis.logit`): the chance of being at or above 10万元 by tenure and
  background (``statsmodels`` logit, clustered standard errors, average marginal effects).
- :func:`wild_cluster_bootstrap` (:mod:`villagecon.analysis.inference`): p-values and intervals with few clusters.

Each model takes a village-year panel: the accounts after :func:`villagecon.tenure` (columns year,
village or village_code, the outcome, tenure_years, background), and returns a tidy table, one row per term. The
panel is never changed. How zero incomes under ``log=True`` and the degrees of freedom are handled is in
:mod:`villagecon.analysis.panel`.

Importing this module imports statsmodels and linearmodels (about a second): :mod:`villagecon` loads it on first use.
"""

from __future__ import annotations

from villagecon.analysis.event_studies import EVENT_STUDY_METHODS, REGRESSION_COLUMNS, event_study, regression_table
from villagecon.analysis.inference import BOOTSTRAP_DRAWS, BOOTSTRAP_SEED, FEW_CLUSTERS, wild_cluster_bootstrap
from villagecon.analysis.logit import REFERENCE_BACKGROUND, average_marginal_effects, threshold_logit
from villagecon.analysis.panel import TIDY_COLUMNS, tenure_effect

__all__ = [
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
]
