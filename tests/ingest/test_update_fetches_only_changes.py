"""Issue 5: `konfarkiv update` does work only where something changed (real server, no mocks).

The test server answers conditional requests with 304 and logs every request with its
status and body bytes, so "nothing was downloaded" is checked on the wire.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from click.testing import CliRunner
from support.cli import run
from support.media import film_page, webvtt
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.app import write
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import RETRY_MAX_ATTEMPTS, retry_plan
from konfarkiv.cli import cli
from konfarkiv.ingest.fetch import make_session
from konfarkiv.ingest.politeness import HostGate, PoliteFetcher
from konfarkiv.ingest.update import UpdateOptions, update

PAGE_PATH = "/dokumentation/klimatdagen.4242.html"
OLD_SLIDES = ["Klimatanpassning i kommunerna\nSkyfall och dagvatten.", "Andra sidan"]
NEW_SLIDES = ["Klimatanpassning i kommunerna\nVärmeböljor och äldreomsorg.", "Andra sidan"]
CUES = [(1.0, 4.0, "Välkomna till klimatdagen."), (30.0, 35.0, "Nu talar vi om skyfall.")]
HANG = 30  # a blocked route never holds the suite longer than this


def page(links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Klimatdagen - SKR</title></head>
<body><main>
<h1>Dokumentation: Klimatdagen</h1>
<p>En dag om klimatanpassning i kommuner och regioner.</p>
<p><strong>Klimatanpassning i praktiken</strong></p>
<p>Anna Andersson, Sveriges Kommuner och Regioner</p>
{items}
<h2>Kontakt</h2>
</main></body></html>
"""


LINKS = [("/files/klimat.pdf", "Presentation om klimat (PDF, nytt fönster)"),
         ("/files/program.pdf", "Program (PDF, nytt fönster)")]
FILM = ("/film/klimat.html", "Se film, klimatdagen, SKR (nytt fönster)")


def serve(server: TestServer, *, film: bytes | None = None) -> str:
    server.add_file("/files/klimat.pdf", make_pdf(None, OLD_SLIDES))
    server.add_file("/files/program.pdf", make_pdf(None, ["Program för klimatdagen"]))
    links = list(LINKS)
    if film is not None:
        server.add_file("/film/film.mp4", film, content_type="video/mp4")
        server.add_file("/film/klimat.vtt", webvtt(CUES), content_type="text/vtt")
        server.add_file("/film/klimat.html", film_page("Klimatdagen", "film.mp4", "klimat.vtt"))
        links.append(FILM)
    return server.add_file(PAGE_PATH, page(links))



def update_json(home: Path, *args: str) -> tuple[int, dict]:
    result = run(home, "update", "--json", "--delay", "0", *args)
    return result.exit_code, json.loads(result.stdout)


def search_text(home: Path, query: str, *args: str) -> str:
    return run(home, "search", query, *args).output


