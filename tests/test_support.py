"""The test kit itself works: real server semantics, real PDFs, a real video."""

from __future__ import annotations

import io
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader
from support.media import MEDIA, film_page, media_file, webvtt
from support.pdfs import encrypted_pdf, image_only_pdf, make_pdf, truncated
from support.server import TestServer

SWEDISH = "Hållbar stadsutveckling – miljöstrategiskt arbete i Västra Götaland: åäö ÅÄÖ"


def test_file_etag_and_304_without_body(server: TestServer) -> None:
    url = server.add_file("/docs/a.pdf", b"%PDF-1.4 hello")
    first = requests.get(url, timeout=5)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/pdf"
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and len(etag) > 10

    again = requests.get(url, headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag

    since = requests.get(url, headers={"If-Modified-Since": last_modified}, timeout=5)
    assert since.status_code == 304

    assert server.count("/docs/a.pdf") == 3
    assert server.bytes_sent("/docs/a.pdf") == len(b"%PDF-1.4 hello")
    assert [r.status for r in server.requests_for("/docs/a.pdf")] == [200, 304, 304]


def test_replace_file_changes_etag_and_last_modified(server: TestServer) -> None:
    url = server.add_file("/x.txt", "ett")
    old = requests.get(url, timeout=5).headers
    server.replace_file("/x.txt", "två")
    stale = requests.get(
        url,
        headers={"If-None-Match": old["ETag"]},
        timeout=5,
    )
    assert stale.status_code == 200 and stale.text == "två"
    assert stale.headers["ETag"] != old["ETag"]
    by_date = requests.get(url, headers={"If-Modified-Since": old["Last-Modified"]}, timeout=5)
    assert by_date.status_code == 200


def test_query_ignored_but_logged_head_and_remove(server: TestServer) -> None:
    server.add_file("/p.html", "<p>hej</p>")
    assert requests.get(server.url("/p.html?a=1&b=2"), timeout=5).text == "<p>hej</p>"
    head = requests.head(server.url("/p.html"), timeout=5)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == str(len("<p>hej</p>"))
    assert [r.query for r in server.requests_for("/p.html")] == ["a=1&b=2", ""]
    assert server.count("/p.html", "HEAD") == 1
    assert server.bytes_sent("/p.html") == len("<p>hej</p>")

    server.remove("/p.html")
    assert requests.get(server.url("/p.html"), timeout=5).status_code == 404
    assert requests.get(server.url("/never"), timeout=5).status_code == 404


def test_non_ascii_path_status_and_header_override(server: TestServer) -> None:
    url = server.add_file("/film/hållbar.html", "<h1>x</h1>", status=500, headers={"ETag": None})
    resp = requests.get(url, timeout=5)
    assert resp.status_code == 500 and "ETag" not in resp.headers
    assert server.count("/film/hållbar.html") == 1


def test_custom_routes_retry_after_and_redirect_loop(server: TestServer) -> None:
    calls: list[str] = []

    def busy(req: BaseHTTPRequestHandler) -> None:
        calls.append(req.headers.get("User-Agent", ""))
        req.send_response(429)
        req.send_header("Retry-After", "1")
        req.send_header("Content-Length", "0")
        req.end_headers()

    def loop(req: BaseHTTPRequestHandler) -> None:
        req.send_response(302)
        req.send_header("Location", "/loop")
        req.send_header("Content-Length", "0")
        req.end_headers()

    resp = requests.get(server.add_route("/busy", busy), headers={"User-Agent": "t"}, timeout=5)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "1" and calls == ["t"]
    with pytest.raises(requests.TooManyRedirects):
        requests.get(server.add_route("/loop", loop), timeout=5)
    assert server.count("/loop") > 5


def test_slow_route_and_hang_released_on_stop() -> None:
    srv = TestServer().start()

    def trickle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/pdf")
        req.end_headers()
        for byte in b"%PDF-":
            req.wfile.write(bytes([byte]))
            req.wfile.flush()
            time.sleep(0.05)

    def hang(req: BaseHTTPRequestHandler) -> None:
        srv.stopping.wait(30)

    srv.add_route("/slow.pdf", trickle)
    srv.add_route("/hang", hang)
    assert requests.get(srv.url("/slow.pdf"), timeout=5).content == b"%PDF-"
    assert srv.bytes_sent("/slow.pdf") == 5
    with pytest.raises(requests.Timeout):
        requests.get(srv.url("/hang"), timeout=0.3)
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 3
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", 1), timeout=0.2):
        pass


def test_add_tree_serves_a_directory(server: TestServer, tmp_path: Path) -> None:
    (tmp_path / "film").mkdir()
    (tmp_path / "index.html").write_text("<h1>Start</h1>", encoding="utf-8")
    (tmp_path / "film" / "a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    base = server.add_tree("/ex", tmp_path)
    assert base == server.url("/ex/")
    assert requests.get(base + "index.html", timeout=5).text == "<h1>Start</h1>"
    vtt = requests.get(base + "film/a.vtt", timeout=5)
    assert vtt.text == "WEBVTT\n" and vtt.headers["Content-Type"] == "text/vtt"


def test_make_pdf_round_trips_swedish(tmp_path: Path) -> None:
    pages = [SWEDISH, "Sida två " + "miljömålsarbetet " * 60]
    data = make_pdf(tmp_path / "a.pdf", pages, title="Å")
    assert data.startswith(b"%PDF-") and (tmp_path / "a.pdf").read_bytes() == data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert reader.metadata is not None and reader.metadata.title == "Å"
    assert reader.pages[0].extract_text().strip() == SWEDISH
    assert reader.pages[1].extract_text().split().count("miljömålsarbetet") == 60


def test_broken_pdfs() -> None:
    good = make_pdf(None, ["hej"])
    with pytest.raises(Exception):  # noqa: B017 - pypdf's error class varies by version
        PdfReader(io.BytesIO(truncated(good)), strict=False).pages[0].extract_text()

    locked = PdfReader(io.BytesIO(encrypted_pdf(["Hemlig sida"])))
    assert locked.is_encrypted and not locked.decrypt("")
    assert locked.decrypt("hemligt") and locked.pages[0].extract_text() == "Hemlig sida"
    open_one = PdfReader(io.BytesIO(encrypted_pdf(["Öppen sida"], user_password="")))
    assert open_one.is_encrypted and open_one.pages[0].extract_text() == "Öppen sida"

    assert PdfReader(io.BytesIO(image_only_pdf())).pages[0].extract_text().strip() == ""


MAGIC = {".mp4": b"ftyp", ".m4a": b"ftyp", ".webm": b"\x1a\x45\xdf\xa3", ".mp3": b"ID3",
         ".ogg": b"OggS"}


def test_media_fixtures_are_tiny_real_files(tiny_video: bytes) -> None:
    assert tiny_video == media_file("tiny.mp4").read_bytes()
    names = sorted(p.name for p in MEDIA.iterdir() if p.suffix != ".md")
    assert names == ["chapters.mp4", "chapters.webm", "tiny.m4a", "tiny.mp3", "tiny.mp4",
                     "tiny.ogg", "tiny.webm"]
    for name in names:
        head = media_file(name).read_bytes()[:12]
        assert MAGIC[Path(name).suffix] in head, name
        assert 1_000 < media_file(name).stat().st_size < 30_000, name
    with pytest.raises(FileNotFoundError, match="no media fixture"):
        media_file("missing.mp4")


def test_webvtt_and_film_page() -> None:
    vtt = webvtt([(0, 2.5, "Välkomna"), (252, 261.75, "hållbar stadsutveckling")])
    assert vtt.startswith("WEBVTT\n")
    assert "00:04:12.000 --> 00:04:21.750\nhållbar stadsutveckling" in vtt
    page = film_page("Hållbar <stad>", "video.mp4", "a.vtt")
    assert "<title>Hållbar &lt;stad&gt;</title>" in page and "<h1>" in page
    assert '<source src="video.mp4" type="video/mp4">' in page
    assert 'kind="captions" src="a.vtt" srclang="sv" label="Svenska"' in page
