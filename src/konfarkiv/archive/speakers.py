"""Speakers given by hand ("Name, Organisation") and writing them as a hand-made value.

A session whose speakers were set by hand carries them in manual["speakers"]; the
catalog's sync_sessions then leaves its speaker rows alone on every re-ingest.
"""

from __future__ import annotations

import json
from typing import Any

from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.errors import ArchivistError
from konfarkiv.archive.journal import log_edit


def parse_speaker(text: str) -> dict[str, str | None]:
    """ "Anna Andersson, Malmö stad" -> name and organisation (the first comma splits)."""
    name, _, org = text.partition(",")
    name, org = " ".join(name.split()), " ".join(org.split())
    if not name:
        raise ArchivistError(f"speaker {text!r} has no name",
                             'write it as "Name, Organisation" (the organisation may be left out)')
    return {"name": name, "organisation": org or None, "role": None}


def current_speakers(catalog: Catalog, session_id: int) -> list[dict[str, Any]]:
    return [{"name": r["name"], "organisation": r["organisation"], "role": r["role"]}
            for r in catalog.all("SELECT * FROM speakers WHERE session_id=? ORDER BY position",
                                 (session_id,))]


def set_speakers(catalog: Catalog, session_id: int, speakers: list[dict[str, Any]],
                 by: str) -> None:
    """Replace a session's speakers and mark them hand-made (inside the caller's transaction)."""
    row = catalog.session(session_id)
    manual = json.loads(row.manual or "{}") if row is not None else {}
    old = current_speakers(catalog, session_id)
    manual["speakers"] = speakers
    catalog.db.execute("UPDATE sessions SET manual=? WHERE id=?",
                       (json.dumps(manual, ensure_ascii=False), session_id))
    catalog.db.execute("DELETE FROM speakers WHERE session_id=?", (session_id,))
    catalog.db.executemany(
        "INSERT INTO speakers(session_id, position, name, organisation, role) VALUES (?,?,?,?,?)",
        [(session_id, i, s["name"], s.get("organisation"), s.get("role"))
         for i, s in enumerate(speakers)])
    log_edit(catalog, "session", session_id, "set", "speakers", old, speakers, by)

