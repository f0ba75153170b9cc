"""A writing command that changed nothing (a quiet nightly update, an edit to the value
already held) keeps no snapshot of its own, so quiet nights never push out the snapshot
from before a harmful edit; `restore` lists which command each snapshot preceded."""

from __future__ import annotations

from pathlib import Path

from support.cli import example_archive, run


def _snapshots(home: Path) -> set[str]:
    return {p.name for p in (home / "backups").glob("catalog-2*.sqlite")}


def test_quiet_nights_keep_the_snapshot_from_before_an_edit(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "home")
    assert run(home, "edit", "event", "1", "--title", "Fel titel").exit_code == 0
    kept = _snapshots(home)
    assert len(kept) == 2  # before the ingest, before the edit

    for _ in range(4):  # four quiet nights (3 snapshots are kept)
        night = run(home, "update", "-q")
        assert night.exit_code == 0, night.output
    again = run(home, "edit", "event", "1", "--title", "Fel titel")  # the value it holds
    assert again.exit_code == 0, again.output
    assert _snapshots(home) == kept

    listed = run(home, "restore")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert "before edit" in lines[0] and "before ingest" in lines[1], lines

    done = run(home, "restore", "latest")  # brings back the title from before the edit
    assert done.exit_code == 0, done.output
    event = run(home, "show", "1")
    assert "Nätverksmöte för miljöstrateger" in event.stdout


def test_a_night_that_changed_something_keeps_its_snapshot(tmp_path: Path) -> None:
    home = example_archive(tmp_path / "home")
    before = _snapshots(home)
    assert run(home, "edit", "session", "3", "--title", "Samtal i grupp om vatten").exit_code == 0
    assert len(_snapshots(home) - before) == 1
