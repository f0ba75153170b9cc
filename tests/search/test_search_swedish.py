"""Issue 4: Swedish search, pinned with real index round trips (ingest, then search)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.archives import ingested_archive
from support.searching import find
from support.searching import session_titles as titles

from konfarkiv.cli import cli
from konfarkiv.search.query import QueryError, SearchResponse, parse

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "examples" / "natverksmote" / "index.html",
    ROOT / "tests" / "relevance" / "corpus" / "klimatanpassning" / "index.html",
    ROOT / "tests" / "relevance" / "corpus" / "digitaliseringsdagen" / "index.html",
]
# Two sessions: one spells the city without its accent, the other with it.
ACCENTS_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Dokumentation: Cykeldagen</title></head>
<body><main>
<h1>Dokumentation: Cykeldagen</h1>
<p>3 maj 2018 klocka 09.00 - 12.00</p>
<h2>Cykelstråk i Malmö</h2>
<p>Så byggde staden ett sammanhängande nät av cykelbanor.</p>
<p>Anna Ek, Trafikverket</p>
<h2>Engelsk rapport om cykling</h2>
<p>Rapporten Malmo cycling plan finns bara på engelska.</p>
<p>Per Lund, Trafikverket</p>
</main></body></html>
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One archive with the example, the relevance corpus and the accents page."""
    root = tmp_path_factory.mktemp("swedish")
    page = root / "cykeldagen.html"
    page.write_text(ACCENTS_PAGE, encoding="utf-8")
    yield ingested_archive(root / "home", [*SOURCES, page])


def hits(resp: SearchResponse):
    return [h for r in resp.results for h in r.hits]


def marked(hit) -> list[str]:
    return [hit.snippet[a:b] for a, b in hit.highlights]


def cli_json(home: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--home", str(home), "search", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- compounds ------------------------------------------------------------------------


def test_part_finds_compound_and_highlights_the_whole_word(home: Path) -> None:
    resp = find(home, "miljömål")
    slide = next(
        h
        for h in hits(resp)
        if h.kind == "slide"
        and h.page == 2
        and h.url.endswith("handbok-miljomalsarbetet.pdf#page=2")
    )
    assert "miljömålsarbetet" in marked(slide)  # the text never says "miljömål" alone
    assert "miljöstrateger" not in marked(slide)  # a part of the query is not a match


def test_tail_part_finds_compound(home: Path) -> None:
    slide = next(h for h in hits(find(home, "tillsyn")) if h.kind == "slide")
    assert {"Kameratillsyn", "tillsyn"} <= set(marked(slide))


def test_compound_query_finds_its_parts_apart_ranked_below(home: Path) -> None:
    resp = find(home, "stadsutveckling")
    order = titles(resp)
    exact = order.index("Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete")
    apart = order.index("Digitala tvillingar för samhällsplanering")
    assert exact < apart
    slide = next(h for h in resp.results[apart].hits if h.kind == "slide")
    assert slide.page == 2 and {"utveckling", "staden"} <= set(marked(slide))


def test_unsplittable_part_is_found_inside_words_when_little_matches(home: Path) -> None:
    # "kartering" is in no word list, so "skyfallskartering" is not split; the
    # found-little pass looks inside words.
    slide = next(h for h in hits(find(home, "kartering")) if h.kind == "slide")
    assert slide.page == 2 and "Skyfallskartering" in marked(slide)


# -- accents --------------------------------------------------------------------------


def test_accentless_query_finds_accented_text(home: Path) -> None:
    resp = find(home, "varmebolja")
    assert titles(resp)[0] == "Värmeböljor och äldres hälsa"
    slide = next(h for h in hits(resp) if h.kind == "slide" and h.page == 3)
    assert "värmebölja" in marked(slide)


def test_folded_match_ranks_below_exact_spelling(home: Path) -> None:
    order = titles(find(home, "malmo"))
    assert order[:2] == ["Engelsk rapport om cykling", "Cykelstråk i Malmö"]
    # typed with the accent, the accented spelling comes first (the folded
    # field is still tried, as one session is "little")
    assert titles(find(home, "malmö"))[0] == "Cykelstråk i Malmö"


# -- did you mean ---------------------------------------------------------------------


def test_typo_gets_a_suggestion_and_its_results_in_json(home: Path) -> None:
    out = cli_json(home, "Länsstyrelssen")
    assert out["suggestion"] == "Länsstyrelsen"
    assert out["results_for"] == "Länsstyrelsen"
    assert out["results"], "the suggestion's results are shown"
    assert any("Länsstyrelsen" in h["snippet"] for r in out["results"] for h in r["hits"])


def test_typo_suggestion_in_text_output(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "klimatanpasning"])
    assert "showing results for 'klimatanpassning'" in result.output


def test_known_words_get_no_suggestion(home: Path) -> None:
    assert find(home, "miljömål").suggestion is None


# -- query language -------------------------------------------------------------------


