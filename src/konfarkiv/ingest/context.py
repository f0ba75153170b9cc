"""What jobs share during one run: the fetcher, the film extractor, limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from konfarkiv.archive.store import FileStore
from konfarkiv.ingest import DEFAULT_WORKERS
from konfarkiv.ingest.fetch import Fetched, Fetcher
from konfarkiv.ingest.films import FilmExtractor
from konfarkiv.ingest.ocr import FILE_TIME_LIMIT, PAGE_TIME_LIMIT, Engine, find_engine
from konfarkiv.ingest.pdftext import DEFAULT_TIME_LIMIT


@dataclass
class JobContext:
    store: FileStore
    fetcher: Fetcher
    pdf_time_limit: float = DEFAULT_TIME_LIMIT
    workers: int = DEFAULT_WORKERS
    #: OCR pages without a text layer when Tesseract is installed (else they wait).
    ocr: bool = True
    ocr_page_time_limit: float = PAGE_TIME_LIMIT
    ocr_time_limit: float = FILE_TIME_LIMIT
    #: Told from worker threads as a file's OCR goes: (file URL, pages read, pages to read).
    on_ocr: Callable[[str, int, int], None] | None = field(default=None, repr=False)
    _films: FilmExtractor | None = field(default=None, repr=False)

    @property
    def ocr_engine(self) -> Engine | None:
        """The engine pages are read with in this run, or None (OCR off, or not installed)."""
        return find_engine()[0] if self.ocr else None

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
