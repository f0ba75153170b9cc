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
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.health import CatalogDamaged, integrity_problem
from konfarkiv.archive.home import ArchiveLayout

KEEP = 3
PREFIX = "catalog-"
#: Only files named exactly as snapshot_before_write names them are snapshots: anything else
#: in backups/ (a copy someone left, a file planted there) is never listed, restored or
#: counted towards KEEP (issue 26 item 12).
_NAME = re.compile(r"^catalog-(\d{8}T\d{6}\.\d{6}Z)\.sqlite$")
_STAMP = "%Y%m%dT%H%M%S.%fZ"
#: The tables every konfarkiv catalog has; a snapshot without them is not one.
CATALOG_TABLES = ("events", "sessions", "materials")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _copy(source: sqlite3.Connection, dest: Path, before: str | None = None) -> None:
    """A consistent copy of an open catalog, written under a temporary name first; with
    `before`, the copy notes the command it was taken before (meta snapshot_before), else
    it has no such note (a restored catalog)."""
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        with target:
            target.execute("DELETE FROM meta WHERE key='snapshot_before'")
            if before:
                target.execute("INSERT INTO meta(key, value) VALUES ('snapshot_before', ?)",
                               (before,))
    finally:
        target.close()
    os.replace(tmp, dest)


def taken_before(path: Path) -> str | None:
    """The command a snapshot was taken before, as it noted it (None: not noted)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='snapshot_before'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def snapshot_before_write(layout: ArchiveLayout, db: sqlite3.Connection,
                          command: str | None = None) -> Path:
    """Check the catalog, then snapshot it; refuse to write to a damaged catalog. The
    snapshot notes the command it was taken before (for `restore`'s list)."""
    problem = integrity_problem(layout.catalog, quick=True)
    if problem:
        raise CatalogDamaged(f"the catalog {layout.catalog} is damaged ({problem}); "
                             "nothing was written")
    layout.backups.mkdir(exist_ok=True)
    dest = layout.backups / f"{PREFIX}{_stamp()}.sqlite"
    _copy(db, dest, command)
    return dest


#: What a run changes without changing the archive: its own record, the index queue (drained
#: before unlock), and per row when it was last asked, seen, fetched or retried.
_BOOKKEEPING_TABLES = frozenset({"runs", "index_queue"})
_BOOKKEEPING_COLUMNS = frozenset({"last_checked", "last_seen", "fetched_at", "etag",
                                  "last_modified", "attempts", "next_try", "reported_at"})


def _columns(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in db.execute(f'PRAGMA "{schema}".table_info("{table}")')]


def same_catalog(snapshot: Path, catalog: Path) -> bool:
    """True when the catalog holds what the snapshot holds, bookkeeping aside: the command
    after the snapshot changed nothing an archivist would restore (read-only on both)."""
    db = sqlite3.connect(f"file:{snapshot}?mode=ro&immutable=1", uri=True)
    try:
        db.execute("ATTACH DATABASE ? AS live", (f"file:{catalog}?mode=ro",))
        tables = {r[0] for r in db.execute(
            "SELECT name FROM main.sqlite_master WHERE type='table'")}
        live = {r[0] for r in db.execute(
            "SELECT name FROM live.sqlite_master WHERE type='table'")}
        if tables != live:
            return False
        for table in sorted(tables - _BOOKKEEPING_TABLES):
            cols = _columns(db, "main", table)
            if cols != _columns(db, "live", table):
                return False
            kept = ", ".join(f'"{c}"' for c in cols if c not in _BOOKKEEPING_COLUMNS)
            where = " WHERE key != 'snapshot_before'" if table == "meta" else ""
            q = f'SELECT {kept} FROM "{{0}}"."{table}"{where}'
            if db.execute(f"SELECT (SELECT count(*) FROM ({q.format('main')})) = "
                          f"(SELECT count(*) FROM ({q.format('live')})) AND NOT EXISTS "
                          f"({q.format('main')} EXCEPT {q.format('live')}) AND NOT EXISTS "
                          f"({q.format('live')} EXCEPT {q.format('main')})").fetchone()[0] != 1:
                return False
        return True
    except sqlite3.Error:
        return False  # cannot tell: keep the snapshot
    finally:
        db.close()


def prune(layout: ArchiveLayout, keep: Path) -> None:
    """Keep the KEEP newest snapshots, `keep` (the one just taken) always among them."""
    older = [s for s in snapshots(layout) if s.path != keep]
    for old in older[KEEP - 1:]:
        old.path.unlink(missing_ok=True)


def drop(snapshot: Path) -> None:
    """Forget a snapshot taken for a command that then changed nothing (it was refused):
    three refused commands must not push out the copy from before a mistake."""
    snapshot.unlink(missing_ok=True)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    size: int
    before: str | None = None  # the command it was taken before, where noted

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def taken(self) -> str:
        stamp = _taken(self.path)
        return (stamp or datetime.min.replace(tzinfo=UTC)).replace(microsecond=0).isoformat()


def _taken(path: Path) -> datetime | None:
    """When a snapshot named as konfarkiv names them was taken; None for any other name,
    or a time more than a day ahead (no clock konfarkiv ran under made it)."""
    m = _NAME.match(path.name)
    if m is None:
        return None
    try:
        when = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return when if when <= datetime.now(UTC) + timedelta(days=1) else None


def snapshots(layout: ArchiveLayout) -> list[Snapshot]:
    """The snapshots, newest first: regular files named as konfarkiv names them."""
    if not layout.backups.is_dir():
        return []
    found = []
    for p in layout.backups.iterdir():
        when = _taken(p)
        if when is not None and not p.is_symlink() and p.is_file():
            found.append((when, p))
    return [Snapshot(p, p.stat().st_size, taken_before(p))
            for _, p in sorted(found, reverse=True)]


def not_a_catalog(path: Path) -> str | None:
    """None when path is an SQLite database with a konfarkiv catalog's tables, else why
    not (read-only: the file is not changed)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            names = {r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            db.close()
    except sqlite3.Error as exc:
        return f"not an SQLite database ({exc})"
    missing = [t for t in CATALOG_TABLES if t not in names]
    return f"not a konfarkiv catalog (no {', '.join(missing)} table)" if missing else None


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
    problem = not_a_catalog(chosen.path) or integrity_problem(chosen.path, immutable=True)
    if problem:
        raise ArchivistError(f"{chosen.name} cannot be restored ({problem})",
                             "choose another snapshot from `konfarkiv restore`")
    # The copy is made first, beside the catalog: a full disk fails here, with the
    # catalog untouched; only then is the current one moved aside and the copy put in.
    incoming = layout.catalog.with_name(layout.catalog.name + ".restoring")
    source = sqlite3.connect(f"file:{chosen.path}?mode=ro&immutable=1", uri=True)
    try:
        _copy(source, incoming)
    except (OSError, sqlite3.Error):
        for leftover in (incoming, incoming.with_name(incoming.name + ".partial")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    stamp = _stamp()
    aside = None
    for suffix in ("", "-wal", "-shm"):
        current = Path(f"{layout.catalog}{suffix}")
        if current.exists():
            moved = layout.backups / f"replaced-{stamp}.sqlite{suffix}"
            os.replace(current, moved)
            aside = aside or moved
    os.replace(incoming, layout.catalog)
    shutil.rmtree(layout.index, ignore_errors=True)  # out of step: the next search rebuilds
    return Restored(chosen, aside)
