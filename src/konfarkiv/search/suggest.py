"""Spelling suggestions from the archive's own raw words ("did you mean").

Whoosh's ``correct_query`` works on indexed terms, which here are stems and
compound parts, so it suggests stems or nonsense. This corrector compares
the typed word with the archive's raw words instead (edit distance with
transpositions, accents compared folded), and runs only when a search found
little, so its cost (a scan of same-length words) is paid rarely.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from konfarkiv.search.analysis import analyze, text_analyzer
from konfarkiv.search.compounds import fold
from konfarkiv.search.cost import checked
from konfarkiv.search.syntax import Node, Quoted, Word, is_filter, positive_leaves
from konfarkiv.search.vocabulary import VOCABULARY_FILE, Vocabulary

#: Words shorter than this are never corrected: too many near neighbours.
MIN_LENGTH = 4


def max_distance(word: str) -> int:
    """Edits allowed: one for short words, two from eight letters."""
    return 1 if len(word) < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
    capped at limit+1: rapidfuzz's, in C (the Python loop was most of a correction's time)."""
    return int(OSA.distance(a, b, score_cutoff=limit))


class Speller:
    """A vocabulary ready for correcting: its words by accent-folded form, and grouped by
    first letter and length, the only candidates a correction can have (a word within
    max_distance edits of another shares its first letter here and differs in length by
    at most that), so a correction compares a few hundred words, not the whole archive's."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.folded = vocab.folded()
        self.buckets: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for key, word in self.folded.items():
            if key:
                self.buckets.setdefault((key[0], len(key)), []).append((key, word))

    def candidates(self, key: str, limit: int) -> Iterator[tuple[str, str]]:
        for size in range(len(key) - limit, len(key) + limit + 1):
            yield from self.buckets.get((key[0], size), ())


def correct_word(word: str, speller: Speller) -> str | None:
    """The archive word ``word`` was most likely meant to be, or None.

    None when the word is known (as typed, or without its accents) or nothing
    is close. Among close words the nearest wins, then the most frequent.
    """
    counts = speller.vocab.counts
    low = word.lower()
    if len(low) < MIN_LENGTH or not low.isalpha() or low in counts:
        return None
    folded_vocab = speller.folded
    key = fold(low)
    if key in folded_vocab:  # "miljomal" is miljömål typed without accents
        return folded_vocab[key] if folded_vocab[key] != low else None
    limit = max_distance(low)
    best: tuple[int, int, str] | None = None
    for candidate_key, candidate in checked(speller.candidates(key, limit)):
        d = distance(key, candidate_key, limit)
        if d > limit:
            continue
        rank = (d, -counts[candidate], candidate)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


_spellers: dict[tuple[str, tuple[int, int, int]], Speller] = {}
_spellers_lock = threading.Lock()


def speller_for(index_dir: Path) -> Speller | None:
    """The index's speller, made once per process and vocabulary file (a long-lived
    `serve` corrects many queries; the file is 100k words)."""
    path = Path(index_dir) / VOCABULARY_FILE
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), (st.st_ino, st.st_mtime_ns, st.st_size))
    with _spellers_lock:
        known = _spellers.get(key)
    if known is not None:
        return known
    vocab = Vocabulary.load(index_dir)
    if vocab is None:
        return None
    made = Speller(vocab)
    with _spellers_lock:
        for old in [k for k in _spellers if k[0] == key[0]]:
            del _spellers[old]
        _spellers[key] = made
    return made


def match_case(original: str, word: str) -> str:
    """``word`` in the letter case the user typed ``original`` in."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_WORD = re.compile(r"[^\W\d_]+")


def found_as_analysed(searcher: Any, word: str) -> bool:
    """Does the word find something in the index as analysed (its stem, as a search
    looks it up)? Then it is no typo, though the archive never spells it so:
    "kommunen" and "arbeta" find kommunerna and arbetar."""
    terms = analyze(text_analyzer(split=False), word)
    return all(searcher.doc_frequency("body", t) or searcher.doc_frequency("title", t)
               for t in terms)


def suggest_query(text: str, node: Node, index_dir: Path, searcher: Any = None) -> str | None:
    """``text`` with its misspelt search words corrected, or None if none is.

    Only free-text words and phrase words are corrected; field names,
    filter values (years, kinds) and operators stay as typed. With the index's
    ``searcher``, a word the index finds through its stem is not corrected.
    """
    speller = speller_for(index_dir)
    if speller is None:
        return None
    edits: list[tuple[int, int, str]] = []
    for leaf in positive_leaves(node):
        if is_filter(leaf) or (isinstance(leaf, Word) and leaf.prefix):
            continue
        if not isinstance(leaf, (Word, Quoted)):
            continue
        start = leaf.span[0]
        for m in _WORD.finditer(text, start, leaf.span[1]):
            fixed = correct_word(m.group(), speller)
            if fixed and not (searcher is not None and found_as_analysed(searcher, m.group())):
                edits.append((m.start(), m.end(), match_case(m.group(), fixed)))
    if not edits:
        return None
    out = text
    for a, b, word in sorted(edits, reverse=True):
        out = out[:a] + word + out[b:]
    return out
