"""What a run did, item by item: the outcomes `ingest` and `update` print and return.

A job's failure is data here (a JobResult), never an exception, so one bad item
never stops a run; the exit status is computed from the whole report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from konfarkiv.exitcodes import ExitStatus
from konfarkiv.ingest.result import JobResult

GROUPS = {"page": "pages", "pdf": "pdfs", "link": "links", "film": "films",
          "listing": "listings"}
OUTCOMES = ("new", "changed", "unchanged", "withdrawn", "gone", "failed", "skipped")
_BY_STATUS = {"succeeded": "new", "unchanged": "unchanged", "failed": "failed",
              "skipped": "skipped"}


@dataclass
class RunReport:
    results: list[JobResult] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # Filled in by konfarkiv.app after the run, when it drains the index queue.
    indexed_docs: int = 0
    index_error: str | None = None
    # Every item's outcome this run: new, changed, unchanged, withdrawn, gone, failed, skipped.
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    # Told of every item's outcome as it happens (progress, a line per item); the dict is
    # the outcome's, with "job", "detail" (pages, bytes, cues …) and "planned" added.
    on_item: Callable[[dict[str, Any]], None] | None = None
    # Items known to be coming (pages given, materials found): the progress bar's length.
    planned: int = 0
    # HTTP answers the run's fetcher received (set by the run when it ends).
    requests: int = 0

    def plan(self, n: int) -> None:
        """n more items are coming."""
        self.planned += n

    def add(self, result: JobResult, outcome: str | None = None) -> None:
        self.results.append(result)
        self.note(result.job, result.item, outcome or _BY_STATUS[result.status], result.error,
                  detail=result.detail)

    def note(self, job: str, item: str, outcome: str, reason: str | None = None, *,
             detail: dict[str, Any] | None = None) -> None:
        """One item's outcome, whether or not a job ran for it (withdrawn, gone, skipped)."""
        entry = {"kind": GROUPS.get(job, job), "item": item, "outcome": outcome,
                 "reason": reason}
        self.outcomes.append(entry)
        if self.on_item:
            self.on_item({**entry, "job": job, "detail": dict(detail or {}),
                          "planned": self.planned})

    def tally(self) -> dict[str, dict[str, int]]:
        """Counts per kind (pages, pdfs, films, links, listings) and outcome."""
        out = {g: dict.fromkeys(OUTCOMES, 0) for g in ("pages", "pdfs", "films")}
        for o in self.outcomes:
            out.setdefault(o["kind"], dict.fromkeys(OUTCOMES, 0))[o["outcome"]] += 1
        return out

    def ocr_pages(self) -> dict[str, int]:
        """Pages without a text layer this run: read by OCR, failed, waiting, blank."""
        out = dict.fromkeys(("read", "failed", "waiting", "blank"), 0)
        for r in self.results:
            for key in out:
                out[key] += int(r.detail.get(f"ocr_{key}", 0))
        return out

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if r.failed]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, Counter[str]] = {}
        for r in self.results:
            out.setdefault(r.job, Counter())[r.status] += 1
        return {job: dict(c) for job, c in out.items()}

    def exit_status(self) -> ExitStatus:
        if self.index_error:
            return ExitStatus.PARTIAL if self.events else ExitStatus.ERROR
        pages = [r for r in self.results if r.job == "page"]
        if pages and all(r.failed for r in pages):
            return ExitStatus.ERROR
        return ExitStatus.PARTIAL if self.failures else ExitStatus.OK

    def figures(self) -> dict[str, int]:
        """The run record's counts (archive/runs.py FIGURES): what was asked, found,
        stored and indexed."""
        by = Counter(o["outcome"] for o in self.outcomes)
        versions = sum(1 for o in self.outcomes if o["outcome"] in ("new", "changed")
                       and o["kind"] in ("pages", "pdfs", "films"))
        return {"requests": self.requests, "not_modified": by["unchanged"],
                "new_items": by["new"], "changed": by["changed"], "new_versions": versions,
                "withdrawn": by["withdrawn"], "gone": by["gone"], "failed": by["failed"],
                "indexed_docs": self.indexed_docs, "index_errors": int(bool(self.index_error))}

    def summary(self) -> dict[str, Any]:
        """What the run record keeps beside its figures: the table of outcomes per kind."""
        return {"tally": self.tally(), "index_error": self.index_error}

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "counts": self.counts(),
            "failures": [{"job": r.job, "item": r.item, "reason": r.error,
                          "permanent": r.permanent} for r in self.failures],
            "indexed_docs": self.indexed_docs,
            "index_error": self.index_error,
            "exit_status": int(self.exit_status()),
            "figures": self.figures(),
            "tally": self.tally(),
            "ocr": self.ocr_pages(),
            "changes": [o for o in self.outcomes
                        if o["outcome"] not in ("unchanged", "skipped")],
        }
