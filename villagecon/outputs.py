"""Writing outputs that cannot hurt: atomic files, escaped text, safe names, locked and staged folders.

Reports go to the city leadership and tables are opened in Excel, so what villagecon writes
must be complete or absent (never half a file, never a mix of two runs), must not run as a
spreadsheet formula when opened, and must stay inside the folder the user chose whatever
village or county names the data hold.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import functools
import hashlib
import io
import json
import os
import re
import shutil
import sys
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
    mask = os.umask(0o022)  # the only way to read it is to set it; put back at once
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
_WINDOWS_DEVICES = re.compile(r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?", re.IGNORECASE)
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
    return write_atomic(
        path, lambda p: escape_formulas(table).to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    )


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
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK):
                os.close(handle)
                raise
            holder = _read_holder(handle)
            os.close(handle)
            raise OutputBusyError(
                f"another villagecon run{holder} is writing to {folder}: wait for it to "
                "finish, then run again (two runs would mix their files)"
            ) from None
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


# --- a set of files, and a report folder, made visible in one atomic step ----------------------------------
#
# A set (the tables of `villagecon clean`, the journal tables) lives in generation folders inside the output
# folder: ``OUT/.set-XXXX/`` holds one complete set, ``OUT/.current`` is a symbolic link naming the current
# generation, and each file people open is a link through it (``OUT/accounts.parquet -> .current/accounts.parquet``).
# A new set is written into a new generation, completed and flushed to disk, and becomes visible when
# ``.current`` is replaced by a link naming it: one rename(2), atomic on every POSIX file system. Before that
# rename every path shows the previous set, after it the new one; no instant shows a mix.
#
# A report folder (``OUT/2022``) belongs to villagecon whole: it is built beside its place and exchanged with
# the previous folder in one renameat2(RENAME_EXCHANGE) (renamex_np(RENAME_SWAP) on macOS), or renamed into
# place when there is none.
#
# Where the file system cannot (no symbolic links, no exchange: Windows, some network shares), the files are
# moved one by one as before, manifest last, and readers detect a set that is not whole by its hashes.

_CURRENT = ".current"
_GENERATION = ".set-"
_TEMP_LINK = ".villagecon-link"
_STAGING = ".staging-"  # sets staged by villagecon before generations (and where links cannot be made)
_READY = ".ready"


@contextlib.contextmanager
def replacing_files(folder: Path) -> Iterator[Path]:
    """Write a set of files into ``folder`` so that readers see the old set or the new one, never a mix.

    Yields an empty folder to write the new files into. When the block ends without an error the new files
    replace their namesakes in ``folder`` all at once: they are a new generation of the set (the files of the
    previous generation that the block did not write are kept, linked in), and one rename of the link
    ``folder/.current`` makes it the current one. ``folder/NAME`` is a symbolic link through ``.current``, so
    ``pd.read_parquet(folder / "accounts.parquet")`` reads the current set. If the block fails, or the process
    is killed at any moment, ``folder`` shows the previous set, complete; what the failed run left is removed
    by the next run. Files of ``folder`` that the set does not write are left alone. The whole is done under
    :func:`output_lock`, so two runs cannot interleave. OSError from writing (a full disk, no permission, a
    read-only file system) becomes :class:`OutputError`.
    """
    folder = Path(folder)
    with _output_errors(folder), output_lock(folder):
        _recover_staged(folder)
        if _links_work(folder):
            _drop_abandoned(folder)
            staging = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=folder))
            try:
                yield staging
                _publish(folder, staging)
            except BaseException:
                if _generation(folder) != staging:
                    shutil.rmtree(staging, ignore_errors=True)
                raise
        else:
            staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=folder))
            try:
                yield staging
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            # Marked complete before anything moves: a run killed from here on is finished by the next one.
            (staging / _READY).touch()
            _move_staged(staging, folder)


def _links_work(folder: Path) -> bool:
    """Whether ``folder`` holds symbolic links (not on Windows without the privilege, nor on some shares)."""
    if (folder / _CURRENT).is_symlink():
        return True
    probe = folder / f".probe-{os.getpid()}{_TEMP_LINK}"
    try:
        os.symlink(".", probe)
    except NotImplementedError:
        return False
    except OSError as exc:
        if (
            exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)
            or getattr(exc, "winerror", None) == 1314
        ):  # ERROR_PRIVILEGE_NOT_HELD
            return False
        raise
    probe.unlink()
    return True


def _generation(folder: Path) -> Path | None:
    """The generation folder ``folder/.current`` names; None when there is none."""
    try:
        name = os.readlink(folder / _CURRENT)
    except OSError:  # no link, or not a link
        return None
    path = folder / name
    if not name.startswith(_GENERATION) or "/" in name or os.sep in name or not path.is_dir():
        return None
    return path


def _link_text(relative: str) -> str:
    """What the link ``folder/relative`` reads: ``.current/accounts.parquet``, ``../.current/figures/x.png``."""
    return "../" * relative.count("/") + f"{_CURRENT}/{relative}"


def _files(root: Path) -> list[str]:
    """The files under ``root``, as paths relative to it with ``/``."""
    found = []
    for directory, _, names in os.walk(root):
        found += [Path(directory, name).relative_to(root).as_posix() for name in names]
    return sorted(found)


def _is_our_link(folder: Path, relative: str) -> bool:
    try:
        return os.readlink(folder / relative) == _link_text(relative)
    except OSError:
        return False


def _replace_link(link: Path, text: str) -> None:
    """Make ``link`` a symbolic link reading ``text`` in one rename: it never stops existing."""
    temp = link.with_name(f".{link.name}.{os.getpid()}{_TEMP_LINK}")
    temp.unlink(missing_ok=True)
    os.symlink(text, temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)  # the same file, no copy (generations are never changed in place)
    except OSError:
        shutil.copy2(source, target)


def _settle(generation: Path) -> None:
    """Let everyone read ``generation`` (mkdtemp makes it private) and flush it to disk before it is switched to."""
    mode = 0o777 & ~_umask()
    for directory, _, names in os.walk(generation):
        os.chmod(directory, mode)
        for name in names:
            _fsync(Path(directory, name))
        _fsync(Path(directory))


def _fsync(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:  # a folder cannot be opened on Windows
        return
    try:
        os.fsync(handle)
    except OSError:  # nor synced on some file systems; the rename order still holds against a kill
        pass
    finally:
        os.close(handle)


def _switch(folder: Path, generation: Path) -> None:
    """The one step that changes what readers see: ``folder/.current`` names ``generation``."""
    _replace_link(folder / _CURRENT, generation.name)
    _fsync(folder)


def _publish(folder: Path, staging: Path) -> None:
    current = _generation(folder)
    # Files the new set replaces that are still plain files (written by a villagecon before generations, or
    # saved over the link by hand) first join a copy of the current generation and become links into it:
    # nothing anyone sees changes, and the switch below then replaces them with the rest of the set.
    plain = [name for name in _files(staging) if (folder / name).is_file() and not (folder / name).is_symlink()]
    if plain:
        adopted = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=folder))
        for name in _files(current) if current else []:
            _link_or_copy(current / name, adopted / name)
        for name in plain:
            _link_or_copy(folder / name, adopted / name)
        _settle(adopted)
        _switch(folder, adopted)
        if current:
            shutil.rmtree(current, ignore_errors=True)
        current = adopted
        for name in plain:
            _replace_link(folder / name, _link_text(name))
    # The files of the set this run did not write (the journal's beside clean's tables) stay in it.
    for name in _files(current) if current else []:
        if not (staging / name).exists():
            _link_or_copy(current / name, staging / name)
    _settle(staging)
    names = _files(staging)
    for name in names:  # links for new names: they show nothing until the switch
        _make_link(folder, name)
    _switch(folder, staging)
    # The set is published. What follows tidies up; a failure or a kill here is repaired by the next run,
    # and readers go to the current generation for a name whose link is missing.
    with contextlib.suppress(OSError):
        _drop_stale_links(folder, staging)
        for name in names:
            _make_link(folder, name)
    if current:
        shutil.rmtree(current, ignore_errors=True)


def _make_link(folder: Path, name: str) -> None:
    path = folder / name
    if os.path.lexists(path):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file of that name stands where a folder should
        return
    os.symlink(_link_text(name), path)


def _drop_stale_links(folder: Path, generation: Path) -> None:
    """Remove the links to files the current generation does not have (and folders they leave empty)."""

    def visit(directory: Path) -> bool:
        removed = False
        for entry in list(os.scandir(directory)):
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                relative = path.relative_to(folder).as_posix()
                if _is_our_link(folder, relative) and not (generation / relative).exists():
                    path.unlink()
                    removed = True
            elif entry.is_dir() and visit(path) and not any(path.iterdir()):
                path.rmdir()  # emptied by removing its links
                removed = True
        return removed

    visit(folder)


def _drop_abandoned(folder: Path) -> None:
    """Remove what killed or failed runs left: generations that are not current, half-made links."""
    current = _generation(folder)
    for path in folder.glob(_GENERATION + "*"):
        if path != current and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    for path in folder.glob(f".*{_TEMP_LINK}"):
        path.unlink(missing_ok=True)


def _recover_staged(folder: Path) -> None:
    for staging in sorted(folder.glob(_STAGING + "*")):
        if (staging / _READY).exists():
            _move_staged(staging, folder)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _move_staged(staging: Path, folder: Path) -> None:
    # manifest.json last: once it is new, every file it lists is new too.
    files = sorted(
        (p for p in staging.iterdir() if p.name != _READY), key=lambda p: (p.name == "manifest.json", p.name)
    )
    for path in files:
        os.replace(path, folder / path.name)
    shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def replacing_folder(final: Path) -> Iterator[Path]:
    """Build a folder beside ``final`` and put it in the place of ``final`` in one atomic step on success.

    The new folder is exchanged with the previous one in a single renameat2(RENAME_EXCHANGE) (renamex_np
    on macOS), or renamed into place when there is none: ``final`` is the whole old folder or the whole new
    one at every instant, even if the process is killed. The previous folder is removed after. Under
    :func:`output_lock` in the parent folder, so two runs cannot swap at once. A run killed while building
    leaves ``final`` as it was; what it left beside it is removed by the next run. Where the file system
    cannot exchange two folders (Windows, some network shares), the swap takes two renames, and a run killed
    between them is repaired by the next run, which puts the previous folder back first. OSError from
    writing becomes :class:`OutputError`.
    """
    final = Path(final)
    parent = final.parent
    with _output_errors(parent), output_lock(parent, f".{final.name}.lock"):
        _recover_folder(final)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=parent))
        try:
            yield staging
            _settle(staging)
            if not os.path.lexists(final):
                os.rename(staging, final)
            elif exchange(staging, final):
                shutil.rmtree(staging, ignore_errors=True)  # the previous folder, now out of sight
            else:
                old = final.with_name(f".{final.name}.old-{os.getpid()}")
                final.rename(old)
                staging.rename(final)
                shutil.rmtree(old, ignore_errors=True)
            _fsync(parent)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _recover_folder(final: Path) -> None:
    olds = sorted(final.parent.glob(f".{final.name}.old-*"))
    if not final.exists() and olds:
        olds[-1].rename(final)
        olds = olds[:-1]
    for leftover in [*olds, *final.parent.glob(f".{final.name}.building-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


_RENAME_EXCHANGE, _RENAME_SWAP, _AT_FDCWD = 2, 2, -100


def exchange(first: Path, second: Path) -> bool:
    """Exchange two paths (two folders) in one atomic step; False where the system or file system cannot.

    Linux: renameat2(…, RENAME_EXCHANGE); macOS: renamex_np(…, RENAME_SWAP). Other errors are raised.
    """
    libc = _libc()
    swap = getattr(libc, "renameat2", None) if libc is not None else None
    if swap is not None:
        call = lambda: swap(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)  # noqa: E731
    elif libc is not None and getattr(libc, "renamex_np", None) is not None:
        call = lambda: libc.renamex_np(os.fsencode(first), os.fsencode(second), _RENAME_SWAP)  # noqa: E731
    else:
        return False
    if call() == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def exchange_works(folder: Path | str) -> bool:
    """Whether two folders in ``folder`` can be exchanged in one step (:func:`exchange`)."""
    first = Path(tempfile.mkdtemp(prefix=".exchange-", dir=folder))
    second = Path(tempfile.mkdtemp(prefix=".exchange-", dir=folder))
    try:
        return exchange(first, second)
    except OSError:
        return False
    finally:
        first.rmdir()
        second.rmdir()


@functools.cache
def _libc():
    if sys.platform.startswith(("linux", "darwin")):
        with contextlib.suppress(OSError):
            return ctypes.CDLL(None, use_errno=True)
    return None


# --- OSError from writing ------------------------------------------------------------------------------------


class OutputError(VillageconError):
    """The output folder could not be written: a full disk, no permission, a read-only file system…"""

    def __init__(self, folder: Path, error: OSError, code: int):
        self.folder, self.errno = Path(folder), code
        what, advice = _WRITE_ERRORS[code]
        detail = os.strerror(code)
        super().__init__(
            f"cannot write to {folder}: {what} ({detail}). {advice}, then run again. Nothing of this "
            "run was kept and the outputs already there are as they were"
        )


_WRITE_ERRORS = {
    errno.ENOSPC: ("the disk is full", "Free some space on it, or choose an output folder on another disk (--out)"),
    errno.EDQUOT: ("your disk quota is used up", "Free some space, or choose an output folder on another disk (--out)"),
    errno.EACCES: (
        "permission denied",
        "Choose an output folder you may write to (--out), or have write permission given on this one",
    ),
    errno.EPERM: (
        "the operation is not permitted",
        "Choose an output folder you may write to (--out), or have write permission given on this one",
    ),
    errno.EROFS: ("it is on a read-only file system", "Choose an output folder on a writable disk (--out)"),
    errno.EFBIG: ("a file is larger than the file system allows", "Choose an output folder on another disk (--out)"),
    errno.EIO: (
        "the disk reported an input/output error",
        "Check the disk, or choose an output folder on another disk (--out)",
    ),
}


def _errno(error: OSError) -> int | None:
    """The errno of ``error``; pyarrow's OSError carries it only in its message ("[errno 28] …")."""
    if error.errno is not None:
        return error.errno
    found = re.search(r"errno (\d+)", str(error), re.IGNORECASE)
    return int(found.group(1)) if found else None


