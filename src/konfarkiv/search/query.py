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

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    Query,
    Term,
)

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.analysis import analyze, text_analyzer
from konfarkiv.search.collect import SORTS, RankCollector
from konfarkiv.search.cost import check as check_cost
from konfarkiv.search.cost import within_budget
from konfarkiv.search.docsets import matching_docs
from konfarkiv.search.expansion import (
    FEW,
    UNIT_FIELDS,
    Builder,
    Matches,
    for_units,
    lexicon_source,
)
from konfarkiv.search.facets import (
    EVENT_KEY,
    TWIN_KEY,
    FacetValue,
    facet_values,
    filter_query,
)
from konfarkiv.search.results import (
    Hit,
    SearchResponse,
    SessionResult,
    session_results,
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
from konfarkiv.search.warm import query_lexicon, warm_searcher

__all__ = ["Hit", "QueryError", "SearchResponse", "SessionResult", "parse", "search",
           "search_archive"]

#: Most evidence documents read for one page of results (all hits go to --json).
MAX_HITS = 2000
#: A title that says the query's words in order (near each other) ranks first.
TITLE_PHRASE_BOOST = 3.0
#: Words of a query checked one by one when no session holds them all.
MAX_PARTIAL_WORDS = 12
#: Score of the commonest word of a partial match (rarer words: powers above): far above
#: any BM25 score, so the words found decide the order and BM25 only breaks ties.
RARITY_WEIGHT = 100.0


@dataclass
class _Ranked:
    groups: list[tuple[str, float]]  # (group, score), best first, a few more than k
    total: int
    fold_all: bool
    #: Facet key -> matches (search.facets), when asked for.
    keys: Counter[str] = field(default_factory=Counter)
    #: An event that is its own one session -> that session's group (documents.py).
    twins: dict[str, str] = field(default_factory=dict)
    #: How to look for events the query names, when its results may put them first
    #: (done once, for the pass whose results are shown: _finish).
    naming: tuple[Builder, Node] | None = None
    #: Were compound parts standing apart looked for (_rank: the words as typed found few)?
    parts: bool = False


@dataclass(frozen=True)
class _Options:
    """What a ranking pass is asked for beside the query."""

    k: int
    sort: str = "relevance"
    facets: bool = False
    filters: Query | None = None
    #: Only the total is wanted (is a word found at all?): counted from the posting lists
    #: (docsets.py), with no scoring, no stored fields and no named-event lookup.
    count_only: bool = False


def _free(node: Node) -> bool:
    return any(not is_filter(leaf) for leaf in positive_leaves(node))


#: Below this many sessions holding the words as typed, compound parts standing apart are
#: looked for too. A constant, not the page size: the total must not depend on the page.
PARTS_BELOW = 10


def _rank(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
          opts: _Options, build: Callable[[Builder], Query] | None = None,
          parts: bool | None = None) -> _Ranked:
    """The best k sessions (and events) for node over the ranking documents.

    A compound's parts standing apart ("utveckling av staden" for
    "stadsutveckling") need a position check over whole sessions, the costly
    part of a search; they rank below the compound anyway, so they are looked
    for only when the words as typed find fewer than PARTS_BELOW sessions.
    ``parts``: that decision, when a counting call of _rank made it already. With
    ``opts.count_only`` every pass only counts, over the posting lists (docsets.py).

    The words as typed are ranked first: when they find PARTS_BELOW sessions or more
    (most searches) that one pass is all; otherwise it found few, so it cost little.
    """
    if parts is None:  # the words as typed; compound parts apart only if they find little
        first = _rank_pass(searcher, node, lexicons, fold_all=fold_all, opts=opts,
                           parts=False, build=build)
        parts = _parts_needed(searcher, node, lexicons, fold_all=fold_all, opts=opts,
                              build=build, typed=first.total)
        if not parts:
            return first
    ranked = _rank_pass(searcher, node, lexicons, fold_all=fold_all, opts=opts, parts=parts,
                        build=build)
    return replace(ranked, parts=parts)


def _parts_needed(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
                  opts: _Options, build: Callable[[Builder], Query] | None,
                  typed: int) -> bool:
    """Look for compound parts standing apart, the words as typed having found `typed`?"""
    if typed >= PARTS_BELOW:
        return False
    # facet filters narrow the matches the counts were made over (the unfiltered search
    # left the parts apart out): a facet's count is what its filter gives
    return opts.filters is None or _rank_pass(
        searcher, node, lexicons, fold_all=fold_all, opts=_Options(k=1, count_only=True),
        parts=False, build=build).total < PARTS_BELOW


def _rank_pass(searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool,
               opts: _Options, parts: bool,
               build: Callable[[Builder], Query] | None = None) -> _Ranked:
    check_cost()
    free = _free(node)
    builder = Builder(lexicon_source(lexicons), fold_all=fold_all, unit=True, free_text=free,
                      parts=parts)
    some_words = build is not None  # a partial match: the query's words, any of them
    if build is None:
        build = _common_words_optional(searcher, node)
    query = (build(builder) if build else builder.build(node)).normalize()
    if query is NullQuery:
        if free:
            raise QueryError("only_common_words",
                             words=[leaf.text for leaf in positive_leaves(node)])
        return _Ranked([], 0, fold_all)
    query = for_units(query)
    near = _title_phrase(node)
    if near is not None:  # the words as the title says them rank first
        query = AndMaybe(query, near)
    if not free:  # filters alone (year:2019) match every document of a session
        query = And([query, Term("kind", UNIT)])
    if opts.filters is not None:
        query = And([query, opts.filters])
    if opts.count_only:
        matched = matching_docs(searcher, query)
        return _Ranked([], len(matched - matching_docs(searcher, Term("facet", TWIN_KEY))),
                       fold_all)
    # a few more than shown: the reorderings below then give every page the same order
    collector = RankCollector(opts.k + RERANK_SLACK, sort=opts.sort, facets=opts.facets)
    searcher.search_with_collector(query, collector)
    groups: list[tuple[str, float]] = []
    twins: dict[str, str] = {}
    event_of: dict[str, str] = {}
    for key, docnum in collector.best():
        stored = searcher.stored_fields(docnum)
        groups.append((stored["group"], key if isinstance(key, float) else 0.0))
        event_of[stored["group"]] = stored.get("event_id") or ""
        if stored.get("twin"):
            twins[stored["group"]] = stored["twin"]
    if free and opts.sort == "relevance":
        groups = _sessions_before_their_event(groups, event_of)
    naming = ((builder, node) if free and opts.sort == "relevance" and opts.filters is None
              and not some_words else None)
    return _Ranked(groups, collector.total, fold_all, collector.keys, twins, naming)


def _finish(searcher: Any, ranked: _Ranked, k: int) -> _Ranked:
    """The shown pass's order: events the query names first, an event that is its own
    session as that session, cut to k."""
    groups = ranked.groups
    if ranked.naming is not None:
        first = _events_named(searcher, *ranked.naming)
        named = {g for g, _ in first}
        groups = (first + [(g, score) for g, score in groups if g not in named])
    return replace(ranked, groups=_one_talk_events_as_their_talk(groups, ranked.twins)[:k])


#: Ranked beyond the page asked for, so moving an event below its session (or a named
#: event up) orders page 2 as page 1 saw it.
RERANK_SLACK = 10
#: A query of this many plain words or more (a question, a sentence) may hold common
#: words that need not all be in a session: "hur kan kommunen arbeta med innovation".
COMMON_MIN_WORDS = 3
#: A word in at least this share of the ranking documents is common, when it is also in
#: COMMON_RATIO times as many as the query's rarest word: document frequencies alone decide,
#: in a small archive as in a large one (a word barely commoner than the topic stays).
COMMON_SHARE = 0.10
COMMON_RATIO = 2.0
#: Common words, optional, still rank a session that holds them a little higher.
COMMON_BOOST = 0.2


def _common_words_optional(searcher: Any, node: Node) -> Callable[[Builder], Query] | None:
    """For a long query holding rarer words: its common words (in COMMON_SHARE of the
    ranking documents or more, from the term statistics) made optional, so a session
    holding the rare words (the topic) matches without the question's frame ("hur",
    "kommunen", "arbeta"), which long event introductions hold by chance. None: as typed."""
    words = node.children if isinstance(node, AllOf) else ()
    if len(words) < COMMON_MIN_WORDS or not all(
            isinstance(w, Word) and w.field is None and not w.prefix for w in words):
        return None
    units = searcher.doc_frequency("kind", UNIT)
    if not units:
        return None
    analyzer = text_analyzer(split=False)
    frequency: list[tuple[Word, int]] = []
    for w in words:
        if not isinstance(w, Word):  # all are (checked above); this tells the type checker
            continue
        terms = analyze(analyzer, w.text)
        frequency.append((w, max((max(searcher.doc_frequency(UNIT_FIELDS["body"], t),
                                      searcher.doc_frequency(UNIT_FIELDS["title"], t))
                                  for t in terms), default=0)))
    rarest = min((n for _, n in frequency if n), default=0)
    common: list[Node] = []
    rare: list[Node] = []
    for w, n in frequency:
        is_common = n >= COMMON_SHARE * units and n >= COMMON_RATIO * rarest
        (common if analyze(analyzer, w.text) and is_common else rare).append(w)
    if not common or not [w for w in rare if isinstance(w, Word) and analyze(analyzer, w.text)]:
        return None

    def build(builder: Builder) -> Query:
        required = builder.build(_all_of(rare))
        optional = builder.build(AnyOf(tuple(common)) if len(common) > 1 else common[0])
        if optional is NullQuery:
            return required
        return AndMaybe(required, optional.with_boost(COMMON_BOOST))

    return build


#: Words that open a question ("hur kan kommunen arbeta med …"): its frame, never its topic,
#: however few sessions happen to hold them in a small archive.
QUESTION_WORDS = frozenset({"hur", "vad", "varför", "vilka", "vilken", "vilket", "när",
                            "vem", "vems", "vart", "varifrån"})


def _asks(leaf: Node) -> bool:
    return isinstance(leaf, Word) and leaf.field is None and leaf.text.lower() in QUESTION_WORDS


def _sessions_before_their_event(groups: list[tuple[str, float]],
                                  event_of: dict[str, str]) -> list[tuple[str, float]]:
    """An event ranked above one of its own matching sessions goes right after the best of
    them: an event's introduction sums up its sessions, so it holds a question's words
    by chance, while the session is what the question is about. (An event the query
    names still comes first: _events_named.)"""
    out = list(groups)
    for group, _ in groups:
        if not group.startswith("e:"):
            continue
        here = out.index((group, dict(out)[group]))
        ident = group[2:]
        later = [i for i, (g, _) in enumerate(out) if i > here and g.startswith("s:")
                 and event_of.get(g) == ident]
        if later:
            out.insert(later[0], out.pop(here))
    return out


def _one_talk_events_as_their_talk(groups: list[tuple[str, float]],
                                   twins: dict[str, str]) -> list[tuple[str, float]]:
    """An event and its own session of the same title (a single-seminar page: the page's
    heading is both) are one result: the session, at the better of the two places, since
    it holds the speakers and the evidence (the index marks such events: documents.py)."""
    out: list[tuple[str, float]] = []
    placed: set[str] = set()
    for group, score in groups:
        group = twins.get(group, group)
        if group not in placed:
            placed.add(group)
            out.append((group, score))
    return out


def _events_named(searcher: Any, builder: Builder, node: Node) -> list[tuple[str, float]]:
    """Events the query names: their title holds every word of the query, and
    those words are at least half of the title's ("Almedalen" names "Almedalen
    2019", "kommunerna" does not name "Nätverksmöte för miljöstrateger i
    kommunerna"). Shown first; they match the full query too, so the total stands."""
    query = builder.build(in_titles(node)).normalize()
    if query is NullQuery:
        return []
    query = And([for_units(query), Term("facet", EVENT_KEY)])  # one posting list
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
    terms = [t for w in words if isinstance(w, Word)
             for t in analyze(text_analyzer(split=False), w.text)]
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
             opts: _Options) -> tuple[_Ranked, list[str]] | None:
    """The sessions holding some of the words, and the words found nowhere; None when
    the query has fewer than two words or none of them is found.

    Ranked by the rarest words they hold, rarest first: a session holding a rarer word
    ranks above every session holding only commoner ones, however many of those (the
    words' rarity is counted over the ranking documents: n sessions hold it); among
    sessions holding the same rarest word, the next rarest decides, and so on; BM25
    orders sessions holding the same words. So a question's topic word ("suicid-
    prevention", in a few sessions) outweighs its common verbs and nouns ("kommunen",
    "arbeta", in hundreds), however often a long session repeats those."""
    leaves = positive_leaves(node)
    words = [leaf for leaf in leaves if not is_filter(leaf)][:MAX_PARTIAL_WORDS]
    filters = [leaf for leaf in leaves if is_filter(leaf)]
    if len(words) < 2:
        return None
    present: list[tuple[Word | Quoted, int]] = []
    missing: list[str] = []
    one = _Options(k=1, filters=opts.filters, count_only=True)
    folded = False  # did a word need the accent-folded pass to be found?
    for leaf in words:
        alone_node = _all_of([leaf, *filters])
        try:  # as typed first: the accent-folded pass scans the term list (infixes)
            alone = _rank_pass(searcher, alone_node, lexicons, fold_all=False, opts=one,
                               parts=False)
            if not alone.total:
                alone = _rank(searcher, alone_node, lexicons, fold_all=True, opts=one)
                folded = folded or bool(alone.total)
        except QueryError:  # a common word on its own: it never counted
            continue
        if alone.total:
            present.append((leaf, alone.total))
        else:
            missing.append(leaf.text)
    if not present:
        return None
    if len(words) >= COMMON_MIN_WORDS and _asks(words[0]):  # "hur …": the frame, not the topic
        commonest = max(n for _, n in present) + 1
        present = [(leaf, commonest if leaf is words[0] else n) for leaf, n in present]
    levels = sorted({n for _, n in present}, reverse=True)  # commonest first
    base = len(present) + 1  # more than all the words of one level together

    def weighted(builder: Builder) -> Query:
        subs: list[Query] = []
        for leaf, n in present:
            q = builder.build(leaf).normalize()
            if q is NullQuery:
                continue
            rarity = RARITY_WEIGHT * float(base) ** levels.index(n)
            subs.append(Or([_Rarity(q, rarity), q]))
        if not subs:
            return NullQuery
        words_q: Query = subs[0] if len(subs) == 1 else Or(subs)
        filt = [builder.build(f) for f in filters]
        return And([words_q, *filt]) if filt else words_q

    some = AnyOf(tuple(leaf for leaf, _ in present)) if len(present) > 1 else present[0][0]
    # the folded pass (infix wildcards: a scan of the term list) only when a word needs it
    ranked = _rank(searcher, _all_of([some, *filters]), lexicons, fold_all=folded, opts=opts,
                   build=weighted)
    return ranked, missing


