"""The archive's own words: the compound lexicon and the vocabulary for "did you mean".

At index time the catalog's words are counted once; the counts give the
compound lexicon the indexer splits with (base list + archive words) and the
raw vocabulary the query corrector searches. Both are saved beside the index
so the search command uses exactly what the indexer used.

The search command must start fast, so it never parses the whole 96k-word
lexicon (~0.1 s): the merged lexicon is saved as sorted ``word\\tzipf*10``
lines, and a query word's possible parts (its substrings) are looked up by
bisection into a small :class:`~konfarkiv.search.compounds.Lexicon`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from konfarkiv.search.compounds import MIN_PART, Lexicon, fold, set_default_lexicon
from konfarkiv.search.damage import IndexDamaged

LEXICON_FILE = "konfarkiv-lexicon.txt"  # archive words, Lexicon.save format
WORDS_FILE = "konfarkiv-words.txt"  # merged lexicon, sorted "word\tzipf*10"
FOLDED_WORDS_FILE = "konfarkiv-words-folded.txt"  # the same, accent-folded
VOCABULARY_FILE = "konfarkiv-vocabulary.txt"  # raw archive words, "word\tcount"

#: Fields of an index document whose words belong to the archive's vocabulary.
TEXT_FIELDS = ("title", "body", "speaker", "org")
_WORD = re.compile(r"[^\W\d_]+")


def words_of(texts: Iterable[str]) -> Iterator[str]:
    """Lowercased running words (letters only) of the texts."""
    for text in texts:
        if text:
            yield from (w.lower() for w in _WORD.findall(text))


def count_words(documents: Iterable[Mapping[str, object]]) -> Counter[str]:
    """Word counts over index documents (as made by ``event_documents``)."""
    counts: Counter[str] = Counter()
    events: set[object] = set()
    for doc in documents:
        texts = [str(doc[f]) for f in TEXT_FIELDS if doc.get(f)]
        if doc.get("event_id") not in events:  # the event title once, not per document
            events.add(doc.get("event_id"))
            texts.append(str(doc.get("event") or ""))
        counts.update(words_of(texts))
    return counts


def lexicon_from_counts(counts: Mapping[str, int]) -> Lexicon:
    """Base list + archive words; the same rule as ``Lexicon.from_words``."""
    return Lexicon.from_counts(counts)


def prepare(index_dir: Path, documents: Iterable[Mapping[str, object]]) -> Lexicon:
    """Count the archive's words, make their lexicon the one the indexer splits
    with, and save lexicon and vocabulary in ``index_dir``."""
    counts = count_words(documents)
    lexicon = lexicon_from_counts(counts)
    set_default_lexicon(lexicon)
    save(index_dir, lexicon, counts)
    return lexicon


def save(index_dir: Path, lexicon: Lexicon, counts: Mapping[str, int]) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    lexicon.save(index_dir / LEXICON_FILE)
    table = lexicon.table()
    folded: dict[str, float] = {}
    for word, z in table.items():
        key = fold(word)
        if z > folded.get(key, 0.0):
            folded[key] = z
    _write_sorted(index_dir / WORDS_FILE, {w: round(z * 10) for w, z in table.items()})
    _write_sorted(index_dir / FOLDED_WORDS_FILE, {w: round(z * 10) for w, z in folded.items()})
    _write_sorted(index_dir / VOCABULARY_FILE, counts)


def _write_sorted(path: Path, values: Mapping[str, int]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(f"{w}\t{v}\n" for w, v in sorted(values.items())), encoding="utf-8")
    tmp.replace(path)


def _count(value: str) -> int:
    """A table's number; anything else means the file was damaged (the index rebuilds)."""
    try:
        return int(value)
    except ValueError as exc:
        raise IndexDamaged(f"a word table holds {value[:40]!r} where a number belongs") from exc


class SortedTable:
    """Lookups in a sorted ``word\tvalue`` file without parsing all of it.

    '\t' sorts before every letter, so the lines sort as their words do: a
    binary search over the raw text finds a word's line (splitting 96k lines
    first would cost more than all of a query's lookups).
    """

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")

    def get(self, word: str) -> int | None:
        text, key = self.text, word + "\t"
        lo, hi = 0, len(text)
        while lo < hi:  # lo: start of the first line that may be >= key
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if text[start:end] < key:
                lo = end + 1
            else:
                hi = start
        if not text.startswith(key, lo):
            return None
        end = text.find("\n", lo)
        return _count(text[lo + len(key) : end if end >= 0 else len(text)])

    def items(self) -> Iterator[tuple[str, int]]:
        for line in self.text.splitlines():
            word, _, value = line.partition("\t")
            if word:
                yield word, _count(value)


def _candidates(word: str) -> set[str]:
    """Every string the splitter may look up for ``word``: its substrings of
    MIN_PART+ letters, each also with the -a/-e a head may have dropped."""
    out: set[str] = set()
    for i in range(len(word)):
        for j in range(i + MIN_PART, len(word) + 1):
            piece = word[i:j]
            out.update((piece, piece + "a", piece + "e"))
    return out


class QueryLexicon:
    """The index's lexicon, loaded lazily and only for the words of a query."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._tables: dict[bool, SortedTable | None] = {}
        self._words: dict[tuple[str, bool], Lexicon] = {}

    def _table(self, folded: bool) -> SortedTable | None:
        if folded not in self._tables:
            path = self.index_dir / (FOLDED_WORDS_FILE if folded else WORDS_FILE)
            self._tables[folded] = SortedTable(path) if path.is_file() else None
        return self._tables[folded]

    def for_word(self, word: str, *, folded: bool = False) -> Lexicon | None:
        """A small lexicon holding all ``word`` can be split into (None: no lexicon saved)."""
        table = self._table(folded)
        if table is None:
            return None
        word = fold(word.lower()) if folded else word.lower()
        key = (word, folded)
        if key not in self._words:  # one search builds its query several times
            found = {}
            for piece in _candidates(word):
                value = table.get(piece)
                if value is not None:
                    found[piece] = value / 10
            self._words[key] = Lexicon(found)
        return self._words[key]


class Vocabulary:
    """The archive's raw words and their counts, for spelling suggestions."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        self._folded: dict[str, str] | None = None

    @classmethod
    def load(cls, index_dir: Path) -> Vocabulary | None:
        path = index_dir / VOCABULARY_FILE
        if not path.is_file():
            return None
        return cls(dict(SortedTable(path).items()))

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def folded(self) -> dict[str, str]:
        """Accent-folded word → its most frequent spelling in the archive."""
        if self._folded is None:
            best: dict[str, str] = {}
            for word, n in self.counts.items():
                key = fold(word)
                if key not in best or n > self.counts[best[key]]:
                    best[key] = word
            self._folded = best
        return self._folded
