"""Searching: parse the query language, expand it for Swedish, group hits by session.

The query language (documented in ``konfarkiv search --help``): words are
ANDed; ``OR``, ``NOT``/``-word``, parentheses, ``"exact phrases"``,
``prefix*``, and fields ``speaker:``, ``org:``, ``event:``, ``year:``,
``kind:``. A small parser of our own (not Whoosh's) keeps each word as typed,
because a word is searched in several analysed forms: its stem in titles and
bodies, its compound parts near each other (ranked lower), names in the
speaker fields, and, as a fallback, its accent-folded form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh.query import (
    And,
    ConstantScoreQuery,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    Wildcard,
)

from konfarkiv.archive.catalog import Catalog
from konfarkiv.search.analysis import (
    STOP_WORDS,
    SnowballFilter,
    analyze,
    expand_compound,
    folded_analyzer,
    has_swedish_letters,
    name_analyzer,
    text_analyzer,
)
from konfarkiv.search.compounds import Lexicon, fold
from konfarkiv.search.documents import CUE_WINDOW_CHARS, cue_windows
from konfarkiv.search.index import open_index
from konfarkiv.search.links import moment_link, page_link
from konfarkiv.search.snippets import Snippet, make_snippet
from konfarkiv.search.vocabulary import QueryLexicon

#: Fields a user may name; title: and body: work but are not advertised.
USER_FIELDS = {"speaker", "org", "event", "year", "kind", "title", "body"}
#: Swedish field names beside the English ones.
FIELD_ALIASES = {"talare": "speaker", "org": "org", "organisation": "org", "år": "year",
                 "evenemang": "event", "typ": "kind", "titel": "title"}
#: Longest query, most words, and longest word worth splitting: the work per query
#: stays bounded (a compound split looks up every substring of a word).
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 60
MAX_WORD_CHARS = 60
#: kind: values → the index's document kinds (a film's captions are film too).
KIND_NAMES: dict[str, tuple[str, ...]] = {
    "session": ("session",),
    "sessions": ("session",),
    "slide": ("slide",),
    "slides": ("slide",),
    "pdf": ("slide",),
    "bild": ("slide",),
    "bilder": ("slide",),
    "film": ("film", "caption"),
    "films": ("film", "caption"),
    "filmer": ("film", "caption"),
    "video": ("film", "caption"),
    "caption": ("caption",),
    "captions": ("caption",),
    "textning": ("caption",),
    "moment": ("caption",),
    "event": ("event",),
    "evenemang": ("event",),
}
KIND_ORDER = {"event": 0, "session": 0, "slide": 1, "film": 2, "caption": 3}
MAX_HITS = 2000
TITLE_BOOST = 2.0  # on top of the title field's index-time boost
SPEAKER_BOOST = 2.0
ORG_BOOST = 1.0
#: A compound's parts found apart ("utveckling av staden") rank below the compound.
PART_BOOST = 0.35
#: Accent-folded matches rank below exact spellings.
FOLD_BOOST = 0.3
#: Fewer sessions than this is "little": try the folded field and words that
#: hold the query word (a part of a compound the lexicon could not split),
#: then suggest a correction.
FEW = 2
#: Inside-word matches ("kartering" in "skyfallskarteringen") rank lowest.
INFIX_BOOST = 0.2
#: Shortest stem searched inside other words (shorter ones match by chance).
INFIX_MIN = 5

_OPERATORS = {"AND": "and", "OCH": "and", "OR": "or", "ELLER": "or", "NOT": "not", "INTE": "not"}


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- parsing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None
    prefix: bool = False
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Quoted:
    text: str
    field: str | None = None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Negated:
    child: Node


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


Node = Word | Quoted | Negated | AllOf | AnyOf

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<open>\() | (?P<close>\)) |
      (?P<field>[^\W\d_]\w*):(?=[^\s)]) |
      (?P<neg>-)(?=[^\s\-]) |
      "(?P<phrase>[^"]*)"? |
      (?P<word>[^\s()"]+)
    )""",
    re.X,
)
# "SKL:s", "EU:n": an abbreviation's genitive or definite ending, not a field.
_ABBREVIATION_ENDING = re.compile(r"[a-zåäö]{1,3}(?=[\s)]|$)")


