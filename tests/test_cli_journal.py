"""`villagecon sample --journal` and `villagecon clean --journal`: the command line of the journal pipeline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pandas as pd
import pytest

from villagecon.cli import EXIT_ERROR, EXIT_REJECTS, main
from villagecon.journal import dask_engine

import ledger_files as lf


@pytest.fixture(scope="module")
def journal_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("journal")
    assert (
        main(["sample", "--journal", "--out", str(out), "--villages", "22", "--years", "2021-2022", "--lines", "40"])
        == 0
    )
    return out


def test_sample_journal_writes_parquet_partitions_by_county_and_year(journal_set, capsys):
    parts = sorted(p.relative_to(journal_set).parts[:2] for p in journal_set.rglob("*.parquet"))
    assert parts and all(c.startswith("county=") and y in ("year=2021", "year=2022") for c, y in parts)


def test_clean_journal_writes_accounts_and_reports_breaks(journal_set, tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["clean", str(journal_set), "--journal", "--out", str(out)]) == 0
    accounts = pd.read_parquet(out / "journal_accounts.parquet")
    assert set(accounts["year"]) == {2021, 2022} and accounts["village"].nunique() == 22
    assert accounts["total_income"].gt(0).all()
    assert "journal_accounts.parquet" in {p.name for p in out.iterdir()}
    assert "wrote the journal_* tables" in capsys.readouterr().out
    # The sample plants defects (a miswritten balance, a lost line, …): --strict says so in the exit code.
    assert main(["clean", str(journal_set), "--journal", "--out", str(out), "--strict"]) == EXIT_REJECTS


def test_dask_options_without_journal_are_refused(journal_set, tmp_path, capsys):
    assert main(["clean", str(journal_set), "--engine", "dask", "--out", str(tmp_path)]) == EXIT_ERROR
    assert "--engine dask and --scheduler are for cash journals: add --journal" in capsys.readouterr().err


def test_clean_journal_on_dask_gives_the_pandas_tables(journal_set, tmp_path):
    assert main(["clean", str(journal_set), "--journal", "--out", str(tmp_path / "pandas")]) == 0
    # As a user runs it: a process of its own, whose root logger prints whatever reaches it.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "villagecon",
            "clean",
            str(journal_set),
            "--journal",
            "--engine",
            "dask",
            "--out",
            str(tmp_path / "dask"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no dask INFO lines, no dashboard address
    assert run.stdout.splitlines()[-1] == f"wrote the journal_* tables to {tmp_path / 'dask'}"
    assert list(temporary.iterdir()) == []  # its scratch space was removed
    for name in ("journal_accounts.parquet",):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "pandas" / name), pd.read_parquet(tmp_path / "dask" / name)
        )
    for name in ("journal_breaks.csv", "journal_rejects.csv"):
        assert (tmp_path / "pandas" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()


# --- a journal workbook, limits and statements ---------------------------------------------------------------

JOURNAL_ROWS = [
    ["现金日记账"],
    ["核算单位：汝城县濠头乡上河村", None, None, "2022年"],
    ["月", "日", "凭证号", "摘要", "对方科目", "借方", "贷方", "余额"],
    [1, 1, None, "上年结转", None, None, None, 10000],
    [1, 5, "收1号", "收到鱼塘承包费", "发包及上交收入", 5000, None, 15000],
    [1, 8, "付1号", "买办公用品", "管理费用", None, 300, 14700],
    [1, 31, None, "本 月 合 计", None, 5000, 300, 14700],
    [12, 31, None, "结转下年", None, None, None, 14700],
]


def _cells(row_number: int, values: list) -> str:
    cells = []
    for column, value in enumerate(values):
        ref = f"{'ABCDEFGH'[column]}{row_number}"
        if isinstance(value, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{row_number}">{"".join(cells)}</row>'


def journal_workbook(folder, *, padding: int = 0):
    """上河村's 2022 cash book as an .xlsx; ``padding`` characters of XML comment make it unpack larger."""
    rows = "".join(_cells(number, values) for number, values in enumerate(JOURNAL_ROWS, start=1))
    sheet = lf.sheet_xml(rows + (f"<!--{' ' * padding}-->" if padding else ""))
    folder.mkdir(parents=True, exist_ok=True)
    return lf.raw_workbook(folder, "上河村2022年现金日记账.xlsx", sheet)


