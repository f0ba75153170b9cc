"""Everything the catalog knows about one event, session or material, with provenance.

Each value says whether it was parsed from the page or made by hand (and then who
made it, when, and what the page says); each file says where it came from, when,
its sha256, size and where it lies in the store; PDFs list all their versions.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.model import mmss
from konfarkiv.archive.refs import Ref, find, manual_of
from konfarkiv.archive.store import FileStore

EVENT_FIELDS = ("title", "date", "intro")
SESSION_FIELDS = ("title", "description", "time", "speakers")


def _last_edits(catalog: Catalog, kind: str, ref: int) -> dict[str, sqlite3.Row]:
    return {r["field"]: r for r in catalog.all(
        "SELECT * FROM edits WHERE kind=? AND ref=? AND field IS NOT NULL ORDER BY id",
        (kind, ref))}


def _fields(catalog: Catalog, kind: str, row: sqlite3.Row, names: tuple[str, ...],
            values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """value, source (parsed | hand-made | added by hand) and, for hand-made, the page's."""
    manual = manual_of(row)
    edits = _last_edits(catalog, kind, int(row["id"]))
    parsed = dict(manual.get("parsed", {}))
    if "parsed_title" in manual:
        parsed.setdefault("title", manual["parsed_title"])
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        value = values[name] if name in values else row[name]
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
    b = catalog.one("SELECT * FROM blobs WHERE sha256=?", (sha,))
    return {"sha256": sha, "size": b["size"] if b else None,
            "content_type": b["content_type"] if b else None,
            "stored_at": b["stored_at"] if b else None, "path": str(store.path_for(sha)),
            "present": store.has(sha)}


def _tombstones(catalog: Catalog, kind: str, ref: int) -> list[dict[str, Any]]:
    return [dict(r) for r in catalog.all(
        "SELECT by, reason, at, purged, previous_status, undone_at, undone_by FROM tombstones "
        "WHERE kind=? AND ref=? AND purged=0 ORDER BY id", (kind, ref))]


def _edits(catalog: Catalog, kind: str, ref: int) -> list[dict[str, Any]]:
    return [{"action": r["action"], "field": r["field"], "old": json.loads(r["old"] or "null"),
             "new": json.loads(r["new"] or "null"), "by": r["by"], "at": r["at"]}
            for r in catalog.all("SELECT * FROM edits WHERE kind=? AND ref=? ORDER BY id",
                                 (kind, ref))]


def material_record(catalog: Catalog, store: FileStore, m: sqlite3.Row) -> dict[str, Any]:
    """One material with the provenance of each of its files."""
    out: dict[str, Any] = {
        "id": m["id"], "kind": m["kind"], "label": m["label"], "url": m["url"],
        "status": m["status"], "origin": m["origin"], "error": m["error"],
        "session_id": m["session_id"], "fetched_at": m["fetched_at"], "etag": m["etag"],
        "last_modified": m["last_modified"], "last_seen": m["last_seen"],
        "file": _blob(catalog, store, m["sha256"]),
    }
    docs = catalog.all("SELECT * FROM documents WHERE material_id=? ORDER BY id", (m["id"],))
    if docs:
        out["versions"] = [{
            "document_id": d["id"], "current": bool(d["current"]), "fetched_at": d["fetched_at"],
            "outcome": d["outcome"], "pages": d["pages"], "chars": d["chars"], "tool": d["tool"],
            "file": _blob(catalog, store, d["sha256"])} for d in docs]
    f = catalog.one("SELECT * FROM films WHERE material_id=?", (m["id"],))
    if f is not None:
        out["film"] = {
            "title": f["title"], "duration": f["duration"], "webpage_url": f["webpage_url"],
            "extractor": f["extractor"], "tool": f["tool"], "fetched_at": f["fetched_at"],
            "caption_lang": f["caption_lang"],
            "cues": catalog.one("SELECT count(*) FROM cues WHERE film_id=?", (f["id"],))[0],
            "metadata_file": _blob(catalog, store, f["info_sha256"]),
            "captions_file": _blob(catalog, store, f["captions_sha256"]),
        }
    out["tombstones"] = _tombstones(catalog, "material", m["id"])
    out["edits"] = _edits(catalog, "material", m["id"])
    return out


