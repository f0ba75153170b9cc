"""Issue 26 item 7: a page of another site whose URL also ends in ".3712.html" is another
event; it never takes over event 3712 or withdraws its material. Catalogs from before, which
keyed events on the id alone, still find their events (and re-key them on the next ingest)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from support.cli import run, show
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.archive.keys import page_key

PAGE = "/skr/dokumentation/alldokumentation/klimatdagen.3712.html"


def page_html(title: str, pdf: str) -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
</head><body><main><h1>Dokumentation: {title}</h1><p>Om dagen.</p>
<p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p>
<p><a href="{pdf}">Presentation (PDF, nytt fönster)</a></p></main></body></html>"""


def serve_page(server: TestServer, tmp_path: Path, title: str, path: str = PAGE) -> str:
    make_pdf(tmp_path / f"{title}.pdf", [f"Bild om {title}"])
    server.add_file(path.rsplit("/", 1)[0] + f"/{title}.pdf", (tmp_path / f"{title}.pdf")
                    .read_bytes())
    return server.add_file(path, page_html(title, f"{title}.pdf"))


def test_the_key_names_the_site_and_the_id() -> None:
    assert page_key("https://skr.se/a/x.3712.html") == page_key("https://www.skl.se/b/y.3712.html")
    assert page_key("https://skr.se/a/x.3712.html") != page_key("https://evil.example/x.3712.html")
    assert page_key("http://127.0.0.1:80/x.3712.html") != page_key("http://127.0.0.1:81/x.3712.html")


def test_an_unrelated_page_with_the_same_id_is_another_event(server: TestServer,
                                                             tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = serve_page(server, tmp_path, "Klimatdagen")
    assert run(home, "ingest", first).exit_code == 0
    other = TestServer().start()  # another site (another port): its own page 3712
    try:
        second = serve_page(other, tmp_path, "Annat", "/nyheter/annat.3712.html")
        assert run(home, "ingest", second).exit_code == 0
    finally:
        other.stop()
    event = show(home, "event:1")
    assert event["fields"]["title"]["value"] == "Klimatdagen" and event["url"] == first
    assert [m["status"] for s in event["sessions"] for m in s["materials"]] == ["ok"]
    assert show(home, "event:2")["fields"]["title"]["value"] == "Annat"


def test_an_old_catalog_keyed_on_the_id_alone_still_finds_its_event(server: TestServer,
                                                                    tmp_path: Path) -> None:
    home = tmp_path / "home"
    url = serve_page(server, tmp_path, "Klimatdagen")
    assert run(home, "ingest", url).exit_code == 0
    with sqlite3.connect(home / "catalog.sqlite") as db:  # as catalogs were written before
        db.execute("UPDATE events SET page_key='3712'")
    assert run(home, "ingest", url).exit_code == 0
    with sqlite3.connect(home / "catalog.sqlite") as db:
        rows = db.execute("SELECT id, page_key FROM events").fetchall()
    assert rows == [(1, page_key(url))]  # the same event, re-keyed; no second one
