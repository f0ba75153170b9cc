"""Issue 24: slides without a text layer are read by OCR (Tesseract, swe+eng), page by
page, recorded as OCR, found by search and marked so; pages with real text never are.

The decks are pictures of Swedish text (no text layer), served by a real local server and
ingested as a documentation page links them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from support.cli import run, show
from support.ocr import require_tesseract
from support.pages import event_page
from support.pdfs import make_pdf, picture_slides_pdf
from support.server import TestServer

from konfarkiv.archive.pagetext import OcrState
from konfarkiv.ingest.ocr import find_engine, ocr_pdf
from konfarkiv.web.app import create_app

DECK = [
    ["Dagvatten i Växjö", "Översvämning vid skyfall på gårdar", "Grönytefaktor i nya områden"],
    ["(tom sida)"],
    ["Klimatanpassning", "Ökad trädplantering längs gatorna", "Åtgärder i ån"],
]


def _deck_page(server: TestServer, deck: bytes) -> str:
    server.add_file("/files/bilder.pdf", deck, content_type="application/pdf")
    server.add_file("/files/text.pdf", make_pdf(None, ["Budgetuppföljning för nämnden"]),
                    content_type="application/pdf")
    return server.add_file("/sida.html", event_page("Bildspel", [
        ("/files/bilder.pdf", "Presentation bildspel (PDF)"),
        ("/files/text.pdf", "Presentation text (PDF)")]))


def _slide_hits(home: Path, query: str) -> list[dict]:
    out = json.loads(run(home, "search", query, "--json").stdout)
    return [h for r in out["results"] for h in r["hits"] if h["kind"] == "slide"]


def _material(home: Path, name: str) -> dict:
    event = show(home, "event:1")
    for s in event.get("sessions", []):
        for m in s["materials"]:
            if m["url"].endswith(name):
                return m
    return next(m for m in event["materials"] if m["url"].endswith(name))


@pytest.fixture
def no_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH without tesseract: a folder of links to everything else python needs."""
    farm = tmp_path / "bin"
    farm.mkdir()
    dirs = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if not d or not Path(d).is_dir():
            continue
        if (Path(d) / "tesseract").exists():
            sub = farm / str(len(dirs))
            sub.mkdir()
            for f in Path(d).iterdir():
                if f.name != "tesseract":
                    (sub / f.name).symlink_to(f)
            d = str(sub)
        dirs.append(d)
    monkeypatch.setenv("PATH", os.pathsep.join(dirs))
    assert shutil.which("tesseract") is None


def test_picture_slides_are_read_found_at_their_page_and_marked_ocr(
        server: TestServer, tmp_path: Path) -> None:
    require_tesseract()
    home = tmp_path / "arkiv"
    url = _deck_page(server, picture_slides_pdf(DECK, blank=(1,)))
    result = run(home, "ingest", url)
    assert result.exit_code == 0, result.output
    assert "ocr: 2 pages without a text layer read" in result.stdout
    # progress (stderr, not a terminal): the file's OCR pages apart from the items
    assert "ocr  3 pages without a text layer  bilder.pdf" in result.stderr
    assert "ocr  done 3 pages  bilder.pdf" in result.stderr

    for query, page in (("översvämning", 1), ("skyfall", 1), ("trädplantering", 3),
                        ("åtgärder", 3)):
        hits = _slide_hits(home, query)
        assert [(h["page"], h["source"]) for h in hits] == [(page, "ocr")], query
        assert hits[0]["id"].endswith(f"@{page}")
    text = run(home, "search", "trädplantering").stdout
    assert "page 3 (OCR)" in text
    # the text PDF's page is its own text, never OCR'd
    assert [(h["page"], h["source"]) for h in _slide_hits(home, "budgetuppföljning")] == [
        (1, "pdf")]
    assert "(OCR)" not in run(home, "search", "budgetuppföljning").stdout

    deck = _material(home, "bilder.pdf")
    ocr = deck["versions"][0]["ocr"]
    assert ocr["read"] == [1, 3] and ocr["blank"] == [2] and not ocr["waiting"]
    assert ocr["engine"].startswith("tesseract ") and ocr["languages"] == "swe+eng"
    assert 50 < ocr["confidence"] <= 100
    assert _material(home, "text.pdf")["versions"][0]["ocr"] is None
    assert "OCR text (no text layer) on page(s) 1, 3" in run(home, "show", "event:1").stdout
    # the web page marks the OCR'd slide, and only it
    client = create_app(home).test_client()
    page = client.get("/search", query_string={"q": "trädplantering"}).get_data(as_text=True)
    assert page.count("(OCR-tolkad)") == 1
    plain = client.get("/search", query_string={"q": "budgetuppföljning"}).get_data(as_text=True)
    assert "Budgetuppföljning" in plain and "OCR-tolkad" not in plain


def test_an_unchanged_file_is_not_read_again_unless_reindex_ocr_asks(
        server: TestServer, tmp_path: Path) -> None:
    require_tesseract()
    home = tmp_path / "arkiv"
    url = _deck_page(server, picture_slides_pdf(DECK[:1]))
    assert run(home, "ingest", url).exit_code == 0
    again = json.loads(run(home, "ingest", url, "--json").stdout)
    assert again["ocr"]["read"] == 0
    assert "0 files" in run(home, "ocr").stdout
    redo = run(home, "reindex", "--ocr")
    assert redo.exit_code == 0, redo.output
    assert "ocr: 1 files, 1 pages read" in redo.stderr
    assert [h["page"] for h in _slide_hits(home, "grönytefaktor")] == [1]
    # a page read by an older Tesseract is read again by `konfarkiv ocr`, once
    with sqlite3.connect(home / "catalog.sqlite") as db:
        db.execute("UPDATE page_texts SET ocr_engine='tesseract 4.1.1' WHERE ocr='done'")
    db.close()
    assert "ocr: 1 files, 1 pages read" in run(home, "ocr").stdout
    assert "0 files" in run(home, "ocr").stdout


