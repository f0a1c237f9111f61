"""Files that are complete or absent: written beside their place, flushed, then renamed into it.

:func:`write_atomic` is the one way villagecon writes a file; :func:`settle` and :func:`fsync` make a folder
readable by everyone and durable before it is switched in (:mod:`villagecon.outputs.generations`,
:mod:`villagecon.outputs.folders`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["current_umask", "fsync", "settle", "write_atomic"]


def write_atomic(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Write a file through ``write(temp_path)`` then rename it into place.

    A crash mid-write leaves the previous file complete; readers never see half a file.

    Parameters
    ----------
    path : path-like
        The file to write; its folder is created if needed.
    write : callable
        Called with a temporary path beside ``path`` and writes the whole file there.

    Returns
    -------
    Path
        ``path``, now holding what ``write`` wrote, with the mode any new file gets (0644 under umask 022).

    Raises
    ------
    BaseException
        Whatever ``write`` raises; the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        # mkstemp makes the file private (0600); the output gets the mode any new file would (0644 under umask 022).
        os.chmod(temp, 0o666 & ~current_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def current_umask() -> int:
    """The process's umask (it can only be read by setting it, so it is set and put back at once).

    Returns
    -------
    int
        The umask, e.g. ``0o022``.
    """
    mask = os.umask(0o022)  # the only way to read it is to set it; put back at once
    os.umask(mask)
    return mask


def settle(generation: Path) -> None:
    """Let everyone read ``generation`` (mkdtemp makes it private) and flush it to disk before it is switched to.

    Parameters
    ----------
    generation : Path
        A folder just written; its folders get the mode any new folder gets, its files and folders are synced.
    """
    mode = 0o777 & ~current_umask()
    for directory, _, names in os.walk(generation):
        os.chmod(directory, mode)
        for name in names:
            fsync(Path(directory, name))
        fsync(Path(directory))


def fsync(path: Path) -> None:
    """Flush ``path`` (a file or, on POSIX, a folder) to disk; where the system cannot, do nothing.

    Parameters
    ----------
    path : Path
        The file or folder.
    """
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
