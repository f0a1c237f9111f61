"""The command line's arguments (cli_arguments.py): options read into values, bad ones refused by argparse."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagecon.cli_arguments import EXIT_ERROR, build_parser, read_limits

RUNS = {name: (lambda args, name=name: name) for name in ("clean", "inspect", "sample", "report", "verify")}


def test_each_command_carries_the_function_that_runs_it():
    parser = build_parser(RUNS)
    for argv, name in ((["clean", "raw"], "clean"), (["verify"], "verify"), (["sample"], "sample")):
        args = parser.parse_args(argv)
        assert args.run(args) == name


def test_report_options_are_read_into_values():
    args = build_parser(RUNS).parse_args(["report", "--threshold", "10万", "--measure", "经营性收入"])
    assert args.threshold == 100_000.0
    assert args.measure == "operational_income"
    assert build_parser(RUNS).parse_args(["sample", "--years", "2018-2020"]).years == range(2018, 2021)


def test_limit_options_override_the_environment(monkeypatch):
    monkeypatch.setenv("VILLAGECON_MAX_CELLS", "5000")
    args = build_parser(RUNS).parse_args(["clean", "raw", "--max-file-mb", "7"])
    assert args.raw == Path("raw")
    limits = read_limits(args)
    assert (limits.file_mb, limits.cells) == (7, 5000)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--threshold", "十万斤"], "cannot be read as a threshold"),
        (["sample", "--years", "2020-2018"], "years must run forwards within 1949-2100"),
        (["clean", "raw", "--unit", "斤"], "invalid choice: '斤'"),
    ],
)
def test_bad_options_are_refused_with_status_2_and_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser(RUNS).parse_args(argv)
    assert exited.value.code == EXIT_ERROR
    assert message in capsys.readouterr().err