@contextlib.contextmanager
def _output_errors(folder: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        code = _errno(exc)
        if code not in _WRITE_ERRORS:
            raise
        raise OutputError(folder, exc, code) from exc


# --- readers: a set is used only when it is whole ----------------------------------------------------------


class OutputMismatchError(VillageconError):
    """A set of outputs whose files do not match the sha256 hashes of its manifest."""


def read_verified(
    folder: Path | str, *, manifest: str = "manifest.json", remedy: str = "run the command that wrote it again"
) -> tuple[dict, dict[str, bytes]]:
    """The manifest of the set in ``folder`` and the bytes of every output it lists, each checked against its
    sha256 in the manifest.

    Works on a cleaned set (``data/processed``: the current generation is read, whatever a writer does
    meanwhile) and on a report folder (``reports/2022``). A file that is missing or whose hash differs (a set
    mixed by a killed run of an older villagecon, a file edited or replaced by hand) raises
    :class:`OutputMismatchError` naming the files and what to do. The bytes returned are the bytes checked.
    """
    folder = Path(folder)
    for attempt in range(3):
        generation = _generation(folder)
        try:
            return _read_checked(folder, generation, manifest, remedy)
        except (OutputMismatchError, FileNotFoundError):
            # A writer switched generations and removed the one being read: read the new one.
            if attempt == 2 or _generation(folder) == generation:
                raise
    raise AssertionError("unreachable")


def _read_checked(folder: Path, generation: Path | None, manifest_name: str, remedy: str):
    def source(name: str) -> Path:
        path = folder / name
        if generation is not None and (_is_our_link(folder, name) or not os.path.lexists(path)):
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
    contents, problems = {}, []
    for record in manifest.get("outputs", []):
        name = record["file"]
        if Path(name).is_absolute() or ".." in Path(name).parts:
            problems.append(f"{name} is outside the folder")
            continue
        try:
            data = source(name).read_bytes()
        except FileNotFoundError:
            if generation is not None and _generation(folder) != generation:
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
    manifest: dict
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
    """
    from villagecon import paths

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
    tables |= {
        name: pd.read_csv(
            io.BytesIO(contents[f"{name}.csv"]),
            encoding="utf-8-sig",
            **({"dtype": "str", "keep_default_na": False, "na_values": [""]} if name == "rejects" else {}),
        )
        for name in CLEANED_CSVS
    }
    return ProcessedSet(folder=folder, manifest=manifest, **tables)


# --- RAW and OUT apart -------------------------------------------------------------------------------------


def check_apart(raw: Path | str, out: Path | str) -> None:
    """Refuse an output folder that is the raw data, inside it, or holds it.

    Outputs written among the raw ledgers would be read back as ledgers by the next run, and a raw folder
    is meant to stay as it was delivered.
    """
    raw_path, out_path = Path(raw).resolve(), Path(out).resolve()
    if raw_path == out_path:
        problem = f"the output folder {out} is the raw folder itself"
    elif out_path.is_relative_to(raw_path):
        problem = f"the output folder {out} is inside the raw folder {raw}"
    elif raw_path.is_relative_to(out_path):
        problem = f"the raw data {raw} are inside the output folder {out}"
    else:
        return
    raise UsageError(
        f"{problem}: outputs would land among the raw ledgers and be read back as ledgers by the next "
        "run. Choose an output folder apart from the raw data (--out), e.g. data/processed for clean "
        "and reports for report"
    )