def _tokens(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    out: list[tuple[str, str, tuple[int, int]]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind) if kind else ""
        span = (m.start(kind), m.end(kind)) if kind else (pos, pos)
        if kind == "field":
            value = FIELD_ALIASES.get(value.lower(), value)
        if kind == "field" and value.lower() not in USER_FIELDS:
            rest = text[pos:]
            ending = _ABBREVIATION_ENDING.match(rest)
            if rest.startswith("//") or (ending and any(c.isupper() for c in value)):
                word = re.match(r"[^\s()\"]+", rest)
                end = pos + (word.end() if word else 0)
                out.append(("word", text[span[0] : end], (span[0], end)))
                pos = end
                continue
            known = ", ".join(f"{f}:" for f in ("speaker", "org", "event", "year", "kind",
                                                "talare", "år", "evenemang", "typ"))
            raise QueryError(f"unknown field '{value}:' in the query; known fields: {known}")
        if kind == "word" and value in _OPERATORS:
            kind = _OPERATORS[value]
        if kind:
            out.append((kind, value.lower() if kind == "field" else value, span))
    return out


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary+; unary := NOT unary | atom."""

    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.parse_or(None)
        while self.i < len(self.toks):  # a stray ")" ends nothing: skip it and go on
            self.i += 1
            more = self.parse_or(None)
            node = _all([n for n in (node, more) if n is not None])
        return node

    def parse_or(self, fld: str | None) -> Node | None:
        items = [self.parse_and(fld)]
        while self.peek() == "or":
            self.i += 1
            items.append(self.parse_and(fld))
        kept = tuple(x for x in items if x is not None)
        return kept[0] if len(kept) == 1 else (AnyOf(kept) if kept else None)

    def parse_and(self, fld: str | None) -> Node | None:
        items: list[Node] = []
        while self.peek() not in (None, "or", "close"):
            if self.peek() == "and":
                self.i += 1
                continue
            node = self.parse_unary(fld)
            if node is not None:
                items.append(node)
        return _all(items)

    def parse_unary(self, fld: str | None) -> Node | None:
        kind = self.peek()
        if kind in ("not", "neg"):
            self.i += 1
            if self.peek() in (None, "or", "close", "and"):
                return None
            child = self.parse_unary(fld)
            return Negated(child) if child is not None else None
        return self.parse_atom(fld)

    def parse_atom(self, fld: str | None) -> Node | None:
        kind, value, span = self.toks[self.i]
        self.i += 1
        if kind == "open":
            node = self.parse_or(fld)
            if self.peek() == "close":
                self.i += 1
            return node
        if kind == "field":
            if self.peek() in (None, "close", "or", "and"):
                raise QueryError(f"'{value}:' needs a value, e.g. {value}:{_EXAMPLE[value]}")
            return self.parse_atom(value)
        if kind == "phrase":
            return Quoted(value, fld, span) if value.strip() else None
        if kind == "word":
            prefix = value.endswith("*") and len(value.rstrip("*")) > 0
            text = value.rstrip("*") if prefix else value
            if not text.strip("*"):
                return None
            return Word(text, fld, prefix, span)
        return None  # a stray operator or ")"


_EXAMPLE = {
    "speaker": "hagnell",
    "org": "skl",
    "event": "nätverksmöte",
    "year": "2019",
    "kind": "slide",
    "title": "miljömål",
    "body": "miljömål",
}


def _all(items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def parse(text: str) -> Node:
    """The query's syntax tree; QueryError if it cannot be searched."""
    if not text.strip():
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text)} characters; at most "
                         f"{MAX_QUERY_CHARS}): search for a few words of it")
    words = len(text.split())
    if words > MAX_QUERY_WORDS:
        raise QueryError(f"the query has too many words ({words}; at most "
                         f"{MAX_QUERY_WORDS}): search for a few of them")
    node = _Parser(text).parse()
    if node is None:
        raise QueryError("the query has no words to search for")
    if not _positive_leaves(node):
        raise QueryError("the query only excludes (NOT …); add words to search for")
    return node


def check_fields(text: str) -> None:
    """Raise QueryError for an unknown ``field:`` (kept for callers that only validate)."""
    _tokens(text)


def _positive_leaves(node: Node, positive: bool = True) -> list[Word | Quoted]:
    if isinstance(node, (Word, Quoted)):
        return [node] if positive else []
    if isinstance(node, Negated):
        return _positive_leaves(node.child, not positive)
    return [leaf for child in node.children for leaf in _positive_leaves(child, positive)]


