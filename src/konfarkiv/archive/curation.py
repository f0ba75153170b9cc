"""The statements the archivist's use cases (konfarkiv.curate) run on the catalog.

The use cases decide what to change and say what happened; the SQL they need stays here,
in archive/, beside the schema it depends on.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from konfarkiv.archive.catalog import Catalog, new_id, now_iso

#: The table of each kind of item.
TABLES = {"event": "events", "session": "sessions", "material": "materials"}
#: The columns an edit may set, per kind.
EDITABLE = {"event": {"title", "date", "intro"}, "session": {"title", "description", "time"}}


def _marks(ids: Sequence[Any]) -> str:
    return ",".join("?" * len(ids)) or "NULL"


# ---- edit ------------------------------------------------------------------------------

def replace_speakers(catalog: Catalog, session_id: int, speakers: Sequence[dict[str, Any]]
                     ) -> None:
    catalog.db.execute("DELETE FROM speakers WHERE session_id=?", (session_id,))
    catalog.db.executemany(
        "INSERT INTO speakers(session_id, position, name, organisation, role) "
        "VALUES (?,?,?,?,?)",
        [(session_id, i, s["name"], s.get("organisation"), s.get("role"))
         for i, s in enumerate(speakers)])


def set_field(catalog: Catalog, kind: str, item_id: int, name: str, value: Any) -> None:
    if name not in EDITABLE.get(kind, set()):
        raise ValueError(f"{kind} has no editable field {name!r}")
    catalog.db.execute(f"UPDATE {TABLES[kind]} SET {name}=? WHERE id=?", (value, item_id))


def set_manual(catalog: Catalog, kind: str, item_id: int, manual: dict[str, Any]) -> None:
    """The row's hand-made values (None when there are none left)."""
    catalog.db.execute(f"UPDATE {TABLES[kind]} SET manual=? WHERE id=?",
                       (json.dumps(manual, ensure_ascii=False) if manual else None, item_id))


# ---- remove and purge ------------------------------------------------------------------

def set_status(catalog: Catalog, kind: str, item_id: int, status: str) -> None:
    catalog.db.execute(f"UPDATE {TABLES[kind]} SET status=? WHERE id=?", (status, item_id))


def material_ids(catalog: Catalog, kind: str, item_id: int) -> list[int]:
    """The materials of an item: the material itself, or those of a session or event."""
    col = {"material": "id", "session": "session_id", "event": "event_id"}[kind]
    return [int(r[0]) for r in catalog.db.execute(
        f"SELECT id FROM materials WHERE {col}=?", (item_id,))]


def files_of(catalog: Catalog, kind: str, item_id: int, materials: Sequence[int]) -> list[str]:
    """Every stored file the materials (and an event's page versions) name."""
    marks = _marks(materials)
    shas: list[str] = []
    for sql in (f"SELECT sha256 FROM materials WHERE id IN ({marks})",
                f"SELECT sha256 FROM documents WHERE material_id IN ({marks})",
                f"SELECT info_sha256 FROM films WHERE material_id IN ({marks})",
                f"SELECT captions_sha256 FROM films WHERE material_id IN ({marks})",
                f"SELECT media_sha256 FROM films WHERE material_id IN ({marks})"):
        shas += [r[0] for r in catalog.db.execute(sql, list(materials))]
    if kind == "event":
        shas += [r[0] for r in catalog.db.execute(
            "SELECT page_sha256 FROM event_versions WHERE event_id=? UNION "
            "SELECT page_sha256 FROM events WHERE id=?", (item_id, item_id))]
    return list(dict.fromkeys(s for s in shas if s))


def stored_bytes(catalog: Catalog, shas: Sequence[str]) -> int:
    return sum(int(r[0]) for sha in shas
               for r in catalog.db.execute("SELECT size FROM blobs WHERE sha256=?", (sha,)))


def rows_under(catalog: Catalog, kind: str, item_id: int, materials: Sequence[int]
               ) -> dict[str, int]:
    """How many rows of each table a purge of the item deletes."""
    marks = _marks(materials)
    return {"events": int(kind == "event"),
            "sessions": int(catalog.value("SELECT count(*) FROM sessions WHERE event_id=?",
                                          (item_id,))) if kind == "event"
            else int(kind == "session"),
            "materials": len(materials),
            "documents": int(catalog.value(
                f"SELECT count(*) FROM documents WHERE material_id IN ({marks})", materials)),
            "films": int(catalog.value(
                f"SELECT count(*) FROM films WHERE material_id IN ({marks})", materials))}


