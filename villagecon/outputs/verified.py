"""Manifests and the readers that use a set only when it is whole (every file's sha256 as its manifest says)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from villagecon import paths
from villagecon.errors import OutputMismatchError
from villagecon.outputs.generations import current_generation, is_our_link

__all__ = ["CLEANED_CSVS", "CLEANED_TABLES", "ProcessedSet", "file_record", "load_processed", "read_verified"]


def file_record(path: Path | str, root: Path | None = None) -> dict[str, Any]:
    """A manifest's record of a file: ``file`` (relative to ``root`` when inside it, else the name), sha256, bytes.

    Parameters
    ----------
    path : path-like
        The file, as written.
    root : Path, optional
        The folder the manifest describes.

    Returns
    -------
    dict
        ``{"file": "figures/share_above.png", "sha256": "…", "bytes": 12345}``.
    """
    path = Path(path)
    data = path.read_bytes()
    name = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else path.name
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def read_verified(
    folder: Path | str, *, manifest: str = "manifest.json", remedy: str = "run the command that wrote it again"
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest of the set in ``folder`` and the bytes of every output it lists, each checked against its
    sha256 in the manifest.

    Works on a cleaned set (``data/processed``: the current generation is read, whatever a writer does
    meanwhile) and on a report folder (``reports/2022``). A file that is missing or whose hash differs (a set
    mixed by a killed run of an older villagecon, a file edited or replaced by hand) raises
    :class:`OutputMismatchError` naming the files and what to do. The bytes returned are the bytes checked.

    Parameters
    ----------
    folder : path-like
        A folder written by :func:`~villagecon.outputs.replacing_files` or
        :func:`~villagecon.outputs.replacing_folder`.
    manifest : str
        The manifest's file name in ``folder``.
    remedy : str
        What the error message tells the user to do.

    Returns
    -------
    manifest : dict
        The manifest as read.
    contents : dict of str to bytes
        The bytes of every file it lists, by its name in the manifest.

    Raises
    ------
    OutputMismatchError
        The manifest is missing or damaged, or a file it lists is missing or differs from its sha256.
    """
    folder = Path(folder)
    for attempt in range(3):
        generation = current_generation(folder)
        try:
            return _read_checked(folder, generation, manifest, remedy)
        except (OutputMismatchError, FileNotFoundError):
            # A writer switched generations and removed the one being read: read the new one.
            if attempt == 2 or current_generation(folder) == generation:
                raise
    raise AssertionError("unreachable")


def _read_checked(
    folder: Path, generation: Path | None, manifest_name: str, remedy: str
) -> tuple[dict[str, Any], dict[str, bytes]]:
    def source(name: str) -> Path:
        path = folder / name
        if generation is not None and (is_our_link(folder, name) or not os.path.lexists(path)):
            return generation / name
        return path

    try:
        manifest = json.loads(source(manifest_name).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise OutputMismatchError(
            f"{folder} has no {manifest_name}: it holds no set of outputs villagecon wrote "
            f"(or only part of one); {remedy}"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputMismatchError(f"{folder / manifest_name} is damaged ({exc}); {remedy}") from None
    contents: dict[str, bytes] = {}
    problems: list[str] = []
    for record in manifest.get("outputs", []):
        name = record["file"]
        if Path(name).is_absolute() or ".." in Path(name).parts:
            problems.append(f"{name} is outside the folder")
            continue
        try:
            data = source(name).read_bytes()
        except FileNotFoundError:
            if generation is not None and current_generation(folder) != generation:
                raise
            problems.append(f"{name} is missing")
            continue
        if hashlib.sha256(data).hexdigest() != record["sha256"]:
            problems.append(f"{name} differs from the file that run wrote")
        contents[name] = data
    if problems:
        raise OutputMismatchError(
            f"the outputs in {folder} are not one whole set: {'; '.join(problems)} (their "
            f"sha256 does not match {manifest_name}: a run was stopped while replacing them, "
            f"or they were changed by hand); {remedy}"
        )
    return manifest, contents


CLEANED_TABLES = ("entries", "accounts")
CLEANED_CSVS = ("rejects", "subtotals", "duplicates", "repeated_lines")


@dataclasses.dataclass
class ProcessedSet:
    """The tables of one run of ``villagecon clean``, read from ``data/processed`` and checked whole."""

    folder: Path
    manifest: dict[str, Any]
    entries: pd.DataFrame
    accounts: pd.DataFrame
    rejects: pd.DataFrame
    subtotals: pd.DataFrame
    duplicates: pd.DataFrame
    repeated_lines: pd.DataFrame


def load_processed(folder: Path | str | None = None) -> ProcessedSet:
    """The cleaned tables in ``folder`` (default ``data/processed``), after checking every file's sha256
    against ``manifest.json``: a set that is not whole (:class:`OutputMismatchError`) is never used.

    The CSV tables are read as written (text Excel would run as a formula keeps its leading ``'``).

    Parameters
    ----------
    folder : path-like, optional
        The cleaned set's folder (default :data:`villagecon.paths.DATA_PROCESSED`).

    Returns
    -------
    ProcessedSet

    Raises
    ------
    OutputMismatchError
        The set is not whole, or its manifest is not that of ``villagecon clean``.
    """
    folder = Path(paths.DATA_PROCESSED if folder is None else folder)
    manifest, contents = read_verified(folder, remedy=f"run `villagecon clean` again to write {folder}")
    missing = [f"{name}.parquet" for name in CLEANED_TABLES if f"{name}.parquet" not in contents] + [
        f"{name}.csv" for name in CLEANED_CSVS if f"{name}.csv" not in contents
    ]
    if missing:
        raise OutputMismatchError(
            f"{folder / 'manifest.json'} lists no {', '.join(missing)}: it is not the "
            f"manifest of `villagecon clean`; run `villagecon clean` again to write {folder}"
        )
    tables = {name: pd.read_parquet(io.BytesIO(contents[f"{name}.parquet"])) for name in CLEANED_TABLES}
    # Rejects are text, column by column (a value 0012 stays 0012); the other tables have numbers.
    tables |= {name: _csv_table(contents[f"{name}.csv"], as_text=name == "rejects") for name in CLEANED_CSVS}
    return ProcessedSet(folder=folder, manifest=manifest, **tables)


def _csv_table(data: bytes, *, as_text: bool) -> pd.DataFrame:
    if as_text:
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype="str", keep_default_na=False, na_values=[""])
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
