"""An ingest run: pages, then their materials by an explicit job per kind (indexing is the app's).

Jobs that fetch and extract run on worker threads (PDF text in child
processes); every catalog write happens on this thread, in its own short
transaction, so a killed run loses at most the item it was on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.keys import page_key
from konfarkiv.archive.model import MaterialRef, ParsedPage
from konfarkiv.archive.store import FileStore
from konfarkiv.ingest import DEFAULT_WORKERS, film_job, page_job, pdf_job
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.doubts import Doubt
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.job import Job
from konfarkiv.ingest.organiser import organiser_of
from konfarkiv.ingest.policy import refusal
from konfarkiv.ingest.politeness import host_of, polite_fetcher
from konfarkiv.ingest.report import RunReport
from konfarkiv.ingest.result import JobResult
from konfarkiv.ingest.sourcecheck import source_problem

Progress = Callable[[str, int, int], None]
# Whether a stored material is due for work in this run: None if it is, else why not.
DueCheck = Callable[[MaterialRef], str | None]

# The job for each kind of material: work (any thread), unchanged and record (main thread).
JOBS: dict[str, Job] = {"pdf": pdf_job, "link": pdf_job.LinkJob(), "film": film_job}
RUN_ORDER = ("pdf", "link", "film")


def parse_only(sources: Iterable[str]) -> tuple[list[ParsedPage], list[JobResult],
                                                list[list[Doubt]]]:
    """--dry-run: fetch and parse the pages only, keeping nothing; each page's doubts."""
    pages: list[ParsedPage] = []
    results: list[JobResult] = []
    doubts: list[list[Doubt]] = []
    with tempfile.TemporaryDirectory(prefix="konfarkiv-dry-") as tmp:
        store = FileStore(Path(tmp) / "files", Path(tmp) / "tmp")
        ctx = JobContext(store, Fetcher(store))
        for source in sources:
            w = page_job.work(source, ctx)
            results.append(w.result)
            if w.page:
                pages.append(w.page)
                doubts.append(list(w.doubts))
    return pages, results, doubts


def ingest(archive: Archive, sources: Iterable[str], *, workers: int = DEFAULT_WORKERS,
           pdf_time_limit: float | None = None, progress: Progress | None = None,
           fetcher: Fetcher | None = None,
           on_item: Callable[[dict[str, Any]], None] | None = None,
           on_ocr: Callable[[str, int, int], None] | None = None,
           ocr: bool = True) -> RunReport:
    """Ingest every source page; failures are recorded and the run goes on. With ocr
    False, pages without a text layer wait for `konfarkiv ocr`."""
    ctx = JobContext(archive.store, fetcher or polite_fetcher(archive.store), workers=workers,
                     on_ocr=on_ocr, ocr=ocr)
    if pdf_time_limit:
        ctx.pdf_time_limit = pdf_time_limit
    report = RunReport(on_item=on_item)
    archive.store.clean_tmp()
    sources = list(sources)
    report.plan(len(sources))
    for source in sources:
        problem = source_problem(source)
        if problem is not None:  # a typo, a PDF, a folder: said before anything is fetched
            report.add(JobResult("page", source, "failed", error=problem.line(),
                                 permanent=True))
            continue
        ingest_page(archive, ctx, source, report, progress)
    report.requests = ctx.fetcher.http_answers
    return report


