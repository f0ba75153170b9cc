"""What the catalog hands out: frozen records with typed fields, never database rows.

Each record names the columns it carries; a query may select more (a column another
part added) or fewer (a field with a default), and `records_of` maps them by name once
per query. Kinds and statuses are `StrEnum`s, so they compare equal to the strings the
catalog stores and print as them.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, TypeVar, cast, get_type_hints

from konfarkiv.archive.ref import Ref


class EventStatus(StrEnum):
    OK = "ok"
    GONE = "gone"  # its page answers 404/410; everything archived is kept
    REMOVED = "removed"  # withdrawn by hand (a tombstone says who and why)


class SessionStatus(StrEnum):
    OK = "ok"
    WITHDRAWN = "withdrawn"  # gone from its page
    REMOVED = "removed"


class MaterialKind(StrEnum):
    PDF = "pdf"
    FILM = "film"
    LINK = "link"


class MaterialStatus(StrEnum):
    PENDING = "pending"
    OK = "ok"
    NO_TEXT = "no_text"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Origin(StrEnum):
    PAGE = "page"
    MANUAL = "manual"  # added by hand: a re-ingest never withdraws it


class DocumentOutcome(StrEnum):
    TEXT = "text"
    NO_TEXT = "no_text"
    PARTIAL = "partial"


@dataclass(frozen=True, slots=True)
class Blob:
    """A stored file, by content."""

    sha256: str
    size: int
    content_type: str | None
    stored_at: str


@dataclass(frozen=True, slots=True)
class Event:
    """A documentation page (or an event added by hand)."""

    id: int
    page_key: str
    url: str
    title: str
    date: str | None
    intro: str
    status: EventStatus
    error: str | None = None
    page_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    manual: str | None = None  # JSON: the fields corrected by hand
    organiser: str | None = None  # who held it, where the page or its host says

    @property
    def ref(self) -> Ref:
        return Ref.event(self.id)


@dataclass(frozen=True, slots=True)
class Session:
    """One item of an event's program."""

    id: int
    event_id: int
    position: int
    title: str
    description: str
    time: str | None
    grp: str | None
    code: str | None
    date: str | None
    status: SessionStatus
    last_seen: str | None = None
    manual: str | None = None

    @property
    def ref(self) -> Ref:
        return Ref.session(self.id)


@dataclass(frozen=True, slots=True)
class SessionPage:
    """A session's title and description with its event's page address."""

    id: int
    title: str
    description: str
    url: str
    event_id: int = 0
    time: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    session_id: int
    position: int
    name: str
    organisation: str | None
    role: str | None
    party: str | None = None


@dataclass(frozen=True, slots=True)
class Material:
    """A PDF, film or other link of an event, and what became of fetching it."""

    id: int
    event_id: int
    session_id: int | None
    position: int
    kind: MaterialKind
    label: str
    url: str
    status: MaterialStatus
    error: str | None = None
    permanent: bool = False
    attempts: int = 0
    next_try: str | None = None
    fetched_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    last_seen: str | None = None
    origin: Origin = Origin.PAGE

    @property
    def ref(self) -> Ref:
        return Ref.material(self.id)


@dataclass(frozen=True, slots=True)
class Document:
    """One stored version of a PDF and how its text was extracted."""

    id: int
    material_id: int
    sha256: str
    fetched_at: str
    current: bool
    outcome: DocumentOutcome
    pages: int
    chars: int
    tool: str | None
    seconds: float | None
    warnings: int
    error: str | None


@dataclass(frozen=True, slots=True)
class PdfPage:
    page: int
    text: str


@dataclass(frozen=True, slots=True)
class Slide:
    """One PDF page's text with its material's label and address."""

    material_id: int
    label: str
    url: str
    text: str
    source: str | None = None  # "pdf" or "ocr": where the text came from


@dataclass(frozen=True, slots=True)
class Film:
    """What was read of a film: its metadata and where its captions came from."""

    id: int
    material_id: int
    title: str | None
    description: str | None
    duration: float | None
    webpage_url: str | None
    extractor: str | None = None
    tool: str | None = None
    info_sha256: str | None = None
    captions_sha256: str | None = None
    caption_lang: str | None = None
    fetched_at: str | None = None
    caption_reader: int | None = None  # the caption reader's version (ingest/captions.py)
    media_url: str | None = None  # what a browser plays when the archive holds no copy
    embed_url: str | None = None
    media_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledFilm:
    """A film with its material's label and address (what a hit shows)."""

    id: int
    material_id: int
    title: str | None
    description: str | None
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption: its place in the film's list, when it starts, what is said."""

    position: int
    start: float
    text: str
    speaker: str | None = None  # the WebVTT voice, where named
    word_starts: str | None = None  # JSON: archive.cues.decode_word_starts reads it


R = TypeVar("R")


@functools.cache
def _converters(cls: Any) -> dict[str, Callable[[Any], Any] | None]:
    """Each field of a record class, with the enum or bool its column is read as."""
    hints = get_type_hints(cls)
    out: dict[str, Callable[[Any], Any] | None] = {}
    for f in fields(cls):
        hint = hints[f.name]
        enum_or_bool = isinstance(hint, type) and (issubclass(hint, StrEnum) or hint is bool)
        out[f.name] = hint if enum_or_bool else None
    return out


def records_of(cls: type[R], cursor: sqlite3.Cursor) -> Iterable[R]:
    """The cursor's rows as records of cls, columns matched to fields by name."""
    convert = _converters(cast(Hashable, cls))
    names = [d[0] for d in cursor.description or ()]
    wanted = [(i, n, convert[n]) for i, n in enumerate(names) if n in convert]
    for row in cursor:
        yield cls(**{n: (c(row[i]) if c is not None and row[i] is not None else row[i])
                     for i, n, c in wanted})
