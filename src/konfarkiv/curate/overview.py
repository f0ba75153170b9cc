"""Read-only overviews of the catalog: the list of events, and what an archivist checks
in the morning (sources with their last check and failures, the last runs)."""

from __future__ import annotations

from typing import Any

from konfarkiv.archive.archive import Archive, archive_status
from konfarkiv.archive.catalog import Catalog
from konfarkiv.archive.curation import event_rows, failed_materials

#: Runs shown by `status` and the web's /status.
RUNS_SHOWN = 20


def event_list(catalog: Catalog, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Events, newest date first: id, date, title, url, status, sessions, PDFs, films, failures.

    limit keeps the first ones (the most recently held events)."""
    return event_rows(catalog, limit)


def failures(catalog: Catalog) -> list[dict[str, Any]]:
    """Every failed material with its reason and next try, newest first."""
    return failed_materials(catalog)


def sources(catalog: Catalog) -> list[dict[str, Any]]:
    """Every source with its state, last check, failure and next try."""
    return [{k: r[k] for k in ("id", "url", "follow", "status", "error", "permanent",
                               "attempts", "next_try", "last_checked", "via", "found")}
            for r in catalog.sources()]


def last_runs(catalog: Catalog, n: int = RUNS_SHOWN) -> list[dict[str, Any]]:
    """The latest runs of ingest/update, newest first, each its record with its figures."""
    return [r.to_json() for r in catalog.recent_runs(n)]


def status_report(archive: Archive) -> dict[str, Any]:
    """`konfarkiv status`: the archive's counts, its last run's record and the last runs."""
    runs = last_runs(archive.catalog)
    return {**archive_status(archive), "last_run": runs[0] if runs else None, "runs": runs}
