"""Swedish analysis: real Whoosh index round trips, plus splitter unit tests."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser
from whoosh.query import And, Or, Query, Term

from konfarkiv.search import compounds
from konfarkiv.search.analysis import (
    STOP_WORDS,
    CompoundFilter,
    analyze,
    expand_compound,
    folded_analyzer,
    has_swedish_letters,
    name_analyzer,
    text_analyzer,
)
from konfarkiv.search.compounds import MIN_PART, Lexicon

DOCS = {
    "arbete": "Det lokala miljömålsarbetet i kommunerna tar fart.",
    "mal": "Ett av miljömålen gäller vatten.",
    "malet": "Miljömålet för luft är svårt att nå.",
    "staden": "Utveckling av staden kräver dialog.",
    "stadsutv": "Hållbar stadsutveckling i Malmö.",
    "staterna": "Staterna och regionerna samarbetar.",
    "valda": "Förtroendevalda i regionen möttes.",
}


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=text_analyzer(), phrase=True),
        folded=TEXT(analyzer=folded_analyzer(), phrase=True),
        speaker=TEXT(analyzer=name_analyzer()),
    )


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[index.Index]:
    """A real on-disk index of DOCS, reopened so the pickled schema is used."""
    path: Path = tmp_path_factory.mktemp("ix")
    writer = index.create_in(str(path), _schema()).writer()
    for key, text in DOCS.items():
        writer.add_document(id=key, body=text, folded=text, speaker="Åsa Öberg")
    writer.commit()
    reopened = index.open_dir(str(path))
    yield reopened
    reopened.close()


def _ids(ix: index.Index, query: Query) -> set[str]:
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(query, limit=None)}


def _parse(ix: index.Index, field: str, text: str) -> Query:
    return QueryParser(field, ix.schema).parse(text)


def _expanded(field: str, word: str, folded: bool = False) -> Query:
    """What the query side is meant to build from expand_compound."""
    alternatives = expand_compound(word, folded=folded)
    return Or([And([Term(field, t) for t in alt]) for alt in alternatives])


# -- round trips ---------------------------------------------------------------


def test_part_finds_compound(ix: index.Index) -> None:
    assert "arbete" in _ids(ix, _parse(ix, "body", "miljömål"))


def test_tail_part_finds_compound(ix: index.Index) -> None:
    assert "arbete" in _ids(ix, _parse(ix, "body", "arbete"))


def test_inflections_meet(ix: index.Index) -> None:
    found = [_ids(ix, _parse(ix, "body", q)) for q in ("miljömål", "miljömålen", "miljömålet")]
    assert found[0] == found[1] == found[2]
    assert {"mal", "malet", "arbete"} <= found[0]


def test_folded_field_matches_without_accents(ix: index.Index) -> None:
    assert not _ids(ix, _parse(ix, "body", "miljomal"))
    assert {"mal", "malet", "arbete"} <= _ids(ix, _parse(ix, "folded", "miljomal"))


def test_inflection_is_not_split(ix: index.Index) -> None:
    # "staterna" must not be indexed as stat + erna.
    assert not _ids(ix, Term("body", "erna"))
    assert "erna" not in Lexicon.base().split("staterna")


def test_phrase_across_compound(ix: index.Index) -> None:
    assert _ids(ix, _parse(ix, "body", '"lokala miljömålsarbetet"')) == {"arbete"}
    assert not _ids(ix, _parse(ix, "body", '"lokala vatten"'))


def test_compound_query_matches_parts_apart(ix: index.Index) -> None:
    plain = _ids(ix, _parse(ix, "body", "stadsutveckling"))
    assert plain == {"stadsutv"}
    expanded = _ids(ix, _expanded("body", "stadsutveckling"))
    assert {"stadsutv", "staden"} <= expanded
    with ix.searcher() as searcher:
        hits = searcher.search(_expanded("body", "stadsutveckling"))
        assert hits[0]["id"] == "stadsutv"


def test_folded_expansion(ix: index.Index) -> None:
    assert "arbete" in _ids(ix, _expanded("folded", "miljomalsarbete", folded=True))


def test_no_short_part_in_index(ix: index.Index) -> None:
    with ix.searcher() as searcher:
        terms = [t.decode() for t in searcher.lexicon("body")]
    # Short terms come only from short words in the text itself, never from
    # a cut: two-letter leftovers of a bad split ("na", "et") never appear.
    whole_words = {w for text in DOCS.values() for w in analyze(text_analyzer(split=False), text)}
    assert {t for t in terms if len(t) < MIN_PART} <= whole_words
    assert "förtroendevald" in terms and "vald" in terms


def test_names_fold_and_keep_stop_words(ix: index.Index) -> None:
    assert len(_ids(ix, _parse(ix, "speaker", "asa oberg"))) == len(DOCS)
    assert analyze(name_analyzer(), "Sveriges Kommuner och Regioner") == [
        "sveriges",
        "kommuner",
        "och",
        "regioner",
    ]


def test_archive_lexicon_is_used_at_index_time(tmp_path: Path) -> None:
    word = "klurifikationsarbete"
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=text_analyzer()))
    lex = Lexicon.from_words(["klurifikation"] * 3)
    compounds.set_default_lexicon(lex)
    try:
        writer = index.create_in(str(tmp_path), schema).writer()
        writer.add_document(id="1", body=word)
        writer.commit()
        ix = index.open_dir(str(tmp_path))
        assert _ids(ix, _parse(ix, "body", "klurifikation")) == {"1"}
        ix.close()
    finally:
        compounds.set_default_lexicon(None)


# -- analysis units --------------------------------------------------------------


def test_analyzers_pickle_without_lexicon() -> None:
    lex = Lexicon.from_words(["klurifikation"] * 2)
    blob = pickle.dumps(text_analyzer(lexicon=lex))
    assert len(blob) < 4000
    assert b"sv_lexicon" not in blob and "miljö".encode() not in blob
    assert b"klurifikation" not in blob
    restored = pickle.loads(blob)
    assert analyze(restored, "miljömålen", mode="index")[0] == "miljömål"
    assert pickle.loads(pickle.dumps(CompoundFilter(lex))) == CompoundFilter()


def test_normalisation() -> None:
    a = text_analyzer(split=False)
    # Decomposed ö, soft hyphen, ligature, private-use glyph, upper case.
    assert analyze(a, "MILJO\u0308\u00adMÅL") == analyze(a, "miljömål")
    assert analyze(a, "\ufb01nansiering") == analyze(a, "finansiering")
    assert analyze(a, "vat\ue000ten") == analyze(a, "vatten")


def test_stemming_joins_forms() -> None:
    a = text_analyzer(split=False)
    for forms in (
        "miljömål miljömålen miljömålet",
        "hållbar hållbara",
        "klimat klimatet",
        "arbete arbetet",
        "kommun kommunen kommunerna",
    ):
        assert len(set(analyze(a, forms))) == 1, forms


def test_stop_list_is_swedish_and_small() -> None:
    assert len(STOP_WORDS) < 120
    assert {"och", "att", "det", "som"} <= STOP_WORDS
    assert not {"man", "under", "mot", "år", "the", "and"} & STOP_WORDS
    assert analyze(text_analyzer(), "och det") == []


def test_query_mode_does_not_split() -> None:
    assert analyze(text_analyzer(), "miljömålsarbetet") == ["miljömålsarbet"]
    assert len(analyze(text_analyzer(), "miljömålsarbetet", mode="index")) > 1


def test_has_swedish_letters() -> None:
    assert has_swedish_letters("Miljömål")
    assert not has_swedish_letters("miljomal")


# -- the splitter ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.base()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("miljömålsarbetet", {"miljömål", "arbetet", "miljö", "mål"}),
        ("förtroendevalda", {"förtroende", "valda"}),
        ("stadsutveckling", {"stad", "utveckling"}),
        ("skolgård", {"skola", "gård"}),
        ("gatubelysning", {"gata", "belysning"}),
        ("kvinnojour", {"kvinna", "jour"}),
        ("landsbygdsutveckling", {"landsbygd", "utveckling", "land", "bygd"}),
        ("kommunstyrelsen", {"kommun", "styrelsen"}),
        ("energieffektiviseringen", {"energi", "effektivisering"}),
    ],
)
def test_splits(lex: Lexicon, word: str, expected: set[str]) -> None:
    assert set(lex.split(word)) == expected


@pytest.mark.parametrize(
    "word",
    [
        "staterna",  # stat + erna: inflection
        "lågorna",  # låg + orna: inflection
        "kommun",  # kom + mun: frequent simplex word
        "kommunerna",
        "hållbarheten",  # hållbar + heten: derivation
        "förändring",  # för + ändring: prefix
        "tjänsten",  # tjäna + sten
        "fullmäktige",
        "planering",  # plan + e + ring
        "ab",
    ],
)
def test_no_split(lex: Lexicon, word: str) -> None:
    assert lex.split(word) == ()


def test_parts_are_never_short(lex: Lexicon) -> None:
    for word in ("miljömålsarbetet", "avloppsreningsverk", "arbetsmarknadsutskottet"):
        for surface, _, _ in lex.segments(word) or ():
            assert len(surface) >= MIN_PART


def test_lexicon_from_words_and_save_load(tmp_path: Path) -> None:
    lex = Lexicon.from_words(["Klurifikation", "klurifikation", "enstaka"], base=False)
    assert "klurifikation" in lex and "enstaka" not in lex
    lex.save(tmp_path / "words.txt")
    again = Lexicon.load(tmp_path / "words.txt", base=False)
    assert again.zipf("klurifikation") == pytest.approx(lex.zipf("klurifikation"), abs=0.05)
    assert "miljö" in Lexicon.load(tmp_path / "words.txt")


def test_expand_compound_shapes() -> None:
    assert expand_compound("stadsutveckling") == [["stadsutveckling"], ["stad", "utveckling"]]
    assert expand_compound("kommun") == [["kommun"]]
    assert expand_compound("och") == []
