"""Bring the index up to the catalog: take in every event the catalog's queue holds.

The catalog's triggers queue each event a write changes (schema.sql, index_queue),
so writers never say what to index; whoever holds the writer lock drains the queue
here (konfarkiv.app after each writing command, a search when no writer runs).
"""

from __future__ import annotations

from collections.abc import Callable

from konfarkiv.archive.archive import Archive
from konfarkiv.search.index import index_events, index_ok, rebuild


def drain_index_queue(archive: Archive, *,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Index the queued events in one commit; returns documents written.

    The caller holds the writer lock. A missing, damaged or outdated index is
    rebuilt from the catalog instead (progress reports that rebuild), since the
    catalog holds everything the index is made of.
    """
    path, catalog = archive.layout.index, archive.catalog
    if index_ok(path) is not None:
        return rebuild(path, catalog, progress)
    pending = catalog.index_pending()
    if not pending:
        return 0
    return index_events(path, catalog, pending)
