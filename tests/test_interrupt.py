"""Ctrl-C exits 130 at once, even while downloads hang, and loses nothing committed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

from click.testing import CliRunner
from support.pdfs import make_pdf

from konfarkiv.cli import cli

PAGE = """<html><body><main><h1>Dokumentation: Avbrottsdagen</h1>
<p><strong>Ett pass om dagvatten</strong></p><p>Anna Ek, Malmö stad</p>
<p><a href="/snabb.pdf">Snabb presentation (PDF, nytt fönster)</a></p>
<p><a href="/hanger.pdf">Hängande presentation (PDF, nytt fönster)</a></p>
</main></body></html>"""


def test_ctrl_c_exits_130_promptly(server, tmp_path):
    def hang(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.end_headers()
        handler.wfile.write(b"%PDF-1.4\n")
        handler.wfile.flush()
        server.stopping.wait(60)

    server.add_file("/snabb.pdf", make_pdf(None, ["Dagvatten i Malmö"]))
    server.add_route("/hanger.pdf", hang)
    url = server.add_file("/avbrott.html", PAGE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "konfarkiv.cli", "--home", str(tmp_path), "ingest", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 30
    while server.count("/hanger.pdf") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.count("/hanger.pdf") == 1
    time.sleep(0.5)  # let the fast PDF finish and commit
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)  # far less than the download's read timeout
    assert proc.returncode == 130
    assert "interrupted" in err

    status = json.loads(CliRunner().invoke(cli, ["--home", str(tmp_path), "status",
                                                 "--json"]).stdout)
    assert status["events"] == 1 and status["sessions"] == 1
