"""Charts, tested by what they draw: points, bars, lines, spans, tick labels, and no missing glyphs."""

from __future__ import annotations

import ast
import inspect
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import same_color
from matplotlib.patches import Rectangle

from villagecon.analysis import metrics
from villagecon.report import plots, style


@pytest.fixture(autouse=True)
def chinese_style():
    style.use()
    yield
    plt.close("all")


def _accounts():
    """Two counties, two years; 北湖区 has the smaller code, so it comes first. 上河村's 2022 income is 40余万元."""
    rows = [
        ("汝城县", "431026100001", "上河村", 2017, 3_800.0, 42_000.0, False),
        ("汝城县", "431026100001", "上河村", 2022, 400_000.0, 0.0, True),
        ("汝城县", "431026100002", "大坪村", 2017, 50_000.0, 0.0, False),
        ("汝城县", "431026100002", "大坪村", 2022, 90_000.0, 0.0, False),
        ("北湖区", "431002100001", "塔水村", 2017, 120_000.0, 10_000.0, False),
        ("北湖区", "431002100001", "塔水村", 2022, 250_000.0, 0.0, False),
    ]
    return pd.DataFrame(
        rows,
        columns=["county", "village_code", "village", "year", "total_income", "liabilities", "total_income_approx"],
    )


def _shanghe_roster():
    return pd.DataFrame(
        {
            "village_code": ["431026100001", "431026100001"],
            "village": ["上河村", "上河村"],
            "name": ["欧俊涛", "张小雄"],
            "start": pd.to_datetime(["2011-01-01", "2017-04-01"]),
            "end": pd.to_datetime(["2017-03-31", None]),
        }
    )


def _effects():
    return pd.DataFrame(
        {
            "event_time": [-3, -2, -1, 0, 1, 2],
            "coef": [0.01, -0.02, 0.0, 0.05, 0.11, 0.15],
            "ci_low": [-0.05, -0.07, 0.0, 0.0, 0.05, 0.08],
            "ci_high": [0.07, 0.03, 0.0, 0.1, 0.17, 0.22],
            "binned": [True, False, False, False, False, True],
        }
    )


def _tenure_panel():
    rng = np.random.default_rng(0)
    rows = pd.DataFrame(
        {
            "village": np.repeat([f"村{i}" for i in range(40)], 12),
            "year": np.tile(range(2012, 2024), 40),
            "tenure_years": np.tile(range(12), 40),
        }
    )
    return rows.assign(total_income=50_000 + 10_000 * rows["tenure_years"] + rng.normal(0, 5_000, len(rows)))


