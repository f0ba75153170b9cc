"""Searching: rank sessions as units, then fetch the evidence of those shown.

1. Ranking: the query runs once over the ranking documents (one per session,
   one per event; see documents.py) with Whoosh's top-k collector, so BM25F
   scores only what can enter the page shown. A session matches when all the
   typed words occur in it, wherever (title, speakers, slides, captions).
2. Evidence: for the sessions on the page only, the same words are looked up
   in their evidence documents (session text, slide page N, caption window at
   second S), restricted to those sessions' groups.

``kind:`` filters and ``--all-versions`` look at single files, not sessions:
they take the older path that ranks evidence documents and groups them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    ConstantScoreQuery,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
)

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.analysis import analyze, text_analyzer
from konfarkiv.search.expansion import (
    FEW,
    UNIT_FIELDS,
    Builder,
    Matches,
    for_units,
    lexicon_source,
)
from konfarkiv.search.index import open_index
from konfarkiv.search.results import (
    Hit,
    SearchResponse,
    SessionResult,
    session_result,
)
from konfarkiv.search.schema import UNIT
from konfarkiv.search.syntax import (
    AllOf,
    AnyOf,
    Node,
    QueryError,
    Quoted,
    Word,
    in_titles,
    is_filter,
    is_plain,
    parse,
    positive_leaves,
)
from konfarkiv.search.vocabulary import QueryLexicon

__all__ = ["Hit", "QueryError", "SearchResponse", "SessionResult", "parse", "search",
           "search_archive"]

#: Most evidence documents read for one page of results (all hits go to --json).
MAX_HITS = 2000
#: A title that says the query's words in order (near each other) ranks first.
TITLE_PHRASE_BOOST = 3.0
#: Words of a query checked one by one when no session holds them all.
MAX_PARTIAL_WORDS = 12


@dataclass
class _Ranked:
    groups: list[tuple[str, float]]  # (group, score), best first, at most k
    total: int
    fold_all: bool


def _free(node: Node) -> bool:
    return any(not is_filter(leaf) for leaf in positive_leaves(node))


def _only_common_words(node: Node) -> str:
    words = ", ".join(repr(leaf.text) for leaf in positive_leaves(node))
    return (f"the query has only common words ({words}), which are not indexed: "
            "add a word that says what to find")


def _rank(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
          k: int) -> _Ranked:
    """The best k sessions (and events) for node over the ranking documents.

    A compound's parts standing apart ("utveckling av staden" for
    "stadsutveckling") need a position check over whole sessions, the costly
    part of a search; they rank below the compound anyway, so they are looked
    for only when the words as typed fill less than the page asked for.
    """
    ranked = _rank_pass(searcher, node, lexicons, fold_all=fold_all, k=k, parts=False)
    if ranked.total >= k:
        return ranked
    return _rank_pass(searcher, node, lexicons, fold_all=fold_all, k=k, parts=True)


def _rank_pass(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool, k: int,
               parts: bool) -> _Ranked:
    free = _free(node)
    builder = Builder(lexicon_source(lexicons), fold_all=fold_all, unit=True, free_text=free,
                      parts=parts)
    query = builder.build(node).normalize()
    if query is NullQuery:
        if free:
            raise QueryError(_only_common_words(node))
        return _Ranked([], 0, fold_all)
    query = for_units(query)
    near = _title_phrase(node)
    if near is not None:  # the words as the title says them rank first
        query = AndMaybe(query, near)
    if not free:  # filters alone (year:2019) match every document of a session
        query = And([query, Term("kind", UNIT)])
    results = searcher.search(query, limit=k)
    groups = [(hit["group"], hit.score) for hit in results]
    titles = {hit["group"]: (hit.get("event_id"), _same(hit.get("utitle"))) for hit in results}
    # the exact count re-runs the query unscored; not needed when it all fitted
    total = len(groups) if len(groups) < k else len(results)
    if free:
        first = _events_named(searcher, builder, node)
        named = {g for g, _ in first}
        groups = (first + [(g, score) for g, score in groups if g not in named])[:k]
    groups, dropped = _one_talk_events_as_their_talk(groups, titles)
    return _Ranked(groups, total - dropped, fold_all)


def _same(title: str | None) -> str:
    return " ".join((title or "").casefold().split())


def _one_talk_events_as_their_talk(
    groups: list[tuple[str, float]], titles: dict[str, tuple[str | None, str]]
) -> tuple[list[tuple[str, float]], int]:
    """An event and its own session of the same title (a single-seminar page: the page's
    heading is both) are one result: the session, at the better of the two places, since
    it holds the speakers and the evidence. Returns the groups and how many were merged."""
    talk_of: dict[str, str] = {}
    for group, (event_id, title) in titles.items():
        if group.startswith("s:") and title:
            event_group = f"e:{event_id}"
            if titles.get(event_group, (None, ""))[1] == title:
                talk_of[event_group] = group
    if not talk_of:
        return groups, 0
    out: list[tuple[str, float]] = []
    placed: set[str] = set()
    for group, score in groups:
        group = talk_of.get(group, group)
        if group not in placed:
            placed.add(group)
            out.append((group, score))
    return out, len(groups) - len(out)


def _events_named(searcher: Any, builder: Builder, node: Node) -> list[tuple[str, float]]:
    """Events the query names: their title holds every word of the query, and
    those words are at least half of the title's ("Almedalen" names "Almedalen
    2019", "kommunerna" does not name "Nätverksmöte för miljöstrateger i
    kommunerna"). Shown first; they match the full query too, so the total stands."""
    query = builder.build(in_titles(node)).normalize()
    if query is NullQuery:
        return []
    query = And([for_units(query), Prefix("group", "e:")])
    analyzer = text_analyzer(split=False)
    typed = {t for leaf in positive_leaves(node) if not is_filter(leaf)
             for t in analyze(analyzer, leaf.text)}
    named = []
    for hit in searcher.search(query, limit=3):
        title = set(analyze(analyzer, hit.get("utitle") or ""))
        if title and 2 * len(title & typed) >= len(title):
            named.append((hit["group"], hit.score))
    return named


