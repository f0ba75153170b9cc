"""Naming catalog rows on the command line: `12`, `event:12`, `session:7`, a page URL.

Archivists type what they see in `show` and `search` output; this module turns it
into one row, or an error that says what would have worked.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from typing import Any

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.keys import page_key
from konfarkiv.archive.records import Event, Material, Session
from konfarkiv.archive.ref import ItemKind, Ref
from konfarkiv.archive.weburls import as_id

KINDS = ("event", "session", "material")


@dataclass(frozen=True)
class Item:
    """One catalog row named by the user."""

    kind: str  # event | session | material
    id: int
    row: Event | Session | Material

    @property
    def ref(self) -> Ref:
        """The id output prints for this row (`session:7`)."""
        return Ref(ItemKind(self.kind), self.id)

    @property
    def event_id(self) -> int:
        return self.row.id if isinstance(self.row, Event) else self.row.event_id

    def label(self) -> str:
        """What the row is, in a few words, for messages and tombstones."""
        if isinstance(self.row, Material):
            return f"{self.row.label} <{self.row.url}>"
        return self.row.title


def who(by: str | None = None) -> str:
    """The archivist: --by, else the login name (recorded on every hand-made change)."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def manual_of(row: Event | Session | Material) -> dict[str, Any]:
    """The row's hand-made overrides (the `manual` JSON column; a material has none)."""
    manual = getattr(row, "manual", None)
    out: dict[str, Any] = json.loads(manual or "{}")
    return out


def get(catalog: Catalog, kind: str, row_id: int) -> Item:
    row: Event | Session | Material | None = (
        catalog.event(row_id) if kind == "event" else catalog.session(row_id)
        if kind == "session" else catalog.material(row_id))
    if row is None:
        raise ArchivistError(f"no {kind} {row_id} in the catalog",
                             f"`konfarkiv show event:ID` lists an event's {kind}s with their ids"
                             if kind != "event" else "`konfarkiv export --jsonl -` lists events")
    return Item(kind, row_id, row)


def find_event(catalog: Catalog, text: str) -> Item:
    """An event by id (`12`, `event:12`), page URL (any host alias) or page key; a web
    address of the archive (`http://…/event:12`) names its id."""
    text = as_id(text).strip()
    ident = Ref.read(text)
    if ident is not None and ident.kind is ItemKind.EVENT:
        return get(catalog, "event", ident.id)
    if ident is not None:
        raise ArchivistError(f"{text!r} names a {ident.kind}, not an event",
                             "give the event's id or page URL")
    for key in (text, page_key(text) if "://" in text else None):
        if key is None:
            continue
        row = catalog.event_by_address(key)
        if row is not None:
            return Item("event", row.id, row)
    raise ArchivistError(f"no event with id or URL {text!r}",
                         "ingest the page first, or create one with `konfarkiv add --new-event`")


def find(catalog: Catalog, text: str, default: str = "event") -> Item:
    """Any row: `session:7`, `material:3`, `event:12`; a bare id or a URL is an event; a web
    address of the archive names its id."""
    text = as_id(text)
    ident = Ref.read(text, ItemKind(default))
    if ident is not None:  # a search hit's place (material:12@3) names the same item
        return get(catalog, ident.kind, ident.id)
    return find_event(catalog, text)
