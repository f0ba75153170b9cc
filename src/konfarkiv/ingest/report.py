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
    # What the run did per source (update): the source's own outcome and its items'.
    sources: list[dict[str, Any]] = field(default_factory=list)
    # Things the archivist may want to know that are not failures (a saved page's file gone).
    notes: list[str] = field(default_factory=list)
    _source: dict[str, Any] | None = field(default=None, repr=False)

    def begin_source(self, url: str | None, kind: str = "page", **extra: Any) -> None:
        """The items noted from now on belong to this source (None: to no source)."""
        if url is None:
            self._source = None
            return
        self._source = {"url": url, "kind": kind, **extra, "did": None, "reason": None,
                        "items": {}}
        self.sources.append(self._source)

    def remark(self, text: str) -> None:
        """A note for the run's summary (not a failure)."""
        self.notes.append(text)

    def _count_for_source(self, job: str, item: str, outcome: str, reason: str | None) -> None:
        src = self._source
        if src is None:
            return
        if src["did"] is None and job in ("page", "listing") and item == src["url"]:
            src["did"], src["reason"] = outcome, reason
            return
        kind = GROUPS.get(job, job)
        items = src["items"].setdefault(kind, {})
        items[outcome] = items.get(outcome, 0) + 1

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
        self._count_for_source(job, item, outcome, reason)
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

    def gone(self) -> list[dict[str, Any]]:
        """Pages archived before that now answer 404/410 (kept, but the archivist is told)."""
        return [o for o in self.outcomes if o["outcome"] == "gone"]

    def problem_lines(self) -> list[str]:
        """One line per failure of the run (an item, a page gone, the indexing): what
        `update -q` prints on stderr, and nothing else."""
        lines = [f"{r.job} {r.item}: {r.error or 'failed'}" for r in self.failures]
        lines += [f"page {o['item']}: gone ({o['reason']}); the archived copy is kept"
                  for o in self.gone()]
        if self.index_error:
            lines.append(f"index: {self.index_error}")
        return lines

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, Counter[str]] = {}
        for r in self.results:
            out.setdefault(r.job, Counter())[r.status] += 1
        return {job: dict(c) for job, c in out.items()}

    def exit_status(self) -> ExitStatus:
        if self.index_error:
            return ExitStatus.PARTIAL if self.events else ExitStatus.ERROR
        pages = [r for r in self.results if r.job == "page"]
        # a saved page found unchanged is noted, not run: it still counts as a page done
        done = any(o["kind"] == "pages" and o["outcome"] in ("new", "changed", "unchanged")
                   for o in self.outcomes)
        if pages and all(r.failed for r in pages) and not done:
            return ExitStatus.ERROR
        return ExitStatus.PARTIAL if self.failures or self.gone() else ExitStatus.OK

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
            "sources": [{**src, "did": src["did"] or _did(src)} for src in self.sources],
            "notes": self.notes,
        }


def _did(src: dict[str, Any]) -> str:
    """A source without an outcome of its own (hand-added material): its items' worst."""
    seen = {o for counts in src["items"].values() for o, n in counts.items() if n}
    return next((o for o in ("failed", "changed", "new") if o in seen), "unchanged")
