"""Issue 26 items 4 and 5: a server cannot stall a run (Crawl-delay, Retry-After) or blow
up its memory (a huge robots.txt) while the writer lock is held.

Every case runs the real `konfarkiv` against the real test server on 127.0.0.1; the
subprocess timeout only keeps a regression from hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from support.pdfs import make_pdf
from support.server import TestServer

LISTING = "/skr/dokumentation/alldokumentation.html"
PAGE = "/skr/dokumentation/alldokumentation/mote.3712.html"
GUARD = 60  # seconds: only so that a regression fails instead of hanging


def konfarkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "konfarkiv.cli", "--home", str(home),
                               *args], capture_output=True, text=True, timeout=GUARD)
    except subprocess.TimeoutExpired as exc:  # the stall itself: a failure, not a hang
        raise AssertionError(f"konfarkiv {' '.join(args)} stalled past {GUARD} s") from exc


def page(pdf: str = "slides.pdf") -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Möte</title>
</head><body><main><h1>Dokumentation: Möte om vatten</h1><p>Om dagvatten.</p>
<p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p>
<p><a href="{pdf}">Presentation (PDF, nytt fönster)</a></p></main></body></html>"""


def listing_page() -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Alla</title>
</head><body><main><h1>All dokumentation</h1>
<ul><li><a href="{PAGE}">Dokumentation: Möte</a></li></ul></main></body></html>"""


def busy(req: BaseHTTPRequestHandler) -> None:
    """A 503 asking the client to come back in 28 hours."""
    req.send_response(503)
    req.send_header("Retry-After", "100000")
    req.send_header("Content-Length", "0")
    req.end_headers()


def test_huge_crawl_delay_refuses_the_host_at_once(server: TestServer, tmp_path: Path) -> None:
    server.add_file("/robots.txt", "User-agent: *\nCrawl-delay: 100000\n",
                    content_type="text/plain")
    server.add_file(LISTING, listing_page())
    server.add_file(PAGE, page())
    result = konfarkiv(tmp_path / "home", "ingest", "--follow", server.url(LISTING))
    assert result.returncode != 0
    assert "Crawl-delay" in result.stderr and "Traceback" not in result.stderr
    assert server.count(PAGE) == 0


def test_retry_after_beyond_the_cap_gives_up_naming_the_url(server: TestServer,
                                                            tmp_path: Path) -> None:
    url = server.add_route("/busy/mote.html", busy)
    result = konfarkiv(tmp_path / "home", "ingest", url)
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if "busy/mote.html" in ln]
    assert lines and "Retry-After" in lines[0] and "Traceback" not in result.stderr


def test_retry_after_on_a_pdf_fails_that_pdf_and_the_page_is_kept(server: TestServer,
                                                                  tmp_path: Path) -> None:
    server.add_route("/doc/slides.pdf", busy)
    url = server.add_file("/doc/mote.html", page())
    result = konfarkiv(tmp_path / "home", "ingest", url)
    assert result.returncode == 3, result.stderr  # partial: the page, not its PDF
    assert any("slides.pdf" in ln and "Retry-After" in ln for ln in result.stderr.splitlines())


def test_huge_robots_txt_is_not_read_whole(server: TestServer, tmp_path: Path) -> None:
    big = b"User-agent: *\n" + b"Disallow: /nothing-here-at-all/\n" * 200_000  # 6.4 MB
    server.add_file("/robots.txt", big, content_type="text/plain")
    server.add_file(LISTING, listing_page())
    make_pdf(tmp_path / "s.pdf", ["Dagvatten"])
    server.add_file(PAGE, page())
    result = konfarkiv(tmp_path / "home", "ingest", "--follow", server.url(LISTING))
    assert result.returncode != 0
    assert "robots.txt" in result.stderr and "Traceback" not in result.stderr
    assert server.bytes_sent("/robots.txt") < len(big)
    assert server.count(PAGE) == 0
