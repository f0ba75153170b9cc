"""The catalog as JSON Lines (for scripts) or CSV (for spreadsheets), with provenance.

JSON Lines: one record per line, "type" event, session (speakers inside) or
material (files, versions and film inside), in event order, so a script can
stream it. CSV: one row per material (and one per session or event without any),
every row carrying its event's and session's columns, so a spreadsheet filter
on any column shows whole rows.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.curation import page_versions
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.health import integrity_problem
from konfarkiv.archive.keys import hide_credentials
from konfarkiv.archive.records import Event, Session
from konfarkiv.archive.refs import find_event, manual_of
from konfarkiv.archive.store import FileStore
from konfarkiv.curate.show import material_record

CSV_COLUMNS = (
    "event_id", "event_title", "event_date", "event_url", "event_status", "event_hand_made",
    "session_id", "session_position", "session_title", "session_time", "session_status",
    "session_hand_made", "speakers", "organisations",
    "material_id", "material_kind", "material_label", "material_url", "material_status",
    "material_origin", "fetched_at", "sha256", "size", "content_type", "versions",
    "film_duration", "caption_cues", "stored_path",
)


@dataclass(frozen=True)
class ExportResult:
    format: str
    target: str
    events: int
    records: int


def event_ids(catalog: Catalog, refs: Sequence[str]) -> list[int]:
    """The named events (id or URL), or every event when none is named."""
    if refs:
        return list(dict.fromkeys(find_event(catalog, r).id for r in refs))
    return catalog.event_ids()


def hand_made(row: Event | Session) -> list[str]:
    """Names of the row's values made by hand (all of them for rows added by hand)."""
    manual = manual_of(row)
    if manual.get("origin") == "manual":
        return ["*"]
    return sorted(k for k in manual if k not in {"parsed", "parsed_title", "origin", "by"})


def speakers_of(catalog: Catalog, session_id: int) -> list[dict[str, Any]]:
    return [{"name": r.name, "organisation": r.organisation, "role": r.role}
            for r in catalog.session_speakers(session_id)]


def records(catalog: Catalog, store: FileStore, ids: Sequence[int],
            include_removed: bool = True) -> Iterator[dict[str, Any]]:
    """Typed records of the events in ids: event, then its sessions, then its materials."""
    for event_id in ids:
        e = catalog.event(event_id)
        if e is None or (e.status == "removed" and not include_removed):
            continue
        yield {"type": "event", "id": e.id, "page_key": e.page_key, "url": e.url,
               "title": e.title, "date": e.date, "intro": e.intro,
               "status": e.status, "origin": manual_of(e).get("origin", "page"),
               "hand_made": hand_made(e), "fetched_at": e.fetched_at,
               "first_seen": e.first_seen, "last_seen": e.last_seen,
               "page_sha256": e.page_sha256,
               "page_versions": page_versions(catalog, event_id)}
        removed_sessions: set[int] = set()
        for s in catalog.sessions_of_event(event_id):
            if s.status == "removed" and not include_removed:
                removed_sessions.add(s.id)
                continue
            yield {"type": "session", "id": s.id, "event_id": event_id,
                   "position": s.position, "title": s.title,
                   "description": s.description, "time": s.time, "group": s.grp,
                   "status": s.status, "origin": manual_of(s).get("origin", "page"),
                   "hand_made": hand_made(s), "speakers": speakers_of(catalog, s.id)}
        for m in catalog.event_materials(event_id):
            if not include_removed and (m.status == "removed"
                                        or m.session_id in removed_sessions):
                continue
            rec = material_record(catalog, store, m)
            rec.pop("edits", None)
            yield {"type": "material", "event_id": event_id, **rec}


