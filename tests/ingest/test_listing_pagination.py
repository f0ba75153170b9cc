"""Issue 12, pagination: `ingest --follow` reads every page of a paginated listing.

Three listing pages on one path (`?page=N`) link to each other in both directions, each
page with a different kind of pager: `rel="next"`/`rel="prev"`, "Nästa sida" outside any
pager element, and bare page numbers. A numbered link to another listing's path is not
followed; a listing that links to itself forever stops at the page cap.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from click.testing import CliRunner
from support.server import TestServer

from konfarkiv.archive.store import FileStore
from konfarkiv.cli import cli
from konfarkiv.ingest.crawl import discover
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.listing import parse_listing

LISTING = "/kalender/dokumentation/alldokumentation.html"
DOC = "/kalender/dokumentation/alldokumentation/"

PAGERS = {
    1: '<p><a href="?page=2" rel="next">›</a> <a href="?page=2">Nästa sida</a></p>'
       '<p><a href="/annan/lista.html?page=2">2</a></p>',
    2: '<p><a href="alldokumentation.html?page=1" rel="prev">Föregående</a>'
       ' <a href="alldokumentation.html?page=3">Nästa sida ›</a></p>',
    3: '<ul class="sv-list"><li><a href="?page=1">1</a></li><li><a href="?page=2">2</a></li>'
       '<li>3</li></ul>',
}


def listing_html(n: int) -> str:
    entries = "".join(
        f'<li><a href="{DOC}moete{n}{k}.{n}{k}00.html">Dokumentation: Möte {n}{k}</a></li>'
        for k in (1, 2))
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>All dokumentation</title></head><body><main><h1>All dokumentation</h1>
<ul>{entries}</ul>{PAGERS[n]}</main></body></html>"""


def event_html(title: str) -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
</head><body><main><h1>Dokumentation: {title}</h1><h2>Inledning</h2>
<p>Anna Andersson, SKR</p></main></body></html>"""


def serve(server: TestServer, pages: dict[int, str]) -> str:
    def handler(h: BaseHTTPRequestHandler) -> None:
        n = int(parse_qs(urlsplit(h.path).query).get("page", ["1"])[0])
        body = pages.get(n, pages[1]).encode("utf-8")
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    for n in (1, 2, 3):
        for k in (1, 2):
            server.add_file(f"{DOC}moete{n}{k}.{n}{k}00.html", event_html(f"Möte {n}{k}"))
    server.add_file("/annan/lista.html", listing_html(1))
    server.add_file("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    return server.add_route(LISTING, handler)


def test_each_pager_kind_is_read_on_the_listings_own_path() -> None:
    base = "https://skr.se" + LISTING
    one = parse_listing(listing_html(1), base)
    assert one.next_pages == (base + "?page=2",)  # rel=next and "Nästa sida"; not /annan/
    two = parse_listing(listing_html(2), base + "?page=2")
    assert set(two.next_pages) == {base + "?page=1", base + "?page=3"}
    three = parse_listing(listing_html(3), base + "?page=3")
    assert set(three.next_pages) == {base + "?page=1", base + "?page=2"}


def test_follow_reads_all_three_pages_once_each(server: TestServer, tmp_path: Path) -> None:
    url = serve(server, {n: listing_html(n) for n in (1, 2, 3)})
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "ingest", "--follow", "--json",
                                      url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["tally"]["pages"]["new"] == 6
    listing_hits = [r.query for r in server.requests if r.path == LISTING]
    assert sorted(listing_hits) == ["", "page=2", "page=3"]  # page 1 once, though linked back
    assert server.count("/annan/lista.html") == 0


def serve_endless(server: TestServer, same_entries: bool) -> str:
    """A listing whose page N always links to page N+1."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        n = int(parse_qs(urlsplit(h.path).query).get("page", ["1"])[0])
        entry = 1 if same_entries else n
        body = (f'<html><body><main><h1>All dokumentation</h1><ul><li><a href="{DOC}m.{entry}'
                f'.html">Dokumentation {entry}</a></li></ul><a rel="next" href="?page={n + 1}">'
                '›</a></main></body></html>').encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.add_file("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    return server.add_route(LISTING, handler)


def test_a_listing_without_end_stops_at_the_page_cap(server: TestServer, tmp_path: Path) -> None:
    url = serve_endless(server, same_entries=False)
    found = discover(url, Fetcher(FileStore(tmp_path / "files", tmp_path / "tmp")), max_pages=4)
    assert len(found.listing_pages) == 4 and len(found.pages) == 4
    assert sum(1 for r in server.requests if r.path == LISTING) == 4


def test_a_pager_that_repeats_the_same_entries_is_a_loop(server: TestServer,
                                                          tmp_path: Path) -> None:
    """Page 2 showing page 1's entries again (a site ignoring ?page=) ends the crawl there."""
    url = serve_endless(server, same_entries=True)
    found = discover(url, Fetcher(FileStore(tmp_path / "files", tmp_path / "tmp")))
    assert [urlsplit(u).query for u in found.listing_pages] == ["", "page=2"]
    assert len(found.pages) == 1
