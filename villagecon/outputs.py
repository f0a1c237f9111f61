"""Writing outputs that cannot hurt: atomic files, escaped text, safe names, locked and staged folders.

Reports go to the city leadership and tables are opened in Excel, so what villagecon writes
must be complete or absent (never half a file, never a mix of two runs), must not run as a
spreadsheet formula when opened, and must stay inside the folder the user chose whatever
village or county names the data hold.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from villagecon.errors import UsageError, VillageconError

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


def write_atomic(path: Path, write) -> Path:
    """Write a file through ``write(temp_path)`` then rename it into place.

    A crash mid-write leaves the previous file complete; readers never see half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        # mkstemp makes the file private (0600); the output gets the mode any new file would (0644 under umask 022).
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0o022)   # the only way to read it is to set it; put back at once
    os.umask(mask)
    return mask


# Text a spreadsheet would run as a formula or command (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-4.2", "+3", "1e5") is read by a spreadsheet as that number and runs
# nothing: it is left alone, so that real numbers stay numbers.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def runs_as_formula(text: object) -> bool:
    """Whether a spreadsheet opening ``text`` in a cell could run it (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM``)."""
    return isinstance(text, str) and text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``= + - @``, tab or carriage return gets a leading ``'``
    (Excel's own marker for "this is text"), unless it is a plain number such as
    ``-4.2``; numbers stay numbers.
    """
    escaped = table.copy()
    for column in escaped.columns:
        values = escaped[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            risky = values.map(runs_as_formula).astype(bool)
            if risky.any():
                escaped[column] = values.astype(object).where(~risky, "'" + values.astype("str"))
    return escaped


# --- names ---------------------------------------------------------------------------------------------

# Names Windows keeps for devices, with or without an extension (CON, con.txt, COM1.png).
_WINDOWS_DEVICES = re.compile(r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?",
                              re.IGNORECASE)
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# 255 bytes is the limit on Linux, macOS and Windows; a CJK character takes three bytes in UTF-8.
_NAME_BYTES = 200


def file_record(path: Path, root: Path | None = None) -> dict:
    """A manifest's record of a file: ``file`` (relative to ``root`` when inside it, else the name), sha256, bytes."""
    path = Path(path)
    data = path.read_bytes()
    name = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else path.name
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write ``table`` as a CSV people open in Excel, atomically.

    UTF-8 with BOM so that Excel on Windows shows the Chinese; text that Excel would run as a formula is
    escaped. Lines end in CRLF, as Excel's own CSV do: the csv module then quotes a field holding a bare
    carriage return, which would otherwise end the row there and start the next with "=…".
    """
    return write_atomic(path, lambda p: escape_formulas(table).to_csv(p, index=False, encoding="utf-8-sig",
                                                                      lineterminator="\r\n"))


def safe_file_name(name: object, *, replacement: str = "_") -> str:
    """A file name made from data (a county, a village) that stays one plain name on every system.

    Path separators, ``..``, control characters and ``< > : " | ? *`` become ``_``; names Windows keeps
    for devices (``CON``, ``nul.txt``, ``COM1``) get a leading ``_``; trailing dots and spaces (which
    Windows drops) go; a leading dot (a hidden file) becomes ``_``; the name is cut to 200 bytes.
    It can never name a parent folder, an absolute path, or nothing.

    >>> safe_file_name("../../x"), safe_file_name("CON"), safe_file_name("汝城县/濠头乡"), safe_file_name("..")
    ('_._.._x', '_CON', '汝城县_濠头乡', '_')
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _UNSAFE_CHARACTERS.sub(replacement, text).rstrip(". ")
    if text.startswith("."):
        text = replacement + text[1:]
    if _WINDOWS_DEVICES.fullmatch(text):
        text = replacement + text
    while len(text.encode("utf-8")) > _NAME_BYTES:
        text = text[:-1]
    return text.rstrip(". ") or replacement


def path_inside(folder: Path, name: object) -> Path:
    """``folder / safe_file_name(name)``, checked to be inside ``folder``."""
    folder = Path(folder)
    path = folder / safe_file_name(name)
    if path.resolve().parent != folder.resolve():
        raise UsageError(f"{name!r} would be written outside {folder}")
    return path


# --- one run at a time, all of its files or none ----------------------------------------------------

class OutputBusyError(VillageconError):
    """Another villagecon run is writing to the same output folder."""


@contextlib.contextmanager
def output_lock(folder: Path, name: str = ".villagecon.lock") -> Iterator[Path]:
    """Hold ``folder/name`` locked for one run; a second run into the folder is refused, not interleaved.

    The lock is the operating system's (flock, or msvcrt on Windows): it goes with the process, so a
    run killed with SIGKILL never leaves a stale lock behind. The file names the holder's pid, for the
    message; it is removed when the run ends.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(handle)
        except OSError:
            holder = _read_holder(handle)
            os.close(handle)
            raise OutputBusyError(f"another villagecon run{holder} is writing to {folder}: wait for it to "
                                  "finish, then run again (two runs would mix their files)") from None
        # The previous holder may have removed the file between our open and our lock: then we hold a
        # lock on a file no one else will open. Start again on the file that is there now.
        if _same_file(handle, path):
            break
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(handle)


def _lock(handle: int) -> None:
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)


def _read_holder(handle: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(handle, 32, 0).decode().strip()) if hasattr(os, "pread") else None
        if pid:
            return f" (process {pid})"
    return ""


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), os.stat(path))
    except OSError:
        return False


_STAGING = ".staging-"
_READY = ".ready"


@contextlib.contextmanager
def replacing_files(folder: Path) -> Iterator[Path]:
    """Write a set of files into ``folder`` so that readers see the old set or the new one, never a mix.

    Yields a staging folder inside ``folder``; when the block ends without an error, every file in it
    replaces its namesake in ``folder`` (renames within one folder: atomic each, and done in a blink)
    and the staging folder goes. If the block fails, or the process is killed while writing, the
    staging folder is abandoned and ``folder`` keeps the previous set, complete. A set that was fully
    written but killed while being moved is finished by the next run; abandoned staging folders are
    removed by it. The whole is done under :func:`output_lock`, so two runs cannot interleave.
    """
    folder = Path(folder)
    with output_lock(folder):
        _recover_staged(folder)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=folder))
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Marked complete before anything moves: a run killed from here on is finished by the next one.
        (staging / _READY).touch()
        _move_staged(staging, folder)


def _recover_staged(folder: Path) -> None:
    for staging in sorted(folder.glob(_STAGING + "*")):
        if (staging / _READY).exists():
            _move_staged(staging, folder)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _move_staged(staging: Path, folder: Path) -> None:
    # manifest.json last: once it is new, every file it lists is new too.
    files = sorted((p for p in staging.iterdir() if p.name != _READY), key=lambda p: (p.name == "manifest.json",
                                                                                       p.name))
    for path in files:
        os.replace(path, folder / path.name)
    shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def replacing_folder(final: Path) -> Iterator[Path]:
    """Build a folder beside ``final`` and swap it into place on success (the old one is removed after).

    Under :func:`output_lock` in the parent folder, so two runs cannot swap at once. A run killed while
    building leaves ``final`` as it was; one killed between the two renames of the swap (a moment with
    no ``final``) is repaired by the next run, which puts the previous folder back first.
    """
    final = Path(final)
    parent = final.parent
    with output_lock(parent, f".{final.name}.lock"):
        _recover_folder(final)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=parent))
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            final.rename(old)
        staging.chmod(0o755)
        staging.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _recover_folder(final: Path) -> None:
    olds = sorted(final.parent.glob(f".{final.name}.old-*"))
    if not final.exists() and olds:
        olds[-1].rename(final)
        olds = olds[:-1]
    for leftover in [*olds, *final.parent.glob(f".{final.name}.building-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
