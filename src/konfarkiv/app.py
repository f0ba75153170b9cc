"""Every writing command runs here: lock, operation, drain the index queue, unlock.

The catalog's triggers queue each event an operation changes, so no operation
indexes by itself: this one place does, under the same writer lock, and says what
it indexed. The command line and the web page both write through `write`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from konfarkiv.archive.archive import Archive

T = TypeVar("T")


@dataclass(frozen=True)
class Indexed:
    """What draining the index queue did: documents written, or why it failed."""

    docs: int = 0
    error: str | None = None


@runtime_checkable
class ReportsIndexing(Protocol):
    """A result that carries what was indexed (run reports, add/edit/remove results)."""

    indexed_docs: int
    index_error: str | None


@runtime_checkable
class RecordsRun(ReportsIndexing, Protocol):
    """A run's report (ingest, update): its figures go into the catalog's run record."""

    def figures(self) -> dict[str, int]: ...

    def summary(self) -> dict[str, Any]: ...

    def exit_status(self) -> Any: ...


R = TypeVar("R", bound=RecordsRun)


def index_queued(archive: Archive,
                 progress: Callable[[int, int], None] | None = None) -> Indexed:
    """Drain the index queue; an error is reported, not raised.

    The catalog keeps the queue until an index commit succeeds, so nothing is lost:
    the next writer or search takes the events in, and `reindex` rebuilds from it.
    """
    from konfarkiv.search.sync import drain_index_queue  # Whoosh loads only when writing

    try:
        if progress is not None:
            progress(0, len(archive.catalog.index_pending()))  # "indexing N events"
        return Indexed(drain_index_queue(archive, progress=progress))
    except Exception as exc:  # noqa: BLE001 - the catalog holds it; reindex rebuilds
        return Indexed(error=f"indexing failed ({type(exc).__name__}: {exc}); "
                             "run `konfarkiv reindex`")


def write(archive: Archive, command: str, operation: Callable[[Archive], T], *,
          wait: bool = False, indexing: Callable[[int, int], None] | None = None) -> T:
    """Run operation under the writer lock, then index what it changed before unlocking.

    An operation that raises leaves its changes (if any committed) queued for the
    next writer or search. The result, when it reports indexing, gets the figures.
    """
    with archive.writer_lock(wait=wait, command=command):
        result = operation(archive)
        indexed = index_queued(archive, indexing)
    if isinstance(result, ReportsIndexing):
        result.indexed_docs = indexed.docs
        result.index_error = indexed.error
    return result


def recorded_run(archive: Archive, command: str, operation: Callable[[Archive], R], *,
                 wait: bool = False, indexing: Callable[[int, int], None] | None = None) -> R:
    """`write` for ingest and update, with a run record: started when the lock is taken,
    finished after the index took the changes in, so it holds the documents indexed,
    any index error, the duration and the exit status. A run that raises (Ctrl-C, a
    kill) keeps only its start: shown as running or interrupted."""
    cat = archive.catalog
    with archive.writer_lock(wait=wait, command=command):
        started = time.monotonic()
        with cat.transaction():
            run_id = cat.run_started(command, os.getpid())
        report = operation(archive)
        indexed = index_queued(archive, indexing)
        report.indexed_docs = indexed.docs
        report.index_error = indexed.error
        with cat.transaction():
            cat.run_finished(run_id, figures=report.figures(),
                             duration=time.monotonic() - started,
                             exit_status=int(report.exit_status()), summary=report.summary())
    return report
