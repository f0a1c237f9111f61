"""pyproject.toml, environment.yml, requirements.lock and the Makefile agree.

Each check is a function that returns the problems it finds, so a failing test names what
differs; the ``*_reports_*`` tests feed those functions a drifted copy to show they can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

# PyPI name -> conda-forge name, where the two differ.
CONDA_NAMES = {
    "matplotlib": "matplotlib-base",  # conda-forge's "matplotlib" adds Qt; PyPI's has none
}
PYPI_NAMES = {conda: pypi for pypi, conda in CONDA_NAMES.items()}

MAKE_TARGETS = {
    "help",
    "venv",
    "test",
    "lint",
    "style",
    "docs",
    "data",
    "report",
    "lab",
    "bench",
    "lock",
    "sample",
    "clean",
}

CONDA_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>[^#]*?)\s*(?:#.*)?$")
LOCK_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!_-]+)$")


def normalise(name: str) -> str:
    """Lower case, `_` and `.` as `-` (PEP 503): `PyYAML` and `pyyaml`, `typing_extensions` and `-` agree."""
    return canonicalize_name(name)


def pyproject_dependencies(pyproject: dict) -> dict[str, SpecifierSet]:
    """Core and dev dependencies of pyproject.toml, as {normalised name: specifier}."""
    project = pyproject["project"]
    requirements = [*project["dependencies"], *project.get("optional-dependencies", {}).get("dev", [])]
    found: dict[str, SpecifierSet] = {}
    for text in requirements:
        req = Requirement(text)
        name = normalise(req.name)
        assert name not in found, f"{name} is listed twice in pyproject.toml"
        found[name] = req.specifier
    return found


def conda_specifier(spec: str) -> SpecifierSet:
    """A conda match spec's version part as a PEP 440 specifier (`=3.11` means `==3.11.*`)."""
    parts = []
    for part in filter(None, (p.strip() for p in spec.replace(" ", "").split(","))):
        if re.match(r"^=[^=]", part):
            parts.append(f"=={part[1:].removesuffix('.*')}.*")
        elif re.match(r"^(==|!=|>=|<=|~=|>|<)", part):
            parts.append(part)
        else:
            raise ValueError(f"cannot read conda version spec {spec!r}")
    return SpecifierSet(",".join(parts))


def conda_dependencies(environment: dict) -> dict[str, SpecifierSet]:
    """environment.yml's packages under their PyPI names, without python and pip themselves.

    Conda names are mapped back through CONDA_NAMES; the pip: section holds PyPI requirements.
    """
    found: dict[str, SpecifierSet] = {}

    def add(name: str, specifier: SpecifierSet) -> None:
        assert name not in found, f"{name} is listed twice in environment.yml"
        found[name] = specifier

    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            for text in entry.get("pip", []):
                if not text.startswith("-"):  # "-e ." installs villagecon itself
                    req = Requirement(text)
                    add(normalise(req.name), req.specifier)
            continue
        match = CONDA_SPEC.match(entry)
        assert match, f"cannot read environment.yml entry {entry!r}"
        name = normalise(match["name"])
        if name not in {"python", "pip"}:
            add(PYPI_NAMES.get(name, name), conda_specifier(match["spec"]))
    return found


def drift(pypi: dict[str, SpecifierSet], conda: dict[str, SpecifierSet]) -> list[str]:
    """One line per difference in names or version specifiers, in name order."""
    problems = []
    for name in sorted(pypi.keys() | conda.keys()):
        if name not in conda:
            problems.append(f"only in pyproject.toml: {name}{pypi[name]}")
        elif name not in pypi:
            problems.append(f"only in environment.yml: {name}{conda[name]}")
        elif pypi[name] != conda[name]:
            problems.append(f"{name}: pyproject.toml {pypi[name]!s} but environment.yml {conda[name]!s}")
    return problems


def lock_pins(lock: str) -> tuple[dict[str, str], list[str]]:
    """({normalised name: version}, lines that are not `name==version`) of a requirements.lock."""
    pins: dict[str, str] = {}
    bad = []
    for line in lock.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if match := LOCK_PIN.match(line):
            pins[normalise(match["name"])] = match["version"]
        else:
            bad.append(line)
    return pins, bad


def unpinned(pypi: dict[str, SpecifierSet], pins: dict[str, str]) -> list[str]:
    """Dependencies the lock does not pin, or pins to a version outside pyproject's range."""
    problems = []
    for name, specifier in sorted(pypi.items()):
        if name not in pins:
            problems.append(f"{name}: not in requirements.lock")
        elif not specifier.contains(pins[name], prereleases=True):
            problems.append(f"{name}: requirements.lock has =={pins[name]}, pyproject.toml asks {specifier}")
    return problems


