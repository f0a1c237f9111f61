"""Measures named in Chinese (经营性收入, 本年收入合计, 经营收益) as well as by key, in the CLI and the Python API."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import villagecon.report.build
from villagecon.analysis import metrics, models
from villagecon.cli import main
from villagecon.errors import UsageError
from villagecon.report import plots
from villagecon.vocab import labels
from villagecon.vocab.synonyms import measure_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("经营性收入", "operational_income"),
        ("本年收入合计", "total_income"),
        ("经营收益", "operating_profit"),
        ("经营收入", "operating_income"),
        ("本年收益", "net_income"),
        ("发包及上缴收入", "contract_income"),
        ("本年收入合计（元）", "total_income"),
        ("总收入", "total_income"),  # a ledger's spellings too
        ("operational_income", "operational_income"),
        ("total_income", "total_income"),
    ],
)
def test_measure_name_takes_the_chinese_label_a_ledger_spelling_or_the_key(name, key):
    assert measure_name(name) == key


@pytest.mark.parametrize("name", ["集体收入", "income", "资产", "管理费用", ""])
def test_a_name_that_is_no_income_measure_lists_the_accepted_names_in_chinese_and_english(name):
    with pytest.raises(UsageError) as raised:
        measure_name(name)
    message = str(raised.value)
    assert message.startswith(f"{name!r} is not an income measure villagecon knows; name one of: ")
    for key in labels.INCOME_MEASURES:
        assert f"{labels.column(key)} ({key})" in message


def _accounts() -> pd.DataFrame:
    # 经营性收入 = 经营收入 + 发包及上交收入 + 投资收益; 上河村 2022 is above 10万元 on it, 下村 below.
    return pd.DataFrame(
        {
            "county": ["汝城县"] * 4,
            "township": ["濠头乡"] * 4,
            "village": ["上河村", "上河村", "下村", "下村"],
            "year": [2021, 2022, 2021, 2022],
            "operational_income": [60_000.0, 160_000.0, 40_000.0, 90_000.0],
            "operating_profit": [10_000.0, 120_000.0, -5_000.0, 20_000.0],
            "total_income": [80_000.0, 200_000.0, 150_000.0, 130_000.0],
            "liabilities": [42_000.0, 0.0, 0.0, 0.0],
        }
    )


def test_metrics_take_the_chinese_name():
    accounts = _accounts()
    chinese = metrics.share_above(accounts, measure="经营性收入")
    pd.testing.assert_frame_equal(chinese, metrics.share_above(accounts, measure="operational_income"))
    city = chinese.loc[chinese["county"].eq(metrics.WHOLE_CITY)].set_index("year")
    assert city.loc[2022, "n_above"] == 1 and city.loc[2021, "n_above"] == 0
    status = metrics.threshold_status(accounts, measure="经营收益")
    assert status["above_threshold"].tolist() == [False, True, False, False]
    path = metrics.trajectory(accounts, "上河村", income="本年收入合计")
    assert path["total_income"].tolist() == [80_000.0, 200_000.0]


def test_plots_take_the_chinese_name_and_title_it():
    fig, ax = plt.subplots()
    plots.plot_income_vs_threshold(_accounts(), year=2022, measure="经营性收入", ax=ax)
    assert "经营性收入" in ax.get_title()
    drawn = np.sort(np.concatenate([c.get_offsets()[:, 1] for c in ax.collections if len(c.get_offsets())]))
    assert drawn.tolist() == [9.0, 16.0]  # 万元: 下村, 上河村
    plt.close(fig)


def test_models_take_the_chinese_name():
    with pytest.raises(UsageError, match="'集体收入' is not an income measure"):
        models.tenure_effect(_accounts(), outcome="集体收入")


def test_report_tables_take_the_chinese_name(tmp_path):
    from villagecon import read_ledger
    from villagecon.report.tables import compute_tables

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "濠头乡2022.csv").write_text(
        "年度,县市区,乡镇,村,经营收入（元）,发包及上交收入（元）,投资收益（元）,"
        "补助收入（元）\n2022,汝城县,濠头乡,上河村,120000,30000,0,50000\n"
        "2022,汝城县,濠头乡,下村,20000,0,0,90000\n",
        encoding="utf-8",
    )
    tables = compute_tables(read_ledger(raw), None, pd.DataFrame(), year=2022, measure="经营性收入", threshold=100_000)
    assert tables.measure == "operational_income"
    above = tables.accounts.set_index("village")["above_threshold"]
    assert above.to_dict() == {"上河村": True, "下村": False}  # 15万 and 2万 of 经营性收入 (下村's 补助 not counted)


def test_report_command_passes_the_key_of_a_chinese_measure(tmp_path, monkeypatch, capsys):
    received = {}

    def build_report(year=None, *, measure, out, **_):
        received["measure"] = measure
        return out / "2022"

    monkeypatch.setattr(villagecon.report.build, "build_report", build_report)
    assert main(["report", "--out", str(tmp_path), "--measure", "经营收益"]) == 0
    assert received == {"measure": "operating_profit"}
    with pytest.raises(SystemExit) as exited:
        main(["report", "--measure", "集体收入"])
    assert exited.value.code == 2
    assert "经营性收入 (operational_income)" in capsys.readouterr().err
