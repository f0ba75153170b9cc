"""Withdrawing material from search, and purging it for real.

A removal is reversible: the row's status becomes 'removed' (the search documents
skip it, re-ingest keeps it so), its files and rows stay, and a tombstone records
who, why and when. `undo` restores the previous status. A purge deletes the rows
and every stored file no other row uses; its tombstone stays as the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.blobrefs import uses_of
from konfarkiv.archive.catalog import Catalog, new_id, now_iso
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.records import Event
from konfarkiv.archive.refs import TABLES, Item, find, who


@dataclass(frozen=True)
class RemoveRequest:
    ref: str  # "material:3", "session:7", "event:2", an event id or URL
    reason: str | None = None
    by: str | None = None
    purge: bool = False
    undo: bool = False


@dataclass
class PurgePlan:
    """What a purge would delete: shown to the archivist before it happens."""

    kind: str
    id: int
    label: str
    rows: dict[str, int]
    files: list[str]  # sha256 of stored files no other row uses
    bytes: int

    def describe(self) -> str:
        rows = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n)
        return (f"purge {self.kind} {self.id} ({self.label}): deletes {rows or 'no rows'} "
                f"and {len(self.files)} stored files ({self.bytes} bytes)")


@dataclass
class RemoveResult:
    kind: str
    id: int
    event_id: int | None
    label: str
    action: str  # removed | already removed | restored | purged | kept
    by: str
    reason: str | None
    tombstone_id: int | None = None
    deleted_files: list[str] = field(default_factory=list)
    deleted_rows: dict[str, int] = field(default_factory=dict)
    indexed_docs: int = 0  # filled in by konfarkiv.app
    index_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _material_ids(catalog: Catalog, ref: Item) -> list[int]:
    col = {"material": "id", "session": "session_id", "event": "event_id"}[ref.kind]
    return [r["id"] for r in catalog.all(f"SELECT id FROM materials WHERE {col}=?", (ref.id,))]


def _candidate_blobs(catalog: Catalog, ref: Item, materials: list[int]) -> list[str]:
    marks = ",".join("?" * len(materials)) or "NULL"
    shas: list[str] = []
    for sql in (f"SELECT sha256 FROM materials WHERE id IN ({marks})",
                f"SELECT sha256 FROM documents WHERE material_id IN ({marks})",
                f"SELECT info_sha256 FROM films WHERE material_id IN ({marks})",
                f"SELECT captions_sha256 FROM films WHERE material_id IN ({marks})",
                f"SELECT media_sha256 FROM films WHERE material_id IN ({marks})"):
        shas += [r[0] for r in catalog.all(sql, materials)]
    if ref.kind == "event":
        shas += [r[0] for r in catalog.all(
            "SELECT page_sha256 FROM event_versions WHERE event_id=? UNION "
            "SELECT page_sha256 FROM events WHERE id=?", (ref.id, ref.id))]
    return list(dict.fromkeys(s for s in shas if s))


def _unshared(catalog: Catalog, ref: Item, materials: list[int], sha: str) -> bool:
    """True when only the rows being purged use this file."""
    for use in uses_of(catalog, sha):
        own = (use["event_id"] == ref.id if ref.kind == "event"
               else use["material_id"] in materials)
        if not own:
            return False
    return True


def plan_purge(catalog: Catalog, ref: Item) -> PurgePlan:
    materials = _material_ids(catalog, ref)
    marks = ",".join("?" * len(materials)) or "NULL"
    files = [s for s in _candidate_blobs(catalog, ref, materials)
             if _unshared(catalog, ref, materials, s)]
    size = sum(int(r["size"]) for s in files
               for r in catalog.all("SELECT size FROM blobs WHERE sha256=?", (s,)))
    rows = {"events": int(ref.kind == "event"),
            "sessions": catalog.value("SELECT count(*) FROM sessions WHERE event_id=?",
                                      (ref.id,)) if ref.kind == "event"
            else int(ref.kind == "session"),
            "materials": len(materials),
            "documents": catalog.value(
                f"SELECT count(*) FROM documents WHERE material_id IN ({marks})", materials),
            "films": catalog.value(
                f"SELECT count(*) FROM films WHERE material_id IN ({marks})", materials)}
    return PurgePlan(ref.kind, ref.id, ref.label(), rows, files, size)


def _tombstone(catalog: Catalog, ref: Item, by: str, reason: str | None, purged: bool) -> int:
    cur = catalog.db.execute(
        "INSERT INTO tombstones(kind, ref, label, previous_status, by, reason, at, purged) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (ref.kind, ref.id, ref.label(), ref.row.status, by, reason, now_iso(), int(purged)))
    return new_id(cur)


def _purge(archive: Archive, ref: Item, plan: PurgePlan) -> list[str]:
    cat = archive.catalog
    materials = _material_ids(cat, ref)
    marks = ",".join("?" * len(materials)) or "NULL"
    sessions = ([r["id"] for r in cat.all("SELECT id FROM sessions WHERE event_id=?", (ref.id,))]
                if ref.kind == "event" else [ref.id] if ref.kind == "session" else [])
    # Row ids may be reused after a delete: the purged rows' edit history goes with them
    # (the purge tombstone, which names what was deleted, stays as the record).
    for kind, ids in (("material", materials), ("session", sessions),
                      ("event", [ref.id] if ref.kind == "event" else [])):
        cat.db.executemany("DELETE FROM edits WHERE kind=? AND ref=?", [(kind, i) for i in ids])
    cat.db.execute(f"DELETE FROM materials WHERE id IN ({marks})", materials)
    if isinstance(ref.row, Event):
        url = ref.row.url
        cat.db.execute("DELETE FROM events WHERE id=?", (ref.id,))
        cat.db.execute("DELETE FROM sources WHERE url=?", (url,))  # update must not refetch it
    elif ref.kind == "session":
        cat.db.execute("DELETE FROM sessions WHERE id=?", (ref.id,))
    deleted = []
    for sha in plan.files:
        if uses_of(cat, sha):  # used again since the plan (cannot happen under the lock)
            continue
        cat.db.execute("DELETE FROM blobs WHERE sha256=?", (sha,))
        deleted.append(sha)
    return deleted


def remove(archive: Archive, req: RemoveRequest,
           confirm: Callable[[PurgePlan], bool] | None = None) -> RemoveResult:
    """Withdraw (or with purge, delete) one event, session or material; re-index its event.

    confirm sees the purge plan and may decline (then nothing changes).
    """
    if req.purge and req.undo:
        raise ArchivistError("--purge and --undo cannot go together", "a purge cannot be undone")
    by = who(req.by)
    cat = archive.catalog
    ref = find(cat, req.ref)
    event_id = ref.event_id
    result = RemoveResult(ref.kind, ref.id, event_id, ref.label(), "removed", by, req.reason)
    if req.undo:
        _undo(cat, ref, by, result)
    elif req.purge:
        plan = plan_purge(cat, ref)
        if confirm is not None and not confirm(plan):
            result.action = "kept"
            return result
        with cat.transaction():
            result.tombstone_id = _tombstone(cat, ref, by, req.reason, purged=True)
            result.deleted_files = _purge(archive, ref, plan)
        result.deleted_rows = plan.rows
        for sha in result.deleted_files:  # after the commit: a crash leaves files, not holes
            archive.store.path_for(sha).unlink(missing_ok=True)
        result.action = "purged"
        if ref.kind == "event":
            result.event_id = None
    elif ref.row.status == "removed":
        result.action = "already removed"
    else:
        with cat.transaction():
            result.tombstone_id = _tombstone(cat, ref, by, req.reason, purged=False)
            cat.db.execute(f"UPDATE {TABLES[ref.kind]} SET status='removed' WHERE id=?",
                           (ref.id,))
    return result


def _undo(cat: Catalog, ref: Item, by: str, result: RemoveResult) -> None:
    stone = cat.one("SELECT * FROM tombstones WHERE kind=? AND ref=? AND purged=0 "
                    "AND undone_at IS NULL ORDER BY id DESC LIMIT 1", (ref.kind, ref.id))
    if stone is None or ref.row.status != "removed":
        raise ArchivistError(f"{ref.kind} {ref.id} is not removed", "nothing to undo")
    previous = stone["previous_status"] or "ok"
    if ref.kind == "material" and previous not in {"ok", "no_text", "failed", "pending"}:
        previous = "pending"
    with cat.transaction():
        cat.db.execute(f"UPDATE {TABLES[ref.kind]} SET status=? WHERE id=?", (previous, ref.id))
        cat.db.execute("UPDATE tombstones SET undone_at=?, undone_by=? WHERE id=?",
                       (now_iso(), by, stone["id"]))
    result.action = "restored"
    result.tombstone_id = int(stone["id"])