@pytest.fixture(scope="module")
def pyproject(repo_root):
    return tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment(repo_root):
    return yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lock(repo_root):
    return (repo_root / "requirements.lock").read_text(encoding="utf-8")


def test_environment_yml_lists_pyproject_dependencies(pyproject, environment):
    problems = drift(pyproject_dependencies(pyproject), conda_dependencies(environment))
    assert not problems, "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


def test_environment_yml_python_and_package(pyproject, environment):
    specs = [CONDA_SPEC.match(entry) for entry in environment["dependencies"] if isinstance(entry, str)]
    pythons = [spec["spec"] for spec in specs if spec["name"] == "python"]
    assert pythons == ["=3.11"], f"environment.yml should pin python=3.11 (the lock's Python), has {pythons}"
    assert SpecifierSet(pyproject["project"]["requires-python"]).contains("3.11")
    pip = [text for entry in environment["dependencies"] if isinstance(entry, dict) for text in entry["pip"]]
    assert "-e ." in pip, "environment.yml should install villagecon itself (pip: - -e .)"
    assert environment["channels"][0] == "conda-forge"


def test_drift_reports_names_and_specifiers():
    pypi = pyproject_dependencies(
        {
            "project": {
                "dependencies": ["pandas>=3.0", "matplotlib>=3.9", "tqdm>=4.66"],
                "optional-dependencies": {"dev": ["Pytest_Xdist>=3.6"]},
            }
        }
    )
    conda = conda_dependencies(
        {
            "dependencies": [
                "python=3.11",
                "pandas >=2.2",
                "matplotlib-base>=3.9",
                "pytest-xdist>=3.6",
                "seaborn",
                "pip",
                {"pip": ["-e .", "python-calamine>=0.5"]},
            ]
        }
    )
    assert drift(pypi, conda) == [
        "pandas: pyproject.toml >=3.0 but environment.yml >=2.2",
        "only in environment.yml: python-calamine>=0.5",
        "only in environment.yml: seaborn",
        "only in pyproject.toml: tqdm>=4.66",
    ]


def test_conda_specifier_reads_match_specs():
    assert conda_specifier(">=3.0") == SpecifierSet(">=3.0")
    assert conda_specifier(">=1.2, <2") == SpecifierSet(">=1.2,<2")
    assert conda_specifier("=3.11") == SpecifierSet("==3.11.*")
    assert conda_specifier("") == SpecifierSet()
    with pytest.raises(ValueError, match=r"3\.11 py311_0"):
        conda_specifier("3.11 py311_0")


def test_lock_pins_everything_exactly(lock):
    pins, bad = lock_pins(lock)
    assert not bad, "requirements.lock lines not pinned with ==:\n" + "\n".join(bad)
    assert "villagecon" not in pins, "requirements.lock must not pin villagecon itself (make installs it -e)"
    assert len(pins) > 50, f"requirements.lock pins only {len(pins)} packages; regenerate it with `make lock`"


def test_lock_pins_every_pyproject_dependency(pyproject, lock):
    pins, _ = lock_pins(lock)
    problems = unpinned(pyproject_dependencies(pyproject), pins)
    assert not problems, "requirements.lock is out of step with pyproject.toml (`make lock`):\n" + "\n".join(problems)


def test_lock_checks_report_what_is_wrong():
    pins, bad = lock_pins("# header\npandas==3.1.1\ntqdm>=4.66\n-e .\nPyYAML==6.0.4\n")
    assert pins == {"pandas": "3.1.1", "pyyaml": "6.0.4"}
    assert bad == ["tqdm>=4.66", "-e ."]
    pypi = {"pandas": SpecifierSet(">=3.2"), "pyyaml": SpecifierSet(">=6"), "ruff": SpecifierSet(">=0.6")}
    assert unpinned(pypi, pins) == [
        "pandas: requirements.lock has ==3.1.1, pyproject.toml asks >=3.2",
        "ruff: not in requirements.lock",
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_help_lists_every_target(repo_root):
    help = subprocess.run(["make", "-s", "help"], cwd=repo_root, capture_output=True, text=True, check=True)
    out = help.stdout
    described = {line.split()[0]: line.split(maxsplit=1)[1] for line in out.splitlines() if line.strip()}
    assert set(described) == MAKE_TARGETS, f"make help lists {sorted(described)}"
    assert all(len(text) > 10 for text in described.values()), described


def test_the_package_says_it_is_typed(repo_root, pyproject):
    # PEP 561: without py.typed in the wheel, mypy ignores villagecon's annotations in an analyst's script.
    assert (repo_root / "villagecon" / "py.typed").is_file()
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["villagecon"]
