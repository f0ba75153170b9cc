"""Search results: sessions with their evidence, as the CLI and the web show them.

Snippets come from the catalog's text (the index stores little); one function,
``SearchResponse.to_json``, gives the JSON that ``search --json`` prints and
``/api/search`` serves.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.cues import decode_word_starts
from konfarkiv.archive.records import Cue
from konfarkiv.archive.ref import ItemKind, Ref
from konfarkiv.search.damage import IndexDamaged
from konfarkiv.search.documents import CUE_WINDOW_CHARS, cue_groups
from konfarkiv.search.expansion import Matches
from konfarkiv.search.facets import FacetValue
from konfarkiv.search.links import moment_link, page_link
from konfarkiv.search.snippets import Snippet, make_snippet, word_tokens

T = TypeVar("T")

#: Order of a session's hits: the session (or event) itself, slides, films, moments.
KIND_ORDER = {"event": 0, "session": 0, "slide": 1, "film": 2, "caption": 3}


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str | None
    page: int | None
    start: float | None
    snippet: str
    highlights: list[list[int]]
    score: float
    #: What `konfarkiv open` and `show` take: "material:12@3" (a slide, page 3),
    #: "material:7@65" (a film moment, second 65), "material:7", "session:4", "event:1".
    id: str = ""
    #: A slide's text source: "pdf" (its text layer) or "ocr" (read from its image).
    source: str | None = None

    @property
    def ref(self) -> Ref:
        """The hit's id as a `Ref` (the JSON prints it as the string `id`)."""
        return Ref.parse(self.id)

    @property
    def material_id(self) -> int | None:
        """The material a slide, film or moment hit is in (None for a session or event)."""
        ref = self.ref
        return ref.id if ref.kind is ItemKind.MATERIAL else None


@dataclass(frozen=True)
class SessionResult:
    event: dict[str, Any]
    session: dict[str, Any]
    score: float
    hits: list[Hit] = field(default_factory=list)
    #: How many hits the session has (all of them are in ``hits``).
    hit_count: int = 0


@dataclass(frozen=True)
class SearchResponse:
    query: str
    total: int
    results: list[SessionResult]
    page: int = 1
    #: A corrected query when this one found little ("did you mean").
    suggestion: str | None = None
    #: The query the results are for when it is not ``query`` (the suggestion,
    #: searched because ``query`` found nothing).
    results_for: str | None = None
    #: Sessions per page, and how many pages the results fill.
    limit: int = 10
    pages: int = 1
    #: True when no session holds every word and these are the best partial matches;
    #: ``missing_words`` are the words found nowhere.
    partial: bool = False
    missing_words: list[str] = field(default_factory=list)
    #: The order asked for (relevance, newest, oldest), the facet filters applied
    #: (facet name -> values), and with facets asked for, facet name -> values with
    #: counts over every match (search.facets.FacetValue), most frequent first.
    sort: str = "relevance"
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    #: What ``total`` counts: results, each a session or an event's own material (an
    #: event that is its one session counts once); the same on every face.
    counts: str = "results"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def group_score(hits: list[dict[str, Any]]) -> float:
    """A session's score from its hits (the path that ranks evidence documents)."""
    scores = sorted((h["score"] for h in hits), reverse=True)
    return scores[0] + 0.1 * sum(scores[1:4])


def session_result(
    catalog: Catalog, group: str, score: float, hits: list[dict[str, Any]], matches: Matches,
    snippets: int | None = None,
) -> SessionResult:
    """One result: the session (or event), its event, and its hits in reading order."""
    kind, _, ident = group.partition(":")
    if kind == "s":
        s = _present(catalog.session(int(ident)), 'session')
        event_id = s.event_id
        speakers = [
            {"name": r.name, "organisation": r.organisation, "role": r.role}
            for r in catalog.session_speakers(s.id)
        ]
        session = {"id": s.id, "title": s.title, "time": s.time, "speakers": speakers}
    else:
        event_id = int(ident)
        session = {"id": None, "title": None, "time": None, "speakers": []}
    e = _present(catalog.event(event_id), 'event')
    event = {"id": e.id, "title": e.title, "url": e.url, "date": e.date}
    ordered = sorted(
        hits,
        key=lambda h: (
            KIND_ORDER[h["kind"]],
            h.get("ref") or 0,
            h.get("page") or 0,
            h.get("start") or 0.0,
        ),
    )
    return SessionResult(
        event=event,
        session=session,
        score=round(score, 4),
        hits=[_hit(catalog, h, matches, snippets is None or i < snippets)
              for i, h in enumerate(ordered)],
        hit_count=len(ordered),
    )


