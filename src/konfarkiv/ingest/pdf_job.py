"""Job: fetch a PDF, check it is one, extract its text page by page."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import MaterialRef
from konfarkiv.archive.pagetext import OcrState, PageOcrRecord, record_page_ocr
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.fetch import Fetched, FetchError
from konfarkiv.ingest.gate import EXTRACTORS
from konfarkiv.ingest.ocr import OcrRun, PageResult, find_engine, needs_ocr, ocr_pdf
from konfarkiv.ingest.pdftext import Extraction, extract_pdf
from konfarkiv.ingest.result import JobResult

PDF_MAGIC = b"%PDF-"


def looks_like_pdf(head: bytes) -> bool:
    """%PDF- within the first KiB (some writers put junk before it)."""
    return PDF_MAGIC in head[:1024]


def describe_not_pdf(head: bytes, content_type: str | None) -> str:
    start = head[:40].decode("latin-1", errors="replace").strip().replace("\n", " ")
    kind = "an HTML page" if b"<html" in head[:1024].lower() or b"<!doctype" in head[
        :1024].lower() else "not a PDF"
    return f"{kind} instead of a PDF (Content-Type {content_type or 'unknown'}, starts {start!r})"


@dataclass(frozen=True)
class PdfWork:
    """What the worker thread found; recorded into the catalog by the main thread."""

    result: JobResult
    fetched: Fetched | None = None
    extraction: Extraction | None = None
    ocr: OcrRun | None = None


def work(m: MaterialRef, ctx: JobContext, *, must_be_pdf: bool = True) -> PdfWork:
    """Fetch and extract. With must_be_pdf=False (a link of unknown type) a non-PDF
    target is kept as a plain file rather than failed: the target decides the kind."""
    started = time.monotonic()
    job = "pdf" if must_be_pdf else "link"
    try:
        fetched = ctx.fetch(m.url, etag=m.etag if m.status != "failed" else None,
                            last_modified=m.last_modified if m.status != "failed" else None)
    except FetchError as exc:
        return PdfWork(JobResult(job, m.url, "failed", "requests", time.monotonic() - started,
                                 exc.reason, exc.permanent))
    if fetched.not_modified or (fetched.stored and fetched.stored.sha256 == m.sha256
                                and m.status in {"ok", "no_text"}):
        return PdfWork(JobResult(job, m.url, "unchanged", "requests",
                                 time.monotonic() - started), fetched)
    assert fetched.stored is not None
    with open(fetched.stored.path, "rb") as fh:
        head = fh.read(1024)
    if not looks_like_pdf(head):
        if not must_be_pdf:
            return PdfWork(JobResult(job, m.url, "succeeded", "requests",
                                     time.monotonic() - started,
                                     detail={"bytes": fetched.stored.size}), fetched)
        return PdfWork(JobResult("pdf", m.url, "failed", "requests", time.monotonic() - started,
                                 describe_not_pdf(head, fetched.content_type)), fetched)
    with EXTRACTORS.shared():
        extraction = extract_pdf(fetched.stored.path, time_limit=ctx.pdf_time_limit)
    ocr = ocr_missing_text(fetched.stored.path, extraction, ctx, m.url)
    detail = {"pages": extraction.page_count, "chars": extraction.chars,
              "warnings": extraction.warnings, "outcome": extraction.outcome,
              "bytes": fetched.stored.size, **ocr_detail(ocr)}
    seconds = time.monotonic() - started
    if extraction.outcome == "failed":
        return PdfWork(JobResult("pdf", m.url, "failed", extraction.tool, seconds,
                                 extraction.error, extraction.permanent, detail),
                       fetched, extraction)
    if extraction.outcome == "partial":  # pages kept (and searchable), the gap reported
        return PdfWork(JobResult("pdf", m.url, "failed", extraction.tool, seconds,
                                 f"partial text: {extraction.error}", extraction.permanent,
                                 detail), fetched, extraction, ocr)
    return PdfWork(JobResult("pdf", m.url, "succeeded", extraction.tool, seconds,
                             extraction.error, False, detail), fetched, extraction, ocr)


def ocr_missing_text(path: Path, x: Extraction, ctx: JobContext, url: str) -> OcrRun | None:
    """OCR (or, without Tesseract, the blank check) of the pages whose text layer is
    missing or useless; None when every page has real text or nothing was extracted."""
    if x.outcome == "failed":
        return None
    unread = set(x.unread)  # pypdf's own failures or time limit, not a missing text layer
    todo = [i for i, text in enumerate(x.pages) if needs_ocr(text) and i not in unread]
    if not todo:
        return None
    engine = ctx.ocr_engine
    if engine is None:  # no child, no render: ingest costs what it did before OCR
        why = find_engine()[1] if ctx.ocr else "OCR was off for this run (--no-ocr)"
        return OcrRun(tuple(PageResult(i, OcrState.WAITING, error=why) for i in todo),
                      None, 0.0)
    done = 0
    report = ctx.on_ocr

    def tell(_page: PageResult) -> None:
        nonlocal done
        done += 1
        if report is not None:
            report(url, done, len(todo))

    with EXTRACTORS.exclusive():  # alone: see ingest/gate.py
        if report is not None:
            report(url, 0, len(todo))
        return ocr_pdf(path, todo, engine, page_time_limit=ctx.ocr_page_time_limit,
                       time_limit=ctx.ocr_time_limit, on_page=tell)


def ocr_detail(run: OcrRun | None) -> dict[str, int]:
    """The OCR figures of a job's detail (the summary and progress show them)."""
    if run is None:
        return {}
    return {"ocr_read": run.count(OcrState.DONE), "ocr_failed": run.count(OcrState.FAILED),
            "ocr_waiting": run.count(OcrState.WAITING), "ocr_blank": run.count(OcrState.BLANK)}


