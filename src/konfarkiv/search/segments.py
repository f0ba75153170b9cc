"""Writing index documents: one committing writer, or one segment per worker process.

Writes commit only on success: on any error the writer is cancelled and the
error re-raised, so the real cause shows and the index keeps its last commit.

Speed (benchmarks/README.md): a big batch's writers get a large in-memory pool
(``LIMITMB``); a batch written in this process alone (an ingest's few events, a
small archive) gets ``SMALL_LIMITMB``, which keeps an ingest's peak memory low
(issue 16: 332 -> 213 MB for a page of 75 PDFs) at little cost. Writers run
with Python's cyclic GC paused, since the pool's millions of posting tuples
make every GC pass slower; and a big batch (a rebuild, a large ingest) is split
by event over one worker process per core, each writing its own segment,
which this process adds to the index in its one commit. The workers write no
table of contents, so until that commit the index is unchanged; they die with
this process (PR_SET_PDEATHSIG) and a failure in any of them cancels the lot.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.documents import event_documents

#: Whoosh's in-memory posting pool per writer, in MB, before it spills sorted runs to disk.
LIMITMB = 256
#: The pool of a batch written in this process alone (below PARALLEL_MIN_DOCS, or one event).
SMALL_LIMITMB = 64
#: Batches estimated at fewer documents than this are written in this process alone
#: (starting a worker costs about half a second).
PARALLEL_MIN_DOCS = 1500
#: Most worker processes for one batch (each holds a pool of LIMITMB).
MAX_PROCS = 4
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
WRITER_OPTIONS: dict[str, Any] = {"limitmb": LIMITMB}

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


# -- the bulk path: one segment per worker process -----------------------------


def _die_with_parent(parent_pid: int) -> None:
    """SIGKILL this worker when its parent dies (Linux); else exit if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)


#: The worker's command: read its job from stdin before the heavy imports, so the
#: parent's write never waits on them.
_WORKER = ("import pickle, sys; job = pickle.load(sys.stdin.buffer); "
           "from konfarkiv.search.segments import _segment_worker; _segment_worker(job)")


def _segment_worker(job: dict[str, Any]) -> None:
    """Worker process: write these events' documents as one new segment; the
    result (status, segment, documents) goes to stdout, pickled."""
    import pickle

    _die_with_parent(job["parent_pid"])
    out = sys.stdout.buffer
    try:
        from whoosh.writing import SegmentWriter

        from konfarkiv.search.compounds import Lexicon, set_default_lexicon

        set_default_lexicon(Lexicon(job["lexicon"]))  # exactly the parent's splitter
        gc.disable()
        from konfarkiv.search.index_files import open_dir

        catalog = Catalog.read_only(Path(job["catalog"]))  # WAL: the parent's last commit
        ix = open_dir(job["index"])
        writer = SegmentWriter(ix, _lk=False, **WRITER_OPTIONS)  # the parent holds the lock
        try:
            written = _add_here(writer, catalog, job["events"])
        except BaseException:
            writer.cancel()
            raise
        if written:
            result = ("ok", writer._finalize_segment(), written)
        else:
            writer.cancel()
            result = ("ok", None, 0)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which cancels
        result = ("error", f"{type(exc).__name__}: {exc}", 0)
    pickle.dump(result, out)
    out.flush()


def _procs() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCS))


def _shares(catalog: Catalog, event_ids: list[int], procs: int) -> list[list[int]]:
    """Events dealt to procs workers, biggest first to the least loaded (by pages + cues)."""
    weight = dict.fromkeys(event_ids, 1)
    for event_id, n in catalog.pages_per_event().items():
        if event_id in weight:
            weight[event_id] += n
    for event_id, n in catalog.cues_per_event().items():
        if event_id in weight:
            weight[event_id] += n // 4
    if procs < 2 or sum(weight.values()) < PARALLEL_MIN_DOCS:
        return [event_ids]
    shares: list[list[int]] = [[] for _ in range(procs)]
    loads = [0] * procs
    for event_id in sorted(event_ids, key=lambda e: -weight[e]):
        i = loads.index(min(loads))
        shares[i].append(event_id)
        loads[i] += weight[event_id]
    return [s for s in shares if s]


