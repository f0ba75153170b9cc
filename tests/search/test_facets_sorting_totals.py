"""Facets with counts, facet filters, sorting and the one total (issue 20, library side).

Three pages in the style of real ones (SKR, SKL and RUS, with their furniture) are served
on 127.0.0.1 with their PDFs and ingested by the library, as ``konfarkiv ingest`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.archives import ingested_archive, real_query_archive
from support.searching import find
from support.server import TestServer

from konfarkiv.archive.archive import Archive
from konfarkiv.render import query_error_text
from konfarkiv.search.query import QueryError, SearchResponse
from konfarkiv.web.query_messages import query_error_sv

QUERIES = ["mångfald", "kommuner", "styrning", "skolan", "miljömålen"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield real_query_archive(tmp_path_factory.mktemp("facets") / "home")


def test_the_organiser_is_read_from_the_page(home: Path) -> None:
    archive = Archive.open(home)
    try:
        organisers = {r["title"]: r["organiser"]
                      for r in archive.catalog.all("SELECT title, organiser FROM events")}
    finally:
        archive.close()
    assert organisers == {"Almedalen 2019": "SKR",  # og:site_name
                          "Biologisk mångfald på agendan": "Sveriges Kommuner och Landsting",
                          "Mål i sikte": "RUS"}  # the site name the page title ends with
    resp = find(home, "mångfald")
    assert {r.event["organiser"] for r in resp.results} == {
        "Sveriges Kommuner och Landsting", "RUS"}


@pytest.mark.parametrize("query", QUERIES)
def test_each_facet_count_is_the_number_of_results_its_filter_gives(home: Path,
                                                                    query: str) -> None:
    resp = find(home, query, limit=50, facets=True)
    assert resp.total == len(resp.results) > 0
    assert set(resp.facets) == {"year", "event", "organiser", "kind", "speaker"}
    assert sum(v.count for v in resp.facets["event"]) == resp.total
    for name, values in resp.facets.items():
        for value in values:
            narrowed = find(home, query, limit=50, filters={name: value.value})
            assert narrowed.total == value.count == len(narrowed.results), (name, value)


def test_facets_name_events_by_title_and_count_kinds(home: Path) -> None:
    resp = find(home, "mångfald OR skola", facets=True)
    events = {v.label: v.count for v in resp.facets["event"]}
    assert events["Biologisk mångfald på agendan"] >= 2
    kinds = {v.value: v.count for v in resp.facets["kind"]}
    assert kinds["session"] >= 2 and kinds["slide"] >= 1
    assert {v.value for v in resp.facets["organiser"]} >= {"RUS",
                                                            "Sveriges Kommuner och Landsting"}
    assert "Per Holm" in {v.value for v in resp.facets["speaker"]}


@pytest.mark.parametrize("query", QUERIES)
def test_the_total_does_not_depend_on_the_page_size(home: Path, query: str) -> None:
    totals = {find(home, query, limit=n, page=p).total for n, p in ((1, 1), (2, 2), (50, 1))}
    assert len(totals) == 1


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_sorting_by_date(home: Path, order: str) -> None:
    resp = find(home, "mångfald OR skolan OR miljömålen", limit=50, sort=order)
    dates = [r.event["date"] for r in resp.results]
    assert dates == sorted(dates, reverse=order == "newest")
    assert len(set(dates)) == 3
    same = find(home, "mångfald OR skolan OR miljömålen", limit=50)
    assert same.total == resp.total


def test_no_session_holds_every_word_the_rarest_word_found_ranks_first(home: Path) -> None:
    resp = find(home, "hur kan kommunerna arbeta med betesmarker xyzzyqv")
    assert resp.partial
    assert resp.missing_words == ["xyzzyqv"]
    assert resp.results[0].session["title"] == "Biologisk mångfald i odlingslandskapet"


def test_query_errors_are_codes_each_face_words_them(home: Path) -> None:
    with pytest.raises(QueryError) as kind:
        find(home, "kind:podcast")
    assert (kind.value.code, kind.value.params) == ("unknown_kind", {"kind": "podcast"})
    assert query_error_text(kind.value) == (
        "unknown kind 'podcast': use kind:session, kind:slide or kind:film")
    assert "podcast" in query_error_sv(kind.value) and "unknown" not in query_error_sv(kind.value)
    for kwargs, code in (({"sort": "best"}, "unknown_sort"),
                         ({"filters": {"colour": "red"}}, "unknown_filter")):
        with pytest.raises(QueryError) as exc:
            find(home, "skolan", **kwargs)
        assert exc.value.code == code
    with pytest.raises(QueryError) as common:
        find(home, "och")
    assert common.value.code == "only_common_words"
    assert query_error_sv(common.value) == (
        "Frågan har bara vanliga ord (”och”) som inte söks på. "
        "Lägg till ett ord som säger vad du letar efter.")


#: The hit kinds a kind filter keeps (a film's moments are film too).
HIT_KINDS = {"session": {"session"}, "event": {"event"}, "slide": {"slide"},
             "film": {"film", "caption"}}


def _shape(resp: SearchResponse) -> list[tuple[Any, list[str]]]:
    return [(r.session.get("id") or r.event.get("id"), [h.id for h in r.hits])
            for r in resp.results]


@pytest.mark.parametrize("query", [*QUERIES, "mångfald OR skola", "stad"])
def test_a_kind_filter_is_kind_in_the_query_and_its_count_is_its_results(
        home: Path, query: str) -> None:
    """typ=bild (the web's facet) and kind:slide (the query) are one search: the same
    results, hits of that kind only, the same total; the facet's count is that total."""
    resp = find(home, query, limit=50, facets=True)
    counts = {v.value: v.count for v in resp.facets["kind"]}
    for kind in ("session", "event", "slide", "film"):
        by_filter = find(home, query, limit=50, facets=True, filters={"kind": kind})
        by_query = find(home, f"kind:{kind} ({query})", limit=50)
        assert by_filter.total == by_query.total == counts.get(kind, 0), kind
        assert _shape(by_filter) == _shape(by_query), kind
        assert {h.kind for r in by_filter.results for h in r.hits} <= HIT_KINDS[kind]
        # the other facets of the narrowed search count its results too
        for name, values in by_filter.facets.items():
            for value in values:
                both = find(home, query, limit=50, filters={"kind": kind, name: value.value})
                assert both.total == value.count == len(both.results), (kind, name, value)


def _conference(title: str, date: str, sessions: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<h2>{t}</h2>\n<p>{text}</p>\n<p>Anna Berg, Malmö stad</p>"
                     for t, text in sessions)
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}'
            f'</title></head><body><main><h1>{title}</h1><p>{date}</p>{body}</main></body>'
            "</html>")


