"""Whoosh analyzers for Swedish conference text.

Whoosh pickles a schema's analyzers into the index, so every filter here is a
module-level class whose pickled state is a few plain settings: the compound
lexicon and the stemmer are looked up again at run time, never stored.

Field layout the query side is expected to use:

* a main text field with :func:`text_analyzer` (normalised, stop words out,
  compounds split into parts at the same position, Snowball-stemmed);
* a fallback field with :func:`folded_analyzer` (the same, but å/ä/ö/é folded
  before stemming), searched only when the query has no å/ä/ö or found little;
* name/organisation fields with :func:`name_analyzer` (no stemming).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import snowballstemmer
from whoosh.analysis import Analyzer, Filter, RegexTokenizer, StopFilter, Token

from konfarkiv.search.compounds import Lexicon, default_lexicon, fold

__all__ = [
    "STOP_WORDS",
    "CompoundFilter",
    "FoldFilter",
    "NormalizeFilter",
    "SnowballFilter",
    "analyze",
    "expand_compound",
    "folded_analyzer",
    "has_swedish_letters",
    "name_analyzer",
    "text_analyzer",
]

#: Words, digits, and what PDFs leave inside words: combining marks (decomposed
#: "ö"), soft hyphens, zero-width joiners and private-use glyphs. The filter
#: below removes the strays, so "miljö\u00admål" is one token "miljömål".
WORD_PATTERN = r"[\w\u0300-\u036f\u00ad\u200b-\u200d\u2060\ue000-\uf8ff]+"

#: A small Swedish stop list: pronouns, articles, conjunctions, auxiliaries
#: and the commonest prepositions. Whoosh's list (Snowball's) also drops
#: content-bearing words ("man", "sitta", "under", "upp", "mot", "efter");
#: those stay searchable here.
STOP_WORDS: frozenset[str] = frozenset(
    """
    och att det som en ett i på av för med till den de dem är var vara varit
    har hade ha om så men eller från vid hos än då där när sig sin sitt sina
    detta denna dessa dess deras vi jag du han hon ni oss er mig dig honom
    henne hans hennes vår våra vårt min mitt mina din ditt dina inte icke
    ej skall ska kan skulle kunde blir bli blev blivit vilken vilket vilka
    """.split()
)

_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖéÉ]")


@functools.lru_cache(maxsize=65536)
def _normalize(text: str) -> str:
    """NFKC, without control/format/private-use characters, lowercased."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(c for c in text if unicodedata.category(c) not in _DROP_CATEGORIES)
    return text.lower()


class NormalizeFilter(Filter):
    """Normalise each token (NFKC, strip invisible chars, lowercase).

    Done per token, not on the whole text, so character offsets still point
    into the original text for highlighting.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = _normalize(t.text)
            if text:
                t.text = text
                yield t


class FoldFilter(Filter):
    """Strip diacritics (å→a, ä→a, ö→o, é→e) for the accent-less fallback field."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.text.isascii():
                t.text = _fold_cached(t.text)
            yield t


@functools.lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return fold(text)


@functools.lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(language)


@functools.lru_cache(maxsize=262144)
def _stem(language: str, passes: int, word: str) -> str:
    stemmer = _stemmer(language)
    for _ in range(passes):
        word = stemmer.stemWord(word)
    return word


class SnowballFilter(Filter):
    """Stem with the current Snowball algorithm (``snowballstemmer``).

    Whoosh ships an older Swedish Snowball (no "-et" rule: "arbetet",
    "miljömålet", "klimatet" stay unstemmed). Two passes by default, because
    one pass leaves forms of the same word apart: "klimat"→"klim" but
    "klimatet"→"klimat", "hållbar"→"hållb" but "hållbara"→"hållbar"; a second
    pass joins them (measured in the report: ~1,000 of 30,000 stem groups
    over the 50k commonest words merged, about three in four of them right).
    """

    is_morph = True

    def __init__(self, language: str = "swedish", passes: int = 2) -> None:
        self.language = language
        self.passes = passes

    def stem(self, word: str) -> str:
        """Stem one (already lowercased) word."""
        return _stem(self.language, self.passes, word)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = _stem(self.language, self.passes, t.text)
            yield t


