"""The four notebooks run top to bottom on the sample data with the project's kernel, and are committed clean."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOKS = ["01_clean_ledgers", "02_threshold", "03_secretary_tenure", "04_annual_report"]


def _kernel() -> str:
    if "villagecon" not in KernelSpecManager().find_kernel_specs():
        pytest.fail(
            "the 'villagecon' Jupyter kernel is not installed: run `make test` (or `make lab`), which "
            "installs it into .venv"
        )
    return "villagecon"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(repo_root, name):
    notebook = json.loads((repo_root / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
    assert notebook["metadata"]["kernelspec"]["name"] == "villagecon"
    # nbformat 4.5 cell ids: a cell added by hand without one is a warning today and an error in later nbformat.
    ids = [cell.get("id") for cell in notebook["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), f"cells without a unique id in {name}: run nbformat's normalize"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_the_project_kernel(repo_root, tmp_path, monkeypatch, name):
    # Reports the notebook writes go to a temporary folder, not the checkout's reports/.
    monkeypatch.setenv("VILLAGECON_REPORTS", str(tmp_path / "reports"))
    notebook = nbformat.read(repo_root / "notebooks" / f"{name}.ipynb", as_version=4)
    NotebookClient(
        notebook, kernel_name=_kernel(), timeout=300, resources={"metadata": {"path": str(repo_root / "notebooks")}}
    ).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    shown = "".join(
        str(output.get("data", {}).get("text/plain", "")) + output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    expected = {
        # Tables with Chinese headers, amounts in 万元 to two decimals (上河村's 40余万元 of 2022 is 40.00), 是/否.
        "01_clean_ledgers": ["上河村", "本年收入合计（万元）", "处理办法", "村名不在名册中：", "40.00  是"],
        "02_threshold": ["全市", "达到门槛占比（%）", "净负债年负债（万元）"],
        "03_secretary_tenure": ["tenure_years", "任职年限", "平均数（万元）"],
        "04_annual_report": ["report.html"],
    }[name]
    assert [text for text in expected if text not in shown] == []
    assert not re.search(r"\d\.\d{3,}", _tables_shown(notebook)), "a table shows more than two decimals"


def _tables_shown(notebook) -> str:
    """The text of the tables labels.chinese_table showed (the ones with a column headed …（万元）)."""
    return "".join(
        str(output["data"].get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "（万元）</th>" in str(output.get("data", {}).get("text/html", ""))
    )


def test_the_report_notebook_has_a_papermill_parameters_cell(repo_root):
    notebook = nbformat.read(repo_root / "notebooks" / "04_annual_report.ipynb", as_version=4)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(name in tagged[0].source for name in ("year =", "measure =", "threshold ="))


@pytest.mark.slow
def test_the_report_notebook_takes_papermill_parameters(repo_root, tmp_path, monkeypatch):
    # What `papermill -p year 2021 -p threshold 150000` does: a cell tagged injected-parameters right after
    # the one tagged parameters, so that its values win.
    reports = tmp_path / "reports"
    monkeypatch.setenv("VILLAGECON_REPORTS", str(reports))
    notebook = nbformat.read(repo_root / "notebooks" / "04_annual_report.ipynb", as_version=4)
    [position] = [i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", [])]
    injected = nbformat.v4.new_code_cell(
        '# Parameters\nyear = 2021\nmeasure = "total_income"\nthreshold = 150000\n',
        metadata={"tags": ["injected-parameters"]},
    )
    notebook.cells.insert(position + 1, injected)
    NotebookClient(
        notebook, kernel_name=_kernel(), timeout=300, resources={"metadata": {"path": str(repo_root / "notebooks")}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert printed.strip() == str(reports / "2021")
    page = next(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "<h1>郴州市2021年村级集体经济年度报告</h1>" in page and "门槛：15万元" in page
    assert sorted(p.name for p in reports.iterdir()) == ["2021"]
    manifest = json.loads((reports / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["year"], manifest["threshold"]) == (2021, 150000)
