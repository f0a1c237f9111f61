"""One run at a time per output folder: a lock the operating system holds for the process."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from villagecon.errors import OutputBusyError

__all__ = ["output_lock"]


@contextlib.contextmanager
def output_lock(folder: Path | str, name: str = ".villagecon.lock") -> Iterator[Path]:
    """Hold ``folder/name`` locked for one run; a second run into the folder is refused, not interleaved.

    The lock is the operating system's (flock, or msvcrt on Windows): it goes with the process, so a
    run killed with SIGKILL never leaves a stale lock behind. The file names the holder's pid, for the
    message; it is removed when the run ends.

    Parameters
    ----------
    folder : path-like
        The folder (created if needed).
    name : str
        The lock file's name in it.

    Yields
    ------
    Path
        The lock file.

    Raises
    ------
    OutputBusyError
        Another process holds the lock; the message names it.
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


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: int) -> None:
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)

else:  # POSIX
    import fcntl

    def _lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


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
