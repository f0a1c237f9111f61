"""Shared helpers for the benchmarks/bench_*.py scripts: time, memory, results.

A benchmark script is run as ``python benchmarks/bench_<name>.py`` (``make bench``), so this
module is importable as ``harness``::

    from harness import best_of, peak_rss_of, write_results

    def parse_column(n): ...                        # module level, so a spawned process can import it

    if __name__ == "__main__":                      # required: peak_rss_of re-imports this script
        write_results("amounts", {"rows": 1_000_000,
                                  "vectorised_s": best_of(lambda: parse_column(1_000_000)),
                                  "vectorised_peak_rss_mb": peak_rss_of(parse_column, 1_000_000) / 2**20})
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Seconds taken by the fastest of `repeat` calls of ``fn()``.

    The minimum is the least disturbed by the rest of the machine; run anything that
    should not be timed (building the input, a warm-up import) before calling this.
    """
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_of(fn: Callable[..., object] | str, *args: Any) -> int:
    """Peak resident memory, in bytes, of a fresh process that calls ``fn(*args)``.

    `fn` is a module-level function (pickled by name), or a string ``"module:function"`` or
    ``"path/to/file.py:function"`` that the child imports. The child is started with
    ``multiprocessing``'s spawn method, so the figure is that of a new interpreter which
    imported what `fn` needs and then ran it (``ru_maxrss`` of the child), not of this
    process. A script that calls this must guard its own work with
    ``if __name__ == "__main__":``, because the child imports it again.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure_in_child, args=(send, fn, args))
    child.start()
    send.close()
    try:
        status, value = receive.recv()
    except EOFError:
        status, value = "error", "the child process died without a result"
    child.join()
    if status == "error":
        raise RuntimeError(f"peak_rss_of({_name_of(fn)}) failed in the child process:\n{value}")
    return value


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` (payload plus machine info) and print a table.

    The JSON has sorted keys and an indent of 2, so reruns diff line by line; the machine
    info (Python, CPU count, pandas and pyarrow versions, date) goes under ``"machine"``.
    Returns the path written.
    """
    if "machine" in payload:
        raise ValueError("payload may not use the key 'machine': write_results adds it")
    record = {**payload, "machine": machine_info()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash never leaves half a results file
    print(format_table(name, record))
    print(f"-> {path}")
    return path


def machine_info() -> dict[str, Any]:
    """What the numbers depend on: interpreter, cores, library versions, date."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def format_table(name: str, record: dict[str, Any]) -> str:
    """Two aligned columns, nested dicts flattened to dotted keys, floats to 4 significant digits."""
    rows = list(_flatten(record))
    width = max((len(key) for key, _ in rows), default=0)
    lines = [name, "-" * max(len(name), width + 12)]
    lines += [f"{key:<{width}}  {_format_value(value)}" for key, value in rows]
    return "\n".join(lines)


def _flatten(record: dict[str, Any], prefix: str = ""):
    for key in sorted(record):
        value = record[key]
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _name_of(fn: Callable[..., object] | str) -> str:
    return fn if isinstance(fn, str) else getattr(fn, "__qualname__", repr(fn))


def _resolve(fn: Callable[..., object] | str) -> Callable[..., object]:
    if not isinstance(fn, str):
        return fn
    where, _, attribute = fn.rpartition(":")
    if not where or not attribute:
        raise ValueError(f"expected 'module:function' or 'path/to/file.py:function', got {fn!r}")
    if where.endswith(".py"):
        spec = importlib.util.spec_from_file_location(Path(where).stem, where)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    return getattr(module, attribute)


def _peak_rss() -> int:
    """This process's peak resident memory in bytes.

    On Linux, ru_maxrss survives exec: a spawned child would report its parent's peak if that was
    higher. VmHWM in /proc/self/status is reset by exec, so it is the child's own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS reports bytes, Linux KiB


def _measure_in_child(send, fn: Callable[..., object] | str, args: tuple) -> None:
    try:
        _resolve(fn)(*args)
        send.send(("ok", _peak_rss()))
    except BaseException:
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
