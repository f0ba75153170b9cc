"""`konfarkiv review`: the events an archivist should look at, and the command that fixes each.

The doubts come from the parser at ingest time (table `doubts`); this module only
reads them, drops those an edit has settled, and writes for each one a command line
in the terms of `konfarkiv edit` (or `add`, where a session must be made by hand).
"""

from __future__ import annotations

import shlex
from typing import Any

from konfarkiv.archive.catalog import CARRIED_OVER, CORRECTED_GONE, Catalog


def _speakers_arg(catalog: Catalog, session_id: int) -> str:
    return " ".join(
        "--speaker " + shlex.quote(f"{r.name}, {r.organisation or 'ORGANISATION'}")
        for r in catalog.session_speakers(session_id))


def _fix(catalog: Catalog, d: Any) -> str:
    """The fixing command line; every value in it shell-quoted (a catalog is data: an id
    column holding text must not become a second command when the line is pasted)."""
    event = shlex.quote(str(d["event_id"]))
    session = None if d["session_id"] is None else shlex.quote(str(d["session_id"]))
    kind = d["kind"]
    if kind in {"no-organisation", "pattern"} and session is not None:
        return f"konfarkiv edit session {session} {_speakers_arg(catalog, d['session_id'])}"
    if kind == CARRIED_OVER and session is not None:
        return (f"konfarkiv show session:{session}   # another talk? konfarkiv edit session "
                f"{session} --reset FIELD (the carried-over corrections)")
    if kind == CORRECTED_GONE and session is not None:
        return (f"konfarkiv show session:{session}   # then: konfarkiv edit session NEW_ID "
                f"with its corrections, for the same talk")
    if kind == "no-date":
        return f"konfarkiv edit event {event} --date YYYY-MM-DD"
    if kind == "one-talk" and session is not None:
        return f"konfarkiv edit session {session} --title 'TITLE OF THE TALK'"
    if kind == "sections":
        return f"konfarkiv show {event}   # then: konfarkiv add FILE --event {event} " \
               "--session 'TITLE' for a talk left out"
    return f"konfarkiv add FILE --event {event} --session 'TITLE'   # one per talk"


def review(catalog: Catalog) -> list[dict[str, Any]]:
    """Events with open doubts, in id order: each doubt with its reason and fixing command."""
    out: list[dict[str, Any]] = []
    for d in catalog.open_doubts():
        if not out or out[-1]["id"] != d["event_id"]:
            out.append({"id": d["event_id"], "title": d["event_title"], "url": d["event_url"],
                        "doubts": []})
        out[-1]["doubts"].append({"kind": d["kind"], "reason": d["reason"],
                                  "session": d["session_id"], "fix": _fix(catalog, d)})
    return out
