"""A film's archived media file belongs to its film like its captions do: verify counts it
as used, and purging the film deletes it (the speaker asked: the recording goes too)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from support.cli import example_archive, run


def _media_sha(home: Path, material: int) -> str:
    with sqlite3.connect(home / "catalog.sqlite") as db:
        sha = db.execute("SELECT media_sha256 FROM films WHERE material_id=?",
                         (material,)).fetchone()[0]
    assert sha, "the bundled example's films keep their media file"
    return str(sha)


def test_verify_counts_film_media_as_used_and_purge_deletes_it(tmp_path):
    home = example_archive(tmp_path / "arkiv")
    checked = run(home, "verify")
    assert checked.exit_code == 0, checked.output
    assert "used by no catalog row" not in checked.output

    found = json.loads(run(home, "search", "plattform miljöstrategiskt", "--json").stdout)
    film = next(h for r in found["results"] for h in r["hits"] if h["kind"] == "caption")
    material = int(film["id"].split(":")[1].split("@")[0])
    sha = _media_sha(home, material)
    stored = home / "files" / sha[:2] / sha[2:4] / sha
    assert stored.is_file()

    purged = run(home, "remove", f"material:{material}", "--purge", "--yes", "--json")
    assert purged.exit_code == 0, purged.output
    assert sha in json.loads(purged.stdout[purged.stdout.index("{"):])["deleted_files"]
    assert not stored.exists()
