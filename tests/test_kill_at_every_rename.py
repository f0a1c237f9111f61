"""A run killed at any rename leaves the outputs whole: the previous set or the new one, never a mix.

Each scenario runs `villagecon clean` (or `report`) once under strace to count its rename system calls
(rename, renameat, renameat2: each file put in place, the switch of a set, the exchange of a report folder),
then once more for every one of them with a SIGKILL injected at exactly that call
(``strace -f -e inject=rename:signal=SIGKILL:when=N``: the process dies before the rename happens). After
each kill the folder people open must hold one whole set (every file's sha256 as its manifest says, no file
more or less) that is the previous set or the new one, and villagecon's own reader must accept it; a run
from the state the kill left must then write the new set and leave nothing behind.

To keep this quick, the runs to kill are forked from one driver process that has imported villagecon once.
strace counts calls per process, so every run is killed at the driver's fixed ``when=M``: a run to be
killed at its own N-th rename first makes M − N renames of a scratch file. Where strace is missing or cannot
trace (ptrace forbidden in a container), each forked run wraps os.rename, os.replace and the folder exchange
and kills itself at the N-th of them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from villagecon import outputs
from villagecon.cli import main
from villagecon.outputs import generations

import ledger_files as lf

SYSCALLS = ("rename", "renameat", "renameat2")

pytestmark = pytest.mark.slow  # every scenario runs villagecon once per rename it makes


@functools.cache
def strace() -> str | None:
    """The strace command when it is there and may trace here."""
    command = shutil.which("strace")
    if command is None:
        return None
    done = subprocess.run(
        [command, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename", sys.executable, "-c", "0"],
        capture_output=True,
        check=False,
    )
    return command if done.returncode == 0 else None


def environment() -> dict[str, str]:
    # No .pyc written on import: their renames would be kill points of their own.
    return {**os.environ, "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}


def count_renames(argv: list[str], tmp_path: Path) -> dict[str, int]:
    """Run villagecon ``argv`` to the end (under strace) and count its rename calls of each kind."""
    log = tmp_path / "renames.log"
    log.unlink(missing_ok=True)
    script = f"import sys\nfrom villagecon.cli import main\nsys.exit(main({argv!r}))\n"
    if strace():
        command = [
            strace(),
            "-f",
            "-qq",
            "-o",
            str(log),
            "-e",
            f"trace={','.join(SYSCALLS)}",
            sys.executable,
            "-c",
            script,
        ]
    else:
        command = [sys.executable, "-c", _HOOK.format(kill_at=None, log=str(log)) + script]
    done = subprocess.run(command, capture_output=True, text=True, env=environment(), check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if not strace():
        return {"rename": len(lines)}
    # "1234 rename(...) = 0": the call's name after the pid.
    names = [line.split(None, 1)[1].split("(", 1)[0] for line in lines if "(" in line]
    return {name: names.count(name) for name in SYSCALLS}


# Without strace: the forked run counts its renames itself and dies at the N-th.
_HOOK = """
import os, signal
import villagecon.outputs.folders
calls = []
def hooked(function):
    def call(*args, **kwargs):
        calls.append(function.__name__)
        if len(calls) == {kill_at!r}:
            os.kill(os.getpid(), signal.SIGKILL)
        if {log!r}:
            with open({log!r}, "a", encoding="utf-8") as handle:
                handle.write(function.__name__ + "\\n")
        return function(*args, **kwargs)
    return call
os.rename, os.replace = hooked(os.rename), hooked(os.replace)
villagecon.outputs.folders.exchange = hooked(villagecon.outputs.folders.exchange)
"""

# The driver: imports villagecon once, then for each kill point puts the template in place, forks the run,
# waits for it and keeps a copy of what it left. It renames nothing itself.
_DRIVER = """
import ctypes, json, os, shutil, signal, sys
from pathlib import Path
from villagecon.cli import main

argv, syscall, points, when, template, root, keep, scratch = json.loads(sys.argv[1])
root, keep, scratch = Path(root), Path(keep), Path(scratch)
libc = ctypes.CDLL(None, use_errno=True)

