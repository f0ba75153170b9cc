"""Stemming runs in PyStemmer's C Snowball and stems exactly as the pure-Python Snowball
(snowballstemmer's own Swedish stemmer) that indexes were made with before."""

from __future__ import annotations

from pathlib import Path

from snowballstemmer.swedish_stemmer import SwedishStemmer

import konfarkiv.search.analysis as analysis
from konfarkiv.search.compounds import fold

LEXICON = Path(analysis.__file__).parent / "data" / "sv_lexicon.txt"


def sample_words() -> list[str]:
    words = [w for line in LEXICON.read_text(encoding="utf-8").splitlines()
             if "\t" in line and not line.startswith("#") for w in line.split("\t")[1].split()]
    some = words[::25]
    return some + [fold(w) for w in some] + [w + end for w in some[::10]
                                              for end in ("et", "erna", "lös", "löst", "s")]


def test_the_stemmer_is_pystemmers_c_code():
    assert type(analysis._stemmer("swedish")).__module__ == "Stemmer"


def test_c_and_python_snowball_stem_alike():
    python = SwedishStemmer()
    words = sample_words()
    assert len(words) > 3000
    differ = [w for w in words
              if analysis.SnowballFilter().stem(w)
              != python.stemWord(python.stemWord(w))]
    assert differ == []