def _title_phrase(node: Node) -> Query | None:
    """The plain words of the query as a near phrase in a session's title, or None."""
    words = node.children if isinstance(node, AllOf) else ()
    if len(words) < 2 or not all(isinstance(w, Word) and w.field is None and not w.prefix
                                 for w in words):
        return None
    terms = [t for w in words for t in analyze(text_analyzer(split=False), w.text)]
    if len(terms) < 2:
        return None
    return Phrase(UNIT_FIELDS["title"], terms, slop=2, boost=TITLE_PHRASE_BOOST)


def _evidence_node(node: Node) -> Node | None:
    """What a single slide or moment is looked up with: any of the typed words,
    phrases and names (a session holds them all, one page need not)."""
    leaves = [leaf for leaf in positive_leaves(node)
              if not is_filter(leaf) or leaf.field in ("speaker", "org")]
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else AnyOf(tuple(leaves))


def _evidence(searcher: Any, node: Node, lexicons: QueryLexicon, groups: list[str], *,
              fold_all: bool) -> tuple[dict[str, list[dict[str, Any]]], Matches]:
    """The hits of these sessions only: their documents that hold the query's words."""
    builder = Builder(lexicon_source(lexicons), fold_all=fold_all)
    found: dict[str, list[dict[str, Any]]] = {g: [] for g in groups}
    if not groups:
        return found, builder.matches
    within = ConstantScoreQuery(Or([Term("group", g) for g in groups]), 0.0)
    leaves = _evidence_node(node)
    query = builder.build(leaves).normalize() if leaves is not None else NullQuery
    if query is NullQuery:  # filters only: the sessions' (events') own documents
        query = Or([Term("kind", "session"), Term("kind", "event")])
    query = AndNot(And([within, query]), Term("current", "0"))
    for hit in searcher.search(query, limit=MAX_HITS):
        if hit["group"] in found:
            found[hit["group"]].append({**hit.fields(), "score": hit.score})
    return found, builder.matches


