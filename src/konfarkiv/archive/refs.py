"""Naming catalog rows on the command line: `12`, `event:12`, `session:7`, a page URL.

Archivists type what they see in `show` and `search` output; this module turns it
into one row, or an error that says what would have worked.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.keys import page_key
from konfarkiv.archive.ref import ItemKind, Ref
from konfarkiv.archive.weburls import as_id

KINDS = ("event", "session", "material")
TABLES = {"event": "events", "session": "sessions", "material": "materials"}


@dataclass(frozen=True)
class Item:
    """One catalog row named by the user."""

    kind: str  # event | session | material
    id: int
    row: sqlite3.Row

    @property
    def ref(self) -> Ref:
        """The id output prints for this row (`session:7`)."""
        return Ref(ItemKind(self.kind), self.id)

    @property
    def event_id(self) -> int:
        return int(self.row["id"] if self.kind == "event" else self.row["event_id"])

    def label(self) -> str:
        """What the row is, in a few words, for messages and tombstones."""
        if self.kind == "material":
            return f"{self.row['label']} <{self.row['url']}>"
        return str(self.row["title"])


def who(by: str | None = None) -> str:
    """The archivist: --by, else the login name (recorded on every hand-made change)."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def manual_of(row: sqlite3.Row) -> dict[str, Any]:
    """The row's hand-made overrides (the `manual` JSON column)."""
    return json.loads(row["manual"] or "{}")


def get(catalog: Catalog, kind: str, row_id: int) -> Item:
    row = catalog.one(f"SELECT * FROM {TABLES[kind]} WHERE id=?", (row_id,))
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
        row = catalog.one("SELECT * FROM events WHERE url=? OR page_key=?", (key, key))
        if row is not None:
            return Item("event", int(row["id"]), row)
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
