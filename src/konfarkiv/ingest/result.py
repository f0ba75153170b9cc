"""The frozen record every ingest job returns: expected failures are data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JobStatus = Literal["succeeded", "unchanged", "failed", "skipped"]


@dataclass(frozen=True)
class JobResult:
    job: str  # "page", "pdf", "film", "link"
    item: str  # the URL or path worked on
    status: JobStatus
    tool: str = ""
    seconds: float = 0.0
    error: str | None = None
    permanent: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def line(self) -> str:
        """One line naming the item and the cause, for the summary."""
        return f"{self.job} {self.item}: {self.error}"
