"""Issue 16, hostile and careless input: each case reproduced against a real local server
or real files first, then fixed. Nothing archived is lost, nothing outside what the user
asked for is read or reached."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from support.pdfs import make_pdf
from support.server import TestServer

from konfarkiv.archive.archive import Archive
from konfarkiv.cli import cli

OLD_TRIGGER = """CREATE TRIGGER q_material_changed AFTER UPDATE ON materials
WHEN OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id
  OR OLD.label IS NOT NEW.label OR OLD.kind IS NOT NEW.kind
BEGIN
    INSERT OR IGNORE INTO index_queue VALUES (NEW.event_id, datetime('now'));
END"""


def twice_linked_page(label: str = "Presentation av SKL (PDF, nytt fönster)") -> str:
    """A real page shape: the programme PDF linked in two sessions and twice in one."""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Dokumentation: Dubbla länkar</title></head><body><main>
<h1>Dokumentation: Dubbla länkar</h1>
<p>Ett nätverksmöte om klimatanpassning.</p>
<h2>Klimatanpassning i planeringen</h2>
<p>Anna Andersson, Sveriges Kommuner och Regioner</p>
<p><a href="/program.pdf">{label}</a></p>
<h2>Dagvatten och skyfall</h2>
<p>Bo Berg, Naturvårdsverket</p>
<p><a href="/program.pdf">{label}</a></p>
<p><a href="/program.pdf">Programmet igen (PDF)</a></p>
</main></body></html>"""


def ingest(home: Path, url: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", url])
    return result.exit_code, result.output


def test_a_page_linking_one_file_twice_is_archived(tmp_path: Path) -> None:
    with TestServer() as server:
        server.add_file("/program.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        url = server.add_file("/dubbla.html", twice_linked_page())
        code, out = ingest(tmp_path, url)
        assert code == 0, out
        assert server.count("/program.pdf", "GET") == 1  # one file, fetched once
        # A re-ingest that changes the link text updates the one material in place.
        server.replace_file("/dubbla.html", twice_linked_page("Programmet (PDF)"))
        code, out = ingest(tmp_path, url)
        assert code == 0, out
    with Archive.open(tmp_path) as archive:
        rows = archive.catalog.all("SELECT label, status FROM materials")
        assert [(r["label"], r["status"]) for r in rows] == [("Programmet", "ok")]
        assert archive.catalog.index_pending() == []


def test_a_catalog_with_the_old_queue_triggers_is_mended_on_open(tmp_path: Path) -> None:
    with Archive.open(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute("DROP TRIGGER q_material_changed")
    db.execute(OLD_TRIGGER)
    db.commit()
    db.close()
    with TestServer() as server:
        server.add_file("/program.pdf", make_pdf(None, ["Skyfallskartering i kommunen"]))
        url = server.add_file("/dubbla.html", twice_linked_page())
        code, out = ingest(tmp_path, url)
        assert code == 0, out
        server.replace_file("/dubbla.html", twice_linked_page("Programmet (PDF)"))
        code, out = ingest(tmp_path, url)
        assert code == 0, out
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name='q_material_changed'").fetchone()
    assert "OR IGNORE" not in sql[0]