def _is_filter(leaf: Word | Quoted) -> bool:
    return leaf.field in ("speaker", "org", "event", "year", "kind")


# -- building Whoosh queries ---------------------------------------------------------


_stemmer = SnowballFilter()


class Matches:
    """What the query looks for, in forms the snippet highlighter can test a word against."""

    def __init__(self) -> None:
        self.stems: set[str] = set()
        self.folded: set[str] = set()
        #: Compound parts searched apart: only whole words equal to a part count.
        self.parts: set[str] = set()
        self.prefixes: set[str] = set()
        self.names: set[str] = set()

    def __call__(self, word: str) -> bool:
        """True if ``word`` (a normalised text word) is one the query matched."""
        if word in STOP_WORDS:
            return False
        folded = fold(word)
        if any(word.startswith(p) or folded.startswith(fold(p)) for p in self.prefixes):
            return True
        if self.stems and _part_match(word, self.stems):
            return True
        if self.folded and _part_match(folded, self.folded):
            return True
        if any(p in folded for p in self.parts) and _stemmer.stem(folded) in self.parts:
            return True
        return folded in self.names


def _part_match(word: str, terms: set[str]) -> bool:
    """The word's stem is a term, or a term of 4+ letters is inside the word (a
    compound part). A Swedish stem is a prefix of its word, so a word holding
    no term at all is rejected before the (slow, pure-Python) stemmer runs."""
    inside = [t for t in terms if t in word]
    if not inside:
        return False
    return any(len(t) >= 4 for t in inside) or _stemmer.stem(word) in terms


