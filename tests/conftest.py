"""Shared pytest set-up: the repository root, a small raw folder, the small accounts and simulated panel the
analysis tests share, and the bundled sample cleaned and reported once.

The two session fixtures, ``cleaned_sample`` and ``built_report``, are each made once per pytest process (once per
xdist worker) and shared by every test that asks for them. They are not copies: a test must not change them (copy
a table before changing it: ``cleaned_sample.accounts.copy()``). Each is compared with what it was when made at the
end of the session, and a test that changed one fails there, naming the table or file.
"""

from __future__ import annotations

import copy
import hashlib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ledger_files as lf
from village_panels import simulate_panel

# `make test` exports MPLBACKEND=Agg; the same when pytest is run by hand or from an editor.
os.environ.setdefault("MPLBACKEND", "Agg")

# The checkout these tests belong to. Not villagecon.paths.PROJECT_ROOT: VILLAGECON_ROOT may point
# that at a data folder elsewhere, while pyproject.toml, the Makefile and the lock live here.
REPO_ROOT = Path(__file__).resolve().parents[1]
# The bundled synthetic sample (郴州市, 300 villages, 2016-2023) and its register.
SAMPLE_RAW = REPO_ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder as an office keeps it: the register, a county's wide workbook and a village's CSV ledger."""
    folder = tmp_path / "raw"
    folder.mkdir()
    lf.register(folder)
    lf.wide_xlsx(folder)
    lf.long_csv(folder)
    return folder


# --- small tables the analysis tests share (test_threshold, test_debt, test_tenure_income; test_panel,
# test_event_studies, test_logit) ---------------------------------------------------------------------------

NaN = np.nan


@pytest.fixture
def accounts() -> pd.DataFrame:
    """Four villages, three years. 上河村 follows the article: 负债4.2万元 in 2017, 40余万元 in 2022."""
    rows = [
        # county, township, village, code, year, total_income, liabilities
        ("汝城县", "濠头乡", "上河村", "431026100201", 2017, 3_800, 42_000),
        ("汝城县", "濠头乡", "上河村", "431026100201", 2018, 96_000, 18_000),
        ("汝城县", "濠头乡", "上河村", "431026100201", 2022, 419_600, 0),
        ("汝城县", "濠头乡", "下村", "431026100202", 2017, 120_000, 0),  # above from the start, dips once
        ("汝城县", "濠头乡", "下村", "431026100202", 2018, 90_000, 0),
        ("汝城县", "濠头乡", "下村", "431026100202", 2022, 150_000, 0),
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2017, 74_100, 10_000),
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2018, 100_000, 0),  # exactly 10万元 counts as above
        ("北湖区", "华塘镇", "塔水村", "431002100105", 2022, 231_800, 0),
        ("北湖区", "华塘镇", "石村", "431002100106", 2017, NaN, 5),  # income not reported
        ("北湖区", "华塘镇", "石村", "431002100106", 2018, 0, 1_000),
        ("北湖区", "华塘镇", "石村", "431002100106", 2022, 50_000, 200_000),
    ]
    frame = pd.DataFrame(
        rows, columns=["county", "township", "village", "village_code", "year", "total_income", "liabilities"]
    )
    return frame.astype({"total_income": "float64", "liabilities": "float64"})


@pytest.fixture(scope="module")
def small_panel() -> pd.DataFrame:
    return simulate_panel(villages=30, years=range(2016, 2022), seed=7, tenure_effect=0.06)


# --- the bundled sample, cleaned and reported once per worker ---------------------------------------------------


def changed_tables(ledger, pristine) -> list[str]:
    """The names of the tables of ``ledger`` (a :class:`villagecon.Ledger`) that differ from ``pristine``'s."""
    changed = []
    for field in fields(ledger):
        if field.name.startswith("_"):  # what the reader keeps for itself, not a table
            continue
        table, before = getattr(ledger, field.name), getattr(pristine, field.name)
        if not isinstance(table, pd.DataFrame):  # written_summary: a text made when first asked for
            continue
        try:
            pd.testing.assert_frame_equal(table, before)
        except AssertionError:
            changed.append(field.name)
    return changed


def file_hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative POSIX path) with its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The files (of two :func:`file_hashes`) added, removed or changed."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


@pytest.fixture(scope="session")
def cleaned_sample() -> Iterator:
    """``read_ledger(data/raw, register=data/raw/register.csv)``: the whole bundled sample, read once per worker.

    Shared by every test that asks for it: do not change it (copy a table first). Checked unchanged at the end.
    """
    from villagecon import read_ledger

    ledger = read_ledger(SAMPLE_RAW, register=SAMPLE_RAW / "register.csv")
    pristine = copy.deepcopy(ledger)
    yield ledger
    changed = changed_tables(ledger, pristine)
    assert not changed, f"a test changed the shared cleaned_sample's {', '.join(changed)}: copy a table to change it"


@dataclass(frozen=True)
class BuiltReport:
    """The 2022 report of the whole bundled sample: its folder (``.../2022``) and the warnings building it gave."""

    folder: Path
    warnings: tuple[str, ...]


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Iterator[BuiltReport]:
    """``build_report(2022, raw=data/raw)`` into a temporary folder, once per worker, with every warning recorded.

    Shared by every test that asks for it: do not write into its folder. Checked unchanged at the end.
    """
    from villagecon.report.build import build_report

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        folder = build_report(2022, raw=SAMPLE_RAW, out=tmp_path_factory.mktemp("reports"), progress=False)
    report = BuiltReport(folder, tuple(str(w.message) for w in caught))
    before = file_hashes(folder)
    yield report
    changed = changed_files(before, file_hashes(folder))
    assert not changed, f"a test changed the shared built_report's files: {changed}"


# The tests of the whole bundled sample are slow: the first on each worker cleans or reports it.
WHOLE_SAMPLE = {"cleaned_sample", "built_report"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if WHOLE_SAMPLE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
