"""A run killed between its catalog commit and its index commit loses nothing from search."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run

from konfarkiv.archive.catalog import Catalog

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "natverksmote" / "index.html"



def test_changes_the_index_missed_are_queued_and_caught_up(tmp_path):
    assert run(tmp_path, "ingest", str(EXAMPLE)).exit_code == 0
    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        assert cat.index_pending() == []  # the ingest's index commit emptied the queue
        # What a run killed after its catalog commit leaves: a change the index lacks.
        with cat.transaction():
            cat.db.execute("UPDATE sessions SET title='Solcellsparker i glesbygd' "
                           "WHERE title='Samtal i grupp'")
        assert len(cat.index_pending()) == 1
    finally:
        cat.close()

    result = run(tmp_path, "search", "solcellsparker", "--json")
    assert result.exit_code == 0
    assert "not yet in the search index" in result.stderr
    titles = [r["session"]["title"] for r in json.loads(result.stdout)["results"]]
    assert titles == ["Solcellsparker i glesbygd"]
    # The old title is gone from the index too, not served beside the new one.
    gone = json.loads(run(tmp_path, "search", '"samtal i grupp"', "--json").stdout)
    assert "Samtal i grupp" not in [r["session"]["title"] for r in gone["results"]]

    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        assert cat.index_pending() == []
    finally:
        cat.close()


OTHER_PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Nätverksträff om avfall</title></head><body><main>
<h1>Dokumentation: Nätverksträff om avfall</h1><p>Ett möte om avfall i kommunerna.</p>
<h2>Matavfall i flerbostadshus</h2><p>Lena Ek, Avfall Sverige</p>
</main></body></html>
"""


def test_a_writer_takes_queued_events_along(tmp_path):
    """A change left in the queue (a killed run) is indexed by the next writer, though
    that writer touches another event: it drains the whole queue, not its own events."""
    assert run(tmp_path, "ingest", str(EXAMPLE)).exit_code == 0
    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        with cat.transaction():
            cat.db.execute("UPDATE events SET title='Vindkraftsdagen'")
        assert len(cat.index_pending()) == 1
    finally:
        cat.close()
    other = tmp_path / "avfall.html"
    other.write_text(OTHER_PAGE, encoding="utf-8")
    result = run(tmp_path, "ingest", str(other))
    assert result.exit_code == 0, result.output

    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        assert cat.index_pending() == []  # the writer drained the queue ...
    finally:
        cat.close()
    result = run(tmp_path, "search", "event:vindkraftsdagen", "--json")
    assert "not yet in the search index" not in result.stderr  # ... so search had nothing to do
    assert json.loads(result.stdout)["total"] >= 1


def test_touching_rows_without_changing_them_queues_nothing(tmp_path):
    assert run(tmp_path, "ingest", str(EXAMPLE)).exit_code == 0
    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        with cat.transaction():
            cat.db.execute("UPDATE events SET last_seen=datetime('now')")
            cat.db.execute("UPDATE sessions SET title=title, last_seen=datetime('now')")
            cat.db.execute("UPDATE materials SET last_seen=datetime('now')")
        assert cat.index_pending() == []
    finally:
        cat.close()
