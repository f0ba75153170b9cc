"""What the pages show, built from the library's results and the catalog.

Each hit of `search` names its file only by the original URL (with #page= or #t=); it
is matched back to its catalog row with the same link functions that made it, so that
the page can point at the archived copy served by konfarkiv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.ref import ItemKind
from konfarkiv.archive.weburls import web_path
from konfarkiv.search.links import mmss
from konfarkiv.search.query import Hit, SearchResponse

KIND_LABEL = {"event": "Evenemang", "session": "Programpunkt", "slide": "Bild", "film": "Film",
              "caption": "Filmögonblick"}
MEDIA_TYPES = ("video/", "audio/")


def highlighted(text: str, spans: list[list[int]]) -> Markup:
    """The snippet as HTML: every piece escaped, matched words in <mark>."""
    if not spans:
        return escape(text)
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += (escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return Markup("".join(out))  # every piece of text above is escaped


@dataclass
class HitView:
    kind: str
    label: str
    title: str
    snippet: Markup
    original: str | None
    page: int | None = None
    at: str | None = None
    thumb: str | None = None  # /thumb/<document>/<page>
    archived: str | None = None  # the archived PDF at its page, or the player at its second
    ocr: bool = False  # a slide whose text was read by OCR (it had no text layer)
    id: str = ""  # the id the command line takes (material:12@3)


@dataclass
class ResultView:
    event: dict[str, Any]
    session: dict[str, Any]
    hits: list[HitView] = field(default_factory=list)
    organiser: str | None = None  # the publishing body of the event


def _hit_view(h: Hit, documents: dict[int, int], event_id: int,
              session_id: int | None, q: str) -> HitView:
    view = HitView(kind=h.kind, label=KIND_LABEL.get(h.kind, h.kind), title=h.title,
                   snippet=highlighted(h.snippet, h.highlights), original=h.url,
                   page=h.page, id=h.id,
                   at=mmss(h.start) if h.start is not None else None,
                   ocr=h.source == "ocr")
    if h.kind == "event" or (h.kind == "session" and session_id is None):
        view.archived = f"/event:{event_id}"
    elif h.kind == "session":
        view.archived = f"/event:{event_id}#session:{session_id}"
    elif h.kind == "slide" and h.page is not None:
        # the hit's id names its material: its current PDF version gives the thumbnail
        ref = h.ref
        document = documents.get(ref.id) if ref.kind is ItemKind.MATERIAL else None
        if document is not None:
            view.thumb = f"/thumb/{document}/{h.page}"
            view.archived = web_path(str(ref))
    elif h.kind in ("caption", "film") and h.id.startswith("material:"):
        # every film hit plays on konfarkiv's player page: a moment at its second, a
        # whole film from 0 (whatever its original is: a saved page's file, a host's page)
        path = web_path(h.id if "@" in h.id else f"{h.id}@0")
        view.archived = path + "?" + urlencode({"q": q}) if q else path
    return view


def result_views(catalog: Catalog, resp: SearchResponse) -> list[ResultView]:
    """The page's results; one catalog read for the page (its slides' current PDF versions,
    for thumbnails); the organiser comes with the result's event."""
    documents = catalog.current_documents(
        [m for r in resp.results for h in r.hits if h.kind == "slide"
         for m in (h.material_id,) if m is not None])
    q = resp.results_for or resp.query
    return [ResultView(r.event, r.session,
                       [_hit_view(h, documents, int(r.event["id"]), r.session.get("id"), q)
                        for h in r.hits],
                       r.event.get("organiser"))
            for r in resp.results]


STATUS_LABEL = {"ok": "ok", "no_text": "ingen text", "failed": "misslyckades",
                "pending": "väntar", "withdrawn": "inte längre på sidan",
                "removed": "borttagen", "gone": "sidan finns inte längre", "new": "ny"}


def web_link(url: str | None) -> str | None:
    """url when it is an http(s) address a browser may follow, else None (shown as text).

    Pages may carry javascript:, data: or file: links; they never become links here."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in ("http", "https") else None
