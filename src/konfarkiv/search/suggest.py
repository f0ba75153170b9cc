"""Spelling suggestions from the archive's own raw words ("did you mean").

Whoosh's ``correct_query`` works on indexed terms, which here are stems and
compound parts, so it suggests stems or nonsense. This corrector compares
the typed word with the archive's raw words instead (edit distance with
transpositions, accents compared folded), and runs only when a search found
little, so its cost (a scan of same-length words) is paid rarely.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from konfarkiv.search.analysis import analyze, text_analyzer
from konfarkiv.search.compounds import fold
from konfarkiv.search.cost import checked
from konfarkiv.search.syntax import Node, Quoted, Word, is_filter, positive_leaves
from konfarkiv.search.vocabulary import Vocabulary

#: Words shorter than this are never corrected: too many near neighbours.
MIN_LENGTH = 4


def max_distance(word: str) -> int:
    """Edits allowed: one for short words, two from eight letters."""
    return 1 if len(word) < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        low = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            low = min(low, v)
        if low > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def correct_word(word: str, vocab: Vocabulary) -> str | None:
    """The archive word ``word`` was most likely meant to be, or None.

    None when the word is known (as typed, or without its accents) or nothing
    is close. Among close words the nearest wins, then the most frequent.
    """
    low = word.lower()
    if len(low) < MIN_LENGTH or not low.isalpha() or low in vocab:
        return None
    folded_vocab = vocab.folded()
    key = fold(low)
    if key in folded_vocab:  # "miljomal" is miljömål typed without accents
        return folded_vocab[key] if folded_vocab[key] != low else None
    limit = max_distance(low)
    best: tuple[int, int, str] | None = None
    for candidate_key, candidate in checked(iter(folded_vocab.items())):
        if abs(len(candidate_key) - len(key)) > limit or candidate_key[0] != key[0]:
            continue
        d = distance(key, candidate_key, limit)
        if d > limit:
            continue
        rank = (d, -vocab.counts[candidate], candidate)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


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
    vocab = Vocabulary.load(index_dir)
    if vocab is None:
        return None
    edits: list[tuple[int, int, str]] = []
    for leaf in positive_leaves(node):
        if is_filter(leaf) or (isinstance(leaf, Word) and leaf.prefix):
            continue
        if not isinstance(leaf, (Word, Quoted)):
            continue
        start = leaf.span[0]
        for m in _WORD.finditer(text, start, leaf.span[1]):
            fixed = correct_word(m.group(), vocab)
            if fixed and not (searcher is not None and found_as_analysed(searcher, m.group())):
                edits.append((m.start(), m.end(), match_case(m.group(), fixed)))
    if not edits:
        return None
    out = text
    for a, b, word in sorted(edits, reverse=True):
        out = out[:a] + word + out[b:]
    return out
