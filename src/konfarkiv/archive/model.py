"""The archive's records: a parsed documentation page, and a catalog material.

These are plain frozen dataclasses so that the parser stays a pure function of
HTML and the rest of the pipeline (archive, index, CLI JSON) shares one shape;
they live in archive because the catalog stores them and archive imports nothing
else of konfarkiv.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from konfarkiv.archive import records

MaterialKind = Literal["pdf", "film", "link"]


@dataclass(frozen=True)
class Material:
    """A link on the page: a PDF, a film, or some other document/link."""

    kind: MaterialKind
    label: str
    url: str


@dataclass(frozen=True)
class Speaker:
    name: str
    organisation: str | None = None
    role: str | None = None  # "strategisk chef", "moderator", as the page gives it
    party: str | None = None  # party letters such as "S" from "(S)"; never an organisation


@dataclass(frozen=True)
class Session:
    title: str
    description: str = ""
    speakers: tuple[Speaker, ...] = ()
    materials: tuple[Material, ...] = ()
    time: str | None = None  # "09.00-09.15" as printed, normalised to "09.00–09.15"
    group: str | None = None  # the group heading above it ("Seminariepass, förmiddag")
    code: str | None = None  # the program's code before the title: "A", "1a", "1.1"
    date: str | None = None  # ISO date where a heading dates the session


@dataclass(frozen=True)
class ParsedPage:
    url: str
    title: str
    date: str | None = None  # ISO date where the page states one
    intro: str = ""
    materials: tuple[Material, ...] = ()  # event-level links
    sessions: tuple[Session, ...] = field(default_factory=tuple)
    published: str | None = None  # ISO "Publicerad: …" date of the page, not the event
    updated: str | None = None  # ISO "Uppdaterad …" date of the page

    def to_json(self) -> dict[str, Any]:
        """The `ingest --dry-run --json` shape (lists, not tuples)."""
        out = _lists(asdict(self))
        assert isinstance(out, dict)
        return out

    def all_materials(self) -> list[tuple[int | None, Material]]:
        """Every material with the index of its session (None for event-level)."""
        out: list[tuple[int | None, Material]] = [(None, m) for m in self.materials]
        for i, s in enumerate(self.sessions):
            out.extend((i, m) for m in s.materials)
        return out


def mmss(seconds: float) -> str:
    """A moment (a cue's or chapter's start, a duration) as 05:07 or 1:02:03."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def _lists(value: object) -> object:
    """asdict keeps tuples; JSON consumers and equality with parsed JSON want lists."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


#: A catalog material handed to a job running off the main thread (a frozen record).
MaterialRef = records.Material


@dataclass(frozen=True)
class Playable:
    """How a browser plays a film when the archive holds no copy of it, recorded at ingest:
    the media file yt-dlp reported (a direct file a browser plays), or the platform's own
    embedded player (YouTube, Vimeo and the like allow nothing else). A saved page's film
    file is kept in the store (media_sha256)."""

    media_url: str | None = None
    media_type: str | None = None
    embed_url: str | None = None
    media_sha256: str | None = None


@dataclass(frozen=True)
class TimedCue:
    start: float
    end: float
    text: str
    speaker: str | None = None  # the caption file's voice (<v Name>), where it names one


@dataclass(frozen=True)
class PlayerFilm:
    """A film material as its player page needs it."""

    material_id: int
    label: str
    url: str
    event_id: int
    event: str
    film_id: int | None
    duration: float | None
    webpage_url: str | None
    stored_sha256: str | None  # the archived media file (downloaded, added or saved)
    stored_type: str | None
    playable: Playable
    caption_lang: str | None
