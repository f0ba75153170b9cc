"""The search package's one door: a query read once, and a page of results that costs the
catalog a fixed number of queries however many results and hits it shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.archives import ingested_archive

from konfarkiv.archive.archive import Archive
from konfarkiv.search import QueryError, SearchRequest, UnbalancedQuery, search

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "examples" / "natverksmote" / "index.html",
           *sorted((ROOT / "tests" / "search_pages").glob("*.html")),
           ROOT / "tests" / "relevance" / "corpus" / "klimatanpassning" / "index.html",
           ROOT / "tests" / "relevance" / "corpus" / "digitaliseringsdagen" / "index.html"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    home = ingested_archive(tmp_path_factory.mktemp("facade") / "home", SOURCES)
    opened = Archive.open(home)
    yield opened
    opened.close()


def catalog_queries(archive: Archive, request: SearchRequest) -> tuple[int, int, int]:
    """(SQL statements the catalog ran, results shown, hits shown) for one search."""
    statements: list[str] = []
    archive.catalog.db.set_trace_callback(statements.append)
    try:
        resp = search(archive, request).response
    finally:
        archive.catalog.db.set_trace_callback(None)
    return len(statements), len(resp.results), sum(len(r.hits) for r in resp.results)


@pytest.mark.parametrize("query", ["kommunerna", "miljömål", "klimat"])
def test_a_page_of_results_costs_a_fixed_number_of_catalog_queries(
        archive: Archive, query: str) -> None:
    search(archive, SearchRequest.of(query))  # the index is current before counting
    few, few_results, _ = catalog_queries(archive, SearchRequest.of(query, limit=1))
    many, many_results, many_hits = catalog_queries(archive, SearchRequest.of(query, limit=50))
    assert many_results > few_results >= 1 and many_hits > many_results, "too few hits to tell"
    # At most one query per kind of row shown (events, sessions, speakers, slides, films,
    # caption cues) and one for the index queue: never one per result or per hit.
    assert few <= many <= 7, f"{many} queries for {many_results} results, {few} for 1"


def test_a_query_is_read_before_the_archive_and_refused_with_a_reason() -> None:
    with pytest.raises(UnbalancedQuery):
        SearchRequest.of('"dagvatten')
    with pytest.raises(QueryError):
        SearchRequest.of("okänt:fält")
    request = SearchRequest.of("dagvatten skyfall", limit=5)
    assert request.node is not None and request.limit == 5 and request.text == "dagvatten skyfall"
