"""``data/processed`` as the cleaned form of ``data/raw``: used instead of reading every ledger again while it
is current, and never when it is not.

``villagecon clean`` writes, in the processed set's ``manifest.json``, a fingerprint of what it read: the
sha256 of every file under the raw folder (the ledgers, and the files it skipped), of the register and the
synonyms, the reading options, villagecon's version and a hash of its code. ``villagecon report``, a second
``villagecon clean`` and the notebooks (:func:`current_ledger`) take the processed set when its fingerprint
is the one the raw folder has now; otherwise they read the ledgers again and say why. :func:`write_cleaned`
writes the set: the ledger's save step, as :func:`villagecon.journal.write_journal` is the journal's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from villagecon import paths
from villagecon.errors import VillageconError
from villagecon.ingest.files import ReadLimits, find_files
from villagecon.ingest.ledger import REJECT_COLUMNS, Ledger, read_ledger
from villagecon.outputs import (
    OutputMismatchError,
    file_record,
    load_processed,
    replacing_files,
    write_atomic,
    write_csv,
)
from villagecon.version import __version__
from villagecon.vocab import problems

__all__ = [
    "READING_OPTIONS",
    "current_ledger",
    "file_hashes",
    "fingerprint",
    "load_ledger",
    "write_cleaned",
]

# What changes what read_ledger gives, beside the files: the same raw folder read with another unit is another set.
READING_OPTIONS = {"unit": None, "encoding": None, "include_hidden": False, "outside_links": False}


def file_hashes(raw: Path | str, *, outside_links: bool = False) -> dict[Path, str]:
    """The sha256 of every file under ``raw`` a clean reads or lists as not read, by its path.

    Parameters
    ----------
    raw : path-like
        A ledger file or a folder of them.
    outside_links : bool
        Follow links out of the folder, as :func:`~villagecon.ingest.ledger.read_ledger` does with it.

    Returns
    -------
    dict
        Path (as :func:`~villagecon.ingest.files.find_files` gives it) → sha256 in hex. Handed to
        :func:`fingerprint` and to ``read_ledger(hashes=)``, each file is read once to hash it.
    """
    found, not_read = find_files(Path(raw), outside_links=outside_links)
    return {path: _sha256(path) for path in [*found, *(path for path, _ in not_read if path.is_file())]}


def fingerprint(
    raw: Path | str,
    *,
    register: Path | str | None = None,
    synonyms: Path | str | None = None,
    limits: ReadLimits | None = None,
    hashes: dict[Path, str] | None = None,
    **options: object,
) -> dict[str, Any]:
    """What a clean of ``raw`` with these options depends on: every file's sha256, the options, the code.

    Parameters
    ----------
    raw : path-like
        A ledger file or a folder of them.
    register, synonyms : path-like, optional
        The register and the synonyms file the clean uses.
    limits : ReadLimits, optional
        The limits of the clean (default: from the environment).
    hashes : dict, optional
        :func:`file_hashes` of ``raw`` when they are known already.
    **options
        read_ledger's :data:`READING_OPTIONS` (with their defaults; others, such as ``jobs``, do not change
        the result).

    Returns
    -------
    dict
        JSON-ready: version, code hash, options and limits, register and synonyms hashes, and ``files``
        (path relative to the folder → sha256).
    """
    raw = Path(raw)
    if hashes is None:
        hashes = file_hashes(raw, outside_links=bool(options.get("outside_links")))
    base = raw if raw.is_dir() else raw.parent
    files = {path.relative_to(base).as_posix(): sha256 for path, sha256 in hashes.items()}
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

    Returns the Ledger and the fingerprint of ``raw`` (for :func:`write_cleaned`). Each raw file is hashed
    once, for the fingerprint; :func:`read_ledger` takes those hashes.
    """
    hashes = file_hashes(raw, outside_links=bool(options.get("outside_links")))
    expected = fingerprint(raw, register=register, synonyms=synonyms, limits=limits, hashes=hashes, **options)
    if processed is None:
        say(f"reading the ledgers in {raw}")
    else:
        ledger, why = current_ledger(processed, expected)
        say(f"{why}: {'used, the ledgers are not read again' if ledger is not None else 'reading the ledgers'}")
        if ledger is not None:
            return ledger, expected
    ledger = read_ledger(
        raw,
        register=register,
        synonyms=synonyms,
        limits=limits,
        jobs=jobs,
        progress=progress,
        hashes=hashes,
        **options,
    )
    return ledger, expected


def write_cleaned(
    ledger: Ledger, out: Path | str, *, register: Path | None = None, fingerprint: dict[str, Any] | None = None
) -> list[Path]:
    """Write a Ledger's tables and a manifest into ``out``, all replaced together: the ledger's save step.

    The files are written into a new generation folder inside ``out`` and become visible all at once, by one
    rename of the link ``out/.current``, when all are complete, under a lock: a run killed at any moment, or a
    second run started meanwhile, leaves ``out`` holding the previous set of files, complete (see
    :func:`villagecon.outputs.replacing_files`). ``manifest.json`` lists every other file with its sha256;
    :func:`villagecon.outputs.load_processed` reads the set back only when they match. ``fingerprint``
    (:func:`fingerprint`) says what the set was cleaned from: with it, the set stands in for the raw files while
    they are unchanged.

    Parameters
    ----------
    ledger : Ledger
        As :func:`~villagecon.ingest.ledger.read_ledger` gives it.
    out : path-like
        The processed folder (``data/processed``).
    register : Path, optional
        The register the ledger was read with; the manifest records its sha256.
    fingerprint : dict, optional
        :func:`fingerprint` of the raw files.

    Returns
    -------
    list of Path
        The files written: entries.parquet, accounts.parquet, rejects.csv, subtotals.csv, duplicates.csv,
        repeated_lines.csv and manifest.json.
    """
    out = Path(out)
    register_record = file_record(register) if register else None  # read before anything is written
    with replacing_files(out) as staging:
        staged = [
            write_atomic(staging / "entries.parquet", lambda p: ledger.entries.to_parquet(p, index=False)),
            write_atomic(staging / "accounts.parquet", lambda p: ledger.accounts.to_parquet(p, index=False)),
            write_csv(problems.rejects_for_people(ledger.rejects), staging / "rejects.csv"),
            write_csv(ledger.subtotals, staging / "subtotals.csv"),
            write_csv(ledger.duplicates, staging / "duplicates.csv"),
            write_csv(ledger.repeated_lines, staging / "repeated_lines.csv"),
        ]
        manifest = {
            "villagecon_version": __version__,
            "inputs": ledger.files.to_dict(orient="records"),
            "register": register_record,
            "rows_by_kind": {k: int(n) for k, n in ledger.rows["kind"].value_counts().sort_index().items()},
            "skipped_sheets": ledger.skipped.to_dict(orient="records"),
            "part_years": ledger.part_years.astype(object)
            .where(ledger.part_years.notna(), None)
            .to_dict(orient="records"),
            "counts": {
                "entries": len(ledger.entries),
                "accounts": len(ledger.accounts),
                "rejects": len(ledger.rejects),
                "subtotals": len(ledger.subtotals),
                "duplicates": len(ledger.duplicates),
                "repeated_lines": len(ledger.repeated_lines),
            },
            "rejects_by_problem": {k: int(n) for k, n in ledger.rejects["problem"].value_counts().sort_index().items()},
            "outputs": [file_record(path) for path in staged],
            "fingerprint": fingerprint,
            "summary": ledger.summary(),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        staged.append(write_atomic(staging / "manifest.json", lambda p: p.write_text(text, encoding="utf-8")))
    return [out / path.name for path in staged]


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
