"""The by-file search path: evidence documents ranked one by one, grouped by session.

Used where a query is about single files rather than sessions: ``kind:``
filters (only slides, only film moments) and ``--all-versions`` (older
versions of a file, which the ranking documents do not hold). Its cost grows
with the number of matching pages, which these narrower queries keep small.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.query import NullQuery, Query, Term

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.cost import within_budget
from konfarkiv.search.expansion import FEW, Builder, Matches, lexicon_source
from konfarkiv.search.results import SearchResponse, group_score, session_results
from konfarkiv.search.syntax import Node, QueryError, is_filter, parse, positive_leaves
from konfarkiv.search.vocabulary import QueryLexicon
from konfarkiv.search.warm import query_lexicon, warm_searcher

#: Most evidence documents read per pass.
MAX_HITS = 2000


@dataclass
class _Pass:
    groups: dict[str, list[dict[str, Any]]]
    matches: Matches


def _run(
    searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool, filt: Query | None
) -> _Pass:
    free = any(not is_filter(leaf) for leaf in positive_leaves(node))

    def groups_for(q: Query) -> list[str]:
        hits = searcher.search(q, limit=None, filter=filt)
        return sorted({h["group"] for h in hits})

    builder = Builder(
        lexicon_source(lexicons), fold_all=fold_all, groups_for=groups_for if free else None
    )
    query = builder.build(node).normalize()
    if query is NullQuery and free:
        raise QueryError("only_common_words",
                         words=[leaf.text for leaf in positive_leaves(node)])
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in searcher.search(query, limit=MAX_HITS, filter=filt):
        if hit["kind"] != "unit":
            groups.setdefault(hit["group"], []).append({**hit.fields(), "score": hit.score})
    return _Pass(groups, builder.matches)


@within_budget
def search_files(index_dir: Path, catalog: Catalog, text: str, node: Node, *, limit: int,
                 page: int, all_versions: bool, snippets: int | None) -> SearchResponse:
    """Results grouped by session from evidence documents (see the module's docstring)."""
    lexicons = query_lexicon(index_dir)
    suggestion = results_for = None
    with warm_searcher(index_dir) as searcher:
        filt = None if all_versions else Term("current", "1")
        found = _run(searcher, node, lexicons, fold_all=False, filt=filt)
        if len(found.groups) < FEW:
            again = _run(searcher, node, lexicons, fold_all=True, filt=filt)
            if len(again.groups) > len(found.groups):
                found = again
        if len(found.groups) < FEW:
            from konfarkiv.search.suggest import suggest_query

            suggestion = suggest_query(text, node, index_dir)
            if suggestion and not found.groups:
                better = _run(searcher, parse(suggestion), lexicons, fold_all=True, filt=filt)
                if better.groups:
                    found, results_for = better, suggestion
    ranked = sorted(((g, group_score(h)) for g, h in found.groups.items()), key=lambda x: -x[1])
    window = ranked[(page - 1) * limit : page * limit]
    out = session_results(catalog, [(g, score, found.groups[g]) for g, score in window],
                          found.matches, snippets)
    return SearchResponse(query=text, total=len(ranked), results=out, page=page,
                          suggestion=suggestion, results_for=results_for, limit=limit,
                          pages=max(1, -(-len(ranked) // limit)))
