"""An ingest run: pages, then their materials by an explicit job per kind, then the index.

Jobs that fetch and extract run on worker threads (PDF text in child
processes); every catalog write happens on this thread, in its own short
transaction, so a killed run loses at most the item it was on.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.store import FileStore
from konfarkiv.exitcodes import ExitStatus
from konfarkiv.ingest import film_job, page_job, pdf_job
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.listing import page_key
from konfarkiv.ingest.material import MaterialRef
from konfarkiv.ingest.model import ParsedPage
from konfarkiv.ingest.policy import refusal
from konfarkiv.ingest.result import JobResult
from konfarkiv.search.index import index_events

Progress = Callable[[str, int, int], None]

# The ordered jobs for each kind of material: work (any thread), record (main thread).
JOBS: dict[str, tuple[Callable[..., Any], Callable[..., None]]] = {
    "pdf": (pdf_job.work, pdf_job.record),
    "link": (lambda m, ctx: pdf_job.work(m, ctx, must_be_pdf=False), pdf_job.record),
    "film": (film_job.work, film_job.record),
}
RUN_ORDER = ("pdf", "link", "film")


@dataclass
class RunReport:
    results: list[JobResult] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    indexed_docs: int = 0
    index_error: str | None = None

    def add(self, result: JobResult) -> None:
        self.results.append(result)

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if r.failed]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, Counter[str]] = {}
        for r in self.results:
            out.setdefault(r.job, Counter())[r.status] += 1
        return {job: dict(c) for job, c in out.items()}

    def exit_status(self) -> ExitStatus:
        if self.index_error:
            return ExitStatus.PARTIAL if self.events else ExitStatus.ERROR
        pages = [r for r in self.results if r.job == "page"]
        if pages and all(r.failed for r in pages):
            return ExitStatus.ERROR
        return ExitStatus.PARTIAL if self.failures else ExitStatus.OK

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "counts": self.counts(),
            "failures": [{"job": r.job, "item": r.item, "reason": r.error,
                          "permanent": r.permanent} for r in self.failures],
            "indexed_docs": self.indexed_docs,
            "index_error": self.index_error,
            "exit_status": int(self.exit_status()),
        }


def parse_only(sources: Iterable[str]) -> tuple[list[ParsedPage], list[JobResult]]:
    """--dry-run: fetch and parse the pages only, keeping nothing."""
    pages: list[ParsedPage] = []
    results: list[JobResult] = []
    with tempfile.TemporaryDirectory(prefix="konfarkiv-dry-") as tmp:
        store = FileStore(Path(tmp) / "files", Path(tmp) / "tmp")
        ctx = JobContext(store, Fetcher(store))
        for source in sources:
            w = page_job.work(source, ctx)
            results.append(w.result)
            if w.page:
                pages.append(w.page)
    return pages, results


def ingest(archive: Archive, sources: Iterable[str], *, workers: int = 2,
           pdf_time_limit: float | None = None, progress: Progress | None = None,
           fetcher: Fetcher | None = None) -> RunReport:
    """Ingest every source page; failures are recorded and the run goes on."""
    ctx = JobContext(archive.store, fetcher or Fetcher(archive.store), workers=workers)
    if pdf_time_limit:
        ctx.pdf_time_limit = pdf_time_limit
    report = RunReport()
    archive.store.clean_tmp()
    for source in sources:
        event_id = ingest_page(archive, ctx, source, report, progress)
        if event_id is None:
            continue
        try:
            report.indexed_docs += index_events(archive.layout.index, archive.catalog,
                                                [event_id])
        except Exception as exc:  # noqa: BLE001 - the catalog holds it; reindex rebuilds
            report.index_error = (f"indexing failed ({type(exc).__name__}: {exc}); "
                                  "run `konfarkiv reindex`")
    return report


def ingest_page(archive: Archive, ctx: JobContext, source: str, report: RunReport,
                progress: Progress | None = None) -> int | None:
    """One page and its materials; returns the event id, or None when the page failed."""
    cat = archive.catalog
    url = page_job.source_url(source)
    with cat.transaction():
        cat.add_source(url)
    w = page_job.work(source, ctx)
    report.add(w.result)
    if w.page is None or w.fetched is None or w.fetched.stored is None:
        with cat.transaction():
            cat.source_result(url, "failed", w.result.error, w.result.permanent)
            if w.result.permanent and w.result.error and w.result.error.startswith(
                    ("HTTP 404", "HTTP 410")):
                cat.db.execute("UPDATE events SET status='gone', error=? WHERE page_key=?",
                               (w.result.error, page_key(url)))
        return None
    page, stored = w.page, w.fetched.stored
    with cat.transaction():
        cat.record_blob(stored.sha256, stored.size, w.fetched.content_type or "text/html")
        event_id = cat.upsert_event(
            page_key=page_key(page.url), url=page.url, title=page.title, date=page.date,
            intro=page.intro, page_sha256=stored.sha256, etag=w.fetched.etag,
            last_modified=w.fetched.last_modified)
        session_ids = cat.sync_sessions(event_id, page.sessions)
        items = [(session_ids[i] if i is not None else None, m)
                 for i, m in page.all_materials()]
        rows = cat.sync_materials(event_id, items)
        cat.source_result(url, "ok")
    todo: list[MaterialRef] = []
    for row in rows:
        ref = MaterialRef.from_row(row)
        why = refusal(ref.url, page.url)
        if why:
            report.add(JobResult(ref.kind, ref.url, "failed", "konfarkiv policy", 0.0, why, True))
            with cat.transaction():
                cat.material_failed(ref.id, why, permanent=True)
        elif ref.status != "removed":
            todo.append(ref)
    todo.sort(key=lambda r: RUN_ORDER.index(r.kind) if r.kind in RUN_ORDER else 99)
    _run_jobs(archive, ctx, todo, report, progress)
    report.events.append({"id": event_id, "title": page.title, "url": page.url,
                          "sessions": len(page.sessions)})
    return event_id


def _run_jobs(archive: Archive, ctx: JobContext, todo: list[MaterialRef], report: RunReport,
              progress: Progress | None) -> None:
    total = len(todo)
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, ctx.workers)) as pool:
        futures: dict[Future[Any], MaterialRef] = {
            pool.submit(JOBS[m.kind][0], m, ctx): m for m in todo if m.kind in JOBS
        }
        try:
            for fut in as_completed(futures):
                m = futures[fut]
                w = fut.result()
                with archive.catalog.transaction():
                    JOBS[m.kind][1](archive.catalog, m, w)
                report.add(w.result)
                done += 1
                if progress:
                    progress(m.url, done, total)
        except BaseException:
            for f in futures:
                f.cancel()
            raise
