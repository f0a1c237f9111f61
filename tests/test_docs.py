"""The documentation site builds with ``mkdocs build --strict`` and shows what it promises.

--strict turns every warning into a failure: a broken link, a snippet of README.md or CHANGELOG.md that is gone,
a docstring griffe cannot parse, a cross-reference to a name that no longer exists.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from villagecon.vocab import labels, problems

REPO_ROOT = Path(__file__).resolve().parents[1]


def _text(page: Path) -> str:
    """A built page's text: tags dropped, entities decoded, so that a signature reads as in Python."""
    return unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr[-4000:]
    assert "WARNING" not in built.stderr, built.stderr[-4000:]
    return out


@pytest.mark.slow
def test_api_reference_shows_signatures_from_the_code(site: Path) -> None:
    api = _text(site / "reference" / "index.html")
    assert re.search(
        r"read_ledger\(\s*path: Path \| str,\s*\*,\s*register: Path \| str \| DataFrame \| None = None", api
    )
    assert re.search(
        r'to_yuan\(\s*value: object,\s*\*,\s*unit: str \| None = "元",\s*errors: str = "raise",?\s*'
        r"\) -> float \| pd\.Series",
        api,
    )
    # Loaded lazily at run time, documented all the same.
    assert re.search(r"event_study\(\s*panel: DataFrame,", api)
    # Sphinx roles of the docstrings become links where the target is documented, never literal text.
    raw = (site / "reference" / "index.html").read_text(encoding="utf-8")
    assert 'href="errors/#villagecon.errors"><code>villagecon.errors</code></a>' in raw
    assert not re.search(r":(mod|func|class|data|meth):<code>", raw)
    errors = _text(site / "reference" / "errors" / "index.html")
    assert "AmountError(\n    value: object,\n    reason: str," in errors


@pytest.mark.slow
def test_every_page_is_built_and_the_included_files_are_in_it(site: Path) -> None:
    guide = _text(site / "使用指南" / "index.html")
    assert "villagecon 使用指南" in guide
    assert "五、处理数据问题：rejects.csv" in guide
    pages = sorted(site.rglob("index.html"))
    assert not [p for p in pages if "--8<--" in p.read_text(encoding="utf-8")], "a snippet was not included"
    changelog = _text(site / "changelog" / "index.html")
    assert "Keep a Changelog" in changelog and "Unreleased" in changelog
    assert "make bench" in _text(site / "performance" / "index.html")
    assert "Tenure is counted by person." in _text(site / "definitions" / "index.html")


@pytest.mark.slow
def test_generated_tables_come_from_the_vocabulary(site: Path) -> None:
    guide = _text(site / "guide" / "index.html")
    for code, (label, _, _) in problems.REJECT_PROBLEMS.items():
        assert re.search(rf"\n{code}\n{label}\n", guide), code
    model = _text(site / "data-model" / "index.html")
    for column, chinese in {**labels.ACCOUNT_ITEMS, **labels.DERIVED_MEASURES}.items():
        assert f"\n{column}\n{chinese}\n" in model, column
    # 经营收益 under each accounting system: 发包及上交收入 is gone from 2024, 税金及附加 is deducted.
    assert "经营收入 + 发包及上交收入 + 投资收益 − 经营支出 − 管理费用" in model
    assert "经营收入 + 投资收益 − 经营支出 − 税金及附加 − 管理费用" in model


def _hook(name: str):
    """One of the site's hooks (docs/hooks/NAME.py), loaded as mkdocs loads it: from its file."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", REPO_ROOT / "docs" / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_asking_for_an_unknown_table_fails_the_build() -> None:
    with pytest.raises(KeyError, match="no table 'reject_problem'; known: account_columns"):
        _hook("tables").on_page_markdown("# Rejects\n\n<!-- table: reject_problem -->\n")


def test_a_sphinx_role_becomes_an_optional_reference() -> None:
    html = _hook("sphinx_roles").on_page_content(
        "<p>See :func:<code>~villagecon.parse.amounts.to_yuan</code> below::</p>"
    )
    assert html == (
        '<p>See <autoref optional identifier="villagecon.parse.amounts.to_yuan"><code>to_yuan</code></autoref>'
        " below:</p>"
    )


def test_a_reject_reads_without_a_row_in_the_table() -> None:
    table = _hook("tables").reject_problems()
    assert "| `amount` | 金额无法识别 | 该格的“……”不是可以读出的金额 |" in table
    assert "{" not in table  # every placeholder of problems.REJECT_PROBLEMS filled
