"""Charts, tested by what they draw: points, bars, lines, spans, tick labels, and no missing glyphs."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle

from villagecon import metrics, plots, style


@pytest.fixture(autouse=True)
def chinese_style():
    style.use()
    yield
    plt.close("all")


def _accounts():
    """Two counties, two years; 北湖区 has the smaller code, so it comes first."""
    rows = [
        ("汝城县", "431026100001", "上河村", 2017, 3_800.0, 42_000.0, False),
        ("汝城县", "431026100001", "上河村", 2022, 400_000.0, 0.0, True),
        ("汝城县", "431026100002", "大坪村", 2017, 50_000.0, 0.0, False),
        ("汝城县", "431026100002", "大坪村", 2022, 90_000.0, 0.0, False),
        ("北湖区", "431002100001", "塔水村", 2017, 120_000.0, 10_000.0, False),
        ("北湖区", "431002100001", "塔水村", 2022, 250_000.0, 0.0, False),
    ]
    return pd.DataFrame(rows, columns=["county", "village_code", "village", "year", "total_income", "liabilities",
                                       "approx"])


def _lines_at_y(ax, y):
    return [line for line in ax.get_lines() if np.allclose(line.get_ydata(), y)]


def _drawn_without_missing_glyphs(ax):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def test_income_vs_threshold_draws_every_village_the_line_and_the_shares():
    ax = plots.plot_income_vs_threshold(_accounts(), year=2022)
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [c.get_label() for c in points] == ["北湖区", "汝城县"]          # official (code) order
    assert sorted(points[1].get_offsets()[:, 1]) == [9.0, 40.0]             # 万元
    assert points[0].get_offsets()[:, 1].tolist() == [25.0]
    assert len(_lines_at_y(ax, 10.0)) == 1                                   # the 10万元 line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["北湖区", "汝城县"]
    assert [t.get_text() for t in ax.texts] == ["10万元", "100%", "50%"]
    assert "全市66.7%达到10万元" in ax.get_title() and "2022年" in ax.get_title()
    assert _drawn_without_missing_glyphs(ax)


def test_income_vs_threshold_defaults_to_the_latest_year_and_follows_measure_and_threshold():
    accounts = _accounts().assign(operational_income=lambda f: f["total_income"] / 2)
    ax = plots.plot_income_vs_threshold(accounts, measure="operational_income", threshold=200_000)
    assert len(_lines_at_y(ax, 20.0)) == 1
    assert "2022年" in ax.get_title() and "经营性收入" in ax.get_title() and "20万元" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["20万元", "0%", "50%"]


def test_share_above_draws_a_line_per_county_and_a_bold_city_line():
    shares = metrics.share_above(_accounts())
    ax = plots.plot_share_above(shares, county_order=["北湖区", "汝城县"])
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["北湖区", "汝城县", "全市"]
    city = lines[-1]
    assert city.get_linewidth() == 3
    assert city.get_xdata().tolist() == [2017, 2022]
    assert np.allclose(city.get_ydata(), [1 / 3, 2 / 3])
    assert lines[1].get_ydata().tolist() == [0.0, 0.5]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["北湖区", "汝城县", "全市"]
    assert _drawn_without_missing_glyphs(ax)


def test_trajectory_draws_income_up_debt_down_the_threshold_and_the_secretaries():
    roster = pd.DataFrame({
        "village_code": ["431026100001", "431026100001"], "village": ["上河村", "上河村"],
        "name": ["欧俊涛", "张小雄"], "start": pd.to_datetime(["2011-01-01", "2017-04-01"]),
        "end": pd.to_datetime(["2017-03-31", None])})
    ax = plots.plot_trajectory(_accounts(), village="上河村", roster=roster)
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == pytest.approx(0.6)]
    heights = sorted(round(b.get_height(), 2) for b in bars)
    assert heights == [-4.2, -0.0, 0.38, 40.0]                 # 负债4.2万元 in 2017, 40万元 in 2022
    assert len(_lines_at_y(ax, 10.0)) == 1
    spans = [p for p in ax.patches if p not in bars]
    # 欧俊涛's spell is cut at the chart's left edge; 张小雄's starts on 1 April 2017.
    assert [round(s.get_x(), 3) for s in spans] == [2016.5, round(2016.5 + 90 / 365, 3)]
    texts = [t.get_text() for t in ax.texts]
    assert "张小雄 2017-04起" in texts and "欧俊涛 2011-01起" in texts
    assert "≈40.0" in texts and "-4.2" in texts                 # the approximate 40余万元 is marked
    assert ax.get_title() == "上河村：本年收入合计与负债"
    assert _drawn_without_missing_glyphs(ax)


def test_income_by_tenure_pools_long_tenures_and_draws_intervals():
    rng = np.random.default_rng(0)
    rows = pd.DataFrame({"village": np.repeat([f"村{i}" for i in range(40)], 12),
                         "year": np.tile(range(2012, 2024), 40),
                         "tenure_years": np.tile(range(12), 40)})
    rows["total_income"] = 50_000 + 10_000 * rows["tenure_years"] + rng.normal(0, 5_000, len(rows))
    ax = plots.plot_income_by_tenure(rows, longest=10)
    assert [t.get_text() for t in ax.get_xticklabels()] == [*map(str, range(10)), "10+"]
    means = ax.containers[0].lines[0].get_ydata()
    assert means[0] == pytest.approx(rows.loc[rows["tenure_years"].eq(0), "total_income"].mean() / 10_000)
    assert means[10] == pytest.approx(rows.loc[rows["tenure_years"].ge(10), "total_income"].mean() / 10_000)
    assert len(ax.containers[0].lines[2][0].get_segments()) == 11           # one interval per point
    assert _drawn_without_missing_glyphs(ax)


def test_event_study_marks_the_reference_year_and_draws_each_interval():
    effects = pd.DataFrame({"event_time": [-3, -2, -1, 0, 1, 2], "coef": [0.01, -0.02, 0.0, 0.05, 0.11, 0.15],
                            "ci_low": [-0.05, -0.07, 0.0, 0.0, 0.05, 0.08],
                            "ci_high": [0.07, 0.03, 0.0, 0.1, 0.17, 0.22],
                            "binned": [True, False, False, False, False, True]})
    ax = plots.plot_event_study(effects)
    line = ax.containers[0].lines[0]
    assert line.get_xdata().tolist() == [-3, -2, -1, 0, 1, 2]
    assert line.get_ydata().tolist() == [0.01, -0.02, 0.0, 0.05, 0.11, 0.15]
    segments = ax.containers[0].lines[2][0].get_segments()
    assert [tuple(s[:, 1].round(2)) for s in segments][4] == (0.05, 0.17)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["≤-3", "-2", "-1", "0", "1", "≥2"]
    reference = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert reference.get_offsets().tolist() == [[-1.0, 0.0]]
    assert _drawn_without_missing_glyphs(ax)
