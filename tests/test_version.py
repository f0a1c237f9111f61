"""villagecon.version: the version read from the installed package's metadata, its one source pyproject.toml."""

from __future__ import annotations

import importlib
import tomllib
from importlib import metadata

import pytest

import villagecon
import villagecon.version
from villagecon.cli import main
from villagecon.version import __version__


def test_the_version_is_pyprojects(repo_root):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"] == metadata.version("villagecon")
    assert villagecon.__version__ == __version__


def test_the_command_line_prints_the_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"villagecon {__version__}\n"


def test_a_source_tree_that_is_not_installed_says_unknown(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    try:
        assert importlib.reload(villagecon.version).__version__ == "unknown"
    finally:
        monkeypatch.undo()
        importlib.reload(villagecon.version)
    assert villagecon.version.__version__ == __version__
