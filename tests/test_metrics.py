"""villagecon.analysis.metrics, the module that names every measure in one place: each name is its home module's.

The measures' own tests are in test_threshold.py, test_debt.py, test_approximate.py, test_categories.py and
test_tenure_income.py.
"""

from __future__ import annotations

from villagecon.analysis import accounts, approximate, categories, debt, metrics, tenure_income, threshold

HOMES = {
    accounts: ["INCOME_MEASURES", "village_index"],
    approximate: ["MEASURE_PARTS", "mark_approximate_measure"],
    categories: ["SHELL_VILLAGE", "WEAK_THRESHOLDS", "WEAK_VILLAGE", "category_table", "village_categories"],
    debt: ["DEBT_DEFINITIONS", "DEBT_STATUSES", "debt_to_revenue", "in_net_debt", "trajectory", "turnarounds"],
    tenure_income: ["income_by_tenure"],
    threshold: ["DEFAULT_THRESHOLD", "WHOLE_CITY", "crossing_year", "share_above", "threshold_status"],
}


def test_metrics_names_each_measure_of_its_home_module_and_nothing_else():
    assert metrics.share_above is threshold.share_above
    assert sorted(metrics.__all__) == sorted(name for names in HOMES.values() for name in names)
    for home, names in HOMES.items():
        for name in names:
            assert name in home.__all__, f"{name} is not public in {home.__name__}"
            assert getattr(metrics, name) is getattr(home, name), f"metrics.{name} is not {home.__name__}.{name}"