class _Rarity(ConstantScoreQuery):
    """A word's rarity as its score wherever it matches. Whoosh's wrapping queries lose
    their score when rewritten (``for_units`` renames fields): this one keeps it."""

    boost = 1.0  # Or.normalize multiplies its children's boosts

    def apply(self, fn: Callable[[Query], Query]) -> Query:
        return _Rarity(fn(self.child), self.score)

    def normalize(self) -> Query:
        child = self.child.normalize()
        return NullQuery if child is NullQuery else _Rarity(child, self.score)


def _all_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))


@within_budget  # issue 26: a search has a time and term-scan budget (search/cost.py)
def search(
    index_dir: Path,
    catalog: Catalog,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    all_versions: bool = False,
    snippets: int | None = None,
    sort: str = "relevance",
    facets: bool = False,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    node: Node | None = None,
) -> SearchResponse:
    """Results grouped by session, best first; page is 1-based (node: text already
    parsed, so a search reads its query once). Every hit is
    listed; ``snippets`` limits how many per session get their snippet made
    (the text output shows three; None: all, as --json and the web give).

    ``sort``: relevance, newest or oldest (the event's date). ``facets``: count
    year, event, organiser, kind and speaker over every match (search.facets).
    ``filters``: facet name -> value(s) the results must have, e.g.
    {"year": "2019", "organiser": "SKR"}. The total counts results (sessions, and
    events for their own material) over all matches, the same for every face.

    Exact and compound matches first; when the query finds little, the
    accent-folded field is searched too, and then a spelling suggestion is
    made; when the query finds nothing, the suggestion's results are shown,
    else the sessions that hold some of the words (``partial``).
    """
    if sort not in SORTS:
        raise QueryError("unknown_sort", sort=sort)
    node = parse(text) if node is None else node
    chosen = {name: ([v] if isinstance(v, str) else list(v))
              for name, v in (filters or {}).items()}
    kinds = [v for v in chosen.pop("kind", []) if v.strip()]
    filt = filter_query(chosen)
    if kinds or all_versions or any(leaf.field == "kind" for leaf in positive_leaves(node)):
        # a kind filter (the web's facet) is kind: in the query: the same results and hits
        from konfarkiv.search.by_file import search_files

        found, keys = search_files(index_dir, catalog, text, node, limit=limit, page=page,
                                   all_versions=all_versions, snippets=snippets,
                                   kind="|".join(kinds) or None, units=filt, facets=facets)
        return replace(found, sort=sort, filters={name: ([v] if isinstance(v, str) else list(v))
                                                  for name, v in (filters or {}).items()},
                       facets=_facets(catalog, keys) if facets else {})
    lexicons = query_lexicon(index_dir)
    suggestion = results_for = None
    missing: list[str] = []
    partial = False
    opts = _Options(k=page * limit, sort=sort, facets=facets, filters=filt)
    with warm_searcher(index_dir) as searcher:
        # the words as typed are ranked; the accent-folded pass, when they find little, is
        # counted first and ranked only when it finds more
        ranked = _rank(searcher, node, lexicons, fold_all=False, opts=opts)
        if ranked.total < FEW:
            folded = _rank(searcher, node, lexicons, fold_all=True,
                           opts=replace(opts, count_only=True))
            if folded.total > ranked.total:
                ranked = _rank(searcher, node, lexicons, fold_all=True, opts=opts,
                               parts=folded.parts)
        shown_node = node
        if ranked.total < FEW:
            from konfarkiv.search.suggest import suggest_query

            suggestion = suggest_query(text, node, index_dir, searcher)
            if suggestion and not ranked.total:
                better_node = parse(suggestion)
                better = _rank(searcher, better_node, lexicons, fold_all=True, opts=opts)
                if better.total:
                    ranked, results_for, shown_node = better, suggestion, better_node
        if not ranked.total and is_plain(text):
            some = _partial(searcher, node, lexicons, opts)
            if some is not None and some[0].total:
                (ranked, missing), partial = some, True
        ranked = _finish(searcher, ranked, opts.k)
        window = ranked.groups[(page - 1) * limit : page * limit]
        evidence, matches = _evidence(searcher, shown_node, lexicons,
                                      [g for g, _ in window], fold_all=ranked.fold_all)
    out = session_results(catalog, [(g, score, evidence[g]) for g, score in window], matches,
                          snippets)
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
        sort=sort,
        filters={name: ([v] if isinstance(v, str) else list(v))
                 for name, v in (filters or {}).items()},
        facets=_facets(catalog, _with_kind_counts(index_dir, node, text, ranked.keys,
                                                  filt)) if facets else {},
    )


