"""The ``villagecon`` command: ``villagecon clean``, ``villagecon sample``, ``villagecon report``.

Errors in the input print one message naming file, sheet, row and cell (no
traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from villagecon import __version__, paths
from villagecon.amounts import UNIT_FACTORS, to_yuan
from villagecon.errors import UsageError, VillageconError
from villagecon.io import LIMIT_VARIABLES, ReadLimits
from villagecon.metrics import DEFAULT_THRESHOLD, INCOME_MEASURES
from villagecon.outputs import file_record, replacing_files, write_atomic, write_csv

EXIT_REJECTS, EXIT_ERROR = 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s",
                        stream=sys.stderr)
    try:
        return args.run(args)
    except VillageconError as exc:
        print(f"villagecon: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagecon",
        description="Clean village collective-economy ledgers (村级集体经济台账) into one traceable "
                    "village-year table, and make the sample data.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log skipped sheets and duplicates")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    clean = commands.add_parser(
        "clean", help="read every ledger under RAW and write the cleaned tables",
        description="Read every .xlsx/.xls/.csv ledger under RAW (any of the three layouts: one row per "
                    "village, long 科目/金额 ledgers, 收益分配表 sheets) and write to OUT: entries.parquet "
                    "(one row per amount, with file!sheet!row), accounts.parquet (one row per village and "
                    "year), rejects.csv (cells that could not be used, with the reason and what to do; UTF-8 "
                    "with BOM so Excel opens it), subtotals.csv, duplicates.csv and manifest.json (input "
                    "hashes and row counts). Files are replaced atomically.",
        epilog="Example: villagecon clean data/raw --out data/processed --register data/raw/register.csv")
    clean.add_argument("raw", nargs="?", type=Path, default=paths.DATA_RAW,
                       help=f"a ledger file or a folder of them (default: {_shown(paths.DATA_RAW)})")
    clean.add_argument("--out", type=Path, default=paths.DATA_PROCESSED,
                       help=f"folder for the cleaned tables (default: {_shown(paths.DATA_PROCESSED)})")
    clean.add_argument("--register", type=Path,
                       help="village register CSV (county, county_code, township, village, village_code, "
                            "aliases); default: RAW/register.csv when it exists. Without one, villages are "
                            "told apart by name only")
    clean.add_argument("--unit", choices=list(UNIT_FACTORS),
                       help="unit of bare numbers where neither the cell, the column header nor a 单位 row "
                            "says (default: none; such numbers are an error)")
    clean.add_argument("--encoding", help="encoding of CSV files (default: detect UTF-8 or GBK)")
    clean.add_argument("--strict", action="store_true",
                       help=f"exit with status {EXIT_REJECTS} when any cell was rejected")
    clean.add_argument("--journal", action="store_true",
                       help="RAW holds cash journals (现金日记账/银行存款日记账: spreadsheets, or a parquet set "
                            "county=…/year=…/*.parquet): check running balances, add them up into "
                            "journal_accounts.parquet, reconcile with OUT/accounts.parquet when it exists")
    clean.add_argument("--engine", choices=["pandas", "dask"], default="pandas",
                       help="with --journal: pandas, partition by partition on this machine (default); dask, "
                            "the same functions on Dask (parquet sets only)")
    clean.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler to use with --engine dask, e.g. tcp://10.0.0.5:8786 (default: start "
                            "a LocalCluster on this machine); one that does not answer within 10 s is an error")
    _limit_options(clean)
    clean.set_defaults(run=run_clean)

    sample = commands.add_parser(
        "sample", help="generate the synthetic 郴州市 sample ledgers",
        description="Write the deterministic synthetic sample data set (ledgers in every layout, the village "
                    "register and the secretary roster) to OUT. The same seed gives byte-identical files.")
    sample.add_argument("--out", type=Path, default=paths.DATA_RAW,
                        help=f"folder to write into (default: {_shown(paths.DATA_RAW)})")
    sample.add_argument("--seed", type=int, default=2022, help="random seed (default: 2022)")
    sample.add_argument("--villages", type=int, default=300, help="number of villages (default: 300)")
    sample.add_argument("--years", type=_year_range, default=range(2016, 2024),
                        help="first-last year, e.g. 2016-2023 (the default)")
    sample.add_argument("--journal", action="store_true",
                        help="write cash journals as parquet partitioned by county and year instead of the "
                             "ledgers (default OUT: data/raw/journal; --villages 2400 gives about 10 million rows, "
                             "not for git)")
    sample.add_argument("--lines", type=int, default=440,
                        help="journal lines per village and year, with --journal (default: 440)")
    sample.set_defaults(run=run_sample)

    report = commands.add_parser(
        "report", help="build the annual report (figures, summary.xlsx, report.html) for one year",
        description="Clean every ledger under RAW, read the secretary roster (the file whose name has 花名册) and "
                    "RAW/register.csv, compute the threshold shares, crossings, turnarounds, tenure and panel "
                    "models, and write OUT/YEAR/: figures/*.png (200 dpi) and *.svg, summary.xlsx (县市区汇总, "
                    "村级明细, 跨越10万元 (named after the threshold), 负债转收入, 书记任期, 数据问题), report.html "
                    "(one self-contained page), run.log and manifest.json (inputs' and outputs' sha256). Only "
                    "the data up to YEAR are used. The same inputs give identical files; the previous report stays "
                    "in place until the new one is complete.",
        epilog="Example: villagecon report --year 2022 --measure operational_income --threshold 200000")
    report.add_argument("--year", type=int, help="report year (default: the latest year in the data)")
    report.add_argument("--raw", type=Path, default=paths.DATA_RAW,
                        help=f"folder of raw ledgers (default: {_shown(paths.DATA_RAW)})")
    report.add_argument("--out", type=Path, default=paths.REPORTS,
                        help=f"folder for reports; the report goes to OUT/YEAR (default: {_shown(paths.REPORTS)})")
    report.add_argument("--measure", default="total_income", choices=list(INCOME_MEASURES), metavar="MEASURE",
                        help="income the threshold applies to: " + ", ".join(INCOME_MEASURES)
                             + " (default: total_income, 本年收入合计)")
    report.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD,
                        help="threshold in yuan, or with a unit: 100000, 10万 (default: 100000 = 10万元)")
    _limit_options(report)
    report.set_defaults(run=run_report)
    return parser


def _limit_options(command: argparse.ArgumentParser) -> None:
    defaults = ReadLimits()
    limits = command.add_argument_group(
        "limits", "A ledger file past one of these is refused unread (a damaged or hostile file, e.g. a zip bomb); "
                  "raise one for a genuinely larger file. Each also has an environment variable.")
    limits.add_argument("--max-file-mb", type=float, metavar="MB",
                        help=f"size of one file on disk (default: {defaults.file_mb:g}; "
                             f"{LIMIT_VARIABLES['file_mb']})")
    limits.add_argument("--max-uncompressed-mb", type=float, metavar="MB",
                        help=f"what an .xlsx says its parts unpack to, checked before unpacking (default: "
                             f"{defaults.uncompressed_mb:g}; {LIMIT_VARIABLES['uncompressed_mb']})")
    limits.add_argument("--max-cells", type=int, metavar="N",
                        help=f"cells of one sheet, from A1 to its last row and column (default: "
                             f"{defaults.cells:,}; {LIMIT_VARIABLES['cells']})")


def _limits(args: argparse.Namespace) -> ReadLimits:
    return ReadLimits.from_environment(file_mb=args.max_file_mb, uncompressed_mb=args.max_uncompressed_mb,
                                       cells=args.max_cells)


def run_clean(args: argparse.Namespace) -> int:
    from villagecon.clean import read_ledger

    register = args.register
    if register is None and args.raw.is_dir() and (args.raw / "register.csv").exists():
        register = args.raw / "register.csv"
    if args.journal or args.engine != "pandas" or args.scheduler:
        return _clean_journal(args, register)
    ledger = read_ledger(args.raw, register=register, unit=args.unit, encoding=args.encoding,
                         progress=None, limits=_limits(args))
    ledger.check_nothing_lost()
    written = write_cleaned(ledger, args.out, register=register)
    print(ledger.summary())
    print(f"wrote {', '.join(p.name for p in written)} to {args.out}")
    if len(ledger.rejects):
        print(f"see {args.out / 'rejects.csv'} for what to correct")
    unreadable = ledger.skipped.loc[ledger.skipped["status"].eq("unreadable")]
    if len(unreadable):
        print(f"{len(unreadable)} sheet(s) could not be read and were skipped (see skipped_sheets in "
              f"{args.out / 'manifest.json'}); `villagecon inspect FILE` shows how a file was understood")
    return EXIT_REJECTS if args.strict and (len(ledger.rejects) or len(unreadable)) else 0


def write_cleaned(ledger, out: Path, *, register: Path | None = None) -> list[Path]:
    """Write a Ledger's tables and a manifest into ``out``, all replaced together.

    The files are written into a staging folder inside ``out`` and moved into place only when all are
    complete (manifest last), under a lock: a run killed part-way, or a second run started meanwhile,
    leaves ``out`` holding the previous set of files, complete (see :func:`villagecon.outputs.replacing_files`).
    """
    out = Path(out)
    with replacing_files(out) as staging:
        staged = [
            write_atomic(staging / "entries.parquet", lambda p: ledger.entries.to_parquet(p, index=False)),
            write_atomic(staging / "accounts.parquet", lambda p: ledger.accounts.to_parquet(p, index=False)),
            write_csv(ledger.rejects, staging / "rejects.csv"),
            write_csv(ledger.subtotals, staging / "subtotals.csv"),
            write_csv(ledger.duplicates, staging / "duplicates.csv"),
        ]
        manifest = {
            "villagecon_version": __version__,
            "inputs": ledger.files.to_dict(orient="records"),
            "register": file_record(register) if register else None,
            "rows_by_kind": {k: int(n) for k, n in ledger.rows["kind"].value_counts().sort_index().items()},
            "skipped_sheets": ledger.skipped.to_dict(orient="records"),
            "counts": {"entries": len(ledger.entries), "accounts": len(ledger.accounts),
                       "rejects": len(ledger.rejects), "subtotals": len(ledger.subtotals),
                       "duplicates": len(ledger.duplicates)},
            "rejects_by_problem": {k: int(n) for k, n in
                                   ledger.rejects["problem"].value_counts().sort_index().items()},
            "outputs": [file_record(path) for path in staged],
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        staged.append(write_atomic(staging / "manifest.json", lambda p: p.write_text(text, encoding="utf-8")))
    return [out / path.name for path in staged]


def _clean_journal(args: argparse.Namespace, register: Path | None) -> int:
    from villagecon.journal import clean_journal

    if not args.journal:
        raise UsageError("--engine dask and --scheduler are for cash journals: add --journal")
    statements = args.out / "accounts.parquet"
    journal, reconciliation = clean_journal(
        args.raw, out=args.out, engine=args.engine, scheduler=args.scheduler,
        statements=statements if statements.exists() else None, register=register, unit=args.unit,
        encoding=args.encoding, progress=None, limits=_limits(args))
    print(journal.summary())
    if reconciliation is not None:
        print("reconciliation with the annual statements:")
        print(reconciliation["status"].value_counts().to_string())
    print(f"wrote the journal_* tables to {args.out}")
    return EXIT_REJECTS if args.strict and (len(journal.rejects) or len(journal.breaks)) else 0


def run_sample(args: argparse.Namespace) -> int:
    if args.journal:
        from villagecon.journal_sample import write_journal_sample

        out = paths.DATA_RAW / "journal" if args.out == paths.DATA_RAW else args.out
        journal = write_journal_sample(out, seed=args.seed, villages=args.villages, years=args.years,
                                       lines_per_village_year=args.lines)
        print(f"wrote {journal.rows:,} synthetic journal rows in {len(journal.files)} partitions to {out} "
              f"({len(journal.defects)} deliberate defects)")
        return 0
    from villagecon.sample import write_sample

    sample = write_sample(args.out, seed=args.seed, villages=args.villages, years=args.years)
    print(f"wrote {len(sample.files)} synthetic sample files to {args.out} "
          f"({sample.truth['village_code'].nunique()} villages, {args.years.start}–{args.years.stop - 1})")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from villagecon.report import build_report

    folder = build_report(args.year, raw=args.raw, out=args.out, measure=args.measure, threshold=args.threshold,
                          progress=True, limits=_limits(args))
    print(f"report: {folder / 'report.html'}")
    print(f"tables: {folder / 'summary.xlsx'}; figures: {folder / 'figures'}")
    return 0


def _threshold(text: str) -> float:
    """--threshold: an amount in yuan, or with its unit (10万)."""
    try:
        return to_yuan(text)
    except VillageconError as exc:
        why = getattr(exc, "reason", None)
        raise argparse.ArgumentTypeError(f"{text!r} cannot be read as a threshold{f' ({why})' if why else ''}; "
                                         "write the threshold as 100000 or 10万") from None


def _year_range(text: str) -> range:
    try:
        first, _, last = text.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year range like 2016-2023") from None
    if not 1949 <= first <= last <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r}: years must run forwards within 1949-2100")
    return range(first, last + 1)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
