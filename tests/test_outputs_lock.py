"""villagecon.outputs.lock: one run at a time per output folder, the lock the operating system's."""

from __future__ import annotations

import fcntl
import os
import re

import pytest

from villagecon.errors import OutputBusyError, VillageconError
from villagecon.outputs.lock import output_lock


def test_the_lock_file_names_the_holder_and_goes_when_the_run_ends(tmp_path):
    folder = tmp_path / "reports" / "2022"  # made if missing
    with output_lock(folder) as lock:
        assert lock == folder / ".villagecon.lock"
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_lock_of_another_name(tmp_path):
    with output_lock(tmp_path, name=".journal.lock") as lock:
        assert sorted(p.name for p in tmp_path.iterdir()) == [".journal.lock"]
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_into_the_folder_is_refused_naming_the_first(tmp_path):
    # flock belongs to an open file, so a second opening in this very process is refused like another process.
    with output_lock(tmp_path) as lock:
        with pytest.raises(OutputBusyError) as refused, output_lock(tmp_path):
            pytest.fail("the second run got the lock")
        assert str(refused.value) == (
            f"another villagecon run (process {os.getpid()}) is writing to {tmp_path}: wait for it to finish, "
            "then run again (two runs would mix their files)"
        )
        assert isinstance(refused.value, VillageconError)
        # The refused run leaves the holder's lock alone.
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"
    with output_lock(tmp_path):
        pass  # free once the first run ends


def test_a_holder_that_wrote_no_pid_is_refused_without_one(tmp_path):
    path = tmp_path / ".villagecon.lock"
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with (
            pytest.raises(OutputBusyError, match=rf"^another villagecon run is writing to {re.escape(str(tmp_path))}:"),
            output_lock(tmp_path),
        ):
            pass
    finally:
        os.close(handle)


def test_a_lock_file_left_by_a_killed_run_does_not_block(tmp_path):
    # SIGKILL removes the process and its flock but not the file, which still names the dead run.
    (tmp_path / ".villagecon.lock").write_text("999999\nstale\n", encoding="utf-8")
    with output_lock(tmp_path) as lock:
        assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"
    assert not lock.exists()


def test_the_lock_is_released_when_the_run_fails(tmp_path):
    with pytest.raises(RuntimeError, match="the run failed"), output_lock(tmp_path) as lock:
        raise RuntimeError("the run failed")
    assert not lock.exists()
    with output_lock(tmp_path) as again:
        assert again.read_text(encoding="utf-8") == f"{os.getpid()}\n"
