"""The crontab line `schedule --cron` prints keeps the cron contract: a quiet night writes
nothing (no line per unchanged item in update.log, no mail); a failure is one `Error:` line
in the log and on cron's output (so cron mails it). Piped without -q, update names what
changed, not every unchanged or skipped item."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.cli import run, saved_example_archive


def _nightly(home: Path) -> subprocess.CompletedProcess[str]:
    """The printed crontab line's command, run by sh as cron runs it."""
    line = run(home, "schedule", "--cron").output.strip()
    command = line.split(" ", 5)[5].replace("\\%", "%")
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=300,
                          cwd="/")


def test_cron_line_logs_and_mails_failures_only(tmp_path: Path) -> None:
    page, home = saved_example_archive(tmp_path)
    log = home / "update.log"

    quiet = _nightly(home)
    assert quiet.stdout == "" and quiet.stderr == ""  # cron mails nothing
    assert log.read_text("utf-8") == ""

    (page.parent / "handbok-miljomalsarbetet.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all\n")
    with page.open("a", encoding="utf-8") as html:
        html.write("<!-- changed -->\n")  # a changed saved page has its files read again
    failed = _nightly(home)
    logged = log.read_text("utf-8").splitlines()
    assert len(logged) == 1 and logged[0].startswith("Error: pdf ")
    assert "handbok-miljomalsarbetet.pdf" in logged[0]
    assert failed.stdout.splitlines() == logged  # and cron mails it


def test_piped_update_names_changes_not_every_unchanged_item(tmp_path: Path) -> None:
    _, home = saved_example_archive(tmp_path)
    result = run(home, "update")
    assert result.exit_code == 0
    assert not [x for x in result.stderr.splitlines() if x.startswith(("same", "skipped"))]
    verbose = run(home, "update", "-v")
    assert any(x.startswith("same  ") for x in verbose.stderr.splitlines())
