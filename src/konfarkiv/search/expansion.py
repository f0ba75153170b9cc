"""Expanding the syntax tree into Whoosh queries, for Swedish.

A word is searched in several analysed forms: its stem in titles and bodies,
its compound parts near each other (ranked lower), names in the speaker
fields, and, as a fallback, its accent-folded form. The same tree is built
twice by the search: over the per-session ranking documents (``UNIT_FIELDS``)
and over the evidence documents (slides, caption windows) of the sessions shown.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.query import (
    And,
    ConstantScoreQuery,
    Not,
    NullQuery,
    Or,
    Phrase,
    Query,
    Term,
)
from whoosh.query.spans import SpanNear2

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
from konfarkiv.search.cost import CappedPrefix as Prefix
from konfarkiv.search.cost import CappedWildcard as Wildcard
from konfarkiv.search.syntax import (
    MAX_WORD_CHARS,
    AllOf,
    AnyOf,
    Negated,
    Node,
    QueryError,
    Quoted,
    Word,
    parse,
)
from konfarkiv.search.vocabulary import QueryLexicon

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
TITLE_BOOST = 2.0  # on top of the title field's index-time boost
SPEAKER_BOOST = 2.0
ORG_BOOST = 1.0
#: A compound's parts found apart ("utveckling av staden") rank below the compound.
PART_BOOST = 0.35
#: Most positions between a compound's parts found apart in a ranking document.
PART_SLOP = 3
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

#: Fields of the per-session ranking documents, by the evidence field they stand for.
UNIT_FIELDS = {"title": "utitle", "body": "ubody", "folded": "ufolded", "speaker": "uspeaker",
               "org": "uorg", "event": "uevent"}


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
        #: Answers by word: a page of snippets tests the same words thousands of times.
        #: Keyed with the sets' sizes too, since they only grow while a query is built.
        self._memo: dict[tuple[str, int, int, int, int, int], bool] = {}

    def __copy__(self) -> Matches:
        """The same sets (a caller may then replace one), with a memo of its own."""
        twin = Matches()
        twin.__dict__.update(self.__dict__)
        twin._memo = {}
        return twin

    def __call__(self, word: str) -> bool:
        """True if ``word`` (a normalised text word) is one the query matched."""
        key = (word, len(self.stems), len(self.folded), len(self.parts), len(self.prefixes),
               len(self.names))
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = self._test(word)
        return known

    def _test(self, word: str) -> bool:
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


class Builder:
    """Turns the syntax tree into a Whoosh query for one search pass.

    ``unit=True`` builds for the per-session ranking documents: speaker:/org:
    filter the session directly (call :func:`for_units` on the result to use
    their fields).
    Otherwise ``groups_for`` turns speaker:/org: into the sessions they name.
    """

    def __init__(
        self,
        lexicon: Callable[[str, bool], Lexicon | None],
        *,
        fold_all: bool,
        groups_for: Callable[[Query], list[str]] | None = None,
        unit: bool = False,
        free_text: bool = True,
        parts: bool = True,
    ) -> None:
        self.lexicon = lexicon
        self.fold_all = fold_all
        #: The second, "found little" pass also looks inside longer words.
        self.infix = fold_all
        self.groups_for = groups_for
        self.unit = unit
        #: Look for a query compound's parts apart ("utveckling av staden")?
        self.parts = parts
        self.free_text = free_text
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

    def alternatives(self, fieldname: str, alternatives: list[list[str]], boost: float) -> Query:
        """The word itself (a phrase if it analyses to several terms), or its
        compound parts all in the same document, ranked lower. In a ranking
        document (a whole session) the parts must stand near each other, in
        either order: apart anywhere in a long session they mean nothing."""
        whole, *split = alternatives
        first = Term(fieldname, whole[0]) if len(whole) == 1 else Phrase(fieldname, whole)
        subs: list[Query] = [first]
        for parts in split if self.parts else ():
            terms = [Term(fieldname, p) for p in parts]
            if self.unit:  # parts at the same position (a compound in the text) count too
                near = SpanNear2(terms, slop=PART_SLOP, ordered=False, mindist=0)
                subs.append(near.with_boost(PART_BOOST))
            else:
                subs.append(And(terms, boost=PART_BOOST))
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
            raise QueryError("prefix_too_short", prefix=text, least=2)
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
                    raise QueryError("unknown_kind", kind=v)
                kinds += KIND_NAMES[v]
            return ConstantScoreQuery(Or([Term("kind", k) for k in dict.fromkeys(kinds)]), 0.0)
        if name == "year":
            return ConstantScoreQuery(Or([Term("year", y) for y in _years(node.text)]), 0.0)
        if name == "event":
            named = self.free(
                Word(node.text, "event") if isinstance(node, Word) else Quoted(node.text, "event"),
                False,
            )
            return ConstantScoreQuery(named, 0.0)
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
        if self.unit:  # the session's own document names its people
            self.matches.names.update(terms)
            return ConstantScoreQuery(q, 0.0) if self.free_text else q.with_boost(
                SPEAKER_BOOST if name == "speaker" else ORG_BOOST)
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
        raise QueryError("not_a_year", value=text)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first or last - first > 200:
        raise QueryError("not_a_year_range", value=text)
    return [str(y) for y in range(first, last + 1)]


def parse_query(text: str, index_dir: Path | None = None) -> Query:
    """The Whoosh query for ``text`` over the evidence documents (first pass: folded
    only for accent-less words); what a plain top-k search would run."""
    lexicons = QueryLexicon(index_dir) if index_dir else None
    builder = Builder(lexicon_source(lexicons), fold_all=False, groups_for=None)
    return builder.build(parse(text)).normalize()


def for_units(query: Query) -> Query:
    """The same query over the per-session ranking documents' fields."""

    def rename(q: Query) -> Query:
        name = getattr(q, "fieldname", None)
        if name in UNIT_FIELDS:
            q = copy.copy(q)
            q.fieldname = UNIT_FIELDS[name]
        return q

    return query.accept(rename)


def lexicon_source(lexicons: QueryLexicon | None) -> Callable[[str, bool], Lexicon | None]:
    def source(word: str, folded: bool) -> Lexicon | None:
        if len(word) > MAX_WORD_CHARS:  # no compound is this long; splitting is quadratic
            return Lexicon({})
        return lexicons.for_word(word, folded=folded) if lexicons else None

    return source
