"""Writing index documents: one committing writer, one new segment per commit.

Writes commit only on success: on any error the writer is cancelled and the
error re-raised, so the real cause shows and the index keeps its last commit.

One writer, not one per core: a search sets up its matchers once per segment, so
segments written in parallel must be merged into one, and Whoosh's merge re-reads
and re-writes every posting (benchmarks/index_build.py at 10k slides: two worker
processes and the merge took 135.7 s wall and 92.6 s CPU, one writer 80.0 s and
54.2 s; merging 8 segments into one alone took 67 s CPU). A rebuild is one
writer's one segment; each later commit merges by ``merge_policy``.

Speed (benchmarks/README.md): a big rebuild's writer gets a large in-memory pool
(``LIMITMB``); an ingest's or update's write, and a small rebuild, get
``SMALL_LIMITMB``, which keeps an ingest's peak memory low (issue 16: 332 -> 213 MB
for a page of 75 PDFs) at little cost. Writers run with Python's cyclic GC paused,
since the pool's millions of posting tuples make every GC pass slower.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from whoosh.index import FileIndex

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.documents import event_documents

#: Whoosh's in-memory posting pool per writer, in MB, before it spills sorted runs to disk.
LIMITMB = 256
#: The pool of an ingest's or update's write, and of a rebuild estimated at fewer than
#: BIG_BATCH documents: it keeps an ingest's peak memory low (issue 16).
SMALL_LIMITMB = 64
BIG_BATCH = 1500
#: Segments are kept in tiers: a commit merges into the segment it writes every older
#: segment at most TIER times the documents merged so far (its own first), smallest
#: first, and never leaves more than MAX_SEGMENTS. Sizes then grow geometrically, so a
#: document is rewritten a bounded number of times, not at every commit. A search pays
#: per segment (matchers, term lists): benchmarks/segment_cost.py at 10k slides, 1 -> 8
#: segments made a 1-word search's p50 32 -> 88 ms, a 2-word one's 72 -> 228 ms.
#: Simulated, 1,000 ingests of 300 documents into 170k: 3.6 segments on average (4 at
#: most) and each document written 11 times, where Whoosh's own MERGE_SMALL leaves 13
#: on average (24 at most) at 3.4 writes.
TIER = 3
#: Never more segments than this after a commit (the smallest are merged first).
MAX_SEGMENTS = 4
#: A segment with more than this share of its documents deleted (re-ingested events
#: replace theirs) is rewritten without them at the next write.
DELETED_SHARE = 0.25


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while postings pile up (documents hold no cycles)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """The segments a commit keeps apart; the others are merged into the one it writes
    (tiers by size, a cap on their number, and mostly-deleted ones rewritten)."""
    from whoosh.reading import SegmentReader

    merge = [s for s in segments if s.deleted_count() > DELETED_SHARE * s.doc_count_all()]
    rest = sorted((s for s in segments if s not in merge), key=lambda s: s.doc_count_all())
    merged = max(1, getattr(writer, "docnum", 0)) + sum(s.doc_count() for s in merge)
    while rest and (rest[0].doc_count_all() <= TIER * merged or len(rest) >= MAX_SEGMENTS):
        segment = rest.pop(0)
        merge.append(segment)
        merged += segment.doc_count()
    for segment in merge:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return rest


def pool_mb(catalog: Catalog, event_ids: list[int]) -> int:
    """The posting pool for rebuilding these events: large for a big batch (pages +
    cues / 4)."""
    wanted = set(event_ids)
    weight = len(event_ids)
    weight += sum(n for e, n in catalog.pages_per_event().items() if e in wanted)
    weight += sum(n // 4 for e, n in catalog.cues_per_event().items() if e in wanted)
    return LIMITMB if weight >= BIG_BATCH else SMALL_LIMITMB


@contextmanager
def committing_writer(ix: FileIndex, **kwargs: Any):
    """A writer (the small pool unless told) that commits only when the block succeeds."""
    writer = ix.writer(**{"limitmb": SMALL_LIMITMB, **kwargs})
    try:
        with gc_paused():
            yield writer
    except BaseException:
        writer.cancel()
        raise
    else:
        writer.commit(mergetype=merge_policy)


def write_events(ix: FileIndex, catalog: Catalog, event_ids: Iterable[int], *,
                 replace: bool = True, limitmb: int = SMALL_LIMITMB,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Add (replacing, unless new) these events' documents in one commit; returns docs.
    progress(events done, events) is told after each event."""
    event_ids = list(event_ids)
    written = 0
    with committing_writer(ix, limitmb=limitmb) as writer:
        if replace:
            for event_id in event_ids:
                writer.delete_by_term("event_id", str(event_id))
        for i, event_id in enumerate(event_ids, 1):
            for doc in event_documents(catalog, event_id):
                writer.add_document(**doc)
                written += 1
            if progress:
                progress(i, len(event_ids))
    return written
