"""Writing a :class:`~villagecon.journal.combine.Journal`'s tables: parquet, CSV and a manifest."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from villagecon.journal.combine import Journal
from villagecon.outputs import replacing_files, write_atomic, write_csv
from villagecon.vocab import problems

__all__ = ["JOURNAL_OUTPUTS", "write_journal"]

log = logging.getLogger(__name__)

JOURNAL_OUTPUTS = (
    "journal_accounts.parquet",
    "journal_entries.parquet",
    "journal_books.parquet",
    "journal_rejects.csv",
    "journal_breaks.csv",
    "journal_unmapped.csv",
    "journal_subtotals.csv",
)


def write_journal(journal: Journal, out: Path | str, *, reconciliation: pd.DataFrame | None = None) -> list[Path]:
    """Write a Journal's tables into ``out``, each file replaced atomically.

    The files are :data:`JOURNAL_OUTPUTS`, journal_reconciliation.csv when given, and
    journal_manifest.json with the counts. CSVs are UTF-8 with BOM (Excel shows the Chinese) and
    formula-safe. Readers see the old set or the new one, never a mix (the staging and lock of
    ``villagecon clean``).

    Parameters
    ----------
    journal : Journal
    out : path-like
        The output folder.
    reconciliation : DataFrame, optional
        :func:`~villagecon.journal.reconcile.reconcile_accounts`'s table.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    # The same staging and lock as `villagecon clean`: readers see the old set or the new one, never a mix.
    with replacing_files(out) as staging:
        names = [p.name for p in _write_journal_files(journal, staging, reconciliation)]
    return [out / name for name in names]


def _write_journal_files(journal: Journal, out: Path, reconciliation: pd.DataFrame | None) -> list[Path]:
    written = [
        write_atomic(out / "journal_accounts.parquet", lambda p: journal.accounts.to_parquet(p, index=False)),
        write_atomic(out / "journal_entries.parquet", lambda p: journal.entries.to_parquet(p, index=False)),
        write_atomic(out / "journal_books.parquet", lambda p: journal.books.to_parquet(p, index=False)),
    ]
    tables = {
        "journal_rejects.csv": problems.rejects_for_people(journal.rejects),
        "journal_breaks.csv": problems.rejects_for_people(journal.breaks),
        "journal_unmapped.csv": journal.unmapped,
        "journal_subtotals.csv": journal.subtotals,
    }
    if reconciliation is not None:
        tables["journal_reconciliation.csv"] = reconciliation
    for name, table in tables.items():
        written.append(write_csv(table, out / name))
    manifest = {
        "rows_read": journal.rows_read,
        "seconds": round(journal.seconds, 3),
        "rows_per_second": round(journal.rows_per_second, 1),
        "rows_by_kind": dict(zip(journal.kinds["kind"], journal.kinds["rows"].astype(int).tolist(), strict=True)),
        "files": len(journal.files),
        "books": len(journal.books),
        "village_years": len(journal.accounts),
        "breaks": len(journal.breaks),
        "rejects": len(journal.rejects),
        "unmapped": len(journal.unmapped),
        "subtotals_not_adding_up": int(journal.subtotals["status"].eq("mismatch").sum()),
        "reconciliation": (
            None
            if reconciliation is None
            else {k: int(v) for k, v in reconciliation["status"].value_counts().sort_index().items()}
        ),
        "outputs": [p.name for p in written],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    written.append(write_atomic(out / "journal_manifest.json", lambda p: p.write_text(text, encoding="utf-8")))
    return written
