"""The by-file search path: evidence documents ranked one by one, grouped by session.

Used where a query is about single files rather than sessions: ``kind:``
filters (only slides, only film moments; the web's "Typ" facet is the same
filter) and ``--all-versions`` (older versions of a file, which the ranking
documents do not hold). Its cost grows with the number of matching pages,
which these narrower queries keep small.

A kind facet's count is the number of results its filter leads to: ``kind_counts``
runs the same passes once for every kind (one unscored walk over the matches).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.query import And, NullQuery, Or, Query, Term

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.cost import within_budget
from konfarkiv.search.docsets import doc_table, matching_docs
from konfarkiv.search.expansion import FEW, KIND_NAMES, Builder, Matches, lexicon_source
from konfarkiv.search.facets import KINDS, PREFIX
from konfarkiv.search.results import SearchResponse, group_score, session_results
from konfarkiv.search.schema import UNIT
from konfarkiv.search.syntax import (
    AllOf,
    Node,
    QueryError,
    Word,
    is_filter,
    parse,
    positive_leaves,
)
from konfarkiv.search.vocabulary import QueryLexicon
from konfarkiv.search.warm import query_lexicon, warm_searcher

#: Most evidence documents read per pass.
MAX_HITS = 2000


@dataclass
class _Pass:
    groups: dict[str, list[dict[str, Any]]]
    matches: Matches


def _query(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
           filt: Query | None) -> tuple[Query, Builder]:
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
    return query, builder


def _run(
    searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool, filt: Query | None
) -> _Pass:
    query, builder = _query(searcher, node, lexicons, fold_all=fold_all, filt=filt)
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in searcher.search(query, limit=MAX_HITS, filter=filt):
        if hit["kind"] != UNIT:
            groups.setdefault(hit["group"], []).append({**hit.fields(), "score": hit.score})
    return _Pass(groups, builder.matches)


def with_kind(node: Node, kind: str) -> Node:
    """The query node and a ``kind:`` filter: what the web's "Typ" facet searches."""
    return AllOf((node, Word(kind, "kind")))


def _filter(searcher: Any, all_versions: bool, units: Query | None) -> Query | None:
    """Which evidence documents a pass looks at: current versions (unless all), of the
    sessions and events whose ranking document the facet filters keep."""
    parts: list[Query] = [] if all_versions else [Term("current", "1")]
    if units is not None:
        groups = sorted({searcher.stored_fields(d)["group"]
                         for d in And([Term("kind", UNIT), units]).docs(searcher)})
        parts.append(Or([Term("group", g) for g in groups]) if groups else NullQuery)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _facet_keys(searcher: Any, groups: Iterable[str]) -> Counter[str]:
    """The facet keys of these results' ranking documents (one column read each); the
    kind keys are left to the caller (they depend on the query, not the session)."""
    column = searcher.reader().column_reader("facet")
    keys: Counter[str] = Counter()
    for group in groups:
        docnum = searcher.document_number(id=f"unit:{group}")
        if docnum is None:
            continue
        value = column[docnum]
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        keys.update(k for k in (value or "").split(",") if k and not k.startswith("k:")
                    and k.partition(":")[0] in PREFIX.values())
    return keys


def _kinds_of(groups: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """Facet kind -> the groups holding a matched document of that kind."""
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for group, hits in groups.items():
        for hit in hits:
            for kind in KINDS:
                if hit["kind"] in KIND_NAMES[kind]:
                    out[kind].add(group)
    return out


def _matched_kinds(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
                   filt: Query | None) -> dict[str, set[str]]:
    """Facet kind -> groups, over every match (no scoring, no cap)."""
    query, _ = _query(searcher, node, lexicons, fold_all=fold_all, filt=filt)
    matched = matching_docs(searcher, And([query, filt]) if filt is not None else query)
    table = doc_table(searcher)
    facets_of = {name: [k for k in KINDS if name in KIND_NAMES[k]]
                 for names in KIND_NAMES.values() for name in names}
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for docnum in matched:
        group = table.group(docnum)
        for kind in facets_of.get(table.kind(docnum) or "", ()):
            if group is not None:
                out[kind].add(group)
    return out


def kind_counts(index_dir: Path, text: str, node: Node, *, units: Query | None,
                all_versions: bool = False) -> Counter[str]:
    """Facet key ("k:slide") -> the total ``search_files`` gives with that kind added:
    the same passes (accent-folded when a kind finds little, then the suggestion)."""
    lexicons = query_lexicon(index_dir)
    with warm_searcher(index_dir) as searcher:
        filt = _filter(searcher, all_versions, units)
        found = _matched_kinds(searcher, node, lexicons, fold_all=False, filt=filt)
        if any(len(g) < FEW for g in found.values()):
            again = _matched_kinds(searcher, node, lexicons, fold_all=True, filt=filt)
            found = {k: again[k] if len(g) < FEW and len(again[k]) > len(g) else g
                     for k, g in found.items()}
        if any(not g for g in found.values()):
            from konfarkiv.search.suggest import suggest_query

            suggestion = suggest_query(text, node, index_dir, searcher)
            if suggestion:
                better = _matched_kinds(searcher, parse(suggestion), lexicons, fold_all=True,
                                        filt=filt)
                found = {k: g or better[k] for k, g in found.items()}
    return Counter({f"k:{kind}": len(g) for kind, g in found.items() if g})


@within_budget
def search_files(index_dir: Path, catalog: Catalog, text: str, node: Node, *, limit: int,
                 page: int, all_versions: bool, snippets: int | None, kind: str | None = None,
                 units: Query | None = None, facets: bool = False
                 ) -> tuple[SearchResponse, Counter[str]]:
    """Results grouped by session from evidence documents (see the module's docstring),
    and with ``facets`` the facet keys counted over them. ``kind``: a kind filter
    beside the query (the web's facet); ``units``: facet filters over ranking documents."""
    lexicons = query_lexicon(index_dir)
    suggestion = results_for = None

    def find(n: Node) -> Node:
        return with_kind(n, kind) if kind else n

    with warm_searcher(index_dir) as searcher:
        filt = _filter(searcher, all_versions, units)
        found = _run(searcher, find(node), lexicons, fold_all=False, filt=filt)
        if len(found.groups) < FEW:
            again = _run(searcher, find(node), lexicons, fold_all=True, filt=filt)
            if len(again.groups) > len(found.groups):
                found = again
        if len(found.groups) < FEW:
            from konfarkiv.search.suggest import suggest_query

            suggestion = suggest_query(text, node, index_dir, searcher)
            if suggestion and not found.groups:
                better = _run(searcher, find(parse(suggestion)), lexicons, fold_all=True,
                              filt=filt)
                if better.groups:
                    found, results_for = better, suggestion
        keys: Counter[str] = Counter()
        if facets:
            keys = _facet_keys(searcher, found.groups)
            keys.update({f"k:{k}": len(g) for k, g in _kinds_of(found.groups).items() if g})
    ranked = sorted(((g, group_score(h)) for g, h in found.groups.items()), key=lambda x: -x[1])
    window = ranked[(page - 1) * limit : page * limit]
    out = session_results(catalog, [(g, score, found.groups[g]) for g, score in window],
                          found.matches, snippets)
    return SearchResponse(query=text, total=len(ranked), results=out, page=page,
                          suggestion=suggestion, results_for=results_for, limit=limit,
                          pages=max(1, -(-len(ranked) // limit))), keys
