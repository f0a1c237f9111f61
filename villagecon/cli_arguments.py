"""The ``villagecon`` command line's arguments: commands, options, their help, and the exit statuses it names."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

from villagecon import paths
from villagecon.analysis.metrics import DEFAULT_THRESHOLD, INCOME_MEASURES
from villagecon.errors import VillageconError
from villagecon.ingest.files import LIMIT_VARIABLES, ReadLimits
from villagecon.parse.amounts import UNIT_FACTORS, to_yuan
from villagecon.version import __version__
from villagecon.vocab import labels
from villagecon.vocab.synonyms import measure_name

__all__ = ["EXIT_BUG", "EXIT_ERROR", "EXIT_OK", "EXIT_REJECTS", "EXIT_STATUS", "build_parser", "read_limits"]

EXIT_OK, EXIT_REJECTS, EXIT_ERROR, EXIT_BUG = 0, 1, 2, 3
EXIT_STATUS = (
    f"exit status: {EXIT_OK} done; {EXIT_REJECTS} --strict found rejected cells or skipped sheets (the "
    f"outputs are written all the same); {EXIT_ERROR} an input or environment error (a damaged ledger, a "
    "bad option, RAW and OUT overlapping, a full disk or a folder that cannot be written, another run "
    f"writing to the same folder, outputs that are not one whole set): one message, no traceback; "
    f"{EXIT_BUG} villagecon itself failed (a bug): the traceback is printed, please report it"
)


def build_parser(runs: Mapping[str, Callable[[argparse.Namespace], int]]) -> argparse.ArgumentParser:
    """The ``villagecon`` command line: its commands, options and help.

    Parameters
    ----------
    runs : mapping
        Command name (clean, inspect, sample, report, verify) → the function that runs it; the parsed
        arguments carry it as ``run``.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="villagecon",
        description="Clean village collective-economy ledgers (村级集体经济台账) into one traceable "
        "village-year table, and make the sample data.",
        epilog=f"Exit status:\n  {EXIT_OK}  done\n"
        f"  {EXIT_REJECTS}  --strict found rejected cells or skipped sheets (the outputs are written all the "
        "same)\n"
        f"  {EXIT_ERROR}  an input or environment error: a damaged ledger, a bad option, RAW and OUT "
        "overlapping,\n     a full disk or a folder that cannot be written, another run writing to the same "
        "folder,\n     outputs that are not one whole set (one message saying what to do, no traceback)\n"
        f"  {EXIT_BUG}  villagecon itself failed (a bug): the traceback is printed, please report it",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log skipped sheets and duplicates")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    clean = commands.add_parser(
        "clean",
        help="read every ledger under RAW and write the cleaned tables",
        description="Read every .xlsx/.xls/.csv ledger under RAW (township and county tables, statistics "
        "forms, 收益及收益分配表, balance sheets, 三资 exports, long 科目/金额 ledgers) and write to "
        "OUT: entries.parquet (one row per amount, with file!sheet!row), accounts.parquet (one row "
        "per village and year), rejects.csv (cells that could not be used, with the reason and what "
        "to do; UTF-8 with BOM so Excel opens it), subtotals.csv, duplicates.csv, repeated_lines.csv "
        "(lines of a ledger that repeat an earlier line: counted, listed for review) and manifest.json "
        "(input hashes, row counts, skipped sheets, every output's sha256). Sheets that could not be "
        "understood are skipped and listed; `villagecon inspect FILE` shows how each sheet was "
        "understood. OUT must be apart from RAW (not RAW, not inside it, not holding it). The new set "
        "becomes visible in one atomic step: each file in OUT is a link through OUT/.current to the "
        "current generation OUT/.set-*, so a run killed at any moment leaves the previous set whole.",
        epilog="Example: villagecon clean data/raw --out data/processed --register data/raw/register.csv. "
        + EXIT_STATUS,
    )
    clean.add_argument(
        "raw",
        nargs="?",
        type=Path,
        default=paths.DATA_RAW,
        help=f"a ledger file or a folder of them (default: {_shown(paths.DATA_RAW)})",
    )
    clean.add_argument(
        "--out",
        type=Path,
        default=paths.DATA_PROCESSED,
        help=f"folder for the cleaned tables (default: {_shown(paths.DATA_PROCESSED)})",
    )
    clean.add_argument(
        "--register",
        type=Path,
        help="village register CSV (county, county_code, township, village, village_code, "
        "aliases); default: RAW/register.csv when it exists. Without one, villages are "
        "told apart by name only",
    )
    clean.add_argument(
        "--unit",
        choices=list(UNIT_FACTORS),
        help="unit of bare numbers where neither the cell, the column header nor a 单位 row "
        "says (default: none; such numbers are an error)",
    )
    clean.add_argument("--encoding", help="encoding of CSV files (default: detect UTF-8 or GBK)")
    clean.add_argument(
        "--strict",
        action="store_true",
        help=f"exit with status {EXIT_REJECTS} when any cell was rejected or any sheet that may hold "
        "amounts was skipped (one not understood, one the workbook hides, a quarter's or a "
        "budget's); sheets holding no ledger (a roster, the register, 填表说明) do not count",
    )
    _reading_options(clean)
    clean.add_argument(
        "--force",
        action="store_true",
        help="read every ledger again even when OUT is current (cleaned from the same raw files, "
        "register, synonyms and options by this villagecon); by default a current OUT is kept "
        "and its summary shown",
    )
    clean.add_argument(
        "--journal",
        action="store_true",
        help="RAW holds cash journals (现金日记账/银行存款日记账: spreadsheets, or a parquet set "
        "county=…/year=…/*.parquet): check running balances, add them up into "
        "journal_accounts.parquet, reconcile with OUT/accounts.parquet when it exists",
    )
    clean.add_argument(
        "--engine",
        choices=["pandas", "dask"],
        default="pandas",
        help="with --journal: pandas, partition by partition on this machine (default); dask, "
        "the same functions on Dask (parquet sets only)",
    )
    clean.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use with --engine dask, e.g. tcp://10.0.0.5:8786 (default: start "
        "a LocalCluster on this machine); one that does not answer within 10 s is an error",
    )
    _limit_options(clean)
    clean.set_defaults(run=runs["clean"])

    inspecting = commands.add_parser(
        "inspect",
        help="show how every sheet of a ledger file (or folder) was understood",
        description="Read PATH (a ledger file, or a folder of them) the way `villagecon clean` does and print, for "
        "every sheet of every file: whether it was read, and if not why (hidden, not a ledger, or the "
        "error that stopped it); for each table: its header and body rows, its orientation (villages "
        "down or across, items down or across, years), where the village, year, unit and places of its "
        "amounts come from, what each column was taken to mean, the kinds of its rows (with the row "
        "numbers of titles, subtotals, notes and other lines) and its first rejected cells. Nothing is "
        "written unless --write-layout is given.",
        epilog="Example: villagecon inspect data/raw/汝城县 --write-layout. A layout file NAME.layout.toml beside "
        "NAME.xlsx overrides inference: header_rows, village_column, unit, year, skip, and column letter = "
        'line item, role or "ignore". Delete a line of it to let villagecon infer that again. ' + EXIT_STATUS,
    )
    inspecting.add_argument("path", type=Path, metavar="PATH", help="a ledger file (.xlsx/.xls/.csv) or a folder")
    inspecting.add_argument(
        "--register",
        type=Path,
        help="village register CSV, to see the village_unknown rejects clean would give; default: "
        "PATH/register.csv when PATH is a folder holding one",
    )
    inspecting.add_argument(
        "--unit",
        choices=list(UNIT_FACTORS),
        help="unit of bare numbers where neither the cell, the column header, the row nor a 单位 "
        "line says (as for clean)",
    )
    inspecting.add_argument("--encoding", help="encoding of CSV files (default: detect UTF-8 or GBK)")
    _reading_options(inspecting)
    inspecting.add_argument(
        "--write-layout",
        action="store_true",
        help="also write NAME.layout.toml beside each ledger file read, saying what inference "
        "decided (header rows, village column, unit, year, each column's line item) for you "
        "to correct; read back, it gives the same ledger. An existing layout file is not "
        f"overwritten (unless --force): it is named and the command exits with status "
        f"{EXIT_ERROR}",
    )
    inspecting.add_argument(
        "--force",
        action="store_true",
        help="with --write-layout: replace existing layout files with what is inferred now (with "
        "them applied); your comments in them are lost",
    )
    _limit_options(inspecting)
    inspecting.set_defaults(run=runs["inspect"])

    sample = commands.add_parser(
        "sample",
        help="generate the synthetic 郴州市 sample ledgers",
        description="Write the deterministic synthetic sample data set (ledgers in every layout, the village "
        "register and the secretary roster) to OUT. The same seed gives byte-identical files.",
    )
    sample.add_argument(
        "--out", type=Path, default=paths.DATA_RAW, help=f"folder to write into (default: {_shown(paths.DATA_RAW)})"
    )
    sample.add_argument("--seed", type=int, default=2022, help="random seed (default: 2022)")
    sample.add_argument("--villages", type=int, default=300, help="number of villages (default: 300)")
    sample.add_argument(
        "--years", type=_year_range, default=range(2016, 2024), help="first-last year, e.g. 2016-2023 (the default)"
    )
    sample.add_argument(
        "--journal",
        action="store_true",
        help="write cash journals as parquet partitioned by county and year instead of the "
        "ledgers (default OUT: data/raw/journal; --villages 2400 gives about 10 million rows, "
        "not for git)",
    )
    sample.add_argument(
        "--lines", type=int, default=440, help="journal lines per village and year, with --journal (default: 440)"
    )
    sample.set_defaults(run=runs["sample"])

    report = commands.add_parser(
        "report",
        help="build the annual report (figures, summary.xlsx, report.html, report.docx) for one year",
        description="Clean every ledger under RAW, read the secretary roster (the file whose name has 花名册) and "
        "RAW/register.csv, compute the threshold shares, crossings, turnarounds, tenure and panel "
        "models, and write OUT/YEAR/: figures/*.png (200 dpi) and *.svg, summary.xlsx (县市区汇总 or "
        "乡镇汇总 or 全镇汇总 after what the data cover, 村级明细 of YEAR, 同比变化, 历年明细, 跨越10万元 "
        "(named after the threshold), 负债转收入, 书记任期, 数据问题), report.html (one self-contained "
        "page, printable on A4), report.docx (the same as a Word document: A4, 公文-like styles), run.log "
        "and manifest.json (inputs' and outputs' sha256). The words follow the data: several counties "
        "give 全市 and tables by county, one county 全县 and tables by township, one township 全镇 and "
        "tables by village. Only "
        "the data up to YEAR are used. The same inputs give identical files; the new folder takes the "
        "place of the previous one in one atomic step, so OUT/YEAR is the whole previous report or the "
        "whole new one at every instant. OUT must be apart from RAW.",
        epilog="Example: villagecon report --year 2022 --measure operational_income --threshold 200000 "
        "--village 汝城县/濠头乡/上河村 --area 郴州市 --office 郴州市农业农村局. " + EXIT_STATUS,
    )
    report.add_argument("--year", type=int, help="report year (default: the latest year in the data)")
    report.add_argument(
        "--raw", type=Path, default=paths.DATA_RAW, help=f"folder of raw ledgers (default: {_shown(paths.DATA_RAW)})"
    )
    report.add_argument(
        "--processed",
        type=Path,
        default=paths.DATA_PROCESSED,
        help="cleaned set to use instead of reading RAW again, when it is current: cleaned by "
        "`villagecon clean` from the same raw files and options by this villagecon (default: "
        f"{_shown(paths.DATA_PROCESSED)}); run.log says which was used",
    )
    report.add_argument(
        "--out",
        type=Path,
        default=paths.REPORTS,
        help=f"folder for reports; the report goes to OUT/YEAR (default: {_shown(paths.REPORTS)})",
    )
    report.add_argument(
        "--measure",
        default="total_income",
        type=_measure,
        metavar="MEASURE",
        help="income the threshold applies to, by its Chinese name or key: "
        + ", ".join(f"{labels.column(m)} ({m})" for m in INCOME_MEASURES)
        + " (default: 本年收入合计, total_income)",
    )
    report.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help="threshold in yuan, or with a unit: 100000, 10万 (default: 100000 = 10万元)",
    )
    report.add_argument(
        "--exceeding",
        action="store_true",
        help="count a village only when its income is above the threshold (超过); by default a "
        "village that reaches it counts (达到), one at exactly 10万元 included. The page says "
        "which",
    )
    report.add_argument(
        "--village",
        metavar="VILLAGE",
        action="append",
        help="a village whose story (income against debt, year by year) the page tells; repeat it "
        "for several: its village_code (431026100001) or 县/乡镇/村 (汝城县/濠头乡/上河村); "
        "a name alone when only one village has it. A village not in the data, or a name several "
        f"villages share, is an error (status {EXIT_ERROR}) naming the candidates. Default: the "
        "article's 上河村 of 汝城县濠头乡 when the data have it (when they cannot tell which "
        "上河村 that is, the page leaves the story out and says why), else the village whose "
        "net position rose most among those that turned from net debt to the threshold",
    )
    report.add_argument(
        "--area",
        metavar="NAME",
        help="the area's name in the title and the words (郴州市, 汝城县, 濠头乡). Default: from the "
        "data and the register: the county of one county's data, county and township of one "
        "township's, 郴州市 for 郴州市's counties; none when the data do not say",
    )
    report.add_argument(
        "--office",
        metavar="TEXT",
        default="",
        help="the issuing office, written under the title (郴州市农业农村局); default: none",
    )
    _reading_options(report)
    _limit_options(report)
    report.set_defaults(run=runs["report"])

    verify = commands.add_parser(
        "verify",
        help="check that a folder of outputs is one whole set (every file's sha256 as in manifest.json)",
        description="Read manifest.json in FOLDER (a folder written by `villagecon clean`, or a report folder "
        "such as reports/2022) and check the sha256 of every output it lists. The cleaned tables are "
        "checked this way whenever villagecon reads them back (load_processed, the reconciliation of "
        f"`clean --journal`). Status {EXIT_OK} when the set is whole, {EXIT_ERROR} with the files that "
        "differ when it is not.",
        epilog="Example: villagecon verify data/processed; villagecon verify reports/2022. " + EXIT_STATUS,
    )
    verify.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=paths.DATA_PROCESSED,
        metavar="FOLDER",
        help=f"the folder to check (default: {_shown(paths.DATA_PROCESSED)})",
    )
    verify.set_defaults(run=runs["verify"])
    return parser


