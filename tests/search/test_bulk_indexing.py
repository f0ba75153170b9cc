"""Bulk indexing: a rebuild is one writer's one segment; a failed write leaves the last commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.catalog_fill import fill

import konfarkiv.search.index as index_mod
import konfarkiv.search.segments as segments_mod
from konfarkiv.archive.archive import Archive
from konfarkiv.search.documents import event_documents


def stored_ids(path: Path) -> set[str]:
    ix = index_mod.open_index(path)
    try:
        with ix.searcher() as s:
            return {f["id"] for f in s.all_stored_fields()}
    finally:
        ix.close()


@pytest.fixture
def archive(tmp_path: Path):
    a = Archive.open(tmp_path / "home")
    fill(a)
    yield a
    a.close()


def test_a_rebuild_is_one_segment_with_every_document(archive):
    path = archive.layout.index
    written = index_mod.rebuild(path, archive.catalog)
    ids = stored_ids(path)
    assert written == len(ids) and any(i.startswith("slide:") for i in ids)
    ix = index_mod.open_index(path)
    try:
        assert len(ix._segments()) == 1  # one writer: nothing to merge (issue 23)
    finally:
        ix.close()


def test_a_write_failing_midway_keeps_the_last_commit(archive, monkeypatch):
    path = archive.layout.index
    index_mod.rebuild(path, archive.catalog)
    before = stored_ids(path)
    events = archive.catalog.event_ids()
    real = segments_mod.event_documents

    def failing_after_two(catalog, event_id):
        if event_id == events[2]:
            raise RuntimeError("disk trouble")
        yield from real(catalog, event_id)

    monkeypatch.setattr(segments_mod, "event_documents", failing_after_two)
    with pytest.raises(RuntimeError, match="disk trouble"):
        index_mod.index_events(path, archive.catalog, events)
    assert index_mod.index_ok(path) is None
    assert stored_ids(path) == before


def test_an_ingest_recounts_only_its_events_and_matches_a_full_count(archive, tmp_path):
    from konfarkiv.search import vocabulary

    path = archive.layout.index
    index_mod.rebuild(path, archive.catalog)
    cat = archive.catalog
    row = cat.one("SELECT m.id, m.event_id FROM materials m ORDER BY m.id LIMIT 1")
    with cat.transaction():
        cat.add_document(row["id"], sha256=f"{1:064x}", outcome="text", tool="test", seconds=0,
                         warnings=0, error=None, pages=["Nya ord: solcellsparker vindkraftverk"])
    index_mod.index_events(path, cat, [row["event_id"]])
    full = tmp_path / "full"
    events = [r["id"] for r in cat.all("SELECT id FROM events ORDER BY id")]
    vocabulary.prepare(full, (d for e in events for d in event_documents(cat, e)))
    for name in (vocabulary.VOCABULARY_FILE, vocabulary.WORDS_FILE, vocabulary.LEXICON_FILE):
        assert (path / name).read_text() == (full / name).read_text(), name
    assert "solcellsparker" in (path / vocabulary.VOCABULARY_FILE).read_text()
