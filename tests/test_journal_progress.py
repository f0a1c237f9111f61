"""villagecon.journal.progress: the progress bar of the one-machine readers."""

from __future__ import annotations

from villagecon.journal.progress import progress_bar


def test_no_bar_unless_asked(capsys):
    with progress_bar(10, show=False, description="journal") as advance:
        advance(10)
    assert capsys.readouterr().err == ""


def test_the_bar_counts_rows(capsys):
    with progress_bar(10, show=True, description="journal") as advance:
        advance(4)
        advance(6)
    err = capsys.readouterr().err
    assert "journal" in err and "10.0/10.0" in err and "rows" in err
