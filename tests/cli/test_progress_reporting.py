"""Issue 14, long work is not silent: a bar on a terminal, a line per item when piped."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import EXAMPLE, example_archive, run

ITEMS = 10  # the example: its page, 3 PDFs and 6 film pages


def on_terminal(home: Path, *args: str) -> str:
    """stderr of `konfarkiv ARGS` when it is a terminal (a pty), as a user sees it."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "konfarkiv.cli", "--home", str(home), *args],
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=300) in (0, 3)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_piped_a_line_per_item_on_stderr(tmp_path):
    result = run(tmp_path, "ingest", str(EXAMPLE))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert f"ok  6 sessions  {EXAMPLE}" in lines
    assert "ok  6 pages  presentation-av-skl.pdf" in lines
    assert "ok  9 cues  hallbar-stadsutveckling.html" in lines
    assert len([x for x in lines if x.startswith("ok  ")]) == ITEMS
    assert lines[-1] == "indexing 1 events"
    assert "event: Nätverksmöte" in result.stdout  # the summary stays on stdout


def test_quiet_prints_no_progress_and_verbose_shows_unchanged_items(tmp_path):
    quiet = run(tmp_path, "ingest", "-q", str(EXAMPLE))
    # -q is for cron: nothing at all when nothing failed (issue 21)
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""
    again = run(tmp_path, "ingest", "-v", str(EXAMPLE))
    assert again.stderr.splitlines()[0] == f"same  6 sessions  {EXAMPLE}"


def test_a_bar_on_a_terminal_with_items_failed_bytes_and_indexing(tmp_path):
    err = on_terminal(tmp_path / "arkiv", "ingest", str(EXAMPLE), "htp://x.se/sida.html")
    frames = err.split("\r")
    assert any(re.search(r"^\x1b\[\?25lingest +\[#+ *\] +11/11 +1 failed, 15\.\d kB", f)
               for f in frames), frames[-6:]
    assert any("presentation-av-skl.pdf" in f for f in frames)
    assert any(f.startswith("\x1b[?25lindexing") for f in frames)
    assert "\nok  " not in err  # no per-item lines on a terminal
    assert "Error: page htp://x.se/sida.html: not an http(s) address" in err


def test_verbose_on_a_terminal_gives_lines(tmp_path):
    err = on_terminal(tmp_path / "arkiv", "ingest", "-v", str(EXAMPLE))
    assert "ok  8 pages  handbok-miljomalsarbetet.pdf" in err and "ingest  [" not in err


def test_reindex_and_export_report_progress_too(tmp_path):
    home = example_archive(tmp_path / "arkiv")
    err = on_terminal(home, "reindex")
    assert "indexing  [" in err and "1/1" in err
    assert run(home, "reindex", "-q").stderr == ""
    exported = run(home, "export", "--bagit", str(tmp_path / "bag"))
    assert exported.exit_code == 0 and "copying 16 files" in exported.stderr  # pages, PDFs, VTTs…
    assert run(home, "export", "-q", "--bagit", str(tmp_path / "bag2")).stderr == ""


@pytest.mark.parametrize("command", ["ingest", "update", "reindex", "export"])
def test_quiet_and_verbose_everywhere_and_one_workers_default(tmp_path, command):
    helptext = run(tmp_path, command, "--help").output
    assert "-q, --quiet" in helptext and "-v, --verbose" in helptext
    if command in ("ingest", "update"):
        assert re.search(r"--workers INTEGER RANGE\s+Materials fetched and extracted at once\."
                         r"\s+\[default: 4;", helptext), helptext
