"""The ``villagecon`` command: ``villagecon clean``, ``villagecon inspect``, ``villagecon sample``,
``villagecon report``, ``villagecon verify``.

Exit status, kept apart so that scripts can tell them from each other:

- 0: done;
- 1: ``--strict`` found rejected cells or skipped sheets (the outputs are written all the same);
- 2: an input or environment error: a damaged ledger, a bad option, RAW and OUT overlapping, a full disk or
  a folder that cannot be written, another run writing to the same folder, outputs that are not one whole
  set. One message naming the file (and sheet, row and cell) and what to do; no traceback;
- 3: villagecon itself failed (a bug): the traceback is printed, to be reported.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from villagecon import paths
from villagecon.cli_arguments import EXIT_BUG, EXIT_ERROR, EXIT_OK, EXIT_REJECTS, build_parser, read_limits
from villagecon.errors import UsageError, VillageconError
from villagecon.ingest.register import find_register
from villagecon.outputs import (
    check_apart,
    load_processed,
    read_verified,
)

# The exit statuses are named here too, where scripts and tests found them.
__all__ = [
    "COMMANDS",
    "EXIT_BUG",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_REJECTS",
    "main",
    "run_clean",
    "run_inspect",
    "run_report",
    "run_sample",
    "run_verify",
]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(COMMANDS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s", stream=sys.stderr
    )
    try:
        return args.run(args)
    except VillageconError as exc:
        print(f"villagecon: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # the system refused: a file that cannot be opened, a disk that fails
        print(f"villagecon: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:  # a bug: not 1, which --strict gives for rejects, nor 2, the user's to fix
        traceback.print_exc()
        print(
            f"villagecon: internal error (a bug in villagecon, not a problem of your data): please report it "
            f"with the traceback above; exit status {EXIT_BUG}",
            file=sys.stderr,
        )
        return EXIT_BUG


def run_clean(args: argparse.Namespace) -> int:
    from villagecon.ingest.processed import load_ledger, write_cleaned

    check_apart(args.raw, args.out)
    register = find_register(args.raw, args.register)
    if args.journal or args.engine != "pandas" or args.scheduler:
        return _clean_journal(args, register)
    ledger, fingerprint = load_ledger(
        args.raw,
        None if args.force else args.out,
        register=register,
        unit=args.unit,
        encoding=args.encoding,
        limits=read_limits(args),
        include_hidden=args.include_hidden,
        synonyms=args.synonyms,
        outside_links=args.follow_outside_links,
        jobs=args.jobs,
        progress=None,
    )
    if ledger.written_summary is None:
        ledger.check_nothing_lost()
        written = write_cleaned(ledger, args.out, register=register, fingerprint=fingerprint)
        print(ledger.summary())
        print(f"wrote {', '.join(p.name for p in written)} to {args.out}")
    else:
        print(ledger.summary())
        print(f"nothing written: {args.out} is current (--force cleans again)")
    if len(ledger.rejects):
        print(f"see {args.out / 'rejects.csv'} for what to correct")
    # Sheets that may hold amounts and were not read: not understood, or hidden by their workbook.
    unread = ledger.skipped.loc[ledger.skipped["status"].isin(["unreadable", "hidden"])]
    if len(unread):
        print(
            f"{len(unread)} sheet(s) that may hold amounts were skipped (unreadable or hidden; see skipped_sheets "
            f"in {args.out / 'manifest.json'}); `villagecon inspect FILE` shows how a file was understood"
        )
    if len(ledger.part_years):
        print(
            f"{len(ledger.part_years)} village-year(s) have only part of a year's figures and are not in the "
            "accounts (see part_years in manifest.json): read the year-end report of the year"
        )
    return EXIT_REJECTS if args.strict and (len(ledger.rejects) or len(unread) or len(ledger.part_years)) else EXIT_OK


def run_inspect(args: argparse.Namespace) -> int:
    from villagecon.ingest.inspect import render, understand, write_layouts

    register = find_register(args.path, args.register)
    inspection = understand(
        args.path,
        unit=args.unit,
        register=register,
        synonyms=args.synonyms,
        include_hidden=args.include_hidden,
        limits=read_limits(args),
        encoding=args.encoding,
        outside_links=args.follow_outside_links,
    )
    print(render(inspection), end="")
    if not args.write_layout:
        return EXIT_OK
    written, kept = write_layouts(inspection, force=args.force)
    for path in written:
        print(f"wrote {path}")
    if not written and not kept:
        print("no layout file written: no ledger sheet was found")
    for path in kept:
        print(
            f"villagecon: error: {path} already exists and was not overwritten: edit it, delete it, or pass "
            "--force to replace it",
            file=sys.stderr,
        )
    return EXIT_ERROR if kept else EXIT_OK


def _clean_journal(args: argparse.Namespace, register: Path | None) -> int:
    from villagecon.journal import clean_journal

    if not args.journal:
        raise UsageError("--engine dask and --scheduler are for cash journals: add --journal")
    journal, reconciliation = clean_journal(
        args.raw,
        out=args.out,
        engine=args.engine,
        scheduler=args.scheduler,
        statements=_statements(args.out),
        register=register,
        unit=args.unit,
        encoding=args.encoding,
        progress=None,
        limits=read_limits(args),
    )
    print(journal.summary())
    if reconciliation is not None:
        print("reconciliation with the annual statements:")
        print(reconciliation["status"].value_counts().to_string())
    print(f"wrote the journal_* tables to {args.out}")
    return EXIT_REJECTS if args.strict and (len(journal.rejects) or len(journal.breaks)) else EXIT_OK


def _statements(out: Path):
    """The annual statements to reconcile a journal with: OUT's cleaned accounts, checked whole against its
    manifest.json (an accounts.parquet put there by hand, with no manifest, is read as it is)."""
    if (out / "manifest.json").exists():
        return load_processed(out).accounts
    statements = out / "accounts.parquet"
    return statements if statements.exists() else None


def run_verify(args: argparse.Namespace) -> int:
    _, contents = read_verified(
        args.folder, remedy=f"write {args.folder} again (villagecon clean, or villagecon report for a report folder)"
    )
    print(f"{args.folder}: whole; {len(contents)} files match the sha256 in manifest.json")
    return EXIT_OK


def run_sample(args: argparse.Namespace) -> int:
    if args.journal:
        from villagecon.sample.journal import write_journal_sample

        out = paths.DATA_RAW / "journal" if args.out == paths.DATA_RAW else args.out
        journal = write_journal_sample(
            out, seed=args.seed, villages=args.villages, years=args.years, lines_per_village_year=args.lines
        )
        print(
            f"wrote {journal.rows:,} synthetic journal rows in {len(journal.files)} partitions to {out} "
            f"({len(journal.defects)} deliberate defects)"
        )
        return EXIT_OK
    from villagecon.sample.ledgers import write_sample

    sample = write_sample(args.out, seed=args.seed, villages=args.villages, years=args.years)
    print(
        f"wrote {len(sample.files)} synthetic sample files to {args.out} "
        f"({sample.truth['village_code'].nunique()} villages, {args.years.start}–{args.years.stop - 1})"
    )
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from villagecon.report.build import build_report

    options = {"village": args.village} if args.village is not None else {}
    folder = build_report(
        args.year,
        raw=args.raw,
        out=args.out,
        measure=args.measure,
        threshold=args.threshold,
        progress=True,
        limits=read_limits(args),
        include_hidden=args.include_hidden,
        synonyms=args.synonyms,
        outside_links=args.follow_outside_links,
        area=args.area,
        office=args.office,
        inclusive=not args.exceeding,
        jobs=args.jobs,
        processed=args.processed,
        **options,
    )
    print(f"report: {folder / 'report.html'}; Word: {folder / 'report.docx'}")
    print(f"tables: {folder / 'summary.xlsx'}; figures: {folder / 'figures'}")
    return EXIT_OK


# The functions the commands run (parsed arguments in, exit status out).
COMMANDS = {
    "clean": run_clean,
    "inspect": run_inspect,
    "sample": run_sample,
    "report": run_report,
    "verify": run_verify,
}


if __name__ == "__main__":
    sys.exit(main())
