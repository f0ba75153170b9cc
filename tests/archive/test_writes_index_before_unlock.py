"""konfarkiv.app: every writing command indexes what it changed before it unlocks, and an
indexing failure is reported while the catalog keeps the queue (nothing is lost)."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run

from konfarkiv.archive.catalog import Catalog

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"


def pending(home: Path) -> list[int]:
    cat = Catalog(home / "catalog.sqlite")
    try:
        return cat.index_pending()
    finally:
        cat.close()


def test_an_edit_reports_what_it_indexed_and_search_finds_it_at_once(tmp_path):
    assert run(tmp_path, "ingest", str(EXAMPLE)).exit_code == 0
    result = run(tmp_path, "edit", "event", "1", "--title", "Vindkraftsdagen", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["indexed_docs"] > 0 and out["index_error"] is None
    assert pending(tmp_path) == []
    found = json.loads(run(tmp_path, "search", "event:vindkraftsdagen", "--json").stdout)
    assert found["total"] >= 1


def test_an_indexing_failure_is_reported_and_the_queue_kept(tmp_path):
    # The rebuild's scratch folder is taken by a file: the index cannot be written.
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "index.new").write_text("not a folder")
    result = run(tmp_path, "ingest", str(EXAMPLE), "--json")
    assert result.exit_code == 3, result.output  # archived, but not searchable yet
    report = json.loads(result.stdout)
    assert report["index_error"].startswith("indexing failed") and report["indexed_docs"] == 0
    assert "konfarkiv reindex" in report["index_error"]
    assert pending(tmp_path) == [1]  # the catalog still knows what the index lacks

    (tmp_path / "index.new").unlink()
    found = json.loads(run(tmp_path, "search", "stadsutveckling", "--json").stdout)
    assert found["total"] >= 1  # the next search took the queue in
    assert pending(tmp_path) == []
