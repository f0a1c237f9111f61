"""A set of files made visible in one atomic step: generation folders and the ``.current`` link.

A set (the tables of ``villagecon clean``, the journal tables) lives in generation folders inside the output
folder: ``OUT/.set-XXXX/`` holds one complete set, ``OUT/.current`` is a symbolic link naming the current
generation, and each file people open is a link through it (``OUT/accounts.parquet -> .current/accounts.parquet``).
A new set is written into a new generation, completed and flushed to disk, and becomes visible when
``.current`` is replaced by a link naming it: one rename(2), atomic on every POSIX file system. Before that
rename every path shows the previous set, after it the new one; no instant shows a mix.

Where the file system cannot (no symbolic links: Windows, some network shares), the files are moved one by one as
before, manifest last, and readers detect a set that is not whole by its hashes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from villagecon.outputs.atomic import fsync, settle
from villagecon.outputs.lock import output_lock
from villagecon.outputs.write_errors import output_errors

__all__ = ["current_generation", "is_our_link", "replacing_files"]

_CURRENT = ".current"
_GENERATION = ".set-"
_TEMP_LINK = ".villagecon-link"
_STAGING = ".staging-"  # sets staged by villagecon before generations (and where links cannot be made)
_READY = ".ready"


@contextlib.contextmanager
def replacing_files(folder: Path | str) -> Iterator[Path]:
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

    Parameters
    ----------
    folder : path-like
        The output folder (created if needed), e.g. ``data/processed``.

    Yields
    ------
    Path
        An empty folder inside ``folder`` to write the new set into.

    Raises
    ------
    OutputBusyError
        Another run holds the folder.
    OutputError
        The folder cannot be written (full disk, no permission, read-only).
    """
    folder = Path(folder)
    with output_errors(folder), output_lock(folder):
        _recover_staged(folder)
        if _links_work(folder):
            _drop_abandoned(folder)
            staging = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=folder))
            try:
                yield staging
                _publish(folder, staging)
            except BaseException:
                if current_generation(folder) != staging:
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


def current_generation(folder: Path) -> Path | None:
    """The generation folder ``folder/.current`` names; None when there is none.

    Parameters
    ----------
    folder : Path
        An output folder written by :func:`replacing_files`.

    Returns
    -------
    Path or None
        ``folder/.set-XXXX``, or None when ``.current`` is missing, not a link, or names no generation.
    """
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


def is_our_link(folder: Path, relative: str) -> bool:
    """Whether ``folder/relative`` is the link :func:`replacing_files` made (through ``.current``).

    Parameters
    ----------
    folder : Path
        The output folder.
    relative : str
        A file's path inside it, with ``/``.

    Returns
    -------
    bool
        False for a plain file, a missing one, or a link someone else made.
    """
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


def _switch(folder: Path, generation: Path) -> None:
    """The one step that changes what readers see: ``folder/.current`` names ``generation``."""
    _replace_link(folder / _CURRENT, generation.name)
    fsync(folder)


def _publish(folder: Path, staging: Path) -> None:
    current = current_generation(folder)
    # Files the new set replaces that are still plain files (written by a villagecon before generations, or
    # saved over the link by hand) first join a copy of the current generation and become links into it:
    # nothing anyone sees changes, and the switch below then replaces them with the rest of the set.
    plain = [name for name in _files(staging) if (folder / name).is_file() and not (folder / name).is_symlink()]
    if plain:
        adopted = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=folder))
        if current is not None:
            for name in _files(current):
                _link_or_copy(current / name, adopted / name)
        for name in plain:
            _link_or_copy(folder / name, adopted / name)
        settle(adopted)
        _switch(folder, adopted)
        if current:
            shutil.rmtree(current, ignore_errors=True)
        current = adopted
        for name in plain:
            _replace_link(folder / name, _link_text(name))
    # The files of the set this run did not write (the journal's beside clean's tables) stay in it.
    if current is not None:
        for name in _files(current):
            if not (staging / name).exists():
                _link_or_copy(current / name, staging / name)
    settle(staging)
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
                if is_our_link(folder, relative) and not (generation / relative).exists():
                    path.unlink()
                    removed = True
            elif entry.is_dir() and visit(path) and not any(path.iterdir()):
                path.rmdir()  # emptied by removing its links
                removed = True
        return removed

    visit(folder)


def _drop_abandoned(folder: Path) -> None:
    """Remove what killed or failed runs left: generations that are not current, half-made links."""
    current = current_generation(folder)
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
