"""OSError from writing (a full disk, no permission, a read-only file system) as a message that says what to do."""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterator
from pathlib import Path

from villagecon.errors import OutputError

__all__ = ["WRITE_ERRORS", "output_errors"]

# What each errno means to the user, and what to do about it.
WRITE_ERRORS: dict[int, tuple[str, str]] = {
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
def output_errors(folder: Path) -> Iterator[None]:
    """Turn an OSError of :data:`WRITE_ERRORS` raised in the block into an :class:`~villagecon.errors.OutputError`.

    Parameters
    ----------
    folder : Path
        The output folder the message names.

    Yields
    ------
    None

    Raises
    ------
    OutputError
        For a full disk, a used-up quota, no permission, a read-only file system, a file too large, a disk error.
    """
    try:
        yield
    except OSError as exc:
        code = _errno(exc)
        if code not in WRITE_ERRORS:
            raise
        raise OutputError(folder, code, *WRITE_ERRORS[code]) from exc
