"""Opening, writing and rebuilding the Whoosh index (derived from the catalog).

Writes commit only on success: on any error the writer is cancelled and the
error re-raised, so the real cause shows and the index keeps its last commit.
A rebuild writes a fresh index beside the old one and swaps it in.

Speed (benchmarks/README.md): writers get a large in-memory pool (``LIMITMB``)
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
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.documents import event_documents
from konfarkiv.search.schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "konfarkiv"
#: Whoosh's in-memory posting pool per writer, in MB, before it spills sorted runs to disk.
LIMITMB = 256
#: Batches estimated at fewer documents than this are written in this process alone
#: (starting a worker costs about half a second).
PARALLEL_MIN_DOCS = 1500
#: Most worker processes for one batch (each holds a pool of LIMITMB).
MAX_PROCS = 4
WRITER_OPTIONS: dict[str, Any] = {"limitmb": LIMITMB}
VERSION_FILE = "konfarkiv-schema-version"


class IndexProblem(Exception):
    """The search index is missing, damaged or of another version."""


def _open_dir(path: Path | str) -> FileIndex:
    """Open the index without mmap: Whoosh copies every part of an mmapped compound
    segment into memory (BytesIO) at each open, tens of ms and MB per search at 100k
    slides; plain file reads open in about 1 ms and search as fast."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(path), supports_mmap=False).open_index(INDEX_NAME)


def index_ok(path: Path) -> str | None:
    """None when the index at path opens and is complete, else what is wrong."""
    if not whoosh_index.exists_in(path, indexname=INDEX_NAME):
        return "no search index yet"
    version = path / VERSION_FILE
    if not version.is_file() or version.read_text().strip() != SCHEMA_VERSION:
        return "the search index was made by another version of konfarkiv"
    try:
        ix = _open_dir(path)
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
    return _open_dir(path)


def create_index(path: Path) -> FileIndex:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(path, build_schema(), indexname=INDEX_NAME)
    (path / VERSION_FILE).write_text(SCHEMA_VERSION)
    return ix


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


@contextmanager
def committing_writer(ix: FileIndex, **kwargs: Any):
    """A writer that commits only when the block succeeds."""
    writer = ix.writer(**{**WRITER_OPTIONS, **kwargs})
    try:
        with gc_paused():
            yield writer
    except BaseException:
        writer.cancel()
        raise
    else:
        writer.commit()


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
           "from konfarkiv.search.index import _segment_worker; _segment_worker(job)")


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
        catalog = Catalog.read_only(Path(job["catalog"]))  # WAL: the parent's last commit
        ix = _open_dir(job["index"])
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


def _add_events(writer: Any, path: Path, catalog: Catalog, event_ids: list[int]) -> tuple[
        int, list[Any]]:
    """Add the events' documents: here, or over worker processes for a big batch.
    Returns (documents written, segments the workers wrote)."""
    shares = _shares(catalog, event_ids, _procs())
    if len(shares) == 1:
        return _add_here(writer, catalog, event_ids), []
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


def _single_share(catalog: Catalog, event_ids: list[int]) -> bool:
    return len(_shares(catalog, event_ids, _procs())) == 1


def _commit(writer: Any, segments: list[Any]) -> None:
    """Commit the writer with the workers' segments added (Whoosh's own commit steps)."""
    if not segments:
        writer.commit()
        return
    final = writer._merge_segments(None, None, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final + segments)
    writer._finish()


def write_events(ix: FileIndex, path: Path, catalog: Catalog, event_ids: Iterable[int], *,
                 replace: bool = True) -> int:
    """Add (replacing, unless new) these events' documents in one commit; returns docs."""
    event_ids = list(event_ids)
    writer = ix.writer(**WRITER_OPTIONS)
    try:
        with gc_paused():
            if replace:
                for event_id in event_ids:
                    writer.delete_by_term("event_id", str(event_id))
            written, segments = _add_events(writer, path, catalog, event_ids)
            _commit(writer, segments)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return written


