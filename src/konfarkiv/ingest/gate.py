"""Extractor children side by side, except OCR: it runs alone.

An OCR child can hold far more memory than a pypdf child: PDFium decodes a page's images
whole before it scales them (a poster-sized JPEG 2000 scan: about 190 MB), and tesseract
adds its own. During an ingest, pypdf children share the gate (as many as --workers), an
OCR child takes it alone, and a waiting OCR child lets no new pypdf child in before it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ExtractorGate:
    """A shared/exclusive lock where a waiting exclusive holder goes first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._exclusive and not self._waiting)
            self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                self._shared -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._exclusive and not self._shared)
            self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


#: The gate of every extraction in this process (ingest, update, add).
EXTRACTORS = ExtractorGate()