class CompoundFilter(Filter):
    """Emit each compound word, then its parts at the same position.

    Same position, same character span: phrase queries over the whole word
    still work, highlighting marks the whole word. Only at index time; a
    query word is left whole (see :func:`expand_compound` for the query side).
    The lexicon is not pickled: it comes from ``lexicon=`` at construction or
    :func:`konfarkiv.search.compounds.default_lexicon` (which the indexer can
    replace with base + archive words via ``set_default_lexicon``).
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon if self._lexicon is not None else default_lexicon()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._lexicon = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        split = self.lexicon.split
        for t in tokens:
            # Read everything before yielding: later filters change t in place.
            word = t.text
            parts = () if t.mode == "query" or t.stopped else split(word)
            yield t
            for part in parts:
                t.text = part
                yield t


def _base_filters() -> Any:
    return RegexTokenizer(WORD_PATTERN) | NormalizeFilter()


def text_analyzer(lexicon: Lexicon | None = None, *, split: bool = True) -> Analyzer:
    """Main text field: normalise, drop stop words, split compounds, stem.

    ``split=False`` gives the same analysis without compound parts (for
    measuring what splitting costs, or for short fields such as titles).
    """
    chain = _base_filters() | StopFilter(stoplist=STOP_WORDS, minsize=1)
    if split:
        chain = chain | CompoundFilter(lexicon)
    return chain | SnowballFilter()


def folded_analyzer(lexicon: Lexicon | None = None, *, split: bool = True) -> Analyzer:
    """Accent-less fallback field: as :func:`text_analyzer`, folded before stemming.

    Compounds are split on the unfolded word (the lexicon is spelt with
    å/ä/ö), then folded; folding comes before stemming so that a query typed
    without accents ("miljomalen") stems exactly as the folded text does.
    The stemmer is the same Snowball Swedish: folding keeps its vowel set
    (å/ä→a, ö→o are vowels too), so its regions and suffixes behave the same;
    only the rare "-lös"/"-löst" endings go unrecognised.
    """
    stops = STOP_WORDS | {fold(w) for w in STOP_WORDS}
    chain = _base_filters() | StopFilter(stoplist=stops, minsize=1)
    if split:
        chain = chain | CompoundFilter(lexicon)
    return chain | FoldFilter() | SnowballFilter()


def name_analyzer(*, fold_accents: bool = True) -> Analyzer:
    """Names of people and organisations: normalise (and fold), no stemming.

    No stop words either, so "Sveriges Kommuner och Regioner" stays a phrase.
    Folding by default: people type "Asa Oberg" for "Åsa Öberg", and names
    collide far less under folding than common words do.
    """
    chain = _base_filters()
    if fold_accents:
        chain = chain | FoldFilter()
    return chain


def analyze(analyzer: Analyzer, text: str, *, mode: str = "query") -> list[str]:
    """The token texts ``analyzer`` makes of ``text`` (stop words removed)."""
    return [t.text for t in analyzer(text, mode=mode, removestops=True)]


@functools.lru_cache(maxsize=4)
def _query_analyzer(folded: bool) -> Analyzer:
    return folded_analyzer(split=False) if folded else text_analyzer(split=False)


def has_swedish_letters(text: str) -> bool:
    """True if ``text`` has å/ä/ö/é: then the folded field is not needed."""
    return bool(_SWEDISH_LETTERS.search(text))


def expand_compound(
    word: str, *, folded: bool = False, lexicon: Lexicon | None = None
) -> list[list[str]]:
    """Alternatives for one query word, as analysed terms to OR together.

    The first alternative is the word itself (``[stem]``); each further one is
    a list of part terms to AND together, ranked lower by the caller:
    "stadsutveckling" → ``[["stadsutveckl"], ["stad", "utveckl"]]``, so text
    that says "utveckling av staden" matches too. With ``folded=True`` the
    terms are for the folded field and the word may be typed without accents.
    A word that is a stop word gives ``[]``.
    """
    analyzer = _query_analyzer(folded)
    whole = analyze(analyzer, word)
    if len(whole) != 1:
        return [whole] if whole else []
    lex = lexicon if lexicon is not None else default_lexicon()
    text = _normalize(word)
    if folded:
        lex = lex.folded()
        text = fold(text)
    out = [whole]
    segments = lex.segments(text)
    if segments:
        parts = [analyze(analyzer, form) for _, form, _ in segments]
        terms = [p[0] for p in parts if len(p) == 1]
        if len(terms) == len(segments) and terms != whole:
            out.append(terms)
    return out