#: Word counts per event, beside the index: an ingest recounts only its own events.
EVENT_WORDS_FILE = "konfarkiv-event-words.pickle"


def prepare_lexicon(path: Path, catalog: Catalog, event_ids: Iterable[int] | None = None) -> None:
    """Split compounds with the catalog's own words (saved beside the index for queries).

    The counts are kept per event (EVENT_WORDS_FILE), so with ``event_ids`` only those
    events are recounted; the sum is the same as counting the whole catalog, which
    each ingested page did before (it grew with the archive: quadratic over a crawl).
    Without the file, or without ``event_ids``, every event is counted.
    """
    import pickle
    from collections import Counter

    from konfarkiv.search import vocabulary
    from konfarkiv.search.compounds import set_default_lexicon

    store = path / EVENT_WORDS_FILE
    known = catalog.event_ids()
    per_event: dict[int, dict[str, int]] = {}
    todo: Iterable[int] = known
    if event_ids is not None and store.is_file():
        try:
            per_event = pickle.loads(store.read_bytes())["events"]
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
    tmp.write_bytes(pickle.dumps({"version": 1, "events": per_event}, protocol=5))
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
    if index_ok(path) is not None:  # missing, damaged or of another version
        return rebuild(path, catalog)
    # Events a killed run changed in the catalog but never got into the index come along.
    ids = sorted(set(event_ids) | set(catalog.index_pending()))
    ix = _open_dir(path)
    prepare_lexicon(path, catalog, ids)
    try:
        written = write_events(ix, path, catalog, ids)
    finally:
        ix.close()
    catalog.index_done(ids)
    return written


def rebuild(
    path: Path, catalog: Catalog, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build a whole new index from the catalog beside the old one, then swap it in."""
    fresh = path.with_name(path.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    ix = create_index(fresh)
    events = catalog.event_ids()
    prepare_lexicon(fresh, catalog)
    try:
        if progress is None or not _single_share(catalog, events):
            written = write_events(ix, fresh, catalog, events, replace=False)
            if progress:
                progress(len(events), len(events))
        else:
            written = 0
            with committing_writer(ix) as writer:
                for i, event_id in enumerate(events, 1):
                    for doc in event_documents(catalog, event_id):
                        writer.add_document(**doc)
                        written += 1
                    progress(i, len(events))
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


def ensure_index(path: Path, catalog: Catalog) -> str | None:
    """Rebuild a missing or damaged index from the catalog; returns a message if it did.

    A rebuild is a write: it takes the archive's writer lock (writer.lock beside
    the index folder), so a search never rebuilds under a running ingest; while
    one runs, the problem is raised as IndexProblem.
    """
    problem = index_ok(path)
    if problem is None and not catalog.index_pending():
        return None  # the usual case: no lock made, filelock not even imported
    from konfarkiv.archive.lock import ArchiveBusy, WriterLock

    lock = WriterLock(path.parent / "writer.lock", command="search (reindex)")
    if problem is None:
        return _catch_up(path, catalog, lock)
    try:
        with lock:
            problem = index_ok(path)  # the writer that held the lock may have mended it
            if problem is None:
                return None
            docs = rebuild(path, catalog)
    except ArchiveBusy as exc:
        raise IndexProblem(f"{problem}; not rebuilt now: {exc}") from exc
    return f"{problem}: rebuilt the search index from the catalog ({docs} documents)"


def _catch_up(path: Path, catalog: Catalog, lock: Any) -> str | None:
    """Index events a killed writer left queued, when no writer is running now.

    While one runs, it will take them in itself; the search meanwhile answers
    from the last committed index.
    """
    from konfarkiv.archive.lock import ArchiveBusy

    if not catalog.index_pending():
        return None
    try:
        with lock:
            pending = catalog.index_pending()
            if not pending:
                return None
            index_events(path, catalog, pending)
    except ArchiveBusy:
        return None
    return (f"{len(pending)} changed event(s) were not yet in the search index "
            "(an interrupted run?): indexed them now")
