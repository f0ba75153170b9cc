"""A snapshot of one catalog material, handed to a job running off the main thread."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class MaterialRef:
    id: int
    kind: str
    label: str
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    status: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> MaterialRef:
        return cls(row["id"], row["kind"], row["label"], row["url"], row["etag"],
                   row["last_modified"], row["sha256"], row["status"])
