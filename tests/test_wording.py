"""How the report page writes numbers: 万元, signed changes, percentage points, percentages, escaped text."""

from __future__ import annotations

import numpy as np

from villagecon.report.wording import escape, percent, signed_points, signed_text, signed_wan, wan


def test_amounts_in_wan_with_one_decimal_and_a_dash_when_missing():
    assert wan(419_600.0) == "42.0"
    assert wan(12_345_678.0) == "1,234.6"
    assert wan(-38_200.0) == "-3.8"
    assert wan(np.nan) == "—" and wan(None) == "—"  # type: ignore[arg-type]


def test_changes_carry_their_sign_in_figures_and_in_words():
    assert signed_wan(40_000.0) == "+4.0" and signed_wan(-4_000.0) == "-0.4" and signed_wan(np.nan) == "—"
    assert signed_text(12_000.0) == "增加1.2万元"
    assert signed_text(-4_000.0) == "减少0.4万元"
    assert signed_text(400.0) == "持平"  # rounds to 0.0万元


def test_shares_as_percentages_and_their_changes_in_points():
    assert percent(0.4) == "40.0%" and percent(2 / 3) == "66.7%" and percent(np.nan) == "—"
    assert signed_points(0.052) == "+5.2" and signed_points(-0.1) == "-10.0" and signed_points(np.nan) == "—"


def test_text_is_escaped_for_the_page():
    assert escape("汝城县<濠头乡> & “上河村”") == "汝城县&lt;濠头乡&gt; &amp; “上河村”"
    assert escape('a "b"') == "a &quot;b&quot;"
    assert escape(None) == ""
