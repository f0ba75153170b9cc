"""Searching an archive on disk from tests: open it, search with the library, close it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.search.query import SearchResponse, search


def find(home: Path, text: str, **kwargs: Any) -> SearchResponse:
    """The library's search over the archive at `home` (its own index, its own catalog)."""
    archive = Archive.open(home)
    try:
        return search(archive.layout.index, archive.catalog, text, **kwargs)
    finally:
        archive.close()


def session_titles(resp: SearchResponse) -> list[str | None]:
    """Result titles in rank order (None for an event shown as itself)."""
    return [r.session["title"] for r in resp.results]
