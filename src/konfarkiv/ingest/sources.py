"""The sources `update` follows: pages, and listings whose pages become sources too.

Adding, listing and removing sources only edits that list; nothing archived is
fetched or deleted here (`update` does the fetching).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.keys import clean_url, page_key
from konfarkiv.ingest.page_job import source_url
from konfarkiv.ingest.sourcecheck import source_problem


class SourceError(Exception):
    """A source cannot be added or removed as asked."""


def add_source(archive: Archive, url: str, *, follow_listing: bool = False) -> dict[str, Any]:
    """Follow url from now on (a page, or with follow_listing a listing to crawl)."""
    problem = source_problem(url)  # what ingest refuses before fetching, refused here too
    if problem is not None:
        raise SourceError(f"{url}: {problem.message}; {problem.hint}")
    target = source_url(url)
    if target.startswith("file://") and not Path(unquote(urlsplit(target).path)).is_file():
        raise SourceError(f"{url}: no such file")
    if follow_listing:
        target = clean_url(target)
    cat = archive.catalog
    known = cat.source_by_url(target)
    with cat.transaction():
        cat.add_source(target, follow=follow_listing)
    row = cat.source_by_url(target)
    assert row is not None  # just added
    return {**_source_json(row), "added": known is None}


def remove_source(archive: Archive, url: str) -> int:
    """Stop following a source (by its URL, or any URL of the same page); keeps the archive."""
    cat = archive.catalog
    target = source_url(url)
    row = cat.source_by_url(target) or cat.source_by_url(clean_url(target))
    if row is not None:
        address = str(row["url"])
    else:
        matches = [u for u in cat.source_urls() if page_key(u) == page_key(target)]
        if len(matches) != 1:
            raise SourceError(f"{url}: not a source" if not matches else
                              f"{url}: matches {len(matches)} sources; give the exact URL")
        address = matches[0]
    with cat.transaction():
        return cat.remove_source(address)


def _source_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"url": row["url"], "kind": "listing" if row["follow"] else "page",
            "status": row["status"], "error": row["error"], "attempts": row["attempts"],
            "permanent": bool(row["permanent"]), "next_try": row["next_try"],
            "last_checked": row["last_checked"], "added_at": row["added_at"],
            "via": row["via"], "id": row["id"]}


def list_sources(archive: Archive) -> list[dict[str, Any]]:
    """Every source: listings with how many pages they led to, and the pages."""
    out = []
    for row in archive.catalog.sources():
        item = _source_json(row)
        if row["follow"]:
            item["found"] = row["found"]
        via = archive.catalog.source(row["via"]) if row["via"] else None
        item["via"] = via["url"] if via else None
        event = archive.catalog.event_by_key(page_key(row["url"]))
        item["event"] = {"title": event.title, "status": event.status} if event else None
        out.append(item)
    return out