class _Builder:
    """Turns the syntax tree into a Whoosh query for one search pass."""

    def __init__(
        self,
        lexicon: Callable[[str, bool], Lexicon | None],
        *,
        fold_all: bool,
        groups_for: Callable[[Query], list[str]] | None,
    ) -> None:
        self.lexicon = lexicon
        self.fold_all = fold_all
        #: The second, "found little" pass also looks inside longer words.
        self.infix = fold_all
        self.groups_for = groups_for
        self.matches = Matches()
        self.folded_used = False

    def build(self, node: Node, positive: bool = True) -> Query:
        if isinstance(node, Negated):
            return Not(self.build(node.child, not positive))
        if isinstance(node, AllOf):  # a dropped stop word (NullQuery) must not empty an And
            kept = [q for q in (self.build(c, positive) for c in node.children)
                    if q is not NullQuery]
            return And(kept) if len(kept) > 1 else (kept[0] if kept else NullQuery)
        if isinstance(node, AnyOf):
            return Or([self.build(c, positive) for c in node.children])
        if node.field in (None, "title", "body"):
            return self.free(node, positive)
        return self.filter(node)

    # free text ------------------------------------------------------------------

    def _fold(self, text: str) -> bool:
        return self.fold_all or not has_swedish_letters(text)

    def free(self, node: Word | Quoted, positive: bool) -> Query:
        fields = ("title", "body") if node.field is None else (node.field,)
        boosts = {"title": TITLE_BOOST, "body": 1.0, "event": 1.0}
        subs: list[Query] = []
        folded = self._fold(node.text)
        if isinstance(node, Word) and node.prefix:
            subs += self.prefix(node.text, fields, folded, names=node.field is None)
        elif isinstance(node, Quoted):
            for f in fields:
                subs.append(
                    self.phrase(f, node.text, text_analyzer(split=False), positive, boosts[f])
                )
            if node.field is None:
                subs.append(
                    self.phrase("speaker", node.text, name_analyzer(), positive, SPEAKER_BOOST)
                )
                subs.append(self.phrase("org", node.text, name_analyzer(), positive, ORG_BOOST))
            if folded:
                subs.append(
                    self.phrase(
                        "folded", node.text, folded_analyzer(split=False), positive, FOLD_BOOST
                    )
                )
                self.folded_used = True
        else:
            alternatives = expand_compound(node.text, lexicon=self.lexicon(node.text, False))
            if not alternatives:  # a stop word: dropped here exactly as from the index
                return NullQuery
            for f in fields:
                subs.append(self.alternatives(f, alternatives, boosts[f]))
            if positive:
                self.matches.stems.update(alternatives[0])
                self.matches.parts.update(fold(t) for alt in alternatives[1:] for t in alt)
            if node.field is None:
                subs += self.names(node.text, positive)
            if self.infix and len(alternatives[0]) == 1 and len(alternatives[0][0]) >= INFIX_MIN:
                stem = alternatives[0][0]
                subs += [Wildcard(f, f"*{stem}*", boost=INFIX_BOOST) for f in fields]
            if folded:
                alts = expand_compound(
                    node.text, folded=True, lexicon=self.lexicon(node.text, True)
                )
                if alts:
                    subs.append(self.alternatives("folded", alts, FOLD_BOOST))
                    if positive:
                        self.matches.folded.update(alts[0])
                        self.matches.parts.update(t for alt in alts[1:] for t in alt)
                    self.folded_used = True
        subs = [q for q in subs if q is not NullQuery]
        return Or(subs) if subs else NullQuery

    @staticmethod
    def alternatives(fieldname: str, alternatives: list[list[str]], boost: float) -> Query:
        """The word itself (a phrase if it analyses to several terms), or its
        compound parts all in the same document, ranked lower."""
        whole, *split = alternatives
        first = Term(fieldname, whole[0]) if len(whole) == 1 else Phrase(fieldname, whole)
        subs: list[Query] = [first]
        for parts in split:
            subs.append(And([Term(fieldname, p) for p in parts], boost=PART_BOOST))
        return Or(subs, boost=boost) if len(subs) > 1 else first.with_boost(boost)

    def names(self, text: str, positive: bool) -> list[Query]:
        terms = analyze(name_analyzer(), text)
        if not terms:
            return []
        if positive:
            self.matches.names.update(terms)
        if len(terms) == 1:
            return [
                Term("speaker", terms[0], boost=SPEAKER_BOOST),
                Term("org", terms[0], boost=ORG_BOOST),
            ]
        return [
            Phrase("speaker", terms, boost=SPEAKER_BOOST),
            Phrase("org", terms, boost=ORG_BOOST),
        ]

    def phrase(
        self, fieldname: str, text: str, analyzer: Any, positive: bool, boost: float
    ) -> Query:
        tokens = [
            (t.text, t.pos) for t in analyzer(text, mode="query", positions=True, removestops=True)
        ]
        if not tokens:
            return NullQuery
        words = [w for w, _ in tokens]
        if positive and fieldname in ("title", "body"):
            self.matches.stems.update(words)
        elif positive and fieldname == "folded":
            self.matches.folded.update(words)
        if len(words) == 1:
            return Term(fieldname, words[0], boost=boost)
        slop = max(b - a for (_, a), (_, b) in zip(tokens, tokens[1:], strict=False))
        return Phrase(fieldname, words, slop=max(1, slop), boost=boost)

    def prefix(
        self, text: str, fields: tuple[str, ...], folded: bool, *, names: bool
    ) -> list[Query]:
        norm = "".join(analyze(name_analyzer(fold_accents=False), text))
        if len(norm) < 2:
            raise QueryError(
                f"'{text}*' is too short for a prefix search: type at least two letters"
            )
        stem = _stemmer.stem(norm)
        start = stem if norm.startswith(stem) else norm
        self.matches.prefixes.add(norm)
        out: list[Query] = [Prefix(f, start) for f in fields]
        if names:
            out += [Prefix("speaker", fold(norm)), Prefix("org", fold(norm))]
        if folded:
            out.append(Prefix("folded", fold(start), boost=FOLD_BOOST))
            self.folded_used = True
        return out

    # field filters --------------------------------------------------------------

    def filter(self, node: Word | Quoted) -> Query:
        name = node.field or ""
        if name == "kind":
            values = [v for v in re.split(r"[|,]", node.text.lower()) if v]
            kinds: list[str] = []
            for v in values:
                if v not in KIND_NAMES:
                    raise QueryError(
                        f"unknown kind '{v}': use kind:session, kind:slide or kind:film"
                    )
                kinds += KIND_NAMES[v]
            return ConstantScoreQuery(Or([Term("kind", k) for k in dict.fromkeys(kinds)]), 0.0)
        if name == "year":
            return ConstantScoreQuery(Or([Term("year", y) for y in _years(node.text)]), 0.0)
        if name == "event":
            q = self.free(
                Word(node.text, "event") if isinstance(node, Word) else Quoted(node.text, "event"),
                False,
            )
            return ConstantScoreQuery(q, 0.0)
        # speaker: and org: name people and organisations of a session
        analyzer = name_analyzer()
        terms = analyze(analyzer, node.text)
        if not terms:
            return NullQuery
        if isinstance(node, Word) and node.prefix:
            q: Query = Prefix(name, fold("".join(terms)))
        elif len(terms) == 1:
            q = Term(name, terms[0])
        else:
            q = Phrase(name, terms)
        if self.groups_for is None:  # only filters in the query: the sessions themselves
            self.matches.names.update(terms)
            return q.with_boost(SPEAKER_BOOST if name == "speaker" else ORG_BOOST)
        groups = self.groups_for(q)  # else everything of those sessions may match
        return (
            ConstantScoreQuery(Or([Term("group", g) for g in groups]), 0.0) if groups else NullQuery
        )


