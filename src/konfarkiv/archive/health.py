"""Is the catalog there and sound? Checked before a catalog is opened or written.

The store's files mean nothing without the catalog that says what they are, so a
missing, empty or damaged catalog beside stored files is the worst damage an archive
can have: it is reported as such and never silently replaced by a fresh, empty one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from konfarkiv.archive.home import ArchiveLayout

SQLITE_MAGIC = b"SQLite format 3\x00"


class CatalogDamaged(Exception):
    """The catalog is missing, empty or damaged while the store holds files."""


def _stored_files(layout: ArchiveLayout) -> int:
    return sum(1 for p in layout.files.glob("??/??/*") if p.is_file()) \
        if layout.files.is_dir() else 0


def lost_catalog(layout: ArchiveLayout) -> str | None:
    """Why the catalog cannot be the archive's catalog (missing, empty, not SQLite) while
    stored files exist, or None. Cheap: looks at the file's first bytes only."""
    path = layout.catalog
    if path.is_file() and path.stat().st_size >= len(SQLITE_MAGIC):
        with open(path, "rb") as fh:
            if fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
                return None
        state = "damaged (not an SQLite database)"
    elif path.is_file():
        state = "empty" if path.stat().st_size == 0 else "damaged (truncated)"
    elif path.exists():
        state = "not a file"
    else:
        state = "missing"
    stored = _stored_files(layout)
    if not stored and state in ("missing", "empty"):
        return None  # a new archive: the catalog is made on first use
    return (f"the catalog {path} is {state}"
            + (f" while the store holds {stored} files" if stored else ""))


def integrity_problem(path: Path, *, quick: bool = False, immutable: bool = False) -> str | None:
    """SQLite's own check of the catalog (quick_check skips index-vs-table comparison, for
    the check before every write): None when sound, else its first findings. `immutable`
    for a file nothing writes (a snapshot): read without creating -wal/-shm beside it."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro{'&immutable=1' if immutable else ''}",
                             uri=True)
        try:
            rows = [r[0] for r in db.execute(f"PRAGMA {pragma}(3)")]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows)
