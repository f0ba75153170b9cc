"""Issue 7, bad input: hostile pages, PDFs, films and links against a real local server.

Each bad item must end as a recorded failure whose one-line reason names it, while
the rest of the run goes on and nothing archived before is lost. Timeouts and
limits are set small per test (the library takes them), so the suite stays fast.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.media import film_page, webvtt
from support.pages import event_page
from support.pdfs import (
    bomb_pdf,
    encrypted_pdf,
    image_only_pdf,
    make_pdf,
    slow_pdf,
    truncated,
)
from support.server import TestServer

from konfarkiv.app import write
from konfarkiv.archive.archive import Archive
from konfarkiv.cli import cli
from konfarkiv.ingest.fetch import Fetcher, make_session
from konfarkiv.ingest.pdftext import extract_pdf
from konfarkiv.ingest.policy import refusal
from konfarkiv.ingest.report import RunReport
from konfarkiv.ingest.result import JobResult
from konfarkiv.ingest.run import ingest
from konfarkiv.search.query import search_archive

READ_TIMEOUT = 1.5  # above the drip interval: only the deadline can stop a drip
DEADLINE = 3.0
HANG_SECONDS = 30  # a broken client fails the test after this, never hangs the suite


# ---- helpers ---------------------------------------------------------------------------

def run_ingest(home: Path, sources: list[str], *, max_bytes: int = 50 * 1024 * 1024,
               pdf_time_limit: float = 20.0, retries: int = 1) -> RunReport:
    """The library's ingest with short limits: real requests, pypdf and yt-dlp."""
    with Archive.open(home) as archive:
        fetcher = Fetcher(archive.store, session=make_session(retries=retries, backoff=0.01),
                          timeout=(READ_TIMEOUT, READ_TIMEOUT), deadline=DEADLINE,
                          max_bytes=max_bytes)
        return write(archive, "ingest", lambda a: ingest(
            a, sources, pdf_time_limit=pdf_time_limit, fetcher=fetcher))


def failure(report: RunReport, item_end: str) -> JobResult:
    """The one failure whose item ends with item_end; its line must be one line naming it."""
    found = [r for r in report.failures if r.item.endswith(item_end)]
    assert len(found) == 1, [r.line() for r in report.failures]
    r = found[0]
    assert r.error and "\n" not in r.line() and r.item in r.line()
    return r


def succeeded(report: RunReport, item_end: str) -> JobResult:
    found = [r for r in report.results if r.item.endswith(item_end)]
    assert found and all(r.status in ("succeeded", "unchanged") for r in found), found
    return found[-1]


def catalog_rows(home: Path, sql: str, args: tuple = ()) -> list[dict]:
    with Archive.open(home) as archive:
        return [dict(r) for r in archive.catalog.all(sql, args)]


def search_kinds(home: Path, query: str) -> list[str]:
    with Archive.open(home) as archive:
        resp, _ = search_archive(archive, query)
    return [h.kind for r in resp.results for h in r.hits]


def hang(server: TestServer) -> callable:
    """A route that accepts the request and never answers (until the server stops)."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        server.stopping.wait(HANG_SECONDS)
    return handler


def drip(server: TestServer, content_type: str = "text/html") -> callable:
    """A route that sends its headers, then one byte per second."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(HANG_SECONDS):
            h.wfile.write(b"<")
            h.wfile.flush()
            if server.stopping.wait(1.0):
                return
    return handler


def redirect_to(location: str) -> callable:
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return handler