def ingest_page(archive: Archive, ctx: JobContext, source: str, report: RunReport,
                progress: Progress | None = None, *, due: DueCheck | None = None,
                via: int | None = None) -> int | None:
    """One page and its materials; returns the event id, or None when the page failed.

    With `due` (update), the page is asked for conditionally: a 304, or the same bytes,
    means no re-parse; its stored materials are re-checked where `due` says so.
    """
    cat = archive.catalog
    url = page_job.source_url(source)
    known = cat.source_by_url(url) is not None
    with cat.transaction():
        cat.add_source(url, via=via)
    before = cat.event_by_key(page_key(url))
    ask = due is not None and before is not None
    w = page_job.work(source, ctx, etag=before.etag if ask and before else None,
                      last_modified=before.last_modified if ask and before else None)
    same = (before is not None and w.fetched is not None and w.fetched.stored is not None
            and w.fetched.stored.sha256 == before.page_sha256)
    unchanged = w.result.status == "unchanged" or (ask and same and w.page is not None)
    if not unchanged and (w.page is None or w.fetched is None or w.fetched.stored is None):
        error = w.result.error or "failed"
        gone = before is not None and w.result.permanent and error.startswith(
            ("HTTP 404", "HTTP 410"))
        with cat.transaction():
            if before is None and not known and due is None and via is None:
                cat.remove_source(url)  # a first try that failed: nothing for update to retry
            else:
                cat.source_result(url, "gone" if gone else "failed", error, w.result.permanent)
            if gone and before is not None:
                cat.event_gone(before.id, error)
        if gone:  # archived before: kept whole, and marked
            report.note("page", source, "gone", error)
        else:
            report.add(w.result)
        return None
    if unchanged:
        assert before is not None and w.fetched is not None
        event_id = int(before.id)
        f = w.fetched
        with cat.transaction():
            cat.event_seen(event_id, etag=f.etag, last_modified=f.last_modified)
            cat.source_result(url, "ok")
        report.add(JobResult("page", source, "unchanged", w.result.tool, w.result.seconds))
        rows = cat.live_materials(event_id)
        page_url, title = before.url, before.title
        sessions = cat.session_count(event_id)
    else:
        assert w.page is not None and w.fetched is not None and w.fetched.stored is not None
        page, stored = w.page, w.fetched.stored
        with cat.transaction():
            cat.record_blob(stored.sha256, stored.size, w.fetched.content_type or "text/html")
            event_id = cat.upsert_event(
                page_key=page_key(page.url), url=page.url, title=page.title, date=page.date,
                intro=page.intro, page_sha256=stored.sha256, etag=w.fetched.etag,
                last_modified=w.fetched.last_modified)
            cat.set_organiser(event_id, organiser_of(w.html or b"", page.url))
            was_withdrawn = {r.id for r in cat.withdrawn_materials(event_id)}
            session_ids = cat.sync_sessions(event_id, page.sessions)
            cat.set_doubts(event_id, [(d.kind, d.reason, None if d.session is None
                                       else session_ids[d.session]) for d in w.doubts])
            items = [(session_ids[i] if i is not None else None, m)
                     for i, m in page.all_materials()]
            rows = cat.sync_materials(event_id, items)
            withdrawn = cat.withdrawn_materials(event_id)
            cat.source_result(url, "ok")
        report.add(w.result, "new" if before is None else "changed" if not same else "unchanged")
        for r in withdrawn:
            if r.id not in was_withdrawn:
                report.note(r.kind, r.url, "withdrawn", "no longer linked from the page")
        page_url, title, sessions = page.url, page.title, len(page.sessions)
    todo: list[MaterialRef] = []
    for row in rows:
        if row.origin == "manual":  # the archivist's: never fetched again (handmade.py)
            continue
        ref = row
        not_due = due(row) if due is not None else None
        why = None if not_due else refusal(ref.url, page_url)
        if not_due:
            report.note(ref.kind, ref.url, "skipped", not_due)
        elif why:
            report.add(JobResult(ref.kind, ref.url, "failed", "konfarkiv policy", 0.0, why, True))
            with cat.transaction():
                cat.material_failed(ref.id, why, permanent=True)
        elif ref.status != "removed":
            todo.append(ref)
    todo.sort(key=lambda r: RUN_ORDER.index(r.kind) if r.kind in RUN_ORDER else 99)
    _run_jobs(archive, ctx, todo, report, progress)
    doubts = cat.new_doubts(event_id)  # each doubt is printed once; `review` lists them all
    report.events.append({"id": event_id, "title": title, "url": page_url,
                          "sessions": sessions, "doubts": doubts})
    return event_id


def _run_jobs(archive: Archive, ctx: JobContext, todo: list[MaterialRef], report: RunReport,
              progress: Progress | None) -> None:
    total = len(todo)
    done = 0
    pool = ThreadPoolExecutor(max_workers=max(1, ctx.workers))
    futures: dict[Future[Any], MaterialRef] = {
        pool.submit(_work, m, ctx): m for m in todo if m.kind in JOBS
    }
    report.plan(len(futures))
    try:
        for fut in as_completed(futures):
            m = futures[fut]
            w = fut.result()
            with archive.catalog.transaction():
                outcome = _record(archive.catalog, m, w)
            report.add(w.result, outcome)
            done += 1
            if progress:
                progress(m.url, done, total)
    except BaseException:
        # Ctrl-C or a bug: do not wait for downloads still running (their files are
        # renamed into place only when complete, and nothing of theirs is recorded).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@dataclass(frozen=True)
class _Crashed:
    """A job that raised what no job expects: that item fails, the run goes on."""

    result: JobResult


def _work(m: MaterialRef, ctx: JobContext) -> Any:
    """A job on a worker thread; films (yt-dlp's own requests) also wait for a host slot."""
    gate = getattr(ctx.fetcher, "gate", None)
    try:
        if m.kind == "film" and gate is not None and m.url.startswith(("http:", "https:")):
            with gate.slot("film " + host_of(m.url)) as ticket:
                ticket.downloaded = True
                return JOBS[m.kind].work(m, ctx)
        return JOBS[m.kind].work(m, ctx)
    except Exception as exc:  # hostile input nobody foresaw must not stop every later item
        reason = f"unexpected error: {type(exc).__name__}: {exc}"[:300]
        return _Crashed(JobResult(m.kind, m.url, "failed", "konfarkiv", 0.0, reason))


def _record(catalog: Catalog, m: MaterialRef, w: Any) -> str:
    """Write a job's outcome; returns new, changed, unchanged or failed."""
    if isinstance(w, _Crashed):
        catalog.material_failed(m.id, w.result.error or "failed", permanent=False)
        return "failed"
    job = JOBS[m.kind]
    same = job.unchanged(catalog, m, w)  # asked before record rewrites the row
    job.record(catalog, m, w)
    if same:
        catalog.material_checked(m.id)
        return "unchanged"
    if w.result.failed:
        return "failed"
    return "changed" if m.sha256 else "new"
