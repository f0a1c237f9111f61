"""What a Chinese analyst reads outside the report: notebook tables, the Jupyter kernel, the user guide."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pandas as pd
import pytest

from villagecon.cli import main
from villagecon.vocab import labels, problems


def test_chinese_table_labels_columns_and_shows_wan_yuan_to_two_decimals():
    table = pd.DataFrame(
        {
            "village": ["上河村", "塔水村"],
            "year": [2022, 2022],
            "total_income": [94_684.178723, 400_000.0],
            "share": [0.2166666, 1.0],
            "approx": [False, True],
            "above_threshold": pd.array([True, None], dtype="boolean"),
            "item": ["operating_income", "operational_income"],
            "problem": ["amount", "conflict"],
            "note": ["x", "y"],
        }
    )
    before = table.copy()
    shown = labels.chinese_table(table)
    pd.testing.assert_frame_equal(table, before)  # the input is left as it was
    assert shown.columns.tolist() == [
        "村",
        "年度",
        "本年收入合计（万元）",
        "达到门槛占比（%）",
        "约数",
        "达到门槛",
        "科目",
        "问题代码",
        "note",
    ]
    assert shown["本年收入合计（万元）"].tolist() == [9.47, 40.0]
    assert shown["达到门槛占比（%）"].tolist() == [21.7, 100.0]
    assert shown["约数"].tolist() == ["否", "是"]
    assert shown["达到门槛"].iloc[0] == "是" and pd.isna(shown["达到门槛"].iloc[1])
    assert shown["科目"].tolist() == ["经营收入", "经营性收入"]
    assert shown["问题代码"].tolist() == ["金额无法识别", "两处来源数字不同"]
    assert shown["年度"].tolist() == [2022, 2022]


def test_chinese_table_labels_the_index_and_keeps_missing_amounts_missing():
    table = pd.DataFrame({"tenure_years": [0, 1], "mean_yuan": [np.nan, 123_456.0]}).set_index("tenure_years")
    shown = labels.chinese_table(table)
    assert shown.index.name == "任职年限"
    assert np.isnan(shown["平均数（万元）"].iloc[0]) and shown["平均数（万元）"].iloc[1] == 12.35


@pytest.mark.parametrize("target", ["report", "venv"])
def test_make_report_and_make_venv_install_the_jupyter_kernel(repo_root, target):
    # -n -B: what make would run from scratch, without running it.
    planned = subprocess.run(
        ["make", "-n", "-B", target], cwd=repo_root, capture_output=True, text=True, check=True
    ).stdout
    assert "-m ipykernel install --sys-prefix --name villagecon" in planned


GUIDE = "docs/使用指南.md"


def test_the_readme_links_the_chinese_user_guide(repo_root):
    assert f"]({GUIDE})" in (repo_root / "README.md").read_text(encoding="utf-8")


def test_every_command_in_the_user_guide_exists(repo_root, capsys):
    guide = (repo_root / GUIDE).read_text(encoding="utf-8")
    commands = re.findall(r"(?<!from )\bvillagecon ([a-z]+)([^`\n|]*)", guide)  # not `from villagecon import`
    assert {"clean", "inspect", "report", "verify"} <= {name for name, _ in commands}
    for name, rest in commands:
        with pytest.raises(SystemExit) as exited:
            main([name, "--help"])
        assert exited.value.code == 0, f"the guide names a command villagecon does not have: villagecon {name}"
        help_text = capsys.readouterr().out
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest):
            assert option in help_text, f"the guide names an option villagecon {name} does not have: {option}"
    make_targets = set(re.findall(r"^([a-z]+):", (repo_root / "Makefile").read_text(encoding="utf-8"), re.M))
    assert {"report", "data"} <= set(re.findall(r"\bmake ([a-z]+)\b", guide)) <= make_targets


def test_the_guide_names_every_column_of_rejects_csv(repo_root, tmp_path):
    guide = (repo_root / GUIDE).read_text(encoding="utf-8")
    row = pd.DataFrame(
        {
            "source": ["a.csv!!2"],
            "cell": ["D2"],
            "column": ["金额"],
            "value": ["x"],
            "problem": ["amount"],
            "reason": ["why"],
        }
    )
    for column in problems.rejects_for_people(row).columns:
        assert f"`{column}`" in guide
