"""Issue 3, crawling: `ingest --follow` reads a listing and its pagination, each page once.

The two host names of the one test server (127.0.0.1 and localhost) play the parts of
skr.se and skl.se: the same page under two hosts has one numeric id before ".html".
"""

from __future__ import annotations

import json
import sqlite3
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.cli import run
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.ingest.crawl import same_site, site_of

LISTING = "/skr/dokumentation/alldokumentation.html"
DOC = "/skr/dokumentation/alldokumentation/"


def event(title: str, pdf: str | None = None) -> str:
    link = f'<p><a href="{pdf}">Presentation (PDF, nytt fönster)</a></p>' if pdf else ""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>{title} - SKR</title></head><body><main>
<h1>Dokumentation: {title}</h1>
<p>Presentationer och filmer från dagen.</p>
<p><strong>Inledning om {title.lower()}</strong></p>
<p>Anna Andersson, SKR</p>
{link}
</main></body></html>"""


def listing(entries: list[tuple[str, str]], pager: str) -> str:
    items = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in entries)
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>All dokumentation - SKR</title></head><body>
<header><nav><a href="/skr/dokumentation.html">Dokumentation</a></nav></header>
<main><h1>All dokumentation</h1><ul>{items}</ul>
<nav class="pagination" aria-label="Sidnavigering">{pager}</nav></main></body></html>"""


def serve_listing(server: TestServer, extra: list[tuple[str, str]] = ()) -> str:
    alias = f"http://localhost:{server.port}"
    pages = {
        1: listing([
            (f"{DOC}klimatdagen.1001.html", "Dokumentation: Klimatdagen"),
            (f"{alias}{DOC}kulturkonferens.1002.html?utm_source=nyhetsbrev&utm_medium=e",
             "Dokumentation: Kulturkonferens"),
            ("http://example.org/dokumentation/annan.9999.html", "Dokumentation: annan sajt"),
        ], '<span>1</span> <a href="alldokumentation.html?page=2">2</a>'),
        2: listing([
            (f"{alias}{DOC}klimatdagen.1001.html", "Dokumentation: Klimatdagen"),
            (f"{DOC}kulturkonferens.1002.html?utm_campaign=vår", "Dokumentation: Kulturkonferens"),
            (f"{DOC}demokratidagen.1003.html", "Dokumentation: Demokratidagen"),
            ("/privat/dokumentation/internt.1004.html", "Dokumentation: internt"),
            *extra,
        ], '<a href="alldokumentation.html" rel="prev">1</a> <span>2</span>'),
    }

    def handler(h: BaseHTTPRequestHandler) -> None:
        n = int(parse_qs(urlsplit(h.path).query).get("page", ["1"])[0])
        body = pages[n].encode("utf-8")
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.add_file("/robots.txt", "User-agent: *\nDisallow: /privat/\n",
                    content_type="text/plain")
    server.add_file(f"{DOC}klimatdagen.1001.html", event("Klimatdagen", "/files/klimat.pdf"))
    server.add_file("/files/klimat.pdf", make_pdf(None, ["Skyfall och dagvatten"]))
    server.add_file(f"{DOC}kulturkonferens.1002.html", event("Kulturkonferens"))
    server.add_file(f"{DOC}demokratidagen.1003.html", event("Demokratidagen"))
    server.add_file("/privat/dokumentation/internt.1004.html", event("Internt"))
    return server.add_route(LISTING, handler)



def titles(home: Path) -> list[str]:
    db = sqlite3.connect(home / "catalog.sqlite")
    try:
        return sorted(r[0] for r in db.execute("SELECT title FROM events"))
    finally:
        db.close()


def test_listing_with_alias_and_utm_ingests_each_event_once(server, tmp_path):
    url = serve_listing(server)
    result = run(tmp_path, "ingest", "--follow", "--json", url)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["tally"]["pages"]["new"] == 3
    assert titles(tmp_path) == ["Demokratidagen", "Klimatdagen", "Kulturkonferens"]
    # Each page was fetched once, whichever host or utm_ link led to it.
    for name in ("klimatdagen.1001.html", "kulturkonferens.1002.html",
                 "demokratidagen.1003.html"):
        assert server.count(DOC + name) == 1, name
    assert all("utm_" not in r.query for r in server.requests)
    assert server.count(LISTING) == 2  # both listing pages, once each
    # robots.txt was read once per host name and obeyed; another site was not visited.
    assert server.count("/robots.txt") == 2
    assert server.count("/privat/dokumentation/internt.1004.html") == 0
    assert report["tally"]["pages"]["skipped"] == 2  # example.org and /privat/
    assert "slide" in run(tmp_path, "search", "skyfall", "--json").output

    sources = json.loads(run(tmp_path, "sources", "list", "--json").stdout)
    listing_row = next(s for s in sources if s["kind"] == "listing")
    assert listing_row["found"] == 3
    assert {s["via"] for s in sources if s["kind"] == "page"} == {listing_row["url"]}


def test_dry_run_lists_the_pages_and_keeps_nothing(server, tmp_path):
    url = serve_listing(server)
    result = run(tmp_path, "ingest", "--follow", "--dry-run", url)
    assert result.exit_code == 0, result.output
    found = result.output.split()
    assert [u.rsplit("/", 1)[1] for u in found] == [
        "klimatdagen.1001.html", "kulturkonferens.1002.html", "demokratidagen.1003.html"]
    assert server.count(DOC + "klimatdagen.1001.html") == 0
    assert not (tmp_path / "catalog.sqlite").exists()


def test_update_rechecks_found_pages_and_finds_new_ones(server, tmp_path):
    url = serve_listing(server)
    assert run(tmp_path, "sources", "add", "--follow", url).exit_code == 0
    first = json.loads(run(tmp_path, "update", "--json", "--delay", "0").stdout)
    assert first["tally"]["pages"]["new"] == 3 and first["exit_status"] == 0

    server.add_file(f"{DOC}ekonomidagen.1005.html", event("Ekonomidagen"))
    serve_listing(server, extra=[(f"{DOC}ekonomidagen.1005.html", "Dokumentation: Ekonomi")])
    server.clear_log()
    again = json.loads(run(tmp_path, "update", "--json", "--delay", "0", "-v").stdout)
    assert again["tally"]["pages"]["new"] == 1 and again["tally"]["pages"]["unchanged"] == 3
    assert again["tally"]["listings"]["changed"] == 1
    assert all(r.body_bytes == 0 for r in server.requests
               if r.path.startswith(DOC) and "ekonomidagen" not in r.path)
    assert "Ekonomidagen" in titles(tmp_path)


def test_a_disallowed_listing_is_not_crawled(server, tmp_path):
    server.add_file("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = server.add_file(LISTING, listing([(f"{DOC}klimatdagen.1001.html", "Dokumentation")],
                                           ""))
    result = run(tmp_path, "ingest", "--follow", "--json", url)
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert "robots.txt" in report["failures"][0]["reason"]
    assert server.count(LISTING) == 0


def test_sites_and_their_aliases():
    assert same_site("https://skl.se/a/x.1.html", "https://skr.se/skr/alldokumentation.html")
    assert same_site("https://webbutik.skl.se/skr/x.1.html", "https://www.skr.se/a.html")
    assert not same_site("https://example.org/x.1.html", "https://skr.se/a.html")
    assert site_of("http://localhost:8080/a") == site_of("http://127.0.0.1:8080/b")
    assert site_of("http://localhost:8080/a") != site_of("http://127.0.0.1:9090/b")