def _reading_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes reading ledger files at once (default: every core for 8 files or more, "
        "on Linux; 1 elsewhere). The result is the same whatever N is",
    )
    command.add_argument(
        "--follow-outside-links",
        action="store_true",
        help="also read files and folders that links (symlinks) in the folder read lead to outside "
        "it. By default such links are not followed and are listed with the sheets and files "
        "skipped",
    )
    command.add_argument(
        "--include-hidden",
        action="store_true",
        help="also read the sheets a workbook hides (hidden or very hidden). By default they are "
        "skipped and listed: a hidden sheet is often a stale copy of a visible one, whose "
        "figures would conflict with it",
    )
    command.add_argument(
        "--synonyms",
        type=Path,
        metavar="FILE",
        help="a CSV with columns spelling,meaning adding spellings the reader does not know: a "
        "header or line label (光伏电站收益) and the line item it is (operating_income) or a "
        "column role (village, township, county, village_code, year, date, item, item_code, "
        "amount, income_amount, expense_amount, unit_column, ignore). Default: synonyms.csv "
        "in the folder read, when there is one",
    )


def _limit_options(command: argparse.ArgumentParser) -> None:
    defaults = ReadLimits()
    limits = command.add_argument_group(
        "limits",
        "A ledger file past one of these is refused unread (a damaged or hostile file, e.g. a zip bomb); "
        "raise one for a genuinely larger file. Each also has an environment variable.",
    )
    limits.add_argument(
        "--max-file-mb",
        type=float,
        metavar="MB",
        help=f"size of one file on disk (default: {defaults.file_mb:g}; {LIMIT_VARIABLES['file_mb']})",
    )
    limits.add_argument(
        "--max-uncompressed-mb",
        type=float,
        metavar="MB",
        help=f"what an .xlsx says its parts unpack to, checked before unpacking (default: "
        f"{defaults.uncompressed_mb:g}; {LIMIT_VARIABLES['uncompressed_mb']})",
    )
    limits.add_argument(
        "--max-cells",
        type=int,
        metavar="N",
        help=f"cells of one sheet, from A1 to its last row and column (default: "
        f"{defaults.cells:,}; {LIMIT_VARIABLES['cells']})",
    )


def read_limits(args: argparse.Namespace) -> ReadLimits:
    """The read limits the options (``--max-file-mb``, ``--max-uncompressed-mb``, ``--max-cells``) and the
    environment give.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.

    Returns
    -------
    ReadLimits
    """
    return ReadLimits.from_environment(
        file_mb=args.max_file_mb, uncompressed_mb=args.max_uncompressed_mb, cells=args.max_cells
    )


def _threshold(text: str) -> float:
    """--threshold: an amount in yuan, or with its unit (10万)."""
    try:
        return float(cast("float", to_yuan(text)))  # one text is one amount, not a Series
    except VillageconError as exc:
        why = getattr(exc, "reason", None)
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot be read as a threshold{f' ({why})' if why else ''}; write the threshold as 100000 or 10万"
        ) from None


def _measure(text: str) -> str:
    """--measure: 经营性收入 or operational_income."""
    try:
        return measure_name(text)
    except VillageconError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _year_range(text: str) -> range:
    try:
        before, _, after = text.partition("-")
        first, last = int(before), int(after or before)
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
