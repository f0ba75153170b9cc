"""One id for every catalog item, as every output prints it and every command takes it.

`event:3`, `session:12`, `material:4` name an item; `material:4@5` names a place inside
a material: page 5 of a PDF, or second 5 of a film. The command line, search hits and
the JSON all print `str(ref)`, and `Ref.parse` reads it back (also the short forms
`e:3`, `s:12`, `m:4` and a bare number, which means the caller's default kind).

Web addresses of the archive (`http://…/material:4@5`) are read by the web's own reader
before `Ref.parse`: this module knows the id grammar only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from konfarkiv.archive.errors import ArchivistError

#: Ids longer than this name no catalog row (SQLite's ids are 64-bit).
MAX_DIGITS = 18


class ItemKind(StrEnum):
    """What a ref names: the three kinds of catalog item a user meets."""

    EVENT = "event"
    SESSION = "session"
    MATERIAL = "material"


_SHORT = {"e": ItemKind.EVENT, "s": ItemKind.SESSION, "m": ItemKind.MATERIAL}
_GRAMMAR = re.compile(
    rf"^(?:(event|session|material|e|s|m):)?(\d{{1,{MAX_DIGITS}}})"
    rf"(?:@(\d{{1,{MAX_DIGITS}}})(?:\.\d+)?)?$",
    re.IGNORECASE,
)
HINT = ("give event:ID, session:ID, material:ID, or material:ID@PAGE (a PDF) or "
        "material:ID@SECOND (a film); `konfarkiv search --json` prints each hit's id")


class RefError(ArchivistError):
    """Text that is not an id; its message names the text, its hint the forms that work."""


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """An item of the catalog, or a place (page or second) inside a material."""

    kind: ItemKind
    id: int
    #: The page of a PDF or the whole second of a film; only a material has one.
    at: int | None = None

    def __post_init__(self) -> None:
        if self.at is not None and self.kind is not ItemKind.MATERIAL:
            raise RefError(f"{self}: only a material has pages or moments", HINT)

    def __str__(self) -> str:
        place = f"@{self.at}" if self.at is not None else ""
        return f"{self.kind}:{self.id}{place}"

    @property
    def item(self) -> Ref:
        """The item itself, without the place."""
        return Ref(self.kind, self.id) if self.at is not None else self

    @classmethod
    def parse(cls, text: str, default: ItemKind | None = ItemKind.EVENT) -> Ref:
        """The ref `text` spells; a bare number is a `default` (None: a bare number is
        refused). A fraction of a second is dropped: places are whole pages and seconds."""
        ref = cls.read(text, default)
        if ref is None:
            raise RefError(f"{text.strip()!r} is not an id", HINT)
        return ref

    @classmethod
    def read(cls, text: str, default: ItemKind | None = ItemKind.EVENT) -> Ref | None:
        """Like `parse`, but None for text that is not an id at all."""
        m = _GRAMMAR.match(text.strip())
        if m is None:
            return None
        prefix, ident, at = m.groups()
        if prefix is None:
            if default is None or at is not None:
                return None
            kind = default
        else:
            kind = _SHORT.get(prefix.lower()) or ItemKind(prefix.lower())
        if at is not None and kind is not ItemKind.MATERIAL:
            raise RefError(f"{text.strip()!r}: only a material has pages or moments", HINT)
        return cls(kind, int(ident), int(at) if at is not None else None)

    @classmethod
    def event(cls, ident: int) -> Ref:
        return cls(ItemKind.EVENT, ident)

    @classmethod
    def session(cls, ident: int) -> Ref:
        return cls(ItemKind.SESSION, ident)

    @classmethod
    def material(cls, ident: int, at: int | float | None = None) -> Ref:
        """A material, or a place in it (a film's second is rounded down to a whole one)."""
        return cls(ItemKind.MATERIAL, ident, int(at) if at is not None else None)
