"""Issue 26, minor list: credentials in an ingested URL (user:password@) are used to fetch
but shown nowhere: not on the command line (events, sources list, export), not on the web
(/events, /status, the API)."""

from __future__ import annotations

from pathlib import Path

from support.cli import run
from support.server import TestServer

from konfarkiv.archive.keys import hide_credentials
from konfarkiv.web.app import create_app

SECRET = "hemligt-losen"


def test_hide_credentials_in_any_text() -> None:
    assert hide_credentials(f"see https://eva:{SECRET}@skr.se/a.html.") == \
        "see https://skr.se/a.html."
    assert hide_credentials("mail eva@skr.se or https://skr.se/x@y") == \
        "mail eva@skr.se or https://skr.se/x@y"


def test_credentials_of_an_ingested_url_are_never_shown(server: TestServer,
                                                        tmp_path: Path) -> None:
    server.add_file("/dok/mote.html", """<!DOCTYPE html><html lang="sv"><head>
<meta charset="utf-8"><title>Möte</title></head><body><main><h1>Dokumentation: Möte</h1>
<p>Om vatten.</p><p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p></main></body>
</html>""")
    url = server.url("/dok/mote.html").replace("://", f"://eva:{SECRET}@")
    home = tmp_path / "home"
    assert run(home, "ingest", url).exit_code == 0
    outputs = [run(home, *args).output for args in (
        ("events",), ("sources", "list"), ("show", "1"), ("show", "1", "--json"),
        ("export", "--jsonl", "-"), ("export", "--csv", "-"), ("search", "vatten", "--json"))]
    client = create_app(home).test_client()
    outputs += [client.get(p).get_data(as_text=True) for p in
                ("/events", "/status", "/api/events", "/api/events/1", "/api/status",
                 "/events/1", "/search?q=vatten", "/api/search?q=vatten")]
    for text in outputs:
        assert SECRET not in text
