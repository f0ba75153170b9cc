"""Issue 22, pagination on any path: a listing whose next page lives at another address.

Three listing pages on three different paths of one site: page 1 links to page 2 by
"Nästa sida" (and `rel=next`-less), page 2 to page 3 only by a number in a pager, page 3
links back to both. The crawl reads each once and finds all six documentation pages; a
"Nästa sida" to another host and a bare number outside a pager are not pagination.
"""

from __future__ import annotations

from pathlib import Path

from support.server import TestServer

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest.crawl import discover
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.listing import parse_listing

PATHS = {
    1: "/om-oss/dokumentation/alla.html",
    2: "/om-oss/dokumentation/alla-2.html",
    3: "/arkiv/dokumentation/page/3/",
}
DOC = "/om-oss/dokumentation/alla/"

PAGERS = {
    1: f'<p><a href="{PATHS[2]}">Nästa sida</a></p>'
       '<p><a href="https://annan.example.org/lista-2.html">Nästa sida</a></p>'
       f'<p>Se not <a href="{PATHS[3]}">3</a></p>',
    2: f'<div class="pagination"><a href="{PATHS[1]}">1</a> <span>2</span>'
       f' <a href="{PATHS[3]}">3</a></div>',
    3: f'<nav class="pager" aria-label="Sidnavigering"><a href="{PATHS[1]}">1</a>'
       f' <a href="{PATHS[2]}">2</a> <a href="{PATHS[2]}" rel="prev">« Föregående</a></nav>',
}


def listing_html(n: int) -> str:
    entries = "".join(
        f'<li><a href="{DOC}mote-{n}{k}.html">Dokumentation: Möte {n}{k}</a></li>'
        for k in (1, 2))
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>All dokumentation</title></head><body><main><h1>All dokumentation</h1>
<ul>{entries}</ul>{PAGERS[n]}</main></body></html>"""


def test_next_links_on_other_paths_are_the_listings_pages() -> None:
    base = "https://www.example.se"
    one = parse_listing(listing_html(1), base + PATHS[1])
    assert one.next_pages == (base + PATHS[2],)  # not the other host, not the footnote "3"
    two = parse_listing(listing_html(2), base + PATHS[2])
    assert set(two.next_pages) == {base + PATHS[1], base + PATHS[3]}
    three = parse_listing(listing_html(3), base + PATHS[3])
    assert set(three.next_pages) == {base + PATHS[1], base + PATHS[2]}
    assert not set(three.pages) & {base + p for p in PATHS.values()}


def test_a_listing_continuing_on_other_paths_is_crawled_to_its_end(
        server: TestServer, tmp_path: Path) -> None:
    for n, path in PATHS.items():
        server.add_file(path, listing_html(n))
        for k in (1, 2):
            server.add_file(f"{DOC}mote-{n}{k}.html", "<html><body><h1>Möte</h1></body></html>")
    server.add_file("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    found = discover(server.url(PATHS[1]), Fetcher(FileStore(tmp_path / "f", tmp_path / "t")))
    assert found.error is None
    assert [p.removeprefix(server.url("/").rstrip("/")) for p in found.listing_pages] == [
        PATHS[1], PATHS[2], PATHS[3]]
    assert sorted(p.rsplit("/", 1)[-1] for p in found.pages) == [
        f"mote-{n}{k}.html" for n in (1, 2, 3) for k in (1, 2)]
    for path in PATHS.values():
        assert server.count(path) == 1
