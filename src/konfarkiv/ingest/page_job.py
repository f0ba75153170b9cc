"""Job: fetch a documentation page (URL or saved file) and parse it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from konfarkiv.archive.model import ParsedPage
from konfarkiv.ingest.context import JobContext
from konfarkiv.ingest.doubts import Doubt
from konfarkiv.ingest.fetch import Fetched, FetchError
from konfarkiv.ingest.parse_limits import ParseLimit, parse_page_file
from konfarkiv.ingest.result import JobResult

HTML_TYPES = {"text/html", "application/xhtml+xml"}


def source_url(source: str) -> str:
    """An http(s) URL as given; a local path as its file: URL."""
    if source.startswith(("http://", "https://", "file://")):
        return source
    return Path(source).expanduser().resolve().as_uri()


@dataclass(frozen=True)
class PageWork:
    result: JobResult
    fetched: Fetched | None = None
    page: ParsedPage | None = None
    html: bytes | None = None
    doubts: tuple[Doubt, ...] = ()


#: Files that are never a page, whatever the server calls them or "<html" they carry.
#: What a file starting so is, for the error that says a page is not one.
_BINARY_KINDS = {b"%PDF-": "a PDF", b"PK\x03\x04": "a ZIP archive (or Office document)",
                 b"\xd0\xcf\x11\xe0": "an Office document", b"\x89PNG": "a PNG image",
                 b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                 b"\x1f\x8b": "gzip data"}
_BINARY_MAGIC = tuple(_BINARY_KINDS)


def _not_html(ctype: str | None, head: bytes) -> str:
    """Why a fetched page is no page: what the file is when its first bytes say (a PDF
    named .html or served as text/html), else its Content-Type, else no markup."""
    start = head[:1024].lstrip()
    kind = next((k for magic, k in _BINARY_KINDS.items() if start.startswith(magic)), None)
    if kind:
        return f"not an HTML page: the file is {kind}"
    if ctype and ctype not in HTML_TYPES:
        return f"not an HTML page (Content-Type {ctype})"
    return "not an HTML page: " + ("binary data" if b"\x00" in start else "no HTML markup in it")


def _looks_like_html(head: bytes) -> bool:
    start = head[:1024].lstrip()
    if start.startswith(_BINARY_MAGIC) or b"\x00" in start:
        return False  # a PDF (or image, archive) served as text/html is not a page
    lowered = head[:2048].lstrip().lower()
    return lowered.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml")) or (
        b"<html" in lowered or b"<body" in lowered or b"<p>" in lowered)


def work(source: str, ctx: JobContext, *, etag: str | None = None,
         last_modified: str | None = None) -> PageWork:
    url = source_url(source)
    started = time.monotonic()
    try:
        fetched = ctx.fetch(url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        return PageWork(JobResult("page", source, "failed", "requests",
                                  time.monotonic() - started, exc.reason, exc.permanent))
    if fetched.not_modified:
        return PageWork(JobResult("page", source, "unchanged", "requests",
                                  time.monotonic() - started), fetched)
    assert fetched.stored is not None
    html = fetched.stored.path.read_bytes()
    if not html.strip():
        return PageWork(JobResult("page", source, "failed", "requests",
                                  time.monotonic() - started, "empty page", False), fetched)
    ctype = fetched.content_type
    if (ctype and ctype not in HTML_TYPES) or not _looks_like_html(html):
        return PageWork(JobResult(
            "page", source, "failed", "requests", time.monotonic() - started,
            _not_html(ctype, html), True), fetched)
    try:
        page, doubts = parse_page_file(fetched.stored.path,
                                       fetched.url if not url.startswith("file:") else url)
    except ParseLimit as exc:
        return PageWork(JobResult("page", source, "failed", "konfarkiv parser",
                                  time.monotonic() - started, str(exc), exc.permanent),
                        fetched)
    return PageWork(JobResult("page", source, "succeeded", "konfarkiv parser",
                              time.monotonic() - started,
                              detail={"sessions": len(page.sessions), "title": page.title}),
                    fetched, page, html, tuple(doubts))
