"""Archives built for tests by the real ingest, as `konfarkiv ingest` builds them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from konfarkiv.app import write
from konfarkiv.archive.archive import Archive
from konfarkiv.ingest.run import ingest


def ingested_archive(home: Path, sources: Iterable[str | Path]) -> Path:
    """An archive at `home` holding `sources` (pages: paths or URLs), ingested and indexed
    through the one writing surface; every item and the indexing must succeed."""
    archive = Archive.open(home)
    try:
        report = write(archive, "ingest", lambda a: ingest(a, [str(s) for s in sources]))
        assert not report.failures, [r.line() for r in report.failures]
        assert not report.index_error, report.index_error
    finally:
        archive.close()
    return home