def _present(row: T | None, what: str) -> T:
    """A catalog row the index names; its absence means the index is out of step with the
    catalog (damage a rebuild mends), never a reason for a TypeError further on."""
    if row is None:
        raise IndexDamaged(f"the index names a {what} the catalog does not hold")
    return row


def _hit(catalog: Catalog, h: dict[str, Any], matches: Matches, snippet_too: bool) -> Hit:
    """One hit; its snippet (the costly part) only when ``snippet_too``."""
    kind = h["kind"]
    page = start = None
    source: str | None = None
    url: str | None = None
    if kind == "event":
        e = _present(catalog.event(h["ref"]), 'event')
        title, url, ident = e.title, e.url, str(Ref.event(h["ref"]))
        text = ". ".join(x for x in (e.title, e.intro, e.date) if x)
    elif kind == "session":
        s = _present(catalog.session_with_page(h["ref"]), 'session_with_page')
        title, url, ident = s.title, s.url, str(Ref.session(h["ref"]))
        text = f"{s.title}. {s.description}" if s.description else s.title
    elif kind == "slide":
        page = int(h["page"])
        row = _present(catalog.slide(h["ref"], page), 'slide')
        title, text, url = row.label, row.text, page_link(row.url, page)
        ident = str(Ref.material(row.material_id, page))
        source = row.source or "pdf"
    else:
        f = _present(catalog.film(h["ref"]), 'film')
        title, ident = f.label, str(Ref.material(f.material_id))
        if kind == "film":
            text, url = "\n".join(x for x in (f.title, f.description) if x), f.url
        else:
            text, start = window_moment(catalog, f.id, h["cue"], matches,
                                        float(h["start"]))
            url = moment_link(f.url, start)
            ident = str(Ref.material(f.material_id, start))
    snippet = (make_snippet(text or "", (), None, match=matches) if snippet_too
               else Snippet("", ()))
    return Hit(
        kind=kind,
        title=title,
        url=url,
        page=page,
        start=start,
        snippet=snippet.text,
        highlights=[list(span) for span in snippet.highlights],
        score=round(float(h["score"]), 4),
        id=ident,
        source=source,
    )


def _window_cues(catalog: Catalog, film_id: int, first: int) -> list[Cue]:
    """The cues of the caption window that starts at cue ``first``: only the cues
    that can belong to it are read (a film may hold tens of thousands)."""
    # every cue is at least one character: a window never needs more than this many
    cues = catalog.cues(film_id, first, CUE_WINDOW_CHARS + 1)
    return next(cue_groups(cues), [])


def window_text(catalog: Catalog, film_id: int, first: int) -> str:
    """The text of the caption window that starts at cue ``first``."""
    return " ".join(c.text for c in _window_cues(catalog, film_id, first))


def window_moment(catalog: Catalog, film_id: int, first: int, match: Matches,
                  window_start: float) -> tuple[str, float]:
    """The window's text and the moment its first matched word is spoken: the word's own
    time where the captions give word times, else the start of the cue holding it."""
    cues = _window_cues(catalog, film_id, first)
    text = " ".join(c.text for c in cues)
    whole = copy.copy(match)
    whole.parts = set()  # a word the query names beats one sharing a compound part with it
    for test in (whole, match):
        for cue in cues:
            words = cue.text.split()
            starts = decode_word_starts(cue.word_starts)
            for i, word in enumerate(words):
                if any(test(t.text) for t in word_tokens(word)):
                    return text, starts[i] if len(starts) == len(words) else float(cue.start)
    return text, window_start
