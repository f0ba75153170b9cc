"""Ctrl-C exits 130 at once, even while downloads hang, and loses nothing committed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.pdfs import make_pdf

from konfarkiv.cli import cli

PAGE = """<html><body><main><h1>Dokumentation: Avbrottsdagen</h1>
<p><strong>Ett pass om dagvatten</strong></p><p>Anna Ek, Malmö stad</p>
<p><a href="/snabb.pdf">Snabb presentation (PDF, nytt fönster)</a></p>
<p><a href="/hanger.pdf">Hängande presentation (PDF, nytt fönster)</a></p>
</main></body></html>"""


def _children(pid: int) -> list[int]:
    """Direct child processes of pid (Linux /proc)."""
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(k) for k in task.read_text().split()]
        except OSError:
            pass
    return kids


def _start(url: str, home: Path) -> subprocess.Popen[str]:
    """konfarkiv ingest in its own process group, as a shell runs a command."""
    return subprocess.Popen(
        [sys.executable, "-m", "konfarkiv.cli", "--home", str(home), "ingest", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait_for(what, seconds: float = 60) -> None:
    """Poll until what() is true; generous, since a loaded machine starts Python slowly."""
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.05)


def _hanging_pdf(server) -> None:
    def hang(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.end_headers()
        handler.wfile.write(b"%PDF-1.4\n")
        handler.wfile.flush()
        server.stopping.wait(60)

    server.add_route("/hanger.pdf", hang)


@pytest.mark.parametrize(("signum", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                      (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_exits_130_promptly(server, tmp_path, signum, code, word):
    _hanging_pdf(server)
    server.add_file("/snabb.pdf", make_pdf(None, ["Dagvatten i Malmö"]))
    url = server.add_file("/avbrott.html", PAGE)
    proc = _start(url, tmp_path)
    _wait_for(lambda: server.count("/hanger.pdf") == 1)
    time.sleep(0.5)  # let the fast PDF finish and commit
    os.killpg(proc.pid, signum)  # the whole group, as a terminal's Ctrl-C does
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)  # far less than the download's read timeout
    took = time.monotonic() - sent
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == word and "Traceback" not in err
    # Exit does not wait for the hanging download (held open 60 s by the server), and
    # no lock, catalog or extractor child can hold it up either:
    assert took < 15, f"{took:.1f} s after the signal"

    status = json.loads(CliRunner().invoke(cli, ["--home", str(tmp_path), "status",
                                                 "--json"]).stdout)
    assert status["events"] == 1 and status["sessions"] == 1


def test_ctrl_c_during_extraction_shows_no_child_traceback(server, tmp_path):
    _hanging_pdf(server)
    big = make_pdf(None, [f"Sida {n}: dagvatten och skyfall i kommunen " * 40
                          for n in range(400)])  # seconds of pypdf work in the child
    server.add_file("/snabb.pdf", big)
    url = server.add_file("/avbrott.html", PAGE)
    proc = _start(url, tmp_path)
    _wait_for(lambda: server.count("/snabb.pdf") == 1 and server.count("/hanger.pdf") == 1)
    _wait_for(lambda: bool(_children(proc.pid)))  # the extractor is running
    kids = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    # no "Process ForkProcess-1: Traceback … KeyboardInterrupt"; the page's own line is fine
    assert err.splitlines()[-1] == "interrupted" and "Process " not in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    _wait_for(lambda: not any(Path(f"/proc/{k}").exists() for k in kids), 10)
