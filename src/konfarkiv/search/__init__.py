"""Searching the archive: the one door the command line and the web go through.

`SearchRequest.of(text, ...)` reads the query once (a query that cannot be searched
raises QueryError, or UnbalancedQuery for a typing slip, before the archive is opened);
`search(archive, request)` mends the index if it must (rebuilt from the catalog, or a
killed writer's queue caught up), searches it, and reads the rows a page of results shows
in a fixed number of catalog queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from konfarkiv.search.damage import IndexDamaged
from konfarkiv.search.syntax import Node, QueryError, UnbalancedQuery, check_balanced, parse

if TYPE_CHECKING:
    from konfarkiv.archive.archive import Archive
    from konfarkiv.search.index import IndexProblem
    from konfarkiv.search.results import Hit, SearchResponse, SessionResult

__all__ = ["Found", "Hit", "IndexDamaged", "IndexProblem", "QueryError", "SearchRequest",
           "SearchResponse", "SessionResult", "UnbalancedQuery", "search"]


@dataclass(frozen=True)
class SearchRequest:
    """A query read once, and how its results are wanted."""

    text: str
    node: Node
    limit: int = 10
    page: int = 1
    all_versions: bool = False
    #: How many hits per result get a snippet (None: all, as --json and the web show).
    snippets: int | None = None
    sort: str = "relevance"
    facets: bool = False
    filters: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str, *, limit: int = 10, page: int = 1, all_versions: bool = False,
           snippets: int | None = None, sort: str = "relevance", facets: bool = False,
           filters: Mapping[str, str | Sequence[str]] | None = None) -> SearchRequest:
        """The request for text; QueryError (UnbalancedQuery for unbalanced quotes or
        parentheses) when it cannot be searched."""
        check_balanced(text)
        return cls(text, parse(text), limit=limit, page=page, all_versions=all_versions,
                   snippets=snippets, sort=sort, facets=facets, filters=dict(filters or {}))


@dataclass(frozen=True)
class Found:
    """A search's response, and what had to be mended first (None: nothing)."""

    response: SearchResponse
    note: str | None


def search(archive: Archive, request: SearchRequest) -> Found:
    """Search the archive's index. A missing, damaged or behind index is mended from the
    catalog first (IndexProblem when a writer holds the lock and it cannot be now)."""
    from konfarkiv.search.repair import search_repairing

    response, note = search_repairing(
        archive, request.text, node=request.node, limit=request.limit, page=request.page,
        all_versions=request.all_versions, snippets=request.snippets, sort=request.sort,
        facets=request.facets, filters=request.filters or None)
    return Found(response, note)


def __getattr__(name: str) -> object:
    """The response types and IndexProblem load with Whoosh, only when asked for."""
    if name in ("Hit", "SearchResponse", "SessionResult"):
        from konfarkiv.search import results

        return getattr(results, name)
    if name == "IndexProblem":
        from konfarkiv.search.index import IndexProblem

        return IndexProblem
    raise AttributeError(name)