def add_tombstone(catalog: Catalog, kind: str, item_id: int, label: str,
                  previous_status: str, by: str, reason: str | None, purged: bool) -> int:
    cur = catalog.db.execute(
        "INSERT INTO tombstones(kind, ref, label, previous_status, by, reason, at, purged) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (kind, item_id, label, previous_status, by, reason, now_iso(), int(purged)))
    return new_id(cur)


def delete_item(catalog: Catalog, kind: str, item_id: int, materials: Sequence[int],
                page_url: str | None) -> None:
    """Delete an item's rows, its materials' and their edit history (ids may be reused;
    the purge tombstone stays as the record). An event's source goes too, so update
    never fetches it again."""
    sessions = ([int(r[0]) for r in catalog.db.execute(
        "SELECT id FROM sessions WHERE event_id=?", (item_id,))]
        if kind == "event" else [item_id] if kind == "session" else [])
    for k, ids in (("material", materials), ("session", sessions),
                   ("event", [item_id] if kind == "event" else [])):
        catalog.db.executemany("DELETE FROM edits WHERE kind=? AND ref=?", [(k, i) for i in ids])
    catalog.db.execute(f"DELETE FROM materials WHERE id IN ({_marks(materials)})", materials)
    if kind == "event":
        catalog.db.execute("DELETE FROM events WHERE id=?", (item_id,))
        catalog.db.execute("DELETE FROM sources WHERE url=?", (page_url,))
    elif kind == "session":
        catalog.db.execute("DELETE FROM sessions WHERE id=?", (item_id,))


def delete_blob_row(catalog: Catalog, sha: str) -> None:
    catalog.db.execute("DELETE FROM blobs WHERE sha256=?", (sha,))


def open_tombstone(catalog: Catalog, kind: str, item_id: int) -> sqlite3.Row | None:
    """The latest removal of the item that is neither purged nor undone."""
    return catalog.one("SELECT * FROM tombstones WHERE kind=? AND ref=? AND purged=0 "
                       "AND undone_at IS NULL ORDER BY id DESC LIMIT 1", (kind, item_id))


def mark_undone(catalog: Catalog, tombstone_id: int, by: str) -> None:
    catalog.db.execute("UPDATE tombstones SET undone_at=?, undone_by=? WHERE id=?",
                       (now_iso(), by, tombstone_id))


# ---- show, export, verify, overview -------------------------------------------------------

def edits_of(catalog: Catalog, kind: str, item_id: int) -> list[sqlite3.Row]:
    return catalog.all("SELECT * FROM edits WHERE kind=? AND ref=? ORDER BY id",
                       (kind, item_id))


def tombstones_of(catalog: Catalog, kind: str, item_id: int) -> list[dict[str, Any]]:
    """The item's removals (not purges), oldest first."""
    return [dict(r) for r in catalog.all(
        "SELECT by, reason, at, purged, previous_status, undone_at, undone_by FROM tombstones "
        "WHERE kind=? AND ref=? AND purged=0 ORDER BY id", (kind, item_id))]


def page_versions(catalog: Catalog, event_id: int) -> list[dict[str, Any]]:
    """Every stored version of an event's page: its file and when it was fetched."""
    return [dict(r) for r in catalog.all(
        "SELECT page_sha256, fetched_at FROM event_versions WHERE event_id=? ORDER BY id",
        (event_id,))]


def blob_sizes(catalog: Catalog) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in catalog.db.execute("SELECT sha256, size FROM blobs")}


def event_rows(catalog: Catalog, limit: int | None = None) -> list[dict[str, Any]]:
    """Events, newest date first: id, date, title, url, status, sessions, PDFs, films,
    failures (limit keeps the first ones)."""
    return [dict(r) for r in catalog.all(
        "SELECT e.id, e.date, e.title, e.url, e.status, e.fetched_at, e.organiser, "
        "(SELECT count(*) FROM sessions s WHERE s.event_id=e.id AND s.status='ok') AS sessions, "
        "(SELECT count(*) FROM materials m WHERE m.event_id=e.id AND m.kind='pdf' "
        " AND m.status IN ('ok','no_text')) AS pdfs, "
        "(SELECT count(*) FROM materials m WHERE m.event_id=e.id AND m.kind='film' "
        " AND m.status='ok') AS films, "
        "(SELECT count(*) FROM materials m WHERE m.event_id=e.id AND m.status='failed') "
        " AS failures "
        "FROM events e ORDER BY e.date IS NULL, e.date DESC, e.id DESC"
        + (" LIMIT ?" if limit is not None else ""),
        (limit,) if limit is not None else ())]


def failed_materials(catalog: Catalog) -> list[dict[str, Any]]:
    """Every failed material with its reason and next try, newest first."""
    return [dict(r) for r in catalog.all(
        "SELECT m.id, m.event_id, e.title AS event, m.kind, m.label, m.url, m.error, "
        "m.permanent, m.attempts, m.next_try, m.fetched_at FROM materials m "
        "JOIN events e ON e.id=m.event_id WHERE m.status='failed' "
        "ORDER BY m.fetched_at DESC, m.id")]