def _partial(searcher: Any, node: Node, lexicons: QueryLexicon,
             k: int) -> tuple[_Ranked, list[str]] | None:
    """The sessions holding some of the words, and the words found nowhere; None when
    the query has fewer than two words or none of them is found."""
    leaves = positive_leaves(node)
    words = [leaf for leaf in leaves if not is_filter(leaf)][:MAX_PARTIAL_WORDS]
    filters = [leaf for leaf in leaves if is_filter(leaf)]
    if len(words) < 2:
        return None
    present: list[Word | Quoted] = []
    missing: list[str] = []
    for leaf in words:
        try:
            alone = _rank(searcher, _all_of([leaf, *filters]), lexicons, fold_all=True, k=1)
        except QueryError:  # a common word on its own: it never counted
            continue
        if alone.total:
            present.append(leaf)
        else:
            missing.append(leaf.text)
    if not present:
        return None
    some = present[0] if len(present) == 1 else AnyOf(tuple(present))
    return _rank(searcher, _all_of([some, *filters]), lexicons, fold_all=True, k=k), missing


def _all_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))


def search(
    index_dir: Path,
    catalog: Catalog,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    all_versions: bool = False,
    snippets: int | None = None,
) -> SearchResponse:
    """Results grouped by session, best first; page is 1-based. Every hit is
    listed; ``snippets`` limits how many per session get their snippet made
    (the text output shows three; None: all, as --json and the web give).

    Exact and compound matches first; when the query finds little, the
    accent-folded field is searched too, and then a spelling suggestion is
    made; when the query finds nothing, the suggestion's results are shown,
    else the sessions that hold some of the words (``partial``).
    """
    node = parse(text)
    if all_versions or any(leaf.field == "kind" for leaf in positive_leaves(node)):
        from konfarkiv.search.by_file import search_files

        return search_files(index_dir, catalog, text, node, limit=limit, page=page,
                            all_versions=all_versions, snippets=snippets)
    ix = open_index(index_dir)
    lexicons = QueryLexicon(index_dir)
    suggestion = results_for = None
    missing: list[str] = []
    partial = False
    k = page * limit
    try:
        with ix.searcher() as searcher:
            ranked = _rank(searcher, node, lexicons, fold_all=False, k=k)
            if ranked.total < FEW:
                again = _rank(searcher, node, lexicons, fold_all=True, k=k)
                if again.total > ranked.total:
                    ranked = again
            shown_node = node
            if ranked.total < FEW:
                from konfarkiv.search.suggest import suggest_query

                suggestion = suggest_query(text, node, index_dir)
                if suggestion and not ranked.total:
                    better_node = parse(suggestion)
                    better = _rank(searcher, better_node, lexicons, fold_all=True, k=k)
                    if better.total:
                        ranked, results_for, shown_node = better, suggestion, better_node
            if not ranked.total and is_plain(text):
                some = _partial(searcher, node, lexicons, k)
                if some is not None and some[0].total:
                    (ranked, missing), partial = some, True
            window = ranked.groups[(page - 1) * limit : page * limit]
            evidence, matches = _evidence(searcher, shown_node, lexicons,
                                          [g for g, _ in window], fold_all=ranked.fold_all)
    finally:
        ix.close()
    out = [session_result(catalog, g, score, evidence[g], matches, snippets)
           for g, score in window]
    return SearchResponse(
        query=text,
        total=ranked.total,
        results=out,
        page=page,
        suggestion=suggestion,
        results_for=results_for,
        limit=limit,
        pages=max(1, -(-ranked.total // limit)),
        partial=partial,
        missing_words=missing,
    )


def search_archive(
    archive: Any, text: str, *, limit: int = 10, page: int = 1, all_versions: bool = False,
    snippets: int | None = None,
) -> tuple[SearchResponse, str | None]:
    """Search an open archive; a missing or damaged index is first rebuilt from the catalog."""
    from konfarkiv.search.sync import ensure_index

    parse(text)  # a bad query fails before any rebuild
    note = ensure_index(archive)
    return search(
        archive.layout.index,
        archive.catalog,
        text,
        limit=limit,
        page=page,
        all_versions=all_versions,
        snippets=snippets,
    ), note

