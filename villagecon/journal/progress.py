"""A progress bar in rows per second for the one-machine readers."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_bar"]

log = logging.getLogger(__name__)


@contextmanager
def progress_bar(total: int, *, show: bool, description: str) -> Iterator[Callable[[int], object]]:
    """A tqdm bar over rows when ``show`` (it shows rows per second), else nothing.

    Parameters
    ----------
    total : int
        Rows (or files) to go.
    show : bool
        Draw the bar on stderr.
    description : str
        Its label.

    Yields
    ------
    callable
        ``update(rows)``: advance the bar.
    """
    if not show:
        yield lambda rows: None
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, unit="rows", unit_scale=True, desc=description, file=sys.stderr) as bar:
        yield bar.update
