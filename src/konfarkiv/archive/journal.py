"""The edits table: every hand-made change, so `show` can say who made it and when."""

from __future__ import annotations

import json
from typing import Any

from konfarkiv.archive.catalog import Catalog, now_iso


def log_edit(catalog: Catalog, kind: str, ref: int, action: str, field: str | None,
             old: Any, new: Any, by: str) -> None:
    """One row of the edits table: who changed what, when."""
    catalog.db.execute(
        "INSERT INTO edits(kind, ref, action, field, old, new, by, at) VALUES (?,?,?,?,?,?,?,?)",
        (kind, ref, action, field, json.dumps(old, ensure_ascii=False),
         json.dumps(new, ensure_ascii=False), by, now_iso()))
