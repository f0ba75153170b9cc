"""Everything the catalog knows about one event, session or material, with provenance.

Each value says whether it was parsed from the page or made by hand (and then who
made it, when, and what the page says); each file says where it came from, when,
its sha256, size and where it lies in the store; PDFs list all their versions.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from konfarkiv.archive import curation
from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.pagetext import ocr_summary
from konfarkiv.archive.playback import check_place
from konfarkiv.archive.records import Event, Material, Session
from konfarkiv.archive.refs import Item, find, manual_of
from konfarkiv.archive.store import FileStore
from konfarkiv.archive.weburls import as_id

EVENT_FIELDS = ("title", "date", "intro")
SESSION_FIELDS = ("title", "description", "time", "speakers")


def _last_edits(catalog: Catalog, kind: str, ref: int) -> dict[str, sqlite3.Row]:
    return {r["field"]: r for r in curation.edits_of(catalog, kind, ref) if r["field"]}


def _fields(catalog: Catalog, kind: str, row: Event | Session, names: tuple[str, ...],
            values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """value, source (parsed | hand-made | added by hand) and, for hand-made, the page's."""
    manual = manual_of(row)
    edits = _last_edits(catalog, kind, row.id)
    parsed = dict(manual.get("parsed", {}))
    if "parsed_title" in manual:
        parsed.setdefault("title", manual["parsed_title"])
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        value = values[name] if name in values else getattr(row, name)
        if manual.get("origin") == "manual":
            entry: dict[str, Any] = {"value": value, "source": "added by hand"}
        elif name in manual:
            entry = {"value": value, "source": "hand-made"}
            if name in parsed:
                entry["parsed"] = parsed[name]
        else:
            entry = {"value": value, "source": "parsed"}
        if entry["source"] != "parsed" and name in edits:
            entry["by"], entry["at"] = edits[name]["by"], edits[name]["at"]
        out[name] = entry
    return out


def _blob(catalog: Catalog, store: FileStore, sha: str | None) -> dict[str, Any] | None:
    if not sha:
        return None
    b = catalog.blob(sha)
    return {"sha256": sha, "size": b.size if b else None,
            "content_type": b.content_type if b else None,
            "stored_at": b.stored_at if b else None, "path": str(store.path_for(sha)),
            "present": store.has(sha)}


def _tombstones(catalog: Catalog, kind: str, ref: int) -> list[dict[str, Any]]:
    return curation.tombstones_of(catalog, kind, ref)


def _edits(catalog: Catalog, kind: str, ref: int) -> list[dict[str, Any]]:
    return [{"action": r["action"], "field": r["field"], "old": json.loads(r["old"] or "null"),
             "new": json.loads(r["new"] or "null"), "by": r["by"], "at": r["at"]}
            for r in curation.edits_of(catalog, kind, ref)]


def material_record(catalog: Catalog, store: FileStore, m: Material) -> dict[str, Any]:
    """One material with the provenance of each of its files."""
    out: dict[str, Any] = {
        "id": m.id, "kind": m.kind, "label": m.label, "url": m.url,
        "status": m.status, "origin": m.origin, "error": m.error,
        "session_id": m.session_id, "session_ids": catalog.material_sessions(m.id),
        "fetched_at": m.fetched_at, "etag": m.etag,
        "last_modified": m.last_modified, "last_seen": m.last_seen,
        "file": _blob(catalog, store, m.sha256),
    }
    docs = catalog.document_versions(m.id)
    if docs:
        out["versions"] = [{
            "document_id": d.id, "current": d.current, "fetched_at": d.fetched_at,
            "outcome": d.outcome, "pages": d.pages, "chars": d.chars, "tool": d.tool,
            "file": _blob(catalog, store, d.sha256),
            "ocr": ocr_summary(catalog, d.id)} for d in docs]
    f = catalog.film_of(m.id)
    if f is not None:
        out["film"] = {
            "title": f.title, "duration": f.duration, "webpage_url": f.webpage_url,
            "extractor": f.extractor, "tool": f.tool, "fetched_at": f.fetched_at,
            "caption_lang": f.caption_lang,
            "cues": catalog.cue_count(f.id),
            "metadata_file": _blob(catalog, store, f.info_sha256),
            "captions_file": _blob(catalog, store, f.captions_sha256),
            # what the player plays without an archived copy (recorded at ingest)
            "media_url": f.media_url, "embed_url": f.embed_url,
            "media_file": _blob(catalog, store, f.media_sha256),
        }
    out["tombstones"] = _tombstones(catalog, "material", m.id)
    out["edits"] = _edits(catalog, "material", m.id)
    return out


def session_record(catalog: Catalog, store: FileStore, s: Session) -> dict[str, Any]:
    speakers = [{"name": r.name, "organisation": r.organisation, "role": r.role}
                for r in catalog.session_speakers(s.id)]
    return {
        "type": "session", "id": s.id, "event_id": s.event_id, "status": s.status,
        "origin": manual_of(s).get("origin", "page"), "position": s.position,
        "group": s.grp, "last_seen": s.last_seen,
        "fields": _fields(catalog, "session", s, SESSION_FIELDS, {"speakers": speakers}),
        "materials": [material_record(catalog, store, m)
                      for m in catalog.session_materials(s.id)],
        "tombstones": _tombstones(catalog, "session", s.id),
        "edits": _edits(catalog, "session", s.id),
    }


def event_record(catalog: Catalog, store: FileStore, e: Event) -> dict[str, Any]:
    versions = curation.page_versions(catalog, e.id)
    return {
        "type": "event", "id": e.id, "status": e.status, "error": e.error,
        "origin": manual_of(e).get("origin", "page"), "url": e.url, "page_key": e.page_key,
        "organiser": e.organiser,
        "fields": _fields(catalog, "event", e, EVENT_FIELDS, {}),
        "provenance": {
            "fetched_at": e.fetched_at, "first_seen": e.first_seen,
            "last_seen": e.last_seen, "etag": e.etag, "last_modified": e.last_modified,
            "page": _blob(catalog, store, e.page_sha256),
            "versions": [{"fetched_at": v["fetched_at"],
                          "file": _blob(catalog, store, v["page_sha256"])} for v in versions],
        },
        "sessions": [session_record(catalog, store, s)
                     for s in catalog.sessions_of_event(e.id)],
        "materials": [material_record(catalog, store, m)
                      for m in catalog.event_level_materials(e.id)],
        "tombstones": _tombstones(catalog, "event", e.id),
        "edits": _edits(catalog, "event", e.id),
    }


def show(archive: Archive, text: str) -> dict[str, Any]:
    """The record of what `text` names: an event (id or URL), session:ID or material:ID."""
    text = as_id(text)
    ref: Item = find(archive.catalog, text)
    cat, store = archive.catalog, archive.store
    place = re.search(r"@(\d{1,18})$", text.strip())
    if ref.kind == "material" and place:
        check_place(cat, ref.id, int(place.group(1)))
    if isinstance(ref.row, Event):
        return event_record(cat, store, ref.row)
    if isinstance(ref.row, Session):
        record = session_record(cat, store, ref.row)
    else:
        record = {"type": "material", **material_record(cat, store, ref.row)}
    e = cat.event(ref.event_id)
    record["event"] = {"id": e.id, "title": e.title, "url": e.url, "date": e.date} if e else None
    return record
