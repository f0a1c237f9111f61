"""The whole annual report from the bundled data/raw, timed step by step.

Goal (issue 6): `villagecon report` on data/raw in under 60 seconds on 2 cores; the figure written
is the time and its ratio to that budget, with the time spent in each step.

    python benchmarks/bench_report.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from villagecon import paths
from villagecon.ingest.ledger import read_ledger
from villagecon.ingest.roster import read_roster_with_rejects
from villagecon.report.build import build_report, find_roster, write_outputs
from villagecon.report.tables import compute_tables

import harness

BUDGET_SECONDS = 60


def main() -> None:
    raw = paths.DATA_RAW
    register = raw / "register.csv"
    with tempfile.TemporaryDirectory() as out:
        whole = harness.best_of(lambda: build_report(2022, raw=raw, out=out, progress=False), repeat=2)
        steps = {}
        start = time.perf_counter()
        ledger = read_ledger(raw, register=register)
        steps["read_ledger"] = time.perf_counter() - start
        start = time.perf_counter()
        roster, roster_rejects = read_roster_with_rejects(find_roster(raw), register=register)
        steps["read_roster"] = time.perf_counter() - start
        start = time.perf_counter()
        tables = compute_tables(ledger, roster, roster_rejects, year=2022, measure="total_income", threshold=100_000)
        steps["measures_and_models"] = time.perf_counter() - start
        start = time.perf_counter()
        write_outputs(tables, Path(out) / "steps")
        steps["figures_workbook_page"] = time.perf_counter() - start
    harness.write_results(
        "report",
        {
            "villages": int(ledger.accounts["village"].nunique()),
            "village_years": len(ledger.accounts),
            "report_seconds": whole,
            "budget_seconds": BUDGET_SECONDS,
            "share_of_budget": whole / BUDGET_SECONDS,
            "step_seconds": steps,
            "goal": f"the whole report from data/raw in under {BUDGET_SECONDS} s on 2 cores",
            "goal_met": whole < BUDGET_SECONDS,
        },
    )


if __name__ == "__main__":
    main()
