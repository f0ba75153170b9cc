"""Corrections by hand to events and sessions that survive every re-ingest.

A corrected value goes into the row and into its `manual` JSON; the catalog's
upsert_event/sync_sessions prefer manual values over parsed ones, and keep what
the page says in manual["parsed"] so `show` can print both. A session's title
correction also records manual["parsed_title"], the key sync_sessions matches the
page's sessions by, so the corrected session keeps its id. `reset` drops a
hand-made value and puts the parsed one back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from konfarkiv.archive.archive import Archive
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.curation import replace_speakers, set_field, set_manual
from konfarkiv.archive.dates import check_date
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.journal import log_edit
from konfarkiv.archive.refs import Item, find, find_event, manual_of, who
from konfarkiv.archive.speakers import current_speakers, parse_speaker

FIELDS = {"event": ("title", "date", "intro"),
          "session": ("title", "description", "time", "speakers")}


@dataclass(frozen=True)
class EditRequest:
    kind: str  # event | session
    ref: str
    values: dict[str, Any] = field(default_factory=dict)  # field -> new value
    reset: tuple[str, ...] = ()
    by: str | None = None


@dataclass
class EditResult:
    kind: str
    id: int
    event_id: int
    changed: dict[str, dict[str, Any]]  # field -> {"old": …, "new": …}
    reset: list[str]
    indexed_docs: int = 0  # filled in by konfarkiv.app
    index_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _clean(field_name: str, value: Any) -> Any:
    if field_name == "speakers":
        return [parse_speaker(s) if isinstance(s, str) else s for s in value]
    text = " ".join(str(value).split()) if field_name in {"title", "time"} else str(value).strip()
    if field_name == "date":
        return check_date(text)
    if field_name == "title" and not text:
        raise ArchivistError("a title cannot be empty")
    return text or None if field_name == "time" else text


def _current(catalog: Catalog, ref: Item, field_name: str) -> Any:
    if field_name == "speakers":
        return current_speakers(catalog, ref.id)
    return getattr(ref.row, field_name)


def _write(catalog: Catalog, ref: Item, field_name: str, value: Any) -> None:
    if field_name == "speakers":
        replace_speakers(catalog, ref.id, value)
    else:
        set_field(catalog, ref.kind, ref.id, field_name, value)


def _set(catalog: Catalog, ref: Item, manual: dict[str, Any], field_name: str, value: Any,
         old: Any) -> None:
    if field_name not in manual and manual.get("origin") != "manual":
        # Until now the row held what the page says: keep it for `show` and --reset.
        manual.setdefault("parsed", {}).setdefault(field_name, old)
        if ref.kind == "session" and field_name == "title":
            manual.setdefault("parsed_title", old)  # the key sync_sessions matches by
    manual[field_name] = value
    _write(catalog, ref, field_name, value)


def _reset(catalog: Catalog, ref: Item, manual: dict[str, Any], field_name: str) -> Any:
    """Drop the hand-made value and put the parsed one back; returns the value now held."""
    parsed = manual.get("parsed", {})
    manual.pop(field_name, None)
    if field_name == "title":
        manual.pop("parsed_title", None)
    if field_name not in parsed:  # never parsed (added by hand): the value stays
        return _current(catalog, ref, field_name)
    value = parsed[field_name]
    if field_name == "intro":
        value = value or ""
    _write(catalog, ref, field_name, value)
    return value


def edit(archive: Archive, req: EditRequest) -> EditResult:
    """Apply corrections (and resets) to one event or session; re-index its event."""
    if req.kind not in FIELDS:
        raise ArchivistError(f"cannot edit a {req.kind}", "edit an event or a session")
    allowed = FIELDS[req.kind]
    unknown = [f for f in (*req.values, *req.reset) if f not in allowed]
    if unknown:
        raise ArchivistError(f"a {req.kind} has no field {unknown[0]!r}",
                             f"fields of a {req.kind}: {', '.join(allowed)}")
    both = set(req.values) & set(req.reset)
    if both:
        raise ArchivistError(f"{sorted(both)[0]} is both set and reset", "do one or the other")
    if not req.values and not req.reset:
        raise ArchivistError("nothing to change",
                             f"give a new value (e.g. --title) or --reset FIELD; "
                             f"see `konfarkiv edit {req.kind} --help`")
    values = {k: _clean(k, v) for k, v in req.values.items()}
    by = who(req.by)
    cat = archive.catalog
    ref = find_event(cat, req.ref) if req.kind == "event" else find(cat, req.ref, "session")
    if ref.kind != req.kind:
        raise ArchivistError(f"{req.ref!r} is a {ref.kind}, not a {req.kind}",
                             f"use `konfarkiv edit {ref.kind}`")
    changed: dict[str, dict[str, Any]] = {}
    with cat.transaction():
        manual = manual_of(ref.row)
        for name, value in values.items():
            old = _current(cat, ref, name)
            if old == value and name in manual:
                continue
            _set(cat, ref, manual, name, value, old)
            log_edit(cat, ref.kind, ref.id, "set", name, old, value, by)
            changed[name] = {"old": old, "new": value}
        for name in req.reset:
            old = _current(cat, ref, name)
            now = _reset(cat, ref, manual, name)
            log_edit(cat, ref.kind, ref.id, "reset", name, old, now, by)
            changed[name] = {"old": old, "new": now}
        set_manual(cat, ref.kind, ref.id, manual)
    result = EditResult(ref.kind, ref.id, ref.event_id, changed, list(req.reset))
    return result
