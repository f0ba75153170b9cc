"""Where a PDF page's text came from (the file's text layer, or OCR) and the OCR still to do.

A page whose text layer is missing or useless gets an OCR state: waiting (no engine yet,
or the file's time cap came first), done, failed (with its reason) or blank (nothing on
the page to read). Pages with real text have none and are never OCR'd.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from konfarkiv.archive.catalog import Catalog, now_iso


class TextSource(StrEnum):
    PDF = "pdf"
    OCR = "ocr"


class OcrState(StrEnum):
    WAITING = "waiting"
    DONE = "done"
    FAILED = "failed"
    BLANK = "blank"


#: Columns page_texts gained for OCR (added to old catalogs by Catalog._add_missing_columns).
COLUMNS = {
    "source": "TEXT NOT NULL DEFAULT 'pdf'",  # pdf | ocr: where `text` came from
    "ocr": "TEXT",  # NULL (a real text layer) | waiting | done | failed | blank
    "ocr_engine": "TEXT",  # "tesseract 5.3.0"
    "ocr_languages": "TEXT",  # "swe+eng"
    "ocr_confidence": "REAL",  # the engine's mean word confidence, 0-100
    "ocr_error": "TEXT",  # why a page failed, or why it still waits
    "ocr_at": "TEXT",
}


@dataclass(frozen=True)
class PageOcrRecord:
    """The outcome of OCR (or of deciding not to) for one page, as the catalog keeps it."""

    page: int  # 1-based
    state: OcrState
    text: str | None = None  # the OCR text; None keeps the text layer's
    engine: str | None = None
    languages: str | None = None
    confidence: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class PageSource:
    """A stored page's text source, for show and the search hits."""

    page: int
    source: TextSource
    ocr: OcrState | None
    engine: str | None
    languages: str | None
    confidence: float | None
    error: str | None


@dataclass(frozen=True)
class OcrWork:
    """One current PDF version with pages to OCR: its stored file and those pages."""

    document_id: int
    material_id: int
    sha256: str
    label: str
    pages: tuple[int, ...]  # 1-based
    engines: tuple[str | None, ...]  # the engine that last read each page, if any


def record_page_ocr(catalog: Catalog, document_id: int,
                    records: Sequence[PageOcrRecord]) -> None:
    """Store pages' OCR outcomes; a page's text changes only when OCR read words."""
    now = now_iso()
    for r in records:
        source = TextSource.OCR if r.text else None
        catalog.db.execute(
            "UPDATE page_texts SET ocr=?, ocr_engine=coalesce(?, ocr_engine), "
            "ocr_languages=coalesce(?, ocr_languages), ocr_confidence=?, ocr_error=?, "
            "ocr_at=?, text=CASE WHEN ? IS NULL THEN text ELSE ? END, "
            "source=coalesce(?, source) WHERE document_id=? AND page=?",
            (str(r.state), r.engine, r.languages, r.confidence, r.error, now, r.text or None,
             r.text, source and str(source), document_id, r.page))
    _recount(catalog, document_id)


def _recount(catalog: Catalog, document_id: int) -> None:
    catalog.db.execute(
        "UPDATE documents SET chars=(SELECT coalesce(sum(length(text)), 0) FROM page_texts "
        "WHERE document_id=?), outcome=CASE WHEN outcome='no_text' AND EXISTS (SELECT 1 FROM "
        "page_texts WHERE document_id=? AND length(trim(text))>0) THEN 'text' ELSE outcome END "
        "WHERE id=?", (document_id, document_id, document_id))
    catalog.db.execute(
        "UPDATE materials SET status='ok' WHERE status='no_text' AND id=(SELECT material_id "
        "FROM documents WHERE id=? AND outcome='text')", (document_id,))


def page_sources(catalog: Catalog, document_id: int) -> list[PageSource]:
    """Every page of a PDF version with where its text came from, in page order."""
    return [PageSource(r["page"], TextSource(r["source"] or "pdf"),
                       OcrState(r["ocr"]) if r["ocr"] else None, r["ocr_engine"],
                       r["ocr_languages"], r["ocr_confidence"], r["ocr_error"])
            for r in catalog.all(
                "SELECT page, source, ocr, ocr_engine, ocr_languages, ocr_confidence, "
                "ocr_error FROM page_texts WHERE document_id=? ORDER BY page", (document_id,))]


def page_source(catalog: Catalog, document_id: int, page: int) -> TextSource:
    """Where one page's text came from (a search hit says when it was OCR)."""
    row = catalog.one("SELECT source FROM page_texts WHERE document_id=? AND page=?",
                      (document_id, page))
    return TextSource(row["source"] or "pdf") if row is not None else TextSource.PDF


def ocr_work(catalog: Catalog, states: Sequence[OcrState]) -> list[OcrWork]:
    """Current PDF versions having pages in one of these OCR states, oldest first."""
    marks = ",".join("?" * len(states))
    rows = catalog.all(
        "SELECT d.id, d.material_id, d.sha256, coalesce(m.label, m.url) AS label, "
        "p.page, p.ocr_engine FROM page_texts p JOIN documents d ON d.id=p.document_id "
        "JOIN materials m ON m.id=d.material_id WHERE d.current=1 AND m.status IN "
        f"('ok','no_text') AND p.ocr IN ({marks}) ORDER BY d.id, p.page",
        [str(s) for s in states])
    out: dict[int, OcrWork] = {}
    for r in rows:
        w = out.get(r["id"])
        pages = (w.pages if w else ()) + (int(r["page"]),)
        engines = (w.engines if w else ()) + (r["ocr_engine"],)
        out[r["id"]] = OcrWork(int(r["id"]), int(r["material_id"]), r["sha256"], r["label"],
                               pages, engines)
    return list(out.values())


def ocr_counts(catalog: Catalog) -> dict[str, int]:
    """Pages of current PDF versions per OCR state (waiting, done, failed, blank)."""
    counts = dict.fromkeys((str(s) for s in OcrState), 0)
    for r in catalog.all(
            "SELECT p.ocr, count(*) FROM page_texts p JOIN documents d ON d.id=p.document_id "
            "WHERE d.current=1 AND p.ocr IS NOT NULL GROUP BY p.ocr"):
        counts[r[0]] = int(r[1])
    return counts


def ocr_summary(catalog: Catalog, document_id: int) -> dict[str, object] | None:
    """A PDF version's OCR for show and the web: pages read (engine, languages, mean
    confidence), waiting, failed with reasons, blank; None when no page needed OCR."""
    pages = [p for p in page_sources(catalog, document_id) if p.ocr is not None]
    if not pages:
        return None
    read = [p for p in pages if p.source == TextSource.OCR]
    confidences = [p.confidence for p in read if p.confidence is not None]
    return {
        "read": [p.page for p in read],
        "engine": next((p.engine for p in read if p.engine), None),
        "languages": next((p.languages for p in read if p.languages), None),
        "confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
        "waiting": [p.page for p in pages if p.ocr == OcrState.WAITING],
        "failed": [{"page": p.page, "reason": p.error} for p in pages
                   if p.ocr == OcrState.FAILED],
        "blank": [p.page for p in pages if p.ocr == OcrState.BLANK],
        "empty": [p.page for p in pages if p.ocr == OcrState.DONE
                  and p.source != TextSource.OCR],
    }
