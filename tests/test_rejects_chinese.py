"""Rejects in Chinese: every problem code the code base can set has a 问题 and a 处理办法 in problems.REJECT_PROBLEMS,
and rejects.csv, the journal's CSVs and the report's 数据问题 sheet carry them beside the English reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

import villagecon
from villagecon.cli import main
from villagecon.ingest import roster_cells
from villagecon.vocab import problems

import ledger_files as lf

PACKAGE = Path(villagecon.__file__).parent
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_PROBLEM_NAMES = {"problem", "balance_problem"}
# clean.py marks an empty amount cell "missing" and drops it before the rejects: it is never a reject's problem.
NEVER_A_REJECT = {"missing"}


def _codes_in(node: ast.AST) -> tuple[set[str], set[str]]:
    """The literal codes an expression can give, and the f-string patterns (``bad_{column}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ({node.value} if _CODE.fullmatch(node.value) else set()), set()
    if isinstance(node, ast.IfExp):
        (a, p), (b, q) = _codes_in(node.body), _codes_in(node.orelse)
        return a | b, p | q
    if isinstance(node, ast.JoinedStr):
        fixed = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return set(), ({ast.unparse(node)[2:-1]} if _CODE.fullmatch(fixed.strip("_") or "x") else set())
    return set(), set()


def problem_codes_set_in(source: str) -> tuple[set[str], set[str]]:
    """Every code a module's source sets as a problem: ``problem=``, ``{"problem": …}``, ``x["problem"] = …``,
    ``problem[mask] = …``, the code argument of a function of the module with a ``problem``/``code`` parameter,
    and the problem column of tuples appended to a list that becomes ``pd.DataFrame(list, columns=[…])``."""
    tree = ast.parse(source)
    literal, patterns = set(), set()

    def add(expression):
        codes, shapes = _codes_in(expression)
        literal.update(codes)
        patterns.update(shapes)

    takes_problem, tuple_lists = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            for name in (*_PROBLEM_NAMES, "code"):
                if name in names:
                    takes_problem[node.name] = (names.index(name), name)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "DataFrame"
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            for keyword in node.keywords:
                if keyword.arg == "columns" and isinstance(keyword.value, ast.List | ast.Tuple):
                    columns = [e.value for e in keyword.value.elts if isinstance(e, ast.Constant)]
                    if "problem" in columns:
                        tuple_lists[node.args[0].id] = columns.index("problem")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in _PROBLEM_NAMES:
                    add(keyword.value)
            function = node.func
            if isinstance(function, ast.Name) and function.id in takes_problem:
                position, name = takes_problem[function.id]
                if len(node.args) > position:
                    add(node.args[position])
                for keyword in node.keywords:
                    if keyword.arg == name:
                        add(keyword.value)
            if (
                isinstance(function, ast.Attribute)
                and function.attr == "append"
                and isinstance(function.value, ast.Name)
                and function.value.id in tuple_lists
                and node.args
                and isinstance(node.args[0], ast.Tuple)
            ):
                add(node.args[0].elts[tuple_lists[function.value.id]])
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in _PROBLEM_NAMES:
                    add(value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if not isinstance(target, ast.Subscript):
                    continue
                index = target.slice.elts if isinstance(target.slice, ast.Tuple) else [target.slice]
                if any(isinstance(e, ast.Constant) and e.value in _PROBLEM_NAMES for e in index) or (
                    isinstance(target.value, ast.Name) and target.value.id in _PROBLEM_NAMES
                ):
                    add(node.value)
    return literal, patterns


def test_the_scan_finds_codes_in_every_form_they_are_set():
    source = """
def problem(frame, where, code, reason): ...
def read(cells, frame, out, rows):
    cells.loc[bad, "problem"] = "amount"
    problem(frame, where, "year", "no year")
    out.append({"source": s, "problem": "conflict" if a else "overlap"})
    frame.assign(problem="excel_error", reason="x")
    rows.append((county, "village_unknown", "why"))
    table = pd.DataFrame(rows, columns=["county", "problem", "reason"])
    code[mask] = "not_this_one"
    note = {"reason": "not_a_code_either"}
    refuse(f"bad_{column}")
def refuse(problem): ...
"""
    literal, patterns = problem_codes_set_in(source)
    assert literal == {"amount", "year", "conflict", "overlap", "excel_error", "village_unknown"}
    assert patterns == {"bad_{column}"}


def test_every_problem_code_the_code_base_sets_has_chinese_text():
    found, patterns = {}, set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "sample" in path.parts:  # the sample generators plant defects; they set no reject's problem
            continue
        literal, shapes = problem_codes_set_in(path.read_text(encoding="utf-8"))
        for code in literal:
            found.setdefault(code, []).append(path.name)
        patterns |= shapes
    # A problem set from a pattern: the roster's bad_<column>, for every column it reads.
    assert patterns == {"bad_{column}"}, f"a new problem pattern: expand it here ({patterns})"
    codes = (set(found) | {f"bad_{column}" for column in roster_cells._READERS}) - NEVER_A_REJECT
    assert {
        "amount",
        "village_unknown",
        "conflict",
        "excel_error",
        "subtotal_mismatch",
        "balance_break",
        "overlap",
    } <= codes  # the scan reaches clean, register, journal, roster
    missing = {code: found.get(code, "roster") for code in sorted(codes - set(problems.REJECT_PROBLEMS))}
    assert not missing, f"problem codes without Chinese text in problems.REJECT_PROBLEMS: {missing}"


@pytest.mark.parametrize("code", sorted(problems.REJECT_PROBLEMS))
def test_every_text_is_chinese_and_fills_in_the_row(code):
    row = pd.DataFrame(
        {
            "source": ["台账.xlsx!2022年!5"],
            "cell": ["C5"],
            "column": ["经营收入"],
            "value": ["12.3%"],
            "problem": [code],
            "reason": ["closest in the register: 上河村、下河村. Correct it"],
        }
    )
    described = problems.describe_rejects(row).iloc[0]
    label = problems.REJECT_PROBLEMS[code][0]
    assert described["problem_text"].startswith(f"{label}：「台账.xlsx」的「2022年」表C5单元格")
    assert "{" not in described["problem_text"] + described["problem_advice"]
    assert re.search(r"[\u4e00-\u9fff]", described["problem_advice"])
    if "{closest}" in problems.REJECT_PROBLEMS[code][1]:
        assert described["problem_text"].endswith("（最接近的：上河村、下河村）")


def test_an_unknown_code_still_reads_in_chinese_and_points_to_the_english_reason():
    row = pd.DataFrame(
        {
            "source": ["a.csv!!3"],
            "cell": [None],
            "column": [None],
            "value": [None],
            "problem": ["brand_new"],
            "reason": ["why"],
        }
    )
    described = problems.describe_rejects(row).iloc[0]
    assert described["problem_text"] == "brand_new：「a.csv」第3行：见英文说明"
    assert described["problem_advice"] == "见英文说明（reason 列）"


def test_rejects_csv_says_what_is_wrong_and_what_to_do_in_chinese(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    lf.register(raw)
    # A county table laid out like FORMS.md's: 乡镇 | 村名 | items, 单位 line; 上和村 is a typo, 7.5吨 no amount.
    lf.workbook(
        raw,
        "汝城县2022.xlsx",
        [
            ["汝城县2022年村级集体经济收入统计表"],
            ["单位：万元"],
            ["乡镇", "村名", "经营收入", "补助收入"],
            ["濠头乡", "上河村", 20, "7.5吨"],
            ["濠头乡", "上和村", 5, 1],
        ],
        sheet="2022年",
    )
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out), "--register", str(raw / "register.csv")]) == 0
    rejects = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig", dtype=str)
    assert rejects.columns.tolist() == ["source", "cell", "column", "value", "问题", "处理办法", "problem", "reason"]
    by_cell = rejects.set_index("cell")
    at = "「汝城县2022.xlsx」的「2022年」表"
    assert by_cell.loc["D4", "问题"] == f"金额无法识别：{at}D4单元格的“7.5吨”不是可以读出的金额"
    assert by_cell.loc["D4", "处理办法"].startswith(f"把{at}D4单元格改为数字或带单位的金额")
    for cell in ("C5", "D5"):  # both amounts of the unknown village
        assert by_cell.loc[cell, "problem"] == "village_unknown"
        assert by_cell.loc[cell, "问题"] == (
            f"村名不在名册中：{at}{cell}单元格所在行的村不在村名册（register.csv）中（最接近的：上河村）"
        )
        assert by_cell.loc[cell, "处理办法"] == "改正村名（或县市区、乡镇），或在 register.csv 中加上该村（或它的别名）"
        assert "'上和村' is not in the register" in by_cell.loc[cell, "reason"]  # the English detail stays


def test_a_csv_reject_names_the_file_and_cell_without_a_sheet(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "台账2022.csv").write_text(
        "年度,村,科目,金额（元）\n2022,上河村,经营收入,#DIV/0!\n2022,上河村,补助收入,5000\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--out", str(out)]) == 0
    reject = pd.read_csv(out / "rejects.csv", encoding="utf-8-sig", dtype=str).iloc[0]
    assert reject["problem"] == "excel_error"
    assert reject["问题"] == "公式出错：「台账2022.csv」D2单元格显示 Excel 错误“#DIV/0!”，不是金额"
    assert reject["处理办法"].startswith("在 Excel 或 WPS 中改正该格的公式")
