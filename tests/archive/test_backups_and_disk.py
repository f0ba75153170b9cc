"""Issue 26 items 12-14 and the refused-command snapshot: stray files in backups/ are never
listed, restored or counted; a refused command takes no snapshot; export never writes
through a hard link into the store; a full disk is one line, no traceback, no owner file."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import example_archive, run

STRAYS = ("catalog-foo.sqlite", "catalog-99991231T235959.000000Z.sqlite",
          "catalog-99991231T235958.000000Z.sqlite", "catalog-99991231T235957.000000Z.sqlite")


def konfarkiv(home: Path, *args: str, fsize: int | None = None,
              stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-m", "konfarkiv.cli", "--home", str(home), *args],
                          preexec_fn=limit, stdout=stdout or subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def snapshot_names(home: Path) -> set[str]:
    return {p.name for p in (home / "backups").glob("catalog-2*.sqlite")}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return example_archive(tmp_path / "home")


def plant_strays(home: Path) -> None:
    backups = home / "backups"
    (backups / STRAYS[0]).write_bytes(b"not a catalog at all")
    for name in STRAYS[1:]:
        with sqlite3.connect(backups / name) as db:  # a database, but not a catalog
            db.execute("CREATE TABLE x(y)")


def test_stray_files_in_backups_never_break_restore(home: Path) -> None:
    plant_strays(home)
    for title in ("Första", "Andra", "Tredje"):
        result = run(home, "edit", "event", "1", "--title", title)
        assert result.exit_code == 0, result.output
        assert len(snapshot_names(home)) >= 1  # its own snapshot was kept
    listed = run(home, "restore")
    assert listed.exit_code == 0 and not any(s in listed.output for s in STRAYS)
    done = run(home, "restore", "latest")
    assert done.exit_code == 0, done.output
    assert not any(s in done.output for s in STRAYS)
    assert run(home, "show", "1", "--json").exit_code == 0  # a real catalog is back
    assert "intact" in run(home, "verify").output
    for name in STRAYS:
        assert (home / "backups" / name).exists()  # never deleted either


def test_a_stray_named_snapshot_cannot_be_restored_by_name(home: Path) -> None:
    plant_strays(home)
    result = run(home, "restore", STRAYS[1])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_refused_commands_take_no_snapshot(home: Path) -> None:
    assert run(home, "edit", "event", "1", "--title", "Rättad").exit_code == 0
    before = snapshot_names(home)
    for _ in range(3):
        refused = run(home, "edit", "event", "999", "--title", "x")
        assert refused.exit_code != 0
    assert snapshot_names(home) == before


def test_export_through_a_hard_link_never_changes_the_stored_file(home: Path,
                                                                 tmp_path: Path) -> None:
    stored = next(p for p in (home / "files").rglob("*") if p.is_file())
    original = stored.read_bytes()
    link = tmp_path / "export.jsonl"
    os.link(stored, link)
    result = run(home, "export", "--jsonl", str(link))
    assert result.exit_code == 0, result.output
    assert stored.read_bytes() == original
    assert link.read_bytes() != original  # the export is there, in a file of its own
    assert "intact" in run(home, "verify").output


def test_a_full_disk_is_one_line_and_leaves_no_owner_file(home: Path) -> None:
    full = os.open("/dev/full", os.O_WRONLY)
    for args, kwargs in ((("export", "--jsonl", "/dev/full"), {}),
                         (("export", "--jsonl", "-"), {"stdout": full}),
                         (("restore", "latest"), {"fsize": 20_000})):
        result = konfarkiv(home, *args, **kwargs)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2, result.stderr
        assert not list(home.glob("*.owner.json"))
    os.close(full)
    assert "intact" in run(home, "verify").output
