"""`konfarkiv ocr`: read the pages that wait for OCR, from the stored files (no network).

Pages wait when Tesseract was missing at ingest or a file's OCR time cap came first. A
page read by an older Tesseract is read again by a newer one; `again` (reindex --ocr)
re-reads every page that ever needed OCR. Files are read in parallel (workers), each in
an extractor child with the same limits as at ingest; results are written on this thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.pagetext import OcrState, OcrWork, ocr_work, record_page_ocr
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.ingest.ocr import (
    ENABLE_HINT,
    FILE_TIME_LIMIT,
    PAGE_TIME_LIMIT,
    Engine,
    OcrRun,
    find_engine,
    ocr_pdf,
    version_key,
)
from konfarkiv.ingest.pdf_job import ocr_records


@dataclass
class OcrReport:
    """What `konfarkiv ocr` did: files and pages, and each failure with its reason."""

    engine: str = ""
    files: int = 0
    read: int = 0
    failed: int = 0
    waiting: int = 0
    blank: int = 0
    failures: list[str] = field(default_factory=list)
    indexed_docs: int = 0
    index_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"engine": self.engine, "files": self.files, "read": self.read,
                "failed": self.failed, "waiting": self.waiting, "blank": self.blank,
                "failures": self.failures, "indexed_docs": self.indexed_docs,
                "index_error": self.index_error}


def due_work(archive: Archive, engine: Engine, *, again: bool = False) -> list[OcrWork]:
    """The files and pages this engine should read now."""
    if again:
        return ocr_work(archive.catalog, list(OcrState))
    newer = version_key(engine.label)
    out = []
    for w in ocr_work(archive.catalog, [OcrState.WAITING, OcrState.DONE, OcrState.FAILED]):
        pages = tuple(p for p, used in zip(w.pages, w.engines, strict=True)
                      if used is None or version_key(used) < newer)
        if pages:
            out.append(OcrWork(w.document_id, w.material_id, w.sha256, w.label, pages,
                               (None,) * len(pages)))
    return out


def run_ocr(archive: Archive, *, again: bool = False, workers: int = DEFAULT_WORKERS,
            page_time_limit: float = PAGE_TIME_LIMIT, time_limit: float = FILE_TIME_LIMIT,
            on_ocr: Callable[[str, int, int], None] | None = None) -> OcrReport:
    """OCR every waiting page (and, with a newer engine or `again`, pages read before)."""
    engine, why = find_engine()
    if engine is None:
        raise ArchivistError(f"cannot OCR: {why}", ENABLE_HINT.replace(", then run "
                                                                        "`konfarkiv ocr`", ""))
    report = OcrReport(engine=engine.label)
    todo = due_work(archive, engine, again=again)

    def one(w: OcrWork) -> OcrRun:
        done = 0

        def tell(_page: Any) -> None:
            nonlocal done
            done += 1
            if on_ocr is not None:
                on_ocr(w.label, done, len(w.pages))

        if on_ocr is not None:
            on_ocr(w.label, 0, len(w.pages))
        path = archive.store.path_for(w.sha256)
        return ocr_pdf(path, [p - 1 for p in w.pages], engine, page_time_limit=page_time_limit,
                       time_limit=time_limit, on_page=tell)

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    futures: dict[Future[OcrRun], OcrWork] = {pool.submit(one, w): w for w in todo}
    try:
        for fut in as_completed(futures):
            w, run = futures[fut], fut.result()
            with archive.catalog.transaction():
                record_page_ocr(archive.catalog, w.document_id, ocr_records(run))
            report.files += 1
            report.read += run.count(OcrState.DONE)
            report.failed += run.count(OcrState.FAILED)
            report.waiting += run.count(OcrState.WAITING)
            report.blank += run.count(OcrState.BLANK)
            report.failures += [f"{w.label}, page {p.page + 1}: {p.error}" for p in run.pages
                                if p.state == OcrState.FAILED]
            if run.error:
                report.failures.append(f"{w.label}: {run.error}")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return report