def session_record(catalog: Catalog, store: FileStore, s: sqlite3.Row) -> dict[str, Any]:
    speakers = [{"name": r["name"], "organisation": r["organisation"], "role": r["role"]}
                for r in catalog.all("SELECT * FROM speakers WHERE session_id=? ORDER BY position",
                                     (s["id"],))]
    return {
        "type": "session", "id": s["id"], "event_id": s["event_id"], "status": s["status"],
        "origin": manual_of(s).get("origin", "page"), "position": s["position"],
        "group": s["grp"], "last_seen": s["last_seen"],
        "fields": _fields(catalog, "session", s, SESSION_FIELDS, {"speakers": speakers}),
        "materials": [material_record(catalog, store, m) for m in catalog.all(
            "SELECT * FROM materials WHERE session_id=? ORDER BY position", (s["id"],))],
        "tombstones": _tombstones(catalog, "session", s["id"]),
        "edits": _edits(catalog, "session", s["id"]),
    }


def event_record(catalog: Catalog, store: FileStore, e: sqlite3.Row) -> dict[str, Any]:
    versions = catalog.all("SELECT * FROM event_versions WHERE event_id=? ORDER BY id",
                           (e["id"],))
    return {
        "type": "event", "id": e["id"], "status": e["status"], "error": e["error"],
        "origin": manual_of(e).get("origin", "page"), "url": e["url"], "page_key": e["page_key"],
        "fields": _fields(catalog, "event", e, EVENT_FIELDS, {}),
        "provenance": {
            "fetched_at": e["fetched_at"], "first_seen": e["first_seen"],
            "last_seen": e["last_seen"], "etag": e["etag"], "last_modified": e["last_modified"],
            "page": _blob(catalog, store, e["page_sha256"]),
            "versions": [{"fetched_at": v["fetched_at"],
                          "file": _blob(catalog, store, v["page_sha256"])} for v in versions],
        },
        "sessions": [session_record(catalog, store, s) for s in catalog.all(
            "SELECT * FROM sessions WHERE event_id=? ORDER BY position, id", (e["id"],))],
        "materials": [material_record(catalog, store, m) for m in catalog.all(
            "SELECT * FROM materials WHERE event_id=? AND session_id IS NULL ORDER BY position",
            (e["id"],))],
        "tombstones": _tombstones(catalog, "event", e["id"]),
        "edits": _edits(catalog, "event", e["id"]),
    }


def show(archive: Archive, text: str) -> dict[str, Any]:
    """The record of what `text` names: an event (id or URL), session:ID or material:ID."""
    ref: Ref = find(archive.catalog, text)
    cat, store = archive.catalog, archive.store
    if ref.kind == "event":
        return event_record(cat, store, ref.row)
    if ref.kind == "session":
        record = session_record(cat, store, ref.row)
    else:
        record = {"type": "material", **material_record(cat, store, ref.row)}
    e = cat.one("SELECT id, title, url, date FROM events WHERE id=?", (ref.event_id,))
    record["event"] = dict(e)
    return record


# ---- text ---------------------------------------------------------------------------------