def _csv_rows(recs: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    event: dict[str, Any] = {}
    sessions: dict[int, dict[str, Any]] = {}
    used: set[int | None] = set()

    def flush() -> Iterator[dict[str, Any]]:
        if not event:
            return
        for sid, srow in sessions.items():
            if sid not in used:
                yield {**event, **srow}
        if not sessions and None not in used:
            yield dict(event)

    for r in recs:
        if r["type"] == "event":
            yield from flush()
            event = {"event_id": r["id"], "event_title": r["title"], "event_date": r["date"],
                     "event_url": r["url"], "event_status": r["status"],
                     "event_hand_made": " ".join(r["hand_made"])}
            sessions, used = {}, set()
        elif r["type"] == "session":
            sessions[r["id"]] = {
                "session_id": r["id"], "session_position": r["position"],
                "session_title": r["title"], "session_time": r["time"],
                "session_status": r["status"], "session_hand_made": " ".join(r["hand_made"]),
                "speakers": "; ".join(s["name"] for s in r["speakers"]),
                "organisations": "; ".join(s["organisation"] or "" for s in r["speakers"]),
            }
        else:
            f = r.get("file") or {}
            film = r.get("film") or {}
            linked = r.get("session_ids") or []
            # a row per session linking it (and one for the event when its first link is)
            for sid in ([None] if r["session_id"] is None else []) + linked or [None]:
                used.add(sid)
                yield {**event, **sessions.get(sid, {}), **_material_columns(r, f, film)}
    yield from flush()


def _material_columns(r: dict[str, Any], f: dict[str, Any],
                      film: dict[str, Any]) -> dict[str, Any]:
    """The CSV columns of one material (repeated on each of its sessions' rows)."""
    return {"material_id": r["id"], "material_kind": r["kind"],
            "material_label": r["label"], "material_url": r["url"],
            "material_status": r["status"], "material_origin": r["origin"],
            "fetched_at": r["fetched_at"], "sha256": f.get("sha256"),
            "size": f.get("size"), "content_type": f.get("content_type"),
            "versions": len(r.get("versions", [])) or "",
            "film_duration": film.get("duration"), "caption_cues": film.get("cues"),
            "stored_path": f.get("path")}


def refuse_target_inside(archive: Archive, target: Path) -> None:
    """Refuse, before anything is opened for writing, an export aimed into the archive:
    `export --jsonl catalog.sqlite` would otherwise truncate the catalog."""
    if archive.layout.holds(target):
        raise ArchivistError(f"{target}: the export target is inside the archive "
                             f"{archive.layout.root}; nothing was written",
                             "export to a file or folder outside the archive, or - for "
                             "standard output")
    refuse_damaged_catalog(archive)


def refuse_damaged_catalog(archive: Archive) -> None:
    """An export of a damaged catalog would be silently partial: refuse it."""
    problem = integrity_problem(archive.layout.catalog, quick=True)
    if problem:
        raise ArchivistError(f"the catalog {archive.layout.catalog} is damaged ({problem}); "
                             "nothing was exported",
                             "`konfarkiv restore` lists the catalog's snapshots and brings one "
                             "back")


@contextmanager
def _opened(target: str) -> Iterator[TextIO]:
    """The export's output: stdout for '-', else the file, opened only when asked for."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    if path.exists() and not path.is_file():  # a device or FIFO (/dev/full): written as is
        try:
            fh = open(path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ArchivistError(f"{path}: cannot write: {exc.strerror or exc}",
                                 "choose a writable file, or - for standard output") from exc
        try:
            with fh:
                yield fh
        except OSError as exc:
            raise ArchivistError(f"{path}: cannot write: {exc.strerror or exc}",
                                 "choose a writable file with room, or - for standard "
                                 "output") from exc
        return
    # A file is written beside its place and renamed over it: never through a hard link
    # or symlink into something else (a stored file: issue 26 item 13), never left
    # half-written by a full disk.
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise ArchivistError(f"{path}: cannot write: {exc.strerror or exc}",
                             "choose a writable file, or - for standard output") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_catalog(archive: Archive, fmt: str, target: str,
                   events: Sequence[str] = ()) -> ExportResult:
    """Write the catalog (or the named events) as jsonl or csv to a file or '-' (stdout)."""
    if target != "-":
        refuse_target_inside(archive, Path(target))
    else:
        refuse_damaged_catalog(archive)
    ids = event_ids(archive.catalog, events)
    recs = records(archive.catalog, archive.store, ids)
    n = 0
    with _opened(target) as out:
        if fmt == "jsonl":
            for rec in recs:
                out.write(hide_credentials(json.dumps(rec, ensure_ascii=False, default=str))
                          + "\n")
                n += 1
        elif fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for row in _csv_rows(recs):
                writer.writerow({k: hide_credentials(v) if isinstance(v, str) else v
                                 for k, v in row.items()})
                n += 1
        else:
            raise ArchivistError(f"unknown export format {fmt!r}", "use jsonl, csv or bagit")
    return ExportResult(fmt, target, len(ids), n)
