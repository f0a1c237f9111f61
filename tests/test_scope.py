"""The area a report speaks for, from the data: level, name, and its words."""

from __future__ import annotations

import pandas as pd
import pytest

from villagecon.report.scope import Scope, detect_scope


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # One township's own sheet: no 县 or 乡镇 column at all.
        ({"village": ["甲村", "乙村"]}, ("township", "", "village", "全镇", "各村")),
        (
            {"county": ["汝城县"] * 2, "township": ["濠头乡"] * 2, "village": ["甲村", "乙村"]},
            ("township", "汝城县濠头乡", "village", "全乡", "各村"),
        ),
        (
            {"county": ["北湖区"] * 2, "township": ["华塘镇", "鲁塘镇"], "village": ["甲村", "乙村"]},
            ("county", "北湖区", "township", "全区", "各乡镇"),
        ),
        (
            {"county": ["资兴市"] * 2, "township": ["白鹭乡", "兴宁镇"], "village": ["甲村", "乙村"]},
            ("county", "资兴市", "township", "全市", "各乡镇"),
        ),
        # A county's table without its own name: several townships.
        ({"township": ["华塘镇", "鲁塘镇"], "village": ["甲村", "乙村"]}, ("county", "", "township", "全县", "各乡镇")),
        (
            {"county": ["北湖区", "汝城县"], "village": ["甲村", "乙村"]},
            ("city", "郴州市", "county", "全市", "各县市区"),
        ),
        ({"county": ["某县", "汝城县"], "village": ["甲村", "乙村"]}, ("city", "", "county", "全市", "各县市区")),
    ],
)
def test_the_scope_follows_what_the_data_cover(rows, expected):
    scope = detect_scope(pd.DataFrame(rows))
    assert (scope.level, scope.area, scope.by, scope.whole, scope.parts) == expected


def test_an_area_named_by_the_user_words_the_whole():
    scope = detect_scope(pd.DataFrame({"county": ["北湖区", "汝城县"], "village": ["甲村", "乙村"]}), area="湘南某州")
    assert (scope.area, scope.whole) == ("湘南某州", "全州")
    assert Scope("county", "嘉禾县").part == "乡镇"