def rows(home: Path, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
    db = sqlite3.connect(home / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


# ---- the unchanged re-run ---------------------------------------------------------------

def test_unchanged_update_downloads_no_body_and_extracts_nothing(server, tiny_video, tmp_path):
    url = serve(server, film=tiny_video)
    assert run(tmp_path, "sources", "add", url).exit_code == 0
    code, first = update_json(tmp_path)
    assert code == 0, first
    assert first["tally"]["pages"]["new"] == 1
    assert first["tally"]["pdfs"]["new"] == 2 and first["tally"]["films"]["new"] == 1
    documents = rows(tmp_path, "SELECT id FROM documents")
    cues = rows(tmp_path, "SELECT rowid FROM cues ORDER BY rowid")

    server.clear_log()
    code, again = update_json(tmp_path, "-v")
    assert code == 0, again
    assert again["tally"]["pages"]["unchanged"] == 1
    assert again["tally"]["pdfs"]["unchanged"] == 2
    assert again["tally"]["films"]["skipped"] == 1  # read less often than pages
    assert again["indexed_docs"] == 0 and again["changes"] == []
    # On the wire: only conditional requests answered 304, no body at all.
    seen = server.requests
    assert {r.path for r in seen} == {PAGE_PATH, "/files/klimat.pdf", "/files/program.pdf"}
    assert all(r.status == 304 and r.body_bytes == 0 for r in seen), seen
    assert all(r.headers.get("If-None-Match") for r in seen)
    # Nothing extracted: no new document versions, captions not rewritten.
    assert rows(tmp_path, "SELECT id FROM documents") == documents
    assert rows(tmp_path, "SELECT rowid FROM cues ORDER BY rowid") == cues

    # A due film whose metadata and captions are the same is checked, not rewritten.
    code, films = update_json(tmp_path, "--film-refresh-days", "0")
    assert films["tally"]["films"]["unchanged"] == 1 and films["indexed_docs"] == 0
    assert rows(tmp_path, "SELECT rowid FROM cues ORDER BY rowid") == cues
    # Changed captions are stored again and searchable.
    server.replace_file("/film/klimat.vtt", webvtt([*CUES, (60.0, 64.0, "Tack för i dag.")]))
    code, films = update_json(tmp_path, "--film-refresh-days", "0")
    assert films["tally"]["films"]["changed"] == 1
    assert "01:00" in search_text(tmp_path, "tack")


def test_a_changed_pdf_is_a_new_version_and_the_old_one_stays(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    assert "skyfall" in search_text(tmp_path, "skyfall").lower()

    server.replace_file("/files/klimat.pdf", make_pdf(None, NEW_SLIDES))
    code, report = update_json(tmp_path)
    assert code == 0, report
    assert report["tally"]["pdfs"]["changed"] == 1 and report["tally"]["pdfs"]["unchanged"] == 1
    assert report["tally"]["pages"]["unchanged"] == 1  # the page itself answered 304

    assert "värmeböljor" in search_text(tmp_path, "värmeböljor").lower()
    assert search_text(tmp_path, "skyfall").startswith("no results")
    assert "skyfall" in search_text(tmp_path, "skyfall", "--all-versions").lower()

    versions = rows(tmp_path, "SELECT d.sha256, d.current, d.fetched_at FROM documents d "
                    "JOIN materials m ON m.id=d.material_id WHERE m.url LIKE '%klimat.pdf' "
                    "ORDER BY d.id")
    assert [v["current"] for v in versions] == [0, 1]
    assert all(v["fetched_at"] for v in versions)
    with Archive.open(tmp_path) as archive:
        old = versions[0]["sha256"]
        assert archive.store.has(old) and archive.store.hash_file(old) == old


def test_a_link_gone_from_the_page_is_withdrawn_and_leaves_the_index(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    assert "skyfall" in search_text(tmp_path, "skyfall").lower()

    server.replace_file(PAGE_PATH, page(LINKS[1:]))  # klimat.pdf no longer linked
    code, report = update_json(tmp_path)
    assert code == 0, report
    assert report["tally"]["pages"]["changed"] == 1
    assert report["tally"]["pdfs"]["withdrawn"] == 1
    gone = [c for c in report["changes"] if c["outcome"] == "withdrawn"]
    assert gone[0]["item"].endswith("/files/klimat.pdf")
    (m,) = rows(tmp_path, "SELECT status, last_seen, sha256 FROM materials "
                "WHERE url LIKE '%klimat.pdf'")
    assert m["status"] == "withdrawn" and m["last_seen"]
    assert search_text(tmp_path, "skyfall").startswith("no results")
    with Archive.open(tmp_path) as archive:  # withdrawn, not deleted
        assert archive.store.hash_file(m["sha256"]) == m["sha256"]


def test_a_page_answering_404_is_gone_not_emptied(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    server.remove(PAGE_PATH)
    code, report = update_json(tmp_path)
    assert code == 3, report  # the archivist is told, once (issue 21)
    assert report["tally"]["pages"]["gone"] == 1
    (event,) = rows(tmp_path, "SELECT status, error FROM events")
    assert event["status"] == "gone" and "404" in event["error"]
    assert "skyfall" in search_text(tmp_path, "skyfall").lower()  # still archived
    assert rows(tmp_path, "SELECT count(*) n FROM materials WHERE status='ok'")[0]["n"] == 2

    server.clear_log()
    code, report = update_json(tmp_path)  # gone pages are not asked for every night
    assert report["tally"]["pages"]["skipped"] == 1 and server.count(PAGE_PATH) == 0
    assert code == 0, report


# ---- failures across runs -----------------------------------------------------------------

def quick_update(home: Path, **opts) -> dict:
    """The library's update without HTTP retries, so a 500 fails at once."""
    with Archive.open(home) as archive:
        fetcher = PoliteFetcher(archive.store, HostGate(delay=0),
                                session=make_session(retries=0))
        report = write(archive, "update",
                       lambda a: update(a, UpdateOptions(**opts), fetcher=fetcher))
    return report.to_json()


def test_failures_wait_for_their_next_try_and_permanent_ones_for_retry_failed(server, tmp_path):
    url = serve(server)
    server.add_file("/files/klimat.pdf", "Tillfälligt fel", content_type="text/plain",
                    status=500)
    server.remove("/files/program.pdf")
    run(tmp_path, "sources", "add", url)
    report = quick_update(tmp_path)
    assert report["exit_status"] == 3 and report["tally"]["pdfs"]["failed"] == 2
    failed = {r["url"].rsplit("/", 1)[1]: r for r in rows(
        tmp_path, "SELECT url, status, error, attempts, permanent, next_try FROM materials")}
    assert failed["klimat.pdf"]["attempts"] == 1 and not failed["klimat.pdf"]["permanent"]
    assert failed["klimat.pdf"]["next_try"] and "500" in failed["klimat.pdf"]["error"]
    assert failed["program.pdf"]["permanent"] == 1 and failed["program.pdf"]["next_try"] is None

    # Mended upstream, but neither is due: the next run asks for neither.
    serve(server)
    server.clear_log()
    report = quick_update(tmp_path)
    assert report["exit_status"] == 0 and report["tally"]["pdfs"]["skipped"] == 2
    assert server.count("/files/klimat.pdf") == 0 and server.count("/files/program.pdf") == 0

    report = quick_update(tmp_path, retry_failed=True)
    assert report["exit_status"] == 0 and report["tally"]["pdfs"]["new"] == 2
    assert {r["status"] for r in rows(tmp_path, "SELECT status FROM materials")} == {"ok"}
    assert {r["attempts"] for r in rows(tmp_path, "SELECT attempts FROM materials")} == {0}


def test_a_failed_refetch_keeps_the_good_version_searchable(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    server.add_file("/files/klimat.pdf", "Tillfälligt fel", content_type="text/plain",
                    status=500)
    server.replace_file(PAGE_PATH, page([*LINKS, ("/files/ny.pdf", "Ny (PDF)")]))
    server.add_file("/files/ny.pdf", make_pdf(None, ["Ny presentation om solceller"]))
    report = quick_update(tmp_path)
    assert report["tally"]["pdfs"]["failed"] == 1 and report["tally"]["pdfs"]["new"] == 1
    (m,) = rows(tmp_path, "SELECT status, attempts FROM materials WHERE url LIKE '%klimat.pdf'")
    assert m["status"] == "ok" and m["attempts"] == 1
    assert "skyfall" in search_text(tmp_path, "skyfall").lower()
    assert "solceller" in search_text(tmp_path, "solceller").lower()


def test_transient_failures_give_up_after_a_while():
    permanent, when, _ = retry_plan(1, False, "HTTP 503")
    assert not permanent and when
    permanent, when, reason = retry_plan(RETRY_MAX_ATTEMPTS, False, "HTTP 503")
    assert permanent and when is None and "gave up" in reason
    assert retry_plan(1, True, "HTTP 404") == (True, None, "HTTP 404")


# ---- politeness -----------------------------------------------------------------------------

def test_at_most_two_requests_per_host_and_retry_after_is_honoured(server, tmp_path):
    lock = threading.Lock()
    live = {"now": 0, "max": 0}
    body = make_pdf(None, ["Solceller på taket"])

    def slow_pdf(h: BaseHTTPRequestHandler) -> None:
        with lock:
            live["now"] += 1
            live["max"] = max(live["max"], live["now"])
        server.stopping.wait(0.2)
        with lock:
            live["now"] -= 1
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    asked = []

    def busy_once(h: BaseHTTPRequestHandler) -> None:
        asked.append(1)
        if len(asked) == 1:
            h.send_response(503)
            h.send_header("Retry-After", "1")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        slow_pdf(h)

    links = []
    for n in range(5):
        server.add_route(f"/files/del{n}.pdf", slow_pdf)
        links.append((f"/files/del{n}.pdf", f"Del {n} (PDF)"))
    server.add_route("/files/upptagen.pdf", busy_once)
    links.append(("/files/upptagen.pdf", "Upptagen (PDF)"))
    url = server.add_file(PAGE_PATH, page(links))
    run(tmp_path, "sources", "add", url)
    code, report = update_json(tmp_path, "--workers", "6", "--per-host", "2")
    assert code == 0, report
    assert report["tally"]["pdfs"]["new"] == 6
    assert live["max"] == 2  # six workers, one host: two at a time
    assert len(asked) == 2  # 503 with Retry-After, then the file


# ---- one writer ------------------------------------------------------------------------------

def start_update(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "konfarkiv.cli", "--home", str(home), "update", "--delay", "0",
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def hang_page(server: TestServer) -> tuple[threading.Event, threading.Event]:
    html = page(LINKS).encode("utf-8")
    released, arrived = threading.Event(), threading.Event()

    def hang(h: BaseHTTPRequestHandler) -> None:
        arrived.set()
        released.wait(HANG)
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(html)))
        h.end_headers()
        h.wfile.write(html)

    server.add_route(PAGE_PATH, hang)
    return released, arrived


def test_two_updates_at_once_give_one_clear_lock_message(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    released, arrived = hang_page(server)
    first = start_update(tmp_path)
    try:
        assert arrived.wait(HANG), first.stderr.read() if first.poll() is not None else ""
        second = CliRunner().invoke(cli, ["--home", str(tmp_path), "update"])
        assert second.exit_code == 1
        message = second.stderr
        assert f"update (pid {first.pid}, since " in message and "--wait" in message
        assert message.count("Error") == 1
        # Readers are not writers: search answers while the update holds the lock.
        found = CliRunner().invoke(cli, ["--home", str(tmp_path), "search", "skyfall"])
        assert found.exit_code == 0 and "skyfall" in found.output.lower()
        patient = start_update(tmp_path, "--wait")  # waits for the first, then runs
    finally:
        released.set()
        out, err = first.communicate(timeout=HANG)
    assert first.returncode == 0, err
    out, err = patient.communicate(timeout=HANG)
    assert patient.returncode == 0, err


def test_a_killed_update_leaves_a_lock_the_next_run_recovers(server, tmp_path):
    url = serve(server)
    assert run(tmp_path, "ingest", url).exit_code == 0
    released, arrived = hang_page(server)
    victim = start_update(tmp_path)
    try:
        assert arrived.wait(HANG)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(HANG)
    finally:
        released.set()
    assert victim.returncode == -signal.SIGKILL
    assert (tmp_path / "writer.lock").exists()
    assert str(victim.pid) in (tmp_path / "writer.owner.json").read_text()  # stale record

    server.add_file(PAGE_PATH, page(LINKS))
    result = run(tmp_path, "update", "--delay", "0")  # the kernel dropped the dead one's flock
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "writer.owner.json").exists()
