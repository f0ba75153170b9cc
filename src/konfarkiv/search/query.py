"""Searching: parse the query, group hits by session, make snippets and links."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import qparser
from whoosh.query import Query, Term

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.documents import cue_windows
from konfarkiv.search.index import open_index
from konfarkiv.search.links import moment_link, page_link
from konfarkiv.search.snippets import Snippet, make_snippet

SEARCH_FIELDS = ("title", "body", "speaker", "org")  # event: only when asked for
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "speaker": 2.0, "org": 1.5, "event": 0.5}
USER_FIELDS = {"speaker", "org", "event", "year", "kind", "title", "body"}
KIND_ORDER = {"session": 0, "slide": 1, "film": 2, "caption": 3}
MAX_HITS = 2000


class QueryError(ValueError):
    """The query cannot be understood; the message says how to fix it."""


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


@dataclass(frozen=True)
class SessionResult:
    event: dict[str, Any]
    session: dict[str, Any]
    score: float
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResponse:
    query: str
    total: int
    results: list[SessionResult]
    page: int = 1
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-zÅÄÖåäö_]+):(?=\S)")


def check_fields(text: str) -> None:
    outside_quotes = re.sub(r'"[^"]*"', " ", text)
    for name in _FIELD_RE.findall(outside_quotes):
        if name.lower() not in USER_FIELDS:
            known = ", ".join(sorted(USER_FIELDS - {"title", "body"}))
            raise QueryError(f"unknown field '{name}:' in the query; known fields: {known}")


def parse_query(text: str, schema) -> Query:
    check_fields(text)
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    return parser.parse(text)


def search(index_dir: Path, catalog: Catalog, text: str, *, limit: int = 10, page: int = 1,
           all_versions: bool = False) -> SearchResponse:
    """Results grouped by session, best first; page is 1-based."""
    if not text.strip():
        raise QueryError("the query is empty")
    ix = open_index(index_dir)
    try:
        query = parse_query(text, ix.schema)
        with ix.searcher() as searcher:
            filt = None if all_versions else Term("current", "1")
            results = searcher.search(query, limit=MAX_HITS, filter=filt)
            groups: dict[str, list[dict[str, Any]]] = {}
            for hit in results:
                groups.setdefault(hit["group"], []).append({**hit.fields(), "score": hit.score})
            terms = {t for f, t in query.all_terms() if f in ("title", "body", "event")}
            analyzer = ix.schema["body"].analyzer
    finally:
        ix.close()
    ranked = sorted(groups.items(), key=lambda kv: -_group_score(kv[1]))
    window = ranked[(page - 1) * limit: page * limit]
    out = [_session_result(catalog, g, hits, terms, analyzer) for g, hits in window]
    return SearchResponse(query=text, total=len(ranked), results=out, page=page)


def _group_score(hits: list[dict[str, Any]]) -> float:
    scores = sorted((h["score"] for h in hits), reverse=True)
    return scores[0] + 0.1 * sum(scores[1:4])


def _session_result(catalog: Catalog, group: str, hits: list[dict[str, Any]],
                    terms: set[bytes | str], analyzer) -> SessionResult:
    kind, _, ident = group.partition(":")
    if kind == "s":
        s = catalog.one("SELECT * FROM sessions WHERE id=?", (int(ident),))
        event_id = s["event_id"]
        speakers = [
            {"name": r["name"], "organisation": r["organisation"], "role": r["role"]}
            for r in catalog.all(
                "SELECT * FROM speakers WHERE session_id=? ORDER BY position", (s["id"],))
        ]
        session = {"id": s["id"], "title": s["title"], "time": s["time"], "speakers": speakers}
    else:
        event_id = int(ident)
        session = {"id": None, "title": None, "time": None, "speakers": []}
    e = catalog.one("SELECT id, title, url, date FROM events WHERE id=?", (event_id,))
    event = {"id": e["id"], "title": e["title"], "url": e["url"], "date": e["date"]}
    str_terms = {t.decode("utf-8") if isinstance(t, bytes) else t for t in terms}
    ordered = sorted(hits, key=lambda h: (KIND_ORDER[h["kind"]], h.get("ref") or 0,
                                          h.get("page") or 0, h.get("start") or 0.0))
    return SessionResult(
        event=event, session=session, score=round(_group_score(hits), 4),
        hits=[_hit(catalog, h, str_terms, analyzer) for h in ordered],
    )


def _hit(catalog: Catalog, h: dict[str, Any], terms: set[str], analyzer) -> Hit:
    kind = h["kind"]
    page = start = None
    url: str | None = None
    if kind == "session":
        s = catalog.one("SELECT s.title, s.description, e.url FROM sessions s JOIN events e "
                        "ON e.id=s.event_id WHERE s.id=?", (h["ref"],))
        title, text, url = s["title"], f"{s['title']}. {s['description']}", s["url"]
    elif kind == "slide":
        page = int(h["page"])
        row = catalog.one(
            "SELECT m.label, m.url, p.text FROM documents d JOIN materials m ON m.id=d.material_id "
            "JOIN page_texts p ON p.document_id=d.id WHERE d.id=? AND p.page=?", (h["ref"], page))
        title, text, url = row["label"], row["text"], page_link(row["url"], page)
    else:
        f = catalog.one("SELECT f.*, m.label, m.url FROM films f JOIN materials m "
                        "ON m.id=f.material_id WHERE f.id=?", (h["ref"],))
        title = f["label"]
        if kind == "film":
            text, url = "\n".join(x for x in (f["title"], f["description"]) if x), f["url"]
        else:
            start = float(h["start"])
            cues = catalog.all("SELECT position, start, text FROM cues WHERE film_id=? "
                               "ORDER BY position", (f["id"],))
            text = next((t for pos, _, t in cue_windows(cues) if pos == h["cue"]), "")
            url = moment_link(f["url"], start)
    snippet: Snippet = make_snippet(text or "", terms, analyzer)
    return Hit(kind=kind, title=title, url=url, page=page, start=start, snippet=snippet.text,
               highlights=[list(span) for span in snippet.highlights],
               score=round(float(h["score"]), 4))


def search_archive(archive, text: str, *, limit: int = 10, page: int = 1,
                   all_versions: bool = False) -> tuple[SearchResponse, str | None]:
    """Search an open archive; a missing or damaged index is first rebuilt from the catalog."""
    from konfarkiv.search.index import ensure_index

    note = ensure_index(archive.layout.index, archive.catalog)
    return search(archive.layout.index, archive.catalog, text, limit=limit, page=page,
                  all_versions=all_versions), note