def _years(text: str) -> list[str]:
    m = re.fullmatch(r"(\d{4})(?:(?:-|–|\.\.)(\d{4}))?", text.strip())
    if not m:
        raise QueryError(f"year:{text} is not a year: use year:2019 or year:2018-2020")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first or last - first > 200:
        raise QueryError(f"year:{text} is not a range of years")
    return [str(y) for y in range(first, last + 1)]


def parse_query(text: str, schema: Any = None, index_dir: Path | None = None) -> Query:
    """The Whoosh query for ``text`` (first pass: folded only for accent-less words)."""
    lexicons = QueryLexicon(index_dir) if index_dir else None
    builder = _Builder(_lexicon_source(lexicons), fold_all=False, groups_for=None)
    return builder.build(parse(text)).normalize()


def _lexicon_source(lexicons: QueryLexicon | None) -> Callable[[str, bool], Lexicon | None]:
    def source(word: str, folded: bool) -> Lexicon | None:
        if len(word) > MAX_WORD_CHARS:  # no compound is this long; splitting is quadratic
            return Lexicon({})
        return lexicons.for_word(word, folded=folded) if lexicons else None

    return source


# -- searching -----------------------------------------------------------------------


@dataclass
class _Pass:
    groups: dict[str, list[dict[str, Any]]]
    matches: Matches
    folded_used: bool


def _run(
    searcher: Any, node: Node, lexicons: QueryLexicon, *, fold_all: bool, filt: Query | None
) -> _Pass:
    free = any(not _is_filter(leaf) for leaf in _positive_leaves(node))

    def groups_for(q: Query) -> list[str]:
        hits = searcher.search(q, limit=None, filter=filt)
        return sorted({h["group"] for h in hits})

    builder = _Builder(
        _lexicon_source(lexicons), fold_all=fold_all, groups_for=groups_for if free else None
    )
    query = builder.build(node).normalize()
    if query is NullQuery and free:
        raise QueryError(_only_common_words(node))
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in searcher.search(query, limit=MAX_HITS, filter=filt):
        groups.setdefault(hit["group"], []).append({**hit.fields(), "score": hit.score})
    return _Pass(groups, builder.matches, builder.folded_used)


def _only_common_words(node: Node) -> str:
    words = ", ".join(repr(leaf.text) for leaf in _positive_leaves(node))
    return (f"the query has only common words ({words}), which are not indexed: "
            "add a word that says what to find")


