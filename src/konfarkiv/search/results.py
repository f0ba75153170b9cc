"""Search results: sessions with their evidence, as the CLI and the web show them.

Snippets come from the catalog's text (the index stores little); one function,
``SearchResponse.to_json``, gives the JSON that ``search --json`` prints and
``/api/search`` serves.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.cues import decode_word_starts
from konfarkiv.archive.records import Cue, Event, LabelledFilm, SessionPage, Slide, Speaker
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


@dataclass(frozen=True)
class _Shown:
    """The catalog rows a page of results shows, read in a fixed number of queries
    (one per kind of row), whatever the number of results and hits."""

    events: dict[int, Event]
    sessions: dict[int, SessionPage]
    speakers: dict[int, list[Speaker]]
    slides: dict[tuple[int, int], Slide]
    films: dict[int, LabelledFilm]
    cues: dict[tuple[int, int], list[Cue]]

    @classmethod
    def read(cls, catalog: Catalog, window: Sequence[tuple[str, list[dict[str, Any]]]]
             ) -> _Shown:
        groups = [g.partition(":") for g, _ in window]
        own_sessions = [int(i) for k, _, i in groups if k == "s"]
        hits = [h for _, hs in window for h in hs]
        sessions = catalog.sessions_by_id(
            own_sessions + [int(h["ref"]) for h in hits if h["kind"] == "session"])
        events = catalog.events_by_id(
            [int(i) for k, _, i in groups if k == "e"] + [s.event_id for s in sessions.values()]
            + [int(h["ref"]) for h in hits if h["kind"] == "event"])
        return cls(
            events=events, sessions=sessions,
            speakers=catalog.speakers_by_session(own_sessions),
            slides=catalog.slides_at([(int(h["ref"]), int(h["page"]))
                                      for h in hits if h["kind"] == "slide"]),
            films=catalog.films_by_id([int(h["ref"]) for h in hits
                                       if h["kind"] in ("film", "caption")]),
            # every cue is at least one character: a window never needs more than this many
            cues=catalog.cues_from([(int(h["ref"]), int(h["cue"])) for h in hits
                                    if h["kind"] == "caption"], CUE_WINDOW_CHARS + 1))


def session_results(
    catalog: Catalog, window: Sequence[tuple[str, float, list[dict[str, Any]]]],
    matches: Matches, snippets: int | None = None,
) -> list[SessionResult]:
    """The results of one page, (group, score, hits) each, with their evidence: the rows
    they show are read together first (_Shown), so a page costs the catalog a fixed
    number of queries."""
    shown = _Shown.read(catalog, [(g, hits) for g, _, hits in window])
    return [session_result(shown, g, score, hits, matches, snippets)
            for g, score, hits in window]


def session_result(
    shown: _Shown, group: str, score: float, hits: list[dict[str, Any]], matches: Matches,
    snippets: int | None = None,
) -> SessionResult:
    """One result: the session (or event), its event, and its hits in reading order."""
    kind, _, ident = group.partition(":")
    if kind == "s":
        s = _present(shown.sessions.get(int(ident)), "session")
        event_id = s.event_id
        speakers = [
            {"name": r.name, "organisation": r.organisation, "role": r.role}
            for r in shown.speakers.get(s.id, [])
        ]
        session = {"id": s.id, "title": s.title, "time": s.time, "speakers": speakers}
    else:
        event_id = int(ident)
        session = {"id": None, "title": None, "time": None, "speakers": []}
    e = _present(shown.events.get(event_id), "event")
    event = {"id": e.id, "title": e.title, "url": e.url, "date": e.date, "organiser": e.organiser}
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
        hits=[_hit(shown, h, matches, snippets is None or i < snippets)
              for i, h in enumerate(ordered)],
        hit_count=len(ordered),
    )


def _present(row: T | None, what: str) -> T:
    """A catalog row the index names; its absence means the index is out of step with the
    catalog (damage a rebuild mends), never a reason for a TypeError further on."""
    if row is None:
        raise IndexDamaged(f"the index names a {what} the catalog does not hold")
    return row


def _hit(shown: _Shown, h: dict[str, Any], matches: Matches, snippet_too: bool) -> Hit:
    """One hit; its snippet (the costly part) only when ``snippet_too``."""
    kind = h["kind"]
    page = start = None
    source: str | None = None
    url: str | None = None
    if kind == "event":
        e = _present(shown.events.get(int(h["ref"])), "event")
        title, url, ident = e.title, e.url, str(Ref.event(h["ref"]))
        text = ". ".join(x for x in (e.title, e.intro, e.date) if x)
    elif kind == "session":
        s = _present(shown.sessions.get(int(h["ref"])), "session")
        title, url, ident = s.title, s.url, str(Ref.session(h["ref"]))
        text = f"{s.title}. {s.description}" if s.description else s.title
    elif kind == "slide":
        page = int(h["page"])
        row = _present(shown.slides.get((int(h["ref"]), page)), "slide")
        title, text, url = row.label, row.text, page_link(row.url, page)
        ident = str(Ref.material(row.material_id, page))
        source = row.source or "pdf"
    else:
        f = _present(shown.films.get(int(h["ref"])), "film")
        title, ident = f.label, str(Ref.material(f.material_id))
        if kind == "film":
            text, url = "\n".join(x for x in (f.title, f.description) if x), f.url
        else:
            cues = next(cue_groups(shown.cues.get((f.id, int(h["cue"])), [])), [])
            text, start = window_moment(cues, matches, float(h["start"]))
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


def window_moment(cues: Sequence[Cue], match: Matches,
                  window_start: float) -> tuple[str, float]:
    """The window's text (its cues) and the moment its first matched word is spoken: the
    word's own time where the captions give word times, else the start of its cue."""
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