def ocr_records(run: OcrRun) -> list[PageOcrRecord]:
    """An OCR run's pages as the catalog stores them (1-based pages)."""
    engine = run.engine
    out = []
    for p in run.pages:
        read = p.state in (OcrState.DONE, OcrState.FAILED) and engine is not None
        out.append(PageOcrRecord(
            p.page + 1, p.state, p.text or None, engine.label if read and engine else None,
            engine.languages if read and engine else None, p.confidence, p.error))
    return out


def unchanged(catalog: Catalog, m: MaterialRef, w: PdfWork) -> bool:
    """The server said 304, or sent the bytes already stored."""
    return w.result.status == "unchanged"


def record(catalog: Catalog, m: MaterialRef, w: PdfWork) -> None:
    """Write the outcome; a failure never touches an earlier good version."""
    f, x = w.fetched, w.extraction
    if f is not None and f.stored is not None:
        catalog.record_blob(f.stored.sha256, f.stored.size, f.content_type)
    if w.result.status == "unchanged":
        return
    partial = x is not None and x.outcome == "partial"
    if w.result.failed and not partial:
        catalog.material_failed(m.id, w.result.error or "failed", permanent=w.result.permanent)
        return
    assert f is not None and f.stored is not None
    if x is None:  # a link whose target is not a PDF: kept as a file
        catalog.material_fetched(
            m.id, sha256=f.stored.sha256, size=f.stored.size, content_type=f.content_type,
            etag=f.etag, last_modified=f.last_modified, status="ok")
        return
    catalog.material_fetched(
        m.id, sha256=f.stored.sha256, size=f.stored.size, content_type=f.content_type,
        etag=f.etag, last_modified=f.last_modified,
        status="no_text" if x.outcome == "no_text" else "ok", kind="pdf",
    )
    doc_id = catalog.add_document(m.id, sha256=f.stored.sha256, outcome=x.outcome,
                                  pages=x.pages, tool=x.tool, seconds=x.seconds,
                                  warnings=x.warnings, error=x.error)
    if w.ocr is not None:
        record_page_ocr(catalog, doc_id, ocr_records(w.ocr))
    if partial:
        catalog.material_note_error(m.id, w.result.error)


class LinkJob:
    """A link of unknown type: fetched as a PDF would be, kept as a file when it is none."""

    @staticmethod
    def work(m: MaterialRef, ctx: JobContext) -> PdfWork:
        return work(m, ctx, must_be_pdf=False)

    unchanged = staticmethod(unchanged)
    record = staticmethod(record)
