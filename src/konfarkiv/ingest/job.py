"""The contract every material job keeps, typed as ArchiveBox types its extractors.

A job is a module (pdf_job, film_job) or an object with three functions: `work`
fetches and extracts on any thread and never touches the catalog, so jobs run in
parallel; `unchanged` and `record` run on the main thread inside one catalog
transaction, so a killed run loses at most the item it was on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from konfarkiv.archive.catalog import Catalog
    from konfarkiv.archive.model import MaterialRef
    from konfarkiv.ingest.context import JobContext
    from konfarkiv.ingest.result import JobResult


class Work(Protocol):
    """What `work` hands to `record`: at least the job's result (failures are data)."""

    @property
    def result(self) -> JobResult: ...


class Job(Protocol):
    def work(self, m: MaterialRef, ctx: JobContext) -> Any:
        """Fetch and extract one material (any thread; no catalog access)."""

    def unchanged(self, catalog: Catalog, m: MaterialRef, w: Any) -> bool:
        """Whether the work found the material as the catalog already holds it."""

    def record(self, catalog: Catalog, m: MaterialRef, w: Any) -> None:
        """Write the outcome; a failure never touches an earlier good version."""
