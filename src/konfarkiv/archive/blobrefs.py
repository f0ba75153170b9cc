"""Which catalog rows use each stored file (blob), in words an archivist can act on.

verify names the rows behind a damaged file; purge deletes only files no other row
uses. Both ask here, so the list of columns that point at blobs lives in one place.
"""

from __future__ import annotations

import sqlite3

from konfarkiv.archive.catalog import Catalog

# One query per column that names a blob: the sha, the row in words, and which
# event and material it belongs to (so a purge can tell its own uses from others').
_QUERIES = (
    ("SELECT page_sha256 AS sha, 'event ' || id || ' page: ' || title AS what, "
     "id AS event_id, NULL AS material_id FROM events WHERE page_sha256 IS NOT NULL"),
    ("SELECT v.page_sha256, 'event ' || v.event_id || ' page version of ' || v.fetched_at, "
     "v.event_id, NULL FROM event_versions v"),
    ("SELECT sha256, 'material ' || id || ' (' || kind || '): ' || label || ' <' || url || '>', "
     "event_id, id FROM materials WHERE sha256 IS NOT NULL"),
    ("SELECT d.sha256, 'document ' || d.id || ' of material ' || d.material_id || ': ' "
     "|| m.label || CASE WHEN d.current THEN '' ELSE ' (older version)' END, "
     "m.event_id, d.material_id FROM documents d JOIN materials m ON m.id = d.material_id"),
    ("SELECT f.info_sha256, 'film ' || f.id || ' metadata of material ' || f.material_id "
     "|| ': ' || m.label, m.event_id, f.material_id FROM films f JOIN materials m "
     "ON m.id = f.material_id WHERE f.info_sha256 IS NOT NULL"),
    ("SELECT f.captions_sha256, 'film ' || f.id || ' captions of material ' || f.material_id "
     "|| ': ' || m.label, m.event_id, f.material_id FROM films f JOIN materials m "
     "ON m.id = f.material_id WHERE f.captions_sha256 IS NOT NULL"),
    ("SELECT f.media_sha256, 'film ' || f.id || ' media of material ' || f.material_id "
     "|| ': ' || m.label, m.event_id, f.material_id FROM films f JOIN materials m "
     "ON m.id = f.material_id WHERE f.media_sha256 IS NOT NULL"),
)
_ALL = " UNION ALL ".join(_QUERIES)


def blob_references(catalog: Catalog) -> dict[str, list[str]]:
    """sha256 -> the rows that use it (deduplicated, in catalog order)."""
    out: dict[str, list[str]] = {}
    for row in catalog.all(_ALL):
        uses = out.setdefault(row["sha"], [])
        if row["what"] not in uses:
            uses.append(row["what"])
    return out


def uses_of(catalog: Catalog, sha256: str) -> list[sqlite3.Row]:
    """The rows that use one blob: what, event_id, material_id."""
    return catalog.all(f"SELECT * FROM ({_ALL}) WHERE sha=?", (sha256,))