def _overlapping_texts(ax):
    """Pairs of drawn texts of ``ax`` whose boxes overlap on the canvas."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :] if box_a.overlaps(box_b)]


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
    assert [c.get_label() for c in points] == ["北湖区", "汝城县"]  # official (code) order
    offsets = points[1].get_offsets()[:, 1]
    assert sorted(offsets) == [9.0, 40.0]  # 万元
    assert points[0].get_offsets()[:, 1].tolist() == [25.0]
    # Coloured by the threshold, not by county: 40万元 above (green), 9万元 below (grey).
    colours = {y: tuple(c) for y, c in zip(offsets, points[1].get_facecolors(), strict=True)}
    assert same_color(colours[40.0][:3], plots.INCOME_COLOUR) and same_color(colours[9.0][:3], plots.BELOW_COLOUR)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["达到10万元", "未达10万元"]
    assert len(_lines_at_y(ax, 10.0)) == 1  # the 10万元 line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["北湖区", "汝城县"]
    assert [t.get_text() for t in ax.texts] == ["10万元", "100%", "50%", "各县市区达到10万元的村占比"]
    line_label = ax.texts[0]
    assert line_label.get_transform() == ax.get_yaxis_transform() and line_label.get_position() == (1.005, 10.0)
    assert "全市66.7%达到10万元" in ax.get_title() and "2022年" in ax.get_title()
    assert ax.get_xlabel() == ""  # every village drawn
    assert _overlapping_texts(ax) == []
    assert _drawn_without_missing_glyphs(ax)


def test_income_vs_threshold_counts_the_villages_a_log_axis_cannot_show():
    accounts = pd.concat(
        [_accounts(), _accounts().iloc[[3]].assign(village="石村", village_code="431026100003", total_income=-5_000.0)],
        ignore_index=True,
    )
    accounts.loc[len(accounts)] = accounts.iloc[-1].to_dict() | {
        "village": "水村",
        "village_code": "431026100004",
        "total_income": 0.0,
    }
    ax = plots.plot_income_vs_threshold(accounts, year=2022)
    assert sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)) == 3
    assert ax.get_xlabel() == "另有2个村的本年收入合计为0或负数，对数刻度上无法画出（未达门槛）"
    assert "全市40.0%达到10万元" in ax.get_title()  # they count as below


def test_income_vs_threshold_defaults_to_the_latest_year_and_follows_measure_and_threshold():
    accounts = _accounts().assign(operational_income=lambda f: f["total_income"] / 2)
    ax = plots.plot_income_vs_threshold(accounts, measure="operational_income", threshold=200_000)
    assert len(_lines_at_y(ax, 20.0)) == 1
    assert "2022年" in ax.get_title() and "经营性收入" in ax.get_title() and "20万元" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["20万元", "0%", "50%", "各县市区达到20万元的村占比"]


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


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == pytest.approx(0.38)]


def test_trajectory_draws_income_and_debt_side_by_side_the_threshold_and_the_secretaries():
    ax = plots.plot_trajectory(_accounts(), village="上河村", roster=_shanghe_roster())
    bars = _bars(ax)
    centres = {round(b.get_x() + b.get_width() / 2, 2): round(b.get_height(), 2) for b in bars}
    # Income left of the year, debt right of it: 负债4.2万元 in 2017, 40万元 in 2022.
    assert centres == {2016.8: 0.38, 2017.2: -4.2, 2021.8: 40.0, 2022.2: -0.0}
    net = next(line for line in ax.get_lines() if line.get_marker() == "D")
    assert net.get_linestyle() == "None"  # diamonds, no line through the labels
    assert net.get_xydata().tolist() == [[2017, -3.82], [2022, 40.0]]
    assert len(_lines_at_y(ax, 10.0)) == 1
    spans = [p for p in ax.patches if p not in bars]
    # 欧俊涛's spell is cut at the chart's left edge; 张小雄's starts on 1 April 2017.
    assert [round(s.get_x(), 3) for s in spans] == [2016.5, round(2016.5 + 90 / 365, 3)]
    texts = [t.get_text() for t in ax.texts]
    assert "张小雄 2017-04起" in texts and "欧俊涛 2011-01起" in texts
    assert "≈40.0" in texts and "-4.2" in texts  # the approximate 40余万元 is marked
    assert ax.get_title() == "上河村：本年收入合计与负债"
    assert _overlapping_texts(ax) == []
    assert _drawn_without_missing_glyphs(ax)


def test_trajectory_of_a_loss_keeps_labels_and_markers_apart():
    # 2017: a loss of 2.4万元 and a debt of 4.2万元 (the operating_profit chart that drew "-2.4" over "-4.2").
    accounts = _accounts().assign(operating_profit=[-24_000.0, 280_000.0, 0, 0, 0, 0])
    ax = plots.plot_trajectory(accounts, village="上河村", measure="operating_profit")
    centres = {round(b.get_x() + b.get_width() / 2, 2): round(b.get_height(), 2) for b in _bars(ax)}
    assert centres[2016.8] == -2.4 and centres[2017.2] == -4.2  # side by side, not one over the other
    assert _overlapping_texts(ax) == []
    # No net-position diamond inside a label, and every label inside the axes.
    renderer = ax.figure.canvas.get_renderer()
    diamonds = ax.transData.transform(next(line for line in ax.get_lines() if line.get_marker() == "D").get_xydata())
    labels = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    assert not any(box.contains(x, y) for box in labels for x, y in diamonds)
    assert all(ax.get_window_extent(renderer).contains(box.x0, box.y0) for box in labels)
    # The total's approximation (40余万元) says nothing of the derived 经营收益.
    assert [t.get_text() for t in ax.texts if "≈" in t.get_text()] == []


def test_trajectory_by_code_is_titled_with_the_village_name():
    ax = plots.plot_trajectory(_accounts(), village="431026100001")
    assert ax.get_title() == "上河村：本年收入合计与负债"


def test_income_by_tenure_pools_long_tenures_and_draws_intervals():
    rows = _tenure_panel()
    ax = plots.plot_income_by_tenure(rows, longest=10)
    assert [t.get_text() for t in ax.get_xticklabels()] == [*map(str, range(10)), "10+"]
    means = ax.containers[0].lines[0].get_ydata()
    assert means[0] == pytest.approx(rows.loc[rows["tenure_years"].eq(0), "total_income"].mean() / 10_000)
    assert means[10] == pytest.approx(rows.loc[rows["tenure_years"].ge(10), "total_income"].mean() / 10_000)
    assert len(ax.containers[0].lines[2][0].get_segments()) == 11  # one interval per point
    assert _drawn_without_missing_glyphs(ax)


def test_event_study_marks_the_reference_year_and_draws_each_interval():
    ax = plots.plot_event_study(_effects())
    line = ax.containers[0].lines[0]
    assert line.get_xdata().tolist() == [-3, -2, -1, 0, 1, 2]
    # Log points drawn as percent changes: 0.11 log points is +11.6%.
    assert line.get_ydata().round(4).tolist() == [0.0101, -0.0198, 0.0, 0.0513, 0.1163, 0.1618]
    segments = ax.containers[0].lines[2][0].get_segments()
    assert [tuple(s[:, 1].round(4)) for s in segments][4] == (0.0513, 0.1853)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["≤-3", "-2", "-1", "0", "1", "≥2"]
    ax.figure.canvas.draw()
    assert all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())
    reference = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert reference.get_offsets().tolist() == [[-1.0, 0.0]]
    # The legend names the estimate, the reference period and the arrival line; it stands right of the axes,
    # clear of the intervals.
    renderer = ax.figure.canvas.get_renderer()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "估计值及95%置信区间",
        "基准期：上任前一年（定为0）",
        "新书记上任",
    ]
    assert ax.get_legend().get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    assert _drawn_without_missing_glyphs(ax)


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: plots.plot_income_vs_threshold(_accounts(), ax=ax),
        lambda ax: plots.plot_share_above(metrics.share_above(_accounts()), ax=ax),
        lambda ax: plots.plot_trajectory(_accounts(), village="上河村", roster=_shanghe_roster(), ax=ax),
        lambda ax: plots.plot_income_by_tenure(_tenure_panel(), ax=ax),
        lambda ax: plots.plot_event_study(_effects(), ax=ax),
    ],
    ids=["income_vs_threshold", "share_above", "trajectory", "income_by_tenure", "event_study"],
)
def test_every_plot_draws_on_the_axes_it_is_given(draw):
    fig, (_, ax) = plt.subplots(1, 2)
    assert draw(ax) is ax
    assert ax.has_data() and not fig.axes[0].has_data()  # on that Axes, not on a new figure or the other
    assert plt.get_fignums() == [fig.number]


def test_plots_type_no_chinese_themselves():
    # Every Chinese word on a chart comes from villagecon.vocab.labels; docstrings may explain in Chinese.
    tree = ast.parse(inspect.getsource(plots))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef) and ast.get_docstring(node) is not None
    }
    inline = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and re.search(r"[\u3400-\u9fff]", node.value)
    ]
    assert inline == []


def _one_county():
    """汝城县 alone, two townships: incomes 4.5万 to 45万 (one decade)."""
    rows = [
        ("濠头乡", "上河村", 450_000.0),
        ("濠头乡", "甲村", 45_000.0),
        ("热水镇", "乙村", 120_000.0),
        ("热水镇", "丙村", 80_000.0),
    ]
    return pd.DataFrame(
        [
            {"county": "汝城县", "township": t, "village": v, "year": 2023, "total_income": income}
            for t, v, income in rows
        ]
    )


def test_income_vs_threshold_of_one_county_speaks_of_its_townships():
    ax = plots.plot_income_vs_threshold(_one_county(), by="township")
    title = ax.get_title()
    assert title == "2023年各乡镇村集体本年收入合计；全县50.0%达到10万元"
    assert "各县市区" not in title and "全市" not in title
    assert [t.get_text() for t in ax.texts][-1] == "各乡镇达到10万元的村占比"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["濠头乡", "热水镇"]
    # The default is the next level down from what the data cover: the same chart.
    assert plots.plot_income_vs_threshold(_one_county()).get_title() == title


def test_a_log_axis_reads_in_plain_wan_yuan():
    ax = plots.plot_income_vs_threshold(_one_county())
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    shown = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert shown == ["5", "10", "20", "50"]  # 1-2-5 in each decade, never 2×10¹
    assert not [t for t in ax.yaxis.get_minorticklabels() if t.get_text()]
    assert low < 4.5 and high > 45  # no dot on the frame
    # Over more than three decades, a tick at each power of ten.
    wide = _one_county().assign(total_income=[5_000_000.0, 300.0, 120_000.0, 80_000.0])
    ax = plots.plot_income_vs_threshold(wide)
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    assert [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high] == [
        "0.1",
        "1",
        "10",
        "100",
    ]


def test_one_township_draws_a_dot_per_village_in_its_own_words():
    township = _one_county().loc[lambda f: f["township"].eq("濠头乡")]
    ax = plots.plot_income_vs_threshold(township)
    assert ax.get_title() == "2023年汝城县濠头乡各村集体本年收入合计；全乡50.0%达到10万元"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["上河村", "甲村"]
    assert [t.get_text() for t in ax.texts] == ["10万元"]  # no row of 0% and 100% over single villages


def test_successive_secretaries_have_shades_of_their_own():
    ax = plots.plot_trajectory(_accounts(), village="上河村", roster=_shanghe_roster())
    spans = [p for p in ax.patches if p not in _bars(ax)]
    colours = [s.get_facecolor()[:3] for s in spans]
    assert same_color(colours[0], plots.TENURE_COLOURS[0]) and same_color(colours[1], plots.TENURE_COLOURS[1])
    assert np.abs(np.subtract(colours[0], colours[1])).max() > 0.3  # told apart at a glance, not two alphas


@pytest.mark.parametrize(
    "function",
    [
        plots.plot_income_vs_threshold,
        plots.plot_share_above,
        plots.plot_trajectory,
        plots.plot_income_by_tenure,
        plots.plot_event_study,
    ],
)
def test_each_plot_says_it_returns_axes_and_how_to_save_it(function):
    assert inspect.signature(function).return_annotation in ("Axes", Axes)
    assert "Axes" in function.__doc__ and "ax.figure.savefig" in function.__doc__


def test_what_a_plot_returns_saves_through_its_figure(tmp_path):
    ax = plots.plot_event_study(_effects())
    ax.figure.savefig(tmp_path / "event_study.png")
    assert (tmp_path / "event_study.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_many_villages_of_one_township_share_one_column():
    villages = pd.DataFrame(
        {
            "village": [f"{n}号村" for n in range(40)],
            "year": 2023,
            "total_income": [10_000.0 * (n + 1) for n in range(40)],
        }
    )
    ax = plots.plot_income_vs_threshold(villages)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["全镇"]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 1 and len(points[0].get_offsets()) == 40
    assert ax.figure.get_size_inches()[0] <= 16
    # 1万 to 40万 spans less than two decades: 1-2-5. Under one decade, more plain ticks.
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    assert [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high] == [
        "1",
        "2",
        "5",
        "10",
        "20",
        "50",
    ]
    narrow = plots.plot_income_vs_threshold(villages.assign(total_income=lambda f: 60_000 + f["total_income"] / 5))
    narrow.figure.canvas.draw()
    low, high = narrow.get_ylim()
    assert [t.get_text() for t in narrow.get_yticklabels() if low <= t.get_position()[1] <= high] == [
        "5",
        "7",
        "10",
        "15",
    ]
