"""Fewer, larger segments (issue 23): a search pays per segment, so incremental writes
merge by a bounded policy and a rebuild leaves one segment."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.catalog_fill import fill

import konfarkiv.search.segments as segments_mod
from konfarkiv.archive.archive import Archive
from konfarkiv.search.index import index_events, open_index, rebuild
from konfarkiv.search.index_files import open_dir


def segments_and_ids(path: Path) -> tuple[int, set[str]]:
    ix = open_index(path)
    try:
        with ix.searcher() as s:
            return len(ix._segments()), {f["id"] for f in s.all_stored_fields()}
    finally:
        ix.close()


@pytest.fixture
def archive(tmp_path: Path):
    a = Archive.open(tmp_path / "home")
    fill(a, events=5, pages=1)
    yield a
    a.close()


def test_one_event_at_a_time_leaves_at_most_max_segments(archive):
    path = archive.layout.index
    events = archive.catalog.event_ids()
    rebuild(path, archive.catalog)
    assert segments_and_ids(path)[0] == 1  # a rebuild: one segment
    _, everything = segments_and_ids(path)
    for event_id in events:  # as separate ingests and updates do
        index_events(path, archive.catalog, [event_id])
        assert segments_and_ids(path)[0] <= segments_mod.MAX_SEGMENTS
    assert segments_and_ids(path)[1] == everything  # nothing lost or doubled by merging


def test_a_segment_mostly_deleted_is_rewritten(archive, monkeypatch):
    path = archive.layout.index
    events = archive.catalog.event_ids()
    rebuild(path, archive.catalog)
    monkeypatch.setattr(segments_mod, "MAX_SEGMENTS", 100)  # only the deletions count
    index_events(path, archive.catalog, events[:3])  # 3 of 5 events replaced: 3/5 deleted
    ix = open_dir(path)
    try:
        assert all(s.deleted_count() == 0 for s in ix._segments())
    finally:
        ix.close()
