"""Every ingest and update leaves one run record, written after its indexing (issue 21).

Before, the record was saved before the index was written: `/status` printed
": 0 fel,  indexerade" with no number, and a plain ingest left no record at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.cli import run
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.web.app import create_app

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Vattendagen - SKR</title></head>
<body><main><h1>Dokumentation: Vattendagen</h1>
<p>En dag om dagvatten i kommunerna.</p>
<p><strong>Dagvatten i praktiken</strong></p>
<p>Eva Ek, Sveriges Kommuner och Regioner</p>
<p><a href="/files/vatten.pdf">Presentation om dagvatten (PDF, nytt fönster)</a></p>
</main></body></html>
"""


def _status(home: Path) -> dict:
    result = run(home, "status", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_and_update_each_leave_a_record_with_what_was_indexed(
        server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/vatten.pdf", make_pdf(None, ["Dagvatten och skyfall", "Sida två"]))
    url = server.add_file("/dokumentation/vattendagen.html", PAGE)
    home = tmp_path / "arkiv"
    assert run(home, "ingest", "-q", url).exit_code == 0

    first = _status(home)["last_run"]
    assert first["command"] == "ingest" and first["finished_at"] and first["exit_status"] == 0
    assert first["indexed_docs"] > 0 and first["index_errors"] == 0
    assert first["requests"] == 2 and first["new_items"] == 2 and first["failed"] == 0

    assert run(home, "update", "-q", "--delay", "0").exit_code == 0
    status = _status(home)
    second = status["last_run"]
    assert second["command"] == "update" and second["id"] > first["id"]
    assert second["not_modified"] == 2 and second["changed"] == 0
    assert second["indexed_docs"] == 0 and second["index_errors"] == 0
    assert [r["id"] for r in status["runs"]] == [second["id"], first["id"]]

    text = run(home, "status").output
    assert f"last run {second['id']}: update" in text and "0 index errors" in text, text
    assert "earlier runs:" in text and f"run {first['id']}: ingest" in text, text

    page = create_app(home).test_client().get("/status").get_data(as_text=True)
    assert "Uppdatering" in page and "Inläsning" in page, page
    assert f"{first['indexed_docs']} dokument indexerade" in page, page
    assert "Ingen körning registrerad" not in page


HOLD_WHOOSH_LOCK = """
import sys, time
from konfarkiv.search.index import open_dir
writer = open_dir(sys.argv[1]).writer()  # Whoosh's own write lock, held by another process
print("held", flush=True)
time.sleep(120)
"""


def test_a_failed_indexing_is_in_the_record_and_the_exit_status(
        server: TestServer, tmp_path: Path) -> None:
    server.add_file("/files/vatten.pdf", make_pdf(None, ["Dagvatten och skyfall"]))
    url = server.add_file("/dokumentation/vattendagen.html", PAGE)
    home = tmp_path / "arkiv"
    result = run(home, "ingest", "-q", url)
    assert result.exit_code == 0, result.output
    server.add_file("/files/vatten.pdf", make_pdf(None, ["Nya bilder om skyfall"]))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WHOOSH_LOCK, str(home / "index")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run(home, "update", "-q", "--delay", "0")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert result.exit_code == 3, result.output
    last = _status(home)["last_run"]
    assert last["index_errors"] == 1 and last["exit_status"] == 3 and last["indexed_docs"] == 0
    assert last["new_versions"] == 1 and "reindex" in last["index_error"]
