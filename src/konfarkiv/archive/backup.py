"""Snapshots of the catalog before every write, and bringing one back.

The catalog is the one record of what the stored files are; losing it must never
mean losing the archive. Each writing command first checks the catalog (SQLite's
quick_check) and copies it with SQLite's backup API, which gives a consistent copy
even while WAL readers are open; the last KEEP snapshots stay in home/backups/.
A damaged catalog is never snapshotted, so damage cannot push the good copies out.
`restore` moves the current catalog aside (nothing is deleted) and puts a checked
snapshot in its place; the search index, now out of step, is removed so that the
next search rebuilds it from the restored catalog.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.health import CatalogDamaged, integrity_problem
from konfarkiv.archive.home import ArchiveLayout

KEEP = 3
PREFIX = "catalog-"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy of an open catalog, written under a temporary name first."""
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
    finally:
        target.close()
    os.replace(tmp, dest)


def snapshot_before_write(layout: ArchiveLayout, db: sqlite3.Connection) -> Path:
    """Check the catalog, then snapshot it; refuse to write to a damaged catalog."""
    problem = integrity_problem(layout.catalog, quick=True)
    if problem:
        raise CatalogDamaged(f"the catalog {layout.catalog} is damaged ({problem}); "
                             "nothing was written")
    layout.backups.mkdir(exist_ok=True)
    dest = layout.backups / f"{PREFIX}{_stamp()}.sqlite"
    _copy(db, dest)
    for old in snapshots(layout)[KEEP:]:
        old.path.unlink(missing_ok=True)
    return dest


@dataclass(frozen=True)
class Snapshot:
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def taken(self) -> str:
        raw = self.path.stem.removeprefix(PREFIX)
        return datetime.strptime(raw, "%Y%m%dT%H%M%S.%fZ").replace(
            tzinfo=UTC, microsecond=0).isoformat()


def snapshots(layout: ArchiveLayout) -> list[Snapshot]:
    """The snapshots, newest first."""
    found = sorted(layout.backups.glob(f"{PREFIX}*.sqlite"), reverse=True) \
        if layout.backups.is_dir() else []
    return [Snapshot(p, p.stat().st_size) for p in found]


@dataclass(frozen=True)
class Restored:
    snapshot: Snapshot
    kept_aside: Path | None  # where the replaced catalog now is


def restore(layout: ArchiveLayout, name: str | None = None) -> Restored:
    """Put a snapshot (by name, default the newest) in the catalog's place.

    The caller holds the writer lock. The replaced catalog and its WAL are moved
    aside into backups/, never deleted."""
    known = snapshots(layout)
    if not known:
        raise ArchivistError(f"no snapshots in {layout.backups}",
                             "every writing command takes one; none has run here yet")
    chosen = known[0] if name is None else next(
        (s for s in known if name in (s.name, s.path.stem, str(s.path))), None)
    if chosen is None:
        raise ArchivistError(f"no snapshot named {name!r}",
                             "`konfarkiv restore` without a name lists them")
    problem = integrity_problem(chosen.path)
    if problem:
        raise ArchivistError(f"{chosen.name} is damaged too ({problem})",
                             "choose another snapshot from `konfarkiv restore`")
    stamp = _stamp()
    aside = None
    for suffix in ("", "-wal", "-shm"):
        current = Path(f"{layout.catalog}{suffix}")
        if current.exists():
            moved = layout.backups / f"replaced-{stamp}.sqlite{suffix}"
            os.replace(current, moved)
            aside = aside or moved
    source = sqlite3.connect(f"file:{chosen.path}?mode=ro", uri=True)
    try:
        _copy(source, layout.catalog)
    finally:
        source.close()
    shutil.rmtree(layout.index, ignore_errors=True)  # out of step: the next search rebuilds
    return Restored(chosen, aside)
