"""read_ledger on what offices send (many small workbooks, many sheets) against pandas merely loading them.

Goal (issue 13), each ratio measured side by side in this one run:

- the bundled ``data/raw`` (33 workbooks, 137 ledger sheets): read_ledger in at most the time
  ``pd.read_excel(sheet_name=None, engine="openpyxl")`` takes to load the same workbooks; stretch:
  within 5x of ``pd.read_excel(..., engine="calamine")``;
- a city-sized sample (``villagecon sample --villages 2400``): the same ratio, and the cost per cell
  about the same as on the bundled data (linear in cells, not in sheets);
- ``make report`` with ``data/processed`` current: at most 8x the openpyxl load of ``data/raw``.

read_ledger is timed with one process (``jobs=1``) and with every core (the default).

    python benchmarks/bench_many_sheets.py [--villages 2400] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import python_calamine

from villagecon import paths, read_ledger
from villagecon.ingest.files import find_files
from villagecon.sample import write_sample

import harness

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def workbooks(folder: Path) -> list[Path]:
    return [path for path in find_files(folder)[0] if path.suffix.lower() in SPREADSHEETS]


def load_with_pandas(files: list[Path], engine: str) -> int:
    """Every sheet of every workbook as a DataFrame, as a naive script would load them; the cells loaded."""
    cells = 0
    for path in files:
        # openpyxl cannot open the old .xls; pandas would use xlrd for it, which is not installed: calamine does.
        use = "calamine" if path.suffix.lower() in (".xls", ".xlsb", ".ods") else engine
        cells += sum(frame.size for frame in pd.read_excel(path, sheet_name=None, header=None, engine=use).values())
    return cells


def load_with_calamine(files: list[Path]) -> int:
    sheets = 0
    for path in files:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
            sheets += 1
    return sheets


def measure(folder: Path, register: Path, repeat: int) -> dict:
    files = workbooks(folder)
    cells = load_with_pandas(files, "calamine")
    figures = {
        "workbooks": len(files),
        "sheets": load_with_calamine(files),
        "cells": cells,
        "calamine_load_seconds": harness.best_of(lambda: load_with_calamine(files), repeat=repeat),
        "pandas_calamine_load_seconds": harness.best_of(lambda: load_with_pandas(files, "calamine"), repeat=repeat),
        "pandas_openpyxl_load_seconds": harness.best_of(lambda: load_with_pandas(files, "openpyxl"), repeat=repeat),
        "read_ledger_one_process_seconds": harness.best_of(
            lambda: read_ledger(folder, register=register, jobs=1, progress=False), repeat=repeat
        ),
        "read_ledger_seconds": harness.best_of(
            lambda: read_ledger(folder, register=register, progress=False), repeat=repeat
        ),
    }
    figures["processes"] = len(os.sched_getaffinity(0))
    figures["read_ledger_vs_pandas_openpyxl"] = figures["read_ledger_seconds"] / figures["pandas_openpyxl_load_seconds"]
    figures["read_ledger_vs_pandas_calamine"] = figures["read_ledger_seconds"] / figures["pandas_calamine_load_seconds"]
    figures["read_ledger_microseconds_per_cell"] = figures["read_ledger_one_process_seconds"] / cells * 1e6
    return figures


def make_report_seconds(repeat: int) -> float:
    """``make report``'s two commands with data/processed current (cleaned once before the timing)."""
    villagecon = Path(sys.executable).parent / "villagecon"
    env = {**os.environ, "MPLBACKEND": "Agg"}

    def run() -> None:
        for command in (
            ["clean", "data/raw", "--out", "data/processed", "--register", "data/raw/register.csv"],
            ["report"],
        ):
            subprocess.run(
                [str(villagecon), *command], check=True, capture_output=True, env=env, cwd=paths.PROJECT_ROOT
            )

    run()
    return harness.best_of(run, repeat=repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=2400, help="villages of the city-sized sample")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    bundled = measure(paths.DATA_RAW, paths.DATA_RAW / "register.csv", args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        write_sample(folder, villages=args.villages)
        city = measure(Path(folder), Path(folder) / "register.csv", 1)
    report = make_report_seconds(args.repeat)
    report_ratio = report / bundled["pandas_openpyxl_load_seconds"]
    harness.write_results(
        "many_sheets",
        {
            "bundled": bundled,
            "city": {"villages": args.villages, **city},
            "make_report_processed_current_seconds": report,
            "make_report_vs_pandas_openpyxl": report_ratio,
            "goals": {
                "bundled read_ledger <= pandas+openpyxl load": bundled["read_ledger_vs_pandas_openpyxl"] <= 1,
                "bundled read_ledger <= 5x pandas+calamine load (stretch)": bundled["read_ledger_vs_pandas_calamine"]
                <= 5,
                "city read_ledger <= pandas+openpyxl load": city["read_ledger_vs_pandas_openpyxl"] <= 1,
                "city cost per cell within 1.5x of the bundled": (
                    city["read_ledger_microseconds_per_cell"] <= 1.5 * bundled["read_ledger_microseconds_per_cell"]
                ),
                "make report (processed current) <= 8x pandas+openpyxl load": report_ratio <= 8,
            },
        },
    )


if __name__ == "__main__":
    main()
