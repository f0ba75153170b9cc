"""Issue 26 item 2: a PDF that PDFium takes ages to draw does not stall the web page.

The PDF is real and small (16 kB): one tiling pattern cell of 1,000,000 strokes, tiled over
the page. Its thumbnail fails once at the render limit; the failure is remembered, renders
run side by side, and `/` answers while eight such thumbnails are asked for at once."""

from __future__ import annotations

import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from support.cli import run
from support.web import start_serve

from konfarkiv.web import thumbs

ANSWER = 5.0  # seconds a browser's request may wait before the test calls it locked out


def tiling_bomb(path: Path, strokes: int = 1_000_000) -> Path:
    """A one-page PDF whose page is filled with a pattern cell of `strokes` lines."""
    cell = zlib.compress(b"0 0 m 13 13 l S\n" * strokes, 9)
    content = b"/Pattern cs /P1 scn 0 0 612 792 re f\nBT /F1 12 Tf 72 720 Td (Dagvatten) Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources"
        b" << /Pattern << /P1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 13 13]"
        b" /XStep 13 /YStep 13 /Resources << >> /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(cell), cell),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(out)
    return path


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
        tiling_bomb(folder / f"bomb{i}.pdf", strokes=1_000_000 + i)  # eight distinct files
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
