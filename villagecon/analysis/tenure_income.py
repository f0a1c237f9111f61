"""Income by the secretary's completed years in office: means, medians and their intervals (a description)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from villagecon.analysis.accounts import measure_values, village_index
from villagecon.errors import UsageError
from villagecon.vocab.synonyms import accepts_measure_names

__all__ = ["income_by_tenure"]

log = logging.getLogger(__name__)


@accepts_measure_names("measure")
def income_by_tenure(
    accounts_with_tenure: pd.DataFrame,
    *,
    measure: str = "total_income",
    by: tuple[str, ...] | list[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean and median income by the secretary's completed years in office.

    Parameters
    ----------
    accounts_with_tenure : DataFrame
        Accounts with ``tenure_years`` (from :func:`villagecon.tenure`).
    measure : str
        One of :data:`INCOME_MEASURES` (default total_income).
    by : sequence of str
        Further grouping columns before tenure_years (e.g. ``("background",)``).

    Returns
    -------
    DataFrame
        One row per ``by`` group and completed tenure year, sorted, columns ``by``,
        tenure_years, and

        - n_village_years: village-years with that tenure and a known measure;
        - n_villages: distinct villages among them;
        - mean_yuan, median_yuan: mean and median of the measure, in yuan;
        - std_err_yuan: standard error of the mean (s/√n; NaN for one village-year);
        - ci_low_yuan, ci_high_yuan: the ``level`` interval of the mean with Student's t and
          n − 1 degrees of freedom (t = 4.30 for n = 3 at 95%, not 1.96). Village-years of one
          village are not independent: read it as a description, not a test.

        Village-years with no secretary (tenure missing) or a missing measure are
        left out; their number is logged.
    """
    by = list(by)
    if "tenure_years" not in accounts_with_tenure.columns:
        raise UsageError("accounts_with_tenure has no tenure_years: add it with villagecon.tenure(accounts, roster)")
    if missing := [c for c in by if c not in accounts_with_tenure.columns]:
        raise UsageError(f"cannot group by {', '.join(missing)}: the table has no such column")
    value = measure_values(accounts_with_tenure, measure).astype("float64")
    group, _ = village_index(accounts_with_tenure)
    usable = (accounts_with_tenure["tenure_years"].notna() & value.notna()).to_numpy()
    if (left_out := int((~usable).sum())) > 0:
        log.info(
            "income_by_tenure: %d of %d village-years left out (no secretary on 31 December or no %s)",
            left_out,
            len(usable),
            measure,
        )
    frame = pd.DataFrame(
        {
            **{c: accounts_with_tenure[c].to_numpy() for c in by},
            "tenure_years": accounts_with_tenure["tenure_years"].to_numpy(),
            "value": value.to_numpy(),
            "village_id": group,
        }
    )[usable]
    frame["tenure_years"] = frame["tenure_years"].astype("int64")
    out = (
        frame.groupby([*by, "tenure_years"], sort=True, dropna=False)
        .agg(
            n_village_years=("value", "size"),
            n_villages=("village_id", "nunique"),
            mean_yuan=("value", "mean"),
            median_yuan=("value", "median"),
            std_yuan=("value", "std"),
        )
        .reset_index()
    )
    n = out["n_village_years"].to_numpy(dtype="float64")
    std_err = out.pop("std_yuan").to_numpy() / np.sqrt(n)
    from scipy import stats  # here, not at the top: `import villagecon` (every command) does not wait for it

    with np.errstate(invalid="ignore"):
        critical = stats.t.ppf(0.5 + level / 2, np.where(n > 1, n - 1, np.nan))
    return out.assign(
        std_err_yuan=std_err,
        ci_low_yuan=out["mean_yuan"] - critical * std_err,
        ci_high_yuan=out["mean_yuan"] + critical * std_err,
    )
