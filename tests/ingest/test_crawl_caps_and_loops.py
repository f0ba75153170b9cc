"""Issue 26, minor list (crawl and pages): the crawl says when it stops at its cap, a listing
page is followed for at most MAX_ENTRIES_PER_LISTING entries, a listing linking itself (with
?v=, #frag or in another letter case) is not fetched over and over, and a PDF served as
text/html is no page."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

from support.cli import run
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest.crawl import MAX_ENTRIES_PER_LISTING, discover
from konfarkiv.ingest.politeness import polite_fetcher

LISTING = "/skr/dokumentation/alldokumentation.html"
DOC = "/skr/dokumentation/alldokumentation/"


def listing(entries: list[str], pager: list[str]) -> str:
    items = "".join(f'<li><a href="{u}">Dokumentation: möte</a></li>' for u in entries)
    links = " ".join(f'<a href="{u}">{n}</a>' for n, u in enumerate(pager, 2))
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>All dokumentation</title></head><body><main><h1>All dokumentation</h1>
<ul>{items}</ul><nav class="pagination" aria-label="Sidnavigering">{links}</nav>
</main></body></html>"""


def crawl(server: TestServer, tmp_path: Path, **kwargs: int):
    server.add_file("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    store = FileStore(tmp_path / "files", tmp_path / "tmp")
    return discover(server.url(LISTING), polite_fetcher(store, delay=0), **kwargs)


def test_a_listing_page_is_followed_for_at_most_its_entry_cap(server: TestServer,
                                                              tmp_path: Path) -> None:
    many = [f"{DOC}mote{i}.{10_000 + i}.html" for i in range(MAX_ENTRIES_PER_LISTING + 500)]
    server.add_file(LISTING, listing(many, []))
    found = crawl(server, tmp_path)
    assert len(found.pages) == MAX_ENTRIES_PER_LISTING
    assert any(f"more than the {MAX_ENTRIES_PER_LISTING}" in why for _, why in found.skipped)


def test_a_listing_linking_itself_is_not_fetched_over_and_over(server: TestServer,
                                                                tmp_path: Path) -> None:
    upper = LISTING.replace("alldokumentation", "AllDokumentation")
    server.add_file(LISTING, listing([f"{DOC}mote.1001.html"], [
        f"{LISTING}?v=2", f"{LISTING}#sida2", upper, f"{LISTING}?v=3&page=1"]))
    server.add_file(upper, listing([f"{DOC}mote.1001.html"], [f"{upper}?v=9"]))
    found = crawl(server, tmp_path)
    assert found.pages == [server.url(f"{DOC}mote.1001.html")]
    assert server.count(LISTING) + server.count(upper) <= 3  # was: up to 500


def test_the_crawl_says_when_it_stops_at_its_cap(server: TestServer, tmp_path: Path) -> None:
    pages = {n: listing([f"{DOC}mote{n}.{2000 + n}.html"], [f"{LISTING}?page={n + 1}"])
             for n in range(1, 8)}

    def paged(req: BaseHTTPRequestHandler) -> None:
        n = int((req.path.split("page=") + ["1"])[1] or 1)
        body = pages.get(n, listing([], [])).encode()
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    server.add_route(LISTING, paged)
    found = crawl(server, tmp_path, max_pages=3)
    assert len(found.listing_pages) == 3
    assert any("stops at 3 listing pages" in why for _, why in found.skipped)


def test_a_pdf_served_as_html_is_not_a_page(server: TestServer, tmp_path: Path) -> None:
    make_pdf(tmp_path / "s.pdf", ["<html><body>Dagvatten</body></html>"])
    body = (tmp_path / "s.pdf").read_bytes().replace(b"%PDF-1.3\n", b"%PDF-1.3\n%<html>\n", 1)
    url = server.add_file("/dok/sida.html", body, content_type="text/html")
    result = run(tmp_path / "home", "ingest", url)
    assert result.exit_code != 0
    assert "not an HTML page" in result.output