def stream_without_length(total: int, content_type: str = "application/pdf") -> callable:
    """A body of `total` bytes with no Content-Length: only reading can find the size."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.end_headers()
        block = b"%PDF-1.4\n" + b"0" * (64 * 1024 - 9)
        for _ in range(total // len(block)):
            h.wfile.write(block)
    return handler


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- pages -----------------------------------------------------------------------------

CP1252_PAGE = event_page("Nätverksmöte för miljöstrateger", [], charset="windows-1252")


def test_bad_pages_are_recorded_and_the_run_goes_on(server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/god.pdf", make_pdf(None, ["Klimatomställning och vattenfrågor"]))
    good = server.add_file("/god.html", event_page("Bra sida", [("/files/god.pdf",
                                                                 "Presentation (PDF)")]))
    server.add_file("/saknas.html", "<html><body>Finns inte</body></html>", status=404)
    server.add_file("/borta.html", "<html><body>Borttagen</body></html>", status=410)
    server.add_file("/fel.html", "<html><body>Serverfel</body></html>", status=500)
    server.add_route("/tyst.html", hang(server))
    server.add_route("/droppar.html", drip(server))
    server.add_route("/slinga.html", redirect_to("/slinga.html"))
    server.add_file("/data.json", '{"inte": "html"}', content_type="application/json")
    server.add_file("/tom.html", b"", content_type="text/html")
    big = event_page("Stor sida", [("/files/god.pdf", "Samma presentation (PDF)")]).replace(
        "<h2>Kontakt</h2>", "<p>" + "Lång text om kommunernas arbete. " * 80_000 + "</p>"
        "<h2>Kontakt</h2>")
    stor = server.add_file("/stor.html", big)
    gammal = server.add_file("/gammal.html", CP1252_PAGE.encode("cp1252"),
                             content_type="text/html")  # charset only in the page's meta
    refused = f"http://127.0.0.1:{refused_port()}/sida.html"
    sources = [server.url(p) for p in ("/saknas.html", "/borta.html", "/fel.html",
                                       "/tyst.html", "/droppar.html", "/slinga.html",
                                       "/data.json", "/tom.html")]
    report = run_ingest(tmp_path, [refused, *sources[:4], good, *sources[4:], stor, gammal])

    assert "HTTP 404" in failure(report, "/saknas.html").error
    assert "HTTP 410" in failure(report, "/borta.html").error
    assert "HTTP 500" in failure(report, "/fel.html").error
    assert failure(report, "/sida.html").error == "connection refused"
    assert failure(report, "/tyst.html").error == f"no answer within {READ_TIMEOUT:g} s"
    assert failure(report, "/droppar.html").error == f"download took longer than {DEADLINE:g} s"
    assert "redirect loop" in failure(report, "/slinga.html").error
    assert "not an HTML page (Content-Type application/json)" in failure(
        report, "/data.json").error
    assert failure(report, "/tom.html").error == "empty page"
    assert len(report.failures) == 9

    # The rest of the run went on: the good page, its PDF, the big and the old page.
    succeeded(report, "/god.html")
    succeeded(report, "/files/god.pdf")
    succeeded(report, "/stor.html")
    succeeded(report, "/gammal.html")
    titles = {r["title"] for r in catalog_rows(tmp_path, "SELECT title FROM events")}
    assert titles == {"Bra sida", "Stor sida", "Nätverksmöte för miljöstrateger"}
    assert "slide" in search_kinds(tmp_path, "vattenfrågor")
    # A page that failed on its first ingest is not kept as a source (issue 14): update
    # would retry a typo forever. The reasons are in the report above.
    kept = {r["url"] for r in catalog_rows(tmp_path, "SELECT url FROM sources")}
    assert kept == {good, stor, gammal}
    assert not list((tmp_path / "tmp").iterdir())  # no download left half-done


def test_legacy_encoding_from_the_http_header(server: TestServer, tmp_path: Path) -> None:
    """windows-1252 declared only by the server, not in the page."""
    body = CP1252_PAGE.replace('<meta charset="windows-1252">', "").encode("cp1252")
    url = server.add_file("/latin.html", body, content_type="text/html; charset=windows-1252")
    report = run_ingest(tmp_path, [url])
    assert not report.failures
    assert report.events[0]["title"] == "Nätverksmöte för miljöstrateger"


def test_a_failing_page_loses_nothing_archived(server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/a.pdf", make_pdf(None, ["Grönstruktur i staden", "Dagvatten"]))
    server.add_file("/files/b.pdf", make_pdf(None, ["Cirkulär ekonomi"]))
    links = [("/files/a.pdf", "Grönstruktur (PDF)"), ("/files/b.pdf", "Ekonomi (PDF)")]
    url = server.add_file("/sida.html", event_page("Möte om grönstruktur", links))
    assert not run_ingest(tmp_path, [url]).failures
    before = catalog_rows(tmp_path, "SELECT id, sha256, outcome FROM documents")

    # Next night the page answers 500, then it hangs; then its PDFs turn bad.
    server.add_file("/sida.html", "<html><body>Fel</body></html>", status=500)
    assert "HTTP 500" in failure(run_ingest(tmp_path, [url]), "/sida.html").error
    server.add_route("/sida.html", hang(server))
    assert "no answer" in failure(run_ingest(tmp_path, [url]), "/sida.html").error
    server.add_file("/sida.html", event_page("Möte om grönstruktur", links))
    server.add_file("/files/a.pdf", truncated(make_pdf(None, ["Annat innehåll"] * 3)))
    server.add_file("/files/b.pdf", "<html><body>Inloggning</body></html>",
                    content_type="text/html")
    report = run_ingest(tmp_path, [url])
    assert {r.item.rsplit("/", 1)[-1] for r in report.failures} == {"a.pdf", "b.pdf"}

    assert catalog_rows(tmp_path, "SELECT id, sha256, outcome FROM documents") == before
    assert len(catalog_rows(tmp_path, "SELECT * FROM events WHERE status='ok'")) == 1
    assert "slide" in search_kinds(tmp_path, "dagvatten")
    assert "slide" in search_kinds(tmp_path, "cirkulär")


# ---- PDFs ------------------------------------------------------------------------------

CAP = 2 * 1024 * 1024


def test_bad_pdfs_are_recorded_and_good_ones_kept(server: TestServer, tmp_path: Path) -> None:
    files = {
        "bra.pdf": make_pdf(None, ["Klimatanpassning i kommunerna", "Andra sidan"]),
        "tom-losen.pdf": encrypted_pdf(["Öppnas utan lösenord"], user_password=""),
        "html.pdf": "<!DOCTYPE html><html><body>Sidan finns inte</body></html>",
        "trasig.pdf": truncated(make_pdf(None, ["Trasig fil"] * 4), keep=0.4),
        "losen.pdf": encrypted_pdf(["Hemlig text"]),
        "bomb.pdf": bomb_pdf(),
        "stor.pdf": b"%PDF-1.4\n" + b"0" * (CAP + 1),
        "skannad.pdf": image_only_pdf(),
        "seg.pdf": slow_pdf(),
    }
    for name, body in files.items():
        ctype = "text/html" if name == "html.pdf" else "application/pdf"
        server.add_file(f"/files/{name}", body, content_type=ctype)
    server.add_route("/files/strom.pdf", stream_without_length(64 * CAP))
    links = [(f"/files/{name}", f"Presentation {name} (PDF)") for name in
             [*files, "strom.pdf"]]
    url = server.add_file("/sida.html", event_page("PDF-prov", links))
    report = run_ingest(tmp_path, [url], max_bytes=CAP, pdf_time_limit=3.0)

    assert "an HTML page instead of a PDF" in failure(report, "html.pdf").error
    assert "not a readable PDF" in failure(report, "trasig.pdf").error
    assert "needs a password" in failure(report, "losen.pdf").error
    bomb = failure(report, "bomb.pdf").error
    assert "page 2: decompression limit reached" in bomb and "partial text" in bomb
    assert f"over the size cap of {CAP} bytes" in failure(report, "/stor.pdf").error
    assert f"larger than the size cap of {CAP} bytes" in failure(report, "strom.pdf").error
    seg = failure(report, "seg.pdf").error
    assert "partial text: extraction stopped at the 3 s limit after 2 of 4 pages" in seg
    assert len(report.failures) == 7
    succeeded(report, "bra.pdf")
    succeeded(report, "tom-losen.pdf")
    assert succeeded(report, "skannad.pdf").detail["outcome"] == "no_text"

    # Reading stopped at the cap: the server could not push the whole stream.
    assert server.bytes_sent("/files/strom.pdf") < 32 * CAP

    status = {r["url"].rsplit("/", 1)[-1]: r for r in catalog_rows(
        tmp_path, "SELECT m.url, m.status, m.error, d.outcome, d.pages FROM materials m "
        "LEFT JOIN documents d ON d.material_id = m.id AND d.current = 1")}
    assert status["skannad.pdf"]["status"] == "no_text" and not status["skannad.pdf"]["error"]
    assert status["skannad.pdf"]["outcome"] == "no_text"
    for name in ("html.pdf", "trasig.pdf", "losen.pdf", "stor.pdf", "strom.pdf"):
        assert status[name]["status"] == "failed" and status[name]["error"], name
    # Partial files keep the pages they gave, searchable, with the reason on record.
    for name in ("bomb.pdf", "seg.pdf"):
        assert status[name]["outcome"] == "partial" and "partial" in status[name]["error"]
    assert "slide" in search_kinds(tmp_path, "vattenfragor")  # page 1 of seg.pdf
    assert "slide" in search_kinds(tmp_path, "klimatet")  # page 3 of bomb.pdf
    assert "slide" in search_kinds(tmp_path, "klimatanpassning")
    assert not list((tmp_path / "tmp").iterdir())


def test_decompression_bomb_is_cheap(tmp_path: Path) -> None:
    """A page inflating to 60 MB is cut at the lowered cap: the child stays small
    (pypdf's own 75 MB cap lets it grow past 150 MB and take many seconds)."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb_pdf())
    x = extract_pdf(path, time_limit=30)
    assert x.outcome == "partial" and x.page_count == 3
    assert x.pages[0] == "Forsta sidan om kommunerna" and x.pages[2] == "Tredje sidan om klimatet"
    assert "decompression limit" in (x.error or "")
    # Peak memory of the child, whatever the parent weighed when it forked.
    import resource

    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert x.peak_rss_kb - parent_kb < 100 * 1024


# ---- films -----------------------------------------------------------------------------

def test_bad_films_are_recorded(server: TestServer, tmp_path: Path, tiny_video: bytes) -> None:
    server.add_file("/film/video.mp4", tiny_video, content_type="video/mp4")
    server.add_file("/film/bra.vtt", webvtt([(1.0, 3.0, "Välkomna till passet om dagvatten.")]))
    server.add_file("/film/bra.html", film_page("Bra film", "video.mp4", "bra.vtt"))
    server.add_file("/film/ingen.html", "<html><head><title>Ingen film</title></head>"
                    "<body><p>Filmen kommer senare.</p></body></html>")
    server.add_file("/film/srt.vtt", "1\nDetta är inte WebVTT\n", content_type="text/vtt")
    server.add_file("/film/fel-text.html", film_page("Fel textning", "video.mp4", "srt.vtt"))
    server.add_route("/film/tyst.vtt", hang(server))
    server.add_file("/film/tyst-text.html", film_page("Tyst textning", "video.mp4", "tyst.vtt"))
    links = [("/film/bra.html", "Se film, bra"), ("/film/ingen.html", "Se film, ingen"),
             ("/film/saknas.html", "Se film, saknas"),
             ("/film/fel-text.html", "Se film, fel text"),
             ("/film/tyst-text.html", "Se film, tyst text"),
             ("rtmp://127.0.0.1/live/strom", "Se film, direktsändning")]
    url = server.add_file("/sida.html", event_page("Filmprov", links))
    report = run_ingest(tmp_path, [url])

    succeeded(report, "/film/bra.html")
    assert "no video found on the page" in failure(report, "/film/ingen.html").error
    assert "HTTP 404" in failure(report, "/film/saknas.html").error
    assert failure(report, "/film/fel-text.html").error == (
        f"captions {server.url('/film/srt.vtt')}: not WebVTT (no WEBVTT header)")
    assert failure(report, "/film/tyst-text.html").error == (
        f"captions {server.url('/film/tyst.vtt')}: no answer within {READ_TIMEOUT:g} s")
    assert "only http(s) links are followed, not rtmp:" in failure(
        report, "rtmp://127.0.0.1/live/strom").error
    assert len(report.failures) == 5

    films = {r["url"].rsplit("/", 1)[-1]: r for r in catalog_rows(
        tmp_path, "SELECT m.url, f.title, f.captions_sha256 FROM films f "
        "JOIN materials m ON m.id = f.material_id")}
    # A film whose captions failed is still archived, without captions.
    assert set(films) == {"bra.html", "fel-text.html", "tyst-text.html"}
    assert films["fel-text.html"]["captions_sha256"] is None
    assert "caption" in search_kinds(tmp_path, "dagvatten")


# ---- archive input ---------------------------------------------------------------------

def test_local_path_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    folder = tmp_path / "sparade sidor" / "möte på Åland"
    (folder / "bilder och filer").mkdir(parents=True)
    make_pdf(folder / "bilder och filer" / "presentation ö 1.pdf", ["Skärgårdens vatten"])
    page = folder / "sida med å.html"
    page.write_text(event_page("Möte på Åland", [("bilder%20och%20filer/presentation%20"
                                                  "%C3%B6%201.pdf", "Presentation (PDF)")]),
                    encoding="utf-8")
    home = tmp_path / "arkiv med mellanslag åäö"
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--json", str(page)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["pdf"] == {"succeeded": 1}
    assert "slide" in search_kinds(home, "skärgårdens")


def test_url_with_query_and_fragment(server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/bilder.pdf", make_pdf(None, ["Första", "Andra sidan om skogen"]))
    links = [("/files/bilder.pdf?ladda=1#page=2", "Bilder (PDF)")]
    server.add_file("/sida.html", event_page("Möte om skog", links))
    url = server.url("/sida.html?id=3712&sv=1#program")
    report = run_ingest(tmp_path, [url])
    assert not report.failures, [r.line() for r in report.failures]
    [req] = server.requests_for("/sida.html")
    assert req.query == "id=3712&sv=1"  # the fragment never goes on the wire
    assert server.requests_for("/files/bilder.pdf")[0].query == "ladda=1"
    assert "slide" in search_kinds(tmp_path, "skogen")


@pytest.fixture
def private_listener() -> Iterator[tuple[int, list[str]]]:
    """A socket on 127.0.0.2 (another loopback host) that records any connection."""
    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    sock.listen(8)
    sock.settimeout(0.1)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = sock.accept()
            except OSError:
                continue
            seen.append(addr[0])
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(2)
        sock.close()


def test_remote_page_may_not_lead_to_local_or_private_places(
        server: TestServer, tmp_path: Path, private_listener: tuple[int, list[str]]) -> None:
    port, connections = private_listener
    secret = tmp_path / "hemlig.pdf"
    make_pdf(secret, ["Hemligt innehåll"])
    server.add_file("/files/ok.pdf", make_pdf(None, ["Öppet material om skolan"]))
    server.add_route("/files/vidare.pdf", redirect_to(f"http://127.0.0.2:{port}/x.pdf"))
    server.add_route("/files/fil.pdf", redirect_to(secret.as_uri()))
    links = [("/files/ok.pdf", "Öppen (PDF)"),
             (secret.as_uri(), "Lokal fil (PDF)"),
             ("ftp://127.0.0.1/pub/program.pdf", "Program via ftp (PDF)"),
             (f"http://127.0.0.2:{port}/intern.pdf", "Intern (PDF)"),
             (f"http://localhost:{server.port}/files/ok2.pdf", "Via localhost (PDF)"),
             ("/files/vidare.pdf", "Omdirigerad (PDF)"),
             ("/files/fil.pdf", "Omdirigerad till fil (PDF)")]
    url = server.add_file("/sida.html", event_page("Policyprov", links))
    report = run_ingest(tmp_path, [url])

    assert "a remote page may not lead to a local file" in failure(report, "hemlig.pdf").error
    assert "not ftp:" in failure(report, "program.pdf").error
    assert "private or loopback" in failure(report, "intern.pdf").error
    assert "private or loopback" in failure(report, "ok2.pdf").error
    vidare = failure(report, "vidare.pdf").error
    assert vidare.startswith(f"redirect to http://127.0.0.2:{port}/x.pdf refused")
    assert "local file" in failure(report, "fil.pdf").error
    assert len(report.failures) == 6
    succeeded(report, "/files/ok.pdf")
    assert connections == []  # refused before any connection was made
    assert server.count("/files/ok2.pdf") == 0
    with Archive.open(tmp_path) as archive:  # the local file was never read into the store
        assert all("Hemligt" not in r["text"] for r in archive.catalog.all(
            "SELECT text FROM page_texts"))


@pytest.mark.parametrize("link", [
    "http://10.0.0.1/a.pdf", "http://192.168.1.10/a.pdf", "http://169.254.169.254/latest",
    "http://[::1]/a.pdf", "http://127.0.0.2/a.pdf", "file:///etc/passwd", "ftp://example.org/a",
    "javascript:alert(1)", "http:///no-host",
])
def test_policy_refuses_without_connecting(link: str) -> None:
    """IP literals resolve locally: no packet leaves for any of these."""
    assert refusal(link, "https://skr.se/dokumentation.3712.html")


def test_policy_allows_the_pages_own_host_and_saved_pages() -> None:
    assert refusal("http://127.0.0.1:8000/f.pdf", "http://127.0.0.1:8000/sida.html") is None
    assert refusal("file:///tmp/a/b.pdf", "file:///tmp/a/sida.html") is None
