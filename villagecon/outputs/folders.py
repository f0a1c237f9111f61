"""A report folder put in the place of the previous one in one atomic step (an exchange of two folders).

A report folder (``OUT/2022``) belongs to villagecon whole: it is built beside its place and exchanged with the
previous folder in one renameat2(RENAME_EXCHANGE) (renamex_np(RENAME_SWAP) on macOS), or renamed into place when
there is none.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from villagecon.outputs.atomic import fsync, settle
from villagecon.outputs.lock import output_lock
from villagecon.outputs.write_errors import output_errors

__all__ = ["exchange", "exchange_works", "replacing_folder"]


@contextlib.contextmanager
def replacing_folder(final: Path | str) -> Iterator[Path]:
    """Build a folder beside ``final`` and put it in the place of ``final`` in one atomic step on success.

    The new folder is exchanged with the previous one in a single renameat2(RENAME_EXCHANGE) (renamex_np
    on macOS), or renamed into place when there is none: ``final`` is the whole old folder or the whole new
    one at every instant, even if the process is killed. The previous folder is removed after. Under
    :func:`output_lock` in the parent folder, so two runs cannot swap at once. A run killed while building
    leaves ``final`` as it was; what it left beside it is removed by the next run. Where the file system
    cannot exchange two folders (Windows, some network shares), the swap takes two renames, and a run killed
    between them is repaired by the next run, which puts the previous folder back first. OSError from
    writing becomes :class:`OutputError`.

    Parameters
    ----------
    final : path-like
        The folder to replace (or create), e.g. ``reports/2022``.

    Yields
    ------
    Path
        An empty folder beside ``final`` to build the new one in.

    Raises
    ------
    OutputBusyError
        Another run is replacing the same folder.
    OutputError
        The parent folder cannot be written.
    """
    final = Path(final)
    parent = final.parent
    with output_errors(parent), output_lock(parent, f".{final.name}.lock"):
        _recover_folder(final)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=parent))
        try:
            yield staging
            settle(staging)
            if not os.path.lexists(final):
                os.rename(staging, final)
            elif exchange(staging, final):
                shutil.rmtree(staging, ignore_errors=True)  # the previous folder, now out of sight
            else:
                old = final.with_name(f".{final.name}.old-{os.getpid()}")
                final.rename(old)
                staging.rename(final)
                shutil.rmtree(old, ignore_errors=True)
            fsync(parent)
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

    Linux: renameat2(…, RENAME_EXCHANGE); macOS: renamex_np(…, RENAME_SWAP).

    Parameters
    ----------
    first, second : Path
        Two existing paths on one file system.

    Returns
    -------
    bool
        True when they were exchanged; False when the system or the file system has no such call.

    Raises
    ------
    OSError
        Any other failure of the call (a missing path, no permission).
    """
    libc = _libc()
    swap = getattr(libc, "renameat2", None) if libc is not None else None
    if swap is not None:
        result = swap(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    elif libc is not None and getattr(libc, "renamex_np", None) is not None:
        result = libc.renamex_np(os.fsencode(first), os.fsencode(second), _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def exchange_works(folder: Path | str) -> bool:
    """Whether two folders in ``folder`` can be exchanged in one step (:func:`exchange`).

    Parameters
    ----------
    folder : path-like
        An existing folder; two empty folders are made in it and removed.

    Returns
    -------
    bool
    """
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
def _libc() -> ctypes.CDLL | None:
    if sys.platform.startswith(("linux", "darwin")):
        with contextlib.suppress(OSError):
            return ctypes.CDLL(None, use_errno=True)
    return None
