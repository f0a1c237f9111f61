"""Simulated village panels whose true effects are known, for the tests of the panel models
(test_panel.py, test_event_studies.py, test_logit.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BACKGROUNDS = np.array(["返乡大学生", "退役军人", "致富能手", "经商返乡人员", "其他"])


def simulate_panel(
    *,
    villages: int,
    years: range,
    seed: int,
    tenure_effect: float = 0.0,
    jump_at_arrival: float = 0.0,
    change_rate: float = 0.2,
    noise: float = 0.1,
) -> pd.DataFrame:
    """Village-years with secretary spells and log income built from known parts.

    Each village has an incumbent who took office up to 8 years before the panel, and a new
    secretary arrives with probability ``change_rate`` in every year. ``log(total_income) = 11 +
    village effect + 0.05·(year − first year) + tenure_effect·tenure_years + jump_at_arrival·(arrivals so
    far, the incumbent's included) + noise``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for village in range(villages):
        start = years[0] - int(rng.integers(0, 9))
        arrivals = 1
        for year in years:
            if year > years[0] and rng.random() < change_rate:
                start, arrivals = year, arrivals + 1
            rows.append(
                (
                    f"v{village:04d}",
                    f"43102610{village:04d}",
                    ["汝城县", "北湖区", "安仁县"][village % 3],
                    year,
                    year - start,
                    arrivals,
                )
            )
    panel = pd.DataFrame(rows, columns=["village", "village_code", "county", "year", "tenure_years", "arrivals"])
    village_effect = rng.normal(0, 0.45, villages)[panel["village"].str[1:].astype(int)]
    log_income = (
        11
        + village_effect
        + 0.05 * (panel["year"] - years[0])
        + tenure_effect * panel["tenure_years"]
        + jump_at_arrival * panel["arrivals"]
        + rng.normal(0, noise, len(panel))
    )
    return panel.assign(
        total_income=np.exp(log_income),
        x=rng.normal(size=len(panel)),
        background=BACKGROUNDS[rng.integers(0, 5, len(panel))],
    )
