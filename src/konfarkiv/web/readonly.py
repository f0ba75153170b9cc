"""The archive as the web sees it: opened read-only, per request, never created.

A fresh read-only connection per request sees what a writer has committed by then
(WAL), takes no lock and cannot change anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.home import ArchiveLayout
from konfarkiv.archive.store import FileStore


@contextmanager
def open_read_only(home: Path) -> Iterator[Archive | None]:
    """The archive at home, or None while it holds no catalog yet (nothing ingested)."""
    layout = ArchiveLayout(home)
    if not layout.catalog.is_file():
        yield None
        return
    archive = Archive(layout, FileStore(layout.files, layout.tmp),
                      Catalog.read_only(layout.catalog))
    try:
        yield archive
    finally:
        archive.close()
