"""Issue 7, concurrency: killed parents leave no children, one writer at a time,
and search answers while an ingest commits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from click.testing import CliRunner
from support.pages import event_page
from support.pdfs import make_pdf, slow_pdf
from support.processes import processes_with, wait_until_gone
from support.server import TestServer

from konfarkiv.archive.archive import Archive
from konfarkiv.cli import cli
from konfarkiv.search.query import search_archive


def start(home: Path, *args: str, marker: str = "", code: str | None = None) -> subprocess.Popen:
    """`konfarkiv` (or a python -c wrapper of it) in its own process, tagged by marker."""
    env = dict(os.environ)
    if marker:
        env["KONFARKIV_TEST_RUN"] = marker
    cmd = ([sys.executable, "-c", code, "--home", str(home), *args] if code else
           [sys.executable, "-m", "konfarkiv.cli", "--home", str(home), *args])
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def children_of_run(marker: str, main_pid: int, seconds: float) -> list[int]:
    """Wait until the run tagged by marker has a child process; return them."""
    deadline = time.monotonic() + seconds
    tag = f"KONFARKIV_TEST_RUN={marker}"
    while time.monotonic() < deadline:
        children = [p for p in processes_with(tag) if p != main_pid]
        if children:
            return children
        time.sleep(0.05)
    return []


def test_a_killed_ingest_leaves_no_pdf_extractor(server: TestServer, tmp_path: Path) -> None:
    """The pypdf child is a fork: without PR_SET_PDEATHSIG it would grind on for
    tens of seconds on this file after its parent is gone."""
    server.add_file("/files/seg.pdf", slow_pdf())
    url = server.add_file("/sida.html", event_page("Seg fil", [("/files/seg.pdf",
                                                                "Presentation (PDF)")]))
    marker = uuid.uuid4().hex
    proc = start(tmp_path, "ingest", "--pdf-time-limit", "120", url, marker=marker)
    try:
        children = children_of_run(marker, proc.pid, 30)
        assert children, "the ingest never started its PDF extractor"
        time.sleep(0.3)  # well into the slow page
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert wait_until_gone(f"KONFARKIV_TEST_RUN={marker}") == []
    finally:
        proc.kill()
        proc.communicate()


def test_a_second_writer_gets_a_clear_message(server: TestServer, tmp_path: Path) -> None:
    release = threading.Event()

    def held(h) -> None:  # the first ingest stays busy on this PDF until released
        release.wait(30)
        body = make_pdf(None, ["Äntligen framme"])
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.add_route("/files/trog.pdf", held)
    url = server.add_file("/sida.html", event_page("Lås", [("/files/trog.pdf", "Trög (PDF)")]))
    first = start(tmp_path, "ingest", url)
    try:
        deadline = time.monotonic() + 30
        while server.count("/files/trog.pdf") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.count("/files/trog.pdf") == 1
        for args in (("ingest", url), ("reindex",)):
            second = subprocess.run(
                [sys.executable, "-m", "konfarkiv.cli", "--home", str(tmp_path), *args],
                capture_output=True, text=True, timeout=60)
            assert second.returncode == 1, second
            assert (f"the archive is being written by ingest (pid {first.pid}, since "
                    in second.stderr), second.stderr
            assert "try again later or use --wait" in second.stderr
            assert "Traceback" not in second.stderr
        release.set()
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
    finally:
        release.set()
        first.kill()
        first.communicate()
    # The lock was the holder's alone: now a writer gets in at once.
    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "reindex"]).exit_code == 0


def test_search_answers_while_an_ingest_commits(server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/forsta.pdf", make_pdf(None, ["Skogsbruk och biologisk mångfald"]))
    first = server.add_file("/forsta.html", event_page(
        "Första mötet", [("/files/forsta.pdf", "Skog (PDF)")]))
    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", first]).exit_code == 0
    urls = []
    for p in range(4):  # four pages: four index commits
        server.add_file(f"/files/{p}.pdf", make_pdf(None, [f"Mötesanteckningar {p}"] * 3))
        urls.append(server.add_file(f"/sida{p}.html", event_page(
            f"Möte {p}", [(f"/files/{p}.pdf", "Presentation (PDF)")])))
    proc = start(tmp_path, "ingest", *urls)
    answers = 0
    try:
        while proc.poll() is None:
            with Archive.open(tmp_path) as archive:
                resp, note = search_archive(archive, "skogsbruk")
            assert note is None, note  # never a rebuild under a running writer
            assert resp.total == 1 and resp.results[0].hits
            answers += 1
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        proc.kill()
        proc.communicate()
    assert answers >= 3
    with Archive.open(tmp_path) as archive:
        resp, note = search_archive(archive, "mötesanteckningar")
    assert resp.total == 4 and note is None
