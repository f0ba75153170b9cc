"""What jobs share during one run: the fetcher, the film extractor, limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.ingest.fetch import Fetched, Fetcher
from konfarkiv.ingest.films import FilmExtractor
from konfarkiv.ingest.pdftext import DEFAULT_TIME_LIMIT


@dataclass
class JobContext:
    store: FileStore
    fetcher: Fetcher
    pdf_time_limit: float = DEFAULT_TIME_LIMIT
    workers: int = DEFAULT_WORKERS
    _films: FilmExtractor | None = field(default=None, repr=False)

    @property
    def films(self) -> FilmExtractor:
        if self._films is None:
            self._films = FilmExtractor(self.fetcher)
        return self._films

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
        """http(s) through the fetcher; file: URLs of a saved site from disk."""
        parts = urlparse(url)
        if parts.scheme == "file":
            return self.fetcher.get_local(Path(unquote(parts.path)))  # %20, %C3%A5
        return self.fetcher.get(url, etag=etag, last_modified=last_modified)
