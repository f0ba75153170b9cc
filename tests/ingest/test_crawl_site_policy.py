"""Issue 26 item 6: the crawler decides "the same site" by origin (scheme, host, port) with
named aliases only, and every pagination link and listed page passes the address policy."""

from __future__ import annotations

from pathlib import Path

from support.server import TestServer

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest.crawl import crawl_refusal, discover, same_site
from konfarkiv.ingest.politeness import polite_fetcher

LISTING = "/skr/dokumentation/alldokumentation.html"


def listing_with(server: TestServer, pages: list[str], pager: str) -> str:
    """A listing on server linking `pages` and, in its pager, `pager`; its URL."""
    items = "".join(f'<li><a href="{u}">Dokumentation: möte</a></li>' for u in pages)
    server.add_file("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    return server.add_file(LISTING, f"""<!DOCTYPE html><html lang="sv"><head>
<meta charset="utf-8"><title>All dokumentation</title></head><body><main>
<h1>All dokumentation</h1><ul>{items}</ul>
<nav class="pagination" aria-label="Sidnavigering"><a href="{pager}">2</a></nav>
</main></body></html>""")


def test_unrelated_hosts_are_not_one_site_by_their_last_labels() -> None:
    assert not same_site("http://10.0.0.1/dokumentation/a.1.html", "http://192.168.0.1/b")
    assert not same_site("https://intranet.skr.se/dokumentation/a.1.html",
                         "https://skr.se/skr/alldokumentation.html")
    assert not same_site("https://skr.se.example.org/a.1.html", "https://skr.se/a")
    assert not same_site("http://skr.se/a.1.html", "https://skr.se/a")  # another scheme
    assert not same_site("https://skr.se:8443/a.1.html", "https://skr.se/a")  # another port
    assert same_site("https://skr.se:443/a.1.html", "https://www.skr.se/a")
    assert same_site("https://skl.se/a/x.1.html", "https://skr.se/skr/alldokumentation.html")


def test_a_public_listing_may_not_lead_to_a_private_address() -> None:
    listing = "http://93.184.216.34/dokumentation/alla.html"  # a public address, no DNS
    assert crawl_refusal("http://93.184.216.34/dokumentation/x.1.html", listing) is None
    assert crawl_refusal("http://10.0.0.1/dokumentation/x.1.html", listing)
    assert crawl_refusal("http://127.0.0.1/dokumentation/x.1.html", listing)


def test_pagination_and_pages_elsewhere_are_skipped_unfetched(server: TestServer,
                                                              tmp_path: Path) -> None:
    other = TestServer().start()  # another port on loopback: another service
    try:
        elsewhere = other.url("/skr/dokumentation/alldokumentation/hemligt.2002.html")
        pager = other.url("/skr/dokumentation/alldokumentation.html?page=2")
        url = listing_with(server, [elsewhere], pager)
        store = FileStore(tmp_path / "files", tmp_path / "tmp")
        found = discover(url, polite_fetcher(store))
        skipped = dict(found.skipped)
        assert elsewhere in skipped and pager in skipped
        assert other.requests == []
    finally:
        other.stop()
