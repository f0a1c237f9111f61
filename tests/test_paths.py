"""villagecon.paths: the project's folders, each overridable by an environment variable, read at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from villagecon import paths as imported

REPO_ROOT = Path(__file__).resolve().parents[1]
# The module run from its file, not imported with the package: importing villagecon would load pandas for nothing.
_PRINT_PATHS = (
    "import json, runpy, sys; p = runpy.run_path(sys.argv[1]); print(json.dumps({n: str(p[n]) for n in p['__all__']}))"
)
PATHS_MODULE = REPO_ROOT / "villagecon" / "paths.py"


def _paths(tmp_path: Path, **env: str) -> dict[str, str]:
    """The four folders as a fresh interpreter started in ``tmp_path`` sees them under ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VILLAGECON_")}
    done = subprocess.run(
        [sys.executable, "-c", _PRINT_PATHS, str(PATHS_MODULE)],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_checkout_is_the_project_by_default(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    assert paths == {
        "PROJECT_ROOT": str(REPO_ROOT),
        "DATA_RAW": str(REPO_ROOT / "data" / "raw"),
        "DATA_PROCESSED": str(REPO_ROOT / "data" / "processed"),
        "REPORTS": str(REPO_ROOT / "reports"),
    }


def test_the_root_moves_every_folder_and_a_folder_moves_alone(tmp_path: Path) -> None:
    root, raw = tmp_path / "project", tmp_path / "ledgers"
    paths = _paths(tmp_path, VILLAGECON_ROOT=str(root), VILLAGECON_DATA_RAW=str(raw))
    assert paths["PROJECT_ROOT"] == str(root)
    assert paths["DATA_RAW"] == str(raw)
    assert paths["DATA_PROCESSED"] == str(root / "data" / "processed")
    assert paths["REPORTS"] == str(root / "reports")
    assert not root.exists()  # nothing is created at import


def test_the_imported_module_holds_what_a_fresh_interpreter_reads() -> None:
    # The folders the package uses are the ones read at its import, under the environment of this run.
    here = Path.cwd()
    expected = _paths(here, **{k: v for k, v in os.environ.items() if k.startswith("VILLAGECON_")})
    assert {name: str(getattr(imported, name)) for name in imported.__all__} == expected
    assert sorted(imported.__all__) == ["DATA_PROCESSED", "DATA_RAW", "PROJECT_ROOT", "REPORTS"]
