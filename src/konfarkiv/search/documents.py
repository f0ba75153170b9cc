"""Index documents derived from the catalog (the one source of truth)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.organiser import host_organiser
from konfarkiv.archive.records import Cue, Material
from konfarkiv.search.facets import facet_keys
from konfarkiv.search.schema import UNIT

CUE_WINDOW_CHARS = 240
#: Between the parts of a ranking document's body: three tokens no query holds, so a
#: phrase never matches across two slides (or a slide and a caption).
UNIT_GAP = "\n_ _ _\n"
CUE_WINDOW_SECONDS = 30.0


def _speakers(catalog: Catalog, session_id: int) -> tuple[str, str]:
    rows = catalog.session_speakers(session_id)
    names = " ; ".join(r.name for r in rows)
    orgs = " ; ".join(
        " ".join(x for x in (r.role, r.organisation, acronym(r.organisation)) if x)
        for r in rows
        if r.organisation or r.role
    )
    return names, orgs


_NAME_WORD = re.compile(r"[^\W\d_]+")
_SMALL_WORDS = frozenset({"och", "för", "i", "av", "på", "till"})


def acronym(name: str | None) -> str | None:
    """'Sveriges Kommuner och Landsting' → 'SKL': people search organisations
    by their short form, which the page rarely prints beside the full name."""
    words = [w for w in _NAME_WORD.findall(name or "") if w not in _SMALL_WORDS]
    if len(words) >= 3 and all(w[0].isupper() for w in words):
        return "".join(w[0] for w in words).upper()
    return None


def cue_groups(cues: Sequence[Cue]) -> Iterator[list[Cue]]:
    """Consecutive cues in short windows (at most CUE_WINDOW_CHARS and _SECONDS)."""
    window: list[Cue] = []
    for cue in cues:
        if window and (
            sum(len(c.text) + 1 for c in window) + len(cue.text) > CUE_WINDOW_CHARS
            or cue.start - window[0].start > CUE_WINDOW_SECONDS
        ):
            yield window
            window = []
        window.append(cue)
    if window:
        yield window


def cue_windows(cues: Sequence[Cue]) -> Iterator[tuple[int, float, str]]:
    """Consecutive cues merged into short windows: (first position, start, text)."""
    for window in cue_groups(cues):
        yield window[0].position, window[0].start, " ".join(c.text for c in window)


def event_documents(catalog: Catalog, event_id: int) -> Iterator[dict[str, Any]]:
    """Every index document of one event, from the catalog alone: the evidence
    documents, then one ranking document per session and one for the event.

    A ranking document holds the group's words together (current versions
    only), so a query's words may each come from a different slide or moment
    of the session and still find it, and one BM25F top-k search ranks sessions.
    """
    units: dict[str, dict[str, Any]] = {}
    event = catalog.event(event_id)
    organiser = date = None
    if event is not None:
        organiser = event.organiser or host_organiser(event.url)
        date = event.date
    for doc in _evidence_documents(catalog, event_id):
        yield doc
        unit = units.get(doc["group"])
        if unit is None:
            unit = units[doc["group"]] = {
                "id": f"unit:{doc['group']}", "kind": UNIT, "group": doc["group"],
                "event_id": doc["event_id"], "year": doc["year"], "current": "1",
                "uevent": doc["event"], "title": "", "speaker": "", "org": "", "body": [],
                "kinds": {"s": "session", "e": "event"}[doc["group"][0]],
                "organiser": organiser, "date": date or "", "speakers": [],
            }
        if doc["kind"] in ("event", "session"):
            unit["title"] = doc["title"]
            unit["speaker"], unit["org"] = doc.get("speaker", ""), doc.get("org", "")
            unit["speakers"] = [n for n in doc.get("speaker", "").split(" ; ") if n]
        elif doc["current"] == "1":
            unit["kinds"] += " film" if doc["kind"] in ("film", "caption") else " slide"
        if doc["current"] == "1":
            unit["body"].append(doc["body"] if doc["kind"] in ("event", "session")
                                else f"{doc.get('title') or ''}\n{doc['body']}")
    twins = _twins(units)
    for unit in units.values():
        body = UNIT_GAP.join(unit.pop("body"))
        title, speaker, org = unit.pop("title"), unit.pop("speaker"), unit.pop("org")
        twin = twins.get(unit["group"])
        keys = facet_keys(year=unit["year"], event_id=unit["event_id"],
                          organiser=unit.pop("organiser"), kinds=unit.pop("kinds").split(),
                          speakers=unit.pop("speakers"), twin=twin is not None)
        extra = {"twin": twin} if twin else {}
        if unit["date"]:
            extra["date"] = unit["date"]
        del unit["date"]
        yield {**unit, **extra, "utitle": title, "ubody": body, "ufolded": f"{title}\n{body}",
               "uspeaker": speaker, "uorg": org, "facet": keys}


def _same_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _twins(units: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Event group -> its session's group, for an event whose own session has its title
    (a single-seminar page: the page heading is both). The search shows them as one
    result, the session, and counts them once."""
    sessions: dict[str, str] = {}
    for group, unit in units.items():
        if group.startswith("s:") and unit["title"]:
            sessions.setdefault(_same_title(unit["title"]), group)
    return {group: sessions[_same_title(unit["title"])] for group, unit in units.items()
            if group.startswith("e:") and unit["title"]
            and _same_title(unit["title"]) in sessions}