def test_clean_journal_honours_max_cells(tmp_path, capsys):
    raw = tmp_path / "raw"
    journal_workbook(raw)
    assert main(["clean", str(raw), "--journal", "--out", str(tmp_path / "out"), "--max-cells", "10"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith(
        "villagecon: error: the sheet spans 8 rows × 8 columns, more than the cells limit of 10 "
        "cells: refused without reading it (file 上河村2022年现金日记账.xlsx, sheet '台账')"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "journal_accounts.parquet").exists()
    assert main(["clean", str(raw), "--journal", "--out", str(tmp_path / "out"), "--max-cells", "64"]) == 0


def test_clean_journal_uncompressed_limit_can_be_raised(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    journal_workbook(raw, padding=3_000_000)  # 3 MB of XML that packs to a few kilobytes
    monkeypatch.setenv("VILLAGECON_MAX_UNCOMPRESSED_MB", "1")
    out = tmp_path / "out"
    assert main(["clean", str(raw), "--journal", "--out", str(out)]) == EXIT_ERROR
    assert "more than the uncompressed size limit of 1 MB" in capsys.readouterr().err
    assert main(["clean", str(raw), "--journal", "--out", str(out), "--max-uncompressed-mb", "5"]) == 0
    accounts = pd.read_parquet(out / "journal_accounts.parquet")
    assert accounts[["county", "village", "contract_income", "admin_expense"]].values.tolist() == [
        ["汝城县", "上河村", 5000.0, 300.0]
    ]


def test_reconciliation_with_a_name_in_two_counties(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    journal_workbook(raw)
    assert main(["clean", str(raw), "--journal", "--out", str(out)]) == 0
    here = pd.read_parquet(out / "journal_accounts.parquet")
    there = here.assign(
        county="宜章县", township="梅田镇", contract_income=8000.0, total_income=8000.0, net_income=7700.0
    )
    pd.concat([there, here], ignore_index=True).to_parquet(out / "accounts.parquet", index=False)
    capsys.readouterr()
    assert main(["clean", str(raw), "--journal", "--out", str(out)]) == 0
    table = pd.read_csv(out / "journal_reconciliation.csv", encoding="utf-8-sig")
    assert table[["county", "item", "statement_yuan", "journal_yuan", "status"]].values.tolist() == [
        ["汝城县", "contract_income", 5000.0, 5000.0, "ok"],
        ["汝城县", "total_income", 5000.0, 5000.0, "ok"],
        ["汝城县", "admin_expense", 300.0, 300.0, "ok"],
        ["汝城县", "total_expense", 300.0, 300.0, "ok"],
        ["汝城县", "net_income", 4700.0, 4700.0, "ok"],
    ]
    assert "reconciliation with the annual statements:" in capsys.readouterr().out


# --- scheduler addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        (
            "not-an-address",
            "'not-an-address' is not a Dask scheduler address (missing port number in address "
            "'not-an-address'): write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786",
        ),
        ("foo://x:1", "'foo://x:1' is not a Dask scheduler address (unknown address scheme 'foo'"),
    ],
)
def test_clean_journal_with_a_malformed_scheduler_address(journal_set, tmp_path, capsys, address, problem):
    assert (
        main(
            ["clean", str(journal_set), "--journal", "--engine", "dask", "--scheduler", address, "--out", str(tmp_path)]
        )
        == EXIT_ERROR
    )
    err = capsys.readouterr().err
    assert err.startswith(f"villagecon: error: {problem}") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_clean_journal_with_an_unreachable_scheduler(journal_set, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_engine, "SCHEDULER_CONNECT_SECONDS", 0.5)
    address = f"tcp://127.0.0.1:{free_port()}"
    assert (
        main(
            ["clean", str(journal_set), "--journal", "--engine", "dask", "--scheduler", address, "--out", str(tmp_path)]
        )
        == EXIT_ERROR
    )
    err = capsys.readouterr().err
    assert err == (
        f"villagecon: error: cannot reach the Dask scheduler at '{address}' (no answer within 0.5 s). "
        "Check that a Dask scheduler (`dask scheduler`) is running there and that the address is the one "
        "it prints, that this machine can reach that host and port (firewall, VPN), and that nothing else "
        "listens on that port; or leave out --scheduler to start a LocalCluster on this machine\n"
    )


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
