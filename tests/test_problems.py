"""The problems of rejects in Chinese (villagecon.vocab.problems); every code's text is checked against the code
base in tests/test_rejects_chinese.py."""

from __future__ import annotations

import pandas as pd

from villagecon.vocab import labels
from villagecon.vocab.problems import PROBLEM_COLUMNS, describe_rejects, problem_label, rejects_for_people


def _rejects(**columns):
    row = {"source": "台账.xlsx!2022年!5", "cell": "C5", "column": "经营收入", "value": "12.3%"}
    row |= {"problem": "amount", "reason": "not an amount", **columns}
    return pd.DataFrame({name: [value] for name, value in row.items()})


def test_a_problem_code_reads_in_chinese_and_an_unknown_one_as_it_is():
    assert problem_label("amount") == "金额无法识别"
    assert problem_label("village_unknown") == "村名不在名册中"
    assert problem_label("brand_new") == "brand_new"


def test_rejects_csv_puts_the_chinese_before_the_code_and_the_english_reason():
    written = rejects_for_people(_rejects())
    assert list(written.columns) == ["source", "cell", "column", "value", "问题", "处理办法", "problem", "reason"]
    assert written["问题"][0] == "金额无法识别：「台账.xlsx」的「2022年」表C5单元格的“12.3%”不是可以读出的金额"
    assert written["problem"][0] == "amount"


def test_a_long_cell_is_quoted_cut_and_a_row_without_a_cell_by_its_line():
    text = describe_rejects(_rejects(value="一" * 50))["problem_text"][0]
    assert "“" + "一" * 40 + "…”" in text
    text = describe_rejects(_rejects(cell=None, source="a.csv!!7", problem="village_missing"))["problem_text"][0]
    assert text == "缺少村名：「a.csv」第7行所在行有金额，但没有村名"


def test_the_labels_head_the_problem_columns_as_rejects_csv_does():
    for name, label in PROBLEM_COLUMNS.items():
        assert labels.column(name) == label
    assert labels.chinese_table(_rejects())["问题代码"][0] == "金额无法识别"