def test_without_tesseract_pages_wait_and_konfarkiv_ocr_reads_them_later(
        server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        no_tesseract: None) -> None:
    home = tmp_path / "arkiv"
    url = _deck_page(server, picture_slides_pdf(DECK, blank=(1,)))
    result = run(home, "ingest", url)
    assert result.exit_code == 0, result.output  # ingest works as before
    # nothing is rendered without an engine: the blank page waits too, until it is looked at
    assert "ocr: 3 pages without a text layer wait for OCR" in result.stdout
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in result.stdout
    status = json.loads(run(home, "status", "--json").stdout)
    assert status["ocr_waiting"] == 3 and status["ocr_blank"] == 0
    assert "konfarkiv ocr" in run(home, "status").stdout
    assert _slide_hits(home, "översvämning") == []
    missing = run(home, "ocr")
    assert missing.exit_code == 1 and "Tesseract is not installed" in missing.output

    monkeypatch.undo()  # Tesseract "installed"
    require_tesseract()
    later = run(home, "ocr")
    assert later.exit_code == 0, later.output
    assert "2 pages read, 0 failed, 1 blank" in later.stdout
    assert [(h["page"], h["source"]) for h in _slide_hits(home, "översvämning")] == [
        (1, "ocr")]
    assert json.loads(run(home, "status", "--json").stdout)["ocr_waiting"] == 0


def test_a_page_over_its_time_cap_fails_with_its_reason_and_the_rest_go_on(
        tmp_path: Path) -> None:
    require_tesseract()
    engine = find_engine()[0]
    path = tmp_path / "deck.pdf"
    path.write_bytes(picture_slides_pdf(DECK * 2))
    run_ = ocr_pdf(path, [0, 1], engine, page_time_limit=0.01)
    assert [p.state for p in run_.pages] == [OcrState.FAILED, OcrState.FAILED]
    assert run_.pages[0].error == "OCR took over 0.01 s"
    # six slides cannot be read within half a second: those not reached wait, with why
    capped = ocr_pdf(path, list(range(6)), engine, time_limit=0.5)
    assert capped.pages[-1].state == OcrState.WAITING
    assert "OCR time cap (0.5 s) was reached" in (capped.pages[-1].error or "")


# ---- the six real scanned or image-only files (outside the repository) ----------------

CORPUS_ENV = "KONFARKIV_PDF_CORPUS"
SCANNED = {  # file -> words OCR (or, for the invisible layer, the text layer) must give
    "docling-ocr_test-image-only.pdf": ["docling", "markdown"],
    "pdfminer-jbig2-scan.pdf": ["doesn't"],
    "opf-balloon_jp2k.pdf": ["globe"],
    "docling-invisible_text_layer.pdf": ["invisible"],
    "sf-imagemagick-CCITTFax.pdf": [],
    "opf-veraPDFHiResWrongObjectID.pdf": [],
}


def test_the_real_scanned_files_are_read_and_the_invisible_layer_kept(
        server: TestServer, tmp_path: Path) -> None:
    folder = os.environ.get(CORPUS_ENV)
    if not folder:
        pytest.skip(f"{CORPUS_ENV} is not set: no real-world PDF corpus "
                    "(.ci/run sets it to ../shared/eval/pdfs)")
    require_tesseract()
    links = []
    for name in SCANNED:
        server.add_file(f"/files/{name}", (Path(folder) / name).read_bytes(),
                        content_type="application/pdf")
        links.append((f"/files/{name}", f"Presentation {name} (PDF)"))
    home = tmp_path / "arkiv"
    result = run(home, "ingest", server.add_file("/sida.html", event_page("Skannat", links)))
    assert result.exit_code == 0, result.output
    for name, words in SCANNED.items():
        ocr = _material(home, name)["versions"][0]["ocr"]
        if name == "docling-invisible_text_layer.pdf":
            assert ocr is None, "a page with a text layer (even invisible) is not OCR'd"
        else:
            assert ocr is not None and not ocr["failed"] and not ocr["waiting"], (name, ocr)
        for word in words:
            hits = _slide_hits(home, word)
            assert [(h["page"], h["source"]) for h in hits] == [
                (1, "pdf" if ocr is None else "ocr")], (name, word)


def test_ingest_no_ocr_leaves_the_pages_waiting_with_the_command_that_reads_them(
        server: TestServer, tmp_path: Path) -> None:
    require_tesseract()
    home = tmp_path / "arkiv"
    result = run(home, "ingest", "--no-ocr", _deck_page(server, picture_slides_pdf(DECK[:1])))
    assert result.exit_code == 0, result.output
    assert ("ocr: 1 pages without a text layer wait for OCR; run `konfarkiv ocr` to read them"
            in result.stdout)
    assert _slide_hits(home, "grönytefaktor") == []
    assert "waiting for OCR: page(s) 1" in run(home, "show", "event:1").stdout
    assert "1 pages read" in run(home, "ocr").stdout
    assert [h["source"] for h in _slide_hits(home, "grönytefaktor")] == ["ocr"]
