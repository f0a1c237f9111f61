"""Approximate measures (villagecon/analysis/approximate.py): a measure is approximate when one of its parts is."""

from __future__ import annotations

import pandas as pd

from villagecon.analysis.approximate import mark_approximate_measure


def test_mark_approximate_measure_follows_the_parts_of_each_measure():
    place = {"county": "汝城县", "township": "濠头乡", "village": "上河村", "village_code": "431026201205"}
    entries = pd.DataFrame(
        [
            {
                **place,
                "year": 2022,
                "item": "operating_income",
                "detail": None,
                "amount_yuan": 168_000.0,
                "approx": False,
            },
            {**place, "year": 2022, "item": "total_income", "detail": None, "amount_yuan": 400_000.0, "approx": True},
            {**place, "year": 2022, "item": "admin_expense", "detail": None, "amount_yuan": 45_000.0, "approx": False},
            {
                **place,
                "year": 2021,
                "item": "operating_income",
                "detail": None,
                "amount_yuan": 130_000.0,
                "approx": True,
            },
            {**place, "year": 2021, "item": "operating_income", "detail": "光伏", "amount_yuan": 1.0, "approx": False},
            {**place, "year": 2021, "item": "assets", "detail": None, "amount_yuan": 9.0, "approx": True},
        ]
    )
    accounts = pd.DataFrame(
        [
            {**place, "year": 2021, "approx": True},
            {**place, "year": 2022, "approx": True},
            {**place, "year": 2023, "approx": False},
        ]
    ).assign(
        total_income=[130_000.0, 400_000.0, 1.0],
        operational_income=[130_000.0, 168_000.0, 1.0],
        operating_profit=[130_000.0, 123_000.0, 1.0],
    )

    def flags(measure):
        return mark_approximate_measure(accounts, entries, measure=measure)[f"{measure}_approx"].tolist()

    # 2022: the reported total is approximate, its parts are not; 2021: the total is derived from an approximate part.
    assert flags("total_income") == [True, True, False]
    assert flags("operational_income") == [True, False, False]
    assert flags("operating_profit") == [True, False, False]
    assert "operating_profit_approx" not in accounts  # input untouched
