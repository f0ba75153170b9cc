"""Opening and checking the Whoosh index, and keeping it up to the catalog.

The index is derived from the catalog: a missing, damaged or outdated one is
rebuilt from it (a fresh index beside the old one, swapped in); events a
killed writer left queued are indexed by the next writer or search. Writing
the documents themselves is segments.py's job.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from konfarkiv.search.index_files import INDEX_NAME, open_dir
from konfarkiv.search.schema import SCHEMA_VERSION, build_schema

if TYPE_CHECKING:  # writing only: a search opens the index without loading them
    from konfarkiv.archive.catalog import Catalog

VERSION_FILE = "konfarkiv-schema-version"


class IndexProblem(Exception):
    """The search index is missing, damaged or of another version."""


def _version_problem(path: Path) -> str | None:
    if not whoosh_index.exists_in(path, indexname=INDEX_NAME):
        return "no search index yet"
    version = path / VERSION_FILE
    if not version.is_file() or version.read_text().strip() != SCHEMA_VERSION:
        return "the search index was made by another version of konfarkiv"
    return None


def open_searcher(path: Path) -> tuple[FileIndex, Any]:
    """The index and a searcher over it, every segment's files opened once (a search
    checks and opens in one go); IndexProblem when missing, outdated or damaged."""
    problem = _version_problem(path)
    if problem:
        raise IndexProblem(problem)
    try:
        ix = open_dir(path)
        try:
            searcher = ix.searcher()  # opens every segment's files
            for reader, _ in searcher.reader().leaf_readers():
                reader.doc_count_all()
        except BaseException:
            ix.close()
            raise
    except Exception as exc:  # noqa: BLE001 - any failure to open means damaged
        raise IndexProblem(f"the search index is damaged ({type(exc).__name__}: {exc})"
                           ) from exc
    return ix, searcher


def index_ok(path: Path) -> str | None:
    """None when the index at path opens and is complete, else what is wrong."""
    try:
        ix, searcher = open_searcher(path)
    except IndexProblem as exc:
        return str(exc)
    searcher.close()
    ix.close()
    return None


def open_index(path: Path) -> FileIndex:
    problem = index_ok(path)
    if problem:
        raise IndexProblem(problem)
    return open_dir(path)


def create_index(path: Path) -> FileIndex:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(path, build_schema(), indexname=INDEX_NAME)
    (path / VERSION_FILE).write_text(SCHEMA_VERSION)
    return ix


#: Word counts per event, beside the index: an ingest recounts only its own events.
#: A zlib-compressed pickle (level 1: 4.2 -> 1.8 MB at 10k slides in 40 ms; the words
#: repeat from event to event).
EVENT_WORDS_FILE = "konfarkiv-event-words.pickle.z"


def prepare_lexicon(path: Path, catalog: Catalog, event_ids: Iterable[int] | None = None) -> None:
    """Split compounds with the catalog's own words (saved beside the index for queries).

    The counts are kept per event (EVENT_WORDS_FILE), so with ``event_ids`` only those
    events are recounted; the sum is the same as counting the whole catalog, which
    each ingested page did before (it grew with the archive: quadratic over a crawl).
    Without the file, or without ``event_ids``, every event is counted.
    """
    import pickle
    import zlib
    from collections import Counter

    from konfarkiv.search import vocabulary
    from konfarkiv.search.compounds import set_default_lexicon
    from konfarkiv.search.documents import event_documents

    store = path / EVENT_WORDS_FILE
    known = catalog.event_ids()
    per_event: dict[int, dict[str, int]] = {}
    todo: Iterable[int] = known
    if event_ids is not None and store.is_file():
        try:
            per_event = pickle.loads(zlib.decompress(store.read_bytes()))["events"]
            todo = event_ids
        except Exception:  # noqa: BLE001 - unreadable: count everything again
            per_event = {}
    for event_id in todo:
        per_event[event_id] = dict(vocabulary.count_words(event_documents(catalog, event_id)))
    per_event = {e: per_event[e] for e in known if e in per_event}
    counts: Counter[str] = Counter()
    for words in per_event.values():
        counts.update(words)
    path.mkdir(parents=True, exist_ok=True)
    tmp = store.with_name(store.name + ".tmp")
    tmp.write_bytes(zlib.compress(
        pickle.dumps({"version": 1, "events": per_event}, protocol=5), 1))
    tmp.replace(store)
    lexicon = vocabulary.lexicon_from_counts(counts)
    set_default_lexicon(lexicon)
    vocabulary.save(path, lexicon, counts)


def index_events(path: Path, catalog: Catalog, event_ids: Iterable[int]) -> int:
    """Replace the documents of these events in the index; returns docs written.

    The caller holds the archive's writer lock, so a damaged index (a run killed
    at a bad moment, a lost file) is rebuilt here from the catalog, which holds
    these events too, rather than failing every later run until `reindex`.
    """
    from konfarkiv.search.segments import write_events

    if index_ok(path) is not None:  # missing, damaged or of another version
        return rebuild(path, catalog)
    # Events a killed run changed in the catalog but never got into the index come along.
    ids = sorted(set(event_ids) | set(catalog.index_pending()))
    ix = open_dir(path)
    prepare_lexicon(path, catalog, ids)
    try:
        written = write_events(ix, catalog, ids)
    finally:
        ix.close()
    catalog.index_done(ids)
    return written


def rebuild(
    path: Path, catalog: Catalog, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build a whole new index from the catalog beside the old one, then swap it in."""
    from konfarkiv.search.segments import pool_mb, write_events

    fresh = path.with_name(path.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    ix = create_index(fresh)
    events = catalog.event_ids()
    prepare_lexicon(fresh, catalog)
    try:  # one writer, one segment (segments.py says why not one per core)
        written = write_events(ix, catalog, events, replace=False, progress=progress,
                               limitmb=pool_mb(catalog, events))
    finally:
        ix.close()
    old = path.with_name(path.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if path.exists():
        path.rename(old)
    fresh.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    catalog.index_done(None)
    return written
