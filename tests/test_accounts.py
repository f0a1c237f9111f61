"""What every measure reads from the accounts: the measure checked, the village of each row, the official order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from villagecon.analysis.accounts import (
    INCOME_MEASURES,
    measure_values,
    one_village,
    ordered_groups,
    village_index,
)
from villagecon.errors import UsageError


def _accounts(codes: bool = True) -> pd.DataFrame:
    """Two 上河村 in two counties (the names repeat across 郴州市), 塔水村 in 北湖区, over two years."""
    rows = [
        ("汝城县", "濠头乡", "上河村", "431026100001", 2017, 3_800.0),
        ("汝城县", "濠头乡", "上河村", "431026100001", 2022, 419_600.0),
        ("宜章县", "梅田镇", "上河村", "431022100007", 2022, 55_000.0),
        ("北湖区", "鲁塘镇", "塔水村", "431002100001", 2017, None),
        ("北湖区", "鲁塘镇", "塔水村", "431002100001", 2022, 120_000.0),
    ]
    frame = pd.DataFrame(rows, columns=["county", "township", "village", "village_code", "year", "total_income"])
    return frame if codes else frame.drop(columns="village_code")


def test_measure_values_are_floats_with_missing_kept():
    values = measure_values(_accounts(), "total_income")
    assert values.dtype == "float64"
    assert values.tolist()[:3] == [3_800.0, 419_600.0, 55_000.0] and np.isnan(values.iloc[3])


def test_measure_values_refuse_what_is_not_an_income_measure_or_not_there():
    with pytest.raises(
        UsageError, match="measure 'liabilities' is not an income measure; use one of operating_income, contract_income"
    ):
        measure_values(_accounts().assign(liabilities=0.0), "liabilities")
    assert "operational_income" in INCOME_MEASURES
    with pytest.raises(UsageError, match=r"accounts has no column 'operational_income' \(经营性收入\)"):
        measure_values(_accounts(), "operational_income")


def test_village_index_tells_villages_apart_by_code_in_the_order_they_come():
    group, places = village_index(_accounts())
    assert group.tolist() == [0, 0, 1, 2, 2] and group.dtype == np.int64
    assert places[["county", "village", "village_code"]].values.tolist() == [
        ["汝城县", "上河村", "431026100001"],
        ["宜章县", "上河村", "431022100007"],
        ["北湖区", "塔水村", "431002100001"],
    ]


def test_village_index_without_codes_uses_county_township_and_name():
    group, places = village_index(_accounts(codes=False))
    assert group.tolist() == [0, 0, 1, 2, 2]
    assert places["township"].tolist() == ["濠头乡", "梅田镇", "鲁塘镇"]
    with pytest.raises(UsageError, match="no village or village_code column"):
        village_index(pd.DataFrame({"year": [2022]}))


def test_one_village_by_code_or_by_a_name_only_one_village_has():
    assert one_village(_accounts(), "431022100007")["total_income"].tolist() == [55_000.0]
    assert one_village(_accounts(), "塔水村村委会")["year"].tolist() == [2017, 2022]  # the suffix goes


def test_one_village_says_which_villages_a_shared_name_means_and_what_is_close():
    with pytest.raises(UsageError, match=r"'上河村' names 2 villages \(431026100001 汝城县 濠头乡; 431022100007"):
        one_village(_accounts(), "上河村")
    with pytest.raises(UsageError, match="no village '塔山村' in the accounts; closest: 塔水村"):
        one_village(_accounts(), "塔山村")


def test_ordered_groups_follow_the_codes_then_the_names():
    assert ordered_groups(_accounts(), "county") == ["北湖区", "宜章县", "汝城县"]  # 431002 < 431022 < 431026
    assert ordered_groups(_accounts(codes=False), "county") == sorted(["北湖区", "宜章县", "汝城县"])
    with_county_codes = _accounts().assign(
        county_code=lambda a: a["county"].map({"汝城县": "431026", "宜章县": "431099", "北湖区": "431002"})
    )
    assert ordered_groups(with_county_codes, "county") == ["北湖区", "汝城县", "宜章县"]
