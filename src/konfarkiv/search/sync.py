"""Bring the index up to the catalog: take in every event the catalog's queue holds.

The catalog's triggers queue each event a write changes (schema.sql, index_queue),
so writers never say what to index; whoever holds the writer lock drains the queue
here (konfarkiv.app after each writing command, a search when no writer runs), so
the index is written in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from konfarkiv.archive.archive import Archive
from konfarkiv.search.index import IndexProblem, index_events, index_ok, rebuild


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


def ensure_index(archive: Archive) -> str | None:
    """Before a search: mend a missing or damaged index and take in what a killed
    writer left queued; returns a message if it did.

    That is a write: it takes the archive's writer lock (the writer.lock beside
    the index folder), so a search never writes under a running ingest. While one
    runs, queued events wait for it (the search answers from the last commit) and
    a damaged index is raised as IndexProblem.
    """
    from konfarkiv.search.warm import index_problem

    path, catalog = archive.layout.index, archive.catalog
    problem = index_problem(path)  # opened once: the search goes on with this searcher
    if problem is None and not catalog.index_pending():
        return None  # the usual case: no lock made, filelock not even imported
    from konfarkiv.archive.lock import ArchiveBusy, WriterLock

    try:
        with WriterLock(archive.layout.lock, command="search (reindex)"):
            problem = index_ok(path)  # the writer that held the lock may have mended it
            pending = catalog.index_pending()
            if problem is None and not pending:
                return None
            docs = drain_index_queue(archive)
    except ArchiveBusy as exc:
        if problem is None:
            return None
        raise IndexProblem(f"{problem}; not rebuilt now: {exc}") from exc
    if problem is not None:
        return f"{problem}: rebuilt the search index from the catalog ({docs} documents)"
    return (f"{len(pending)} changed event(s) were not yet in the search index "
            "(an interrupted run?): indexed them now")
