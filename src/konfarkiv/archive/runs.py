"""The record of one run of `ingest` or `update`: what it asked, found, stored and indexed.

It is written once the index has taken the run's changes in (konfarkiv.app), so its
figures include the documents indexed and whether indexing failed; a run killed
before that keeps only its start (`finished_at` empty: running, or interrupted).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The figures of a run, in the order `status` prints them.
FIGURES = ("requests", "not_modified", "new_items", "changed", "new_versions", "withdrawn",
           "gone", "failed", "indexed_docs", "index_errors")


@dataclass(frozen=True)
class RunRecord:
    id: int
    command: str
    started_at: str
    finished_at: str | None
    pid: int | None
    duration: float | None  # seconds, from taking the lock to the index committed
    exit_status: int | None
    figures: dict[str, int] = field(default_factory=dict)  # FIGURES, each a count
    index_error: str | None = None
    tally: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> outcome -> n

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def to_json(self) -> dict[str, Any]:
        """Flat: every figure is a key of its own (`indexed_docs`, `index_errors` …)."""
        out = asdict(self)
        figures = out.pop("figures")
        return {**out, **{k: figures.get(k) for k in FIGURES}}