def pad(count):
    # `count` renames of a scratch file, each the kind of call the kill waits for.
    first, second = os.fsencode(scratch / "a"), os.fsencode(scratch / "b")
    for _ in range(count):
        if syscall == "renameat2":
            assert libc.renameat2(-100, first, -100, second, 0) == 0
        elif syscall == "renameat":
            assert libc.renameat(-100, first, -100, second) == 0
        else:
            os.rename(first, second)
        first, second = second, first

results = []
for n in points:
    shutil.rmtree(root, ignore_errors=True)
    if template:
        shutil.copytree(template, root, symlinks=True)
    (scratch / "b").unlink(missing_ok=True)
    (scratch / "a").touch()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        if when:
            pad(when - n)
        else:
            exec(HOOK.format(kill_at=n, log=None))
        os._exit(main(argv))
    _, status = os.waitpid(pid, 0)
    results.append([n, -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)])
    if root.exists():
        shutil.copytree(root, keep / f"{syscall}-{n}", symlinks=True)
print(json.dumps(results))
"""


def kill_at_each(
    argv: list[str], counts: dict[str, int], *, template: Path | None, root: Path, tmp_path: Path
) -> list[tuple[str, int, Path]]:
    """Run ``argv`` from ``template`` once per rename it makes, killed at that rename; the states left."""
    keep, scratch = tmp_path / "killed", tmp_path / "scratch"
    keep.mkdir(exist_ok=True)
    scratch.mkdir(exist_ok=True)
    states = []
    for syscall, count in counts.items():
        if not count:
            continue
        when = count if strace() else 0  # the n-th rename of a run is the driver's count-th
        job = json.dumps(
            [
                argv,
                syscall,
                list(range(1, count + 1)),
                when,
                str(template) if template else None,
                str(root),
                str(keep),
                str(scratch),
            ]
        )
        driver = f"HOOK = {_HOOK!r}\n{_DRIVER}"
        command = [sys.executable, "-c", driver, job]
        if strace():
            command = [
                strace(),
                "-f",
                "-qq",
                "-o",
                os.devnull,
                "-e",
                f"trace={syscall}",
                "-e",
                f"inject={syscall}:signal=SIGKILL:when={when}",
                *command,
            ]
        done = subprocess.run(
            command, capture_output=True, text=True, env=environment(), check=False, timeout=900
        )  # a bound on a hung run, not a measure of speed
        assert done.returncode == 0, done.stderr[-3000:]
        for n, status in json.loads(done.stdout.splitlines()[-1]):
            assert status == -signal.SIGKILL, f"the run to be killed at {syscall} #{n} ended with {status}"
            states.append((syscall, n, keep / f"{syscall}-{n}"))
    return states


# --- what people see --------------------------------------------------------------------------------------


def visible_set(folder: Path) -> bytes | None:
    """The manifest of the whole set ``folder`` shows (None when it shows nothing); fails on a set not whole.

    Only the paths people open are read (hidden names are villagecon's own), each through its link.
    """
    if not folder.exists():
        return None
    shown = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }
    if not shown:
        return None
    manifest = (folder / "manifest.json").read_bytes()
    records = json.loads(manifest)["outputs"]
    assert shown == {r["file"] for r in records} | {"manifest.json"}, "files missing or left over"
    for record in records:
        assert hashlib.sha256((folder / record["file"]).read_bytes()).hexdigest() == record["sha256"], record["file"]
    # villagecon's own reader accepts it too, and reads the same set.
    assert json.loads(manifest) == outputs.read_verified(folder)[0]
    return manifest


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.exists() else []


def assert_tidy_cleaned(out: Path) -> None:
    names = hidden(out)
    assert len(names) == 2 and names[0] == ".current" and names[1].startswith(".set-"), names
    assert os.readlink(out / ".current") == names[1]


def assert_tidy_reports(reports: Path) -> None:
    assert sorted(p.name for p in reports.iterdir()) == ["2022"]
    assert hidden(reports / "2022") == []


def check_sweep(states, *, shown_in, old: bytes | None, new: bytes, rerun, tidy) -> None:
    """Each killed state shows the previous set or the new one; a run from it writes the new one, tidily."""
    for syscall, n, state in states:
        shown = visible_set(shown_in(state))
        assert shown in (old, new), f"killed at {syscall} #{n}: neither the previous set nor the new one"
        assert old is None or shown is not None, f"killed at {syscall} #{n}: the outputs are gone"
    for _, _, state in states:
        assert main(rerun(state)) == 0
        assert visible_set(shown_in(state)) == new
        tidy(state)


# --- villagecon clean -------------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["a previous set", "plain files of an older villagecon", "nothing"])
def test_clean_killed_at_every_rename_leaves_the_previous_set_or_the_new_one(tmp_path, monkeypatch, before):
    raw, out, template = tmp_path / "raw", tmp_path / "processed", tmp_path / "template"
    raw.mkdir()
    lf.wide_xlsx(raw)
    old = None
    if before != "nothing":
        if before.startswith("plain"):  # the plain files a villagecon before generations wrote
            monkeypatch.setattr(generations, "_links_work", lambda folder: False)
        assert main(["clean", str(raw), "--out", str(template)]) == 0
        monkeypatch.undo()
        assert (template / "accounts.parquet").is_symlink() is not before.startswith("plain")
        old = (template / "manifest.json").read_bytes()
        shutil.copytree(template, out, symlinks=True)
    lf.long_csv(raw)  # the new set: two ledgers
    assert main(["clean", str(raw), "--out", str(tmp_path / "reference")]) == 0
    new = (tmp_path / "reference" / "manifest.json").read_bytes()

    argv = ["clean", str(raw), "--out", str(out)]
    counts = count_renames(argv, tmp_path)
    assert visible_set(out) == new
    assert_tidy_cleaned(out)
    # Seven files put in place in the new generation, then the switch; from plain files also the switch to
    # the previous set adopted and a link for each of its files: the sweep kills at every one.
    files = 7
    expected = files + 1 + (1 + files if before.startswith("plain") else 0)
    assert counts == ({"rename": expected, "renameat": 0, "renameat2": 0} if strace() else {"rename": expected})
    states = kill_at_each(argv, counts, template=template if old else None, root=out, tmp_path=tmp_path)
    assert len(states) == expected
    check_sweep(
        states,
        shown_in=lambda state: state,
        old=old,
        new=new,
        rerun=lambda state: ["clean", str(raw), "--out", str(state)],
        tidy=assert_tidy_cleaned,
    )


# --- villagecon report ------------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["a previous report", "nothing"])
def test_report_killed_at_every_rename_leaves_the_previous_folder_or_the_new_one(tmp_path, before):
    if not outputs.exchange_works(tmp_path):
        pytest.skip("this file system cannot exchange two folders in one step")
    raw, reports, template = tmp_path / "raw", tmp_path / "reports", tmp_path / "template"
    raw.mkdir()
    lf.wide_xlsx(raw)

    def argv(out: Path, *more: str) -> list[str]:
        return ["report", "--raw", str(raw), "--out", str(out), "--year", "2022", *more]

    template.mkdir()
    old = None
    if before != "nothing":
        assert main(argv(template)) == 0
        old = (template / "2022" / "manifest.json").read_bytes()
    shutil.copytree(template, reports, symlinks=True)
    assert main(argv(tmp_path / "reference", "--threshold", "5万")) == 0
    new = (tmp_path / "reference" / "2022" / "manifest.json").read_bytes()

    counts = count_renames(argv(reports, "--threshold", "5万"), tmp_path)
    assert visible_set(reports / "2022") == new
    assert_tidy_reports(reports)
    # One exchange of the two folders, or one rename when there was none before.
    if strace():
        assert counts == {"rename": 0 if old else 1, "renameat": 0, "renameat2": 1 if old else 0}
    else:
        assert counts == {"rename": 1}
    states = kill_at_each(
        argv(reports, "--threshold", "5万"), counts, template=template, root=reports, tmp_path=tmp_path
    )
    assert len(states) == 1
    check_sweep(
        states,
        shown_in=lambda state: state / "2022",
        old=old,
        new=new,
        rerun=lambda state: argv(state, "--threshold", "5万"),
        tidy=assert_tidy_reports,
    )
