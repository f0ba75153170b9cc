"""Scheduled re-ingest: every source again, doing work only where something changed.

Pages and files are asked for conditionally (ETag / Last-Modified), so an unchanged
archive costs one small request per page and per file and no extraction or indexing.
Films are re-read on a slower cadence. Failed items wait out a backoff before the
next try; permanent failures wait for --retry-failed. Listing sources (--follow) are
crawled first, and the pages found on them become sources of their own. Material
added by hand and events from saved pages belong to the archivist (handmade.py):
never fetched again, only checked.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import now_iso
from konfarkiv.archive.keys import clean_url, page_key
from konfarkiv.archive.records import Material
from konfarkiv.archive.store import FileStore
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.crawl import Discovery, Robots, discover
from konfarkiv.ingest.fetch import Fetcher
from konfarkiv.ingest.handmade import check_hand_added, saved_page_left_alone, saved_page_path
from konfarkiv.ingest.page_job import source_url
from konfarkiv.ingest.politeness import DEFAULT_DELAY, DEFAULT_PER_HOST, polite_fetcher
from konfarkiv.ingest.report import RunReport
from konfarkiv.ingest.result import JobResult
from konfarkiv.ingest.run import Progress, ingest_page


@dataclass(frozen=True)
class UpdateOptions:
    retry_failed: bool = False  # retry every failed item now, permanent ones too
    film_refresh_days: float = 7.0  # films' metadata and captions are re-read this often
    workers: int = DEFAULT_WORKERS
    per_host: int = DEFAULT_PER_HOST
    delay: float = DEFAULT_DELAY
    pdf_time_limit: float | None = None


def _later(when: str | None, now: str) -> bool:
    return bool(when) and str(when) > now


def source_due(row: sqlite3.Row, opts: UpdateOptions, now: str) -> str | None:
    """None when a source is due this run, else why it waits."""
    if opts.retry_failed or row["status"] not in ("failed", "gone"):
        return None
    if row["status"] == "gone":
        return f"gone ({row['error']}); retried with --retry-failed"
    if row["permanent"]:
        return f"permanent failure ({row['error']}); retried with --retry-failed"
    if _later(row["next_try"], now):
        return f"failed ({row['error']}); next try after {row['next_try']}"
    return None


def material_check(archive: Archive, opts: UpdateOptions) -> Callable[[Material], str | None]:
    """The due-check for stored materials: backoff for failures, cadence for films."""
    now = now_iso()
    film_since = (datetime.now(UTC) - timedelta(days=opts.film_refresh_days)).replace(
        microsecond=0).isoformat()

    def due(row: Material) -> str | None:
        if row.status == "removed":
            return "removed by hand"
        if row.attempts and not opts.retry_failed:
            if row.permanent:
                return f"permanent failure ({row.error}); retried with --retry-failed"
            if _later(row.next_try, now):
                return f"failed ({row.error}); next try after {row.next_try}"
            return None
        if row.kind == "film" and row.status == "ok" and not row.attempts:
            film = archive.catalog.film_of(row.id)
            if film is not None and _later(film.fetched_at, film_since):
                return f"film read {film.fetched_at}; refreshed every " \
                       f"{opts.film_refresh_days:g} days"
        return None

    return due


def _context(archive: Archive, opts: UpdateOptions, fetcher: Fetcher | None) -> JobContext:
    ctx = JobContext(archive.store,
                     fetcher or polite_fetcher(archive.store, per_host=opts.per_host,
                                               delay=opts.delay),
                     workers=opts.workers)
    if opts.pdf_time_limit:
        ctx.pdf_time_limit = opts.pdf_time_limit
    return ctx


def _crawl(archive: Archive, ctx: JobContext, robots: Robots, source: sqlite3.Row,
           report: RunReport, *, known: Iterable[str]) -> None:
    """Crawl one listing source; the pages found become sources found via it."""
    cat = archive.catalog
    found = discover(source["url"], ctx.fetcher, robots, known=known)
    with cat.transaction():
        if found.error:
            cat.source_result(source["url"], "failed", found.error, found.permanent)
        else:
            for page in found.pages:
                cat.add_source(page, via=source["id"])
            cat.source_result(source["url"], "ok")
    if found.error:
        report.add(JobResult("listing", source["url"], "failed", "konfarkiv crawler", 0.0,
                             found.error, found.permanent))
        return
    report.add(JobResult("listing", source["url"], "succeeded", "konfarkiv crawler", 0.0,
                         detail={"listing_pages": len(found.listing_pages),
                                 "found": len(found.pages)}),
               "changed" if found.pages else "unchanged")
    for page, why in found.skipped:
        report.note("page", page, "skipped", why)


@contextmanager
def _run_frame(archive: Archive, opts: UpdateOptions, fetcher: Fetcher | None,
                  on_item: Callable[[dict[str, Any]], None] | None,
                  ) -> Iterator[tuple[JobContext, RunReport, Robots]]:
    """The frame of update and ingest --follow (konfarkiv.app keeps the run's record)."""
    ctx = _context(archive, opts, fetcher)
    report = RunReport(on_item=on_item)
    archive.store.clean_tmp()
    yield ctx, report, Robots(ctx.fetcher)
    report.requests = ctx.fetcher.http_answers


def update(archive: Archive, opts: UpdateOptions | None = None, *,
           on_item: Callable[[dict[str, Any]], None] | None = None,
           progress: Progress | None = None,
           fetcher: Fetcher | None = None) -> RunReport:
    """Re-ingest every source: listings first, then every page (the app indexes what changed)."""
    opts = opts or UpdateOptions()
    cat = archive.catalog
    now = now_iso()
    with _run_frame(archive, opts, fetcher, on_item) as (ctx, report, robots):
        for src in cat.source_rows(follow=True):
            report.begin_source(src["url"], "listing")
            why = source_due(src, opts, now)
            if why:
                report.note("listing", src["url"], "skipped", why)
                continue
            known = [r["url"] for r in cat.source_rows(follow=False)]
            _crawl(archive, ctx, robots, src, report, known=known)
        due = material_check(archive, opts)
        seen: set[str] = set()
        pages = cat.source_rows(follow=False)
        report.plan(len({page_key(src["url"]) for src in pages}))
        for src in pages:
            key = page_key(src["url"])
            if key in seen:
                continue
            seen.add(key)
            event = cat.event_by_key(key)
            saved = saved_page_path(src["url"]) is not None
            report.begin_source(src["url"], "saved page" if saved else "page")
            why = ("removed from the archive by hand" if event is not None
                   and event.status == "removed" else source_due(src, opts, now))
            if why:
                report.note("page", src["url"], "skipped", why)
                continue
            if saved and event is not None and saved_page_left_alone(
                    src["url"], event.page_sha256, report):
                continue
            ingest_page(archive, ctx, src["url"], report, progress, due=due, via=src["via"])
        check_hand_added(archive, report)
    return report


def follow_listings(archive: Archive, listings: Iterable[str],
                    opts: UpdateOptions | None = None, *,
                    on_item: Callable[[dict[str, Any]], None] | None = None,
                    progress: Progress | None = None,
                    fetcher: Fetcher | None = None) -> RunReport:
    """`ingest --follow`: crawl each listing and ingest every page it links to, once."""
    opts = opts or UpdateOptions()
    cat = archive.catalog
    with _run_frame(archive, opts, fetcher, on_item) as (ctx, report, robots):
        for listing in listings:
            with cat.transaction():
                sid = cat.add_source(clean_url(source_url(listing)), follow=True)
            src = cat.source(sid)
            assert src is not None  # just added
            _crawl(archive, ctx, robots, src, report, known=())
            seen: set[str] = set()
            found = cat.sources_found_via(sid)
            report.plan(len({page_key(page["url"]) for page in found}))
            for page in found:
                if page_key(page["url"]) in seen:
                    continue
                seen.add(page_key(page["url"]))
                ingest_page(archive, ctx, page["url"], report, progress, via=sid)
    return report


def discover_only(listings: Iterable[str]) -> list[Discovery]:
    """`ingest --follow --dry-run`: the pages each listing leads to, nothing kept."""
    with tempfile.TemporaryDirectory(prefix="konfarkiv-dry-") as tmp:
        fetcher = polite_fetcher(FileStore(Path(tmp) / "files", Path(tmp) / "tmp"))
        robots = Robots(fetcher)
        return [discover(source_url(u), fetcher, robots) for u in listings]
