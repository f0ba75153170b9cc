"""The archive as the web sees it: opened read-only, never created.

Each server thread keeps one read-only catalog connection (SQLite's page cache stays
warm across requests); every statement starts a new read transaction, so a request
sees what a writer has committed by then (WAL). It takes no lock and cannot write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.home import ArchiveLayout
from konfarkiv.archive.store import FileStore

_local = threading.local()


def _catalog(path: Path) -> Catalog:
    """This thread's connection to the catalog file now at path (a new file, a new one)."""
    st = path.stat()
    key = (str(path), st.st_dev, st.st_ino)
    held: dict[tuple[str, int, int], Catalog] = getattr(_local, "catalogs", {})
    catalog = held.get(key)
    if catalog is None:
        for old in held.values():
            old.close()
        held = {key: Catalog.read_only(path)}
        _local.catalogs = held
        catalog = held[key]
    return catalog


@contextmanager
def open_read_only(home: Path) -> Iterator[Archive | None]:
    """The archive at home, or None while it holds no catalog yet (nothing ingested)."""
    layout = ArchiveLayout(home)
    if not layout.catalog.is_file():
        yield None
        return
    yield Archive(layout, FileStore(layout.files, layout.tmp), _catalog(layout.catalog))
