"""A saved page whose file became a PDF fails naming what it is (a PDF), not the
Content-Type its name gave it ("not an HTML page (Content-Type text/html)", QA item 14)."""

from __future__ import annotations

from pathlib import Path

from support.cli import run
from support.pdfs import make_pdf


def test_a_saved_page_that_is_a_pdf_says_so(tmp_path: Path) -> None:
    page = tmp_path / "sida.html"
    page.write_text("<html><body><h1>Miljödagen</h1><h2>Dagvatten</h2></body></html>", "utf-8")
    home = tmp_path / "home"
    assert run(home, "ingest", "-q", str(page)).exit_code == 0
    page.write_bytes(make_pdf(None, ["Ersatt av en PDF"]))  # the saved file is no page any more
    result = run(home, "update", "-q")
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(page) in errors[0], result.stderr
    assert errors[0].endswith("not an HTML page: the file is a PDF"), errors[0]
