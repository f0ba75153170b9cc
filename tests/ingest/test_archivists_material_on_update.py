"""What `update` does with what belongs to the archivist (issue 21): a saved page is
re-read only when its file changed, and material added by hand is only checked."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from support.cli import EXAMPLE, run, show
from support.pdfs import make_pdf


def _update_json(home: Path) -> tuple[int, dict]:
    result = run(home, "update", "--json", "--delay", "0")
    return result.exit_code, json.loads(result.stdout)


def test_a_changed_saved_page_is_read_again_and_an_unchanged_one_is_not(tmp_path: Path) -> None:
    saved = tmp_path / "sparad"
    shutil.copytree(EXAMPLE.parent, saved)
    home = tmp_path / "arkiv"
    assert run(home, "ingest", "-q", str(saved / "index.html")).exit_code == 0
    code, report = _update_json(home)
    assert code == 0 and report["sources"][0]["kind"] == "saved page"
    assert report["sources"][0]["did"] == "unchanged" and report["sources"][0]["items"] == {}
    assert len(show(home, "1")["provenance"]["versions"]) == 1

    page = saved / "index.html"
    page.write_text(page.read_text("utf-8").replace(
        "</h1>", "</h1>\n<p>Uppdaterad med rättade namn.</p>", 1), "utf-8")
    code, report = _update_json(home)
    assert code == 0 and report["sources"][0]["did"] == "changed", report["sources"]
    assert len(show(home, "1")["provenance"]["versions"]) == 2


def test_a_damaged_copy_of_hand_added_material_is_one_failure_and_nothing_is_fetched(
        tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    slides = tmp_path / "bilder.pdf"
    make_pdf(slides, ["Bilder som kom med e-post"])
    added = run(home, "add", str(slides), "--new-event", "Miljödagen", "--session", "Bilder")
    assert added.exit_code == 0, added.output
    slides.unlink()  # the original is gone: the archive has its own copy
    with sqlite3.connect(home / "catalog.sqlite") as db:  # what an older update left
        db.execute("UPDATE materials SET error='refused: a remote page may not lead to a "
                   "local file', attempts=1, permanent=1 WHERE id=1")
    code, report = _update_json(home)
    assert show(home, "material:1").get("error") is None  # the void failure is cleared
    assert code == 0 and report["sources"] == [
        {"url": "event:1", "kind": "hand-added", "title": "Miljödagen", "did": "unchanged",
         "reason": None, "items": {"pdfs": {"unchanged": 1}}}]

    sha = show(home, "material:1")["file"]["sha256"]
    stored = next((home / "files").rglob(sha))
    stored.chmod(0o644)
    stored.write_bytes(b"%PDF-1.4 garbage")
    quiet = run(home, "update", "-q", "--delay", "0")
    assert quiet.exit_code == 3 and quiet.stdout == "", quiet.output
    (line,) = quiet.stderr.splitlines()
    assert "added by hand" in line and "has changed" in line and "restore" in line, line
    assert show(home, "material:1")["status"] == "ok"  # the catalog is not rewritten