def _evidence_documents(catalog: Catalog, event_id: int) -> Iterator[dict[str, Any]]:
    """The event's evidence documents: event, sessions, slides, films, caption windows."""
    event = catalog.event(event_id)
    if event is None or event.status == "removed":
        return
    year = (event.date or "")[:4]
    base = {"event_id": str(event_id), "event": event.title, "year": year}
    intro = "\n".join(x for x in (event.intro, event.date) if x)
    # The event itself, so its title, introduction and date are found by plain words.
    yield {
        **base,
        "id": f"event:{event_id}",
        "kind": "event",
        "group": f"e:{event_id}",
        "ref": event_id,
        "title": event.title,
        "body": intro,
        "folded": f"{event.title}\n{intro}",
        "current": "1",
    }
    session_info: dict[int, tuple[str, str, str]] = {}
    for s in catalog.live_sessions(event_id):
        names, orgs = _speakers(catalog, s.id)
        session_info[s.id] = (s.title, names, orgs)
        body = "\n".join(x for x in (s.description, s.grp or "") if x)
        yield {
            **base,
            "id": f"session:{s.id}",
            "kind": "session",
            "group": f"s:{s.id}",
            "ref": s.id,
            "title": s.title,
            "body": body,
            "folded": f"{s.title}\n{body}",
            "speaker": names,
            "org": orgs,
            "current": "1",
        }
    links = catalog.sessions_by_material(event_id)
    for m in catalog.searchable_materials(event_id):
        # A file linked from several sessions belongs to each: its evidence goes in
        # every one of their groups (the first keeps the plain id).
        for group, suffix in _groups(m, links.get(m.id, []), session_info, event_id):
            for doc in _material_documents(catalog, m, {**base, "group": group}):
                yield {**doc, "id": doc["id"] + suffix}


def _groups(m: Material, linked: list[int], live: dict[int, Any], event_id: int
            ) -> list[tuple[str, str]]:
    """(group, id suffix) for each place the material is linked from, in page order."""
    first = m.session_id if m.session_id in live else None
    sids = [first] + [s for s in linked if s in live and s != first]
    return [(f"s:{sid}" if sid else f"e:{event_id}", f"@s:{sid}" if i else "")
            for i, sid in enumerate(sids)]


def _material_documents(catalog: Catalog, m: Material, shared: dict[str, Any]
                        ) -> Iterator[dict[str, Any]]:
    """One material's evidence documents (slides; a film and its caption windows).

    Speakers and labels go on the session document only: on every slide and
    cue they would make each page of a deck match a speaker's name.
    """
    if m.kind == "pdf":
        for d in catalog.document_versions(m.id):
            for p in catalog.page_texts(d.id):
                if not p.text.strip():
                    continue
                yield {
                    **shared,
                    "id": f"slide:{d.id}:{p.page}",
                    "kind": "slide",
                    "ref": d.id,
                    "body": p.text,
                    "folded": p.text,
                    "page": p.page,
                    "current": "1" if d.current else "0",
                }
    elif m.kind == "film":
        film = catalog.film_of(m.id)
        if film is None:
            return
        title = m.label
        body = "\n".join(x for x in (film.title, film.description) if x)
        yield {
            **shared,
            "id": f"film:{film.id}",
            "kind": "film",
            "ref": film.id,
            "title": title,
            "body": body,
            "folded": f"{title}\n{body}",
            "current": "1",
        }
        cues = catalog.cues(film.id)
        for position, start, text in cue_windows(cues):
            yield {
                **shared,
                "id": f"caption:{film.id}:{position}",
                "kind": "caption",
                "ref": film.id,
                "body": text,
                "folded": text,
                "start": float(start),
                "cue": position,
                "current": "1",
            }