def _value(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(", ".join(x for x in (s.get("name"), s.get("organisation")) if x)
                         for s in v) or "(none)"
    return "(none)" if v in (None, "") else str(v)


def _field_lines(fields: dict[str, dict[str, Any]], indent: str) -> list[str]:
    lines = []
    for name, f in fields.items():
        text = _value(f["value"])
        if len(text) > 200:
            text = text[:197] + "…"
        line = f"{indent}{name}: {text}  [{f['source']}"
        if "by" in f:
            line += f" by {f['by']} {f['at']}"
        line += "]"
        lines.append(line)
        if "parsed" in f:
            lines.append(f"{indent}  the page says: {_value(f['parsed'])}")
    return lines


def _file_line(label: str, b: dict[str, Any] | None) -> str:
    if b is None:
        return f"{label}: (no file)"
    missing = "" if b["present"] else "  MISSING FROM THE STORE"
    return f"{label}: sha256 {b['sha256']} {b['size']} bytes {b['content_type'] or ''}{missing}"


def _stone_lines(stones: list[dict[str, Any]], indent: str) -> list[str]:
    out = []
    for t in stones:
        what = "purged" if t["purged"] else "removed"
        line = f"{indent}{what} by {t['by']} {t['at']}: {t['reason'] or '(no reason given)'}"
        if t["undone_at"]:
            line += f" (undone by {t['undone_by']} {t['undone_at']})"
        out.append(line)
    return out


def _material_lines(m: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}material {m['id']} ({m['kind']}, {m['status']}, from "
             f"{'hand' if m['origin'] == 'manual' else 'the page'}): {m['label']}",
             f"{indent}  source: {m['url']}  fetched {m['fetched_at'] or 'never'}",
             f"{indent}  {_file_line('file', m['file'])}"]
    if m.get("error"):
        lines.append(f"{indent}  error: {m['error']}")
    for v in m.get("versions", []):
        lines.append(f"{indent}  version {v['fetched_at']}{' (current)' if v['current'] else ''}"
                     f": {v['outcome']}, {v['pages']} pages, {v['tool']}, sha256 "
                     f"{v['file']['sha256'] if v['file'] else '?'}")
    film = m.get("film")
    if film:
        dur = mmss(film["duration"]) if film["duration"] else "?"
        lines.append(f"{indent}  film: {film['title'] or ''} ({dur}), {film['cues']} cues "
                     f"[{film['caption_lang'] or '?'}], {film['tool']}")
        if film["captions_file"]:
            lines.append(f"{indent}  {_file_line('captions', film['captions_file'])}")
        if film["metadata_file"]:
            lines.append(f"{indent}  {_file_line('metadata', film['metadata_file'])}")
    lines += _stone_lines(m["tombstones"], indent + "  ")
    return lines


def _session_lines(s: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}session {s['id']} ({s['status']}, "
             f"{'added by hand' if s['origin'] == 'manual' else 'from the page'})"]
    lines += _field_lines(s["fields"], indent + "  ")
    lines += _stone_lines(s["tombstones"], indent + "  ")
    for m in s["materials"]:
        lines += _material_lines(m, indent + "  ")
    return lines


def show_text(record: dict[str, Any]) -> str:
    """The record for a terminal: hand-made values are marked, the page's value beside them."""
    kind = record["type"]
    if kind == "material":
        e = record["event"]
        return "\n".join([f"event {e['id']}: {e['title']}", *_material_lines(record, "")])
    if kind == "session":
        e = record["event"]
        return "\n".join([f"event {e['id']}: {e['title']} <{e['url']}>",
                          *_session_lines(record, "")])
    p = record["provenance"]
    lines = [f"event {record['id']} ({record['status']}, "
             f"{'added by hand' if record['origin'] == 'manual' else 'from the page'})",
             f"  source: {record['url']}", f"  fetched: {p['fetched_at'] or 'never'} "
             f"(first seen {p['first_seen']}, last seen {p['last_seen']})"]
    if p["page"]:
        lines.append(f"  {_file_line('page', p['page'])}")
    for v in p["versions"]:
        lines.append(f"  version {v['fetched_at']}: sha256 {v['file']['sha256']}")
    lines += _field_lines(record["fields"], "  ")
    lines += _stone_lines(record["tombstones"], "  ")
    for m in record["materials"]:
        lines += _material_lines(m, "  ")
    for s in record["sessions"]:
        lines += _session_lines(s, "  ")
    return "\n".join(lines)