def search(
    index_dir: Path,
    catalog: Catalog,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    all_versions: bool = False,
) -> SearchResponse:
    """Results grouped by session, best first; page is 1-based.

    Exact and compound matches first; when the query finds little, the
    accent-folded field is searched too, and then a spelling suggestion is
    made; when the query finds nothing, the suggestion's results are shown.
    """
    node = parse(text)
    ix = open_index(index_dir)
    lexicons = QueryLexicon(index_dir)
    suggestion = results_for = None
    try:
        with ix.searcher() as searcher:
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
    finally:
        ix.close()
    ranked = sorted(found.groups.items(), key=lambda kv: -_group_score(kv[1]))
    window = ranked[(page - 1) * limit : page * limit]
    out = [_session_result(catalog, g, hits, found.matches) for g, hits in window]
    return SearchResponse(
        query=text,
        total=len(ranked),
        results=out,
        page=page,
        suggestion=suggestion,
        results_for=results_for,
        limit=limit,
        pages=max(1, -(-len(ranked) // limit)),
    )


def _group_score(hits: list[dict[str, Any]]) -> float:
    scores = sorted((h["score"] for h in hits), reverse=True)
    return scores[0] + 0.1 * sum(scores[1:4])


def _session_result(
    catalog: Catalog, group: str, hits: list[dict[str, Any]], matches: Matches
) -> SessionResult:
    kind, _, ident = group.partition(":")
    if kind == "s":
        s = catalog.one("SELECT * FROM sessions WHERE id=?", (int(ident),))
        event_id = s["event_id"]
        speakers = [
            {"name": r["name"], "organisation": r["organisation"], "role": r["role"]}
            for r in catalog.all(
                "SELECT * FROM speakers WHERE session_id=? ORDER BY position", (s["id"],)
            )
        ]
        session = {"id": s["id"], "title": s["title"], "time": s["time"], "speakers": speakers}
    else:
        event_id = int(ident)
        session = {"id": None, "title": None, "time": None, "speakers": []}
    e = catalog.one("SELECT id, title, url, date FROM events WHERE id=?", (event_id,))
    event = {"id": e["id"], "title": e["title"], "url": e["url"], "date": e["date"]}
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
        score=round(_group_score(hits), 4),
        hits=[_hit(catalog, h, matches) for h in ordered],
        hit_count=len(ordered),
    )


def _hit(catalog: Catalog, h: dict[str, Any], matches: Matches) -> Hit:
    kind = h["kind"]
    page = start = None
    url: str | None = None
    if kind == "event":
        e = catalog.one("SELECT title, intro, date, url FROM events WHERE id=?", (h["ref"],))
        title, url = e["title"], e["url"]
        text = ". ".join(x for x in (e["title"], e["intro"], e["date"]) if x)
    elif kind == "session":
        s = catalog.one(
            "SELECT s.title, s.description, e.url FROM sessions s JOIN events e "
            "ON e.id=s.event_id WHERE s.id=?",
            (h["ref"],),
        )
        title, url = s["title"], s["url"]
        text = f"{s['title']}. {s['description']}" if s["description"] else s["title"]
    elif kind == "slide":
        page = int(h["page"])
        row = catalog.one(
            "SELECT m.label, m.url, p.text FROM documents d JOIN materials m ON m.id=d.material_id "
            "JOIN page_texts p ON p.document_id=d.id WHERE d.id=? AND p.page=?",
            (h["ref"], page),
        )
        title, text, url = row["label"], row["text"], page_link(row["url"], page)
    else:
        f = catalog.one(
            "SELECT f.*, m.label, m.url FROM films f JOIN materials m "
            "ON m.id=f.material_id WHERE f.id=?",
            (h["ref"],),
        )
        title = f["label"]
        if kind == "film":
            text, url = "\n".join(x for x in (f["title"], f["description"]) if x), f["url"]
        else:
            start = float(h["start"])
            text = window_text(catalog, f["id"], h["cue"])
            url = moment_link(f["url"], start)
    snippet: Snippet = make_snippet(text or "", (), None, match=matches)
    return Hit(
        kind=kind,
        title=title,
        url=url,
        page=page,
        start=start,
        snippet=snippet.text,
        highlights=[list(span) for span in snippet.highlights],
        score=round(float(h["score"]), 4),
    )


def window_text(catalog: Catalog, film_id: int, first: int) -> str:
    """The text of the caption window that starts at cue ``first``: only the cues
    that can belong to it are read (a film may hold tens of thousands)."""
    cues = catalog.all(
        "SELECT position, start, text FROM cues WHERE film_id=? AND position>=? "
        "ORDER BY position LIMIT ?",
        (film_id, first, CUE_WINDOW_CHARS + 1),  # every cue is at least one character
    )
    return next((t for _, _, t in cue_windows(cues)), "")


def search_archive(
    archive: Any, text: str, *, limit: int = 10, page: int = 1, all_versions: bool = False
) -> tuple[SearchResponse, str | None]:
    """Search an open archive; a missing or damaged index is first rebuilt from the catalog."""
    from konfarkiv.search.index import ensure_index

    parse(text)  # a bad query fails before any rebuild
    note = ensure_index(archive.layout.index, archive.catalog)
    return search(
        archive.layout.index,
        archive.catalog,
        text,
        limit=limit,
        page=page,
        all_versions=all_versions,
    ), note