def _add_here(writer: Any, catalog: Catalog, event_ids: list[int]) -> int:
    written = 0
    for event_id in event_ids:
        for doc in event_documents(catalog, event_id):
            writer.add_document(**doc)
            written += 1
    return written


def _add_events(writer: Any, path: Path, catalog: Catalog, shares: list[list[int]]) -> tuple[
        int, list[Any]]:
    """Add the events' documents: here, or over worker processes for a big batch.
    Returns (documents written, segments the workers wrote)."""
    if len(shares) == 1:
        return _add_here(writer, catalog, shares[0]), []
    import pickle
    import subprocess
    import tempfile

    from konfarkiv.search.compounds import default_lexicon

    table = dict(default_lexicon().table())
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])  # the folder holding konfarkiv/
    env["PYTHONPATH"] = os.pathsep.join(x for x in (src, env.get("PYTHONPATH")) if x)
    workers: list[tuple[subprocess.Popen[bytes], Any]] = []
    try:
        for share in shares[1:]:
            errors = tempfile.TemporaryFile()
            proc = subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=errors, env=env)
            workers.append((proc, errors))
            assert proc.stdin is not None
            try:
                pickle.dump({"index": str(path), "catalog": str(catalog.path), "events": share,
                             "lexicon": table, "parent_pid": os.getpid()}, proc.stdin)
                proc.stdin.close()
            except BrokenPipeError:
                pass  # the worker is gone: reported with its exit code below
        written = _add_here(writer, catalog, shares[0])
        segments = []
        for proc, errors in workers:
            assert proc.stdout is not None
            raw = proc.stdout.read()
            proc.wait()
            try:
                status, segment, n = pickle.loads(raw)
            except Exception:  # noqa: BLE001 - no answer: the worker died
                errors.seek(0)
                tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
                status, segment, n = "error", f"exit code {proc.returncode} {tail}", 0
            if status != "ok":
                raise RuntimeError(f"indexing failed in a worker process: {segment}")
            if segment is not None:
                segments.append(segment)
                written += n
        return written, segments
    finally:
        for proc, errors in workers:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
            errors.close()


def single_share(catalog: Catalog, event_ids: list[int]) -> bool:
    return len(_shares(catalog, event_ids, _procs())) == 1


def _commit(writer: Any, segments: list[Any]) -> None:
    """Commit the writer with the workers' segments added (Whoosh's own commit steps)."""
    if not segments:
        writer.commit(mergetype=merge_policy)
        return
    final = writer._merge_segments(None, None, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final + segments)
    writer._finish()


def merge_segments(ix: FileIndex) -> None:
    """Merge the index into one segment: a search sets up its matchers once per segment
    (benchmarks/README.md), so a bulk write (workers' segments) ends merged."""
    if len(ix._segments()) > 1:
        writer = ix.writer(limitmb=LIMITMB)
        try:
            with gc_paused():
                writer.commit(optimize=True)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise


def write_events(ix: FileIndex, path: Path, catalog: Catalog, event_ids: Iterable[int], *,
                 replace: bool = True) -> int:
    """Add (replacing, unless new) these events' documents in one commit; returns docs.
    A batch split over worker processes ends merged into one segment."""
    event_ids = list(event_ids)
    shares = _shares(catalog, event_ids, _procs())
    writer = ix.writer(limitmb=LIMITMB if len(shares) > 1 else SMALL_LIMITMB)
    try:
        with gc_paused():
            if replace:
                for event_id in event_ids:
                    writer.delete_by_term("event_id", str(event_id))
            written, segments = _add_events(writer, path, catalog, shares)
            _commit(writer, segments)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    if len(shares) > 1:
        merge_segments(ix)
    return written
