"""read_ledger on a 200,000-row long ledger vs openpyxl merely loading the same workbook.

Goal (issue 3): read_ledger, which reads, classifies, parses, reconciles and
pivots, at least 6× faster than ``openpyxl.load_workbook`` does nothing but load.

    python benchmarks/bench_read_ledger.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import xlsxwriter

from villagecon import read_ledger
from villagecon.vocab import labels

import harness

ITEMS = [
    labels.column(item)
    for item in (
        "operating_income",
        "contract_income",
        "investment_income",
        "subsidy_income",
        "other_income",
        "operating_expense",
        "admin_expense",
        "other_expense",
    )
]


def build_long_ledger(path: Path, rows: int, *, seed: int = 0) -> Path:
    """A format-2 workbook: 年度 | 乡镇 | 村 | 科目 | 金额（万元）, one row per village-year-item."""
    rng = np.random.default_rng(seed)
    villages_needed = rows // (len(ITEMS) * 8) + 1
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["2016—2023年村级集体经济收支台账（合成基准数据）"])
    sheet.write_row(1, 0, ["年度", "乡镇", "村", "科目", "金额（万元）"])
    amounts = np.round(rng.lognormal(1.5, 1.0, rows), 4)
    written = 0
    for village in range(villages_needed):
        for year in range(2016, 2024):
            for item in ITEMS:
                if written == rows:
                    break
                amount = amounts[written]
                value = f"{amount:,.2f}" if written % 10 == 0 else float(amount)  # some written as text
                sheet.write_row(written + 2, 0, [year, f"第{village // 40}镇", f"基准{village}村", item, value])
                written += 1
    book.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = build_long_ledger(Path(folder) / "long.xlsx", args.rows)
        ledger = read_ledger(path, unit="万元")
        assert len(ledger.entries) == args.rows and ledger.rejects.empty, "the benchmark ledger must read cleanly"
        ours = harness.best_of(lambda: read_ledger(path, unit="万元"), repeat=args.repeat)
        openpyxl_load = harness.best_of(lambda: openpyxl.load_workbook(path), repeat=args.repeat)
        openpyxl_read_only = harness.best_of(
            lambda: sum(1 for _ in openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)),
            repeat=args.repeat,
        )
        size = path.stat().st_size
    harness.write_results(
        "read_ledger",
        {
            "rows": args.rows,
            "file_bytes": size,
            "read_ledger_seconds": ours,
            "read_ledger_rows_per_second": args.rows / ours,
            "openpyxl_load_seconds": openpyxl_load,
            "openpyxl_read_only_iterate_seconds": openpyxl_read_only,
            "speedup_vs_openpyxl_load": openpyxl_load / ours,
            "speedup_vs_openpyxl_read_only": openpyxl_read_only / ours,
            "goal": "read_ledger >= 6x faster than openpyxl.load_workbook",
            "goal_met": openpyxl_load / ours >= 6,
        },
    )


if __name__ == "__main__":
    main()
