"""The parallel bulk-indexing path: same documents as one writer, nothing left on failure."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.catalog_fill import fill

import konfarkiv.search.index as index_mod
import konfarkiv.search.segments as segments_mod
from konfarkiv.archive.archive import Archive

ROOT = Path(__file__).resolve().parents[2]


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


def test_parallel_rebuild_writes_the_same_documents(archive, monkeypatch):
    path = archive.layout.index
    monkeypatch.setattr(segments_mod, "PARALLEL_MIN_DOCS", 10**9)
    serial = index_mod.rebuild(path, archive.catalog)
    serial_ids = stored_ids(path)
    monkeypatch.setattr(segments_mod, "PARALLEL_MIN_DOCS", 1)
    monkeypatch.setattr(segments_mod, "_procs", lambda: 2)
    parallel = index_mod.rebuild(path, archive.catalog)
    assert parallel == serial
    assert stored_ids(path) == serial_ids
    ix = index_mod.open_index(path)
    try:
        assert len(ix._segments()) == 1  # this process's and the worker's, merged (issue 23)
    finally:
        ix.close()


def test_a_failing_worker_cancels_the_whole_batch(archive, monkeypatch):
    path = archive.layout.index
    index_mod.rebuild(path, archive.catalog)
    before = stored_ids(path)
    monkeypatch.setattr(segments_mod, "PARALLEL_MIN_DOCS", 1)
    monkeypatch.setattr(segments_mod, "_procs", lambda: 2)
    monkeypatch.setattr(segments_mod, "_WORKER", "import sys; sys.exit(3)")
    events = [r["id"] for r in archive.catalog.all("SELECT id FROM events")]
    with pytest.raises(RuntimeError, match="worker"):
        index_mod.index_events(path, archive.catalog, events)
    assert index_mod.index_ok(path) is None
    assert stored_ids(path) == before


PARENT = """
import sys
import konfarkiv.search.index as index
import konfarkiv.search.segments as m
from konfarkiv.archive.archive import Archive
m.PARALLEL_MIN_DOCS = 1
m._procs = lambda: 3
m._WORKER = ("import pickle, sys, time; job = pickle.load(sys.stdin.buffer); "
             "from konfarkiv.search.segments import _die_with_parent; "
             "_die_with_parent(job['parent_pid']); time.sleep(120)")
a = Archive.open(__import__('pathlib').Path(sys.argv[1]))
index.rebuild(a.layout.index, a.catalog)
"""


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_killed_parent(archive):
    index_mod.rebuild(archive.layout.index, archive.catalog)
    before = stored_ids(archive.layout.index)
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(archive.layout.root)])
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.1)
            workers = _children(parent.pid)
        assert len(workers) == 2, "the workers did not start"
        time.sleep(1.0)  # let them reach prctl
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and
                                                  "Z" not in _state(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
    finally:
        if parent.poll() is None:
            parent.kill()
    assert stored_ids(archive.layout.index) == before  # the old index was never touched


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "Z"
    return next((line.split()[1] for line in status.splitlines() if line.startswith("State")),
                "Z")


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
    vocabulary.prepare(full, (d for e in events for d in index_mod.event_documents(cat, e)))
    for name in (vocabulary.VOCABULARY_FILE, vocabulary.WORDS_FILE, vocabulary.LEXICON_FILE):
        assert (path / name).read_text() == (full / name).read_text(), name
    assert "solcellsparker" in (path / vocabulary.VOCABULARY_FILE).read_text()