def _with_kind_counts(index_dir: Path, node: Node, text: str, keys: Counter[str],
                      units: Query | None) -> Counter[str]:
    """The ranking pass's facet keys with each kind counted as its filter searches: by
    file (by_file.kind_counts), since a kind filter is kind: in the query."""
    from konfarkiv.search.by_file import kind_counts

    out = Counter({k: n for k, n in keys.items() if not k.startswith("k:")})
    out.update(kind_counts(index_dir, text, node, units=units))
    return out


def _facets(catalog: Catalog, keys: Counter[str]) -> dict[str, list[FacetValue]]:
    """Facet values with counts; an event's label is its title (one catalog query)."""
    values = facet_values(keys)
    ids = [int(v.value) for v in values["event"] if v.value.isdigit()]
    titles = catalog.event_titles(ids) if ids else {}
    values["event"] = [FacetValue(v.value, titles.get(int(v.value), v.value), v.count)
                       for v in values["event"] if v.value.isdigit()]
    return values


def search_archive(
    archive: Any, text: str, *, limit: int = 10, page: int = 1, all_versions: bool = False,
    snippets: int | None = None, sort: str = "relevance", facets: bool = False,
    filters: Mapping[str, str | Sequence[str]] | None = None, node: Node | None = None,
) -> tuple[SearchResponse, str | None]:
    """Search an open archive; a missing or damaged index is first rebuilt from the catalog."""
    from konfarkiv.search.sync import ensure_index

    node = parse(text) if node is None else node  # a bad query fails before any rebuild
    note = ensure_index(archive)
    return search(
        archive.layout.index,
        archive.catalog,
        text,
        limit=limit,
        page=page,
        all_versions=all_versions,
        snippets=snippets,
        sort=sort,
        facets=facets,
        filters=filters,
        node=node,
    ), note

