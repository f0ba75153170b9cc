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

from konfarkiv.archive import curation
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.blobrefs import uses_of
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.records import Event
from konfarkiv.archive.refs import Item, find, who


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


def _unshared(catalog: Catalog, ref: Item, materials: list[int], sha: str) -> bool:
    """True when only the rows being purged use this file."""
    for use in uses_of(catalog, sha):
        own = (use["event_id"] == ref.id if ref.kind == "event"
               else use["material_id"] in materials)
        if not own:
            return False
    return True


def plan_purge(catalog: Catalog, ref: Item) -> PurgePlan:
    materials = curation.material_ids(catalog, ref.kind, ref.id)
    files = [s for s in curation.files_of(catalog, ref.kind, ref.id, materials)
             if _unshared(catalog, ref, materials, s)]
    return PurgePlan(ref.kind, ref.id, ref.label(),
                     curation.rows_under(catalog, ref.kind, ref.id, materials), files,
                     curation.stored_bytes(catalog, files))


def _tombstone(catalog: Catalog, ref: Item, by: str, reason: str | None, purged: bool) -> int:
    return curation.add_tombstone(catalog, ref.kind, ref.id, ref.label(), ref.row.status, by,
                                  reason, purged)


def _purge(archive: Archive, ref: Item, plan: PurgePlan) -> list[str]:
    cat = archive.catalog
    materials = curation.material_ids(cat, ref.kind, ref.id)
    curation.delete_item(cat, ref.kind, ref.id, materials,
                         ref.row.url if isinstance(ref.row, Event) else None)
    deleted = []
    for sha in plan.files:
        if uses_of(cat, sha):  # used again since the plan (cannot happen under the lock)
            continue
        curation.delete_blob_row(cat, sha)
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
            curation.set_status(cat, ref.kind, ref.id, "removed")
    return result


def _undo(cat: Catalog, ref: Item, by: str, result: RemoveResult) -> None:
    stone = curation.open_tombstone(cat, ref.kind, ref.id)
    if stone is None or ref.row.status != "removed":
        raise ArchivistError(f"{ref.kind} {ref.id} is not removed", "nothing to undo")
    previous = stone["previous_status"] or "ok"
    if ref.kind == "material" and previous not in {"ok", "no_text", "failed", "pending"}:
        previous = "pending"
    with cat.transaction():
        curation.set_status(cat, ref.kind, ref.id, previous)
        curation.mark_undone(cat, int(stone["id"]), by)
    result.action = "restored"
    result.tombstone_id = int(stone["id"])
