"""Issue 26 item 2: a PDF that PDFium takes ages to draw does not stall the web page.

The PDF is real and small (about 60 kB): one tiling pattern cell of 2,000,000 strokes,
tiled over the page. Its thumbnail fails once at the render limit; the failure is
remembered, renders run side by side, and `/` answers while eight such thumbnails are
asked for at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from support.cli import run
from support.pdfs import tiling_bomb
from support.web import start_serve

from konfarkiv.web import thumbs

ANSWER = 5.0  # seconds a browser's request may wait before the test calls it locked out


def test_a_slow_pdf_fails_once_and_is_remembered(tmp_path: Path) -> None:
    pdf = tiling_bomb(tmp_path / "bomb.pdf")
    cache = tmp_path / "cache"
    for _ in range(2):
        try:
            thumbs.thumbnail(cache, pdf, "ab" * 32, 1)
        except thumbs.NoThumbnail as exc:
            assert "longer than" in str(exc)
        else:
            raise AssertionError("the tiling bomb rendered within the limit")
    assert thumbs.RENDERER.renders == 1  # the second hit did not render again
    thumbs._FAILED.clear()  # a restarted server: the failure is on disk
    try:
        thumbs.thumbnail(cache, pdf, "ab" * 32, 1)
    except thumbs.NoThumbnail:
        pass
    assert thumbs.RENDERER.renders == 1


def test_front_page_answers_while_eight_bombs_render(tmp_path: Path) -> None:
    folder = tmp_path / "sida"
    folder.mkdir()
    for i in range(8):
        tiling_bomb(folder / f"bomb{i}.pdf", strokes=2_000_000 + i)  # eight distinct files
    links = "\n".join(f'<p><a href="bomb{i}.pdf">Presentation {i} (PDF, nytt fönster)</a></p>'
                      for i in range(8))
    (folder / "mote.html").write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Möte</title></head>'
        "<body><main><h1>Dokumentation: Möte om dagvatten</h1><p>Om vatten.</p>"
        f"<p><strong>Inledning</strong></p><p>Anna Andersson, SKR</p>{links}</main></body></html>",
        encoding="utf-8")
    home = tmp_path / "home"
    assert run(home, "ingest", str(folder / "mote.html")).exit_code == 0
    site = start_serve(home)
    try:
        with ThreadPoolExecutor(8) as pool:
            bombs = [pool.submit(requests.get, f"{site.url}thumb/{doc}/1", timeout=120)
                     for doc in range(1, 9)]
            front = requests.get(site.url, timeout=ANSWER)
            statuses = [b.result().status_code for b in bombs]
        assert front.status_code == 200
        assert set(statuses) <= {404, 503}
    finally:
        site.stop()
