"""The archivists' test event: a page with two sessions and one PDF each, on a real server."""

from __future__ import annotations

from pathlib import Path

from support.cli import run, show
from support.pdfs import make_pdf

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Nätverksmöte om dagvatten - SKR</title></head>
<body><main>
<h1>Dokumentation: Nätverksmöte om dagvatten</h1>
<p>Ett möte om dagvatten och skyfall i kommunerna.{extra}</p>
<p><strong>Dagvatten i den täta staden</strong></p>
<p>Eva Hägglund, SKL och Andreas Hagnell</p>
<p><a href="/files/dagvatten.pdf">Presentation om dagvatten (PDF, nytt fönster)</a></p>
<p><strong>Skyfall och klimatanpassning</strong></p>
<p>Kerstin Blom Bokliden, Sveriges Kommuner och Landsting</p>
<p><a href="/files/skyfall.pdf">Presentation om skyfall (PDF, nytt fönster)</a></p>
</main></body></html>
"""
PAGE_PATH = "/dokumentation/dagvatten.3999.html"
DAGVATTEN = "Dagvatten i den täta staden"
SKYFALL = "Skyfall och klimatanpassning"


def serve_page(server, extra: str = "") -> str:
    """The test event: two sessions with one PDF each; returns the page URL."""
    server.add_file("/files/dagvatten.pdf",
                    make_pdf(None, ["Dagvatten och gröna tak", "Fördröjningsmagasin i parker"]))
    server.add_file("/files/skyfall.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
    return server.add_file(PAGE_PATH, PAGE.format(extra=extra))


def ingested(server, home: Path) -> str:
    """The test event served and ingested into home; returns the page URL."""
    url = serve_page(server)
    result = run(home, "ingest", url)
    assert result.exit_code == 0, result.output
    return url


def session_id(home: Path, title: str, event: str = "1") -> int:
    return next(s["id"] for s in show(home, event)["sessions"]
                if s["fields"]["title"]["value"] == title)


def reingest(home: Path, url: str) -> None:
    """Ingest the page again, then `update` it as a source."""
    result = run(home, "ingest", url)
    assert result.exit_code == 0, result.output
    result = run(home, "update")
    assert result.exit_code in (0, 3), result.output
