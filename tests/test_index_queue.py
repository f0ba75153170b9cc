"""A run killed between its catalog commit and its index commit loses nothing from search."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from konfarkiv.archive.catalog import Catalog
from konfarkiv.cli import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "natverksmote" / "index.html"


def run(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


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


def test_a_writer_takes_queued_events_along(tmp_path):
    assert run(tmp_path, "ingest", str(EXAMPLE)).exit_code == 0
    cat = Catalog(tmp_path / "catalog.sqlite")
    try:
        with cat.transaction():
            cat.db.execute("UPDATE events SET title='Vindkraftsdagen'")
    finally:
        cat.close()
    assert run(tmp_path, "reindex").exit_code == 0
    out = json.loads(run(tmp_path, "search", "event:vindkraftsdagen", "--json").stdout)
    assert out["total"] >= 1


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
