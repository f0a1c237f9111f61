"""The official categories (villagecon/analysis/categories.py): 空壳村 and 薄弱村, by village and by county."""

from __future__ import annotations

import numpy as np
import pandas as pd

from villagecon.analysis.categories import category_table, village_categories

NaN = np.nan


def test_village_categories_shell_and_weak_villages():
    accounts = pd.DataFrame(
        {
            "county": ["汝城县"] * 4 + ["北湖区"],
            "year": [2022] * 5,
            "village": ["甲", "乙", "丙", "丁", "戊"],
            "operational_income": [0.0, 30_000.0, 50_000.0, 80_000.0, NaN],
        }
    )
    assert village_categories(accounts)["category"].tolist() == ["空壳村", "薄弱村", pd.NA, pd.NA, pd.NA]
    assert village_categories(accounts, weak_below=100_000)["category"].tolist() == [
        "空壳村",
        "薄弱村",
        "薄弱村",
        "薄弱村",
        pd.NA,
    ]
    table = category_table(accounts, weak_below=100_000)
    assert table[["county", "n_villages", "n_shell", "n_weak", "n_missing"]].values.tolist() == [
        ["北湖区", 0, 0, 0, 1],
        ["汝城县", 4, 1, 3, 0],
    ]
