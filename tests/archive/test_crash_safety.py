"""Issue 7, crashes: `konfarkiv ingest` killed with SIGKILL at random moments.

A real subprocess ingests a slow-ish local event (downloads that trickle, PDFs to
extract, a film, three index commits) and is killed at random delays, at least
20 times. After every kill the catalog is consistent, every stored file is
whole, and no process of the run survives; afterwards search works (the index
is rebuilt with a message if it has to be) and the next ingest completes the work.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.media import film_page, webvtt
from support.pdfs import make_pdf
from support.processes import wait_until_gone
from support.server import TestServer

from konfarkiv.archive.catalog import Catalog
from konfarkiv.cli import cli
from konfarkiv.search.index import index_ok

MIN_KILLS = 20
MAX_ROUNDS = 45
PAGES = 3
PDFS_PER_PAGE = 2


def konfarkiv(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The real command in its own process (SIGKILL must hit a whole program)."""
    return subprocess.Popen([sys.executable, "-m", "konfarkiv.cli", "--home", str(home), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def check_store_and_catalog(home: Path) -> None:
    """Every stored file is whole under its name; the catalog is consistent and refers
    only to stored files."""
    stored = set()
    for path in (home / "files").glob("??/??/*"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == path.name, f"half-written file {path}"
        stored.add(path.name)
    db = sqlite3.connect(home / "catalog.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        blobs = {r[0] for r in db.execute("SELECT sha256 FROM blobs")}
        assert blobs <= stored, f"catalog names missing files: {blobs - stored}"
        pages = db.execute("SELECT count(*) FROM documents d WHERE pages != "
                           "(SELECT count(*) FROM page_texts p WHERE p.document_id = d.id)")
        assert pages.fetchone()[0] == 0, "a document's page texts were half-recorded"
    finally:
        db.close()


class SlowEvent:
    """Three event pages, each with PDFs that trickle in and a film; `bump()` makes
    every PDF a new version so each run has the whole work to do again."""

    def __init__(self, server: TestServer, tiny_video: bytes) -> None:
        self.server = server
        self.version = 0
        self._cache: dict[tuple[str, int], bytes] = {}
        self.urls = []
        server.add_file("/film/video.mp4", tiny_video, content_type="video/mp4")
        server.add_file("/film/film.vtt", webvtt([(2.0, 5.0, "Vi talar om dagvattnet.")]))
        server.add_file("/film/film.html", film_page("Filmen", "video.mp4", "film.vtt"))
        for p in range(PAGES):
            links = []
            for n in range(PDFS_PER_PAGE):
                name = f"/files/sida{p}-pdf{n}.pdf"
                server.add_route(name, self._trickle(name))
                links.append(f'<p><a href="{name}">Presentation {p}.{n} (PDF)</a></p>')
            if p == 0:
                links.append('<p><a href="/film/film.html">Se film, dagvatten</a></p>')
            self.urls.append(server.add_file(f"/sida{p}.html", f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Möte {p}</title></head><body><main>
<h1>Dokumentation: Kommunmöte nummer {p}</h1>
<p>Ett möte om kommunernas klimatarbete.</p>
<p><strong>Pass {p}: Klimatet i kommunerna</strong></p>
<p>Anna Andersson, SKR</p>
{''.join(links)}
<h2>Kontakt</h2></main></body></html>"""))

    def pdf(self, name: str, version: int) -> bytes:
        key = (name, version)
        if key not in self._cache:
            self._cache[key] = make_pdf(None, [
                f"Upplaga{version} av {name}. Kommunernas klimatarbete, sida {i}. "
                + "Dagvatten och grönstruktur i den täta staden. " * 10 for i in range(4)])
        return self._cache[key]

    def bump(self) -> None:
        self.version += 1

    def _trickle(self, name: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def handler(h: BaseHTTPRequestHandler) -> None:
            body = self.pdf(name, self.version)
            h.send_response(200)
            h.send_header("Content-Type", "application/pdf")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            step = len(body) // 4 + 1
            for i in range(0, len(body), step):
                h.wfile.write(body[i:i + step])
                h.wfile.flush()
                if self.server.stopping.wait(0.03):
                    return
        return handler


def test_random_sigkills_lose_nothing(server: TestServer, tiny_video: bytes,
                                      tmp_path: Path) -> None:
    event = SlowEvent(server, tiny_video)
    home = tmp_path / "arkiv"
    marker = f"KONFARKIV_CRASH_TEST={uuid.uuid4().hex}"
    env = dict([marker.split("=", 1)])
    args = ("ingest", "--workers", "2", "--pdf-time-limit", "30", *event.urls)

    started = time.monotonic()
    first = konfarkiv(home, *args, env=env)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    full_run = time.monotonic() - started  # only to spread the kills over a run

    rng = random.Random(int(os.environ.get("KONFARKIV_CRASH_SEED", "7")))
    kills = rounds = 0
    while kills < MIN_KILLS and rounds < MAX_ROUNDS:
        rounds += 1
        event.bump()
        proc = konfarkiv(home, *args, env=env)
        time.sleep(rng.uniform(0.1, full_run))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        if proc.returncode == -signal.SIGKILL:
            kills += 1
        assert wait_until_gone(marker) == [], "a process of the killed run survived it"
        check_store_and_catalog(home)
    print(f"full run {full_run:.1f} s; {kills} kills in {rounds} rounds")
    assert kills >= MIN_KILLS, f"only {kills} of {rounds} runs were killed mid-way"

    # Search works: on the index as the kills left it, rebuilt, or caught up with the
    # events a killed run committed to the catalog but not to the index, with a message.
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "klimatarbete", "--json"])
    assert result.exit_code == 0, result.output
    if result.stderr:
        assert ("rebuilt the search index from the catalog" in result.stderr
                or "not yet in the search index" in result.stderr), result.stderr
    assert json.loads(result.stdout)["total"] >= 1
    cat = Catalog(home / "catalog.sqlite")
    try:
        assert cat.index_pending() == []  # nothing the catalog holds is missing from search
    finally:
        cat.close()

    # The next run completes the work.
    event.bump()
    final = konfarkiv(home, *args, env=env)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, out + err
    check_store_and_catalog(home)
    assert index_ok(home / "index") is None
    assert not list((home / "tmp").iterdir())
    status = json.loads(CliRunner().invoke(cli, ["--home", str(home), "status", "--json"]).stdout)
    assert status["events"] == PAGES and status["failures"] == 0
    assert status["documents"] == PAGES * PDFS_PER_PAGE and status["films"] == 1
    found = json.loads(CliRunner().invoke(
        cli, ["--home", str(home), "search", f"upplaga{event.version}", "--json"]).stdout)
    slides = [h for r in found["results"] for h in r["hits"] if h["kind"] == "slide"]
    assert len({h["url"].split("#")[0] for h in slides}) == PAGES * PDFS_PER_PAGE


# ---- a damaged index --------------------------------------------------------------------

def search_json(home: Path, query: str) -> tuple[dict, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "search", query, "--json",
                                      "--limit", "50"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_missing_segment_is_detected_and_rebuilt(server: TestServer, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An index of several segments loses one file: it is never served partially."""
    import konfarkiv.search.segments as segments

    monkeypatch.setattr(segments, "TIER", 0)  # keep each commit's segment apart: the
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 100)  # merge policy would join them
    for p in range(4):  # one index commit per ingest: several segments
        server.add_file(f"/files/{p}.pdf", make_pdf(None, [f"Skolgårdar och dagvatten {p}"]))
        url = server.add_file(f"/sida{p}.html", f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Möte {p}</title></head><body><main>
<h1>Dokumentation: Skolmöte {p}</h1><p>Om skolgårdar.</p>
<p><strong>Dagvatten på skolgården {p}</strong></p><p>Eva Ek, SKR</p>
<p><a href="/files/{p}.pdf">Presentation (PDF)</a></p><h2>Kontakt</h2></main></body></html>""")
        result = CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", url])
        assert result.exit_code == 0, result.output
    index = tmp_path / "index"
    segments = sorted(index.glob("*.seg"), key=lambda p: p.stat().st_mtime)
    assert len(segments) >= 2, "the test needs an index of several segments"
    before, note = search_json(tmp_path, "dagvatten")
    assert before["total"] == 4 and not note

    segments[-1].unlink()  # the newest segment: the rest would still open
    problem = index_ok(index)
    assert problem and "damaged" in problem and segments[-1].name in problem
    after, note = search_json(tmp_path, "dagvatten")
    assert "the search index is damaged" in note and "rebuilt the search index" in note
    assert after == before

    # reindex does the same by hand, from the catalog alone.
    server.stop()
    for seg in list(index.glob("*.seg"))[:1]:
        seg.unlink()
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "reindex"])
    assert result.exit_code == 0 and "reindexed" in result.output
    assert index_ok(index) is None
    assert search_json(tmp_path, "dagvatten") == (before, "")


def test_ingest_mends_a_damaged_index_itself(server: TestServer, tmp_path: Path) -> None:
    """A damaged index does not fail every later ingest until someone runs reindex."""
    server.add_file("/files/a.pdf", make_pdf(None, ["Cykelvägar i kommunen"]))
    url = server.add_file("/sida.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Möte</title></head><body><main><h1>Dokumentation: Cykelmöte</h1><p>Om cyklar.</p>
<p><strong>Cykelvägar</strong></p><p>Per Persson, SKR</p>
<p><a href="/files/a.pdf">Presentation (PDF)</a></p><h2>Kontakt</h2></main></body></html>""")
    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", url]).exit_code == 0
    for seg in (tmp_path / "index").glob("*.seg"):
        seg.unlink()
    again = CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", url])
    assert again.exit_code == 0, again.output
    assert index_ok(tmp_path / "index") is None
    found, note = search_json(tmp_path, "cykelvägar")
    assert found["total"] >= 1 and not note


def test_leftovers_of_a_killed_rebuild_are_cleared(server: TestServer, tmp_path: Path) -> None:
    """A rebuild killed between its two renames leaves index.new and index.old."""
    server.add_file("/files/a.pdf", make_pdf(None, ["Bredband på landsbygden"]))
    url = server.add_file("/sida.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Möte</title></head><body><main><h1>Dokumentation: Bredbandsmöte</h1><p>Om nät.</p>
<p><strong>Bredband</strong></p><p>Per Persson, SKR</p>
<p><a href="/files/a.pdf">Presentation (PDF)</a></p><h2>Kontakt</h2></main></body></html>""")
    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", url]).exit_code == 0
    index = tmp_path / "index"
    shutil.copytree(index, tmp_path / "index.new")
    index.rename(tmp_path / "index.old")
    found, note = search_json(tmp_path, "bredband")
    assert found["total"] >= 1 and "no search index yet" in note
    assert not (tmp_path / "index.old").exists() and not (tmp_path / "index.new").exists()


def test_concurrent_kill_during_rebuild_keeps_search_working(
        server: TestServer, tmp_path: Path) -> None:
    """`reindex` killed at random moments never leaves search without an answer."""
    server.add_file("/files/a.pdf", make_pdf(None, ["Vatten och avlopp"] * 40))
    url = server.add_file("/sida.html", """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Möte</title></head><body><main><h1>Dokumentation: VA-möte</h1><p>Om VA.</p>
<p><strong>Avlopp</strong></p><p>Per Persson, SKR</p>
<p><a href="/files/a.pdf">Presentation (PDF)</a></p><h2>Kontakt</h2></main></body></html>""")
    assert CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", url]).exit_code == 0
    rng = random.Random(11)
    for _ in range(4):
        proc = konfarkiv(tmp_path, "reindex")
        threading.Event().wait(rng.uniform(0.3, 1.5))
        proc.kill()
        proc.communicate(timeout=30)
        found, _ = search_json(tmp_path, "avlopp")
        assert found["total"] >= 1
