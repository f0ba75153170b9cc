"""An open archive: its folders, file store and catalog together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from konfarkiv.archive.backup import drop, prune, same_catalog, snapshot_before_write
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.health import CatalogDamaged, lost_catalog
from konfarkiv.archive.home import ArchiveLayout
from konfarkiv.archive.lock import WriterLock
from konfarkiv.archive.pagetext import ocr_counts
from konfarkiv.archive.store import FileStore


@dataclass
class Archive:
    layout: ArchiveLayout
    store: FileStore
    catalog: Catalog

    @classmethod
    def open(cls, home: Path) -> Archive:
        layout = ArchiveLayout(home).create()
        lost = lost_catalog(layout)
        if lost:
            raise CatalogDamaged(lost)
        return cls(layout, FileStore(layout.files, layout.tmp), Catalog(layout.catalog))

    @contextmanager
    def writer_lock(self, *, wait: bool = False, command: str = "ingest") -> Iterator[WriterLock]:
        """Hold the writer lock; before anything is written, remove a killed writer's
        temporary files, check the catalog and snapshot it (backup.py), so every write
        can be undone with `konfarkiv restore`."""
        with WriterLock(self.layout.lock, wait=wait, command=command,
                        scratch=self.layout.tmp) as lock:
            lock.clean_scratch()  # a killed writer's half-downloads
            snapshot = snapshot_before_write(self.layout, self.catalog.db, command)
            changes = self.catalog.db.total_changes
            needless = False
            try:
                yield lock
                # A command that changed nothing but bookkeeping (a quiet nightly update):
                # its snapshot equals the next one and must not push out older ones.
                needless = (self.catalog.db.total_changes == changes
                            or same_catalog(snapshot, self.layout.catalog))
            except BaseException:
                needless = self.catalog.db.total_changes == changes  # refused
                raise
            finally:  # nor may a refused one push out the copy from before a mistake
                (drop(snapshot) if needless else prune(self.layout, snapshot))

    def require_content(self) -> None:
        """Raise ArchivistError when nothing is archived yet: a search would only say
        "no results", as if the words were missing rather than the archive."""
        if self.catalog.one("SELECT 1 FROM events LIMIT 1") is None:
            raise ArchivistError(f"the archive at {self.layout.root} is empty",
                                 "fill it with `konfarkiv ingest PAGE_URL_OR_FILE` "
                                 "(try examples/natverksmote/index.html) or `konfarkiv add`")

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.layout.root.rglob("*") if p.is_file())

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def archive_status(archive: Archive) -> dict[str, int | str]:
    """Counts of what the catalog holds, and the archive's size on disk."""
    counts: dict[str, int | str] = dict(archive.catalog.counts())
    counts.update({f"ocr_{k}": v for k, v in ocr_counts(archive.catalog).items()})
    counts["archive_bytes"] = archive.size_bytes()
    counts["home"] = str(archive.layout.root)
    return counts
