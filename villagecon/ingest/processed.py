"""``data/processed`` as the cleaned form of ``data/raw``: used instead of reading every ledger again while it
is current, and never when it is not.

``villagecon clean`` writes, in the processed set's ``manifest.json``, a fingerprint of what it read: the
sha256 of every file under the raw folder (the ledgers, and the files it skipped), of the register and the
synonyms, the reading options, villagecon's version and a hash of its code. ``villagecon report``, a second
``villagecon clean`` and the notebooks (:func:`current_ledger`) take the processed set when its fingerprint
is the one the raw folder has now; otherwise they read the ledgers again and say why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from villagecon import __version__, paths
from villagecon.errors import VillageconError
from villagecon.ingest.files import ReadLimits, find_files
from villagecon.ingest.ledger import REJECT_COLUMNS, Ledger, read_ledger
from villagecon.outputs import OutputMismatchError, load_processed

# What changes what read_ledger gives, beside the files: the same raw folder read with another unit is another set.
READING_OPTIONS = {"unit": None, "encoding": None, "include_hidden": False, "outside_links": False}


def fingerprint(
    raw: Path | str,
    *,
    register: Path | str | None = None,
    synonyms: Path | str | None = None,
    limits: ReadLimits | None = None,
    **options,
) -> dict:
    """What a clean of ``raw`` with these options depends on: every file's sha256, the options, the code.

    ``options`` are read_ledger's :data:`READING_OPTIONS` (with their defaults; others, such as ``jobs``, do not
    change the result).
    """
    raw = Path(raw)
    found, not_read = find_files(raw, outside_links=bool(options.get("outside_links")))
    base = raw if raw.is_dir() else raw.parent
    files = {path.relative_to(base).as_posix(): _sha256(path) for path in found}
    files |= {path.relative_to(base).as_posix(): _sha256(path) for path, _ in not_read if path.is_file()}
    limits = limits or ReadLimits.from_environment()
    return {
        "villagecon_version": __version__,
        "code": _code_hash(),
        "options": {name: options.get(name, default) for name, default in READING_OPTIONS.items()}
        | {"limits": {"file_mb": limits.file_mb, "uncompressed_mb": limits.uncompressed_mb, "cells": limits.cells}},
        "register": _sha256(Path(register)) if register is not None else None,
        "synonyms": _sha256(Path(synonyms)) if synonyms is not None else None,
        "files": dict(sorted(files.items())),
    }


def current_ledger(processed: Path | str, expected: dict) -> tuple[Ledger | None, str]:
    """The Ledger in ``processed`` when its manifest's fingerprint is ``expected``, else None; and why, in words.

    The Ledger read back has the tables the processed set keeps (entries, accounts, rejects, subtotals,
    duplicates, repeated_lines) and the lists its manifest keeps (files, skipped sheets, part years, the
    summary); ``rows``, ``columns``, ``tables`` and ``sheets`` are empty: :func:`read_ledger` gives them.
    """
    processed = Path(processed)
    if not (processed / "manifest.json").exists():
        return None, f"{processed} holds no cleaned set yet"
    try:
        stored = load_processed(processed)
    except (OutputMismatchError, VillageconError, OSError, ValueError) as error:
        return None, f"{processed} cannot be used ({error})"
    written = stored.manifest.get("fingerprint")
    if written != expected:
        return None, f"{processed} is out of date: {_difference(written, expected)}"
    manifest = stored.manifest
    ledger = Ledger(
        entries=stored.entries,
        accounts=stored.accounts,
        rejects=stored.rejects.loc[:, list(REJECT_COLUMNS)],
        subtotals=stored.subtotals,
        duplicates=stored.duplicates,
        repeated_lines=stored.repeated_lines,
        rows=pd.DataFrame(columns=["file", "sheet", "row", "source", "kind"]),
        files=pd.DataFrame(manifest["inputs"], columns=["file", "sha256", "bytes", "sheets", "layouts"]),
        skipped=pd.DataFrame(manifest["skipped_sheets"], columns=["file", "sheet", "status", "reason", "advice"]),
        part_years=pd.DataFrame(manifest["part_years"]),
    )
    ledger.written_summary = manifest.get("summary")
    return ledger, f"{processed} is current ({len(expected['files'])} files unchanged since it was cleaned)"


def load_ledger(
    raw: Path | str = paths.DATA_RAW,
    processed: Path | str | None = paths.DATA_PROCESSED,
    *,
    register: Path | str | None = None,
    synonyms: Path | str | None = None,
    limits: ReadLimits | None = None,
    jobs: int | None = None,
    progress: bool | None = None,
    say: Callable[[str], None] = print,
    **options,
) -> tuple[Ledger, dict]:
    """The ledger of ``raw``: from ``processed`` when it is current, else read again (and said which).

    Returns the Ledger and the fingerprint of ``raw`` (for :func:`villagecon.cli.write_cleaned`).
    """
    expected = fingerprint(raw, register=register, synonyms=synonyms, limits=limits, **options)
    if processed is None:
        say(f"reading the ledgers in {raw}")
    else:
        ledger, why = current_ledger(processed, expected)
        say(f"{why}: {'used, the ledgers are not read again' if ledger is not None else 'reading the ledgers'}")
        if ledger is not None:
            return ledger, expected
    ledger = read_ledger(
        raw, register=register, synonyms=synonyms, limits=limits, jobs=jobs, progress=progress, **options
    )
    return ledger, expected


def _difference(written: dict | None, expected: dict) -> str:
    if not written:
        return "it was written without a fingerprint (by an older villagecon, or by hand)"
    if written.get("villagecon_version") != expected["villagecon_version"] or written.get("code") != expected["code"]:
        return "villagecon has changed since it was cleaned"
    if written.get("options") != expected["options"]:
        return "it was cleaned with other options"
    if (written.get("register"), written.get("synonyms")) != (expected["register"], expected["synonyms"]):
        return "the register or the synonyms have changed"
    before, now = written.get("files", {}), expected["files"]
    changed = sorted(name for name in now.keys() & before.keys() if now[name] != before[name])
    parts = [
        f"{len(changed)} changed ({', '.join(changed[:3])}{', …' if len(changed) > 3 else ''})" if changed else "",
        f"{len(now.keys() - before.keys())} new" if now.keys() - before.keys() else "",
        f"{len(before.keys() - now.keys())} removed" if before.keys() - now.keys() else "",
    ]
    return "raw files " + "; ".join(p for p in parts if p)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_hash() -> str:
    """A hash of villagecon's own source: a change to the reader makes every processed set out of date."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]  # the whole villagecon package, not only ingest/
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
