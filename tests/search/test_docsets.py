"""Counting matches by set algebra over posting lists (search/docsets.py) must find
exactly the documents Whoosh's own matcher walk finds, for every kind of query the
builder makes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.cli import example_archive

from konfarkiv.search.by_file import _query
from konfarkiv.search.docsets import doc_table, matching_docs
from konfarkiv.search.syntax import parse
from konfarkiv.search.warm import query_lexicon, warm_searcher

QUERIES = ["dagvatten", "hållbar stadsutveckling", '"lokala nätverk"', "miljo", "dagv*",
           "klimat OR vatten", "klimat NOT vatten", "-klimat vatten", "speaker:anna",
           "kind:slide vatten", "year:2019", "stadsutvecklingen", "vatten kommunen arbeta",
           "(klimat OR miljö) kommun*", "org:skr", "zzzqqq", "title:vatten"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    home = example_archive(tmp_path_factory.mktemp("docsets") / "home")
    index_dir = home / "index"
    if not index_dir.is_dir():  # the layout names it; find the folder holding the TOC
        index_dir = next(p.parent for p in home.rglob("*.toc"))
    # a second segment (as an incremental write leaves one), so offsets are exercised
    from whoosh import index

    ix = index.open_dir(str(index_dir), indexname=_index_name(index_dir))
    with ix.writer() as w:
        w.merge = False
        w.add_document(id="extra:1", kind="slide", group="s:999999", event_id="1",
                       body="dagvatten klimat vatten i ett eget segment", current="1")
        w.delete_by_term("kind", "film")  # deleted documents must be left out too
    ix.close()
    with warm_searcher(index_dir) as s:
        assert len(s.leaf_searchers()) == 2
        yield s, index_dir


def _index_name(index_dir: Path) -> str:
    from konfarkiv.search.index_files import INDEX_NAME

    return INDEX_NAME


@pytest.mark.parametrize("fold_all", [False, True])
@pytest.mark.parametrize("text", QUERIES)
def test_the_set_algebra_matches_what_whoosh_matches(searcher: tuple[Any, Path], text: str,
                                                    fold_all: bool) -> None:
    s, index_dir = searcher
    try:
        query, _ = _query(s, parse(text), query_lexicon(index_dir), fold_all=fold_all,
                          filt=None)
    except Exception as err:  # a query the builder refuses (only common words)
        pytest.skip(f"{text!r}: {err}")
    assert matching_docs(s, query) == set(query.docs(s))


def test_some_queries_match_something(searcher: tuple[Any, Path]) -> None:
    """The comparison above is not between two empty sets."""
    s, index_dir = searcher
    sizes = [len(matching_docs(s, _query(s, parse(t), query_lexicon(index_dir),
                                         fold_all=False, filt=None)[0]))
             for t in ("dagvatten", "klimat OR vatten", "dagv*")]
    assert all(n > 0 for n in sizes), sizes


def test_every_document_has_the_group_and_kind_its_stored_fields_name(
        searcher: tuple[Any, Path]) -> None:
    s, _ = searcher
    table = doc_table(s)
    docs = list(s.reader().all_doc_ids())
    assert docs and table.group(docs[-1]) == "s:999999"
    for d in docs:
        stored = s.stored_fields(d)
        assert (table.group(d), table.kind(d)) == (stored["group"], stored["kind"])
