"""The speller compares a typed word only with words of its first letter and nearly its
length (suggest.Speller): it must correct as a comparison with every word would."""

from __future__ import annotations

import pytest

from konfarkiv.search.compounds import fold
from konfarkiv.search.suggest import Speller, correct_word, distance, max_distance
from konfarkiv.search.vocabulary import Vocabulary

VOCAB = Vocabulary({"miljömål": 40, "miljömålen": 12, "dagvatten": 30, "dagvattnet": 9,
                    "kommunerna": 50, "kommunen": 80, "kommuner": 20, "samverkan": 15,
                    "samverka": 3, "stadsutveckling": 7, "stadsutvecklingen": 4,
                    "avfall": 6, "avfallet": 5, "klimat": 60, "klimatet": 25,
                    "klimatanpassning": 8})


def _scan_every_word(word: str) -> str | None:
    low = word.lower()
    key, limit = fold(low), max_distance(low)
    close = [(distance(key, fold(w), limit), -n, w) for w, n in VOCAB.counts.items()]
    best = min((c for c in close if c[0] <= limit), default=None)
    return best[2] if best else None


@pytest.mark.parametrize("typed", ["miljömla", "dagvaten", "kommunrena", "samvrekan",
                                   "stadsutveckilng", "avfal", "klimta", "kilmatet",
                                   "xylofon", "kommunern"])
def test_the_speller_corrects_as_a_scan_of_every_word_would(typed: str) -> None:
    assert correct_word(typed, Speller(VOCAB)) == _scan_every_word(typed)


def test_distance_counts_a_swap_of_neighbours_as_one_edit() -> None:
    assert distance("klimta", "klimat", 2) == 1
    assert distance("ca", "abc", 5) == 3  # optimal string alignment, not full Damerau
    assert distance("kommun", "region", 2) == 3  # past the limit: limit + 1