def test_unknown_field_is_a_clear_error(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "foo:bar"])
    assert result.exit_code == 1
    assert "unknown field 'foo:'" in result.output and "speaker:" in result.output
    with pytest.raises(QueryError, match="unknown_kind"):
        find(home, "kind:podcast")
    with pytest.raises(QueryError, match="only_excludes"):
        parse("NOT miljömål")


def test_abbreviation_genitive_is_not_a_field(home: Path) -> None:
    slide = next(h for h in hits(find(home, "SKL:s syn")) if h.kind == "slide")
    assert slide.page == 4


def test_kind_filters(home: Path) -> None:
    assert {h.kind for h in hits(find(home, "kind:slide hemtjänsten"))} == {"slide"}
    film = {h.kind for h in hits(find(home, "kind:film miljömål"))}
    assert film == {"film", "caption"}
    assert {h.kind for h in hits(find(home, "kind:session miljömål"))} == {"session"}


def test_speaker_org_and_year_filters(home: Path) -> None:
    assert titles(find(home, "speaker:hägglund")) == [
        "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete"
    ]
    assert titles(find(home, "speaker:hagglund")) == titles(find(home, "speaker:hägglund"))
    assert set(titles(find(home, "speaker:hagnell miljömålen"))) <= {
        "Syfte med nätverksmötet och hur arbetar vi med miljömålen?",
        "Hållbar stadsutveckling – en plattform för miljöstrategiskt arbete",
    }
    assert "Syfte med nätverksmötet och hur arbetar vi med miljömålen?" in titles(
        find(home, "org:skl")
    )  # "Sveriges Kommuner och Landsting" answers to its acronym
    years = {r.event["date"][:4] for r in find(home, "year:2021 vatten").results}
    assert years == {"2021"}
    cykel = find(home, "year:2018-2019 cykel")  # one session, and the event "Cykeldagen"
    assert len([r for r in cykel.results if r.session["id"]]) == 1
    assert find(home, "year:2030 vatten").total == 0


def test_or_not_phrase_and_prefix(home: Path) -> None:
    both = set(titles(find(home, "dagvattendammar OR trygghetslarm")))
    assert both == {"Dagvattenhantering och grönblå infrastruktur", "Välfärdsteknik i hemtjänsten"}
    assert find(home, "dagvattendammar AND trygghetslarm").total == 0  # AND typed: no partial
    kept = titles(find(home, "klimatanpassning -panelsamtal"))
    assert "Klimatanpassning av befintlig bebyggelse" in kept
    assert "Panelsamtal: vem bär kostnaden för klimatanpassningen?" not in kept
    assert kept == titles(find(home, "klimatanpassning NOT panelsamtal"))
    phrase = find(home, '"utveckling av staden"')
    assert titles(phrase) == ["Digitala tvillingar för samhällsplanering"]
    assert find(home, '"staden av utveckling"').total == 0
    prefix = hits(find(home, "skyfalls*"))
    assert any(h.kind == "slide" and h.page == 2 for h in prefix)
    assert "Skyfallskarteringen" in marked(next(h for h in prefix if h.kind == "slide"))


def test_ranking_groups_by_session_and_orders_hits(home: Path) -> None:
    resp = find(home, "miljömålen", limit=3)
    assert len(resp.results) <= 3
    for r in resp.results:
        kinds = [h.kind for h in r.hits]
        order = ["event", "session", "slide", "film", "caption"]
        assert kinds == sorted(kinds, key=order.index)
        pages = [h.page for h in r.hits if h.kind == "slide"]
        starts = [h.start for h in r.hits if h.kind == "caption"]
        assert pages == sorted(pages) and starts == sorted(starts)
    second = find(home, "miljömålen", limit=3, page=2)
    assert not set(titles(second)) & set(titles(resp))


def test_title_match_ranks_above_body_match(home: Path) -> None:
    order = titles(find(home, "trygghetslarm"))
    assert order[0] == "Välfärdsteknik i hemtjänsten"
    resp = find(home, "klimatanpassning")
    # the event named so comes first (issue 11), then the session titled so
    assert resp.results[0].session["id"] is None
    assert "klimatanpassning" in resp.results[0].event["title"].lower()
    assert titles(resp)[1] == "Klimatanpassning av befintlig bebyggelse"


def test_help_documents_the_query_language() -> None:
    text = CliRunner().invoke(cli, ["search", "--help"]).output
    for needle in ("OR", "NOT", '"', "*", "speaker:", "org:", "event:", "year:", "kind:"):
        assert needle in text


@pytest.mark.parametrize("query", ["hur arbeta med vattnet", "hur kan kommunen arbeta med vattnet"])
def test_words_found_through_their_stem_are_not_corrected(home: Path, query: str) -> None:
    """"arbeta" is nowhere as typed, but arbetar/arbete are: the same stem finds them, so
    the word is no typo and "did you mean" leaves it (qa item 5)."""
    resp = find(home, query)
    assert resp.total and resp.suggestion is None
    assert find(home, "hur arbeta med vatnet").suggestion == "hur arbeta med vattnet"