@pytest.fixture(scope="module")
def parts_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """2019: twelve sessions say "stadsutveckling"; 2018: one says it, one says its parts
    apart ("utveckling av staden")."""
    root = tmp_path_factory.mktemp("parts")
    many = [(f"Stadsutveckling i kvarter {i}", "Stadsutveckling och bostäder.")
            for i in range(1, 13)]
    few = [("Stadsutveckling vid vattnet", "Stadsutveckling längs kajen."),
           ("Hamnen i förändring", "Om utveckling av staden kring hamnen."),
           ("Buller", "Bullerkartor.")]
    with TestServer() as server:
        urls = [server.add_file("/dokumentation/a.html",
                                _conference("Stadsdagen 2019", "4 april 2019", many)),
                server.add_file("/dokumentation/b.html",
                                _conference("Hamndagen 2018", "5 april 2018", few))]
        yield ingested_archive(root / "home", urls)


def test_a_filter_narrows_the_same_matches_the_counts_were_made_over(parts_home: Path) -> None:
    """The unfiltered search finds enough sessions to leave compound parts apart out; the
    year filter narrows those matches, so its total is the facet's count (it must not look
    for the parts apart because its own total is small)."""
    resp = find(parts_home, "stadsutveckling", limit=50, facets=True)
    assert resp.total >= 13
    for name, values in resp.facets.items():
        for value in values:
            narrowed = find(parts_home, "stadsutveckling", limit=50,
                            filters={name: value.value})
            assert narrowed.total == value.count, (name, value)
