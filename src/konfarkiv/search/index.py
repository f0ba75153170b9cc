"""Opening, writing and rebuilding the Whoosh index (derived from the catalog).

Writes commit only on success: on any error the writer is cancelled and the
error re-raised, so the real cause shows and the index keeps its last commit.
A rebuild writes a fresh index beside the old one and swaps it in.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.documents import event_documents
from konfarkiv.search.schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "konfarkiv"
BATCH_DOCS = 5000
VERSION_FILE = "konfarkiv-schema-version"


class IndexProblem(Exception):
    """The search index is missing, damaged or of another version."""


def index_ok(path: Path) -> str | None:
    """None when the index at path opens and is complete, else what is wrong."""
    if not whoosh_index.exists_in(path, indexname=INDEX_NAME):
        return "no search index yet"
    version = path / VERSION_FILE
    if not version.is_file() or version.read_text().strip() != SCHEMA_VERSION:
        return "the search index was made by another version of konfarkiv"
    try:
        ix = whoosh_index.open_dir(path, indexname=INDEX_NAME)
        try:
            with ix.searcher() as searcher:  # opens every segment's files
                for reader, _ in searcher.reader().leaf_readers():
                    reader.doc_count_all()
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - any failure to open means damaged
        return f"the search index is damaged ({type(exc).__name__}: {exc})"
    return None


def open_index(path: Path) -> FileIndex:
    problem = index_ok(path)
    if problem:
        raise IndexProblem(problem)
    return whoosh_index.open_dir(path, indexname=INDEX_NAME)


def create_index(path: Path) -> FileIndex:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(path, build_schema(), indexname=INDEX_NAME)
    (path / VERSION_FILE).write_text(SCHEMA_VERSION)
    return ix


@contextmanager
def committing_writer(ix: FileIndex, **kwargs: Any):
    """A writer that commits only when the block succeeds."""
    writer = ix.writer(limitmb=128, **kwargs)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    else:
        writer.commit()


def prepare_lexicon(path: Path, catalog: Catalog) -> None:
    """Split compounds with the catalog's own words (saved beside the index for queries)."""
    from konfarkiv.search.vocabulary import prepare

    events = [r["id"] for r in catalog.all("SELECT id FROM events ORDER BY id")]
    prepare(path, (doc for e in events for doc in event_documents(catalog, e)))


def index_events(path: Path, catalog: Catalog, event_ids: Iterable[int]) -> int:
    """Replace the documents of these events in the index; returns docs written.

    The caller holds the archive's writer lock, so a damaged index (a run killed
    at a bad moment, a lost file) is rebuilt here from the catalog, which holds
    these events too, rather than failing every later run until `reindex`.
    """
    if whoosh_index.exists_in(path, indexname=INDEX_NAME):
        if index_ok(path) is not None:
            return rebuild(path, catalog)
        ix = whoosh_index.open_dir(path, indexname=INDEX_NAME)
    else:
        ix = create_index(path)
    prepare_lexicon(path, catalog)
    written = 0
    try:
        with committing_writer(ix) as writer:
            for event_id in event_ids:
                writer.delete_by_term("event_id", str(event_id))
                for doc in event_documents(catalog, event_id):
                    writer.add_document(**doc)
                    written += 1
    finally:
        ix.close()
    return written


def rebuild(
    path: Path, catalog: Catalog, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build a whole new index from the catalog beside the old one, then swap it in."""
    fresh = path.with_name(path.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    ix = create_index(fresh)
    events = [r["id"] for r in catalog.all("SELECT id FROM events ORDER BY id")]
    prepare_lexicon(fresh, catalog)
    written = 0
    try:
        writer = ix.writer(limitmb=256)
        try:
            for i, event_id in enumerate(events, 1):
                for doc in event_documents(catalog, event_id):
                    writer.add_document(**doc)
                    written += 1
                if progress:
                    progress(i, len(events))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    finally:
        ix.close()
    old = path.with_name(path.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if path.exists():
        path.rename(old)
    fresh.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    return written


def ensure_index(path: Path, catalog: Catalog, *, writer_lock: Path | None = None) -> str | None:
    """Rebuild a missing or damaged index from the catalog; returns a message if it did.

    A rebuild is a write: it takes the archive's writer lock (by default the
    writer.lock beside the index folder), so a search never rebuilds under a
    running ingest; while one runs, the problem is raised as IndexProblem.
    """
    from konfarkiv.archive.lock import ArchiveBusy, WriterLock

    problem = index_ok(path)
    if problem is None:
        return None
    lock = WriterLock(writer_lock or path.parent / "writer.lock", command="search (reindex)")
    try:
        with lock:
            problem = index_ok(path)  # the writer that held the lock may have mended it
            if problem is None:
                return None
            docs = rebuild(path, catalog)
    except ArchiveBusy as exc:
        raise IndexProblem(f"{problem}; not rebuilt now: {exc}") from exc
    return f"{problem}: rebuilt the search index from the catalog ({docs} documents)"
